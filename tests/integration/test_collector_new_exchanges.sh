#!/usr/bin/env bash
# Each adapter added after binance, bybit and okx streams from the fake
# exchange speaking its protocol into a ring: every symbol gets quotes and
# trades under its canonical name (perpetuals as BASE-QUOTE-PERP); after a
# forced close the collector reconnects, resubscribes every symbol and
# leaves a gap marker; bad frames are counted exactly (rejects and
# duplicates); the ring holds no duplicate or backwards ids and the
# collector keeps its pid. HTX frames are gzip members in binary frames.
set -u
source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

# exchange, then the canonical names the collector is configured with, for
# the fake exchange's BTC-USDT and ETH-USDT. Bitget's books1, Kraken's and
# Coinbase's ticker and Deribit's quote carry no update id (0 in every quote): their quotes
# must not repeat time and values (tl_ring_check_no_repeats).
NEW_EXCHANGES=(
	"binance-usdm BTC-USDT-PERP ETH-USDT-PERP"
	"gateio BTC-USDT ETH-USDT"
	"bitget BTC-USDT ETH-USDT"
	"kraken BTC-USDT ETH-USDT"
	"coinbase BTC-USDT ETH-USDT"
	"deribit BTC-USDT-PERP ETH-USDT-PERP"
	"htx BTC-USDT ETH-USDT"
)

stat() { tl_fakex_stat "\"$TL_EX\".$1"; }

counted() { # true once the collector counted $1 more rejects and $2 more duplicates
	(($(tl_collector_rejects) - rejects0 >= $1 && $(tl_collector_metric duplicates_total) - dups0 >= $2))
}

summary=()
for spec in "${NEW_EXCHANGES[@]}"; do
	read -r ex syms_a syms_b <<<"$spec"
	syms=("$syms_a" "$syms_b")
	tl_fakex_start --exchange "$ex" --symbols BTC-USDT,ETH-USDT --rate 200
	tl_collector_start "$ex" "$syms_a, $syms_b" "exchange.$ex.no_data_timeout_ms=1000"
	tl_wait_flowing 20 -1 "${syms[@]}"
	tl_log "$ex: quotes and trades of ${syms[*]} in the ring"
	# Deribit's test_request wants public/test, HTX's {"ping":n} {"pong":n}: the collector's CONTROL_REPLY
	[[ $ex != deribit && $ex != htx ]] || tl_wait_for 10 "$ex: the server's ping answered" tl_at_least 1 stat pongs_received

	conns=$(stat connections_total)
	before=$(tl_ring_last_seq)
	tl_fakex_cmd close >/dev/null
	tl_wait_for 15 "$ex: a new connection after a forced close" tl_at_least $((conns + 1)) stat connections_total
	tl_wait_flowing 20 "$(tl_ring_last_seq)" "${syms[@]}"
	tl_assert_ge "$ex: gap markers after the close" 1 "$(tl_ring_gaps "$before")"

	rejects0=$(tl_collector_rejects)
	dups0=$(tl_collector_metric duplicates_total)
	tl_fakex_cmd "malformed 10" >/dev/null
	tl_fakex_cmd "crossed 3" >/dev/null
	tl_fakex_cmd "oversize 2" >/dev/null
	tl_fakex_cmd "duplicate 3" >/dev/null
	tl_wait_for 10 "$ex: fakex to send every bad frame" tl_at_least 18 \
		tl_fakex_stat "\"$ex\" | .malformed + .oversize + .crossed + .duplicate"
	tl_wait_flowing 20 "$(tl_ring_last_seq)" "${syms[@]}"
	tl_wait_for 10 "$ex: the collector to count 15 rejects and 3 duplicates" counted 15 3
	tl_assert_eq "$ex: frames rejected" 15 $(($(tl_collector_rejects) - rejects0))
	tl_assert_eq "$ex: duplicates dropped" 3 $(($(tl_collector_metric duplicates_total) - dups0))

	tl_collector_same_pid
	tl_ring_check_no_repeats
	summary+=("$ex $(tl_collector_metric ticks_published_total) ticks")
	tl_collector_stop
	tl_fakex_stop
done
tl_pass "$(IFS=,; echo "${summary[*]}")"
