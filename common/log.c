/* Log lines: "<6>spreadbus-collector[binance]: msg" on stderr, JSON lines,
 * or the systemd journal with structured fields when stderr is the journal. */
#include "common/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "common/clock.h"
#include "common/jsonw.h"

#define IDENT_MAX 64
#define EXCHANGE_MAX 32

static struct {
	char process[IDENT_MAX];
	char ident[IDENT_MAX + 16];  /* SYSLOG_IDENTIFIER: spreadbus, spreadbus-collector, ... */
	char exchange[EXCHANGE_MAX]; /* empty = none */
	int max_level;
	bool json;
	bool journal;
} log_state = { "spreadbus", "spreadbus", "", LOG_LVL_INFO, false, false };

static const char *const level_names[] = {
	[LOG_LVL_ERR] = "err", [LOG_LVL_WARNING] = "warning", [LOG_LVL_NOTICE] = "notice",
	[LOG_LVL_INFO] = "info", [LOG_LVL_DEBUG] = "debug",
};

int log_level_parse(const char *name)
{
	for (int l = LOG_LVL_ERR; l <= LOG_LVL_DEBUG; l++)
		if (strcmp(name, level_names[l]) == 0)
			return l;
	return -EINVAL;
}

const char *log_level_name(int level)
{
	if (level < LOG_LVL_ERR)
		return "err";
	if (level > LOG_LVL_DEBUG)
		return "debug";
	return level_names[level];
}

/* systemd sets JOURNAL_STREAM="<dev>:<inode>" of the stream it connected
 * to stdout/stderr; it is ours only if fd 2 is still that stream (a child
 * whose stderr was redirected inherits the variable but not the stream). */
static bool stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) != 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static void copy_bounded(char *dst, size_t dst_len, const char *src)
{
	size_t n = strnlen(src, dst_len - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void log_init(const char *process, const char *exchange, int max_level, int json)
{
	copy_bounded(log_state.process, sizeof(log_state.process), process ? process : "spreadbus");
	if (strncmp(log_state.process, "spreadbus", 9) == 0)
		copy_bounded(log_state.ident, sizeof(log_state.ident), log_state.process);
	else
		snprintf(log_state.ident, sizeof(log_state.ident), "spreadbus-%s", log_state.process);
	copy_bounded(log_state.exchange, sizeof(log_state.exchange), exchange ? exchange : "");
	log_state.max_level = max_level;
	log_state.json = json != 0;
	log_state.journal = stderr_is_journal();
}

static void write_all(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(STDERR_FILENO, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* nowhere left to report it */
		buf += w;
		len -= (size_t)w;
	}
}

static void emit_text(int level, const char *msg)
{
	char line[LOG_MSG_MAX + IDENT_MAX + EXCHANGE_MAX + 32];
	int n;
	if (log_state.exchange[0])
		n = snprintf(line, sizeof(line), "<%d>%s[%s]: %s\n", level, log_state.ident, log_state.exchange, msg);
	else
		n = snprintf(line, sizeof(line), "<%d>%s: %s\n", level, log_state.ident, msg);
	if (n < 0)
		return;
	write_all(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static void emit_json(int level, const char *msg)
{
	/* Escaping can make a control byte six bytes long. */
	char line[LOG_MSG_MAX * 6 + 256];
	char ts[40];
	struct timespec now;
	struct tm tm;
	struct jsonw w;
	size_t len;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	size_t tn = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts + tn, sizeof(ts) - tn, ".%06ldZ", now.tv_nsec / 1000);

	jsonw_init(&w, line, sizeof(line) - 1);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "ts", ts);
	jsonw_kv_string(&w, "level", log_level_name(level));
	jsonw_kv_string(&w, "process", log_state.process);
	jsonw_kv_string(&w, "exchange", log_state.exchange[0] ? log_state.exchange : NULL);
	jsonw_kv_string(&w, "msg", msg);
	jsonw_object_end(&w);
	if (jsonw_finish(&w, &len) != 0)
		return;
	line[len++] = '\n';
	write_all(line, len);
}

static void emit(int level, const char *msg)
{
	if (log_state.journal) {
		int rc;
		if (log_state.exchange[0])
			rc = sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", level, "SYSLOG_IDENTIFIER=%s",
					     log_state.ident, "SPREADBUS_CHILD=%s", log_state.process,
					     "SPREADBUS_EXCHANGE=%s", log_state.exchange, NULL);
		else
			rc = sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", level, "SYSLOG_IDENTIFIER=%s",
					     log_state.ident, "SPREADBUS_CHILD=%s", log_state.process, NULL);
		if (rc == 0)
			return;
	}
	if (log_state.json)
		emit_json(level, msg);
	else
		emit_text(level, msg);
}

/* Format into msg; a cut message ends in "..." so the reader knows. */
static void format_msg(char *msg, size_t msg_len, const char *fmt, va_list ap)
{
	int n = vsnprintf(msg, msg_len, fmt, ap);
	if (n < 0)
		copy_bounded(msg, msg_len, fmt);
	else if ((size_t)n >= msg_len)
		memcpy(msg + msg_len - 4, "...", 4);
}

static void __attribute__((format(printf, 2, 0))) log_vmsg(int level, const char *fmt, va_list ap)
{
	if (level > log_state.max_level)
		return;
	int saved_errno = errno; /* callers may still use errno after logging */
	char msg[LOG_MSG_MAX];
	format_msg(msg, sizeof(msg), fmt, ap);
	emit(level, msg);
	errno = saved_errno;
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void log_limited(struct log_limit *lim, int level, const char *fmt, ...)
{
	if (level > log_state.max_level)
		return;
	int64_t now = clock_monotonic_ns();
	uint32_t suppressed = 0;
	if (lim->window_start_ns == 0 || now - lim->window_start_ns >= LOG_LIMIT_INTERVAL_NS) {
		lim->window_start_ns = now;
		lim->in_window = 0;
		suppressed = lim->suppressed;
		lim->suppressed = 0;
	}
	if (lim->in_window >= LOG_LIMIT_BURST) {
		lim->suppressed++;
		return;
	}
	lim->in_window++;

	int saved_errno = errno;
	char msg[LOG_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	format_msg(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (suppressed > 0) {
		size_t n = strlen(msg);
		int w = snprintf(msg + n, sizeof(msg) - n, " (%u similar messages suppressed)", suppressed);
		if (w < 0 || (size_t)w >= sizeof(msg) - n)
			snprintf(msg + sizeof(msg) - 48, 48, "... (%u similar messages suppressed)", suppressed);
	}
	emit(level, msg);
	errno = saved_errno;
}
