/* libFuzzer target: arbitrary bytes as a journal segment. Recovery must
 * never crash, must keep exactly the checksummed prefix (recovering that
 * prefix again finds nothing torn), and must truncate the file to it. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "writer/journal.h"

struct walk {
	const uint8_t *base;
	size_t len;
	uint64_t next_seq;
	uint64_t records;
};

static int check_record(void *ctx, const struct journal_record *rec)
{
	struct walk *w = ctx;
	if (rec->seq != w->next_seq && w->records > 0)
		abort();
	if (rec->payload < w->base || rec->payload + (size_t)rec->count * sizeof(struct tick) > w->base + w->len)
		abort();
	uint64_t advance = rec->count;
	if (rec->type == JREC_LOST) {
		struct tick t;
		memcpy(&t, rec->payload, sizeof(t));
		advance = t.update_id;
	} else if (rec->type == JREC_CUT) {
		advance = 0;
	}
	w->next_seq = rec->seq + advance;
	w->records++;
	return 0;
}

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		log_init("fuzz_journal", NULL, LOG_LVL_ERR, 0); /* torn-tail warnings would flood */
		snprintf(path, sizeof(path), "/tmp/fuzz_journal.%d.jnl", (int)getpid());
	}
	struct journal_scan scan, again;
	struct walk w = {data, size, 0, 0};
	int rc = journal_parse(data, size, NULL, &scan, check_record, &w);
	if (rc < 0)
		return 0;
	if (scan.valid_bytes + scan.torn_bytes != size || w.records != scan.records ||
	    scan.end_seq != (w.records ? w.next_seq : scan.start_seq))
		abort();

	/* The kept prefix alone: same records, nothing torn. */
	struct walk w2 = {data, scan.valid_bytes, 0, 0};
	if (journal_parse(data, scan.valid_bytes, NULL, &again, check_record, &w2) != 0 ||
	    again.records != scan.records || again.end_seq != scan.end_seq || again.torn_bytes != 0)
		abort();

	/* The same through the file: truncated to exactly that prefix. */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if (journal_recover_file(path, NULL, 1, &again, NULL, NULL) != 0 || again.end_seq != scan.end_seq)
		abort();
	struct stat sb;
	if (stat(path, &sb) != 0 || (size_t)sb.st_size != scan.valid_bytes)
		abort();
	unlink(path);
	return 0;
}
