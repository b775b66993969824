/* Command-line argument parsing shared by the test tools: strict numbers,
 * never atoi. */
#include "tests/tools/tool_args.h"

#include <errno.h>
#include <stdlib.h>

int tool_args_parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}
