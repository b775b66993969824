/* epoll registration helpers: one place that turns a watch into an
 * epoll_event, so no caller handles epoll_data by hand. */
#include "supervisor/event.h"

#include <errno.h>
#include <stddef.h>
#include <sys/epoll.h>

static int event_ctl(int epfd, int op, struct event_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };
	return epoll_ctl(epfd, op, w->fd, &ev) < 0 ? -errno : 0;
}

int event_add(int epfd, struct event_watch *w, uint32_t events)
{
	return event_ctl(epfd, EPOLL_CTL_ADD, w, events);
}

int event_mod(int epfd, struct event_watch *w, uint32_t events)
{
	return event_ctl(epfd, EPOLL_CTL_MOD, w, events);
}

void event_del(int epfd, struct event_watch *w)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, w->fd, NULL);
}
