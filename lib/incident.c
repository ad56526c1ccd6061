#include "i18n.h"
#include "notify.h"
#include "incident.h"
#include "cut.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "spanish.h"
#include "store_sql.h"
#include "thread.h"

static const char *const kind_names[] = {
	[INCIDENT_OUTAGE] = "outage",
	[INCIDENT_DEGRADED] = "degraded",
	[INCIDENT_UNSTABLE] = "unstable",
	[INCIDENT_MANUAL] = "manual",
};

static const char *const status_names[] = {
	[INCIDENT_INVESTIGANDO] = "investigando",
	[INCIDENT_IDENTIFICADO] = "identificado",
	[INCIDENT_EN_SEGUIMIENTO] = "en seguimiento",
	[INCIDENT_RESUELTO] = "resuelto",
};

const char *incident_kind_name(enum incident_kind kind)
{
	return kind_names[kind];
}

const char *incident_kind_label(enum incident_kind kind)
{
	static const char *const labels[] = {
		[INCIDENT_OUTAGE] = N_("outage"),
		[INCIDENT_DEGRADED] = N_("degraded"),
		[INCIDENT_UNSTABLE] = N_("unstable"),
		[INCIDENT_MANUAL] = N_("manual"),
	};
	return _(labels[kind]);
}

const char *incident_status_name(enum incident_status status)
{
	return status_names[status];
}

bool incident_status_parse(const char *name, enum incident_status *out)
{
	for (size_t i = 0; i < sizeof status_names / sizeof *status_names; i++)
		if (!strcmp(name, status_names[i])) {
			*out = (enum incident_status)i;
			return true;
		}
	return false;
}

static enum incident_kind kind_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
		if (name && !strcmp(name, kind_names[i]))
			return (enum incident_kind)i;
	return INCIDENT_OUTAGE;
}

#define INCIDENT_COLUMNS                                                                   \
	"SELECT uuid, kind, service, coalesce(scope, service), status, opened_at,"       \
	" resolved_at, last_post_at, last_draft, cause, held FROM incident "

static void read_incident(sqlite3_stmt *stmt, void *record)
{
	struct incident *i = record;
	store_copy_text(i->uuid, sizeof i->uuid, stmt, 0);
	i->kind = kind_from_name((const char *)sqlite3_column_text(stmt, 1));
	store_copy_text(i->service, sizeof i->service, stmt, 2);
	store_copy_text(i->scope, sizeof i->scope, stmt, 3);
	const char *status = (const char *)sqlite3_column_text(stmt, 4);
	i->status = INCIDENT_INVESTIGANDO;
	if (status)
		incident_status_parse(status, &i->status);
	i->opened_at = (time_t)sqlite3_column_int64(stmt, 5);
	i->resolved_at = (time_t)sqlite3_column_int64(stmt, 6);
	i->last_post_at = (time_t)sqlite3_column_int64(stmt, 7);
	store_copy_text(i->last_draft, sizeof i->last_draft, stmt, 8);
	store_copy_text(i->cause, sizeof i->cause, stmt, 9);
	i->held = sqlite3_column_int(stmt, 10) != 0;
}

/* The service's open incident that the monitor (manual false) or staff (true) opened. */
static ii_err open_incident_of(struct store *s, const char *service, bool manual,
			       struct incident *out, bool *found, struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	return store_query_one(s,
			       manual ? INCIDENT_COLUMNS "WHERE service = ? AND resolved_at IS NULL AND kind = 'manual'"
				      : INCIDENT_COLUMNS "WHERE service = ? AND resolved_at IS NULL AND kind <> 'manual'",
			       service, read_incident, out, found, N_("read an incident"), e);
}

static ii_err insert(const struct incident_context *ctx, struct incident *inc,
		     struct ii_error *e)
{
	store_new_uuid(inc->uuid);
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(ctx->store,
				  "INSERT INTO incident (uuid, kind, service, scope, status, opened_at, cause)"
				  " VALUES (?,?,?,?,?,?,?)",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, inc->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, kind_names[inc->kind], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, inc->service, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, inc->scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, incident_status_name(inc->status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64)inc->opened_at);
	sqlite3_bind_text(stmt, 7, inc->cause, -1, SQLITE_STATIC);
	rc = store_run(ctx->store, stmt, N_("open an incident"), e);
	if (rc == II_OK)
		rc = draft_audit_add(ctx->store, NULL, inc->uuid, "incident opened", ctx->actor,
				     inc->cause[0] ? inc->cause : inc->scope, e);
	return rc;
}

/* Saves the fields that change over an incident's life. */
static ii_err save(struct store *s, const struct incident *inc, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "UPDATE incident SET status = ?, resolved_at = ?, last_post_at = ?,"
				  " last_draft = ?, held = ? WHERE uuid = ?",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, incident_status_name(inc->status), -1, SQLITE_STATIC);
	store_bind_time(stmt, 2, inc->resolved_at);
	store_bind_time(stmt, 3, inc->last_post_at);
	sqlite3_bind_text(stmt, 4, inc->last_draft, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 5, inc->held);
	sqlite3_bind_text(stmt, 6, inc->uuid, -1, SQLITE_STATIC);
	return store_run(s, stmt, N_("update an incident"), e);
}

