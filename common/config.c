/* Loading the INI configuration: one table of keys drives defaults, parsing,
 * environment overrides, validation and the per-section hashes. */
#include "common/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "common/hash.h"
#include "common/log.h"
#include "common/netaddr.h"

extern char **environ;

/* The whole file is read first; a config larger than this is a mistake. */
#define CONFIG_FILE_MAX (1024 * 1024)
#define RING_CAPACITY_MIN 1024ULL
#define RING_CAPACITY_MAX (1ULL << 30)
#define VALUE_TEXT_MAX 64

enum sect {
	SECT_SERVICE,
	SECT_HTTP,
	SECT_RESTART,
	SECT_REDIS,
	SECT_AGGREGATOR,
	SECT_WRITER,
	SECT_EXCHANGE, /* one slot per exchange from here on */
	SECT_NONE = -1, /* an unknown or broken section: its keys are skipped */
	SECT_TOP = -2,  /* before the first section header */
};
#define SLOTS (SECT_EXCHANGE + CONFIG_MAX_EXCHANGES)

static const char *const sect_names[] = {
	"service", "http", "restart", "redis", "aggregator", "writer", "exchange",
};

enum type {
	T_STRING, /* free text */
	T_PATH,
	T_NAME,   /* [a-z0-9-]{1,23} */
	T_ADAPTER,
	T_BOOL,
	T_U16,
	T_U32,
	T_U64,
	T_INT,
	T_POW2,   /* u64 power of two */
	T_MODE,   /* octal file mode */
	T_LEVEL,  /* log level name -> int */
	T_FORMAT, /* text | json */
	T_LISTEN, /* host:port or empty */
	T_URL,    /* ws:// wss:// or empty */
	T_SYMBOLS,
};

struct key {
	enum sect sect;
	const char *name;
	enum type type;
	size_t off;  /* in struct config, or in struct config_exchange for SECT_EXCHANGE */
	size_t size; /* of the field */
	long long min, max;
	const char *def;
};

#define FIELD(s, f) offsetof(s, f), sizeof(((s *)0)->f)
#define C(f) FIELD(struct config, f)
#define X(f) FIELD(struct config_exchange, f)
#define MS_HOUR 3600000
#define MS_DAY 86400000

