/* Loading the INI configuration: the file through libinih with line
 * numbers, environment overrides, and the checks across keys. */
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

#include "common/basis_pairs.h"
#include "common/candle_interval.h"
#include "common/config_keys.h"
#include "common/symbol_name.h"

extern char **environ;

/* The whole file is read first; a config larger than this is a mistake. */
#define CONFIG_FILE_MAX (1024 * 1024)

/* ld->slot when no key may be stored */
#define SLOT_NONE (-1) /* an unknown or broken section: its keys are skipped */
#define SLOT_TOP (-2)  /* before the first section header */

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
	int slot;               /* current section slot, SLOT_NONE if unknown/invalid */
	bool symbols_bad[CONFIG_SLOTS]; /* an entry was refused: "empty list" would only repeat it */
	int sect_line[CONFIG_SLOTS];
	struct loc key_loc[CONFIG_SLOTS][CONFIG_KEYS_MAX];
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

static size_t key_index(const struct config_key *k)
{
	return (size_t)(k - config_keys);
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
		} else if (!symbol_name_valid(item, n)) {
			char upper[CONFIG_NAME_MAX];
			bool fixable = n < CONFIG_NAME_MAX;
			for (size_t i = 0; fixable && i < n; i++)
				upper[i] = (char)toupper((unsigned char)item[i]);
			if (fixable && symbol_name_valid(upper, n))
				error_at(ld, where, "[exchange.%s] symbols: '%.*s' is not canonical: write '%.*s'", ex->name,
					 (int)n, item, (int)n, upper);
			else
				error_at(ld, where,
					 "[exchange.%s] symbols: '%.*s' is not a symbol: expected BASE-QUOTE in upper case, "
					 "e.g. BTC-USDT (BTC-USDT-PERP for a perpetual), at most %d characters",
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

/*
 * Sets key k of slot from text s. Errors name the key and where the value
 * came from. append: a continuation line of a symbols list.
 */
static void set_value(struct load *ld, int slot, const struct config_key *k, const char *s, struct loc where,
		      bool append)
{
	char label[48];
	char msg[160];
	size_t n = strlen(s);
	char unq[CONFIG_STR_MAX + 2];

	/* "quoted values" are accepted, as in many INI dialects. */
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"' && n - 2 < sizeof(unq)) {
		memcpy(unq, s + 1, n - 2);
		unq[n - 2] = '\0';
		s = unq;
	}
	if (k->type == CONFIG_T_SYMBOLS) {
		int before = ld->errors;
		parse_symbols(ld, where, &ld->c->exchanges[slot - CONFIG_SECT_EXCHANGE], s, append);
		ld->symbols_bad[slot] |= ld->errors != before;
		return;
	}
	const char *bad = config_key_parse(ld->c, slot, k, s, msg, sizeof(msg));
	if (bad)
		error_at(ld, where, "%s %s: %s (got '%.*s')", config_slot_label(ld->c, slot, label, sizeof(label)),
			 k->name, bad, 64, s);
}

/* ---- sections ---- */

static void apply_defaults(struct load *ld, int slot)
{
	enum config_sect s = config_slot_sect(slot);
	for (size_t i = 0; i < config_key_count; i++)
		if (config_keys[i].sect == s && config_keys[i].def)
			set_value(ld, slot, &config_keys[i], config_keys[i].def, at_line(0), false);
}

/* "[exchange.NAME]" or "[bridge.NAME]" (kind is "exchange" or "bridge"): the
 * next of max slots from first, whose name field is name_at(i); returns the
 * slot or SLOT_NONE. */
static char *exchange_name_at(struct config *c, size_t i)
{
	return c->exchanges[i].name;
}

static char *bridge_name_at(struct config *c, size_t i)
{
	return c->bridges[i].name;
}

static char *alert_name_at(struct config *c, size_t i)
{
	return c->alerts[i].name;
}

static size_t *exchange_count(struct config *c)
{
	return &c->exchange_count;
}

static size_t *bridge_count(struct config *c)
{
	return &c->bridge_count;
}

static size_t *alert_count(struct config *c)
{
	return &c->alert_count;
}

/* The sections with a name: [KIND.NAME] in the file, and
 * SPREADBUS_<ENV_PREFIX><NAME>_<KEY> in the environment. */
struct named_kind {
	const char *kind, *env_prefix;
	int first_slot;
	size_t max;
	size_t *(*count)(struct config *c);
	char *(*name_at)(struct config *c, size_t i);
};

static const struct named_kind named_kinds[] = {
	{ "exchange", "EXCHANGE_", CONFIG_SECT_EXCHANGE, CONFIG_MAX_EXCHANGES, exchange_count, exchange_name_at },
	{ "bridge", "BRIDGE_", CONFIG_SLOT_BRIDGE, CONFIG_MAX_BRIDGES, bridge_count, bridge_name_at },
	{ "alert", "ALERT_", CONFIG_SLOT_ALERT, CONFIG_MAX_ALERTS, alert_count, alert_name_at },
};
#define NAMED_KINDS (sizeof(named_kinds) / sizeof(named_kinds[0]))

static int open_named_section(struct load *ld, const struct named_kind *nk, const char *sub, int line)
{
	size_t *count = nk->count(ld->c);
	if (!config_name_valid(sub)) {
		error_at(ld, at_line(line), "[%s.%s]: %s name must be 1 to 23 characters of a-z, 0-9 and '-'", nk->kind,
			 sub, nk->kind);
		return SLOT_NONE;
	}
	for (size_t i = 0; i < *count; i++) {
		if (strcmp(nk->name_at(ld->c, i), sub) == 0) {
			error_at(ld, at_line(line), "duplicate section [%s.%s] (first at line %d)", nk->kind, sub,
				 ld->sect_line[nk->first_slot + (int)i]);
			return SLOT_NONE;
		}
	}
	if (*count >= nk->max) {
		error_at(ld, at_line(line), "[%s.%s]: more than %zu %s sections", nk->kind, sub, nk->max, nk->kind);
		return SLOT_NONE;
	}
	int slot = nk->first_slot + (int)*count;
	memcpy(nk->name_at(ld->c, (*count)++), sub, strlen(sub) + 1);
	apply_defaults(ld, slot);
	ld->sect_line[slot] = line;
	return slot;
}

/* A section header line "[name]": returns the slot or SLOT_NONE. */
static int open_section(struct load *ld, const char *name, int line)
{
	struct config *c = ld->c;
	int slot = SLOT_NONE;
	for (int s = 0; s < CONFIG_SECT_EXCHANGE; s++)
		if (strcmp(name, config_sect_names[s]) == 0)
			slot = s;
	for (size_t t = 0; slot == SLOT_NONE && t < NAMED_KINDS; t++) {
		const struct named_kind *nk = &named_kinds[t];
		size_t n = strlen(nk->kind);
		if (strncmp(name, nk->kind, n) != 0 || name[n] != '.')
			continue;
		slot = open_named_section(ld, nk, name + n + 1, line);
		if (slot != SLOT_NONE && nk->first_slot == CONFIG_SECT_EXCHANGE) {
			/* an exchange's adapter is its name unless the section says otherwise */
			struct config_exchange *ex = &c->exchanges[slot - CONFIG_SECT_EXCHANGE];
			memcpy(ex->adapter, ex->name, sizeof(ex->adapter));
		}
		return slot;
	}
	if (slot == SLOT_NONE) {
		error_at(ld, at_line(line),
			 "unknown section [%s] (known: service, http, restart, redis, aggregator, writer, gateway, "
			 "exchange.NAME, bridge.NAME, alert.NAME)",
			 name);
		return SLOT_NONE;
	}
	if (ld->sect_line[slot]) {
		error_at(ld, at_line(line), "duplicate section [%s] (first at line %d)", name, ld->sect_line[slot]);
		return SLOT_NONE;
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
		ld->slot = SLOT_NONE;
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
			ld->slot = SLOT_NONE;
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
	if (ld->slot == SLOT_TOP) {
		error_at(ld, at_line(ld->line), "key '%s' before any [section]", name);
		return 1;
	}
	if (ld->slot == SLOT_NONE)
		return 1; /* the section header was reported already */
	struct loc where = at_line(ld->line);
	char label[48];
	config_slot_label(ld->c, ld->slot, label, sizeof(label));
	const struct config_key *k = config_key_find(config_slot_sect(ld->slot), name);
	if (ld->line_continues) {
		set_value(ld, ld->slot, k, value, where, true);
		return 1;
	}
	if (!k) {
		error_at(ld, where, "%s: unknown key '%s'", label, name);
		ld->last_key_symbols = false;
		return 1;
	}
	ld->last_key_symbols = k->type == CONFIG_T_SYMBOLS;
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
	int slot = SLOT_NONE;
	size_t best = 0;
	for (int s = 0; s < CONFIG_SECT_EXCHANGE; s++) {
		char up[32];
		env_upper(up, sizeof(up), config_sect_names[s]);
		size_t n = strlen(up);
		if (strncmp(rest, up, n) == 0 && rest[n] == '_') {
			slot = s;
			best = n + 1;
		}
	}
	for (size_t t = 0; t < NAMED_KINDS; t++) {
		const struct named_kind *nk = &named_kinds[t];
		size_t plen = strlen(nk->env_prefix);
		if (strncmp(rest, nk->env_prefix, plen) != 0)
			continue;
		/* The longest section name that matches wins ("a" vs "a-b"). */
		for (size_t i = 0; i < *nk->count(ld->c); i++) {
			char up[CONFIG_NAME_MAX + 16];
			env_upper(up, sizeof(up), nk->name_at(ld->c, i));
			size_t n = strlen(up);
			if (strncmp(rest + plen, up, n) == 0 && rest[plen + n] == '_' && plen + n + 1 > best) {
				slot = nk->first_slot + (int)i;
				best = plen + n + 1;
			}
		}
		if (slot < nk->first_slot) {
			error_at(ld, (struct loc){ .env = var },
				 "no [%s.NAME] section in %s matches this variable: overrides only change "
				 "%s sections defined in the file",
				 nk->kind, ld->path, nk->kind);
			return;
		}
		break;
	}
	if (slot == SLOT_NONE)
		return;
	char key[64];
	size_t kn = strlen(rest + best);
	if (kn >= sizeof(key))
		kn = sizeof(key) - 1;
	for (size_t i = 0; i < kn; i++)
		key[i] = (char)tolower((unsigned char)rest[best + i]);
	key[kn] = '\0';
	struct loc where = { .line = 0, .env = var };
	const struct config_key *k = config_key_find(config_slot_sect(slot), key);
	if (!k) {
		char label[48];
		error_at(ld, where, "%s has no key '%s'", config_slot_label(ld->c, slot, label, sizeof(label)), key);
		return;
	}
	ld->key_loc[slot][key_index(k)] = where;
	set_value(ld, slot, k, eq + 1, where, false);
}

/* ---- checks across keys, once everything is set ---- */

/* Where key `name` of slot was set, else its section header, else the file. */
static struct loc key_where(const struct load *ld, int slot, const char *name)
{
	const struct config_key *k = config_key_find(config_slot_sect(slot), name);
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
		 config_slot_label(ld->c, slot, label, sizeof(label)), hi_name, (unsigned long long)hi, lo_name,
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
	config_slot_label(ld->c, slot, label, sizeof(label));
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
		error_at(ld, key_where(ld, CONFIG_SECT_SERVICE, "state_dir"),
			 "[writer] %s: the default '<state_dir>/%s' is longer than %d characters", key, leaf,
			 CONFIG_PATH_MAX - 1);
	}
}

static void check_exchange(struct load *ld, int slot)
{
	struct config_exchange *ex = &ld->c->exchanges[slot - CONFIG_SECT_EXCHANGE];
	if (strcmp(ex->source, "collector") != 0 && strcmp(ex->source, "bridge") != 0)
		error_at(ld, key_where(ld, slot, "source"),
			 "[exchange.%s] source: '%s' is neither 'collector' nor 'bridge'", ex->name, ex->source);
	if (!config_exchange_bridged(ex) && !config_adapter_known(ex->adapter))
		error_at(ld, key_where(ld, slot, "adapter"),
			 "[exchange.%s] adapter: unknown adapter '%s' (known: binance, binance-usdm, bitget, bybit, "
			 "coinbase, deribit, gateio, htx, kraken, okx)",
			 ex->name, ex->adapter);
	const struct loc *set = &ld->key_loc[slot][key_index(config_key_find(CONFIG_SECT_EXCHANGE, "symbols"))];
	bool listed = !config_universe_auto(ld->c); /* auto: discovered, a symbols list is not needed */
	if (listed && !set->line && !set->env)
		error_at(ld, at_line(ld->sect_line[slot]),
			 "[exchange.%s]: symbols is required (e.g. symbols = BTC-USDT, ETH-USDT)", ex->name);
	else if (listed && ex->symbol_count == 0 && !ld->symbols_bad[slot])
		error_at(ld, *set, "[exchange.%s] symbols: the list is empty", ex->name);
	if (!ex->quotes && !ex->trades)
		error_at(ld, key_where(ld, slot, "trades"), "[exchange.%s]: quotes and trades are both off", ex->name);
	check_order(ld, slot, ex->reconnect_min_ms, "reconnect_min_ms", ex->reconnect_max_ms, "reconnect_max_ms");
}

static bool csv_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		p += strspn(p, " \t,");
		size_t len = strcspn(p, ",");
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

static void check_bridge(struct load *ld, int slot)
{
	const struct config *c = ld->c;
	const struct config_bridge *b = &c->bridges[slot - CONFIG_SLOT_BRIDGE];
	bool import = strcmp(b->mode, "import") == 0;
	/* The child "bridge.NAME" and its reader slots "bridge-NAME" must fit
	 * a child's and a reader slot's names. */
	if (strlen(b->name) > CONFIG_BRIDGE_NAME_MAX)
		error_at(ld, at_line(ld->sect_line[slot]), "[bridge.%s]: a bridge name has at most %d characters",
			 b->name, CONFIG_BRIDGE_NAME_MAX);
	if (!import && strcmp(b->mode, "export") != 0)
		error_at(ld, key_where(ld, slot, "mode"), "[bridge.%s] mode: expected export or import (got '%s')",
			 b->name, b->mode);
	if (!b->urls[0])
		error_at(ld, key_where(ld, slot, "urls"), "[bridge.%s] urls: empty", b->name);
	if (strcmp(b->storage, "file") != 0 && strcmp(b->storage, "memory") != 0)
		error_at(ld, key_where(ld, slot, "storage"), "[bridge.%s] storage: expected file or memory (got '%s')",
			 b->name, b->storage);
	check_order(ld, slot, b->retry_min_ms, "retry_min_ms", b->retry_max_ms, "retry_max_ms");
	if (!import)
		return;
	if (!config_name_valid(b->source_instance))
		error_at(ld, key_where(ld, slot, "source_instance"),
			 "[bridge.%s] source_instance: the exporting instance's name is required for import", b->name);
	if (strcmp(b->rings, "*") == 0) {
		error_at(ld, key_where(ld, slot, "rings"),
			 "[bridge.%s] rings: an import names its rings (each an [exchange.NAME] with source = bridge)",
			 b->name);
		return;
	}
	/* Every imported ring is an exchange fed by this bridge, and the other
	 * way round: a source = bridge exchange no bridge imports stays empty. */
	for (size_t i = 0; i < c->exchange_count; i++) {
		const struct config_exchange *ex = &c->exchanges[i];
		if (csv_has(b->rings, ex->name) && !config_exchange_bridged(ex))
			error_at(ld, key_where(ld, slot, "rings"),
				 "[bridge.%s] rings: [exchange.%s] is imported but has source = %s (write source = bridge)",
				 b->name, ex->name, ex->source);
	}
}

static void check_bridged_exchanges(struct load *ld)
{
	const struct config *c = ld->c;
	for (size_t i = 0; i < c->exchange_count; i++) {
		if (!config_exchange_bridged(&c->exchanges[i]))
			continue;
		bool fed = false;
		for (size_t j = 0; j < c->bridge_count; j++)
			fed |= strcmp(c->bridges[j].mode, "import") == 0 && csv_has(c->bridges[j].rings, c->exchanges[i].name);
		if (!fed)
			error_at(ld, key_where(ld, CONFIG_SECT_EXCHANGE + (int)i, "source"),
				 "[exchange.%s] source = bridge, but no [bridge.NAME] with mode = import lists it in rings",
				 c->exchanges[i].name);
	}
}

static void check_all(struct load *ld)
{
	struct config *c = ld->c;
	if (c->exchange_count == 0)
		error_at(ld, at_line(0), "no exchange configured: add an [exchange.NAME] section");
	for (size_t i = 0; i < c->exchange_count; i++)
		check_exchange(ld, CONFIG_SECT_EXCHANGE + (int)i);
	for (size_t i = 0; i < c->bridge_count; i++)
		check_bridge(ld, CONFIG_SLOT_BRIDGE + (int)i);
	check_bridged_exchanges(ld);
	if (strcmp(c->universe.mode, "list") != 0 && !config_universe_auto(c))
		error_at(ld, key_where(ld, CONFIG_SECT_UNIVERSE, "mode"), "[universe] mode: '%s' is neither 'list' nor 'auto'",
			 c->universe.mode);
	check_order(ld, CONFIG_SECT_RESTART, c->restart.backoff_initial_ms, "backoff_initial_ms", c->restart.backoff_max_ms,
		    "backoff_max_ms");
	check_order(ld, CONFIG_SECT_RESTART, c->restart.hold_ms, "hold_ms", c->restart.hold_max_ms, "hold_max_ms");
	check_order(ld, CONFIG_SECT_REDIS, c->redis.breaker_min_ms, "breaker_min_ms", c->redis.breaker_max_ms,
		    "breaker_max_ms");
	char why[160];
	int n = candle_intervals_parse(c->candles.intervals, c->candles.interval_ns, why, sizeof(why));
	if (n < 0)
		error_at(ld, key_where(ld, CONFIG_SECT_CANDLES, "intervals"), "%s", why);
	c->candles.interval_count = n > 0 ? (uint32_t)n : 0;
	n = basis_pairs_parse(c->aggregator.basis, c->aggregator.basis_pairs, why, sizeof(why));
	if (n < 0)
		error_at(ld, key_where(ld, CONFIG_SECT_AGGREGATOR, "basis"), "[aggregator] basis: %s", why);
	c->aggregator.basis_count = n > 0 ? (uint32_t)n : 0;
	if (c->redis.enabled && !c->redis.unix_socket[0] && !c->redis.host[0])
		error_at(ld, key_where(ld, CONFIG_SECT_REDIS, "host"), "[redis] host: empty, and no unix_socket either");

	derive_dir(ld, c->writer.data_dir, "data_dir", "data");
	derive_dir(ld, c->writer.journal_dir, "journal_dir", "journal");
	check_dir(ld, CONFIG_SECT_SERVICE, "runtime_dir", c->runtime_dir);
	check_dir(ld, CONFIG_SECT_SERVICE, "state_dir", c->state_dir);
	if (c->writer.enabled) {
		check_dir(ld, CONFIG_SECT_WRITER, "data_dir", c->writer.data_dir);
		check_dir(ld, CONFIG_SECT_WRITER, "journal_dir", c->writer.journal_dir);
	}
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
	ld->slot = SLOT_TOP;
	for (int s = 0; s < CONFIG_SECT_EXCHANGE; s++)
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
		c->exchanges[i].config_hash = config_slot_hash(c, CONFIG_SECT_EXCHANGE + (int)i);
	c->aggregator.config_hash = config_slot_hash(c, CONFIG_SECT_AGGREGATOR) * 31 + config_slot_hash(c, CONFIG_SECT_CANDLES);
	for (size_t i = 0; i < c->alert_count; i++)
		c->aggregator.config_hash = c->aggregator.config_hash * 31 + config_slot_hash(c, CONFIG_SLOT_ALERT + (int)i);
	c->writer.config_hash = config_slot_hash(c, CONFIG_SECT_WRITER);
	for (size_t i = 0; i < c->bridge_count; i++) {
		struct config_bridge *b = &c->bridges[i];
		b->config_hash = config_slot_hash(c, CONFIG_SLOT_BRIDGE + (int)i);
		snprintf(b->child_name, sizeof(b->child_name), "bridge.%.*s", CONFIG_BRIDGE_NAME_MAX, b->name);
	}
	c->gateway.config_hash = config_slot_hash(c, CONFIG_SECT_GATEWAY);
	rc = ld->errors;
out:
	free(text);
	free(ld);
	return rc;
}

const struct config_bridge *config_bridge_find(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->bridge_count; i++)
		if (strcmp(c->bridges[i].name, name) == 0)
			return &c->bridges[i];
	return NULL;
}

const struct config_exchange *config_exchange_find(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->exchange_count; i++)
		if (strcmp(c->exchanges[i].name, name) == 0)
			return &c->exchanges[i];
	return NULL;
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
		fprintf(out, "%s: ok (%zu exchange%s)\n", path, c->exchange_count, c->exchange_count == 1 ? "" : "s");
	else if (rc > 0)
		fprintf(out, "%s: %d error%s\n", path, rc, rc == 1 ? "" : "s");
out:
	free(err);
	config_free(c);
	return rc;
}
