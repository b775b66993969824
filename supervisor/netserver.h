/* A small non-blocking stream server inside the supervisor's epoll loop:
 * bounded input per connection, a deadline per connection, a cap on
 * connections, one request and one reply per connection. Used by the HTTP
 * endpoints (TCP) and the control socket (unix). */
#ifndef SPREADBUS_SUPERVISOR_NETSERVER_H
#define SPREADBUS_SUPERVISOR_NETSERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct netserver;
struct netconn;

struct netserver_ops {
	const char *what;     /* "http", "control": names the server in log lines */
	size_t in_max;        /* bytes of request accepted per connection */
	unsigned max_conns;   /* beyond this the oldest unanswered connection is dropped */
	int timeout_ms;       /* a connection lives at most this long */
	/* A peer connected; return 0 to keep it, < 0 to close it at once. */
	int (*on_accept)(void *ctx, int fd);
	/* Bytes arrived (in[0..len) is everything so far, NUL-terminated); full
	 * is true when len reached in_max. Return 0 to wait for more, 1 after
	 * queueing the reply with netserver_reply, < 0 to close now. */
	int (*on_input)(void *ctx, struct netconn *c, const char *in, size_t len, bool full);
};

/* listen "HOST:PORT" (IPv4 literal or "localhost"). */
int netserver_open_tcp(struct netserver **out, int epfd, const char *listen, const struct netserver_ops *ops,
		       void *ctx);
/* A unix socket at path with the given mode; a stale socket file (nobody
 * answering) is replaced, a live one is -EADDRINUSE. */
int netserver_open_unix(struct netserver **out, int epfd, const char *path, mode_t mode,
			const struct netserver_ops *ops, void *ctx);
/* The port actually bound (for listen ports given as 0). */
int netserver_port(const struct netserver *s);
/* Close connections whose deadline passed. */
void netserver_tick(struct netserver *s, int64_t now_mono_ns);
/* Close everything; a unix socket file is removed. */
void netserver_close(struct netserver *s);

/* Queue the reply (takes ownership of data, malloc'ed); the connection is
 * closed once it is sent. */
void netserver_reply(struct netconn *c, char *data, size_t len);

#endif
