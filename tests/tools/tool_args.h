/* Command-line argument parsing shared by the test tools. */
#ifndef SPREADBUS_TESTS_TOOLS_TOOL_ARGS_H
#define SPREADBUS_TESTS_TOOLS_TOOL_ARGS_H

#include <stdint.h>

/* A whole decimal string as uint64_t: 0, or -EINVAL (empty, sign, junk,
 * out of range). */
int tool_args_parse_u64(const char *s, uint64_t *out);

#endif
