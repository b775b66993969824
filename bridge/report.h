/* How the bridge tells its state: a problem (NATS unreachable, a stream
 * missing, authentication refused) sets DEGRADED, the status block's detail
 * and one log line; its end sets RUNNING and logs that once. */
#ifndef SPREADBUS_BRIDGE_REPORT_H
#define SPREADBUS_BRIDGE_REPORT_H

#include "shm/runtime.h"

void report_problem(struct runtime *rt, const char *text);
void report_ok(struct runtime *rt, const char *text);

#endif
