#!/usr/bin/env bash
# spreadbus-busctl over a real bus: create makes every segment of the
# config, status and rings list them as JSON lines, dump prints every tick
# still held (or from --from), unlink removes everything.
set -euo pipefail
source "${SPREADBUS_SRC:-$(dirname "$0")/../..}/tests/lib/common.sh"
tl_init
tl_need_bins spreadbus-busctl spreadbus-ringstress
BC=$TL_BIN/spreadbus-busctl
RS=$TL_BIN/spreadbus-ringstress
INST=busctl$$
tmp=$TL_TMP
tl_cleanup "$BC" --config "$tmp/c.ini" unlink

cat >"$tmp/c.ini" <<INI
[service]
instance = $INST
runtime_dir = $tmp/run
state_dir = $tmp/state
ring_capacity = 1024
[exchange.binance]
symbols = BTC-USDT, ETH-USDT
[exchange.okx]
symbols = ETH-USDT, SOL-USDT
[exchange.bybit]
enabled = false
symbols = BTC-USDT
INI

"$BC" --config "$tmp/c.ini" status 2>"$tmp/err" && tl_fail "status before create should fail"
grep -q "/spreadbus.$INST._registry does not exist" "$tmp/err" || tl_fail "missing segment not named: $(cat "$tmp/err")"
"$BC" --config "$tmp/c.ini" create
for s in _registry _status binance okx; do
	[ -e /dev/shm/spreadbus.$INST.$s ] || tl_fail "segment $s not created"
done
[ -e /dev/shm/spreadbus.$INST.bybit ] && tl_fail "disabled exchange got a ring"
[ "$(stat -c %a /dev/shm/spreadbus.$INST.binance)" = 600 ] || tl_fail "ring mode is not 0600"

"$BC" --config "$tmp/c.ini" status >"$tmp/status"
python3 - "$tmp/status" <<'PY'
import json, sys
blocks = [json.loads(l) for l in open(sys.argv[1])]
roles = {b["name"]: b["role"] for b in blocks}
assert roles == {"binance": "collector", "okx": "collector", "aggregator": "aggregator", "writer": "writer",
                 "gateway": "gateway"}, roles
assert all("messages_received_total" in b["metrics"] for b in blocks)
PY

# 2500 ticks of every kind into the binance ring (capacity 1024).
"$RS" produce /spreadbus.$INST.binance --count 2500
"$BC" --config "$tmp/c.ini" rings >"$tmp/rings"
python3 - "$tmp/rings" <<'PY'
import json, sys
rings = [json.loads(l) for l in open(sys.argv[1])]
assert [(r["exchange"], r["head"], r["capacity"]) for r in rings] == [("binance", 2500, 1024), ("okx", 0, 1024)], rings
PY
"$BC" --config "$tmp/c.ini" dump binance >"$tmp/all"
"$BC" --config "$tmp/c.ini" dump binance --from 2490 >"$tmp/tail"
"$BC" --config "$tmp/c.ini" dump okx >"$tmp/okx"
python3 - "$tmp/all" "$tmp/tail" "$tmp/okx" <<'PY'
import json, sys
def load(p):
    return [json.loads(l) for l in open(p)]
allt, tail, okx = load(sys.argv[1]), load(sys.argv[2]), load(sys.argv[3])
assert [t["seq"] for t in allt] == list(range(2500 - 1024, 2500)), "dump is not the last 1024 ticks"
assert [t["seq"] for t in tail] == list(range(2490, 2500))
assert okx == []
kinds = {}
for t in allt:
    kinds.setdefault(t["kind"], []).append(t)
    assert t["exchange"] == "binance" or t["exchange"], t
    assert isinstance(t["ts_exchange_ns"], int) and isinstance(t["ts_recv_ns"], int)
assert set(kinds) == {"quote", "trade", "gap"}, kinds.keys()
for t in kinds["quote"]:
    assert t["update_id"] == t["seq"] and t["bid_px"] < t["ask_px"] and "bid_qty" in t and "ask_qty" in t
sides = set()
for t in kinds["trade"]:
    assert t["trade_id"] == str(t["seq"]) and t["px"] > 0 and "qty" in t
    sides.add(t["side"])
assert sides == {"buy", "sell", "unknown"}, sides
for t in kinds["gap"]:
    assert t["lost"] == t["seq"] and t["reason"] == "disconnect" and t["ts_end_ns"] == t["ts_start_ns"] + 1000
PY

"$BC" --config "$tmp/c.ini" dump nosuch 2>/dev/null && tl_fail "dump of an unknown exchange should fail"
rc=0; "$BC" --config "$tmp/c.ini" dump 2>/dev/null || rc=$?
[ $rc = 2 ] || tl_fail "usage error should exit 2, got $rc"
"$BC" --config "$tmp/c.ini" unlink
ls /dev/shm | grep -q "spreadbus.$INST\." && tl_fail "segments left after unlink"
echo "ok: busctl create/status/rings/dump/unlink"
