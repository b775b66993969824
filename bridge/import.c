/* Import: each remote ring's subject through a durable pull consumer into
 * the local ring of the same name, each remote tick appended once.
 *
 * The local ring's origin (shm/ring.h) says which remote bus_seq comes
 * next, after any crash: ticks below it are dropped, a jump above it (the
 * exporter was lapped, the stream lost messages) becomes a gap record, and
 * a new remote ring (another creation time) starts with a collector_start
 * gap. Deliveries must then arrive in stream order: the consumer is made
 * anew at every (re)subscription from its ack floor, and a delivery
 * sequence that jumps (a message lost between server and client, to be
 * redelivered later) makes it subscribe again from the message after the
 * last one taken rather than record a gap that is not one.
 *
 * The stream itself may hold a ring's batches out of bus_seq order: an
 * asynchronous publish lost on its way (a server died) is followed by
 * later ones that arrive, and the exporter sends it again, with all that
 * followed it, only after its ack timed out. So a batch ahead of the ring
 * is a gap only when its exporter says so (it was lapped from prev_seq on,
 * at or below what the ring wants) or when the stream no longer holds the
 * messages after the last one taken (expired); any other batch ahead is
 * acked and dropped: the exporter sends it again, in order. */
#include "bridge/import.h"

#include <inttypes.h>
#include <time.h>
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

/* One message per fetch: libnats up to 3.8 (Debian 12 ships 3.4.1) writes
 * past its own message list when a larger fetch is answered in parts
 * (nats.c pull request 749). A message carries up to batch_ticks ticks. */
#define IMPORT_FETCH_MSGS 1
/* An idle pass over the rings waits this long in all; a pass right after
 * one that brought messages waits 1 ms per ring, so that an idle ring does
 * not hold up a busy one. */
#define IMPORT_FETCH_WAIT_MS 20
#define IMPORT_ACK_WAIT_NS (30LL * 1000000000LL) /* unacked deliveries come again after this */
#define IMPORT_DURABLE_MAX 64
#define IMPORT_AHEAD 1 /* append_batch: a batch ahead of the ring, sent again later */

struct imp_ring {
	char name[CONFIG_NAME_MAX];
	char subject[LINK_SUBJECT_MAX];
	char durable[IMPORT_DURABLE_MAX];
	struct ring *ring;
	uint8_t exchange_id;        /* local registry id */
	natsSubscription *sub;
	uint64_t next_delivery;     /* consumer sequence expected next */
	uint64_t last_stream_seq;   /* stream sequence of the last message taken (or below the first due) */
	uint64_t resume_stream_seq; /* subscribe again from here; 0 = from the ack floor */
	bool have_origin;
	int64_t remote_created_ns;
	uint64_t remote_next;       /* next remote bus_seq to append */
	int64_t last_ts_recv_ns;    /* of the last tick appended (a gap's start); 0 = unknown */
};

struct importer {
	struct runtime *rt;
	const struct config_bridge *cfg;
	struct link link;
	bool linked;
	int nrings;
	struct imp_ring rings[RINGLIST_MAX];
	struct wire_symbols *syms;
	struct tick *out;           /* WIRE_MAX_TICKS: a batch with local ids */
	uint16_t *local_id;         /* remote symbol id -> local, for the batch at hand */
	char err[LINK_ERR_MAX];
};

/* Appends a gap record that anchors the ring's origin: the next remote tick
 * is remote_next of the remote ring created at created_ns. */
