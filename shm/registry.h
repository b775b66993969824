/* The symbol and exchange registry: one shared-memory segment the supervisor
 * fills from the config, so that every process agrees on ids. Ids are
 * append-only: a reload adds names, never renumbers. */
#ifndef SPREADBUS_SHM_REGISTRY_H
#define SPREADBUS_SHM_REGISTRY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define REGISTRY_MAGIC 0x4745524742445053ULL /* "SPDBREGG" */
#define REGISTRY_LAYOUT_VERSION 1
#define REGISTRY_MAX_EXCHANGES 64
#define REGISTRY_MAX_SYMBOLS 8192
#define REGISTRY_NAME_MAX 24 /* exchange names and canonical symbols, NUL included */

struct registry;

int registry_create_or_attach(struct registry **out, const char *name, mode_t mode, char *err, size_t err_len);
int registry_attach(struct registry **out, const char *name, char *err, size_t err_len);
void registry_close(struct registry *r);

/* Supervisor: the id of name, added if new. Returns id >= 0, or -ENOSPC,
 * -EINVAL (bad name). Exchange ids start at 1, symbol ids at 1; 0 = none. */
int registry_add_exchange(struct registry *r, const char *name);
int registry_add_symbol(struct registry *r, const char *canonical);

/* Anyone: id of a name, or 0 if unknown. */
int registry_exchange_id(const struct registry *r, const char *name);
int registry_symbol_id(const struct registry *r, const char *canonical);
/* Name of an id, or NULL. */
const char *registry_exchange_name(const struct registry *r, int id);
const char *registry_symbol_name(const struct registry *r, int id);
int registry_exchange_count(const struct registry *r);
int registry_symbol_count(const struct registry *r);

#endif