static const struct key keys[] = {
	{ SECT_SERVICE, "instance", T_NAME, C(instance), 0, 0, "spreadbus" },
	{ SECT_SERVICE, "runtime_dir", T_PATH, C(runtime_dir), 0, 0, "/run/spreadbus" },
	{ SECT_SERVICE, "state_dir", T_PATH, C(state_dir), 0, 0, "/var/lib/spreadbus" },
	{ SECT_SERVICE, "bin_dir", T_PATH, C(bin_dir), 0, 0, "" },
	{ SECT_SERVICE, "ring_capacity", T_POW2, C(ring_capacity), RING_CAPACITY_MIN, RING_CAPACITY_MAX, "1048576" },
	{ SECT_SERVICE, "shm_mode", T_MODE, C(shm_mode), 0600, 0777, "0600" },
	{ SECT_SERVICE, "log_format", T_FORMAT, C(log_format), 0, 0, "text" },
	{ SECT_SERVICE, "log_level", T_LEVEL, C(log_level), 0, 0, "info" },

	{ SECT_HTTP, "listen", T_LISTEN, C(http_listen), 0, 0, "127.0.0.1:9280" },

	{ SECT_RESTART, "backoff_initial_ms", T_U32, C(restart.backoff_initial_ms), 0, MS_HOUR, "500" },
	{ SECT_RESTART, "backoff_max_ms", T_U32, C(restart.backoff_max_ms), 1, MS_HOUR, "30000" },
	{ SECT_RESTART, "burst_count", T_U32, C(restart.burst_count), 1, 1000, "5" },
	{ SECT_RESTART, "burst_window_s", T_U32, C(restart.burst_window_s), 1, 86400, "60" },
	{ SECT_RESTART, "hold_ms", T_U32, C(restart.hold_ms), 0, MS_DAY, "60000" },
	{ SECT_RESTART, "hold_max_ms", T_U32, C(restart.hold_max_ms), 0, MS_DAY, "600000" },
	{ SECT_RESTART, "stop_timeout_ms", T_U32, C(restart.stop_timeout_ms), 1, 600000, "3000" },

	{ SECT_REDIS, "enabled", T_BOOL, C(redis.enabled), 0, 0, "true" },
	{ SECT_REDIS, "host", T_STRING, C(redis.host), 0, 0, "127.0.0.1" },
	{ SECT_REDIS, "port", T_U16, C(redis.port), 1, 65535, "6379" },
	{ SECT_REDIS, "unix_socket", T_PATH, C(redis.unix_socket), 0, 0, "" },
	{ SECT_REDIS, "password", T_STRING, C(redis.password), 0, 0, "" },
	{ SECT_REDIS, "db", T_U32, C(redis.db), 0, 1000000, "0" },
	{ SECT_REDIS, "stream_maxlen", T_U32, C(redis.stream_maxlen), 1, 1000000000, "100000" },
	{ SECT_REDIS, "connect_timeout_ms", T_U32, C(redis.connect_timeout_ms), 1, 600000, "1000" },
	{ SECT_REDIS, "breaker_min_ms", T_U32, C(redis.breaker_min_ms), 1, MS_HOUR, "200" },
	{ SECT_REDIS, "breaker_max_ms", T_U32, C(redis.breaker_max_ms), 1, MS_HOUR, "5000" },
	{ SECT_REDIS, "max_pending", T_U32, C(redis.max_pending), 1, 10000000, "10000" },

	{ SECT_AGGREGATOR, "window_s", T_U32, C(aggregator.window_s), 1, 86400, "900" },
	{ SECT_AGGREGATOR, "stale_quote_ms", T_U32, C(aggregator.stale_quote_ms), 1, MS_HOUR, "5000" },
	{ SECT_AGGREGATOR, "window_buckets", T_U32, C(aggregator.window_buckets), 1, 86400, "900" },
	{ SECT_AGGREGATOR, "publish_interval_ms", T_U32, C(aggregator.publish_interval_ms), 0, MS_HOUR, "0" },
	{ SECT_AGGREGATOR, "heartbeat_timeout_ms", T_U32, C(aggregator.heartbeat_timeout_ms), 100, MS_HOUR, "5000" },

	{ SECT_WRITER, "enabled", T_BOOL, C(writer.enabled), 0, 0, "true" },
	{ SECT_WRITER, "data_dir", T_PATH, C(writer.data_dir), 0, 0, "" },
	{ SECT_WRITER, "journal_dir", T_PATH, C(writer.journal_dir), 0, 0, "" },
	{ SECT_WRITER, "row_group_rows", T_U32, C(writer.row_group_rows), 1, 16777216, "65536" },
	{ SECT_WRITER, "rotate_s", T_U32, C(writer.rotate_s), 1, 7 * 86400, "3600" },
	{ SECT_WRITER, "rotate_bytes", T_U64, C(writer.rotate_bytes), 1, 1LL << 40, "268435456" },
	{ SECT_WRITER, "journal_fsync_ms", T_U32, C(writer.journal_fsync_ms), 0, 60000, "200" },
	{ SECT_WRITER, "compression_level", T_INT, C(writer.compression_level), 1, 22, "3" },
	{ SECT_WRITER, "heartbeat_timeout_ms", T_U32, C(writer.heartbeat_timeout_ms), 100, MS_HOUR, "10000" },

	{ SECT_EXCHANGE, "adapter", T_ADAPTER, X(adapter), 0, 0, NULL /* = the section's name */ },
	{ SECT_EXCHANGE, "enabled", T_BOOL, X(enabled), 0, 0, "true" },
	{ SECT_EXCHANGE, "symbols", T_SYMBOLS, X(symbols), 0, 0, NULL /* required */ },
	{ SECT_EXCHANGE, "quotes", T_BOOL, X(quotes), 0, 0, "true" },
	{ SECT_EXCHANGE, "trades", T_BOOL, X(trades), 0, 0, "true" },
	{ SECT_EXCHANGE, "url", T_URL, X(url), 0, 0, "" },
	{ SECT_EXCHANGE, "tls_verify", T_BOOL, X(tls_verify), 0, 0, "true" },
	{ SECT_EXCHANGE, "ping_interval_ms", T_U32, X(ping_interval_ms), 0, MS_HOUR, "0" },
	{ SECT_EXCHANGE, "dead_peer_timeout_ms", T_U32, X(dead_peer_timeout_ms), 1, MS_HOUR, "60000" },
	{ SECT_EXCHANGE, "no_data_timeout_ms", T_U32, X(no_data_timeout_ms), 1, MS_HOUR, "30000" },
	{ SECT_EXCHANGE, "reconnect_min_ms", T_U32, X(reconnect_min_ms), 0, MS_HOUR, "100" },
	{ SECT_EXCHANGE, "reconnect_max_ms", T_U32, X(reconnect_max_ms), 0, MS_HOUR, "30000" },
	{ SECT_EXCHANGE, "max_symbols_per_conn", T_U32, X(max_symbols_per_conn), 0, CONFIG_MAX_SYMBOLS, "0" },
	{ SECT_EXCHANGE, "max_frame_bytes", T_U32, X(max_frame_bytes), 1024, 64 * 1024 * 1024, "65536" },
	{ SECT_EXCHANGE, "max_clock_skew_ms", T_U32, X(max_clock_skew_ms), 1, MS_DAY, "300000" },
	{ SECT_EXCHANGE, "connection_lifetime_s", T_U32, X(connection_lifetime_s), 0, 7 * 86400, "0" },
	{ SECT_EXCHANGE, "heartbeat_timeout_ms", T_U32, X(heartbeat_timeout_ms), 100, MS_HOUR, "5000" },
};
#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

static const char *const adapters[] = { "binance", "bybit", "okx" };

/* Where a value came from: a line of the file, or an environment variable. */
struct loc {
	int line;        /* 0 = not set */
	const char *env; /* the variable, when set from the environment */
};

struct load {
	struct config *c;
	const char *path;
	char *err;
	size_t err_len;
	size_t err_used;
	int errors;
	/* reader over the file contents */
	const char *text;
	size_t text_len;
	size_t pos;
	int line;
	bool line_is_key;       /* the line just given to inih should reach the handler */
	bool line_handled;
	bool line_continues;    /* indented line continuing a symbols list */
	bool last_key_symbols;  /* the last key of this section was symbols */
	int slot;               /* current section slot, SECT_NONE if unknown/invalid */
	bool symbols_bad[SLOTS]; /* an entry was refused: "empty list" would only repeat it */
	int sect_line[SLOTS];
	struct loc key_loc[SLOTS][KEY_COUNT];
};

