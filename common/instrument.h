/* Instrument metadata per (exchange, symbol) and the file a collector
 * reports it in: <runtime_dir>/instruments.<exchange>.tsv, written whole
 * (temporary file, fsync, rename) and read by the supervisor's universe. */
#ifndef SPREADBUS_COMMON_INSTRUMENT_H
#define SPREADBUS_COMMON_INSTRUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INSTRUMENT_NAME_MAX 24   /* canonical and native names, NUL included */
#define INSTRUMENT_ASSET_MAX 16
#define INSTRUMENT_STATUS_MAX 16

struct instrument {
	char canonical[INSTRUMENT_NAME_MAX]; /* BASE-QUOTE, upper case */
	char native[INSTRUMENT_NAME_MAX];    /* the exchange's own name */
	char base[INSTRUMENT_ASSET_MAX];
	char quote[INSTRUMENT_ASSET_MAX];
	char status[INSTRUMENT_STATUS_MAX];  /* as the exchange says it (TRADING, Trading, live, BREAK, ...) */
	bool trading;
	double tick_size;                    /* 0 = not given */
	double lot_size;
	double min_qty;
	double min_notional;
	double quote_volume_24h;             /* in the quote asset; 0 when no ticker came */
};

/* A growable list (not on any tick path). */
struct instrument_set {
	struct instrument *items;
	size_t count, cap;
	int64_t fetched_ns; /* wall clock of the fetch */
};

/* A new zeroed entry at the end, or NULL when out of memory. */
struct instrument *instrument_set_add(struct instrument_set *s);
void instrument_set_free(struct instrument_set *s);
/* Sort by native name, so that instrument_set_find_native() can search. */
void instrument_set_sort_native(struct instrument_set *s);
struct instrument *instrument_set_find_native(struct instrument_set *s, const char *native, size_t len);

/* The report file of one exchange. */
int instrument_file_path(char *out, size_t out_len, const char *runtime_dir, const char *exchange);
/* Write atomically; returns 0 or -errno (err says why). */
int instrument_file_write(const char *path, const char *exchange, const struct instrument_set *s, char *err,
			  size_t err_len);
/* Read one; returns 0, -ENOENT, or another -errno (err says why). */
int instrument_file_read(const char *path, struct instrument_set *s, char *err, size_t err_len);

/* The universe the supervisor chose, persisted in <state_dir>/universe.tsv:
 * per (exchange, symbol) why it was chosen and its metadata. Collectors in
 * [universe] mode = auto subscribe to their exchange's lines. */
#define UNIVERSE_REASON_MAX 192
struct universe_pick {
	char exchange[INSTRUMENT_NAME_MAX];
	char reason[UNIVERSE_REASON_MAX];
	struct instrument in;
};

int universe_file_path(char *out, size_t out_len, const char *state_dir);
int universe_file_write(const char *path, const struct universe_pick *picks, size_t n, int64_t computed_ns,
			char *err, size_t err_len);
/* *picks is malloc'ed (free() it). Returns 0 or -errno (err says why). */
int universe_file_read(const char *path, struct universe_pick **picks, size_t *n, int64_t *computed_ns, char *err,
		       size_t err_len);
/* The canonical symbols of one exchange in the universe persisted in
 * state_dir: *symbols malloc'ed (free() it), *n of them; -ENOENT when no
 * universe was decided yet, or another -errno (err says why). For every
 * child that needs [universe] mode = auto's symbols (collector, readers). */
int universe_file_symbols(const char *state_dir, const char *exchange, char (**symbols)[INSTRUMENT_NAME_MAX],
			  size_t *n, char *err, size_t err_len);

#endif
