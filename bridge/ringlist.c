/* Resolving a bridge's `rings` key against the bus. */
#include "bridge/ringlist.h"

#include <stdio.h>
#include <string.h>

int ringlist_resolve(const struct config_bridge *cfg, const struct bus *bus, char names[][CONFIG_NAME_MAX],
		     char *err, size_t err_len)
{
	int n = 0;
	if (strcmp(cfg->rings, "*") == 0) {
		for (size_t i = 0; i < bus->ring_count && n < RINGLIST_MAX; i++)
			snprintf(names[n++], CONFIG_NAME_MAX, "%s", bus->ring_exchange[i]);
		return n;
	}
	const char *p = cfg->rings;
	while (*p) {
		p += strspn(p, " \t,");
		size_t len = strcspn(p, ",");
		size_t trimmed = len;
		while (trimmed > 0 && (p[trimmed - 1] == ' ' || p[trimmed - 1] == '\t'))
			trimmed--;
		if (trimmed > 0) {
			if (trimmed >= CONFIG_NAME_MAX || n >= RINGLIST_MAX) {
				snprintf(err, err_len, "[bridge.%s] rings: '%.*s' is too long, or too many rings", cfg->name,
					 (int)trimmed, p);
				return -1;
			}
			snprintf(names[n], CONFIG_NAME_MAX, "%.*s", (int)trimmed, p);
			if (!bus_ring(bus, names[n])) {
				snprintf(err, err_len, "[bridge.%s] rings: no ring '%s' on this bus (an enabled [exchange.%s])",
					 cfg->name, names[n], names[n]);
				return -1;
			}
			n++;
		}
		p += len;
	}
	if (n == 0)
		snprintf(err, err_len, "[bridge.%s] rings: no ring named", cfg->name);
	return n > 0 ? n : -1;
}
