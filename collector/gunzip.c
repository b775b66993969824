/* gzip members inflated with libdeflate from a fixed arena (see gunzip.h). */
#include "collector/gunzip.h"

#include <errno.h>
#include <stdlib.h>

#include <libdeflate.h>

/* libdeflate's allocator hook is process-wide and takes no context: it is
 * pointed at the arena of the struct named here for the one allocation a
 * decompressor makes, then set back */
static _Thread_local struct gunzip *arena_owner;

static void *arena_malloc(size_t n)
{
	struct gunzip *g = arena_owner;
	n = (n + 63) & ~(size_t)63;
	if (!g || n > sizeof(g->arena) - g->used)
		return NULL;
	void *p = g->arena + g->used;
	g->used += n;
	return p;
}

/* the decompressor lives as long as its struct: nothing is given back */
static void arena_free(void *p)
{
	(void)p;
}

int gunzip_frame(struct gunzip *g, const void *in, size_t len, char *out, size_t cap, size_t *out_len,
		 size_t *in_used)
{
	*out_len = *in_used = 0;
	if (!g->d) {
		libdeflate_set_memory_allocator(arena_malloc, arena_free);
		arena_owner = g;
		g->used = 0;
		g->d = libdeflate_alloc_decompressor();
		arena_owner = NULL;
		libdeflate_set_memory_allocator(malloc, free); /* libdeflate's default, for any other user */
		if (!g->d)
			return -ENOMEM;
	}
	switch (libdeflate_gzip_decompress_ex(g->d, in, len, out, cap, in_used, out_len)) {
	case LIBDEFLATE_SUCCESS:
		return 0;
	case LIBDEFLATE_INSUFFICIENT_SPACE:
		return -EMSGSIZE;
	default:
		return -EBADMSG;
	}
}
