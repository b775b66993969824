// tests/chaos/parquet_check.cjs: after a chaos run, reads the writer's
// Parquet files with DuckDB and checks each exchange's bus_seq coverage.
// Usage (DuckDB from tests/parquet_readers, via NODE_PATH):
//   NODE_PATH=tests/parquet_readers/node_modules node parquet_check.cjs DATA_DIR '{"b1":HEAD,...}'
// For each exchange: quotes, trades and gaps together hold every bus_seq of
// [0, HEAD) exactly once, no reader_lapped row; prints one JSON line per
// exchange with the row counts, gap rows per reason and ticks_lost (bus_seq
// of [0, HEAD) that no file holds); exit 1 on a failure.
const fs = require('node:fs')
const path = require('node:path')
const { DuckDBInstance } = require('@duckdb/node-api')

async function main() {
  const [dataDir, headsJson] = process.argv.slice(2)
  const heads = JSON.parse(headsJson)
  const db = await DuckDBInstance.create(':memory:')
  const con = await db.connect()
  const q = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJS()
  const datasets = ['quotes', 'trades', 'gaps'].filter((d) => fs.existsSync(path.join(dataDir, d)))
  const src = (d, cols) => `SELECT ${cols} FROM read_parquet('${dataDir}/${d}/**/*.parquet', hive_partitioning=true)`
  const all = datasets.map((d) => src(d, `exchange, bus_seq, '${d}' AS dataset${d === 'gaps' ? ', reason' : ", '' AS reason"}`)).join(' UNION ALL ')
  // Every published tick (bus_seq below the ring's head) that no row holds.
  const headRows = Object.entries(heads).map(([e, h]) => `('${e}', ${Number(h)})`).join(', ')
  const lost = new Map((await q(`WITH heads(exchange, head) AS (VALUES ${headRows}),
      held AS (SELECT DISTINCT exchange, bus_seq FROM (${all}))
    SELECT h.exchange, h.head - count(held.bus_seq) AS ticks_lost FROM heads h
      LEFT JOIN held ON held.exchange = h.exchange AND held.bus_seq >= 0 AND held.bus_seq < h.head
    GROUP BY h.exchange, h.head`)).map((r) => [r.exchange, Number(r.ticks_lost)]))
  const rows = await q(`SELECT exchange, count(*) AS n, count(DISTINCT bus_seq) AS d, min(bus_seq) AS lo, max(bus_seq) AS hi,
      count(*) FILTER (WHERE dataset = 'quotes') AS quotes, count(*) FILTER (WHERE dataset = 'trades') AS trades,
      count(*) FILTER (WHERE reason = 'collector_start') AS gap_collector_start,
      count(*) FILTER (WHERE reason = 'reader_lapped') AS gap_reader_lapped,
      count(*) FILTER (WHERE dataset = 'gaps' AND reason NOT IN ('collector_start', 'reader_lapped')) AS gap_other
    FROM (${all}) GROUP BY exchange ORDER BY exchange`)
  const byName = new Map(rows.map((r) => [r.exchange, r]))
  let failed = 0
  for (const [exchange, head] of Object.entries(heads)) {
    const r = byName.get(exchange)
    const out = r ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) : { exchange, n: 0 }
    out.head = head
    out.ticks_lost = lost.get(exchange)
    const problems = []
    if (out.ticks_lost !== 0) problems.push(`${out.ticks_lost} of ${head} ticks in no file`)
    if (!r) problems.push('no rows')
    else {
      if (out.n !== head) problems.push(`${out.n} rows for ${head} ticks`)
      if (out.d !== out.n) problems.push(`${out.n - out.d} duplicate bus_seq`)
      if (out.lo !== 0 || out.hi !== head - 1) problems.push(`bus_seq ${out.lo}..${out.hi}, expected 0..${head - 1}`)
      if (out.gap_reader_lapped !== 0) problems.push(`${out.gap_reader_lapped} reader_lapped rows`)
    }
    out.ok = problems.length === 0
    if (!out.ok) { out.problems = problems; failed++ }
    console.log(JSON.stringify(out))
  }
  process.exit(failed ? 1 : 0)
}

main().catch((e) => { console.error(e); process.exit(1) })
