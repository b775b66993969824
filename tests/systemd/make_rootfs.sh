#!/usr/bin/env bash
# Builds (once) the minimal Debian 12 root that test_deploy_systemd.sh boots
# with systemd-nspawn; atomic, so an interrupted run never leaves a cache.
# usage: make_rootfs.sh [DIR]   (default build/rootfs-bookworm of this tree;
# prints DIR when it is ready)
set -euo pipefail

dest=${1:-$(cd "$(dirname "$0")/../.." && pwd)/build/rootfs-bookworm}
suite=bookworm
# systemd and dbus to boot; the libraries the installed binaries link;
# redis-server for the aggregator; procps/curl/redis-tools for the checks.
packages=systemd,dbus,libwebsockets17,libhiredis0.14,libinih1,libsystemd0,libzstd1,libssl3,libcurl4,libnats3.4,libdeflate0,redis-server,redis-tools,procps,curl,jq
stamp="$suite $packages"

ready() { [ -f "$dest/.spreadbus-rootfs" ] && [ "$(cat "$dest/.spreadbus-rootfs")" = "$stamp" ]; }
ready && { echo "$dest"; exit 0; }
# One builder at a time (`make test` starts one early, in the background,
# while it compiles); a second caller waits for it and takes its result.
mkdir -p "$(dirname "$dest")"
exec 9>"$dest.lock"
flock 9
ready && { echo "$dest"; exit 0; }

# The mirror apt already uses here (deb822 .sources first, then sources.list).
mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/\?$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
if [ -z "$mirror" ]; then
	mirror=$(awk '$1 == "deb" && $2 !~ /^\[/ && $2 ~ /\/debian\/?$/ { print $2; exit }' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "debootstrap needs root" >&2; exit 1; }

# Downloaded packages stay next to the cache (checksummed by debootstrap), so
# a slow mirror or an interrupted run costs the download once only; the
# host's own apt cache seeds it (hard links only: no copying gigabytes)
# with the versions it already holds.
debs=$(cd "$(dirname "$dest")" && pwd)/debootstrap-debs
mkdir -p "$debs"
for f in /var/cache/apt/archives/*.deb; do
	[ -e "$f" ] && [ ! -e "$debs/${f##*/}" ] && { ln "$f" "$debs/" 2>/dev/null || break; }
done
tmp=$(mktemp -d "$dest.tmp.XXXXXX")
chmod 0755 "$tmp" # it becomes the container's /: mktemp's 0700 would lock out every user but root
log=$tmp.log
trap 'rm -rf "$tmp" "$log"' EXIT
trap 'exit 143' TERM INT
echo "debootstrap $suite from $mirror into $tmp (once; cached in $dest)" >&2
if ! debootstrap --variant=minbase --cache-dir="$debs" --include="$packages" "$suite" "$tmp" "$mirror" >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	echo "debootstrap failed (mirror $mirror)" >&2
	exit 1
fi
echo "$stamp" >"$tmp/.spreadbus-rootfs"
rm -rf "$dest" # a stale cache (another package list)
mv -T "$tmp" "$dest"
echo "$dest"
