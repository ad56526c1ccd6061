/*
 * Unit tests of lib/incident against a real store: a service checked once a minute goes
 * through lib/health as `check` does, its probes are recorded, and incident_observe()
 * turns its confirmed state into incidents and their drafts.
 */

#include "unit.h"

#include "diag.h"
#include "draft.h"
#include "health.h"
#include "incident.h"
#include "messages.h"
#include "store.h"

#define T0 1764000000 /* a Monday, 16:00 in Madrid */

struct fixture {
	char *dir;
	struct store *store;
	struct messages *messages;
	struct config_service svc;
	struct config cfg;
	struct draft_actor actor;
	struct health_state health;
	struct incident last; /* what the last check reported */
	time_t now;           /* of the next check */
	struct ii_error err;
};

/* Fails the test where it is called unless rc is II_OK. */
#define ok(f, rc) unit_ok((rc), &(f)->err)

static void init(struct fixture *f)
{
	ok(f, store_open(f->dir, STORE_WRITE, &f->store, &f->err));
	struct diag_list *diags = diag_new();
	ok(f, messages_load(NULL, &f->messages, diags, &f->err));
	diag_free(diags);
	f->svc = (struct config_service){
		.id = "sede",
		.name = "Sede Electrónica",
		.url = "https://sede.example/",
		.failures_to_open = 3,
		.successes_to_resolve = 2,
		.remind_minutes = 30,
		.flap_limit = 2,
		.grace_minutes = 10,
	};
	f->cfg = (struct config){
		.services = &f->svc,
		.service_count = 1,
		.incidents = CONFIG_POLICY_AUTO,
		.notices = CONFIG_POLICY_REVIEW,
	};
	f->actor = (struct draft_actor){DRAFT_SYSTEM_NAME, "cron", T0};
	f->now = T0;
}

static void fini(struct fixture *f)
{
	messages_free(f->messages);
	store_close(f->store);
}

UNIT_FIXTURE(init, fini)

static struct incident_context context(struct fixture *f)
{
	f->actor.at = f->now;
	return (struct incident_context){
		.store = f->store, .cfg = &f->cfg, .messages = f->messages, .actor = &f->actor,
		.now = f->now,
	};
}

/* One check at f->now with result, recorded and observed in one transaction as `check`
 * does; the next check is a minute later. */
static enum incident_event check(struct fixture *f, enum health result)
{
	health_step(&f->health, result, f->now, (int)f->svc.failures_to_open,
		    (int)f->svc.successes_to_resolve);
	const struct incident_context ctx = context(f);
	enum incident_event event;
	ok(f, store_begin(f->store, &f->err));
	ok(f, store_probe_add(f->store, f->svc.id, f->now, result, result == HEALTH_DOWN ? 503 : 200,
			      120, result == HEALTH_DOWN ? "HTTP 503" : "", &f->err));
	ok(f, incident_observe(&ctx, &f->svc, &f->health, "HTTP 503", &event, &f->last, &f->err));
	ok(f, store_commit(f->store, &f->err));
	f->now += 60;
	return event;
}

/* n checks with result; how many of them drafted event. */
static int checks(struct fixture *f, enum health result, int n, enum incident_event event)
{
	int seen = 0;
	for (int i = 0; i < n; i++)
		seen += check(f, result) == event;
	return seen;
}

static size_t open_incidents(struct fixture *f)
{
	struct incident *list;
	size_t count;
	ok(f, incident_list(f->store, false, &list, &count, &f->err));
	free(list);
	return count;
}

static size_t drafts_of_kind(struct fixture *f, enum draft_kind kind)
{
	struct draft *list;
	size_t count, matching = 0;
	ok(f, draft_list(f->store, true, &list, &count, &f->err));
	for (size_t i = 0; i < count; i++)
		matching += list[i].kind == kind;
	free(list);
	return matching;
}

/* Down until the incident opens, then up until it is resolved. */
static void outage(struct fixture *f)
{
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
	assert_int_equal(checks(f, HEALTH_UP, 2, INCIDENT_RESOLVED), 1);
}

