/* Non-blocking one-request servers: nothing a client does (send slowly,
 * send too much, send nothing, open many connections) can make the loop
 * wait or grow without bound. */
#include "supervisor/netserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "supervisor/event.h"

enum netconn_phase {
	NC_READING,  /* collecting the request */
	NC_WRITING,  /* sending the reply */
	NC_DRAINING, /* reply sent, write side shut: discard input until the peer closes */
};

struct netconn {
	struct event_watch watch;
	struct netserver *srv;
	enum netconn_phase phase;
	int64_t accepted_ns;
	int64_t deadline_ns;
	char *in;
	size_t in_len;
	char *out;
	size_t out_len;
	size_t out_sent;
};

struct netserver {
	struct event_watch watch;
	int epfd;
	const struct netserver_ops *ops;
	void *ctx;
	struct netconn **conns;
	unsigned conn_count;
	char unix_path[108];
	int port;
};

static void conn_close(struct netconn *c)
{
	struct netserver *s = c->srv;
	event_del(s->epfd, &c->watch);
	close(c->watch.fd);
	for (unsigned i = 0; i < s->conn_count; i++) {
		if (s->conns[i] == c) {
			s->conns[i] = s->conns[--s->conn_count];
			break;
		}
	}
	free(c->in);
	free(c->out);
	free(c);
}

static void conn_finish_write(struct netconn *c)
{
	/* Shut our side and read until the peer closes: closing with unread
	 * input would send a RST that can destroy the reply in flight (e.g. a
	 * 431 to a client still sending its headers). */
	shutdown(c->watch.fd, SHUT_WR);
	c->phase = NC_DRAINING;
	if (event_mod(c->srv->epfd, &c->watch, EPOLLIN) < 0)
		conn_close(c);
}

static void conn_write(struct netconn *c)
{
	while (c->out_sent < c->out_len) {
		ssize_t n = send(c->watch.fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				if (event_mod(c->srv->epfd, &c->watch, EPOLLOUT) < 0)
					conn_close(c);
				return;
			}
			conn_close(c);
			return;
		}
		c->out_sent += (size_t)n;
	}
	conn_finish_write(c);
}

void netserver_reply(struct netconn *c, char *data, size_t len)
{
	free(c->out);
	c->out = data;
	c->out_len = data ? len : 0;
	c->out_sent = 0;
	c->phase = NC_WRITING;
}

static void conn_discard_input(struct netconn *c)
{
	char sink[4096];
	for (;;) {
		ssize_t n = recv(c->watch.fd, sink, sizeof(sink), 0);
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		conn_close(c); /* EOF or error: done */
		return;
	}
}

static void conn_read(struct netconn *c)
{
	const struct netserver_ops *ops = c->srv->ops;
	bool eof = false;
	while (c->in_len < ops->in_max) {
		ssize_t n = recv(c->watch.fd, c->in + c->in_len, ops->in_max - c->in_len, 0);
		if (n > 0) {
			c->in_len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		eof = true;
		break;
	}
	c->in[c->in_len] = '\0';
	int rc = ops->on_input(c->srv->ctx, c, c->in, c->in_len, c->in_len >= ops->in_max);
	if (rc > 0) {
		conn_write(c);
		return;
	}
	/* Waiting for more is pointless once the peer closed or the buffer is full. */
	if (rc < 0 || eof || c->in_len >= ops->in_max)
		conn_close(c);
}

static void conn_on_event(struct event_watch *w, uint32_t events)
{
	struct netconn *c = (struct netconn *)w;
	if (c->phase == NC_DRAINING) {
		conn_discard_input(c);
		return;
	}
	if (c->phase == NC_WRITING) {
		if (events & (EPOLLERR | EPOLLHUP))
			conn_close(c);
		else
			conn_write(c);
		return;
	}
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
		conn_read(c);
}

/* At the cap, the oldest connection still waiting for its request makes
 * room: a flood of idle connections cannot lock out a real client. */
static bool server_make_room(struct netserver *s)
{
	if (s->conn_count < s->ops->max_conns)
		return true;
	struct netconn *oldest = NULL;
	for (unsigned i = 0; i < s->conn_count; i++)
		if (s->conns[i]->phase != NC_WRITING && (!oldest || s->conns[i]->accepted_ns < oldest->accepted_ns))
			oldest = s->conns[i];
	if (!oldest)
		return false;
	conn_close(oldest);
	return true;
}

static void server_accept_one(struct netserver *s, int fd)
{
	if (s->ops->on_accept && s->ops->on_accept(s->ctx, fd) < 0) {
		close(fd);
		return;
	}
	if (!server_make_room(s)) {
		close(fd);
		return;
	}
	struct netconn *c = calloc(1, sizeof(*c));
	char *in = malloc(s->ops->in_max + 1);
	if (!c || !in) {
		log_err("%s: out of memory for a connection", s->ops->what);
		free(c);
		free(in);
		close(fd);
		return;
	}
	c->watch.on_event = conn_on_event;
	c->watch.fd = fd;
	c->srv = s;
	c->in = in;
	c->phase = NC_READING;
	c->accepted_ns = clock_monotonic_ns();
	c->deadline_ns = c->accepted_ns + (int64_t)s->ops->timeout_ms * 1000000LL;
	if (event_add(s->epfd, &c->watch, EPOLLIN) < 0) {
		free(c->in);
		free(c);
		close(fd);
		return;
	}
	s->conns[s->conn_count++] = c;
}

static void server_on_event(struct event_watch *w, uint32_t events)
{
	struct netserver *s = (struct netserver *)w;
	(void)events;
	/* Bounded per wakeup so a connect flood cannot starve the other sources. */
	for (int i = 0; i < 64; i++) {
		int fd = accept4(s->watch.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				static struct log_limit lim;
				log_limited(&lim, LOG_LVL_WARNING, "%s: accept failed: %s", s->ops->what,
					    strerror(errno));
			}
			return;
		}
		server_accept_one(s, fd);
	}
}

