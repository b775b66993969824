/* spreadbus-fakex: a fake Binance/Bybit/OKX market-data server for tests.
 * Parses options, opens one listener per exchange plus the control port on
 * 127.0.0.1, writes the ready file and serves until SIGTERM/SIGINT. */
#include "tests/fakex/fakex.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stop_requested;

/* the protocols added after the first three (proto_<name>.c) */
extern const struct fx_proto fx_proto_binance_usdm, fx_proto_gateio, fx_proto_bitget, fx_proto_kraken,
	fx_proto_coinbase, fx_proto_deribit, fx_proto_htx;
static const struct fx_proto *const protos[] = { &fx_proto_binance, &fx_proto_bybit, &fx_proto_okx,
						  &fx_proto_binance_usdm, &fx_proto_gateio, &fx_proto_bitget,
						  &fx_proto_kraken, &fx_proto_coinbase, &fx_proto_deribit,
						  &fx_proto_htx };

static void usage(FILE *f)
{
	fprintf(f, "usage: spreadbus-fakex --exchange NAME[:PORT] [--exchange NAME[:PORT] ...] [options]\n"
		   "  NAME: binance | bybit | okx | binance-usdm | gateio | bitget | kraken | coinbase | deribit | htx;\n"
		   "        PORT 0 (default) lets the kernel pick (see --ready-file)\n"
		   "  --port P                   port for an --exchange given without one\n"
		   "  --symbols LIST             BTC-USDT,ETH-USDT=3000,... (default BTC-USDT,ETH-USDT)\n"
		   "  --rate R                   data frames per second per connection (default 50)\n"
		   "  --trade-every N            a trade stream gets 1 of N turns (default 4)\n"
		   "  --seed N                   random seed (default 1)\n"
		   "  --control-port P           control line protocol (default 0: kernel picks)\n"
		   "  --ready-file F             written once listening: \"NAME PORT\" lines, then \"control PORT\"\n"
		   "  --tls-cert F --tls-key F   serve wss:// instead of ws:// on every exchange port\n"
		   "  --binance-ping-ms MS       server ping interval (default 20000)\n"
		   "  --binance-pong-timeout-ms MS  drop a client without pong this long after a ping (60000)\n"
		   "  --binance-max-msgs-per-s N incoming messages allowed per second, 0 = no limit (default 5)\n"
		   "  --bybit-ping-timeout-ms MS drop a client that sent no ping this long (default 60000)\n"
		   "  --okx-idle-ms MS           close without subscription or pushed data this long (30000)\n"
		   "  --shutdown-grace-ms MS     between a shutdown notice and the close (default 1000)\n"
		   "  --max-lifetime-ms MS       close connections older than this, 0 = never (default 0)\n"
		   "  --verbose                  log rejected upgrades and lws warnings\n");
}

static int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int add_exchange(const char *spec, int default_port)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	int64_t port = default_port;

	if (colon && parse_i64(colon + 1, 0, 65535, &port))
		return -EINVAL;
	for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++) {
		if (strlen(protos[i]->name) != n || memcmp(protos[i]->name, spec, n) != 0)
			continue;
		for (unsigned e = 0; e < fx.nexchanges; e++)
			if (fx.exchanges[e].proto == protos[i])
				return -EEXIST;
		fx.exchanges[fx.nexchanges].proto = protos[i];
		fx.exchanges[fx.nexchanges].port = (int)port;
		fx.nexchanges++;
		return 0;
	}
	return -ENOENT;
}

static int add_symbols(const char *list)
{
	char spec[64];
	for (const char *p = list; *p;) {
		p += strspn(p, " ,");
		size_t n = strcspn(p, ",");
		while (n && p[n - 1] == ' ')
			n--;
		if (!n)
			break;
		if (n >= sizeof spec || fx.nsymbols == FX_MAX_SYMBOLS)
			return -EINVAL;
		memcpy(spec, p, n);
		spec[n] = '\0';
		if (prices_symbol_init(&fx.symbols[fx.nsymbols], spec, fx.opt.seed))
			return -EINVAL;
		fx.nsymbols++;
		p += n;
	}
	return fx.nsymbols ? 0 : -EINVAL;
}

