#include "notify.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "draft.h"
#include "i18n.h"
#include "incident.h"
#include "people.h"
#include "process.h"
#include "store_sql.h"

static const char *const event_names[NOTIFY_EVENT_COUNT] = {
	[NOTIFY_INCIDENT_CONFIRMED] = "incident_confirmed",
	[NOTIFY_INCIDENT_RESOLVED] = "incident_resolved",
	[NOTIFY_DRAFT_WAITING] = "draft_waiting",
	[NOTIFY_DRAFT_APPROVED] = "draft_approved",
	[NOTIFY_DRAFT_REJECTED] = "draft_rejected",
	[NOTIFY_PUBLICATION_FAILED] = "publication_failed",
	[NOTIFY_THREAD_STOPPED] = "thread_stopped",
	[NOTIFY_CHANNEL_PAUSED] = "channel_paused",
	[NOTIFY_MONITOR_OFFLINE] = "monitor_offline",
	[NOTIFY_MONITOR_ONLINE] = "monitor_online",
	[NOTIFY_NOTICE_INVALID] = "notice_invalid",
	[NOTIFY_NOTICE_CHANGED_AFTER_PUBLICATION] = "notice_changed_after_publication",
	[NOTIFY_BUDGET_LOW] = "budget_low",
	[NOTIFY_THREAD_MODE_SWITCHED] = "thread_mode_switched",
};

static const char *const state_names[] = {
	[NOTIFY_PENDING] = "pending", [NOTIFY_SENDING] = "sending", [NOTIFY_SENT] = "sent",
	[NOTIFY_FAILED] = "failed",   [NOTIFY_UNKNOWN] = "unknown",
};

const char *notify_event_name(enum notify_event event)
{
	return event_names[event];
}

bool notify_event_parse(const char *name, enum notify_event *out)
{
	for (int i = 0; i < NOTIFY_EVENT_COUNT; i++)
		if (!strcmp(name, event_names[i])) {
			*out = (enum notify_event)i;
			return true;
		}
	return false;
}

const char *notify_state_name(enum notify_state state)
{
	return state_names[state];
}

static enum notify_state state_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof state_names / sizeof *state_names; i++)
		if (!strcmp(name, state_names[i]))
			return (enum notify_state)i;
	return NOTIFY_FAILED;
}

#define EV(name) (1u << NOTIFY_##name)
static const struct notify_group groups[] = {
	/* what waits for an approver: a draft, and a published notice to retract or redo */
	{"@approvers", CONFIG_ROLE_APPROVER, false,
	 EV(DRAFT_WAITING) | EV(NOTICE_CHANGED_AFTER_PUBLICATION)},
	/* the monitor and the channel: what the person on call fixes or holds */
	{"@operators", CONFIG_ROLE_OPERATOR, false,
	 EV(INCIDENT_CONFIRMED) | EV(INCIDENT_RESOLVED) | EV(PUBLICATION_FAILED) |
		 EV(THREAD_STOPPED) | EV(CHANNEL_PAUSED) | EV(MONITOR_OFFLINE) | EV(MONITOR_ONLINE) |
		 EV(BUDGET_LOW) | EV(THREAD_MODE_SWITCHED)},
	/* what became of their own notice */
	{"@author", CONFIG_ROLE_AUTHOR, true,
	 EV(DRAFT_APPROVED) | EV(DRAFT_REJECTED) | EV(NOTICE_INVALID) | EV(PUBLICATION_FAILED) |
		 EV(THREAD_STOPPED) | EV(NOTICE_CHANGED_AFTER_PUBLICATION)},
};
#undef EV

const struct notify_group *notify_group_find(const char *token)
{
	for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
		if (!strcmp(token, groups[i].token))
			return &groups[i];
	return NULL;
}

/* Adds address to out unless it is there (or out is full). */
static void add_recipient(const char *address, const char **out, size_t *n, size_t max)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcasecmp(out[i], address))
			return;
	if (*n < max)
		out[(*n)++] = address;
}

