/* The tick ring: a single-producer, multi-reader sequence of 64-byte records
 * in one shared-memory segment, with per-slot sequence validation. */
#include "shm/ring.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/*
 * Segment layout (all offsets are multiples of 64):
 *   struct segment_header            magic, version, record size, capacity
 *   struct ring_producer_line        head, wake_wanted, wake_word
 *   struct ring_reader_slot [8]      one cache line per reader
 *   records [capacity]               record_size bytes each (a tick: 64)
 * A record is accessed as atomic words so that a reader racing with the
 * producer is a well-defined (if discarded) read. Word 0 holds seq_lo in its
 * low 32 bits (tick.h and derived records put seq_lo first; x86-64 and arm64
 * are little endian). Derived rings (_spreads) use larger records, a
 * multiple of 64 bytes; the protocol is the same for any size.
 */

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "ring word 0 packs seq_lo in the low 32 bits: little endian only"
#endif
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "shared atomics must be lock-free");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "shared atomics must be lock-free");

#define RING_WORD_BYTES 8
#define RING_MIN_CAPACITY 1024ULL
/* Readers detect 32-bit seq_lo aliasing by comparing against head; a
 * capacity at most 2^30 keeps a lapped record and an aliased one apart. */
#define RING_MAX_CAPACITY (1ULL << 30)
#define RING_ALIAS_DISTANCE (1ULL << 30)
/* seq_lo with this bit flipped marks a slot whose body is being written. */
#define SEQ_IN_PROGRESS 0x80000000u

enum reader_slot_state { SLOT_FREE = 0, SLOT_CLAIMING = 1, SLOT_USED = 2 };

/* An imported ring's origin (ring.h), as stored: two entries so that the
 * one being written never replaces the one that holds for the records
 * already published. local_seq is stored last; an entry counts only once
 * the record at local_seq is published (local_seq < head). */
struct ring_origin_entry {
	_Atomic int64_t remote_created_ns;
	_Atomic uint64_t local_seq;
	_Atomic uint64_t remote_next;
};

struct ring_producer_line {
	_Atomic uint64_t head;      /* next sequence to publish; stored after the records */
	_Atomic uint32_t wake_wanted; /* set by a reader going to sleep, taken by the wake */
	_Atomic uint32_t wake_word; /* futex word, bumped on every wake */
	struct ring_origin_entry origin[2]; /* zero (never set) in rings no bridge fills */
} __attribute__((aligned(64)));

struct ring_reader_slot {
	char name[RING_READER_NAME_MAX];
	_Atomic uint64_t cursor;     /* committed: next sequence to read */
	_Atomic uint64_t lost_total;
	_Atomic int32_t pid;
	_Atomic uint32_t state;      /* enum reader_slot_state */
} __attribute__((aligned(64)));

struct ring_layout {
	struct segment_header header;
	struct ring_producer_line producer;
	struct ring_reader_slot readers[RING_MAX_READERS];
	/* records follow */
};

_Static_assert(sizeof(struct ring_producer_line) == 64, "producer line is one cache line");
_Static_assert(sizeof(struct ring_reader_slot) == 64, "reader slot is one cache line");
_Static_assert(sizeof(struct tick) % 64 == 0, "a tick is a whole number of cache lines");
_Static_assert(sizeof(struct ring_layout) % 64 == 0, "slots are cache-line aligned");

struct ring {
	struct segment seg;
	struct ring_layout *l;
	uint64_t capacity;
	uint64_t mask;
	uint32_t words; /* per record */
	bool producer_ready;
	uint64_t producer_head; /* the producer's own copy of head */
};

struct ring_reader {
	struct ring *ring;
	struct ring_reader_slot *slot;
	uint64_t cursor;      /* local read position */
	uint64_t cached_head; /* head as last seen; reloaded only when reached */
};

static bool capacity_valid(uint64_t capacity)
{
	return capacity >= RING_MIN_CAPACITY && capacity <= RING_MAX_CAPACITY && (capacity & (capacity - 1)) == 0;
}

