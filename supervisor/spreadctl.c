/* spreadctl: the operator's command line. Sends one JSON request line to
 * the supervisor's control socket and prints the reply (a table for
 * people, or the JSON itself with --json).
 * Exit codes: 0 ok, 1 error reply, 2 usage, 3 cannot connect. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/config.h"
#include "supervisor/control_request.h"
#include "supervisor/strbuf.h"
#include "supervisor/universe.h"

#define JSMN_STATIC
#include <jsmn.h>

#define EXIT_OK 0
#define EXIT_REPLY_ERROR 1
#define EXIT_USAGE 2
#define EXIT_CONNECT 3
#define DEFAULT_CONFIG "/etc/spreadbus/spreadbus.conf"
#define REPLY_TIMEOUT_MS 15000 /* a reload re-reads the config and the bus: allow it time */

static void usage(FILE *f)
{
	fprintf(f, "usage: spreadctl [--config FILE | --socket PATH] [--json] COMMAND [NAME]\n"
		   "commands: status, restart NAME, stop NAME, start NAME, reload, universe\n"
		   "NAME is a child as status lists it: an exchange, aggregator, writer, gateway\n"
		   "or bridge.NAME. Default config: " DEFAULT_CONFIG "\n");
}

static int socket_from_config(const char *path, char *out, size_t out_len)
{
	static char errs[8192];
	struct config *cfg = config_new();
	if (!cfg) {
		fprintf(stderr, "spreadctl: out of memory\n");
		return -ENOMEM;
	}
	int rc = config_load(cfg, path, NULL, errs, sizeof(errs));
	if (rc < 0) {
		fprintf(stderr, "spreadctl: cannot read %s: %s\n", path, strerror(-rc));
		config_free(cfg);
		return rc;
	}
	/* A file with errors still names the runtime dir (that is how an
	 * operator reaches the service to try `reload` of a broken edit). */
	if (rc > 0)
		fprintf(stderr, "spreadctl: warning: %s has %d error%s; using runtime_dir %s\n", path, rc,
			rc == 1 ? "" : "s", cfg->runtime_dir);
	rc = control_socket_path(cfg, out, out_len);
	config_free(cfg);
	if (rc < 0)
		fprintf(stderr, "spreadctl: socket path too long\n");
	return rc;
}

