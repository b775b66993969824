/* Test helper that behaves like a bad client: connects to unix:PATH or
 * tcp:PORT (127.0.0.1) and either sends a file and prints the reply, says
 * nothing, or drips a request a byte at a time. Prints how the server
 * reacted, so tests can assert on it. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int connect_to(const char *addr)
{
	int fd = -1;
	if (strncmp(addr, "unix:", 5) == 0) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", addr + 5);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			close(fd);
			fd = -1;
		}
	} else if (strncmp(addr, "tcp:", 4) == 0) {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		sa.sin_port = htons((unsigned short)strtoul(addr + 4, NULL, 10));
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			close(fd);
			fd = -1;
		}
	}
	return fd;
}

/* Wait up to ms for the server to close; prints the reply bytes read. */
static int await_close(int fd, int ms, int print)
{
	long long end = now_ms() + ms;
	char buf[65536];
	for (;;) {
		long long left = end - now_ms();
		if (left <= 0)
			return 0;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return 1;
		if (print)
			fwrite(buf, 1, (size_t)n, stdout);
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: spreadbus-test-netpoke unix:PATH|tcp:PORT --send FILE|--hold SECONDS|--drip SECONDS\n");
		return 2;
	}
	int fd = connect_to(argv[1]);
	if (fd < 0) {
		printf("connect failed: %s\n", strerror(errno));
		return 1;
	}
	long long start = now_ms();
	if (strcmp(argv[2], "--send") == 0) {
		FILE *f = fopen(argv[3], "rb");
		if (!f)
			return 1;
		char buf[65536];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			if (send(fd, buf, n, MSG_NOSIGNAL) < 0)
				break; /* the server may stop reading: the reply still counts */
		fclose(f);
		shutdown(fd, SHUT_WR);
		await_close(fd, 10000, 1);
	} else if (strcmp(argv[2], "--hold") == 0) {
		int closed = await_close(fd, atoi(argv[3]) * 1000, 0);
		printf("%s after %lld ms\n", closed ? "closed by server" : "still open", now_ms() - start);
	} else if (strcmp(argv[2], "--drip") == 0) {
		const char *head = "GET /ping HTTP/1.1\r\nX-Slow: ";
		send(fd, head, strlen(head), MSG_NOSIGNAL);
		long long end = start + atoi(argv[3]) * 1000LL;
		int closed = 0;
		while (!closed && now_ms() < end) {
			if (send(fd, "a", 1, MSG_NOSIGNAL) < 0) {
				closed = 1;
				break;
			}
			closed = await_close(fd, 200, 0);
		}
		printf("%s after %lld ms\n", closed ? "closed by server" : "still open", now_ms() - start);
	} else {
		return 2;
	}
	close(fd);
	return 0;
}
