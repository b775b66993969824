/* The configuration keys: the table with types, ranges and defaults, and
 * what each type accepts, how it is printed and how a section is hashed. */
#include "common/config_keys.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/log.h"
#include "common/netaddr.h"

#define RING_CAPACITY_MIN 1024ULL
#define RING_CAPACITY_MAX (1ULL << 30)
#define DUMP_SYMBOLS_PER_LINE 6 /* 6 * (23 + 2) characters fit a 198-character line */

const char *const config_sect_names[] = {
	"service", "http", "restart", "redis", "aggregator", "writer", "gateway", "universe", "candles", "exchange", "bridge", "alert",
};

/* Shorthands for the table: K(section, key, type), then the field in
 * struct config (C) or struct config_exchange (X). */
#define K(sect, name, type) CONFIG_SECT_##sect, name, CONFIG_T_##type
#define FIELD(s, f) offsetof(s, f), sizeof(((s *)0)->f)
#define C(f) FIELD(struct config, f)
#define X(f) FIELD(struct config_exchange, f)
#define B(f) FIELD(struct config_bridge, f)
#define A(f) FIELD(struct config_alert, f)
#define MS_HOUR 3600000
#define MS_DAY 86400000

const struct config_key config_keys[] = {
	{ K(SERVICE, "instance", NAME), C(instance), 0, 0, "spreadbus" },
	{ K(SERVICE, "runtime_dir", PATH), C(runtime_dir), 0, 0, "/run/spreadbus" },
	{ K(SERVICE, "state_dir", PATH), C(state_dir), 0, 0, "/var/lib/spreadbus" },
	{ K(SERVICE, "bin_dir", PATH), C(bin_dir), 0, 0, "" },
	{ K(SERVICE, "ring_capacity", POW2), C(ring_capacity), RING_CAPACITY_MIN, RING_CAPACITY_MAX, "1048576" },
	{ K(SERVICE, "shm_mode", MODE), C(shm_mode), 0600, 0777, "0600" },
	{ K(SERVICE, "log_format", FORMAT), C(log_format), 0, 0, "text" },
	{ K(SERVICE, "log_level", LEVEL), C(log_level), 0, 0, "info" },
	{ K(SERVICE, "reload_debounce_ms", U32), C(reload_debounce_ms), 0, 60000, "1000" },
	{ K(SERVICE, "reload_min_interval_ms", U32), C(reload_min_interval_ms), 0, MS_HOUR, "5000" },

	{ K(HTTP, "listen", LISTEN), C(http_listen), 0, 0, "127.0.0.1:9280" },

	{ K(RESTART, "backoff_initial_ms", U32), C(restart.backoff_initial_ms), 0, MS_HOUR, "500" },
	{ K(RESTART, "backoff_max_ms", U32), C(restart.backoff_max_ms), 1, MS_HOUR, "30000" },
	{ K(RESTART, "burst_count", U32), C(restart.burst_count), 1, 1000, "5" },
	{ K(RESTART, "burst_window_s", U32), C(restart.burst_window_s), 1, 86400, "60" },
	{ K(RESTART, "hold_ms", U32), C(restart.hold_ms), 0, MS_DAY, "60000" },
	{ K(RESTART, "hold_max_ms", U32), C(restart.hold_max_ms), 0, MS_DAY, "600000" },
	{ K(RESTART, "stop_timeout_ms", U32), C(restart.stop_timeout_ms), 1, 600000, "3000" },

	{ K(REDIS, "enabled", BOOL), C(redis.enabled), 0, 0, "true" },
	{ K(REDIS, "host", STRING), C(redis.host), 0, 0, "127.0.0.1" },
	{ K(REDIS, "port", U16), C(redis.port), 1, 65535, "6379" },
	{ K(REDIS, "unix_socket", PATH), C(redis.unix_socket), 0, 0, "" },
	{ K(REDIS, "password", STRING), C(redis.password), 0, 0, "" },
	{ K(REDIS, "db", U32), C(redis.db), 0, 1000000, "0" },
	{ K(REDIS, "stream_maxlen", U32), C(redis.stream_maxlen), 0, 1000000000, "100000" },
	{ K(REDIS, "connect_timeout_ms", U32), C(redis.connect_timeout_ms), 1, 600000, "1000" },
	{ K(REDIS, "breaker_min_ms", U32), C(redis.breaker_min_ms), 1, MS_HOUR, "200" },
	{ K(REDIS, "breaker_max_ms", U32), C(redis.breaker_max_ms), 1, MS_HOUR, "5000" },
	{ K(REDIS, "max_pending", U32), C(redis.max_pending), 1, 10000000, "10000" },

	{ K(AGGREGATOR, "window_s", U32), C(aggregator.window_s), 1, 86400, "900" },
	{ K(AGGREGATOR, "stale_quote_ms", U32), C(aggregator.stale_quote_ms), 1, MS_HOUR, "5000" },
	{ K(AGGREGATOR, "window_buckets", U32), C(aggregator.window_buckets), 1, 86400, "60" },
	{ K(AGGREGATOR, "max_window_memory_mb", U32), C(aggregator.max_window_memory_mb), 1, 65536, "256" },
	{ K(AGGREGATOR, "publish_interval_ms", U32), C(aggregator.publish_interval_ms), 0, MS_HOUR, "0" },
	{ K(AGGREGATOR, "pairs_interval_ms", U32), C(aggregator.pairs_interval_ms), 0, MS_HOUR, "1000" },
	{ K(AGGREGATOR, "max_batch_delay_us", U32), C(aggregator.max_batch_delay_us), 0, 1000000, "200" },
	{ K(AGGREGATOR, "heartbeat_timeout_ms", U32), C(aggregator.heartbeat_timeout_ms), 100, MS_HOUR, "5000" },
	{ K(AGGREGATOR, "basis", STRING), C(aggregator.basis), 0, 0, "" },

	{ K(CANDLES, "enabled", BOOL), C(candles.enabled), 0, 0, "true" },
	{ K(CANDLES, "intervals", STRING), C(candles.intervals), 0, 0, "1m" },
	{ K(CANDLES, "grace_ms", U32), C(candles.grace_ms), 0, MS_HOUR, "2000" },
	{ K(CANDLES, "open_publish_ms", U32), C(candles.open_publish_ms), 0, MS_HOUR, "1000" },
	{ K(CANDLES, "backlog", U32), C(candles.backlog), 1, 10000000, "100000" },
	{ K(CANDLES, "stream_maxlen", U32), C(candles.stream_maxlen), 0, 1000000000, "100000" },

	{ K(WRITER, "enabled", BOOL), C(writer.enabled), 0, 0, "true" },
	{ K(WRITER, "data_dir", PATH), C(writer.data_dir), 0, 0, "" },
	{ K(WRITER, "journal_dir", PATH), C(writer.journal_dir), 0, 0, "" },
	{ K(WRITER, "row_group_rows", U32), C(writer.row_group_rows), 1, 16777216, "65536" },
	{ K(WRITER, "rotate_s", U32), C(writer.rotate_s), 1, 7 * 86400, "3600" },
	{ K(WRITER, "rotate_bytes", U64), C(writer.rotate_bytes), 1, 1LL << 40, "268435456" },
	{ K(WRITER, "journal_fsync_ms", U32), C(writer.journal_fsync_ms), 0, 60000, "200" },
	{ K(WRITER, "compression_level", INT), C(writer.compression_level), 1, 22, "3" },
	{ K(WRITER, "heartbeat_timeout_ms", U32), C(writer.heartbeat_timeout_ms), 100, MS_HOUR, "10000" },

	{ K(GATEWAY, "enabled", BOOL), C(gateway.enabled), 0, 0, "true" },
	{ K(GATEWAY, "listen", LISTEN), C(gateway.listen), 0, 0, "127.0.0.1:9281" },
	{ K(GATEWAY, "www_dir", PATH), C(gateway.www_dir), 0, 0, "" },
	{ K(GATEWAY, "ping_interval_ms", U32), C(gateway.ping_interval_ms), 100, MS_HOUR, "10000" },
	{ K(GATEWAY, "ping_timeout_ms", U32), C(gateway.ping_timeout_ms), 100, MS_HOUR, "30000" },
	{ K(GATEWAY, "max_clients", U32), C(gateway.max_clients), 1, 100000, "1000" },
	{ K(GATEWAY, "max_subscriptions_per_client", U32), C(gateway.max_subscriptions_per_client), 1, 100000, "256" },
	{ K(GATEWAY, "max_message_bytes", U32), C(gateway.max_message_bytes), 256, 1048576, "16384" },
	{ K(GATEWAY, "queue_messages", U32), C(gateway.queue_messages), 16, 1000000, "4096" },
	{ K(GATEWAY, "conflate_after_ms", U32), C(gateway.conflate_after_ms), 1, MS_HOUR, "50" },
	{ K(GATEWAY, "token", STRING), C(gateway.token), 0, 0, "" },
	{ K(GATEWAY, "allowed_origins", STRING), C(gateway.allowed_origins), 0, 0, "" },
	{ K(GATEWAY, "heartbeat_timeout_ms", U32), C(gateway.heartbeat_timeout_ms), 100, MS_HOUR, "5000" },

	{ K(UNIVERSE, "mode", STRING), C(universe.mode), 0, 0, "list" },
	{ K(UNIVERSE, "min_exchanges", U32), C(universe.min_exchanges), 1, CONFIG_MAX_EXCHANGES, "2" },
	{ K(UNIVERSE, "min_quote_volume_24h", U64), C(universe.min_quote_volume_24h), 0, 1LL << 53, "1000000" },
	{ K(UNIVERSE, "quote_assets", STRING), C(universe.quote_assets), 0, 0, "USDT, USDC" },
	{ K(UNIVERSE, "max_symbols", U32), C(universe.max_symbols), 1, CONFIG_MAX_SYMBOLS, "1024" },
	{ K(UNIVERSE, "include", STRING), C(universe.include), 0, 0, "" },
	{ K(UNIVERSE, "exclude", STRING), C(universe.exclude), 0, 0, "" },
	{ K(UNIVERSE, "refresh_s", U32), C(universe.refresh_s), 1, 7 * 86400, "3600" },
	{ K(UNIVERSE, "rest_timeout_ms", U32), C(universe.rest_timeout_ms), 100, 600000, "10000" },

	{ K(EXCHANGE, "adapter", ADAPTER), X(adapter), 0, 0, NULL /* = the section's name */ },
	{ K(EXCHANGE, "enabled", BOOL), X(enabled), 0, 0, "true" },
	{ K(EXCHANGE, "symbols", SYMBOLS), X(symbols), 0, 0, NULL /* required */ },
	{ K(EXCHANGE, "quotes", BOOL), X(quotes), 0, 0, "true" },
	{ K(EXCHANGE, "trades", BOOL), X(trades), 0, 0, "true" },
	{ K(EXCHANGE, "url", URL), X(url), 0, 0, "" },
	{ K(EXCHANGE, "rest_url", STRING), X(rest_url), 0, 0, "" },
	{ K(EXCHANGE, "tls_verify", BOOL), X(tls_verify), 0, 0, "true" },
	{ K(EXCHANGE, "ping_interval_ms", U32), X(ping_interval_ms), 0, MS_HOUR, "0" },
	{ K(EXCHANGE, "dead_peer_timeout_ms", U32), X(dead_peer_timeout_ms), 1, MS_HOUR, "60000" },
	{ K(EXCHANGE, "no_data_timeout_ms", U32), X(no_data_timeout_ms), 1, MS_HOUR, "30000" },
	{ K(EXCHANGE, "reconnect_min_ms", U32), X(reconnect_min_ms), 0, MS_HOUR, "100" },
	{ K(EXCHANGE, "reconnect_max_ms", U32), X(reconnect_max_ms), 0, MS_HOUR, "30000" },
	{ K(EXCHANGE, "max_symbols_per_conn", U32), X(max_symbols_per_conn), 0, CONFIG_MAX_SYMBOLS, "0" },
	{ K(EXCHANGE, "max_frame_bytes", U32), X(max_frame_bytes), 1024, 64 * 1024 * 1024, "65536" },
	{ K(EXCHANGE, "max_clock_skew_ms", U32), X(max_clock_skew_ms), 1, MS_DAY, "300000" },
	{ K(EXCHANGE, "connection_lifetime_s", U32), X(connection_lifetime_s), 0, 7 * 86400, "0" },
	{ K(EXCHANGE, "heartbeat_timeout_ms", U32), X(heartbeat_timeout_ms), 100, MS_HOUR, "5000" },
	{ K(EXCHANGE, "source", STRING), X(source), 0, 0, "collector" },
	{ K(EXCHANGE, "taker_fee_bps", DOUBLE), X(taker_fee_bps), 0, 1000, "0" },
	{ K(EXCHANGE, "max_price_jump_pct", DOUBLE), X(max_price_jump_pct), 0, 1000, "0" },

	{ K(BRIDGE, "enabled", BOOL), B(enabled), 0, 0, "true" },
	{ K(BRIDGE, "mode", STRING), B(mode), 0, 0, NULL /* required: export or import */ },
	{ K(BRIDGE, "rings", STRING), B(rings), 0, 0, "*" },
	{ K(BRIDGE, "source_instance", STRING), B(source_instance), 0, 0, "" },
	{ K(BRIDGE, "urls", STRING), B(urls), 0, 0, "nats://127.0.0.1:4222" },
	{ K(BRIDGE, "creds_file", PATH), B(creds_file), 0, 0, "" },
	{ K(BRIDGE, "token", STRING), B(token), 0, 0, "" },
	{ K(BRIDGE, "tls_ca", PATH), B(tls_ca), 0, 0, "" },
	{ K(BRIDGE, "stream", STRING), B(stream), 0, 0, "" },
	{ K(BRIDGE, "create_stream", BOOL), B(create_stream), 0, 0, "true" },
	{ K(BRIDGE, "storage", STRING), B(storage), 0, 0, "file" },
	{ K(BRIDGE, "replicas", U32), B(replicas), 1, 5, "1" },
	{ K(BRIDGE, "max_age_s", U32), B(max_age_s), 0, 365 * 86400, "86400" },
	{ K(BRIDGE, "batch_ticks", U32), B(batch_ticks), 1, 16384, "256" },
	{ K(BRIDGE, "batch_delay_ms", U32), B(batch_delay_ms), 0, 10000, "5" },
	{ K(BRIDGE, "max_in_flight", U32), B(max_in_flight), 1, 65536, "64" },
	{ K(BRIDGE, "retry_min_ms", U32), B(retry_min_ms), 1, MS_HOUR, "200" },
	{ K(BRIDGE, "retry_max_ms", U32), B(retry_max_ms), 1, MS_HOUR, "10000" },
	{ K(BRIDGE, "heartbeat_timeout_ms", U32), B(heartbeat_timeout_ms), 100, MS_HOUR, "5000" },

	{ K(ALERT, "enabled", BOOL), A(enabled), 0, 0, "true" },
	{ K(ALERT, "symbols", STRING), A(symbols), 0, 0, "*" },
	{ K(ALERT, "exchanges", STRING), A(exchanges), 0, 0, "*" },
	{ K(ALERT, "min_net_bps", DOUBLE), A(min_net_bps), -10000, 10000, "0" },
	{ K(ALERT, "min_notional", DOUBLE), A(min_notional), 0, 1LL << 53, "0" },
	{ K(ALERT, "min_duration_ms", U32), A(min_duration_ms), 0, MS_HOUR, "0" },
	{ K(ALERT, "cooldown_ms", U32), A(cooldown_ms), 0, MS_DAY, "60000" },
	{ K(ALERT, "webhook_url", STRING), A(webhook_url), 0, 0, "" },
};
const size_t config_key_count = sizeof(config_keys) / sizeof(config_keys[0]);
_Static_assert(sizeof(config_keys) / sizeof(config_keys[0]) <= CONFIG_KEYS_MAX, "raise CONFIG_KEYS_MAX");

