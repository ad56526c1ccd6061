#include "i18n.h"
#include "incluinfo.h"

/*
 * The names people read for the states the store and --json keep in English: the tables
 * follow the enums of lib/, and each word is translated where it is printed.
 */

const char *cli_health_label(enum health h)
{
	static const char *const labels[] = {
		[HEALTH_UNKNOWN] = N_("unknown"),
		[HEALTH_UP] = N_("up"),
		[HEALTH_DEGRADED] = N_("degraded"),
		[HEALTH_DOWN] = N_("down"),
	};
	return _(h <= HEALTH_DOWN ? labels[h] : labels[HEALTH_UNKNOWN]);
}

const char *cli_incident_kind_label(enum incident_kind kind)
{
	static const char *const labels[] = {
		[INCIDENT_OUTAGE] = N_("outage"),
		[INCIDENT_DEGRADED] = N_("degraded"),
		[INCIDENT_UNSTABLE] = N_("unstable"),
		[INCIDENT_MANUAL] = N_("manual"),
	};
	return _(labels[kind]);
}
