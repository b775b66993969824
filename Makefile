# spreadbus: one Makefile for build, test, bench, demo and install.
# Each directory describes itself in <dir>/module.mk; the rules below are
# generic. `make help` lists the targets.

BUILD ?= build
CC ?= cc
PREFIX ?= /usr/local
DESTDIR ?=
FIXTURES ?= $(abspath tests/fixtures)
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3
# Parallel build jobs, and integration tests run side by side in `make test`
# (they mostly wait on sockets and timers); ASan's tests wait even more.
JOBS ?= $(shell nproc)
TEST_JOBS ?= 2
ASAN_TEST_JOBS ?= 3

# SAN=asan (AddressSanitizer + UBSan) or SAN=tsan; each in its own BUILD dir.
SAN ?=
SAN_FLAGS_asan := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_FLAGS_tsan := -fsanitize=thread -fno-omit-frame-pointer

# Libraries and programs register themselves here from module.mk files.
LIBRARIES :=
# PROGRAMS are shipped (a plain `make` builds them); TEST_TOOLS are the
# test-only programs (fake exchange, feeders, probes) that tests/*/module.mk
# register and the test, bench and demo targets build.
PROGRAMS :=
TEST_TOOLS :=
UNIT_TESTS :=
# INTEGRATION_TESTS run in the release and the ASan builds;
# INTEGRATION_TESTS_RELEASE_ONLY (the long ones: whole systems, load, chaos)
# in the release build only, started first so that the short ones fill in
# around them.
INTEGRATION_TESTS :=
INTEGRATION_TESTS_RELEASE_ONLY :=
TSAN_TESTS :=
BENCHES :=
FUZZERS :=