/* Whether a post of thread repeats the text of a post already drafted. */
static ii_err repeats_a_post(struct store *s, const struct thread *thread, bool *repeats,
			     struct ii_error *e)
{
	*repeats = false;
	for (size_t i = 0; !*repeats && i < thread_count(thread); i++) {
		ii_err rc = draft_text_exists(s, thread_post(thread, i), repeats, e);
		if (rc)
			return rc;
	}
	return II_OK;
}

/*
 * A post about a state that is no longer true is never sent: the drafts of a thread that
 * nobody has seen yet and that its next draft (of kind, ending the thread or not) makes
 * untrue are superseded, walking back from last along the replies: every one but the
 * thread's first, and that one too when the thread ends (a resolution replaces an alert
 * that never went out). Drafts that will never be sent (expired, superseded, rejected)
 * are passed over. answer receives the draft the next one answers: the latest one still
 * in play or published, "" when none is.
 */
static ii_err supersede_stale(const struct incident_context *ctx, const char *last,
			      enum message_kind kind, bool ends, char answer[37], struct ii_error *e)
{
	char why[96];
	snprintf(why, sizeof why, "a later %s of its thread made it untrue",
		 draft_kind_name(messages_draft_kind(kind)));
	snprintf(answer, 37, "%s", last);
	while (*answer) {
		struct draft d;
		bool done = false;
		ii_err rc = draft_find(ctx->store, answer, &d, e);
		if (rc == II_EDATA) {
			answer[0] = '\0';
			return II_OK;
		}
		bool passed = d.status == DRAFT_EXPIRED || d.status == DRAFT_SUPERSEDED ||
			      d.status == DRAFT_REJECTED;
		if (rc == II_OK && !passed && (*d.reply_to || ends))
			rc = draft_supersede(ctx->store, d.uuid, why, ctx->actor, &done, e);
		if (rc || !(passed || done))
			return rc;
		snprintf(answer, 37, "%s", d.reply_to);
	}
	return II_OK;
}

#define WORDING_TRIES 12

ii_err incident_post_render(const struct messages *m, const struct incident_post *post,
			    time_t now, int wording, struct thread **out, struct ii_error *e)
{
	return incident_post_render_for(m, post, now, wording, NULL, out, e);
}

ii_err incident_post_render_for(const struct messages *m, const struct incident_post *post,
				time_t now, int wording, const struct counter *counter,
				struct thread **out, struct ii_error *e)
{
	struct message_values values = post->values;
	struct message_moment_texts texts;
	messages_moments(&post->moments, now, wording > 0, &texts, &values);
	char written[ES_MOMENT_SIZE], note[2 * ES_MOMENT_SIZE];
	if (wording >= 2) {
		es_moment(now, now, true, written);
		if (wording == 2)
			snprintf(note, sizeof note, "Actualizado %s.", written);
		else
			snprintf(note, sizeof note, "Actualizado %s (%d).", written, wording - 1);
		values.nota = note;
	}
	return messages_render_for(m, post->kind, &values, counter, out, e);
}

/* Renders ev as the posts of a thread that repeats no earlier post, since X refuses a
 * repeated text (and a repeat would read as old news): each wording in turn, the one
 * taken into *taken. */
static ii_err render_unique(const struct incident_context *ctx, const struct incident_post *ev,
			    int *taken, struct thread **out, struct ii_error *e)
{
	for (int wording = 0; wording < WORDING_TRIES; wording++) {
		ii_err rc = incident_post_render(ctx->messages, ev, ctx->now, wording, out, e);
		bool repeats = false;
		if (rc == II_OK)
			rc = repeats_a_post(ctx->store, *out, &repeats, e);
		*taken = wording;
		if (rc == II_OK && !repeats)
			return II_OK;
		thread_free(*out);
		*out = NULL;
		if (rc)
			return rc;
	}
	return ii_fail(e, II_EDATA, _("cannot word the '%s' post unlike the earlier posts"),
		       messages_file(ev->kind));
}

/* An incident post in the wording chosen, for cut_make(). */
struct incident_cut {
	const struct incident_context *ctx;
	const struct incident_post *ev;
	int wording;
};

static ii_err cut_incident(void *arg, const struct counter *counter, struct thread **out,
			   struct ii_error *e)
{
	const struct incident_cut *c = arg;
	return incident_post_render_for(c->ctx->messages, c->ev, c->ctx->now, c->wording, counter,
					out, e);
}

/* Renders ev and drafts it as the next part of the thread whose latest draft is last (may
 * be ""), after superseding what it makes untrue; expires_at: when it stops being true by
 * itself (0: never). The status the incident had then (a window's: the maintenance kind's
 * name) goes with it, for the feeds. */
