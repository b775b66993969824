/* fakex: a fixed ring of generated events per stream, read by any number
 * of cursors; only the reader at the head generates. */
#include "tests/fakex/tape.h"

#include <errno.h>
#include <stdlib.h>

int tape_init(struct fx_tape *t, uint32_t capacity)
{
	t->head = 0;
	t->capacity = capacity;
	t->events = calloc(capacity, sizeof *t->events);
	return t->events ? 0 : -ENOMEM;
}

void tape_free(struct fx_tape *t)
{
	free(t->events);
	t->events = NULL;
}

const union fx_event *tape_next(struct fx_tape *t, uint64_t *cursor, fx_event_gen *gen, void *arg)
{
	if (*cursor > t->head)
		*cursor = t->head;
	if (t->head - *cursor > t->capacity)
		*cursor = t->head - t->capacity;
	if (*cursor == t->head) {
		gen(&t->events[t->head % t->capacity], arg);
		t->head++;
	}
	return &t->events[(*cursor)++ % t->capacity];
}
