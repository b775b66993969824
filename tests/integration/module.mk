# tests/integration/: the test-only programs the integration tests and
# benchmarks run next to the shipped ones (not installed).

# Test programs (run by the integration tests and benchmarks, not installed).
AGGREGATOR_TEST_TOOLS := aggregator_feed aggregator_sub
TEST_TOOLS += $(AGGREGATOR_TEST_TOOLS)
aggregator_feed_MAIN := tests/integration/aggregator_feed.c
aggregator_feed_DEPS := shm common
aggregator_sub_MAIN := tests/integration/aggregator_sub.c
aggregator_sub_DEPS := aggregator common

# Test-only helpers for the integration tests (not installed): a systemd
# notify socket stand-in and a misbehaving socket client.
TEST_TOOLS += spreadbus-test-notify-sink spreadbus-test-netpoke
spreadbus-test-notify-sink_MAIN := tests/integration/notify_sink.c
spreadbus-test-notify-sink_DEPS :=
spreadbus-test-netpoke_MAIN := tests/integration/netpoke.c
spreadbus-test-netpoke_DEPS :=

# Test producer: checkable (or, with --market, market-like) ticks into
# every ring of an instance (writer tests, bench).
LIBRARIES += writerfeed
writerfeed_SRCS := tests/integration/writer_feed_tick.c
writerfeed_PKGS :=
TEST_TOOLS += spreadbus-writer-feed
spreadbus-writer-feed_MAIN := tests/integration/writer_feed.c
spreadbus-writer-feed_DEPS := writerfeed shm common