static void verror(struct load *ld, struct loc where, const char *fmt, va_list ap)
{
	ld->errors++;
	if (!ld->err || ld->err_len == 0 || ld->err_used + 1 >= ld->err_len)
		return;
	char *p = ld->err + ld->err_used;
	size_t room = ld->err_len - ld->err_used;
	int n;
	if (where.env) /* the name only: values may be passwords */
		n = snprintf(p, room, "%.*s: ", (int)strcspn(where.env, "="), where.env);
	else if (where.line > 0)
		n = snprintf(p, room, "%s:%d: ", ld->path, where.line);
	else
		n = snprintf(p, room, "%s: ", ld->path);
	if (n < 0 || (size_t)n >= room)
		goto full;
	int m = vsnprintf(p + n, room - (size_t)n, fmt, ap);
	if (m < 0 || (size_t)(n + m) + 1 >= room)
		goto full;
	p[n + m] = '\n';
	p[n + m + 1] = '\0';
	ld->err_used += (size_t)(n + m) + 1;
	return;
full:
	/* Keep whole lines only; later errors are still counted. */
	ld->err[ld->err_used] = '\0';
	ld->err_used = ld->err_len;
}

static void error_at(struct load *ld, struct loc where, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error_at(struct load *ld, struct loc where, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(ld, where, fmt, ap);
	va_end(ap);
}

static struct loc at_line(int line)
{
	return (struct loc){ .line = line, .env = NULL };
}

static void *field_base(struct config *c, int slot)
{
	return slot >= SECT_EXCHANGE ? (void *)&c->exchanges[slot - SECT_EXCHANGE] : (void *)c;
}

static enum sect slot_sect(int slot)
{
	return slot >= SECT_EXCHANGE ? SECT_EXCHANGE : (enum sect)slot;
}

/* "[redis]" or "[exchange.binance]", for messages. */
static const char *slot_label(const struct config *c, int slot, char *buf, size_t len)
{
	if (slot >= SECT_EXCHANGE)
		snprintf(buf, len, "[exchange.%s]", c->exchanges[slot - SECT_EXCHANGE].name);
	else
		snprintf(buf, len, "[%s]", sect_names[slot]);
	return buf;
}

static const struct key *key_find(enum sect s, const char *name)
{
	for (size_t i = 0; i < KEY_COUNT; i++)
		if (keys[i].sect == s && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static size_t key_index(const struct key *k)
{
	return (size_t)(k - keys);
}

/* ---- value parsers: each returns NULL or a message (static text or msg) ---- */

static const char *parse_u64(const char *s, unsigned long long min, unsigned long long max, uint64_t *out,
			     char *msg, size_t msg_len)
{
	if (*s == '-')
		return "must not be negative";
	if (!isdigit((unsigned char)*s))
		return "not a number";
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end != '\0') {
		snprintf(msg, msg_len, "unexpected characters after the number: '%s'", end);
		return msg;
	}
	if (errno == ERANGE || v < min || v > max) {
		snprintf(msg, msg_len, "out of range: must be from %llu to %llu", min, max);
		return msg;
	}
	*out = v;
	return NULL;
}

static bool is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
}

/* Instance and exchange names end up in shared memory names and paths. */
static bool is_valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= CONFIG_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

static const char *parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return NULL;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return NULL;
		}
	}
	return "not a boolean: use true/false, yes/no, on/off or 1/0";
}

static bool is_symbol_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* Canonical symbols: BASE-QUOTE, upper-case letters and digits. */
static bool is_canonical_symbol(const char *s, size_t n)
{
	if (n == 0 || n >= CONFIG_NAME_MAX)
		return false;
	const char *dash = memchr(s, '-', n);
	if (!dash || dash == s || dash == s + n - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s + i != dash && !is_symbol_char(s[i]))
			return false;
	return true;
}

/* Adds the comma-separated symbols in s to ex (append: a continuation line). */
static void parse_symbols(struct load *ld, struct loc where, struct config_exchange *ex, const char *s, bool append)
{
	if (!append)
		ex->symbol_count = 0;
	if (s[strspn(s, " \t")] == '\0')
		return; /* an empty list is reported once everything is read */
	const char *p = s;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *item = p;
		while (n > 0 && isspace((unsigned char)*item)) {
			item++;
			n--;
		}
		while (n > 0 && isspace((unsigned char)item[n - 1]))
			n--;
		/* A trailing comma before a continuation line is fine. */
		bool last = end == NULL;
		if (n == 0) {
			if (!(last && p != s))
				error_at(ld, where, "[exchange.%s] symbols: empty entry in the list", ex->name);
		} else if (!is_canonical_symbol(item, n)) {
			char upper[CONFIG_NAME_MAX];
			bool fixable = n < CONFIG_NAME_MAX;
			for (size_t i = 0; fixable && i < n; i++)
				upper[i] = (char)toupper((unsigned char)item[i]);
			if (fixable && is_canonical_symbol(upper, n))
				error_at(ld, where, "[exchange.%s] symbols: '%.*s' is not canonical: write '%.*s'", ex->name,
					 (int)n, item, (int)n, upper);
			else
				error_at(ld, where,
					 "[exchange.%s] symbols: '%.*s' is not a symbol: expected BASE-QUOTE in upper case, "
					 "e.g. BTC-USDT, at most %d characters",
					 ex->name, (int)(n > 40 ? 40 : n), item, CONFIG_NAME_MAX - 1);
		} else {
			bool dup = false;
			for (size_t i = 0; i < ex->symbol_count && !dup; i++)
				dup = strlen(ex->symbols[i]) == n && memcmp(ex->symbols[i], item, n) == 0;
			if (dup)
				error_at(ld, where, "[exchange.%s] symbols: '%.*s' is listed twice", ex->name, (int)n, item);
			else if (ex->symbol_count >= CONFIG_MAX_SYMBOLS)
				error_at(ld, where, "[exchange.%s] symbols: more than %d symbols", ex->name,
					 CONFIG_MAX_SYMBOLS);
			else {
				memcpy(ex->symbols[ex->symbol_count], item, n);
				ex->symbols[ex->symbol_count][n] = '\0';
				ex->symbol_count++;
			}
		}
		if (last)
			break;
		p = end + 1;
	}
}

