# tests/lib/links_scenario.sh: the several-connections scenario the
# test_collector_links_<exchange>.sh tests share. Needs common.sh,
# config.sh, fakex.sh, bus.sh and collector.sh.
#
#   tl_links_scenario EXCHANGE SYMBOLS PER_CONN [section.key=value ...]
#
# Starts fakex and a collector for SYMBOLS generated symbols (L1-USDT, ...)
# with max_symbols_per_conn PER_CONN, so that the exchange needs at least
# three connections; every symbol must stream. Then the server drops the
# middle connection's socket (no close frame) and refuses new connections
# for 2.5 s: every symbol of the other connections must keep arriving in
# the hole (ticks received between the gap's start and end), and gap
# markers are written for the dropped connection's symbols and no others.
# At the end the server's event log shows that the collector kept to the
# exchange's documented limits (tl_links_<exchange>_limits).

# N symbols, 8 to a config line (lines continue a symbols list when indented).
tl_links_symbols() {
	local n=$1 i out=
	for ((i = 1; i <= n; i++)); do
		out+="L$i-USDT"
		((i < n)) && out+=","
		((i < n && i % 8 == 0)) && out+=$'\n\t'
	done
	printf '%s' "$out"
}

# Prints the symbols of every open connection as lines "ID SYM SYM ...".
tl_links_conns() { tl_fakex_conns | jq -r '"\(.id) \(.symbols | join(" "))"'; }

