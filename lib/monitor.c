#include "i18n.h"
#include "monitor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANARY_REDIRECTS 5

ii_err monitor_select(const struct config *cfg, char *const *wanted, size_t wanted_count,
		      struct monitor_report *rep, struct ii_error *e)
{
	rep->overall = PLUGIN_UNKNOWN;
	for (size_t i = 0; i < wanted_count; i++)
		if (!config_find_service(cfg, wanted[i]))
			return ii_fail(e, II_EDATA, _("unknown service '%s'"), wanted[i]);
	rep->services = calloc(cfg->service_count ? cfg->service_count : 1, sizeof *rep->services);
	if (!rep->services)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < cfg->service_count; i++) {
		bool chosen = wanted_count == 0;
		for (size_t j = 0; j < wanted_count && !chosen; j++)
			chosen = !strcmp(wanted[j], cfg->services[i].id);
		if (chosen)
			rep->services[rep->count++].svc = &cfg->services[i];
	}
	return II_OK;
}

/* Whether a canary answered well: any answer is not enough, a proxy whose upstream is down
 * answers too (502). */
static bool canary_judge(struct monitor_canary *c)
{
	const struct probe_result *p = &c->probe;
	if (p->failure != PROBE_OK)
		snprintf(c->reason, sizeof c->reason, "%s error: %s", probe_failure_name(p->failure), p->error);
	else
		snprintf(c->reason, sizeof c->reason, "HTTP %ld", p->http_status);
	return p->failure == PROBE_OK && statusset_has(&c->canary->expect_status, p->http_status);
}

/* The cause every selected service failed with, when it points at this host; a good
 * canary clears the network causes (it went through the same resolver, proxy and routes)
 * but not the trust store, which its own CA says nothing about. */
static enum probe_local host_fault(const struct monitor_report *rep, bool canary_good)
{
	enum probe_local cause = rep->count ? rep->services[0].probe.local : PROBE_LOCAL_NONE;
	for (size_t i = 0; i < rep->count; i++)
		if (rep->services[i].result != HEALTH_DOWN || rep->services[i].probe.local != cause)
			return PROBE_LOCAL_NONE;
	return cause != PROBE_LOCAL_TRUST && canary_good ? PROBE_LOCAL_NONE : cause;
}

ii_err monitor_probe(const struct config *cfg, time_t now, struct monitor_report *rep,
		     struct ii_error *e)
{
	size_t total = rep->count + cfg->canary_count;
	struct probe_request *requests = calloc(total ? total : 1, sizeof *requests);
	struct probe_result *results = calloc(total ? total : 1, sizeof *results);
	if (!requests || !results) {
		free(requests);
		free(results);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < rep->count; i++) {
		const struct config_service *s = rep->services[i].svc;
		requests[i] = (struct probe_request){
			.url = s->url,
			.head = !strcmp(s->method, "HEAD"),
			.headers = (const char *const *)s->headers.items,
			.header_count = s->headers.count,
			.timeout_ms = s->timeout_ms,
			.max_redirects = s->follow_redirects,
			.retries = s->retries,
			.ca_file = s->ca_file,
		};
	}
	for (size_t i = 0; i < cfg->canary_count; i++) {
		requests[rep->count + i] = (struct probe_request){
			.url = cfg->canaries[i].url,
			.timeout_ms = cfg->canary_timeout_ms,
			.max_redirects = CANARY_REDIRECTS,
			.retries = CONFIG_CANARY_RETRIES,
			.ca_file = cfg->ca_file,
		};
	}
	rep->now = now;
	struct monitor_canary *canaries = calloc(cfg->canary_count ? cfg->canary_count : 1, sizeof *canaries);
	ii_err rc = canaries ? probe_run(requests, total, results, e) : ii_fail(e, II_ENOMEM, _("out of memory"));
	free(requests);
	if (rc) {
		free(canaries);
		free(results);
		return rc;
	}
	for (size_t i = 0; i < rep->count; i++) {
		struct monitor_service *r = &rep->services[i];
		r->probe = results[i];
		r->result = health_classify(r->svc, &r->probe, now, r->reason, sizeof r->reason);
	}
	size_t good = 0;
	for (size_t i = 0; i < cfg->canary_count; i++) {
		struct monitor_canary *c = &canaries[i];
		c->canary = &cfg->canaries[i];
		c->probe = results[rep->count + i];
		good += c->good = canary_judge(c);
	}
	free(results);
	rep->canaries = canaries;
	rep->canary_count = cfg->canary_count;
	rep->offline = rep->canary_count > 0 && good == 0;
	rep->host_fault = host_fault(rep, good > 0);
	if (rep->offline)
		snprintf(rep->unjudged, sizeof rep->unjudged, _("monitor offline: all canaries failed"));
	else if (rep->host_fault)
		snprintf(rep->unjudged, sizeof rep->unjudged,
			 _("monitor host fault, not an outage: every service fails on %s (%s)"),
			 probe_local_name(rep->host_fault), rep->services[0].reason);
	return II_OK;
}

