/* Instrument lists: the set, and the TSV file a collector reports its
 * exchange's instruments in (one line per instrument, a header first). */
#include "common/instrument.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INSTRUMENT_FILE_MAGIC "# spreadbus instruments v1"
#define UNIVERSE_FILE_MAGIC "# spreadbus universe v1"

struct instrument *instrument_set_add(struct instrument_set *s)
{
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct instrument *p = realloc(s->items, cap * sizeof(*p));
		if (!p)
			return NULL;
		s->items = p;
		s->cap = cap;
	}
	struct instrument *in = &s->items[s->count++];
	memset(in, 0, sizeof(*in));
	return in;
}

void instrument_set_free(struct instrument_set *s)
{
	free(s->items);
	memset(s, 0, sizeof(*s));
}

static int cmp_native(const void *a, const void *b)
{
	return strcmp(((const struct instrument *)a)->native, ((const struct instrument *)b)->native);
}

void instrument_set_sort_native(struct instrument_set *s)
{
	if (s->count)
		qsort(s->items, s->count, sizeof(s->items[0]), cmp_native);
}

struct instrument *instrument_set_find_native(struct instrument_set *s, const char *native, size_t len)
{
	struct instrument key;
	if (len >= sizeof(key.native) || s->count == 0)
		return NULL;
	memcpy(key.native, native, len);
	key.native[len] = '\0';
	return bsearch(&key, s->items, s->count, sizeof(s->items[0]), cmp_native);
}

int instrument_file_path(char *out, size_t out_len, const char *runtime_dir, const char *exchange)
{
	int n = snprintf(out, out_len, "%s/instruments.%s.tsv", runtime_dir, exchange);
	return n < 0 || (size_t)n >= out_len ? -ENAMETOOLONG : 0;
}

static void put_line(FILE *f, const struct instrument *in)
{
	/* %.17g: the doubles read back equal to what was parsed */
	fprintf(f, "%s\t%s\t%s\t%s\t%s\t%d\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\n", in->canonical, in->native,
		in->base, in->quote, in->status, in->trading ? 1 : 0, in->tick_size, in->lot_size, in->min_qty,
		in->min_notional, in->quote_volume_24h);
}

/* Open path's temporary sibling for writing; tmp receives its name. */
static FILE *start(const char *path, char *tmp, size_t tmp_len, char *err, size_t err_len)
{
	if (snprintf(tmp, tmp_len, "%s.tmp", path) >= (int)tmp_len) {
		snprintf(err, err_len, "%s: path too long", path);
		return NULL;
	}
	FILE *f = fopen(tmp, "w");
	if (!f)
		snprintf(err, err_len, "%s: %s", tmp, strerror(errno));
	return f;
}

/* fsync, close and rename into place: readers see the old file or the new one whole. */
static int finish(FILE *f, const char *tmp, const char *path, char *err, size_t err_len)
{
	int rc = 0;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -errno;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc < 0) {
		snprintf(err, err_len, "%s: %s", path, strerror(-rc));
		unlink(tmp);
	}
	return rc;
}

int instrument_file_write(const char *path, const char *exchange, const struct instrument_set *s, char *err,
			  size_t err_len)
{
	char tmp[512];
	FILE *f = start(path, tmp, sizeof(tmp), err, err_len);
	if (!f)
		return -EIO;
	fprintf(f, "%s exchange=%s fetched_ns=%lld count=%zu\n", INSTRUMENT_FILE_MAGIC, exchange,
		(long long)s->fetched_ns, s->count);
	fprintf(f, "# canonical\tnative\tbase\tquote\tstatus\ttrading\ttick_size\tlot_size\tmin_qty\tmin_notional"
		   "\tquote_volume_24h\n");
	for (size_t i = 0; i < s->count; i++)
		put_line(f, &s->items[i]);
	return finish(f, tmp, path, err, err_len);
}

/* A file's first line: magic, then key=<integer> among other fields. */
static int read_header(const char *line, const char *magic, const char *key, int64_t *out)
{
	size_t kl = strlen(key);
	const char *at = strstr(line, key);
	char *end;
	if (strncmp(line, magic, strlen(magic)) != 0 || !at || at[kl] != '=')
		return -1;
	errno = 0;
	long long v = strtoll(at + kl + 1, &end, 10);
	if (errno || end == at + kl + 1)
		return -1;
	*out = v;
	return 0;
}

/* Copy field f (up to a tab) into out; returns the next field or NULL. */
static char *take_field(char *f, char *out, size_t out_len)
{
	char *tab = strchr(f, '\t');
	size_t n = tab ? (size_t)(tab - f) : strlen(f);
	if (n >= out_len)
		return NULL;
	memcpy(out, f, n);
	out[n] = '\0';
	return tab ? tab + 1 : f + n;
}

static int parse_line(char *line, struct instrument *in)
{
	char num[5][40];
	char trading[4];
	char *p = line;
	if (!(p = take_field(p, in->canonical, sizeof(in->canonical))) ||
	    !(p = take_field(p, in->native, sizeof(in->native))) || !(p = take_field(p, in->base, sizeof(in->base))) ||
	    !(p = take_field(p, in->quote, sizeof(in->quote))) ||
	    !(p = take_field(p, in->status, sizeof(in->status))) || !(p = take_field(p, trading, sizeof(trading))))
		return -1;
	for (int i = 0; i < 5; i++)
		if (!(p = take_field(p, num[i], sizeof(num[i]))))
			return -1;
	double *dst[5] = { &in->tick_size, &in->lot_size, &in->min_qty, &in->min_notional, &in->quote_volume_24h };
	for (int i = 0; i < 5; i++) {
		char *end;
		errno = 0;
		*dst[i] = strtod(num[i], &end);
		if (errno || end == num[i] || *end)
			return -1;
	}
	in->trading = strcmp(trading, "1") == 0;
	return in->canonical[0] && in->native[0] ? 0 : -1;
}

