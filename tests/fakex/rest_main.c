/* spreadbus-fakex-rest: the fake exchanges' public REST APIs (instruments
 * and 24 h tickers of the ten exchanges in rest_universe.h) over HTTP/1.1
 * with keep-alive, from a generated universe, misbehaving on command, with
 * a request log on stdout. Usage: docs/universe.md ("The fake REST exchanges"). */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tests/fakex/rest_trades.h"
#include "tests/fakex/rest_universe.h"

#define MAX_EXCHANGES REST_UNIVERSE_EXCHANGES
#define MAX_CONNS 64
#define IN_MAX 8192

/* Binance's request weight of historicalTrades */
#define BINANCE_TRADES_WEIGHT 25

struct misbehave {
	char what[16];      /* 429 418 403 500 503 slow hang truncated garbage code */
	unsigned n;         /* next n API requests */
	unsigned after;     /* ... once this many more have been answered well */
	unsigned retry_after_s;
	unsigned delay_ms;
	char path[96];      /* only requests whose path starts so (empty: any) */
};

struct exchange {
	bool on;
	int port, lfd;
	struct rest_bodies bodies;
	struct misbehave mis;
	unsigned weight_used;
	long weight_minute;
	unsigned requests;
};

struct conn {
	int fd, id, ex;
	char in[IN_MAX];
	size_t in_len;
	char *out;
	size_t out_len, out_off;
	bool close_after, hang;
	long long send_at_ms;
};

static volatile sig_atomic_t stop_flag;
static struct exchange exchanges[MAX_EXCHANGES];
static struct conn conns[MAX_CONNS];
static int next_conn_id = 1;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void log_request(struct conn *c, const char *target, int status, const char *what)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	printf("fakex-rest %lld.%03ld %s %d GET %s %d%s%s\n", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
	       (ts.tv_nsec / 1000) % 1000, rest_universe_name(c->ex), c->id, target, status, what ? " " : "", what ? what : "");
	fflush(stdout);
}

static const char *reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 418: return "I'm a teapot";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	}
	return "Other";
}

/* Queue an answer; body_len may be less than content_length (truncated). */
static void reply(struct conn *c, int code, const char *extra, const char *body, size_t body_len, size_t content_length)
{
	char head[512];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s\r\n",
			 code, reason(code), content_length, extra ? extra : "");
	free(c->out);
	c->out = malloc((size_t)n + body_len);
	if (!c->out) {
		c->close_after = true;
		c->out_len = c->out_off = 0;
		return;
	}
	memcpy(c->out, head, (size_t)n);
	memcpy(c->out + n, body, body_len);
	c->out_len = (size_t)n + body_len;
	c->out_off = 0;
}

static unsigned query_uint(const char *q, const char *key, unsigned def)
{
	char pat[32];
	snprintf(pat, sizeof(pat), "%s=", key);
	const char *p = strstr(q, pat);
	return p ? (unsigned)strtoul(p + strlen(pat), NULL, 10) : def;
}

static void control(struct conn *c, const char *target, const char *query)
{
	struct exchange *x = &exchanges[c->ex];
	if (strcmp(target, "/_fakex/clear") == 0) {
		memset(&x->mis, 0, sizeof(x->mis));
	} else {
		const char *w = strstr(query, "what=");
		if (!w) {
			reply(c, 400, NULL, "{\"error\":\"what= missing\"}", 24, 24);
			return;
		}
		size_t n = strcspn(w + 5, "&");
		memset(&x->mis, 0, sizeof(x->mis));
		snprintf(x->mis.what, sizeof(x->mis.what), "%.*s", (int)n, w + 5);
		x->mis.n = query_uint(query, "n", 1);
		x->mis.after = query_uint(query, "after", 0);
		x->mis.retry_after_s = query_uint(query, "retry_after", 0);
		x->mis.delay_ms = query_uint(query, "delay_ms", 3000);
		const char *p = strstr(query, "path=");
		if (p)
			snprintf(x->mis.path, sizeof(x->mis.path), "%.*s", (int)strcspn(p + 5, "&"), p + 5);
	}
	log_request(c, target, 200, "control");
	reply(c, 200, NULL, "{\"ok\":true}", 11, 11);
}

