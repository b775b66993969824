/* Journal segments: parse and validate (with torn-tail truncation), list,
 * create durably, and append checksummed records through a buffer. */
#include "writer/journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "writer/crc32c.h"
#include "writer/fileio.h"

#define TICK_SIZE 64
#define HEADER_CRC_OFF 60

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void set_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void set_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int parse_header(const uint8_t *buf, size_t len, const char *exchange, struct journal_scan *scan)
{
	if (len < JOURNAL_HEADER_SIZE || memcmp(buf, JOURNAL_MAGIC, 8) != 0)
		return -EBADMSG;
	if (get_le32(buf + 8) != JOURNAL_LAYOUT_VERSION)
		return -EPROTO;
	if (get_le32(buf + 12) != JOURNAL_HEADER_SIZE || crc32c_update(0, buf, HEADER_CRC_OFF) != get_le32(buf + HEADER_CRC_OFF))
		return -EBADMSG;
	if (memchr(buf + 24, '\0', JOURNAL_NAME_MAX) == NULL)
		return -EBADMSG;
	if (exchange && strncmp((const char *)buf + 24, exchange, JOURNAL_NAME_MAX) != 0)
		return -EXDEV;
	scan->start_seq = get_le64(buf + 16);
	scan->ring_created_ns = (int64_t)get_le64(buf + 48);
	return 0;
}

/* How far one record at p (avail bytes) moves the sequence; 0 = invalid. */
static int check_record(const uint8_t *p, size_t avail, uint64_t expect_seq, struct journal_record *rec,
			uint64_t *next_seq, size_t *size)
{
	if (avail < JOURNAL_RECORD_HEADER_SIZE)
		return 0;
	uint16_t type = (uint16_t)(p[4] | p[5] << 8);
	uint16_t count = (uint16_t)(p[6] | p[7] << 8);
	uint64_t seq = get_le64(p + 8);
	if (seq != expect_seq)
		return 0;
	size_t payload = (size_t)count * TICK_SIZE;
	if (avail - JOURNAL_RECORD_HEADER_SIZE < payload)
		return 0;
	uint32_t crc = crc32c_update(0, p + 4, JOURNAL_RECORD_HEADER_SIZE - 4);
	crc = crc32c_update(crc, p + JOURNAL_RECORD_HEADER_SIZE, payload);
	if (crc != get_le32(p))
		return 0;
	uint64_t advance;
	switch (type) {
	case JREC_TICKS:
		if (count == 0)
			return 0;
		advance = count;
		break;
	case JREC_LOST: {
		if (count != 1)
			return 0;
		struct tick gap;
		memcpy(&gap, p + JOURNAL_RECORD_HEADER_SIZE, sizeof(gap));
		if (gap.kind != TICK_GAP || gap.update_id == 0)
			return 0;
		advance = gap.update_id;
		break;
	}
	case JREC_CUT:
		if (count != 0)
			return 0;
		advance = 0;
		break;
	default:
		return 0;
	}
	if (seq + advance < seq)
		return 0;
	rec->type = (enum journal_record_type)type;
	rec->seq = seq;
	rec->count = count;
	rec->payload = p + JOURNAL_RECORD_HEADER_SIZE;
	*next_seq = seq + advance;
	*size = JOURNAL_RECORD_HEADER_SIZE + payload;
	return 1;
}

int journal_parse(const uint8_t *buf, size_t len, const char *exchange, struct journal_scan *scan,
		  journal_record_fn fn, void *ctx)
{
	memset(scan, 0, sizeof(*scan));
	int rc = parse_header(buf, len, exchange, scan);
	if (rc < 0)
		return rc;
	size_t off = JOURNAL_HEADER_SIZE;
	uint64_t seq = scan->start_seq;
	while (!scan->closed) {
		struct journal_record rec;
		uint64_t next;
		size_t size;
		if (!check_record(buf + off, len - off, seq, &rec, &next, &size))
			break;
		if (fn) {
			rc = fn(ctx, &rec);
			if (rc < 0)
				return rc;
		}
		off += size;
		seq = next;
		scan->records++;
		scan->closed = rec.type == JREC_CUT;
	}
	scan->end_seq = seq;
	scan->valid_bytes = off;
	scan->torn_bytes = len - off;
	return 0;
}

