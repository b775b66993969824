/* fakex: gzip framing with one reused deflate stream (see gzframe.h). */
#include "tests/fakex/gzframe.h"

#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "tests/fakex/wsframe.h"

/* the biggest frame fakex writes (oversize faults included) compressed */
#define GZ_MAX (1024 * 1024)

bool gzframe_end(struct fxbuf *b, size_t start)
{
	static z_stream zs;
	static bool ready;
	static unsigned char out[GZ_MAX];
	if (b->overflow)
		return wsframe_end(b, start, WS_BINARY);
	if (!ready) {
		/* 15 + 16: a gzip wrapper, as HTX sends */
		if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			fprintf(stderr, "fakex: deflateInit2 failed\n");
			return false;
		}
		ready = true;
	} else {
		deflateReset(&zs);
	}
	size_t payload = start + 4;
	zs.next_in = (Bytef *)b->p + payload;
	zs.avail_in = (uInt)(b->len - payload);
	zs.next_out = out;
	zs.avail_out = sizeof out;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		b->overflow = true;
		return wsframe_end(b, start, WS_BINARY);
	}
	size_t n = sizeof out - zs.avail_out;
	b->len = payload;
	fxbuf_putn(b, (const char *)out, n);
	return wsframe_end(b, start, WS_BINARY);
}
