// Reads the writer's Parquet output with two independent readers (DuckDB
// and hyparquet) and checks it against what the test fed. Usage:
//   node check.mjs values DATA_DIR SPEC.json   every value, types, stats, encodings
//   node check.mjs seqs DATA_DIR SPEC.json     bus_seq coverage only (crash test)
//   node check.mjs generations DATA_DIR -      bus_seq ranges per ring generation
// SPEC: {"ts_base":"..","ts_step":"..","exchanges":{"NAME":{"symbols":[..],"first":0,"ticks":N}},
//        "min_row_groups":N}
import fs from 'node:fs'
import path from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { parquetMetadata, parquetRead } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { expectedRow, TIMESTAMP_COLUMNS, STRING_COLUMNS, DATASETS, OPTIONAL_COLUMNS } from './expected.mjs'

const [mode, dataDir, specPath] = process.argv.slice(2)
const spec = mode === 'generations' ? { ts_base: 0, ts_step: 0, exchanges: {} } : JSON.parse(fs.readFileSync(specPath, 'utf8'))
const tsBase = BigInt(spec.ts_base)
const tsStep = BigInt(spec.ts_step)
const failures = []
const fail = (msg) => { if (failures.length < 50) failures.push(msg) }
const parsers = { timestampFromNanoseconds: (ns) => ns }

function listFiles(dir) {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f)).filter((f) => f.endsWith('.parquet')).sort()
}

function same(a, b) {
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null)
  if (typeof a === 'bigint' || typeof b === 'bigint') return BigInt(a) === BigInt(b)
  return Object.is(a, b) || a === b
}

async function duckdb() {
  const db = await DuckDBInstance.create(':memory:')
  const con = await db.connect()
  return async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJS()
}

// "2026-01-01 00:00:00.00075+00" -> microseconds since the epoch (BigInt)
function duckdbMicros(text) {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/.exec(text)
  if (!m) return `unparsed ${text}`
  return BigInt(Date.parse(`${m[1]}T${m[2]}Z`)) * 1000n + BigInt((m[3] ?? '').padEnd(6, '0'))
}

function glob(dataset) {
  return `read_parquet('${dataDir}/${dataset}/**/*.parquet', hive_partitioning=true, union_by_name=false)`
}

// Each row stands for its bus_seq; a reader_lapped gap row stands for the
// lost range [bus_seq, bus_seq + lost). Together they must tile
// [first, first + ticks) exactly: no hole, no overlap, no duplicate.
async function checkCoverage(q) {
  for (const [exchange, ex] of Object.entries(spec.exchanges)) {
    const parts = DATASETS.filter((d) => listFiles(path.join(dataDir, d)).length > 0).map((d) => d === 'gaps'
      ? `SELECT bus_seq AS lo, bus_seq + CASE WHEN reason = 'reader_lapped' THEN lost ELSE 1 END AS hi, reason = 'reader_lapped' AS lapped, lost FROM ${glob(d)} WHERE exchange = '${exchange}'`
      : `SELECT bus_seq AS lo, bus_seq + 1 AS hi, false AS lapped, 0 AS lost FROM ${glob(d)} WHERE exchange = '${exchange}'`)
    if (parts.length === 0) { fail(`${exchange}: no files at all`); continue }
    const [r] = await q(`WITH r AS (${parts.join(' UNION ALL ')}),
      o AS (SELECT lo, hi, lapped, lost, lag(hi) OVER (ORDER BY lo, hi) AS prev FROM r)
      SELECT count(*) AS n, min(lo) AS lo, max(hi) AS hi, count(*) FILTER (WHERE prev IS NOT NULL AND prev <> lo) AS breaks,
             count(*) FILTER (WHERE lapped) AS lapped_rows, coalesce(sum(lost) FILTER (WHERE lapped), 0) AS lapped_lost FROM o`)
    const first = BigInt(ex.first ?? 0), n = BigInt(ex.ticks)
    const got = { n: BigInt(r.n), lo: BigInt(r.lo ?? -1), hi: BigInt(r.hi ?? -1), breaks: BigInt(r.breaks), lappedRows: BigInt(r.lapped_rows), lost: BigInt(r.lapped_lost) }
    if (got.breaks !== 0n || got.lo !== first || got.hi !== first + n)
      fail(`${exchange}: bus_seq ${got.lo}..${got.hi - 1n} in ${got.n} rows with ${got.breaks} holes/overlaps, expected exactly ${first}..${first + n - 1n} once`)
    else if (got.lappedRows > 0n && !spec.allow_lapped)
      fail(`${exchange}: ${got.lappedRows} reader_lapped gap rows (${got.lost} lost) where none were allowed`)
    else if (spec.expect_lost !== undefined && got.lost !== BigInt(spec.expect_lost[exchange] ?? 0))
      fail(`${exchange}: reader_lapped gap rows account for ${got.lost} lost ticks, expected ${spec.expect_lost[exchange]}`)
    else console.log(`${exchange}: bus_seq ${first}..${first + n - 1n}: every one exactly once${got.lost ? ` (${got.lost} of them lost to lapping, in ${got.lappedRows} reader_lapped gap rows)` : ''} (DuckDB)`)
  }
}

