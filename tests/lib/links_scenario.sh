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

# N symbols, 8 to a config line (lines continue a symbols list when
# indented), each with SUFFIX (tl_perp_suffix) if given.
tl_links_symbols() {
	local n=$1 suffix=${2:-} i out=
	for ((i = 1; i <= n; i++)); do
		out+="L$i-USDT$suffix"
		((i < n)) && out+=","
		((i < n && i % 8 == 0)) && out+=$'\n\t'
	done
	printf '%s' "$out"
}

# Prints the symbols of every open connection as lines "ID SYM SYM ...",
# named as in the ring (tl_perp_suffix of TL_EX).
tl_links_conns() { tl_fakex_conns | jq -r --arg p "$(tl_perp_suffix "$TL_EX")" '"\(.id) \(.symbols | map(. + $p) | join(" "))"'; }

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

# tl_links_most WHAT WINDOW_MS LIMIT [ip] < event lines: the most events of
# one connection (ip: of all) in any WINDOW_MS, within LIMIT. (Input by
# redirection, not a pipe: it fails the test in this shell.)
tl_links_most() {
	local worst
	worst=$(if [[ ${4:-} == ip ]]; then awk '{ $4 = "ip"; print }'; else cat; fi | tl_links_max_in_window "$2")
	tl_log "$TL_EX: most $1 in $2 ms: $worst (limit $3)"
	tl_links_within "$1 in $2 ms" "${worst%% *}" "$3"
}

# The newer adapters' documented limits (docs/collector.md, per exchange).
tl_links_attempts() { tl_fakex_events | awk '$5 == "open" || $5 == "refused"'; }
tl_links_recv() { tl_fakex_events | awk '$5 == "recv"'; }
# Binance USD-M: 10 incoming messages per second per connection; 300
# connection attempts per 5 minutes (the spot rule).
tl_links_binance-usdm_limits() {
	tl_links_most "incoming messages on one connection" 1000 10 < <(tl_links_recv)
	tl_links_most "connection attempts" 300000 300 ip < <(tl_links_attempts)
}
# Gate.io: at most 100 connections per host.
tl_links_gateio_limits() { tl_links_most "connections" 300000 100 ip < <(tl_links_attempts); }
# Bitget: 10 messages per second per connection; 240 subscription requests
# per hour per connection; 300 connection requests per 5 minutes.
tl_links_bitget_limits() {
	tl_links_most "incoming messages on one connection" 1000 10 < <(tl_links_recv)
	tl_links_most "subscription requests on one connection" 3600000 240 < <(tl_links_recv | awk '/"subscribe"/')
	tl_links_most "connection requests" 300000 300 ip < <(tl_links_attempts)
}
# Kraken: nothing documented for public data; our pacing: attempts 500 ms
# apart.
tl_links_kraken_limits() { tl_links_most "connection attempts" 1000 2 ip < <(tl_links_attempts); }
# Coinbase: 8 requests per second per IP, bursts of 20 (connections and
# subscribe messages): a bucket of 20 refilled at 8 per second never runs
# dry.
tl_links_coinbase_limits() {
	local low
	low=$(tl_fakex_events | awk '$5 == "open" || $5 == "refused" || ($5 == "recv" && /"subscribe"/) {
			t = $2 / 1000; if (n++) { b += (t - last) * 8; if (b > 20) b = 20 } else b = 20
			last = t; b--; if (b < low || n == 1) low = b }
		END { printf "%.2f\n", n ? low : 20 }')
	tl_log "coinbase: lowest level of the 20-request bucket refilled at 8/s: $low"
	awk -v l="$low" 'BEGIN { exit !(l >= 0) }' || tl_fail "coinbase: requests beyond 8/s with bursts of 20 (bucket at $low)"
}
# Deribit: 32 connections per IP.
tl_links_deribit_limits() { tl_links_most "connections" 300000 32 ip < <(tl_links_attempts); }
# HTX: nothing documented for market data; our pacing: attempts 200 ms apart.
tl_links_htx_limits() { tl_links_most "connection attempts" 1000 5 ip < <(tl_links_attempts); }

tl_links_scenario() {
	local ex=$1 nsyms=$2 per_conn=$3
	shift 3
	local -a syms conns_ids
	local line id victim victim_syms=() other_syms=() before gaps in_hole conns perp
	perp=$(tl_perp_suffix "$ex")
	mapfile -t syms < <(tl_links_symbols "$nsyms" "$perp" | tr -d '\n\t' | tr ',' '\n')
	tl_fakex_start --exchange "$ex" --symbols "$(tl_links_symbols "$nsyms" | tr -d '\n\t')" --rate 500
	tl_collector_start "$ex" "$(tl_links_symbols "$nsyms" "$perp")" "exchange.$ex.max_symbols_per_conn=$per_conn" "$@"
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