static const char *parse_url(const char *s, char *msg, size_t msg_len)
{
	struct netaddr_url u;
	int rc = netaddr_url_parse(s, &u, msg, msg_len);
	return rc == 0 ? NULL : msg;
}

/*
 * Sets key k of slot from text s. Errors name the key and where the value
 * came from. append: a continuation line of a symbols list.
 */
static void set_value(struct load *ld, int slot, const struct key *k, const char *s, struct loc where, bool append)
{
	struct config *c = ld->c;
	void *field = (char *)field_base(c, slot) + k->off;
	char label[48];
	char msg[160];
	const char *bad = NULL;
	size_t n = strlen(s);
	char unq[CONFIG_STR_MAX + 2];

	/* "quoted values" are accepted for text, as in many INI dialects. */
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"' && n - 2 < sizeof(unq)) {
		memcpy(unq, s + 1, n - 2);
		unq[n - 2] = '\0';
		s = unq;
		n -= 2;
	}
	slot_label(c, slot, label, sizeof(label));

	switch (k->type) {
	case T_STRING:
	case T_PATH:
	case T_URL:
	case T_LISTEN:
	case T_ADAPTER:
	case T_NAME:
	case T_FORMAT:
		if (n >= k->size) {
			snprintf(msg, sizeof(msg), "too long: at most %zu characters", k->size - 1);
			bad = msg;
			break;
		}
		if (k->type == T_NAME && !is_valid_name(s))
			bad = "must be 1 to 23 characters of a-z, 0-9 and '-'";
		else if (k->type == T_FORMAT && strcmp(s, "text") != 0 && strcmp(s, "json") != 0)
			bad = "must be text or json";
		else if (k->type == T_URL && n > 0)
			bad = parse_url(s, msg, sizeof(msg));
		else if (k->type == T_LISTEN && n > 0 && netaddr_listen_parse(s, NULL, 0, NULL, msg, sizeof(msg)) != 0)
			bad = msg;
		else if (k->type == T_PATH && n > 0 && s[0] != '/')
			bad = "must be an absolute path";
		if (!bad)
			memcpy(field, s, n + 1);
		break;
	case T_BOOL:
		bad = parse_bool(s, field);
		break;
	case T_U16:
	case T_U32:
	case T_U64:
	case T_POW2: {
		uint64_t v;
		bad = parse_u64(s, (unsigned long long)k->min, (unsigned long long)k->max, &v, msg, sizeof(msg));
		if (!bad && k->type == T_POW2 && (v & (v - 1)) != 0)
			bad = "must be a power of two";
		if (bad)
			break;
		if (k->type == T_U16)
			*(uint16_t *)field = (uint16_t)v;
		else if (k->type == T_U32)
			*(uint32_t *)field = (uint32_t)v;
		else
			*(uint64_t *)field = v;
		break;
	}
	case T_INT: {
		uint64_t v;
		bad = parse_u64(s, (unsigned long long)k->min, (unsigned long long)k->max, &v, msg, sizeof(msg));
		if (!bad)
			*(int *)field = (int)v;
		break;
	}
	case T_MODE: {
		char *end;
		errno = 0;
		unsigned long v = strtoul(s, &end, 8);
		if (!isdigit((unsigned char)*s) || *end != '\0' || errno == ERANGE || v > (unsigned long)k->max)
			bad = "must be an octal file mode, e.g. 0600";
		else if ((v & (unsigned long)k->min) != (unsigned long)k->min)
			bad = "must give the owner read and write access (0600)";
		else
			*(mode_t *)field = (mode_t)v;
		break;
	}
	case T_LEVEL: {
		int lvl = log_level_parse(s);
		if (lvl < 0)
			bad = "must be err, warning, notice, info or debug";
		else
			*(int *)field = lvl;
		break;
	}
	case T_SYMBOLS: {
		int before = ld->errors;
		parse_symbols(ld, where, field_base(c, slot), s, append);
		ld->symbols_bad[slot] |= ld->errors != before;
		return;
	}
	}
	if (bad)
		error_at(ld, where, "%s %s: %s (got '%.*s')", label, k->name, bad, 64, s);
}

/* ---- sections ---- */

static void apply_defaults(struct load *ld, int slot)
{
	enum sect s = slot_sect(slot);
	for (size_t i = 0; i < KEY_COUNT; i++)
		if (keys[i].sect == s && keys[i].def)
			set_value(ld, slot, &keys[i], keys[i].def, at_line(0), false);
}

