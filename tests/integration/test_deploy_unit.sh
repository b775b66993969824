#!/usr/bin/env bash
# `make install` puts a unit that systemd-analyze verifies, rates 2.0 or
# better for exposure, and a sysusers/tmpfiles pair that create the user and
# directories; an existing config survives a reinstall.
set -uo pipefail
source "${SPREADBUS_SRC:-$(dirname "$0")/../..}/tests/lib/common.sh"
tl_init
src=$TL_SRC
build=${SPREADBUS_BUILD:-$src/build}
command -v systemd-analyze >/dev/null || tl_fail "systemd-analyze missing (package systemd)"
work=$TL_TMP
install_into() { # install_into LOG MAKEVARS...
	local log=$1; shift
	make -s -C "$src" BUILD="$build" SYSTEMD_ACTIVATE=no "$@" install >"$log" 2>&1 ||
		{ cat "$log"; tl_fail "make install $* failed"; }
}

# 1. Installed to a real prefix (no DESTDIR) the unit names existing
# binaries, so verify checks everything, executables included.
prefix=$work/prefix
install_into "$work/install1.log" PREFIX="$prefix/usr/local" SYSCONFDIR="$prefix/etc"
unit=$prefix/usr/local/lib/systemd/system/spreadbus.service
[ -f "$unit" ] || tl_fail "no unit at $unit"
grep -qx "ExecStart=$prefix/usr/local/bin/spreadbus --config $prefix/etc/spreadbus/spreadbus.conf" "$unit" ||
	tl_fail "ExecStart does not follow PREFIX/SYSCONFDIR: $(grep ExecStart= "$unit")"
for p in spreadbus spreadctl spreadbus-collector spreadbus-aggregator spreadbus-writer; do
	[ -x "$prefix/usr/local/bin/$p" ] || tl_fail "$p not installed"
done
out=$(systemd-analyze verify "$unit" 2>&1)
rc=$?
[ $rc -eq 0 ] && [ -z "$out" ] || tl_fail "systemd-analyze verify (exit $rc): $out"
echo "verify: clean"

# 2. Exposure of the committed unit, as systemd-analyze rates it.
out=$(systemd-analyze security --offline=true --no-pager "$src/deploy/spreadbus.service" 2>&1)
line=$(grep 'Overall exposure level' <<<"$out")
score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$line")
[ -n "$score" ] || tl_fail "no score from systemd-analyze security: $out"
echo "security: $line"
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || tl_fail "exposure $score > 2.0"

# 3. A packager's install (DESTDIR): sysusers and tmpfiles create the user,
# the state directories and the config's permissions inside that root.
[ "$(id -u)" = 0 ] || tl_skip "tmpfiles gives the directories to the spreadbus user, which needs root (verify and exposure passed)"
root=$work/root
install_into "$work/install2.log" DESTDIR="$root" PREFIX=/usr
[ "$(stat -c %a "$root/etc/spreadbus/spreadbus.conf")" = 640 ] || tl_fail "config is not 0640"
grep -q '^ExecStart=/usr/bin/spreadbus ' "$root/usr/lib/systemd/system/spreadbus.service" || tl_fail "PREFIX=/usr not applied"
systemd-sysusers --root="$root" >"$work/sysusers.log" 2>&1 || { cat "$work/sysusers.log"; tl_fail "systemd-sysusers"; }
uid=$(awk -F: '$1 == "spreadbus" { print $3 }' "$root/etc/passwd")
gid=$(awk -F: '$1 == "spreadbus" { print $3 }' "$root/etc/group")
[ -n "$uid" ] && [ "$uid" -lt 1000 ] || tl_fail "no system user spreadbus in $root/etc/passwd"
[ -n "$gid" ] || tl_fail "no group spreadbus"
systemd-tmpfiles --root="$root" --create >"$work/tmpfiles.log" 2>&1 || { cat "$work/tmpfiles.log"; tl_fail "systemd-tmpfiles"; }
[ "$(stat -c '%u:%g %a' "$root/var/lib/spreadbus/data")" = "$uid:$gid 750" ] || tl_fail "data dir: $(stat -c '%u:%g %a' "$root/var/lib/spreadbus/data")"
[ "$(stat -c '%u:%g %a' "$root/etc/spreadbus/spreadbus.conf")" = "0:$gid 640" ] || tl_fail "config: $(stat -c '%u:%g %a' "$root/etc/spreadbus/spreadbus.conf")"
echo "sysusers/tmpfiles: user $uid:$gid, directories and config permissions as expected"

# 4. Reinstalling keeps the operator's config and its permissions.
echo "# edited by the operator" >>"$root/etc/spreadbus/spreadbus.conf"
install_into "$work/install3.log" DESTDIR="$root" PREFIX=/usr
grep -q '^# edited by the operator$' "$root/etc/spreadbus/spreadbus.conf" || tl_fail "reinstall overwrote the config"
grep -q 'keeping existing' "$work/install3.log" || tl_fail "reinstall did not say it kept the config"
[ "$(stat -c '%u:%g %a' "$root/etc/spreadbus")" = "0:$gid 750" ] || tl_fail "reinstall changed /etc/spreadbus: $(stat -c '%u:%g %a' "$root/etc/spreadbus")"
[ "$(stat -c '%u:%g %a' "$root/etc/spreadbus/spreadbus.conf")" = "0:$gid 640" ] || tl_fail "reinstall changed the config's permissions"
tl_pass