size_t notify_recipients(const struct config *cfg, const struct config_notify *t,
			 enum notify_event event, const struct config_person *about,
			 const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < t->to.count; i++) {
		const char *word = t->to.items[i];
		const struct notify_group *g = notify_group_find(word);
		if (!g) {
			/* config_load() refuses a person id that is unknown or has no email */
			const struct config_person *person = people_by_id(cfg, word);
			if (!person)
				add_recipient(word, out, &n, max);
			else if (person->email)
				add_recipient(person->email, out, &n, max);
		} else if (!(g->events & (1u << event))) {
			continue;
		} else if (g->only_the_author) {
			if (about && about->email)
				add_recipient(about->email, out, &n, max);
		} else {
			for (size_t k = 0; k < cfg->person_count; k++)
				if (cfg->people[k].email && people_has_role(&cfg->people[k], g->role))
					add_recipient(cfg->people[k].email, out, &n, max);
		}
	}
	return n;
}

/* ---- raising ---- */

ii_err notify_raise(struct store *s, const struct config *cfg, const struct notify_spec *spec,
		    time_t now, size_t *queued, struct ii_error *e)
{
	if (queued)
		*queued = 0;
	char key[NOTIFY_KEY_SIZE];
	snprintf(key, sizeof key, "%s:%s", event_names[spec->event], spec->key);
	for (size_t i = 0; i < cfg->notify_count; i++) {
		const struct config_notify *t = &cfg->notify[i];
		if (!(t->events & (1u << spec->event)))
			continue;
		/* a mail to nobody: this target's people are not the ones this event is for */
		const char *recipients[NOTIFY_MAX_RECIPIENTS];
		const struct notify_backend *b = notify_backend_of(t->type);
		if ((b->capabilities & NOTIFY_RECIPIENTS) &&
		    !notify_recipients(cfg, t, spec->event, spec->about, recipients, NOTIFY_MAX_RECIPIENTS))
			continue;
		sqlite3_stmt *stmt;
		ii_err rc = store_prepare(s,
					  "INSERT OR IGNORE INTO notification (event_key, target, event, title,"
					  " body, url, next_at, created_at, person)"
					  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
					  &stmt, e);
		if (rc)
			return rc;
		sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, t->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, event_names[spec->event], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, spec->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, spec->body, -1, SQLITE_STATIC);
		if (spec->url)
			sqlite3_bind_text(stmt, 6, spec->url, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 7, (sqlite3_int64)now);
		sqlite3_bind_int64(stmt, 8, (sqlite3_int64)now);
		if (spec->about)
			sqlite3_bind_text(stmt, 9, spec->about->id, -1, SQLITE_STATIC);
		if ((rc = store_run(s, stmt, N_("journal a notification"), e)))
			return rc;
		if (queued)
			*queued += (size_t)sqlite3_changes(s->db);
	}
	return II_OK;
}