/* A section header line "[name]": returns the slot or SECT_NONE. */
static int open_section(struct load *ld, const char *name, int line)
{
	struct config *c = ld->c;
	int slot = SECT_NONE;
	for (int s = 0; s < SECT_EXCHANGE; s++)
		if (strcmp(name, sect_names[s]) == 0)
			slot = s;
	if (slot == SECT_NONE && strncmp(name, "exchange.", 9) == 0) {
		const char *ex_name = name + 9;
		if (!is_valid_name(ex_name)) {
			error_at(ld, at_line(line),
				 "[%s]: exchange name must be 1 to 23 characters of a-z, 0-9 and '-'", name);
			return SECT_NONE;
		}
		for (size_t i = 0; i < c->exchange_count; i++) {
			if (strcmp(c->exchanges[i].name, ex_name) == 0) {
				error_at(ld, at_line(line), "duplicate section [%s] (first at line %d)", name,
					 ld->sect_line[SECT_EXCHANGE + i]);
				return SECT_NONE;
			}
		}
		if (c->exchange_count >= CONFIG_MAX_EXCHANGES) {
			error_at(ld, at_line(line), "[%s]: more than %d exchanges", name, CONFIG_MAX_EXCHANGES);
			return SECT_NONE;
		}
		slot = SECT_EXCHANGE + (int)c->exchange_count;
		struct config_exchange *ex = &c->exchanges[c->exchange_count++];
		memcpy(ex->name, ex_name, strlen(ex_name) + 1);
		memcpy(ex->adapter, ex_name, strlen(ex_name) + 1);
		apply_defaults(ld, slot);
		ld->sect_line[slot] = line;
		return slot;
	}
	if (slot == SECT_NONE) {
		error_at(ld, at_line(line),
			 "unknown section [%s] (known: service, http, restart, redis, aggregator, writer, exchange.NAME)",
			 name);
		return SECT_NONE;
	}
	if (ld->sect_line[slot]) {
		error_at(ld, at_line(line), "duplicate section [%s] (first at line %d)", name, ld->sect_line[slot]);
		return SECT_NONE;
	}
	ld->sect_line[slot] = line;
	return slot;
}

/* ---- the inih side: our reader sees every raw line first ---- */

static void check_previous_line(struct load *ld)
{
	if (ld->line_is_key && !ld->line_handled)
		error_at(ld, at_line(ld->line), "expected 'key = value'");
	ld->line_is_key = false;
	ld->line_handled = false;
	ld->line_continues = false;
}

/* The section name between '[' and ']' of a header line. */
static void section_line(struct load *ld, const char *p, size_t n)
{
	const char *close = memchr(p, ']', n);
	if (!close) {
		error_at(ld, at_line(ld->line), "section header without ']'");
		ld->slot = SECT_NONE;
		return;
	}
	const char *start = p + 1;
	while (start < close && isspace((unsigned char)*start))
		start++;
	const char *end = close;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	char name[64];
	snprintf(name, sizeof(name), "%.*s", (int)(end - start), start);
	ld->slot = open_section(ld, name, ld->line);
	ld->last_key_symbols = false;
}

/*
 * ini_reader: hands inih one line at a time, and on the way keeps the line
 * number (the packaged libinih has no INI_HANDLER_LINENO), tracks sections
 * itself (so empty and repeated sections are seen) and removes indentation,
 * except where it continues a symbols list: inih then passes it to the
 * handler as another value of the previous key.
 */
static char *reader(char *str, int num, void *stream)
{
	struct load *ld = stream;
	check_previous_line(ld);
	if (ld->pos >= ld->text_len)
		return NULL;

	const char *p = ld->text + ld->pos;
	const char *nl = memchr(p, '\n', ld->text_len - ld->pos);
	size_t n = nl ? (size_t)(nl - p) : ld->text_len - ld->pos;
	ld->pos += n + (nl ? 1 : 0);
	ld->line++;
	if (ld->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3; /* UTF-8 byte order mark */
		n -= 3;
	}
	if (n > 0 && p[n - 1] == '\r')
		n--;

	size_t indent = 0;
	while (indent < n && (p[indent] == ' ' || p[indent] == '\t'))
		indent++;
	const char *t = p + indent;
	size_t tn = n - indent;

	str[0] = '\n';
	str[1] = '\0';
	if (tn == 0 || *t == ';' || *t == '#')
		return str;
	if (n + 2 > (size_t)num) {
		error_at(ld, at_line(ld->line),
			 "line too long: at most %d characters (continue a symbols list on indented lines)", num - 2);
		/* Keys that follow must not land in a section whose header was cut. */
		if (*t == '[')
			ld->slot = SECT_NONE;
		return str;
	}
	if (*t == '[') {
		section_line(ld, t, tn);
		memcpy(str, t, tn);
		str[tn] = '\n';
		str[tn + 1] = '\0';
		return str;
	}
	ld->line_is_key = true;
	bool has_delim = memchr(t, '=', tn) || memchr(t, ':', tn);
	if (indent > 0 && !has_delim && ld->last_key_symbols) {
		ld->line_continues = true;
		memcpy(str, p, n);
		str[n] = '\n';
		str[n + 1] = '\0';
		return str;
	}
	memcpy(str, t, tn);
	str[tn] = '\n';
	str[tn + 1] = '\0';
	return str;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;
	(void)section; /* ours (ld->slot) also knows empty, repeated and bad sections */
	ld->line_handled = true;
	if (!ld->line_is_key)
		return 1;
	if (ld->slot == SECT_TOP) {
		error_at(ld, at_line(ld->line), "key '%s' before any [section]", name);
		return 1;
	}
	if (ld->slot == SECT_NONE)
		return 1; /* the section header was reported already */
	struct loc where = at_line(ld->line);
	char label[48];
	slot_label(ld->c, ld->slot, label, sizeof(label));
	const struct key *k = key_find(slot_sect(ld->slot), name);
	if (ld->line_continues) {
		set_value(ld, ld->slot, k, value, where, true);
		return 1;
	}
	if (!k) {
		error_at(ld, where, "%s: unknown key '%s'", label, name);
		ld->last_key_symbols = false;
		return 1;
	}
	ld->last_key_symbols = k->type == T_SYMBOLS;
	struct loc *seen = &ld->key_loc[ld->slot][key_index(k)];
	if (seen->line) {
		error_at(ld, where, "%s: duplicate key '%s' (first at line %d)", label, name, seen->line);
		return 1;
	}
	*seen = where;
	set_value(ld, ld->slot, k, value, where, false);
	return 1;
}

