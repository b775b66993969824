/* POSIX shared-memory segments: names, creation with a self-describing
 * header, attachment with validation of that header, unlinking. */
#include "shm/segment.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void seg_err(char *err, size_t err_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void seg_err(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	if (!err || err_len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
}

/* Name components may only hold characters that are safe in a file name
 * under /dev/shm and unambiguous around the '.' separators. */
static int name_part_valid(const char *s)
{
	size_t i;

	if (!s || !s[0])
		return 0;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_'))
			return 0;
	}
	return 1;
}

int segment_name(char *out, size_t out_len, const char *instance, const char *what)
{
	int n;

	if (!name_part_valid(instance) || !name_part_valid(what))
		return -EINVAL;
	n = snprintf(out, out_len, "/spreadbus.%s.%s", instance, what);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= out_len || n >= SEGMENT_NAME_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* A POSIX shm name: one leading '/', no other '/', fits SEGMENT_NAME_MAX. */
static int shm_name_valid(const char *name)
{
	size_t len;

	if (!name || name[0] != '/')
		return 0;
	len = strnlen(name, SEGMENT_NAME_MAX);
	if (len < 2 || len >= SEGMENT_NAME_MAX)
		return 0;
	return strchr(name + 1, '/') == NULL;
}

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static const char *kind_of(const struct segment_spec *spec)
{
	return spec->kind ? spec->kind : "segment";
}

static int invalid_name(const char *kind, const char *name, char *err, size_t err_len)
{
	seg_err(err, err_len, "%s name '%s' is not a valid shared-memory name", kind, name ? name : "");
	return -EINVAL;
}

/* A new zero-filled segment with spec's header; -EEXIST if name exists. */
static int segment_create(struct segment *seg, const char *name, const struct segment_spec *spec, mode_t mode)
{
	struct segment_header *h;
	void *base = MAP_FAILED;
	int fd, rc = 0;

	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	/* shm_open applies the umask; the configured mode must hold as given. */
	if (fchmod(fd, mode) < 0 || ftruncate(fd, (off_t)spec->total_size) < 0) {
		rc = -errno;
		goto out;
	}
	base = mmap(NULL, spec->total_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		rc = -errno;
		goto out;
	}
	h = base;
	h->layout_version = spec->layout_version;
	h->record_size = spec->record_size;
	h->capacity = spec->capacity;
	h->created_ns = realtime_ns();
	h->total_size = spec->total_size;
	if (spec->label)
		strncpy(h->label, spec->label, sizeof(h->label) - 1);
	if (spec->init)
		spec->init(base, spec);
	/* The magic goes last: a segment caught half-initialised is refused. */
	__atomic_store_n(&h->magic, spec->magic, __ATOMIC_RELEASE);
	snprintf(seg->name, sizeof(seg->name), "%s", name);
	seg->base = base;
	seg->size = spec->total_size;
out:
	close(fd);
	if (rc < 0)
		shm_unlink(name);
	return rc;
}

/* Compares the mapped header with spec; 0 or -EPROTO with err filled. */
static int header_check(const struct segment_header *h, const char *name, const struct segment_spec *spec,
			size_t file_size, char *err, size_t err_len)
{
	const char *kind = kind_of(spec);
	uint64_t magic = __atomic_load_n(&h->magic, __ATOMIC_ACQUIRE);

	if (magic != spec->magic) {
		seg_err(err, err_len, "%s %s: magic 0x%016llx, expected 0x%016llx (not a %s, or not initialised)", kind,
			name, (unsigned long long)magic, (unsigned long long)spec->magic, kind);
		return -EPROTO;
	}
	if (h->layout_version != spec->layout_version) {
		seg_err(err, err_len, "%s %s: layout version %u, expected %u", kind, name, h->layout_version,
			spec->layout_version);
		return -EPROTO;
	}
	if (h->record_size != spec->record_size) {
		seg_err(err, err_len, "%s %s: record size %u, expected %u", kind, name, h->record_size,
			spec->record_size);
		return -EPROTO;
	}
	if (spec->capacity && h->capacity != spec->capacity) {
		seg_err(err, err_len, "%s %s: capacity %llu, expected %llu", kind, name,
			(unsigned long long)h->capacity, (unsigned long long)spec->capacity);
		return -EPROTO;
	}
	if (spec->total_size && h->total_size != spec->total_size) {
		seg_err(err, err_len, "%s %s: header says %llu bytes, expected %zu", kind, name,
			(unsigned long long)h->total_size, spec->total_size);
		return -EPROTO;
	}
	if (h->total_size != file_size) {
		seg_err(err, err_len, "%s %s: header says %llu bytes, the segment has %zu", kind, name,
			(unsigned long long)h->total_size, file_size);
		return -EPROTO;
	}
	return 0;
}

int segment_attach(struct segment *seg, const char *name, const struct segment_spec *spec, char *err,
		   size_t err_len)
{
	const char *kind = kind_of(spec);
	struct stat st;
	void *base;
	size_t size;
	int fd, rc;

	memset(seg, 0, sizeof(*seg));
	if (!shm_name_valid(name))
		return invalid_name(kind, name, err, err_len);
	fd = shm_open(name, O_RDWR | O_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		if (rc == -ENOENT)
			seg_err(err, err_len, "%s %s does not exist (is the supervisor running, or run busctl create)",
				kind, name);
		else
			seg_err(err, err_len, "%s %s: shm_open: %s", kind, name, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		seg_err(err, err_len, "%s %s: fstat: %s", kind, name, strerror(-rc));
		goto out;
	}
	if ((size_t)st.st_size < sizeof(struct segment_header)) {
		seg_err(err, err_len, "%s %s: %lld bytes, smaller than a segment header", kind, name,
			(long long)st.st_size);
		rc = -EPROTO;
		goto out;
	}
	size = (size_t)st.st_size;
	base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		rc = -errno;
		seg_err(err, err_len, "%s %s: mmap %zu bytes: %s", kind, name, size, strerror(-rc));
		goto out;
	}
	rc = header_check(base, name, spec, size, err, err_len);
	if (rc < 0) {
		munmap(base, size);
		goto out;
	}
	snprintf(seg->name, sizeof(seg->name), "%s", name);
	seg->base = base;
	seg->size = size;
out:
	close(fd);
	return rc;
}

int segment_create_or_attach(struct segment *seg, const char *name, const struct segment_spec *spec, mode_t mode,
			     char *err, size_t err_len)
{
	const char *kind = kind_of(spec);
	int rc;

	memset(seg, 0, sizeof(*seg));
	if (!shm_name_valid(name))
		return invalid_name(kind, name, err, err_len);
	if (spec->total_size < sizeof(struct segment_header)) {
		seg_err(err, err_len, "%s %s: %zu bytes cannot hold a segment header", kind, name, spec->total_size);
		return -EINVAL;
	}
	rc = segment_create(seg, name, spec, mode);
	if (rc == -EEXIST)
		return segment_attach(seg, name, spec, err, err_len);
	if (rc < 0)
		seg_err(err, err_len, "%s %s: create %zu bytes: %s", kind, name, spec->total_size, strerror(-rc));
	return rc;
}

void segment_detach(struct segment *seg)
{
	if (seg->base)
		munmap(seg->base, seg->size);
	seg->base = NULL;
	seg->size = 0;
}

int segment_unlink(const char *name)
{
	if (!shm_name_valid(name))
		return -EINVAL;
	if (shm_unlink(name) < 0)
		return -errno;
	return 0;
}
