#!/usr/bin/env bash
# [gateway] token and allowed_origins: an upgrade without the token (header
# or ?token=) or from a page of a site not listed is refused and counted;
# the right token, a listed origin, the gateway's own origin and clients
# that send no Origin get in.
source "$(dirname "$0")/gateway_lib.sh"

gw_config gateway.token=s3cret-t0ken "gateway.allowed_origins=https://good.example, https://also.example"
start_gateway

# upgrade [curl headers...]: the status line of a WebSocket upgrade of /ws
upgrade() {
	curl -s -i --max-time 2 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
		-H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "$@" 2>/dev/null | head -n 1 | tr -d '\r'
}
url=http://127.0.0.1:$GW_PORT/ws
ok='HTTP/1.1 101 Switching Protocols'
[ "$(upgrade "$url")" != "$ok" ] || tl_fail "no token: upgraded"
[ "$(upgrade -H 'Authorization: Bearer wrong' "$url")" != "$ok" ] || tl_fail "wrong token: upgraded"
[ "$(upgrade "$url?token=s3cret-t0ke")" != "$ok" ] || tl_fail "a prefix of the token: upgraded"
[ "$(upgrade -H 'Authorization: Bearer s3cret-t0ken' "$url")" = "$ok" ] || tl_fail "bearer header refused"
[ "$(upgrade "$url?token=s3cret-t0ken")" = "$ok" ] || tl_fail "?token= refused"
[ "$(upgrade -H 'Origin: https://evil.example' "$url?token=s3cret-t0ken")" != "$ok" ] || tl_fail "evil origin: upgraded"
[ "$(upgrade -H 'Origin: https://also.example' "$url?token=s3cret-t0ken")" = "$ok" ] || tl_fail "listed origin refused"
[ "$(upgrade -H "Origin: http://127.0.0.1:$GW_PORT" "$url?token=s3cret-t0ken")" = "$ok" ] ||
	tl_fail "the dashboard's own origin refused"
tl_wait_for 5 "refusals counted" gw_metric_at_least 4 gateway_clients_refused_total
[ "$(gw_metric gateway_clients_refused_total)" = 4 ] || tl_fail "refused: $(gw_metric gateway_clients_refused_total), expected 4"
# the dashboard's files need no token
[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$GW_PORT/")" = 200 ] || tl_fail "GET / refused"
# a real client with the token gets data
client c --path "/ws?token=s3cret-t0ken"
request c '{"op":"subscribe","channels":["status"],"id":1}' >/dev/null
tl_wait_for 5 "status message" lines_at_least 1 c '.channel == "status"'
tl_pass
