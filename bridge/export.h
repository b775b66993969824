/* Export: every configured ring read as a named reader, ticks published in
 * batches to JetStream asynchronously, the ring cursor committed once
 * everything below it is acknowledged. */
#ifndef SPREADBUS_BRIDGE_EXPORT_H
#define SPREADBUS_BRIDGE_EXPORT_H

#include "shm/runtime.h"

/* Runs until the runtime says stop; returns a RUNTIME_EXIT_* status. */
int export_run(struct runtime *rt, const struct config_bridge *cfg);

#endif
