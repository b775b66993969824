/* Spread alerts: one rule's state per symbol (idle, holding, open, cooling
 * down) and the open and close events it makes. No I/O, no allocation. */
#ifndef SPREADBUS_AGGREGATOR_ALERT_H
#define SPREADBUS_AGGREGATOR_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregator/spread.h"

/* One rule: a symbol's pair qualifies when both its exchanges are in
 * exchange_mask (bit = core exchange index), its net spread is at least
 * min_net_bps and its notional at least min_notional. */
struct alert_rule {
	uint32_t exchange_mask;
	double min_net_bps;
	double min_notional;
	int64_t min_duration_ns; /* a qualifying pair must be seen this long before the alert opens */
	int64_t cooldown_ns;     /* after a close, no hold starts for this long */
};

enum alert_phase { ALERT_IDLE, ALERT_HOLDING, ALERT_OPEN };
enum alert_kind { ALERT_EVENT_OPEN = 1, ALERT_EVENT_CLOSE };

/* What the alert is about: the best qualifying pair when last seen. */
struct alert_pair {
	unsigned buy_ex, sell_ex;
	double net_spread_bps, notional;
};

/* One (rule, symbol). Zeroed = idle, no cool-down. */
struct alert_state {
	enum alert_phase phase;
	int64_t since_ns;          /* holding: first qualifying evaluation; open: when it opened */
	int64_t cooldown_until_ns;
	struct alert_pair last;    /* the pair of the last qualifying evaluation */
	double peak_net_bps;       /* highest net spread while holding or open */
};

struct alert_event {
	enum alert_kind kind;
	struct alert_pair pair;    /* open: the pair that opened it; close: the last qualifying one */
	double peak_net_bps;
	int64_t opened_ns;
	int64_t ts_ns;             /* when the event happened */
};

/* Index of the best qualifying pair (highest net_spread_bps) of pairs, or -1. */
int alert_match(const struct alert_rule *r, const struct spread_pair_view *pairs, size_t n);

/* One evaluation of the symbol at now_ns: q is its best qualifying pair, or
 * NULL when none qualifies. Returns 1 with *ev filled when an alert opens or
 * closes, else 0. */
int alert_step(struct alert_state *s, const struct alert_rule *r, int64_t now_ns, const struct alert_pair *q,
	       struct alert_event *ev);

/* Time passing without an evaluation: a hold that has lasted min_duration
 * opens (the pair still qualifies: anything that changes it is an
 * evaluation). Returns 1 with *ev filled when it opens. */
int alert_due(struct alert_state *s, const struct alert_rule *r, int64_t now_ns, struct alert_event *ev);

#endif
