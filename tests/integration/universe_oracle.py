#!/usr/bin/env python3
"""The universe tests' oracle, independent of the C code: reads the fake
exchanges' REST answers (saved with curl) and prints what the collectors
must report (metadata) or what [universe] mode = auto must choose.

  universe_oracle.py metadata DIR EXCHANGE   -> one TSV line per instrument
  universe_oracle.py select DIR RULES_JSON   -> {"exchange": ["SYM", ...]}
DIR holds EXCHANGE.info.json and EXCHANGE.tickers.json."""
import json
import sys


def load(d, ex):
    info = json.load(open(f"{d}/{ex}.info.json"))
    tick = json.load(open(f"{d}/{ex}.tickers.json"))
    out = {}
    if ex == "binance":
        for s in info["symbols"]:
            f = {x["filterType"]: x for x in s["filters"]}
            out[s["symbol"]] = dict(canonical=f'{s["baseAsset"]}-{s["quoteAsset"]}'.upper(), quote=s["quoteAsset"],
                                   trading=s["status"] == "TRADING", tick=float(f["PRICE_FILTER"]["tickSize"]),
                                   lot=float(f["LOT_SIZE"]["stepSize"]), min_qty=float(f["LOT_SIZE"]["minQty"]),
                                   min_notional=float(f["NOTIONAL"]["minNotional"]), volume=0.0)
        for t in tick:
            if t["symbol"] in out:
                out[t["symbol"]]["volume"] = float(t["quoteVolume"])
    elif ex == "bybit":
        assert info["retCode"] == 0
        for s in info["result"]["list"]:
            out[s["symbol"]] = dict(canonical=f'{s["baseCoin"]}-{s["quoteCoin"]}'.upper(), quote=s["quoteCoin"],
                                   trading=s["status"] == "Trading", tick=float(s["priceFilter"]["tickSize"]),
                                   lot=float(s["lotSizeFilter"]["basePrecision"]),
                                   min_qty=float(s["lotSizeFilter"]["minOrderQty"]),
                                   min_notional=float(s["lotSizeFilter"]["minOrderAmt"]), volume=0.0)
        for t in tick["result"]["list"]:
            if t["symbol"] in out:
                out[t["symbol"]]["volume"] = float(t["turnover24h"])
    else:
        assert info["code"] == "0"
        for s in info["data"]:
            out[s["instId"]] = dict(canonical=f'{s["baseCcy"]}-{s["quoteCcy"]}'.upper(), quote=s["quoteCcy"],
                                   trading=s["state"] == "live", tick=float(s["tickSz"]), lot=float(s["lotSz"]),
                                   min_qty=float(s["minSz"]), min_notional=0.0, volume=0.0)
        for t in tick["data"]:
            if t["instId"] in out:
                out[t["instId"]]["volume"] = float(t["volCcy24h"])
    return out


def select(d, rules):
    """Every trading pair in quote_assets and not excluded that reaches
    min_quote_volume_24h on at least min_exchanges exchanges, on each of
    those; include: wherever it trades; then per exchange the top
    max_symbols by volume (included ones first)."""
    data = {ex: {v["canonical"]: v for v in load(d, ex).values()} for ex in rules["exchanges"]}
    quotes = set(rules["quote_assets"])
    include, exclude = set(rules.get("include", [])), set(rules.get("exclude", []))
    # ignore_status: what the rules would give if halted pairs counted (the
    # test shows the status rule matters for its universe)
    trading = (lambda v: True) if rules.get("ignore_status") else (lambda v: v["trading"])
    where = {}
    for ex, syms in data.items():
        for sym, v in syms.items():
            if trading(v) and v["quote"] in quotes and v["volume"] >= rules["min_quote_volume_24h"]:
                where.setdefault(sym, []).append(ex)
    chosen = {ex: [] for ex in data}
    for ex, syms in data.items():
        picks = []
        for sym, v in syms.items():
            if sym in exclude or not trading(v):
                continue
            if sym in include:
                picks.append((0, -v["volume"], sym))
            elif ex in where.get(sym, []) and len(where[sym]) >= rules["min_exchanges"]:
                picks.append((1, -v["volume"], sym))
        picks.sort()
        chosen[ex] = sorted(p[2] for p in picks[: rules["max_symbols"]])
    return chosen


if __name__ == "__main__":
    if sys.argv[1] == "metadata":
        for native, v in sorted(load(sys.argv[2], sys.argv[3]).items()):
            print("\t".join([v["canonical"], native, "1" if v["trading"] else "0"] +
                            [repr(v[k]) for k in ("tick", "lot", "min_qty", "min_notional", "volume")]))
    else:
        print(json.dumps(select(sys.argv[2], json.loads(sys.argv[3])), sort_keys=True))
