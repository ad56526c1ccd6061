#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "incluinfo.h"
#include "lock.h"
#include "monitor.h"
#include "printable.h"
#include "spanish.h"


/* The summary's words for a service that needs attention; false when it needs none. */
static bool describe(const struct monitor_service *r, char *out, size_t len)
{
	const struct health_state *h = &r->state.health;
	if (r->event == INCIDENT_IN_MAINTENANCE)
		snprintf(out, len, _("%s in maintenance (%s)"), r->svc->id, r->reason);
	else if (h->state == HEALTH_DOWN && r->result == HEALTH_DOWN)
		snprintf(out, len, ngettext("%s down (%s, %d check)", "%s down (%s, %d checks)", (unsigned long)h->failures),
			 r->svc->id, r->reason, h->failures);
	else if (h->state == HEALTH_DOWN)
		snprintf(out, len, _("%s down (recovering: %s, %d of %ld good checks)"), r->svc->id,
			 r->reason, h->successes, r->svc->successes_to_resolve);
	else if (h->failures > 0)
		snprintf(out, len, _("%s failing (%s, %d of %ld checks)"), r->svc->id, r->reason,
			 h->failures, r->svc->failures_to_open);
	else if (h->state == HEALTH_DEGRADED)
		snprintf(out, len, _("%s degraded (%s)"), r->svc->id, r->reason);
	else
		return false;
	return true;
}

static const char *event_name(enum incident_event event)
{
	switch (event) {
	case INCIDENT_OPENED: return "opened";
	case INCIDENT_REMINDED: return "reminded";
	case INCIDENT_MARKED_UNSTABLE: return "unstable";
	case INCIDENT_RESOLVED: return "resolved";
	case INCIDENT_IN_MAINTENANCE: return "maintenance";
	case INCIDENT_NONE: break;
	}
	return NULL;
}

/*
 * What this run did to the monitor's incident, as `incident list` shows it afterwards:
 * "opened", "resolved" or NULL. Without recording (--dry-run) it is what the confirmed
 * state's change would do, unless an open incident says otherwise.
 */
static const char *incident_transition(const struct monitor_report *rep,
				       const struct monitor_service *r)
{
	if (r->event == INCIDENT_OPENED || r->event == INCIDENT_MARKED_UNSTABLE)
		return "opened";
	if (r->event == INCIDENT_RESOLVED)
		return "resolved";
	if (rep->recorded)
		return NULL;
	if (r->transition == HEALTH_OPENED && !r->has_incident)
		return "opened";
	if (r->transition == HEALTH_RESOLVED && r->has_incident &&
	    r->incident.kind != INCIDENT_UNSTABLE)
		return "resolved";
	return NULL;
}

/* Prints one line of check's output: a '|' would start performance data for a monitoring
 * plugin reading it, so every line is written as the plugin line is (printable_plugin_text). */