/* An API request, answered well or as the pending misbehaviour says. */
static void api(struct conn *c, const char *target, const char *query, const char *body, size_t len,
		unsigned weight)
{
	struct exchange *x = &exchanges[c->ex];
	char extra[256] = "";
	char full[2100];
	snprintf(full, sizeof(full), "%s%s%s", target, query[0] ? "?" : "", query);
	x->requests++;
	if (rest_universe_weighted(c->ex)) {
		long minute = (long)(now_ms() / 60000);
		if (minute != x->weight_minute) {
			x->weight_minute = minute;
			x->weight_used = 0;
		}
		x->weight_used += weight;
		snprintf(extra, sizeof(extra), "X-MBX-USED-WEIGHT-1M: %u\r\n", x->weight_used);
	}
	bool aimed = strncmp(target, x->mis.path, strlen(x->mis.path)) == 0;
	if (x->mis.n == 0 || !aimed || x->mis.after) {
		if (aimed && x->mis.after)
			x->mis.after--;
		log_request(c, full, 200, NULL);
		reply(c, 200, extra, body, len, len);
		return;
	}
	x->mis.n--;
	const char *w = x->mis.what;
	int code = atoi(w);
	if (code >= 400) {
		char e2[320];
		snprintf(e2, sizeof(e2), "%s", extra);
		if (x->mis.retry_after_s)
			snprintf(e2 + strlen(e2), sizeof(e2) - strlen(e2), "Retry-After: %u\r\n", x->mis.retry_after_s);
		static const char err_body[] = "{\"code\":-1003,\"msg\":\"Too many requests.\"}";
		log_request(c, full, code, w);
		reply(c, code, e2, err_body, sizeof(err_body) - 1, sizeof(err_body) - 1);
	} else if (strcmp(w, "slow") == 0 || strcmp(w, "hang") == 0) {
		log_request(c, full, 200, w);
		reply(c, 200, extra, body, len, len);
		c->hang = strcmp(w, "hang") == 0;
		c->send_at_ms = now_ms() + x->mis.delay_ms;
	} else if (strcmp(w, "truncated") == 0) {
		log_request(c, full, 200, w);
		reply(c, 200, extra, body, len / 2, len);
		c->close_after = true;
	} else if (strcmp(w, "garbage") == 0) {
		static const char junk[] = "<html><body><h1>502 Bad Gateway</h1></body></html>";
		log_request(c, full, 200, w);
		reply(c, 200, extra, junk, sizeof(junk) - 1, sizeof(junk) - 1);
	} else {
		/* "code": HTTP 200 carrying the exchange's own error */
		const char *code_body = rest_universe_error_body(c->ex);
		log_request(c, full, 200, w);
		reply(c, 200, extra, code_body, strlen(code_body), strlen(code_body));
	}
}

static void handle_request(struct conn *c, char *req)
{
	char method[8], target[1024];
	if (sscanf(req, "%7s %1023s", method, target) != 2 || strcmp(method, "GET") != 0) {
		reply(c, 400, NULL, "{}", 2, 2);
		c->close_after = true;
		return;
	}
	if (strcasestr(req, "\r\nConnection: close"))
		c->close_after = true;
	char *q = strchr(target, '?');
	const char *query = "";
	if (q) {
		*q = '\0';
		query = q + 1;
	}
	if (strncmp(target, "/_fakex/", 8) == 0) {
		control(c, target, query);
		return;
	}
	if (rest_trades_route(target) == c->ex) {
		char *body;
		size_t len;
		int code = rest_trades_render(c->ex, query, now_ms(), &body, &len);
		if (code == 200)
			api(c, target, query, body, len, BINANCE_TRADES_WEIGHT);
		else if (code > 0) {
			log_request(c, target, code, NULL);
			reply(c, code, NULL, body, len, len);
		}
		else
			c->close_after = true;
		if (code > 0)
			free(body);
		return;
	}
	unsigned weight = 0;
	int which = rest_universe_route(c->ex, target, query, &weight);
	if (which < 0) {
		log_request(c, target, 404, NULL);
		reply(c, 404, NULL, "{\"error\":\"not found\"}", 21, 21);
		return;
	}
	struct exchange *x = &exchanges[c->ex];
	api(c, target, query, which == 0 ? x->bodies.info : x->bodies.tickers,
	    which == 0 ? x->bodies.info_len : x->bodies.tickers_len, weight);
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static int listen_on(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) < 0) {
		perror("spreadbus-fakex-rest: listen");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &alen);
	return ntohs(a.sin_port);
}

static int write_ready(const char *path)
{
	char tmp[1024];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	for (int e = 0; e < MAX_EXCHANGES; e++)
		if (exchanges[e].on)
			fprintf(f, "%s %d %zu\n", rest_universe_name(e), port_of(exchanges[e].lfd), exchanges[e].bodies.count);
	return fclose(f) == 0 && rename(tmp, path) == 0 ? 0 : -1;
}

