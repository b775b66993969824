/* Under systemd (stderr is the stream JOURNAL_STREAM names) log lines go to
 * the journal's native socket with structured fields; when nothing listens
 * there they fall back to text on stderr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/log.h"

/* libsystemd's sd_journal_send() always writes to this path. */
#define JOURNAL_SOCKET "/run/systemd/journal/socket"

static int saved_stderr = -1;
static int pipe_rd = -1;
static int journal_fd = -1;
static char captured[1 << 16];

/* Writes one line into a /proc/self file of the new user namespace. */
static int write_proc(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, line, strlen(line));
	int rc = n == (ssize_t)strlen(line) ? 0 : -errno;
	close(fd);
	return rc;
}

/*
 * The test owns /run/systemd/journal: a private mount namespace (a user
 * namespace too when not root) with a fresh tmpfs over /run, so the host's
 * journal, running or not, is neither hidden from nor written by the test.
 */
static int private_run(char *why, size_t why_len)
{
	if (geteuid() == 0) {
		if (unshare(CLONE_NEWNS) != 0) {
			snprintf(why, why_len, "unshare(CLONE_NEWNS) as root: %s", strerror(errno));
			return -1;
		}
	} else {
		char map[64];
		uid_t uid = geteuid();
		gid_t gid = getegid();
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
			snprintf(why, why_len, "not root and no user namespace: unshare: %s", strerror(errno));
			return -1;
		}
		snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)uid, (unsigned)uid);
		if (write_proc("/proc/self/uid_map", map) != 0 || write_proc("/proc/self/setgroups", "deny\n") != 0) {
			snprintf(why, why_len, "user namespace uid map: %s", strerror(errno));
			return -1;
		}
		snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)gid, (unsigned)gid);
		if (write_proc("/proc/self/gid_map", map) != 0) {
			snprintf(why, why_len, "user namespace gid map: %s", strerror(errno));
			return -1;
		}
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") != 0) {
		snprintf(why, why_len, "tmpfs over /run in a private mount namespace: %s", strerror(errno));
		return -1;
	}
	if (mkdir("/run/systemd", 0755) != 0 || mkdir("/run/systemd/journal", 0755) != 0) {
		snprintf(why, why_len, "mkdir /run/systemd/journal: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* stderr goes to a pipe, and JOURNAL_STREAM names that pipe: to the log
 * module, stderr is the journal stream. */
static int capture(void **state)
{
	(void)state;
	int p[2];
	struct stat st;
	char v[64];
	if (pipe2(p, O_NONBLOCK) != 0)
		return -1;
	saved_stderr = dup(STDERR_FILENO);
	dup2(p[1], STDERR_FILENO);
	close(p[1]);
	pipe_rd = p[0];
	if (fstat(STDERR_FILENO, &st) != 0)
		return -1;
	snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	return setenv("JOURNAL_STREAM", v, 1);
}

static int release(void **state)
{
	(void)state;
	unsetenv("JOURNAL_STREAM");
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	close(pipe_rd);
	if (journal_fd >= 0) {
		close(journal_fd);
		unlink(JOURNAL_SOCKET);
		journal_fd = -1;
	}
	return 0;
}

/* A stand-in journald: a datagram socket on the journal's path. */
static void listen_journal(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", JOURNAL_SOCKET);
	journal_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(journal_fd >= 0);
	assert_int_equal(bind(journal_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
}

static const char *read_stderr(void)
{
	ssize_t n = read(pipe_rd, captured, sizeof(captured) - 1);
	captured[n > 0 ? n : 0] = '\0';
	return captured;
}

static const char *read_journal(void)
{
	ssize_t n = recv(journal_fd, captured, sizeof(captured) - 1, MSG_DONTWAIT);
	captured[n > 0 ? n : 0] = '\0';
	return captured;
}

static void test_journal_gets_structured_fields(void **state)
{
	(void)state;
	listen_journal();
	log_init("collector", "okx", LOG_LVL_INFO, 0);
	log_warn("hello journal");
	const char *dgram = read_journal();
	assert_non_null(strstr(dgram, "MESSAGE=hello journal\n"));
	assert_non_null(strstr(dgram, "PRIORITY=4\n"));
	assert_non_null(strstr(dgram, "SYSLOG_IDENTIFIER=spreadbus-collector\n"));
	assert_non_null(strstr(dgram, "SPREADBUS_CHILD=collector\n"));
	assert_non_null(strstr(dgram, "SPREADBUS_EXCHANGE=okx\n"));
	assert_string_equal(read_stderr(), "");

	/* A process without an exchange sends no SPREADBUS_EXCHANGE field,
	 * JSON configured or not; below the level nothing is sent. */
	log_init("writer", NULL, LOG_LVL_INFO, 1);
	log_debug("quiet");
	log_err("disk full");
	dgram = read_journal();
	assert_non_null(strstr(dgram, "MESSAGE=disk full\n"));
	assert_non_null(strstr(dgram, "PRIORITY=3\n"));
	assert_non_null(strstr(dgram, "SYSLOG_IDENTIFIER=spreadbus-writer\n"));
	assert_null(strstr(dgram, "SPREADBUS_EXCHANGE="));
	assert_string_equal(read_journal(), "");
	assert_string_equal(read_stderr(), "");
}

/* journald stopped: its socket file is left with nobody reading it. (With
 * no socket file at all libsystemd reports success and drops the line.) */
static void test_journal_not_listening_falls_back_to_stderr(void **state)
{
	(void)state;
	listen_journal();
	close(journal_fd);
	journal_fd = -1;
	log_init("collector", "okx", LOG_LVL_INFO, 0);
	log_warn("hello");
	unlink(JOURNAL_SOCKET);
	assert_string_equal(read_stderr(), "<4>spreadbus-collector[okx]: hello\n");
}

int main(void)
{
	char why[256];
	if (private_run(why, sizeof(why)) != 0) {
		printf("SKIP: %s\n", why);
		return 77;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_journal_gets_structured_fields, capture, release),
		cmocka_unit_test_setup_teardown(test_journal_not_listening_falls_back_to_stderr, capture, release),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