int journal_recover_file(const char *path, const char *exchange, int truncate, struct journal_scan *scan,
			 journal_record_fn fn, void *ctx)
{
	int fd = open(path, (truncate ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc;
	struct stat sb;
	if (fstat(fd, &sb) < 0) {
		rc = -errno;
		goto out;
	}
	size_t len = (size_t)sb.st_size;
	void *map = NULL;
	if (len > 0) {
		map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			rc = -errno;
			goto out;
		}
	}
	static const uint8_t empty[1];
	rc = journal_parse(map ? map : empty, len, exchange, scan, fn, ctx);
	if (map)
		munmap(map, len);
	if (rc < 0)
		goto out;
	if (scan->torn_bytes > 0 && truncate) {
		log_warn("journal %s: torn tail of %zu bytes after %" PRIu64 " valid records (%zu bytes, bus_seq %" PRIu64
			 "..%" PRIu64 ") truncated",
			 path, scan->torn_bytes, scan->records, scan->valid_bytes, scan->start_seq, scan->end_seq);
		if (ftruncate(fd, (off_t)scan->valid_bytes) < 0 || fsync(fd) < 0) {
			rc = -errno;
			goto out;
		}
		scan->torn_bytes = 0;
	}
out:
	close(fd);
	return rc;
}

static int parse_digits(const char *p, int n, uint64_t *out)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		uint64_t d = (uint64_t)(p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return 0;
		v = v * 10 + d;
	}
	*out = v;
	return 1;
}

/* "<19 digits>-<20 digits>.jnl" */
static int is_segment_name(const char *name, struct journal_segment_id *id)
{
	uint64_t gen;
	if (strlen(name) != 44 || name[19] != '-' || strcmp(name + 40, ".jnl") != 0)
		return 0;
	if (!parse_digits(name, 19, &gen) || gen > INT64_MAX || !parse_digits(name + 20, 20, &id->start_seq))
		return 0;
	id->ring_created_ns = (int64_t)gen;
	return 1;
}

static int cmp_id(const void *a, const void *b)
{
	const struct journal_segment_id *x = a, *y = b;
	if (x->ring_created_ns != y->ring_created_ns)
		return x->ring_created_ns < y->ring_created_ns ? -1 : 1;
	return x->start_seq < y->start_seq ? -1 : x->start_seq > y->start_seq;
}

int journal_list(const char *dir, struct journal_segment_id **ids, size_t *count)
{
	*ids = NULL;
	*count = 0;
	DIR *d = opendir(dir);
	if (!d)
		return -errno;
	size_t cap = 0;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n > 8 && strcmp(e->d_name + n - 8, ".jnl.tmp") == 0) {
			if (unlinkat(dirfd(d), e->d_name, 0) < 0)
				log_warn("journal %s: cannot remove leftover %s: %s", dir, e->d_name, strerror(errno));
			continue;
		}
		struct journal_segment_id id;
		if (!is_segment_name(e->d_name, &id))
			continue;
		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			struct journal_segment_id *p = realloc(*ids, cap * sizeof(*p));
			if (!p) {
				rc = -ENOMEM;
				break;
			}
			*ids = p;
		}
		(*ids)[(*count)++] = id;
	}
	closedir(d);
	if (rc < 0) {
		free(*ids);
		*ids = NULL;
		*count = 0;
		return rc;
	}
	if (*count > 1)
		qsort(*ids, *count, sizeof(**ids), cmp_id);
	return 0;
}

int journal_segment_path(char *out, size_t out_len, const char *dir, const struct journal_segment_id *id)
{
	int n = snprintf(out, out_len, "%s/%019" PRId64 "-%020" PRIu64 ".jnl", dir, id->ring_created_ns, id->start_seq);
	return n < 0 || (size_t)n >= out_len ? -ENAMETOOLONG : 0;
}

void journal_init(struct journal *j)
{
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->open_record = SIZE_MAX;
	bytebuf_init(&j->buf);
}

void journal_close(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	bytebuf_reset(&j->buf);
	j->open_record = SIZE_MAX;
}

static int set_names(struct journal *j, const char *dir, const char *exchange)
{
	size_t dl = strlen(dir), el = strlen(exchange);
	if (dl >= sizeof(j->dir) || el >= sizeof(j->exchange))
		return -ENAMETOOLONG;
	memcpy(j->dir, dir, dl + 1);
	memcpy(j->exchange, exchange, el + 1);
	return 0;
}

int journal_create(struct journal *j, const char *dir, const char *exchange, const struct journal_segment_id *id)
{
	char path[600], tmp[610];
	int rc = set_names(j, dir, exchange);
	if (rc < 0)
		return rc;
	rc = journal_segment_path(path, sizeof(path), dir, id);
	if (rc < 0)
		return rc;
	if (id->ring_created_ns < 0)
		return -EINVAL;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	uint8_t h[JOURNAL_HEADER_SIZE] = {0};
	memcpy(h, JOURNAL_MAGIC, 8);
	set_le32(h + 8, JOURNAL_LAYOUT_VERSION);
	set_le32(h + 12, JOURNAL_HEADER_SIZE);
	set_le64(h + 16, id->start_seq);
	memcpy(h + 24, exchange, strlen(exchange));
	set_le64(h + 48, (uint64_t)id->ring_created_ns);
	set_le32(h + HEADER_CRC_OFF, crc32c_update(0, h, HEADER_CRC_OFF));
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	rc = fileio_write_all(fd, h, sizeof(h));
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc == 0)
		rc = fileio_fsync_dir(dir);
	if (rc < 0) {
		close(fd);
		unlink(tmp);
		return rc;
	}
	/* Reopen for appending: O_APPEND keeps every write at the end. */
	close(fd);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	journal_close(j);
	j->fd = fd;
	j->id = *id;
	j->end_seq = j->written_seq = id->start_seq;
	j->file_bytes = JOURNAL_HEADER_SIZE;
	return 0;
}

