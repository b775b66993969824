/* One gzip member (an HTX frame) inflated into a caller's buffer with
 * libdeflate (whole-buffer, ~1.3x zlib's speed on 150-byte frames), its
 * decompressor carved from a fixed arena inside the struct: no malloc per
 * frame or ever, and nothing to free. */
#ifndef SPREADBUS_COLLECTOR_GUNZIP_H
#define SPREADBUS_COLLECTOR_GUNZIP_H

#include <stddef.h>

struct libdeflate_decompressor;

/* libdeflate 1.14's decompressor is about 11 KB */
#define GUNZIP_ARENA (32 * 1024)

struct gunzip {
	struct libdeflate_decompressor *d; /* made at the first frame */
	size_t used;                       /* of arena */
	_Alignas(64) unsigned char arena[GUNZIP_ARENA];
};

/* Inflate the gzip member at the start of in into out (cap bytes).
 * *out_len is its length, *in_used the member's compressed length (data
 * after it is left alone). Returns 0, -EMSGSIZE when it does not fit,
 * -EBADMSG when in does not start with one whole gzip member, -ENOMEM
 * when the decompressor does not fit the arena. One thread per struct. */
int gunzip_frame(struct gunzip *g, const void *in, size_t len, char *out, size_t cap, size_t *out_len,
		 size_t *in_used);

#endif