static ii_err draft_thread(const struct incident_context *ctx, const char *scope,
			   const char *incident, const char *last, const struct incident_post *ev,
			   const char *status, bool approve, time_t expires_at, char uuid[37],
			   struct ii_error *e)
{
	enum message_kind kind = ev->kind;
	bool ends = kind == MESSAGE_MAINTENANCE_FINISHED ||
		    !strcmp(status, incident_status_name(INCIDENT_RESUELTO));
	char reply_to[37];
	ii_err rc = supersede_stale(ctx, last, kind, ends, reply_to, e);
	if (rc)
		return rc;
	/* a thread's first post carries its hashtags, an answer to it does not */
	struct incident_post answering = *ev;
	answering.values.in_thread = *reply_to != '\0';
	struct thread *thread;
	struct incident_cut cutting = {ctx, &answering, 0};
	rc = render_unique(ctx, &answering, &cutting.wording, &thread, e);
	if (rc)
		return rc;
	thread_free(thread);
	struct cut cut;
	/* the wording X takes, cut for each channel; an incident's posts have no link to the
	 * whole text, and no single post (lib/cut) */
	if ((rc = cut_make(ctx->cfg, ctx->store, cut_incident, &cutting, NULL, 0, &cut, e)))
		return rc;
	cJSON *meta_object = cJSON_CreateObject();
	char *meta = meta_object &&
				     cJSON_AddStringToObject(meta_object, draft_meta_key_name(DRAFT_META_STATUS), status) &&
				     cJSON_AddStringToObject(meta_object, draft_meta_key_name(DRAFT_META_SCOPE), scope)
			     ? cJSON_PrintUnformatted(meta_object)
			     : NULL;
	cJSON_Delete(meta_object);
	if (!meta) {
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	} else {
		char title[512];
		snprintf(title, sizeof title, "%s: %s", scope, draft_kind_name(messages_draft_kind(kind)));
		struct draft_spec spec = {
			.kind = messages_draft_kind(kind),
			.title = title,
			.incident = incident,
			.reply_to = reply_to,
			.meta = meta,
			.expires_at = expires_at,
		};
		rc = cut_spec(&cut, &spec, e);
		if (rc == II_OK)
			rc = draft_create(ctx->store, &spec, ctx->actor, approve, uuid, e);
		if (rc == II_OK)
			rc = notify_if_waiting(ctx->store, ctx->cfg, uuid, ctx->now, e);
	}
	cJSON_free(meta);
	cut_free(&cut);
	return rc;
}

/*
 * Drafts ev as the incident thread's next part. The incidents of one service open at the
 * same time (a manual one and the monitor's) share one thread: each next part answers
 * the latest, whichever incident it belongs to. The part is true until expires_at (0: for
 * good).
 */
static ii_err draft_next(const struct incident_context *ctx, struct incident *inc,
			 const struct incident_post *ev, time_t expires_at, struct ii_error *e)
{
	char uuid[37];
	ii_err rc = draft_thread(ctx, inc->scope, inc->uuid, inc->last_draft, ev,
				 incident_status_name(inc->status), ctx->cfg->incidents == CONFIG_POLICY_AUTO,
				 expires_at, uuid, e);
	if (rc)
		return rc;
	memcpy(inc->last_draft, uuid, sizeof uuid);
	inc->last_post_at = ctx->now;
	rc = save(ctx->store, inc, e);
	if (rc || !*inc->service)
		return rc;
	return store_run_texts(ctx->store, N_("thread the incidents of a service"), e,
			       "UPDATE incident SET last_draft = ?1 WHERE service = ?2"
			       " AND resolved_at IS NULL AND uuid <> ?3",
			       inc->last_draft, inc->service, inc->uuid, NULL);
}

void incident_post_service(const struct config_service *svc, const struct incident *inc,
			   enum message_kind kind, time_t at, struct incident_post *out)
{
	*out = (struct incident_post){
		.kind = kind,
		.values = {
			.servicio = svc->in_sentence,
			.plural = svc->plural,
			.url = svc->url,
			.ambito = inc->scope,
			.estado = incident_status_name(inc->status),
			.alternativa = svc->alternative,
		},
		.moments = {.hora = at, .desde = inc->opened_at},
	};
}

static ii_err draft_service_event(const struct incident_context *ctx,
				  const struct config_service *svc, struct incident *inc,
				  enum message_kind kind, time_t event, struct ii_error *e)
{
	struct incident_post ev;
	incident_post_service(svc, inc, kind, event, &ev);
	/* "still down after 1 h" is stale once the next reminder is due */
	time_t expires_at = kind == MESSAGE_UPDATE && svc->remind_minutes > 0
				    ? ctx->now + (time_t)svc->remind_minutes * 60
				    : 0;
	return draft_next(ctx, inc, &ev, expires_at, e);
}

static ii_err count_rows(struct store *s, const char *sql, const char *key, time_t t,
			 long long *count, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare_texts(s, sql, &stmt, e, key, NULL);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)t);
	return store_first_int(s, stmt, count, N_("count records"), e);
}

/* Whether the last n checks of the service were all degraded or down. */
static ii_err degraded_for(struct store *s, const struct config_service *svc, long n, bool *yes,
			   struct ii_error *e)
{
	long failing;
	ii_err rc = store_probe_failing(s, svc->id, n, &failing, e);
	*yes = rc == II_OK && failing == n;
	return rc;
}

struct window {
	char draft[37];
	char service[64];
	time_t starts_at, ends_at;
	char last_draft[37];
	bool started, finished;
};

#define WINDOW_COLUMNS                                                                     \
	"SELECT draft, service, starts_at, ends_at, last_draft, started, finished"         \
	" FROM maintenance "

static bool read_window(sqlite3_stmt *stmt, void *record)
{
	struct window *w = record;
	store_copy_text(w->draft, sizeof w->draft, stmt, 0);
	store_copy_text(w->service, sizeof w->service, stmt, 1);
	w->starts_at = (time_t)sqlite3_column_int64(stmt, 2);
	w->ends_at = (time_t)sqlite3_column_int64(stmt, 3);
	store_copy_text(w->last_draft, sizeof w->last_draft, stmt, 4);
	w->started = sqlite3_column_int(stmt, 5);
	w->finished = sqlite3_column_int(stmt, 6);
	return true;
}