static bool record_size_valid(uint32_t record_size)
{
	return record_size >= sizeof(struct tick) && record_size <= RING_RECORD_MAX && record_size % 64 == 0;
}

/* A ring of record_size-byte records (a multiple of 64, at most
 * RING_RECORD_MAX); 0 if either is invalid. */
static size_t ring_segment_size_records(uint64_t capacity, uint32_t record_size)
{
	if (!capacity_valid(capacity) || !record_size_valid(record_size))
		return 0;
	return sizeof(struct ring_layout) + capacity * record_size;
}

size_t ring_segment_size(uint64_t capacity)
{
	return ring_segment_size_records(capacity, sizeof(struct tick));
}

static _Atomic uint64_t *record_words(struct ring_layout *l, uint32_t words, uint64_t index)
{
	return (_Atomic uint64_t *)((char *)(l + 1) + index * words * RING_WORD_BYTES);
}

/* The words of the record slot that holds seq. */
static _Atomic uint64_t *slot_words(const struct ring *ring, uint64_t seq)
{
	return record_words(ring->l, ring->words, seq & ring->mask);
}

/* No slot may match the sequence a reader first expects there, and the
 * producer's crash recovery must not mistake slot 0 for a record. */
static void ring_init_slots(void *base, const struct segment_spec *spec)
{
	struct ring_layout *l = base;
	uint64_t i;

	for (i = 0; i < spec->capacity; i++)
		atomic_store_explicit(record_words(l, spec->record_size / RING_WORD_BYTES, i),
				      (uint32_t)i ^ SEQ_IN_PROGRESS, memory_order_relaxed);
}

static struct segment_spec ring_spec(const char *label, uint64_t capacity, uint32_t record_size)
{
	struct segment_spec spec = {
		.magic = RING_MAGIC,
		.layout_version = RING_LAYOUT_VERSION,
		.record_size = record_size,
		.capacity = capacity,
		.total_size = capacity ? ring_segment_size_records(capacity, record_size) : 0,
		.label = label,
		.kind = "ring",
		.init = ring_init_slots,
	};
	return spec;
}

/* Takes over a mapped ring segment, or detaches it. Checks what the header
 * check cannot when any capacity is accepted: a power of two, and a size
 * that fits it. */
static int ring_wrap(struct ring **out, struct segment *seg, uint32_t record_size, char *err, size_t err_len)
{
	uint64_t cap = ((struct segment_header *)seg->base)->capacity;
	struct ring *ring;

	if (!capacity_valid(cap) || seg->size != ring_segment_size_records(cap, record_size)) {
		snprintf(err, err_len, "ring %s: capacity %llu with %zu bytes is not a valid ring", seg->name,
			 (unsigned long long)cap, seg->size);
		segment_detach(seg);
		return -EPROTO;
	}
	ring = calloc(1, sizeof(*ring));
	if (!ring) {
		snprintf(err, err_len, "ring %s: out of memory", seg->name);
		segment_detach(seg);
		return -ENOMEM;
	}
	ring->seg = *seg;
	ring->l = seg->base;
	ring->capacity = ring->l->header.capacity;
	ring->mask = ring->capacity - 1;
	ring->words = ring->l->header.record_size / RING_WORD_BYTES;
	*out = ring;
	return 0;
}

int ring_create_or_attach_records(struct ring **out, const char *name, const char *label, uint64_t capacity,
				  uint32_t record_size, mode_t mode, char *err, size_t err_len)
{
	struct segment_spec spec = ring_spec(label, capacity, record_size);
	struct segment seg;
	int rc;

	if (!capacity_valid(capacity)) {
		snprintf(err, err_len, "ring %s: capacity %llu must be a power of two in [%llu, %llu]", name,
			 (unsigned long long)capacity, RING_MIN_CAPACITY, RING_MAX_CAPACITY);
		return -EINVAL;
	}
	if (!record_size_valid(record_size)) {
		snprintf(err, err_len, "ring %s: record size %u must be a multiple of 64 in [64, %u]", name,
			 record_size, RING_RECORD_MAX);
		return -EINVAL;
	}
	rc = segment_create_or_attach(&seg, name, &spec, mode, err, err_len);
	if (rc < 0)
		return rc;
	return ring_wrap(out, &seg, record_size, err, err_len);
}

