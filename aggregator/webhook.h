/* POSTs JSON events to one URL from a thread of its own, so a slow or dead
 * receiver never delays the aggregator: a bounded queue in front (full =
 * the event is dropped and counted), libcurl with a timeout, retries with
 * backoff. */
#ifndef SPREADBUS_AGGREGATOR_WEBHOOK_H
#define SPREADBUS_AGGREGATOR_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#define WEBHOOK_BODY_MAX 1024 /* one event's JSON */
#define WEBHOOK_QUEUE 256     /* events waiting for the thread */
#define WEBHOOK_TIMEOUT_MS 2000
#define WEBHOOK_ATTEMPTS 4    /* the first try and 3 retries, 100 ms apart doubling */

struct webhook_counters {
	uint64_t sent;    /* answered 2xx */
	uint64_t failed;  /* every attempt failed (no answer, or not 2xx) */
	uint64_t dropped; /* the queue was full */
};

struct webhook;

/* Starts the thread. Returns 0 or -errno (logged). */
int webhook_create(struct webhook **out, const char *url);
/* Stops after the POST in progress (queued events are dropped and counted)
 * and joins the thread. NULL is fine. */
void webhook_free(struct webhook *w);

/* Queues one event (copied). Never blocks on the network: returns 0, or
 * -ENOBUFS when the queue is full or the body too long (counted dropped). */
int webhook_post(struct webhook *w, const char *json, size_t len);

void webhook_counters(struct webhook *w, struct webhook_counters *out);

#endif
