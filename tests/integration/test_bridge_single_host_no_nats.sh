#!/usr/bin/env bash
# One host needs no NATS: libnats is linked into spreadbus-bridge alone, so
# the supervisor and every other child start without it installed.
source "$(dirname "$0")/../lib/common.sh"
tl_init
tl_need_bins spreadbus spreadbus-collector spreadbus-aggregator spreadbus-writer spreadctl spreadbus-bridge
command -v ldd >/dev/null || { echo "SKIP: ldd is not installed"; exit 77; }
# The whole list first: grep -q would close the pipe on ldd (pipefail).
libs() { ldd "$TL_BIN/$1" >"$TL_TMP/ldd.$1" || tl_fail "ldd $1 failed"; cat "$TL_TMP/ldd.$1"; }
for p in spreadbus spreadbus-collector spreadbus-aggregator spreadbus-writer spreadbus-gateway spreadctl; do
	[[ -x $TL_BIN/$p ]] || continue
	[[ $(libs "$p") != *libnats* ]] || tl_fail "$p links libnats"
done
[[ $(libs spreadbus-bridge) == *libnats* ]] || tl_fail "spreadbus-bridge does not link libnats (the check above proves nothing)"
tl_pass
