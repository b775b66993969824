/* Logging: one line per event on stderr with a syslog priority prefix
 * (<3>, <4>, <6>) journald understands, or JSON lines, or the journal API
 * when running under systemd. Repeated messages are rate-limited. */
#ifndef SPREADBUS_COMMON_LOG_H
#define SPREADBUS_COMMON_LOG_H

#include <stdint.h>

enum log_level { LOG_LVL_ERR = 3, LOG_LVL_WARNING = 4, LOG_LVL_NOTICE = 5, LOG_LVL_INFO = 6, LOG_LVL_DEBUG = 7 };

/* process: "spreadbus", "collector", ...; exchange may be NULL. json selects
 * JSON lines on stderr. Under systemd (JOURNAL_STREAM matches stderr) the
 * journal API is used with fields SPREADBUS_CHILD and SPREADBUS_EXCHANGE. */
void log_init(const char *process, const char *exchange, int max_level, int json);

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Rate-limited: at most burst messages per interval per call site (key); the
 * next message after a quiet period says how many were suppressed. */
struct log_limit {
	int64_t window_start_ns;
	uint32_t in_window;
	uint32_t suppressed;
};
void log_limited(struct log_limit *lim, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* log_limited(): at most LOG_LIMIT_BURST messages per call site within
 * LOG_LIMIT_INTERVAL_NS; a zeroed struct log_limit is a valid start. */
#define LOG_LIMIT_BURST 5
#define LOG_LIMIT_INTERVAL_NS (10LL * 1000000000LL)

/* Messages longer than this are cut and end in "..."; a line never takes
 * more than one write(2) on stderr, so lines of concurrent processes do not
 * mix. */
#define LOG_MSG_MAX 1024

/* "err", "warning", "notice", "info", "debug" <-> LOG_LVL_*; parse returns
 * -EINVAL for anything else. */
int log_level_parse(const char *name);
const char *log_level_name(int level);

#define log_err(...) log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
