/* Discovery in its own thread, so that no REST call, however slow, can
 * delay the WebSocket loop (collector/rest.h says why a thread). */
#include "collector/instruments_thread.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "collector/backoff.h"
#include "common/clock.h"
#include "common/log.h"

bool instruments_thread_wanted(const struct config *cfg, const struct config_exchange *cx)
{
	return config_universe_auto(cfg) || cx->rest_url[0];
}

static enum rest_result fetch_one(struct rest_client *rc, const char *path, struct rest_response *resp,
				  uint32_t *wait_ms, char *err, size_t err_len)
{
	enum rest_result r = rest_get(rc, path, resp);
	if (r != REST_OK) {
		*wait_ms = resp->wait_ms;
		snprintf(err, err_len, "GET %s: %s", path, resp->error);
	}
	return r;
}

enum rest_result instruments_fetch(struct rest_client *rc, const struct instruments_api *api,
				   struct instrument_set *set, uint32_t *wait_ms, char *err, size_t err_len)
{
	struct rest_response resp;
	char why[256];
	*wait_ms = 0;
	set->count = 0;
	set->fetched_ns = clock_realtime_ns();
	enum rest_result r = fetch_one(rc, api->info_path, &resp, wait_ms, err, err_len);
	if (r != REST_OK)
		return r;
	if (api->parse_info(resp.body, resp.len, set, why, sizeof(why)) < 0) {
		snprintf(err, err_len, "GET %s: unusable answer (%zu bytes): %s", api->info_path, resp.len, why);
		return REST_SERVER_ERROR;
	}
	instrument_set_sort_native(set);
	for (const char *const *path = api->tickers_paths; *path; path++) {
		r = fetch_one(rc, *path, &resp, wait_ms, err, err_len);
		if (r != REST_OK)
			return r;
		if (api->parse_tickers(resp.body, resp.len, set, why, sizeof(why)) < 0) {
			snprintf(err, err_len, "GET %s: unusable answer (%zu bytes): %s", *path, resp.len, why);
			return REST_SERVER_ERROR;
		}
	}
	return REST_OK;
}

static void *instruments_main(void *arg)
{
	struct instruments_thread *t = arg;
	struct rest_client rc;
	struct instrument_set set = { 0 };
	char err[512], werr[512];
	unsigned attempt = 0;
	uint64_t rng = (uint64_t)clock_monotonic_ns() ^ ((uint64_t)getpid() << 32) ^ 1;
	if (rest_client_init(&rc, t->rest_url, t->timeout_ms, &t->api->limits, t->tls_verify, &t->stop) < 0) {
		log_err("%s: instruments: cannot set up a REST client for %s", t->exchange, t->rest_url);
		return NULL;
	}
	while (!atomic_load(&t->stop)) {
		uint32_t wait_ms = 0;
		int64_t started = clock_monotonic_ns();
		enum rest_result r = instruments_fetch(&rc, t->api, &set, &wait_ms, err, sizeof(err));
		if (r == REST_STOPPED)
			break;
		int64_t next;
		if (r == REST_OK && instrument_file_write(t->path, t->exchange, &set, werr, sizeof(werr)) == 0) {
			atomic_fetch_add(&t->fetches_ok, 1);
			attempt = 0;
			log_info("%s: instruments: %zu from %s in %lld ms (%lu connection(s) opened so far), next in %u s",
				 t->exchange, set.count, t->rest_url, (long long)((clock_monotonic_ns() - started) / 1000000),
				 rc.connections, t->refresh_s);
			next = clock_monotonic_ns() + (int64_t)t->refresh_s * 1000000000LL;
			if (t->validate && validate_offer(t->validate, &set) < 0)
				log_err("%s: instruments: out of memory: the tick and lot sizes stay as they were", t->exchange);
		} else {
			atomic_fetch_add(&t->fetches_failed, 1);
			uint32_t delay = backoff_delay_ms(INSTRUMENTS_RETRY_MIN_MS, INSTRUMENTS_RETRY_MAX_MS, attempt++, &rng);
			/* a rate-limit wait is a floor, never shortened by the backoff */
			if (wait_ms > delay)
				delay = wait_ms;
			log_err("%s: instruments: %s: %s; the last good list stays; retry %u in %u ms", t->exchange,
				r == REST_OK ? "cannot report" : rest_result_name(r), r == REST_OK ? werr : err, attempt,
				delay);
			next = clock_monotonic_ns() + (int64_t)delay * 1000000;
		}
		if (!rest_sleep_until(&t->stop, next))
			break;
	}
	instrument_set_free(&set);
	rest_client_free(&rc);
	return NULL;
}

int instruments_thread_start(struct instruments_thread *t, const struct config *cfg,
			     const struct config_exchange *cx, const char *adapter, struct validate *validate)
{
	memset(t, 0, sizeof(*t));
	t->validate = validate;
	t->api = instruments_api_find(adapter);
	if (!t->api)
		return -ENOTSUP;
	t->exchange = cx->name;
	snprintf(t->rest_url, sizeof(t->rest_url), "%s", cx->rest_url[0] ? cx->rest_url : t->api->default_rest_url);
	if (instrument_file_path(t->path, sizeof(t->path), cfg->runtime_dir, cx->name) < 0)
		return -ENAMETOOLONG;
	t->timeout_ms = cfg->universe.rest_timeout_ms;
	t->refresh_s = cfg->universe.refresh_s;
	t->tls_verify = cx->tls_verify;
	int rc = rest_global_init();
	if (rc < 0)
		return rc;
	rc = pthread_create(&t->thread, NULL, instruments_main, t);
	if (rc != 0)
		return -rc;
	t->running = true;
	return 0;
}

void instruments_thread_stop(struct instruments_thread *t)
{
	if (!t->running)
		return;
	atomic_store(&t->stop, true);
	pthread_join(t->thread, NULL);
	t->running = false;
}
