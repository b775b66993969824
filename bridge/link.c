/* Connecting to NATS JetStream for the bridge, and the stream of the
 * instance whose rings travel: named, created and checked here only. */
#include "bridge/link.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"

#define LINK_MAX_URLS 16
#define LINK_CONNECT_TIMEOUT_MS 1000 /* per server: the loop must keep its heartbeat */
#define LINK_RECONNECT_WAIT_MS 250
#define LINK_DUPLICATE_WINDOW_NS (120LL * 1000000000LL) /* JetStream's default: retries land well within it */

void link_subject(const char *instance, const char *ring, char *out, size_t len)
{
	snprintf(out, len, "spreadbus.%s.%s", instance, ring);
}

void link_init(struct link *l, const struct config_bridge *cfg, const char *instance)
{
	memset(l, 0, sizeof(*l));
	l->cfg = cfg;
	l->retry_ms = cfg->retry_min_ms;
	if (cfg->stream[0]) {
		snprintf(l->stream, sizeof(l->stream), "%s", cfg->stream);
	} else {
		/* Stream names may not hold '.', so "SPREADBUS_EDGE_1" for edge-1. */
		int n = snprintf(l->stream, sizeof(l->stream), "SPREADBUS_%s", instance);
		for (int i = 0; i < n && l->stream[i]; i++)
			l->stream[i] = l->stream[i] == '-' ? '_' : (char)toupper((unsigned char)l->stream[i]);
	}
	snprintf(l->subjects, sizeof(l->subjects), "spreadbus.%s.>", instance);
}

void link_error(struct link *l, const char *what, natsStatus s, jsErrCode code)
{
	const char *last = nats_GetLastError(NULL);
	if (code)
		snprintf(l->err, sizeof(l->err), "%s: %s (JetStream error %d)%s%s", what, natsStatus_GetText(s),
			 (int)code, last && *last ? ": " : "", last && *last ? last : "");
	else
		snprintf(l->err, sizeof(l->err), "%s: %s%s%s", what, natsStatus_GetText(s), last && *last ? ": " : "",
			 last && *last ? last : "");
}

/* The comma-separated URLs of cfg->urls, trimmed, into urls[] (pointers
 * into buf). */
static int split_urls(const char *list, char *buf, size_t len, const char **urls)
{
	int n = 0;
	snprintf(buf, len, "%s", list);
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok && n < LINK_MAX_URLS;
	     tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		char *end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*tok)
			urls[n++] = tok;
	}
	return n;
}

int link_connect(struct link *l, jsOptions *js_opts, const char *client_name)
{
	const struct config_bridge *cfg = l->cfg;
	natsOptions *opts = NULL;
	char buf[CONFIG_STR_MAX];
	const char *urls[LINK_MAX_URLS];
	int n = split_urls(cfg->urls, buf, sizeof(buf), urls);
	natsStatus s = natsOptions_Create(&opts);

	if (s == NATS_OK)
		s = natsOptions_SetServers(opts, urls, n);
	if (s == NATS_OK)
		s = natsOptions_SetName(opts, client_name);
	if (s == NATS_OK)
		s = natsOptions_SetTimeout(opts, LINK_CONNECT_TIMEOUT_MS);
	/* Once connected, the client rides out a server's death by itself;
	 * JetStream calls fail (and are retried by us) meanwhile. */
	if (s == NATS_OK)
		s = natsOptions_SetMaxReconnect(opts, -1);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectWait(opts, LINK_RECONNECT_WAIT_MS);
	if (s == NATS_OK && cfg->token[0])
		s = natsOptions_SetToken(opts, cfg->token);
	if (s == NATS_OK && cfg->creds_file[0])
		s = natsOptions_SetUserCredentialsFromFiles(opts, cfg->creds_file, NULL);
	if (s == NATS_OK && cfg->tls_ca[0])
		s = natsOptions_LoadCATrustedCertificates(opts, cfg->tls_ca);
	if (s != NATS_OK) {
		link_error(l, "NATS options", s, 0);
		natsOptions_Destroy(opts);
		return -1;
	}
	s = natsConnection_Connect(&l->nc, opts);
	natsOptions_Destroy(opts);
	if (s != NATS_OK) {
		link_error(l, s == NATS_CONNECTION_AUTH_FAILED || s == NATS_NOT_PERMITTED ? "NATS authentication failed"
											   : "NATS connect",
			   s, 0);
		natsConnection_Destroy(l->nc);
		l->nc = NULL;
		return -1;
	}
	s = natsConnection_JetStream(&l->js, l->nc, js_opts);
	if (s != NATS_OK) {
		link_error(l, "JetStream context", s, 0);
		link_close(l);
		return -1;
	}
	return 0;
}