include $(sort $(wildcard */module.mk tests/*/module.mk))

ALL_PKGS := $(sort $(foreach l,$(LIBRARIES),$($(l)_PKGS)) cmocka)
PKG_CFLAGS := $(shell pkg-config --cflags $(ALL_PKGS) 2>/dev/null)

CFLAGS_WARN := -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers
CFLAGS ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE $(CFLAGS_WARN) -pthread -I. $(PKG_CFLAGS) -MMD -MP $(SAN_FLAGS_$(SAN))
override LDFLAGS += -pthread $(SAN_FLAGS_$(SAN))

pkg_libs = $(shell pkg-config --libs $(sort $(foreach l,$(1),$($(l)_PKGS))) 2>/dev/null) $(foreach l,$(1),$($(l)_LDLIBS)) -lm
lib_files = $(foreach l,$(1),$(BUILD)/lib/lib$(l).a)

.PHONY: test-tools run-tsan asan-bins tsan-bins fuzz-bins deps-check all deps test test-unit test-integration test-asan test-tsan test-fuzz fuzz bench clean install help programs unit-bins
.DEFAULT_GOAL := all

all: programs

# ---- objects and libraries ----

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

define library_rule
$(BUILD)/lib/lib$(1).a: $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_SRCS))
	@mkdir -p $$(@D)
	rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach l,$(LIBRARIES),$(eval $(call library_rule,$(l))))

# A program: NAME_MAIN (one .c) linked with the libraries in NAME_DEPS.
define program_rule
$(BUILD)/bin/$(1): $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_MAIN)) $$(call lib_files,$$($(1)_DEPS))
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_MAIN)) -Wl,--start-group $$(call lib_files,$$($(1)_DEPS)) -Wl,--end-group $$(call pkg_libs,$$($(1)_DEPS)) $$($(1)_LDLIBS)
endef
$(foreach p,$(PROGRAMS) $(TEST_TOOLS) $(UNIT_TESTS) $(TSAN_TESTS) $(BENCHES),$(eval $(call program_rule,$(p))))

programs: $(addprefix $(BUILD)/bin/,$(PROGRAMS))
test-tools: programs $(addprefix $(BUILD)/bin/,$(TEST_TOOLS))
unit-bins: $(addprefix $(BUILD)/bin/,$(UNIT_TESTS))

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- tests ----
# tests/run_tests.sh runs each test bounded in time and prints
# "N passed, N failed, N skipped" (exit 77 = SKIP: cannot run here); it
# exits non-zero if anything failed.

TEST_SUMMARY ?= $(abspath build/test-summary.txt)
export TEST_SUMMARY
TEST_ENV = SPREADBUS_BIN=$(abspath $(BUILD)/bin) SPREADBUS_BUILD=$(abspath $(BUILD)) FIXTURES=$(FIXTURES) SPREADBUS_SRC=$(CURDIR)

test-unit: test-tools unit-bins
	$(TEST_ENV) tests/run_tests.sh "unit$(if $(SAN), ($(SAN)))" $(addprefix $(BUILD)/bin/,$(UNIT_TESTS))

test-integration: test-tools
	$(TEST_ENV) TEST_JOBS=$(if $(SAN),$(ASAN_TEST_JOBS),$(TEST_JOBS)) tests/run_tests.sh "integration$(if $(SAN), ($(SAN)))" \
		$(if $(SAN),,$(INTEGRATION_TESTS_RELEASE_ONLY)) $(INTEGRATION_TESTS)

asan-bins:
	$(MAKE) SAN=asan BUILD=build/asan test-tools unit-bins

# The Debian root the systemd test boots (as root only): `make test` starts
# it in the background, where it mostly downloads while the compilers and
# the first tests run; the test waits for it (make_rootfs.sh holds a lock)
# and builds it again itself, saying why, if this attempt failed.
ROOTFS_PREFETCH = [ "$$(id -u)" != 0 ] || { tests/systemd/make_rootfs.sh </dev/null >build/rootfs-prefetch.log 2>&1 & }

test-asan:
	$(MAKE) SAN=asan BUILD=build/asan test-unit test-integration

tsan-bins:
	$(MAKE) SAN=tsan BUILD=build/tsan $(addprefix build/tsan/bin/,$(TSAN_TESTS))

test-tsan: tsan-bins
	$(MAKE) SAN=tsan BUILD=build/tsan run-tsan

run-tsan:
	$(TEST_ENV) TSAN_OPTIONS=halt_on_error=1 tests/run_tests.sh "tsan" $(addprefix $(BUILD)/bin/,$(TSAN_TESTS))

# libFuzzer targets, registered like programs (NAME_MAIN, NAME_DEPS), built
# with clang into build/fuzz.
SAN_FLAGS_fuzz := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
define fuzzer_rule
$(BUILD)/bin/$(1): $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_MAIN)) $$(call lib_files,$$($(1)_DEPS))
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -fsanitize=fuzzer -o $$@ $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_MAIN)) -Wl,--start-group $$(call lib_files,$$($(1)_DEPS)) -Wl,--end-group $$(call pkg_libs,$$($(1)_DEPS))
endef
ifeq ($(SAN),fuzz)
$(foreach f,$(FUZZERS),$(eval $(call fuzzer_rule,$(f))))
endif

fuzz-bins:
	$(MAKE) CC=clang SAN=fuzz BUILD=build/fuzz CFLAGS="-O1 -g" $(addprefix build/fuzz/bin/,$(FUZZERS))

fuzz: fuzz-bins
	$(TEST_ENV) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run_fuzzers.sh $(addprefix build/fuzz/bin/,$(FUZZERS))

test-fuzz: fuzz-bins
	$(TEST_ENV) FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) tests/run_fuzzers.sh $(addprefix build/fuzz/bin/,$(FUZZERS))

test: deps-check
	@mkdir -p build && rm -f $(TEST_SUMMARY)
	@$(ROOTFS_PREFETCH)
	$(MAKE) -j$(JOBS) test-tools unit-bins asan-bins tsan-bins fuzz-bins
	$(MAKE) test-unit test-integration
	$(MAKE) test-asan
	$(MAKE) test-tsan
	$(MAKE) test-fuzz
	@tests/summary.sh $(TEST_SUMMARY)

# ---- benchmarks: one "BENCH <name> <value> <unit>" line per figure ----

bench: test-tools $(addprefix $(BUILD)/bin/,$(BENCHES))
	$(TEST_ENV) tests/run_benches.sh $(addprefix $(BUILD)/bin/,$(BENCHES)) $(BENCH_SCRIPTS)

# ---- dependencies (Debian 12 packages, test-only npm packages) ----

# module.mk files add their own with DEB_PACKAGES += ...
# Tools the tests call: openssl (tests/lib/tls.sh), redis-server/redis-cli,
# node, promtool (package prometheus), systemd-analyze (systemd),
# systemd-nspawn and debootstrap (the container test), curl and jq, pgrep
# and ps (procps), python3 (test_decode_fixtures.sh, test_ring_busctl.sh).
DEB_PACKAGES += build-essential pkg-config clang libclang-rt-14-dev \
	libwebsockets-dev libssl-dev openssl libhiredis-dev libinih-dev libsystemd-dev \
	libcmocka-dev libzstd-dev libjsmn-dev \
	redis-server redis-tools nodejs prometheus systemd systemd-container debootstrap \
	curl jq procps python3

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		[ "$$(id -u)" = 0 ] && SUDO= || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "debian packages: all present"; fi
	@# Debian's nodejs ships npm separately; other nodejs builds bundle it.
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && SUDO= || SUDO=sudo; DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends npm; }
	@# `npm ci`: exactly what the committed lock files pin (they list every
	@# platform's optional native packages, so the lock is the same everywhere).
	@for d in $(NPM_DIRS); do echo "npm packages: $$d"; (cd $$d && npm ci --no-audit --no-fund --loglevel=error) || exit 1; done

deps-check:
	@command -v pkg-config >/dev/null && pkg-config --exists $(ALL_PKGS) || { echo "missing build dependencies: run 'make deps' first"; exit 1; }

install: programs $(INSTALL_EXTRA)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(addprefix $(BUILD)/bin/,$(INSTALLED_PROGRAMS)) $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build

help:
	@echo "make deps | make | make test | make bench | make demo | make fuzz | make install | make clean"