enum {
	OPT_PORT = 256,
	OPT_SYMBOLS,
	OPT_RATE,
	OPT_TRADE_EVERY,
	OPT_SEED,
	OPT_CONTROL_PORT,
	OPT_READY_FILE,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_BINANCE_PING,
	OPT_BINANCE_PONG,
	OPT_BINANCE_MSGS,
	OPT_BYBIT_PING,
	OPT_OKX_IDLE,
	OPT_SHUTDOWN_GRACE,
	OPT_MAX_LIFETIME,
	OPT_VERBOSE,
	OPT_HELP,
};

static const struct option long_options[] = {
	{ "exchange", required_argument, NULL, 'e' },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "symbols", required_argument, NULL, OPT_SYMBOLS },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "trade-every", required_argument, NULL, OPT_TRADE_EVERY },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "control-port", required_argument, NULL, OPT_CONTROL_PORT },
	{ "ready-file", required_argument, NULL, OPT_READY_FILE },
	{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
	{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
	{ "binance-ping-ms", required_argument, NULL, OPT_BINANCE_PING },
	{ "binance-pong-timeout-ms", required_argument, NULL, OPT_BINANCE_PONG },
	{ "binance-max-msgs-per-s", required_argument, NULL, OPT_BINANCE_MSGS },
	{ "bybit-ping-timeout-ms", required_argument, NULL, OPT_BYBIT_PING },
	{ "okx-idle-ms", required_argument, NULL, OPT_OKX_IDLE },
	{ "shutdown-grace-ms", required_argument, NULL, OPT_SHUTDOWN_GRACE },
	{ "max-lifetime-ms", required_argument, NULL, OPT_MAX_LIFETIME },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Returns 0, 1 for --help, or -EINVAL (already reported). */
static int parse_options(int argc, char **argv)
{
	const char *exchanges[FX_MAX_EXCHANGES + 1];
	const char *symbols = "BTC-USDT,ETH-USDT";
	unsigned nex = 0;
	int64_t port = 0, v;
	int c;

	fx.opt = (struct fx_options){
		.rate = 50,
		.trade_every = 4,
		.seed = 1,
		.binance_ping_ms = 20000,
		.binance_pong_timeout_ms = 60000,
		.binance_max_msgs_per_s = 5,
		.bybit_ping_timeout_ms = 60000,
		.okx_idle_ms = 30000,
		.shutdown_grace_ms = 1000,
	};
	while ((c = getopt_long(argc, argv, "e:h", long_options, NULL)) != -1) {
		int64_t max = INT32_MAX, min = 0;
		const char *arg = optarg;
		switch (c) {
		case 'e':
			if (nex == FX_MAX_EXCHANGES)
				goto bad;
			exchanges[nex++] = arg;
			continue;
		case OPT_SYMBOLS: symbols = arg; continue;
		case OPT_READY_FILE: fx.opt.ready_file = arg; continue;
		case OPT_TLS_CERT: fx.opt.tls_cert = arg; continue;
		case OPT_TLS_KEY: fx.opt.tls_key = arg; continue;
		case OPT_VERBOSE: fx.opt.verbose = true; continue;
		case OPT_HELP:
		case 'h': usage(stdout); return 1;
		case OPT_PORT:
		case OPT_CONTROL_PORT: max = 65535; break;
		case OPT_RATE: max = 10000000; break;
		case OPT_TRADE_EVERY:
		case OPT_BINANCE_PING:
		case OPT_OKX_IDLE:
		case OPT_BINANCE_PONG:
		case OPT_BYBIT_PING: min = 1; break;
		case OPT_SEED: max = INT64_MAX; break;
		case OPT_BINANCE_MSGS:
		case OPT_SHUTDOWN_GRACE:
		case OPT_MAX_LIFETIME: break;
		default: goto bad;
		}
		if (parse_i64(arg, min, max, &v)) {
			const char *name = "?";
			for (const struct option *o = long_options; o->name; o++)
				if (o->val == c)
					name = o->name;
			fprintf(stderr, "spreadbus-fakex: bad value for --%s: %s (%lld..%lld)\n", name, arg,
				(long long)min, (long long)max);
			return -EINVAL;
		}
		switch (c) {
		case OPT_PORT: port = v; break;
		case OPT_CONTROL_PORT: fx.opt.control_port = (int)v; break;
		case OPT_RATE: fx.opt.rate = (double)v; break;
		case OPT_TRADE_EVERY: fx.opt.trade_every = (unsigned)v; break;
		case OPT_SEED: fx.opt.seed = (uint64_t)v; break;
		case OPT_BINANCE_PING: fx.opt.binance_ping_ms = v; break;
		case OPT_BINANCE_PONG: fx.opt.binance_pong_timeout_ms = v; break;
		case OPT_BINANCE_MSGS: fx.opt.binance_max_msgs_per_s = (unsigned)v; break;
		case OPT_BYBIT_PING: fx.opt.bybit_ping_timeout_ms = v; break;
		case OPT_OKX_IDLE: fx.opt.okx_idle_ms = v; break;
		case OPT_SHUTDOWN_GRACE: fx.opt.shutdown_grace_ms = v; break;
		case OPT_MAX_LIFETIME: fx.opt.max_lifetime_ms = v; break;
		default: break;
		}
	}
	if (optind != argc || nex == 0 || !fx.opt.tls_cert != !fx.opt.tls_key)
		goto bad;
	for (unsigned i = 0; i < nex; i++) {
		if (add_exchange(exchanges[i], (int)port)) {
			fprintf(stderr, "spreadbus-fakex: bad --exchange %s (binance|bybit|okx, each once)\n",
				exchanges[i]);
			return -EINVAL;
		}
	}
	if (add_symbols(symbols)) {
		fprintf(stderr, "spreadbus-fakex: bad --symbols %s (BASE-QUOTE[=PRICE],...; at most %d)\n", symbols,
			FX_MAX_SYMBOLS);
		return -EINVAL;
	}
	return 0;
bad:
	usage(stderr);
	return -EINVAL;
}

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int write_ready_file(const char *path)
{
	char tmp[4096];
	int rc = -EIO;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
		return -ENAMETOOLONG;
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "spreadbus-fakex: cannot write %s: %s\n", tmp, strerror(errno));
		return -errno;
	}
	for (unsigned e = 0; e < fx.nexchanges; e++)
		fprintf(f, "%s %d\n", fx.exchanges[e].proto->name, fx.exchanges[e].port);
	fprintf(f, "control %d\n", fx.control_port);
	if (fclose(f) == 0 && rename(tmp, path) == 0)
		rc = 0;
	else
		fprintf(stderr, "spreadbus-fakex: cannot write %s: %s\n", path, strerror(errno));
	return rc;
}

