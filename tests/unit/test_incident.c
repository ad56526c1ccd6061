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
		.in_sentence = "la Sede Electrónica",
		.alternative = "",
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
	f->actor = (struct draft_actor){.name = DRAFT_SYSTEM_NAME, .os_user = "cron", .at = T0};
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
	const struct store_service st = {.health = f->health, .last_check = f->now, .last_result = result};
	ok(f, store_service_put(f->store, f->svc.id, &st, &f->err));
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

/* Draft uuid went out, as the publish step of a run sends a draft before the next check. */
static void sent(struct fixture *f, const char *uuid)
{
	ok(f, store_begin(f->store, &f->err));
	ok(f, draft_published(f->store, uuid, &f->actor, &f->err));
	ok(f, store_commit(f->store, &f->err));
}

static size_t open_incidents(struct fixture *f)
{
	struct incident *list;
	size_t count;
	ok(f, incident_list(f->store, false, &list, &count, &f->err));
	free(list);
	return count;
}

/* The first post of the nth (from 1) draft of kind, oldest first; the caller frees it. */
static char *text_of(struct fixture *f, enum draft_kind kind, int nth)
{
	struct draft *list;
	size_t count;
	char *text = NULL;
	ok(f, draft_list(f->store, true, &list, &count, &f->err));
	for (size_t i = 0; i < count && !text; i++) {
		if (list[i].kind != kind || --nth > 0)
			continue;
		struct draft_post *posts;
		size_t n;
		ok(f, draft_posts(f->store, list[i].uuid, "x", &posts, &n, &f->err));
		text = strdup(posts[0].text);
		draft_posts_free(posts, n);
	}
	free(list);
	if (!text)
		fail_msg("no draft of kind %d number %d", kind, nth);
	return text;
}

static void assert_text(struct fixture *f, enum draft_kind kind, int nth, const char *part)
{
	char *text = text_of(f, kind, nth);
	unit_assert_contains(text, part);
	free(text);
}

/* Every post of every draft, each once: how many texts repeat an earlier one. */
static size_t repeated_texts(struct fixture *f)
{
	struct draft *list;
	size_t count, repeated = 0, seen_count = 0;
	char **seen = NULL;
	ok(f, draft_list(f->store, true, &list, &count, &f->err));
	for (size_t i = 0; i < count; i++) {
		struct draft_post *posts;
		size_t n;
		ok(f, draft_posts(f->store, list[i].uuid, "x", &posts, &n, &f->err));
		seen = realloc(seen, (seen_count + n) * sizeof *seen);
		assert_non_null(seen);
		for (size_t p = 0; p < n; p++) {
			for (size_t j = 0; j < seen_count; j++)
				if (!strcmp(seen[j], posts[p].text)) {
					print_message("repeated: %s\n", posts[p].text);
					repeated++;
				}
			seen[seen_count++] = strdup(posts[p].text);
		}
		draft_posts_free(posts, n);
	}
	for (size_t j = 0; j < seen_count; j++)
		free(seen[j]);
	free(seen);
	free(list);
	return repeated;
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
	char text[64];
	snprintf(text, sizeof text, "Mantenimiento de la Sede Electrónica: %lld.", (long long)from);
	const char *const posts[] = {text};
	const int lengths[] = {(int)strlen(text)};
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
	/* the end is told once a check after it found the service up */
	assert_int_equal(tick(f, T0 + 40 * 60), 0);
	f->now = T0 + 40 * 60;
	check(f, HEALTH_UP);
	assert_int_equal(tick(f, T0 + 41 * 60), 1);
	assert_int_equal(tick(f, T0 + 42 * 60), 0);
	assert_int_equal(drafts_of_kind(f, DRAFT_MANTENIMIENTO_INICIO), 1);
	assert_int_equal(drafts_of_kind(f, DRAFT_MANTENIMIENTO_FIN), 1);
	assert_text(f, DRAFT_MANTENIMIENTO_FIN, 1, "Sede Electrónica ya funciona con normalidad");
}

