/* FNV-1a 64 (Fowler/Noll/Vo): offset basis 0xcbf29ce484222325, prime
 * 0x100000001b3, xor the byte then multiply. */
#include "common/hash.h"

#define FNV1A64_PRIME 0x100000001b3ULL

uint64_t hash_fnv1a64_update(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= FNV1A64_PRIME;
	}
	return h;
}

uint64_t hash_fnv1a64(const void *p, size_t len)
{
	return hash_fnv1a64_update(HASH_FNV1A64_INIT, p, len);
}
