/* Shared by the test_adapter_<exchange>_control unit tests: one frame
 * (a fixture line, read from $FIXTURES, or a documented example) through
 * an adapter's parser, and the control or reject result it must give. */
#ifndef SPREADBUS_TESTS_UNIT_ADAPTER_CONTROL_H
#define SPREADBUS_TESTS_UNIT_ADAPTER_CONTROL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collector/pipeline.h"

/* One expectation: the frame (fixture file and 1-based line, or text when
 * file is NULL) and what the parser must call it. detail is compared when
 * not NULL. */
struct control_case {
	const char *file;
	int line;
	const char *text;
	enum frame_kind kind;
	enum control_kind control;
	enum reject_reason reject;
	const char *detail;
};

/* Line n of $FIXTURES/<exchange>/<file> into buf, without its newline. */
static size_t control_fixture_line(const char *exchange, const char *file, int n, char *buf, size_t cap)
{
	char path[512];
	const char *fixtures = getenv("FIXTURES");
	snprintf(path, sizeof(path), "%s/%s/%s", fixtures ? fixtures : "tests/fixtures", exchange, file);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (set FIXTURES)", path);
	size_t len = 0;
	for (int i = 1; i <= n; i++)
		if (!fgets(buf, (int)cap, f))
			fail_msg("%s has no line %d", path, n);
	fclose(f);
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	return len;
}

/* Every case through the adapter exchange; fixture files are read from
 * $FIXTURES/<dir>/ (an exchange may share another's protocol). */
static void control_check(const char *exchange, const char *dir, const struct control_case *c, size_t ncases)
{
	static struct pipeline p;
	static char buf[65536];
	struct symmap m;
	const struct adapter *a = adapter_find(exchange);
	assert_non_null(a);
	assert_int_equal(symmap_init(&m, a, 64, true), 0);
	pipeline_init(&p, a, &m, 1, sizeof(buf), 0);
	for (size_t i = 0; i < ncases; i++) {
		size_t len = c[i].file ? control_fixture_line(dir, c[i].file, c[i].line, buf, sizeof(buf))
				       : strlen(c[i].text);
		const char *frame = c[i].file ? buf : c[i].text;
		enum frame_kind k = pipeline_frame(&p, frame, len, false, 0);
		if (k != c[i].kind || (k == FRAME_CONTROL && p.out.control != c[i].control) ||
		    (k == FRAME_REJECT && p.out.reject != c[i].reject))
			fail_msg("%s %s:%d %.80s: got kind %d control %s reject %s", exchange, c[i].file ? c[i].file : "text",
				 c[i].line, frame, (int)k, adapter_control_kind_name(p.out.control), adapter_reject_reason_name(p.out.reject));
		if (c[i].detail && strcmp(p.out.detail, c[i].detail) != 0)
			fail_msg("%s %.80s: detail '%s', want '%s'", exchange, frame, p.out.detail, c[i].detail);
	}
	symmap_free(&m);
}

#define CONTROL(f, l, c, d) {(f), (l), NULL, FRAME_CONTROL, (c), REJECT_NONE, (d)}
#define CONTROL_TEXT(t, c, d) {NULL, 0, (t), FRAME_CONTROL, (c), REJECT_NONE, (d)}
#define REJECT_TEXT(t, r) {NULL, 0, (t), FRAME_REJECT, CONTROL_NONE, (r), NULL}

#endif
