/* FNV-1a 64-bit hashing: config section fingerprints and non-numeric trade
 * ids. Not for anything adversarial (no seed, trivially collidable). */
#ifndef SPREADBUS_COMMON_HASH_H
#define SPREADBUS_COMMON_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV1A64_INIT 0xcbf29ce484222325ULL

/* Continue hash h (start with HASH_FNV1A64_INIT) over len bytes of p. */
uint64_t hash_fnv1a64_update(uint64_t h, const void *p, size_t len);

/* The hash of len bytes of p on its own. */
uint64_t hash_fnv1a64(const void *p, size_t len);

#endif
