# tests/fakex/: spreadbus-fakex, the fake Binance/Bybit/OKX server the
# collector's network tests and the end-to-end benchmark run against.
LIBRARIES += fakex
fakex_SRCS := $(filter-out tests/fakex/main.c tests/fakex/rest_main.c tests/fakex/test_%.c,$(wildcard tests/fakex/*.c))
fakex_PKGS := libwebsockets zlib
DEB_PACKAGES += zlib1g-dev

TEST_TOOLS += spreadbus-fakex
spreadbus-fakex_MAIN := tests/fakex/main.c
spreadbus-fakex_DEPS := fakex common
# the fake exchanges' REST APIs (instrument discovery)
TEST_TOOLS += spreadbus-fakex-rest
spreadbus-fakex-rest_MAIN := tests/fakex/rest_main.c
spreadbus-fakex-rest_DEPS := fakex common

FAKEX_UNIT_TESTS := test_fakex_formats test_fakex_tape
UNIT_TESTS += $(FAKEX_UNIT_TESTS)
$(foreach t,$(FAKEX_UNIT_TESTS),$(eval $(t)_MAIN := tests/fakex/$(t).c)$(eval $(t)_DEPS := fakex common)$(eval $(t)_LDLIBS := -lcmocka))

INTEGRATION_TESTS += tests/integration/test_collector_keepalive_binance.sh \
	tests/integration/test_collector_keepalive_bybit.sh \
	tests/integration/test_collector_keepalive_okx.sh \
	tests/integration/test_collector_keepalive_dropped.sh \
	tests/integration/test_collector_reconnect_binance.sh \
	tests/integration/test_collector_reconnect_bybit.sh \
	tests/integration/test_collector_reconnect_okx.sh \
	tests/integration/test_collector_hostile_frames_binance.sh \
	tests/integration/test_collector_hostile_frames_bybit.sh \
	tests/integration/test_collector_hostile_frames_okx.sh \
	tests/integration/test_collector_wss.sh \
	tests/integration/test_collector_planned_reconnect_binance.sh \
	tests/integration/test_collector_planned_reconnect_bybit.sh \
	tests/integration/test_collector_planned_reconnect_okx.sh \
	tests/integration/test_collector_dead_peer_timeout_binance.sh \
	tests/integration/test_collector_dead_peer_timeout_bybit.sh \
	tests/integration/test_collector_dead_peer_timeout_okx.sh \
	tests/integration/test_collector_links_binance.sh \
	tests/integration/test_collector_links_bybit.sh \
	tests/integration/test_collector_links_okx.sh \
	tests/integration/test_collector_sequence_coinbase.sh \
	tests/integration/test_collector_keepalive_dropped_new_exchanges.sh
# the same scenarios for the seven newer adapters, several at a time (each
# over 10 s)
INTEGRATION_TESTS_RELEASE_ONLY += tests/integration/test_collector_planned_reconnect_new_exchanges.sh \
	tests/integration/test_collector_dead_peer_timeout_new_exchanges.sh \
	tests/integration/test_collector_writer_exactly_once.sh \
	tests/integration/test_collector_keepalive_new_exchanges.sh \
	tests/integration/test_collector_links_new_exchanges.sh
BENCH_SCRIPTS += tests/bench/bench_collector_e2e.sh
