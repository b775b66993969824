/* Open addressing by key; entries are never removed (keys are symbols and
 * exchanges of the registry, which only grows). */
#include "gateway/latest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FREE UINT32_MAX

int gw_latest_init(struct gw_latest *l, uint32_t slots, size_t pre)
{
	uint32_t cap = 16;
	while (cap < slots)
		cap *= 2;
	memset(l, 0, sizeof(*l));
	l->e = malloc((size_t)cap * sizeof(*l->e));
	if (!l->e)
		return -ENOMEM;
	for (uint32_t i = 0; i < cap; i++)
		l->e[i] = (struct gw_latest_entry){ .key = FREE };
	l->mask = cap - 1;
	l->pre = pre;
	return 0;
}

void gw_latest_free(struct gw_latest *l)
{
	for (uint32_t i = 0; l->e && i <= l->mask; i++)
		free(l->e[i].buf);
	free(l->e);
	l->e = NULL;
}

static struct gw_latest_entry *find(const struct gw_latest *l, uint32_t key)
{
	uint32_t h = key * 2654435761u;
	uint32_t i = (h ^ (h >> 16)) & l->mask;
	while (l->e[i].key != FREE && l->e[i].key != key)
		i = (i + 1) & l->mask;
	return &l->e[i];
}

int gw_latest_put(struct gw_latest *l, uint32_t key, const char *text, uint32_t len, uint32_t room)
{
	struct gw_latest_entry *e = find(l, key);
	if (e->key == FREE) {
		if (l->count + 1 > (l->mask + 1) / 2)
			return -ENOSPC; /* keep probes short */
		e->key = key;
		l->count++;
	}
	if (len > e->cap) {
		uint32_t cap = room > len ? room : len;
		char *buf = realloc(e->buf, l->pre + cap);
		if (!buf) {
			e->len = 0;
			return -ENOMEM;
		}
		e->buf = buf;
		e->cap = cap;
	}
	memcpy(e->buf + l->pre, text, len);
	e->len = len;
	return 0;
}

char *gw_latest_get(const struct gw_latest *l, uint32_t key, uint32_t *len)
{
	const struct gw_latest_entry *e = find(l, key);
	if (e->key != key || !e->len)
		return NULL;
	*len = e->len;
	return e->buf + l->pre;
}