// DuckDB: every row of every dataset equals the expected row (timestamps at
// DuckDB's microsecond precision), hive columns, logical types, statistics.
async function checkDuckdb(q, rowGroupStats) {
  for (const dataset of DATASETS) {
    if (listFiles(path.join(dataDir, dataset)).length === 0) continue
    const rows = await q(`SELECT * REPLACE (${[...TIMESTAMP_COLUMNS].filter((c) => dataset === 'gaps' ? c.startsWith('ts_s') || c === 'ts_end' : !c.startsWith('ts_s') && c !== 'ts_end').map((c) => `epoch_us(${c}) AS ${c}`).join(', ')}) FROM ${glob(dataset)}`)
    let checked = 0
    for (const row of rows) {
      const ex = spec.exchanges[row.exchange]
      if (!ex) { fail(`duckdb ${dataset}: unknown exchange ${row.exchange}`); continue }
      const want = expectedRow(row.exchange, ex.symbols, row.bus_seq, tsBase, tsStep)
      if (want.dataset !== dataset) { fail(`duckdb: bus_seq ${row.bus_seq} in ${dataset}, expected ${want.dataset}`); continue }
      for (const [col, v] of Object.entries(want.row)) {
        const expect = TIMESTAMP_COLUMNS.has(col) && v !== null ? v / 1000n : v
        if (!same(row[col], expect)) fail(`duckdb ${dataset} ${row.exchange} bus_seq ${row.bus_seq} ${col}: got ${row[col]} want ${expect}`)
      }
      const day = new Date(Number(want.row.ts_recv ?? want.row.ts_end) / 1e6).toISOString().slice(0, 10)
      const hiveDate = row.date instanceof Date ? row.date.toISOString().slice(0, 10) : String(row.date)
      if (hiveDate !== day) fail(`duckdb ${dataset} bus_seq ${row.bus_seq}: partition date ${hiveDate}, ts_recv says ${day}`)
      checked++
    }
    console.log(`duckdb ${dataset}: ${checked} rows equal to what was fed`)
    const types = await q(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${glob(dataset)})`)
    for (const t of types) {
      if (TIMESTAMP_COLUMNS.has(t.column_name) && t.column_type !== 'TIMESTAMP WITH TIME ZONE')
        fail(`duckdb ${dataset}.${t.column_name}: type ${t.column_type}`)
    }
    const file = listFiles(path.join(dataDir, dataset))[0]
    const schema = await q(`SELECT name, logical_type FROM parquet_schema('${file}')`)
    for (const s of schema) {
      if (TIMESTAMP_COLUMNS.has(s.name) && !/isAdjustedToUTC=1.*NANOS=NanoSeconds/.test(s.logical_type ?? ''))
        fail(`duckdb parquet_schema ${dataset}.${s.name}: ${s.logical_type}`)
      if (STRING_COLUMNS.has(s.name) && !/StringType/.test(s.logical_type ?? '')) fail(`duckdb parquet_schema ${dataset}.${s.name}: ${s.logical_type}`)
    }
    const meta = await q(`SELECT file_name, row_group_id, path_in_schema AS col, stats_min_value AS lo, stats_max_value AS hi, stats_null_count AS nulls, compression, encodings, dictionary_page_offset AS dict FROM parquet_metadata('${dataDir}/${dataset}/**/*.parquet')`)
    let statsChecked = 0
    for (const m of meta) {
      if (m.compression !== 'ZSTD') fail(`duckdb ${m.file_name} ${m.col}: compression ${m.compression}`)
      const st = rowGroupStats.get(`${path.resolve(m.file_name)}#${m.row_group_id}#${m.col}`)
      if (!st) { fail(`duckdb: no hyparquet stats for ${m.file_name} rg ${m.row_group_id} ${m.col}`); continue }
      if (BigInt(m.nulls ?? 0) !== BigInt(st.nulls)) fail(`duckdb ${m.file_name} ${m.col}: null_count ${m.nulls}, ${st.nulls} NULLs stored`)
      if (STRING_COLUMNS.has(m.col) && (!/RLE_DICTIONARY/.test(m.encodings) || m.dict === null)) fail(`duckdb ${m.file_name} ${m.col}: not dictionary encoded (${m.encodings})`)
      // DuckDB prints timestamp statistics at microseconds (hyparquet checks the nanoseconds)
      const conv = TIMESTAMP_COLUMNS.has(m.col) ? duckdbMicros : STRING_COLUMNS.has(m.col) ? String : typeof st.min === 'bigint' ? BigInt : Number
      if (st.min === undefined) { // every value NULL: no min/max
        if (m.lo !== null || m.hi !== null) fail(`duckdb stats ${m.file_name} rg ${m.row_group_id} ${m.col}: [${m.lo}, ${m.hi}] for a chunk of NULLs`)
        continue
      }
      const want = TIMESTAMP_COLUMNS.has(m.col) ? { min: st.min / 1000n, max: st.max / 1000n } : st
      if (!same(conv(m.lo), want.min) || !same(conv(m.hi), want.max)) fail(`duckdb stats ${m.file_name} rg ${m.row_group_id} ${m.col}: [${m.lo}, ${m.hi}] but values span [${st.min}, ${st.max}]`)
      statsChecked++
    }
    console.log(`duckdb ${dataset}: ${meta.length} column chunks: zstd, dictionary strings, null counts as stored; ${statsChecked} min/max match the data`)
  }
}

