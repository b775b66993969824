# bridge/: spreadbus-bridge, rings carried between hosts over NATS JetStream
# (docs/cluster.md). libnats links into this program only: a host without
# a [bridge.NAME] section needs no NATS at all.
LIBRARIES += bridge
bridge_SRCS := $(filter-out bridge/main.c,$(wildcard bridge/*.c))
bridge_PKGS :=
bridge_LDLIBS := -lnats

PROGRAMS += spreadbus-bridge
spreadbus-bridge_MAIN := bridge/main.c
spreadbus-bridge_DEPS := bridge shm common
INSTALLED_PROGRAMS += spreadbus-bridge

DEB_PACKAGES += libnats-dev nats-server

# Two instances joined through a real nats-server (tests/lib/nats.sh).
INTEGRATION_TESTS += tests/integration/test_bridge_export_import.sh tests/integration/test_bridge_faults.sh \
	tests/integration/test_bridge_single_host_no_nats.sh tests/integration/test_bridge_lapped_gap.sh \
	tests/integration/test_bridge_supervisor.sh tests/integration/test_bridge_tls.sh
# >= 20 SIGKILLs over 150000 ticks per ring; a 20 s outage; a three-node
# cluster for 50 s with 20+ bridge and 3 server kills; the demo: release only.
INTEGRATION_TESTS_RELEASE_ONLY += tests/integration/test_bridge_kill_exactly_once.sh \
	tests/integration/test_bridge_nats_outage.sh tests/integration/test_bridge_cluster_kill.sh \
	tests/integration/test_bridge_demo_cluster.sh

# The benchmark's latency probe (bench only; no NATS in it).
TEST_TOOLS += spreadbus-bridge-latency
spreadbus-bridge-latency_MAIN := tests/tools/bridge_latency.c
spreadbus-bridge-latency_DEPS := testtools shm common
BENCH_SCRIPTS += tests/bench/bench_bridge.sh

# Unit tests: one per tests/unit/test_bridge_*.c.
BRIDGE_UNIT_TESTS := $(basename $(notdir $(wildcard tests/unit/test_bridge_*.c)))
UNIT_TESTS += $(BRIDGE_UNIT_TESTS)
$(foreach t,$(BRIDGE_UNIT_TESTS),$(eval $(t)_MAIN := tests/unit/$(t).c)$(eval $(t)_DEPS := bridge shm common)$(eval $(t)_LDLIBS := -lcmocka))
