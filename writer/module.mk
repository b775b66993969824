# writer/: spreadbus-writer (ring -> journal -> Parquet, exactly once) and
# its tests, fuzz target, benchmark and the npm-installed Parquet readers.
LIBRARIES += writer
writer_SRCS := $(filter-out writer/main.c,$(wildcard writer/*.c))
writer_PKGS := libzstd

PROGRAMS += spreadbus-writer
spreadbus-writer_MAIN := writer/main.c
spreadbus-writer_DEPS := writer shm common
INSTALLED_PROGRAMS += spreadbus-writer

# Unit tests: one per tests/unit/test_{parquet,journal,writer,crc32c}_*.c.
WRITER_UNIT_TESTS := $(basename $(notdir $(wildcard tests/unit/test_parquet_*.c tests/unit/test_journal_*.c \
	tests/unit/test_writer_*.c tests/unit/test_crc32c_*.c)))
UNIT_TESTS += $(WRITER_UNIT_TESTS)
$(foreach t,$(WRITER_UNIT_TESTS),$(eval $(t)_MAIN := tests/unit/$(t).c)$(eval $(t)_DEPS := writer shm common)$(eval $(t)_LDLIBS := -lcmocka))

# DuckDB and hyparquet read the files back in the integration tests.
NPM_DIRS += tests/parquet_readers

INTEGRATION_TESTS += tests/integration/test_writer_readback.sh \
	tests/integration/test_writer_journal_recovery.sh \
	tests/integration/test_writer_disk_full.sh \
	tests/integration/test_writer_lapped_gap.sh \
	tests/integration/test_writer_rotation.sh \
	tests/integration/test_writer_sigterm_drain.sh \
	tests/integration/test_writer_ring_recreated.sh \
	tests/integration/test_writer_republish_idempotent.sh \
	tests/integration/test_writer_killed_at_start.sh \
	tests/integration/test_writer_trade_id_text.sh
# 2.1 million ticks and >= 20 SIGKILLs: too slow under ASan.
INTEGRATION_TESTS_RELEASE_ONLY += tests/integration/test_writer_crash_kill9.sh

FUZZERS += fuzz_journal
fuzz_journal_MAIN := tests/fuzz/fuzz_journal.c
fuzz_journal_DEPS := writer common

BENCH_SCRIPTS += tests/bench/bench_writer.sh