// hyparquet: exact values (nanosecond timestamps), schema, per row group
// statistics against the values actually stored.
async function checkHyparquet() {
  const stats = new Map()
  let rowGroups = 0
  for (const dataset of DATASETS) {
    for (const file of listFiles(path.join(dataDir, dataset))) {
      const buf = fs.readFileSync(file)
      const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
      const md = parquetMetadata(ab, { parsers })
      for (const el of md.schema.slice(1)) {
        if (TIMESTAMP_COLUMNS.has(el.name) && !(el.logical_type?.type === 'TIMESTAMP' && el.logical_type.isAdjustedToUTC === true && el.logical_type.unit === 'NANOS'))
          fail(`hyparquet ${file} ${el.name}: logical type ${JSON.stringify(el.logical_type)}`)
        if (STRING_COLUMNS.has(el.name) && (el.logical_type?.type !== 'STRING' || el.converted_type !== 'UTF8')) fail(`hyparquet ${file} ${el.name}: not STRING/UTF8`)
        const repetition = OPTIONAL_COLUMNS.has(`${dataset}.${el.name}`) ? 'OPTIONAL' : 'REQUIRED'
        if (el.repetition_type !== repetition) fail(`hyparquet ${file} ${el.name}: ${el.repetition_type}, expected ${repetition}`)
      }
      let rows
      await parquetRead({ file: ab, compressors, parsers, rowFormat: 'object', onComplete: (r) => { rows = r } })
      let offset = 0
      md.row_groups.forEach((rg, gi) => {
        rowGroups++
        const n = Number(rg.num_rows)
        const slice = rows.slice(offset, offset + n)
        offset += n
        for (const cc of rg.columns) {
          const col = cc.meta_data.path_in_schema[0]
          let lo, hi
          let nulls = 0
          for (const r of slice) {
            const v = r[col]
            if (v === null || v === undefined) { nulls++; continue }
            if (lo === undefined || v < lo) lo = v
            if (hi === undefined || v > hi) hi = v
          }
          const s = cc.meta_data.statistics
          if (!s || !same(s.min_value, lo) || !same(s.max_value, hi)) fail(`hyparquet ${file} rg ${gi} ${col}: stats [${s?.min_value}, ${s?.max_value}] but values span [${lo}, ${hi}]`)
          if (!s || BigInt(s.null_count ?? 0) !== BigInt(nulls)) fail(`hyparquet ${file} rg ${gi} ${col}: null_count ${s?.null_count}, ${nulls} NULLs read`)
          stats.set(`${path.resolve(file)}#${gi}#${col}`, { min: lo, max: hi, nulls })
        }
      })
      const exchange = path.basename(path.dirname(file)).replace('exchange=', '')
      for (const r of rows) {
        const want = expectedRow(exchange, spec.exchanges[exchange].symbols, r.bus_seq, tsBase, tsStep)
        if (want.dataset !== dataset) { fail(`hyparquet ${file}: bus_seq ${r.bus_seq} belongs in ${want.dataset}`); continue }
        for (const [col, v] of Object.entries(want.row))
          if (!same(r[col], v)) fail(`hyparquet ${file} bus_seq ${r.bus_seq} ${col}: got ${r[col]} want ${v}`)
      }
      console.log(`hyparquet ${path.relative(dataDir, file)}: ${rows.length} rows in ${md.row_groups.length} row groups equal to what was fed`)
    }
  }
  if (rowGroups < (spec.min_row_groups ?? 0)) fail(`only ${rowGroups} row groups, expected at least ${spec.min_row_groups}`)
  return stats
}

