/* The epoll registration every event source of the supervisor uses: the
 * epoll data pointer is a struct event_watch whose callback handles it. */
#ifndef SPREADBUS_SUPERVISOR_EVENT_H
#define SPREADBUS_SUPERVISOR_EVENT_H

#include <stdint.h>

struct event_watch {
	void (*on_event)(struct event_watch *w, uint32_t events);
	int fd;
};

/* Register (or, with mod, change) w->fd in epfd. Returns 0 or -errno. */
int event_add(int epfd, struct event_watch *w, uint32_t events);
int event_mod(int epfd, struct event_watch *w, uint32_t events);
void event_del(int epfd, struct event_watch *w);

#endif
