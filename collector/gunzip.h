/* One gzip member (an HTX frame) inflated into a caller's buffer, with
 * zlib's state and window carved from a fixed arena inside the struct: no
 * malloc per frame or ever, and nothing to free. */
#ifndef SPREADBUS_COLLECTOR_GUNZIP_H
#define SPREADBUS_COLLECTOR_GUNZIP_H

#include <stdbool.h>
#include <stddef.h>

#include <zlib.h>

/* inflate's state (~7 KB) and its 32 KB window, with room to spare */
#define GUNZIP_ARENA (48 * 1024)

struct gunzip {
	z_stream zs;
	bool ready;  /* inflateInit2 done: later frames only reset */
	size_t used; /* of arena */
	_Alignas(16) unsigned char arena[GUNZIP_ARENA];
};

/* Inflate the gzip member at the start of in into out (cap bytes).
 * *out_len is its length, *in_used the member's compressed length (data
 * after it is left alone). Returns 0, -EMSGSIZE when it does not fit,
 * -EBADMSG when in is not one whole gzip member, -ENOMEM when zlib's
 * state does not fit the arena. */
int gunzip_frame(struct gunzip *g, const void *in, size_t len, char *out, size_t cap, size_t *out_len,
		 size_t *in_used);

#endif
