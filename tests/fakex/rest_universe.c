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

#include "tests/fakex/prices.h"

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

/* Whether exchange e lists pool pair k: the first quarter everywhere, the
 * rest on about one exchange in three. */
static bool listed(uint64_t seed, int e, size_t k, size_t n)
{
	return k < n / 4 || h3(seed, k, 10 + (uint64_t)e) % 3 == 0;
}

/* Decimals as the exchanges write them: strings, or numbers (Deribit, HTX). */
#define DEC "\"%.8f\""
#define NUM "%.8f"

/* One listed instrument, as every exchange's renderer sees it. */
struct listing {
	struct pair p;
	char native[40];
	char suffix[8]; /* "" for spot, PERP, or the expiry YYMMDD of a dated future */
	bool halted;
	double volume;  /* in the quote asset */
	double tick, lot;
	int tick_decimals, lot_decimals; /* the steps as counts of decimals (Gate.io, Bitget, HTX, Kraken) */
};

/* The dated futures' expiry: 2026-12-25 08:00 UTC (Deribit's and
 * Binance's delivery hour). */
#define DATED_SUFFIX "261225"
#define DATED_DERIBIT "25DEC26"
#define DATED_MS 1798185600000LL

typedef void (*render_fn)(struct growbuf *b, const struct listing *l);

struct fake_exchange {
	const char *name;
	const char *paths[2];   /* instruments, tickers */
	const char *queries[2]; /* a parameter the request must carry, or NULL */
	unsigned weights[2];    /* Binance request weights; 0: no weight header */
	bool derivatives;       /* lists USDT- and USDC-margined contracts, not spot pairs */
	const char *heads[2], *tails[2];
	void (*name_of)(struct listing *l);
	render_fn info, ticker;
	const char *error_body; /* the exchange's own error in a 200 (misbehave what=code) */
};

static void name_concat(struct listing *l)
{
	snprintf(l->native, sizeof(l->native), "%s%s", l->p.base, l->p.quote);
}

static void name_dash(struct listing *l)
{
	snprintf(l->native, sizeof(l->native), "%s-%s", l->p.base, l->p.quote);
}

static void name_underscore(struct listing *l)
{
	snprintf(l->native, sizeof(l->native), "%s_%s", l->p.base, l->p.quote);
}

static void lower(char *out, const char *in)
{
	while ((*out++ = (char)(*in >= 'A' && *in <= 'Z' ? *in - 'A' + 'a' : *in)))
		in++;
}

static void name_lower(struct listing *l)
{
	char upper[sizeof(l->native)];
	snprintf(upper, sizeof(upper), "%s%s", l->p.base, l->p.quote);
	lower(l->native, upper);
}

static void name_usdm(struct listing *l)
{
	snprintf(l->native, sizeof(l->native), "%s%s%s%s", l->p.base, l->p.quote, l->suffix[0] == 'P' ? "" : "_",
		 l->suffix[0] == 'P' ? "" : l->suffix);
}

static void name_deribit(struct listing *l)
{
	snprintf(l->native, sizeof(l->native), "%s_%s-%s", l->p.base, l->p.quote,
		 l->suffix[0] == 'P' ? "PERPETUAL" : DATED_DERIBIT);
}

/* Kraken's own codes for BTC and DOGE, in its REST pair names and wsname. */
static const char *kraken_asset(const char *a)
{
	return strcmp(a, "BTC") == 0 ? "XBT" : strcmp(a, "DOGE") == 0 ? "XDG" : a;
}

static void name_kraken(struct listing *l)
{
	snprintf(l->native, sizeof(l->native), "%s%s", kraken_asset(l->p.base), kraken_asset(l->p.quote));
}

static void binance_filters(struct growbuf *b, const struct listing *l, const char *notional)
{
	gb_printf(b, "\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":" DEC ",\"maxPrice\":\"1000000.00000000\","
		     "\"tickSize\":" DEC "},{\"filterType\":\"LOT_SIZE\",\"minQty\":" DEC ",\"maxQty\":\"9000000.00000000\","
		     "\"stepSize\":" DEC "},%s]",
		  l->tick, l->tick, l->lot, l->lot, notional);
}

