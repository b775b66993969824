/* The bridge's state in its status block and log, one line per change. */
#include "bridge/report.h"

#include <string.h>

#include "common/log.h"

static char last_problem[STATUS_DETAIL_MAX];

void report_problem(struct runtime *rt, const char *text)
{
	if (strncmp(last_problem, text, sizeof(last_problem) - 1) == 0)
		return;
	snprintf(last_problem, sizeof(last_problem), "%s", text);
	log_warn("%s", text);
	status_set_detail(rt->status, text);
	status_set_state(rt->status, CHILD_DEGRADED);
}

void report_ok(struct runtime *rt, const char *text)
{
	if (!last_problem[0] && rt->status->state == CHILD_RUNNING)
		return;
	log_info("%s", text);
	last_problem[0] = '\0';
	status_set_detail(rt->status, "");
	status_set_state(rt->status, CHILD_RUNNING);
}