static struct lws_vhost *listen_on(const char *name, const struct lws_protocols *protocols, int port, void *user,
				   bool tls, bool raw)
{
	struct lws_context_creation_info info;

	memset(&info, 0, sizeof info);
	info.vhost_name = name;
	info.iface = "127.0.0.1";
	info.port = port;
	info.protocols = protocols;
	info.user = user;
	if (tls) {
		/* lws enables TLS on a vhost only with this option set there too */
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = fx.opt.tls_cert;
		info.ssl_private_key_filepath = fx.opt.tls_key;
	}
	if (raw) {
		info.options = LWS_SERVER_OPTION_ADOPT_APPLY_LISTEN_ACCEPT_CONFIG;
		info.listen_accept_role = "raw-skt";
		info.listen_accept_protocol = protocols[0].name;
	}
	struct lws_vhost *vh = lws_create_vhost(fx.ctx, &info);
	if (!vh)
		fprintf(stderr, "spreadbus-fakex: cannot listen for %s on 127.0.0.1:%d\n", name, port);
	return vh;
}

/* Every exchange's view of every symbol: its price offset, ids and tapes. */
static int markets_init(void)
{
	for (unsigned e = 0; e < fx.nexchanges; e++) {
		struct fx_exchange *ex = &fx.exchanges[e];
		for (unsigned s = 0; s < fx.nsymbols; s++) {
			prices_market_init(&ex->markets[s], &fx.symbols[s], ex->proto->name, fx.opt.seed);
			if (tape_init(&ex->tapes[s][FX_QUOTES], FX_TAPE_EVENTS) ||
			    tape_init(&ex->tapes[s][FX_TRADES], FX_TAPE_EVENTS)) {
				fprintf(stderr, "spreadbus-fakex: out of memory for %u symbols\n", fx.nsymbols);
				return -ENOMEM;
			}
		}
	}
	return 0;
}