static void append_gap(struct importer *im, struct imp_ring *r, int64_t created_ns, uint64_t remote_next,
		       uint32_t reason, uint64_t lost, int64_t ts_end_ns)
{
	struct tick gap = { .exchange_id = r->exchange_id, .kind = TICK_GAP };
	gap.ts_recv_ns = clock_realtime_ns();
	gap.update_id = lost;
	gap.u.gap.ts_start_ns = r->last_ts_recv_ns;
	gap.u.gap.ts_end_ns = ts_end_ns;
	gap.u.gap.reason = reason;
	struct ring_origin o = { .remote_created_ns = created_ns, .local_seq = ring_head(r->ring),
				 .remote_next = remote_next };
	ring_origin_set(r->ring, &o);
	ring_publish(r->ring, &gap, 1);
	r->have_origin = true;
	r->remote_created_ns = created_ns;
	r->remote_next = remote_next;
	status_add(im->rt->status, SM_GAPS, 1);
	log_info("ring %s: gap (%s, %" PRIu64 " ticks lost), next remote bus_seq %" PRIu64, r->name,
		 tick_gap_reason_name(reason), lost, remote_next);
}

/* Local ids for the batch's symbols. Returns 0, or -1 with im->err. */
static int map_symbols(struct importer *im, const struct imp_ring *r)
{
	for (uint32_t i = 0; i < im->syms->count; i++) {
		/* "" is id 0 (no symbol: gap records). */
		int id = im->syms->names[i][0] ? registry_symbol_id(im->rt->bus.registry, im->syms->names[i]) : 0;
		if (id <= 0 && im->syms->names[i][0]) {
			snprintf(im->err, sizeof(im->err),
				 "ring %s: symbol '%s' is not in this instance's registry (add it to [exchange.%s] symbols)",
				 r->name, im->syms->names[i], r->name);
			return -1;
		}
		im->local_id[im->syms->ids[i]] = (uint16_t)id;
	}
	return 0;
}

/* Did the stream drop (age, limits) messages after the last one taken?
 * 1 yes, 0 no, -1 it could not be asked (im->err). */
static int stream_expired_after_last(struct importer *im, struct imp_ring *r)
{
	jsStreamInfo *si = NULL;
	jsErrCode code = 0;
	natsStatus s = js_GetStreamInfo(&si, im->link.js, im->link.stream, NULL, &code);
	if (s != NATS_OK) {
		link_error(&im->link, "stream info", s, code);
		snprintf(im->err, sizeof(im->err), "ring %s: %.160s", r->name, im->link.err);
		return -1;
	}
	int expired = si->State.FirstSeq > r->last_stream_seq + 1;
	jsStreamInfo_Destroy(si);
	return expired;
}

/* Appends what b holds beyond the ring's origin. Returns 0 (appended, or
 * nothing new), IMPORT_AHEAD (a batch ahead of the ring that its exporter
 * sends again: dropped), or -1 with im->err (the message is not acked). */
static int append_batch(struct importer *im, struct imp_ring *r, const struct wire_batch *b)
{
	if (strcmp(b->exchange, r->name) != 0) {
		snprintf(im->err, sizeof(im->err), "ring %s: a batch of ring '%s' on its subject", r->name, b->exchange);
		return -1;
	}
	if (r->have_origin && b->ring_created_ns < r->remote_created_ns) {
		status_add(im->rt->status, SM_DUPLICATES, b->count); /* a remote ring older than ours */
		return 0;
	}
	uint64_t skip = 0;
	if (r->have_origin && b->ring_created_ns == r->remote_created_ns && b->first_seq < r->remote_next)
		skip = r->remote_next - b->first_seq;
	if (skip >= b->count) {
		status_add(im->rt->status, SM_DUPLICATES, b->count);
		return 0;
	}
	if (map_symbols(im, r) < 0)
		return -1;
	uint32_t n = b->count - (uint32_t)skip;
	for (uint32_t i = 0; i < n; i++) {
		struct tick *t = &im->out[i];
		memcpy(t, b->tick_bytes + (skip + i) * sizeof(struct tick), sizeof(*t));
		t->exchange_id = r->exchange_id;
		t->symbol_id = im->local_id[t->symbol_id];
	}
	uint64_t first = b->first_seq + skip;
	if (r->have_origin && b->ring_created_ns == r->remote_created_ns && first > r->remote_next &&
	    b->prev_seq > r->remote_next) {
		int expired = stream_expired_after_last(im, r);
		if (expired <= 0)
			return expired < 0 ? -1 : IMPORT_AHEAD;
	}
	if (!r->have_origin || b->ring_created_ns != r->remote_created_ns)
		append_gap(im, r, b->ring_created_ns, first, GAP_COLLECTOR_START, 0, im->out[0].ts_recv_ns);
	else if (first > r->remote_next)
		append_gap(im, r, b->ring_created_ns, first, GAP_READER_LAPPED, first - r->remote_next,
			   im->out[0].ts_recv_ns);
	ring_publish(r->ring, im->out, n);
	r->remote_next = first + n;
	r->last_ts_recv_ns = im->out[n - 1].ts_recv_ns;
	status_add(im->rt->status, SM_TICKS_PUBLISHED, n);
	status_add(im->rt->status, SM_DUPLICATES, skip);
	return 0;
}

