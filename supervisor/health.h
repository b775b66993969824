/* /health (JSON view of the whole service), /ready (200 or 503 with the
 * reasons) and the child rows of spreadctl status, all from the status
 * blocks in shared memory, written with common/jsonw. */
#ifndef SPREADBUS_SUPERVISOR_HEALTH_H
#define SPREADBUS_SUPERVISOR_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/jsonw.h"
#include "supervisor/supervisor.h"

/* Room for any document below: ~1 KiB per child and ring, with margin. */
#define HEALTH_JSON_MAX (256 * 1024)

/* A malloc'ed buffer of HEALTH_JSON_MAX + 2 bytes with w set up on it
 * (the 2 spare bytes take a newline and the NUL); NULL if out of memory. */
char *health_json_begin(struct jsonw *w);
/* Finish w (adding a newline): 0 with the length, or -ENOSPC/-EINVAL. */
int health_json_end(struct jsonw *w, size_t *len);

void health_render(struct supervisor *s, struct jsonw *w);
/* Returns true when ready; w gets {"ready":...,"reasons":[...]}. */
bool health_render_ready(struct supervisor *s, struct jsonw *w);
/* One child as a JSON object (also the rows of spreadctl status). */
void health_render_child(struct jsonw *w, struct supervisor *s, const struct child *c, int64_t now,
			 int64_t now_real);

#endif
