/* The supervisor's event loop: epoll over the signalfd, the timerfd and the
 * sockets. Nothing in it blocks or sleeps. */
#ifndef SPREADBUS_SUPERVISOR_LOOP_H
#define SPREADBUS_SUPERVISOR_LOOP_H

#include <stdint.h>

#include "supervisor/event.h"

/* Event callbacks of the supervisor's own watches (set up by supervisor_open). */
void loop_on_signal(struct event_watch *w, uint32_t events);
void loop_on_timer(struct event_watch *w, uint32_t events);

#endif