/* Issue 12, case 5: the clock alone never says that a service works. */
static void a_window_ending_on_a_failing_service_says_it_still_fails(void **state)
{
	struct fixture *f = *state;
	window(f, T0 + 10 * 60, T0 + 40 * 60, true);
	assert_int_equal(tick(f, T0 + 10 * 60), 1);
	checks(f, HEALTH_DOWN, 31, INCIDENT_IN_MAINTENANCE);
	assert_int_equal(f->now, T0 + 41 * 60);
	/* the maintenance tick runs after the check of the same run */
	assert_int_equal(tick(f, T0 + 40 * 60), 1);
	assert_int_equal(drafts_of_kind(f, DRAFT_MANTENIMIENTO_FIN), 1);
	char *end = text_of(f, DRAFT_MANTENIMIENTO_FIN, 1);
	unit_assert_contains(end, "Sede Electrónica todavía no funciona");
	assert_null(strstr(end, "con normalidad"));
	free(end);
	/* still failing: nothing more from the window */
	f->now = T0 + 41 * 60;
	check(f, HEALTH_DOWN);
	assert_int_equal(tick(f, T0 + 41 * 60), 0);
	/* a good check after it: now it may be said */
	f->now = T0 + 42 * 60;
	check(f, HEALTH_UP);
	assert_int_equal(tick(f, T0 + 42 * 60), 1);
	assert_text(f, DRAFT_MANTENIMIENTO_FIN, 2, "Sede Electrónica ya funciona con normalidad");
	assert_int_equal(tick(f, T0 + 43 * 60), 0);
	assert_int_equal(open_incidents(f), 0);
}

static void a_window_overrun_by_an_outage_leaves_it_to_the_incident(void **state)
{
	struct fixture *f = *state;
	window(f, T0 + 10 * 60, T0 + 40 * 60, true);
	assert_int_equal(tick(f, T0 + 10 * 60), 1);
	checks(f, HEALTH_DOWN, 31, INCIDENT_IN_MAINTENANCE);
	assert_int_equal(tick(f, T0 + 40 * 60), 1);
	/* past the grace: the usual incident, and the window says nothing more */
	f->now = T0 + 50 * 60;
	assert_int_equal(check(f, HEALTH_DOWN), INCIDENT_OPENED);
	assert_int_equal(tick(f, T0 + 50 * 60), 0);
	f->now = T0 + 51 * 60;
	checks(f, HEALTH_UP, 2, INCIDENT_RESOLVED);
	assert_int_equal(tick(f, T0 + 53 * 60), 0);
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
	/* the monitor neither reminds nor resolves it */
	assert_int_equal(checks(f, HEALTH_UP, 5, INCIDENT_NONE), 5);
	assert_int_equal(open_incidents(f), 1);
	assert_string_equal(f->last.uuid, "");
	/* staff update and resolve it; "resuelto" is not an update */
	ctx = context(f);
	assert_int_equal(incident_update_manual(&ctx, manual.uuid, "Ya está.", "resuelto", &other, &f->err),
			 II_EDATA);
	unit_assert_contains(f->err.detail, "incident resolve");
	ok(f, store_begin(f->store, &f->err));
	ok(f, incident_update_manual(&ctx, manual.uuid, "Seguimos.", "en seguimiento", &other, &f->err));
	assert_int_equal(other.status, INCIDENT_EN_SEGUIMIENTO);
	ok(f, incident_resolve_manual(&ctx, manual.uuid, "Ya puedes entrar con certificado.", &other,
				      &f->err));
	ok(f, store_commit(f->store, &f->err));
	assert_int_equal(open_incidents(f), 0);
	assert_int_equal(drafts_of_kind(f, DRAFT_INCIDENCIA), 3);
	/* staff's words under a heading, each kind with its emoji, no status in brackets */
	assert_text(f, DRAFT_INCIDENCIA, 1,
		    "ℹ️ Sede Electrónica: Revisamos el acceso con certificado. #SeguridadSocial");
	assert_text(f, DRAFT_INCIDENCIA, 2, "ℹ️ Sede Electrónica: Seguimos.");
	assert_text(f, DRAFT_INCIDENCIA, 3, "✅ Sede Electrónica: Ya puedes entrar con certificado.");
	/* once it is resolved, the monitor is in charge again */
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
	assert_int_equal(f->last.kind, INCIDENT_OUTAGE);
}