/* A moment as staff read it in an alert: local time, to the minute. */
static void moment(time_t t, char out[32])
{
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

ii_err notify_incident(struct store *s, const struct config *cfg, enum notify_event event,
		       const struct incident *inc, const struct config_service *svc, time_t due,
		       time_t now, struct ii_error *e)
{
	char title[NOTIFY_TITLE_SIZE], body[NOTIFY_BODY_SIZE], since[32], until[32], when[32];
	moment(inc->opened_at, since);
	if (event == NOTIFY_INCIDENT_CONFIRMED) {
		snprintf(title, sizeof title, _("%s is down"), svc->name);
		int n = snprintf(body, sizeof body, _("%s is down since %s (%s); incident %.8s."),
				 svc->name, since, inc->cause, inc->uuid);
		if (due > now) {
			moment(due, when);
			snprintf(body + n, sizeof body - (size_t)n,
				 _(" The public alert is due at %s: 'incluinfo incident hold %.8s' holds it."),
				 when, inc->uuid);
		} else {
			snprintf(body + n, sizeof body - (size_t)n, _(" The public alert follows now."));
		}
	} else {
		moment(inc->resolved_at ? inc->resolved_at : now, until);
		snprintf(title, sizeof title, _("%s works again"), svc->name);
		snprintf(body, sizeof body, _("%s works again since %s; it was down since %s (incident %.8s)."),
			 svc->name, until, since, inc->uuid);
	}
	const struct notify_spec spec = {event, inc->uuid, title, body, svc->public_url, NULL};
	return notify_raise(s, cfg, &spec, now, NULL, e);
}

ii_err notify_draft(struct store *s, const struct config *cfg, enum notify_event event,
		    const struct draft *d, const char *detail, time_t now, struct ii_error *e)
{
	/* TRANSLATORS: the subject of an alert to staff about a draft, before its title */
	static const char *const titles[NOTIFY_EVENT_COUNT] = {
		[NOTIFY_DRAFT_WAITING] = N_("Draft waiting for approval"),
		[NOTIFY_DRAFT_APPROVED] = N_("Draft approved"),
		[NOTIFY_DRAFT_REJECTED] = N_("Draft rejected"),
		[NOTIFY_PUBLICATION_FAILED] = N_("Publication failed"),
		[NOTIFY_THREAD_STOPPED] = N_("Thread stopped midway"),
		[NOTIFY_NOTICE_CHANGED_AFTER_PUBLICATION] = N_("Notice changed after publication"),
		[NOTIFY_THREAD_MODE_SWITCHED] = N_("Thread ended in a single post"),
	};
	static const char *const actions[NOTIFY_EVENT_COUNT] = {
		[NOTIFY_DRAFT_WAITING] = N_("Review it, then approve or reject it."),
		[NOTIFY_DRAFT_APPROVED] = N_("It is published when due."),
		[NOTIFY_DRAFT_REJECTED] = N_("It will not be published."),
		[NOTIFY_PUBLICATION_FAILED] = N_("Nothing of it is public."),
		[NOTIFY_THREAD_STOPPED] = N_("Part of it is public: fix the notice keeping the public "
					     "posts as they are."),
		[NOTIFY_NOTICE_CHANGED_AFTER_PUBLICATION] =
			N_("Its published posts stay as they are: retract them or publish a new notice."),
		[NOTIFY_THREAD_MODE_SWITCHED] =
			N_("The rest of the thread went out as one post with a link to the whole text. "
			   "To stop trying threads on X, set thread_mode = single."),
	};
	char title[NOTIFY_TITLE_SIZE], body[NOTIFY_BODY_SIZE], key[NOTIFY_KEY_SIZE];
	snprintf(title, sizeof title, "%s: %s", _(titles[event]), d->title);
	snprintf(body, sizeof body, "%s%s%s\n\nincluinfo show %.8s", detail ? detail : "",
		 detail && *detail ? "\n\n" : "", _(actions[event]), d->uuid);
	snprintf(key, sizeof key, "%s:%s", d->uuid, d->hash);
	/* the author a notice's draft names; nobody for the monitor's drafts */
	const struct config_person *author = NULL;
	ii_err rc = *d->author ? people_by_name(cfg, d->author, &author, e) : II_OK;
	/* the draft's page in the review console, which runs only when someone can sign in */
	char link[NOTIFY_URL_SIZE];
	bool console = false;
	for (size_t i = 0; i < cfg->person_count && !console; i++)
		console = cfg->people[i].web_login != NULL;
	if (console)
		snprintf(link, sizeof link, "%s%sdrafts/%s", cfg->serve.public_url,
			 cfg->serve.public_url[strlen(cfg->serve.public_url) - 1] == '/' ? "" : "/",
			 d->uuid);
	const struct notify_spec spec = {event, key, title, body, console ? link : NULL, author};
	return rc ? rc : notify_raise(s, cfg, &spec, now, NULL, e);
}

ii_err notify_if_waiting(struct store *s, const struct config *cfg, const char *uuid, time_t now,
			 struct ii_error *e)
{
	struct draft d;
	ii_err rc = draft_find(s, uuid, &d, e);
	if (rc || d.status != DRAFT_PENDING)
		return rc;
	return notify_draft(s, cfg, NOTIFY_DRAFT_WAITING, &d, NULL, now, e);
}

ii_err notify_notice_invalid(struct store *s, const struct config *cfg, const char *path,
			     const char *hash, const char *problem,
			     const struct config_person *author, time_t now, struct ii_error *e)
{
	char title[NOTIFY_TITLE_SIZE], body[NOTIFY_BODY_SIZE], key[NOTIFY_KEY_SIZE];
	const char *base = strrchr(path, '/');
	snprintf(title, sizeof title, _("Invalid notice: %s"), base ? base + 1 : path);
	snprintf(body, sizeof body,
		 _("%s\n\nIt is not published until it is fixed ('incluinfo lint %s')."), problem, path);
	snprintf(key, sizeof key, "%.180s:%s", path, hash);
	const struct notify_spec spec = {NOTIFY_NOTICE_INVALID, key, title, body, NULL, author};
	return notify_raise(s, cfg, &spec, now, NULL, e);
}

ii_err notify_condition(struct store *s, const struct config *cfg, enum notify_event event,
			const char *condition, const char *detail, time_t since, time_t now,
			struct ii_error *e)
{
	static const char *const titles[NOTIFY_EVENT_COUNT] = {
		[NOTIFY_MONITOR_OFFLINE] = N_("Monitor offline"),
		[NOTIFY_MONITOR_ONLINE] = N_("Monitor online again"),
		[NOTIFY_CHANNEL_PAUSED] = N_("Publishing paused"),
		[NOTIFY_BUDGET_LOW] = N_("Budget running low"),
	};
	char key[64];
	snprintf(key, sizeof key, "%.32s:%lld", condition, (long long)since);
	const struct notify_spec spec = {event, key, _(titles[event]), detail, NULL, NULL};
	return notify_raise(s, cfg, &spec, now, NULL, e);
}

/* ---- the journal ---- */

#define COLUMNS                                                                               \
	"SELECT event_key, target, event, state, title, attempts, created_at, next_at,"      \
	" coalesce(error, ''), body, url, coalesce(claimed_by, ''), coalesce(claimed_at, 0)," \
	" coalesce(person, '')"                                                               \
	" FROM notification "

/* A row with what sending it needs. */
struct job {
	struct notify_row row;
	char body[NOTIFY_BODY_SIZE];
	char url[NOTIFY_URL_SIZE];
	char claimed_by[PROCESS_ID_SIZE];
	time_t claimed_at;
	char person[64]; /* the [person] id it is about, "" when none */
};

static bool read_job(sqlite3_stmt *stmt, void *record)
{
	struct job *j = record;
	struct notify_row *r = &j->row;
	char text[64];
	store_copy_text(r->event_key, sizeof r->event_key, stmt, 0);
	store_copy_text(r->target, sizeof r->target, stmt, 1);
	store_copy_text(text, sizeof text, stmt, 2);
	if (!notify_event_parse(text, &r->event))
		r->event = NOTIFY_EVENT_COUNT - 1; /* a later version's event: shown as the last */
	store_copy_text(text, sizeof text, stmt, 3);
	r->state = state_from_name(text);
	store_copy_text(r->title, sizeof r->title, stmt, 4);
	r->attempts = (long)sqlite3_column_int64(stmt, 5);
	r->created_at = (time_t)sqlite3_column_int64(stmt, 6);
	r->next_at = (time_t)sqlite3_column_int64(stmt, 7);
	store_copy_text(r->error, sizeof r->error, stmt, 8);
	store_copy_text(j->body, sizeof j->body, stmt, 9);
	store_copy_text(j->url, sizeof j->url, stmt, 10);
	store_copy_text(j->claimed_by, sizeof j->claimed_by, stmt, 11);
	j->claimed_at = (time_t)sqlite3_column_int64(stmt, 12);
	store_copy_text(j->person, sizeof j->person, stmt, 13);
	return true;
}

static ii_err list_jobs(struct store *s, const char *where, time_t t, struct job **out,
			size_t *count, struct ii_error *e)
{
	char sql[512];
	snprintf(sql, sizeof sql, COLUMNS "WHERE %s ORDER BY created_at, event_key, target", where);
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, sql, &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)t);
	return store_collect(s, stmt, sizeof **out, read_job, NULL, (void **)out, count,
			     N_("read the notifications"), e);
}

