/* Unit tests of lib/monitor: choosing services, probing with canaries, and the report of
 * a judged check. The probes go to a closed port of this machine: no network needed. */

#include "unit.h"

#include <stdlib.h>

#include "monitor.h"

#define NOW ((time_t)1760000000)
#define CLOSED "http://127.0.0.1:1/" /* nothing listens on port 1: refused at once */

struct fixture {
	char *dir;
	struct config *cfg;
	struct store *store;
	struct messages *messages;
	struct diag_list *diags;
	struct monitor_report rep;
	struct draft_actor actor;
	struct ii_error err;
};

static void init(struct fixture *f)
{
	f->diags = diag_new();
	f->actor = (struct draft_actor){.name = DRAFT_SYSTEM_NAME, .os_user = "test", .at = NOW};
}

static void fini(struct fixture *f)
{
	monitor_report_free(&f->rep);
	store_close(f->store);
	messages_free(f->messages);
	config_free(f->cfg);
	diag_free(f->diags);
}

UNIT_FIXTURE(init, fini)

/* Services a and b on the closed port, a opening and resolving at the first check; the
 * extra text goes at the end (a [canary], say). Opens the store and the built-in
 * templates. */
static void load(struct fixture *f, const char *extra)
{
	char *text;
	assert_true(asprintf(&text,
			     "[general]\nstate_dir = state\n"
			     "[service a]\nurl = " CLOSED "\nretries = 0\n"
			     "failures_to_open = 1\nsuccesses_to_resolve = 1\n"
			     "[service b]\nurl = " CLOSED "\nretries = 0\n%s",
			     extra) >= 0);
	unit_config_load(f->dir, text, &f->cfg, f->diags, &f->err);
	free(text);
	unit_ok(store_open(f->cfg->state_dir, STORE_WRITE, &f->store, &f->err), &f->err);
	unit_ok(messages_load(NULL, &f->messages, f->diags, &f->err), &f->err);
}

static struct incident_context context(struct fixture *f)
{
	return (struct incident_context){
		.store = f->store, .cfg = f->cfg, .messages = f->messages, .actor = &f->actor,
	};
}

/* Only service a, its probe said result at now (as monitor_probe() would have it). */
static void probed(struct fixture *f, enum health result, time_t now)
{
	monitor_report_free(&f->rep);
	char *wanted[] = {"a"};
	unit_ok(monitor_select(f->cfg, wanted, 1, &f->rep, &f->err), &f->err);
	f->rep.services[0].result = result;
	snprintf(f->rep.services[0].reason, sizeof f->rep.services[0].reason, "%s",
		 result == HEALTH_UP ? "HTTP 200" : "HTTP 503");
	f->rep.now = now;
}

static void select_in_configuration_order(void **state)
{
	struct fixture *f = *state;
	load(f, "");
	char *both[] = {"b", "a"};
	unit_ok(monitor_select(f->cfg, both, 2, &f->rep, &f->err), &f->err);
	assert_int_equal(f->rep.count, 2);
	assert_string_equal(f->rep.services[0].svc->id, "a");
	assert_string_equal(f->rep.services[1].svc->id, "b");
	assert_int_equal(f->rep.overall, PLUGIN_UNKNOWN);
	monitor_report_free(&f->rep);

	unit_ok(monitor_select(f->cfg, NULL, 0, &f->rep, &f->err), &f->err);
	assert_int_equal(f->rep.count, 2);
	monitor_report_free(&f->rep);

	char *unknown[] = {"a", "nosuch"};
	assert_int_equal(monitor_select(f->cfg, unknown, 2, &f->rep, &f->err), II_EDATA);
	assert_string_equal(f->err.detail, "unknown service 'nosuch'");
	assert_int_equal(f->rep.count, 0);
}

