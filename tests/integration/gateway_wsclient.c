/* Test client of spreadbus-gateway: one or more WebSocket connections to
 * ws://HOST:PORT/PATH. Each line on stdin is sent as a text frame (to every
 * connection); every text frame received is printed on stdout as one line
 * (connection 0 only, unless --quiet). Prints "CONNECTED", and "CLOSED
 * <code> <reason>" when the server closes. With --clients N and --stats,
 * counts messages of all connections and prints "STATS messages=N
 * p50_us=.. p99_us=.." once a second (latency from the data's ts_ns or
 * ts_recv_ns to arrival). With --check-trades, every connection checks
 * that its trades' trade_id run 1, 2, 3, ... without a gap, and prints
 * "TRADES conn=I count=N out_of_order=M" for each at exit. With --quiet,
 * the replies to requests ({"op":...}) are still printed, as
 * "REPLY conn=I <json>". Output is flushed once per turn of the event
 * loop, not per message: a write per message made this client, on a
 * loaded machine, the slow consumer the gateway cut off. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libwebsockets.h>

#define MAX_LINE 65536
#define MAX_CONNS 5000
#define LAT_SAMPLES 200000

struct conn {
	struct lws *wsi;
	int index;
	char *rx;
	size_t rx_len;
	int sent_lines; /* lines of `lines` already sent */
	unsigned long long trades, last_trade_id, out_of_order;
};

