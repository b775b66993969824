# common/: config, logging, clock and small shared helpers.
LIBRARIES += common
common_SRCS := $(wildcard common/*.c)
common_PKGS := inih libsystemd
