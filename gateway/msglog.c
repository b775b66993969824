/* Circular arena of formatted messages. A payload never wraps: if it does
 * not fit before the arena's end, the tail is skipped. A message is whole
 * while its bytes lie within the last arena_cap bytes written and its
 * reference slot was not reused. */
#include "gateway/msglog.h"

#include "common/clock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int gw_msglog_init(struct gw_msglog *l, size_t arena_bytes, uint64_t messages, size_t pre)
{
	memset(l, 0, sizeof(*l));
	uint64_t cap = 1;
	while (cap < messages)
		cap *= 2;
	l->arena = malloc(arena_bytes);
	l->msgs = calloc(cap, sizeof(*l->msgs));
	if (!l->arena || !l->msgs) {
		gw_msglog_free(l);
		return -ENOMEM;
	}
	l->arena_cap = arena_bytes;
	l->cap = cap;
	l->mask = cap - 1;
	l->pre = pre;
	l->head = 1;
	return 0;
}

void gw_msglog_free(struct gw_msglog *l)
{
	free(l->arena);
	free(l->msgs);
	l->arena = NULL;
	l->msgs = NULL;
}

/* Where a payload of max bytes (with its pre room) starts, as an absolute offset. */
static uint64_t place(const struct gw_msglog *l, size_t max)
{
	uint64_t at = l->arena_head + l->pre;
	uint64_t off = at % l->arena_cap;
	if (off < l->pre || off + max > l->arena_cap) /* would wrap: start over at the arena's start */
		at += l->arena_cap - (at - l->pre) % l->arena_cap;
	return at;
}

char *gw_msglog_reserve(struct gw_msglog *l, size_t max)
{
	if (max + l->pre > l->arena_cap / 4)
		return NULL;
	l->reserved_at = place(l, max);
	return l->arena + l->reserved_at % l->arena_cap;
}

const struct gw_msg *gw_msglog_commit(struct gw_msglog *l, uint32_t len, enum gw_channel ch, unsigned symbol,
				      unsigned exchange, int64_t src_ns)
{
	uint64_t at = l->reserved_at;
	struct gw_msg *m = &l->msgs[l->head & l->mask];
	m->seq = l->head++;
	m->at = at;
	m->len = len;
	m->channel = (uint8_t)ch;
	m->symbol = (uint16_t)symbol;
	m->exchange = (uint8_t)exchange;
	m->src_ns = src_ns;
	m->made_ns = clock_monotonic_ns();
	l->arena_head = at + len;
	return m;
}

const struct gw_msg *gw_msglog_get(const struct gw_msglog *l, uint64_t seq)
{
	const struct gw_msg *m = &l->msgs[seq & l->mask];
	if (m->seq != seq || seq == 0)
		return NULL;
	/* its pre room and bytes must not have been written over since */
	if (l->arena_head - (m->at - l->pre) > l->arena_cap)
		return NULL;
	return m;
}

char *gw_msglog_payload(const struct gw_msglog *l, const struct gw_msg *m)
{
	return l->arena + m->at % l->arena_cap;
}
