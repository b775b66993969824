/* The collector's two modes behind the command line: live collection into
 * the bus, and --decode of captured frames. */
#ifndef SPREADBUS_COLLECTOR_RUN_H
#define SPREADBUS_COLLECTOR_RUN_H

#include "common/config.h"
#include "shm/runtime.h"

/* Live mode, on the bus and status block the runtime attached: stream until
 * the runtime says stop. Returns the process exit status (0 clean stop, 1
 * setup error). */
int collector_main(struct runtime *rt, const char *name);

/* --decode: cfg may be NULL (every symbol accepted, named by the
 * exchange's conventions); instruments_path, when not NULL, an instruments
 * report whose tick and lot sizes the ticks must keep. Returns the exit
 * status. */
int collector_decode_main(const struct config *cfg, const char *name, const char *path, const char *instruments_path);

#endif
