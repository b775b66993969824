/* /metrics: Prometheus text exposition (format 0.0.4) of every status
 * block counter plus the supervisor's own figures. */
#ifndef SPREADBUS_SUPERVISOR_METRICS_H
#define SPREADBUS_SUPERVISOR_METRICS_H

#include "supervisor/strbuf.h"
#include "supervisor/supervisor.h"

void metrics_render(struct supervisor *s, struct strbuf *b);

#endif
