/* Schemas of quotes, trades and gaps, and the tick -> row mapping. Column
 * order here is the order in the files (and in docs/parquet.md). */
#include "writer/dataset.h"

#include <string.h>

#include "shm/trade_id.h"

enum { Q_TS_EXCHANGE, Q_TS_RECV, Q_EXCHANGE, Q_SYMBOL, Q_BID_PX, Q_BID_QTY, Q_ASK_PX, Q_ASK_QTY, Q_UPDATE_ID, Q_BUS_SEQ };
static const struct parquet_column_def quote_cols[] = {
	{"ts_exchange", PARQUET_COL_TIMESTAMP_NS}, {"ts_recv", PARQUET_COL_TIMESTAMP_NS},
	{"exchange", PARQUET_COL_STRING},          {"symbol", PARQUET_COL_STRING},
	{"bid_px", PARQUET_COL_DOUBLE},            {"bid_qty", PARQUET_COL_DOUBLE},
	{"ask_px", PARQUET_COL_DOUBLE},            {"ask_qty", PARQUET_COL_DOUBLE},
	{"update_id", PARQUET_COL_INT64},          {"bus_seq", PARQUET_COL_INT64},
};

enum { T_TS_EXCHANGE, T_TS_RECV, T_EXCHANGE, T_SYMBOL, T_PX, T_QTY, T_SIDE, T_TRADE_ID, T_BUS_SEQ, T_TRADE_ID_TEXT };
static const struct parquet_column_def trade_cols[] = {
	{"ts_exchange", PARQUET_COL_TIMESTAMP_NS}, {"ts_recv", PARQUET_COL_TIMESTAMP_NS},
	{"exchange", PARQUET_COL_STRING},          {"symbol", PARQUET_COL_STRING},
	{"px", PARQUET_COL_DOUBLE},                {"qty", PARQUET_COL_DOUBLE},
	{"side", PARQUET_COL_STRING},              {"trade_id", PARQUET_COL_INT64, .optional = 1},
	{"bus_seq", PARQUET_COL_INT64},            {"trade_id_text", PARQUET_COL_STRING},
};

enum { G_TS_START, G_TS_END, G_EXCHANGE, G_REASON, G_LOST, G_BUS_SEQ, G_RECOVERED, G_SYMBOL };
static const struct parquet_column_def gap_cols[] = {
	{"ts_start", PARQUET_COL_TIMESTAMP_NS, .optional = 1}, {"ts_end", PARQUET_COL_TIMESTAMP_NS},
	{"exchange", PARQUET_COL_STRING},                     {"reason", PARQUET_COL_STRING},
	{"lost", PARQUET_COL_INT64},            {"bus_seq", PARQUET_COL_INT64},
	{"recovered", PARQUET_COL_INT64, .optional = 1}, {"symbol", PARQUET_COL_STRING, .optional = 1},
};

static const struct parquet_schema schemas[DATASET_COUNT] = {
	[DATASET_QUOTES] = {sizeof(quote_cols) / sizeof(quote_cols[0]), quote_cols},
	[DATASET_TRADES] = {sizeof(trade_cols) / sizeof(trade_cols[0]), trade_cols},
	[DATASET_GAPS] = {sizeof(gap_cols) / sizeof(gap_cols[0]), gap_cols},
};

static const char *const names[DATASET_COUNT] = {"quotes", "trades", "gaps"};

const char *dataset_name(enum dataset d)
{
	return names[d];
}

const struct parquet_schema *dataset_schema(enum dataset d)
{
	return &schemas[d];
}

enum dataset dataset_of(const struct tick *t)
{
	if (t->kind == TICK_QUOTE)
		return DATASET_QUOTES;
	if (tick_is_trade(t))
		return DATASET_TRADES;
	return DATASET_GAPS;
}

static int put_str(struct parquet_writer *w, size_t col, const char *s)
{
	return parquet_writer_put_string(w, col, s, strlen(s));
}

/* trade_id_text is the exchange's own text; trade_id its number where the
 * text is a plain decimal that INT64 holds, NULL otherwise (docs/parquet.md) */
