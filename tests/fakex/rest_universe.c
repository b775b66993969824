/* The fake universe and its rendering in each exchange's REST format
 * (field names and string-quoted decimals as the real answers have them). */
#include "tests/fakex/rest_universe.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct growbuf {
	char *p;
	size_t len, cap;
	bool failed;
};

static void gb_printf(struct growbuf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		size_t room = b->cap - b->len;
		int n = b->p ? vsnprintf(b->p + b->len, room, fmt, ap) : -1;
		va_end(ap);
		if (n >= 0 && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 1 << 20;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t h3(uint64_t seed, uint64_t a, uint64_t b)
{
	return mix(seed * 0x9e3779b97f4a7c15ULL ^ mix(a + 0x632be59bd9b4e019ULL) ^ mix(b * 31 + 7));
}

/* Pool pair k: the well-known bases first, then made-up ones. */
static const char *const known_bases[] = { "BTC", "ETH", "SOL", "BNB", "XRP", "DOGE", "ADA", "LTC",
					   "AVAX", "LINK", "DOT", "TRX", "TON", "SHIB", "NEAR", "UNI" };
static const char *const quotes[] = { "USDT", "USDT", "USDT", "USDT", "USDT", "USDT", "USDC", "USDC",
				      "USDC", "BTC", "ETH", "EUR", "FDUSD", "TRY", "USDT", "USDC" };

struct pair {
	char base[12], quote[8];
	double volume;   /* quote asset, before the exchange's own factor */
	double price;
};

static void pool_pair(uint64_t seed, size_t k, struct pair *p)
{
	size_t nb = sizeof(known_bases) / sizeof(known_bases[0]);
	size_t base_idx = k / 4; /* each base is quoted in up to four assets */
	if (base_idx < nb) {
		snprintf(p->base, sizeof(p->base), "%s", known_bases[base_idx]);
	} else {
		/* 'Q' + base-26 letters: never a real ticker clash that matters */
		size_t v = base_idx;
		char s[8];
		int n = 0;
		while (n < 5) {
			s[n++] = (char)('A' + v % 26);
			v /= 26;
		}
		snprintf(p->base, sizeof(p->base), "Q%.5s", s);
	}
	/* slots draw from disjoint parts of the table: one base never gets
	 * the same quote twice (0: USDT, 1: USDC, 2: BTC/ETH/EUR, 3: FDUSD/TRY) */
	static const size_t quote_of_slot[4] = { 0, 6, 9, 12 };
	size_t slot = k % 4;
	size_t qi = slot == 0 ? 0 : quote_of_slot[slot] + h3(seed, k, 1) % (slot == 3 ? 2 : 3);
	/* BTC and ETH are bases too: never quote a base in itself */
	snprintf(p->quote, sizeof(p->quote), "%s", strcmp(quotes[qi], p->base) == 0 ? "EUR" : quotes[qi]);
	/* Zipf-like: the k-th pair trades about 5e9 / (k+1)^1.2 */
	p->volume = 5e9 / pow((double)(k + 1), 1.2);
	p->price = 0.001 * pow(10.0, (double)(h3(seed, k, 2) % 8000) / 1000.0);
}

static int exchange_index(const char *ex)
{
	if (strcmp(ex, "binance") == 0)
		return 0;
	if (strcmp(ex, "bybit") == 0)
		return 1;
	if (strcmp(ex, "okx") == 0)
		return 2;
	return -1;
}

/* Whether exchange e lists pool pair k: the first quarter everywhere, the
 * rest on about one exchange in three. */
static bool listed(uint64_t seed, int e, size_t k, size_t n)
{
	return k < n / 4 || h3(seed, k, 10 + (uint64_t)e) % 3 == 0;
}

static void render_decimal(struct growbuf *b, double v)
{
	gb_printf(b, "\"%.8f\"", v);
}

int rest_universe_render(const char *exchange, size_t n, uint64_t seed, const char *pins, struct rest_bodies *out)
{
	int e = exchange_index(exchange);
	struct growbuf info = { 0 }, tick = { 0 };
	memset(out, 0, sizeof(*out));
	if (e < 0)
		return -EINVAL;
	static const char *const info_head[] = {
		"{\"timezone\":\"UTC\",\"serverTime\":1700000000000,\"rateLimits\":[{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":6000}],\"exchangeFilters\":[],\"symbols\":[",
		"{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"spot\",\"list\":[",
		"{\"code\":\"0\",\"msg\":\"\",\"data\":[",
	};
	static const char *const info_tail[] = { "]}", "],\"nextPageCursor\":\"\"},\"retExtInfo\":{},\"time\":1700000000000}",
						 "]}" };
	static const char *const tick_head[] = { "[", "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"spot\",\"list\":[",
						 "{\"code\":\"0\",\"msg\":\"\",\"data\":[" };
	static const char *const tick_tail[] = { "]", "]},\"retExtInfo\":{},\"time\":1700000000000}", "]}" };
	gb_printf(&info, "%s", info_head[e]);
	gb_printf(&tick, "%s", tick_head[e]);
	size_t count = 0, ticks = 0;
	size_t npin = 0;
	struct pair pinned[REST_UNIVERSE_MAX_PINS];
	for (const char *s = pins ? pins : ""; *s && npin < REST_UNIVERSE_MAX_PINS;) {
		size_t len = strcspn(s, ",");
		struct pair *p = &pinned[npin];
		memset(p, 0, sizeof(*p));
		if (sscanf(s, "%11[A-Z0-9]-%7[A-Z0-9]", p->base, p->quote) == 2)
			npin++;
		s += len + (s[len] == ',');
	}
	for (size_t slot = 0; count < n && slot < npin + 8 * n; slot++) {
		struct pair p;
		uint64_t h;
		bool halted;
		double volume;
		if (slot < npin) {
			/* pinned: on every exchange, trading, above any generated volume */
			p = pinned[slot];
			p.price = 100;
			h = h3(seed, 1000000 + slot, 20 + (uint64_t)e);
			halted = false;
			volume = REST_UNIVERSE_PINNED_VOLUME * (1 + 0.1 * e);
		} else {
			size_t k = slot - npin;
			if (!listed(seed, e, k, n))
				continue;
			pool_pair(seed, k, &p);
			bool is_pinned = false;
			for (size_t i = 0; i < npin; i++)
				is_pinned |= strcmp(p.base, pinned[i].base) == 0 && strcmp(p.quote, pinned[i].quote) == 0;
			if (is_pinned)
				continue;
			h = h3(seed, k, 20 + (uint64_t)e);
			halted = h % 50 == 7;
			/* each exchange trades a pair within a factor of about 3 of the pool's volume */
			volume = p.volume * exp(((double)((h >> 16) % 2000) - 1000.0) / 1000.0 * 1.1);
		}
		/* ticks of about 5 significant digits; one in 20 odd (2.5 or 5 units) */
		double tick_size = pow(10.0, floor(log10(p.price)) - 4);
		if (h % 20 == 3)
			tick_size *= (h >> 8) % 2 ? 2.5 : 5;
		double lot = p.price > 100 ? 0.00001 : p.price > 1 ? 0.01 : 1;
		char native[32];
		if (e == 2)
			snprintf(native, sizeof(native), "%s-%s", p.base, p.quote);
		else
			snprintf(native, sizeof(native), "%s%s", p.base, p.quote);
		if (count)
			gb_printf(&info, ",");
		if (e == 0) {
			gb_printf(&info, "{\"symbol\":\"%s\",\"status\":\"%s\",\"baseAsset\":\"%s\",\"baseAssetPrecision\":8,"
					 "\"quoteAsset\":\"%s\",\"quotePrecision\":8,\"orderTypes\":[\"LIMIT\",\"MARKET\"],"
					 "\"isSpotTradingAllowed\":true,\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":",
				  native, halted ? "BREAK" : "TRADING", p.base, p.quote);
			render_decimal(&info, tick_size);
			gb_printf(&info, ",\"maxPrice\":\"1000000.00000000\",\"tickSize\":");
			render_decimal(&info, tick_size);
			gb_printf(&info, "},{\"filterType\":\"LOT_SIZE\",\"minQty\":");
			render_decimal(&info, lot);
			gb_printf(&info, ",\"maxQty\":\"9000000.00000000\",\"stepSize\":");
			render_decimal(&info, lot);
			gb_printf(&info, "},{\"filterType\":\"NOTIONAL\",\"minNotional\":\"5.00000000\",\"applyMinToMarket\":true,"
					 "\"maxNotional\":\"9000000.00000000\",\"applyMaxToMarket\":false,\"avgPriceMins\":5}],"
					 "\"permissions\":[],\"permissionSets\":[[\"SPOT\"]]}");
		} else if (e == 1) {
			gb_printf(&info, "{\"symbol\":\"%s\",\"baseCoin\":\"%s\",\"quoteCoin\":\"%s\",\"innovation\":\"0\","
					 "\"status\":\"%s\",\"marginTrading\":\"none\",\"lotSizeFilter\":{\"basePrecision\":",
				  native, p.base, p.quote, halted ? "Closed" : "Trading");
			render_decimal(&info, lot);
			gb_printf(&info, ",\"quotePrecision\":\"0.00000001\",\"minOrderQty\":");
			render_decimal(&info, lot);
			gb_printf(&info, ",\"maxOrderQty\":\"9000000\",\"minOrderAmt\":\"1\",\"maxOrderAmt\":\"2000000\"},"
					 "\"priceFilter\":{\"tickSize\":");
			render_decimal(&info, tick_size);
			gb_printf(&info, "},\"riskParameters\":{\"priceLimitRatioX\":\"0.01\",\"priceLimitRatioY\":\"0.02\"}}");
		} else {
			gb_printf(&info, "{\"instType\":\"SPOT\",\"instId\":\"%s\",\"uly\":\"\",\"instFamily\":\"\",\"baseCcy\":\"%s\","
					 "\"quoteCcy\":\"%s\",\"settleCcy\":\"\",\"ctVal\":\"\",\"ctMult\":\"\",\"ctValCcy\":\"\","
					 "\"listTime\":\"1606468572000\",\"expTime\":\"\",\"lever\":\"10\",\"tickSz\":",
				  native, p.base, p.quote);
			render_decimal(&info, tick_size);
			gb_printf(&info, ",\"lotSz\":");
			render_decimal(&info, lot);
			gb_printf(&info, ",\"minSz\":");
			render_decimal(&info, lot);
			gb_printf(&info, ",\"ctType\":\"\",\"alias\":\"\",\"state\":\"%s\"}", halted ? "suspend" : "live");
		}
		count++;
		/* one listed pair in 100 has no ticker (just listed) */
		if (h % 100 == 42 && slot >= npin)
			continue;
		if (ticks++)
			gb_printf(&tick, ",");
		if (e == 0) {
			gb_printf(&tick, "{\"symbol\":\"%s\",\"priceChange\":\"0.00000000\",\"lastPrice\":", native);
			render_decimal(&tick, p.price);
			gb_printf(&tick, ",\"volume\":");
			render_decimal(&tick, volume / p.price);
			gb_printf(&tick, ",\"quoteVolume\":");
			render_decimal(&tick, volume);
			gb_printf(&tick, ",\"openTime\":1699913600000,\"closeTime\":1700000000000,\"count\":%llu}",
				  (unsigned long long)(volume / 1000) + 1);
		} else if (e == 1) {
			gb_printf(&tick, "{\"symbol\":\"%s\",\"bid1Price\":", native);
			render_decimal(&tick, p.price);
			gb_printf(&tick, ",\"lastPrice\":");
			render_decimal(&tick, p.price);
			gb_printf(&tick, ",\"volume24h\":");
			render_decimal(&tick, volume / p.price);
			gb_printf(&tick, ",\"turnover24h\":");
			render_decimal(&tick, volume);
			gb_printf(&tick, ",\"usdIndexPrice\":\"\"}");
		} else {
			gb_printf(&tick, "{\"instType\":\"SPOT\",\"instId\":\"%s\",\"last\":", native);
			render_decimal(&tick, p.price);
			gb_printf(&tick, ",\"vol24h\":");
			render_decimal(&tick, volume / p.price);
			gb_printf(&tick, ",\"volCcy24h\":");
			render_decimal(&tick, volume);
			gb_printf(&tick, ",\"ts\":\"1700000000000\"}");
		}
	}
	gb_printf(&info, "%s", info_tail[e]);
	gb_printf(&tick, "%s", tick_tail[e]);
	if (info.failed || tick.failed) {
		free(info.p);
		free(tick.p);
		return -ENOMEM;
	}
	out->info = info.p;
	out->info_len = info.len;
	out->tickers = tick.p;
	out->tickers_len = tick.len;
	out->count = count;
	return 0;
}

void rest_universe_free(struct rest_bodies *b)
{
	free(b->info);
	free(b->tickers);
	memset(b, 0, sizeof(*b));
}