static void serve_conn(struct conn *c, short revents)
{
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		ssize_t n = read(c->fd, c->in + c->in_len, sizeof(c->in) - 1 - c->in_len);
		if (n <= 0) {
			conn_close(c);
			return;
		}
		c->in_len += (size_t)n;
		c->in[c->in_len] = '\0';
	}
	char *end;
	/* one request at a time: the next waits until this answer is out */
	if (!c->out && (end = strstr(c->in, "\r\n\r\n"))) {
		*end = '\0';
		handle_request(c, c->in);
		size_t used = (size_t)(end + 4 - c->in);
		memmove(c->in, c->in + used, c->in_len - used + 1);
		c->in_len -= used;
	} else if (c->in_len >= sizeof(c->in) - 1) {
		conn_close(c);
		return;
	}
	if (c->out && !c->hang && now_ms() >= c->send_at_ms) {
		ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
		if (n < 0 && errno != EAGAIN) {
			conn_close(c);
			return;
		}
		if (n > 0)
			c->out_off += (size_t)n;
		if (c->out_off == c->out_len) {
			free(c->out);
			c->out = NULL;
			if (c->close_after)
				conn_close(c);
		}
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: spreadbus-fakex-rest --exchange NAME[:PORT] ... [--instruments N] [--seed N] "
			"[--pin BASE-QUOTE,...] [--ready-file F] [--fakex-control PORT] [--history-depth N]\n");
	return 2;
}

int main(int argc, char **argv)
{
	size_t instruments = 2000;
	uint64_t seed = 1;
	const char *ready = NULL, *pins = NULL;
	int fakex_control = 0;
	uint64_t history_depth = 0;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--exchange") == 0 && v) {
			char name[32];
			int port = 0;
			if (sscanf(v, "%31[a-z-]:%d", name, &port) < 1)
				return usage();
			int e = rest_universe_exchange(name);
			if (e < 0)
				return usage();
			exchanges[e].on = true;
			exchanges[e].port = port;
		} else if (strcmp(argv[i], "--instruments") == 0 && v) {
			instruments = strtoul(v, NULL, 10);
		} else if (strcmp(argv[i], "--seed") == 0 && v) {
			seed = strtoull(v, NULL, 10);
		} else if (strcmp(argv[i], "--ready-file") == 0 && v) {
			ready = v;
		} else if (strcmp(argv[i], "--pin") == 0 && v) {
			pins = v;
		} else if (strcmp(argv[i], "--fakex-control") == 0 && v) {
			fakex_control = (int)strtol(v, NULL, 10);
		} else if (strcmp(argv[i], "--history-depth") == 0 && v) {
			history_depth = strtoull(v, NULL, 10);
		} else {
			return usage();
		}
		i++;
	}
	rest_trades_configure(fakex_control, history_depth);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	for (int e = 0; e < MAX_EXCHANGES; e++) {
		if (!exchanges[e].on)
			continue;
		if (rest_universe_render(rest_universe_name(e), instruments, seed, pins, &exchanges[e].bodies) < 0 ||
		    (exchanges[e].lfd = listen_on(exchanges[e].port)) < 0)
			return 1;
	}
	for (int i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	if (ready && write_ready(ready) < 0) {
		perror("spreadbus-fakex-rest: ready file");
		return 1;
	}
	while (!stop_flag) {
		struct pollfd pfd[MAX_EXCHANGES + MAX_CONNS];
		int map[MAX_EXCHANGES + MAX_CONNS];
		int n = 0;
		for (int e = 0; e < MAX_EXCHANGES; e++)
			if (exchanges[e].on) {
				pfd[n] = (struct pollfd){ .fd = exchanges[e].lfd, .events = POLLIN };
				map[n++] = -1 - e;
			}
		for (int i = 0; i < MAX_CONNS; i++)
			if (conns[i].fd >= 0) {
				bool sending = conns[i].out && !conns[i].hang && now_ms() >= conns[i].send_at_ms;
				pfd[n] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN | (sending ? POLLOUT : 0) };
				map[n++] = i;
			}
		/* 20 ms steps: delayed answers leave on time */
		if (poll(pfd, (nfds_t)n, 20) < 0 && errno != EINTR)
			return 1;
		for (int k = 0; k < n; k++) {
			if (map[k] < 0) {
				if (!(pfd[k].revents & POLLIN))
					continue;
				int e = -1 - map[k];
				int fd = accept4(exchanges[e].lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
				int slot = 0;
				while (fd >= 0 && slot < MAX_CONNS && conns[slot].fd >= 0)
					slot++;
				if (fd >= 0 && slot == MAX_CONNS) {
					close(fd);
				} else if (fd >= 0) {
					conns[slot] = (struct conn){ .fd = fd, .id = next_conn_id++, .ex = e };
					printf("fakex-rest %lld.000 %s %d open\n", now_ms(), rest_universe_name(e), conns[slot].id);
					fflush(stdout);
				}
				continue;
			}
			struct conn *c = &conns[map[k]];
			if (c->fd >= 0)
				serve_conn(c, pfd[k].revents);
		}
	}
	for (int i = 0; i < MAX_CONNS; i++)
		if (conns[i].fd >= 0)
			conn_close(&conns[i]);
	for (int e = 0; e < MAX_EXCHANGES; e++)
		if (exchanges[e].on) {
			close(exchanges[e].lfd);
			rest_universe_free(&exchanges[e].bodies);
		}
	return 0;
}