static const char *storage_name(jsStorageType t)
{
	return t == js_MemoryStorage ? "memory" : "file";
}

/* The stream exists: is it ours, and as configured? */
static int check_stream(struct link *l, const jsStreamInfo *si)
{
	const jsStreamConfig *sc = si->Config;
	bool has_subject = false;
	for (int i = 0; i < sc->SubjectsLen; i++)
		has_subject |= strcmp(sc->Subjects[i], l->subjects) == 0;
	if (!has_subject) {
		snprintf(l->err, sizeof(l->err), "stream %s does not take subject %s", l->stream, l->subjects);
		return -1;
	}
	if (strcmp(storage_name(sc->Storage), l->cfg->storage) != 0 || sc->Replicas != (int64_t)l->cfg->replicas) {
		snprintf(l->err, sizeof(l->err), "stream %s has storage %s and %lld replicas, configured %s and %u",
			 l->stream, storage_name(sc->Storage), (long long)sc->Replicas, l->cfg->storage,
			 l->cfg->replicas);
		return -1;
	}
	return 0;
}

int link_ensure_stream(struct link *l, bool create)
{
	jsStreamInfo *si = NULL;
	jsErrCode code = 0;
	int rc = 0;

	if (!link_connected(l)) {
		snprintf(l->err, sizeof(l->err), "NATS unreachable at %.150s: reconnecting", l->cfg->urls);
		return -1;
	}
	natsStatus s = js_GetStreamInfo(&si, l->js, l->stream, NULL, &code);

	if (s == NATS_OK) {
		rc = l->cfg->mode[0] == 'e' ? check_stream(l, si) : 0;
		jsStreamInfo_Destroy(si);
		return rc;
	}
	if (s != NATS_NOT_FOUND && code != JSStreamNotFoundErr) {
		link_error(l, "stream info", s, code);
		return -1;
	}
	if (!create) {
		snprintf(l->err, sizeof(l->err), "stream %s does not exist%s", l->stream,
			 l->cfg->mode[0] == 'e' ? " (create_stream = false)" : " (is the exporter running?)");
		return -1;
	}
	jsStreamConfig sc;
	const char *subjects[1] = { l->subjects };
	jsStreamConfig_Init(&sc);
	sc.Name = l->stream;
	sc.Subjects = subjects;
	sc.SubjectsLen = 1;
	sc.Storage = strcmp(l->cfg->storage, "memory") == 0 ? js_MemoryStorage : js_FileStorage;
	sc.Replicas = l->cfg->replicas;
	sc.MaxAge = (int64_t)l->cfg->max_age_s * 1000000000LL;
	sc.Duplicates = LINK_DUPLICATE_WINDOW_NS;
	s = js_AddStream(&si, l->js, &sc, NULL, &code);
	if (s != NATS_OK) {
		link_error(l, "creating the stream", s, code);
		return -1;
	}
	log_info("created stream %s (subjects %s, %s storage, %u replicas, max age %u s)", l->stream, l->subjects,
		 l->cfg->storage, l->cfg->replicas, l->cfg->max_age_s);
	jsStreamInfo_Destroy(si);
	return 0;
}

void link_close(struct link *l)
{
	jsCtx_Destroy(l->js);
	l->js = NULL;
	if (l->nc) {
		natsConnection_Close(l->nc);
		natsConnection_Destroy(l->nc);
	}
	l->nc = NULL;
}

bool link_connected(const struct link *l)
{
	return l->nc && natsConnection_Status(l->nc) == NATS_CONN_STATUS_CONNECTED;
}

bool link_retry_due(const struct link *l, int64_t now_ns)
{
	return now_ns >= l->retry_at_ns;
}

void link_failed(struct link *l, int64_t now_ns)
{
	l->retry_at_ns = now_ns + (int64_t)l->retry_ms * 1000000;
	l->retry_ms = l->retry_ms * 2 > l->cfg->retry_max_ms ? l->cfg->retry_max_ms : l->retry_ms * 2;
}

void link_succeeded(struct link *l)
{
	l->retry_ms = l->cfg->retry_min_ms;
	l->retry_at_ns = 0;
}
