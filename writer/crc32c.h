/* CRC-32C (Castagnoli), the checksum of every journal record. Software
 * slice-by-8, so no CPU feature or extra library is needed. */
#ifndef SPREADBUS_WRITER_CRC32C_H
#define SPREADBUS_WRITER_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continue crc (start with 0) over n bytes of p. crc32c("123456789") is
 * 0xe3069283. */
uint32_t crc32c_update(uint32_t crc, const void *p, size_t n);

#endif
