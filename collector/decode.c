/* --decode: captured frames (one per line; gzip members for HTX) through the pipeline, printed
 * as one JSON line per tick, control frame or reject; with --instruments, the
 * instruments' tick and lot sizes checked too. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/pipeline.h"
#include "collector/run.h"
#include "common/jsonw.h"
#include "common/log.h"
#include "shm/tick_json.h"

/* Symbols an open (config-less) decode accepts; frame limit without a config. */
#define DECODE_MAX_SYMBOLS 4096
#define DECODE_MAX_FRAME_BYTES 65536

/* One output line; a line that does not fit (it always does) is dropped
 * with a log message rather than printed half. */
static void emit(FILE *out, struct jsonw *w)
{
	size_t len;
	jsonw_object_end(w);
	if (jsonw_finish(w, &len) < 0) {
		log_err("decode: output line too long");
		return;
	}
	fwrite(w->buf, 1, len, out);
	fputc('\n', out);
}

static void print_tick(FILE *out, const char *exchange, const struct symmap *m, const struct tick *t)
{
	char buf[512];
	struct jsonw w;
	const struct symmap_entry *e = symmap_by_id(m, t->symbol_id);
	jsonw_init(&w, buf, sizeof(buf));
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "exchange", exchange);
	jsonw_kv_string(&w, "symbol", e ? e->canonical : "");
	jsonw_kv_string(&w, "kind", tick_kind_name(t));
	jsonw_kv_int64(&w, "ts_exchange_ns", t->ts_exchange_ns);
	tick_json_fields(&w, t);
	emit(out, &w);
}

static void print_one(FILE *out, const char *key, const char *what, const char *detail)
{
	char buf[256], text[FRAME_DETAIL_MAX + 32];
	struct jsonw w;
	snprintf(text, sizeof(text), "%s%s%s", what, detail && detail[0] ? ": " : "", detail ? detail : "");
	jsonw_init(&w, buf, sizeof(buf));
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, key, text);
	emit(out, &w);
}

static void decode_print(FILE *out, const char *exchange, const struct pipeline *p, enum frame_kind k)
{
	const struct frame_out *o = &p->out;
	if (k == FRAME_REJECT) {
		print_one(out, "reject", adapter_reject_reason_name(o->reject), NULL);
		return;
	}
	if (k == FRAME_CONTROL) {
		/* the text matters for errors, notices and unknown channels; a
		 * shutdown, an ack or a pong is just what it is */
		bool with_detail = o->control == CONTROL_ERROR || o->control == CONTROL_NOTICE ||
				   o->control == CONTROL_UNSUPPORTED || o->control == CONTROL_REPLY;
		print_one(out, "control", adapter_control_kind_name(o->control), with_detail ? o->detail : NULL);
		return;
	}
	for (size_t i = 0; i < o->n; i++) {
		if (p->verdict[i] == REJECT_NONE)
			print_tick(out, exchange, p->symbols, &o->ticks[i]);
		else
			print_one(out, "reject", adapter_reject_reason_name((enum reject_reason)p->verdict[i]), NULL);
	}
}

/* A capture of an adapter whose frames are gzip members (HTX): the members
 * back to back, one per frame (each frame's `gzip -c` appended), each
 * through the pipeline as the binary frame it was. */
static int decode_gzip_members(FILE *in, const char *path, const char *exchange, struct pipeline *p, FILE *out)
{
	static struct gunzip probe;
	static char scratch[PIPELINE_INFLATED_MAX];
	char *buf = NULL;
	size_t len = 0, cap = 0, n, used;
	int rc = 0;
	for (;;) {
		if (len == cap) {
			char *bigger = realloc(buf, cap ? cap * 2 : 65536);
			if (!bigger) {
				free(buf);
				log_err("decode: %s: out of memory", path);
				return -ENOMEM;
			}
			buf = bigger;
			cap = cap ? cap * 2 : 65536;
		}
		size_t got = fread(buf + len, 1, cap - len, in);
		len += got;
		if (got == 0)
			break;
	}
	for (size_t off = 0; off < len && rc == 0; off += used) {
		/* the member's length: inflated once here, once more in the pipeline */
		if (gunzip_frame(&probe, buf + off, len - off, scratch, sizeof(scratch), &n, &used) < 0) {
			log_err("decode: %s: no whole gzip member (of at most %zu bytes inflated) at byte %zu", path,
				sizeof(scratch), off);
			rc = -EINVAL;
			break;
		}
		decode_print(out, exchange, p, pipeline_frame(p, buf + off, used, true, 0));
	}
	free(buf);
	return rc;
}

