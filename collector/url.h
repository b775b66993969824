/* WebSocket endpoint URLs: "ws[s]://host[:port][/path[?query]]" split into
 * what libwebsockets needs. */
#ifndef SPREADBUS_COLLECTOR_URL_H
#define SPREADBUS_COLLECTOR_URL_H

#include <stdbool.h>

#define URL_HOST_MAX 256
#define URL_PATH_MAX 256

struct ws_url {
	bool tls;
	char host[URL_HOST_MAX];
	int port;
	char path[URL_PATH_MAX]; /* starts with '/'; "" when the URL has none */
};

/* Returns 0 or -EINVAL (bad scheme, empty host, bad port) / -ENAMETOOLONG. */
int url_parse(const char *url, struct ws_url *out);

#endif