static void info_binance(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"symbol\":\"%s\",\"status\":\"%s\",\"baseAsset\":\"%s\",\"baseAssetPrecision\":8,"
		     "\"quoteAsset\":\"%s\",\"quotePrecision\":8,\"orderTypes\":[\"LIMIT\",\"MARKET\"],"
		     "\"isSpotTradingAllowed\":true,",
		  l->native, l->halted ? "BREAK" : "TRADING", l->p.base, l->p.quote);
	binance_filters(b, l, "{\"filterType\":\"NOTIONAL\",\"minNotional\":\"5.00000000\",\"applyMinToMarket\":true,"
			      "\"maxNotional\":\"9000000.00000000\",\"applyMaxToMarket\":false,\"avgPriceMins\":5}");
	gb_printf(b, ",\"permissions\":[],\"permissionSets\":[[\"SPOT\"]]}");
}

static void info_binance_usdm(struct growbuf *b, const struct listing *l)
{
	bool perp = l->suffix[0] == 'P';
	gb_printf(b, "{\"symbol\":\"%s\",\"pair\":\"%s%s\",\"contractType\":\"%s\",\"deliveryDate\":%lld,"
		     "\"onboardDate\":1569398400000,\"status\":\"%s\",\"maintMarginPercent\":\"2.5000\","
		     "\"requiredMarginPercent\":\"5.0000\",\"baseAsset\":\"%s\",\"quoteAsset\":\"%s\",\"marginAsset\":\"%s\","
		     "\"pricePrecision\":%d,\"quantityPrecision\":%d,\"underlyingType\":\"COIN\",",
		  l->native, l->p.base, l->p.quote, perp ? "PERPETUAL" : "CURRENT_QUARTER",
		  perp ? 4133404800000LL : DATED_MS, l->halted ? "SETTLING" : "TRADING", l->p.base, l->p.quote, l->p.quote,
		  l->tick_decimals, l->lot_decimals);
	binance_filters(b, l, "{\"filterType\":\"MIN_NOTIONAL\",\"notional\":\"5\"}");
	gb_printf(b, ",\"orderTypes\":[\"LIMIT\",\"MARKET\"],\"timeInForce\":[\"GTC\",\"IOC\",\"FOK\",\"GTX\"]}");
}

static void ticker_binance(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"symbol\":\"%s\",\"priceChange\":\"0.00000000\",\"lastPrice\":" DEC ",\"volume\":" DEC
		     ",\"quoteVolume\":" DEC ",\"openTime\":1699913600000,\"closeTime\":1700000000000,\"count\":%llu}",
		  l->native, l->p.price, l->volume / l->p.price, l->volume, (unsigned long long)(l->volume / 1000) + 1);
}

static void info_bybit(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"symbol\":\"%s\",\"baseCoin\":\"%s\",\"quoteCoin\":\"%s\",\"innovation\":\"0\",\"status\":\"%s\","
		     "\"marginTrading\":\"none\",\"lotSizeFilter\":{\"basePrecision\":" DEC ",\"quotePrecision\":\"0.00000001\","
		     "\"minOrderQty\":" DEC ",\"maxOrderQty\":\"9000000\",\"minOrderAmt\":\"1\",\"maxOrderAmt\":\"2000000\"},"
		     "\"priceFilter\":{\"tickSize\":" DEC "},\"riskParameters\":{\"priceLimitRatioX\":\"0.01\","
		     "\"priceLimitRatioY\":\"0.02\"}}",
		  l->native, l->p.base, l->p.quote, l->halted ? "Closed" : "Trading", l->lot, l->lot, l->tick);
}

static void ticker_bybit(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"symbol\":\"%s\",\"bid1Price\":" DEC ",\"lastPrice\":" DEC ",\"volume24h\":" DEC
		     ",\"turnover24h\":" DEC ",\"usdIndexPrice\":\"\"}",
		  l->native, l->p.price, l->p.price, l->volume / l->p.price, l->volume);
}

