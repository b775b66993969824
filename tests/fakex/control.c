/* fakex: the control port, a line protocol on a raw TCP socket served by
 * the same lws loop: one command per line, one answer line per command
 * ("ok", "err <why>", or JSON for stats). docs/fakex.md lists them. */
#include "tests/fakex/fakex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 256
#define OUT_BYTES 65536 /* "conns" and "sent" with hundreds of symbols */

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
	{ "off_tick", FXF_OFF_TICK },   { "off_lot", FXF_OFF_LOT },           { "jump", FXF_JUMP },
	{ "seq_skip", FXF_SEQ_SKIP },
};

static void put_counters(struct fxbuf *b, const uint64_t *c, unsigned connections, unsigned streams)
{
	uint64_t frames = c[FXC_QUOTES] + c[FXC_TRADES] + c[FXC_MALFORMED] + c[FXC_OVERSIZE] + c[FXC_BINARY] +
			  c[FXC_DUPLICATE] + c[FXC_OUT_OF_ORDER] + c[FXC_CROSSED] + c[FXC_OFF_TICK] + c[FXC_OFF_LOT] +
			  c[FXC_JUMP];
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

/* {"BTC-USDT":{"quotes":[count,first_id,last_id],"trades":[...]},...}:
 * the good events of each stream of one exchange that left on some
 * connection (struct fx_sent). */
static void sent(struct fxbuf *b, const struct fx_exchange *ex)
{
	static const char *const kinds[] = { [FX_QUOTES] = "quotes", [FX_TRADES] = "trades" };
	fxbuf_char(b, '{', 1);
	for (unsigned i = 0; i < fx.nsymbols; i++) {
		fxbuf_put(b, i ? ",\"" : "\"");
		fxbuf_put(b, fx.symbols[i].canon);
		fxbuf_put(b, "\":{");
		for (int k = FX_QUOTES; k <= FX_TRADES; k++) {
			const struct fx_sent *st = &ex->sent[i][k];
			fxbuf_put(b, k ? ",\"" : "\"");
			fxbuf_put(b, kinds[k]);
			fxbuf_put(b, "\":[");
			fxbuf_u64(b, st->count);
			fxbuf_char(b, ',', 1);
			fxbuf_u64(b, st->first_id);
			fxbuf_char(b, ',', 1);
			fxbuf_u64(b, st->last_id);
			fxbuf_char(b, ']', 1);
		}
		fxbuf_char(b, '}', 1);
	}
	fxbuf_char(b, '}', 1);
}

/* [{"id":serial,"exchange":..,"symbols":[canonical names it streams]},...]
 * for every open connection, oldest first. */
static void conns(struct fxbuf *b)
{
	const struct fx_session *list[256];
	unsigned n = 0;
	for (const struct fx_session *s = fx.sessions; s && n < 256; s = s->next)
		list[n++] = s; /* newest first */
	fxbuf_char(b, '[', 1);
	for (unsigned i = 0; i < n; i++) {
		const struct fx_session *s = list[n - 1 - i];
		fxbuf_put(b, i ? ",{\"id\":" : "{\"id\":");
		fxbuf_u64(b, s->serial);
		fxbuf_put(b, ",\"exchange\":\"");
		fxbuf_put(b, s->ex->proto->name);
		fxbuf_put(b, "\",\"symbols\":[");
		bool first = true;
		for (unsigned k = 0; k < s->nsubs; k++) {
			if (s->subs[k].kind != FX_QUOTES)
				continue;
			fxbuf_put(b, first ? "\"" : ",\"");
			fxbuf_put(b, fx.symbols[s->subs[k].sym].canon);
			fxbuf_char(b, '"', 1);
			first = false;
		}
		fxbuf_put(b, "]}");
	}
	fxbuf_char(b, ']', 1);
}

static const struct fx_exchange *exchange_named(const char *name)
{
	for (unsigned e = 0; e < fx.nexchanges; e++)
		if (strcmp(fx.exchanges[e].proto->name, name) == 0)
			return &fx.exchanges[e];
	return NULL;
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

	if (strncmp(line, "sent ", 5) == 0) {
		const struct fx_exchange *ex = exchange_named(line + 5);
		if (!ex) {
			fxbuf_put(out, "err usage: sent EXCHANGE (one this server serves)\n");
			return;
		}
		sent(out, ex);
		fxbuf_char(out, '\n', 1);
		return;
	}
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
	} else if (strcmp(word, "conns") == 0) {
		conns(out);
		fxbuf_char(out, '\n', 1);
	} else if ((strcmp(word, "stall") == 0 || strcmp(word, "refuse") == 0 || strcmp(word, "quiet") == 0) &&
		   has_n) {
		int64_t *until = word[0] == 's' ? &fx.stall_until_ns : word[0] == 'r' ? &fx.refuse_until_ns
											: &fx.quiet_until_ns;
		*until = now + (int64_t)n * 1000000;
		fxbuf_put(out, "ok\n");
	} else if (strcmp(word, "silence") == 0 && has_n) {
		fx_silence((int64_t)n);
		fxbuf_put(out, "ok\n");
	} else if (strcmp(word, "drop") == 0 && has_n) {
		int rc = fx_drop((unsigned)n);
		fxbuf_put(out, rc == 0 ? "ok\n" : rc == -ENOENT ? "err no such connection\n" : "err shutdown failed\n");
	} else if (strcmp(word, "rate") == 0 && has_n) {
		fx_set_rate((double)n);
		fxbuf_put(out, "ok\n");
	} else if (strcmp(word, "clear") == 0) {
		memset(fx.faults, 0, sizeof fx.faults);
		fx.stall_until_ns = fx.refuse_until_ns = fx.quiet_until_ns = 0;
		for (struct fx_session *s = fx.sessions; s; s = s->next)
			s->silent_until_ns = 0; /* the tick brings them back to life */
		fxbuf_put(out, "ok\n");
	} else if (strcmp(word, "ping") == 0) {
		fxbuf_put(out, "pong\n");
	} else {
		fxbuf_put(out, "err unknown command (close, stall MS, quiet MS, silence MS, drop ID, malformed N, "
			       "oversize N, binary N, duplicate N, out_of_order N, crossed N, shutdown_notice, refuse MS, "
			       "rate R, clear, stats, sent EXCHANGE, conns, ping)\n");
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
