#!/usr/bin/env bash
# Disk errors: a file size limit (RLIMIT_FSIZE -> EFBIG) and, when we may
# mount, a full tmpfs (ENOSPC). The writer must say so in its log and
# status (DEGRADED, detail, disk_errors_total), keep its heartbeat, retry,
# and once space is back record every tick the ring held, exactly once.
source "$(dirname "$0")/writer_lib.sh"
need_readers
EX="binance:BTC-USDT,ETH-USDT"

heartbeat_fresh() {
	local hb now
	hb=$(writer_status heartbeat_ns)
	now=$(date +%s%N)
	[ $((now - hb)) -lt 750000000 ] # 250 ms contract + the time to read it
}

disk_errors() { writer_status disk_errors_total; }

# run_case NAME CAUSE_REGEX: the writer is running against a failing disk;
# feed, watch it degrade, call fix_disk, watch it recover, check the files.
run_case() {
	local name=$1 cause=$2
	feed 5000
	tl_wait_for 10 "$name: writer DEGRADED" writer_state_is degraded
	tl_wait_for 5 "$name: disk error counted" tl_at_least 1 disk_errors
	local detail
	detail=$(writer_status detail)
	echo "$name: status detail: $detail"
	echo "$detail" | grep -Eq "$cause" || tl_fail "$name: status detail does not say why: $detail"
	grep -E "$cause" "$T/writer.log" | head -2
	grep -Eq "$cause" "$T/writer.log" || tl_fail "$name: no log line naming the error"
	heartbeat_fresh || tl_fail "$name: heartbeat stopped while the disk was failing"
	# every retry on the broken disk fails again and is counted
	tl_wait_for 10 "$name: two retries failed" tl_at_least $(($(disk_errors) + 2)) disk_errors
	heartbeat_fresh || tl_fail "$name: heartbeat stopped during retries"
	writer_state_is degraded || tl_fail "$name: the writer claims to be fine on a failing disk"
	fix_disk
	tl_wait_for 20 "$name: writer RUNNING again" writer_state_is running
	tl_wait_for 20 "$name: writer caught up" writer_caught_up
	grep -q "recovered from the disk error" "$T/writer.log" || tl_fail "$name: no recovery log line"
	stop_writer 2
	spec_json 5000 1767225600000000000 1000003 0 "$EX" >"$T/spec.json"
	check_parquet values "$T/spec.json"
}

# Case 1: a 64 KiB file size limit; lifted with prlimit while it runs.
write_config "$EX" "row_group_rows=500"
bus_create
start_writer prlimit --fsize=65536:
tl_wait_for 5 "writer running" writer_state_is running
fix_disk() { prlimit --pid "$WRITER_PID" --fsize=unlimited:; }
run_case "RLIMIT_FSIZE" "File too large"

# Case 2: a full 4 MiB tmpfs (root only); space comes back when a filler
# file is removed.
MNT=$T/disk
mkdir -p "$MNT"
[ "$(id -u)" = 0 ] || tl_skip "the ENOSPC case mounts a tmpfs, which needs root (the EFBIG case passed)"
mount -t tmpfs -o size=4m tmpfs "$MNT" || tl_fail "cannot mount a 4 MiB tmpfs on $MNT as root"
tl_cleanup umount -l "$MNT"
tl_bus_unlink "$CFG"
: >"$T/writer.log"
INST=${INST}b
write_config "$EX" "row_group_rows=500" "data_dir=$MNT/data" "journal_dir=$MNT/journal"
DATA=$MNT/data
bus_create
dd if=/dev/zero of="$MNT/filler" bs=4k count=1000 status=none 2>/dev/null || true # fills it
rm -f "$MNT/filler"
dd if=/dev/zero of="$MNT/filler" bs=4k count=$((1024 - 24)) status=none # leaves ~96 KiB
start_writer
tl_wait_for 5 "writer running" writer_state_is running
fix_disk() { rm -f "$MNT/filler"; }
run_case "ENOSPC" "No space left on device"
echo PASS
