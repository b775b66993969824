/* The bridge's NATS side: connecting with the [bridge.NAME] settings (URLs,
 * token or credentials, TLS CA), the JetStream context, the instance's
 * stream (created or checked), and retry with doubling back-off. */
#ifndef SPREADBUS_BRIDGE_LINK_H
#define SPREADBUS_BRIDGE_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nats/nats.h>

#include "common/config.h"

#define LINK_ERR_MAX 200
#define LINK_SUBJECT_MAX 80
#define LINK_STREAM_MAX 64
/* JetStream API calls (stream and consumer info) wait this long: the loop
 * must keep its heartbeat. */
#define LINK_API_WAIT_MS 1000

struct link {
	const struct config_bridge *cfg;
	natsConnection *nc;
	jsCtx *js;
	char stream[LINK_STREAM_MAX];     /* the exporting instance's stream */
	char subjects[LINK_SUBJECT_MAX];  /* spreadbus.<instance>.> */
	char err[LINK_ERR_MAX];           /* why the last attempt failed, for the log and status block */
	/* back-off between attempts */
	uint32_t retry_ms;
	int64_t retry_at_ns;              /* CLOCK_MONOTONIC */
};

/* Stream name and subjects for the instance whose rings travel (export: the
 * local one; import: source_instance). */
void link_init(struct link *l, const struct config_bridge *cfg, const char *instance);

/* Connects (the client then reconnects by itself, forever) and opens
 * JetStream with js_opts (NULL: defaults). Returns 0, or -1 with l->err. */
int link_connect(struct link *l, jsOptions *js_opts, const char *client_name);

/* Export: the stream exists with our subjects, storage and replicas; it is
 * created if missing and create_stream is on. Import: it exists. Returns 0,
 * or -1 with l->err naming what differs. */
int link_ensure_stream(struct link *l, bool create);

void link_close(struct link *l);
bool link_connected(const struct link *l);

/* Back-off: true once the next attempt is due; link_failed doubles the wait
 * (retry_min_ms .. retry_max_ms), link_succeeded resets it. */
bool link_retry_due(const struct link *l, int64_t now_ns);
void link_failed(struct link *l, int64_t now_ns);
void link_succeeded(struct link *l);

/* "spreadbus.<instance>.<ring>" into out. */
void link_subject(const char *instance, const char *ring, char *out, size_t len);

/* Text for status s with the library's last error, into l->err. */
void link_error(struct link *l, const char *what, natsStatus s, jsErrCode code);

#endif
