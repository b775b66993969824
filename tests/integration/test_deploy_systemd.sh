#!/usr/bin/env bash
# Boots a minimal Debian 12 with systemd-nspawn, installs spreadbus with
# `make install`, and checks the unit under systemd 252: READY, reload,
# watchdog restart with the rings kept, a child's crash, stop.
set -uo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
src=${SPREADBUS_SRC:-$PWD}
bin=${SPREADBUS_BIN:?SPREADBUS_BIN is not set}
build=${SPREADBUS_BUILD:-$src/build}

# Boot or fail loudly: a machine that cannot run the container is a failure
# of this test, never a silent skip. Only another user than root skips.
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (debootstrap, systemd-nspawn)"; exit 77; }
command -v systemd-nspawn >/dev/null || fail "systemd-nspawn missing: apt-get install systemd-container (make deps)"
command -v debootstrap >/dev/null || fail "debootstrap missing: apt-get install debootstrap (make deps)"
for p in spreadbus spreadctl spreadbus-collector spreadbus-aggregator spreadbus-writer spreadbus-fakex spreadbus-busctl; do
	[ -x "$bin/$p" ] || fail "$bin/$p is not built"
done

rootfs=$("$src/tests/systemd/make_rootfs.sh") || fail "cannot build the Debian root"
work=$(mktemp -d "$build/deploy-systemd.XXXXXX")
root=$work/root
results=$work/results
nspawn_pid=
cleanup() {
	[ -n "$nspawn_pid" ] && kill "$nspawn_pid" 2>/dev/null && wait "$nspawn_pid" 2>/dev/null
	# Keep what the container reported next to the other test logs.
	mkdir -p "$build/test-logs/deploy-systemd" && cp -a "$results/." "$build/test-logs/deploy-systemd/" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT # run the cleanup when the test runner's timeout fires
mkdir -p "$results"

# A private copy of the cached root: every run starts from a clean system.
cp -a --reflink=auto "$rootfs" "$root" || fail "cannot copy $rootfs"
chmod 0755 "$root"
make -s -C "$src" BUILD="$build" install DESTDIR="$root" PREFIX=/usr/local >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; fail "make install DESTDIR=$root failed"; }
install -m 0755 "$bin/spreadbus-fakex" "$bin/spreadbus-busctl" "$root/usr/local/bin/"
for f in "$root"/usr/local/bin/*; do
	missing=$(chroot "$root" ldd "/usr/local/bin/${f##*/}" 2>&1 | grep 'not found')
	[ -z "$missing" ] || fail "${f##*/} needs libraries the root lacks (add them to tests/systemd/make_rootfs.sh): $missing"
done
for f in /usr/local/lib/systemd/system/spreadbus.service /usr/local/lib/sysusers.d/spreadbus.conf \
	/usr/local/lib/tmpfiles.d/spreadbus.conf /etc/spreadbus/spreadbus.conf; do
	[ -f "$root$f" ] || fail "make install did not install $f"
done
grep -q '^ExecStart=/usr/local/bin/spreadbus --config /etc/spreadbus/spreadbus.conf$' \
	"$root/usr/local/lib/systemd/system/spreadbus.service" || fail "installed unit has the wrong ExecStart"

# The test's own files: config (fake exchange, container-local Redis), the
# fake exchange's command, the checks and the unit that runs them at boot.
mkdir -p "$root/etc/spreadbus-test" "$root/usr/local/libexec/spreadbus-test"
cat >"$root/etc/spreadbus/spreadbus.conf" <<'CONF'
# deployment test: the fake exchange and Redis inside the container
[service]
instance = sbtest
ring_capacity = 65536

[writer]
rotate_s = 5

[exchange.binance]
symbols = BTC-USDT, ETH-USDT, SOL-USDT
url = ws://127.0.0.1:19001
tls_verify = false

[exchange.bybit]
symbols = BTC-USDT, ETH-USDT, SOL-USDT
url = ws://127.0.0.1:19002
tls_verify = false
CONF
# Appended before `systemctl reload`.
cat >"$root/etc/spreadbus-test/okx.conf" <<'CONF'

[exchange.okx]
symbols = BTC-USDT, ETH-USDT
url = ws://127.0.0.1:19003
tls_verify = false
CONF
# Fixed ports are safe here: the container has its own network namespace.
cat >"$root/etc/spreadbus-test/fakex.env" <<'CONF'
FAKEX_PORT=19001
FAKEX_CMD=(/usr/local/bin/spreadbus-fakex --exchange binance:19001 --exchange bybit:19002 --exchange okx:19003
	--symbols BTC-USDT,ETH-USDT,SOL-USDT --rate 50)
CONF
install -m 0755 "$src/tests/systemd/in_container.sh" "$root/usr/local/libexec/spreadbus-test/"
install -m 0644 "$src/tests/systemd/spreadbus-deploy-test.service" "$root/etc/systemd/system/"
ln -sf /etc/systemd/system/spreadbus-deploy-test.service \
	"$root/etc/systemd/system/multi-user.target.wants/spreadbus-deploy-test.service"

# --private-network: the container's 127.0.0.1 (Redis 6379, HTTP 9280, the
# fake exchange) is its own, so nothing collides with the host.
echo "booting the container (systemd-nspawn, bounded to 240 s)"
timeout -k 10 240 systemd-nspawn -q -D "$root" -b --register=no --keep-unit --console=pipe --private-network \
	--bind="$results:/results" >"$results/console.txt" 2>&1 &
nspawn_pid=$!
wait "$nspawn_pid"
rc=$?
nspawn_pid=
cat "$results/log.txt" 2>/dev/null
if [ ! -f "$results/verdict" ]; then
	tail -n 40 "$results/console.txt"
	[ $rc -eq 124 ] && fail "the container did not finish within 240 s"
	fail "the container did not report (systemd-nspawn exit $rc); this machine cannot boot it?"
fi
if [ "$(cat "$results/verdict")" != PASS ]; then
	grep -E 'spreadbus|fakex' "$results/journal.txt" | tail -n 60
	fail "checks inside the container failed: $(cat "$results/verdict")"
fi
[ $rc -eq 0 ] || fail "systemd-nspawn exited $rc after the checks passed"
echo "PASS: spreadbus.service under systemd $(chroot "$root" systemctl --version | head -n1 | cut -d' ' -f2)"
