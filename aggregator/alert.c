/* The alert state machine of one (rule, symbol): a qualifying pair starts a
 * hold, the hold opens the alert after min_duration, the first evaluation
 * without one closes it and starts the cool-down. */
#include "aggregator/alert.h"

static bool qualifies(const struct alert_rule *r, const struct spread_pair_view *v)
{
	return (r->exchange_mask & (1u << v->buy_ex)) && (r->exchange_mask & (1u << v->sell_ex)) &&
	       v->net_spread_bps >= r->min_net_bps && v->notional >= r->min_notional;
}

int alert_match(const struct alert_rule *r, const struct spread_pair_view *pairs, size_t n)
{
	int best = -1;
	for (size_t i = 0; i < n; i++)
		if (qualifies(r, &pairs[i]) && (best < 0 || pairs[i].net_spread_bps > pairs[best].net_spread_bps))
			best = (int)i;
	return best;
}

static void event(const struct alert_state *s, enum alert_kind kind, int64_t opened_ns, int64_t now_ns,
		  struct alert_event *ev)
{
	ev->kind = kind;
	ev->pair = s->last;
	ev->peak_net_bps = s->peak_net_bps;
	ev->opened_ns = opened_ns;
	ev->ts_ns = now_ns;
}

static int open_if_held(struct alert_state *s, const struct alert_rule *r, int64_t now_ns, struct alert_event *ev)
{
	if (s->phase != ALERT_HOLDING || now_ns - s->since_ns < r->min_duration_ns)
		return 0;
	s->phase = ALERT_OPEN;
	s->since_ns = now_ns;
	event(s, ALERT_EVENT_OPEN, now_ns, now_ns, ev);
	return 1;
}

int alert_step(struct alert_state *s, const struct alert_rule *r, int64_t now_ns, const struct alert_pair *q,
	       struct alert_event *ev)
{
	if (!q) {
		if (s->phase == ALERT_OPEN) {
			event(s, ALERT_EVENT_CLOSE, s->since_ns, now_ns, ev);
			s->phase = ALERT_IDLE;
			s->cooldown_until_ns = now_ns + r->cooldown_ns;
			return 1;
		}
		s->phase = ALERT_IDLE; /* a hold that breaks starts again from zero */
		return 0;
	}
	if (s->phase == ALERT_IDLE) {
		if (now_ns < s->cooldown_until_ns)
			return 0;
		s->phase = ALERT_HOLDING;
		s->since_ns = now_ns;
		s->peak_net_bps = q->net_spread_bps;
	}
	s->last = *q;
	if (q->net_spread_bps > s->peak_net_bps)
		s->peak_net_bps = q->net_spread_bps;
	return open_if_held(s, r, now_ns, ev);
}

int alert_due(struct alert_state *s, const struct alert_rule *r, int64_t now_ns, struct alert_event *ev)
{
	return open_if_held(s, r, now_ns, ev);
}