int ring_create_or_attach(struct ring **out, const char *name, const char *label, uint64_t capacity,
			  mode_t mode, char *err, size_t err_len)
{
	return ring_create_or_attach_records(out, name, label, capacity, sizeof(struct tick), mode, err, err_len);
}

int ring_attach_records(struct ring **out, const char *name, uint32_t record_size, char *err, size_t err_len)
{
	struct segment_spec spec = ring_spec(NULL, 0, record_size); /* any capacity */
	struct segment seg;
	int rc = segment_attach(&seg, name, &spec, err, err_len);

	if (rc < 0)
		return rc;
	return ring_wrap(out, &seg, record_size, err, err_len);
}

int ring_attach(struct ring **out, const char *name, char *err, size_t err_len)
{
	return ring_attach_records(out, name, sizeof(struct tick), err, err_len);
}

void ring_close(struct ring *ring)
{
	if (!ring)
		return;
	segment_detach(&ring->seg);
	free(ring);
}

uint64_t ring_capacity(const struct ring *ring)
{
	return ring->capacity;
}

uint32_t ring_record_size(const struct ring *ring)
{
	return ring->words * RING_WORD_BYTES;
}

const char *ring_label(const struct ring *ring)
{
	return ring->l->header.label;
}

int64_t ring_created_ns(const struct ring *ring)
{
	return ring->l->header.created_ns;
}

uint64_t ring_head(const struct ring *ring)
{
	return atomic_load_explicit(&ring->l->producer.head, memory_order_acquire);
}

static long futex_call(_Atomic uint32_t *addr, int op, uint32_t val, const struct timespec *timeout)
{
	return syscall(SYS_futex, (uint32_t *)addr, op, val, timeout, NULL, 0);
}

/* Publishes head. The seq_cst store and the exchange pair with the store
 * and head load in ring_wait_any: either the producer sees the request for
 * a wake, or the sleeper sees the new head. The request is taken with the
 * wake, so a burst of publishes makes one wake syscall for everyone asleep,
 * not one each while they are still waking; nobody asleep costs none. */
static void ring_store_head(struct ring *ring, uint64_t head)
{
	struct ring_producer_line *p = &ring->l->producer;

	atomic_store_explicit(&p->head, head, memory_order_seq_cst);
	if (atomic_load_explicit(&p->wake_wanted, memory_order_seq_cst) != 0 &&
	    atomic_exchange_explicit(&p->wake_wanted, 0, memory_order_seq_cst) != 0) {
		atomic_fetch_add_explicit(&p->wake_word, 1, memory_order_seq_cst);
		/* Shared futex: the sleepers are other processes. */
		futex_call(&p->wake_word, FUTEX_WAKE, INT_MAX, NULL);
	}
}

/* A reader about to sleep asks for a wake before it looks at head. A reader
 * that times out, or is killed asleep, leaves the request for the next
 * publish to take: one wake syscall for nobody, never one per publish. */
static void wake_request(struct ring *ring)
{
	atomic_store_explicit(&ring->l->producer.wake_wanted, 1, memory_order_seq_cst);
}

uint64_t ring_producer_open(struct ring *ring)
{
	uint64_t head = atomic_load_explicit(&ring->l->producer.head, memory_order_acquire);
	uint64_t start = head;

	/* A producer killed after a record's final word 0 store but before the
	 * head store left complete records past head: keep them. A slot with
	 * the in-progress pattern (or older data) ends the scan and is simply
	 * overwritten by the next publish. */
	for (;;) {
		uint64_t w0 = atomic_load_explicit(slot_words(ring, head), memory_order_acquire);
		if ((uint32_t)w0 != (uint32_t)head)
			break;
		head++;
	}
	if (head != start)
		ring_store_head(ring, head);
	ring->producer_head = head;
	ring->producer_ready = true;
	return head;
}

/* The entry that holds for the newest published record, or -1. Entries
 * never set have local_seq 0 and remote_created_ns 0. */
