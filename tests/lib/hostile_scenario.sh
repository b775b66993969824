# tests/lib/hostile_scenario.sh: the bad-frames scenario the
# test_collector_hostile_frames_<exchange>.sh tests share. Needs common.sh,
# config.sh, fakex.sh, bus.sh and collector.sh.
#
#   tl_hostile_scenario EXCHANGE
#
# While good frames stream, the fake exchange sends 20 malformed frames
# (cut JSON, not JSON, missing/non-numeric/zero/negative/1e999 prices, 5000
# levels of nesting, an unknown symbol, a timestamp a day ahead), 3 frames
# over 64 KiB, 3 binary frames, 5 crossed quotes, 5 repeated frames and 5
# quotes whose update id goes backwards. Every one must be counted by the
# collector: the first four kinds as rejects, the last two as duplicates.
# The collector keeps its pid, good frames keep flowing, and the ring holds
# no duplicate or backwards ids.

TL_HOSTILE_REJECTED=(malformed 20 oversize 3 binary 3 crossed 5)
TL_HOSTILE_DUPLICATES=(duplicate 5 out_of_order 5)

# true once the collector counted $1 more rejects and $2 more duplicates
tl_hostile_counted() {
	local rejects dups
	rejects=$(tl_collector_rejects)
	dups=$(tl_collector_metric duplicates_total)
	((rejects - TL_REJECTS0 >= $1 && dups - TL_DUPS0 >= $2))
}

tl_hostile_scenario() {
	local ex=$1 i want_rejects=0 want_dups=0 kind n
	TL_SYMS=(BTC-USDT ETH-USDT)
	tl_fakex_start --exchange "$ex" --symbols BTC-USDT,ETH-USDT --rate 200
	tl_collector_start "$ex" "BTC-USDT, ETH-USDT"
	tl_wait_flowing 20 -1 "${TL_SYMS[@]}"
	TL_REJECTS0=$(tl_collector_rejects)
	TL_DUPS0=$(tl_collector_metric duplicates_total)
	tl_assert_eq "rejects before the bad frames" 0 "$TL_REJECTS0"

	for ((i = 0; i < ${#TL_HOSTILE_REJECTED[@]}; i += 2)); do
		kind=${TL_HOSTILE_REJECTED[i]} n=${TL_HOSTILE_REJECTED[i + 1]}
		tl_fakex_cmd "$kind $n" >/dev/null
		want_rejects=$((want_rejects + n))
	done
	for ((i = 0; i < ${#TL_HOSTILE_DUPLICATES[@]}; i += 2)); do
		kind=${TL_HOSTILE_DUPLICATES[i]} n=${TL_HOSTILE_DUPLICATES[i + 1]}
		tl_fakex_cmd "$kind $n" >/dev/null
		want_dups=$((want_dups + n))
	done
	tl_wait_for 10 "fakex to send every bad frame" tl_at_least $((want_rejects + want_dups)) \
		tl_fakex_stat "$ex | .malformed + .oversize + .binary + .crossed + .duplicate + .out_of_order"
	local last
	last=$(tl_ring_last_seq)
	tl_wait_flowing 20 "$last" "${TL_SYMS[@]}"
	tl_wait_for 10 "the collector to count $want_rejects rejects and $want_dups duplicates" \
		tl_hostile_counted "$want_rejects" "$want_dups"

	local rejects dups
	rejects=$(($(tl_collector_rejects) - TL_REJECTS0))
	dups=$(($(tl_collector_metric duplicates_total) - TL_DUPS0))
	tl_log "rejects by kind: $(tl_bus_field "$TL_CONFIG" "$ex" \
		'[.metrics | to_entries[] | select(.key | test("^rejects_")) | select(.value > 0) | "\(.key)=\(.value)"] | join(" ")')"
	tl_assert_eq "frames rejected" "$want_rejects" "$rejects"
	tl_assert_eq "duplicates dropped" "$want_dups" "$dups"
	tl_collector_same_pid
	tl_ring_check_no_duplicates
}
