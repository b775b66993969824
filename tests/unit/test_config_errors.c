/* Every bad configuration in tests/config/ gives exactly the errors its
 * "; expect:" comments list, each as "FILE:LINE: message" (see its README). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/config.h"

#define MAX_LINES 64
#define ERRBUF_LEN 65536
#define EXPECT_MAX 2048

struct expectations {
	char expect[MAX_LINES][EXPECT_MAX]; /* "FILE:LINE: text", "FILE: text" or "VAR: text" */
	int expect_count;
	char env[MAX_LINES][256];
	char *envp[MAX_LINES + 3];
	int env_count;
};

static char tmpdir[] = "/tmp/spreadbus-test-config-XXXXXX";

static void read_expectations(const char *path, const char *text, struct expectations *x)
{
	memset(x, 0, sizeof(*x));
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		size_t len = strcspn(line, "\n");
		if (strncmp(line, "; expect: ", 10) == 0 && x->expect_count < MAX_LINES) {
			const char *what = line + 10;
			size_t wlen = len - 10;
			size_t tag = strcspn(what, ":");
			char *dst = x->expect[x->expect_count++];
			if (what[0] == '-')
				snprintf(dst, EXPECT_MAX, "%s:%.*s", path, (int)(wlen - tag - 1), what + tag + 1);
			else if (what[0] >= '0' && what[0] <= '9')
				snprintf(dst, EXPECT_MAX, "%s:%.*s", path, (int)wlen, what);
			else
				snprintf(dst, EXPECT_MAX, "%.*s", (int)wlen, what);
		} else if (strncmp(line, "; env: ", 7) == 0 && x->env_count < MAX_LINES) {
			snprintf(x->env[x->env_count], 256, "%.*s", (int)(len - 7), line + 7);
			x->envp[x->env_count] = x->env[x->env_count];
			x->env_count++;
		}
	}
	/* Keep the files independent of /run and /var/lib. */
	static char run[300], state[300];
	snprintf(run, sizeof(run), "SPREADBUS_SERVICE_RUNTIME_DIR=%s/run", tmpdir);
	snprintf(state, sizeof(state), "SPREADBUS_SERVICE_STATE_DIR=%s/state", tmpdir);
	int n = x->env_count;
	if (!strstr(text, "runtime_dir"))
		x->envp[n++] = run;
	if (!strstr(text, "state_dir"))
		x->envp[n++] = state;
	x->envp[n] = NULL;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void check_file(const char *path)
{
	static struct expectations x;
	static char err[ERRBUF_LEN];
	char *text = slurp(path);
	assert_non_null(text);
	read_expectations(path, text, &x);
	assert_true(x.expect_count > 0);

	struct config *c = config_new();
	assert_non_null(c);
	int rc = config_load(c, path, x.envp, err, sizeof(err));
	config_free(c);

	for (int i = 0; i < x.expect_count; i++) {
		/* at the start of a line of err */
		static char want[EXPECT_MAX + 2], got[ERRBUF_LEN + 2];
		snprintf(want, sizeof(want), "\n%s", x.expect[i]);
		snprintf(got, sizeof(got), "\n%s", err);
		bool found = strstr(got, want) != NULL;
		if (!found)
			fprintf(stderr, "%s: no error '%s'; the errors were:\n%s", path, x.expect[i], err);
		if (!found)
			fail_msg("%s: no error '%s'; the errors were:\n%s", path, x.expect[i], err);
	}
	if (rc != x.expect_count || count_lines(err) != x.expect_count)
		fail_msg("%s: %d errors (%d lines), %d expected:\n%s", path, rc, count_lines(err), x.expect_count, err);
	if (strstr(err, "secret-never-printed"))
		fail_msg("%s: a value from the environment was printed:\n%s", path, err);
}

static void test_every_bad_file(void **state)
{
	(void)state;
	const char *src = getenv("SPREADBUS_SRC");
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/tests/config", src ? src : ".");
	assert_non_null(mkdtemp(tmpdir));
	DIR *d = opendir(dir);
	assert_non_null(d);
	int files = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".conf") != 0)
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		check_file(path);
		files++;
	}
	closedir(d);
	rmdir(tmpdir);
	assert_true(files >= 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_bad_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
