#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "incluinfo.h"
#include "incident.h"
#include "monitor.h"
#include "printable.h"
#include "spanish.h"
#include "store.h"

/*
 * Stale is worse than a finding of WARNING but never said as CRITICAL: a state nobody
 * checked for max_age is not current, so only a current one may say a service is down.
 */
static int rank(enum plugin_status s)
{
	static const int order[] = {[PLUGIN_OK] = 0, [PLUGIN_WARNING] = 1,
				    [PLUGIN_UNKNOWN] = 2, [PLUGIN_CRITICAL] = 3};
	return order[s];
}

/* One service's status and words from its recorded state; words is "" when all is well. */
static enum plugin_status judge(const struct config_service *svc, const struct store_service *st,
				bool checked, bool maintenance, time_t now, long max_age,
				char *words, size_t len)
{
	const struct health_state *h = &st->health;
	char when[32], age[ES_DURATION_SIZE], limit[ES_DURATION_SIZE];
	*words = '\0';
	if (!checked) {
		snprintf(words, len, _("%s never checked"), svc->id);
		return PLUGIN_UNKNOWN;
	}
	if (now - st->last_check > max_age) {
		cli_time_human(st->last_check, when);
		es_duration(now - st->last_check, age);
		es_duration(max_age, limit);
		snprintf(words, len, _("%s stale: last check %s ago (%s), more than %s"), svc->id, age,
			 when, limit);
		return PLUGIN_UNKNOWN;
	}
	cli_time_human(h->since, when);
	if (maintenance && st->last_result != HEALTH_UP) {
		snprintf(words, len, _("%s in maintenance (%s)"), svc->id, st->last_reason);
		return PLUGIN_WARNING;
	}
	if (h->state == HEALTH_DOWN) {
		snprintf(words, len, _("%s down since %s (%s)"), svc->id, when, st->last_reason);
		return PLUGIN_CRITICAL;
	}
	if (h->failures > 0) {
		snprintf(words, len, _("%s failing (%s, %d of %ld checks)"), svc->id, st->last_reason,
			 h->failures, svc->failures_to_open);
		return PLUGIN_WARNING;
	}
	if (h->state == HEALTH_DEGRADED) {
		snprintf(words, len, _("%s degraded since %s (%s)"), svc->id, when, st->last_reason);
		return PLUGIN_WARNING;
	}
	return PLUGIN_OK;
}

int cli_check_passive(const struct cli *cli, const struct monitor_report *rep, long max_age)
{
	struct store *store = NULL;
	struct ii_error e = {0};
	time_t now = cli_now();
	char line[4096] = "", perf[4096] = "", safe[1100];
	size_t used = 0, perf_used = 0;
	enum plugin_status overall = PLUGIN_OK;
	if (cli_open_store(cli, STORE_READ, &store) != EXIT_OK) {
		/* TRANSLATORS: a monitoring plugin's line: keep "INCLUINFO UNKNOWN - " */
		printf(_("INCLUINFO UNKNOWN - cannot read the state of '%s'\n"), cli->config->state_dir);
		return PLUGIN_UNKNOWN;
	}
	for (size_t i = 0; i < rep->count; i++) {
		const struct config_service *svc = rep->services[i].svc;
		struct store_service st = {0};
		bool checked = false, maintenance = false;
		if (store && (store_service_get(store, svc->id, &st, &checked, &e) != II_OK ||
			      incident_in_maintenance(store, svc, now, &maintenance, &e) != II_OK)) {
			cli_fail(&e);
			store_close(store);
			printf(_("INCLUINFO UNKNOWN - cannot read the state of '%s'\n"), cli->config->state_dir);
			return PLUGIN_UNKNOWN;
		}
		char words[700], label[128];
		enum plugin_status s = judge(svc, &st, checked, maintenance, now, max_age, words,
					     sizeof words);
		if (rank(s) > rank(overall))
			overall = s;
		if (*words && used < sizeof line) {
			printable_plugin_text(words, safe, sizeof safe);
			used += (size_t)snprintf(line + used, sizeof line - used, "%s%s", used ? ", " : "", safe);
		}
		snprintf(safe, sizeof safe, "%s_age", svc->id);
		printable_perf_label(safe, label, sizeof label);
		char age[32] = "U"; /* the plugin guidelines' "undetermined" */
		if (checked)
			snprintf(age, sizeof age, "%llds", (long long)(now - st.last_check));
		if (perf_used < sizeof perf)
			perf_used += (size_t)snprintf(perf + perf_used, sizeof perf - perf_used,
						      " %s=%s;;%ld;0", label, age, max_age);
		snprintf(safe, sizeof safe, "%s_failures", svc->id);
		printable_perf_label(safe, label, sizeof label);
		if (perf_used < sizeof perf)
			perf_used += (size_t)snprintf(perf + perf_used, sizeof perf - perf_used,
						      " %s=%d;;%ld;0", label, st.health.failures,
						      svc->failures_to_open);
	}
	store_close(store);
	if (!used)
		snprintf(line, sizeof line, ngettext("%zu service up", "%zu services up", rep->count),
			 rep->count);
	if (!cli->quiet)
		printf("INCLUINFO %s - %s |%s\n", monitor_plugin_name(overall), line, perf);
	return (int)overall;
}
