/* The persisted last trade ids of a collector's symbols
 * (collector/backfill_resume.h). */
#include "collector/backfill_resume.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/backfill.h"
#include "common/log.h"
#include "shm/trade_id.h"

#define FILE_HEADER "# spreadbus backfill: symbol, last live trade id, its exchange time (ns)\n"
#define LINE_MAX_BYTES 256

/* ---- the trade id: how it is read from a tick and written to the file ---- */

/* false for an id that is no number in a sequence (shm/trade_id.h) */
static bool id_of_tick(const struct tick *t, uint64_t *id)
{
	struct trade_id exact = trade_id_of_tick(t);
	return trade_id_u64(&exact, id);
}

static int id_format(char *out, size_t len, uint64_t id) { return snprintf(out, len, "%" PRIu64, id); }

static int id_parse(const char *s, char **end, uint64_t *id)
{
	errno = 0;
	unsigned long long v = strtoull(s, end, 10);
	if (errno || *end == s || *s == '-' || v == 0)
		return -1;
	*id = v;
	return 0;
}

/* ---- */

int backfill_resume_init(struct backfill *b, const char *state_dir)
{
	struct backfill_resume *r = calloc(1, sizeof(*r));
	if (!r || !(r->pending = calloc(UINT16_MAX + 1, 1)) ||
	    !(r->snap = calloc(BACKFILL_RESUME_SYMBOLS, sizeof(*r->snap)))) {
		if (r)
			free(r->pending);
		free(r);
		return -ENOMEM;
	}
	snprintf(r->path, sizeof(r->path), "%s/backfill.%s.tsv", state_dir, b->exchange);
	b->resume = r;
	return 0;
}

void backfill_resume_free(struct backfill *b)
{
	if (!b->resume)
		return;
	free(b->resume->snap);
	free(b->resume->pending);
	free(b->resume);
	b->resume = NULL;
}

static const struct symmap_entry *by_canonical(const struct symmap *m, const char *name)
{
	for (size_t i = 0; i < m->count; i++)
		if (!symmap_at(m, i)->removed && strcmp(symmap_at(m, i)->canonical, name) == 0)
			return symmap_at(m, i);
	return NULL;
}

static void seed(struct backfill *b, uint16_t symbol_id, uint64_t id, int64_t ts_ns)
{
	if (id <= b->last_id[symbol_id])
		return;
	b->last_id[symbol_id] = id;
	b->last_ts_ns[symbol_id] = ts_ns;
	b->resume->pending[symbol_id] = 1;
}

/* One line "SYMBOL\tID\tTS_NS". -1 if malformed. */
static int parse_line(char *line, char **symbol, uint64_t *id, int64_t *ts_ns)
{
	char *tab = strchr(line, '\t'), *end;
	if (!tab || tab == line || (size_t)(tab - line) >= SYMBOL_CANONICAL_MAX)
		return -1;
	*tab = '\0';
	*symbol = line;
	if (id_parse(tab + 1, &end, id) < 0 || *end != '\t')
		return -1;
	errno = 0;
	char *ts = end + 1;
	long long v = strtoll(ts, &end, 10);
	if (errno || end == ts || v < 0 || (*end != '\n' && *end != '\0'))
		return -1;
	*ts_ns = v;
	return 0;
}

static size_t load_file(struct backfill *b, const struct symmap *m)
{
	FILE *f = fopen(b->resume->path, "r");
	if (!f) {
		if (errno != ENOENT)
			log_err("%s: backfill: cannot read %s: %s", b->exchange, b->resume->path, strerror(errno));
		return 0;
	}
	char line[LINE_MAX_BYTES];
	size_t lineno = 0, entries = 0, used = 0;
	while (fgets(line, sizeof(line), f) && entries < BACKFILL_RESUME_SYMBOLS) {
		lineno++;
		if (line[0] == '#')
			continue;
		entries++;
		char *symbol;
		uint64_t id;
		int64_t ts_ns;
		if (parse_line(line, &symbol, &id, &ts_ns) < 0) {
			log_warn("%s: backfill: %s line %zu is malformed, ignored", b->exchange, b->resume->path, lineno);
			continue;
		}
		const struct symmap_entry *e = by_canonical(m, symbol);
		if (!e)
			continue; /* no longer collected */
		seed(b, e->id, id, ts_ns);
		used++;
	}
	fclose(f);
	return used;
}

/* The ring is kept across a collector's restarts and holds what it
 * published up to its last instant, which the file (written once a second)
 * may not have seen yet. A trade lapped out of the ring is in the file. */
