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
	out=$(curl -s --max-time 5 -w '%{time_total}' "http://127.0.0.1:$HTTP_PORT/ping") || fail "/ping failed during $1"
	[ "${out%%$'\n'*}" = pong ] || fail "/ping answered '$out' during $1"
	awk -v t="${out##*$'\n'}" 'BEGIN { exit !(t < 1.0) }' || fail "/ping took ${out##*$'\n'} s during $1"
}

# slowloris: one header byte every 200 ms
"$BIN/spreadbus-test-netpoke" "$ADDR" --drip 12 >"$T/drip.out" &
drip=$!
EXTRA_PIDS=$drip
for _ in $(seq 10); do ping_fast slowloris; sleep 0.2; done
wait $drip
grep -qE 'closed by server after [0-9]+ ms' "$T/drip.out" || fail "slowloris not cut: $(cat "$T/drip.out")"
ms=$(awk '{print $5}' "$T/drip.out")
[ "$ms" -ge 4500 ] && [ "$ms" -le 7000 ] || fail "slowloris cut after $ms ms, want ~5000"

# huge header: 431
{ printf 'GET /ping HTTP/1.1\r\nX-Big: '; head -c 20000 /dev/zero | tr '\0' 'a'; printf '\r\n\r\n'; } >"$T/huge.req"
"$BIN/spreadbus-test-netpoke" "$ADDR" --send "$T/huge.req" >"$T/huge.out"
head -n1 "$T/huge.out" | grep -q '^HTTP/1.1 431 ' || fail "huge header: $(head -c 200 "$T/huge.out")"
ping_fast "huge header"

# many idle connections (more than the cap of 64)
idle=()
for i in $(seq 100); do
	"$BIN/spreadbus-test-netpoke" "$ADDR" --hold 8 >/dev/null &
	idle+=($!)
done
EXTRA_PIDS="${idle[*]}"
sleep 0.5
for _ in $(seq 5); do ping_fast "100 idle connections"; done
wait "${idle[@]}"
kill -0 "$SV_PID" || fail "supervisor died"
ping_fast "the end"
echo "hostile http clients: ok"
