/* A small validating JSON scanner for exchange frames: walks objects and
 * arrays in place, returns spans into the frame, never allocates. */
#ifndef SPREADBUS_COLLECTOR_JSON_SCAN_H
#define SPREADBUS_COLLECTOR_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Nesting allowed inside a skipped value; exchange frames need about 4. */
#define JS_MAX_DEPTH 32

struct js {
	const char *p;
	const char *end;
};

/* A piece of the frame: a string's content (quotes excluded) or a bare
 * number/literal. escaped is set when a string holds a backslash. */
struct js_span {
	const char *s;
	size_t len;
	bool quoted;
	bool escaped;
};

static inline void js_init(struct js *j, const char *buf, size_t len)
{
	j->p = buf;
	j->end = buf + len;
}

/* Whitespace is at most ' ': one comparison for the usual non-blank byte. */
static inline void js_ws(struct js *j)
{
	while (j->p < j->end && (unsigned char)*j->p <= ' ' &&
	       (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
}

/* Consume c (after whitespace). Returns true if it was there. */
static inline bool js_eat(struct js *j, char c)
{
	js_ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

static inline bool js_peek(struct js *j, char c)
{
	js_ws(j);
	return j->p < j->end && *j->p == c;
}

/* The rest of the frame is whitespace only. */
static inline bool js_at_end(struct js *j)
{
	js_ws(j);
	return j->p == j->end;
}

/* A string at the cursor (after whitespace): its content span. Control
 * characters are refused; escapes are checked for shape and flagged. */
int js_string(struct js *j, struct js_span *out);

/* Any value at the cursor, checked for syntax and skipped. */
int js_skip(struct js *j);

/* A string or a bare number/true/false/null: its span (not skipped
 * through nested values: objects and arrays are refused with -1). */
int js_scalar(struct js *j, struct js_span *out);

/*
 * Object walking: js_obj_begin() consumes '{'; each js_obj_key() returns 1
 * with the key span and the cursor on the value, 0 at the closing '}', or
 * -1 on a syntax error. first tracks whether a comma is due.
 */
static inline int js_obj_begin(struct js *j, bool *first)
{
	*first = true;
	return js_eat(j, '{') ? 0 : -1;
}

static inline int js_obj_key(struct js *j, bool *first, struct js_span *key)
{
	if (js_eat(j, '}'))
		return 0;
	if (!*first && !js_eat(j, ','))
		return -1;
	*first = false;
	js_ws(j);
	/* most exchange keys are one plain letter: "x": taken here */
	const char *p = j->p;
	if (j->end - p >= 4 && p[0] == '"' && p[2] == '"' && p[3] == ':' && p[1] != '"' && p[1] != '\\' &&
	    (unsigned char)p[1] >= 0x20) {
		key->s = p + 1;
		key->len = 1;
		key->quoted = true;
		key->escaped = false;
		j->p = p + 4;
		return 1;
	}
	if (js_string(j, key) < 0 || !js_eat(j, ':'))
		return -1;
	return 1;
}

/* Arrays: js_arr_begin() consumes '['; js_arr_next() returns 1 with the
 * cursor on the next element, 0 at ']', -1 on error. */
static inline int js_arr_begin(struct js *j, bool *first)
{
	*first = true;
	return js_eat(j, '[') ? 0 : -1;
}

static inline int js_arr_next(struct js *j, bool *first)
{
	if (js_eat(j, ']'))
		return 0;
	if (!*first && !js_eat(j, ','))
		return -1;
	*first = false;
	return 1;
}

static inline bool js_span_is(const struct js_span *s, const char *lit, size_t lit_len)
{
	return s->len == lit_len && memcmp(s->s, lit, lit_len) == 0;
}
#define JS_IS(span, lit) js_span_is((span), (lit), sizeof(lit) - 1)

/* A key whose scalar value js_object() stores into the span at offset of
 * its base struct. */
struct js_field {
	const char *name;
	size_t len;
	size_t offset;
};
#define JS_FIELD(type, member, key) {(key), sizeof(key) - 1, offsetof(type, member)}

/* For keys not in the field list: consume the value and return 1, return 0
 * to have it skipped, or -1 to fail the walk. */
typedef int (*js_hook)(struct js *j, const struct js_span *key, void *ctx);

/* Walk the object at the cursor: each listed key's scalar value goes to its
 * span in base (a repeated key: the last wins); other keys go to hook (may
 * be NULL) or are skipped. Returns 0, or -1 on a syntax error. */
int js_object(struct js *j, const struct js_field *fields, size_t n, void *base, js_hook hook, void *ctx);

/* An array of price levels [[px, size, ...], ...]: the first two elements
 * of each of the first max levels go to px[i] and size[i]; *total counts
 * every level. Returns 0, or -1 on a syntax error or a level with fewer
 * than two elements. */
int js_levels(struct js *j, struct js_span *px, struct js_span *size, size_t max, size_t *total);

/* Unsigned decimal integer from a span (quoted or not), digits only, no
 * overflow. Returns 0 or -1. */
int js_span_u64(const struct js_span *s, uint64_t *out);

/* Exchange milliseconds (number or numeric string) to ns since the epoch;
 * refuses 0 and anything whose ns would not fit in int64 (after 2262). */
int js_span_ms_to_ns(const struct js_span *s, int64_t *out_ns);

/* A decimal price/quantity (string or number) to the double nearest to it;
 * refuses anything but [-]digits[.digits][e[+-]digits]. */
int js_span_decimal(const struct js_span *s, double *out);

/* The text of JSON string content s (escapes resolved, \\u to UTF-8) into
 * out, NUL-terminated, cut on a character boundary when it does not fit.
 * Malformed escapes are copied as they are. Returns the length. */
size_t js_unescape(const char *s, size_t len, char *out, size_t out_len);

#endif
