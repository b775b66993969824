# tests/lib/config.sh: writes a spreadbus INI config for a test.
#
#   tl_write_config FILE INSTANCE [section.key=value ...]
#
# [service] gets instance, runtime_dir and state_dir under $TL_TMP, a small
# ring (ring_capacity 65536 unless given) and log_level info; [http] listen
# is empty (off), [redis] and [gateway] enabled=false unless given. Each extra argument
# is section.key=value, split at the LAST dot before '=' so sections may
# contain dots: "exchange.binance.url=ws://127.0.0.1:9001". Keys of one
# section may be given in any order. Needs tests/lib/common.sh.

tl_write_config() {
	local file=$1 instance=$2
	shift 2
	local -A values=()
	local -a order=()
	local arg lhs section key
	values["service.instance"]=$instance
	values["service.runtime_dir"]=$TL_TMP/run
	values["service.state_dir"]=$TL_TMP/state
	values["service.ring_capacity"]=65536
	values["service.log_level"]=info
	values["http.listen"]=
	values["redis.enabled"]=false
	values["gateway.enabled"]=false
	order=(service.instance service.runtime_dir service.state_dir service.ring_capacity service.log_level
		http.listen redis.enabled gateway.enabled)
	for arg in "$@"; do
		[[ $arg == *=* ]] || tl_fail "tl_write_config: '$arg' is not section.key=value"
		lhs=${arg%%=*}
		[[ $lhs == *.* ]] || tl_fail "tl_write_config: '$arg' has no section"
		[[ -v "values[$lhs]" ]] || order+=("$lhs")
		values[$lhs]=${arg#*=}
	done
	mkdir -p "$TL_TMP/run" "$TL_TMP/state" || tl_fail "cannot create dirs under $TL_TMP"
	local -a sections=()
	for lhs in "${order[@]}"; do
		section=${lhs%.*}
		[[ " ${sections[*]} " == *" $section "* ]] || sections+=("$section")
	done
	{
		for section in "${sections[@]}"; do
			printf '[%s]\n' "$section"
			for lhs in "${order[@]}"; do
				[[ ${lhs%.*} == "$section" ]] || continue
				key=${lhs##*.}
				printf '%s = %s\n' "$key" "${values[$lhs]}"
			done
			printf '\n'
		done
	} >"$file" || tl_fail "cannot write $file"
}

# A unique instance name for this test run: [a-z0-9-], at most 23 chars.
tl_instance() {
	local base=${1:-t}
	printf '%s-%d-%d' "${base:0:8}" "$$" "$RANDOM" | tr -c 'a-z0-9-' '-' | cut -c1-23
}
