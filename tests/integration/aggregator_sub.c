/* Test subscriber: PSUBSCRIBE to spread channels with hiredis, print each
 * message, or measure tick-to-subscriber latency from "ts_recv_ns". */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "common/clock.h"

/*
 * aggregator_sub --port P [--host H] [--pattern 'spread:*'] [--count N]
 *                [--timeout-ms T] [--latency] [--skip N]
 * Prints "READY" once subscribed. Default mode: one line per message,
 * "<channel> <json>". --latency: after N messages (or the timeout), prints
 * "LATENCY <count> <p50_us> <p99_us> <p99.9_us>", skipping the first --skip messages.
 * Exits 0 if N messages arrived, 1 otherwise.
 */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int64_t recv_ns_of(const char *json)
{
	const char *p = strstr(json, "\"ts_recv_ns\":");
	return p ? strtoll(p + 13, NULL, 10) : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"host", required_argument, NULL, 'h'}, {"port", required_argument, NULL, 'p'},
		{"pattern", required_argument, NULL, 'P'}, {"count", required_argument, NULL, 'n'},
		{"timeout-ms", required_argument, NULL, 't'}, {"latency", no_argument, NULL, 'l'},
		{"skip", required_argument, NULL, 's'}, {NULL, 0, NULL, 0},
	};
	const char *host = "127.0.0.1", *pattern = "spread:*";
	int port = 6379, latency = 0, o;
	long count = 1, timeout_ms = 10000, skip = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'h': host = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'P': pattern = optarg; break;
		case 'n': count = strtol(optarg, NULL, 10); break;
		case 't': timeout_ms = strtol(optarg, NULL, 10); break;
		case 'l': latency = 1; break;
		case 's': skip = strtol(optarg, NULL, 10); break;
		default: return 2;
		}
	}
	struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
	redisContext *c = redisConnectWithTimeout(host, port, tv);
	if (!c || c->err) {
		fprintf(stderr, "aggregator_sub: connect: %s\n", c ? c->errstr : "out of memory");
		return 1;
	}
	redisReply *r = redisCommand(c, "PSUBSCRIBE %s", pattern);
	if (!r) {
		fprintf(stderr, "aggregator_sub: PSUBSCRIBE: %s\n", c->errstr);
		return 1;
	}
	freeReplyObject(r);
	printf("READY\n");
	fflush(stdout);
	int64_t *lat = latency ? calloc((size_t)count, sizeof(int64_t)) : NULL;
	long got = 0, seen = 0;
	int64_t deadline = clock_monotonic_ns() + timeout_ms * 1000000LL;
	while (got < count) {
		int64_t left = deadline - clock_monotonic_ns();
		if (left <= 0)
			break;
		struct timeval rt = {left / 1000000000LL, (left % 1000000000LL) / 1000};
		redisSetTimeout(c, rt);
		void *reply = NULL;
		if (redisGetReply(c, &reply) != REDIS_OK)
			break;
		r = reply;
		/* pmessage: pattern, channel, payload */
		if (r->type == REDIS_REPLY_ARRAY && r->elements == 4 && r->element[3]->type == REDIS_REPLY_STRING) {
			int64_t now = clock_realtime_ns();
			if (latency) {
				if (seen++ >= skip)
					lat[got++] = now - recv_ns_of(r->element[3]->str);
			} else {
				printf("%s %s\n", r->element[2]->str, r->element[3]->str);
				fflush(stdout);
				got++;
			}
		}
		freeReplyObject(r);
	}
	if (latency) {
		qsort(lat, (size_t)got, sizeof(int64_t), cmp_i64);
		printf("LATENCY %ld %.1f %.1f %.1f\n", got, got ? lat[got / 2] / 1e3 : 0.0,
		       got ? lat[(size_t)((double)got * 0.99)] / 1e3 : 0.0,
		       got ? lat[(size_t)((double)got * 0.999)] / 1e3 : 0.0);
	}
	free(lat);
	redisFree(c);
	return got == count ? 0 : 1;
}
