#!/usr/bin/env python3
"""Independent check of the aggregator's spread messages (schema 2): the
update message, its XADD entry and the pair matrix are recomputed from the
quotes the test fed and compared field by field. Exits 1 with the first
difference.

  spread_oracle.py update  --quotes Q --fees F MESSAGE_JSON
  spread_oracle.py xadd    MESSAGE_JSON FIELD VALUE FIELD VALUE ...
  spread_oracle.py pairs   --quotes Q --fees F --window-s N MATRIX_JSON
  spread_oracle.py keys    EXAMPLE_JSON LIVE_JSON   (same field names, nested)

Q: "ex:bid:ask,..." the symbol's fresh quotes (bid_qty 1.5, ask_qty 2.5:
aggregator_feed's), in the config's exchange order. F: "ex=bps,...".
"""
import json
import sys

BID_QTY, ASK_QTY = 1.5, 2.5
UPDATE_KEYS = ["schema", "symbol", "update", "ts_recv_ns", "pairs"]
BEST_KEYS = ["buy", "sell", "ask", "bid", "qty", "spread_bps", "net_spread_bps", "window"]
WINDOW_KEYS = ["count", "min", "max", "mean", "p50", "p95"]
PAIR_KEYS = ["buy", "sell", "ask", "bid", "qty", "spread_bps", "net_spread_bps", "count", "p50", "p95"]


def fail(msg):
    print("spread_oracle: " + msg, file=sys.stderr)
    sys.exit(1)


def args(argv):
    opts, rest = {}, []
    i = 0
    while i < len(argv):
        if argv[i].startswith("--"):
            opts[argv[i][2:]] = argv[i + 1]
            i += 2
        else:
            rest.append(argv[i])
            i += 1
    return opts, rest


def quotes(text):
    out = []
    for item in filter(None, text.split(",")):
        ex, bid, ask = item.split(":")
        out.append((ex, float(bid), float(ask)))
    return out


def fees(text):
    out = {}
    for item in filter(None, text.split(",")):
        ex, bps = item.split("=")
        out[ex] = float(bps)
    return out


def pairs_of(qs, fee):
    """Every ordered pair: buy at A's ask plus A's fee, sell at B's bid
    minus B's fee; the best is the first with the highest net bps."""
    out = []
    for a, _, ask in qs:
        for b, bid, _ in qs:
            if a == b:
                continue
            fa, fb = fee.get(a, 0.0) / 1e4, fee.get(b, 0.0) / 1e4
            cost = ask * (1 + fa)
            net = bid * (1 - fb) - cost
            out.append({"buy": a, "sell": b, "ask": ask, "bid": bid, "qty": min(ASK_QTY, BID_QTY),
                        "spread_bps": (bid - ask) / ask * 1e4, "net_spread_bps": net / cost * 1e4})
    return out


def best_of(ps):
    best = None
    for p in ps:
        if best is None or p["net_spread_bps"] > best["net_spread_bps"]:
            best = p
    return best


def same(what, got, want):
    if isinstance(want, float) and ("bps" in what):
        # rounded to 1e-6 bps
        if got is None or abs(got - want) > 5e-7 + 1e-12 * abs(want):
            fail("%s: %r, expected %r" % (what, got, want))
    elif got != want:
        fail("%s: %r, expected %r" % (what, got, want))


def keys_are(what, obj, keys):
    if list(obj.keys()) != keys:
        fail("%s fields %s, expected %s" % (what, list(obj.keys()), keys))


def window_ok(what, w, count_keys):
    for k in count_keys:
        if w["count"] == 0 and w[k] is not None:
            fail("%s.%s of an empty window: %r" % (what, k, w[k]))
        if w["count"] > 0 and not isinstance(w[k], (int, float)):
            fail("%s.%s: %r" % (what, k, w[k]))


