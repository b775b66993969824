/* Export: rings to JetStream. Each ring is read by a reader slot named
 * "bridge-<NAME>"; its ticks go out in batches that never cross a multiple
 * of batch_ticks (so a batch sent again after a restart usually has the
 * same Nats-Msg-Id, and the stream drops it); at most max_in_flight
 * messages wait for their ack; a ring's cursor is committed only up to the
 * end of the acknowledged messages below every pending one. A failed or
 * timed-out publish stops publishing until every pending one is answered,
 * then each ring is rewound to its committed cursor and sent again after a
 * back-off: the importer drops what it already has by bus_seq. */
#include "bridge/export.h"

#include <assert.h>
#include <errno.h>
#include <stdatomic.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/link.h"
#include "bridge/report.h"
#include "bridge/ringlist.h"
#include "bridge/wire.h"
#include "common/clock.h"
#include "common/log.h"
#include "shm/registry.h"
#include "shm/ring.h"

#define EXPORT_ACK_WAIT_MS 5000  /* an ack not back by then fails its message */
#define EXPORT_IDLE_WAIT_MS 5    /* sleep on the rings when there is nothing to send */
#define EXPORT_DRAIN_MS 2000     /* at stop: wait this long for pending acks */
#define EXPORT_MSG_ID_MAX 128

enum pub_state { PUB_PENDING, PUB_ACKED, PUB_FAILED };

/* One message published and not yet settled. */
struct pub {
	const natsMsg *msg; /* identity only: the library owns it until its ack */
	int ring;
	uint64_t first, end;
	enum pub_state state;
};

struct exp_ring {
	char name[CONFIG_NAME_MAX];
	char subject[LINK_SUBJECT_MAX];
	struct ring_reader *rd;
	int64_t created_ns;
	struct tick *buf;     /* batch_ticks: the batch being filled */
	uint32_t n;
	uint64_t buf_first;
	int64_t buf_since_ns; /* when its first tick was read */
	bool flush_now;       /* the ring jumped (lapped): send the part before the jump */
	uint64_t buf_prev;    /* the batch's prev_seq (wire.h): where reading went on from */
	uint64_t loss_from;   /* lapped before the next batch: its first lost bus_seq; UINT64_MAX = none */
	uint64_t committed;
};

struct exporter {
	struct runtime *rt;
	const struct config_bridge *cfg;
	struct link link;
	bool linked;          /* connected, stream checked: publishing allowed */
	int nrings;
	struct exp_ring rings[RINGLIST_MAX];
	struct ring_reader *readers[RINGLIST_MAX];
	/* the in-flight FIFO, shared with the library's ack thread */
	pthread_mutex_t mu;
	struct pub *pubs;
	uint32_t pub_head, pub_count;
	_Atomic bool failing; /* a publish failed: rewind once none is pending */
	char fail_text[LINK_ERR_MAX];
	struct wire_encoder *enc;
	unsigned char *wire;
	size_t wire_len;
};

static struct pub *pub_at(struct exporter *x, uint32_t i)
{
	return &x->pubs[(x->pub_head + i) % x->cfg->max_in_flight];
}

/* The library's thread, for every message: settle its FIFO entry. */
static void on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
	struct exporter *x = closure;
	(void)js;
	pthread_mutex_lock(&x->mu);
	for (uint32_t i = 0; i < x->pub_count; i++) {
		struct pub *p = pub_at(x, i);
		if (p->state != PUB_PENDING || p->msg != msg)
			continue;
		if (pa && !pae) {
			p->state = PUB_ACKED;
		} else {
			p->state = PUB_FAILED;
			if (!x->failing)
				snprintf(x->fail_text, sizeof(x->fail_text), "publish to %s failed: %s",
					 natsMsg_GetSubject(msg),
					 pae && pae->ErrText ? pae->ErrText : pae ? natsStatus_GetText(pae->Err) : "no ack");
			x->failing = true;
		}
		break;
	}
	pthread_mutex_unlock(&x->mu);
	natsMsg_Destroy(msg);
}

static const char *symbol_name(void *ctx, unsigned id)
{
	return registry_symbol_name(ctx, (int)id);
}

static int64_t batch_boundary(const struct exporter *x, uint64_t seq)
{
	return (int64_t)((seq / x->cfg->batch_ticks + 1) * x->cfg->batch_ticks);
}

