/* A small HTTP/1.1 server in the supervisor's loop: routes the four
 * endpoints and answers errors (400, 404, 405, 408-by-close, 431) itself.
 * Bounds come from netserver: 8 KiB of headers, 5 s, 64 connections. */
#include "supervisor/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "supervisor/health.h"
#include "supervisor/http_request.h"
#include "supervisor/metrics.h"
#include "supervisor/strbuf.h"
#include "supervisor/universe.h"

#define HTTP_MAX_CONNS 64
#define HTTP_TIMEOUT_MS 5000

static const char *status_text(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	}
	return "Unknown";
}

/* Queue a complete response. */
static int http_reply(struct netconn *conn, int code, const char *content_type, const char *body, size_t body_len,
		      bool head_only)
{
	struct strbuf out;
	strbuf_init(&out);
	strbuf_printf(&out,
		      "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nCache-Control: no-store\r\n"
		      "Connection: close\r\n%s\r\n",
		      code, status_text(code), content_type, body_len, code == 405 ? "Allow: GET, HEAD\r\n" : "");
	if (body_len && !head_only)
		strbuf_append(&out, body, body_len);
	if (out.failed) {
		strbuf_free(&out);
		return -1;
	}
	size_t len;
	char *data = strbuf_take(&out, &len);
	netserver_reply(conn, data, len);
	return 1;
}

static int http_reply_text(struct netconn *conn, int code, const char *text)
{
	char line[128];
	int n = snprintf(line, sizeof(line), "%s\n", text);
	return http_reply(conn, code, "text/plain; charset=utf-8", line, (size_t)n, false);
}

/* /health and /ready: JSON rendered by health.c. */
static int http_reply_json(struct netconn *conn, struct supervisor *s, bool ready, bool head_only)
{
	struct jsonw w;
	char *buf = health_json_begin(&w);
	if (!buf)
		return http_reply_text(conn, 500, "out of memory");
	int code = 200;
	if (ready)
		code = health_render_ready(s, &w) ? 200 : 503;
	else
		health_render(s, &w);
	size_t len;
	int rc;
	if (health_json_end(&w, &len) < 0) {
		rc = http_reply_text(conn, 500, "response too large");
	} else {
		rc = http_reply(conn, code, "application/json", buf, len, head_only);
	}
	free(buf);
	return rc;
}

static int http_route(struct supervisor *s, struct netconn *conn, const struct http_request *req)
{
	bool head = strcmp(req->method, "HEAD") == 0;
	if (!head && strcmp(req->method, "GET") != 0)
		return http_reply_text(conn, 405, "only GET and HEAD are served");
	if (strcmp(req->path, "/ping") == 0)
		return http_reply_text(conn, 200, "pong");
	if (strcmp(req->path, "/health") == 0 || strcmp(req->path, "/ready") == 0)
		return http_reply_json(conn, s, strcmp(req->path, "/ready") == 0, head);
	if (strcmp(req->path, "/universe") == 0) {
		size_t len;
		char *js = universe_render(s, false, &len);
		int urc = js ? http_reply(conn, 200, "application/json", js, len, head)
			     : http_reply_text(conn, 500, "out of memory");
		free(js);
		return urc;
	}
	if (strcmp(req->path, "/metrics") != 0)
		return http_reply_text(conn, 404, "not found: try /ping, /health, /ready, /metrics or /universe");
	struct strbuf b;
	strbuf_init(&b);
	metrics_render(s, &b);
	int rc = b.failed ? http_reply_text(conn, 500, "response too large")
			  : http_reply(conn, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len, head);
	strbuf_free(&b);
	return rc;
}

static int http_on_input(void *ctx, struct netconn *conn, const char *in, size_t len, bool full)
{
	struct http_request req;
	switch (http_request_parse(in, len, &req)) {
	case HTTP_PARSE_INCOMPLETE:
		return full ? http_reply_text(conn, 431, "request headers too large (max 8192 bytes)") : 0;
	case HTTP_PARSE_BAD:
		return http_reply_text(conn, 400, "bad request");
	case HTTP_PARSE_TOO_LONG:
		return http_reply_text(conn, 414, "request target too long");
	case HTTP_PARSE_OK:
		break;
	}
	return http_route(ctx, conn, &req);
}

static const struct netserver_ops http_ops = {
	.what = "http",
	.in_max = HTTP_REQUEST_MAX,
	.max_conns = HTTP_MAX_CONNS,
	.timeout_ms = HTTP_TIMEOUT_MS,
	.on_accept = NULL,
	.on_input = http_on_input,
};

int http_open(struct supervisor *s)
{
	int rc = netserver_open_tcp(&s->http, s->epfd, s->cfg->http_listen, &http_ops, s);
	if (rc == 0)
		log_info("http: serving /ping /health /ready /metrics on %s", s->cfg->http_listen);
	return rc;
}