int journal_open_append(struct journal *j, const char *dir, const char *exchange, const struct journal_scan *scan)
{
	char path[600];
	struct journal_segment_id id = {scan->ring_created_ns, scan->start_seq};
	int rc = set_names(j, dir, exchange);
	if (rc == 0)
		rc = journal_segment_path(path, sizeof(path), dir, &id);
	if (rc < 0)
		return rc;
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	journal_close(j);
	j->fd = fd;
	j->id = id;
	j->end_seq = j->written_seq = scan->end_seq;
	j->file_bytes = scan->valid_bytes;
	return 0;
}

/* The checksum covers the record header after the crc field and the payload. */
static void finish_open_record(struct journal *j)
{
	if (j->open_record == SIZE_MAX)
		return;
	uint8_t *p = j->buf.data + j->open_record;
	uint16_t count = (uint16_t)(p[6] | p[7] << 8);
	uint32_t crc = crc32c_update(0, p + 4, JOURNAL_RECORD_HEADER_SIZE - 4);
	crc = crc32c_update(crc, p + JOURNAL_RECORD_HEADER_SIZE, (size_t)count * TICK_SIZE);
	set_le32(p, crc);
	j->open_record = SIZE_MAX;
}

static int begin_record(struct journal *j, enum journal_record_type type, uint64_t seq)
{
	finish_open_record(j);
	uint8_t h[JOURNAL_RECORD_HEADER_SIZE] = {0};
	h[4] = (uint8_t)type;
	set_le64(h + 8, seq);
	size_t at = j->buf.len;
	bytebuf_put(&j->buf, h, sizeof(h));
	if (j->buf.failed)
		return -ENOMEM;
	j->open_record = at;
	return 0;
}

static void add_count(struct journal *j, uint16_t n)
{
	uint8_t *p = j->buf.data + j->open_record;
	uint16_t count = (uint16_t)(p[6] | p[7] << 8);
	count = (uint16_t)(count + n);
	p[6] = (uint8_t)count;
	p[7] = (uint8_t)(count >> 8);
}

int journal_append_ticks(struct journal *j, uint64_t seq, const struct tick *ticks, size_t n)
{
	if (seq != j->end_seq)
		return -EINVAL;
	while (n > 0) {
		uint16_t count = 0;
		if (j->open_record != SIZE_MAX) {
			const uint8_t *p = j->buf.data + j->open_record;
			count = (uint16_t)(p[6] | p[7] << 8);
		}
		if (j->open_record == SIZE_MAX || count == JOURNAL_MAX_TICKS_PER_RECORD) {
			int rc = begin_record(j, JREC_TICKS, seq);
			if (rc < 0)
				return rc;
			count = 0;
		}
		size_t take = JOURNAL_MAX_TICKS_PER_RECORD - count;
		if (take > n)
			take = n;
		bytebuf_put(&j->buf, ticks, take * TICK_SIZE);
		if (j->buf.failed)
			return -ENOMEM;
		add_count(j, (uint16_t)take);
		ticks += take;
		n -= take;
		seq += take;
		j->end_seq = seq;
	}
	return 0;
}

int journal_append_lost(struct journal *j, uint64_t seq, const struct tick *gap)
{
	if (seq != j->end_seq || gap->kind != TICK_GAP || gap->update_id == 0)
		return -EINVAL;
	int rc = begin_record(j, JREC_LOST, seq);
	if (rc < 0)
		return rc;
	bytebuf_put(&j->buf, gap, TICK_SIZE);
	if (j->buf.failed)
		return -ENOMEM;
	add_count(j, 1);
	finish_open_record(j);
	j->end_seq = seq + gap->update_id;
	return 0;
}

int journal_append_cut(struct journal *j)
{
	int rc = begin_record(j, JREC_CUT, j->end_seq);
	if (rc < 0)
		return rc;
	finish_open_record(j);
	return 0;
}

int journal_flush(struct journal *j)
{
	if (j->fd < 0)
		return -EBADF;
	finish_open_record(j);
	if (j->buf.len == 0)
		return 0;
	int rc = fileio_write_all(j->fd, j->buf.data, j->buf.len);
	if (rc < 0)
		return rc;
	j->file_bytes += j->buf.len;
	j->written_seq = j->end_seq;
	bytebuf_reset(&j->buf);
	return 0;
}

int journal_sync(struct journal *j)
{
	int rc = journal_flush(j);
	if (rc < 0)
		return rc;
	return fdatasync(j->fd) < 0 ? -errno : 0;
}

int journal_unlink(const char *dir, const struct journal_segment_id *id)
{
	char path[600];
	int rc = journal_segment_path(path, sizeof(path), dir, id);
	if (rc < 0)
		return rc;
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return fileio_fsync_dir(dir);
}
