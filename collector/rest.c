/* libcurl GETs for the collector's discovery thread: one easy handle per
 * host (a kept-alive connection), a time limit per call, rate-limit waits. */
#include "collector/rest.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"

/* Largest body taken: Binance's whole exchangeInfo is about 15 MB. */
#define REST_BODY_MAX (64u << 20)
/* Past this share of the weight limit, wait for the next minute. */
#define REST_WEIGHT_HIGH_PCT 90
/* A Retry-After longer than this is taken as this (an hour): a ban is
 * waited out by refresh, not by one thread sleeping for days. */
#define REST_RETRY_AFTER_MAX_MS 3600000u

int rest_global_init(void)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		log_err("rest: curl_global_init: %s", curl_easy_strerror(rc));
		return -EIO;
	}
	return 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct rest_client *rc = arg;
	size_t n = size * nmemb;
	if (rc->len + n + 1 > REST_BODY_MAX) {
		rc->overflow = true;
		return 0; /* curl aborts the transfer */
	}
	if (rc->len + n + 1 > rc->cap) {
		size_t cap = rc->cap ? rc->cap : 65536;
		while (cap < rc->len + n + 1)
			cap *= 2;
		char *p = realloc(rc->buf, cap);
		if (!p)
			return 0;
		rc->buf = p;
		rc->cap = cap;
	}
	memcpy(rc->buf + rc->len, data, n);
	rc->len += n;
	rc->buf[rc->len] = '\0';
	return n;
}

/* The value of header name in line (case-insensitive), as a non-negative
 * number, or -1. */
static long header_number(const char *line, size_t len, const char *name)
{
	size_t nl = strlen(name);
	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return -1;
	size_t i = nl + 1;
	while (i < len && line[i] == ' ')
		i++;
	long v = 0;
	bool any = false;
	for (; i < len && line[i] >= '0' && line[i] <= '9'; i++) {
		if (v > 100000000)
			return -1;
		v = v * 10 + (line[i] - '0');
		any = true;
	}
	return any ? v : -1;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct rest_client *rc = arg;
	size_t n = size * nmemb;
	long v = header_number(data, n, "Retry-After");
	if (v >= 0)
		rc->retry_after_ms = v * 1000 > REST_RETRY_AFTER_MAX_MS ? REST_RETRY_AFTER_MAX_MS : (uint32_t)v * 1000;
	if (rc->lim.weight_header && (v = header_number(data, n, rc->lim.weight_header)) >= 0)
		rc->used_weight = v;
	return n;
}

static int on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct rest_client *rc = arg;
	(void)dt, (void)dn, (void)ut, (void)un;
	return rc->stop && atomic_load(rc->stop) ? 1 : 0;
}

int rest_client_init(struct rest_client *rc, const char *base_url, uint32_t timeout_ms,
		     const struct rest_limits *lim, bool tls_verify, const atomic_bool *stop)
{
	memset(rc, 0, sizeof(*rc));
	if (snprintf(rc->base_url, sizeof(rc->base_url), "%s", base_url) >= (int)sizeof(rc->base_url))
		return -ENAMETOOLONG;
	size_t n = strlen(rc->base_url);
	while (n > 0 && rc->base_url[n - 1] == '/')
		rc->base_url[--n] = '\0';
	rc->timeout_ms = timeout_ms;
	rc->lim = *lim;
	rc->stop = stop;
	rc->used_weight = -1;
	CURL *c = curl_easy_init();
	if (!c)
		return -ENOMEM;
	rc->curl = c;
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, rc);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, rc);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, rc);
	/* the whole call, connect included, is bounded */
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
	/* one connection per host, kept alive between calls */
	curl_easy_setopt(c, CURLOPT_MAXCONNECTS, 1L);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* gzip where offered: exchangeInfo shrinks tenfold */
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);          /* a thread must not take SIGALRM for DNS timeouts */
	curl_easy_setopt(c, CURLOPT_USERAGENT, "spreadbus");
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, tls_verify ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, tls_verify ? 2L : 0L);
	return 0;
}

void rest_client_free(struct rest_client *rc)
{
	if (rc->curl)
		curl_easy_cleanup(rc->curl);
	free(rc->buf);
	memset(rc, 0, sizeof(*rc));
}