/* ---- environment overrides ---- */

/* "exchange.foo-bar" style name -> "FOO_BAR" */
static void env_upper(char *dst, size_t len, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < len; i++)
		dst[i] = src[i] == '-' || src[i] == '.' ? '_' : (char)toupper((unsigned char)src[i]);
	dst[i] = '\0';
}

static void apply_env_var(struct load *ld, const char *var)
{
	static const char prefix[] = "SPREADBUS_";
	const char *eq = strchr(var, '=');
	if (!eq || strncmp(var, prefix, sizeof(prefix) - 1) != 0)
		return;
	char name[128];
	size_t name_len = (size_t)(eq - var);
	if (name_len >= sizeof(name))
		return;
	memcpy(name, var, name_len);
	name[name_len] = '\0';
	const char *rest = name + sizeof(prefix) - 1;

	/* Only variables that name a section are ours: SPREADBUS_BIN and
	 * friends belong to the test harness. */
	int slot = SECT_NONE;
	size_t best = 0;
	for (int s = 0; s < SECT_EXCHANGE; s++) {
		char up[32];
		env_upper(up, sizeof(up), sect_names[s]);
		size_t n = strlen(up);
		if (strncmp(rest, up, n) == 0 && rest[n] == '_') {
			slot = s;
			best = n + 1;
		}
	}
	if (strncmp(rest, "EXCHANGE_", 9) == 0) {
		/* The longest exchange name that matches wins ("a" vs "a-b"). */
		for (size_t i = 0; i < ld->c->exchange_count; i++) {
			char up[CONFIG_NAME_MAX + 16];
			env_upper(up, sizeof(up), ld->c->exchanges[i].name);
			size_t n = strlen(up);
			if (strncmp(rest + 9, up, n) == 0 && rest[9 + n] == '_' && 9 + n + 1 > best) {
				slot = SECT_EXCHANGE + (int)i;
				best = 9 + n + 1;
			}
		}
		if (slot < SECT_EXCHANGE) {
			error_at(ld, (struct loc){ .env = var },
				 "no [exchange.NAME] section in %s matches this variable: overrides only change "
				 "exchanges defined in the file",
				 ld->path);
			return;
		}
	}
	if (slot == SECT_NONE)
		return;
	char key[64];
	size_t kn = strlen(rest + best);
	if (kn >= sizeof(key))
		kn = sizeof(key) - 1;
	for (size_t i = 0; i < kn; i++)
		key[i] = (char)tolower((unsigned char)rest[best + i]);
	key[kn] = '\0';
	struct loc where = { .line = 0, .env = var };
	const struct key *k = key_find(slot_sect(slot), key);
	if (!k) {
		char label[48];
		error_at(ld, where, "%s has no key '%s'", slot_label(ld->c, slot, label, sizeof(label)), key);
		return;
	}
	ld->key_loc[slot][key_index(k)] = where;
	set_value(ld, slot, k, eq + 1, where, false);
}

/* ---- checks across keys, once everything is set ---- */

/* Where key `name` of slot was set, else its section header, else the file. */
static struct loc key_where(const struct load *ld, int slot, const char *name)
{
	const struct key *k = key_find(slot_sect(slot), name);
	struct loc l = ld->key_loc[slot][key_index(k)];
	if (l.line || l.env)
		return l;
	return at_line(ld->sect_line[slot]);
}

static void check_order(struct load *ld, int slot, uint64_t lo, const char *lo_name, uint64_t hi, const char *hi_name)
{
	if (lo <= hi)
		return;
	char label[48];
	error_at(ld, key_where(ld, slot, hi_name), "%s %s (%llu) must not be less than %s (%llu)",
		 slot_label(ld->c, slot, label, sizeof(label)), hi_name, (unsigned long long)hi, lo_name,
		 (unsigned long long)lo);
}

/*
 * A directory the service will create or write: the path itself, or the
 * nearest ancestor that exists, must be a directory we may write into.
 * Nothing is created here.
 */
