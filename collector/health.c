/* Health score formula (see health.h and docs/collector.md). */
#include "collector/health.h"

unsigned health_score(unsigned links_streaming, unsigned links_total, uint64_t frames_window,
		      uint64_t rejects_window)
{
	if (links_total == 0 || links_streaming == 0)
		return 0;
	if (links_streaming > links_total)
		links_streaming = links_total;
	unsigned conn = 80 * links_streaming / links_total;
	unsigned quality = 20;
	if (frames_window > 0) {
		/* reject share in per-mille; 100 per-mille (10%) and above = no points */
		uint64_t permille = rejects_window >= frames_window ? 1000 : rejects_window * 1000 / frames_window;
		quality = permille >= 100 ? 0 : (unsigned)(20 * (100 - permille) / 100);
	}
	return conn + quality;
}