static void info_okx(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"instType\":\"SPOT\",\"instId\":\"%s\",\"uly\":\"\",\"instFamily\":\"\",\"baseCcy\":\"%s\","
		     "\"quoteCcy\":\"%s\",\"settleCcy\":\"\",\"ctVal\":\"\",\"ctMult\":\"\",\"ctValCcy\":\"\","
		     "\"listTime\":\"1606468572000\",\"expTime\":\"\",\"lever\":\"10\",\"tickSz\":" DEC ",\"lotSz\":" DEC
		     ",\"minSz\":" DEC ",\"ctType\":\"\",\"alias\":\"\",\"state\":\"%s\"}",
		  l->native, l->p.base, l->p.quote, l->tick, l->lot, l->lot, l->halted ? "suspend" : "live");
}

static void ticker_okx(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"instType\":\"SPOT\",\"instId\":\"%s\",\"last\":" DEC ",\"vol24h\":" DEC ",\"volCcy24h\":" DEC
		     ",\"ts\":\"1700000000000\"}",
		  l->native, l->p.price, l->volume / l->p.price, l->volume);
}

static void info_gateio(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"id\":\"%s\",\"base\":\"%s\",\"base_name\":\"%s\",\"quote\":\"%s\",\"quote_name\":\"%s\","
		     "\"fee\":\"0.2\",\"min_base_amount\":" DEC ",\"min_quote_amount\":\"3\",\"max_base_amount\":null,"
		     "\"max_quote_amount\":\"5000000\",\"amount_precision\":%d,\"precision\":%d,\"trade_status\":\"%s\","
		     "\"sell_start\":1516378650,\"buy_start\":1516378650,\"delisting_time\":0,\"type\":\"normal\","
		     "\"st_tag\":false}",
		  l->native, l->p.base, l->p.base, l->p.quote, l->p.quote, l->lot, l->lot_decimals, l->tick_decimals,
		  l->halted ? "untradable" : "tradable");
}

static void ticker_gateio(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"currency_pair\":\"%s\",\"last\":" DEC ",\"change_percentage\":\"0.5\",\"base_volume\":" DEC
		     ",\"quote_volume\":" DEC ",\"etf_net_value\":\"\",\"etf_pre_net_value\":null,"
		     "\"etf_pre_timestamp\":null,\"etf_leverage\":null}",
		  l->native, l->p.price, l->volume / l->p.price, l->volume);
}

static void info_bitget(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"symbol\":\"%s\",\"baseCoin\":\"%s\",\"quoteCoin\":\"%s\",\"minTradeAmount\":" DEC
		     ",\"maxTradeAmount\":\"900000000\",\"takerFeeRate\":\"0.002\",\"makerFeeRate\":\"0.002\","
		     "\"pricePrecision\":\"%d\",\"quantityPrecision\":\"%d\",\"quotePrecision\":\"8\",\"status\":\"%s\","
		     "\"minTradeUSDT\":\"5\",\"buyLimitPriceRatio\":\"0.05\",\"sellLimitPriceRatio\":\"0.05\","
		     "\"areaSymbol\":\"no\",\"orderQuantity\":\"200\",\"openTime\":\"1532454360000\",\"offTime\":\"\"}",
		  l->native, l->p.base, l->p.quote, l->lot, l->tick_decimals, l->lot_decimals,
		  l->halted ? "halt" : "online");
}

static void ticker_bitget(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"symbol\":\"%s\",\"lastPr\":" DEC ",\"quoteVolume\":" DEC ",\"baseVolume\":" DEC
		     ",\"ts\":\"1700000000000\",\"change24h\":\"0.0069\"}",
		  l->native, l->p.price, l->volume, l->volume / l->p.price);
}

