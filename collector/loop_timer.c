/* The loop's periodic callback on a timerfd adopted as a raw file. */
#include "collector/loop_timer.h"

#include <errno.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <unistd.h>

static struct {
	loop_timer_fn fn;
	void *arg;
} timer;

int loop_timer_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	if (reason != LWS_CALLBACK_RAW_RX_FILE)
		return 0;
	uint64_t expirations;
	/* periods missed while the loop was busy run as one */
	if (read(lws_get_socket_fd(wsi), &expirations, sizeof(expirations)) == (ssize_t)sizeof(expirations))
		timer.fn(timer.arg);
	return 0;
}

int loop_timer_start(struct lws_context *ctx, unsigned period_ms, loop_timer_fn fn, void *arg)
{
	struct lws_vhost *vh = lws_get_vhost_by_name(ctx, "default");
	if (!vh)
		return -ENOENT;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct itimerspec its = {
		.it_interval = {period_ms / 1000, (long)(period_ms % 1000) * 1000000L},
		.it_value = {0, 1}, /* at once */
	};
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	timer.fn = fn;
	timer.arg = arg;
	lws_sock_file_fd_type desc = {.filefd = fd};
	if (!lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, desc, LOOP_TIMER_PROTOCOL, NULL)) {
		close(fd);
		return -ENOMEM;
	}
	return 0;
}