// Per exchange and ring generation (the first number in file names):
// rows, distinct bus_seq, min, max; one JSON line each.
async function printGenerations(q) {
  const parts = DATASETS.filter((d) => listFiles(path.join(dataDir, d)).length > 0)
    .map((d) => `SELECT exchange, regexp_extract(filename, 'part-([0-9]+)-', 1) AS gen, bus_seq FROM read_parquet('${dataDir}/${d}/**/*.parquet', hive_partitioning=true, filename=true)`)
  const rows = await q(`SELECT exchange, gen, count(*) AS n, count(DISTINCT bus_seq) AS d, min(bus_seq) AS lo, max(bus_seq) AS hi FROM (${parts.join(' UNION ALL ')}) GROUP BY ALL ORDER BY exchange, gen`)
  for (const r of rows) console.log(JSON.stringify({ exchange: r.exchange, gen: r.gen, n: Number(r.n), distinct: Number(r.d), lo: Number(r.lo), hi: Number(r.hi) }))
}

const q = await duckdb()
if (mode === 'generations') {
  await printGenerations(q)
  process.exit(0)
}
if (mode === 'values') {
  const stats = await checkHyparquet()
  await checkDuckdb(q, stats)
}
await checkCoverage(q)
if (failures.length) {
  console.error(`FAILED (${failures.length}${failures.length === 50 ? '+' : ''} problems):\n  ${failures.join('\n  ')}`)
  process.exit(1)
}
console.log('OK')
