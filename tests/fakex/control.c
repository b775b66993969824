/* fakex: the control port, a line protocol on a raw TCP socket served by
 * the same lws loop: one command per line, one answer line per command
 * ("ok", "err <why>", or JSON for stats). docs/fakex.md lists them. */
#include "tests/fakex/fakex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 256
#define OUT_BYTES 16384

struct control_conn {
	size_t in_len, out_len;
	char in[LINE_MAX_BYTES];
	uint8_t out[LWS_PRE + OUT_BYTES];
};

static const struct {
	const char *name;
	enum fx_fault fault;
} fault_commands[] = {
	{ "malformed", FXF_MALFORMED }, { "oversize", FXF_OVERSIZE },         { "binary", FXF_BINARY },
	{ "duplicate", FXF_DUPLICATE }, { "out_of_order", FXF_OUT_OF_ORDER }, { "crossed", FXF_CROSSED },
};

static void put_counters(struct fxbuf *b, const uint64_t *c, unsigned connections, unsigned streams)
{
	uint64_t frames = c[FXC_QUOTES] + c[FXC_TRADES] + c[FXC_MALFORMED] + c[FXC_OVERSIZE] + c[FXC_BINARY] +
			  c[FXC_DUPLICATE] + c[FXC_OUT_OF_ORDER] + c[FXC_CROSSED];
	fxbuf_put(b, "{\"connections\":");
	fxbuf_u64(b, connections);
	fxbuf_put(b, ",\"streams\":");
	fxbuf_u64(b, streams);
	fxbuf_put(b, ",\"frames\":");
	fxbuf_u64(b, frames);
	for (int i = 0; i < FXC_COUNT; i++) {
		fxbuf_put(b, ",\"");
		fxbuf_put(b, fx_counter_names[i]);
		fxbuf_put(b, "\":");
		fxbuf_u64(b, c[i]);
	}
	fxbuf_char(b, '}', 1);
}

/* {"uptime_ms":..,"rate":..,"total":{counters},"binance":{"port":..,counters},..} */
static void stats(struct fxbuf *b)
{
	uint64_t total[FXC_COUNT] = { 0 };
	unsigned connections = 0, streams = 0;

	for (unsigned e = 0; e < fx.nexchanges; e++) {
		for (int i = 0; i < FXC_COUNT; i++)
			total[i] += fx.exchanges[e].counters[i];
		connections += fx.exchanges[e].connections;
		streams += fx.exchanges[e].streams;
	}
	fxbuf_put(b, "{\"uptime_ms\":");
	fxbuf_i64(b, (fx_now_ns() - fx.started_ns) / 1000000);
	fxbuf_put(b, ",\"rate\":");
	fxbuf_u64(b, (uint64_t)fx.rate);
	fxbuf_put(b, ",\"total\":");
	put_counters(b, total, connections, streams);
	for (unsigned e = 0; e < fx.nexchanges; e++) {
		const struct fx_exchange *ex = &fx.exchanges[e];
		fxbuf_put(b, ",\"");
		fxbuf_put(b, ex->proto->name);
		fxbuf_put(b, "\":");
		put_counters(b, ex->counters, ex->connections, ex->streams);
		b->len--; /* reopen the object for the port */
		fxbuf_put(b, ",\"port\":");
		fxbuf_u64(b, (uint64_t)ex->port);
		fxbuf_char(b, '}', 1);
	}
	fxbuf_char(b, '}', 1);
}

/* "word" or "word N"; N is a decimal 0..10^9. */
static int parse_line(char *line, char **word, uint64_t *arg, bool *has_arg)
{
	char *sp = strchr(line, ' ');
	*word = line;
	*has_arg = false;
	if (!sp)
		return 0;
	*sp = '\0';
	char *end;
	errno = 0;
	unsigned long long v = strtoull(sp + 1, &end, 10);
	if (errno || end == sp + 1 || *end || v > 1000000000ULL || sp[1] == '-')
		return -EINVAL;
	*arg = v;
	*has_arg = true;
	return 0;
}

static void command(char *line, struct fxbuf *out)
{
	char *word;
	uint64_t n = 0;
	bool has_n;
	int64_t now = fx_now_ns();

	if (parse_line(line, &word, &n, &has_n)) {
		fxbuf_put(out, "err bad number\n");
		return;
	}
	for (size_t i = 0; i < sizeof fault_commands / sizeof fault_commands[0]; i++) {
		if (strcmp(word, fault_commands[i].name) == 0) {
			if (!has_n) {
				fxbuf_put(out, "err usage: <fault> N\n");
				return;
			}
			fx.faults[fault_commands[i].fault] += (uint32_t)n;
			fxbuf_put(out, "ok\n");
			return;
		}
	}
	if (strcmp(word, "stats") == 0) {
		stats(out);
		fxbuf_char(out, '\n', 1);
	} else if (strcmp(word, "close") == 0) {
		fx_close_all();
		fxbuf_put(out, "ok\n");
	} else if (strcmp(word, "shutdown_notice") == 0) {
		fx_shutdown_notice();
		fxbuf_put(out, "ok\n");
	} else if ((strcmp(word, "stall") == 0 || strcmp(word, "refuse") == 0) && has_n) {
		int64_t *until = word[0] == 's' ? &fx.stall_until_ns : &fx.refuse_until_ns;
		*until = now + (int64_t)n * 1000000;
		fxbuf_put(out, "ok\n");
	} else if (strcmp(word, "rate") == 0 && has_n) {
		fx_set_rate((double)n);
		fxbuf_put(out, "ok\n");
	} else if (strcmp(word, "clear") == 0) {
		memset(fx.faults, 0, sizeof fx.faults);
		fx.stall_until_ns = fx.refuse_until_ns = 0;
		fxbuf_put(out, "ok\n");
	} else if (strcmp(word, "ping") == 0) {
		fxbuf_put(out, "pong\n");
	} else {
		fxbuf_put(out, "err unknown command (close, stall MS, malformed N, oversize N, binary N, duplicate N, "
			       "out_of_order N, crossed N, shutdown_notice, refuse MS, rate R, clear, stats, ping)\n");
	}
}

static int on_rx(struct control_conn *c, struct lws *wsi, const char *in, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (in[i] != '\n') {
			if (c->in_len + 1 >= sizeof c->in)
				return -1; /* nobody sends lines this long: drop them */
			c->in[c->in_len++] = in[i];
			continue;
		}
		if (c->in_len && c->in[c->in_len - 1] == '\r')
			c->in_len--;
		c->in[c->in_len] = '\0';
		c->in_len = 0;
		struct fxbuf out = fxbuf_on(c->out + LWS_PRE + c->out_len, OUT_BYTES - c->out_len);
		command(c->in, &out);
		if (out.overflow)
			return -1;
		c->out_len += out.len;
	}
	if (c->out_len)
		lws_callback_on_writable(wsi);
	return 0;
}

static int callback_control(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct control_conn *c = user;

	switch (reason) {
	case LWS_CALLBACK_RAW_RX: return on_rx(c, wsi, in, len);
	case LWS_CALLBACK_RAW_WRITEABLE:
		if (!c->out_len)
			return 0;
		if (lws_write(wsi, c->out + LWS_PRE, c->out_len, LWS_WRITE_RAW) < 0)
			return -1;
		c->out_len = 0;
		return 0;
	default: return 0;
	}
}

const struct lws_protocols fx_control_protocols[2] = {
	{
		.name = "fakex-control",
		.callback = callback_control,
		.per_session_data_size = sizeof(struct control_conn),
		.rx_buffer_size = 1024,
	},
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};