def check_update(opts, text):
    m = json.loads(text)
    ps = pairs_of(quotes(opts["quotes"]), fees(opts.get("fees", "")))
    best = best_of(ps)
    keys_are("message", m, UPDATE_KEYS + (BEST_KEYS if best else []))
    same("schema", m["schema"], 2)
    same("pairs", m["pairs"], len(ps))
    if not best:
        return
    for k in BEST_KEYS[:-1]:
        same(k, m[k], best[k])
    w = m["window"]
    keys_are("window", w, WINDOW_KEYS)
    window_ok("window", w, WINDOW_KEYS[1:])
    if w["count"] and not (w["min"] <= w["mean"] <= w["max"]):
        fail("window: mean %r outside [%r, %r]" % (w["mean"], w["min"], w["max"]))


def check_xadd(text, flat):
    m = json.loads(text)
    leaves = []
    for k, v in m.items():
        if isinstance(v, dict):
            leaves += list(v.items())
        else:
            leaves.append((k, v))
    if len(flat) != 2 * len(leaves):
        fail("xadd has %d fields, the message %d leaves" % (len(flat) // 2, len(leaves)))
    for i, (k, v) in enumerate(leaves):
        name, value = flat[2 * i], flat[2 * i + 1]
        same("xadd field %d" % i, name, k)
        want = v if isinstance(v, str) else json.dumps(v) if v is not None else "null"
        # the same text as the message's: the numbers were formatted once
        if value != want and not (isinstance(v, (int, float)) and float(value) == v):
            fail("xadd %s: %r, message %r" % (k, value, v))


def check_pairs(opts, text):
    m = json.loads(text)
    fee = fees(opts.get("fees", ""))
    ps = pairs_of(quotes(opts["quotes"]), fee)
    keys_are("matrix", m, ["schema", "symbol", "ts_ns", "window_s", "fees_bps", "pairs"])
    same("matrix schema", m["schema"], 2)
    same("window_s", m["window_s"], int(opts["window-s"]))
    for ex, bps in m["fees_bps"].items():
        same("fee of " + ex, bps, fee.get(ex, 0.0))
    got = {(p["buy"], p["sell"]): p for p in m["pairs"]}
    if len(got) != len(ps) or len(m["pairs"]) != len(ps):
        fail("matrix has %d pairs, expected %d" % (len(m["pairs"]), len(ps)))
    for want in ps:
        p = got.get((want["buy"], want["sell"]))
        if p is None:
            fail("matrix lacks %s -> %s" % (want["buy"], want["sell"]))
        keys_are("matrix pair", p, PAIR_KEYS)
        for k in PAIR_KEYS[:7]:
            same("%s->%s %s" % (want["buy"], want["sell"], k), p[k], want[k])
        window_ok("%s->%s" % (want["buy"], want["sell"]), p, ["p50", "p95"])


def shape(v):
    if isinstance(v, dict):
        return {k: shape(x) for k, x in v.items()}
    if isinstance(v, list):
        return [shape(v[0])] if v else []
    return type(v).__name__ if v is not None else "null"


def check_keys(example, live):
    a, b = shape(json.loads(example)), shape(json.loads(live))

    def names(s):
        if isinstance(s, dict):
            return {k: names(x) for k, x in s.items()}
        if isinstance(s, list):
            return [names(s[0])] if s else []
        return None
    if names(a) != names(b):
        fail("example fields %s differ from the live message's %s" % (names(a), names(b)))


def main():
    if len(sys.argv) < 3:
        fail(__doc__)
    cmd = sys.argv[1]
    opts, rest = args(sys.argv[2:])
    if cmd == "update":
        check_update(opts, rest[0])
    elif cmd == "xadd":
        check_xadd(rest[0], rest[1:])
    elif cmd == "pairs":
        check_pairs(opts, rest[0])
    elif cmd == "keys":
        check_keys(rest[0], rest[1])
    else:
        fail("unknown command " + cmd)


if __name__ == "__main__":
    main()
