/* libFuzzer target: config_load on arbitrary file contents (an untrusted
 * input): no crash, no overrun, and every error counted is a line written. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static struct config *c;
	static char path[64];
	static char err[1 << 16];
	char *envp[] = { NULL };
	if (fd < 0) {
		fd = memfd_create("fuzz.conf", 0);
		c = config_new();
		if (fd < 0 || !c)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	int rc = config_load(c, path, envp, err, sizeof(err));
	size_t lines = 0;
	for (const char *p = err; *p; p++)
		lines += *p == '\n';
	/* The buffer is large enough for every error of a 64 KiB input. */
	if (rc >= 0 && lines != (size_t)rc && strlen(err) + 512 < sizeof(err))
		abort();
	if (rc == 0) {
		assert(c->exchange_count > 0);
		for (size_t i = 0; i < c->exchange_count; i++)
			assert(c->exchanges[i].symbol_count > 0);
	}
	return 0;
}