/* Moves row r from its state (with its attempts) to state, a compare-and-set: *moved says
 * whether this call made the change. attempts_delta is added to attempts; next_at, error
 * and the claim are set as given (claimant NULL clears it). */
static ii_err move(struct store *s, const struct notify_row *r, enum notify_state state,
		   long attempts_delta, time_t next_at, const char *error, const char *claimant,
		   time_t at, bool *moved, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "UPDATE notification SET state = ?1, attempts = attempts + ?2, next_at = ?3,"
				  " error = ?4, claimed_by = ?5, claimed_at = ?6,"
				  " done_at = CASE WHEN ?1 IN ('sent', 'failed', 'unknown') THEN ?6 END"
				  " WHERE event_key = ?7 AND target = ?8 AND state = ?9 AND attempts = ?10",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, state_names[state], -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, attempts_delta);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)next_at);
	if (error)
		sqlite3_bind_text(stmt, 4, error, -1, SQLITE_STATIC);
	if (claimant)
		sqlite3_bind_text(stmt, 5, claimant, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64)at);
	sqlite3_bind_text(stmt, 7, r->event_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, r->target, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 9, state_names[r->state], -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 10, r->attempts);
	if ((rc = store_run(s, stmt, N_("update a notification"), e)))
		return rc;
	*moved = sqlite3_changes(s->db) == 1;
	return II_OK;
}

