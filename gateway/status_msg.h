/* The "status" channel: once a second, each exchange's collector state,
 * connection state and message rate from the status table, so that a
 * dashboard needs nothing but the WebSocket. */
#ifndef SPREADBUS_GATEWAY_STATUS_MSG_H
#define SPREADBUS_GATEWAY_STATUS_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "shm/status.h"

struct gw_rates {
	uint64_t messages[STATUS_MAX_CHILDREN]; /* SM_MESSAGES at the last message */
	int32_t pid[STATUS_MAX_CHILDREN];       /* of the process those counted */
	int64_t at_ns;                          /* CLOCK_REALTIME of the last message, 0 = none yet */
};

/* The message text into out (at most cap bytes); 0 if it did not fit. */
size_t gw_status_msg(char *out, size_t cap, struct status_table *t, struct gw_rates *r, int64_t now_ns,
		     unsigned clients);

#endif
