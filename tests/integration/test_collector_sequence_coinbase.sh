#!/usr/bin/env bash
# Coinbase numbers every message of a connection (sequence_num): when the
# fake exchange skips a number (seq_skip), the collector writes a gap
# marker of reason "sequence" for each symbol of that connection, once,
# and logs it; a repeated message (duplicate) is no skip, and a clean
# stream writes none.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

SYMS=(BTC-USDT ETH-USDT)
seq_gaps() { tl_ring_dump | jq -s '[.[] | select(.kind == "gap" and .reason == "sequence")] | length'; }

tl_fakex_start --exchange coinbase --symbols BTC-USDT,ETH-USDT --rate 200
tl_collector_start coinbase "BTC-USDT, ETH-USDT"
tl_wait_flowing 20 -1 "${SYMS[@]}"
tl_fakex_cmd "duplicate 3" >/dev/null
tl_wait_for 10 "three repeated messages sent" tl_at_least 3 tl_fakex_stat coinbase.duplicate
tl_wait_flowing 20 "$(tl_ring_last_seq)" "${SYMS[@]}"
tl_assert_eq "sequence gap markers after repeated messages" 0 "$(seq_gaps)"

before=$(tl_ring_last_seq)
tl_fakex_cmd "seq_skip 1" >/dev/null
tl_wait_for 10 "a message number skipped" tl_at_least 1 tl_fakex_stat coinbase.seq_skipped
tl_wait_for 10 "sequence gap markers for both symbols" tl_at_least 2 seq_gaps
tl_wait_flowing 20 "$(tl_ring_last_seq)" "${SYMS[@]}"
tl_assert_eq "sequence gap markers" 2 "$(seq_gaps)"
tl_assert_eq "symbols with a sequence gap marker" '["BTC-USDT","ETH-USDT"]' \
	"$(tl_ring_dump | jq -s -c '[.[] | select(.kind == "gap" and .reason == "sequence") | .symbol] | sort')"
grep -q "message number [0-9]*, expected [0-9]*: 1 lost" "$TL_TMP/collector.log" ||
	tl_fail "the collector did not log the skipped message number"
tl_assert_eq "connections (a skip is no reconnect)" 1 "$(tl_fakex_stat coinbase.connections_total)"
tl_collector_same_pid
tl_ring_check_no_repeats
summary="$(tl_ring_gaps "$before") gap marker(s) after the skip"
tl_collector_stop
tl_fakex_stop
tl_pass "$summary"