ii_err notify_problems(struct store *s, time_t since, struct notify_row **out, size_t *count,
		       struct ii_error *e)
{
	*out = NULL;
	*count = 0;
	struct job *jobs;
	size_t n;
	ii_err rc = list_jobs(s, "state IN ('failed', 'unknown') AND created_at >= ?1", since, &jobs,
			      &n, e);
	if (rc || !n)
		return rc;
	struct notify_row *rows = calloc(n, sizeof *rows);
	if (!rows) {
		free(jobs);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < n; i++)
		rows[i] = jobs[i].row;
	free(jobs);
	*out = rows;
	*count = n;
	return II_OK;
}

void notify_report_free(struct notify_report *report)
{
	free(report->undelivered);
	report->undelivered = NULL;
	report->undelivered_count = 0;
}

static ii_err add_undelivered(struct notify_report *rep, const struct notify_row *r,
			      enum notify_state state, const char *error, struct ii_error *e)
{
	struct notify_row *list =
		reallocarray(rep->undelivered, rep->undelivered_count + 1, sizeof *list);
	if (!list)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	rep->undelivered = list;
	list[rep->undelivered_count] = *r;
	list[rep->undelivered_count].state = state;
	snprintf(list[rep->undelivered_count].error, sizeof list->error, "%s", error);
	rep->undelivered_count++;
	return II_OK;
}

/* ---- delivering ---- */

/*
 * Whether the sender of a row found "sending" is certainly gone: it ran on this host and
 * has ended, or its claim is older than any delivery can last (the target's timeout and
 * a minute, whatever the host).
 */
static bool sender_gone(const struct job *j, const struct config_notify *t, time_t now)
{
	struct process_id sender;
	if (process_parse(j->claimed_by, &sender) && process_fate(&sender) == PROCESS_GONE)
		return true;
	long lease = (t ? t->timeout_ms / 1000 + 1 : 0) + 60;
	return j->claimed_at + lease < now;
}

/* Sends job j to target t (NULL: no longer configured) of cfg. The recipients are those of
 * the configuration of this run: a person who left is not written to. */
static enum notify_outcome send_job(const struct config *cfg, const struct config_notify *t,
				    const struct job *j, char *detail, size_t size)
{
	if (!t) {
		snprintf(detail, size, _("no target '%s' in the configuration"), j->row.target);
		return NOTIFY_REFUSED;
	}
	const struct notify_backend *b = notify_backend_of(t->type);
	struct cred *cred = NULL;
	struct ii_error why = {0};
	if (t->credentials && cred_load_for(t->credentials, b->cred, &cred, &why)) {
		snprintf(detail, size, "%s", why.detail);
		return NOTIFY_REFUSED;
	}
	const char *recipients[NOTIFY_MAX_RECIPIENTS];
	struct notify_message msg = {
		.event = j->row.event,
		.event_key = j->row.event_key,
		.title = j->row.title,
		.body = j->body,
		.url = *j->url ? j->url : NULL,
		.at = j->row.created_at,
		.about = *j->person ? people_by_id(cfg, j->person) : NULL,
		.recipients = recipients,
	};
	if (b->capabilities & NOTIFY_RECIPIENTS) {
		msg.recipient_count = notify_recipients(cfg, t, msg.event, msg.about, recipients,
							NOTIFY_MAX_RECIPIENTS);
		if (!msg.recipient_count) {
			cred_free(cred);
			snprintf(detail, size, _("its 'to' reaches nobody for this event any more"));
			return NOTIFY_REFUSED;
		}
	}
	enum notify_outcome outcome = b->send(t, cred, &msg, detail, size);
	cred_free(cred);
	return outcome;
}

static time_t backoff(long attempts)
{
	long shift = attempts > 1 ? attempts - 1 : 0;
	return (time_t)NOTIFY_BACKOFF_SECONDS << (shift > 16 ? 16 : shift);
}

