/* Test ticks derived from their bus sequence (splitmix64 of it) with an
 * FNV-1a checksum over the rest of the record in ts_recv_ns. */
#include "tests/tools/ring_pattern.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Over every byte except seq_lo (filled in by the ring) and ts_recv_ns. */
static int64_t checksum(const struct tick *t)
{
	const unsigned char *p = (const unsigned char *)t;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = sizeof(t->seq_lo); i < sizeof(*t); i++) {
		if (i >= offsetof(struct tick, ts_recv_ns) && i < offsetof(struct tick, ts_recv_ns) + 8)
			continue;
		h = (h ^ p[i]) * 0x100000001b3ULL;
	}
	return (int64_t)(h >> 1);
}

void ring_pattern_fill(struct tick *t, uint64_t seq)
{
	uint64_t m = mix(seq);

	memset(t, 0, sizeof(*t));
	t->seq_lo = (uint32_t)seq;
	t->symbol_id = (uint16_t)(m % 4096 + 1);
	t->exchange_id = (uint8_t)(m >> 12) | 1;
	/* Every kind in turn, so that readers and dumps see them all. */
	t->kind = (uint8_t)(TICK_QUOTE + seq % 5);
	t->ts_exchange_ns = (int64_t)(m >> 2);
	t->update_id = seq;
	if (t->kind == TICK_QUOTE) {
		t->u.quote.bid_px = (double)(m >> 40) / 100.0;
		t->u.quote.bid_qty = (double)((m >> 20) & 0xfffff) / 1000.0;
		t->u.quote.ask_px = (double)(m >> 40) / 100.0 + 0.01;
		t->u.quote.ask_qty = (double)(m & 0xfffff) / 1000.0;
	} else if (t->kind == TICK_GAP) {
		t->u.gap.ts_start_ns = (int64_t)(m >> 3);
		t->u.gap.ts_end_ns = (int64_t)(m >> 3) + 1000;
		t->u.gap.reason = GAP_DISCONNECT;
	} else {
		t->u.trade.px = (double)(m >> 40) / 100.0;
		t->u.trade.qty = (double)(m & 0xfffff) / 1000.0;
	}
	t->ts_recv_ns = checksum(t);
}

int ring_pattern_check(const struct tick *t, uint64_t seq)
{
	struct tick want;

	if (t->ts_recv_ns != checksum(t))
		return -EBADMSG;
	ring_pattern_fill(&want, seq);
	return memcmp(t, &want, sizeof(want)) == 0 ? 0 : -ERANGE;
}
