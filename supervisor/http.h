/* The HTTP endpoints on [http] listen: /ping, /health, /ready, /metrics.
 * GET (and HEAD) only, one request per connection. */
#ifndef SPREADBUS_SUPERVISOR_HTTP_H
#define SPREADBUS_SUPERVISOR_HTTP_H

#include "supervisor/supervisor.h"

int http_open(struct supervisor *s);

#endif
