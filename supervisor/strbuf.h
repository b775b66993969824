/* A growable text buffer for replies (Prometheus text, HTTP): append
 * with printf, capped so a runaway renderer cannot eat the memory. */
#ifndef SPREADBUS_SUPERVISOR_STRBUF_H
#define SPREADBUS_SUPERVISOR_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

#define STRBUF_MAX (4u << 20) /* no reply of the supervisor comes near 4 MiB */

struct strbuf {
	char *data; /* NUL-terminated while len > 0 */
	size_t len;
	size_t cap;
	bool failed; /* an append did not fit or allocation failed; the text is truncated */
};

void strbuf_init(struct strbuf *b);
void strbuf_free(struct strbuf *b);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_append(struct strbuf *b, const char *s, size_t n);
/* Hand the bytes to the caller (who frees them); b is empty afterwards. */
char *strbuf_take(struct strbuf *b, size_t *len);

#endif