static void __attribute__((format(printf, 1, 2))) put_line(const char *fmt, ...)
{
	char line[1400], safe[1400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	printable_plugin_text(line, safe, sizeof safe);
	puts(safe);
}

/* The event a person wants to read when a service's confirmed state or its incident
 * changes; every time and length is the incident's own, as `incident list` shows it. */
static void print_transition(const struct monitor_service *r)
{
	const struct incident *incident = &r->incident;
	const struct health_state *h = &r->state.health;
	const char *id = r->svc->id;
	char at[32], lasted[ES_DURATION_SIZE];
	switch (r->event) {
	case INCIDENT_IN_MAINTENANCE:
		put_line(_("%s: failing inside a maintenance window (%s); no incident"), id, r->reason);
		return;
	case INCIDENT_MARKED_UNSTABLE:
		cli_time_human(incident->opened_at, at);
		put_line(_("%s: unstable since %s, opened and resolved too often within an hour; incident %s"),
		       id, at, incident->uuid);
		return;
	case INCIDENT_REMINDED:
		put_line(_("%s: still down; update drafted for incident %s"), id, incident->uuid);
		return;
	case INCIDENT_OPENED:
		cli_time_human(incident->opened_at, at);
		if (incident->kind == INCIDENT_DEGRADED)
			put_line(_("%s: confirmed degraded since %s (%s); incident %s"), id, at, r->reason,
			       incident->uuid);
		else
			put_line(_("%s: confirmed down since %s after %d failed checks (%s); incident %s"),
			       id, at, h->failures, r->reason, incident->uuid);
		return;
	case INCIDENT_RESOLVED:
		cli_time_human(incident->resolved_at, at);
		es_duration(incident->resolved_at - incident->opened_at, lasted);
		put_line(_("%s: working again since %s; incident %s resolved after %s"), id, at,
		       incident->uuid, lasted);
		return;
	case INCIDENT_NONE:
		break;
	}
	/* the confirmed state changed and no incident did */
	if (r->transition == HEALTH_OPENED && r->has_incident) {
		cli_time_human(h->since, at);
		put_line(_("%s: down again since %s (%s); incident %s stays open, nothing new drafted"), id,
		       at, r->reason, incident->uuid);
	} else if (r->transition == HEALTH_OPENED) {
		cli_time_human(h->since, at);
		put_line(_("%s: confirmed down since %s after %d failed checks (%s); no incident recorded"
		       " (dry run)"), id, at, h->failures, r->reason);
	} else if (r->transition == HEALTH_RESOLVED) {
		cli_time_human(h->since, at);
		if (r->has_incident && incident->kind == INCIDENT_UNSTABLE)
			put_line(_("%s: answering again since %s; unstable incident %s stays open until the"
				 " service has been up for %d min"),
				 id, at, incident->uuid, INCIDENT_STABLE_SECONDS / 60);
		else if (r->has_incident)
			put_line(_("%s: answering again since %s; incident %s would be resolved (dry run)"), id,
				 at, incident->uuid);
		else
			put_line(_("%s: answering again since %s; no incident was open"), id, at);
	}
}

void cli_check_print(const struct monitor_report *rep, const char *why, int verbose)
{
	/* a '|' or a newline in a reason would make the rest performance data or a new line */
	char safe[1100];
	if (!rep->judged) {
		printable_plugin_text(why, safe, sizeof safe);
		printf("INCLUINFO UNKNOWN - %s\n", safe);
		return;
	}
	printf("INCLUINFO %s - ", monitor_plugin_name(rep->overall));
	bool any = false;
	for (size_t i = 0; i < rep->count; i++) {
		char words[700];
		if (describe(&rep->services[i], words, sizeof words)) {
			printable_plugin_text(words, safe, sizeof safe);
			printf("%s%s", any ? ", " : "", safe);
			any = true;
		}
	}
	if (!any)
		printf(ngettext("%zu service up", "%zu services up", rep->count), rep->count);
	printf(" |");
	for (size_t i = 0; i < rep->count; i++) {
		const struct monitor_service *r = &rep->services[i];
		char label[128];
		snprintf(safe, sizeof safe, "%s_time", r->svc->id);
		printable_perf_label(safe, label, sizeof label);
		printf(" %s=%.3fs;%.3f;%.3f;0", label, r->probe.time_ms / 1000.0,
		       r->svc->degraded_ms / 1000.0, r->svc->timeout_ms / 1000.0);
	}
	putchar('\n');
	if (!verbose)
		return;
	for (size_t i = 0; i < rep->count; i++) {
		const struct monitor_service *r = &rep->services[i];
		const struct health_state *h = &r->state.health;
		char since[32] = "";
		if (h->since)
			cli_time_human(h->since, since);
		char failures[64] = "", incident[64] = "";
		if (h->failures)
			snprintf(failures, sizeof failures,
				 ngettext(", %d consecutive failure", ", %d consecutive failures",
					  (unsigned long)h->failures),
				 h->failures);
		if (r->has_incident && r->transition == HEALTH_STEADY)
			snprintf(incident, sizeof incident, _("; incident %s"), r->incident.uuid);
		put_line(_("%s: %s (%s) in %ld ms; state %s%s%s%s%s"), r->svc->id,
			 health_label(r->result), r->reason, r->probe.time_ms,
			 health_label(h->state), *since ? _(" since ") : "", since, failures,
			 incident);
		print_transition(r);
	}
	for (size_t i = 0; i < rep->canary_count; i++) {
		const struct monitor_canary *c = &rep->canaries[i];
		put_line(c->good ? _("canary %zu: ok (%s)") : _("canary %zu: failed (%s)"), i + 1, c->reason);
	}
}

void cli_report_host_fault(const struct monitor_report *rep)
{
	/* the plugin line alone may be read by nobody; staff must fix the host */
	if (rep->host_fault)
		cli_error("%s", rep->unjudged);
}

static const char *canary_label(const struct monitor_report *rep)
{
	if (!rep->canary_count)
		return "none";
	return rep->offline ? "offline" : "ok";
}

cJSON *cli_check_json(const struct monitor_report *rep)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *services = cJSON_AddArrayToObject(root, "services");
	cJSON_AddStringToObject(root, "status", monitor_plugin_name(rep->overall));
	cJSON_AddStringToObject(root, "canary", canary_label(rep));
	if (*rep->unjudged)
		cJSON_AddStringToObject(root, "reason", rep->unjudged);
	else
		cJSON_AddNullToObject(root, "reason");
	for (size_t i = 0; services && i < rep->count; i++) {
		const struct monitor_service *r = &rep->services[i];
		const struct health_state *h = &r->state.health;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(services, o);
		cJSON_AddStringToObject(o, "id", r->svc->id);
		cJSON_AddStringToObject(o, "name", r->svc->name);
		cJSON_AddStringToObject(o, "result", health_name(r->result));
		if (rep->judged)
			cJSON_AddStringToObject(o, "state", health_name(h->state));
		else
			cJSON_AddNullToObject(o, "state");
		cJSON_AddStringToObject(o, "reason", r->reason);
		if (r->probe.http_status)
			cJSON_AddNumberToObject(o, "http_status", (double)r->probe.http_status);
		else
			cJSON_AddNullToObject(o, "http_status");
		cJSON_AddNumberToObject(o, "time_ms", (double)r->probe.time_ms);
		if (rep->judged)
			cJSON_AddNumberToObject(o, "consecutive_failures", h->failures);
		else
			cJSON_AddNullToObject(o, "consecutive_failures");
		if (r->has_incident)
			cJSON_AddStringToObject(o, "incident", r->incident.uuid);
		else
			cJSON_AddNullToObject(o, "incident");
		const char *transition = incident_transition(rep, r);
		if (transition)
			cJSON_AddStringToObject(o, "transition", transition);
		else
			cJSON_AddNullToObject(o, "transition");
		const char *event = event_name(r->event);
		if (event)
			cJSON_AddStringToObject(o, "event", event);
		else
			cJSON_AddNullToObject(o, "event");
	}
	return root;
}