static struct lws_context *ctx;
static const char *host = "127.0.0.1", *path = "/ws";
static int port, nconns = 1, quiet, stats, check_trades, open_conns, closed_conns;
static struct conn conns[MAX_CONNS];
static char *lines[1024];
static int nlines;
static char stdin_buf[MAX_LINE];
static size_t stdin_len;
static int stdin_eof;
static volatile sig_atomic_t stop;
static lws_sorted_usec_list_t sul_stdin, sul_stats;
static unsigned long long messages;
static double lat_us[LAT_SAMPLES];
static size_t lat_n;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The source time of a message: spreads carry ts_ns, ticks ts_recv_ns. */
static void sample_latency(const char *msg, size_t len)
{
	const char *key = memmem(msg, len, "\"ts_ns\":", 8);
	size_t klen = 8;
	if (!key) {
		key = memmem(msg, len, "\"ts_recv_ns\":", 13);
		klen = 13;
	}
	if (!key || lat_n == LAT_SAMPLES)
		return;
	long long ts = strtoll(key + klen, NULL, 10);
	if (ts > 0)
		lat_us[lat_n++] = (double)(now_ns() - ts) / 1000.0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void print_stats(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	double p50 = 0, p99 = 0;
	if (lat_n) {
		qsort(lat_us, lat_n, sizeof(double), cmp_double);
		p50 = lat_us[lat_n / 2];
		p99 = lat_us[lat_n * 99 / 100];
	}
	printf("STATS messages=%llu open=%d closed=%d p50_us=%.0f p99_us=%.0f samples=%zu\n", messages, open_conns,
	       closed_conns, p50, p99, lat_n);
	fflush(stdout);
	lat_n = 0;
	lws_sul_schedule(ctx, 0, &sul_stats, print_stats, 1000000);
}

static void send_pending(struct conn *c)
{
	if (c->wsi && c->sent_lines < nlines)
		lws_callback_on_writable(c->wsi);
}

static void read_stdin(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	while (!stdin_eof && nlines < 1024) {
		ssize_t n = read(STDIN_FILENO, stdin_buf + stdin_len, sizeof(stdin_buf) - 1 - stdin_len);
		if (n == 0)
			stdin_eof = 1;
		if (n <= 0)
			break;
		stdin_len += (size_t)n;
		char *nl;
		while ((nl = memchr(stdin_buf, '\n', stdin_len)) && nlines < 1024) {
			*nl = '\0';
			lines[nlines++] = strdup(stdin_buf);
			size_t used = (size_t)(nl - stdin_buf) + 1;
			memmove(stdin_buf, nl + 1, stdin_len - used);
			stdin_len -= used;
		}
		if (stdin_len == sizeof(stdin_buf) - 1)
			stdin_len = 0; /* a line longer than the buffer: dropped */
	}
	for (int i = 0; i < nconns; i++)
		send_pending(&conns[i]);
	lws_sul_schedule(ctx, 0, &sul_stdin, read_stdin, 10000);
}

static void connect_one(struct conn *c)
{
	struct lws_client_connect_info ci;
	memset(&ci, 0, sizeof(ci));
	ci.context = ctx;
	ci.address = host;
	ci.port = port;
	ci.path = path;
	ci.host = host;
	ci.origin = host;
	ci.userdata = c;
	ci.pwsi = &c->wsi;
	if (!lws_client_connect_via_info(&ci)) {
		fprintf(stderr, "wsclient: connection %d failed to start\n", c->index);
		closed_conns++;
	}
}

/* trade_id (a JSON string: the exchange's text, here the feed's decimal
 * numbers) must follow the previous one of this connection */
static void check_trade(struct conn *c, const char *msg, size_t len)
{
	static const char key[] = "\"trade_id\":\"";
	if (!memmem(msg, len, "\"channel\":\"trades\"", 18))
		return;
	const char *k = memmem(msg, len, key, sizeof(key) - 1);
	unsigned long long id = k ? strtoull(k + sizeof(key) - 1, NULL, 10) : 0;
	if (id != c->last_trade_id + 1)
		c->out_of_order++;
	c->last_trade_id = id;
	c->trades++;
}

static void on_message(struct conn *c, const char *msg, size_t len)
{
	if (check_trades)
		check_trade(c, msg, len);
	/* one message in 8 is timed: parsing every one would make this client,
	 * not the gateway, what a benchmark measures */
	if (stats && (messages & 7) == 0)
		sample_latency(msg, len);
	messages++;
	if (c->index == 0 && !quiet) {
		fwrite(msg, 1, len, stdout);
		fputc('\n', stdout);
	} else if (quiet && len > 6 && memcmp(msg, "{\"op\":", 6) == 0) {
		printf("REPLY conn=%d %.*s\n", c->index, (int)len, msg);
	}
}


static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct conn *c = user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		open_conns++;
		if (c->index == 0) {
			printf("CONNECTED\n");
			fflush(stdout);
		}
		send_pending(c);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE: {
		int final = lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi);
		if (final && !c->rx_len) {
			on_message(c, in, len);
			break;
		}
		if (!c->rx)
			c->rx = malloc(1 << 20);
		if (c->rx && c->rx_len + len <= (1 << 20)) {
			memcpy(c->rx + c->rx_len, in, len);
			c->rx_len += len;
		}
		if (final) {
			on_message(c, c->rx, c->rx_len);
			c->rx_len = 0;
		}
		break;
	}
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (c->sent_lines < nlines) {
			const char *l = lines[c->sent_lines++];
			size_t n = strlen(l);
			unsigned char *buf = malloc(LWS_PRE + n + 1);
			if (!buf)
				return -1;
			memcpy(buf + LWS_PRE, l, n);
			int rc = lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_TEXT);
			free(buf);
			if (rc < 0)
				return -1;
			send_pending(c);
		}
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (c->index == 0 && len >= 2) {
			const unsigned char *p = in;
			printf("CLOSED %d %.*s\n", p[0] << 8 | p[1], (int)len - 2, (const char *)in + 2);
			fflush(stdout);
		}
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
	case LWS_CALLBACK_CLIENT_CLOSED:
		closed_conns++;
		if (reason == LWS_CALLBACK_CLIENT_CLOSED)
			open_conns--;
		if (c && c->index == 0) {
			printf("DISCONNECTED %s\n", reason == LWS_CALLBACK_CLIENT_CLOSED ? "closed" : "error");
			fflush(stdout);
		}
		if (c)
			c->wsi = NULL;
		if (closed_conns >= nconns && !stats)
			stop = 1;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "spreadbus", callback, 0, 1 << 16, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' }, { "host", required_argument, NULL, 'H' },
		{ "path", required_argument, NULL, 'P' }, { "clients", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },      { "stats", no_argument, NULL, 's' },
		{ "check-trades", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int o;
	while ((o = getopt_long(argc, argv, "p:H:P:n:qst", opts, NULL)) != -1) {
		switch (o) {
		case 'p': port = atoi(optarg); break;
		case 'H': host = optarg; break;
		case 'P': path = optarg; break;
		case 'n': nconns = atoi(optarg); break;
		case 'q': quiet = 1; break;
		case 's': stats = 1; break;
		case 't': check_trades = 1; break;
		default:
			fprintf(stderr, "usage: spreadbus-test-wsclient --port N [--host H] [--path /ws] [--clients N] "
					"[--quiet] [--stats] [--check-trades] <lines-to-send\n");
			return 2;
		}
	}
	if (port <= 0 || port > 65535 || nconns < 1 || nconns > MAX_CONNS) {
		fprintf(stderr, "wsclient: --port 1..65535 and --clients 1..%d\n", MAX_CONNS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
	lws_set_log_level(LLL_ERR, NULL);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.fd_limit_per_thread = (unsigned)nconns + 16;
	ctx = lws_create_context(&info);
	if (!ctx)
		return 1;
	for (int i = 0; i < nconns; i++) {
		conns[i].index = i;
		connect_one(&conns[i]);
	}
	lws_sul_schedule(ctx, 0, &sul_stdin, read_stdin, 1000);
	if (stats)
		lws_sul_schedule(ctx, 0, &sul_stats, print_stats, 1000000);
	while (!stop && lws_service(ctx, 0) >= 0)
		fflush(stdout); /* once per turn of the loop: a read's messages, not each */
	lws_context_destroy(ctx);
	for (int i = 0; check_trades && i < nconns; i++)
		printf("TRADES conn=%d count=%llu out_of_order=%llu\n", i, conns[i].trades, conns[i].out_of_order);
	return 0;
}
