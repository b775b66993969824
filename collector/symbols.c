/* Symbol map: an open-addressing hash of native names over an array of
 * entries allocated at start and grown only by a live symbol change, so
 * lookups never allocate. */
#include "collector/symbols.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"

/* Quote assets for splitting BTCUSDT-style names, longest first so that
 * FDUSD wins over USD and USDT over USD. */
static const char *const quote_assets[] = {
	"FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "USDE", "DAI", "BTC", "ETH", "BNB",
	"EUR",   "TRY",  "GBP",  "BRL",  "AUD",  "RUB",  "UAH",  "NGN",       "ZAR", "IDR", "JPY", "MXN",
	"PLN",   "RON",  "ARS",  "COP",  "CZK",  "SOL",  "XRP",  "DOGE",      "TRX", "USD",
};

int symbol_split_concat(const char *native, size_t len, char *out, size_t out_len)
{
	if (len < 2 || len >= SYMBOL_NATIVE_MAX)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)native[i]))
			return -EINVAL;
	size_t best = 0;
	for (size_t q = 0; q < sizeof(quote_assets) / sizeof(quote_assets[0]); q++) {
		size_t ql = strlen(quote_assets[q]);
		if (ql >= len || ql <= best)
			continue;
		if (strncasecmp(native + len - ql, quote_assets[q], ql) == 0)
			best = ql;
	}
	if (best == 0 || len + 2 > out_len)
		return -EINVAL;
	size_t base = len - best;
	for (size_t i = 0; i < len; i++)
		out[i + (i >= base)] = (char)toupper((unsigned char)native[i]);
	out[base] = '-';
	out[len + 1] = '\0';
	return 0;
}

int symbol_join_concat(const char *canonical, bool lower, char *out, size_t out_len)
{
	size_t o = 0;
	bool dash = false;
	for (const char *c = canonical; *c; c++) {
		if (*c == '-') {
			if (dash || c == canonical || c[1] == '\0')
				return -EINVAL;
			dash = true;
			continue;
		}
		if (!isalnum((unsigned char)*c) || o + 1 >= out_len)
			return -EINVAL;
		out[o++] = (char)(lower ? tolower((unsigned char)*c) : toupper((unsigned char)*c));
	}
	if (!dash || o == 0)
		return -EINVAL;
	out[o] = '\0';
	return 0;
}

/* BASE<sep>QUOTE with parts of [A-Z0-9] into out with sep replaced. */
static int replace_sep(const char *in, size_t len, char from, char to, char *out, size_t out_len)
{
	const char *mid = memchr(in, from, len);
	if (!mid || mid == in || mid == in + len - 1 || len + 1 > out_len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (in + i == mid)
			c = to;
		else if (!isdigit((unsigned char)c) && !isupper((unsigned char)c))
			return -EINVAL;
		out[i] = c;
	}
	out[len] = '\0';
	return 0;
}

int symbol_join_sep(const char *canonical, char sep, char *out, size_t out_len)
{
	return replace_sep(canonical, strlen(canonical), '-', sep, out, out_len);
}

int symbol_split_sep(const char *native, size_t len, char sep, char *out, size_t out_len)
{
	return replace_sep(native, len, sep, '-', out, out_len);
}

/* A hash table at most half full. */
static size_t slots_for(size_t cap)
{
	size_t slots = 16;
	while (slots < cap * 2)
		slots <<= 1;
	return slots;
}

int symmap_init(struct symmap *m, const struct adapter *a, size_t cap, bool open)
{
	memset(m, 0, sizeof(*m));
	size_t slots = slots_for(cap);
	m->adapter = a;
	m->open = open;
	m->cap = cap;
	m->entries = calloc(cap, sizeof(*m->entries));
	m->slots = calloc(slots, sizeof(*m->slots));
	m->by_id = calloc((size_t)UINT16_MAX + 1, sizeof(*m->by_id));
	if (!m->entries || !m->slots || !m->by_id) {
		symmap_free(m);
		return -ENOMEM;
	}
	m->slot_mask = slots - 1;
	return 0;
}

void symmap_free(struct symmap *m)
{
	free(m->entries);
	free(m->slots);
	free(m->by_id);
	memset(m, 0, sizeof(*m));
}

/* Slot holding native, or the empty slot where it would go. */
static uint32_t *find_slot(const struct symmap *m, const char *native, size_t len)
{
	size_t i = (size_t)hash_fnv1a64(native, len) & m->slot_mask;
	for (;;) {
		uint32_t *slot = &m->slots[i];
		if (*slot == 0)
			return slot;
		const struct symmap_entry *e = &m->entries[*slot - 1];
		if (e->native_len == len && memcmp(e->native, native, len) == 0)
			return slot;
		i = (i + 1) & m->slot_mask;
	}
}

static int insert(struct symmap *m, const char *native, size_t len, const char *canonical, uint16_t id)
{
	if (len == 0 || len >= SYMBOL_NATIVE_MAX || strlen(canonical) >= SYMBOL_CANONICAL_MAX)
		return -EINVAL;
	uint32_t *slot = find_slot(m, native, len);
	if (*slot != 0)
		return -EEXIST;
	if (m->count >= m->cap)
		return -ENOSPC;
	struct symmap_entry *e = &m->entries[m->count];
	memset(e, 0, sizeof(*e));
	memcpy(e->native, native, len);
	e->native_len = (uint8_t)len;
	memcpy(e->canonical, canonical, strlen(canonical) + 1); /* length checked above */
	e->id = id;
	*slot = (uint32_t)++m->count;
	m->by_id[id] = (uint32_t)m->count;
	return 0;
}

int symmap_reserve(struct symmap *m, size_t cap)
{
	if (cap <= m->cap)
		return 0;
	size_t slots = slots_for(cap);
	struct symmap_entry *entries = realloc(m->entries, cap * sizeof(*entries));
	if (!entries)
		return -ENOMEM;
	m->entries = entries;
	uint32_t *table = calloc(slots, sizeof(*table));
	if (!table)
		return -ENOMEM;
	free(m->slots);
	m->slots = table;
	m->slot_mask = slots - 1;
	m->cap = cap;
	for (size_t i = 0; i < m->count; i++)
		*find_slot(m, m->entries[i].native, m->entries[i].native_len) = (uint32_t)i + 1;
	return 0;
}

int symmap_add(struct symmap *m, const char *canonical, uint16_t id)
{
	char native[SYMBOL_NATIVE_MAX];
	int rc = m->adapter->native_symbol(canonical, native, sizeof(native));
	if (rc < 0)
		return rc;
	return insert(m, native, strlen(native), canonical, id);
}

struct symmap_entry *symmap_lookup(struct symmap *m, const char *native, size_t len)
{
	if (len == 0 || len >= SYMBOL_NATIVE_MAX)
		return NULL;
	uint32_t *slot = find_slot(m, native, len);
	if (*slot != 0)
		return &m->entries[*slot - 1];
	if (!m->open || m->count >= m->cap || m->count >= UINT16_MAX)
		return NULL;
	char canonical[SYMBOL_CANONICAL_MAX];
	if (m->adapter->canonical_symbol(native, len, canonical, sizeof(canonical)) < 0)
		return NULL;
	if (insert(m, native, len, canonical, (uint16_t)(m->count + 1)) < 0)
		return NULL;
	return &m->entries[m->count - 1];
}

struct symmap_entry *symmap_by_id(const struct symmap *m, uint16_t id)
{
	uint32_t i = m->by_id[id];
	return i ? &m->entries[i - 1] : NULL;
}
