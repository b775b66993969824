/* A periodic callback in a libwebsockets loop, driven by a timerfd that the
 * loop polls like a connection. libwebsockets' own timers (lws_sul) give
 * poll(2) their remaining time in whole milliseconds, rounded down: while
 * data wakes the loop, the last fraction of a millisecond before each
 * timer is spent calling poll with a zero timeout, a thousand times or so
 * per period. A timerfd has no such remainder. */
#ifndef SPREADBUS_COLLECTOR_LOOP_TIMER_H
#define SPREADBUS_COLLECTOR_LOOP_TIMER_H

#include <libwebsockets.h>

typedef void (*loop_timer_fn)(void *arg);

/* The protocol entry the timer's descriptor is adopted under: put it in the
 * context's protocol list (the default vhost's). */
#define LOOP_TIMER_PROTOCOL "spreadbus-loop-timer"
int loop_timer_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len);

/* Calls fn(arg) from ctx's loop every period_ms, the first time at once.
 * One timer per process. Returns 0 or -errno. The descriptor is closed
 * with the context. */
int loop_timer_start(struct lws_context *ctx, unsigned period_ms, loop_timer_fn fn, void *arg);

#endif
