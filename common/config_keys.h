/* The table of configuration keys, inside common/ only: one entry per key
 * drives defaults, parsing, printing and the per-section hashes. */
#ifndef SPREADBUS_COMMON_CONFIG_KEYS_H
#define SPREADBUS_COMMON_CONFIG_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"

/* A slot is one section instance: the fixed sections, then one slot per
 * exchange from CONFIG_SECT_EXCHANGE on. */
enum config_sect {
	CONFIG_SECT_SERVICE,
	CONFIG_SECT_HTTP,
	CONFIG_SECT_RESTART,
	CONFIG_SECT_REDIS,
	CONFIG_SECT_AGGREGATOR,
	CONFIG_SECT_WRITER,
	CONFIG_SECT_GATEWAY,
	CONFIG_SECT_UNIVERSE,
	CONFIG_SECT_CANDLES,
	CONFIG_SECT_EXCHANGE,
	CONFIG_SECT_BRIDGE,
	CONFIG_SECT_ALERT,
};
/* Slots of [bridge.NAME] sections follow the exchanges' slots. */
#define CONFIG_SLOT_BRIDGE (CONFIG_SECT_EXCHANGE + CONFIG_MAX_EXCHANGES)
/* Then those of [alert.NAME] sections. */
#define CONFIG_SLOT_ALERT (CONFIG_SLOT_BRIDGE + CONFIG_MAX_BRIDGES)
#define CONFIG_SLOTS (CONFIG_SLOT_ALERT + CONFIG_MAX_ALERTS)

enum config_type {
	CONFIG_T_STRING,  /* free text */
	CONFIG_T_PATH,    /* absolute, or empty */
	CONFIG_T_NAME,    /* [a-z0-9-]{1,23} */
	CONFIG_T_ADAPTER, /* checked once all is read: the default comes from the section */
	CONFIG_T_BOOL,
	CONFIG_T_U16,
	CONFIG_T_U32,
	CONFIG_T_U64,
	CONFIG_T_INT,
	CONFIG_T_DOUBLE,  /* finite decimal number within [min, max] */
	CONFIG_T_POW2,    /* u64 power of two */
	CONFIG_T_MODE,    /* octal file mode */
	CONFIG_T_LEVEL,   /* log level name -> int */
	CONFIG_T_FORMAT,  /* text | json */
	CONFIG_T_LISTEN,  /* host:port, or empty */
	CONFIG_T_URL,     /* ws:// wss://, or empty */
	CONFIG_T_SYMBOLS, /* parsed by config.c: one line can hold many errors */
};

struct config_key {
	enum config_sect sect;
	const char *name;
	enum config_type type;
	size_t off;  /* in struct config, or in struct config_exchange / config_bridge for those sections */
	size_t size; /* of the field */
	long long min, max;
	const char *def; /* NULL: no default (adapter = the section's name; symbols are required) */
};

#define CONFIG_KEYS_MAX 128 /* room for the table, for per-key arrays */
extern const struct config_key config_keys[];
extern const size_t config_key_count;
extern const char *const config_sect_names[]; /* "service", ..., "exchange" */

static inline enum config_sect config_slot_sect(int slot)
{
	return slot >= CONFIG_SLOT_ALERT	? CONFIG_SECT_ALERT
	       : slot >= CONFIG_SLOT_BRIDGE	? CONFIG_SECT_BRIDGE
	       : slot >= CONFIG_SECT_EXCHANGE ? CONFIG_SECT_EXCHANGE
					      : (enum config_sect)slot;
}

const struct config_key *config_key_find(enum config_sect s, const char *name);

/* Parses s into the key's field of slot (not for CONFIG_T_SYMBOLS). Returns
 * NULL, or why s is refused (static text or msg); the field is then kept. */
const char *config_key_parse(struct config *c, int slot, const struct config_key *k, const char *s, char *msg,
			     size_t msg_len);

/* "[redis]" or "[exchange.binance]", for messages and the dump. */
const char *config_slot_label(const struct config *c, int slot, char *buf, size_t len);

/* 1 to 23 characters of a-z, 0-9 and '-': instance and exchange names. */
bool config_name_valid(const char *s);
bool config_adapter_known(const char *adapter);

/* FNV-1a 64 over every key of slot's section with its effective value. */
uint64_t config_slot_hash(const struct config *c, int slot);

#endif
