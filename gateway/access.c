/* Who may upgrade to /ws: room below max_clients, the token if one is
 * configured, and an allowed origin for browsers. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gateway/gw.h"

/* Compares in time independent of where they differ. */
static bool secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;
	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* [gateway] token, as "Authorization: Bearer TOKEN" or ?token=TOKEN (what
 * a browser's WebSocket can send). */
static bool token_ok(const struct gw *g, struct lws *wsi)
{
	const char *want = g->cfg->gateway.token;
	char got[CONFIG_STR_MAX + 16];
	if (!want[0])
		return true;
	if (lws_hdr_copy(wsi, got, sizeof(got), WSI_TOKEN_HTTP_AUTHORIZATION) > 7 && strncasecmp(got, "Bearer ", 7) == 0)
		return secret_equal(got + 7, want);
	const char *arg = lws_get_urlarg_by_name(wsi, "token=", got, (int)sizeof(got));
	return arg && secret_equal(arg, want);
}

/* Browsers send Origin: a page of another site may not use the gateway
 * unless [gateway] allowed_origins lists it; the dashboard's own origin
 * (http://<Host>) always may. Clients that send no Origin are not browsers. */
static bool origin_ok(const struct gw *g, struct lws *wsi)
{
	const char *list = g->cfg->gateway.allowed_origins;
	char origin[256], host[200], own[256];
	if (!list[0] || lws_hdr_copy(wsi, origin, sizeof(origin), WSI_TOKEN_ORIGIN) <= 0)
		return true;
	if (lws_hdr_copy(wsi, host, sizeof(host), WSI_TOKEN_HOST) > 0) {
		snprintf(own, sizeof(own), "http://%s", host);
		if (strcmp(origin, own) == 0)
			return true;
	}
	size_t n = strlen(origin);
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ", ");
		if (len == n && strncmp(p, origin, n) == 0)
			return true;
		p += len;
	}
	return false;
}

/* Only /ws upgrades, only while there is room, with the token and from an
 * allowed origin. */
int gw_access_filter(struct gw *g, struct lws *wsi)
{
	char uri[32];
	const char *why = NULL;
	if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) < 0 || strcmp(uri, "/ws") != 0)
		return 1;
	if (g->client_count >= g->cfg->gateway.max_clients)
		why = "max_clients reached";
	else if (!token_ok(g, wsi))
		why = "wrong or missing token";
	else if (!origin_ok(g, wsi))
		why = "origin not allowed";
	if (!why)
		return 0;
	g->refused++;
	log_limited(&g->lim_bad, LOG_LVL_INFO, "gateway: upgrade refused: %s", why);
	return 1;
}
