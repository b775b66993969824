/* Decode throughput per adapter: fixture-shaped book-ticker frames through
 * the full pipeline (parse, validate, normalize into struct tick, dedup) on
 * one core. Prints the median of several runs as BENCH lines. Time is the
 * thread's CPU time, so that other work on the machine does not count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include <libdeflate.h>

#include "collector/pipeline.h"

#define FRAMES 4096           /* distinct frames, cycled */
#define FRAME_MAX 512
#ifndef PASSES
#define PASSES 500 /* frames per run = FRAMES * PASSES */
#endif
#ifndef RUNS
#define RUNS 7
#endif
#define NOW_MS 1786659828109LL

static const char *const syms[] = {"BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT",
				   "DOGE-USDT", "ADA-USDT", "LINK-USDT", "AVAX-USDT"};
#define NSYMS (sizeof(syms) / sizeof(syms[0]))

/* Writes frame i (shapes as in the fixtures) for the adapter into out. */
static int make_frame(const char *adapter, size_t i, char *out, size_t len)
{
	char native[16], lower[16], gate[16], slash[16];
	const char *s = syms[i % NSYMS];
	size_t n = 0;
	for (const char *c = s; *c; c++)
		if (*c != '-') {
			native[n] = *c;
			lower[n] = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
			n++;
		}
	native[n] = lower[n] = '\0';
	for (n = 0; s[n]; n++) {
		gate[n] = s[n] == '-' ? '_' : s[n];
		slash[n] = s[n] == '-' ? '/' : s[n];
	}
	gate[n] = slash[n] = '\0';
	unsigned cents = (unsigned)(i * 7919 % 100000);
	unsigned long long u = 1000000 + i;
	if (strcmp(adapter, "binance") == 0)
		return snprintf(out, len,
				"{\"stream\":\"%s@bookTicker\",\"data\":{\"u\":%llu,\"s\":\"%s\",\"b\":\"29010.%05u000\","
				"\"B\":\"13.94302000\",\"a\":\"29011.%05u000\",\"A\":\"3.99953000\"}}",
				lower, u, native, cents, cents);
	if (strcmp(adapter, "binance-usdm") == 0)
		return snprintf(out, len,
				"{\"stream\":\"%s@bookTicker\",\"data\":{\"e\":\"bookTicker\",\"u\":%llu,\"s\":\"%s\","
				"\"b\":\"29010.%u\",\"B\":\"13.943\",\"a\":\"29011.%u\",\"A\":\"3.999\",\"T\":%lld,"
				"\"E\":%lld}}",
				lower, u, native, cents % 10, cents % 10, NOW_MS, NOW_MS + 4);
	if (strcmp(adapter, "gateio") == 0)
		return snprintf(out, len,
				"{\"time\":%lld,\"time_ms\":%lld,\"channel\":\"spot.book_ticker\",\"event\":\"update\","
				"\"result\":{\"t\":%lld,\"u\":%llu,\"s\":\"%s\",\"b\":\"19177.%u\",\"B\":\"0.0003341504\","
				"\"a\":\"19179.%u\",\"A\":\"0.09\"}}",
				NOW_MS / 1000, NOW_MS, NOW_MS, u, gate, cents % 10, cents % 10);
	if (strcmp(adapter, "bitget") == 0)
		return snprintf(out, len,
				"{\"action\":\"snapshot\",\"arg\":{\"instType\":\"SPOT\",\"channel\":\"books1\",\"instId\":"
				"\"%s\"},\"data\":[{\"asks\":[[\"72377.%u\",\"0.00408\"]],\"bids\":[[\"72354.%u\",\"1.16460\"]],"
				"\"checksum\":0,\"ts\":\"%lld\"}],\"ts\":%lld}",
				native, cents % 100, cents % 100, NOW_MS + (long long)i, NOW_MS + (long long)i + 1);
	if (strcmp(adapter, "kraken") == 0) /* ticker with event_trigger bbo: numbers keep trailing zeros */
		return snprintf(out, len,
				"{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":\"%s\",\"bid\":1.%05u0,"
				"\"bid_qty\":44620.68691883,\"ask\":2.%05u0,\"ask_qty\":1087605.70466858,\"last\":0.99981,"
				"\"volume\":270638277.50461281,\"vwap\":0.99983,\"low\":0.99959,\"high\":1.00000,\"change\":0.00005,"
				"\"change_pct\":0.01,\"trades\":38144,\"timestamp\":\"2026-08-13T22:23:%02u.%06uZ\"}]}",
				slash, cents, cents, (unsigned)(i / 1000000 % 60), (unsigned)(i % 1000000));
	if (strcmp(adapter, "coinbase") == 0) /* a ticker envelope as captured (2026) */
		return snprintf(out, len,
				"{\"channel\":\"ticker\",\"client_id\":\"\",\"timestamp\":\"2026-08-13T22:23:%02u.%09uZ\","
				"\"sequence_num\":%llu,\"events\":[{\"type\":\"update\",\"tickers\":[{\"type\":\"ticker\","
				"\"product_id\":\"%s\",\"price\":\"65086.18\",\"volume_24_h\":\"2867.54532609\","
				"\"low_24_h\":\"64675.22\",\"high_24_h\":\"65252.99\",\"best_bid\":\"65083.%02u\","
				"\"best_ask\":\"65084.%02u\",\"best_bid_quantity\":\"0.20371215\","
				"\"best_ask_quantity\":\"0.24290402\"}]}]}",
				(unsigned)(i / 1000000 % 60), (unsigned)(i % 1000000000), u, s, cents % 100, cents % 100);
	if (strcmp(adapter, "deribit") == 0) /* quote.<instrument> as captured (2022) */
		return snprintf(out, len,
				"{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\"quote.%s-PERPETUAL\","
				"\"data\":{\"timestamp\":%lld,\"instrument_name\":\"%s-PERPETUAL\",\"best_bid_price\":32143.%u,"
				"\"best_bid_amount\":179960.0,\"best_ask_price\":32144.%u,\"best_ask_amount\":20.0}}}",
				gate, NOW_MS + (long long)i, gate, cents % 10, cents % 10);
	if (strcmp(adapter, "htx") == 0) /* market.<sym>.bbo as documented (2021), before gzip */
		return snprintf(out, len,
				"{\"ch\":\"market.%s.bbo\",\"ts\":%lld,\"tick\":{\"seqId\":%llu,\"ask\":52665.%u,"
				"\"askSize\":1.502181,\"bid\":52664.%u,\"bidSize\":0.178567,\"quoteTime\":%lld,"
				"\"symbol\":\"%s\"}}",
				lower, NOW_MS + 1, u, cents % 100, cents % 100, NOW_MS, lower);
	if (strcmp(adapter, "bybit") == 0)
		return snprintf(out, len,
				"{\"topic\":\"orderbook.1.%s\",\"ts\":%lld,\"type\":\"snapshot\",\"data\":{\"s\":\"%s\","
				"\"b\":[[\"63561.%u\",\"1.776\"]],\"a\":[[\"63562.%u\",\"4.848\"]],\"u\":%llu,"
				"\"seq\":764144453970},\"cts\":%lld}",
				native, NOW_MS, native, cents % 10, cents % 10, u, NOW_MS - 2);
	return snprintf(out, len,
			"{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"%s\"},\"data\":[{\"asks\":[[\"31774.%u\","
			"\"0.14368878\",\"0\",\"3\"]],\"bids\":[[\"31773.%u\",\"0.3392211\",\"0\",\"3\"]],"
			"\"ts\":\"%lld\",\"seqId\":%llu}]}",
			s, cents % 10, cents % 10, NOW_MS, u);
}

