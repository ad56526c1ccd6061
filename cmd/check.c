#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "health.h"
#include "incident.h"
#include "incluinfo.h"
#include "lock.h"
#include "probe.h"
#include "spanish.h"
#include "store.h"

/* Canaries only need to answer: any HTTP response proves the network works. */
#define CANARY_TIMEOUT_MS 10000
#define CANARY_REDIRECTS 5
#define CANARY_RETRIES 1

static const char *const plugin_names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

struct row {
	const struct config_service *svc;
	struct probe_result probe;
	enum health result;
	char reason[HEALTH_REASON_SIZE];
	struct store_service state; /* after this run (as it would be, with --dry-run) */
	enum health_transition transition;
	/* the incident this run opened, resolved or found open */
	struct store_incident incident;
	bool has_incident;
	enum incident_event event; /* what was drafted about it */
};

struct run {
	struct row *rows;
	size_t count;
	struct probe_result *canaries;
	size_t canary_count;
	bool offline;
	bool judged; /* states were moved on; else only this run's probes are known */
	time_t now;
};

static const char *canary_label(const struct run *run)
{
	if (!run->canary_count)
		return "none";
	return run->offline ? "offline" : "ok";
}

/* Services named with --service, in configuration order; all when none is named. */
static int select_services(const struct config *cfg, char **wanted, size_t wanted_count,
			   struct run *run)
{
	for (size_t i = 0; i < wanted_count; i++) {
		if (!config_find_service(cfg, wanted[i])) {
			cli_error("unknown service '%s'", wanted[i]);
			return -1;
		}
	}
	run->rows = calloc(cfg->service_count ? cfg->service_count : 1, sizeof *run->rows);
	if (!run->rows) {
		cli_error("out of memory");
		return -1;
	}
	for (size_t i = 0; i < cfg->service_count; i++) {
		bool chosen = wanted_count == 0;
		for (size_t j = 0; j < wanted_count && !chosen; j++)
			chosen = !strcmp(wanted[j], cfg->services[i].id);
		if (chosen)
			run->rows[run->count++].svc = &cfg->services[i];
	}
	return 0;
}

