/* Serves spreadctl: checks the peer's uid, parses one request line, runs
 * the command against the child table and replies with one JSON line. */
#include "supervisor/control.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "supervisor/control_request.h"
#include "supervisor/health.h"
#include "supervisor/universe.h"

#define CONTROL_MAX_CLIENTS 16
#define CONTROL_TIMEOUT_MS 5000

static int control_on_accept(void *ctx, int fd)
{
	(void)ctx;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	/* The socket mode already keeps others out; this also covers a socket
	 * file whose mode someone loosened. */
	if (cred.uid != geteuid()) {
		static struct log_limit lim;
		log_limited(&lim, LOG_LVL_WARNING, "control: refused client pid %d uid %u (service uid %u)",
			    (int)cred.pid, (unsigned)cred.uid, (unsigned)geteuid());
		return -EPERM;
	}
	return 0;
}

static void render_status(struct jsonw *w, struct supervisor *s)
{
	int64_t now = clock_monotonic_ns(), now_real = clock_realtime_ns();
	jsonw_object_begin(w);
	jsonw_kv_bool(w, "ok", true);
	jsonw_kv_string(w, "instance", s->cfg->instance);
	jsonw_kv_int64(w, "pid", getpid());
	jsonw_kv_double(w, "uptime_s", (double)((now - s->started_mono_ns) / 100000000) / 10.0);
	/* The bound port, also when [http] listen asked for port 0. */
	if (s->http)
		jsonw_kv_int64(w, "http_port", netserver_port(s->http));
	jsonw_key(w, "children");
	jsonw_array_begin(w);
	for (size_t i = 0; i < s->child_count; i++)
		health_render_child(w, s, &s->children[i], now, now_real);
	jsonw_array_end(w);
	jsonw_object_end(w);
}

static void render_result(struct jsonw *w, const char *error)
{
	jsonw_object_begin(w);
	jsonw_kv_bool(w, "ok", error == NULL);
	if (error)
		jsonw_kv_string(w, "error", error);
	jsonw_object_end(w);
}

static void run_request(struct supervisor *s, const struct control_request *req, struct jsonw *w)
{
	char err[512] = "";
	int rc = 0;
	if (req->cmd == CONTROL_STATUS) {
		render_status(w, s);
		return;
	}
	if (req->cmd == CONTROL_RELOAD) {
		log_info("control: reload requested");
		rc = supervisor_reload(s, err, sizeof(err));
		if (rc < 0)
			log_err("reload refused: %s", err);
	} else {
		struct child *c = supervisor_find_child(s, req->name);
		if (!c) {
			snprintf(err, sizeof(err), "unknown child \"%s\" (want a configured exchange, aggregator or writer)",
				 req->name);
			render_result(w, err);
			return;
		}
		log_info("control: %s %s", control_cmd_name(req->cmd), c->name);
		if (req->cmd == CONTROL_RESTART)
			rc = supervisor_child_restart(s, c, err, sizeof(err));
		else if (req->cmd == CONTROL_STOP)
			rc = supervisor_child_stop(s, c, err, sizeof(err));
		else
			rc = supervisor_child_start(s, c, err, sizeof(err));
	}
	render_result(w, rc < 0 ? err : NULL);
}

static int control_on_input(void *ctx, struct netconn *conn, const char *in, size_t len, bool full)
{
	struct supervisor *s = ctx;
	const char *nl = memchr(in, '\n', len);
	if (!nl && !full)
		return 0;
	struct jsonw w;
	char *buf = health_json_begin(&w);
	if (!buf)
		return -ENOMEM;
	if (!nl) {
		render_result(&w, "request too large (max 4096 bytes per line)");
	} else {
		struct control_request req;
		char err[256];
		if (control_request_parse(in, (size_t)(nl - in), &req, err, sizeof(err)) < 0) {
			render_result(&w, err);
		} else if (req.cmd == CONTROL_UNIVERSE) {
			/* thousands of symbols: larger than any other reply */
			size_t js_len;
			char *js = universe_render(s, true, &js_len);
			if (js) {
				free(buf);
				netserver_reply(conn, js, js_len);
				return 1;
			}
			render_result(&w, "out of memory");
		} else {
			run_request(s, &req, &w);
		}
	}
	size_t out_len;
	if (health_json_end(&w, &out_len) < 0) {
		log_err("control: reply does not fit in %d bytes", HEALTH_JSON_MAX);
		free(buf);
		return -ENOSPC;
	}
	netserver_reply(conn, buf, out_len);
	return 1;
}

static const struct netserver_ops control_ops = {
	.what = "control",
	.in_max = CONTROL_REQUEST_MAX,
	.max_conns = CONTROL_MAX_CLIENTS,
	.timeout_ms = CONTROL_TIMEOUT_MS,
	.on_accept = control_on_accept,
	.on_input = control_on_input,
};

int control_open(struct supervisor *s)
{
	char path[CONFIG_PATH_MAX + 32];
	int rc = control_socket_path(s->cfg, path, sizeof(path));
	if (rc < 0) {
		log_err("control socket path too long: %s/%s", s->cfg->runtime_dir, CONTROL_SOCKET_NAME);
		return rc;
	}
	return netserver_open_unix(&s->control, s->epfd, path, 0600, &control_ops, s);
}