static void markets_free(void)
{
	for (unsigned e = 0; e < fx.nexchanges; e++) {
		for (unsigned s = 0; s < fx.nsymbols; s++) {
			tape_free(&fx.exchanges[e].tapes[s][FX_QUOTES]);
			tape_free(&fx.exchanges[e].tapes[s][FX_TRADES]);
		}
	}
}

int main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	struct sigaction sa = { .sa_handler = on_signal };
	int rc = parse_options(argc, argv);

	if (rc)
		return rc > 0 ? 0 : 2;
	fx.rate = fx.opt.rate;
	fx.rng = fx.opt.seed;
	fx.started_ns = fx_now_ns();
	rc = 1;
	if (markets_init())
		goto out;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lws_set_log_level(fx.opt.verbose ? LLL_ERR | LLL_WARN : LLL_ERR, NULL);

	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | (fx.opt.tls_cert ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0);
	info.port = CONTEXT_PORT_NO_LISTEN;
	fx.ctx = lws_create_context(&info);
	if (!fx.ctx) {
		fprintf(stderr, "spreadbus-fakex: lws_create_context failed\n");
		goto out;
	}
	for (unsigned e = 0; e < fx.nexchanges; e++) {
		struct fx_exchange *ex = &fx.exchanges[e];
		ex->vhost =
			listen_on(ex->proto->name, fx_exchange_protocols, ex->port, ex, fx.opt.tls_cert != NULL, false);
		if (!ex->vhost)
			goto out;
		ex->port = lws_get_vhost_listen_port(ex->vhost);
	}
	struct lws_vhost *control = listen_on("control", fx_control_protocols, fx.opt.control_port, NULL, false, true);
	if (!control)
		goto out;
	fx.control_port = lws_get_vhost_listen_port(control);
	if (fx_server_start_tick() < 0) {
		fprintf(stderr, "spreadbus-fakex: cannot start the tick timer\n");
		goto out;
	}
	if (fx.opt.ready_file && write_ready_file(fx.opt.ready_file))
		goto out;
	for (unsigned e = 0; e < fx.nexchanges; e++)
		fprintf(stderr, "spreadbus-fakex: %s on %s://127.0.0.1:%d\n", fx.exchanges[e].proto->name,
			fx.opt.tls_cert ? "wss" : "ws", fx.exchanges[e].port);
	fprintf(stderr, "spreadbus-fakex: control on 127.0.0.1:%d\n", fx.control_port);
	while (!stop_requested)
		if (lws_service(fx.ctx, 0) < 0)
			break;
	rc = stop_requested ? 0 : 1;
out:
	if (fx.ctx)
		lws_context_destroy(fx.ctx);
	markets_free();
	return rc;
}