static void info_kraken(struct growbuf *b, const struct listing *l)
{
	const char *base = kraken_asset(l->p.base), *quote = kraken_asset(l->p.quote);
	gb_printf(b, "\"%s\":{\"altname\":\"%s\",\"wsname\":\"%s/%s\",\"aclass_base\":\"currency\",\"base\":\"%s\","
		     "\"aclass_quote\":\"currency\",\"quote\":\"%s\",\"lot\":\"unit\",\"cost_decimals\":5,"
		     "\"pair_decimals\":%d,\"lot_decimals\":%d,\"lot_multiplier\":1,\"leverage_buy\":[],\"leverage_sell\":[],"
		     "\"fees\":[[0,0.4],[10000,0.35]],\"fees_maker\":[[0,0.25],[10000,0.2]],\"fee_volume_currency\":\"ZUSD\","
		     "\"margin_call\":80,\"margin_stop\":40,\"ordermin\":" DEC ",\"costmin\":\"0.5\",\"tick_size\":" DEC
		     ",\"status\":\"%s\"}",
		  l->native, l->native, base, quote, base, quote, l->tick_decimals, l->lot_decimals, l->lot, l->tick,
		  l->halted ? "cancel_only" : "online");
}

/* v and p: [today, last 24 hours]; a, b, c, l, h: price first */
static void ticker_kraken(struct growbuf *b, const struct listing *l)
{
	double px = l->p.price, base_volume = l->volume / px;
	gb_printf(b, "\"%s\":{\"a\":[" DEC ",\"1\",\"1.000\"],\"b\":[" DEC ",\"1\",\"1.000\"],\"c\":[" DEC ",\"0.1\"],"
		     "\"v\":[" DEC "," DEC "],\"p\":[" DEC "," DEC "],\"t\":[100,200],\"l\":[" DEC "," DEC "],\"h\":[" DEC
		     "," DEC "],\"o\":" DEC "}",
		  l->native, px, px, px, base_volume / 2, base_volume, px, px, px, px, px, px, px);
}

static void info_coinbase(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"id\":\"%s\",\"base_currency\":\"%s\",\"quote_currency\":\"%s\",\"quote_increment\":" DEC
		     ",\"base_increment\":" DEC ",\"display_name\":\"%s\",\"min_market_funds\":\"1\",\"margin_enabled\":false,"
		     "\"post_only\":false,\"limit_only\":false,\"cancel_only\":false,\"status\":\"%s\",\"status_message\":\"\","
		     "\"auction_mode\":false,\"trading_disabled\":false,\"fx_stablecoin\":false,"
		     "\"max_slippage_percentage\":\"0.03000000\",\"high_bid_limit_percentage\":\"\"}",
		  l->native, l->p.base, l->p.quote, l->tick, l->lot, l->native, l->halted ? "delisted" : "online");
}

static void ticker_coinbase(struct growbuf *b, const struct listing *l)
{
	double px = l->p.price, base_volume = l->volume / px;
	gb_printf(b, "\"%s\":{\"stats_30day\":{\"volume\":" DEC "},\"stats_24hour\":{\"open\":" DEC ",\"high\":" DEC
		     ",\"low\":" DEC ",\"volume\":" DEC ",\"last\":" DEC ",\"volume_30day\":" DEC "}}",
		  l->native, 30 * base_volume, px, px, px, base_volume, px, 30 * base_volume);
}

static void info_deribit(struct growbuf *b, const struct listing *l)
{
	bool perp = l->suffix[0] == 'P';
	gb_printf(b, "{\"tick_size\":" NUM ",\"tick_size_steps\":[],\"taker_commission\":0.0005,\"settlement_period\":\"%s\","
		     "\"settlement_currency\":\"%s\",\"rfq\":false,\"quote_currency\":\"%s\",\"min_trade_amount\":" NUM
		     ",\"max_leverage\":50,\"maker_commission\":0,\"kind\":\"future\",\"is_active\":%s,"
		     "\"instrument_name\":\"%s\",\"future_type\":\"linear\",\"expiration_timestamp\":%lld,"
		     "\"creation_timestamp\":1534242287000,\"counter_currency\":\"%s\",\"contract_size\":" NUM
		     ",\"base_currency\":\"%s\",\"instrument_type\":\"linear\"}",
		  l->tick, perp ? "perpetual" : "month", l->p.quote, l->p.quote, l->lot, l->halted ? "false" : "true",
		  l->native, perp ? 32503708800000LL : DATED_MS, l->p.quote, l->lot, l->p.base);
}

