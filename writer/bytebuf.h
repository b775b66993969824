/* A growable byte buffer for encoder output (pages, page headers, footer).
 * Growth happens per row group or file, never per tick. */
#ifndef SPREADBUS_WRITER_BYTEBUF_H
#define SPREADBUS_WRITER_BYTEBUF_H

#include <stddef.h>
#include <stdint.h>

struct bytebuf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int failed; /* an allocation failed: contents are incomplete */
};

void bytebuf_init(struct bytebuf *b);
void bytebuf_free(struct bytebuf *b);
void bytebuf_reset(struct bytebuf *b);
/* Make room for n more bytes; 0 or -ENOMEM (also sets failed). */
int bytebuf_reserve(struct bytebuf *b, size_t n);
void bytebuf_put(struct bytebuf *b, const void *p, size_t n);
void bytebuf_put_u8(struct bytebuf *b, uint8_t v);
void bytebuf_put_le32(struct bytebuf *b, uint32_t v);
/* Unsigned LEB128, as Thrift compact and the RLE hybrid use it. */
void bytebuf_put_uvarint(struct bytebuf *b, uint64_t v);

#endif
