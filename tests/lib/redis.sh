# tests/lib/redis.sh: a private redis-server for one test.
#
#   tl_redis_start [extra redis-server args...]
#   tl_redis_stop                 SIGKILL it (an outage); start again later
#   tl_redis_cli ARGS...          redis-cli against it ($TL_REDIS_PASS if set)
#
# Starts redis-server on 127.0.0.1 with no persistence, in $TL_TMP/redis,
# waits until it answers PING, and sets TL_REDIS_PORT: a free port the
# first time, the same port again after tl_redis_stop (a config that points
# at it stays right). It is stopped at exit (tl_spawn). Needs
# tests/lib/common.sh and redis-server, redis-cli on PATH.

tl_redis_cli() {
	redis-cli -h 127.0.0.1 -p "$TL_REDIS_PORT" ${TL_REDIS_PASS:+-a "$TL_REDIS_PASS" --no-auth-warning} "$@"
}

tl_redis_ping() { tl_redis_cli ping 2>/dev/null | grep -q PONG; }

tl_redis_start() {
	command -v redis-server >/dev/null || tl_fail "redis-server not installed"
	mkdir -p "$TL_TMP/redis"
	TL_REDIS_PORT=${TL_REDIS_PORT:-$(tl_free_port)}
	tl_spawn redis redis-server --bind 127.0.0.1 --port "$TL_REDIS_PORT" --dir "$TL_TMP/redis" \
		--save '' --appendonly no --daemonize no "$@"
	tl_wait_for 10 "redis-server on port $TL_REDIS_PORT" tl_redis_ping
}

tl_redis_stop() { tl_stop redis KILL; }