static void ticker_deribit(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"volume_usd\":" NUM ",\"volume_notional\":" NUM ",\"volume\":" NUM ",\"quote_currency\":\"%s\","
		     "\"mark_price\":" NUM ",\"instrument_name\":\"%s\",\"creation_timestamp\":1700000000000,"
		     "\"base_currency\":\"%s\"}",
		  l->volume, l->volume, l->volume / l->p.price, l->p.quote, l->p.price, l->native, l->p.base);
}

static void info_htx(struct growbuf *b, const struct listing *l)
{
	char base[sizeof(l->p.base)], quote[sizeof(l->p.quote)];
	lower(base, l->p.base);
	lower(quote, l->p.quote);
	gb_printf(b, "{\"tags\":\"\",\"state\":\"%s\",\"wr\":\"1.5\",\"sc\":\"%s\",\"p\":[],\"bcdn\":\"%s\",\"qcdn\":\"%s\","
		     "\"elr\":null,\"tpp\":%d,\"tap\":%d,\"fp\":8,\"smlr\":null,\"flr\":null,\"whe\":false,\"cd\":false,"
		     "\"te\":true,\"sp\":\"main\",\"d\":null,\"bc\":\"%s\",\"qc\":\"%s\",\"toa\":1514779200000,\"ttp\":8,"
		     "\"w\":999400000,\"lr\":5,\"dn\":\"%s/%s\"}",
		  l->halted ? "suspend" : "online", l->native, l->p.base, l->p.quote, l->tick_decimals, l->lot_decimals,
		  base, quote, l->p.base, l->p.quote);
}

static void ticker_htx(struct growbuf *b, const struct listing *l)
{
	gb_printf(b, "{\"symbol\":\"%s\",\"open\":" NUM ",\"close\":" NUM ",\"amount\":" NUM ",\"vol\":" NUM
		     ",\"count\":%llu,\"bid\":" NUM ",\"bidSize\":1.5,\"ask\":" NUM ",\"askSize\":2.5}",
		  l->native, l->p.price, l->p.price, l->volume / l->p.price, l->volume,
		  (unsigned long long)(l->volume / 1000) + 1, l->p.price, l->p.price);
}

#define BYBIT_TAIL "],\"nextPageCursor\":\"\"},\"retExtInfo\":{},\"time\":1700000000000}"
#define BYBIT_HEAD "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"spot\",\"list\":["
#define OKX_HEAD "{\"code\":\"0\",\"msg\":\"\",\"data\":["
#define BITGET_HEAD "{\"code\":\"00000\",\"msg\":\"success\",\"requestTime\":1700000000000,\"data\":["
#define KRAKEN_HEAD "{\"error\":[],\"result\":{"
#define DERIBIT_TAIL "],\"usIn\":1700000000000000,\"usOut\":1700000000000123,\"usDiff\":123,\"testnet\":false}"

