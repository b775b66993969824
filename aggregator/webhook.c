/* The webhook thread: takes events from a fixed ring of slots under a mutex
 * and POSTs each, retrying with backoff; the aggregator's side only copies
 * into a slot. Waits use the condition variable so a stop cuts them short. */
#include "aggregator/webhook.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "common/config.h"
#include "common/log.h"

#define RETRY_FIRST_MS 100

struct webhook {
	char url[CONFIG_STR_MAX];
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_bool stop;               /* also read by the transfer callback, outside the lock */
	size_t head, count;            /* queued slots: head .. head + count - 1 */
	char (*body)[WEBHOOK_BODY_MAX];
	size_t len[WEBHOOK_QUEUE];
	struct webhook_counters c;
	char current[WEBHOOK_BODY_MAX]; /* the event being posted, outside the lock */
	struct log_limit lim;
};

static size_t discard(char *ptr, size_t size, size_t n, void *ud)
{
	(void)ptr;
	(void)ud;
	return size * n;
}

/* libcurl's progress callback: a stop aborts the POST in progress, so the
 * aggregator's exit never waits for a slow receiver's timeout. */
static int abort_on_stop(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(&((struct webhook *)ud)->stop) ? 1 : 0;
}

static bool post_once(struct webhook *w, CURL *h, size_t len)
{
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, w->current);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)len);
	CURLcode rc = curl_easy_perform(h);
	long status = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (rc == CURLE_OK && status >= 200 && status < 300)
		return true;
	log_limited(&w->lim, LOG_LVL_WARNING, "aggregator: webhook %s: %s", w->url,
		    rc != CURLE_OK ? curl_easy_strerror(rc) : status >= 300 ? "answered with an error status" : "no status");
	return false;
}

/* Sleeps ms unless stopped; returns false when stopping. Called locked. */
static bool wait_ms(struct webhook *w, long ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (!w->stop && pthread_cond_timedwait(&w->cv, &w->mu, &until) != ETIMEDOUT)
		;
	return !w->stop;
}

static void *run(void *arg)
{
	struct webhook *w = arg;
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	if (h) {
		curl_easy_setopt(h, CURLOPT_URL, w->url);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)WEBHOOK_TIMEOUT_MS);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, abort_on_stop);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, w);
	}
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->stop && w->count == 0)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->stop)
			break;
		size_t len = w->len[w->head];
		memcpy(w->current, w->body[w->head], len);
		w->head = (w->head + 1) % WEBHOOK_QUEUE;
		w->count--;
		bool ok = false;
		long backoff = RETRY_FIRST_MS;
		for (int attempt = 0; h && attempt < WEBHOOK_ATTEMPTS && !ok; attempt++) {
			if (attempt > 0 && !wait_ms(w, backoff))
				break;
			if (attempt > 0)
				backoff *= 2;
			pthread_mutex_unlock(&w->mu);
			ok = post_once(w, h, len);
			pthread_mutex_lock(&w->mu);
		}
		if (ok)
			w->c.sent++;
		else
			w->c.failed++;
	}
	w->c.dropped += w->count; /* stopping: what is left is not sent */
	w->count = 0;
	pthread_mutex_unlock(&w->mu);
	curl_slist_free_all(hdr);
	if (h)
		curl_easy_cleanup(h);
	return NULL;
}

int webhook_create(struct webhook **out, const char *url)
{
	*out = NULL;
	struct webhook *w = calloc(1, sizeof(*w));
	if (!w || !(w->body = calloc(WEBHOOK_QUEUE, sizeof(*w->body)))) {
		free(w);
		return -ENOMEM;
	}
	snprintf(w->url, sizeof(w->url), "%s", url);
	/* once, before any thread uses libcurl; later calls only count */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_err("aggregator: webhook %s: libcurl cannot start", url);
		free(w->body);
		free(w);
		return -EIO;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	int rc = pthread_create(&w->thread, NULL, run, w);
	if (rc != 0) {
		log_err("aggregator: webhook %s: cannot start its thread: %s", url, strerror(rc));
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		curl_global_cleanup();
		free(w->body);
		free(w);
		return -rc;
	}
	*out = w;
	return 0;
}

void webhook_free(struct webhook *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	curl_global_cleanup();
	free(w->body);
	free(w);
}

int webhook_post(struct webhook *w, const char *json, size_t len)
{
	int rc = 0;
	pthread_mutex_lock(&w->mu);
	if (w->count == WEBHOOK_QUEUE || len > WEBHOOK_BODY_MAX) {
		w->c.dropped++;
		rc = -ENOBUFS;
	} else {
		size_t slot = (w->head + w->count) % WEBHOOK_QUEUE;
		memcpy(w->body[slot], json, len);
		w->len[slot] = len;
		w->count++;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return rc;
}

void webhook_counters(struct webhook *w, struct webhook_counters *out)
{
	pthread_mutex_lock(&w->mu);
	*out = w->c;
	pthread_mutex_unlock(&w->mu);
}