static ii_err deliver_one(struct store *s, const struct config *cfg, const char *self, time_t now,
			  struct job *j, struct notify_report *rep, struct ii_error *e)
{
	const struct config_notify *t = config_find_notify(cfg, j->row.target);
	bool moved;
	ii_err rc;
	if (j->row.state == NOTIFY_SENDING) {
		if (!sender_gone(j, t, now))
			return II_OK; /* another run is sending it */
		const char *why = _("its sender stopped during delivery, and it is not sent again");
		rc = move(s, &j->row, NOTIFY_UNKNOWN, 0, j->row.next_at, why, NULL, now, &moved, e);
		return rc || !moved ? rc : add_undelivered(rep, &j->row, NOTIFY_UNKNOWN, why, e);
	}
	rc = move(s, &j->row, NOTIFY_SENDING, 1, j->row.next_at, NULL, self, now, &moved, e);
	if (rc || !moved)
		return rc;
	j->row.state = NOTIFY_SENDING;
	j->row.attempts++;
	char detail[1024] = "";
	enum notify_outcome outcome = send_job(cfg, t, j, detail, sizeof detail);
	if (outcome == NOTIFY_DELIVERED) {
		rc = move(s, &j->row, NOTIFY_SENT, 0, j->row.next_at, NULL, NULL, now, &moved, e);
		rep->sent += rc == II_OK && moved;
		return rc;
	}
	if (outcome == NOTIFY_RETRY && j->row.attempts < NOTIFY_MAX_ATTEMPTS) {
		rep->retrying++;
		return move(s, &j->row, NOTIFY_PENDING, 0, now + backoff(j->row.attempts), detail, NULL,
			    now, &moved, e);
	}
	rc = move(s, &j->row, NOTIFY_FAILED, 0, j->row.next_at, detail, NULL, now, &moved, e);
	return rc || !moved ? rc : add_undelivered(rep, &j->row, NOTIFY_FAILED, detail, e);
}

ii_err notify_deliver(struct store *s, const struct config *cfg, time_t now,
		      struct notify_report *rep, struct ii_error *e)
{
	*rep = (struct notify_report){0};
	struct process_id me;
	char self[PROCESS_ID_SIZE];
	ii_err rc = process_of(getpid(), &me, e);
	if (rc)
		return rc;
	process_format(&me, self);
	struct job *jobs;
	size_t n;
	rc = list_jobs(s, "(state = 'pending' AND next_at <= ?1) OR state = 'sending'", now, &jobs, &n, e);
	for (size_t i = 0; rc == II_OK && i < n; i++)
		rc = deliver_one(s, cfg, self, now, &jobs[i], rep, e);
	free(jobs);
	return rc;
}

/* ---- the message texts ---- */

static char *base64(const unsigned char *data, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);
	if (out)
		EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

/* Appends printf-style text to the growing buffer *buf of *len bytes; false when out of
 * memory (then *buf is freed and NULL). */
