/* The out-of-line parts of the JSON scanner: strings, skipping nested
 * values, and turning spans into integers, times and decimals. */
#include "collector/json_scan.h"

#include "common/decimal.h"

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Bytes that end a run of plain string content: the quote, the backslash
 * and control characters (refused by JSON). */
static bool string_stop(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20;
}

/* The stop bytes among eight (little-endian word w), as each byte's high
 * bit: x - 0x01.. & ~x & 0x80.. flags the zero bytes of x, and w - 0x20..
 * & ~w & 0x80.. the bytes below 0x20. A borrow can flag a byte above a
 * flagged one, never below it, so the lowest flag is exact. */
static uint64_t string_stops8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
	return (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | ((w - ones * 0x20) & ~w)) & high;
}

/* The lowest-addressed byte is the word's lowest: little-endian only. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "string_scan reads words little-endian");

/* The first stop byte from p on, or end. */
static const char *string_scan(const char *p, const char *end)
{
	while (end - p >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		uint64_t stops = string_stops8(w);
		if (stops)
			return p + __builtin_ctzll(stops) / 8;
		p += 8;
	}
	while (p < end && !string_stop((unsigned char)*p))
		p++;
	return p;
}

int js_string(struct js *j, struct js_span *out)
{
	js_ws(j);
	if (j->p >= j->end || *j->p != '"')
		return -1;
	const char *s = j->p + 1, *p = s, *end = j->end;
	bool escaped = false;
	for (;;) {
		p = string_scan(p, end);
		if (p >= end)
			return -1;
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c < 0x20)
			return -1;
		/* a backslash */
		escaped = true;
		if (end - p < 2)
			return -1;
		char e = p[1];
		if (e == 'u') {
			if (end - p < 6 || !is_hex(p[2]) || !is_hex(p[3]) || !is_hex(p[4]) || !is_hex(p[5]))
				return -1;
			p += 6;
			continue;
		}
		if (!strchr("\"\\/bfnrt", e) || e == '\0')
			return -1;
		p += 2;
	}
	out->s = s;
	out->len = (size_t)(p - s);
	out->quoted = true;
	out->escaped = escaped;
	j->p = p + 1;
	return 0;
}

/* A JSON number per RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int js_number(struct js *j, struct js_span *out)
{
	const char *s = j->p, *p = j->p, *e = j->end;
	if (p < e && *p == '-')
		p++;
	if (p >= e || *p < '0' || *p > '9')
		return -1;
	if (*p == '0')
		p++;
	else
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	if (p < e && *p == '.') {
		p++;
		if (p >= e || *p < '0' || *p > '9')
			return -1;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return -1;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	out->s = s;
	out->len = (size_t)(p - s);
	out->quoted = false;
	out->escaped = false;
	j->p = p;
	return 0;
}

static int js_literal(struct js *j, const char *lit, size_t len, struct js_span *out)
{
	if ((size_t)(j->end - j->p) < len || memcmp(j->p, lit, len) != 0)
		return -1;
	out->s = j->p;
	out->len = len;
	out->quoted = false;
	out->escaped = false;
	j->p += len;
	return 0;
}

int js_scalar(struct js *j, struct js_span *out)
{
	js_ws(j);
	if (j->p >= j->end)
		return -1;
	switch (*j->p) {
	case '"':
		return js_string(j, out);
	case 't':
		return js_literal(j, "true", 4, out);
	case 'f':
		return js_literal(j, "false", 5, out);
	case 'n':
		return js_literal(j, "null", 4, out);
	default:
		return js_number(j, out);
	}
}

static int js_skip_depth(struct js *j, int depth)
{
	struct js_span tmp;
	bool first;
	int rc;
	if (depth > JS_MAX_DEPTH)
		return -1;
	js_ws(j);
	if (j->p >= j->end)
		return -1;
	if (*j->p == '{') {
		if (js_obj_begin(j, &first) < 0)
			return -1;
		while ((rc = js_obj_key(j, &first, &tmp)) == 1)
			if (js_skip_depth(j, depth + 1) < 0)
				return -1;
		return rc;
	}
	if (*j->p == '[') {
		if (js_arr_begin(j, &first) < 0)
			return -1;
		while ((rc = js_arr_next(j, &first)) == 1)
			if (js_skip_depth(j, depth + 1) < 0)
				return -1;
		return rc;
	}
	return js_scalar(j, &tmp);
}

int js_skip(struct js *j)
{
	return js_skip_depth(j, 0);
}

static bool field_is(const struct js_field *f, const struct js_span *key)
{
	/* length and first byte before memcmp: most keys here are one letter */
	return f->len == key->len && f->name[0] == key->s[0] && (key->len == 1 || memcmp(f->name, key->s, key->len) == 0);
}