static int origin_current(const struct ring *ring, uint64_t head)
{
	const struct ring_origin_entry *e = ring->l->producer.origin;
	int best = -1;
	uint64_t best_seq = 0;

	for (int i = 0; i < 2; i++) {
		uint64_t l = atomic_load_explicit(&e[i].local_seq, memory_order_acquire);
		if (atomic_load_explicit(&e[i].remote_created_ns, memory_order_relaxed) == 0 || l >= head)
			continue;
		if (best < 0 || l > best_seq) {
			best = i;
			best_seq = l;
		}
	}
	return best;
}

int ring_origin_get(const struct ring *ring, struct ring_origin *out)
{
	uint64_t head = ring_head(ring);
	int i = origin_current(ring, head);

	if (i < 0)
		return -ENOENT;
	const struct ring_origin_entry *e = &ring->l->producer.origin[i];
	out->remote_created_ns = atomic_load_explicit(&e->remote_created_ns, memory_order_relaxed);
	out->local_seq = atomic_load_explicit(&e->local_seq, memory_order_relaxed);
	out->remote_next = atomic_load_explicit(&e->remote_next, memory_order_relaxed);
	return 0;
}

void ring_origin_set(struct ring *ring, const struct ring_origin *o)
{
	int cur = origin_current(ring, ring_head(ring));
	struct ring_origin_entry *e = &ring->l->producer.origin[cur == 0 ? 1 : 0];

	assert(ring->producer_ready && o->local_seq == ring->producer_head && o->remote_created_ns != 0);
	/* Invalid while written: local_seq is not below head until the record
	 * at o->local_seq is published. */
	atomic_store_explicit(&e->local_seq, UINT64_MAX, memory_order_release);
	atomic_store_explicit(&e->remote_created_ns, o->remote_created_ns, memory_order_relaxed);
	atomic_store_explicit(&e->remote_next, o->remote_next, memory_order_relaxed);
	atomic_store_explicit(&e->local_seq, o->local_seq, memory_order_release);
}

uint64_t ring_publish_records(struct ring *ring, const void *records, size_t n)
{
	const unsigned char *src = records;
	uint64_t first, i;
	unsigned j;

	if (!ring->producer_ready)
		ring_producer_open(ring);
	first = ring->producer_head;
	for (i = 0; i < n; i++, src += ring->words * RING_WORD_BYTES) {
		uint64_t seq = first + i;
		_Atomic uint64_t *slot = slot_words(ring, seq);
		uint64_t w0, wj;

		memcpy(&w0, src, sizeof(w0));
		w0 = (w0 & 0xffffffff00000000ULL) | (uint32_t)seq;
		/* Mark the slot in progress before touching the body. Each body
		 * word is a release store (a plain store on x86-64): a reader
		 * that acquires any new body word then sees word 0 changed.
		 * Per-word ordering instead of a fence, which ThreadSanitizer
		 * cannot model. */
		atomic_store_explicit(&slot[0], w0 ^ SEQ_IN_PROGRESS, memory_order_relaxed);
		for (j = 1; j < ring->words; j++) {
			memcpy(&wj, src + j * RING_WORD_BYTES, sizeof(wj));
			atomic_store_explicit(&slot[j], wj, memory_order_release);
		}
		/* The final word 0 publishes the body to a reader that matches it. */
		atomic_store_explicit(&slot[0], w0, memory_order_release);
	}
	if (n) {
		ring->producer_head = first + n;
		ring_store_head(ring, ring->producer_head);
	}
	return first;
}

uint64_t ring_publish(struct ring *ring, const struct tick *ticks, size_t n)
{
	assert(ring->words * RING_WORD_BYTES == sizeof(struct tick));
	return ring_publish_records(ring, ticks, n);
}

static bool reader_name_valid(const char *name)
{
	size_t len = name ? strnlen(name, RING_READER_NAME_MAX) : 0;

	return len > 0 && len < RING_READER_NAME_MAX;
}

static struct ring_reader_slot *slot_find(struct ring_layout *l, const char *name)
{
	unsigned i;