/* Reads ticks into r's batch up to its boundary. A lap ends the batch: the
 * reader goes back to the first tick after the jump, read again later. */
static void fill(struct exporter *x, struct exp_ring *r, int64_t now)
{
	uint64_t pos = r->n ? r->buf_first + r->n : ring_reader_position(r->rd);
	uint64_t want = (uint64_t)batch_boundary(x, r->n ? r->buf_first : pos) - pos;
	uint64_t first = 0, lost = 0;

	if (r->flush_now || want == 0)
		return;
	size_t got = ring_reader_read(r->rd, r->buf + r->n, want, &first, &lost);
	if (lost) {
		status_add(x->rt->status, SM_TICKS_LOST, lost);
		log_warn("ring %s: lapped, %" PRIu64 " ticks lost before bus_seq %" PRIu64 " (the centre gets a gap)",
			 r->name, lost, first);
	}
	if (got == 0)
		return;
	if (r->n > 0 && first != pos) {
		ring_reader_seek(r->rd, first);
		r->flush_now = true;
		r->loss_from = pos;
		return;
	}
	if (r->n == 0) {
		/* The importer tells a gap at the edge from a message still on
		 * its way by this. */
		r->buf_prev = r->loss_from != UINT64_MAX ? r->loss_from : lost ? pos : first;
		r->loss_from = UINT64_MAX;
		r->buf_first = first;
		r->buf_since_ns = now;
		uint64_t room = (uint64_t)batch_boundary(x, first) - first;
		if (got > room) {
			ring_reader_seek(r->rd, first + room);
			got = room;
		}
	}
	r->n += (uint32_t)got;
}

static bool batch_ready(const struct exporter *x, const struct exp_ring *r, int64_t now)
{
	if (r->n == 0)
		return false;
	return r->flush_now || r->buf_first + r->n == (uint64_t)batch_boundary(x, r->buf_first) ||
	       now - r->buf_since_ns >= (int64_t)x->cfg->batch_delay_ms * 1000000;
}

/* Publishes r's batch asynchronously. Returns 0, or -1 (publishing failed:
 * x->failing is set). */
static int publish(struct exporter *x, int ring_idx)
{
	struct exp_ring *r = &x->rings[ring_idx];
	struct wire_batch b = { .first_seq = r->buf_first, .prev_seq = r->buf_prev, .count = r->n,
				.ring_created_ns = r->created_ns, .ticks = r->buf };
	char id[EXPORT_MSG_ID_MAX];
	natsMsg *msg = NULL;

	snprintf(b.exchange, sizeof(b.exchange), "%s", r->name);
	size_t len = wire_encode(x->enc, &b, symbol_name, x->rt->bus.registry, x->wire, x->wire_len);
	assert(len > 0);
	/* The ring's identity (instance, name, creation time) and the range. */
	snprintf(id, sizeof(id), "%s.%s.%" PRId64 ".%" PRIu64 ".%u", x->rt->cfg->instance, r->name, r->created_ns,
		 r->buf_first, r->n);
	natsStatus s = natsMsg_Create(&msg, r->subject, NULL, (const char *)x->wire, (int)len);
	if (s != NATS_OK) {
		link_error(&x->link, "message", s, 0);
		goto failed;
	}
	pthread_mutex_lock(&x->mu);
	*pub_at(x, x->pub_count++) = (struct pub){ .msg = msg, .ring = ring_idx, .first = r->buf_first,
						   .end = r->buf_first + r->n, .state = PUB_PENDING };
	pthread_mutex_unlock(&x->mu);
	jsPubOptions po;
	jsPubOptions_Init(&po);
	po.MsgId = id;
	po.MaxWait = EXPORT_ACK_WAIT_MS;
	const natsMsg *sent = msg;
	s = js_PublishMsgAsync(x->link.js, &msg, &po);
	if (s != NATS_OK) {
		/* Still ours: the library never took it. */
		pthread_mutex_lock(&x->mu);
		for (uint32_t i = 0; i < x->pub_count; i++)
			if (pub_at(x, i)->msg == sent && pub_at(x, i)->state == PUB_PENDING)
				pub_at(x, i)->state = PUB_FAILED;
		pthread_mutex_unlock(&x->mu);
		natsMsg_Destroy(msg);
		link_error(&x->link, "publish", s, 0);
		goto failed;
	}
	status_add(x->rt->status, SM_MESSAGES, 1);
	status_add(x->rt->status, SM_BYTES, len);
	status_add(x->rt->status, SM_TICKS_READ, r->n);
	r->n = 0;
	r->flush_now = false;
	return 0;
failed:
	pthread_mutex_lock(&x->mu);
	if (!x->failing)
		snprintf(x->fail_text, sizeof(x->fail_text), "%s", x->link.err);
	x->failing = true;
	pthread_mutex_unlock(&x->mu);
	return -1;
}

