/* /metrics: Prometheus text exposition (format 0.0.4) of every status
 * block counter plus the supervisor's own figures. */
#ifndef SPREADBUS_SUPERVISOR_METRICS_H
#define SPREADBUS_SUPERVISOR_METRICS_H

#include "shm/histogram.h"
#include "supervisor/strbuf.h"
#include "supervisor/supervisor.h"

void metrics_render(struct supervisor *s, struct strbuf *b);

/* One histogram's samples, without HELP/TYPE: spreadbus_<name>_bucket with
 * cumulative counts per le (seconds) up to "+Inf", then _sum (seconds) and
 * _count; labels is the inside of the braces, e.g. exchange="okx". */
void metrics_histogram(struct strbuf *b, const char *name, const char *labels, const struct histogram *h);

#endif
