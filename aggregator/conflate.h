/* Spread updates waiting for Redis, conflated: one entry per symbol, the
 * newest state wins, FIFO by first change, optional per-symbol interval. */
#ifndef SPREADBUS_AGGREGATOR_CONFLATE_H
#define SPREADBUS_AGGREGATOR_CONFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conflate {
	size_t cap, head, count;
	uint32_t *queue;       /* ring of symbol indices */
	bool *queued;          /* [symbol] */
	int64_t *last_sent_ns; /* [symbol] */
	uint64_t conflated;    /* marks that found the symbol already queued */
};

int conflate_init(struct conflate *q, size_t symbols);
void conflate_free(struct conflate *q);
/* Room for symbols indices (more symbols listed at run time), the queue
 * and every symbol's state kept. Returns 0 or -ENOMEM (q unchanged). */
int conflate_grow(struct conflate *q, size_t symbols);
/* Queue sym; returns false (and counts a conflation) if it already was. */
bool conflate_mark(struct conflate *q, uint32_t sym);
/* Next symbol whose last publish is at least interval_ns before now_ns, or
 * -1. Symbols not yet due keep their place. */
int conflate_pop(struct conflate *q, int64_t now_ns, int64_t interval_ns);
#endif
