# tests/tools/: test-only programs. spreadbus-busctl (bus tool, contract in
# notes), spreadbus-ringstress (producer/verifying reader for ring tests) and
# the testtools library (ticks derived from their sequence, with checksums;
# per-test rings; argument parsing).
LIBRARIES += testtools
testtools_SRCS := tests/tools/ring_pattern.c tests/tools/ring_fixture.c tests/tools/tool_args.c
testtools_PKGS :=

TEST_TOOLS += spreadbus-busctl spreadbus-ringstress
spreadbus-busctl_MAIN := tests/tools/busctl.c
spreadbus-busctl_DEPS := testtools shm common
spreadbus-ringstress_MAIN := tests/tools/ringstress.c
spreadbus-ringstress_DEPS := testtools shm

# The ring benchmark lives in tests/bench/ but is registered here, so that
# tests/bench/module.mk stays free for whoever owns it.
BENCHES += bench_ring
bench_ring_MAIN := tests/bench/bench_ring.c
bench_ring_DEPS := shm