# For tl_wait_for: one gap marker for each symbol in $@, after seq $1.
tl_links_gaps_for() {
	local after=$1 n
	shift
	n=$(tl_ring_dump | jq -s --argjson a "$after" '[.[] | select(.kind == "gap" and .seq > $a)] | length')
	((n >= $#))
}

# The most events of one connection, in any window of WINDOW_MS ms, among
# the event lines on stdin ("fakex-event MS EXCHANGE CONN ..."); prints
# "COUNT CONN MS" of the worst window.
tl_links_max_in_window() {
	awk -v w="$1" '
		{ n = ++cnt[$4]; t[$4, n] = $2 + 0
		  while (t[$4, n] - t[$4, first[$4] + 1] >= w) first[$4]++
		  if (n - first[$4] > best) { best = n - first[$4]; conn = $4; at = t[$4, n] } }
		END { printf "%d %s %.3f\n", best, conn, at }'
}

# tl_links_within WHAT VALUE LIMIT: fails unless VALUE <= LIMIT.
tl_links_within() { (($2 <= $3)) || tl_fail "$1: $2, over the limit of $3"; }

# Binance: at most 5 incoming messages per second per connection, pongs and
# requests alike; at most 300 connection attempts per 5 minutes per IP.
tl_links_binance_limits() {
	local worst opens
	worst=$(tl_fakex_events | awk '$5 == "recv"' | tl_links_max_in_window 1000)
	tl_log "binance: most incoming messages on one connection in 1 s: $worst (limit 5)"
	tl_links_within "incoming messages on one connection in 1 s" "${worst%% *}" 5
	opens=$(tl_fakex_events | awk '$5 == "open" || $5 == "refused"' | wc -l)
	tl_links_within "connection attempts in 5 minutes" "$opens" 300
	tl_assert_ge "SUBSCRIBE messages on a connection (the pacing was exercised)" 2 \
		"$(tl_fakex_events | awk '$5 == "recv" && /"SUBSCRIBE"/ { n[$4]++ } END { m = 0; for (k in n) if (n[k] > m) m = n[k]; print m }')"
}

# The subscribe requests (JSON after "recv text") as JSON lines
# {"conn":ID,"ms":MS,"req":{...}}.
tl_links_requests() {
	tl_fakex_events | awk '$5 == "recv" && $6 == "text" && $7 ~ /^\{/ {
			line = substr($0, index($0, " recv text ") + 11); printf "{\"conn\":%s,\"ms\":%s,\"req\":%s}\n", $4, $2, line }' |
		jq -c 'select(.req.op == "subscribe")'
}

# Bybit spot: at most 10 args per subscribe request; the args of one
# connection at most 21,000 characters.
tl_links_bybit_limits() {
	local report
	report=$(tl_links_requests | jq -s -c '{most_args: (map(.req.args | length) | max),
		most_chars: (group_by(.conn) | map([.[].req.args[] | length] | add) | max), requests: length}')
	tl_log "bybit: $report (limits: 10 args, 21000 characters)"
	tl_links_within "args in one subscribe request" "$(jq .most_args <<<"$report")" 10
	tl_links_within "characters of args on one connection" "$(jq .most_chars <<<"$report")" 21000
	tl_assert_ge "subscribe requests (several per connection)" 6 "$(jq .requests <<<"$report")"
}

# OKX: at most 3 connection requests per second per IP; 480 subscribe
# requests per hour per connection; at most 64 KB of args per connection.
tl_links_okx_limits() {
	local worst report
	# refused attempts are connection requests too
	worst=$(tl_fakex_events | awk '$5 == "open" || $5 == "refused" { $4 = "ip"; print }' | tl_links_max_in_window 1000)
	tl_log "okx: most connection requests in 1 s: $worst (limit 3)"
	tl_links_within "connection requests in 1 s" "${worst%% *}" 3
	report=$(tl_links_requests | jq -s -c '{most_requests: (group_by(.conn) | map(length) | max),
		most_bytes: (group_by(.conn) | map([.[].req.args[] | tojson | length] | add) | max)}')
	tl_log "okx: $report (limits: 480 requests per hour, 65536 bytes of args per connection)"
	tl_links_within "subscribe requests on one connection (in less than an hour)" \
		"$(jq .most_requests <<<"$report")" 480
	tl_links_within "bytes of args on one connection" "$(jq .most_bytes <<<"$report")" 65536
}

tl_links_scenario() {
	local ex=$1 nsyms=$2 per_conn=$3
	shift 3
	local -a syms conns_ids
	local line id victim victim_syms=() other_syms=() before gaps in_hole conns
	mapfile -t syms < <(tl_links_symbols "$nsyms" | tr -d '\n\t' | tr ',' '\n')
	tl_fakex_start --exchange "$ex" --symbols "$(IFS=,; echo "${syms[*]}")" --rate 500
	tl_collector_start "$ex" "$(tl_links_symbols "$nsyms")" "exchange.$ex.max_symbols_per_conn=$per_conn" "$@"
	tl_wait_for 30 "every symbol streaming" tl_ring_flowing -1 "${syms[@]}"
	conns=$(tl_links_conns | wc -l)
	tl_assert_ge "connections the exchange needed" 3 "$conns"
	tl_assert_eq "the collector's connections (status block)" "$conns" \
		"$(tl_bus_field "$TL_CONFIG" "$TL_EX" '.conns | length')"
	tl_assert_eq "streams subscribed at the server" $((2 * nsyms)) "$(tl_fakex_stat "$ex.streams")"

	mapfile -t conns_ids < <(tl_links_conns | cut -d' ' -f1)
	victim=${conns_ids[1]}
	while read -r id line; do
		if [[ $id == "$victim" ]]; then
			read -ra victim_syms <<<"$line"
		else
			read -ra line <<<"$line"
			other_syms+=("${line[@]}")
		fi
	done < <(tl_links_conns)
	before=$(tl_ring_last_seq)
	tl_fakex_cmd "refuse 2500" >/dev/null
	tl_fakex_cmd "drop $victim" >/dev/null
	tl_wait_for 30 "gap markers for the ${#victim_syms[@]} symbols of the dropped connection" \
		tl_links_gaps_for "$before" "${victim_syms[@]}"
	tl_wait_for 20 "the dropped connection's symbols streaming again" \
		tl_ring_flowing "$(tl_ring_last_seq)" "${victim_syms[@]}"
	gaps=$(tl_ring_dump | jq -s -c --argjson a "$before" '[.[] | select(.kind == "gap" and .seq > $a)]')
	tl_assert_eq "symbols with a gap marker" "$(printf '%s\n' "${victim_syms[@]}" | sort | jq -R . | jq -s -c .)" \
		"$(jq -c 'map(.symbol) | sort' <<<"$gaps")"
	tl_assert_eq "gap reasons" '["disconnect"]' "$(jq -c 'map(.reason) | unique' <<<"$gaps")"
	# every other symbol arrived while the dropped connection was away
	in_hole=$(tl_ring_dump | jq -s -r --argjson g "$(jq '.[0]' <<<"$gaps")" --args '
		[.[] | select(.kind == "quote" and .ts_recv_ns > $g.ts_start_ns and .ts_recv_ns < $g.ts_end_ns) | .symbol]
		| unique as $seen | $ARGS.positional - $seen | join(" ")' "${other_syms[@]}")
	[[ -z $in_hole ]] || tl_fail "no quote during the dropped connection's hole for: $in_hole"
	tl_log "dropped connection $victim (${#victim_syms[@]} symbols) for" \
		"$(jq '(.[0].ts_end_ns - .[0].ts_start_ns) / 1e6 | floor' <<<"$gaps") ms;" \
		"all ${#other_syms[@]} others streamed meanwhile"
	"tl_links_${ex}_limits"
	tl_collector_same_pid
}
