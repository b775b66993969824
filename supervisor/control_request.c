/* Parses control requests with jsmn: a flat object with string values,
 * keys "cmd" and "name". Anything else is refused with a reason. */
#include "supervisor/control_request.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define JSMN_STATIC
#include <jsmn.h>

int control_socket_path(const struct config *cfg, char *out, size_t out_len)
{
	int n = snprintf(out, out_len, "%s/%s", cfg->runtime_dir, CONTROL_SOCKET_NAME);
	return n < 0 || (size_t)n >= out_len ? -ENAMETOOLONG : 0;
}

static const char *const cmd_names[] = {
	[CONTROL_STATUS] = "status", [CONTROL_RESTART] = "restart", [CONTROL_STOP] = "stop",
	[CONTROL_START] = "start",   [CONTROL_RELOAD] = "reload", [CONTROL_UNIVERSE] = "universe",
};

const char *control_cmd_name(enum control_cmd cmd)
{
	return cmd_names[cmd];
}

int control_cmd_from_name(const char *name, enum control_cmd *out)
{
	for (size_t i = 0; i < sizeof(cmd_names) / sizeof(cmd_names[0]); i++) {
		if (strcmp(name, cmd_names[i]) == 0) {
			*out = (enum control_cmd)i;
			return 0;
		}
	}
	return -EINVAL;
}

int control_cmd_takes_name(enum control_cmd cmd)
{
	return cmd == CONTROL_RESTART || cmd == CONTROL_STOP || cmd == CONTROL_START;
}

static int token_eq(const char *js, const jsmntok_t *t, const char *s)
{
	size_t n = (size_t)(t->end - t->start);
	return t->type == JSMN_STRING && strlen(s) == n && memcmp(js + t->start, s, n) == 0;
}

/* Copy a string token that holds no escapes (names never need any). */
static int token_copy(const char *js, const jsmntok_t *t, char *out, size_t out_len)
{
	size_t n = (size_t)(t->end - t->start);
	if (t->type != JSMN_STRING || n >= out_len || memchr(js + t->start, '\\', n))
		return -EINVAL;
	memcpy(out, js + t->start, n);
	out[n] = '\0';
	return 0;
}

int control_request_parse(const char *line, size_t len, struct control_request *req, char *err, size_t err_len)
{
	jsmn_parser p;
	jsmntok_t tok[16];
	memset(req, 0, sizeof(*req));
	jsmn_init(&p);
	int n = jsmn_parse(&p, line, len, tok, sizeof(tok) / sizeof(tok[0]));
	if (n < 1 || tok[0].type != JSMN_OBJECT) {
		snprintf(err, err_len, "malformed request: want one JSON object per line, e.g. {\"cmd\":\"status\"}");
		return -EINVAL;
	}
	if (tok[0].size * 2 + 1 != n) {
		snprintf(err, err_len, "malformed request: nested values are not allowed");
		return -EINVAL;
	}
	char cmd[16] = "";
	int have_cmd = 0, have_name = 0;
	/* A flat object: key, value, key, value ... */
	for (int i = 1; i + 1 < n; i += 2) {
		const jsmntok_t *k = &tok[i], *v = &tok[i + 1];
		if (v->size != 0 || v->type != JSMN_STRING) {
			snprintf(err, err_len, "malformed request: values must be strings");
			return -EINVAL;
		}
		if (token_eq(line, k, "cmd")) {
			if (token_copy(line, v, cmd, sizeof(cmd)) < 0 || control_cmd_from_name(cmd, &req->cmd) < 0) {
				snprintf(err, err_len,
					 "unknown command (want status, restart NAME, stop NAME, start NAME or reload)");
				return -EINVAL;
			}
			have_cmd = 1;
		} else if (token_eq(line, k, "name")) {
			if (token_copy(line, v, req->name, sizeof(req->name)) < 0 || !req->name[0]) {
				snprintf(err, err_len, "bad name: want an exchange name, \"aggregator\" or \"writer\"");
				return -EINVAL;
			}
			have_name = 1;
		} else {
			snprintf(err, err_len, "malformed request: unknown key (want \"cmd\" and \"name\")");
			return -EINVAL;
		}
	}
	if (!have_cmd) {
		snprintf(err, err_len, "malformed request: \"cmd\" is missing");
		return -EINVAL;
	}
	if (control_cmd_takes_name(req->cmd) && !have_name) {
		snprintf(err, err_len, "%s needs a \"name\"", control_cmd_name(req->cmd));
		return -EINVAL;
	}
	if (!control_cmd_takes_name(req->cmd) && have_name) {
		snprintf(err, err_len, "%s takes no \"name\"", control_cmd_name(req->cmd));
		return -EINVAL;
	}
	return 0;
}