/* (Re)creates r's durable consumer from its ack floor, so that deliveries
 * start in stream order, and subscribes. Returns 0, or -1 with im->err. */
static int subscribe(struct importer *im, struct imp_ring *r)
{
	jsConsumerInfo *ci = NULL;
	jsErrCode code = 0;
	uint64_t floor = 0;
	natsStatus s = js_GetConsumerInfo(&ci, im->link.js, im->link.stream, r->durable, NULL, &code);

	if (s == NATS_OK) {
		floor = ci->AckFloor.Stream;
		jsConsumerInfo_Destroy(ci);
		s = js_DeleteConsumer(im->link.js, im->link.stream, r->durable, NULL, &code);
	} else if (s == NATS_NOT_FOUND || code == JSConsumerNotFoundErr) {
		s = NATS_OK;
	}
	if (s != NATS_OK) {
		link_error(&im->link, "consumer", s, code);
		snprintf(im->err, sizeof(im->err), "%s", im->link.err);
		return -1;
	}
	jsSubOptions so;
	jsSubOptions_Init(&so);
	so.Stream = im->link.stream;
	so.Config.AckPolicy = js_AckExplicit;
	so.Config.AckWait = IMPORT_ACK_WAIT_NS;
	uint64_t start = r->resume_stream_seq ? r->resume_stream_seq : floor + 1;
	so.Config.DeliverPolicy = start > 1 ? js_DeliverByStartSequence : js_DeliverAll;
	so.Config.OptStartSeq = start > 1 ? start : 0;
	s = js_PullSubscribe(&r->sub, im->link.js, r->subject, r->durable, NULL, &so, &code);
	if (s != NATS_OK) {
		link_error(&im->link, "subscribing", s, code);
		snprintf(im->err, sizeof(im->err), "%.40s: %.150s", r->durable, im->link.err);
		return -1;
	}
	r->next_delivery = 1;
	r->last_stream_seq = start - 1;
	r->resume_stream_seq = 0;
	log_info("ring %s: consuming %s as %s from stream sequence %" PRIu64 ", next remote bus_seq %" PRIu64,
		 r->name, r->subject, r->durable, start, r->remote_next);
	return 0;
}

static void unsubscribe_all(struct importer *im)
{
	for (int i = 0; i < im->nrings; i++) {
		natsSubscription_Destroy(im->rings[i].sub);
		im->rings[i].sub = NULL;
	}
}

enum pump_result { PUMP_IDLE, PUMP_BUSY, PUMP_RESUBSCRIBE, PUMP_FAILED };

