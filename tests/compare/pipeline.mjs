// tests/compare/pipeline.mjs: the comparison pipeline of docs/BENCHMARKS.md.
// What spreadbus does, in one Node.js process with `ws` and `ioredis`: read
// Binance combined streams (bookTicker + trade), validate and convert the
// prices, keep the latest quote per (symbol, exchange), compute every ordered
// exchange pair's spread, conflate per symbol, publish PUBLISH + XADD + HSET.
//   node pipeline.mjs --redis-port P --symbols BTC-USDT,ETH-USDT NAME=ws://127.0.0.1:PORT ...
// Prints "frames N quotes N trades N rejects N published N" on SIGTERM and exits 0.
import WebSocket from 'ws'
import Redis from 'ioredis'

const args = process.argv.slice(2)
let redisPort = 6379
let symbols = ['BTC-USDT', 'ETH-USDT']
const exchanges = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--redis-port') redisPort = Number(args[++i])
  else if (args[i] === '--symbols') symbols = args[++i].split(',')
  else {
    const [name, url] = args[i].split('=')
    exchanges.push({ name, url })
  }
}
const STALE_NS = 5000n * 1000000n
const bySource = new Map(symbols.map((s) => [s.replace('-', ''), s]))
const streams = symbols.flatMap((s) => [`${s.replace('-', '').toLowerCase()}@bookTicker`, `${s.replace('-', '').toLowerCase()}@trade`])
const stats = { frames: 0, quotes: 0, trades: 0, rejects: 0, duplicates: 0, published: 0 }
// symbol -> { quotes: Map(exchange -> {bid, ask, recv, updateId}), update, dirty, recv }
const book = new Map(symbols.map((s) => [s, { quotes: new Map(), update: 0, dirty: false, recv: 0n }]))
const redis = new Redis({ port: redisPort, host: '127.0.0.1', enableOfflineQueue: true, maxRetriesPerRequest: 1 })
redis.on('error', () => {})
let inFlight = false

const nowNs = () => BigInt(Date.now()) * 1000000n + process.hrtime.bigint() % 1000000n

function price(text) {
  const v = Number(text)
  return typeof text === 'string' && Number.isFinite(v) && v > 0 ? v : NaN
}

function onQuote(exchange, d, recv) {
  const symbol = bySource.get(d.s)
  const bid = price(d.b), bidQty = price(d.B), ask = price(d.a), askQty = price(d.A)
  if (!symbol || !(bid < ask) || Number.isNaN(bidQty) || Number.isNaN(askQty) || !Number.isInteger(d.u)) { stats.rejects++; return }
  const entry = book.get(symbol)
  const prev = entry.quotes.get(exchange)
  if (prev && d.u <= prev.updateId) { stats.duplicates++; return }
  stats.quotes++
  entry.quotes.set(exchange, { bid, ask, recv, updateId: d.u })
  if (prev && prev.bid === bid && prev.ask === ask) return
  entry.recv = recv
  entry.update++
  entry.dirty = true
  scheduleFlush()
}

function onTrade(d) {
  const px = price(d.p), qty = price(d.q)
  if (!bySource.get(d.s) || Number.isNaN(px) || Number.isNaN(qty) || !Number.isInteger(d.t)) { stats.rejects++; return }
  stats.trades++
}

// Every ordered pair of fresh exchanges: buy on A's ask, sell on B's bid;
// the message carries the best pair and the pair count (schema 2, README
// section 4; no window kept here).
function message(symbol, entry) {
  const fresh = [...entry.quotes].filter(([, q]) => entry.recv - q.recv <= STALE_NS)
  let best = null, count = 0
  for (const [a, qa] of fresh) {
    for (const [b, qb] of fresh) {
      if (a === b) continue
      count++
      const spreadBps = ((qb.bid - qa.ask) / qa.ask) * 10000
      if (!best || spreadBps > best.spread_bps) best = { buy: a, sell: b, ask: qa.ask, bid: qb.bid, spread_bps: spreadBps }
    }
  }
  return `{"schema":2,"symbol":"${symbol}","update":${entry.update},"ts_recv_ns":${entry.recv},"pairs":${count}` +
    (best ? `,"buy":"${best.buy}","sell":"${best.sell}","ask":${best.ask},"bid":${best.bid},"spread_bps":${best.spread_bps}` : '') + '}'
}

// Sent at once when nothing is in flight; otherwise newer updates wait
// (conflated) until the pipeline is answered, like the aggregator's
// one-update-per-symbol-in-flight rule.
function scheduleFlush() {
  if (!inFlight) flush()
}

// One pipeline with every dirty symbol.
function flush() {
  const p = redis.pipeline()
  let n = 0
  for (const [symbol, entry] of book) {
    if (!entry.dirty) continue
    entry.dirty = false
    const msg = message(symbol, entry)
    p.publish(`spread:${symbol}`, msg)
    p.xadd('spreads', 'MAXLEN', '~', '10000', '*', 'symbol', symbol, 'msg', msg)
    p.hset('spread:latest', symbol, msg)
    n++
  }
  if (n === 0) return
  inFlight = true
  p.exec().then(() => { stats.published += n }, () => {}).finally(() => {
    inFlight = false
    if ([...book.values()].some((e) => e.dirty)) scheduleFlush()
  })
}

function connect({ name, url }) {
  const ws = new WebSocket(`${url}/stream?streams=${streams.join('/')}`)
  ws.on('message', (data) => {
    const recv = nowNs()
    stats.frames++
    let frame
    try { frame = JSON.parse(data) } catch { stats.rejects++; return }
    const d = frame.data
    if (!d) { stats.rejects++; return }
    if (frame.stream.endsWith('@bookTicker')) onQuote(name, d, recv)
    else if (d.e === 'trade') onTrade(d)
  })
  ws.on('close', () => setTimeout(() => connect({ name, url }), 100))
  ws.on('error', () => {})
}

exchanges.forEach(connect)
process.on('SIGTERM', () => {
  console.log(Object.entries(stats).map(([k, v]) => `${k} ${v}`).join(' '))
  process.exit(0)
})
