/* Import: a durable pull consumer per remote ring, whose batches are
 * appended once each to the local ring of the same name. */
#ifndef SPREADBUS_BRIDGE_IMPORT_H
#define SPREADBUS_BRIDGE_IMPORT_H

#include "shm/runtime.h"

/* Runs until the runtime says stop; returns a RUNTIME_EXIT_* status. */
int import_run(struct runtime *rt, const struct config_bridge *cfg);

#endif