/* Reports a failure before any state was judged: UNKNOWN. */
static int unknown(const struct cli *cli, const struct monitor_report *rep, const char *why)
{
	if (cli->json)
		cli_print_json(cli_check_json(rep));
	else if (!cli->quiet)
		cli_check_print(rep, why, 0);
	return PLUGIN_UNKNOWN;
}

const struct cli_help cmd_check_help = {
	.summary = N_("probe every service once, confirm outages and recoveries"),
	.usage = N_("usage: incluinfo check [--dry-run | --passive [--max-age MINUTES]] [--service ID]...\n"
		 "\n"
		 "Probes every configured service and canary at the same time, classifies each probe as\n"
		 "up, degraded or down, applies the hysteresis thresholds and opens or resolves\n"
		 "incidents. Prints one monitoring-plugins line; -v adds a line per service, --json an\n"
		 "object. Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also when another run\n"
		 "holds the lock).\n"
		 "\n"
		 "  --dry-run       probe and report, change nothing (takes no lock)\n"
		 "  --passive       probe nothing, change nothing, take no lock: report the states the\n"
		 "                  last check recorded (for Icinga or NRPE beside the cron job)\n"
		 "  --max-age MINUTES  with --passive, a service not checked for longer is stale,\n"
		 "                  UNKNOWN (default 10, at most 10080)\n"
		 "  --service ID    probe only this service (repeatable)\n"),
};

static const struct option check_options[] = {
	{"dry-run", no_argument, NULL, 'n'},
	{"service", required_argument, NULL, 's'},
	{"passive", no_argument, NULL, 'p'},
	{"max-age", required_argument, NULL, 'a'},
	{NULL, 0, NULL, 0},
};

struct check_options {
	bool dry_run, passive;
	long max_age; /* minutes; 0: not given */
	char **wanted;
	size_t wanted_count;
};

enum { MAX_AGE_DEFAULT = 10, MAX_AGE_MAX = 10080 };

