/* URL and listen-address parsing for the configuration: strict, bounded,
 * and with a message saying what is wrong. */
#include "common/netaddr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Digits only, 1..65535, nothing after. */
static int parse_port(const char *s, size_t n, uint16_t *out)
{
	if (n == 0 || n > 5)
		return -EINVAL;
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

static bool is_host_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_';
}

/*
 * Splits "host[:port]" or "[v6][:port]" of length n. Returns 0 or -EINVAL
 * with msg set; *port_at is the port text or NULL.
 */
static int split_host_port(const char *s, size_t n, char *host, size_t host_len, const char **port_at,
			   size_t *port_len, char *msg, size_t msg_len)
{
	const char *h = s, *hend;
	const char *rest;
	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close) {
			snprintf(msg, msg_len, "IPv6 address without ']'");
			return -EINVAL;
		}
		h = s + 1;
		hend = close;
		rest = close + 1;
		char v6[64];
		struct in6_addr a;
		if ((size_t)(hend - h) >= sizeof(v6)) {
			snprintf(msg, msg_len, "bad IPv6 address");
			return -EINVAL;
		}
		memcpy(v6, h, (size_t)(hend - h));
		v6[hend - h] = '\0';
		if (inet_pton(AF_INET6, v6, &a) != 1) {
			snprintf(msg, msg_len, "bad IPv6 address '%s'", v6);
			return -EINVAL;
		}
	} else {
		hend = s;
		while (hend < s + n && *hend != ':')
			hend++;
		rest = hend;
		for (const char *p = h; p < hend; p++) {
			if (!is_host_char(*p)) {
				snprintf(msg, msg_len, "bad character '%c' in host", *p);
				return -EINVAL;
			}
		}
	}
	if (hend == h) {
		snprintf(msg, msg_len, "no host");
		return -EINVAL;
	}
	if ((size_t)(hend - h) >= host_len) {
		snprintf(msg, msg_len, "host too long");
		return -ENAMETOOLONG;
	}
	memcpy(host, h, (size_t)(hend - h));
	host[hend - h] = '\0';
	*port_at = NULL;
	*port_len = 0;
	if (rest < s + n) {
		if (*rest != ':') {
			snprintf(msg, msg_len, "unexpected '%c' after the host", *rest);
			return -EINVAL;
		}
		*port_at = rest + 1;
		*port_len = (size_t)(s + n - rest - 1);
	}
	return 0;
}

int netaddr_url_parse(const char *url, struct netaddr_url *out, char *msg, size_t msg_len)
{
	memset(out, 0, sizeof(*out));
	const char *p;
	if (strncmp(url, "wss://", 6) == 0) {
		out->tls = true;
		p = url + 6;
	} else if (strncmp(url, "ws://", 5) == 0) {
		p = url + 5;
	} else {
		snprintf(msg, msg_len, "the scheme must be ws:// or wss://");
		return -EINVAL;
	}
	size_t auth_len = strcspn(p, "/?");
	const char *port_at;
	size_t port_len;
	int rc = split_host_port(p, auth_len, out->host, sizeof(out->host), &port_at, &port_len, msg, msg_len);
	if (rc < 0)
		return rc;
	if (port_at) {
		if (parse_port(port_at, port_len, &out->port) < 0) {
			snprintf(msg, msg_len, "the port must be a number from 1 to 65535");
			return -EINVAL;
		}
		out->has_port = true;
	} else {
		out->port = out->tls ? 443 : 80;
	}
	const char *path = p + auth_len;
	size_t path_len = strlen(path);
	if (path_len >= sizeof(out->path)) {
		snprintf(msg, msg_len, "path too long");
		return -ENAMETOOLONG;
	}
	for (size_t i = 0; i < path_len; i++) {
		if ((unsigned char)path[i] <= ' ' || path[i] == 0x7f) {
			snprintf(msg, msg_len, "space or control character in the path");
			return -EINVAL;
		}
	}
	memcpy(out->path, path, path_len + 1);
	return 0;
}

int netaddr_listen_parse(const char *s, char *host, size_t host_len, uint16_t *port, char *msg, size_t msg_len)
{
	char h[NETADDR_HOST_MAX];
	const char *port_at;
	size_t port_len;
	uint16_t pv;
	int rc = split_host_port(s, strlen(s), h, sizeof(h), &port_at, &port_len, msg, msg_len);
	if (rc < 0)
		return rc;
	if (!port_at || parse_port(port_at, port_len, &pv) < 0) {
		snprintf(msg, msg_len, "expected host:port with a port from 1 to 65535");
		return -EINVAL;
	}
	/* The HTTP server binds IPv4 only. */
	struct in_addr a4;
	if (strcmp(h, "localhost") != 0 && inet_pton(AF_INET, h, &a4) != 1) {
		snprintf(msg, msg_len, "the host must be an IPv4 address or localhost");
		return -EINVAL;
	}
	if (host) {
		if (strlen(h) >= host_len) {
			snprintf(msg, msg_len, "host too long");
			return -ENAMETOOLONG;
		}
		memcpy(host, h, strlen(h) + 1);
	}
	if (port)
		*port = pv;
	return 0;
}
