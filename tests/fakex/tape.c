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
	t->sent = calloc(capacity, 1);
	return t->events && t->sent ? 0 : -ENOMEM;
}

void tape_free(struct fx_tape *t)
{
	free(t->events);
	free(t->sent);
	t->events = NULL;
	t->sent = NULL;
}

const union fx_event *tape_next(struct fx_tape *t, uint64_t *cursor, fx_event_gen *gen, void *arg)
{
	if (*cursor > t->head)
		*cursor = t->head;
	if (t->head - *cursor > t->capacity)
		*cursor = t->head - t->capacity;
	if (*cursor == t->head) {
		gen(&t->events[t->head % t->capacity], arg);
		t->sent[t->head % t->capacity] = 0;
		t->head++;
	}
	return &t->events[(*cursor)++ % t->capacity];
}

bool tape_mark_sent(struct fx_tape *t, uint64_t index)
{
	if (index >= t->head || t->head - index > t->capacity || t->sent[index % t->capacity])
		return false;
	t->sent[index % t->capacity] = 1;
	return true;
}