static int64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The canonical name of syms[i] on the adapter: USD-M lists perpetuals. */
static void bench_symbol(const char *adapter, size_t i, char *out, size_t len)
{
	snprintf(out, len, "%s%s", syms[i], strcmp(adapter, "binance-usdm") == 0 || strcmp(adapter, "deribit") == 0 ? "-PERP" : "");
}

/* buf's len bytes replaced by one gzip member of them (level 6, zlib's
 * default), as HTX sends; returns its length, or 0 if it does not fit. */
static size_t gzip_in_place(struct libdeflate_compressor *c, char *buf, size_t len, size_t cap)
{
	char tmp[FRAME_MAX];
	size_t n = libdeflate_gzip_compress(c, buf, len, tmp, cap < sizeof(tmp) ? cap : sizeof(tmp));
	memcpy(buf, tmp, n);
	return n;
}

/* The median frames/s, or -1. A gzip adapter's frames are gzipped first
 * (as on the wire) unless plain: then its parse alone is measured. */
static double bench(const char *adapter, bool plain)
{
	char name[32];
	const struct adapter *a = adapter_find(adapter);
	struct symmap m;
	struct pipeline *p = malloc(sizeof(*p));
	char *frames = malloc((size_t)FRAMES * FRAME_MAX);
	size_t *lens = malloc(FRAMES * sizeof(*lens));
	double rates[RUNS];
	struct libdeflate_compressor *gz = a && a->gzip_frames && !plain ? libdeflate_alloc_compressor(6) : NULL;
	if (!a || !p || !frames || !lens || (a->gzip_frames && !plain && !gz) || symmap_init(&m, a, 64, false) < 0)
		return -1;
	for (size_t i = 0; i < NSYMS; i++) {
		bench_symbol(adapter, i, name, sizeof(name));
		if (symmap_add(&m, name, (uint16_t)(i + 1)) < 0)
			return -1;
	}
	for (size_t i = 0; i < FRAMES; i++) {
		int n = make_frame(adapter, i, frames + i * FRAME_MAX, FRAME_MAX);
		if (n <= 0 || n >= FRAME_MAX)
			return -1;
		lens[i] = (size_t)n;
		if (a->gzip_frames && !plain && (lens[i] = gzip_in_place(gz, frames + i * FRAME_MAX, lens[i], FRAME_MAX)) == 0)
			return -1;
	}
	if (gz)
		libdeflate_free_compressor(gz);
	pipeline_init(p, a, &m, 1, 65536, 300000LL * 1000000);
	int64_t now_ns = NOW_MS * 1000000;
	for (int r = 0; r < RUNS; r++) {
		uint64_t accepted = 0;
		int64_t t0 = cpu_ns();
		for (int pass = 0; pass < PASSES; pass++) {
			/* each pass replays the same ids: forget them so the frames
			 * are accepted, as fresh ones would be */
			for (size_t s = 0; s < m.count; s++)
				symmap_at(&m, s)->have_quote = false;
			for (size_t i = 0; i < FRAMES; i++) {
				pipeline_frame(p, frames + i * FRAME_MAX, lens[i], a->gzip_frames && !plain, now_ns);
				accepted += p->accepted;
			}
		}
		int64_t dt = cpu_ns() - t0;
		if (accepted != (uint64_t)FRAMES * PASSES) {
			fprintf(stderr, "%s: only %llu of %d frames accepted\n", adapter, (unsigned long long)accepted,
				FRAMES * PASSES);
			return -1;
		}
		rates[r] = (double)FRAMES * PASSES / ((double)dt / 1e9);
	}
	qsort(rates, RUNS, sizeof(rates[0]), cmp_double);
	printf("BENCH decode_%s%s_frames_per_s %.0f frames/s\n", adapter, a->gzip_frames && plain ? "_json_only" : "",
	       rates[RUNS / 2]);
	symmap_free(&m);
	free(p);
	free(frames);
	free(lens);
	return rates[RUNS / 2];
}

/* Arguments, if any, name the adapters to run (for profiling one). */
static bool wanted(int argc, char **argv, const char *adapter)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], adapter) == 0)
			return true;
	return argc < 2;
}

int main(int argc, char **argv)
{
	static const char *const adapters[] = {"binance", "binance-usdm", "bitget", "bybit", "coinbase",
					       "deribit", "gateio", "htx", "kraken", "okx"};
	int rc = 0;
	for (size_t i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++) {
		const char *a = adapters[i];
		if (!wanted(argc, argv, a))
			continue;
		if (strcmp(a, "htx") != 0) {
			rc |= bench(a, false) < 0;
			continue;
		}
		/* HTX: with gunzip, and the parse alone, for gunzip's share */
		double htx = bench(a, false), htx_json = bench(a, true);
		rc |= htx < 0 || htx_json < 0;
		if (htx > 0 && htx_json > 0)
			printf("BENCH decode_htx_gunzip_share_pct %.1f %%\n", 100.0 * (1.0 - htx / htx_json));
	}
	return rc;
}