/* Issue 12, case 7: a run that saw the service answer says nothing about it still failing. */
static void no_update_from_a_run_that_saw_the_service_recover(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
	/* opened at T0 + 2 min; the update is due at + 32 min, when a good check comes */
	assert_int_equal(checks(f, HEALTH_DOWN, 29, INCIDENT_REMINDED), 0);
	assert_int_equal(f->now, T0 + 32 * 60);
	assert_int_equal(check(f, HEALTH_UP), INCIDENT_NONE);
	assert_int_equal(check(f, HEALTH_UP), INCIDENT_RESOLVED);
	assert_int_equal(drafts_of_kind(f, DRAFT_ACTUALIZACION), 0);
	/* nor while recovering and failing again between good checks: up, down, up */
	f->svc.successes_to_resolve = 3;
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
	assert_int_equal(checks(f, HEALTH_DOWN, 29, INCIDENT_REMINDED), 0);
	assert_int_equal(checks(f, HEALTH_UP, 2, INCIDENT_NONE), 2);
	/* failing again after the good ones: it is news once more */
	assert_int_equal(check(f, HEALTH_DOWN), INCIDENT_REMINDED);
	assert_int_equal(drafts_of_kind(f, DRAFT_ACTUALIZACION), 1);
}

/* Issue 12, case 8: a moment that is not today's names its day. */
static void an_alert_after_midnight_names_yesterday(void **state)
{
	struct fixture *f = *state;
	f->svc.remind_minutes = 30;
	const time_t midnight = T0 + 8 * 3600; /* T0 is 16:00 */
	f->now = midnight - 2 * 60;
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
	assert_text(f, DRAFT_ALERTA, 1, "no funciona desde ayer a las 23:58.");
	assert_int_equal(checks(f, HEALTH_DOWN, 30, INCIDENT_REMINDED), 1);
	assert_text(f, DRAFT_ACTUALIZACION, 1, "sigue sin funcionar desde ayer a las 23:58, hace 32 minutos.");
	/* a day later the start has a date */
	f->now = midnight + 86400 + 3 * 3600;
	assert_int_equal(check(f, HEALTH_DOWN), INCIDENT_REMINDED);
	assert_text(f, DRAFT_ACTUALIZACION, 2,
		    "desde el 24 de noviembre a las 23:58, hace 1 día y 3 horas.");
	assert_int_equal(checks(f, HEALTH_UP, 2, INCIDENT_RESOLVED), 1);
	assert_text(f, DRAFT_RESUELTA, 1, "vuelve a funcionar con normalidad desde las 3:01.");
}

/* Issue 12, case 1: no machine-written post repeats an earlier one, so that X never
 * refuses one as a duplicate. */
static void machine_posts_never_repeat_an_earlier_text(void **state)
{
	struct fixture *f = *state;
	f->svc.remind_minutes = 0;
	/* two outages of the same service from 10:00 to 10:05, on two days */
	const time_t ten = T0 + 18 * 3600; /* 10:00 the next day */
	for (int day = 0; day < 3; day++) {
		f->now = ten + day * 86400;
		assert_int_equal(checks(f, HEALTH_DOWN, 5, INCIDENT_OPENED), 1);
		assert_int_equal(checks(f, HEALTH_UP, 2, INCIDENT_RESOLVED), 1);
	}
	assert_text(f, DRAFT_ALERTA, 1, "no funciona desde las 10:00. ");
	assert_text(f, DRAFT_ALERTA, 2, "no funciona desde el 26 de noviembre a las 10:00. ");
	assert_text(f, DRAFT_RESUELTA, 2, "desde el 26 de noviembre a las 10:05.");
	/* posts with no moment of their own: two windows ending well, manual resolutions */
	for (int day = 0; day < 2; day++) {
		time_t from = ten + (3 + day) * 86400;
		window(f, from, from + 3600, true);
		assert_int_equal(tick(f, from), 1);
		f->now = from + 3600;
		check(f, HEALTH_UP);
		assert_int_equal(tick(f, from + 3600), 1);
	}
	for (int i = 0; i < 3; i++) {
		struct incident manual;
		struct incident_context ctx = context(f);
		ok(f, store_begin(f->store, &f->err));
		ok(f, incident_open_manual(&ctx, "Oficinas de Madrid", "Cerradas por una avería.", NULL,
					   &manual, &f->err));
		ok(f, incident_resolve_manual(&ctx, manual.uuid, "Vuelven a abrir.", &manual, &f->err));
		ok(f, store_commit(f->store, &f->err));
	}
	assert_int_equal(repeated_texts(f), 0);
	assert_text(f, DRAFT_INCIDENCIA, 6, "\n\nActualizado el ");
}

/* Issue 12, case 9: an outage confirmed during a manual incident is the monitor's own
 * incident, posted in the manual one's thread, which stays staff's. */
