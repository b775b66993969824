# shm/: the bus (segments, ring, tick record, status blocks, registry).
LIBRARIES += shm
shm_SRCS := $(wildcard shm/*.c)
shm_PKGS :=

# Unit tests: one per tests/unit/test_{segment,ring,status,registry,bus}_*.c,
# each linked with shm (and common, for bus tests that build a config).
SHM_UNIT_TESTS := $(basename $(notdir $(wildcard tests/unit/test_segment_*.c tests/unit/test_ring_*.c \
	tests/unit/test_status_*.c tests/unit/test_registry_*.c tests/unit/test_bus_*.c)))
UNIT_TESTS += $(SHM_UNIT_TESTS)
$(foreach t,$(SHM_UNIT_TESTS),$(eval $(t)_MAIN := tests/unit/$(t).c)$(eval $(t)_DEPS := shm common)$(eval $(t)_LDLIBS := -lcmocka))
