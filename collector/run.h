/* The collector's two modes behind the command line: live collection into
 * the bus, and --decode of captured frames. */
#ifndef SPREADBUS_COLLECTOR_RUN_H
#define SPREADBUS_COLLECTOR_RUN_H

#include <signal.h>

#include "common/config.h"

/* Live mode: attach to the bus, stream until *stop. Returns the process
 * exit status (0 clean stop, 1 setup error). */
int collector_main(const struct config *cfg, const char *name, volatile sig_atomic_t *stop);

/* --decode: cfg may be NULL (every symbol accepted, named by the
 * exchange's conventions). Returns the exit status. */
int collector_decode_main(const struct config *cfg, const char *name, const char *path);

#endif