/* One message: 0 appended (or dropped) and acked; PUMP_* otherwise. */
static int take(struct importer *im, struct imp_ring *r, natsMsg *msg)
{
	jsMsgMetaData *meta = NULL;
	struct wire_batch b;
	char why[160];

	if (natsMsg_GetMetaData(&meta, msg) != NATS_OK) {
		snprintf(im->err, sizeof(im->err), "ring %s: a message without JetStream metadata", r->name);
		return PUMP_FAILED;
	}
	uint64_t delivery = meta->Sequence.Consumer, stream_seq = meta->Sequence.Stream;
	status_set(im->rt->status, SM_READ_LAG, meta->NumPending);
	jsMsgMetaData_Destroy(meta);
	if (delivery != r->next_delivery) {
		log_warn("ring %s: delivery %" PRIu64 " where %" PRIu64 " was due: reading again from stream sequence %" PRIu64,
			 r->name, delivery, r->next_delivery, r->last_stream_seq + 1);
		r->resume_stream_seq = r->last_stream_seq + 1;
		return PUMP_RESUBSCRIBE;
	}
	r->next_delivery++;
	const unsigned char *data = (const unsigned char *)natsMsg_GetData(msg);
	int rc = 0;
	if (wire_decode(data, (size_t)natsMsg_GetDataLength(msg), &b, im->syms, why, sizeof(why)) < 0)
		/* Not ours to repair: dropped, so the next batch shows the gap. */
		log_warn("ring %s: dropping a message that is not a batch: %s", r->name, why);
	else
		rc = append_batch(im, r, &b);
	if (rc < 0)
		return PUMP_FAILED;
	if (rc == IMPORT_AHEAD) {
		static struct log_limit ahead_log;
		/* Seen for long, this says the stream lost what it acknowledged. */
		log_limited(&ahead_log, LOG_LVL_INFO,
			    "ring %s: batch at bus_seq %" PRIu64 " dropped: waiting for %" PRIu64 ", which the exporter sends again",
			    r->name, b.first_seq, r->remote_next);
		status_add(im->rt->status, SM_DUPLICATES, b.count);
	}
	r->last_stream_seq = stream_seq;
	status_add(im->rt->status, SM_MESSAGES, 1);
	status_add(im->rt->status, SM_BYTES, (uint64_t)natsMsg_GetDataLength(msg));
	natsMsg_Ack(msg, NULL); /* lost acks only mean a redelivery, dropped by bus_seq */
	return 0;
}

static enum pump_result pump(struct importer *im, struct imp_ring *r, int64_t wait_ms)
{
	natsMsgList list = { 0 };
	jsErrCode code = 0;
	natsStatus s = natsSubscription_Fetch(&list, r->sub, IMPORT_FETCH_MSGS, wait_ms, &code);
	enum pump_result res = PUMP_BUSY;

	if (s == NATS_TIMEOUT)
		return PUMP_IDLE;
	if (s != NATS_OK) {
		link_error(&im->link, "fetch", s, code);
		snprintf(im->err, sizeof(im->err), "ring %s: %.160s", r->name, im->link.err);
		return PUMP_FAILED;
	}
	for (int i = 0; i < list.Count && res == PUMP_BUSY; i++) {
		int rc = take(im, r, list.Msgs[i]);
		if (rc)
			res = (enum pump_result)rc;
	}
	natsMsgList_Destroy(&list);
	return res;
}

static void try_link(struct importer *im, int64_t now)
{
	if (!link_retry_due(&im->link, now))
		return;
	if (!im->link.nc && link_connect(&im->link, NULL, "spreadbus-bridge") < 0) {
		snprintf(im->err, sizeof(im->err), "%s", im->link.err);
		goto failed;
	}
	if (link_ensure_stream(&im->link, false) < 0) {
		snprintf(im->err, sizeof(im->err), "%s", im->link.err);
		goto failed;
	}
	for (int i = 0; i < im->nrings; i++)
		if (subscribe(im, &im->rings[i]) < 0)
			goto failed;
	link_succeeded(&im->link);
	im->linked = true;
	report_ok(im->rt, "importing: connected to NATS, consumers subscribed");
	return;
failed:
	unsubscribe_all(im);
	report_problem(im->rt, im->err);
	link_failed(&im->link, now);
}