/* Commits what every acked message at the front of the FIFO covers. When a
 * failure is pending and nothing is in flight any more, rewinds every ring
 * to its committed cursor. Returns true if anything was settled. */
static bool settle(struct exporter *x, int64_t now)
{
	bool any = false, rewind = false;
	char text[LINK_ERR_MAX];

	pthread_mutex_lock(&x->mu);
	while (x->pub_count > 0 && pub_at(x, 0)->state == PUB_ACKED) {
		struct pub *p = pub_at(x, 0);
		struct exp_ring *r = &x->rings[p->ring];
		status_add(x->rt->status, SM_TICKS_PUBLISHED, p->end - p->first);
		r->committed = p->end;
		ring_reader_commit(r->rd, p->end);
		x->pub_head = (x->pub_head + 1) % x->cfg->max_in_flight;
		x->pub_count--;
		any = true;
	}
	if (x->failing) {
		bool pending = false;
		for (uint32_t i = 0; i < x->pub_count; i++)
			pending |= pub_at(x, i)->state == PUB_PENDING;
		if (!pending) {
			/* Acked messages behind a failed one are sent again: the
			 * stream drops them by Nats-Msg-Id, or the importer by bus_seq. */
			x->pub_count = 0;
			x->failing = false;
			rewind = true;
			snprintf(text, sizeof(text), "%s", x->fail_text);
		}
	}
	pthread_mutex_unlock(&x->mu);
	if (rewind) {
		for (int i = 0; i < x->nrings; i++) {
			ring_reader_seek(x->rings[i].rd, x->rings[i].committed);
			x->rings[i].n = 0;
			x->rings[i].flush_now = false;
			x->rings[i].loss_from = UINT64_MAX;
		}
		report_problem(x->rt, text);
		status_add(x->rt->status, SM_RECONNECTS, 1);
		x->linked = false; /* check the stream again before sending */
		link_failed(&x->link, now);
	}
	return any || rewind;
}

/* Connects if needed and checks the stream, after the back-off. */
static void try_link(struct exporter *x, int64_t now, jsOptions *jo)
{
	if (!link_retry_due(&x->link, now))
		return;
	if (!x->link.nc && link_connect(&x->link, jo, "spreadbus-bridge") < 0) {
		report_problem(x->rt, x->link.err);
		link_failed(&x->link, now);
		return;
	}
	if (link_ensure_stream(&x->link, x->cfg->create_stream) < 0) {
		report_problem(x->rt, x->link.err);
		link_failed(&x->link, now);
		return;
	}
	link_succeeded(&x->link);
	x->linked = true;
	report_ok(x->rt, "exporting: connected to NATS, stream checked");
}

static void update_lag(struct exporter *x)
{
	uint64_t lag = 0;
	for (int i = 0; i < x->nrings; i++)
		lag += ring_head(ring_reader_ring(x->rings[i].rd)) - x->rings[i].committed;
	status_set(x->rt->status, SM_READ_LAG, lag);
}