/* The monitor's open incident of service in list, if any (staff's are theirs). */
static bool find_open(const struct incident *list, size_t count, const char *service,
		      struct incident *out)
{
	for (size_t i = 0; i < count; i++) {
		if (!strcmp(list[i].service, service) && list[i].kind != INCIDENT_MANUAL) {
			*out = list[i];
			return true;
		}
	}
	memset(out, 0, sizeof *out);
	return false;
}

/* Drafts what the service's new state means for its incidents. */
static ii_err observe(const struct incident_context *ctx, struct monitor_service *r,
		      struct ii_error *e)
{
	struct incident inc;
	ii_err rc = incident_observe(ctx, r->svc, &r->state.health, r->reason, &r->event, &inc, e);
	if (rc)
		return rc;
	if (*inc.uuid) {
		r->incident = inc;
		r->has_incident = !inc.resolved_at || r->event == INCIDENT_RESOLVED;
	} else {
		memset(&r->incident, 0, sizeof r->incident);
		r->has_incident = false;
	}
	return II_OK;
}

/* Moves one service's state a step; with write, records it and its incidents. */
static ii_err step(const struct incident_context *ctx, bool write, const struct incident *open,
		   size_t open_count, struct monitor_service *r, struct ii_error *e)
{
	const char *id = r->svc->id;
	bool found = false;
	ii_err rc = ctx->store ? store_service_get(ctx->store, id, &r->state, &found, e) : II_OK;
	if (rc)
		return rc;
	r->has_incident = find_open(open, open_count, id, &r->incident);
	r->transition = health_step(&r->state.health, r->result, ctx->now,
				    (int)r->svc->failures_to_open, (int)r->svc->successes_to_resolve);
	r->state.last_check = ctx->now;
	r->state.last_result = r->result;
	memcpy(r->state.last_reason, r->reason, sizeof r->reason);
	r->state.last_http_status = r->probe.http_status;
	r->state.last_time_ms = r->probe.time_ms;
	if (!write) {
		/* what this check would do to the monitor's incident: an unstable one outlives
		 * the confirmed state's changes */
		if (r->transition == HEALTH_OPENED && !r->has_incident)
			r->incident.opened_at = r->state.health.first_failure;
		else if (r->transition == HEALTH_RESOLVED && r->has_incident &&
			 r->incident.kind != INCIDENT_UNSTABLE)
			r->incident.resolved_at = r->state.health.first_success;
		return II_OK;
	}
	rc = store_service_put(ctx->store, id, &r->state, e);
	if (!rc)
		rc = store_probe_add(ctx->store, id, ctx->now, r->result, r->probe.http_status,
				     r->probe.time_ms, r->reason, e);
	if (!rc)
		rc = observe(ctx, r, e);
	return rc;
}

static enum plugin_status overall(const struct monitor_report *rep)
{
	enum plugin_status status = PLUGIN_OK;
	for (size_t i = 0; i < rep->count; i++) {
		const struct health_state *h = &rep->services[i].state.health;
		/* planned: someone knows, nobody needs waking */
		if (rep->services[i].event == INCIDENT_IN_MAINTENANCE)
			status = PLUGIN_WARNING;
		else if (h->state == HEALTH_DOWN)
			return PLUGIN_CRITICAL;
		if (h->state == HEALTH_DEGRADED || h->failures > 0)
			status = PLUGIN_WARNING;
	}
	return status;
}

ii_err monitor_judge(const struct incident_context *ctx, bool write, struct monitor_report *rep,
		     struct ii_error *e)
{
	if (*rep->unjudged)
		return II_OK;
	struct incident_context at = *ctx;
	at.now = rep->now;
	struct incident *open = NULL;
	size_t open_count = 0;
	ii_err rc = write ? store_begin(at.store, e) : II_OK;
	if (rc == II_OK && at.store)
		rc = incident_list(at.store, false, &open, &open_count, e);
	for (size_t i = 0; rc == II_OK && i < rep->count; i++)
		rc = step(&at, write, open, open_count, &rep->services[i], e);
	free(open);
	int drafted = 0;
	if (rc == II_OK && write)
		rc = incident_maintenance_tick(&at, &drafted, e);
	if (rc == II_OK && write)
		rc = store_probe_prune(at.store, at.now - (time_t)at.cfg->history_days * 86400, e);
	if (rc == II_OK && write)
		rc = store_commit(at.store, e);
	if (rc != II_OK && write)
		store_rollback(at.store);
	if (rc == II_OK) {
		rep->judged = true;
		rep->recorded = write;
		rep->overall = overall(rep);
	}
	return rc;
}

void monitor_report_free(struct monitor_report *rep)
{
	for (size_t i = 0; rep->services && i < rep->count; i++)
		probe_result_free(&rep->services[i].probe);
	for (size_t i = 0; i < rep->canary_count; i++)
		probe_result_free(&rep->canaries[i].probe);
	free(rep->canaries);
	free(rep->services);
	memset(rep, 0, sizeof *rep);
}

const char *monitor_plugin_name(enum plugin_status status)
{
	static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
	return names[status];
}
