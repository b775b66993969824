/* The universe: which symbols each collector streams, decided in one place
 * from what the collectors report (<runtime_dir>/instruments.<exchange>.tsv).
 * In [universe] mode = auto the rules of docs/universe.md choose them, the
 * choice is persisted in <state_dir>/universe.tsv (used at the next start,
 * REST or not) and served at /universe and by `spreadctl universe`. */
#ifndef SPREADBUS_SUPERVISOR_UNIVERSE_H
#define SPREADBUS_SUPERVISOR_UNIVERSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "common/config.h"
#include "common/instrument.h"
#include "common/jsonw.h"

struct supervisor;

/* After a change of what collectors report, wait this long for the other
 * exchanges' reports before deciding with fewer of them. */
#define UNIVERSE_SETTLE_NS (30 * 1000000000LL)
/* The instruments files are looked at this often. */
#define UNIVERSE_POLL_NS 1000000000LL

struct universe_exchange {
	char name[CONFIG_NAME_MAX];
	struct instrument_set set; /* the last report read */
	int64_t reported_ns;       /* its fetched_ns; 0 = none yet */
	int64_t file_mtime_ns;
};

struct universe {
	struct universe_exchange ex[CONFIG_MAX_EXCHANGES];
	size_t ex_count;
	struct universe_pick *picks;  /* the universe in use, by exchange then symbol */
	size_t pick_count;
	int64_t computed_ns;          /* wall clock of the decision in use */
	int64_t opened_ns;            /* wall clock at start: older reports are a past run's */
	struct config_universe rules; /* as last seen: a reload that changes them decides again */
	const char *source;           /* "config", "persisted" or "discovered" */
	int64_t next_poll_ns, first_change_ns;
	bool pending;                 /* a report changed since the last decision */
	uint64_t computations, changes;
	double last_compute_ms;
};

/* A pair in the universe in use keeps qualifying on volume down to this
 * share of min_quote_volume_24h: volumes move at every refresh, and a pair
 * near the line must not enter and leave (a change restarts collectors). */
#define UNIVERSE_KEEP_VOLUME_PCT 80

/* Rules of [universe] applied to reports, with the universe in use (prev,
 * may be empty) for the volume hysteresis; picks malloc'ed (free()),
 * sorted by exchange (in the order of ex) then symbol. Pure: tests call it. */
int universe_select(const struct config_universe *rules, const struct universe_exchange *ex, size_t ex_count,
		    const struct universe_pick *prev, size_t prev_n, struct universe_pick **picks, size_t *n);

/* At start, after the bus exists: the persisted universe in auto mode (its
 * symbols registered), else the configured lists. */
int universe_open(struct supervisor *s);
/* Timer: follow a reload (rules or exchanges changed: decide again), read
 * new reports; decide when they settled; a changed decision is persisted,
 * its new symbols registered and the collectors concerned restarted. */
void universe_tick(struct supervisor *s, int64_t now_mono_ns);
void universe_close(struct supervisor *s);

/* Symbols the exchange streams now: its share of the universe in auto
 * mode, its configured list otherwise. */
size_t universe_symbol_count(const struct supervisor *s, const char *exchange);

/* /universe, and `spreadctl universe` (control_reply: wrapped as
 * {"ok":true,"universe":{...}}): malloc'ed JSON ending in a newline
 * (free()), or NULL. */
char *universe_render(struct supervisor *s, bool control_reply, size_t *len);
/* spreadctl: print a control reply as a table (or as it is with json).
 * Returns 0, or -1 (malformed, message on stderr). */
int universe_print(const char *js, size_t len, bool json, FILE *out);

#endif
