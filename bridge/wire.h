/* The bridge's message: a batch of contiguous ticks of one ring with the
 * ring's identity and the names of the symbols they use (ids differ between
 * hosts). Encoded and decoded here only; docs/cluster.md has the layout. */
#ifndef SPREADBUS_BRIDGE_WIRE_H
#define SPREADBUS_BRIDGE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "shm/tick.h"

#define WIRE_MAGIC 0x31544253u /* "SBT1" little endian */
#define WIRE_VERSION 2
#define WIRE_HEADER_BYTES 64
#define WIRE_NAME_MAX 24      /* exchange and symbol names, NUL included */
#define WIRE_MAX_TICKS 16384  /* [bridge] batch_ticks at most */
#define WIRE_MAX_SYMBOLS 8192 /* registry ids are below this */

struct wire_batch {
	uint64_t first_seq;          /* remote bus sequence of ticks[0]; the others follow */
	uint64_t prev_seq;           /* the exporter read on from here: first_seq, or less when it was
				      * lapped and lost [prev_seq, first_seq) */
	uint32_t count;
	int64_t ring_created_ns;     /* the remote ring's identity with its name */
	char exchange[WIRE_NAME_MAX];
	const struct tick *ticks;    /* encode: the ticks to send */
	const unsigned char *tick_bytes; /* decode: the ticks inside the message, maybe unaligned: memcpy them */
};

/* Bytes a batch of count ticks using nsym symbols may need at most. */
size_t wire_size_max(uint32_t count, uint32_t nsym);

/* Encoder scratch: which symbol ids the batch being encoded has listed. */
struct wire_encoder {
	uint32_t stamp;
	uint32_t listed[UINT16_MAX + 1];
};

/* Writes b and its ticks to out (out_len from wire_size_max(b->count,
 * b->count)). name_of gives a symbol id's name (NULL: unknown, sent as "").
 * Returns the length, or 0 if out is too small. */
size_t wire_encode(struct wire_encoder *enc, const struct wire_batch *b,
		   const char *(*name_of)(void *ctx, unsigned id), void *ctx, unsigned char *out, size_t out_len);

/* A decoded message's symbol table: remote id -> name, for the ids the
 * batch uses. */
struct wire_symbols {
	uint32_t count;
	uint16_t ids[WIRE_MAX_TICKS];
	char names[WIRE_MAX_TICKS][WIRE_NAME_MAX];
};

/* Checks and decodes msg. Returns 0, or -EBADMSG with why in err. */
int wire_decode(const unsigned char *msg, size_t len, struct wire_batch *b, struct wire_symbols *syms, char *err,
		size_t err_len);

#endif
