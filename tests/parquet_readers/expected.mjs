// The row the writer must have recorded for a bus_seq fed by
// spreadbus-writer-feed (mirror of tests/integration/writer_feed_tick.c).
const GAP_REASONS = ['disconnect', 'stall', 'server_shutdown', 'collector_start', 'reconnect_planned']
const SIDES = ['buy', 'sell', 'unknown']

export function expectedRow(exchange, symbols, seq, tsBase, tsStep) {
  const s = BigInt(seq)
  const n = Number(seq)
  const tsRecv = tsBase + s * tsStep
  const tsExchange = tsRecv - 250000n - (s % 1000n)
  if (n % 97 === 0) {
    const reason = GAP_REASONS[Math.floor(n / 97) % 5]
    // a collector_start gap has no known start and no symbol (it is the
    // whole connection's): NULL
    const whole = reason === 'collector_start'
    return {
      dataset: 'gaps',
      row: {
        ts_start: whole ? null : tsRecv - 1000000n, ts_end: tsRecv, exchange, reason, lost: s % 5n, bus_seq: s,
        symbol: whole ? null : symbols[n % symbols.length],
      },
    }
  }
  const symbol = symbols[n % symbols.length]
  if (n % 3 === 0) {
    return {
      dataset: 'trades',
      row: {
        ts_exchange: tsExchange, ts_recv: tsRecv, exchange, symbol,
        px: 100 + (n % 4096) / 64, qty: ((n % 1000) + 1) / 8,
        side: SIDES[Math.floor(n / 3) % 3], trade_id: s * 7n + 1n, bus_seq: s, trade_id_text: String(s * 7n + 1n),
      },
    }
  }
  const bid = 1000 + (n % 8192) / 128
  return {
    dataset: 'quotes',
    row: {
      ts_exchange: tsExchange, ts_recv: tsRecv, exchange, symbol,
      bid_px: bid, bid_qty: ((n % 777) + 1) / 16, ask_px: bid + 0.5, ask_qty: ((n % 333) + 1) / 4,
      update_id: s * 3n + 1n, bus_seq: s,
    },
  }
}

export const TIMESTAMP_COLUMNS = new Set(['ts_exchange', 'ts_recv', 'ts_start', 'ts_end'])
export const STRING_COLUMNS = new Set(['exchange', 'symbol', 'side', 'reason', 'trade_id_text'])
export const DATASETS = ['quotes', 'trades', 'gaps']
// Columns that may hold NULL, as dataset.column (every other one is REQUIRED).
export const OPTIONAL_COLUMNS = new Set(['gaps.ts_start', 'gaps.recovered', 'gaps.symbol', 'trades.trade_id'])