/* The windows stmt selects whose notice was approved (and perhaps published already):
 * a pending or rejected announcement holds nothing back. Frees stmt. */
static ii_err approved_windows(struct store *s, sqlite3_stmt *stmt, struct window **out,
			       size_t *count, struct ii_error *e)
{
	size_t n;
	ii_err rc = store_collect(s, stmt, sizeof **out, read_window, NULL, (void **)out, &n,
				  N_("read the maintenance windows"), e);
	*count = 0;
	for (size_t i = 0; rc == II_OK && i < n; i++) {
		struct draft d;
		rc = draft_find(s, (*out)[i].draft, &d, e);
		if (rc == II_OK && (d.status == DRAFT_APPROVED || d.status == DRAFT_PUBLISHED))
			(*out)[(*count)++] = (*out)[i];
	}
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

ii_err incident_in_maintenance(struct store *s, const struct config_service *svc, time_t now,
			       bool *in, struct ii_error *e)
{
	*in = false;
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, WINDOW_COLUMNS "WHERE service = ?1 AND starts_at <= ?2 AND ?2 < ends_at + ?3",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, svc->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)now);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)svc->grace_minutes * 60);
	struct window *windows;
	size_t count;
	rc = approved_windows(s, stmt, &windows, &count, e);
	*in = rc == II_OK && count > 0;
	free(windows);
	return rc;
}

/*
 * A new outage makes untrue every post not yet sent that says the service works: the
 * resolutions of its earlier incidents (the monitor's), their last drafts, and the ends
 * of its maintenance windows told as the service working again. They are superseded, one at a time as each
 * supersession changes what the query finds.
 */
static ii_err supersede_recoveries(const struct incident_context *ctx, const char *service,
				   struct ii_error *e)
{
	for (;;) {
		char uuid[37];
		ii_err rc = draft_unsent_among(
			ctx->store,
			"SELECT last_draft FROM incident WHERE service = ?1 AND kind <> 'manual'"
			" AND resolved_at IS NOT NULL"
			" UNION SELECT last_draft FROM maintenance WHERE service = ?1 AND finished = 1",
			service, uuid, e);
		if (rc || !*uuid)
			return rc;
		bool done = false;
		rc = draft_supersede(ctx->store, uuid, "a later outage of the service made it untrue",
				     ctx->actor, &done, e);
		if (rc || !done)
			return rc;
	}
}

/* Opens the monitor's incident; manual (may be NULL) is staff's open incident on the
 * service, whose thread the alert continues. */
static ii_err open_automatic(const struct incident_context *ctx, const struct config_service *svc,
			     const struct health_state *h, const char *reason,
			     const struct incident *manual, enum incident_event *event,
			     struct incident *inc, struct ii_error *e)
{
	long long flaps = 0;
	ii_err rc = count_rows(ctx->store,
			       "SELECT count(*) FROM incident WHERE service = ? AND opened_at >= ?"
			       " AND kind IN ('outage', 'degraded') AND resolved_at IS NOT NULL",
			       svc->id, ctx->now - INCIDENT_FLAP_WINDOW, &flaps, e);
	if (rc)
		return rc;
	memset(inc, 0, sizeof *inc);
	bool unstable = flaps >= svc->flap_limit;
	inc->kind = unstable ? INCIDENT_UNSTABLE
		    : h->state == HEALTH_DOWN ? INCIDENT_OUTAGE : INCIDENT_DEGRADED;
	snprintf(inc->service, sizeof inc->service, "%s", svc->id);
	snprintf(inc->scope, sizeof inc->scope, "%s", svc->name);
	inc->status = INCIDENT_INVESTIGANDO;
	snprintf(inc->cause, sizeof inc->cause, "%s", reason);
	inc->opened_at = h->state == HEALTH_DOWN && h->since ? h->since : ctx->now;
	if (unstable)
		inc->opened_at = ctx->now;
	if (manual)
		memcpy(inc->last_draft, manual->last_draft, sizeof inc->last_draft);
	rc = supersede_recoveries(ctx, svc->id, e);
	if (rc == II_OK)
		rc = insert(ctx, inc, e);
	if (rc == II_OK)
		rc = draft_service_event(ctx, svc, inc, unstable ? MESSAGE_UNSTABLE : MESSAGE_ALERT,
					 inc->opened_at, e);
	/* staff hear of it first: the public alert waits confirm_minutes for a person to hold
	 * it (incident hold) */
	time_t due = ctx->now + (time_t)ctx->cfg->confirm_minutes * 60;
	if (rc == II_OK && ctx->cfg->confirm_minutes && ctx->cfg->incidents == CONFIG_POLICY_AUTO)
		rc = draft_set_due(ctx->store, inc->last_draft, due, e);
	if (rc == II_OK)
		rc = notify_incident(ctx->store, ctx->cfg, NOTIFY_INCIDENT_CONFIRMED, inc, svc,
				     ctx->cfg->confirm_minutes ? due : 0, ctx->now, e);
	*event = unstable ? INCIDENT_MARKED_UNSTABLE : INCIDENT_OPENED;
	return rc;
}

/*
 * Supersedes every draft of inc's thread that nobody has seen, as a resolution does;
 * *nothing_public says whether nothing of the thread is left in play or published, and
 * then the incident is closed in silence: the public never heard of it. Saves inc.
 */
