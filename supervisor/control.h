/* The control socket <runtime_dir>/spreadbus.sock (mode 0600, same uid
 * only): one JSON request line in, one JSON reply line out. */
#ifndef SPREADBUS_SUPERVISOR_CONTROL_H
#define SPREADBUS_SUPERVISOR_CONTROL_H

#include <stddef.h>

#include "supervisor/supervisor.h"

int control_open(struct supervisor *s);

#endif