	for (i = 0; i < RING_MAX_READERS; i++) {
		struct ring_reader_slot *s = &l->readers[i];
		if (atomic_load_explicit(&s->state, memory_order_acquire) == SLOT_USED &&
		    strncmp(s->name, name, RING_READER_NAME_MAX) == 0)
			return s;
	}
	return NULL;
}

/* Claims a free slot (CAS, so two processes never get the same one) with
 * its cursor at start. */
static struct ring_reader_slot *slot_claim(struct ring *ring, const char *name, enum ring_reader_start start)
{
	struct ring_layout *l = ring->l;
	unsigned i;

	for (i = 0; i < RING_MAX_READERS; i++) {
		struct ring_reader_slot *s = &l->readers[i];
		uint32_t expected = SLOT_FREE;
		if (!atomic_compare_exchange_strong(&s->state, &expected, SLOT_CLAIMING))
			continue;
		memset(s->name, 0, sizeof(s->name));
		memcpy(s->name, name, strnlen(name, RING_READER_NAME_MAX - 1));
		uint64_t head = atomic_load_explicit(&l->producer.head, memory_order_acquire);
		uint64_t oldest = head > ring->capacity ? head - ring->capacity : 0;
		atomic_store_explicit(&s->cursor, start == RING_START_AT_OLDEST ? oldest : head,
				      memory_order_relaxed);
		atomic_store_explicit(&s->lost_total, 0, memory_order_relaxed);
		atomic_store_explicit(&s->state, SLOT_USED, memory_order_release);
		return s;
	}
	return NULL;
}

int ring_reader_open_from(struct ring_reader **out, struct ring *ring, const char *name,
			  enum ring_reader_start start)
{
	struct ring_reader_slot *slot;
	struct ring_reader *r;

	if (!reader_name_valid(name))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	slot = slot_find(ring->l, name);
	if (!slot)
		slot = slot_claim(ring, name, start);
	if (!slot) {
		free(r);
		return -ENOSPC;
	}
	atomic_store_explicit(&slot->pid, (int32_t)getpid(), memory_order_relaxed);
	r->ring = ring;
	r->slot = slot;
	r->cursor = atomic_load_explicit(&slot->cursor, memory_order_acquire);
	r->cached_head = 0;
	*out = r;
	return 0;
}

int ring_reader_open(struct ring_reader **out, struct ring *ring, const char *name)
{
	return ring_reader_open_from(out, ring, name, RING_START_AT_HEAD);
}

int ring_reader_open_private(struct ring_reader **out, struct ring *ring, uint64_t from)
{
	struct ring_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->ring = ring;
	r->cursor = from;
	*out = r;
	return 0;
}

void ring_reader_close(struct ring_reader *r)
{
	free(r);
}

/* Copies the record at seq into out if the slot still holds it, whole
 * (out may hold a torn copy when false is returned). */
static bool slot_copy(const struct ring *ring, uint64_t seq, unsigned char *out)
{
	_Atomic uint64_t *slot = slot_words(ring, seq);
	uint64_t w0, wj;
	unsigned j;

	w0 = atomic_load_explicit(&slot[0], memory_order_acquire);
	if ((uint32_t)w0 != (uint32_t)seq)
		return false;
	/* Acquire loads pair with the producer's release body stores: if any
	 * body word came from a newer record, the re-read word 0 has changed. */
	for (j = 1; j < ring->words; j++) {
		wj = atomic_load_explicit(&slot[j], memory_order_acquire);
		memcpy(out + j * RING_WORD_BYTES, &wj, sizeof(wj));
	}
	if (atomic_load_explicit(&slot[0], memory_order_relaxed) != w0)
		return false;
	memcpy(out, &w0, sizeof(w0));
	return true;
}

/* The oldest sequence that can still be in the ring after a lap at c. */
static uint64_t lap_resume(const struct ring *ring, uint64_t head, uint64_t c)
{
	uint64_t oldest = head >= ring->capacity ? head - ring->capacity : 0;

	return oldest > c + 1 ? oldest : c + 1;
}