static int open_rings(struct exporter *x, char *err, size_t err_len)
{
	char names[RINGLIST_MAX][CONFIG_NAME_MAX];
	char reader[RING_READER_NAME_MAX];
	int n = ringlist_resolve(x->cfg, &x->rt->bus, names, err, err_len);

	if (n < 0)
		return -1;
	if (snprintf(reader, sizeof(reader), "bridge-%s", x->cfg->name) >= (int)sizeof(reader)) {
		snprintf(err, err_len, "[bridge.%s]: name too long for a reader slot (at most %d characters)",
			 x->cfg->name, RING_READER_NAME_MAX - 8);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct exp_ring *r = &x->rings[i];
		struct ring *ring = bus_ring(&x->rt->bus, names[i]);
		memcpy(r->name, names[i], sizeof(r->name));
		link_subject(x->rt->cfg->instance, r->name, r->subject, sizeof(r->subject));
		r->created_ns = ring_created_ns(ring);
		r->buf = calloc(x->cfg->batch_ticks, sizeof(struct tick));
		/* A recorder: what the ring holds when the slot is first made is sent too. */
		int rc = ring_reader_open_from(&r->rd, ring, reader, RING_START_AT_OLDEST);
		if (!r->buf || rc < 0) {
			snprintf(err, err_len, "ring %s: cannot open reader %s: %s", r->name, reader,
				 rc < 0 ? strerror(-rc) : "out of memory");
			return -1;
		}
		r->committed = ring_reader_position(r->rd);
		r->loss_from = UINT64_MAX;
		x->readers[i] = r->rd;
		x->nrings++;
		log_info("exporting ring %s from bus_seq %" PRIu64 " to %s", r->name, r->committed, r->subject);
	}
	return 0;
}

static void drain(struct exporter *x)
{
	int64_t until = clock_monotonic_ns() + (int64_t)EXPORT_DRAIN_MS * 1000000;
	while (clock_monotonic_ns() < until) {
		settle(x, clock_monotonic_ns());
		pthread_mutex_lock(&x->mu);
		uint32_t left = x->pub_count;
		pthread_mutex_unlock(&x->mu);
		if (left == 0 || !x->linked)
			break;
		runtime_heartbeat(x->rt);
		ring_wait_any(x->readers, (size_t)x->nrings, EXPORT_IDLE_WAIT_MS);
	}
}

int export_run(struct runtime *rt, const struct config_bridge *cfg)
{
	struct exporter *x = calloc(1, sizeof(*x));
	char err[256];
	int status = RUNTIME_EXIT_SETUP;

	if (!x) {
		log_err("out of memory");
		return status;
	}
	x->rt = rt;
	x->cfg = cfg;
	pthread_mutex_init(&x->mu, NULL);
	link_init(&x->link, cfg, rt->cfg->instance);
	x->pubs = calloc(cfg->max_in_flight, sizeof(*x->pubs));
	x->enc = calloc(1, sizeof(*x->enc));
	x->wire_len = wire_size_max(cfg->batch_ticks, cfg->batch_ticks);
	x->wire = malloc(x->wire_len);
	if (!x->pubs || !x->enc || !x->wire) {
		log_err("out of memory");
		goto out;
	}
	if (open_rings(x, err, sizeof(err)) < 0) {
		log_err("%s", err);
		goto out;
	}
	jsOptions jo;
	jsOptions_Init(&jo);
	jo.PublishAsync.AckHandler = on_ack;
	jo.PublishAsync.AckHandlerClosure = x;
	/* One more than ours: our own bound is the one that holds. */
	jo.PublishAsync.MaxPending = cfg->max_in_flight + 1;
	jo.Wait = LINK_API_WAIT_MS;

	runtime_set_running(rt);
	while (!runtime_should_stop(rt)) {
		int64_t now = clock_monotonic_ns();
		bool busy = settle(x, now);
		if (!x->linked && !x->failing)
			try_link(x, now, &jo);
		if (x->linked && !link_connected(&x->link))
			report_problem(rt, "NATS connection lost: reconnecting (the ring lag grows meanwhile)");
		else if (x->linked)
			report_ok(rt, "exporting: connected to NATS");
		for (int i = 0; x->linked && !x->failing && i < x->nrings; i++) {
			struct exp_ring *r = &x->rings[i];
			uint32_t before = r->n;
			fill(x, r, now);
			busy |= r->n != before;
			if (batch_ready(x, r, now) && x->pub_count < cfg->max_in_flight)
				busy |= publish(x, i) == 0;
		}
		update_lag(x);
		runtime_heartbeat(rt);
		if (!busy)
			ring_wait_any(x->readers, (size_t)x->nrings, EXPORT_IDLE_WAIT_MS);
	}
	runtime_set_stopping(rt);
	drain(x);
	update_lag(x);
	status = RUNTIME_EXIT_OK;
out:
	link_close(&x->link);
	for (int i = 0; i < x->nrings; i++) {
		ring_reader_close(x->rings[i].rd);
		free(x->rings[i].buf);
	}
	free(x->pubs);
	free(x->enc);
	free(x->wire);
	pthread_mutex_destroy(&x->mu);
	free(x);
	return status;
}