__attribute__((format(printf, 3, 4))) static bool append(char **buf, size_t *len, const char *fmt, ...)
{
	if (!*buf)
		return false;
	va_list ap, copy;
	va_start(ap, fmt);
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	char *grown = n < 0 ? NULL : realloc(*buf, *len + (size_t)n + 1);
	if (!grown) {
		va_end(ap);
		free(*buf);
		*buf = NULL;
		return false;
	}
	vsnprintf(grown + *len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	*buf = grown;
	*len += (size_t)n;
	return true;
}

/* The length of the longest prefix of text, at most max bytes, that ends between two
 * UTF-8 characters. */
static size_t utf8_cut(const char *text, size_t max)
{
	size_t n = strlen(text);
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* RFC 2047: the subject as encoded words of whole UTF-8 characters, each at most 75
 * characters, folded onto continuation lines. */
static bool append_subject(char **buf, size_t *len, const char *subject)
{
	bool ok = append(buf, len, "Subject:");
	for (bool first = true; ok && *subject; first = false) {
		size_t n = utf8_cut(subject, 45);
		char *word = base64((const unsigned char *)subject, n);
		ok = word && append(buf, len, "%s =?UTF-8?B?%s?=", first ? "" : "\r\n", word);
		free(word);
		subject += n;
	}
	return ok && append(buf, len, "\r\n");
}

/* The event's Message-ID: a digest of its key, so that a message sent twice (across the
 * window where its fate is unknown) is one message for the reader's mail client. */
static void message_id(const char *event_key, const char *from, char out[128])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	EVP_Digest(event_key, strlen(event_key), digest, &dlen, EVP_sha256(), NULL);
	char hex[33];
	for (unsigned i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	snprintf(out, 128, "<%s.incluinfo@%s>", hex, strchr(from, '@') + 1);
}

char *notify_mail_text(const struct config_notify *t, const struct notify_message *msg)
{
	char date[64], id[128];
	struct tm tm;
	localtime_r(&msg->at, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &tm);
	message_id(msg->event_key, t->from, id);
	size_t len = 0;
	char *buf = strdup("");
	append(&buf, &len, "Date: %s\r\nFrom: %s\r\nTo: ", date, t->from);
	for (size_t i = 0; i < msg->recipient_count; i++)
		append(&buf, &len, "%s%s", i ? ", " : "", msg->recipients[i]);
	append(&buf, &len, "\r\nMessage-ID: %s\r\n", id);
	append_subject(&buf, &len, msg->title);
	append(&buf, &len,
	       "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	       "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n"
	       "X-Incluinfo-Event: %s\r\n\r\n",
	       event_names[msg->event]);
	char *text = NULL;
	if (asprintf(&text, "%s\n%s%s\n", msg->body, msg->url ? "\n" : "", msg->url ? msg->url : "") < 0)
		text = NULL;
	char *encoded = text ? base64((unsigned char *)text, strlen(text)) : NULL;
	if (!encoded) {
		free(text);
		free(buf);
		return NULL;
	}
	/* lines of 76 characters, as MIME asks */
	for (size_t at = 0, n = strlen(encoded); at < n; at += 76)
		append(&buf, &len, "%.76s\r\n", encoded + at);
	free(encoded);
	free(text);
	return buf;
}

char *notify_webhook_json(const struct notify_message *msg)
{
	cJSON *root = cJSON_CreateObject();
	char *text = NULL;
	/* the room hears of everything; the one person an event is for is named, as @author
	 * would have reached them by mail */
	const struct notify_group *author = notify_group_find("@author");
	const struct config_person *person =
		msg->about && (author->events & (1u << msg->event)) ? msg->about : NULL;
	/* "text" is what Slack-compatible hooks, Mattermost, Teams and Matrix hookshot show */
	if (asprintf(&text, "%s%s%s\n\n%s%s%s", person ? person->name : "", person ? ": " : "",
		     msg->title, msg->body, msg->url ? "\n" : "", msg->url ? msg->url : "") < 0)
		text = NULL;
	cJSON *who = person ? cJSON_CreateObject() : cJSON_CreateNull();
	char *out = NULL;
	if (root && text && who && cJSON_AddStringToObject(root, "text", text) &&
	    cJSON_AddStringToObject(root, "event", event_names[msg->event]) &&
	    cJSON_AddStringToObject(root, "title", msg->title) &&
	    (msg->url ? cJSON_AddStringToObject(root, "url", msg->url) != NULL
		      : cJSON_AddNullToObject(root, "url") != NULL) &&
	    cJSON_AddStringToObject(root, "key", msg->event_key) &&
	    (!person || (cJSON_AddStringToObject(who, "id", person->id) &&
			 cJSON_AddStringToObject(who, "name", person->name)))) {
		cJSON_AddItemToObject(root, "person", who);
		who = NULL;
		out = cJSON_PrintUnformatted(root);
	}
	cJSON_Delete(who);
	free(text);
	cJSON_Delete(root);
	return out;
}

/* ---- backends ---- */

struct upload {
	const char *text;
	size_t left;
};

static size_t read_upload(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t chunk = size * n < u->left ? size * n : u->left;
	memcpy(buf, u->text, chunk);
	u->text += chunk;
	u->left -= chunk;
	return chunk;
}

static size_t discard(char *buf, size_t size, size_t n, void *arg)
{
	(void)buf;
	(void)arg;
	return size * n;
}

/* What the options of every delivery share: TLS verification always on, bounded time. */
static void common_options(CURL *curl, const struct config_notify *t, char *errbuf)
{
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, t->timeout_ms);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (t->ca_file)
		curl_easy_setopt(curl, CURLOPT_CAINFO, t->ca_file);
}

/* A failed transfer: whether trying again may help, and why, without the URL (a webhook's
 * may be its secret). */
static enum notify_outcome transfer_failed(CURLcode code, const char *errbuf, char *detail,
					   size_t size)
{
	snprintf(detail, size, "%s", *errbuf ? errbuf : curl_easy_strerror(code));
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_WEIRD_SERVER_REPLY:
		return NOTIFY_RETRY;
	default:
		return NOTIFY_REFUSED; /* credentials refused, certificate, STARTTLS missing */
	}
}