static int server_new(struct netserver **out, int epfd, int fd, const struct netserver_ops *ops, void *ctx)
{
	struct netserver *s = calloc(1, sizeof(*s));
	if (s)
		s->conns = calloc(ops->max_conns, sizeof(*s->conns));
	if (!s || !s->conns) {
		free(s);
		return -ENOMEM;
	}
	s->watch.on_event = server_on_event;
	s->watch.fd = fd;
	s->epfd = epfd;
	s->ops = ops;
	s->ctx = ctx;
	int rc = event_add(epfd, &s->watch, EPOLLIN);
	if (rc < 0) {
		free(s->conns);
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || (size_t)(colon - listen) >= 64)
		return -EINVAL;
	char host[64];
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port > 65535)
		return -EINVAL;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &sa->sin_addr) != 1)
		return -EINVAL;
	return 0;
}

int netserver_open_tcp(struct netserver **out, int epfd, const char *listen_addr, const struct netserver_ops *ops,
		       void *ctx)
{
	struct sockaddr_in sa;
	int rc = parse_listen(listen_addr, &sa);
	if (rc < 0) {
		log_err("%s: cannot parse listen address \"%s\" (want IPv4:PORT)", ops->what, listen_addr);
		return rc;
	}
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 128) < 0) {
		rc = -errno;
		log_err("%s: cannot listen on %s: %s", ops->what, listen_addr, strerror(-rc));
		close(fd);
		return rc;
	}
	socklen_t len = sizeof(sa);
	getsockname(fd, (struct sockaddr *)&sa, &len);
	rc = server_new(out, epfd, fd, ops, ctx);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	(*out)->port = ntohs(sa.sin_port);
	return 0;
}

/* Is somebody answering on the socket file? Then it is not stale. */
static bool unix_socket_live(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool live = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	return live;
}

int netserver_open_unix(struct netserver **out, int epfd, const char *path, mode_t mode,
			const struct netserver_ops *ops, void *ctx)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_err("%s: socket path too long (%zu bytes, max %zu): %s", ops->what, strlen(path),
			sizeof(sa.sun_path) - 1, path);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (unix_socket_live(&sa)) {
		log_err("%s: %s is in use by a running process", ops->what, path);
		return -EADDRINUSE;
	}
	unlink(path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* The umask closes the window between bind and chmod in which the
	 * socket would be reachable with the default mode. */
	mode_t old = umask(0777 & ~mode);
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || chmod(path, mode) < 0 || listen(fd, 32) < 0) {
		rc = -errno;
		log_err("%s: cannot listen on %s: %s", ops->what, path, strerror(-rc));
		close(fd);
		unlink(path);
		return rc;
	}
	rc = server_new(out, epfd, fd, ops, ctx);
	if (rc < 0) {
		close(fd);
		unlink(path);
		return rc;
	}
	snprintf((*out)->unix_path, sizeof((*out)->unix_path), "%s", path);
	return 0;
}

int netserver_port(const struct netserver *s)
{
	return s->port;
}

void netserver_tick(struct netserver *s, int64_t now_mono_ns)
{
	for (unsigned i = 0; i < s->conn_count;) {
		struct netconn *c = s->conns[i];
		if (now_mono_ns >= c->deadline_ns)
			conn_close(c); /* moves the last connection into slot i */
		else
			i++;
	}
}

void netserver_close(struct netserver *s)
{
	if (!s)
		return;
	while (s->conn_count)
		conn_close(s->conns[0]);
	event_del(s->epfd, &s->watch);
	close(s->watch.fd);
	if (s->unix_path[0])
		unlink(s->unix_path);
	free(s->conns);
	free(s);
}
