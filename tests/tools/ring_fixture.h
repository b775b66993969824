/* A fresh ring for one test: a name unique to the process, any stale
 * segment of that name removed first, and removal at the end. */
#ifndef SPREADBUS_TESTS_TOOLS_RING_FIXTURE_H
#define SPREADBUS_TESTS_TOOLS_RING_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "shm/ring.h"

/* Creates /spreadbus.ut<pid>.<what> (name written to name); NULL on error,
 * with the reason on stderr. */
struct ring *ring_fixture_create(char *name, size_t name_len, const char *what, const char *label, uint64_t capacity);
void ring_fixture_destroy(struct ring *ring, const char *name);

#endif
