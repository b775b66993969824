# supervisor/: spreadbus (the supervisor) and spreadctl (the operator CLI).
LIBRARIES += supervisor
supervisor_SRCS := $(filter-out supervisor/main.c supervisor/spreadctl.c,$(wildcard supervisor/*.c))
supervisor_PKGS := libsystemd

PROGRAMS += spreadbus spreadctl
spreadbus_MAIN := supervisor/main.c
spreadbus_DEPS := supervisor shm common
spreadctl_MAIN := supervisor/spreadctl.c
spreadctl_DEPS := supervisor common
INSTALLED_PROGRAMS += spreadbus spreadctl

# Unit tests: tests/unit/test_{supervisor,restart,http,control}_*.c, linked
# with the supervisor library.
SUPERVISOR_UNIT_TESTS := $(basename $(notdir $(wildcard tests/unit/test_supervisor_*.c tests/unit/test_restart_*.c \
	tests/unit/test_http_*.c tests/unit/test_control_*.c)))
UNIT_TESTS += $(SUPERVISOR_UNIT_TESTS)
$(foreach t,$(SUPERVISOR_UNIT_TESTS),$(eval $(t)_MAIN := tests/unit/$(t).c)$(eval $(t)_DEPS := supervisor shm common)$(eval $(t)_LDLIBS := -lcmocka))

INTEGRATION_TESTS += $(sort $(wildcard tests/integration/test_supervisor_*.sh tests/integration/test_spreadctl_*.sh \
	tests/integration/test_http_*.sh))

# libFuzzer targets for the two parsers that read untrusted bytes.
FUZZERS += fuzz_http_request fuzz_control_request
fuzz_http_request_MAIN := tests/fuzz/fuzz_http_request.c
fuzz_http_request_DEPS := supervisor
fuzz_control_request_MAIN := tests/fuzz/fuzz_control_request.c
fuzz_control_request_DEPS := supervisor