size_t ring_reader_read_records(struct ring_reader *r, void *records, size_t max, uint64_t *first_seq,
				uint64_t *lost)
{
	struct ring *ring = r->ring;
	unsigned char *out = records;
	size_t record_size = (size_t)ring->words * RING_WORD_BYTES;
	uint64_t c = r->cursor, first, skipped = 0, head;
	size_t n;

	for (;;) {
		bool lapped = false;

		first = c;
		n = 0;
		while (n < max) {
			if (c >= r->cached_head) {
				r->cached_head = ring_head(ring);
				if (c >= r->cached_head)
					break;
			}
			if (!slot_copy(ring, c, out + n * record_size)) {
				/* c < head, so record c was published: a slot that no
				 * longer holds it has been (or is being) overwritten. */
				lapped = true;
				break;
			}
			n++;
			c++;
		}
		if (lapped && n == 0) {
			head = ring_head(ring);
			r->cached_head = head;
			skipped += lap_resume(ring, head, c) - c;
			c = lap_resume(ring, head, c);
			continue;
		}
		if (n == 0)
			break;
		/* seq_lo is 32 bits: a reader stopped for 2^32 records could match
		 * a newer record. Such a batch is older than any slot can be. */
		head = ring_head(ring);
		r->cached_head = head;
		if (head - first >= RING_ALIAS_DISTANCE) {
			skipped += lap_resume(ring, head, first) - first;
			c = lap_resume(ring, head, first);
			continue;
		}
		break;
	}
	if (skipped && r->slot)
		atomic_fetch_add_explicit(&r->slot->lost_total, skipped, memory_order_relaxed);
	r->cursor = c;
	if (first_seq)
		*first_seq = first;
	if (lost)
		*lost = skipped;
	return n;
}

size_t ring_reader_read(struct ring_reader *r, struct tick *out, size_t max, uint64_t *first_seq,
			uint64_t *lost)
{
	assert(r->ring->words * RING_WORD_BYTES == sizeof(struct tick));
	return ring_reader_read_records(r, out, max, first_seq, lost);
}

void ring_reader_commit(struct ring_reader *r, uint64_t next_seq)
{
	if (r->slot)
		atomic_store_explicit(&r->slot->cursor, next_seq, memory_order_release);
}

void ring_reader_seek(struct ring_reader *r, uint64_t next_seq)
{
	r->cursor = next_seq;
}

uint64_t ring_reader_position(const struct ring_reader *r)
{
	return r->cursor;
}

struct ring *ring_reader_ring(const struct ring_reader *r)
{
	return r->ring;
}

#define NS_PER_S 1000000000LL
#define FALLBACK_STEP_NS 10000000LL /* 10 ms */

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

/* Kernels before 5.16 have no futex_waitv: sleep on the first ring's word in
 * 10 ms steps and look at every word between steps (the producer that takes our
 * wake request bumps its word), until one changed or the deadline. */
static int wait_words_stepwise(const struct futex_waitv *w, size_t n, int64_t deadline_ns)
{
	for (;;) {
		struct timespec rel;
		int64_t left;
		size_t k;

		for (k = 0; k < n; k++)
			if (atomic_load((_Atomic uint32_t *)(uintptr_t)w[k].uaddr) != (uint32_t)w[k].val)
				return 1;
		left = deadline_ns - monotonic_ns();
		if (left <= 0)
			return 0;
		if (left > FALLBACK_STEP_NS)
			left = FALLBACK_STEP_NS;
		rel.tv_sec = 0;
		rel.tv_nsec = (long)left;
		if (futex_call((_Atomic uint32_t *)(uintptr_t)w[0].uaddr, FUTEX_WAIT, (uint32_t)w[0].val, &rel) == 0 ||
		    errno == EAGAIN)
			return 1;
		if (errno == EINTR)
			return -EINTR;
	}
}

/* Sleeps on the rings' futex words until one changes or the deadline.
 * Returns 1 (woken, maybe spuriously), 0 (deadline passed) or -EINTR. */
