/* Encoding and decoding the bridge's batch message: a 56-byte header, the
 * symbol names the batch uses, then the ticks as they are in the ring. */
#include "bridge/wire.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(struct tick) == 64, "the wire carries 64-byte ticks");

/* Header offsets (little endian; the ring is little endian too). */
#define OFF_MAGIC 0
#define OFF_VERSION 4
#define OFF_NSYM 6
#define OFF_FIRST 8
#define OFF_COUNT 16
#define OFF_SYM_BYTES 20
#define OFF_CREATED 24
#define OFF_EXCHANGE 32
#define OFF_PREV 56
#define SYM_ENTRY_MAX (3 + WIRE_NAME_MAX - 1) /* u16 id, u8 length, the name without NUL */

static void put16(unsigned char *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static uint16_t get16(const unsigned char *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

size_t wire_size_max(uint32_t count, uint32_t nsym)
{
	return WIRE_HEADER_BYTES + pad8((size_t)nsym * SYM_ENTRY_MAX) + (size_t)count * sizeof(struct tick);
}

size_t wire_encode(struct wire_encoder *enc, const struct wire_batch *b,
		   const char *(*name_of)(void *ctx, unsigned id), void *ctx, unsigned char *out, size_t out_len)
{
	if (b->count > WIRE_MAX_TICKS || out_len < wire_size_max(b->count, b->count))
		return 0;
	if (++enc->stamp == 0) { /* wrapped: forget every old stamp */
		memset(enc->listed, 0, sizeof(enc->listed));
		enc->stamp = 1;
	}
	size_t pos = WIRE_HEADER_BYTES;
	uint16_t nsym = 0;
	for (uint32_t i = 0; i < b->count; i++) {
		uint16_t id = b->ticks[i].symbol_id;
		if (enc->listed[id] == enc->stamp)
			continue;
		enc->listed[id] = enc->stamp;
		const char *name = name_of(ctx, id);
		size_t n = name ? strnlen(name, WIRE_NAME_MAX - 1) : 0;
		put16(out + pos, id);
		out[pos + 2] = (unsigned char)n;
		memcpy(out + pos + 3, name ? name : "", n);
		pos += 3 + n;
		nsym++;
	}
	size_t sym_bytes = pad8(pos) - WIRE_HEADER_BYTES;
	memset(out + pos, 0, WIRE_HEADER_BYTES + sym_bytes - pos);
	pos = WIRE_HEADER_BYTES + sym_bytes;

	put32(out + OFF_MAGIC, WIRE_MAGIC);
	put16(out + OFF_VERSION, WIRE_VERSION);
	put16(out + OFF_NSYM, nsym);
	put64(out + OFF_FIRST, b->first_seq);
	put32(out + OFF_COUNT, b->count);
	put32(out + OFF_SYM_BYTES, (uint32_t)sym_bytes);
	put64(out + OFF_CREATED, (uint64_t)b->ring_created_ns);
	memset(out + OFF_EXCHANGE, 0, WIRE_NAME_MAX);
	memcpy(out + OFF_EXCHANGE, b->exchange, strnlen(b->exchange, WIRE_NAME_MAX - 1));
	put64(out + OFF_PREV, b->prev_seq);
	memcpy(out + pos, b->ticks, (size_t)b->count * sizeof(struct tick));
	return pos + (size_t)b->count * sizeof(struct tick);
}

static int bad(char *err, size_t err_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

int wire_decode(const unsigned char *msg, size_t len, struct wire_batch *b, struct wire_symbols *syms, char *err,
		size_t err_len)
{
	if (len < WIRE_HEADER_BYTES)
		return bad(err, err_len, "message of %zu bytes is shorter than the %d-byte header", len,
			   WIRE_HEADER_BYTES);
	if (get32(msg + OFF_MAGIC) != WIRE_MAGIC)
		return bad(err, err_len, "not a spreadbus batch (magic %08x)", get32(msg + OFF_MAGIC));
	if (get16(msg + OFF_VERSION) != WIRE_VERSION)
		return bad(err, err_len, "batch format version %u, expected %d", get16(msg + OFF_VERSION),
			   WIRE_VERSION);
	uint32_t count = get32(msg + OFF_COUNT);
	uint32_t nsym = get16(msg + OFF_NSYM);
	uint32_t sym_bytes = get32(msg + OFF_SYM_BYTES);
	if (count == 0 || count > WIRE_MAX_TICKS || nsym > count || sym_bytes % 8 != 0 ||
	    sym_bytes > len - WIRE_HEADER_BYTES ||
	    (len - WIRE_HEADER_BYTES - sym_bytes) != (size_t)count * sizeof(struct tick))
		return bad(err, err_len, "batch of %u ticks and %u symbols does not fit its %zu bytes", count, nsym,
			   len);
	const unsigned char *p = msg + WIRE_HEADER_BYTES, *end = p + sym_bytes;
	for (uint32_t i = 0; i < nsym; i++) {
		if (end - p < 3 || p[2] >= WIRE_NAME_MAX || end - p < 3 + p[2])
			return bad(err, err_len, "symbol table entry %u overruns the table", i);
		syms->ids[i] = get16(p);
		memcpy(syms->names[i], p + 3, p[2]);
		syms->names[i][p[2]] = '\0';
		p += 3 + p[2];
	}
	syms->count = nsym;
	b->first_seq = get64(msg + OFF_FIRST);
	b->prev_seq = get64(msg + OFF_PREV);
	if (b->prev_seq > b->first_seq)
		return bad(err, err_len, "batch at bus_seq %llu follows %llu, after it", (unsigned long long)b->first_seq,
			   (unsigned long long)b->prev_seq);
	b->count = count;
	b->ring_created_ns = (int64_t)get64(msg + OFF_CREATED);
	memcpy(b->exchange, msg + OFF_EXCHANGE, WIRE_NAME_MAX);
	b->exchange[WIRE_NAME_MAX - 1] = '\0';
	b->ticks = NULL;
	b->tick_bytes = end;
	return 0;
}