static void confirmed_down_opens_one_incident_from_the_first_failed_check(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(check(f, HEALTH_DOWN), INCIDENT_NONE);
	assert_int_equal(check(f, HEALTH_DOWN), INCIDENT_NONE);
	assert_int_equal(open_incidents(f), 0);
	assert_int_equal(check(f, HEALTH_DOWN), INCIDENT_OPENED);
	assert_int_equal(f->last.kind, INCIDENT_OUTAGE);
	assert_int_equal(f->last.opened_at, T0);
	assert_string_equal(f->last.service, "sede");
	assert_int_equal(f->last.status, INCIDENT_INVESTIGANDO);
	/* still down: the same incident, nothing new drafted before the reminder is due */
	assert_int_equal(checks(f, HEALTH_DOWN, 5, INCIDENT_NONE), 5);
	assert_int_equal(open_incidents(f), 1);
	assert_int_equal(drafts_of_kind(f, DRAFT_ALERTA), 1);
	struct draft d;
	ok(f, draft_find(f->store, f->last.last_draft, &d, &f->err));
	assert_string_equal(d.incident, f->last.uuid);
	assert_int_equal(d.status, DRAFT_APPROVED); /* [policy] incidents = auto */
}

static void open_incident_is_reminded_every_remind_minutes(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
	/* opened at T0 + 2 min: reminders at + 32, + 62 and + 92 min */
	assert_int_equal(checks(f, HEALTH_DOWN, 30, INCIDENT_REMINDED), 1);
	assert_int_equal(f->now, T0 + 33 * 60);
	assert_int_equal(checks(f, HEALTH_DOWN, 60, INCIDENT_REMINDED), 2);
	assert_int_equal(drafts_of_kind(f, DRAFT_ACTUALIZACION), 3);
	struct draft d;
	ok(f, draft_find(f->store, f->last.last_draft, &d, &f->err));
	assert_int_equal(d.kind, DRAFT_ACTUALIZACION);
	assert_string_equal(d.incident, f->last.uuid);
}

static void no_reminders_when_remind_minutes_is_zero(void **state)
{
	struct fixture *f = *state;
	f->svc.remind_minutes = 0;
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
	assert_int_equal(checks(f, HEALTH_DOWN, 120, INCIDENT_NONE), 120);
	assert_int_equal(drafts_of_kind(f, DRAFT_ACTUALIZACION), 0);
}

static void up_again_resolves_at_the_first_good_check(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(checks(f, HEALTH_DOWN, 10, INCIDENT_OPENED), 1);
	time_t back = f->now;
	assert_int_equal(check(f, HEALTH_UP), INCIDENT_NONE);
	assert_int_equal(check(f, HEALTH_UP), INCIDENT_RESOLVED);
	assert_int_equal(f->last.resolved_at, back);
	assert_int_equal(f->last.status, INCIDENT_RESUELTO);
	assert_int_equal(open_incidents(f), 0);
	assert_int_equal(drafts_of_kind(f, DRAFT_RESUELTA), 1);
	/* the resolution answers the thread: its draft is the incident's last */
	struct incident inc;
	bool found;
	ok(f, incident_get(f->store, f->last.uuid, &inc, &found, &f->err));
	assert_true(found);
	assert_int_equal(inc.status, INCIDENT_RESUELTO);
	struct draft d;
	ok(f, draft_find(f->store, inc.last_draft, &d, &f->err));
	assert_int_equal(d.kind, DRAFT_RESUELTA);
	assert_int_equal(checks(f, HEALTH_UP, 5, INCIDENT_NONE), 5);
}