static void check_dir(struct load *ld, int slot, const char *key, const char *path)
{
	char p[CONFIG_PATH_MAX];
	char label[48];
	snprintf(p, sizeof(p), "%s", path);
	slot_label(ld->c, slot, label, sizeof(label));
	for (;;) {
		struct stat st;
		if (stat(p, &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				error_at(ld, key_where(ld, slot, key), "%s %s: '%s' cannot be created: '%s' is not a directory",
					 label, key, path, p);
			else if (access(p, W_OK | X_OK) != 0)
				error_at(ld, key_where(ld, slot, key), "%s %s: '%s' is not writable: '%s': %s", label, key,
					 path, p, strerror(errno));
			return;
		}
		if (errno != ENOENT && errno != ENOTDIR) {
			error_at(ld, key_where(ld, slot, key), "%s %s: '%s' is not reachable: '%s': %s", label, key, path,
				 p, strerror(errno));
			return;
		}
		char *slash = strrchr(p, '/');
		if (!slash)
			return; /* relative paths are refused by the parser */
		if (slash == p) {
			p[1] = '\0';
			if (strcmp(p, "/") == 0 && strlen(path) == 1)
				return;
		} else {
			*slash = '\0';
		}
	}
}

static void derive_dir(struct load *ld, char *dst, const char *key, const char *leaf)
{
	if (dst[0])
		return;
	int n = snprintf(dst, CONFIG_PATH_MAX, "%s/%s", ld->c->state_dir, leaf);
	if (n < 0 || n >= CONFIG_PATH_MAX) {
		dst[0] = '\0';
		error_at(ld, key_where(ld, SECT_SERVICE, "state_dir"),
			 "[writer] %s: the default '<state_dir>/%s' is longer than %d characters", key, leaf,
			 CONFIG_PATH_MAX - 1);
	}
}

static bool is_known_adapter(const char *a)
{
	for (size_t i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++)
		if (strcmp(a, adapters[i]) == 0)
			return true;
	return false;
}

static void check_exchange(struct load *ld, int slot)
{
	struct config_exchange *ex = &ld->c->exchanges[slot - SECT_EXCHANGE];
	if (!is_known_adapter(ex->adapter))
		error_at(ld, key_where(ld, slot, "adapter"),
			 "[exchange.%s] adapter: unknown adapter '%s' (known: binance, bybit, okx)", ex->name,
			 ex->adapter);
	const struct loc *set = &ld->key_loc[slot][key_index(key_find(SECT_EXCHANGE, "symbols"))];
	if (!set->line && !set->env)
		error_at(ld, at_line(ld->sect_line[slot]),
			 "[exchange.%s]: symbols is required (e.g. symbols = BTC-USDT, ETH-USDT)", ex->name);
	else if (ex->symbol_count == 0 && !ld->symbols_bad[slot])
		error_at(ld, *set, "[exchange.%s] symbols: the list is empty", ex->name);
	if (!ex->quotes && !ex->trades)
		error_at(ld, key_where(ld, slot, "trades"), "[exchange.%s]: quotes and trades are both off", ex->name);
	check_order(ld, slot, ex->reconnect_min_ms, "reconnect_min_ms", ex->reconnect_max_ms, "reconnect_max_ms");
}

static void check_all(struct load *ld)
{
	struct config *c = ld->c;
	if (c->exchange_count == 0)
		error_at(ld, at_line(0), "no exchange configured: add an [exchange.NAME] section");
	for (size_t i = 0; i < c->exchange_count; i++)
		check_exchange(ld, SECT_EXCHANGE + (int)i);
	check_order(ld, SECT_RESTART, c->restart.backoff_initial_ms, "backoff_initial_ms", c->restart.backoff_max_ms,
		    "backoff_max_ms");
	check_order(ld, SECT_RESTART, c->restart.hold_ms, "hold_ms", c->restart.hold_max_ms, "hold_max_ms");
	check_order(ld, SECT_REDIS, c->redis.breaker_min_ms, "breaker_min_ms", c->redis.breaker_max_ms,
		    "breaker_max_ms");
	if (c->redis.enabled && !c->redis.unix_socket[0] && !c->redis.host[0])
		error_at(ld, key_where(ld, SECT_REDIS, "host"), "[redis] host: empty, and no unix_socket either");

	derive_dir(ld, c->writer.data_dir, "data_dir", "data");
	derive_dir(ld, c->writer.journal_dir, "journal_dir", "journal");
	check_dir(ld, SECT_SERVICE, "runtime_dir", c->runtime_dir);
	check_dir(ld, SECT_SERVICE, "state_dir", c->state_dir);
	if (c->writer.enabled) {
		check_dir(ld, SECT_WRITER, "data_dir", c->writer.data_dir);
		check_dir(ld, SECT_WRITER, "journal_dir", c->writer.journal_dir);
	}
}

/* ---- hashes: one per child's section, over the effective values ---- */

static void value_text(const struct config *c, int slot, const struct key *k, char *buf, size_t len)
{
	const char *field = (const char *)field_base((struct config *)c, slot) + k->off;
	switch (k->type) {
	case T_STRING:
	case T_PATH:
	case T_NAME:
	case T_ADAPTER:
	case T_FORMAT:
	case T_LISTEN:
	case T_URL:
		snprintf(buf, len, "%s", field);
		break;
	case T_BOOL:
		snprintf(buf, len, "%s", *(const bool *)field ? "true" : "false");
		break;
	case T_U16:
		snprintf(buf, len, "%u", (unsigned)*(const uint16_t *)field);
		break;
	case T_U32:
		snprintf(buf, len, "%u", (unsigned)*(const uint32_t *)field);
		break;
	case T_U64:
	case T_POW2:
		snprintf(buf, len, "%llu", (unsigned long long)*(const uint64_t *)field);
		break;
	case T_INT:
		snprintf(buf, len, "%d", *(const int *)field);
		break;
	case T_MODE:
		snprintf(buf, len, "%04o", (unsigned)*(const mode_t *)field);
		break;
	case T_LEVEL:
		snprintf(buf, len, "%s", log_level_name(*(const int *)field));
		break;
	case T_SYMBOLS:
		buf[0] = '\0'; /* written symbol by symbol by the callers */
		break;
	}
}

static uint64_t section_hash(const struct config *c, int slot)
{
	uint64_t h = HASH_FNV1A64_INIT;
	enum sect s = slot_sect(slot);
	char val[CONFIG_STR_MAX + 8];
	if (s == SECT_EXCHANGE)
		h = hash_fnv1a64_update(h, c->exchanges[slot - SECT_EXCHANGE].name,
					strlen(c->exchanges[slot - SECT_EXCHANGE].name) + 1);
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (keys[i].sect != s)
			continue;
		h = hash_fnv1a64_update(h, keys[i].name, strlen(keys[i].name) + 1);
		if (keys[i].type == T_SYMBOLS) {
			const struct config_exchange *ex = &c->exchanges[slot - SECT_EXCHANGE];
			for (size_t j = 0; j < ex->symbol_count; j++)
				h = hash_fnv1a64_update(h, ex->symbols[j], strlen(ex->symbols[j]) + 1);
		} else {
			value_text(c, slot, &keys[i], val, sizeof(val));
			h = hash_fnv1a64_update(h, val, strlen(val) + 1);
		}
	}
	return h;
}

