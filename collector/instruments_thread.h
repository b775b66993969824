/* The collector's discovery thread: fetches its exchange's instruments and
 * 24 h tickers at start and every [universe] refresh_s, and reports them in
 * <runtime_dir>/instruments.<exchange>.tsv (common/instrument.h). A failed
 * fetch is logged, retried with backoff (and after any rate-limit wait the
 * exchange imposed), and leaves the last good file in place. */
#ifndef SPREADBUS_COLLECTOR_INSTRUMENTS_THREAD_H
#define SPREADBUS_COLLECTOR_INSTRUMENTS_THREAD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "collector/instruments.h"
#include "collector/validate.h"
#include "common/config.h"

/* First retry after a failed fetch, and the cap of the doubling. */
#define INSTRUMENTS_RETRY_MIN_MS 1000
#define INSTRUMENTS_RETRY_MAX_MS 60000

struct instruments_thread {
	pthread_t thread;
	bool running;
	atomic_bool stop;
	const char *exchange;
	const struct instruments_api *api;
	char rest_url[CONFIG_STR_MAX];
	char path[CONFIG_PATH_MAX + 64];
	uint32_t timeout_ms, refresh_s;
	bool tls_verify;
	struct validate *validate; /* offered every good fetch; NULL = none */
	atomic_uint_fast64_t fetches_ok, fetches_failed;
};

/* Whether the collector of cx discovers: [universe] mode = auto, or a
 * rest_url in its section. */
bool instruments_thread_wanted(const struct config *cfg, const struct config_exchange *cx);

/* Start the thread; each good fetch is also offered to validate (if not
 * NULL), which must outlive the thread. Returns 0, or -ENOTSUP when the
 * adapter has no discovery API, or -errno. */
int instruments_thread_start(struct instruments_thread *t, const struct config *cfg,
			     const struct config_exchange *cx, const char *adapter, struct validate *validate);
/* Stop it (a call in flight is aborted within a second) and join it. */
void instruments_thread_stop(struct instruments_thread *t);

/* One fetch of both endpoints into set (sorted by native name). Returns
 * REST_OK or the failing call's result, with why in err. */
enum rest_result instruments_fetch(struct rest_client *rc, const struct instruments_api *api,
				   struct instrument_set *set, uint32_t *wait_ms, char *err, size_t err_len);

#endif
