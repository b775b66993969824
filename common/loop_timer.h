/* Periodic callbacks in a libwebsockets loop, each driven by a timerfd that
 * the loop polls like a connection. libwebsockets' own timers (lws_sul)
 * give poll(2) their remaining time in whole milliseconds, rounded down:
 * while data wakes the loop, the last fraction of a millisecond before each
 * timer is spent calling poll with a zero timeout, over and over (all of a
 * 1 ms period). A timerfd has no such remainder.
 *
 * Uses libwebsockets: only the programs that already link it (collector,
 * gateway) pull this file out of libcommon. */
#ifndef SPREADBUS_COMMON_LOOP_TIMER_H
#define SPREADBUS_COMMON_LOOP_TIMER_H

#include <libwebsockets.h>

typedef void (*loop_timer_fn)(void *arg);

struct loop_timer {
	int fd;
	unsigned period_us;
	loop_timer_fn fn;
	void *arg;
};

/* Calls fn(arg) from ctx's loop every period_us, the first time at once.
 * The timers live in a vhost of their own (made on first use), so that
 * they run whatever the program's vhosts do. Returns 0 or -errno; the
 * descriptor is closed with the context. */
int loop_timer_start(struct loop_timer *t, struct lws_context *ctx, unsigned period_us, loop_timer_fn fn,
		     void *arg);

/* From now on every period_us (the next call one period from now); a
 * period it already has costs nothing. Returns 0 or -errno. */
int loop_timer_set_period(struct loop_timer *t, unsigned period_us);

#endif