static int connect_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "spreadctl: socket path too long: %s\n", path);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int rc = -errno;
		fprintf(stderr, "spreadctl: cannot connect to %s: %s (is spreadbus running?)\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	/* Talk only to a supervisor of our own user. */
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != geteuid()) {
		fprintf(stderr, "spreadctl: %s belongs to another user (uid %u), refusing\n", path, (unsigned)cred.uid);
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* Send the request line and read one reply line into b. */
static int exchange_lines(int fd, const char *request, struct strbuf *b)
{
	size_t len = strlen(request), off = 0;
	while (off < len) {
		ssize_t n = send(fd, request + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int pr = poll(&p, 1, REPLY_TIMEOUT_MS);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			return pr == 0 ? -ETIMEDOUT : -errno;
		char chunk[4096];
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return b->len && b->data[b->len - 1] == '\n' ? 0 : -ECONNRESET;
		strbuf_append(b, chunk, (size_t)n);
		if (b->failed)
			return -ENOMEM;
		if (memchr(chunk, '\n', (size_t)n))
			return 0;
	}
}

/* ---- reading the reply ---- */

struct reply {
	const char *js;
	jsmntok_t *tok;
	int ntok;
};

/* Index of the token after token i's whole subtree (jsmn makes an
 * object key the parent of its value, so every size counts subtrees). */
static int skip(const struct reply *r, int i)
{
	int n = r->tok[i].size;
	i++;
	while (n-- > 0)
		i = skip(r, i);
	return i;
}

/* Value token of key in the object at index obj, or -1. */
static int field(const struct reply *r, int obj, const char *key)
{
	int i = obj + 1;
	for (int k = 0; k < r->tok[obj].size; k++) {
		const jsmntok_t *t = &r->tok[i];
		size_t n = (size_t)(t->end - t->start);
		if (t->type == JSMN_STRING && strlen(key) == n && memcmp(r->js + t->start, key, n) == 0)
			return i + 1;
		i = skip(r, i + 1);
	}
	return -1;
}

/* The character a JSON escape stands for; *p is just past the backslash
 * and is moved past the escape. \uXXXX beyond ASCII shows as '?'. */
static char unescape(const char **p, const char *end)
{
	char e = *(*p)++;
	switch (e) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'u': break;
	default: return e; /* \" \\ \/ */
	}
	if (end - *p < 4)
		return '?';
	char hex[5] = { (*p)[0], (*p)[1], (*p)[2], (*p)[3], 0 };
	*p += 4;
	unsigned long cp = strtoul(hex, NULL, 16);
	return cp > 0 && cp < 0x80 ? (char)cp : '?';
}

/* Copy a value as text ("-" for null, missing or empty), escapes undone. */
static void text(const struct reply *r, int i, char *out, size_t out_len)
{
	size_t o = 0;
	if (i >= 0 && !(r->tok[i].type == JSMN_PRIMITIVE && r->js[r->tok[i].start] == 'n')) {
		const char *p = r->js + r->tok[i].start, *end = r->js + r->tok[i].end;
		while (p < end && o + 1 < out_len) {
			char ch = *p++;
			out[o++] = ch == '\\' && p < end ? unescape(&p, end) : ch;
		}
	}
	out[o] = '\0';
	if (!out[0])
		snprintf(out, out_len, "-");
}

static void print_table(const struct reply *r, int children)
{
	printf("%-14s %-10s %-8s %-8s %9s %8s %9s %8s  %s\n", "NAME", "ROLE", "STATE", "PID", "UPTIME", "RESTARTS",
	       "HEARTBEAT", "LAG", "LAST EXIT");
	int i = children + 1;
	for (int k = 0; k < r->tok[children].size; k++) {
		char name[32], role[16], state[16], pid[16], up[24], restarts[16], hb[24], lag[24], last[192];
		text(r, field(r, i, "name"), name, sizeof(name));
		text(r, field(r, i, "role"), role, sizeof(role));
		text(r, field(r, i, "state"), state, sizeof(state));
		text(r, field(r, i, "pid"), pid, sizeof(pid));
		text(r, field(r, i, "uptime_s"), up, sizeof(up));
		text(r, field(r, i, "restarts"), restarts, sizeof(restarts));
		text(r, field(r, i, "heartbeat_age_ms"), hb, sizeof(hb));
		text(r, field(r, i, "ring_lag"), lag, sizeof(lag));
		text(r, field(r, i, "last_exit"), last, sizeof(last));
		if (strcmp(up, "-") != 0)
			strncat(up, "s", sizeof(up) - strlen(up) - 1);
		if (strcmp(hb, "-") != 0)
			strncat(hb, "ms", sizeof(hb) - strlen(hb) - 1);
		int retry = field(r, i, "retry_in_s");
		if (retry >= 0) {
			char in[24];
			text(r, retry, in, sizeof(in));
			size_t used = strlen(last);
			snprintf(last + used, sizeof(last) - used, "%sretry in %ss", strcmp(last, "-") ? "; " : " ", in);
		}
		printf("%-14s %-10s %-8s %-8s %9s %8s %9s %8s  %s\n", name, role, state, pid, up, restarts, hb, lag, last);
		i = skip(r, i);
	}
}

static int handle_reply(const char *js, size_t len, enum control_cmd cmd, bool json)
{
	static jsmntok_t tok[8192];
	jsmn_parser p;
	jsmn_init(&p);
	int n = jsmn_parse(&p, js, len, tok, sizeof(tok) / sizeof(tok[0]));
	struct reply r = { js, tok, n };
	if (n < 1 || tok[0].type != JSMN_OBJECT) {
		fprintf(stderr, "spreadctl: malformed reply: %.*s", (int)len, js);
		return EXIT_REPLY_ERROR;
	}
	int ok = field(&r, 0, "ok");
	if (ok < 0 || js[tok[ok].start] != 't') {
		char msg[512];
		text(&r, field(&r, 0, "error"), msg, sizeof(msg));
		if (json)
			fwrite(js, 1, len, stdout);
		fprintf(stderr, "spreadctl: %s\n", msg);
		return EXIT_REPLY_ERROR;
	}
	if (json) {
		fwrite(js, 1, len, stdout);
		return EXIT_OK;
	}
	if (cmd == CONTROL_STATUS) {
		int children = field(&r, 0, "children");
		if (children < 0 || tok[children].type != JSMN_ARRAY) {
			fprintf(stderr, "spreadctl: reply has no children list\n");
			return EXIT_REPLY_ERROR;
		}
		print_table(&r, children);
	} else {
		printf("ok\n");
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *sock = NULL;
	bool json = false;
	int opt;
	while ((opt = getopt_long(argc, argv, "c:s:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 's': sock = optarg; break;
		case 'j': json = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	enum control_cmd cmd;
	if (optind >= argc || control_cmd_from_name(argv[optind], &cmd) < 0 || (config && sock)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	int want_args = control_cmd_takes_name(cmd) ? 2 : 1;
	if (argc - optind != want_args) {
		fprintf(stderr, "spreadctl: %s %s\n", argv[optind], want_args == 2 ? "needs a NAME" : "takes no NAME");
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = want_args == 2 ? argv[optind + 1] : NULL;

	char path[CONFIG_PATH_MAX + 32];
	if (sock) {
		snprintf(path, sizeof(path), "%s", sock);
	} else if (socket_from_config(config ? config : DEFAULT_CONFIG, path, sizeof(path)) < 0) {
		return EXIT_CONNECT;
	}

	/* Names reach the supervisor as JSON strings: refuse what would need
	 * escaping rather than escape it (no valid name does). */
	if (name && (strlen(name) >= CONFIG_NAME_MAX || strpbrk(name, "\"\\") || !name[0])) {
		fprintf(stderr, "spreadctl: bad name \"%s\"\n", name);
		return EXIT_USAGE;
	}
	char request[128];
	if (name)
		snprintf(request, sizeof(request), "{\"cmd\":\"%s\",\"name\":\"%s\"}\n", control_cmd_name(cmd), name);
	else
		snprintf(request, sizeof(request), "{\"cmd\":\"%s\"}\n", control_cmd_name(cmd));

	int fd = connect_socket(path);
	if (fd < 0)
		return EXIT_CONNECT;
	struct strbuf reply;
	strbuf_init(&reply);
	int rc = exchange_lines(fd, request, &reply);
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "spreadctl: no reply from %s: %s\n", path, strerror(-rc));
		strbuf_free(&reply);
		return EXIT_CONNECT;
	}
	if (cmd == CONTROL_UNIVERSE)
		rc = universe_print(reply.data, reply.len, json, stdout) < 0 ? EXIT_REPLY_ERROR : EXIT_OK;
	else
		rc = handle_reply(reply.data, reply.len, cmd, json);
	strbuf_free(&reply);
	return rc;
}