bool rest_sleep_until(const atomic_bool *stop, int64_t mono_ns)
{
	for (;;) {
		if (stop && atomic_load(stop))
			return false;
		int64_t left = mono_ns - clock_monotonic_ns();
		if (left <= 0)
			return true;
		/* short steps: a stop is noticed within 50 ms */
		int64_t step = left < 50000000 ? left : 50000000;
		struct timespec ts = { .tv_sec = 0, .tv_nsec = step };
		nanosleep(&ts, NULL);
	}
}

/* Waits the next call must respect, from this answer. */
static void plan_next_call(struct rest_client *rc, struct rest_response *out)
{
	int64_t now = clock_monotonic_ns();
	int64_t next = now + (int64_t)rc->lim.min_interval_ms * 1000000;
	if (out->wait_ms)
		next = now + (int64_t)out->wait_ms * 1000000;
	/* Binance counts weight per wall-clock minute: close to the limit,
	 * the next call waits for the minute to turn. */
	if (rc->lim.weight_header && rc->lim.weight_limit && rc->used_weight >= 0 &&
	    (uint64_t)rc->used_weight * 100 >= (uint64_t)rc->lim.weight_limit * REST_WEIGHT_HIGH_PCT) {
		int64_t wall = clock_realtime_ns();
		int64_t to_minute = 60000000000LL - wall % 60000000000LL;
		if (now + to_minute > next)
			next = now + to_minute;
		log_warn("rest: %s: used weight %ld of %u per minute: next call in %lld ms", rc->base_url,
			 rc->used_weight, rc->lim.weight_limit, (long long)((next - now) / 1000000));
	}
	rc->next_call_ns = next;
}

enum rest_result rest_get(struct rest_client *rc, const char *path_query, struct rest_response *out)
{
	char url[1024];
	memset(out, 0, sizeof(*out));
	out->used_weight = -1;
	if (!rest_sleep_until(rc->stop, rc->next_call_ns))
		return REST_STOPPED;
	if (snprintf(url, sizeof(url), "%s%s", rc->base_url, path_query) >= (int)sizeof(url)) {
		snprintf(out->error, sizeof(out->error), "URL too long");
		return REST_TRANSPORT;
	}
	rc->len = 0;
	rc->overflow = false;
	rc->retry_after_ms = 0;
	rc->used_weight = -1;
	if (rc->buf)
		rc->buf[0] = '\0';
	CURL *c = rc->curl;
	curl_easy_setopt(c, CURLOPT_URL, url);
	CURLcode cc = curl_easy_perform(c);
	long connects = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
	rc->connections += (unsigned long)connects;
	out->body = rc->buf ? rc->buf : "";
	out->len = rc->len;
	out->used_weight = rc->used_weight;
	enum rest_result r = REST_OK;
	if (cc == CURLE_ABORTED_BY_CALLBACK && rc->stop && atomic_load(rc->stop)) {
		r = REST_STOPPED;
		snprintf(out->error, sizeof(out->error), "stopped");
	} else if (cc != CURLE_OK) {
		r = REST_TRANSPORT;
		snprintf(out->error, sizeof(out->error), "%s%s", rc->overflow ? "body larger than 64 MiB: " : "",
			 curl_easy_strerror(cc));
	} else if (out->status == 429 || (rc->lim.ban_status && out->status == rc->lim.ban_status)) {
		r = REST_RATE_LIMITED;
		bool ban = out->status != 429;
		out->wait_ms = rc->retry_after_ms ? rc->retry_after_ms : ban ? rc->lim.ban_wait_ms : rc->lim.limited_wait_ms;
		snprintf(out->error, sizeof(out->error), "HTTP %ld (%s): waiting %u ms%s", out->status,
			 ban ? "banned" : "rate limited", out->wait_ms, rc->retry_after_ms ? " as Retry-After says" : "");
	} else if (out->status < 200 || out->status > 299) {
		r = REST_SERVER_ERROR;
		snprintf(out->error, sizeof(out->error), "HTTP %ld: %.120s", out->status, out->body);
	}
	plan_next_call(rc, out);
	return r;
}

const char *rest_result_name(enum rest_result r)
{
	switch (r) {
	case REST_OK: return "ok";
	case REST_RATE_LIMITED: return "rate_limited";
	case REST_SERVER_ERROR: return "server_error";
	case REST_TRANSPORT: return "transport";
	case REST_STOPPED: return "stopped";
	}
	return "unknown";
}