static void all_canaries_failing_is_offline_and_judges_nothing(void **state)
{
	struct fixture *f = *state;
	load(f, "[canary]\nurl = " CLOSED "\n");
	unit_ok(monitor_select(f->cfg, NULL, 0, &f->rep, &f->err), &f->err);
	unit_ok(monitor_probe(f->cfg, NOW, &f->rep, &f->err), &f->err);
	assert_int_equal(f->rep.now, NOW);
	assert_int_equal(f->rep.services[0].probe.failure, PROBE_CONNECT);
	assert_int_equal(f->rep.services[0].result, HEALTH_DOWN);
	assert_int_equal(f->rep.services[1].result, HEALTH_DOWN);
	assert_int_equal(f->rep.canary_count, 1);
	assert_int_equal(f->rep.canaries[0].probe.failure, PROBE_CONNECT);
	assert_true(f->rep.offline);

	struct incident_context ctx = context(f);
	unit_ok(monitor_judge(&ctx, true, &f->rep, &f->err), &f->err);
	assert_false(f->rep.judged);
	assert_int_equal(f->rep.overall, PLUGIN_UNKNOWN);
	struct store_service st;
	bool found = true;
	unit_ok(store_service_get(f->store, "a", &st, &found, &f->err), &f->err);
	assert_false(found);
}

static void judged_report_opens_and_resolves(void **state)
{
	struct fixture *f = *state;
	load(f, "");
	struct incident_context ctx = context(f);
	probed(f, HEALTH_DOWN, NOW);
	unit_ok(monitor_judge(&ctx, true, &f->rep, &f->err), &f->err);
	const struct monitor_service *a = &f->rep.services[0];
	assert_true(f->rep.judged);
	assert_int_equal(f->rep.overall, PLUGIN_CRITICAL);
	assert_int_equal(a->state.health.state, HEALTH_DOWN);
	assert_int_equal(a->state.last_check, NOW);
	assert_int_equal(a->transition, HEALTH_OPENED);
	assert_int_equal(a->event, INCIDENT_OPENED);
	assert_true(a->has_incident);
	assert_int_equal(strlen(a->incident.uuid), 36);
	assert_string_equal(a->incident.service, "a");
	assert_int_equal(a->incident.opened_at, NOW);
	char uuid[37];
	memcpy(uuid, a->incident.uuid, sizeof uuid);

	/* still down: the open incident is reported, nothing new drafted */
	probed(f, HEALTH_DOWN, NOW + 60);
	unit_ok(monitor_judge(&ctx, true, &f->rep, &f->err), &f->err);
	a = &f->rep.services[0];
	assert_int_equal(a->transition, HEALTH_STEADY);
	assert_int_equal(a->event, INCIDENT_NONE);
	assert_true(a->has_incident);
	assert_string_equal(a->incident.uuid, uuid);

	/* without writing: what this check would do, and the store stays as it was */
	probed(f, HEALTH_UP, NOW + 120);
	unit_ok(monitor_judge(&ctx, false, &f->rep, &f->err), &f->err);
	a = &f->rep.services[0];
	assert_int_equal(f->rep.overall, PLUGIN_OK);
	assert_int_equal(a->transition, HEALTH_RESOLVED);
	assert_int_equal(a->event, INCIDENT_NONE);
	assert_string_equal(a->incident.uuid, uuid);
	assert_int_equal(a->incident.resolved_at, NOW + 120);
	struct store_service st;
	bool found = false;
	unit_ok(store_service_get(f->store, "a", &st, &found, &f->err), &f->err);
	assert_int_equal(st.health.state, HEALTH_DOWN);

	probed(f, HEALTH_UP, NOW + 120);
	unit_ok(monitor_judge(&ctx, true, &f->rep, &f->err), &f->err);
	a = &f->rep.services[0];
	assert_int_equal(f->rep.overall, PLUGIN_OK);
	assert_int_equal(a->event, INCIDENT_RESOLVED);
	assert_true(a->has_incident);
	assert_string_equal(a->incident.uuid, uuid);
	assert_int_equal(a->incident.resolved_at, NOW + 120);
	struct incident *open;
	size_t open_count;
	unit_ok(incident_list(f->store, false, &open, &open_count, &f->err), &f->err);
	free(open);
	assert_int_equal(open_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(select_in_configuration_order),
		UNIT_TEST(all_canaries_failing_is_offline_and_judges_nothing),
		UNIT_TEST(judged_report_opens_and_resolves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
