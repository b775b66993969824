/* Periodic callbacks on timerfds adopted as raw files by a vhost of their
 * own. */
#include "common/loop_timer.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define TIMER_VHOST "spreadbus-loop-timers"
#define TIMER_PROTOCOL "spreadbus-loop-timer"

static int timer_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	struct loop_timer *t = lws_get_opaque_user_data(wsi);
	if (reason != LWS_CALLBACK_RAW_RX_FILE || !t)
		return 0;
	uint64_t expirations;
	/* periods missed while the loop was busy run as one */
	if (read(t->fd, &expirations, sizeof(expirations)) == (ssize_t)sizeof(expirations))
		t->fn(t->arg);
	return 0;
}

static const struct lws_protocols timer_protocols[] = {
	{TIMER_PROTOCOL, timer_callback, 0, 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static struct lws_vhost *timer_vhost(struct lws_context *ctx)
{
	struct lws_vhost *vh = lws_get_vhost_by_name(ctx, TIMER_VHOST);
	if (vh)
		return vh;
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.vhost_name = TIMER_VHOST;
	info.protocols = timer_protocols;
	return lws_create_vhost(ctx, &info);
}

static int arm(int fd, unsigned period_us, bool at_once)
{
	struct timespec period = {period_us / 1000000, (long)(period_us % 1000000) * 1000L};
	struct itimerspec its = {.it_interval = period, .it_value = period};
	if (at_once)
		its.it_value = (struct timespec){0, 1};
	return timerfd_settime(fd, 0, &its, NULL) < 0 ? -errno : 0;
}

int loop_timer_start(struct loop_timer *t, struct lws_context *ctx, unsigned period_us, loop_timer_fn fn,
		     void *arg)
{
	struct lws_vhost *vh = timer_vhost(ctx);
	if (!vh)
		return -ENOMEM;
	t->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (t->fd < 0)
		return -errno;
	t->period_us = period_us;
	t->fn = fn;
	t->arg = arg;
	int rc = arm(t->fd, period_us, true);
	lws_sock_file_fd_type desc = {.filefd = t->fd};
	struct lws *wsi = rc < 0 ? NULL : lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, desc, TIMER_PROTOCOL, NULL);
	if (!wsi) {
		close(t->fd);
		t->fd = -1;
		return rc < 0 ? rc : -ENOMEM;
	}
	lws_set_opaque_user_data(wsi, t);
	return 0;
}

int loop_timer_set_period(struct loop_timer *t, unsigned period_us)
{
	if (period_us == t->period_us)
		return 0;
	t->period_us = period_us;
	return arm(t->fd, period_us, false);
}
