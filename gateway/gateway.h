/* spreadbus-gateway: a libwebsockets server that fans the tick rings and
 * _spreads out to subscribed WebSocket clients, serves the dashboard's
 * files, and keeps every client's cost to itself (bounded queues,
 * conflation, pings). */
#ifndef SPREADBUS_GATEWAY_GATEWAY_H
#define SPREADBUS_GATEWAY_GATEWAY_H

#include "shm/runtime.h"

/* Runs until the runtime says stop. Returns 0, or -errno on a setup
 * failure (logged). */
int gateway_run(struct runtime *rt);

#endif