static const char *const adapters[] = { "binance", "binance-usdm", "bitget", "bybit", "coinbase", "deribit", "gateio", "htx", "kraken", "okx" };

const struct config_key *config_key_find(enum config_sect s, const char *name)
{
	for (size_t i = 0; i < config_key_count; i++)
		if (config_keys[i].sect == s && strcmp(config_keys[i].name, name) == 0)
			return &config_keys[i];
	return NULL;
}

/* The key's field in slot. */
static void *config_key_field(struct config *c, int slot, const struct config_key *k)
{
	char *base = slot >= CONFIG_SLOT_ALERT	    ? (char *)&c->alerts[slot - CONFIG_SLOT_ALERT]
		     : slot >= CONFIG_SLOT_BRIDGE   ? (char *)&c->bridges[slot - CONFIG_SLOT_BRIDGE]
		     : slot >= CONFIG_SECT_EXCHANGE ? (char *)&c->exchanges[slot - CONFIG_SECT_EXCHANGE]
						    : (char *)c;
	return base + k->off;
}

const char *config_slot_label(const struct config *c, int slot, char *buf, size_t len)
{
	if (slot >= CONFIG_SLOT_ALERT)
		snprintf(buf, len, "[alert.%s]", c->alerts[slot - CONFIG_SLOT_ALERT].name);
	else if (slot >= CONFIG_SLOT_BRIDGE)
		snprintf(buf, len, "[bridge.%s]", c->bridges[slot - CONFIG_SLOT_BRIDGE].name);
	else if (slot >= CONFIG_SECT_EXCHANGE)
		snprintf(buf, len, "[exchange.%s]", c->exchanges[slot - CONFIG_SECT_EXCHANGE].name);
	else
		snprintf(buf, len, "[%s]", config_sect_names[slot]);
	return buf;
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

static const char *parse_double(const char *s, long long min, long long max, double *out, char *msg, size_t msg_len)
{
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
		return "not a number";
	if (v < (double)min || v > (double)max) {
		snprintf(msg, msg_len, "out of range: must be from %lld to %lld", min, max);
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
bool config_name_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= CONFIG_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

bool config_adapter_known(const char *a)
{
	for (size_t i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++)
		if (strcmp(a, adapters[i]) == 0)
			return true;
	return false;
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

static const char *parse_url(const char *s, char *msg, size_t msg_len)
{
	struct netaddr_url u;
	int rc = netaddr_url_parse(s, &u, msg, msg_len);
	return rc == 0 ? NULL : msg;
}

const char *config_key_parse(struct config *c, int slot, const struct config_key *k, const char *s, char *msg,
			     size_t msg_len)
{
	void *field = config_key_field(c, slot, k);
	size_t n = strlen(s);
	const char *bad = NULL;

	switch (k->type) {
	case CONFIG_T_STRING:
	case CONFIG_T_PATH:
	case CONFIG_T_URL:
	case CONFIG_T_LISTEN:
	case CONFIG_T_ADAPTER:
	case CONFIG_T_NAME:
	case CONFIG_T_FORMAT:
		if (n >= k->size) {
			snprintf(msg, msg_len, "too long: at most %zu characters", k->size - 1);
			return msg;
		}
		if (k->type == CONFIG_T_NAME && !config_name_valid(s))
			bad = "must be 1 to 23 characters of a-z, 0-9 and '-'";
		else if (k->type == CONFIG_T_FORMAT && strcmp(s, "text") != 0 && strcmp(s, "json") != 0)
			bad = "must be text or json";
		else if (k->type == CONFIG_T_URL && n > 0)
			bad = parse_url(s, msg, msg_len);
		else if (k->type == CONFIG_T_LISTEN && n > 0 && netaddr_listen_parse(s, NULL, 0, NULL, msg, msg_len) != 0)
			bad = msg;
		else if (k->type == CONFIG_T_PATH && n > 0 && s[0] != '/')
			bad = "must be an absolute path";
		if (!bad)
			memcpy(field, s, n + 1);
		return bad;
	case CONFIG_T_BOOL:
		return parse_bool(s, field);
	case CONFIG_T_U16:
	case CONFIG_T_U32:
	case CONFIG_T_U64:
	case CONFIG_T_POW2:
	case CONFIG_T_INT: {
		uint64_t v = 0;
		bad = parse_u64(s, (unsigned long long)k->min, (unsigned long long)k->max, &v, msg, msg_len);
		if (!bad && k->type == CONFIG_T_POW2 && (v & (v - 1)) != 0)
			bad = "must be a power of two";
		if (bad)
			return bad;
		if (k->type == CONFIG_T_U16)
			*(uint16_t *)field = (uint16_t)v;
		else if (k->type == CONFIG_T_U32)
			*(uint32_t *)field = (uint32_t)v;
		else if (k->type == CONFIG_T_INT)
			*(int *)field = (int)v; /* ranges of int keys are small */
		else
			*(uint64_t *)field = v;
		return NULL;
	}
	case CONFIG_T_DOUBLE:
		return parse_double(s, k->min, k->max, field, msg, msg_len);
	case CONFIG_T_MODE: {
		char *end;
		errno = 0;
		unsigned long v = strtoul(s, &end, 8);
		if (!isdigit((unsigned char)*s) || *end != '\0' || errno == ERANGE || v > (unsigned long)k->max)
			return "must be an octal file mode, e.g. 0600";
		if ((v & (unsigned long)k->min) != (unsigned long)k->min)
			return "must give the owner read and write access (0600)";
		*(mode_t *)field = (mode_t)v;
		return NULL;
	}
	case CONFIG_T_LEVEL: {
		int lvl = log_level_parse(s);
		if (lvl < 0)
			return "must be err, warning, notice, info or debug";
		*(int *)field = lvl;
		return NULL;
	}
	case CONFIG_T_SYMBOLS:
		break;
	}
	return "cannot be parsed here";
}
/* The value of key k in slot as text (symbol lists are written by the callers). */
static void value_text(const struct config *c, int slot, const struct config_key *k, char *buf, size_t len)
{
	const char *field = config_key_field((struct config *)c, slot, k);
	switch (k->type) {
	case CONFIG_T_STRING:
	case CONFIG_T_PATH:
	case CONFIG_T_NAME:
	case CONFIG_T_ADAPTER:
	case CONFIG_T_FORMAT:
	case CONFIG_T_LISTEN:
	case CONFIG_T_URL:
		snprintf(buf, len, "%s", field);
		break;
	case CONFIG_T_BOOL:
		snprintf(buf, len, "%s", *(const bool *)field ? "true" : "false");
		break;
	case CONFIG_T_U16:
		snprintf(buf, len, "%u", (unsigned)*(const uint16_t *)field);
		break;
	case CONFIG_T_U32:
		snprintf(buf, len, "%u", (unsigned)*(const uint32_t *)field);
		break;
	case CONFIG_T_U64:
	case CONFIG_T_POW2:
		snprintf(buf, len, "%llu", (unsigned long long)*(const uint64_t *)field);
		break;
	case CONFIG_T_INT:
		snprintf(buf, len, "%d", *(const int *)field);
		break;
	case CONFIG_T_DOUBLE:
		snprintf(buf, len, "%.15g", *(const double *)field);
		break;
	case CONFIG_T_MODE:
		snprintf(buf, len, "%04o", (unsigned)*(const mode_t *)field);
		break;
	case CONFIG_T_LEVEL:
		snprintf(buf, len, "%s", log_level_name(*(const int *)field));
		break;
	case CONFIG_T_SYMBOLS:
		buf[0] = '\0'; /* written symbol by symbol by the callers */
		break;
	}
}

uint64_t config_slot_hash(const struct config *c, int slot)
{
	uint64_t h = HASH_FNV1A64_INIT;
	enum config_sect s = config_slot_sect(slot);
	char val[CONFIG_STR_MAX + 8];
	if (s == CONFIG_SECT_EXCHANGE)
		h = hash_fnv1a64_update(h, c->exchanges[slot - CONFIG_SECT_EXCHANGE].name,
					strlen(c->exchanges[slot - CONFIG_SECT_EXCHANGE].name) + 1);
	else if (s == CONFIG_SECT_ALERT)
		h = hash_fnv1a64_update(h, c->alerts[slot - CONFIG_SLOT_ALERT].name,
					strlen(c->alerts[slot - CONFIG_SLOT_ALERT].name) + 1);
	else if (s == CONFIG_SECT_BRIDGE)
		h = hash_fnv1a64_update(h, c->bridges[slot - CONFIG_SLOT_BRIDGE].name,
					strlen(c->bridges[slot - CONFIG_SLOT_BRIDGE].name) + 1);
	for (size_t i = 0; i < config_key_count; i++) {
		if (config_keys[i].sect != s)
			continue;
		h = hash_fnv1a64_update(h, config_keys[i].name, strlen(config_keys[i].name) + 1);
		if (config_keys[i].type == CONFIG_T_SYMBOLS) {
			const struct config_exchange *ex = &c->exchanges[slot - CONFIG_SECT_EXCHANGE];
			for (size_t j = 0; j < ex->symbol_count; j++)
				h = hash_fnv1a64_update(h, ex->symbols[j], strlen(ex->symbols[j]) + 1);
		} else {
			value_text(c, slot, &config_keys[i], val, sizeof(val));
			h = hash_fnv1a64_update(h, val, strlen(val) + 1);
		}
	}
	return h;
}

static void dump_slot(const struct config *c, int slot, FILE *out)
{
	char val[CONFIG_STR_MAX + 8];
	char label[48];
	enum config_sect s = config_slot_sect(slot);
	fprintf(out, "%s%s\n", slot ? "\n" : "", config_slot_label(c, slot, label, sizeof(label)));
	for (size_t i = 0; i < config_key_count; i++) {
		if (config_keys[i].sect != s)
			continue;
		fprintf(out, "%s = ", config_keys[i].name);
		if (config_keys[i].type == CONFIG_T_SYMBOLS) {
			const struct config_exchange *ex = &c->exchanges[slot - CONFIG_SECT_EXCHANGE];
			/* Continuation lines keep every line within libinih's limit. */
			for (size_t j = 0; j < ex->symbol_count; j++)
				fprintf(out, "%s%s", j == 0 ? "" : j % DUMP_SYMBOLS_PER_LINE ? ", " : ",\n    ",
					ex->symbols[j]);
			fputc('\n', out);
		} else {
			value_text(c, slot, &config_keys[i], val, sizeof(val));
			fprintf(out, "%s\n", val);
		}
	}
}

int config_dump(const struct config *c, FILE *out)
{
	for (int slot = 0; slot < CONFIG_SECT_EXCHANGE + (int)c->exchange_count; slot++)
		dump_slot(c, slot, out);
	for (size_t i = 0; i < c->bridge_count; i++)
		dump_slot(c, CONFIG_SLOT_BRIDGE + (int)i, out);
	for (size_t i = 0; i < c->alert_count; i++)
		dump_slot(c, CONFIG_SLOT_ALERT + (int)i, out);
	return ferror(out) ? -EIO : 0;
}