static int decode_file(const char *path, const char *exchange, struct pipeline *p, FILE *out)
{
	FILE *in = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;
	if (!in) {
		rc = -errno;
		log_err("decode: cannot open %s: %s", path, strerror(errno));
		return rc;
	}
	if (p->adapter->gzip_frames) {
		rc = decode_gzip_members(in, path, exchange, p, out);
		if (rc == 0 && ferror(in))
			rc = -EIO;
		fclose(in);
		return rc;
	}
	while ((n = getline(&line, &cap, in)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		/* captures are old: no clock check here (max_skew_ns is 0) */
		enum frame_kind k = pipeline_frame(p, line, (size_t)n, false, 0);
		decode_print(out, exchange, p, k);
	}
	if (ferror(in)) {
		rc = -EIO;
		log_err("decode: read error on %s", path);
	}
	free(line);
	fclose(in);
	return rc;
}

/* --instruments: the metadata of a report file (common/instrument.h), as
 * the discovery thread would offer it. The jump rule stays off: a capture
 * has no receive times. */
static struct validate *decode_validate(const char *instruments_path)
{
	struct instrument_set set = { 0 };
	struct validate *v = NULL;
	char err[512];
	int rc = instrument_file_read(instruments_path, &set, err, sizeof(err));
	if (rc < 0)
		log_err("decode: %s", err);
	else if (!(v = validate_new(0)) || validate_offer(v, &set) < 0)
		log_err("decode: %s: out of memory", instruments_path);
	else
		validate_poll(v);
	instrument_set_free(&set);
	return v;
}

int collector_decode_main(const struct config *cfg, const char *name, const char *path, const char *instruments_path)
{
	const struct config_exchange *cx = cfg ? config_exchange_find(cfg, name) : NULL;
	const struct adapter *a = adapter_find(cx && cx->adapter[0] ? cx->adapter : name);
	struct symmap symbols;
	struct pipeline *p = NULL;
	int rc = 1;
	if (cfg && !cx) {
		log_err("decode: no [exchange.%s] section in %s", name, cfg->path);
		return 1;
	}
	if (!a) {
		log_err("decode: no adapter for '%s' ("
			"binance, binance-usdm, bitget, bybit, coinbase, deribit, gateio, htx, kraken, okx)", name);
		return 1;
	}
	/* without a config every well-formed symbol is accepted; ids are local */
	if (symmap_init(&symbols, a, cx ? cx->symbol_count : DECODE_MAX_SYMBOLS, cx == NULL) < 0)
		return 1;
	for (size_t i = 0; cx && i < cx->symbol_count; i++)
		if (symmap_add(&symbols, cx->symbols[i], (uint16_t)(i + 1)) < 0) {
			log_err("decode: symbol %s cannot be named on %s", cx->symbols[i], a->name);
			goto out;
		}
	p = malloc(sizeof(*p));
	if (!p)
		goto out;
	pipeline_init(p, a, &symbols, 1, cx ? cx->max_frame_bytes : DECODE_MAX_FRAME_BYTES, 0);
	if (instruments_path && !(p->validate = decode_validate(instruments_path)))
		goto out;
	rc = decode_file(path, name, p, stdout) < 0 ? 1 : 0;
	fflush(stdout);
out:
	if (p)
		validate_free(p->validate);
	free(p);
	symmap_free(&symbols);
	return rc;
}
