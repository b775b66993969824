/* POSIX shared-memory segments with a self-describing header: create or
 * attach (supervisor), attach and validate (children), unlink. */
#ifndef SPREADBUS_SHM_SEGMENT_H
#define SPREADBUS_SHM_SEGMENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SEGMENT_NAME_MAX 96

/* Every segment starts with this header (one cache line). */
struct segment_header {
	uint64_t magic;          /* identifies the segment kind, e.g. SEGMENT_MAGIC_RING */
	uint32_t layout_version; /* bumped whenever the layout after the header changes */
	uint32_t record_size;    /* size of one record in bytes */
	uint64_t capacity;       /* number of records */
	int64_t created_ns;      /* CLOCK_REALTIME at creation */
	uint64_t total_size;     /* bytes mapped, header included */
	char label[24];          /* what the segment is for: exchange name, "status", "registry" */
};
_Static_assert(sizeof(struct segment_header) == 64, "header is one cache line");

struct segment_spec {
	uint64_t magic;
	uint32_t layout_version;
	uint32_t record_size;
	uint64_t capacity;
	size_t total_size;  /* 0 = accept any, as long as the header matches the file */
	const char *label;
	const char *kind;   /* "ring", "status table", "registry": names the segment in messages */
	/* segment_create_or_attach, creating: fills the records before the magic
	 * is stored, so that no process ever attaches to a half-initialised
	 * segment; may be NULL. */
	void (*init)(void *base, const struct segment_spec *spec);
};

struct segment {
	char name[SEGMENT_NAME_MAX];
	void *base; /* starts with struct segment_header */
	size_t size;
};

/* "/spreadbus.<instance>.<what>"; returns 0 or -ENAMETOOLONG / -EINVAL. */
int segment_name(char *out, size_t out_len, const char *instance, const char *what);

/* The supervisor's open: creates the segment (spec->total_size bytes, zero
 * filled, spec->init run, the header's magic stored last) with mode as
 * given, whatever the umask; or, if it exists, attaches to it exactly as
 * segment_attach does, header checks included. An existing segment is never
 * initialised again: its records survive. On error returns a negative
 * errno and writes the reason, naming the segment, into err (may be NULL). */
int segment_create_or_attach(struct segment *seg, const char *name, const struct segment_spec *spec, mode_t mode,
			     char *err, size_t err_len);

/* Map an existing segment and check magic, version, record size, capacity
 * and size against spec (capacity 0 = accept any). On mismatch returns
 * -EPROTO and writes what differed into err (may be NULL). */
int segment_attach(struct segment *seg, const char *name, const struct segment_spec *spec, char *err,
		   size_t err_len);

void segment_detach(struct segment *seg);
int segment_unlink(const char *name);

#endif
