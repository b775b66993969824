#!/usr/bin/env python3
"""The universe tests' oracle, independent of the C code: reads the fake
exchanges' REST answers (saved with curl), checks what the collectors report
(metadata) and prints what [universe] mode = auto must choose.

  universe_oracle.py report DIR EXCHANGE TSV -> exit 0 when the collector's
      report file TSV holds every instrument as the answers say, else why
  universe_oracle.py select DIR RULES_JSON   -> {"exchange": ["SYM", ...]}
DIR holds EXCHANGE.info.json and EXCHANGE.tickers.json."""
import datetime
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
    elif ex == "okx":
        assert info["code"] == "0"
        for s in info["data"]:
            out[s["instId"]] = dict(canonical=f'{s["baseCcy"]}-{s["quoteCcy"]}'.upper(), quote=s["quoteCcy"],
                                   trading=s["state"] == "live", tick=float(s["tickSz"]), lot=float(s["lotSz"]),
                                   min_qty=float(s["minSz"]), min_notional=0.0, volume=0.0)
        for t in tick["data"]:
            if t["instId"] in out:
                out[t["instId"]]["volume"] = float(t["volCcy24h"])
    elif ex == "binance-usdm":
        for s in info["symbols"]:
            f = {x["filterType"]: x for x in s["filters"]}
            kind = "PERP" if s["contractType"] == "PERPETUAL" else s["symbol"].split("_")[1]
            out[s["symbol"]] = dict(canonical=f'{s["baseAsset"]}-{s["quoteAsset"]}-{kind}'.upper(), quote=s["quoteAsset"],
                                   trading=s["status"] == "TRADING", tick=float(f["PRICE_FILTER"]["tickSize"]),
                                   lot=float(f["LOT_SIZE"]["stepSize"]), min_qty=float(f["LOT_SIZE"]["minQty"]),
                                   min_notional=float(f["MIN_NOTIONAL"]["notional"]), volume=0.0)
        for t in tick:
            if t["symbol"] in out:
                out[t["symbol"]]["volume"] = float(t["quoteVolume"])
    elif ex == "gateio":
        for s in info:
            out[s["id"]] = dict(canonical=f'{s["base"]}-{s["quote"]}'.upper(), quote=s["quote"],
                               trading=s["trade_status"] == "tradable", tick=10.0 ** -s["precision"],
                               lot=10.0 ** -s["amount_precision"], min_qty=float(s["min_base_amount"]),
                               min_notional=float(s["min_quote_amount"]), volume=0.0)
        for t in tick:
            if t["currency_pair"] in out:
                out[t["currency_pair"]]["volume"] = float(t["quote_volume"])
    elif ex == "bitget":
        assert info["code"] == "00000"
        for s in info["data"]:
            out[s["symbol"]] = dict(canonical=f'{s["baseCoin"]}-{s["quoteCoin"]}'.upper(), quote=s["quoteCoin"],
                                   trading=s["status"] == "online", tick=10.0 ** -int(s["pricePrecision"]),
                                   lot=10.0 ** -int(s["quantityPrecision"]), min_qty=float(s["minTradeAmount"]),
                                   min_notional=float(s["minTradeUSDT"]), volume=0.0)
        for t in tick["data"]:
            if t["symbol"] in out:
                out[t["symbol"]]["volume"] = float(t["quoteVolume"])
    elif ex == "kraken":
        assert info["error"] == []
        common = {"XBT": "BTC", "XDG": "DOGE"}
        for key, s in info["result"].items():
            base, quote = (common.get(a, a) for a in s["wsname"].split("/"))
            out[key] = dict(canonical=f"{base}-{quote}".upper(), quote=quote, trading=s["status"] == "online",
                            tick=float(s["tick_size"]), lot=10.0 ** -s["lot_decimals"], min_qty=float(s["ordermin"]),
                            min_notional=float(s["costmin"]), volume=0.0)
        for key, t in tick["result"].items():
            if key in out:
                out[key]["volume"] = float(t["v"][1]) * float(t["p"][1])
    elif ex == "coinbase":
        for s in info:
            out[s["id"]] = dict(canonical=f'{s["base_currency"]}-{s["quote_currency"]}'.upper(),
                               quote=s["quote_currency"], trading=s["status"] == "online" and not s["trading_disabled"],
                               tick=float(s["quote_increment"]), lot=float(s["base_increment"]), min_qty=0.0,
                               min_notional=float(s["min_market_funds"]), volume=0.0)
        for key, t in tick.items():
            if key in out:
                out[key]["volume"] = float(t["stats_24hour"]["volume"]) * float(t["stats_24hour"]["last"])
    elif ex == "deribit":
        for s in info["result"]:
            if s["settlement_period"] == "perpetual":
                kind = "PERP"
            else:
                kind = datetime.datetime.fromtimestamp(s["expiration_timestamp"] / 1000, datetime.timezone.utc).strftime("%y%m%d")
            out[s["instrument_name"]] = dict(canonical=f'{s["base_currency"]}-{s["quote_currency"]}-{kind}'.upper(),
                                            quote=s["quote_currency"], trading=s["is_active"], tick=float(s["tick_size"]),
                                            lot=float(s["contract_size"]), min_qty=float(s["min_trade_amount"]),
                                            min_notional=0.0, volume=0.0)
        for t in tick["result"]:
            if t["instrument_name"] in out:
                out[t["instrument_name"]]["volume"] = float(t["volume_notional"])
    elif ex == "htx":
        assert info["status"] == "ok"
        for s in info["data"]:
            out[s["sc"]] = dict(canonical=f'{s["bc"]}-{s["qc"]}'.upper(), quote=s["qc"].upper(),
                               trading=s["state"] == "online", tick=10.0 ** -s["tpp"], lot=10.0 ** -s["tap"],
                               min_qty=0.0, min_notional=0.0, volume=0.0)
        for t in tick["data"]:
            if t["symbol"] in out:
                out[t["symbol"]]["volume"] = float(t["vol"])
    else:
        sys.exit(f"no parser for {ex}")
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


FIELDS = ("tick", "lot", "min_qty", "min_notional", "volume")


def report(d, ex, path):
    """The report's columns: canonical native base quote status trading tick
    lot min_qty min_notional volume; numbers equal to 1e-9 relative."""
    got = {}
    for line in open(path):
        if line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        got[f[1]] = [f[0], f[5] == "1"] + [float(x) for x in f[6:11]]
    want = {n: [v["canonical"], v["trading"]] + [v[k] for k in FIELDS] for n, v in load(d, ex).items()}
    if set(got) != set(want):
        sys.exit(f"{ex}: names differ: missing {sorted(set(want) - set(got))[:5]}, extra {sorted(set(got) - set(want))[:5]}")
    for k, w in want.items():
        g = got[k]
        if g[:2] != w[:2] or any(abs(a - b) > 1e-9 * max(abs(a), abs(b), 1e-300) for a, b in zip(g[2:], w[2:])):
            sys.exit(f"{ex} {k}: got {g}, want {w}")
    print(f"{ex}: {len(want)} instruments match, {sum(1 for w in want.values() if not w[1])} not trading")


if __name__ == "__main__":
    if sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        print(json.dumps(select(sys.argv[2], json.loads(sys.argv[3])), sort_keys=True))
