#!/usr/bin/env bash
# Hostile input hurts no other client: while 2,000 idle TCP connections,
# a slowloris dripping its request, a client sending a frame larger than
# max_message_bytes and a client flooding garbage frames hit the gateway, a
# normal client keeps getting every spread update, and a new client can
# still connect; the oversize and flooding clients get errors or are closed.
source "$(dirname "$0")/gateway_lib.sh"

gw_config gateway.max_message_bytes=4096
start_aggregator
start_gateway
start_feeder
client normal
request normal '{"op":"subscribe","channels":["spreads"],"symbols":["BTC-USDT"],"id":1}' >/dev/null

# the crowd: idle sockets, a slowloris, an oversize frame (python: no
# WebSocket library needed for any of it)
cat >"$T/hostile.py" <<'PY'
import base64, os, socket, struct, sys, time
port = int(sys.argv[1])
def conn():
    s = socket.create_connection(("127.0.0.1", port))
    s.setblocking(True)
    return s
idle = []
for _ in range(2000):
    try:
        idle.append(conn())
    except OSError as e:
        print("idle connect failed:", e, flush=True)
        break
print("IDLE", len(idle), flush=True)
# oversize: a proper upgrade, then one masked text frame of 100000 bytes
big = conn()
key = base64.b64encode(os.urandom(16)).decode()
big.sendall(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % key).encode())
resp = b""
while b"\r\n\r\n" not in resp:
    resp += big.recv(4096)
print("UPGRADE", resp.split(b"\r\n")[0].decode(), flush=True)
payload = b"x" * 100000
mask = os.urandom(4)
frame = bytes([0x81, 0x80 | 127]) + struct.pack(">Q", len(payload)) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
try:
    big.sendall(frame)
except OSError:
    pass
big.settimeout(5)
data = resp.split(b"\r\n\r\n", 1)[1]
try:
    while len(data) < 4:
        chunk = big.recv(4096)
        if not chunk:
            break
        data += chunk
except OSError:
    pass
if len(data) >= 4 and data[0] == 0x88:
    print("OVERSIZE-CLOSED", struct.unpack(">H", data[2:4])[0], data[4:2 + data[1]].decode(errors="replace"), flush=True)
else:
    print("OVERSIZE-NO-CLOSE", data[:20], flush=True)
# slowloris: one byte every 200 ms for as long as we run
slow = conn()
req = b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"a" * 10000
print("SLOWLORIS", flush=True)
for b in req:
    try:
        slow.send(bytes([b]))
    except OSError:
        print("SLOWLORIS-CUT", flush=True)
        break
    time.sleep(0.2)
PY
tl_spawn hostile python3 "$T/hostile.py" "$GW_PORT"
tl_wait_for 20 "the crowd connected" grep -q '^SLOWLORIS' "$T/hostile.log"
grep -q '^IDLE 2000' "$T/hostile.log" || tl_fail "not all idle connections: $(grep IDLE "$T/hostile.log")"
grep -q '^OVERSIZE-CLOSED 1009 message larger than 4096 bytes' "$T/hostile.log" ||
	tl_fail "oversize frame: $(grep OVERSIZE "$T/hostile.log")"

# a garbage flood on a WebSocket: every frame answered, nobody else hurt
client flood
for i in $(seq 200); do send flood "garbage $i"; done
tl_wait_for 10 "flood answered" lines_at_least 200 flood '.op == "error"'

# the normal client gets every update while all that goes on
spreads() { lines normal '.channel == "spreads"'; }
feed quote binance BTC-USDT 100 100.5
feed quote okx BTC-USDT 101 101.5
tl_wait_for 2 "normal: the first update" tl_at_least 1 spreads
for k in $(seq 10); do
	before=$(spreads)
	feed quote binance BTC-USDT 100 100.$k
	feed quote okx BTC-USDT 101 101.$k
	tl_wait_for 2 "normal: update $k" tl_at_least $((before + 2)) spreads
done
# and a newcomer still gets in
client newcomer
request newcomer '{"op":"subscribe","channels":["status"],"id":1}' >/dev/null
[ "$(gw_metric gateway_clients)" = 3 ] || tl_fail "ws clients: $(gw_metric gateway_clients), expected normal, flood and newcomer"
tl_assert_ge "bad requests" 201 "$(gw_metric gateway_bad_requests_total)"
grep -q '^DISCONNECTED' "$T/normal.log" && tl_fail "the normal client was disconnected"
tl_stop hostile TERM
tl_pass
