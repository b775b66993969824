/* A small JSON writer into a caller's buffer: it never writes past the end,
 * it remembers overflow instead, and it places the commas itself. */
#ifndef SPREADBUS_COMMON_JSONW_H
#define SPREADBUS_COMMON_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSONW_MAX_DEPTH 32

struct jsonw {
	char *buf;
	size_t cap;            /* bytes of buf, one kept for the NUL */
	size_t len;            /* bytes written so far */
	bool overflow;         /* something did not fit: the output is unusable */
	bool after_key;        /* the next value belongs to a key just written */
	int depth;
	uint32_t has_items;    /* bit d: the container at depth d has an element */
};

/* buf must hold at least one byte; it always stays NUL-terminated. */
void jsonw_init(struct jsonw *w, char *buf, size_t cap);

void jsonw_object_begin(struct jsonw *w);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w);
void jsonw_array_end(struct jsonw *w);

/* A key inside an object; the next call writes its value. */
void jsonw_key(struct jsonw *w, const char *key);

/* Strings are escaped per RFC 8259; bytes are otherwise copied as they are
 * (callers pass UTF-8). NULL writes null. */
void jsonw_string(struct jsonw *w, const char *s);
void jsonw_string_n(struct jsonw *w, const char *s, size_t n);
void jsonw_int64(struct jsonw *w, int64_t v);
void jsonw_uint64(struct jsonw *w, uint64_t v);
void jsonw_double(struct jsonw *w, double v); /* shortest round trip; NaN/inf -> null */
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* Already valid JSON text (e.g. a nested document), copied as a value. */
void jsonw_raw(struct jsonw *w, const char *json, size_t n);

/* Key and value in one call, for objects. */
void jsonw_kv_string(struct jsonw *w, const char *key, const char *s);
void jsonw_kv_int64(struct jsonw *w, const char *key, int64_t v);
void jsonw_kv_uint64(struct jsonw *w, const char *key, uint64_t v);
void jsonw_kv_double(struct jsonw *w, const char *key, double v);
void jsonw_kv_bool(struct jsonw *w, const char *key, bool v);

/* 0 with the document's length in *len (may be NULL), or -ENOSPC if
 * anything overflowed, or -EINVAL if containers are still open, were closed
 * more often than opened, or a key has no value. */
int jsonw_finish(const struct jsonw *w, size_t *len);

#endif
