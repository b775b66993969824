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
INTEGRATION_TESTS += tests/integration/test_bridge_export_import.sh
# 150000 ticks per ring and >= 20 SIGKILLs: release only.
INTEGRATION_TESTS_RELEASE_ONLY += tests/integration/test_bridge_kill_exactly_once.sh
