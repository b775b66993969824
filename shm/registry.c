/* The exchange and symbol registry: append-only name tables in a shared
 * segment written by the supervisor alone, so every process agrees on ids. */
#include "shm/registry.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/symbol_name.h"
#include "shm/segment.h"

struct registry_layout {
	struct segment_header header;
	/* Counts are stored (release) after the name they make visible. */
	uint32_t exchange_count;
	uint32_t symbol_count;
	char pad[56];
	char exchanges[REGISTRY_MAX_EXCHANGES][REGISTRY_NAME_MAX];
	char symbols[REGISTRY_MAX_SYMBOLS][REGISTRY_NAME_MAX];
};

struct registry {
	struct segment seg;
	struct registry_layout *l;
};

static struct segment_spec registry_spec(void)
{
	struct segment_spec spec = {
		.magic = REGISTRY_MAGIC,
		.layout_version = REGISTRY_LAYOUT_VERSION,
		.record_size = REGISTRY_NAME_MAX,
		.capacity = REGISTRY_MAX_SYMBOLS,
		.total_size = sizeof(struct registry_layout),
		.label = "registry",
		.kind = "registry",
	};
	return spec;
}

static int registry_wrap(struct registry **out, struct segment *seg, const char *name, char *err, size_t err_len)
{
	struct registry *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(err, err_len, "registry %s: out of memory", name);
		segment_detach(seg);
		return -ENOMEM;
	}
	r->seg = *seg;
	r->l = seg->base;
	*out = r;
	return 0;
}

int registry_attach(struct registry **out, const char *name, char *err, size_t err_len)
{
	struct segment_spec spec = registry_spec();
	struct segment seg;
	int rc = segment_attach(&seg, name, &spec, err, err_len);

	if (rc < 0)
		return rc;
	return registry_wrap(out, &seg, name, err, err_len);
}

int registry_create_or_attach(struct registry **out, const char *name, mode_t mode, char *err, size_t err_len)
{
	struct segment_spec spec = registry_spec();
	struct segment seg;
	int rc = segment_create_or_attach(&seg, name, &spec, mode, err, err_len);

	if (rc < 0)
		return rc;
	return registry_wrap(out, &seg, name, err, err_len);
}

void registry_close(struct registry *r)
{
	if (!r)
		return;
	segment_detach(&r->seg);
	free(r);
}

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* [a-z0-9-]{1,23} */
static bool exchange_name_valid(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++)
		if (i >= REGISTRY_NAME_MAX - 1 || !(is_lower_alnum(name[i]) || name[i] == '-'))
			return false;
	return i > 0;
}

static uint32_t count_load(const uint32_t *count, uint32_t max)
{
	uint32_t n = __atomic_load_n(count, __ATOMIC_ACQUIRE);

	return n > max ? max : n;
}

/* Index + 1 of name in the table, or 0. */
static int table_find(const char (*names)[REGISTRY_NAME_MAX], uint32_t count, const char *name)
{
	uint32_t i;

	for (i = 0; i < count; i++)
		if (strncmp(names[i], name, REGISTRY_NAME_MAX) == 0)
			return (int)i + 1;
	return 0;
}

/* Appends name (already validated): the name is written first, then the
 * count is published with release, so a reader never sees a partial name. */
static int table_add(char (*names)[REGISTRY_NAME_MAX], uint32_t *count, uint32_t max, const char *name)
{
	uint32_t n = count_load(count, max);
	int id = table_find((const char(*)[REGISTRY_NAME_MAX])names, n, name);

	if (id)
		return id;
	if (n >= max)
		return -ENOSPC;
	memset(names[n], 0, REGISTRY_NAME_MAX);
	memcpy(names[n], name, strlen(name));
	__atomic_store_n(count, n + 1, __ATOMIC_RELEASE);
	return (int)n + 1;
}

int registry_add_exchange(struct registry *r, const char *name)
{
	if (!name || !exchange_name_valid(name))
		return -EINVAL;
	return table_add(r->l->exchanges, &r->l->exchange_count, REGISTRY_MAX_EXCHANGES, name);
}

int registry_add_symbol(struct registry *r, const char *canonical)
{
	size_t n = canonical ? strnlen(canonical, REGISTRY_NAME_MAX) : 0;
	if (!canonical || !(symbol_name_valid(canonical, n) || symbol_basis_name_valid(canonical, n)))
		return -EINVAL;
	return table_add(r->l->symbols, &r->l->symbol_count, REGISTRY_MAX_SYMBOLS, canonical);
}

int registry_exchange_id(const struct registry *r, const char *name)
{
	if (!name)
		return 0;
	return table_find((const char(*)[REGISTRY_NAME_MAX])r->l->exchanges,
			  count_load(&r->l->exchange_count, REGISTRY_MAX_EXCHANGES), name);
}

int registry_symbol_id(const struct registry *r, const char *canonical)
{
	if (!canonical)
		return 0;
	return table_find((const char(*)[REGISTRY_NAME_MAX])r->l->symbols,
			  count_load(&r->l->symbol_count, REGISTRY_MAX_SYMBOLS), canonical);
}

const char *registry_exchange_name(const struct registry *r, int id)
{
	if (id < 1 || (uint32_t)id > count_load(&r->l->exchange_count, REGISTRY_MAX_EXCHANGES))
		return NULL;
	return r->l->exchanges[id - 1];
}

const char *registry_symbol_name(const struct registry *r, int id)
{
	if (id < 1 || (uint32_t)id > count_load(&r->l->symbol_count, REGISTRY_MAX_SYMBOLS))
		return NULL;
	return r->l->symbols[id - 1];
}

int registry_exchange_count(const struct registry *r)
{
	return (int)count_load(&r->l->exchange_count, REGISTRY_MAX_EXCHANGES);
}

int registry_symbol_count(const struct registry *r)
{
	return (int)count_load(&r->l->symbol_count, REGISTRY_MAX_SYMBOLS);
}
