#!/bin/bash
# Runs inside the booted test container (spreadbus-deploy-test.service): puts
# the installed spreadbus.service through start, reload, watchdog, a child's
# crash and stop under the real systemd; results go to /results, and the
# unit powers the container off when this exits.
set -uo pipefail

RESULTS=/results
CONF=/etc/spreadbus/spreadbus.conf
BUSCTL=(/usr/local/bin/spreadbus-busctl --config "$CONF")
log() { echo "$(date +%T.%N | cut -c1-12) $*" | tee -a "$RESULTS/log.txt"; }
failures=0
check() { # check NAME COND...: records PASS/FAIL for one assertion
	local name=$1; shift
	if "$@"; then log "PASS $name"; else log "FAIL $name"; failures=$((failures + 1)); fi
}
prop() { systemctl show -P "$1" spreadbus.service; }
# wait_for SECONDS CMD...: polls CMD every 50 ms until it succeeds.
wait_for() {
	local deadline=$((SECONDS + $1)); shift
	until "$@"; do
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.05
	done
}
as_service() { runuser -u spreadbus -- "$@"; }
# Predicates for wait_for and check.
ring_head() { "${BUSCTL[@]}" rings | jq -r --arg ex "$1" 'select(.exchange == $ex) | .head'; }
readers_lost() { "${BUSCTL[@]}" rings | jq -r --arg ex "$1" 'select(.exchange == $ex) | [.readers[].lost_total] | add'; }
ring_above() { local h; h=$(ring_head "$1"); [ -n "$h" ] && [ "$h" -gt "$2" ]; }
collector_pid() { pgrep -u spreadbus -f -- "spreadbus-collector --exchange $1( |$)" | head -n1; }
collector_running() { [ -n "$(collector_pid "$1")" ]; }
collector_replaced() { local p; p=$(collector_pid "$1"); [ -n "$p" ] && [ "$p" != "$2" ]; }
state_is() { [ "$(systemctl is-active spreadbus.service)" = "$1" ]; }
nrestarts_above() { [ "$(prop NRestarts)" -gt "$1" ]; }
redis_has_spreads() { [ "$(redis-cli hlen spread:latest)" -gt 0 ]; }
status_lists() { local st; st=$(as_service spreadctl --config "$CONF" --json status) && grep -q "\"$1\"" <<<"$st"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_gone() { ! kill -0 "$1" 2>/dev/null; }
nothing_running() { ! pgrep -u spreadbus >/dev/null; }
parquet_exists() { [ -n "$(find /var/lib/spreadbus/data -name '*.parquet' -print -quit)" ]; }
finish() {
	journalctl -b --no-pager -o short-monotonic >"$RESULTS/journal.txt" 2>&1
	systemctl status --no-pager spreadbus.service >"$RESULTS/status.txt" 2>&1
	if [ $failures -eq 0 ]; then echo PASS >"$RESULTS/verdict"; else echo "FAIL ($failures)" >"$RESULTS/verdict"; fi
}
trap finish EXIT

log "systemd $(systemctl --version | head -n1)"
# What a package's postinst does after `make install`.
check sysusers_creates_user systemd-sysusers
check tmpfiles_create systemd-tmpfiles --create
check user_exists id spreadbus
check config_readable_by_service as_service test -r "$CONF"

# Redis (Debian's unit, enabled by the package) and the fake exchange.
wait_for 20 redis-cli ping >/dev/null 2>&1
check redis_up test "$(redis-cli ping)" = PONG
. /etc/spreadbus-test/fakex.env
check fakex_started systemd-run --quiet --unit=spreadbus-fakex "${FAKEX_CMD[@]}"
check fakex_listening wait_for 10 port_open "$FAKEX_PORT"

# 1. Type=notify: "activating" while the supervisor already runs, until it
# sends READY=1 (a Type=simple service would be "active" once forked).
systemctl start --no-block spreadbus.service
states="" activating_pid=0
deadline=$((SECONDS + 30))
while [ $SECONDS -lt $deadline ]; do
	s=$(systemctl is-active spreadbus.service)
	[ "${states##* }" = "$s" ] || states="$states $s"
	if [ "$s" = activating ] && [ "$activating_pid" = 0 ]; then
		p=$(prop MainPID)
		[ "$p" != 0 ] && kill -0 "$p" 2>/dev/null && [ "$(systemctl is-active spreadbus.service)" = activating ] && activating_pid=$p
	fi
	[ "$s" = active ] || [ "$s" = failed ] && break
	sleep 0.01
done
states=${states# inactive} # the start job may not have run yet at the first look
log "states after start:$states; supervisor pid $activating_pid seen running while activating"
check activating_before_active test "${states# }" = "activating active"
check activating_while_supervisor_runs test "$activating_pid" != 0
check same_supervisor_after_ready test "$(prop MainPID)" = "$activating_pid"
main_pid=$(prop MainPID)
check runs_as_spreadbus test "$(ps -o user= -p "$main_pid")" = spreadbus
check status_text_from_supervisor test -n "$(prop StatusText)"
# The hardening is in force: seccomp filter, no new privileges, no capability.
proc_status() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
check seccomp_filter test "$(proc_status "$main_pid" Seccomp)" = 2
check no_new_privs test "$(proc_status "$main_pid" NoNewPrivs)" = 1
check no_capabilities test "$(proc_status "$main_pid" CapBnd)" = 0000000000000000
log "StatusText: $(prop StatusText)"
check health_ok wait_for 10 curl -sf -m 3 -o /dev/null http://127.0.0.1:9280/health
check bus_segments_in_dev_shm test -f /dev/shm/spreadbus.sbtest.binance -a -f /dev/shm/spreadbus.sbtest._status
check ring_filling wait_for 15 ring_above binance 50
check spreads_in_redis wait_for 15 redis_has_spreads
# docs/deploy.md: journalctl filters on the fields the children log with.
check journal_field_exchange test -n "$(journalctl -u spreadbus.service SPREADBUS_EXCHANGE=binance -n 1 -o cat)"
check journal_field_child test -n "$(journalctl -u spreadbus.service SPREADBUS_CHILD=aggregator -n 1 -o cat)"

# 2. reload: a new exchange in the config appears in `spreadctl status`.
cat /etc/spreadbus-test/okx.conf >>"$CONF"
check reload_command systemctl reload spreadbus.service
check reload_adds_okx wait_for 15 status_lists okx
check okx_collector_running wait_for 15 collector_running okx
check okx_ring_filling wait_for 15 ring_above okx 10
check reload_keeps_main_pid test "$(prop MainPID)" = "$main_pid"
as_service spreadctl --config "$CONF" status >>"$RESULTS/log.txt" 2>&1

# 3. watchdog: a stopped supervisor is killed and the service restarted;
# the rings survive with every tick they held.
restarts0=$(prop NRestarts)
first_line=$("${BUSCTL[@]}" dump binance | head -n1)
first_seq=$(jq -r .seq <<<"$first_line")
head0=$(ring_head binance)
log "before SIGSTOP: NRestarts=$restarts0 binance head=$head0 first seq=$first_seq"
kill -STOP "$main_pid"
check watchdog_restarts_service wait_for 40 nrestarts_above "$restarts0"
check active_again wait_for 30 state_is active
new_pid=$(prop MainPID)
log "after watchdog: NRestarts=$(prop NRestarts) MainPID $main_pid -> $new_pid"
check new_main_pid test "$new_pid" != "$main_pid"
check old_supervisor_gone pid_gone "$main_pid"
journalctl -u spreadbus.service --no-pager | grep -i watchdog | tail -n 3 >>"$RESULTS/log.txt"
check ring_head_kept wait_for 10 ring_above binance "$head0"
check oldest_tick_kept test "$("${BUSCTL[@]}" dump binance --from "$first_seq" | head -n1)" = "$first_line"
check readers_lost_nothing test "$(readers_lost binance)" = 0
main_pid=$new_pid

# 4. a collector killed with SIGKILL is the supervisor's business, not systemd's.
restarts1=$(prop NRestarts)
check collector_found wait_for 10 collector_running binance
old_collector=$(collector_pid binance)
kill -KILL "$old_collector"
check collector_restarted wait_for 15 collector_replaced binance "$old_collector"
check service_still_active state_is active
check nrestarts_unchanged test "$(prop NRestarts)" = "$restarts1"
check main_pid_unchanged test "$(prop MainPID)" = "$main_pid"

# 5. stop: well under 5 s, clean result, nothing left running.
t0=$(date +%s%N)
systemctl stop spreadbus.service
stop_ms=$((($(date +%s%N) - t0) / 1000000))
log "systemctl stop took ${stop_ms} ms; Result=$(prop Result)"
check stop_under_5s test "$stop_ms" -lt 5000
check stop_result_success test "$(prop Result)" = success
check nothing_left_running nothing_running
check parquet_written parquet_exists
