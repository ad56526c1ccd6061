#ifndef INCLUINFO_MONITOR_H
#define INCLUINFO_MONITOR_H
/*
 * One check of the monitored services, as `check` and `run` make it: choose the services,
 * probe them and the canaries at the same time, then judge: move each service's confirmed
 * state one step, record the probe and bring its incidents in line, all in one store
 * transaction. A struct monitor_report is the caller's, zeroed before monitor_select() and
 * released with monitor_report_free(); it points into the configuration, which must
 * outlive it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "error.h"
#include "health.h"
#include "incident.h"
#include "probe.h"
#include "store.h"

/* The monitoring-plugins verdict, which is also check's exit status. */
enum plugin_status { PLUGIN_OK, PLUGIN_WARNING, PLUGIN_CRITICAL, PLUGIN_UNKNOWN };

/* "OK", "WARNING", "CRITICAL" or "UNKNOWN", as the plugin line starts (monitoring-plugins
 * development guidelines). */
const char *monitor_plugin_name(enum plugin_status status);

struct monitor_service {
	const struct config_service *svc;
	struct probe_result probe;
	enum health result; /* what this probe means */
	char reason[HEALTH_REASON_SIZE];
	struct store_service state; /* after this check (as it would be, without writing) */
	enum health_transition transition;
	struct incident incident; /* the monitor's one this check opened, resolved or found
				     open (staff's manual incidents are not the monitor's) */
	bool has_incident;
	enum incident_event event; /* what was drafted about it */
};

struct monitor_canary {
	const struct config_canary *canary;
	struct probe_result probe;
	bool good; /* answered with an expected status */
	char reason[HEALTH_REASON_SIZE]; /* "HTTP 200", "HTTP 502", "connect error: ..." */
};

struct monitor_report {
	struct monitor_service *services;
	size_t count;
	struct monitor_canary *canaries;
	size_t canary_count;
	bool offline; /* every canary failed: nothing may be judged */
	enum probe_local host_fault; /* every service failed for this cause of the host */
	/* why nothing may be judged (offline or host_fault), for people; "" when it may */
	char unjudged[HEALTH_REASON_SIZE + 128];
	bool judged;  /* states moved on; else only the probes are known */
	bool recorded; /* judged and written: the incidents and events are this run's */
	time_t now;   /* when the probes started */
	enum plugin_status overall; /* PLUGIN_UNKNOWN until judged */
};

/* The services named in wanted (ids), in configuration order; every one when wanted_count
 * is 0. II_EDATA naming the first id that is not configured. */
ii_err monitor_select(const struct config *cfg, char *const *wanted, size_t wanted_count,
		      struct monitor_report *rep, struct ii_error *e);

/*
 * Probes the selected services and every canary of cfg at once, at time now, and
 * classifies each probe. A canary is good only with an expected status. Sets offline when
 * every canary failed, and host_fault when every selected service failed with the same
 * cause that points at this host (probe_local): a TLS trust failure whatever the
 * canaries say (they are other sites, under other CAs), a network one (DNS, proxy, route)
 * only when no canary was good. Either fills unjudged. Fails only when probing cannot
 * run (memory, libcurl).
 */
ii_err monitor_probe(const struct config *cfg, time_t now, struct monitor_report *rep,
		     struct ii_error *e);

/*
 * Judges the probes at rep->now, in one transaction of ctx->store: the state, the probe
 * row, the incidents (drafting with ctx->messages as ctx->actor), the maintenance windows
 * that are due, and probe history older than ctx->cfg->history_days. With write false
 * nothing is written and ctx->store may be NULL (no database yet) or read-only: the states
 * are what this check would make them. Sets judged and overall; does nothing when unjudged
 * is set.
 */
ii_err monitor_judge(const struct incident_context *ctx, bool write, struct monitor_report *rep,
		     struct ii_error *e);

void monitor_report_free(struct monitor_report *rep);
#endif
