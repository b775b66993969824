#!/usr/bin/env bash
# Every fixture frame of every exchange passes the per-instrument rules
# (collector/validate.h) with realistic metadata: per symbol, the coarsest
# tick and lot sizes its frames allow (the greatest common step of its
# prices and of its quantities, computed here in exact decimals), written
# as the collector's own instruments report and given to
# `spreadbus-collector --decode --instruments`. The output must equal the
# output without metadata, tick for tick: binary floating point costs no
# frame. Then, so the check cannot pass by doing nothing, each step
# doubled: exactly the ticks whose prices (then quantities) are not
# multiples of the doubled step, as Python's decimals say, must come out
# as off_tick (then off_lot) rejects, and every other line unchanged.
set -euo pipefail
: "${SPREADBUS_BIN:?}" "${FIXTURES:?}"
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 77; }
exec python3 - "$SPREADBUS_BIN/spreadbus-collector" "$FIXTURES" <<'EOF'
import glob, json, math, os, subprocess, sys, tempfile
from decimal import Decimal

BIN, FIX = sys.argv[1], sys.argv[2]
PX = {"quote": ("bid_px", "ask_px"), "trade": ("px",)}
QTY = {"quote": ("bid_qty", "ask_qty"), "trade": ("qty",)}
failures = []


def decode(exchange, path, instruments=None):
    cmd = [BIN, "--exchange", exchange, "--decode", path]
    if instruments:
        cmd += ["--instruments", instruments]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        failures.append(f"{exchange} {path}: exit {r.returncode}: {r.stderr[-300:]}")
        return []
    return [json.loads(l) for l in r.stdout.splitlines()]


def exact(v):
    # the decode output's number is the double nearest the frame's decimal
    # (test_decode_fixtures.sh proves it); its shortest repr is that decimal
    return Decimal(repr(float(v)))


def step_of(values):
    """The greatest decimal step every value is a whole multiple of."""
    scale = max(-v.as_tuple().exponent for v in values)
    scale = max(scale, 0)
    ints = [int(v.scaleb(scale)) for v in values]
    g = 0
    for i in ints:
        g = math.gcd(g, i)
    return Decimal(g).scaleb(-scale)


def on(v, step):
    return v % step == 0


def write_report(path, exchange, steps, factor_tick=1, factor_lot=1):
    with open(path, "w") as f:
        f.write(f"# spreadbus instruments v1 exchange={exchange} fetched_ns=0 count={len(steps)}\n")
        for sym, (tick, lot) in sorted(steps.items()):
            f.write(f"{sym}\t{sym}\tB\tQ\tTRADING\t1\t{tick * factor_tick}\t{lot * factor_lot}\t0\t0\t0\n")


exchanges = sorted(d for d in os.listdir(FIX) if os.path.isdir(os.path.join(FIX, d)))
tmp = tempfile.mkdtemp(prefix="fixtures_validation.")
total = {"ticks": 0, "symbols": 0, "off_tick": 0, "off_lot": 0}
for ex in exchanges:
    files = sorted(glob.glob(os.path.join(FIX, ex, "*.jsonl")))
    plain = {p: decode(ex, p) for p in files}
    prices, qtys = {}, {}
    for lines in plain.values():
        for o in lines:
            if o.get("kind") in PX:
                prices.setdefault(o["symbol"], []).extend(exact(o[k]) for k in PX[o["kind"]])
                qtys.setdefault(o["symbol"], []).extend(exact(o[k]) for k in QTY[o["kind"]])
    if not prices:
        continue
    steps = {s: (step_of(prices[s]), step_of(qtys[s])) for s in prices}
    report = os.path.join(tmp, f"instruments.{ex}.tsv")
    # the realistic metadata: every line as without it
    write_report(report, ex, steps)
    for p in files:
        got = decode(ex, p, report)
        if got != plain[p]:
            bad = next((i for i, (a, b) in enumerate(zip(plain[p], got)) if a != b), min(len(got), len(plain[p])))
            failures.append(f"{p}: line {bad + 1} differs with metadata: "
                            f"{plain[p][bad] if bad < len(plain[p]) else None} -> {got[bad] if bad < len(got) else None}")
        total["ticks"] += sum(1 for o in plain[p] if o.get("kind") in PX)
    total["symbols"] += len(steps)
    # each step doubled: exactly the ticks off the doubled step are refused
    refused = 0
    for reason, ft, fl, keys in (("off_tick", 2, 1, PX), ("off_lot", 1, 2, QTY)):
        write_report(report, ex, steps, ft, fl)
        for p in files:
            got = decode(ex, p, report)
            if len(got) != len(plain[p]):
                failures.append(f"{p} with {reason} steps: {len(got)} lines, want {len(plain[p])}")
                continue
            for i, (want, g) in enumerate(zip(plain[p], got)):
                if want.get("kind") in keys:
                    step = steps[want["symbol"]][0 if keys is PX else 1] * 2
                    if not all(on(exact(want[k]), step) for k in keys[want["kind"]]):
                        want = {"reject": reason}
                        total[reason] += 1
                        refused += 1
                if g != want:
                    failures.append(f"{p} line {i + 1} with the {reason} step doubled: got {g}, want {want}")
    if refused < 2 * len(steps):
        failures.append(f"{ex}: doubling the steps refused {refused} ticks of {len(steps)} symbols")

for f in failures[:20]:
    print("FAIL:", f, file=sys.stderr)
if failures:
    sys.exit(1)
print(f"PASS: {total['ticks']} fixture ticks of {total['symbols']} symbols on {len(exchanges)} exchanges pass "
      f"their symbols' tick and lot sizes; with the steps doubled, {total['off_tick']} off_tick and "
      f"{total['off_lot']} off_lot rejects, each as the decimals say")
EOF