static ii_err withdraw_unpublished(const struct incident_context *ctx, struct incident *inc,
				   bool *nothing_public, struct ii_error *e)
{
	char answer[37];
	ii_err rc = supersede_stale(ctx, inc->last_draft, MESSAGE_RESOLVED, true, answer, e);
	*nothing_public = rc == II_OK && !*answer;
	if (rc || !*nothing_public)
		return rc;
	inc->held = false;
	return save(ctx->store, inc, e);
}

static ii_err resolve(const struct incident_context *ctx, const struct config_service *svc,
		      struct incident *inc, time_t at, struct ii_error *e)
{
	inc->resolved_at = at;
	inc->status = INCIDENT_RESUELTO;
	bool silent = false;
	ii_err rc = inc->held ? withdraw_unpublished(ctx, inc, &silent, e) : II_OK;
	if (rc == II_OK && !silent)
		rc = draft_service_event(ctx, svc, inc, MESSAGE_RESOLVED, at, e);
	if (rc == II_OK)
		rc = draft_audit_add(ctx->store, NULL, inc->uuid, "incident resolved", ctx->actor,
				     silent ? "held: nothing was published" : NULL, e);
	if (rc == II_OK)
		rc = notify_incident(ctx->store, ctx->cfg, NOTIFY_INCIDENT_RESOLVED, inc, svc, 0, ctx->now, e);
	return rc;
}

ii_err incident_observe(const struct incident_context *ctx, const struct config_service *svc,
			const struct health_state *h, const char *reason,
			enum incident_event *event, struct incident *out, struct ii_error *e)
{
	struct incident inc, manual;
	bool open, manual_open;
	*event = INCIDENT_NONE;
	ii_err rc = open_incident_of(ctx->store, svc->id, false, &inc, &open, e);
	if (rc == II_OK)
		rc = open_incident_of(ctx->store, svc->id, true, &manual, &manual_open, e);
	if (rc)
		return rc;
	bool failing = h->state == HEALTH_DOWN;
	if (!failing && svc->announce_degraded && h->state == HEALTH_DEGRADED &&
	    (rc = degraded_for(ctx->store, svc, svc->failures_to_open, &failing, e)))
		return rc;
	/* this very check failed: a run that saw the service answer again, even once, says
	 * nothing about it still failing */
	bool failing_now = h->failures > 0 || (failing && h->state == HEALTH_DEGRADED);
	time_t back_since = h->first_success ? h->first_success : ctx->now;

	/* a manual incident is staff's: the monitor neither updates nor resolves it, and a
	 * confirmed outage during it is the monitor's own incident, in the same thread */
	if (!open) {
		bool maintenance = false;
		if (failing && (rc = incident_in_maintenance(ctx->store, svc, ctx->now, &maintenance, e)))
			return rc;
		if (failing && maintenance)
			*event = INCIDENT_IN_MAINTENANCE;
		else if (failing)
			rc = open_automatic(ctx, svc, h, reason, manual_open ? &manual : NULL, event,
					    &inc, e);
	} else if (inc.kind == INCIDENT_UNSTABLE) {
		if (h->state == HEALTH_UP && h->successes >= svc->successes_to_resolve &&
		    ctx->now - back_since >= INCIDENT_STABLE_SECONDS) {
			rc = resolve(ctx, svc, &inc, back_since, e);
			*event = INCIDENT_RESOLVED;
		}
	} else if (!failing && h->state != HEALTH_DOWN) {
		rc = resolve(ctx, svc, &inc, back_since, e);
		*event = INCIDENT_RESOLVED;
	} else if (failing_now && svc->remind_minutes > 0 &&
		   ctx->now - inc.last_post_at >= (time_t)svc->remind_minutes * 60) {
		rc = draft_service_event(ctx, svc, &inc, MESSAGE_UPDATE, ctx->now, e);
		*event = INCIDENT_REMINDED;
	}
	if (out)
		*out = inc;
	return rc;
}

ii_err incident_maintenance_put(struct store *s, const char *draft, const char *service,
				time_t starts_at, time_t ends_at, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "INSERT INTO maintenance (draft, service, starts_at, ends_at)"
				  " VALUES (?,?,?,?) ON CONFLICT (draft) DO UPDATE SET"
				  " service = excluded.service, starts_at = excluded.starts_at,"
				  " ends_at = excluded.ends_at",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, draft, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, service, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)starts_at);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)ends_at);
	return store_run(s, stmt, N_("record a maintenance window"), e);
}

/* A window's "finished": its end not posted yet, posted as the service working again,
 * or posted as the service still failing (then "working" follows once a check finds it
 * up, unless the monitor opened an incident about it, whose thread carries on). */
enum { WINDOW_OPEN = 0, WINDOW_CLOSED = 1, WINDOW_OVERRUN = 2 };

static ii_err set_window(struct store *s, const struct window *w, const char *last_draft,
			 int finished, struct ii_error *e)
{
	/* the column's integer affinity stores the digit as a number */
	const char digit[2] = {(char)('0' + finished), '\0'};
	return store_run_texts(s, N_("update a maintenance window"), e,
			       "UPDATE maintenance SET last_draft = ?, started = 1, finished = ? WHERE draft = ?",
			       last_draft, digit, w->draft, NULL);
}