static int open_rings(struct importer *im, char *err, size_t err_len)
{
	char names[RINGLIST_MAX][CONFIG_NAME_MAX];
	int n = ringlist_resolve(im->cfg, &im->rt->bus, names, err, err_len);

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct imp_ring *r = &im->rings[i];
		struct ring_origin o;
		memcpy(r->name, names[i], sizeof(r->name));
		link_subject(im->cfg->source_instance, r->name, r->subject, sizeof(r->subject));
		snprintf(r->durable, sizeof(r->durable), "%s_%s", im->rt->cfg->instance, r->name);
		r->ring = bus_ring(&im->rt->bus, r->name);
		r->exchange_id = (uint8_t)registry_exchange_id(im->rt->bus.registry, r->name);
		/* The only producer: a record a killed importer left complete is kept. */
		uint64_t head = ring_producer_open(r->ring);
		if (ring_origin_get(r->ring, &o) == 0) {
			r->have_origin = true;
			r->remote_created_ns = o.remote_created_ns;
			r->remote_next = o.remote_next + (head - 1 - o.local_seq);
		}
		im->nrings++;
		log_info("importing %s into ring %s (head %" PRIu64 ", %s)", r->subject, r->name, head,
			 r->have_origin ? "resuming" : "new");
	}
	return 0;
}

int import_run(struct runtime *rt, const struct config_bridge *cfg)
{
	struct importer *im = calloc(1, sizeof(*im));
	char err[256];
	int status = RUNTIME_EXIT_SETUP;

	if (!im) {
		log_err("out of memory");
		return status;
	}
	im->rt = rt;
	im->cfg = cfg;
	link_init(&im->link, cfg, cfg->source_instance);
	im->syms = calloc(1, sizeof(*im->syms));
	im->out = calloc(WIRE_MAX_TICKS, sizeof(struct tick));
	im->local_id = calloc(UINT16_MAX + 1, sizeof(uint16_t));
	if (!im->syms || !im->out || !im->local_id) {
		log_err("out of memory");
		goto out;
	}
	if (open_rings(im, err, sizeof(err)) < 0) {
		log_err("%s", err);
		goto out;
	}
	runtime_set_running(rt);
	bool busy = false;
	while (!runtime_should_stop(rt)) {
		int64_t now = clock_monotonic_ns();
		if (!im->linked) {
			try_link(im, now);
			if (!im->linked) {
				runtime_heartbeat(rt);
				struct timespec ts = { 0, IMPORT_FETCH_WAIT_MS * 1000000L };
				nanosleep(&ts, NULL);
				continue;
			}
		}
		int64_t wait_ms = busy ? 1 : IMPORT_FETCH_WAIT_MS / im->nrings + 1;
		busy = false;
		for (int i = 0; i < im->nrings && im->linked; i++) {
			enum pump_result res = pump(im, &im->rings[i], wait_ms);
			busy |= res == PUMP_BUSY;
			if (res == PUMP_RESUBSCRIBE) {
				natsSubscription_Destroy(im->rings[i].sub);
				im->rings[i].sub = NULL;
				if (subscribe(im, &im->rings[i]) < 0)
					res = PUMP_FAILED;
			}
			if (res == PUMP_FAILED) {
				unsubscribe_all(im);
				im->linked = false;
				status_add(rt->status, SM_RECONNECTS, 1);
				report_problem(rt, im->err);
				link_failed(&im->link, now);
			}
			runtime_heartbeat(rt);
		}
		if (im->linked && !link_connected(&im->link))
			report_problem(rt, "NATS connection lost: reconnecting");
		else if (im->linked)
			report_ok(rt, "importing: connected to NATS");
	}
	runtime_set_stopping(rt);
	status = RUNTIME_EXIT_OK;
out:
	unsubscribe_all(im);
	link_close(&im->link);
	free(im->syms);
	free(im->out);
	free(im->local_id);
	free(im);
	return status;
}
