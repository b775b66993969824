# tests/lib/nats.sh: real nats-server processes with JetStream for the
# bridge tests, on free loopback ports, storing in the test's temp dir.
#
#   tl_nats_need                    exit 77 (SKIP) unless nats-server is installed
#   tl_nats_start NAME [ARGS...]    one server; its client URL in NATS_URL[NAME]
#   tl_nats_cluster_start PREFIX    three servers PREFIX1..3 forming one
#                                   JetStream cluster; NATS_URLS = all three URLs
#   tl_nats_restart NAME            start NAME again with its first arguments
#                                   (same port, same store)
#   tl_nats_stop NAME [SIG]         stop it (default TERM)
#
# Needs tests/lib/common.sh.

declare -A NATS_URL=() NATS_ARGS=()
NATS_URLS=

tl_nats_need() {
	if ! command -v nats-server >/dev/null; then
		echo "SKIP: nats-server is not installed (apt-get install nats-server)"
		exit 77
	fi
}

# "Server is ready" in its log, and the port taken.
tl_nats_ready() { grep -q 'Server is ready' "$TL_TMP/$1.log" 2>/dev/null; }

tl_nats_launch() {
	local name=$1
	: >"$TL_TMP/$name.log"
	# shellcheck disable=SC2086 # NATS_ARGS holds whole words
	tl_spawn "$name" nats-server ${NATS_ARGS[$name]}
}

tl_nats_start() {
	local name=$1 port
	shift
	port=$(tl_free_port)
	mkdir -p "$TL_TMP/$name.store" || tl_fail "cannot create $TL_TMP/$name.store"
	NATS_ARGS[$name]="-a 127.0.0.1 -p $port -js -sd $TL_TMP/$name.store -n $name $*"
	NATS_URL[$name]="nats://127.0.0.1:$port"
	tl_nats_launch "$name"
	tl_wait_for 10 "nats-server $name ready" tl_nats_ready "$name"
}

tl_nats_cluster_start() {
	local prefix=$1 i j routes cport
	local -a client=() cluster=()
	for i in 1 2 3; do
		client[i]=$(tl_free_port)
		cluster[i]=$(tl_free_port)
	done
	NATS_URLS=
	for i in 1 2 3; do
		routes=
		for j in 1 2 3; do
			[[ $j == "$i" ]] || routes+="${routes:+,}nats://127.0.0.1:${cluster[j]}"
		done
		cport=${cluster[i]}
		mkdir -p "$TL_TMP/$prefix$i.store" || tl_fail "cannot create a store dir"
		NATS_ARGS[$prefix$i]="-a 127.0.0.1 -p ${client[i]} -js -sd $TL_TMP/$prefix$i.store -n $prefix$i
			--cluster_name $prefix --cluster nats://127.0.0.1:$cport --routes $routes"
		NATS_URL[$prefix$i]="nats://127.0.0.1:${client[i]}"
		NATS_URLS+="${NATS_URLS:+, }${NATS_URL[$prefix$i]}"
		tl_nats_launch "$prefix$i"
	done
	for i in 1 2 3; do
		tl_wait_for 20 "nats-server $prefix$i ready" tl_nats_ready "$prefix$i"
	done
	# JetStream is usable once a meta leader is elected.
	tl_wait_for 30 "JetStream cluster $prefix with a leader" \
		grep -q 'JetStream cluster new metadata leader\|Self is new JetStream cluster metadata leader' \
		"$TL_TMP/${prefix}1.log" "$TL_TMP/${prefix}2.log" "$TL_TMP/${prefix}3.log"
}

tl_nats_restart() {
	tl_nats_launch "$1"
	tl_wait_for 20 "nats-server $1 ready again" tl_nats_ready "$1"
}

tl_nats_stop() { tl_stop "$1" "${2:-TERM}" 5; }
