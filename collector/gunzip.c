/* gzip members inflated with zlib from a fixed arena (see gunzip.h). */
#include "collector/gunzip.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>

static voidpf arena_alloc(voidpf opaque, uInt items, uInt size)
{
	struct gunzip *g = opaque;
	size_t n = ((size_t)items * size + 15) & ~(size_t)15;
	if (n > sizeof(g->arena) - g->used)
		return Z_NULL;
	void *p = g->arena + g->used;
	g->used += n;
	return p;
}

/* inflateReset keeps the state and the window, so nothing is ever given back */
static void arena_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	(void)p;
}

int gunzip_frame(struct gunzip *g, const void *in, size_t len, char *out, size_t cap, size_t *out_len,
		 size_t *in_used)
{
	*out_len = *in_used = 0;
	if (len > UINT_MAX || cap > UINT_MAX)
		return -EMSGSIZE;
	if (!g->ready) {
		g->used = 0;
		g->zs.zalloc = arena_alloc;
		g->zs.zfree = arena_free;
		g->zs.opaque = g;
		/* 15 + 16: a gzip wrapper (not zlib, not raw deflate) */
		if (inflateInit2(&g->zs, 15 + 16) != Z_OK)
			return -ENOMEM;
		g->ready = true;
	} else if (inflateReset(&g->zs) != Z_OK) {
		return -EBADMSG;
	}
	g->zs.next_in = (Bytef *)(uintptr_t)in;
	g->zs.avail_in = (uInt)len;
	g->zs.next_out = (Bytef *)out;
	g->zs.avail_out = (uInt)cap;
	int rc = inflate(&g->zs, Z_FINISH);
	if (rc == Z_STREAM_END) {
		*out_len = cap - g->zs.avail_out;
		*in_used = len - g->zs.avail_in;
		return 0;
	}
	if (rc == Z_MEM_ERROR)
		return -ENOMEM;
	/* output full with input left: too big; else corrupt or cut short */
	return rc == Z_BUF_ERROR && g->zs.avail_out == 0 ? -EMSGSIZE : -EBADMSG;
}