int instrument_file_read(const char *path, struct instrument_set *s, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		int e = errno;
		snprintf(err, err_len, "%s: %s", path, strerror(e));
		return -e;
	}
	char line[512];
	unsigned lineno = 0;
	int rc = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		size_t n = strlen(line);
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (lineno == 1) {
			if (read_header(line, INSTRUMENT_FILE_MAGIC, "fetched_ns", &s->fetched_ns) < 0) {
				snprintf(err, err_len, "%s: not an instruments file", path);
				rc = -EINVAL;
				break;
			}
			continue;
		}
		if (line[0] == '#' || !line[0])
			continue;
		struct instrument *in = instrument_set_add(s);
		if (!in) {
			snprintf(err, err_len, "%s: out of memory", path);
			rc = -ENOMEM;
			break;
		}
		if (parse_line(line, in) < 0) {
			snprintf(err, err_len, "%s:%u: malformed line", path, lineno);
			rc = -EINVAL;
			break;
		}
	}
	if (rc == 0 && lineno == 0) {
		snprintf(err, err_len, "%s: empty", path);
		rc = -EINVAL;
	}
	fclose(f);
	return rc;
}

int universe_file_path(char *out, size_t out_len, const char *state_dir)
{
	int n = snprintf(out, out_len, "%s/universe.tsv", state_dir);
	return n < 0 || (size_t)n >= out_len ? -ENAMETOOLONG : 0;
}

int universe_file_write(const char *path, const struct universe_pick *picks, size_t n, int64_t computed_ns,
			char *err, size_t err_len)
{
	char tmp[512];
	FILE *f = start(path, tmp, sizeof(tmp), err, err_len);
	if (!f)
		return -EIO;
	fprintf(f, "%s computed_ns=%lld count=%zu\n", UNIVERSE_FILE_MAGIC, (long long)computed_ns, n);
	fprintf(f, "# exchange\treason\tcanonical\tnative\tbase\tquote\tstatus\ttrading\ttick_size\tlot_size"
		   "\tmin_qty\tmin_notional\tquote_volume_24h\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s\t%s\t", picks[i].exchange, picks[i].reason);
		put_line(f, &picks[i].in);
	}
	return finish(f, tmp, path, err, err_len);
}

int universe_file_read(const char *path, struct universe_pick **picks, size_t *n, int64_t *computed_ns, char *err,
		       size_t err_len)
{
	struct universe_pick *p = NULL;
	size_t count = 0, cap = 0;
	char line[768];
	unsigned lineno = 0;
	int rc = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		int e = errno;
		snprintf(err, err_len, "%s: %s", path, strerror(e));
		return -e;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (++lineno == 1) {
			if (read_header(line, UNIVERSE_FILE_MAGIC, "computed_ns", computed_ns) < 0) {
				snprintf(err, err_len, "%s: not a universe file", path);
				rc = -EINVAL;
				break;
			}
			continue;
		}
		if (line[0] == '#' || !line[0])
			continue;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct universe_pick *np = realloc(p, ncap * sizeof(*np));
			if (!np) {
				rc = -ENOMEM;
				snprintf(err, err_len, "%s: out of memory", path);
				break;
			}
			p = np;
			cap = ncap;
		}
		struct universe_pick *u = &p[count];
		memset(u, 0, sizeof(*u));
		char *rest = take_field(line, u->exchange, sizeof(u->exchange));
		if (rest)
			rest = take_field(rest, u->reason, sizeof(u->reason));
		if (!rest || !u->exchange[0] || parse_line(rest, &u->in) < 0) {
			snprintf(err, err_len, "%s:%u: malformed line", path, lineno);
			rc = -EINVAL;
			break;
		}
		count++;
	}
	fclose(f);
	if (rc == 0 && lineno == 0) {
		snprintf(err, err_len, "%s: empty", path);
		rc = -EINVAL;
	}
	if (rc < 0) {
		free(p);
		return rc;
	}
	*picks = p;
	*n = count;
	return 0;
}

int universe_file_symbols(const char *state_dir, const char *exchange, char (**symbols)[INSTRUMENT_NAME_MAX],
			  size_t *n, char *err, size_t err_len)
{
	char path[512];
	struct universe_pick *picks = NULL;
	size_t count = 0, mine = 0;
	int64_t computed_ns = 0;
	*symbols = NULL;
	*n = 0;
	if (universe_file_path(path, sizeof(path), state_dir) < 0) {
		snprintf(err, err_len, "%s: path too long", state_dir);
		return -ENAMETOOLONG;
	}
	int rc = universe_file_read(path, &picks, &count, &computed_ns, err, err_len);
	if (rc < 0)
		return rc;
	char(*out)[INSTRUMENT_NAME_MAX] = calloc(count ? count : 1, sizeof(*out));
	if (!out) {
		free(picks);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < count; i++)
		if (strcmp(picks[i].exchange, exchange) == 0)
			memcpy(out[mine++], picks[i].in.canonical, sizeof(out[0]));
	free(picks);
	*symbols = out;
	*n = mine;
	return 0;
}
