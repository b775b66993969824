/* /health (JSON view of the whole service) and /ready (200 or 503 with the
 * reasons), both from the status blocks in shared memory. */
#ifndef SPREADBUS_SUPERVISOR_HEALTH_H
#define SPREADBUS_SUPERVISOR_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "supervisor/strbuf.h"
#include "supervisor/supervisor.h"

void health_render(struct supervisor *s, struct strbuf *b);
/* Returns true when ready; b gets {"ready":...,"reasons":[...]}. */
bool health_render_ready(struct supervisor *s, struct strbuf *b);
/* One child as a JSON object (also the rows of spreadctl status). */
void health_render_child(struct strbuf *b, struct supervisor *s, const struct child *c, int64_t now,
			 int64_t now_real);

#endif