static void an_outage_during_a_manual_incident_is_announced_in_its_thread(void **state)
{
	struct fixture *f = *state;
	struct incident manual, now_manual;
	struct incident_context ctx = context(f);
	ok(f, store_begin(f->store, &f->err));
	ok(f, incident_open_manual(&ctx, "sede", "Algunos usuarios no pueden firmar con Cl@ve.", NULL,
				   &manual, &f->err));
	ok(f, store_commit(f->store, &f->err));
	f->now = T0 + 600;
	const time_t first_failure = f->now;
	assert_int_equal(checks(f, HEALTH_DOWN, 3, INCIDENT_OPENED), 1);
	assert_int_equal(f->last.kind, INCIDENT_OUTAGE);
	assert_int_equal(f->last.opened_at, first_failure);
	assert_int_equal(open_incidents(f), 2);
	struct draft alert;
	ok(f, draft_find(f->store, f->last.last_draft, &alert, &f->err));
	assert_int_equal(alert.kind, DRAFT_ALERTA);
	assert_string_equal(alert.reply_to, manual.last_draft);
	/* the manual incident's first post carried the hashtag; the alert answering it does not */
	assert_text(f, DRAFT_INCIDENCIA, 1, "#SeguridadSocial");
	char *text = text_of(f, DRAFT_ALERTA, 1);
	unit_assert_contains(text, "no funciona desde");
	assert_null(strstr(text, "#SeguridadSocial"));
	free(text);
	/* the alert goes out before staff write again (one nobody saw would be superseded) */
	sent(f, alert.uuid);
	/* staff's update answers the alert: one thread */
	ctx = context(f);
	ok(f, store_begin(f->store, &f->err));
	ok(f, incident_update_manual(&ctx, manual.uuid, "Seguimos.", NULL, &now_manual, &f->err));
	ok(f, store_commit(f->store, &f->err));
	struct draft update;
	ok(f, draft_find(f->store, now_manual.last_draft, &update, &f->err));
	assert_string_equal(update.reply_to, alert.uuid);
	sent(f, update.uuid);
	const struct incident outage = f->last;
	const time_t back = f->now;
	assert_int_equal(checks(f, HEALTH_UP, 2, INCIDENT_RESOLVED), 1);
	assert_string_equal(f->last.uuid, outage.uuid);
	assert_int_equal(f->last.opened_at, first_failure);
	assert_int_equal(f->last.resolved_at, back);
	struct draft resolution;
	ok(f, draft_find(f->store, f->last.last_draft, &resolution, &f->err));
	assert_string_equal(resolution.reply_to, update.uuid);
	/* the manual one stays open until staff resolve it */
	assert_int_equal(open_incidents(f), 1);
	bool found;
	ok(f, incident_get(f->store, manual.uuid, &now_manual, &found, &f->err));
	assert_int_equal(now_manual.resolved_at, 0);
	assert_string_equal(now_manual.last_draft, resolution.uuid);
}

/* Issue 14, item 6: only staff know what works again (an office, a phone line), so a
 * manual resolution says it in their words, never a default "Todo funciona". */
static void a_manual_resolution_needs_staffs_words(void **state)
{
	struct fixture *f = *state;
	struct incident manual;
	struct incident_context ctx = context(f);
	ok(f, store_begin(f->store, &f->err));
	ok(f, incident_open_manual(&ctx, "sede", "Revisamos el acceso.", NULL, &manual, &f->err));
	ok(f, store_commit(f->store, &f->err));
	const char *none[] = {NULL, ""};
	for (size_t i = 0; i < 2; i++) {
		ok(f, store_begin(f->store, &f->err));
		assert_int_equal(incident_resolve_manual(&ctx, manual.uuid, none[i], &manual, &f->err),
				 II_EDATA);
		unit_assert_contains(f->err.detail, "needs a message");
		store_rollback(f->store);
	}
	assert_int_equal(drafts_of_kind(f, DRAFT_INCIDENCIA), 1);
	assert_int_equal(open_incidents(f), 1);
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
		UNIT_TEST(a_window_ending_on_a_failing_service_says_it_still_fails),
		UNIT_TEST(a_window_overrun_by_an_outage_leaves_it_to_the_incident),
		UNIT_TEST(no_update_from_a_run_that_saw_the_service_recover),
		UNIT_TEST(an_alert_after_midnight_names_yesterday),
		UNIT_TEST(machine_posts_never_repeat_an_earlier_text),
		UNIT_TEST(an_outage_during_a_manual_incident_is_announced_in_its_thread),
		UNIT_TEST(a_manual_resolution_needs_staffs_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
