/* fakex: in-place WebSocket framing. Four header bytes are reserved, which
 * fits the common 126..65535 byte payload; the payload moves when the header
 * turns out to be 2 bytes (short) or 10 bytes (over 64 KiB). */
#include "tests/fakex/wsframe.h"

#include <stdint.h>
#include <string.h>

size_t wsframe_begin(struct fxbuf *b)
{
	size_t start = b->len;
	fxbuf_char(b, 0, 4);
	return start;
}

bool wsframe_end(struct fxbuf *b, size_t start, int opcode)
{
	if (b->overflow) {
		b->len = start;
		b->overflow = false;
		return false;
	}
	uint8_t *h = (uint8_t *)b->p + start;
	size_t n = b->len - start - 4;
	h[0] = (uint8_t)(0x80 | opcode);
	if (n < 126) {
		memmove(h + 2, h + 4, n);
		h[1] = (uint8_t)n;
		b->len -= 2;
	} else if (n <= 0xffff) {
		h[1] = 126;
		h[2] = (uint8_t)(n >> 8);
		h[3] = (uint8_t)n;
	} else {
		if (b->cap - b->len < 6) {
			b->len = start;
			return false;
		}
		memmove(h + 10, h + 4, n);
		h[1] = 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
		b->len += 6;
	}
	return true;
}
