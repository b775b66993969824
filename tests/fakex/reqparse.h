/* fakex: the small JSON requests clients send (Binance "method"/"params",
 * Bybit and OKX "op"/"args"), parsed into fixed-size fields. */
#ifndef SPREADBUS_FAKEX_REQPARSE_H
#define SPREADBUS_FAKEX_REQPARSE_H

#include <stdbool.h>
#include <stddef.h>

#define FX_REQ_MAX_ARGS 256

struct fx_req_arg {
	char str[64];     /* a string argument ("btcusdt@bookTicker", "orderbook.1.BTCUSDT") */
	char channel[32]; /* an OKX object argument {"channel":..,"instId":..} */
	char inst[32];
};

struct fx_req {
	char op[32]; /* "method" (Binance) or "op" (Bybit, OKX) */
	char id[48]; /* Binance "id": raw number/null text, or string content */
	bool has_id;
	bool id_is_string;
	char req_id[48]; /* Bybit "req_id" */
	bool has_req_id;
	bool args_bad; /* args present but not all strings/objects that fit */
	unsigned nargs;
	struct fx_req_arg args[FX_REQ_MAX_ARGS];
};

/* 0, or -EINVAL when msg is not a JSON object or a field does not fit. */
int reqparse(struct fx_req *r, const char *msg, size_t len);

#endif
