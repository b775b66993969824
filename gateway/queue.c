/* The bounded per-client queue: a FIFO of sequences plus, once the client
 * lags, a latest-per-key map (linear probing, backward-shift deletion). */
#include "gateway/queue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NO_KEY GW_QUEUE_NO_KEY

int gw_queue_init(struct gw_queue *q, uint32_t bound)
{
	memset(q, 0, sizeof(*q));
	q->bound = bound;
	q->seqs = malloc((size_t)bound * sizeof(*q->seqs));
	q->keys = malloc((size_t)bound * sizeof(*q->keys));
	return q->seqs && q->keys ? 0 : -ENOMEM;
}

void gw_queue_free(struct gw_queue *q)
{
	free(q->seqs);
	free(q->keys);
	free(q->map);
	free(q->order);
	memset(q, 0, sizeof(*q));
}

/* Most clients never lag: the map is allocated on first need only. */
static int conflation_setup(struct gw_queue *q)
{
	if (q->map)
		return 0;
	uint32_t cap = 16;
	while (cap < 2 * q->bound)
		cap *= 2;
	q->map = malloc((size_t)cap * sizeof(*q->map));
	q->order = malloc((size_t)q->bound * sizeof(*q->order));
	if (!q->map || !q->order) {
		free(q->map);
		free(q->order);
		q->map = NULL;
		q->order = NULL;
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < cap; i++)
		q->map[i].key = NO_KEY;
	q->map_mask = cap - 1;
	return 0;
}

static uint32_t slot_of(const struct gw_queue *q, uint32_t key)
{
	uint32_t h = key * 2654435761u; /* Knuth's multiplicative hash spreads adjacent symbols */
	uint32_t i = (h ^ (h >> 16)) & q->map_mask;
	while (q->map[i].key != NO_KEY && q->map[i].key != key)
		i = (i + 1) & q->map_mask;
	return i;
}

static void map_remove(struct gw_queue *q, uint32_t i)
{
	/* backward shift: later entries of the probe run move up into the hole */
	uint32_t j = i;
	for (;;) {
		j = (j + 1) & q->map_mask;
		if (q->map[j].key == NO_KEY)
			break;
		uint32_t h = q->map[j].key * 2654435761u;
		uint32_t home = (h ^ (h >> 16)) & q->map_mask;
		/* j's entry may fill the hole at i unless its home lies in (i, j] */
		if (((j - home) & q->map_mask) >= ((j - i) & q->map_mask)) {
			q->map[i] = q->map[j];
			i = j;
		}
	}
	q->map[i].key = NO_KEY;
	q->map_count--;
}

/* key waits (again) in the conflation map with seq as its latest. */
static enum gw_push conflate(struct gw_queue *q, uint64_t seq, uint32_t key)
{
	if (conflation_setup(q) < 0)
		return GW_PUSH_FULL;
	q->conflating = true;
	uint32_t i = slot_of(q, key);
	if (q->map[i].key == key) {
		if (seq > q->map[i].seq)
			q->map[i].seq = seq;
		q->conflated++;
		return GW_PUSH_CONFLATED;
	}
	if (q->map_count == q->bound)
		return GW_PUSH_FULL; /* more distinct keys waiting than the bound */
	q->map[i].key = key;
	q->map[i].seq = seq;
	q->order[(q->order_head + q->map_count++) % q->bound] = key;
	return GW_PUSH_QUEUED;
}

enum gw_push gw_queue_push(struct gw_queue *q, uint64_t seq, uint32_t key, bool conflatable, bool lagging)
{
	if (!conflatable || (!q->conflating && !lagging)) {
		if (q->len < q->bound) {
			uint32_t at = (q->head + q->len++) % q->bound;
			q->seqs[at] = seq;
			q->keys[at] = conflatable ? key : NO_KEY;
			return GW_PUSH_QUEUED;
		}
		if (!conflatable)
			return GW_PUSH_FULL;
	}
	return conflate(q, seq, key);
}

enum gw_push gw_queue_defer(struct gw_queue *q, uint64_t seq, uint32_t key)
{
	return key == NO_KEY ? GW_PUSH_FULL : conflate(q, seq, key);
}

bool gw_queue_oldest(const struct gw_queue *q, uint64_t *seq)
{
	if (!q->len)
		return false;
	*seq = q->seqs[q->head];
	return true;
}

/* A queued spread or quote whose key waits in the conflation map was
 * replaced by a newer one: the key's entry takes its sequence if later. */
static bool superseded(struct gw_queue *q, uint32_t key, uint64_t seq)
{
	if (key == NO_KEY || !q->map_count)
		return false;
	struct gw_queue_slot *e = &q->map[slot_of(q, key)];
	if (e->key != key)
		return false;
	if (seq > e->seq)
		e->seq = seq;
	return true;
}

bool gw_queue_pop(struct gw_queue *q, struct gw_pop *out)
{
	while (q->len) {
		out->seq = q->seqs[q->head];
		out->key = q->keys[q->head];
		out->conflated = false;
		q->head = (q->head + 1) % q->bound;
		q->len--;
		if (!superseded(q, out->key, out->seq))
			return true;
		q->conflated++;
	}
	if (q->map_count) {
		uint32_t key = q->order[q->order_head];
		q->order_head = (q->order_head + 1) % q->bound;
		uint32_t i = slot_of(q, key);
		out->seq = q->map[i].seq;
		out->key = key;
		out->conflated = true;
		map_remove(q, i);
		return true;
	}
	q->conflating = false;
	return false;
}

uint32_t gw_queue_len(const struct gw_queue *q)
{
	return q->len + q->map_count;
}