static void flapping_marks_the_service_unstable_and_out_of_it(void **state)
{
	struct fixture *f = *state;
	outage(f);
	assert_int_equal(f->last.kind, INCIDENT_OUTAGE);
	outage(f);
	assert_int_equal(f->last.kind, INCIDENT_OUTAGE);
	/* a third failure within the hour after flap_limit (2) incidents */
	time_t third = f->now + 2 * 60;
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_MARKED_UNSTABLE), 1);
	assert_int_equal(f->last.kind, INCIDENT_UNSTABLE);
	assert_int_equal(f->last.opened_at, third);
	assert_int_equal(drafts_of_kind(f, DRAFT_INESTABLE), 1);
	/* no alerts, no reminders while unstable, whatever it does */
	assert_int_equal(checks(f, HEALTH_DOWN, 40, INCIDENT_NONE), 40);
	assert_int_equal(checks(f, HEALTH_UP, 1, INCIDENT_NONE), 1);
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_NONE), 3);
	assert_int_equal(drafts_of_kind(f, DRAFT_ALERTA), 2);
	assert_int_equal(drafts_of_kind(f, DRAFT_ACTUALIZACION), 0);
	/* resolved once up for INCIDENT_STABLE_SECONDS, from the first good check */
	time_t back = f->now;
	assert_int_equal(checks(f, HEALTH_UP, 15, INCIDENT_NONE), 15);
	assert_int_equal(check(f, HEALTH_UP), INCIDENT_RESOLVED);
	assert_int_equal(f->last.kind, INCIDENT_UNSTABLE);
	assert_int_equal(f->last.resolved_at, back);
	assert_int_equal(open_incidents(f), 0);
	/* an hour after the flapping, a failure is an outage again */
	f->now += INCIDENT_FLAP_WINDOW;
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
	assert_int_equal(f->last.kind, INCIDENT_OUTAGE);
}

static void fewer_incidents_than_flap_limit_are_not_flapping(void **state)
{
	struct fixture *f = *state;
	f->svc.flap_limit = 3;
	outage(f);
	outage(f);
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
	assert_int_equal(f->last.kind, INCIDENT_OUTAGE);
}

/* An approved (or merely pending) maintenance notice for the service. */
static void window(struct fixture *f, time_t from, time_t until, bool approve)
{
	static const char *const posts[] = {"Mantenimiento de la Sede Electrónica."};
	static const int lengths[] = {37};
	const struct draft_spec spec = {
		.kind = DRAFT_MANTENIMIENTO,
		.title = "Mantenimiento: Sede Electrónica",
		.posts = posts,
		.lengths = lengths,
		.post_count = 1,
	};
	char uuid[37];
	ok(f, store_begin(f->store, &f->err));
	ok(f, draft_create(f->store, &spec, &f->actor, approve, uuid, &f->err));
	ok(f, incident_maintenance_put(f->store, uuid, f->svc.id, from, until, &f->err));
	ok(f, store_commit(f->store, &f->err));
}

static void no_incident_inside_a_window_and_its_grace(void **state)
{
	struct fixture *f = *state;
	window(f, T0 + 10 * 60, T0 + 40 * 60, true);
	/* failing before the window starts: an incident would open, so fail only inside */
	f->now = T0 + 10 * 60;
	assert_int_equal(checks(f, HEALTH_DOWN, 30, INCIDENT_IN_MAINTENANCE), 28);
	assert_int_equal(f->now, T0 + 40 * 60);
	/* the window is over, its grace (10 min) is not */
	assert_int_equal(checks(f, HEALTH_DOWN, 10, INCIDENT_IN_MAINTENANCE), 10);
	assert_int_equal(open_incidents(f), 0);
	assert_int_equal(f->now, T0 + 50 * 60);
	assert_int_equal(check(f, HEALTH_DOWN), INCIDENT_OPENED);
	assert_int_equal(drafts_of_kind(f, DRAFT_ALERTA), 1);
}

static void a_window_not_approved_holds_nothing_back(void **state)
{
	struct fixture *f = *state;
	window(f, T0, T0 + 60 * 60, false);
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
}

/* How many posts a maintenance tick at `at` drafts. */
static int tick(struct fixture *f, time_t at)
{
	f->now = at;
	const struct incident_context ctx = context(f);
	int drafted;
	ok(f, incident_maintenance_tick(&ctx, &drafted, &f->err));
	return drafted;
}

static void maintenance_tick_drafts_start_and_end_of_approved_windows(void **state)
{
	struct fixture *f = *state;
	window(f, T0 + 10 * 60, T0 + 40 * 60, true);
	window(f, T0 + 10 * 60, T0 + 40 * 60, false);
	assert_int_equal(tick(f, T0), 0);
	assert_int_equal(tick(f, T0 + 15 * 60), 1);
	assert_int_equal(tick(f, T0 + 16 * 60), 0);
	assert_int_equal(tick(f, T0 + 40 * 60), 1);
	assert_int_equal(tick(f, T0 + 41 * 60), 0);
	assert_int_equal(drafts_of_kind(f, DRAFT_MANTENIMIENTO_INICIO), 1);
	assert_int_equal(drafts_of_kind(f, DRAFT_MANTENIMIENTO_FIN), 1);
}

