// Checks with DuckDB that every event the fake exchange sent is in the
// writer's Parquet output exactly once. Usage:
//   node sent_once.mjs DATA_DIR EXCHANGE SENT.json RING_TICKS
// SENT: {"<symbol as written>":{"quotes":[count,first_id,last_id],"trades":[...]}}
// (fakex's "sent" answer; a kind left out is not checked). Ids grow by one
// per event, so the server sent without a hole when count == last-first+1;
// Parquet must then hold each id in [first, last] of that symbol in one row
// (quotes: update_id, trades: trade_id_text). The quotes and trades of
// the exchange must also number RING_TICKS, what its ring held (quotes
// without ids included). Prints one JSON line per check; exits 1 if any
// fails.
import fs from 'node:fs'
import path from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'

const [dataDir, exchange, sentPath, ringTicks] = process.argv.slice(2)
const sent = JSON.parse(fs.readFileSync(sentPath, 'utf8'))
const db = await (await DuckDBInstance.create(':memory:')).connect()
const idColumn = { quotes: 'CAST(update_id AS HUGEINT)', trades: 'CAST(trade_id_text AS HUGEINT)' }
let bad = 0
for (const [symbol, kinds] of Object.entries(sent)) {
  for (const [kind, [count, first, last]] of Object.entries(kinds)) {
    const glob = path.join(dataDir, kind, '*', `exchange=${exchange}`, '*.parquet')
    const reader = await db.runAndReadAll(
      `SELECT count(*)::BIGINT AS rows, count(DISTINCT id)::BIGINT AS ids FROM
         (SELECT ${idColumn[kind]} AS id FROM read_parquet('${glob}', hive_partitioning = false)
          WHERE symbol = $sym AND ${idColumn[kind]} BETWEEN $first AND $last)`,
      { sym: symbol, first: BigInt(first), last: BigInt(last) })
    const [rows, ids] = reader.getRows()[0].map(Number)
    const ok = count > 0 && count === last - first + 1 && rows === count && ids === count
    if (!ok) bad++
    console.log(JSON.stringify({ symbol, kind, sent: count, first, last, rows, ids, ok }))
  }
}
let rows = 0
for (const kind of ['quotes', 'trades']) {
  const glob = path.join(dataDir, kind, '*', `exchange=${exchange}`, '*.parquet')
  const reader = await db.runAndReadAll(`SELECT count(*)::BIGINT FROM read_parquet('${glob}', hive_partitioning = false)`)
  rows += Number(reader.getRows()[0][0])
}
if (rows !== Number(ringTicks)) bad++
console.log(JSON.stringify({ total: true, rows, ring_ticks: Number(ringTicks), ok: rows === Number(ringTicks) }))
process.exit(bad ? 1 : 0)
