/* Bounded JSON writer. Every byte goes through append(), which checks the
 * room left, so overflow is tracked in one place. */
#include "common/jsonw.h"

#include <errno.h>
#include <string.h>

#include "common/fmt.h"

void jsonw_init(struct jsonw *w, char *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
	if (cap > 0)
		buf[0] = '\0';
	else
		w->overflow = true;
}

static void append(struct jsonw *w, const char *s, size_t n)
{
	if (w->overflow)
		return;
	if (n >= w->cap - w->len) {
		w->overflow = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

/* Before any value or key: a comma unless it is the first element, or the
 * value of a key just written. */
static void before_item(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth <= 0 || w->depth > JSONW_MAX_DEPTH)
		return;
	uint32_t bit = 1u << (w->depth - 1);
	if (w->has_items & bit)
		append(w, ",", 1);
	w->has_items |= bit;
}

static void open_container(struct jsonw *w, char c)
{
	before_item(w);
	append(w, &c, 1);
	w->depth++;
	if (w->depth > JSONW_MAX_DEPTH)
		w->overflow = true;
	else
		w->has_items &= ~(1u << (w->depth - 1));
}

static void close_container(struct jsonw *w, char c)
{
	append(w, &c, 1);
	w->depth--;
}

void jsonw_object_begin(struct jsonw *w) { open_container(w, '{'); }
void jsonw_object_end(struct jsonw *w) { close_container(w, '}'); }
void jsonw_array_begin(struct jsonw *w) { open_container(w, '['); }
void jsonw_array_end(struct jsonw *w) { close_container(w, ']'); }

static void put_escaped(struct jsonw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	append(w, "\"", 1);
	size_t run = 0; /* start of bytes that need no escaping */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		append(w, s + run, i - run);
		run = i + 1;
		char esc[6] = { '\\', 0 };
		size_t esc_len = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			esc_len = 6;
		}
		append(w, esc, esc_len);
	}
	append(w, s + run, n - run);
	append(w, "\"", 1);
}

void jsonw_key(struct jsonw *w, const char *key)
{
	before_item(w);
	put_escaped(w, key, strlen(key));
	append(w, ":", 1);
	w->after_key = true;
}

void jsonw_string_n(struct jsonw *w, const char *s, size_t n)
{
	before_item(w);
	put_escaped(w, s, n);
}

void jsonw_string(struct jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	jsonw_string_n(w, s, strlen(s));
}

void jsonw_int64(struct jsonw *w, int64_t v)
{
	char num[FMT_NUM_MAX];
	before_item(w);
	append(w, num, fmt_i64(num, sizeof(num), v));
}

void jsonw_uint64(struct jsonw *w, uint64_t v)
{
	char num[FMT_NUM_MAX];
	before_item(w);
	append(w, num, fmt_u64(num, sizeof(num), v));
}

void jsonw_double(struct jsonw *w, double v)
{
	char num[FMT_NUM_MAX];
	before_item(w);
	append(w, num, fmt_double(num, sizeof(num), v));
}

void jsonw_bool(struct jsonw *w, bool v)
{
	before_item(w);
	append(w, v ? "true" : "false", v ? 4 : 5);
}

void jsonw_null(struct jsonw *w)
{
	before_item(w);
	append(w, "null", 4);
}

void jsonw_raw(struct jsonw *w, const char *json, size_t n)
{
	before_item(w);
	append(w, json, n);
}

void jsonw_kv_string(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

void jsonw_kv_int64(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int64(w, v);
}

void jsonw_kv_uint64(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_uint64(w, v);
}

void jsonw_kv_double(struct jsonw *w, const char *key, double v)
{
	jsonw_key(w, key);
	jsonw_double(w, v);
}

void jsonw_kv_bool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

int jsonw_finish(const struct jsonw *w, size_t *len)
{
	if (w->overflow)
		return -ENOSPC;
	if (w->depth != 0 || w->after_key)
		return -EINVAL;
	if (len)
		*len = w->len;
	return 0;
}