static ii_err probe_all(const struct config *cfg, struct run *run, struct ii_error *e)
{
	size_t total = run->count + cfg->canaries.count;
	struct probe_request *requests = calloc(total, sizeof *requests);
	struct probe_result *results = calloc(total, sizeof *results);
	if (!requests || !results) {
		free(requests);
		free(results);
		return ii_fail(e, II_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < run->count; i++) {
		const struct config_service *s = run->rows[i].svc;
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
	for (size_t i = 0; i < cfg->canaries.count; i++) {
		requests[run->count + i] = (struct probe_request){
			.url = cfg->canaries.items[i],
			.timeout_ms = CANARY_TIMEOUT_MS,
			.max_redirects = CANARY_REDIRECTS,
			.retries = CANARY_RETRIES,
		};
	}
	run->now = cli_now();
	ii_err rc = probe_run(requests, total, results, e);
	free(requests);
	if (rc) {
		free(results);
		return rc;
	}
	for (size_t i = 0; i < run->count; i++) {
		struct row *r = &run->rows[i];
		r->probe = results[i];
		r->result = health_classify(r->svc, &r->probe, run->now, r->reason, sizeof r->reason);
	}
	run->canaries = results;
	run->canary_count = cfg->canaries.count;
	size_t failed = 0;
	for (size_t i = 0; i < run->canary_count; i++)
		failed += results[run->count + i].failure != PROBE_OK;
	run->offline = run->canary_count > 0 && failed == run->canary_count;
	return II_OK;
}

static void copy_incident(struct store_incident *to, const struct incident *from)
{
	memcpy(to->uuid, from->uuid, sizeof to->uuid);
	memcpy(to->service, from->service, sizeof to->service);
	to->opened_at = from->opened_at;
	to->resolved_at = from->resolved_at;
	memcpy(to->cause, from->cause, sizeof to->cause);
}

/* Drafts what the service's new state means for its incidents (not with --dry-run). */
static ii_err observe(const struct incident_context *ctx, struct row *r, struct ii_error *e)
{
	struct incident inc;
	ii_err rc = incident_observe(ctx, r->svc, &r->state.health, r->reason, &r->event, &inc, e);
	if (rc == II_OK && *inc.uuid) {
		copy_incident(&r->incident, &inc);
		r->has_incident = !inc.resolved_at || r->event == INCIDENT_RESOLVED;
	} else if (rc == II_OK) {
		memset(&r->incident, 0, sizeof r->incident);
		r->has_incident = false;
	}
	return rc;
}

/* Moves each service's state one step, in one transaction unless dry_run (ctx NULL). */
static ii_err apply(struct store *store, const struct incident_context *ctx, struct run *run,
		    long history_days, bool dry_run, struct ii_error *e)
{
	ii_err rc = dry_run || !store ? II_OK : store_begin(store, e);
	for (size_t i = 0; rc == II_OK && i < run->count; i++) {
		struct row *r = &run->rows[i];
		const char *id = r->svc->id;
		bool found = false;
		if (store)
			rc = store_service_get(store, id, &r->state, &found, e);
		if (!rc && store)
			rc = store_incident_current(store, id, &r->incident, &r->has_incident, e);
		if (rc)
			break;
		r->transition = health_step(&r->state.health, r->result, run->now,
					    (int)r->svc->failures_to_open,
					    (int)r->svc->successes_to_resolve);
		r->state.last_check = run->now;
		r->state.last_result = r->result;
		memcpy(r->state.last_reason, r->reason, sizeof r->reason);
		r->state.last_http_status = r->probe.http_status;
		r->state.last_time_ms = r->probe.time_ms;
		if (r->transition == HEALTH_OPENED) {
			memset(&r->incident, 0, sizeof r->incident);
			r->incident.opened_at = r->state.health.first_failure;
			r->has_incident = !dry_run;
		} else if (r->transition == HEALTH_RESOLVED) {
			r->incident.resolved_at = r->state.health.first_success;
		}
		if (dry_run)
			continue;
		rc = store_service_put(store, id, &r->state, e);
		if (!rc)
			rc = store_probe_add(store, id, run->now, r->result, r->probe.http_status,
					     r->probe.time_ms, r->reason, e);
		if (!rc)
			rc = observe(ctx, r, e);
	}
	int drafted = 0;
	if (rc == II_OK && !dry_run && store)
		rc = incident_maintenance_tick(ctx, &drafted, e);
	if (rc == II_OK && !dry_run && store)
		rc = store_probe_prune(store, run->now - (time_t)history_days * 86400, e);
	if (rc == II_OK && !dry_run && store)
		rc = store_commit(store, e);
	if (rc != II_OK && !dry_run && store)
		store_rollback(store);
	return rc;
}

static enum plugin_status overall(const struct run *run)
{
	enum plugin_status status = PLUGIN_OK;
	for (size_t i = 0; i < run->count; i++) {
		const struct health_state *h = &run->rows[i].state.health;
		/* planned: someone knows, nobody needs waking */
		if (run->rows[i].event == INCIDENT_IN_MAINTENANCE)
			status = PLUGIN_WARNING;
		else if (h->state == HEALTH_DOWN)
			return PLUGIN_CRITICAL;
		if (h->state == HEALTH_DEGRADED || h->failures > 0)
			status = PLUGIN_WARNING;
	}
	return status;
}

/* The summary's words for a service that needs attention; false when it needs none. */
static bool describe(const struct row *r, char *out, size_t len)
{
	const struct health_state *h = &r->state.health;
	if (r->event == INCIDENT_IN_MAINTENANCE)
		snprintf(out, len, "%s in maintenance (%s)", r->svc->id, r->reason);
	else if (h->state == HEALTH_DOWN && r->result == HEALTH_DOWN)
		snprintf(out, len, "%s down (%s, %d check%s)", r->svc->id, r->reason, h->failures,
			 h->failures == 1 ? "" : "s");
	else if (h->state == HEALTH_DOWN)
		snprintf(out, len, "%s down (recovering: %s, %d of %ld good checks)", r->svc->id,
			 r->reason, h->successes, r->svc->successes_to_resolve);
	else if (h->failures > 0)
		snprintf(out, len, "%s failing (%s, %d of %ld checks)", r->svc->id, r->reason,
			 h->failures, r->svc->failures_to_open);
	else if (h->state == HEALTH_DEGRADED)
		snprintf(out, len, "%s degraded (%s)", r->svc->id, r->reason);
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

/* The event a person wants to read when a service's confirmed state changes. */
static void print_transition(const struct row *r)
{
	const struct store_incident *incident = &r->incident;
	char at[32], lasted[ES_DURATION_SIZE];
	if (r->event == INCIDENT_IN_MAINTENANCE) {
		printf("%s: failing inside a maintenance window (%s); no incident\n", r->svc->id,
		       r->reason);
	} else if (r->event == INCIDENT_MARKED_UNSTABLE) {
		printf("%s: unstable, opened and resolved too often within an hour; incident %s\n",
		       r->svc->id, incident->uuid);
	} else if (r->event == INCIDENT_REMINDED) {
		printf("%s: still down; update drafted for incident %s\n", r->svc->id, incident->uuid);
	} else if (r->transition == HEALTH_OPENED || r->event == INCIDENT_OPENED) {
		cli_time_human(incident->opened_at, at);
		printf("%s: confirmed down since %s after %d failed checks (%s); incident %s\n",
		       r->svc->id, at, r->state.health.failures, r->reason,
		       r->has_incident ? incident->uuid : "would open");
	} else if (r->transition == HEALTH_RESOLVED || r->event == INCIDENT_RESOLVED) {
		cli_time_human(incident->resolved_at, at);
		if (incident->opened_at)
			es_duration(incident->resolved_at - incident->opened_at, lasted);
		printf("%s: working again since %s; incident %s resolved%s%s\n", r->svc->id, at,
		       *incident->uuid ? incident->uuid : "(none recorded)",
		       incident->opened_at ? " after " : "", incident->opened_at ? lasted : "");
	}
}

static void print_text(const struct run *run, enum plugin_status status, int verbose)
{
	printf("INCLUINFO %s - ", plugin_names[status]);
	bool any = false;
	for (size_t i = 0; i < run->count; i++) {
		char words[700];
		if (describe(&run->rows[i], words, sizeof words)) {
			printf("%s%s", any ? ", " : "", words);
			any = true;
		}
	}
	if (!any)
		printf("%zu service%s up", run->count, run->count == 1 ? "" : "s");
	printf(" |");
	for (size_t i = 0; i < run->count; i++) {
		const struct row *r = &run->rows[i];
		printf(" %s_time=%.3fs;%.3f;%.3f;0", r->svc->id, r->probe.time_ms / 1000.0,
		       r->svc->degraded_ms / 1000.0, r->svc->timeout_ms / 1000.0);
	}
	putchar('\n');
	if (!verbose)
		return;
	for (size_t i = 0; i < run->count; i++) {
		const struct row *r = &run->rows[i];
		const struct health_state *h = &r->state.health;
		char since[32] = "";
		if (h->since)
			cli_time_human(h->since, since);
		printf("%s: %s (%s) in %ld ms; state %s%s%s", r->svc->id, health_name(r->result),
		       r->reason, r->probe.time_ms, health_name(h->state), *since ? " since " : "",
		       since);
		if (h->failures)
			printf(", %d consecutive failure%s", h->failures, h->failures == 1 ? "" : "s");
		if (r->has_incident && r->transition == HEALTH_STEADY)
			printf("; incident %s", r->incident.uuid);
		putchar('\n');
		print_transition(r);
	}
	for (size_t i = 0; i < run->canary_count; i++) {
		const struct probe_result *c = &run->canaries[run->count + i];
		printf("canary %zu: %s\n", i + 1, c->failure == PROBE_OK ? "ok" : c->error);
	}
}

static int print_json(const struct run *run, const char *status)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *services = cJSON_AddArrayToObject(root, "services");
	cJSON_AddStringToObject(root, "status", status);
	cJSON_AddStringToObject(root, "canary", canary_label(run));
	for (size_t i = 0; services && i < run->count; i++) {
		const struct row *r = &run->rows[i];
		const struct health_state *h = &r->state.health;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(services, o);
		cJSON_AddStringToObject(o, "id", r->svc->id);
		cJSON_AddStringToObject(o, "name", r->svc->name);
		cJSON_AddStringToObject(o, "result", health_name(r->result));
		if (run->judged)
			cJSON_AddStringToObject(o, "state", health_name(h->state));
		else
			cJSON_AddNullToObject(o, "state");
		cJSON_AddStringToObject(o, "reason", r->reason);
		if (r->probe.http_status)
			cJSON_AddNumberToObject(o, "http_status", (double)r->probe.http_status);
		else
			cJSON_AddNullToObject(o, "http_status");
		cJSON_AddNumberToObject(o, "time_ms", (double)r->probe.time_ms);
		if (run->judged)
			cJSON_AddNumberToObject(o, "consecutive_failures", h->failures);
		else
			cJSON_AddNullToObject(o, "consecutive_failures");
		if (r->has_incident)
			cJSON_AddStringToObject(o, "incident", r->incident.uuid);
		else
			cJSON_AddNullToObject(o, "incident");
		const char *transition = r->transition == HEALTH_OPENED     ? "opened"
					 : r->transition == HEALTH_RESOLVED ? "resolved"
									    : NULL;
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
	char *text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!text) {
		cli_error("out of memory");
		return -1;
	}
	puts(text);
	cJSON_free(text);
	return 0;
}

/* Reports a failure before any state was judged: UNKNOWN. */
static int unknown(const struct cli *cli, const struct run *run, const char *why)
{
	if (cli->json)
		print_json(run, "UNKNOWN");
	else if (!cli->quiet)
		printf("INCLUINFO UNKNOWN - %s\n", why);
	return PLUGIN_UNKNOWN;
}

const struct cli_help cmd_check_help = {
	.summary = "probe every service once, confirm outages and recoveries",
	.usage = "usage: incluinfo check [--dry-run] [--service ID]...\n"
		 "\n"
		 "Probes every configured service and canary at the same time, classifies each probe as\n"
		 "up, degraded or down, applies the hysteresis thresholds and opens or resolves\n"
		 "incidents. Prints one monitoring-plugins line; -v adds a line per service, --json an\n"
		 "object. Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
		 "\n"
		 "  --dry-run       probe and report, change nothing (takes no lock)\n"
		 "  --service ID    probe only this service (repeatable)\n",
};

static const struct option check_options[] = {
	{"dry-run", no_argument, NULL, 'n'},
	{"service", required_argument, NULL, 's'},
	{NULL, 0, NULL, 0},
};

static int parse_options(int argc, char **argv, bool *dry_run, char ***wanted, size_t *wanted_count)
{
	*wanted = calloc((size_t)argc, sizeof **wanted);
	if (!*wanted)
		return -1;
	optind = 0;
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "+", check_options, NULL)) != -1) {
		if (opt == 'n') {
			*dry_run = true;
		} else if (opt == 's') {
			(*wanted)[(*wanted_count)++] = optarg;
		} else {
			cli_error("unknown option '%s' for 'check'", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s' for 'check'", argv[optind]);
		return -1;
	}
	return 0;
}

static void run_free(struct run *run)
{
	for (size_t i = 0; i < run->count; i++)
		probe_result_free(&run->rows[i].probe);
	for (size_t i = 0; run->canaries && i < run->canary_count; i++)
		probe_result_free(&run->canaries[run->count + i]);
	free(run->canaries);
	free(run->rows);
}

/* Opens the store for this run; with dry_run only an existing one, read-only. */
static ii_err open_store(const struct config *cfg, bool dry_run, struct store **store,
			 struct ii_error *e)
{
	*store = NULL;
	if (!dry_run)
		return store_open(cfg->state_dir, STORE_WRITE, store, e);
	char *path = store_path(cfg->state_dir);
	if (!path)
		return ii_fail(e, II_ENOMEM, "out of memory");
	bool exists = access(path, F_OK) == 0;
	free(path);
	return exists ? store_open(cfg->state_dir, STORE_READ, store, e) : II_OK;
}

int cmd_check(int argc, char **argv, struct cli *cli)
{
	const struct config *cfg = cli->config;
	bool dry_run = false;
	char **wanted = NULL;
	size_t wanted_count = 0;
	struct run run = {0};
	struct lock *lock = NULL;
	struct store *store = NULL;
	struct messages *messages = NULL;
	struct ii_error e = {0};
	int status = PLUGIN_UNKNOWN;

	if (parse_options(argc, argv, &dry_run, &wanted, &wanted_count) < 0) {
		cli_usage("check");
		goto out;
	}
	if (select_services(cfg, wanted, wanted_count, &run) < 0) {
		status = unknown(cli, &run, "usage error");
		goto out;
	}
	if (run.count == 0) {
		cli_error("no service configured in '%s'", cfg->path);
		status = unknown(cli, &run, "no services configured");
		goto out;
	}
	if (!dry_run && !cli->locked && lock_acquire(cfg->state_dir, &lock, &e) != II_OK) {
		cli_fail(&e);
		status = unknown(cli, &run, e.detail);
		/* cron's "try again next minute", distinct from a monitoring finding */
		if (e.code == II_ELOCKED)
			status = EXIT_TEMPFAIL;
		goto out;
	}
	if (probe_all(cfg, &run, &e) != II_OK) {
		cli_fail(&e);
		status = unknown(cli, &run, e.detail);
		goto out;
	}
	if (run.offline) {
		status = unknown(cli, &run, "monitor offline: all canaries failed");
		goto out;
	}
	struct draft_actor actor = cli_actor(DRAFT_SYSTEM_NAME);
	struct incident_context ctx = {.cfg = cfg, .actor = &actor, .now = run.now};
	if (!dry_run && cli_load_messages(cfg, &messages) != EXIT_OK) {
		status = unknown(cli, &run, "invalid message templates");
		goto out;
	}
	ctx.messages = messages;
	if (open_store(cfg, dry_run, &store, &e) != II_OK ||
	    (ctx.store = store, apply(store, dry_run ? NULL : &ctx, &run, cfg->history_days, dry_run, &e)) != II_OK) {
		cli_fail(&e);
		status = unknown(cli, &run, e.detail);
		goto out;
	}
	run.judged = true;
	status = overall(&run);
	if (cli->json)
		print_json(&run, plugin_names[status]);
	else if (!cli->quiet)
		print_text(&run, status, cli->verbose);
out:
	messages_free(messages);
	store_close(store);
	lock_release(lock);
	run_free(&run);
	free(wanted);
	return status;
}
