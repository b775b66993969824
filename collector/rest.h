/* The collector's REST client: GET requests to one exchange host through
 * libcurl, with a kept-alive connection, a time limit on every call and
 * the exchange's rate-limit answers turned into waits.
 *
 * Why a thread and not curl's multi interface in the WebSocket loop: the
 * REST work is a few large calls an hour whose result goes to a file, not
 * into the loop's state; a thread of its own (collector/instruments_thread.c)
 * with one easy handle cannot delay a frame however slow the exchange is,
 * and needs no glue between curl's and libwebsockets' socket callbacks.
 * One easy handle per host keeps one connection open and reuses it (HTTP
 * keep-alive), which is what "one pooled connection per host" needs. */
#ifndef SPREADBUS_COLLECTOR_REST_H
#define SPREADBUS_COLLECTOR_REST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What an exchange documents about its public REST limits. */
struct rest_limits {
	uint32_t min_interval_ms;   /* spacing of requests (per-IP request-count limits) */
	const char *weight_header;  /* header with the weight used in the current minute, or NULL */
	uint32_t weight_limit;      /* that weight's per-minute limit */
	int ban_status;             /* status meaning "banned for a while" besides 429 (Binance 418, Bybit 403) */
	uint32_t ban_wait_ms;       /* wait after ban_status when no Retry-After came */
	uint32_t limited_wait_ms;   /* wait after 429 when no Retry-After came */
};

/* Outcome of one call. */
enum rest_result {
	REST_OK = 0,        /* 2xx, body complete */
	REST_RATE_LIMITED,  /* 429 or ban_status: wait_ms says how long (Retry-After, or the documented wait) */
	REST_SERVER_ERROR,  /* 5xx or another unexpected status */
	REST_TRANSPORT,     /* connect failure, timeout, connection cut */
	REST_STOPPED,       /* the stop flag was raised during the call */
};

struct rest_response {
	long status;          /* HTTP status, 0 when none came */
	char *body;           /* NUL-terminated, owned by the client until the next call */
	size_t len;
	uint32_t wait_ms;     /* REST_RATE_LIMITED: wait before the next call */
	long used_weight;     /* the weight header's value, or -1 */
	char error[256];      /* why, for logs and status, when not REST_OK */
};

struct rest_client {
	void *curl;                  /* CURL *, one per host: its connection is kept alive */
	char base_url[256];          /* scheme://host:port */
	uint32_t timeout_ms;
	struct rest_limits lim;
	const atomic_bool *stop;     /* aborts a call in flight */
	int64_t next_call_ns;        /* monotonic: no request before this (spacing, rate-limit waits) */
	char *buf;
	size_t len, cap;
	bool overflow;
	long used_weight;
	uint32_t retry_after_ms;
	unsigned long connections;   /* new connections opened (keep-alive check) */
};

/* Global libcurl setup: once per process before any thread uses curl. */
int rest_global_init(void);

int rest_client_init(struct rest_client *rc, const char *base_url, uint32_t timeout_ms,
		     const struct rest_limits *lim, bool tls_verify, const atomic_bool *stop);
void rest_client_free(struct rest_client *rc);

/* GET base_url + path_query. Waits first for the spacing and any rate-limit
 * wait a previous answer imposed (interruptible by the stop flag). */
enum rest_result rest_get(struct rest_client *rc, const char *path_query, struct rest_response *out);

/* Sleep until mono_ns or the stop flag; returns false if stopped. */
bool rest_sleep_until(const atomic_bool *stop, int64_t mono_ns);

const char *rest_result_name(enum rest_result r);

#endif