static void load_ring(struct backfill *b, struct ring *ring)
{
	uint64_t head = ring_head(ring), cap = ring_capacity(ring);
	struct ring_reader *r;
	if (head == 0 || ring_reader_open_private(&r, ring, head > cap ? head - cap : 0) < 0)
		return;
	struct tick batch[256];
	uint64_t first, lost;
	size_t n;
	while ((n = ring_reader_read(r, batch, sizeof(batch) / sizeof(batch[0]), &first, &lost)) > 0) {
		for (size_t i = 0; i < n; i++) {
			uint64_t id;
			if (tick_is_trade(&batch[i]) && batch[i].exchange_id == b->exchange_id && id_of_tick(&batch[i], &id))
				seed(b, batch[i].symbol_id, id, batch[i].ts_exchange_ns);
		}
		ring_reader_seek(r, first + n);
		if (first + n >= head)
			break; /* only what was there at the start: the loop has not started */
	}
	ring_reader_close(r);
}

void backfill_resume_load(struct backfill *b, const struct symmap *symbols, struct ring *ring)
{
	b->resume->symbols = symbols;
	size_t from_file = load_file(b, symbols);
	if (ring)
		load_ring(b, ring);
	size_t resumed = 0;
	for (size_t i = 0; i < symbols->count; i++)
		resumed += b->resume->pending[symmap_at(symbols, i)->id];
	log_info("%s: backfill: the last trade of %zu symbols known from before the start (%zu from %s)", b->exchange,
		 resumed, from_file, b->resume->path);
}

bool backfill_resume_first_trade(struct backfill *b, const struct tick *t)
{
	uint8_t *pending = &b->resume->pending[t->symbol_id];
	uint64_t id;
	if (!*pending || !id_of_tick(t, &id))
		return false;
	*pending = 0;
	if (id > b->last_id[t->symbol_id])
		return true;
	b->last_id[t->symbol_id] = 0;
	return false;
}

/* The last ids into the snapshot, handed to the writer if one changed. */
static void take_snapshot(struct backfill *b)
{
	struct backfill_resume *r = b->resume;
	const struct symmap *m = r->symbols;
	size_t n = 0;
	bool changed = false;
	for (size_t i = 0; i < m->count && n < BACKFILL_RESUME_SYMBOLS; i++) {
		const struct symmap_entry *e = symmap_at(m, i);
		uint64_t id = b->last_id[e->id];
		if (e->removed || id == 0)
			continue;
		struct backfill_resume_entry *s = &r->snap[n++];
		if (s->id == id && strcmp(s->symbol, e->canonical) == 0)
			continue;
		changed = true;
		snprintf(s->symbol, sizeof(s->symbol), "%s", e->canonical);
		s->id = id;
		s->ts_ns = b->last_ts_ns[e->id];
	}
	if (!changed && n == r->snap_n)
		return;
	r->snap_n = n;
	atomic_store_explicit(&r->snap_ready, true, memory_order_release);
}

void backfill_resume_snapshot(struct backfill *b, int64_t now_ns)
{
	struct backfill_resume *r = b->resume;
	if (!r->symbols || now_ns < r->next_snap_ns || atomic_load_explicit(&r->snap_ready, memory_order_acquire))
		return;
	r->next_snap_ns = now_ns + BACKFILL_RESUME_EVERY_NS;
	take_snapshot(b);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

static int write_file(const struct backfill_resume *r, const char *tmp)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	int rc = write_all(fd, FILE_HEADER, strlen(FILE_HEADER));
	for (size_t i = 0; i < r->snap_n && rc == 0; i++) {
		char line[LINE_MAX_BYTES], id[24];
		id_format(id, sizeof(id), r->snap[i].id);
		int len = snprintf(line, sizeof(line), "%s\t%s\t%" PRId64 "\n", r->snap[i].symbol, id, r->snap[i].ts_ns);
		rc = write_all(fd, line, (size_t)len);
	}
	/* the data is on disk before the rename makes it the state */
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, r->path) < 0)
		rc = -errno;
	return rc;
}

void backfill_resume_write(struct backfill *b)
{
	struct backfill_resume *r = b->resume;
	if (!atomic_load_explicit(&r->snap_ready, memory_order_acquire))
		return;
	char tmp[sizeof(r->path) + 8];
	snprintf(tmp, sizeof(tmp), "%s.tmp", r->path);
	int rc = write_file(r, tmp);
	if (rc < 0 && !r->write_failed)
		log_err("%s: backfill: cannot write %s: %s (a hole across a restart may go unrepaired)", b->exchange,
			r->path, strerror(-rc));
	else if (rc == 0 && r->write_failed)
		log_info("%s: backfill: %s written again", b->exchange, r->path);
	if (rc < 0)
		unlink(tmp);
	r->write_failed = rc < 0;
	atomic_store_explicit(&r->snap_ready, false, memory_order_release);
}

void backfill_resume_save(struct backfill *b)
{
	if (!b->resume->symbols)
		return; /* stopped before the load: the file is as the last run left it */
	backfill_resume_write(b);
	take_snapshot(b);
	backfill_resume_write(b);
}