void incident_post_window(const struct config *cfg, const char *service, time_t from,
			  time_t until, enum message_kind kind, struct incident_post *out)
{
	const struct config_service *svc = config_find_service(cfg, service);
	*out = (struct incident_post){
		.kind = kind,
		.values = {
			.servicio = svc ? svc->in_sentence : service,
			.plural = svc && svc->plural,
			.url = svc ? svc->url : NULL,
			.alternativa = svc ? svc->alternative : "",
		},
		.moments = {.hora = from, .desde = from, .hasta = until},
	};
}

static ii_err draft_window_event(const struct incident_context *ctx, struct window *w,
				 enum message_kind kind, int finished, struct ii_error *e)
{
	struct incident_post ev;
	incident_post_window(ctx->cfg, w->service, w->starts_at, w->ends_at, kind, &ev);
	/* a window's posts are a thread of their own, under the notice that announced it;
	 * the window was approved, so its own announcements need no second approval */
	const struct config_service *svc = config_find_service(ctx->cfg, w->service);
	char uuid[37];
	ii_err rc = draft_thread(ctx, svc ? svc->name : w->service, NULL,
				 w->last_draft[0] ? w->last_draft : w->draft, &ev,
				 draft_kind_name(DRAFT_MANTENIMIENTO), true,
				 kind == MESSAGE_MAINTENANCE_STARTED ? w->ends_at : 0, uuid, e);
	return rc ? rc : set_window(ctx->store, w, uuid, finished, e);
}

/* The end of a window is told only from a check of the service made after it: the
 * clock alone never says that a service works. */
static ii_err finish_window(const struct incident_context *ctx, struct window *w, int *drafted,
			    struct ii_error *e)
{
	struct store_service st;
	bool known;
	ii_err rc = store_service_get(ctx->store, w->service, &st, &known, e);
	if (rc || !known || st.last_check < w->ends_at)
		return rc;
	if (st.last_result == HEALTH_UP) {
		++*drafted;
		return draft_window_event(ctx, w, MESSAGE_MAINTENANCE_FINISHED, WINDOW_CLOSED, e);
	}
	if (!w->finished) {
		++*drafted;
		return draft_window_event(ctx, w, MESSAGE_MAINTENANCE_UNAVAILABLE, WINDOW_OVERRUN, e);
	}
	struct incident inc;
	bool open;
	rc = open_incident_of(ctx->store, w->service, false, &inc, &open, e);
	return rc || !open ? rc : set_window(ctx->store, w, w->last_draft, WINDOW_CLOSED, e);
}

ii_err incident_maintenance_tick(const struct incident_context *ctx, int *drafted,
				 struct ii_error *e)
{
	*drafted = 0;
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(ctx->store, WINDOW_COLUMNS "WHERE finished <> 1 AND starts_at <= ? ORDER BY starts_at",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)ctx->now);
	struct window *due;
	size_t count;
	if ((rc = approved_windows(ctx->store, stmt, &due, &count, e)))
		return rc;
	if (count > 16)
		count = 16;
	/* at most 16 windows a run: the rest are due again on the next one */
	for (size_t i = 0; rc == II_OK && i < count; i++) {
		struct window *w = &due[i];
		if (!w->started && ctx->now < w->ends_at) {
			rc = draft_window_event(ctx, w, MESSAGE_MAINTENANCE_STARTED, WINDOW_OPEN, e);
			++*drafted;
		} else if (ctx->now >= w->ends_at) {
			rc = finish_window(ctx, w, drafted, e);
		}
	}
	free(due);
	return rc;
}

static ii_err refuse_if_open(struct store *s, const char *service, struct ii_error *e)
{
	struct incident existing;
	bool found;
	ii_err rc = open_incident_of(s, service, true, &existing, &found, e);
	if (rc == II_OK && !found)
		rc = open_incident_of(s, service, false, &existing, &found, e);
	if (rc == II_OK && found)
		rc = ii_fail(e, II_EDATA, _("service '%s' already has an open incident: %s"), service,
			     existing.uuid);
	return rc;
}

/* The status staff give an incident that stays open: name (NULL: *out unchanged). */
static ii_err open_status(const char *name, enum incident_status *out, const char *hint,
			  struct ii_error *e)
{
	enum incident_status status = *out;
	if (name && (!incident_status_parse(name, &status) || status == INCIDENT_RESUELTO))
		return ii_fail(e, II_EDATA,
			       _("invalid status '%s': expected investigando, identificado or en seguimiento%s"),
			       name, hint);
	*out = status;
	return II_OK;
}

/* A manual incident's record before it is inserted. */
static ii_err prepare_manual(const struct incident_context *ctx, const char *scope,
			     enum incident_status status, struct incident *inc, struct ii_error *e)
{
	memset(inc, 0, sizeof *inc);
	inc->status = INCIDENT_INVESTIGANDO;
	ii_err rc = open_status(incident_status_name(status), &inc->status, "", e);
	if (rc)
		return rc;
	if (!*scope)
		return ii_fail(e, II_EDATA, _("an incident needs a scope: a service id or a text"));
	const struct config_service *svc = config_find_service(ctx->cfg, scope);
	if (svc) {
		rc = refuse_if_open(ctx->store, svc->id, e);
		if (rc)
			return rc;
		snprintf(inc->service, sizeof inc->service, "%s", svc->id);
	}
	inc->kind = INCIDENT_MANUAL;
	snprintf(inc->scope, sizeof inc->scope, "%s", svc ? svc->name : scope);
	inc->opened_at = ctx->now;
	return II_OK;
}

