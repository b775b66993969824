/* libFuzzer target: every exchange's instrument and ticker parsers on
 * arbitrary bytes (REST answers are untrusted input). The first byte picks
 * the parser; what is accepted must give instruments with names and sane
 * numbers, and tickers must only touch known instruments. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/instruments.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the first three keep their seeds' first bytes (0-2, 0x80-0x82) */
static const char *const adapters[] = { "binance", "bybit", "okx", "binance-usdm", "gateio",
					"bitget", "kraken", "coinbase", "deribit", "htx" };
#define ADAPTERS (sizeof(adapters) / sizeof(adapters[0]))
/* native names of each exchange's kind for the tickers to find */
static const char *const known[] = { "BTCUSDT", "BTC-USDT", "BTC_USDT", "btcusdt", "XXBTZUSD", "XBTUSDT",
				     "BTC-PERPETUAL", "BTC_USDT-PERPETUAL" };
#define KNOWN (sizeof(known) / sizeof(known[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct instruments_api *api = instruments_api_find(adapters[(data[0] & 0x7f) % ADAPTERS]);
	bool tickers = data[0] & 0x80;
	/* the parsers read up to len only: a copy without a terminator shows overreads */
	char *body = malloc(size - 1 ? size - 1 : 1);
	memcpy(body, data + 1, size - 1);
	struct instrument_set set = { 0 };
	char err[256];
	if (tickers) {
		/* known instruments for the tickers to find */
		for (size_t i = 0; i < KNOWN; i++)
			strcpy(instrument_set_add(&set)->native, known[i]);
		instrument_set_sort_native(&set);
		if (api->parse_tickers(body, size - 1, &set, err, sizeof(err)) == 0 && set.count != KNOWN)
			abort();
	} else if (api->parse_info(body, size - 1, &set, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < set.count; i++) {
			const struct instrument *in = &set.items[i];
			if (!in->native[0] || !strchr(in->canonical, '-') || in->tick_size != in->tick_size)
				abort();
		}
	}
	if (strlen(err) >= sizeof(err))
		abort();
	instrument_set_free(&set);
	free(body);
	return 0;
}