static int wait_words(struct futex_waitv *w, size_t n, int timeout_ms)
{
	int64_t deadline_ns = timeout_ms >= 0 ? monotonic_ns() + (int64_t)timeout_ms * 1000000LL : INT64_MAX;
	struct timespec deadline = { deadline_ns / NS_PER_S, deadline_ns % NS_PER_S };
	long rc;

	rc = syscall(SYS_futex_waitv, w, (unsigned)n, 0, timeout_ms >= 0 ? &deadline : NULL, CLOCK_MONOTONIC);
	if (rc >= 0 || errno == EAGAIN)
		return 1;
	if (errno == ETIMEDOUT)
		return 0;
	if (errno == EINTR)
		return -EINTR;
	if (errno == ENOSYS)
		return wait_words_stepwise(w, n, deadline_ns);
	return 1;
}

int ring_wait_any(struct ring_reader *const *readers, size_t n, int timeout_ms)
{
	struct futex_waitv w[FUTEX_WAITV_MAX];
	struct ring *rings[FUTEX_WAITV_MAX];
	size_t nr = 0, i, k;
	int rc = 0;

	if (n > FUTEX_WAITV_MAX)
		n = FUTEX_WAITV_MAX;
	for (i = 0; i < n; i++) {
		struct ring *ring = readers[i]->ring;
		for (k = 0; k < nr && rings[k] != ring; k++)
			;
		if (k < nr)
			continue;
		rings[nr] = ring;
		/* Ask for the wake before looking at head (see ring_store_head). */
		wake_request(ring);
		memset(&w[nr], 0, sizeof(w[nr]));
		w[nr].val = atomic_load_explicit(&ring->l->producer.wake_word, memory_order_seq_cst);
		w[nr].uaddr = (uintptr_t)&ring->l->producer.wake_word;
		w[nr].flags = FUTEX_32;
		nr++;
	}
	for (i = 0; i < n && !rc; i++)
		if (atomic_load_explicit(&readers[i]->ring->l->producer.head, memory_order_seq_cst) >
		    readers[i]->cursor)
			rc = 1;
	if (!rc && nr)
		rc = wait_words(w, nr, timeout_ms);
	else if (!rc && poll(NULL, 0, timeout_ms) < 0)
		rc = -EINTR;
	return rc;
}

int ring_wait_batch(struct ring_batch_wait *bw, struct ring_reader *const *readers, size_t n, int timeout_ms,
		    size_t got)
{
	int64_t now = monotonic_ns();
	int rc = 1;

	bw->timed = got > 0 && bw->batch_ns > 0 && (bw->timed || bw->gap_ns < bw->batch_ns);
	if (bw->timed) {
		int64_t left = bw->woke_ns + bw->batch_ns - now;
		if (left > 0) {
			struct timespec ts = { left / NS_PER_S, left % NS_PER_S };
			if (nanosleep(&ts, NULL) < 0)
				rc = -EINTR;
		}
	} else {
		rc = ring_wait_any(readers, n, timeout_ms);
	}
	now = monotonic_ns();
	bw->gap_ns = now - bw->woke_ns;
	bw->woke_ns = now;
	return rc;
}

size_t ring_readers_info(const struct ring *ring, struct ring_reader_info *out, size_t max)
{
	size_t n = 0;
	unsigned i;

	for (i = 0; i < RING_MAX_READERS && n < max; i++) {
		const struct ring_reader_slot *s = &ring->l->readers[i];
		if (atomic_load_explicit(&s->state, memory_order_acquire) != SLOT_USED)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(out[n].name, s->name, RING_READER_NAME_MAX - 1);
		out[n].cursor = atomic_load_explicit(&s->cursor, memory_order_acquire);
		out[n].lost_total = atomic_load_explicit(&s->lost_total, memory_order_relaxed);
		out[n].pid = atomic_load_explicit(&s->pid, memory_order_relaxed);
		n++;
	}
	return n;
}

uint64_t ring_slowest_cursor(const struct ring *ring)
{
	struct ring_reader_info info[RING_MAX_READERS];
	size_t n = ring_readers_info(ring, info, RING_MAX_READERS), i;
	uint64_t min = ring_head(ring);

	for (i = 0; i < n; i++)
		if (info[i].cursor < min)
			min = info[i].cursor;
	return min;
}
