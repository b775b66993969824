/* Checking and splitting the network addresses of the configuration:
 * WebSocket URLs (ws://, wss://) and listen addresses (host:port). */
#ifndef SPREADBUS_COMMON_NETADDR_H
#define SPREADBUS_COMMON_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETADDR_HOST_MAX 256
#define NETADDR_PATH_MAX 256

struct netaddr_url {
	bool tls;                     /* wss:// */
	char host[NETADDR_HOST_MAX];  /* without the [] of an IPv6 literal */
	uint16_t port;                /* 443 for wss, 80 for ws when the URL has none */
	bool has_port;
	char path[NETADDR_PATH_MAX];  /* "/..." with any query; "" when the URL has none */
};

/* "ws[s]://host[:port][/path]". Returns 0, or -EINVAL / -ENAMETOOLONG with
 * a one-line reason in msg. */
int netaddr_url_parse(const char *url, struct netaddr_url *out, char *msg, size_t msg_len);

/* "IPv4:port" or "localhost:port", port 1..65535 (what the supervisor's
 * HTTP server can bind). host may be NULL. */
int netaddr_listen_parse(const char *s, char *host, size_t host_len, uint16_t *port, char *msg, size_t msg_len);

#endif
