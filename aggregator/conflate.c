/* The conflation queue: a ring of symbol indices plus a membership flag, so
 * marking is O(1); memory changes only when symbols are added. */
#include "aggregator/conflate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int conflate_init(struct conflate *q, size_t symbols)
{
	q->cap = symbols ? symbols : 1;
	q->head = q->count = 0;
	q->conflated = 0;
	q->queue = calloc(q->cap, sizeof(*q->queue));
	q->queued = calloc(q->cap, sizeof(*q->queued));
	q->last_sent_ns = calloc(q->cap, sizeof(*q->last_sent_ns));
	if (!q->queue || !q->queued || !q->last_sent_ns) {
		conflate_free(q);
		return -ENOMEM;
	}
	for (size_t i = 0; i < q->cap; i++)
		q->last_sent_ns[i] = INT64_MIN;
	return 0;
}

void conflate_free(struct conflate *q)
{
	free(q->queue);
	free(q->queued);
	free(q->last_sent_ns);
	q->queue = NULL;
	q->queued = NULL;
	q->last_sent_ns = NULL;
}

int conflate_grow(struct conflate *q, size_t symbols)
{
	if (symbols <= q->cap)
		return 0;
	struct conflate n = { .conflated = q->conflated };
	int rc = conflate_init(&n, symbols);
	if (rc < 0)
		return rc;
	/* the queue is laid out again from 0, in its order */
	for (size_t i = 0; i < q->count; i++)
		n.queue[i] = q->queue[(q->head + i) % q->cap];
	n.count = q->count;
	memcpy(n.queued, q->queued, q->cap * sizeof(*q->queued));
	memcpy(n.last_sent_ns, q->last_sent_ns, q->cap * sizeof(*q->last_sent_ns));
	conflate_free(q);
	*q = n;
	return 0;
}

bool conflate_mark(struct conflate *q, uint32_t sym)
{
	if (q->queued[sym]) {
		q->conflated++;
		return false;
	}
	q->queued[sym] = true;
	q->queue[(q->head + q->count++) % q->cap] = sym;
	return true;
}

static bool due(const struct conflate *q, uint32_t sym, int64_t now_ns, int64_t interval_ns)
{
	return interval_ns <= 0 || q->last_sent_ns[sym] == INT64_MIN || now_ns - q->last_sent_ns[sym] >= interval_ns;
}

int conflate_pop(struct conflate *q, int64_t now_ns, int64_t interval_ns)
{
	for (size_t tries = q->count; tries > 0; tries--) {
		uint32_t sym = q->queue[q->head];
		q->head = (q->head + 1) % q->cap;
		q->count--;
		if (due(q, sym, now_ns, interval_ns)) {
			q->queued[sym] = false;
			q->last_sent_ns[sym] = now_ns;
			return (int)sym;
		}
		q->queue[(q->head + q->count++) % q->cap] = sym; /* not yet: to the back */
	}
	return -1;
}