/* Indexes 0-2 are what spreadbus-fakex-rest's trade histories expect. */
static const struct fake_exchange fakes[REST_UNIVERSE_EXCHANGES] = {
	{ "binance", { "/api/v3/exchangeInfo", "/api/v3/ticker/24hr" }, { NULL, NULL }, { 20, 80 }, false,
	  { "{\"timezone\":\"UTC\",\"serverTime\":1700000000000,\"rateLimits\":[{\"rateLimitType\":\"REQUEST_WEIGHT\","
	    "\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":6000}],\"exchangeFilters\":[],\"symbols\":[",
	    "[" },
	  { "]}", "]" }, name_concat, info_binance, ticker_binance,
	  "{\"code\":-1003,\"msg\":\"Too much request weight used.\"}" },
	{ "bybit", { "/v5/market/instruments-info", "/v5/market/tickers" }, { "category=spot", "category=spot" }, { 0, 0 },
	  false, { BYBIT_HEAD, BYBIT_HEAD }, { BYBIT_TAIL, BYBIT_TAIL }, name_concat, info_bybit, ticker_bybit,
	  "{\"retCode\":10006,\"retMsg\":\"Too many visits!\",\"result\":{},\"retExtInfo\":{},\"time\":1700000000000}" },
	{ "okx", { "/api/v5/public/instruments", "/api/v5/market/tickers" }, { "instType=SPOT", "instType=SPOT" }, { 0, 0 },
	  false, { OKX_HEAD, OKX_HEAD }, { "]}", "]}" }, name_dash, info_okx, ticker_okx,
	  "{\"code\":\"50011\",\"msg\":\"Too Many Requests\",\"data\":[]}" },
	{ "binance-usdm", { "/fapi/v1/exchangeInfo", "/fapi/v1/ticker/24hr" }, { NULL, NULL }, { 1, 40 }, true,
	  { "{\"timezone\":\"UTC\",\"serverTime\":1700000000000,\"futuresType\":\"U_MARGINED\",\"rateLimits\":"
	    "[{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":2400}],"
	    "\"exchangeFilters\":[],\"assets\":[],\"symbols\":[",
	    "[" },
	  { "]}", "]" }, name_usdm, info_binance_usdm, ticker_binance, "{\"code\":-1003,\"msg\":\"Too many requests.\"}" },
	{ "gateio", { "/api/v4/spot/currency_pairs", "/api/v4/spot/tickers" }, { NULL, NULL }, { 0, 0 }, false, { "[", "[" },
	  { "]", "]" }, name_underscore, info_gateio, ticker_gateio,
	  "{\"label\":\"TOO_MANY_REQUESTS\",\"message\":\"Request Rate limit Exceeded\"}" },
	{ "bitget", { "/api/v2/spot/public/symbols", "/api/v2/spot/market/tickers" }, { NULL, NULL }, { 0, 0 }, false,
	  { BITGET_HEAD, BITGET_HEAD }, { "]}", "]}" }, name_concat, info_bitget, ticker_bitget,
	  "{\"code\":\"429\",\"msg\":\"Too Many Requests\",\"requestTime\":1700000000000,\"data\":null}" },
	{ "kraken", { "/0/public/AssetPairs", "/0/public/Ticker" }, { NULL, NULL }, { 0, 0 }, false,
	  { KRAKEN_HEAD, KRAKEN_HEAD }, { "}}", "}}" }, name_kraken, info_kraken, ticker_kraken,
	  "{\"error\":[\"EGeneral:Too many requests\"]}" },
	{ "coinbase", { "/products", "/products/stats" }, { NULL, NULL }, { 0, 0 }, false, { "[", "{" }, { "]", "}" },
	  name_dash, info_coinbase, ticker_coinbase, "{\"message\":\"Public rate limit exceeded\"}" },
	{ "deribit", { "/api/v2/public/get_instruments", "/api/v2/public/get_book_summary_by_currency" },
	  { "kind=future", "kind=future" }, { 0, 0 }, true,
	  { "{\"jsonrpc\":\"2.0\",\"result\":[", "{\"jsonrpc\":\"2.0\",\"result\":[" }, { DERIBIT_TAIL, DERIBIT_TAIL },
	  name_deribit, info_deribit, ticker_deribit,
	  "{\"jsonrpc\":\"2.0\",\"error\":{\"message\":\"too_many_requests\",\"code\":10028},\"testnet\":false}" },
	{ "htx", { "/v2/settings/common/symbols", "/market/tickers" }, { NULL, NULL }, { 0, 0 }, false,
	  { "{\"status\":\"ok\",\"data\":[", "{\"status\":\"ok\",\"ts\":1700000000000,\"data\":[" },
	  { "],\"ts\":\"1700000000000\",\"full\":1}", "]}" }, name_lower, info_htx, ticker_htx,
	  "{\"status\":\"error\",\"err-code\":\"api-request-limit\",\"err-msg\":\"too many requests\",\"data\":null}" },
};

int rest_universe_exchange(const char *name)
{
	for (int e = 0; e < REST_UNIVERSE_EXCHANGES; e++)
		if (strcmp(fakes[e].name, name) == 0)
			return e;
	return -1;
}

const char *rest_universe_name(int e)
{
	return fakes[e].name;
}

int rest_universe_route(int e, const char *path, const char *query, unsigned *weight)
{
	for (int which = 0; which < 2; which++) {
		const char *q = fakes[e].queries[which];
		if (strcmp(path, fakes[e].paths[which]) == 0 && (!q || strstr(query, q))) {
			*weight = fakes[e].weights[which];
			return which;
		}
	}
	return -1;
}

