#!/usr/bin/env bash
# Every fixture frame of binance, binance-usdm, bitget, bybit, coinbase,
# deribit, gateio, kraken and okx (and HTX's documented frames, gzipped
# here, as HTX sends them) through `spreadbus-collector --decode`, checked
# field by field against the raw JSON (parsed here by Python, prices by
# float() = strtod); acks, pongs and errors must come out as control lines;
# other channels and every other exchange's files must give control/reject
# lines, never a crash.
set -euo pipefail
: "${SPREADBUS_BIN:?}" "${FIXTURES:?}"
exec python3 - "$SPREADBUS_BIN/spreadbus-collector" "$FIXTURES" <<'EOF'
import calendar, datetime, glob, gzip, json, os, subprocess, sys, tempfile
from decimal import Decimal

BIN, FIX = sys.argv[1], sys.argv[2]
failures = []
checked = {"quote": 0, "trade": 0, "control": 0, "reject": 0}


def decode(exchange, path):
    r = subprocess.run([BIN, "--exchange", exchange, "--decode", path], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        failures.append(f"{exchange} {path}: exit {r.returncode}: {r.stderr[-300:]}")
        return []
    return [json.loads(l) for l in r.stdout.splitlines()]


def ms(v):
    return int(v) * 1000000


def quote(sym, ts, uid, bp, bq, ap, aq):
    return {"kind": "quote", "symbol": sym, "ts_exchange_ns": ts, "update_id": uid,
            "bid_px": float(bp), "bid_qty": float(bq), "ask_px": float(ap), "ask_qty": float(aq)}


def trade(sym, ts, px, qty, side, tid):
    """tid as the exchange sent it: a string's text, a JSON integer's digits
    (json.loads keeps integers exact); the decoder prints it as a string."""
    assert isinstance(tid, (str, int)) and not isinstance(tid, bool), tid
    return {"kind": "trade", "symbol": sym, "ts_exchange_ns": ts, "px": float(px), "qty": float(qty),
            "side": side, "trade_id": tid if isinstance(tid, str) else str(tid)}


def concat(sym):  # canonical BASE-QUOTE back to the concatenated native name
    return sym.replace("-", "")


def binance_control(line):
    """The wrapper's payload and, for a control frame, what it must give
    (the same stream protocol on spot and USD-M)."""
    o = json.loads(line)
    d = o["data"] if "stream" in o and isinstance(o.get("data"), dict) else o
    if "code" in d and "msg" in d:
        return d, [("control", "error: " + d["msg"])]
    if "result" in d:
        return d, [("control", "subscribed" if d["result"] is None else "notice: result")]
    if "method" in d:
        return d, [("control", "notice: " + d["method"])]
    if d.get("e") == "serverShutdown":
        return d, [("control", "server_shutdown")]
    return d, None


def exp_binance_usdm(line):
    d, ctl = binance_control(line)
    e = d.get("e")
    if ctl:
        return ctl
    if e == "aggTrade":  # the aggregate trade id a is the trade id
        return [trade(d["s"], ms(d["T"]), d["p"], d["q"], "sell" if d["m"] else "buy", d["a"])]
    if e == "bookTicker":
        return [quote(d["s"], ms(d["T"]), d["u"], d["b"], d["B"], d["a"], d["A"])]
    if e is None:
        return [("reject", "missing_field")]
    return [("control", "unsupported: " + e)]


def usdm_native(sym):  # BTC-USDT-PERP -> BTCUSDT, BTC-USDT-250627 -> BTCUSDT_250627
    base, quote_, kind = sym.split("-")
    return base + quote_ + ("" if kind == "PERP" else "_" + kind)


def exp_gateio(line):
    o = json.loads(line)
    ch, ev = o.get("channel"), o.get("event")
    if isinstance(o.get("error"), dict):
        return [("control", "error: " + o["error"]["message"])]
    if ch == "spot.pong":
        return [("control", "pong")]
    if not ev:
        return [("control", "notice: " + ch)]
    r = o.get("result")
    if ev != "update":
        if not isinstance(r, dict):  # a request
            return [("control", "notice: " + ev)]
        if r.get("status") == "success":
            return [("control", "subscribed" if ev == "subscribe" else "notice: " + ev)]
        return [("control", "error: " + r.get("status", ""))]
    if ch == "spot.book_ticker":
        return [quote(r["s"], ms(r["t"]), r["u"], r["b"], r["B"], r["a"], r["A"])]
    if ch == "spot.trades":  # ms with a fraction, in a string; side is the taker's
        ts = int(Decimal(r["create_time_ms"]) * 1000000)
        return [trade(r["currency_pair"], ts, r["price"], r["amount"], r["side"], r["id"])]
    return [("control", "unsupported: " + ch)]


def exp_bitget(line):
    if line in ("ping", "pong"):
        return [("control", "pong" if line == "pong" else "notice: ping")]
    o = json.loads(line)
    if "event" in o:
        ev = o["event"]
        if ev == "subscribe":
            return [("control", "subscribed")]
        return [("control", "error: " + o["msg"] if ev == "error" else "notice: " + ev)]
    if "op" in o:
        return [("control", "notice: " + o["op"])]
    arg = o["arg"]
    if arg["instType"] != "SPOT":  # spot only: a futures frame is not a spot pair
        return [("control", "unsupported: " + arg["instType"])]
    out = []
    for d in o["data"]:
        if arg["channel"] == "books1":  # no sequence number: update_id 0
            (ap, aq), (bp, bq) = d["asks"][0][:2], d["bids"][0][:2]
            out.append(quote(arg["instId"], ms(d["ts"]), 0, bp, bq, ap, aq))
        elif arg["channel"] == "trade":  # side is the taker's
            out.append(trade(arg["instId"], ms(d["ts"]), d["price"], d["size"], d["side"], d["tradeId"]))
        else:
            return [("control", "unsupported: " + arg["channel"])]
    return out


def rfc3339_ns(text):  # "2024-07-27T21:16:00.512060Z" -> ns, exactly
    whole, _, frac = text.rstrip("Z").partition(".")
    secs = calendar.timegm(datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").timetuple())
    return secs * 1000000000 + int((frac + "000000000")[:9])


def exp_kraken(line):
    # numbers kept as their text: float() of it is the correctly rounded value
    o = json.loads(line, parse_float=str)
    if "method" in o:
        m = o["method"]
        if m == "pong":
            return [("control", "pong")]
        if "success" not in o:
            return [("control", "notice: " + m)]
        if not o["success"]:
            return [("control", "error: " + o["error"])]
        return [("control", "subscribed" if m == "subscribe" else "notice: " + m)]
    ch = o["channel"]
    if ch == "status":
        return [("control", "notice: " + o["data"][0]["system"])]
    if ch == "ticker":  # no update id; time from the RFC 3339 timestamp
        return [quote(d["symbol"], rfc3339_ns(d["timestamp"]) if "timestamp" in d else 0, 0, d["bid"], d["bid_qty"],
                      d["ask"], d["ask_qty"]) for d in o["data"]]
    if ch == "trade":  # side is the taker's
        return [trade(d["symbol"], rfc3339_ns(d["timestamp"]), d["price"], d["qty"], d["side"], d["trade_id"])
                for d in o["data"]]
    return [("control", "unsupported: " + ch)]


def exp_coinbase(line):
    o = json.loads(line)
    typ, ch = o.get("type"), o.get("channel")
    if typ == "error":
        return [("control", "error: " + o.get("reason", o.get("message")))]
    if typ in ("subscribe", "unsubscribe"):
        return [("control", "notice: " + typ)]
    if ch is None:  # the legacy Exchange feed
        return [("control", "unsupported: " + typ)]
    if ch == "subscriptions":
        return [("control", "subscribed")]
    out = []
    if ch == "ticker":  # the envelope's time; no per-product update id
        for ev in o["events"]:
            out += [quote(t["product_id"], rfc3339_ns(o["timestamp"]), 0, t["best_bid"], t["best_bid_quantity"],
                          t["best_ask"], t["best_ask_quantity"]) for t in ev["tickers"]]
        return out
    if ch == "market_trades":  # side is the maker's: the aggressor is the other one
        for ev in o["events"]:
            out += [trade(t["product_id"], rfc3339_ns(t["time"]), t["price"], t["size"],
                          "sell" if t["side"] == "BUY" else "buy", t["trade_id"]) for t in ev["trades"]]
        return out
    return [("control", "unsupported: " + ch)]


def exp_deribit(line):
    o = json.loads(line)
    if "error" in o:
        return [("control", "error: " + o["error"]["message"])]
    if "result" in o:  # subscribe lists channels; set_heartbeat's "ok" is the keepalive's answer
        return [("control", "subscribed" if isinstance(o["result"], list) else "pong")]
    m, p = o["method"], o.get("params", {})
    if m == "heartbeat":
        if p.get("type") == "test_request":
            return [("control", "reply: " + json.dumps({"jsonrpc": "2.0", "id": 0, "method": "public/test",
                                                         "params": {}}, separators=(",", ":")))]
        return [("control", "unsupported: heartbeat")]
    if m != "subscription":
        return [("control", "notice: " + m)]
    ch, d = p["channel"], p["data"]
    if ch.startswith("quote."):
        if deribit_canonical(d["instrument_name"]) is None:
            return [("reject", "unknown_symbol")]
        return [quote(d["instrument_name"], ms(d["timestamp"]), 0, d["best_bid_price"], d["best_bid_amount"],
                      d["best_ask_price"], d["best_ask_amount"])]
    if ch.startswith("trades."):  # one unnamed instrument (an option) refuses the frame
        if any(deribit_canonical(t["instrument_name"]) is None for t in d):
            return [("reject", "unknown_symbol")]
        return [trade(t["instrument_name"], ms(t["timestamp"]), t["price"], t["amount"], t["direction"],
                      t["trade_id"]) for t in d]
    return [("control", "unsupported: " + ch.split(".")[0])]


MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def deribit_canonical(native):
    """BTC-PERPETUAL -> BTC-USD-PERP, ETH_USDC-PERPETUAL -> ETH-USDC-PERP,
    BTC-5JUL24 -> BTC-USD-240705; options and anything else: None."""
    parts = native.split("-")
    if len(parts) != 2:
        return None
    base, _, quote_ccy = parts[0].partition("_")
    pair = base + "-" + (quote_ccy or "USD")
    if parts[1] == "PERPETUAL":
        return pair + "-PERP"
    try:
        d = datetime.datetime.strptime(parts[1].title(), "%d%b%y")
    except ValueError:
        return None
    return pair + "-" + d.strftime("%y%m%d")


def deribit_native(sym):
    base, quote_ccy, kind = sym.split("-")
    head = base if quote_ccy == "USD" else base + "_" + quote_ccy
    if kind == "PERP":
        return head + "-PERPETUAL"
    d = datetime.datetime.strptime(kind, "%y%m%d")
    return f"{head}-{d.day}{MONTHS[d.month - 1]}{d:%y}"


# HTX: no capture in tests/fixtures; the documented examples (provenance in
# docs/collector.md, "HTX test frames"), minified, each sent as one gzip
# member the way HTX sends every frame.
HTX_FRAMES = [
    '{"ch":"market.btcusdt.bbo","ts":1489474082831,"tick":{"symbol":"btcusdt","quoteTime":"1489474082811",'
    '"bid":"10008.31","bidSize":"0.01","ask":"10009.54","askSize":"0.3","seqId":"10242474683"}}',
    '{"ch":"market.btcusdt.bbo","ts":1630994555540,"tick":{"seqId":137005210233,"ask":52665.02,"askSize":1.502181,'
    '"bid":52665.01,"bidSize":0.178567,"quoteTime":1630994555539,"symbol":"btcusdt"}}',
    '{"ch":"market.btcusdt.trade.detail","ts":1630994963175,"tick":{"id":137005445109,"ts":1630994963173,'
    '"data":[{"id":1.3700544510935929e+26,"ts":1630994963173,"tradeId":102523573486,"amount":0.006754,'
    '"price":52648.62,"direction":"buy"}]}}',
    '{"ch":"market.btcusdt.trade.detail","ts":1489474082831,"tick":{"id":14650745135,"ts":1533265950234,'
    '"data":[{"amount":0.0099,"ts":1533265950234,"id":146507451359183894799,"tradeId":102043495674,'
    '"price":401.74,"direction":"buy"}]}}',
    '{"ping":18212558000}',
    '{"ts":1492420473027,"status":"error","err-code":"bad-request","err-msg":"invalid ping"}',
    '{"id":"id1","status":"ok","subbed":"market.btcusdt.bbo","ts":1489474081631}',
    '{"id":"id1","status":"ok","subbed":"market.btcusdt.trade.detail","ts":1489474081631}',
    '{"ch":"market.btcusdt.ticker","ts":1630982370526,"tick":{"open":51732,"high":52785.64,"low":51000,'
    '"close":52735.63,"amount":13259.24137056181,"vol":687640987.4125315,"count":448737,"bid":52732.88,'
    '"bidSize":0.036,"ask":52732.89,"askSize":0.583653,"lastPrice":52735.63,"lastSize":0.03}}',
    '{"ch":"market.btcusdt.depth.step0","ts":1630983549503,"tick":{"bids":[[52690.69,0.36281],[52690.68,0.2]],'
    '"asks":[[52690.7,0.372591],[52691.26,0.13]],"version":136998124622,"ts":1630983549500}}',
]


def exp_htx(line):
    o = json.loads(line)
    if "ping" in o:  # answered with the same number
        return [("control", "reply: " + json.dumps({"pong": o["ping"]}, separators=(",", ":")))]
    if o.get("status") == "error":
        return [("control", "error: " + o["err-msg"])]
    if "subbed" in o:
        return [("control", "subscribed")]
    ch = o["ch"]
    sym, t = ch.split(".")[1], o["tick"]
    if ch.endswith(".bbo"):
        return [quote(sym, ms(t["quoteTime"]), int(t["seqId"]), t["bid"], t["bidSize"], t["ask"], t["askSize"])]
    if ch.endswith(".trade.detail"):  # tradeId, not the old id (beyond 64 bits, even a double)
        return [trade(sym, ms(d["ts"]), d["price"], d["amount"], d["direction"], d["tradeId"]) for d in t["data"]]
    return [("control", "unsupported: " + ch)]


def gzip_members(lines, path):
    with open(path, "wb") as f:
        for l in lines:
            f.write(gzip.compress(l.encode()))


# canonical name printed -> the native name it must come from, per exchange
NATIVE = {
    "okx": lambda g: g,
    "coinbase": lambda g: g,
    "htx": lambda g: g.replace("-", "").lower(),
    "deribit": lambda g: deribit_native(g) if g.count("-") == 2 else None,
    "binance-usdm": lambda g: usdm_native(g) if g.count("-") == 2 else None,
    "gateio": lambda g: g.replace("-", "_"),
    "kraken": lambda g: g.replace("-", "/"),
}


def exp_binance(line):
    d, ctl = binance_control(line)
    e = d.get("e")
    if ctl:
        return ctl
    if e == "trade":
        return [trade(d["s"], ms(d["T"]), d["p"], d["q"], "sell" if d["m"] else "buy", d["t"])]
    if e == "bookTicker":  # futures: has transaction time T
        return [quote(d["s"], ms(d["T"]), d["u"], d["b"], d["B"], d["a"], d["A"])]
    if e is not None:
        return [("control", "unsupported: " + e)]
    return [quote(d["s"], 0, d["u"], d["b"], d["B"], d["a"], d["A"])]


class BybitBook:
    """Level-1 book from orderbook.1 snapshots and deltas: size 0 deletes
    the level if it is the one held, anything else becomes the best."""

    def __init__(self):
        self.books = {}

    def apply(self, o):
        d = o["data"]
        sym = d["s"]
        book = {} if o["type"] == "snapshot" else self.books.get(sym, {})
        for side, key in (("b", "bid"), ("a", "ask")):
            for px, qty in d[side]:
                if float(qty) == 0:
                    if key in book and book[key][0] == float(px):
                        del book[key]
                else:
                    book[key] = (float(px), float(qty), px, qty)
        self.books[sym] = book
        if "bid" not in book or "ask" not in book:
            return [("reject", "missing_field")]
        if book["bid"][0] > book["ask"][0]:
            return [("reject", "crossed")]
        return [quote(sym, ms(o["ts"]), d["u"], book["bid"][2], book["bid"][3], book["ask"][2], book["ask"][3])]


def exp_bybit(line, book):
    o = json.loads(line)
    if "op" in o:
        if o["op"] == "pong":
            return [("control", "pong")]
        if "success" not in o:
            return [("control", "notice: " + o["op"])]
        if not o["success"]:
            return [("control", "error: " + o["ret_msg"])]
        return [("control", {"ping": "pong", "subscribe": "subscribed"}.get(o["op"], "notice: " + o["op"]))]
    topic = o["topic"]
    if topic.startswith("orderbook.1."):
        return book.apply(o)
    if topic.startswith("publicTrade."):
        out = []
        for t in o["data"]:
            out.append(trade(t["s"], ms(t["T"]), t["p"], t["v"], t["S"].lower(), t["i"]))
        return out
    return [("control", "unsupported: " + topic.split(".")[0])]


def exp_okx(line):
    if line == "pong":
        return [("control", "pong")]
    if line == "ping":
        return [("control", "notice: ping")]
    o = json.loads(line)
    if "event" in o:
        ev = o["event"]
        if ev == "subscribe":
            return [("control", "subscribed")]
        if ev == "error":
            return [("control", "error: " + o["msg"])]
        if ev == "notice":
            return [("control", "server_shutdown" if o.get("code") == "64008" else "notice: " + o["msg"])]
        return [("control", "notice: " + ev)]
    if "op" in o:
        return [("control", "notice: " + o["op"])]
    ch, inst = o["arg"]["channel"], o["arg"].get("instId")
    out = []
    if ch == "bbo-tbt":
        for d in o["data"]:
            if not d["asks"] or not d["bids"]:
                out.append(("reject", "missing_field"))
                continue
            a, b = d["asks"][0], d["bids"][0]
            out.append(quote(inst, ms(d["ts"]), int(d.get("seqId", 0)), b[0], b[1], a[0], a[1]))
        return out
    if ch == "trades":
        return [trade(d["instId"], ms(d["ts"]), d["px"], d["sz"], d["side"], d["tradeId"]) for d in o["data"]]
    return [("control", "unsupported: " + ch)]


def compare(where, exp, got, exchange):
    if isinstance(exp, tuple):
        key, text = exp
        checked[key] += 1
        if got != {key: text}:
            failures.append(f"{where}: want {{{key!r}: {text!r}}}, got {got}")
        return
    checked[exp["kind"]] += 1
    if got.get("exchange") != exchange:
        failures.append(f"{where}: exchange {got.get('exchange')}")
    for k, v in exp.items():
        g = got.get(k)
        if k == "symbol":
            ok = NATIVE.get(exchange, concat)(g or "") == v
        else:
            ok = g == v and type(g) is type(v) or (isinstance(v, float) and isinstance(g, (int, float)) and float(g) == v)
        if not ok:
            failures.append(f"{where}: {k}: want {v!r}, got {g!r} ({got})")


def run(exchange, files, expect, lines_of=None):
    for path in files:
        lines = lines_of(path) if lines_of else [l.rstrip("\r\n") for l in open(path, encoding="utf-8")]
        lines = [l for l in lines if l]
        exp = []
        for i, l in enumerate(lines):
            exp += [(f"{os.path.relpath(path, FIX)}:{i + 1}", e) for e in expect(l)]
        got = decode(exchange, path)
        if len(got) != len(exp):
            failures.append(f"{path}: {len(exp)} lines expected, {len(got)} printed: {got}")
            continue
        for (where, e), g in zip(exp, got):
            compare(where, e, g, exchange)


run("binance", sorted(glob.glob(FIX + "/binance/*.jsonl")), exp_binance)
run("binance-usdm", sorted(glob.glob(FIX + "/binance-usdm/*.jsonl")), exp_binance_usdm)
run("gateio", sorted(glob.glob(FIX + "/gateio/*.jsonl")), exp_gateio)
run("bitget", sorted(glob.glob(FIX + "/bitget/*.jsonl")), exp_bitget)
run("kraken", sorted(glob.glob(FIX + "/kraken/*.jsonl")), exp_kraken)
run("coinbase", sorted(glob.glob(FIX + "/coinbase/*.jsonl")), exp_coinbase)
run("deribit", sorted(glob.glob(FIX + "/deribit/*.jsonl")), exp_deribit)
with tempfile.TemporaryDirectory() as tmp:
    htx_gz = os.path.join(tmp, "htx.gz")
    gzip_members(HTX_FRAMES, htx_gz)
    run("htx", [htx_gz], exp_htx, lambda path: HTX_FRAMES)
book = BybitBook()
run("bybit", sorted(glob.glob(FIX + "/bybit/*.jsonl")), lambda l: exp_bybit(l, book))
run("okx", sorted(glob.glob(FIX + "/okx/*.jsonl")), exp_okx)

# Trade ids no fixture holds, in fixture frames with only the id replaced:
# kept exactly (Deribit's PREFIX-digits, upper-case UUIDs, 128-bit and
# zero-led decimals), or the frame refused as non_numeric where no form
# keeps the text (never a hash).
with tempfile.TemporaryDirectory() as tmp:
    def derived(name, src, old, ids):
        """src's first line once per id, old replaced by it (a frame's other
        trades get fresh decimal ids: they would be duplicates)"""
        line = open(src, encoding="utf-8").readline().rstrip("\n")
        assert old in line, (src, old)
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            for n, i in enumerate(ids):
                f.write(line.replace(old, i).replace('"137487242"', '"%d"' % (900 + n)) + "\n")
        return path
    kept = ["ETH-137487241", "USDC-007", "A9188A0A-82BC-50DE-BE60-03EEDBE3CDD7",
            "340282366920938463463374607431768211455", "18446744073709551616", "0000123"]
    refused = ["a9188a0a-82BC-50de-be60-03eedbe3cdd7", "340282366920938463463374607431768211456",
               "ETH-", "ABCDEFGHI-1", "1.5", ""]
    run("deribit", [derived("deribit_ids.jsonl", FIX + "/deribit/trades.jsonl", '"137487241"',
                            ['"%s"' % i for i in kept])], exp_deribit)
    book = BybitBook()
    run("bybit", [derived("bybit_ids.jsonl", FIX + "/bybit/publicTrade.jsonl", '"a9188a0a-82bc-50de-be60-03eedbe3cdd7"',
                          ['"%s"' % i for i in kept])], lambda l: exp_bybit(l, book))
    for exchange, src, old in (("bybit", "/bybit/publicTrade.jsonl", '"a9188a0a-82bc-50de-be60-03eedbe3cdd7"'),
                               ("deribit", "/deribit/trades.jsonl", '"137487241"')):
        got = decode(exchange, derived(exchange + "_bad.jsonl", FIX + src, old, ['"%s"' % i for i in refused]))
        if got != [{"reject": "non_numeric"}] * len(refused):
            failures.append(f"{exchange}: ids of no form {refused}: {got}")
        checked["reject"] += len(got)

# Every adapter over every fixture file of every exchange, all in one input
# (one process per adapter): a clear line per frame or tick, exit 0, never
# a crash.
with tempfile.TemporaryDirectory() as tmp:
    every = os.path.join(tmp, "every.jsonl")
    with open(every, "wb") as out:
        for path in sorted(glob.glob(FIX + "/*/*.jsonl")):
            out.write(open(path, "rb").read().rstrip(b"\n") + b"\n")
    for exchange in ("binance", "binance-usdm", "bitget", "bybit", "coinbase", "deribit", "gateio", "kraken", "okx"):
        for g in decode(exchange, every):
            if not (set(g) in ({"control"}, {"reject"}) or g.get("kind") in ("quote", "trade")):
                failures.append(f"{exchange} on every fixture file: odd line {g}")
    # HTX reads gzip members: every fixture line as one
    every_gz = os.path.join(tmp, "every.gz")
    gzip_members([l for l in open(every, encoding="utf-8").read().splitlines() if l], every_gz)
    for g in decode("htx", every_gz):
        if not (set(g) in ({"control"}, {"reject"}) or g.get("kind") in ("quote", "trade")):
            failures.append(f"htx on every fixture file: odd line {g}")

# With --config only the section's symbols are known, under their
# canonical names.
with tempfile.TemporaryDirectory() as tmp:
    conf = os.path.join(tmp, "decode.conf")
    with open(conf, "w") as f:
        # the service's directories under tmp: any user can run this
        f.write(f"[service]\nruntime_dir = {tmp}/run\nstate_dir = {tmp}/state\n"
                "[exchange.binance]\nsymbols = BTC-USDT, BNB-BTC\n")
    r = subprocess.run([BIN, "--exchange", "binance", "--config", conf, "--decode",
                        FIX + "/binance/combined_bookTicker.jsonl"], capture_output=True, text=True, timeout=60)
    got = [json.loads(l) for l in r.stdout.splitlines()]
    syms = sorted(g["symbol"] for g in got if "kind" in g)
    unknown = sum(1 for g in got if g == {"reject": "unknown_symbol"})
    if r.returncode != 0 or syms != ["BTC-USDT", "BTC-USDT"] or unknown != 13:
        failures.append(f"--config decode: rc {r.returncode}, symbols {syms}, {unknown} unknown: {r.stderr[-300:]}")

print("checked:", checked)
if checked["quote"] < 20 or checked["trade"] < 40 or checked["control"] < 50:
    failures.append(f"too few frames checked: {checked}")
for f in failures[:50]:
    print("FAIL", f)
sys.exit(1 if failures else 0)
EOF