/* The field named key, looked for first from hint on: exchanges send their
 * keys in a fixed order, so the field after the last one found is usually
 * it. n when there is none. */
static size_t field_index(const struct js_field *fields, size_t n, const struct js_span *key, size_t hint)
{
	for (size_t i = hint; i < n; i++)
		if (field_is(&fields[i], key))
			return i;
	for (size_t i = 0; i < hint; i++)
		if (field_is(&fields[i], key))
			return i;
	return n;
}

int js_object(struct js *j, const struct js_field *fields, size_t n, void *base, js_hook hook, void *ctx)
{
	struct js_span key;
	bool first;
	int rc;
	size_t hint = 0;
	if (js_obj_begin(j, &first) < 0)
		return -1;
	while ((rc = js_obj_key(j, &first, &key)) == 1) {
		size_t i = field_index(fields, n, &key, hint);
		if (i < n) {
			if (js_scalar(j, (struct js_span *)((char *)base + fields[i].offset)) < 0)
				return -1;
			hint = i + 1;
			continue;
		}
		int h = hook ? hook(j, &key, ctx) : 0;
		if (h < 0 || (h == 0 && js_skip(j) < 0))
			return -1;
	}
	return rc;
}

int js_levels(struct js *j, struct js_span *px, struct js_span *size, size_t max, size_t *total)
{
	bool first, first2;
	int rc, rc2;
	*total = 0;
	if (js_arr_begin(j, &first) < 0)
		return -1;
	while ((rc = js_arr_next(j, &first)) == 1) {
		size_t k = 0, n = *total;
		if (js_arr_begin(j, &first2) < 0)
			return -1;
		while ((rc2 = js_arr_next(j, &first2)) == 1) {
			struct js_span *dst = n >= max ? NULL : k == 0 ? &px[n] : k == 1 ? &size[n] : NULL;
			if (dst ? js_scalar(j, dst) < 0 : js_skip(j) < 0)
				return -1;
			k++;
		}
		if (rc2 < 0 || k < 2)
			return -1;
		++*total;
	}
	return rc;
}

int js_span_u64(const struct js_span *s, uint64_t *out)
{
	uint64_t v = 0;
	if (s->len == 0 || s->len > 20)
		return -1;
	for (size_t i = 0; i < s->len; i++) {
		unsigned d = (unsigned)(s->s[i] - '0');
		if (d > 9)
			return -1;
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int js_span_ms_to_ns(const struct js_span *s, int64_t *out_ns)
{
	uint64_t ms;
	if (js_span_u64(s, &ms) < 0 || ms == 0 || ms > (uint64_t)INT64_MAX / 1000000)
		return -1;
	*out_ns = (int64_t)ms * 1000000;
	return 0;
}

int js_span_decimal(const struct js_span *s, double *out)
{
	if (s->len == 0 || s->escaped)
		return -1;
	return decimal_parse(s->s, s->len, out);
}

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v = v * 16 + (c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10);
	}
	return v;
}

size_t js_unescape(const char *s, size_t len, char *out, size_t out_len)
{
	size_t o = 0;
	if (out_len == 0)
		return 0;
	for (size_t i = 0; i < len;) {
		char enc[4];
		size_t n = 1, used = 1;
		enc[0] = s[i];
		if (s[i] == '\\' && i + 1 < len) {
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			const char *simple = strchr(from, s[i + 1]);
			if (simple && s[i + 1] != '\0') {
				enc[0] = to[simple - from];
				used = 2;
			} else if (s[i + 1] == 'u' && i + 6 <= len && is_hex(s[i + 2]) && is_hex(s[i + 3]) &&
				   is_hex(s[i + 4]) && is_hex(s[i + 5])) {
				int cp = hex4(s + i + 2);
				used = 6;
				if (cp < 0x80) {
					enc[0] = (char)cp;
				} else if (cp < 0x800) {
					enc[0] = (char)(0xC0 | cp >> 6);
					enc[1] = (char)(0x80 | (cp & 0x3F));
					n = 2;
				} else {
					/* surrogate halves come out as their own 3-byte forms:
					 * good enough for log and status text */
					enc[0] = (char)(0xE0 | cp >> 12);
					enc[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
					enc[2] = (char)(0x80 | (cp & 0x3F));
					n = 3;
				}
			}
		} else if ((unsigned char)s[i] >= 0xC0) {
			/* keep a multi-byte UTF-8 character whole */
			while (n < 4 && i + n < len && ((unsigned char)s[i + n] & 0xC0) == 0x80) {
				enc[n] = s[i + n];
				n++;
			}
			used = n;
		}
		if (o + n + 1 > out_len)
			break;
		memcpy(out + o, enc, n);
		o += n;
		i += used;
	}
	out[o] = '\0';
	return o;
}
