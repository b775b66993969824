#!/usr/bin/env bash
# Slow or hostile HTTP clients cannot stall the supervisor: a slowloris
# client is cut at the per-connection deadline, a huge header gets 431,
# a flood of idle connections does not lock out /ping, and through all of
# it /ping answers another client at once.
. "$(dirname "$0")/supervisor_lib.sh"
write_config
sv_start
ADDR=tcp:$HTTP_PORT

# /ping answers within 1 s, timed by curl itself (from its connect to the
# last byte), so a loaded machine's process start-up does not count.
ping_fast() {
	local out
	out=$(curl -s --max-time 5 -w '%{time_total}' "http://127.0.0.1:$HTTP_PORT/ping") || tl_fail "/ping failed during $1"
	[ "${out%%$'\n'*}" = pong ] || tl_fail "/ping answered '$out' during $1"
	awk -v t="${out##*$'\n'}" 'BEGIN { exit !(t < 1.0) }' || tl_fail "/ping took ${out##*$'\n'} s during $1"
}

# slowloris: one header byte every 200 ms; /ping answers at once at every
# poll until the server has cut it.
tl_spawn drip "$BIN/spreadbus-test-netpoke" "$ADDR" --drip 12
pings=0
ping_until_cut() {
	ping_fast slowloris
	pings=$((pings + 1))
	! tl_alive drip
}
tl_wait_for 15 "the slowloris client cut" ping_until_cut
tl_reap drip 1
tl_assert_ge "pings while the slowloris client dripped" 10 "$pings"
grep -qE 'closed by server after [0-9]+ ms' "$T/drip.log" || tl_fail "slowloris not cut: $(cat "$T/drip.log")"
ms=$(awk '{print $5}' "$T/drip.log")
[ "$ms" -ge 4500 ] && [ "$ms" -le 7000 ] || tl_fail "slowloris cut after $ms ms, want ~5000"

# huge header: 431
{ printf 'GET /ping HTTP/1.1\r\nX-Big: '; head -c 20000 /dev/zero | tr '\0' 'a'; printf '\r\n\r\n'; } >"$T/huge.req"
"$BIN/spreadbus-test-netpoke" "$ADDR" --send "$T/huge.req" >"$T/huge.out"
head -n1 "$T/huge.out" | grep -q '^HTTP/1.1 431 ' || tl_fail "huge header: $(head -c 200 "$T/huge.out")"
ping_fast "huge header"

# many idle connections (more than the cap of 64): /ping still answers
# once the supervisor has taken every one of them
for i in $(seq 100); do
	tl_spawn "idle/$i" "$BIN/spreadbus-test-netpoke" "$ADDR" --hold 8
done
tl_wait_for 15 "the supervisor taking 100 idle connections" sv_took_clients tcp "$HTTP_PORT" 100 idle
tl_log "idle connections held at the cap: $(sv_conns_held tcp "$HTTP_PORT") (64 at most)"
for _ in $(seq 5); do ping_fast "100 idle connections"; done
for i in $(seq 100); do tl_reap "idle/$i" 15; done
kill -0 "$SV_PID" || tl_fail "supervisor died"
ping_fast "the end"
echo "hostile http clients: ok"
