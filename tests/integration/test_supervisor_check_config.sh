#!/usr/bin/env bash
# spreadbus --check-config: exit 0 on a good file; on bad files exit 1 and
# print every error as FILE:LINE: message (the environment's as VAR:);
# usage errors exit 2. The parser itself is tested in tests/config/.
set -euo pipefail
source "${SPREADBUS_SRC:-$(dirname "$0")/../..}/tests/lib/common.sh"
tl_init
tl_need_bins spreadbus
BIN=$TL_BIN
T=$TL_TMP

good() {
	cat <<CONF
[service]
instance = chk$$
runtime_dir = $T/run
state_dir = $T/state

[exchange.binance]
symbols = BTC-USDT, ETH-USDT
CONF
}

# check FILE WANT_RC PATTERN...: run --check-config, compare the exit code,
# and require each PATTERN (an extended regex) in the output.
check() {
	local f=$1 want=$2 rc=0
	shift 2
	"$BIN/spreadbus" --check-config "$f" >"$T/out" 2>&1 || rc=$?
	[ $rc -eq "$want" ] || tl_fail "$(basename "$f"): exit $rc, want $want: $(cat "$T/out")"
	local p
	for p in "$@"; do
		grep -qE -- "$p" "$T/out" || tl_fail "$(basename "$f"): no line matching '$p' in: $(cat "$T/out")"
	done
}

good >"$T/good.conf"
check "$T/good.conf" 0 'ok \(1 exchanges?\)'

# line 4: unknown key
{ good | sed '3a bogus_key = 1'; } >"$T/unknown_key.conf"
check "$T/unknown_key.conf" 1 "^$T/unknown_key.conf:4: \[service\]: unknown key 'bogus_key'"

# a bad number and a bad level, both reported, each with its own line
cat >"$T/two_errors.conf" <<CONF
[service]
runtime_dir = $T/run
state_dir = $T/state
log_level = loud

[restart]
burst_count = many

[exchange.okx]
symbols = BTC-USDT
CONF
check "$T/two_errors.conf" 1 "^$T/two_errors.conf:4: .*log_level" "^$T/two_errors.conf:7: .*burst_count" '2 errors'

# an exchange without symbols, and a non-canonical symbol
printf '[service]\nruntime_dir = %s/run\nstate_dir = %s/state\n[exchange.bybit]\nquotes = true\n[exchange.okx]\nsymbols = btcusdt\n' \
	"$T" "$T" >"$T/symbols.conf"
check "$T/symbols.conf" 1 "^$T/symbols.conf:4: .*symbols is required" "^$T/symbols.conf:7: .*symbols"

# duplicate section
{ good; printf '\n[exchange.binance]\nsymbols = BTC-USDT\n'; } >"$T/dup.conf"
check "$T/dup.conf" 1 "^$T/dup.conf:9: duplicate section \[exchange.binance\] \(first at line 6\)"

# no exchange at all
good | head -n 4 >"$T/no_exchange.conf"
check "$T/no_exchange.conf" 1 "no exchange configured"

# unknown adapter
{ good; printf '\n[exchange.nope]\nsymbols = BTC-USD\n'; } >"$T/adapter.conf"
check "$T/adapter.conf" 1 "^$T/adapter.conf:9: .*unknown adapter 'nope'"

# an exchange named like a child process: the loader accepts it, the
# supervisor does not (child names must be unique)
{ good; printf '\n[exchange.writer]\nadapter = okx\nsymbols = BTC-USDT\n'; } >"$T/child_name.conf"
check "$T/child_name.conf" 1 "^$T/child_name.conf: \[exchange.writer\]: 'writer' names a child process" '1 error'
grep -q ': ok' "$T/out" && tl_fail "child_name.conf: said ok"

# a bad environment override is named by its variable
rc=0
SPREADBUS_REDIS_PORT=notaport "$BIN/spreadbus" --check-config "$T/good.conf" >"$T/out" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q '^SPREADBUS_REDIS_PORT: ' "$T/out" || tl_fail "env override error: rc=$rc $(cat "$T/out")"

# a missing file
check "$T/nope.conf" 1 "$T/nope.conf: cannot read"

# usage errors
rc=0; "$BIN/spreadbus" >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || tl_fail "no arguments: exit $rc, want 2"
rc=0; "$BIN/spreadbus" --check-config "$T/good.conf" --config "$T/good.conf" >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || tl_fail "both modes: exit $rc, want 2"

# --config refuses a bad file the same way, before touching anything
rc=0; "$BIN/spreadbus" --config "$T/two_errors.conf" >"$T/out" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "^$T/two_errors.conf:7: " "$T/out" || tl_fail "--config with errors: rc=$rc $(cat "$T/out")"
[ -e "$T/run/spreadbus.sock" ] && tl_fail "a refused config started something"
echo "check-config: all cases as expected"