void incident_post_manual(const struct incident *inc, enum message_kind kind,
			  const char *message, time_t at, struct incident_post *out)
{
	*out = (struct incident_post){
		.kind = kind,
		.values = {
			.servicio = inc->scope,
			.ambito = inc->scope,
			.estado = incident_status_name(inc->status),
			.mensaje = message,
			.alternativa = "",
		},
		.moments = {.hora = at},
	};
}

static ii_err draft_manual(const struct incident_context *ctx, struct incident *inc,
			   enum message_kind kind, const char *message, struct ii_error *e)
{
	struct incident_post ev;
	incident_post_manual(inc, kind, message, ctx->now, &ev);
	return draft_next(ctx, inc, &ev, 0, e);
}

ii_err incident_open_manual(const struct incident_context *ctx, const char *scope,
			    const char *message, const char *status, struct incident *out,
			    struct ii_error *e)
{
	enum incident_status parsed = INCIDENT_INVESTIGANDO;
	ii_err rc = open_status(status, &parsed, "", e);
	if (rc == II_OK)
		rc = prepare_manual(ctx, scope, parsed, out, e);
	if (rc == II_OK)
		rc = insert(ctx, out, e);
	if (rc == II_OK)
		rc = draft_manual(ctx, out, MESSAGE_MANUAL, message, e);
	return rc;
}

ii_err incident_open_for_draft(const struct incident_context *ctx, const char *scope,
			       enum incident_status status, const char *draft, struct incident *out,
			       struct ii_error *e)
{
	ii_err rc = prepare_manual(ctx, scope, status, out, e);
	if (rc == II_OK)
		rc = insert(ctx, out, e);
	if (rc)
		return rc;
	snprintf(out->last_draft, sizeof out->last_draft, "%s", draft);
	out->last_post_at = ctx->now;
	rc = save(ctx->store, out, e);
	if (rc == II_OK)
		rc = draft_set_incident(ctx->store, draft, out->uuid, e);
	return rc;
}

static ii_err find_open_manual(const struct incident_context *ctx, const char *id,
			       struct incident *out, struct ii_error *e)
{
	ii_err rc = incident_find(ctx->store, id, out, e);
	if (rc)
		return rc;
	if (out->resolved_at)
		return ii_fail(e, II_EDATA, _("incident %.8s is already resolved"), out->uuid);
	if (out->kind != INCIDENT_MANUAL)
		return ii_fail(e, II_EDATA,
			       _("incident %.8s was opened by the monitor, which updates and resolves it"),
			       out->uuid);
	return II_OK;
}

ii_err incident_update_manual(const struct incident_context *ctx, const char *id,
			      const char *message, const char *status, struct incident *out,
			      struct ii_error *e)
{
	ii_err rc = find_open_manual(ctx, id, out, e);
	if (rc)
		return rc;
	if ((rc = open_status(status, &out->status, _(" (resolve with 'incident resolve')"), e)))
		return rc;
	rc = draft_manual(ctx, out, MESSAGE_MANUAL_UPDATE, message, e);
	if (rc == II_OK)
		rc = draft_audit_add(ctx->store, out->last_draft, out->uuid, "incident updated",
				     ctx->actor, incident_status_name(out->status), e);
	return rc;
}

ii_err incident_resolve_manual(const struct incident_context *ctx, const char *id,
			       const char *message, struct incident *out, struct ii_error *e)
{
	/* only staff know what works again: an office, a phone line; the program does not */
	if (!message || !*message)
		return ii_fail(e, II_EDATA,
			       _("resolving an incident needs a message saying what works again"));
	ii_err rc = find_open_manual(ctx, id, out, e);
	if (rc)
		return rc;
	out->status = INCIDENT_RESUELTO;
	out->resolved_at = ctx->now;
	rc = draft_manual(ctx, out, MESSAGE_MANUAL_RESOLVED, message, e);
	if (rc == II_OK)
		rc = draft_audit_add(ctx->store, out->last_draft, out->uuid, "incident resolved",
				     ctx->actor, NULL, e);
	return rc;
}

ii_err incident_get(struct store *s, const char *uuid, struct incident *out, bool *found,
		    struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	return store_query_one(s, INCIDENT_COLUMNS "WHERE uuid = ?", uuid, read_incident, out, found,
			       N_("read an incident"), e);
}

ii_err incident_find(struct store *s, const char *id, struct incident *out, struct ii_error *e)
{
	if (strlen(id) < DRAFT_ID_MIN_PREFIX)
		return ii_fail(e, II_EDATA, _("incident id '%s' is too short: give at least %d characters"),
			       id, DRAFT_ID_MIN_PREFIX);
	if (strlen(id) > 36 || strspn(id, "0123456789abcdef-") != strlen(id))
		return ii_fail(e, II_EDATA, _("no incident '%s'"), id);
	char pattern[40];
	snprintf(pattern, sizeof pattern, "%s%%", id);
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, INCIDENT_COLUMNS "WHERE uuid LIKE ? LIMIT 2", &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, pattern, -1, SQLITE_STATIC);
	size_t count = 0;
	for (; count < 2 && sqlite3_step(stmt) == SQLITE_ROW; count++)
		if (count == 0)
			read_incident(stmt, out);
	sqlite3_finalize(stmt);
	if (count == 0)
		return ii_fail(e, II_EDATA, _("no incident '%s'"), id);
	if (count > 1)
		return ii_fail(e, II_EDATA, _("incident id '%s' is ambiguous: give more characters"), id);
	return II_OK;
}

