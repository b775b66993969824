/* A fresh ring for one test, named after the process so that tests running
 * side by side never share one. */
#include "tests/tools/ring_fixture.h"

#include <stdio.h>
#include <unistd.h>

struct ring *ring_fixture_create(char *name, size_t name_len, const char *what, const char *label, uint64_t capacity)
{
	struct ring *ring = NULL;
	char err[256];

	snprintf(name, name_len, "/spreadbus.ut%d.%s", (int)getpid(), what);
	segment_unlink(name);
	if (ring_create_or_attach(&ring, name, label, capacity, 0600, err, sizeof(err)) < 0) {
		fprintf(stderr, "ring fixture: %s\n", err);
		return NULL;
	}
	return ring;
}

void ring_fixture_destroy(struct ring *ring, const char *name)
{
	ring_close(ring);
	segment_unlink(name);
}
