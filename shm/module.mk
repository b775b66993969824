# shm/: the bus (segments, ring, tick record, status blocks, registry).
LIBRARIES += shm
shm_SRCS := $(wildcard shm/*.c)
shm_PKGS :=
