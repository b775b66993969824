# tests/lib/collector_test.sh: the setup every collector network test (and
# the end-to-end bench) starts with: sources the helpers they use, runs
# tl_init and checks that the fake exchange, collector and busctl are built.
#
#   set -u
#   source "${SPREADBUS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/collector_test.sh"

for tl_lib in common config fakex bus collector tls reconnect_scenario hostile_scenario links_scenario keepalive_scenario each_exchange; do
	source "$(dirname "${BASH_SOURCE[0]}")/$tl_lib.sh"
done
unset tl_lib
tl_init
tl_need_bins spreadbus-fakex spreadbus-collector spreadbus-busctl
