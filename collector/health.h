/* The collector's 0-100 health score, published as SM_HEALTH_SCORE. */
#ifndef SPREADBUS_COLLECTOR_HEALTH_H
#define SPREADBUS_COLLECTOR_HEALTH_H

#include <stdint.h>

/*
 * 80 points for connectivity, in proportion to the connections streaming;
 * 20 points for data quality, lost linearly as the share of rejected
 * frames over the last window rises from 0 to 10% (10% or more = 0).
 * No connection streaming = 0, whatever the rest.
 */
unsigned health_score(unsigned links_streaming, unsigned links_total, uint64_t frames_window,
		      uint64_t rejects_window);

#endif
