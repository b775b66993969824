/* Splitting ws:// and wss:// URLs; the port defaults to 80 / 443 and an
 * empty path stays empty so the adapter's standard path can be used. */
#include "collector/url.h"

#include <errno.h>
#include <string.h>

int url_parse(const char *url, struct ws_url *out)
{
	const char *p;
	memset(out, 0, sizeof(*out));
	if (strncmp(url, "wss://", 6) == 0) {
		out->tls = true;
		out->port = 443;
		p = url + 6;
	} else if (strncmp(url, "ws://", 5) == 0) {
		out->port = 80;
		p = url + 5;
	} else {
		return -EINVAL;
	}
	/* an IPv6 literal comes in brackets: [::1]:9001 */
	bool bracket = *p == '[';
	size_t host_len = bracket ? strcspn(p + 1, "]") : strcspn(p, ":/?");
	if (host_len == 0 || (bracket && p[1 + host_len] != ']'))
		return -EINVAL;
	if (host_len >= sizeof(out->host))
		return -ENAMETOOLONG;
	memcpy(out->host, p + bracket, host_len);
	p += host_len + 2 * bracket;
	if (*p == ':') {
		long port = 0;
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		while (*p >= '0' && *p <= '9') {
			port = port * 10 + (*p++ - '0');
			if (port > 65535)
				return -EINVAL;
		}
		if (port == 0)
			return -EINVAL;
		out->port = (int)port;
	}
	/* a query without a path ("ws://h:1?x") gets the root path */
	size_t off = *p == '?' ? 1 : 0;
	if (*p != '\0' && *p != '/' && *p != '?')
		return -EINVAL;
	if (strlen(p) + off >= sizeof(out->path))
		return -ENAMETOOLONG;
	out->path[0] = '/';
	memcpy(out->path + off, p, strlen(p) + 1);
	return 0;
}