bool rest_universe_weighted(int e)
{
	return fakes[e].weights[0] != 0;
}

const char *rest_universe_error_body(int e)
{
	return fakes[e].error_body;
}

/* The decimals of the fake WebSocket's prices for the pair (about six
 * significant digits): its tick size, as a count of decimals. */
static int ws_price_decimals(const struct pair *p)
{
	char spec[FX_SYMBOL_MAX + 8];
	struct fx_symbol s;
	snprintf(spec, sizeof(spec), "%s-%s", p->base, p->quote);
	return prices_symbol_init(&s, spec, 0) == 0 ? s.px_decimals : 2;
}

int rest_universe_render(const char *exchange, size_t n, uint64_t seed, const char *pins, struct rest_bodies *out)
{
	int e = rest_universe_exchange(exchange);
	struct growbuf info = { 0 }, tick = { 0 };
	memset(out, 0, sizeof(*out));
	if (e < 0)
		return -EINVAL;
	const struct fake_exchange *x = &fakes[e];
	gb_printf(&info, "%s", x->heads[0]);
	gb_printf(&tick, "%s", x->heads[1]);
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
		struct listing l;
		uint64_t h;
		memset(&l, 0, sizeof(l));
		if (slot < npin) {
			/* pinned: on every exchange, trading, above any generated volume */
			l.p = pinned[slot];
			l.p.price = 100;
			h = h3(seed, 1000000 + slot, 20 + (uint64_t)e);
			l.volume = REST_UNIVERSE_PINNED_VOLUME * (1 + 0.1 * e);
		} else {
			size_t k = slot - npin;
			if (!listed(seed, e, k, n))
				continue;
			pool_pair(seed, k, &l.p);
			bool is_pinned = false;
			for (size_t i = 0; i < npin; i++)
				is_pinned |= strcmp(l.p.base, pinned[i].base) == 0 && strcmp(l.p.quote, pinned[i].quote) == 0;
			if (is_pinned)
				continue;
			h = h3(seed, k, 20 + (uint64_t)e);
			l.halted = h % 50 == 7;
			/* each exchange trades a pair within a factor of about 3 of the pool's volume */
			l.volume = l.p.volume * exp(((double)((h >> 16) % 2000) - 1000.0) / 1000.0 * 1.1);
			/* one contract in 7 is the dated one (the same on both
			 * derivatives exchanges, so that they overlap) */
			if (x->derivatives && h3(seed, k, 3) % 7 == 5)
				snprintf(l.suffix, sizeof(l.suffix), "%s", DATED_SUFFIX);
		}
		/* derivatives: USDT- and USDC-margined contracts only */
		if (x->derivatives && strcmp(l.p.quote, "USDT") != 0 && strcmp(l.p.quote, "USDC") != 0)
			continue;
		if (x->derivatives && !l.suffix[0])
			snprintf(l.suffix, sizeof(l.suffix), "PERP");
		/* the steps the fake's WebSocket quotes the pair on
		 * (prices.h), so that its prices and sizes keep the tick and
		 * lot sizes listed here, as a real exchange's do; one tick in
		 * 20 odd: a half or a quarter of the step (5 or 2.5 units) */
		l.tick_decimals = ws_price_decimals(&l.p);
		l.tick = pow(10.0, -l.tick_decimals);
		if (h % 20 == 3 && l.tick_decimals <= 6)
			l.tick /= (h >> 8) % 2 ? 4 : 2;
		l.lot_decimals = FX_QTY_DECIMALS;
		l.lot = pow(10.0, -l.lot_decimals);
		x->name_of(&l);
		if (count)
			gb_printf(&info, ",");
		x->info(&info, &l);
		count++;
		/* one listed pair in 100 has no ticker (just listed) */
		if (h % 100 == 42 && slot >= npin)
			continue;
		if (ticks++)
			gb_printf(&tick, ",");
		x->ticker(&tick, &l);
	}
	gb_printf(&info, "%s", x->tails[0]);
	gb_printf(&tick, "%s", x->tails[1]);
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
