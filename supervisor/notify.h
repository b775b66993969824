/* systemd notifications (sd_notify): READY=1 once every child runs,
 * STATUS= kept current, WATCHDOG=1 from the loop, STOPPING=1, RELOADING=1. */
#ifndef SPREADBUS_SUPERVISOR_NOTIFY_H
#define SPREADBUS_SUPERVISOR_NOTIFY_H

#include <stdint.h>

#include "supervisor/supervisor.h"

/* Read WATCHDOG_USEC (sd_watchdog_enabled) before any child is started. */
void notify_init(struct supervisor *s);
/* Called every tick: READY=1 when due, STATUS= on change, WATCHDOG=1 at
 * half the watchdog interval. */
void notify_tick(struct supervisor *s, int64_t now_mono_ns, int64_t now_real_ns);
void notify_stopping(void);
void notify_reloading(void);
void notify_reloaded(void);

#endif