static void degraded_is_announced_after_failures_to_open_degraded_checks(void **state)
{
	struct fixture *f = *state;
	f->svc.announce_degraded = true;
	assert_int_equal(checks(f, HEALTH_DEGRADED, 2, INCIDENT_NONE), 2);
	assert_int_equal(check(f, HEALTH_UP), INCIDENT_NONE);
	/* the good check breaks the run: three degraded ones in a row are needed */
	assert_int_equal(checks(f, HEALTH_DEGRADED, 2, INCIDENT_NONE), 2);
	assert_int_equal(check(f, HEALTH_DEGRADED), INCIDENT_OPENED);
	assert_int_equal(f->last.kind, INCIDENT_DEGRADED);
	assert_int_equal(check(f, HEALTH_UP), INCIDENT_RESOLVED);
}

static void manual_incident_on_a_monitored_service_is_left_to_staff(void **state)
{
	struct fixture *f = *state;
	struct incident manual;
	struct incident_context ctx = context(f);
	ok(f, store_begin(f->store, &f->err));
	ok(f, incident_open_manual(&ctx, "sede", "Revisamos el acceso con certificado.", "identificado",
				   &manual, &f->err));
	ok(f, store_commit(f->store, &f->err));
	assert_int_equal(manual.kind, INCIDENT_MANUAL);
	assert_string_equal(manual.service, "sede");
	assert_string_equal(manual.scope, "Sede Electrónica");
	assert_int_equal(manual.status, INCIDENT_IDENTIFICADO);
	/* a second one on the same service is refused, naming the first */
	struct incident other;
	assert_int_equal(incident_open_manual(&ctx, "sede", "Otra vez.", NULL, &other, &f->err), II_EDATA);
	unit_assert_contains(f->err.detail, manual.uuid);
	/* the monitor neither opens another, nor reminds, nor resolves it */
	assert_int_equal(checks(f, HEALTH_DOWN, 60, INCIDENT_NONE), 60);
	assert_int_equal(checks(f, HEALTH_UP, 5, INCIDENT_NONE), 5);
	assert_int_equal(open_incidents(f), 1);
	assert_string_equal(f->last.uuid, manual.uuid);
	assert_int_equal(drafts_of_kind(f, DRAFT_ALERTA), 0);
	/* staff update and resolve it; "resuelto" is not an update */
	ctx = context(f);
	assert_int_equal(incident_update_manual(&ctx, manual.uuid, "Ya está.", "resuelto", &other, &f->err),
			 II_EDATA);
	unit_assert_contains(f->err.detail, "incident resolve");
	ok(f, store_begin(f->store, &f->err));
	ok(f, incident_update_manual(&ctx, manual.uuid, "Seguimos.", "en seguimiento", &other, &f->err));
	assert_int_equal(other.status, INCIDENT_EN_SEGUIMIENTO);
	ok(f, incident_resolve_manual(&ctx, manual.uuid, NULL, &other, &f->err));
	ok(f, store_commit(f->store, &f->err));
	assert_int_equal(open_incidents(f), 0);
	assert_int_equal(drafts_of_kind(f, DRAFT_INCIDENCIA), 3);
	/* once it is resolved, the monitor is in charge again */
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
	assert_int_equal(f->last.kind, INCIDENT_OUTAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(confirmed_down_opens_one_incident_from_the_first_failed_check),
		UNIT_TEST(open_incident_is_reminded_every_remind_minutes),
		UNIT_TEST(no_reminders_when_remind_minutes_is_zero),
		UNIT_TEST(up_again_resolves_at_the_first_good_check),
		UNIT_TEST(flapping_marks_the_service_unstable_and_out_of_it),
		UNIT_TEST(fewer_incidents_than_flap_limit_are_not_flapping),
		UNIT_TEST(no_incident_inside_a_window_and_its_grace),
		UNIT_TEST(a_window_not_approved_holds_nothing_back),
		UNIT_TEST(maintenance_tick_drafts_start_and_end_of_approved_windows),
		UNIT_TEST(degraded_is_announced_after_failures_to_open_degraded_checks),
		UNIT_TEST(manual_incident_on_a_monitored_service_is_left_to_staff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