static enum notify_outcome smtp_send(const struct config_notify *t, const struct cred *cred,
				     const struct notify_message *msg, char *detail, size_t size)
{
	char *text = notify_mail_text(t, msg);
	CURL *curl = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	for (size_t i = 0; i < msg->recipient_count; i++)
		rcpt = curl_slist_append(rcpt, msg->recipients[i]);
	if (!text || !curl || !rcpt) {
		free(text);
		curl_easy_cleanup(curl);
		curl_slist_free_all(rcpt);
		snprintf(detail, size, _("out of memory"));
		return NOTIFY_RETRY;
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	struct upload up = {text, strlen(text)};
	common_options(curl, t, errbuf);
	curl_easy_setopt(curl, CURLOPT_URL, t->url);
	/* STARTTLS, and nothing in clear when the server does not offer it, except on this
	 * host's loopback where nothing crosses a network */
	curl_easy_setopt(curl, CURLOPT_USE_SSL,
			 config_url_loopback(t->url) ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, t->from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
	curl_easy_setopt(curl, CURLOPT_READDATA, &up);
	if (cred) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, cred_username(cred));
		curl_easy_setopt(curl, CURLOPT_PASSWORD, cred_password(cred));
	}
	CURLcode code = curl_easy_perform(curl);
	long reply = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
	curl_easy_cleanup(curl);
	curl_slist_free_all(rcpt);
	free(text);
	if (code == CURLE_OK)
		return NOTIFY_DELIVERED;
	enum notify_outcome outcome = transfer_failed(code, errbuf, detail, size);
	/* the server's word decides: 4xx is "try later", 5xx is "never" */
	if (reply >= 400 && reply < 500)
		return NOTIFY_RETRY;
	if (reply >= 500)
		return NOTIFY_REFUSED;
	return outcome;
}

static enum notify_outcome webhook_send(const struct config_notify *t, const struct cred *cred,
					const struct notify_message *msg, char *detail, size_t size)
{
	const char *url = cred && cred_url(cred) ? cred_url(cred) : t->url;
	if (!url) {
		snprintf(detail, size, _("no url in the configuration or the credentials file"));
		return NOTIFY_REFUSED;
	}
	char why[256];
	if (!config_url_ok(url, why, sizeof why)) {
		snprintf(detail, size, _("the webhook's url is refused: %s"), why);
		return NOTIFY_REFUSED;
	}
	char *json = notify_webhook_json(msg);
	CURL *curl = curl_easy_init();
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	char *auth = NULL;
	if (cred && cred_bearer(cred) && asprintf(&auth, "Authorization: Bearer %s", cred_bearer(cred)) < 0)
		auth = NULL;
	struct curl_slist *with_auth = auth ? curl_slist_append(headers, auth) : headers;
	if (!json || !curl || !with_auth || (cred && cred_bearer(cred) && !auth)) {
		free(json);
		free(auth);
		curl_easy_cleanup(curl);
		curl_slist_free_all(headers);
		snprintf(detail, size, _("out of memory"));
		return NOTIFY_RETRY;
	}
	headers = with_auth;
	char errbuf[CURL_ERROR_SIZE] = "";
	common_options(curl, t, errbuf);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	CURLcode code = curl_easy_perform(curl);
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	if (auth) {
		OPENSSL_cleanse(auth, strlen(auth));
		free(auth);
	}
	free(json);
	if (code != CURLE_OK)
		return transfer_failed(code, errbuf, detail, size);
	if (status >= 200 && status < 300)
		return NOTIFY_DELIVERED;
	snprintf(detail, size, _("the webhook answered HTTP %ld"), status);
	return status >= 500 || status == 408 || status == 429 ? NOTIFY_RETRY : NOTIFY_REFUSED;
}

static const struct notify_backend backends[] = {
	{CONFIG_NOTIFY_SMTP, "smtp", NOTIFY_RECIPIENTS, CRED_SMTP, smtp_send},
	{CONFIG_NOTIFY_WEBHOOK, "webhook", 0, CRED_WEBHOOK, webhook_send},
};

const struct notify_backend *notify_backend_of(enum config_notify_type type)
{
	for (size_t i = 0; i < sizeof backends / sizeof *backends; i++)
		if (backends[i].type == type)
			return &backends[i];
	return NULL;
}
