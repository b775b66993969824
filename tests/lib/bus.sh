# tests/lib/bus.sh: the bus of a test instance through spreadbus-busctl.
#
#   tl_bus_create CONFIG          busctl create; busctl unlink at exit (of the
#                                 config as it is now: a test may rewrite it
#                                 for another instance)
#   tl_bus_unlink CONFIG          busctl unlink now
#   tl_bus_metric CONFIG NAME METRIC   one metric of status block NAME
#                                 (e.g. binance ticks_published_total); 0 if absent
#   tl_bus_field CONFIG NAME JQ   any field of that block (e.g. .pid, .state)
#   tl_bus_dump CONFIG EXCHANGE > file   every tick still in the ring, JSON lines
#
# Needs tests/lib/common.sh and jq.

tl_bus_create() {
	local copy
	copy=$(mktemp "$TL_TMP/bus.XXXXXX.conf") && cp "$1" "$copy" || tl_fail "cannot copy $1"
	"$TL_BIN/spreadbus-busctl" --config "$1" create >>"$TL_TMP/busctl.log" 2>&1 ||
		tl_fail "busctl create failed"
	tl_cleanup "$TL_BIN/spreadbus-busctl" --config "$copy" unlink
}

tl_bus_unlink() {
	"$TL_BIN/spreadbus-busctl" --config "$1" unlink >>"$TL_TMP/busctl.log" 2>&1 || tl_fail "busctl unlink failed"
}

tl_bus_field() {
	"$TL_BIN/spreadbus-busctl" --config "$1" status 2>>"$TL_TMP/busctl.log" |
		jq -r --arg n "$2" "select(.name == \$n) | $3" || tl_fail "busctl status failed"
}

tl_bus_metric() {
	local v
	v=$(tl_bus_field "$1" "$2" ".metrics[\"$3\"] // 0")
	echo "${v:-0}"
}

tl_bus_dump() {
	"$TL_BIN/spreadbus-busctl" --config "$1" dump "$2" 2>>"$TL_TMP/busctl.log" || tl_fail "busctl dump $2 failed"
}
