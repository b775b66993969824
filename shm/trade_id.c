/* Trade id text <-> struct trade_id: the parse picks the one form that
 * keeps the text exactly; the format gives the same bytes back. */
#include "shm/trade_id.h"

#include <string.h>

typedef unsigned __int128 u128;

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits (at least one) whose value fits below 2^bits (64 or 128): their
 * leading zeros counted apart, so "007" is zeros=2, value 7. */
static int parse_digits(const char *s, size_t len, unsigned bits, u128 *value, uint8_t *zeros)
{
	/* constants, so that the overflow check costs no 128-bit division */
	const u128 max_div10 = bits == 128 ? ~(u128)0 / 10 : (u128)UINT64_MAX / 10;
	const unsigned max_last = bits == 128 ? (unsigned)(~(u128)0 % 10) : (unsigned)(UINT64_MAX % 10);
	u128 v = 0;
	size_t z = 0;
	if (len == 0)
		return -1;
	while (z + 1 < len && s[z] == '0')
		z++;
	for (size_t i = z; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (!is_digit(s[i]) || v > max_div10 || (v == max_div10 && d > max_last))
			return -1;
		v = v * 10 + d;
	}
	*value = v;
	*zeros = (uint8_t)z; /* len <= TRADE_ID_TEXT_MAX */
	return 0;
}

static int hex_value(char c, bool upper)
{
	if (is_digit(c))
		return c - '0';
	if (c >= (upper ? 'A' : 'a') && c <= (upper ? 'F' : 'f'))
		return c - (upper ? 'A' : 'a') + 10;
	return -1;
}

static bool uuid_dash_at(size_t i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

/* 8-4-4-4-12 hex digits, all in one case. */
static int parse_uuid(const char *s, size_t len, struct trade_id *id)
{
	if (len != 36)
		return -1;
	for (int upper = 0; upper <= 1; upper++) {
		u128 v = 0;
		size_t i;
		for (i = 0; i < len; i++) {
			int h = uuid_dash_at(i) ? (s[i] == '-' ? 0 : -1) : hex_value(s[i], upper);
			if (h < 0)
				break;
			if (!uuid_dash_at(i))
				v = v << 4 | (unsigned)h;
		}
		if (i == len) {
			id->hi = (uint64_t)(v >> 64);
			id->lo = (uint64_t)v;
			id->form = upper ? TRADE_ID_UUID_UPPER : TRADE_ID_UUID;
			id->zeros = 0;
			return 0;
		}
	}
	return -1;
}

static bool is_prefix_char(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* PREFIX-digits, the prefix 1 to 8 letters or digits. */
static int parse_prefixed(const char *s, size_t len, struct trade_id *id)
{
	const char *dash = memchr(s, '-', len);
	size_t plen = dash ? (size_t)(dash - s) : 0;
	u128 v;
	if (plen == 0 || plen > TRADE_ID_PREFIX_MAX)
		return -1;
	for (size_t i = 0; i < plen; i++)
		if (!is_prefix_char(s[i]))
			return -1;
	if (parse_digits(dash + 1, len - plen - 1, 64, &v, &id->zeros) < 0)
		return -1;
	id->hi = 0;
	memcpy(&id->hi, s, plen); /* bytes in text order, read back the same way */
	id->lo = (uint64_t)v;
	id->form = TRADE_ID_PREFIXED;
	return 0;
}

int trade_id_parse(const char *s, size_t len, struct trade_id *id)
{
	u128 v;
	if (len == 0 || len > TRADE_ID_TEXT_MAX)
		return -1;
	if (parse_digits(s, len, 128, &v, &id->zeros) == 0) {
		id->hi = (uint64_t)(v >> 64);
		id->lo = (uint64_t)v;
		id->form = TRADE_ID_DECIMAL;
		return 0;
	}
	if (parse_uuid(s, len, id) == 0)
		return 0;
	return parse_prefixed(s, len, id);
}

/* zeros '0' characters, then v in decimal, in at most room bytes (a tick
 * from a foreign bridge could claim more zeros than a parse ever gives);
 * returns the length. */
static size_t format_digits(char *out, size_t room, uint8_t zeros, u128 v)
{
	const uint64_t p19 = 10000000000000000000ULL;
	char rev[40];
	size_t n = 0, len = 0;
	/* 128-bit divisions only to split off 19 digits at a time (at most
	 * twice); the digits themselves come from 64-bit ones */
	while (v >> 64) {
		uint64_t part = (uint64_t)(v % p19);
		v /= p19;
		for (int i = 0; i < 19; i++, part /= 10)
			rev[n++] = (char)('0' + part % 10);
	}
	uint64_t low = (uint64_t)v;
	do {
		rev[n++] = (char)('0' + low % 10);
		low /= 10;
	} while (low);
	if (zeros > room - n)
		zeros = (uint8_t)(room - n);
	memset(out, '0', zeros);
	len = zeros;
	while (n)
		out[len++] = rev[--n];
	return len;
}

size_t trade_id_format(const struct trade_id *id, char out[TRADE_ID_TEXT_MAX + 1])
{
	static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
	size_t len = 0;
	switch (id->form) {
	case TRADE_ID_UUID:
	case TRADE_ID_UUID_UPPER: {
		const char *digits = id->form == TRADE_ID_UUID ? lower : upper;
		u128 v = (u128)id->hi << 64 | id->lo;
		int shift = 124;
		for (size_t i = 0; i < 36; i++, len++) {
			if (uuid_dash_at(i)) {
				out[len] = '-';
				continue;
			}
			out[len] = digits[(unsigned)(v >> shift) & 15];
			shift -= 4;
		}
		break;
	}
	case TRADE_ID_PREFIXED: {
		char prefix[TRADE_ID_PREFIX_MAX + 1] = {0};
		memcpy(prefix, &id->hi, TRADE_ID_PREFIX_MAX);
		len = strlen(prefix);
		memcpy(out, prefix, len);
		out[len++] = '-';
		len += format_digits(out + len, TRADE_ID_TEXT_MAX - len, id->zeros, id->lo);
		break;
	}
	default:
		len = format_digits(out, TRADE_ID_TEXT_MAX, id->zeros, (u128)id->hi << 64 | id->lo);
		break;
	}
	out[len] = '\0';
	return len;
}