/* ---- public ---- */

struct config *config_new(void)
{
	return calloc(1, sizeof(struct config));
}

void config_free(struct config *c)
{
	free(c);
}

static int read_file(const char *path, char **out, size_t *out_len)
{
	int rc = 0;
	char *buf = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	buf = malloc(CONFIG_FILE_MAX + 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	size_t n = fread(buf, 1, CONFIG_FILE_MAX + 1, f);
	if (ferror(f)) {
		rc = -EIO;
		goto out;
	}
	if (n > CONFIG_FILE_MAX) {
		rc = -EFBIG;
		goto out;
	}
	*out = buf;
	*out_len = n;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return rc;
}

int config_load(struct config *c, const char *path, char *const *envp, char *errbuf, size_t errbuf_len)
{
	int rc;
	char *text = NULL;
	struct load *ld = calloc(1, sizeof(*ld));
	if (!ld)
		return -ENOMEM;
	if (errbuf && errbuf_len)
		errbuf[0] = '\0';
	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	ld->c = c;
	ld->path = path;
	ld->err = errbuf;
	ld->err_len = errbuf_len;
	ld->slot = SECT_TOP;
	for (int s = 0; s < SECT_EXCHANGE; s++)
		apply_defaults(ld, s);

	size_t text_len = 0;
	rc = read_file(path, &text, &text_len);
	if (rc < 0) {
		error_at(ld, at_line(0), "cannot read: %s", strerror(-rc));
		goto out;
	}
	ld->text = text;
	ld->text_len = text_len;
	/* Syntax errors inih finds are reported by check_previous_line(); its
	 * return value (the first such line) adds nothing. */
	ini_parse_stream(reader, ld, handler, ld);

	for (char *const *e = envp ? envp : environ; e && *e; e++)
		apply_env_var(ld, *e);
	check_all(ld);
	for (size_t i = 0; i < c->exchange_count; i++)
		c->exchanges[i].config_hash = section_hash(c, SECT_EXCHANGE + (int)i);
	c->aggregator.config_hash = section_hash(c, SECT_AGGREGATOR);
	c->writer.config_hash = section_hash(c, SECT_WRITER);
	rc = ld->errors;
out:
	free(text);
	free(ld);
	return rc;
}

const struct config_exchange *config_exchange_find(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->exchange_count; i++)
		if (strcmp(c->exchanges[i].name, name) == 0)
			return &c->exchanges[i];
	return NULL;
}

int config_dump(const struct config *c, FILE *out)
{
	char val[CONFIG_STR_MAX + 8];
	int slot_count = SECT_EXCHANGE + (int)c->exchange_count;
	for (int slot = 0; slot < slot_count; slot++) {
		char label[48];
		enum sect s = slot_sect(slot);
		fprintf(out, "%s%s\n", slot ? "\n" : "", slot_label(c, slot, label, sizeof(label)));
		for (size_t i = 0; i < KEY_COUNT; i++) {
			if (keys[i].sect != s)
				continue;
			fprintf(out, "%s = ", keys[i].name);
			if (keys[i].type == T_SYMBOLS) {
				const struct config_exchange *ex = &c->exchanges[slot - SECT_EXCHANGE];
				for (size_t j = 0; j < ex->symbol_count; j++)
					fprintf(out, "%s%s", j ? ", " : "", ex->symbols[j]);
				fputc('\n', out);
			} else {
				value_text(c, slot, &keys[i], val, sizeof(val));
				fprintf(out, "%s\n", val);
			}
		}
	}
	return ferror(out) ? -EIO : 0;
}

int config_check_file(const char *path, FILE *out)
{
	enum { ERRBUF_LEN = 64 * 1024 };
	int rc;
	char *err = malloc(ERRBUF_LEN);
	struct config *c = config_new();
	if (!err || !c) {
		fprintf(out, "%s: out of memory\n", path);
		rc = -ENOMEM;
		goto out;
	}
	rc = config_load(c, path, NULL, err, ERRBUF_LEN);
	fputs(err, out);
	if (rc == 0)
		fprintf(out, "%s: ok (%zu exchanges)\n", path, c->exchange_count);
	else if (rc > 0)
		fprintf(out, "%s: %d error%s\n", path, rc, rc == 1 ? "" : "s");
out:
	free(err);
	config_free(c);
	return rc;
}