static bool collect_incident(sqlite3_stmt *stmt, void *record)
{
	read_incident(stmt, record);
	return true;
}

ii_err incident_list(struct store *s, bool all, struct incident **out, size_t *count,
		     struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  all ? INCIDENT_COLUMNS "ORDER BY opened_at, rowid"
				      : INCIDENT_COLUMNS "WHERE resolved_at IS NULL ORDER BY opened_at, rowid",
				  &stmt, e);
	if (rc)
		return rc;
	return store_collect(s, stmt, sizeof **out, collect_incident, NULL, (void **)out, count,
			     N_("list the incidents"), e);
}

/* The unsent tail of inc's thread, newest first: its latest draft and those it answers,
 * while pending or approved with nothing claimed; calls step on each. */
static ii_err each_unsent(const struct incident_context *ctx, const struct incident *inc,
			  ii_err (*step)(const struct incident_context *ctx, const struct draft *d,
					 struct ii_error *e),
			  size_t *count, struct ii_error *e)
{
	*count = 0;
	char uuid[37];
	snprintf(uuid, sizeof uuid, "%s", inc->last_draft);
	while (*uuid) {
		char unsent[37];
		ii_err rc = draft_unsent_among(ctx->store, "SELECT ?1", uuid, unsent, e);
		struct draft d;
		if (rc == II_OK && *unsent)
			rc = draft_find(ctx->store, unsent, &d, e);
		if (rc || !*unsent)
			return rc;
		if ((rc = step(ctx, &d, e)))
			return rc;
		(*count)++;
		snprintf(uuid, sizeof uuid, "%s", d.reply_to);
	}
	return II_OK;
}

static ii_err hold_one(const struct incident_context *ctx, const struct draft *d, struct ii_error *e)
{
	return draft_hold(ctx->store, d->uuid, ctx->actor, e);
}

static ii_err release_one(const struct incident_context *ctx, const struct draft *d,
			  struct ii_error *e)
{
	return d->status == DRAFT_PENDING ? draft_approve(ctx->store, d->uuid, ctx->actor, false, e)
					  : II_OK;
}

static ii_err find_open(const struct incident_context *ctx, const char *id, struct incident *out,
			struct ii_error *e)
{
	ii_err rc = incident_find(ctx->store, id, out, e);
	if (rc == II_OK && out->resolved_at)
		return ii_fail(e, II_EDATA, _("incident %.8s is already resolved"), out->uuid);
	return rc;
}

/* Holds (hold) or releases inc's unsent drafts, audited. */
static ii_err set_held(const struct incident_context *ctx, const char *id, bool hold,
		       struct incident *out, struct ii_error *e)
{
	ii_err rc = find_open(ctx, id, out, e);
	if (rc)
		return rc;
	if (out->held == hold)
		return ii_fail(e, II_EDATA, hold ? _("incident %.8s is already held") : _("incident %.8s is not held"),
			       out->uuid);
	size_t changed;
	if ((rc = each_unsent(ctx, out, hold ? hold_one : release_one, &changed, e)))
		return rc;
	if (hold && !changed)
		return ii_fail(e, II_EDATA, _("incident %.8s has nothing waiting to be published"), out->uuid);
	out->held = hold;
	rc = save(ctx->store, out, e);
	if (rc == II_OK)
		rc = draft_audit_add(ctx->store, out->last_draft, out->uuid,
				     hold ? "incident held" : "incident released", ctx->actor, NULL, e);
	return rc;
}

ii_err incident_hold(const struct incident_context *ctx, const char *id, struct incident *out,
		     struct ii_error *e)
{
	return set_held(ctx, id, true, out, e);
}

ii_err incident_release(const struct incident_context *ctx, const char *id, struct incident *out,
			struct ii_error *e)
{
	return set_held(ctx, id, false, out, e);
}

ii_err incident_cancel(const struct incident_context *ctx, const char *id, struct incident *out,
		       struct ii_error *e)
{
	ii_err rc = find_open_manual(ctx, id, out, e);
	if (rc)
		return rc;
	out->status = INCIDENT_RESUELTO;
	out->resolved_at = ctx->now;
	bool nothing_public;
	if ((rc = withdraw_unpublished(ctx, out, &nothing_public, e)))
		return rc;
	if (!nothing_public)
		return ii_fail(e, II_EDATA,
			       _("incident %.8s has posts that are public or being published: resolve it "
				 "with 'incident resolve'"),
			       out->uuid);
	return draft_audit_add(ctx->store, NULL, out->uuid, "incident cancelled", ctx->actor, NULL, e);
}

ii_err incident_preview_manual(const struct config *cfg, const struct messages *m,
			       const char *scope, const char *message, const char *status,
			       time_t now, struct thread **out, struct ii_error *e)
{
	struct incident inc = {.kind = INCIDENT_MANUAL, .opened_at = now};
	ii_err rc = open_status(status, &inc.status, "", e);
	if (rc)
		return rc;
	const struct config_service *svc = config_find_service(cfg, scope);
	snprintf(inc.scope, sizeof inc.scope, "%s", svc ? svc->name : scope);
	struct incident_post ev;
	incident_post_manual(&inc, MESSAGE_MANUAL, message, now, &ev);
	return incident_post_render(m, &ev, now, 0, out, e);
}