static int parse_options(int argc, char **argv, const struct cli *cli, struct check_options *o)
{
	o->wanted = calloc((size_t)argc, sizeof *o->wanted);
	if (!o->wanted)
		return -1;
	optind = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "+", check_options, NULL)) != -1) {
		if (opt == 'n') {
			o->dry_run = true;
		} else if (opt == 'p') {
			o->passive = true;
		} else if (opt == 'a') {
			char *end;
			o->max_age = strtol(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || o->max_age < 1 || o->max_age > MAX_AGE_MAX) {
				cli_error(_("invalid value '%s' for --max-age: minutes, 1-%d"), optarg, MAX_AGE_MAX);
				return -1;
			}
		} else if (opt == 's') {
			o->wanted[o->wanted_count++] = optarg;
		} else {
			cli_option_refused(opt, argv, "check");
			return -1;
		}
	}
	if (optind < argc) {
		cli_error(_("unexpected argument '%s' for 'check'"), argv[optind]);
		return -1;
	}
	if (o->max_age && !o->passive) {
		cli_error(_("--max-age needs --passive"));
		return -1;
	}
	if (o->passive && cli->json) {
		cli_error(_("--passive prints a plugin line, not --json"));
		return -1;
	}
	return 0;
}

/* Opens the store for this run; with dry_run only an existing one, read-only. */
static ii_err open_store(const struct config *cfg, bool dry_run, struct store **store,
			 struct ii_error *e)
{
	*store = NULL;
	bool exists, open_to_others;
	ii_err rc = store_exists(cfg->state_dir, &exists, &open_to_others, e);
	if (rc)
		return rc;
	cli_warn_state_dir(cfg->state_dir, open_to_others);
	if (!dry_run)
		return store_open(cfg->state_dir, STORE_WRITE, store, e);
	return exists ? store_open(cfg->state_dir, STORE_READ, store, e) : II_OK;
}

int cmd_check(int argc, char **argv, struct cli *cli)
{
	const struct config *cfg = cli->config;
	struct check_options o = {0};
	struct monitor_report rep = {0};
	struct lock *lock = NULL;
	struct store *store = NULL;
	struct messages *messages = NULL;
	struct ii_error e = {0};
	int status = PLUGIN_UNKNOWN;

	if (parse_options(argc, argv, cli, &o) < 0) {
		cli_usage("check");
		goto out;
	}
	bool dry_run = o.dry_run;
	if (monitor_select(cfg, o.wanted, o.wanted_count, &rep, &e) != II_OK) {
		cli_fail(&e);
		status = unknown(cli, &rep, _("usage error"));
		goto out;
	}
	if (rep.count == 0) {
		cli_error(_("no service configured in '%s'"), cfg->path);
		status = unknown(cli, &rep, _("no services configured"));
		goto out;
	}
	if (o.passive) {
		status = cli_check_passive(cli, &rep, 60 * (o.max_age ? o.max_age : MAX_AGE_DEFAULT));
		goto out;
	}
	if (!dry_run && lock_acquire(cfg->state_dir, &lock, &e) != II_OK) {
		cli_fail(&e);
		/* UNKNOWN with the holder's pid: a plugin's exit status is 0-3 */
		status = unknown(cli, &rep, e.detail);
		goto out;
	}
	if (monitor_probe(cfg, cli_now(), &rep, &e) != II_OK) {
		cli_fail(&e);
		status = unknown(cli, &rep, e.detail);
		goto out;
	}
	if (*rep.unjudged) {
		cli_report_host_fault(&rep);
		status = unknown(cli, &rep, rep.unjudged);
		goto out;
	}
	struct draft_actor actor = cli_system_actor();
	struct incident_context ctx = {.cfg = cfg, .actor = &actor};
	if (!dry_run && cli_load_messages(cfg, &messages) != EXIT_OK) {
		status = unknown(cli, &rep, _("invalid message templates"));
		goto out;
	}
	ctx.messages = messages;
	if (open_store(cfg, dry_run, &store, &e) != II_OK ||
	    (ctx.store = store, monitor_judge(&ctx, !dry_run, &rep, &e)) != II_OK) {
		cli_fail(&e);
		status = unknown(cli, &rep, e.detail);
		goto out;
	}
	status = (int)rep.overall;
	if (cli->json)
		cli_print_json(cli_check_json(&rep));
	else if (!cli->quiet)
		cli_check_print(&rep, "", cli->verbose);
out:
	messages_free(messages);
	store_close(store);
	lock_release(lock);
	monitor_report_free(&rep);
	free(o.wanted);
	return status;
}