static int put_trade_id(struct parquet_writer *w, const struct tick *t)
{
	struct trade_id id = trade_id_of_tick(t);
	char text[TRADE_ID_TEXT_MAX + 1];
	uint64_t v;
	size_t len = trade_id_format(&id, text);
	if (trade_id_u64(&id, &v) && v <= INT64_MAX)
		parquet_writer_put_i64(w, T_TRADE_ID, (int64_t)v);
	else
		parquet_writer_put_null(w, T_TRADE_ID);
	return parquet_writer_put_string(w, T_TRADE_ID_TEXT, text, len);
}

int dataset_add_row(struct parquet_writer *w, enum dataset d, const struct tick *t, uint64_t bus_seq,
		    const char *exchange, const char *symbol)
{
	int rc;
	switch (d) {
	case DATASET_QUOTES:
		parquet_writer_put_i64(w, Q_TS_EXCHANGE, t->ts_exchange_ns);
		parquet_writer_put_i64(w, Q_TS_RECV, t->ts_recv_ns);
		if ((rc = put_str(w, Q_EXCHANGE, exchange)) < 0 || (rc = put_str(w, Q_SYMBOL, symbol)) < 0)
			return rc;
		parquet_writer_put_double(w, Q_BID_PX, t->u.quote.bid_px);
		parquet_writer_put_double(w, Q_BID_QTY, t->u.quote.bid_qty);
		parquet_writer_put_double(w, Q_ASK_PX, t->u.quote.ask_px);
		parquet_writer_put_double(w, Q_ASK_QTY, t->u.quote.ask_qty);
		parquet_writer_put_i64(w, Q_UPDATE_ID, (int64_t)t->update_id);
		parquet_writer_put_i64(w, Q_BUS_SEQ, (int64_t)bus_seq);
		break;
	case DATASET_TRADES:
		parquet_writer_put_i64(w, T_TS_EXCHANGE, t->ts_exchange_ns);
		parquet_writer_put_i64(w, T_TS_RECV, t->ts_recv_ns);
		if ((rc = put_str(w, T_EXCHANGE, exchange)) < 0 || (rc = put_str(w, T_SYMBOL, symbol)) < 0 ||
		    (rc = put_str(w, T_SIDE, tick_trade_side_name(t))) < 0)
			return rc;
		parquet_writer_put_double(w, T_PX, t->u.trade.px);
		parquet_writer_put_double(w, T_QTY, t->u.trade.qty);
		parquet_writer_put_i64(w, T_BUS_SEQ, (int64_t)bus_seq);
		if ((rc = put_trade_id(w, t)) < 0)
			return rc;
		break;
	case DATASET_GAPS:
	default:
		/* A gap whose start is unknown (a collector's first start, a
		 * writer that lapped before its first tick) says 0: NULL, never
		 * the epoch. */
		if (t->kind != TICK_GAP)
			parquet_writer_put_i64(w, G_TS_START, t->ts_recv_ns);
		else if (t->u.gap.ts_start_ns == 0)
			parquet_writer_put_null(w, G_TS_START);
		else
			parquet_writer_put_i64(w, G_TS_START, t->u.gap.ts_start_ns);
		parquet_writer_put_i64(w, G_TS_END, t->kind == TICK_GAP ? t->u.gap.ts_end_ns : t->ts_recv_ns);
		if ((rc = put_str(w, G_EXCHANGE, exchange)) < 0 ||
		    (rc = put_str(w, G_REASON, t->kind == TICK_GAP ? tick_gap_reason_name(t->u.gap.reason) : "unknown")) < 0)
			return rc;
		parquet_writer_put_i64(w, G_LOST, t->kind == TICK_GAP ? (int64_t)t->update_id : 0);
		parquet_writer_put_i64(w, G_BUS_SEQ, (int64_t)bus_seq);
		/* only a backfill row reports a repair (lost: what is still missing) */
		if (t->kind == TICK_GAP && t->u.gap.reason == GAP_BACKFILL)
			parquet_writer_put_i64(w, G_RECOVERED, t->u.gap.recovered);
		else
			parquet_writer_put_null(w, G_RECOVERED);
		/* symbol id 0: a gap of a whole connection (a collector's
		 * start) or of the writer's own reading, not of one symbol */
		if (t->symbol_id == 0)
			parquet_writer_put_null(w, G_SYMBOL);
		else if ((rc = put_str(w, G_SYMBOL, symbol)) < 0)
			return rc;
		break;
	}
	return parquet_writer_end_row(w);
}
