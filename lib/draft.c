#include "draft.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "i18n.h"
#include "people.h"
#include "store_sql.h"

static const char *const status_names[] = {
	[DRAFT_PENDING] = "pending",     [DRAFT_APPROVED] = "approved",
	[DRAFT_REJECTED] = "rejected",   [DRAFT_PUBLISHED] = "published",
	[DRAFT_FAILED] = "failed",       [DRAFT_EXPIRED] = "expired",
	[DRAFT_SUPERSEDED] = "superseded",
};

const char *draft_status_name(enum draft_status status)
{
	return status_names[status];
}

const char *draft_status_label(enum draft_status status)
{
	static const char *const labels[] = {
		[DRAFT_PENDING] = N_("pending"),	 [DRAFT_APPROVED] = N_("approved"),
		[DRAFT_REJECTED] = N_("rejected"),	 [DRAFT_PUBLISHED] = N_("published"),
		[DRAFT_FAILED] = N_("failed"),		 [DRAFT_EXPIRED] = N_("expired"),
		[DRAFT_SUPERSEDED] = N_("superseded"),
	};
	return _(labels[status]);
}

static enum draft_status status_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof status_names / sizeof *status_names; i++)
		if (name && !strcmp(name, status_names[i]))
			return (enum draft_status)i;
	return DRAFT_FAILED;
}

static const char *const kind_names[] = {
	[DRAFT_BULO] = "bulo",
	[DRAFT_AVISO] = "aviso",
	[DRAFT_INCIDENCIA] = "incidencia",
	[DRAFT_MANTENIMIENTO] = "mantenimiento",
	[DRAFT_MANTENIMIENTO_INICIO] = "mantenimiento-inicio",
	[DRAFT_MANTENIMIENTO_FIN] = "mantenimiento-fin",
	[DRAFT_ALERTA] = "alerta",
	[DRAFT_ACTUALIZACION] = "actualizacion",
	[DRAFT_INESTABLE] = "inestable",
	[DRAFT_RESUELTA] = "resuelta",
};

const char *draft_kind_name(enum draft_kind kind)
{
	return kind_names[kind];
}

bool draft_kind_is_maintenance(enum draft_kind kind)
{
	return kind == DRAFT_MANTENIMIENTO || kind == DRAFT_MANTENIMIENTO_INICIO ||
	       kind == DRAFT_MANTENIMIENTO_FIN;
}

/* Only this program writes the column: an unknown name is a plain notice. */
static enum draft_kind kind_from_column(sqlite3_stmt *stmt, int column)
{
	const char *name = (const char *)sqlite3_column_text(stmt, column);
	for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
		if (name && !strcmp(name, kind_names[i]))
			return (enum draft_kind)i;
	return DRAFT_AVISO;
}

static const char *const meta_key_names[] = {
	[DRAFT_META_STATUS] = "status", [DRAFT_META_SCOPE] = "scope",
	[DRAFT_META_VERDICT] = "verdict", [DRAFT_META_HOAX] = "hoax",
	[DRAFT_META_ID] = "id", [DRAFT_META_SOURCES] = "sources",
	[DRAFT_META_TAGS] = "tags",
	[DRAFT_META_LANGUAGE] = "language",
	[DRAFT_META_ORIGIN] = "origin",
	[DRAFT_META_TEXT] = "text",
};

const char *draft_meta_key_name(enum draft_meta_key key)
{
	return meta_key_names[key];
}

static void bind_optional(sqlite3_stmt *stmt, int index, const char *text)
{
	if (text && *text)
		sqlite3_bind_text(stmt, index, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, index);
}

ii_err draft_audit_add(struct store *s, const char *draft, const char *incident,
		       const char *action, const struct draft_actor *actor, const char *detail,
		       struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "INSERT INTO audit (at, draft, incident, action, name, os_user, detail,"
				  " person, identified_by) VALUES (?,?,?,?,?,?,?,?,?)",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)actor->at);
	bind_optional(stmt, 2, draft);
	bind_optional(stmt, 3, incident);
	sqlite3_bind_text(stmt, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, actor->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, actor->os_user, -1, SQLITE_STATIC);
	bind_optional(stmt, 7, detail);
	bind_optional(stmt, 8, actor->person);
	bind_optional(stmt, 9, actor->identified_by);
	return store_run(s, stmt, N_("record an audit entry"), e);
}

static ii_err set_status(struct store *s, const char *uuid, enum draft_status status,
			 time_t at, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, "UPDATE draft SET status = ?, updated_at = ? WHERE uuid = ?",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, draft_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)at);
	sqlite3_bind_text(stmt, 3, uuid, -1, SQLITE_STATIC);
	return store_run(s, stmt, N_("change a draft's status"), e);
}

/*
 * The channel whose posts make a draft's thread on a channel: the channel's own, or X's
 * for a draft cut once (schema 12). ONE_CUT is the draft's one_cut column, CHANNEL the
 * channel asked for, both SQL expressions.
 */
#define THREAD_CHANNEL(one_cut, channel) "(CASE WHEN " one_cut " THEN 'x' ELSE " channel " END)"

static ii_err put_thread(struct store *s, const char *uuid, const struct draft_thread *t,
			 struct ii_error *e)
{
	ii_err rc = II_OK;
	for (size_t i = 0; rc == II_OK && i < t->post_count; i++) {
		sqlite3_stmt *stmt;
		rc = store_prepare(s,
				   "INSERT INTO post (draft, channel, seq, text, weighted_length)"
				   " VALUES (?,?,?,?,?)",
				   &stmt, e);
		if (rc)
			break;
		sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, t->channel, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 3, (sqlite3_int64)i);
		sqlite3_bind_text(stmt, 4, t->posts[i], -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 5, t->lengths[i]);
		rc = store_run(s, stmt, N_("save a draft's post"), e);
	}
	return rc;
}

/* Every channel's thread of spec, X's first, replacing the draft's posts, and its single
 * post: the draft is no longer one cut for all. */
static ii_err put_posts(struct store *s, const char *uuid, const struct draft_spec *spec,
			struct ii_error *e)
{
	ii_err rc = store_run_texts(s, N_("replace a draft's posts"), e,
				    "DELETE FROM post WHERE draft = ?", uuid, NULL);
	const struct draft_thread x = {DRAFT_X_CHANNEL, spec->posts, spec->lengths, spec->post_count};
	if (rc == II_OK)
		rc = put_thread(s, uuid, &x, e);
	for (size_t i = 0; rc == II_OK && i < spec->thread_count; i++)
		if (strcmp(spec->threads[i].channel, DRAFT_X_CHANNEL))
			rc = put_thread(s, uuid, &spec->threads[i], e);
	sqlite3_stmt *stmt;
	if (rc == II_OK &&
	    (rc = store_prepare(s, "UPDATE draft SET one_cut = 0, single_text = ?, single_length = ?"
				" WHERE uuid = ?", &stmt, e)) == II_OK) {
		bind_optional(stmt, 1, spec->single_text);
		sqlite3_bind_int(stmt, 2, spec->single_length);
		sqlite3_bind_text(stmt, 3, uuid, -1, SQLITE_STATIC);
		rc = store_run(s, stmt, N_("save a draft's post"), e);
	}
	return rc;
}

/* spec's thread on channel: X's, another's, or none (*count 0). */
static const char *const *spec_thread(const struct draft_spec *spec, const char *channel,
				      size_t *count)
{
	*count = 0;
	if (!strcmp(channel, DRAFT_X_CHANNEL)) {
		*count = spec->post_count;
		return spec->posts;
	}
	for (size_t i = 0; i < spec->thread_count; i++)
		if (!strcmp(spec->threads[i].channel, channel)) {
			*count = spec->threads[i].post_count;
			return spec->threads[i].posts;
		}
	return NULL;
}

/* Binds the columns a notice can change, in the order of both statements below. */
static void bind_content(sqlite3_stmt *stmt, const struct draft_spec *spec)
{
	sqlite3_bind_text(stmt, 1, draft_kind_name(spec->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, spec->title ? spec->title : "", -1, SQLITE_STATIC);
	bind_optional(stmt, 3, spec->hash);
	bind_optional(stmt, 4, spec->author);
	bind_optional(stmt, 5, spec->meta);
	store_bind_time(stmt, 6, spec->due_at);
	store_bind_time(stmt, 7, spec->expires_at);
}

/*
 * Why an automatic approval of a draft with content hash (may be NULL) in incident (may be
 * NULL) is withheld: a person rejected or retracted that content in any draft (the audit
 * entry keeps the content it refused, as a revision since does not clear it), or a draft of
 * that incident. why receives the reason, "" when nothing stands in the way.
 */
static ii_err approval_withheld(struct store *s, const char *hash, const char *incident,
				char why[128], struct ii_error *e)
{
	why[0] = '\0';
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "SELECT d.uuid, a.content_hash = ?1 FROM audit a JOIN draft d ON d.uuid = a.draft"
				  " WHERE a.action IN ('rejected', 'retracted')"
				  "   AND (a.content_hash = ?1 OR d.content_hash = ?1 OR d.incident = ?2)"
				  " ORDER BY a.content_hash = ?1 DESC, a.id DESC LIMIT 1",
				  &stmt, e);
	if (rc)
		return rc;
	bind_optional(stmt, 1, hash);
	bind_optional(stmt, 2, incident);
	int step = sqlite3_step(stmt);
	if (step == SQLITE_ROW)
		snprintf(why, 128, sqlite3_column_int(stmt, 1)
				      ? "draft %.8s with the same content was rejected or retracted"
				      : "draft %.8s of the same incident was rejected or retracted",
			 (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return step == SQLITE_ROW || step == SQLITE_DONE ? II_OK : store_fail(s, e, N_("read the drafts"));
}

/* Keeps on the audit entry just written for draft uuid (a rejection or retraction) the
 * content it refused, for approval_withheld(). */
static ii_err remember_refused_content(struct store *s, const char *uuid, struct ii_error *e)
{
	return store_run_texts(s, N_("record a refused content"), e,
			       "UPDATE audit SET content_hash = (SELECT content_hash FROM draft WHERE uuid = ?1)"
			       " WHERE id = (SELECT max(id) FROM audit WHERE draft = ?1)",
			       uuid, NULL);
}

/* Approves draft uuid for the automatic policy, unless a person's rejection stands in the
 * way (see approval_withheld()) or, when rejected is set, the draft's own earlier version
 * was rejected, retracted or superseded: then it stays pending, and the trail says why. */
static ii_err approve_unless_rejected(struct store *s, const char *uuid, const struct draft_spec *spec,
				      bool rejected, const struct draft_actor *actor, struct ii_error *e)
{
	char why[128];
	ii_err rc = approval_withheld(s, spec->hash, spec->incident, why, e);
	if (rc == II_OK && rejected && !*why)
		snprintf(why, sizeof why, "its earlier version was rejected, retracted or superseded");
	if (rc == II_OK && *why)
		return draft_audit_add(s, uuid, spec->incident, "approval withheld", actor, why, e);
	return rc ? rc : draft_approve(s, uuid, actor, false, e);
}

ii_err draft_create(struct store *s, const struct draft_spec *spec,
		    const struct draft_actor *actor, bool approve, char uuid[37],
		    struct ii_error *e)
{
	store_new_uuid(uuid);
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "INSERT INTO draft (kind, title, content_hash, author, meta, due_at,"
				  " expires_at, uuid, source, incident, reply_to, status, created_at,"
				  " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
				  &stmt, e);
	if (rc)
		return rc;
	bind_content(stmt, spec);
	sqlite3_bind_text(stmt, 8, uuid, -1, SQLITE_STATIC);
	bind_optional(stmt, 9, spec->source);
	bind_optional(stmt, 10, spec->incident);
	bind_optional(stmt, 11, spec->reply_to);
	sqlite3_bind_text(stmt, 12, draft_status_name(DRAFT_PENDING), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 13, (sqlite3_int64)actor->at);
	sqlite3_bind_int64(stmt, 14, (sqlite3_int64)actor->at);
	rc = store_run(s, stmt, N_("create a draft"), e);
	if (rc == II_OK)
		rc = put_posts(s, uuid, spec, e);
	if (rc == II_OK)
		rc = draft_audit_add(s, uuid, spec->incident, "created", actor, spec->source, e);
	if (rc == II_OK && approve)
		rc = approve_unless_rejected(s, uuid, spec, false, actor, e);
	return rc;
}

static void read_uuid(sqlite3_stmt *stmt, void *record)
{
	store_copy_text(record, 37, stmt, 0);
}

static const char draft_columns[] =
	"SELECT uuid, kind, title, source, content_hash, author, incident, reply_to, status,"
	" due_at, expires_at, created_at, updated_at, changed_after_publication, error,"
	" (SELECT count(*) FROM post WHERE post.draft = draft.uuid AND post.channel = 'x'),"
	" one_cut FROM draft ";

static void read_draft(sqlite3_stmt *stmt, void *record)
{
	struct draft *d = record;
	store_copy_text(d->uuid, sizeof d->uuid, stmt, 0);
	d->kind = kind_from_column(stmt, 1);
	store_copy_text(d->title, sizeof d->title, stmt, 2);
	store_copy_text(d->source, sizeof d->source, stmt, 3);
	store_copy_text(d->hash, sizeof d->hash, stmt, 4);
	store_copy_text(d->author, sizeof d->author, stmt, 5);
	store_copy_text(d->incident, sizeof d->incident, stmt, 6);
	store_copy_text(d->reply_to, sizeof d->reply_to, stmt, 7);
	d->status = status_from_name((const char *)sqlite3_column_text(stmt, 8));
	d->due_at = (time_t)sqlite3_column_int64(stmt, 9);
	d->expires_at = (time_t)sqlite3_column_int64(stmt, 10);
	d->created_at = (time_t)sqlite3_column_int64(stmt, 11);
	d->updated_at = (time_t)sqlite3_column_int64(stmt, 12);
	d->changed_after_publication = sqlite3_column_int(stmt, 13) != 0;
	store_copy_text(d->error, sizeof d->error, stmt, 14);
	d->post_count = (size_t)sqlite3_column_int64(stmt, 15);
	d->one_cut = sqlite3_column_int(stmt, 16) != 0;
}

static ii_err draft_get(struct store *s, const char *where, const char *key, struct draft *out,
			bool *found, struct ii_error *e)
{
	char sql[sizeof draft_columns + 128];
	snprintf(sql, sizeof sql, "%s%s", draft_columns, where);
	memset(out, 0, sizeof *out);
	return store_query_one(s, sql, key, read_draft, out, found, N_("read a draft"), e);
}

/* Whether any of the draft's posts reached, or may have reached, a channel. */
static ii_err publication_began(struct store *s, const char *uuid, bool *began,
				struct ii_error *e)
{
	sqlite3_stmt *stmt;
	long long count;
	ii_err rc = store_prepare_texts(
		s, "SELECT count(*) FROM publication WHERE draft = ? AND state <> 'pending'", &stmt, e,
		uuid, NULL);
	if (rc == II_OK)
		rc = store_first_int(s, stmt, &count, N_("read a draft's posts"), e);
	if (rc == II_OK)
		*began = count > 0;
	return rc;
}

static ii_err mark_changed_after_publication(struct store *s, const struct draft *d,
					     const struct draft_spec *spec,
					     const struct draft_actor *actor, struct ii_error *e)
{
	if (d->changed_after_publication)
		return II_OK;
	ii_err rc = store_run_texts(s, N_("mark a draft as changed"), e,
				    "UPDATE draft SET changed_after_publication = 1 WHERE uuid = ?",
				    d->uuid, NULL);
	char detail[128];
	snprintf(detail, sizeof detail, "content %.12s, not republished", spec->hash);
	if (rc == II_OK)
		rc = draft_audit_add(s, d->uuid, d->incident, "changed after publication", actor,
				     detail, e);
	return rc;
}

/* Whether spec, a new version of failed draft uuid, holds every post of it that reached a
 * channel as it is, at the same place in that channel's thread: then the rest can follow
 * them, on each channel. */
static ii_err keeps_public_posts(struct store *s, const char *uuid, const struct draft_spec *spec,
				 bool *keeps, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	*keeps = true;
	ii_err rc = store_prepare_texts(s, "SELECT p.seq, p.text, j.state, j.channel, p.standalone"
					   " FROM publication j JOIN draft d ON d.uuid = j.draft"
					   " JOIN post p ON p.draft = j.draft AND p.seq = j.seq"
					   " AND p.channel = " THREAD_CHANNEL("d.one_cut", "j.channel")
					   " WHERE j.draft = ? AND j.state <> 'pending'",
					&stmt, e, uuid, NULL);
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		size_t seq = (size_t)sqlite3_column_int64(stmt, 0), count;
		const char *text = (const char *)sqlite3_column_text(stmt, 1);
		const char *state = (const char *)sqlite3_column_text(stmt, 2);
		const char *const *posts =
			spec_thread(spec, (const char *)sqlite3_column_text(stmt, 3), &count);
		/* a single post in a refused thread's place ends the thread there */
		if (strcmp(state, draft_post_state_name(DRAFT_POST_SENT)) || seq >= count ||
		    strcmp(text, posts[seq]) || sqlite3_column_int(stmt, 4))
			*keeps = false;
	}
	if (step != SQLITE_DONE)
		rc = store_fail(s, e, N_("read a draft's posts"));
	sqlite3_finalize(stmt);
	return rc;
}

static ii_err revise(struct store *s, const struct draft *d, const struct draft_spec *spec,
		     const struct draft_actor *actor, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	/* the posts being replaced, in order, as draft_previous_text() gives them back */
	ii_err rc = store_prepare(s,
				  "UPDATE draft SET kind = ?, title = ?, content_hash = ?, author = ?,"
				  " meta = ?, due_at = ?, expires_at = ?, status = 'pending',"
				  " updated_at = ?, error = NULL, changed_after_publication = 0,"
				  " previous_text = (SELECT group_concat(text, char(10) || char(10))"
				  "  FROM (SELECT text FROM post WHERE draft = ?9 AND channel = 'x'"
				  "  ORDER BY seq))"
				  " WHERE uuid = ?9",
				  &stmt, e);
	if (rc)
		return rc;
	bind_content(stmt, spec);
	sqlite3_bind_int64(stmt, 8, (sqlite3_int64)actor->at);
	sqlite3_bind_text(stmt, 9, d->uuid, -1, SQLITE_STATIC);
	rc = store_run(s, stmt, N_("revise a draft"), e);
	if (rc == II_OK)
		rc = put_posts(s, d->uuid, spec, e);
	if (rc == II_OK)
		rc = store_run_texts(s, N_("revise a draft"), e,
				     "UPDATE publication SET request_key = NULL WHERE draft = ?"
				     " AND state = 'pending'",
				     d->uuid, NULL);
	/* the new version goes to every channel again: where the old one failed, or was
	 * retracted; where it is public whole, its posts are all sent and it ends at once */
	if (rc == II_OK)
		rc = store_run_texts(s, N_("revise a draft"), e, "DELETE FROM delivery WHERE draft = ?",
				     d->uuid, NULL);
	if (rc == II_OK && d->status == DRAFT_APPROVED)
		rc = draft_audit_add(s, d->uuid, d->incident, "revoked", actor,
				     "the notice changed after approval", e);
	if (rc == II_OK)
		rc = draft_audit_add(s, d->uuid, d->incident, "changed", actor, spec->source, e);
	return rc;
}

ii_err draft_previous_text(struct store *s, const char *uuid, char **out, struct ii_error *e)
{
	*out = NULL;
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare_texts(s, "SELECT previous_text FROM draft WHERE uuid = ?", &stmt, e,
					uuid, NULL);
	if (rc)
		return rc;
	int step = sqlite3_step(stmt);
	const unsigned char *text = step == SQLITE_ROW ? sqlite3_column_text(stmt, 0) : NULL;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(s, e, N_("read a draft's previous version"));
	else if (text && !(*out = strdup((const char *)text)))
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	sqlite3_finalize(stmt);
	return rc;
}

ii_err draft_ingest(struct store *s, const struct draft_spec *spec,
		    const struct draft_actor *actor, bool auto_approve, enum draft_change *change,
		    char uuid[37], struct ii_error *e)
{
	struct draft d;
	bool found;
	ii_err rc = draft_get(s, "WHERE source = ?", spec->source, &d, &found, e);
	if (rc)
		return rc;
	if (!found) {
		*change = DRAFT_NEW;
		return draft_create(s, spec, actor, auto_approve, uuid, e);
	}
	memcpy(uuid, d.uuid, 37);
	if (!strcmp(d.hash, spec->hash)) {
		*change = DRAFT_SAME;
		return II_OK;
	}
	bool began = d.status == DRAFT_PUBLISHED;
	if (!began && (rc = publication_began(s, d.uuid, &began, e)))
		return rc;
	bool resumes = false;
	if (began && d.status == DRAFT_FAILED && (rc = keeps_public_posts(s, d.uuid, spec, &resumes, e)))
		return rc;
	if (began && !resumes) {
		*change = DRAFT_CHANGED_AFTER_PUBLICATION;
		return mark_changed_after_publication(s, &d, spec, actor, e);
	}
	*change = d.status == DRAFT_APPROVED ? DRAFT_REVOKED : DRAFT_REVISED;
	rc = revise(s, &d, spec, actor, e);
	if (rc == II_OK && auto_approve)
		rc = approve_unless_rejected(s, d.uuid, spec,
					     d.status == DRAFT_REJECTED || d.status == DRAFT_SUPERSEDED,
					     actor, e);
	return rc;
}

static bool plausible_id(const char *id)
{
	if (strlen(id) < DRAFT_ID_MIN_PREFIX || strlen(id) > 36)
		return false;
	for (const char *p = id; *p; p++)
		if (!strchr("0123456789abcdef-", *p))
			return false;
	return true;
}

ii_err draft_find(struct store *s, const char *id, struct draft *out, struct ii_error *e)
{
	if (strlen(id) < DRAFT_ID_MIN_PREFIX)
		return ii_fail(e, II_EDATA, _("draft id '%s' is too short: give at least %d characters"),
			       id, DRAFT_ID_MIN_PREFIX);
	if (!plausible_id(id))
		return ii_fail(e, II_EDATA, _("no draft '%s'"), id);
	char pattern[40];
	snprintf(pattern, sizeof pattern, "%s%%", id);
	size_t count;
	char sql[sizeof draft_columns + 64];
	snprintf(sql, sizeof sql, "%sWHERE uuid LIKE ? LIMIT 2", draft_columns);
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare_texts(s, sql, &stmt, e, pattern, NULL);
	if (rc)
		return rc;
	struct draft found[2];
	for (count = 0; count < 2 && sqlite3_step(stmt) == SQLITE_ROW; count++)
		read_draft(stmt, &found[count]);
	sqlite3_finalize(stmt);
	if (count == 0)
		return ii_fail(e, II_EDATA, _("no draft '%s'"), id);
	if (count > 1)
		return ii_fail(e, II_EDATA, _("draft id '%s' is ambiguous: give more characters"), id);
	*out = found[0];
	return II_OK;
}

ii_err draft_set_incident(struct store *s, const char *uuid, const char *incident,
			  struct ii_error *e)
{
	return store_run_texts(s, N_("tie a draft to its incident"), e,
			       "UPDATE draft SET incident = ? WHERE uuid = ?", incident, uuid, NULL);
}

ii_err draft_set_due(struct store *s, const char *uuid, time_t due, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, "UPDATE draft SET due_at = ? WHERE uuid = ?", &stmt, e);
	if (rc)
		return rc;
	store_bind_time(stmt, 1, due);
	sqlite3_bind_text(stmt, 2, uuid, -1, SQLITE_STATIC);
	return store_run(s, stmt, N_("set when a draft is due"), e);
}

static bool collect_draft(sqlite3_stmt *stmt, void *record)
{
	read_draft(stmt, record);
	return true;
}

ii_err draft_list(struct store *s, bool all, struct draft **out, size_t *count,
		  struct ii_error *e)
{
	char sql[sizeof draft_columns + 128];
	snprintf(sql, sizeof sql, "%s%s ORDER BY created_at, rowid", draft_columns,
		 all ? "" : "WHERE status IN ('pending', 'approved', 'failed')");
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, sql, &stmt, e);
	if (rc)
		return rc;
	return store_collect(s, stmt, sizeof **out, collect_draft, NULL, (void **)out, count,
			     N_("list the drafts"), e);
}

static const char *const post_state_names[] = {
	[DRAFT_POST_PENDING] = "pending",
	[DRAFT_POST_SENDING] = "sending",
	[DRAFT_POST_SENT] = "sent",
};

const char *draft_post_state_name(enum draft_post_state state)
{
	return post_state_names[state];
}

/* A state the store does not know is taken as "sending": the post may be out there, so it
 * is looked for before anything is sent. */
static enum draft_post_state post_state_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof post_state_names / sizeof *post_state_names; i++)
		if (!strcmp(name, post_state_names[i]))
			return (enum draft_post_state)i;
	return DRAFT_POST_SENDING;
}

/* The journal of a post on a channel: ?1 the draft, ?2 the channel, ?3 the post's seq (a
 * statement about all the posts has no ?3, and SQLite ignores its binding). A post not
 * journalled on a channel yet is pending there. OWN_THREAD is the channel of the posts of
 * draft ?1's thread on channel ?2. */
#define OWN_THREAD THREAD_CHANNEL("(SELECT one_cut FROM draft WHERE uuid = ?1)", "?2")
static ii_err prepare_journal(struct store *s, const char *sql, const char *uuid,
			      const char *channel, size_t seq, sqlite3_stmt **stmt, struct ii_error *e)
{
	ii_err rc = store_prepare(s, sql, stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(*stmt, 1, uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(*stmt, 2, channel, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(*stmt, 3, (sqlite3_int64)seq);
	return II_OK;
}

static bool read_post(sqlite3_stmt *stmt, void *record)
{
	struct draft_post *p = record;
	if (!(p->text = strdup((const char *)sqlite3_column_text(stmt, 0))))
		return false;
	p->weighted_length = sqlite3_column_int(stmt, 1);
	p->state = post_state_from_name((const char *)sqlite3_column_text(stmt, 2));
	p->attempts = (long)sqlite3_column_int64(stmt, 3);
	store_copy_text(p->remote_id, sizeof p->remote_id, stmt, 4);
	p->sent_at = (time_t)sqlite3_column_int64(stmt, 5);
	store_copy_text(p->claimed_by, sizeof p->claimed_by, stmt, 6);
	p->claimed_at = (time_t)sqlite3_column_int64(stmt, 7);
	p->standalone = sqlite3_column_int(stmt, 8) != 0;
	store_copy_text(p->request_key, sizeof p->request_key, stmt, 9);
	return true;
}

static void release_post(void *record)
{
	free(((struct draft_post *)record)->text);
}

ii_err draft_posts(struct store *s, const char *uuid, const char *channel,
		   struct draft_post **out, size_t *count, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = prepare_journal(s,
				    "SELECT p.text, p.weighted_length, coalesce(j.state, 'pending'),"
				    " coalesce(j.attempts, 0), j.remote_ref, j.sent_at, j.claimed_by,"
				    " j.claimed_at, p.standalone, j.request_key FROM post p"
				    " LEFT JOIN publication j ON j.draft = p.draft AND j.seq = p.seq"
				    " AND j.channel = ?2 WHERE p.draft = ?1 AND p.channel = " OWN_THREAD
				    " ORDER BY p.seq",
				    uuid, channel, 0, &stmt, e);
	if (rc)
		return rc;
	return store_collect(s, stmt, sizeof **out, read_post, release_post, (void **)out, count,
			     N_("read a draft's posts"), e);
}

void draft_posts_free(struct draft_post *posts, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(posts[i].text);
	free(posts);
}

static ii_err get_by_uuid(struct store *s, const char *uuid, struct draft *d, struct ii_error *e)
{
	bool found;
	ii_err rc = draft_get(s, "WHERE uuid = ?", uuid, d, &found, e);
	if (rc == II_OK && !found)
		rc = ii_fail(e, II_EDATA, _("no draft '%s'"), uuid);
	return rc;
}

/* Whether the two-person rule refuses actor as the approver of d: when d's author names
 * the actor's person, or either is nobody the rule can tell apart. A notice's author is
 * resolved now, against today's people: a name nobody answers to any more (an alias
 * removed, a draft written before there were people) could be anyone's, the approver's
 * too, so nobody approves it until the notice names its author again. */
static ii_err two_person_check(const struct config *cfg, const struct draft *d,
			       const struct draft_actor *actor, struct ii_error *e)
{
	if (!actor->person)
		return ii_fail(e, II_EDATA,
			       _("the two-person rule needs the approver to be a configured person"));
	const struct config_person *author = NULL;
	ii_err rc = *d->author ? people_by_name(cfg, d->author, &author, e) : II_OK;
	if (rc == II_OK && !author && *d->source)
		rc = ii_fail(e, II_EDATA,
			     _("the notice's autor, '%s', names nobody of the [person] sections now: "
			       "the two-person rule cannot tell who wrote it (correct its autor)"),
			     d->author);
	else if (rc == II_OK && author && !strcmp(author->id, actor->person))
		rc = ii_fail(e, II_EDATA,
			     _("%s (%s) wrote this notice, as '%s', and cannot approve it too "
			       "(two-person rule)"),
			     author->name, author->id, d->author);
	return rc;
}

ii_err draft_approve(struct store *s, const char *uuid, const struct draft_actor *actor,
		     const struct config *two_person, struct ii_error *e)
{
	struct draft d;
	ii_err rc = get_by_uuid(s, uuid, &d, e);
	if (rc)
		return rc;
	if (d.status != DRAFT_PENDING)
		return ii_fail(e, II_EDATA, _("draft %.8s is %s, not pending"), d.uuid,
			       draft_status_label(d.status));
	if (two_person && two_person->two_person && (rc = two_person_check(two_person, &d, actor, e)))
		return rc;
	rc = set_status(s, d.uuid, DRAFT_APPROVED, actor->at, e);
	if (rc == II_OK)
		rc = draft_audit_add(s, d.uuid, d.incident, "approved", actor, NULL, e);
	return rc;
}

ii_err draft_hold(struct store *s, const char *uuid, const struct draft_actor *actor,
		  struct ii_error *e)
{
	struct draft d;
	bool began = false;
	ii_err rc = get_by_uuid(s, uuid, &d, e);
	if (rc == II_OK && (d.status == DRAFT_PENDING || d.status == DRAFT_APPROVED))
		rc = publication_began(s, d.uuid, &began, e);
	if (rc)
		return rc;
	if ((d.status != DRAFT_PENDING && d.status != DRAFT_APPROVED) || began)
		return ii_fail(e, II_EDATA, _("draft %.8s is %s: only a draft not sent yet can be held"),
			       d.uuid, began ? _("being published") : draft_status_label(d.status));
	rc = set_status(s, d.uuid, DRAFT_PENDING, actor->at, e);
	if (rc == II_OK)
		rc = draft_audit_add(s, d.uuid, d.incident, "held", actor, NULL, e);
	return rc;
}

ii_err draft_reject(struct store *s, const char *uuid, const struct draft_actor *actor,
		    const char *reason, struct ii_error *e)
{
	struct draft d;
	ii_err rc = get_by_uuid(s, uuid, &d, e);
	if (rc)
		return rc;
	if (d.status != DRAFT_PENDING && d.status != DRAFT_APPROVED)
		return ii_fail(e, II_EDATA, _("draft %.8s is %s: only a pending or approved draft can be rejected"),
			       d.uuid, draft_status_label(d.status));
	bool began;
	if ((rc = publication_began(s, d.uuid, &began, e)))
		return rc;
	if (began) {
		/* a "no" after posts went out would claim they did not: what is out is retracted */
		long long public = 0;
		sqlite3_stmt *stmt;
		rc = store_prepare_texts(s, "SELECT count(*) FROM publication WHERE draft = ? AND state = 'sent'",
					 &stmt, e, d.uuid, NULL);
		if (rc == II_OK)
			rc = store_first_int(s, stmt, &public, N_("read a draft's posts"), e);
		return rc ? rc
			  : ii_fail(e, II_EDATA,
				    _("cannot reject draft '%.8s': it is being published, %lld of %zu posts are"
				    " public; retract it once it is published"),
				    d.uuid, public, d.post_count);
	}
	rc = set_status(s, d.uuid, DRAFT_REJECTED, actor->at, e);
	if (rc == II_OK)
		rc = draft_audit_add(s, d.uuid, d.incident, "rejected", actor, reason, e);
	return rc ? rc : remember_refused_content(s, d.uuid, e);
}

/* The one statement that knows where a published post's time and reference are kept. */
static const char published_sql[] =
	"SELECT d.uuid, d.kind, d.title, d.incident, d.meta,"
	" (SELECT min(sent_at) FROM publication WHERE draft = d.uuid AND channel = ?1),"
	" (SELECT remote_ref FROM publication WHERE draft = d.uuid AND channel = ?1 AND seq = 0),"
	" (SELECT group_concat(text, char(10) || char(10)) FROM"
	"   (SELECT text FROM post WHERE draft = d.uuid AND channel = 'x' ORDER BY seq))"
	" FROM draft d WHERE d.status = 'published' ORDER BY 6, d.rowid";

static char *dup_column(sqlite3_stmt *stmt, int column)
{
	const char *text = (const char *)sqlite3_column_text(stmt, column);
	return strdup(text ? text : "");
}

static void release_published(void *record)
{
	struct draft_published *p = record;
	free(p->meta);
	free(p->remote_id);
	free(p->text);
}

static bool read_published(sqlite3_stmt *stmt, void *record)
{
	struct draft_published *p = record;
	store_copy_text(p->uuid, sizeof p->uuid, stmt, 0);
	p->kind = kind_from_column(stmt, 1);
	store_copy_text(p->title, sizeof p->title, stmt, 2);
	store_copy_text(p->incident, sizeof p->incident, stmt, 3);
	p->published = (time_t)sqlite3_column_int64(stmt, 5);
	bool meta_ok = sqlite3_column_type(stmt, 4) == SQLITE_NULL || (p->meta = dup_column(stmt, 4));
	p->remote_id = dup_column(stmt, 6);
	p->text = dup_column(stmt, 7);
	return meta_ok && p->remote_id && p->text;
}

ii_err draft_published_list(struct store *s, const char *channel, struct draft_published **out,
			    size_t *count, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, published_sql, &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, channel, -1, SQLITE_STATIC);
	return store_collect(s, stmt, sizeof **out, read_published, release_published,
			     (void **)out, count, N_("read the published drafts"), e);
}

void draft_published_free(struct draft_published *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		release_published(&list[i]);
	free(list);
}

static bool read_audit(sqlite3_stmt *stmt, void *record)
{
	struct draft_audit *a = record;
	a->id = sqlite3_column_int64(stmt, 0);
	a->at = (time_t)sqlite3_column_int64(stmt, 1);
	store_copy_text(a->draft, sizeof a->draft, stmt, 2);
	store_copy_text(a->incident, sizeof a->incident, stmt, 3);
	store_copy_text(a->action, sizeof a->action, stmt, 4);
	store_copy_text(a->name, sizeof a->name, stmt, 5);
	store_copy_text(a->os_user, sizeof a->os_user, stmt, 6);
	store_copy_text(a->detail, sizeof a->detail, stmt, 7);
	store_copy_text(a->person, sizeof a->person, stmt, 8);
	store_copy_text(a->identified_by, sizeof a->identified_by, stmt, 9);
	return true;
}

ii_err draft_audit_list(struct store *s, const char *uuid, struct draft_audit **out,
			size_t *count, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  uuid ? "SELECT id, at, draft, incident, action, name, os_user, detail,"
					 " person, identified_by FROM audit WHERE draft = ? ORDER BY id"
				       : "SELECT id, at, draft, incident, action, name, os_user, detail,"
					 " person, identified_by FROM audit ORDER BY id",
				  &stmt, e);
	if (rc)
		return rc;
	if (uuid)
		sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
	return store_collect(s, stmt, sizeof **out, read_audit, NULL, (void **)out, count,
			     N_("read the audit trail"), e);
}

ii_err draft_expire(struct store *s, time_t now, const struct draft_actor *actor, size_t *count,
		    struct ii_error *e)
{
	*count = 0;
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "SELECT uuid FROM draft WHERE status IN ('pending', 'approved')"
				  " AND expires_at IS NOT NULL AND expires_at <= ?"
				  " AND NOT EXISTS (SELECT 1 FROM publication WHERE publication.draft = draft.uuid"
				  "   AND publication.state <> 'pending')",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)now);
	char expired[64][37];
	while (*count < 64 && sqlite3_step(stmt) == SQLITE_ROW)
		store_copy_text(expired[(*count)++], 37, stmt, 0);
	sqlite3_finalize(stmt);
	/* at most 64 a run: the rest expire on the next */
	for (size_t i = 0; rc == II_OK && i < *count; i++) {
		rc = set_status(s, expired[i], DRAFT_EXPIRED, actor->at, e);
		if (rc == II_OK)
			rc = draft_audit_add(s, expired[i], NULL, "expired", actor, NULL, e);
	}
	return rc;
}

ii_err draft_due(struct store *s, time_t now, struct draft **out, size_t *count,
		 struct ii_error *e)
{
	struct draft *all;
	size_t n;
	ii_err rc = draft_list(s, false, &all, &n, e);
	if (rc)
		return rc;
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (all[i].status == DRAFT_APPROVED && all[i].due_at <= now &&
		    (!all[i].expires_at || all[i].expires_at > now))
			all[kept++] = all[i];
	*out = all;
	*count = kept;
	return II_OK;
}

ii_err draft_language(struct store *s, const char *uuid, char out[8], struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare_texts(s, "SELECT coalesce(json_extract(meta, '$.language'), 'es')"
				       " FROM draft WHERE uuid = ? AND json_valid(coalesce(meta, '{}'))",
				    &stmt, e, uuid, NULL);
	if (rc == II_OK)
		rc = store_first_text(s, stmt, out, 8, N_("read the drafts"), e);
	if (rc == II_OK && !*out)
		snprintf(out, 8, "es");
	return rc;
}

ii_err draft_last_remote_id(struct store *s, const char *uuid, const char *channel,
			    char remote_id[DRAFT_REF_SIZE], struct ii_error *e)
{
	remote_id[0] = '\0';
	sqlite3_stmt *stmt;
	/* "" unless every post is sent: a thread answers only a whole thread */
	ii_err rc = prepare_journal(s,
				    "SELECT j.remote_ref FROM post p LEFT JOIN publication j"
				    " ON j.draft = p.draft AND j.seq = p.seq AND j.channel = ?2"
				    " WHERE p.draft = ?1 AND p.channel = " OWN_THREAD " AND NOT EXISTS"
				    " (SELECT 1 FROM post q LEFT JOIN publication k ON k.draft = q.draft"
				    "   AND k.seq = q.seq AND k.channel = ?2"
				    "   WHERE q.draft = ?1 AND q.channel = " OWN_THREAD
				    "   AND coalesce(k.state, 'pending') <> 'sent')"
				    " ORDER BY p.seq DESC LIMIT 1",
				    uuid, channel, 0, &stmt, e);
	return rc ? rc : store_first_text(s, stmt, remote_id, DRAFT_REF_SIZE, N_("read a draft's posts"), e);
}

/* Runs a journal statement; *changed (may be NULL) says whether it changed the row. */
static ii_err run_journal(struct store *s, sqlite3_stmt *stmt, bool *changed, struct ii_error *e)
{
	ii_err rc = store_run(s, stmt, N_("journal a post"), e);
	if (changed)
		*changed = rc == II_OK && sqlite3_changes(s->db) == 1;
	return rc;
}

ii_err draft_post_claim(struct store *s, const char *uuid, const char *channel, size_t seq,
			enum draft_post_state from, long *attempts, const char *claimant, time_t at,
			const char *request_key, bool *claimed, struct ii_error *e)
{
	*claimed = false;
	sqlite3_stmt *stmt;
	ii_err rc = prepare_journal(s, "INSERT OR IGNORE INTO publication (draft, channel, seq)"
				       " VALUES (?1, ?2, ?3)",
				    uuid, channel, seq, &stmt, e);
	if (rc || (rc = run_journal(s, stmt, NULL, e)))
		return rc;
	rc = prepare_journal(s, "UPDATE publication SET state = 'sending', attempts = attempts + 1,"
				" remote_ref = NULL, sent_at = NULL, claimed_by = ?7, claimed_at = ?4,"
				" request_key = coalesce(?8, request_key) WHERE draft = ?1 AND channel = ?2 AND seq = ?3 AND state = ?5"
				" AND attempts = ?6 AND EXISTS (SELECT 1 FROM draft"
				"   WHERE uuid = ?1 AND status = 'approved')",
			     uuid, channel, seq, &stmt, e);
	if (rc)
		return rc;
	store_bind_time(stmt, 4, at);
	sqlite3_bind_text(stmt, 5, draft_post_state_name(from), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, *attempts);
	sqlite3_bind_text(stmt, 7, claimant, -1, SQLITE_TRANSIENT);
	if (request_key)
		sqlite3_bind_text(stmt, 8, request_key, -1, SQLITE_TRANSIENT);
	rc = run_journal(s, stmt, claimed, e);
	if (*claimed)
		++*attempts;
	return rc;
}

ii_err draft_post_release(struct store *s, const char *uuid, const char *channel, size_t seq,
			  long attempts, bool keeps_key, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = prepare_journal(s, "UPDATE publication SET state = 'pending', claimed_by = NULL,"
				       " claimed_at = NULL,"
				       " request_key = CASE WHEN ?5 THEN request_key END"
				       " WHERE draft = ?1 AND channel = ?2 AND seq = ?3"
				       " AND state = 'sending' AND attempts = ?4",
				    uuid, channel, seq, &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 4, attempts);
	sqlite3_bind_int(stmt, 5, keeps_key);
	return run_journal(s, stmt, NULL, e);
}

ii_err draft_post_sent(struct store *s, const char *uuid, const char *channel, size_t seq,
		       const char *remote_id, time_t at, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = prepare_journal(s, "INSERT INTO publication (draft, channel, seq, state, remote_ref,"
				       " sent_at) VALUES (?1, ?2, ?3, 'sent', ?4, ?5)"
				       " ON CONFLICT DO UPDATE SET state = 'sent', remote_ref = ?4,"
				       " sent_at = ?5",
				    uuid, channel, seq, &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 4, remote_id, -1, SQLITE_TRANSIENT);
	store_bind_time(stmt, 5, at);
	return run_journal(s, stmt, NULL, e);
}

ii_err draft_post_unsent(struct store *s, const char *uuid, const char *channel, size_t seq,
			 struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = prepare_journal(s, "UPDATE publication SET state = 'pending', remote_ref = NULL,"
				       " sent_at = NULL, claimed_by = NULL, claimed_at = NULL,"
				       " request_key = NULL WHERE draft = ?1 AND channel = ?2 AND seq = ?3",
				    uuid, channel, seq, &stmt, e);
	return rc ? rc : run_journal(s, stmt, NULL, e);
}

ii_err draft_ref_taken(struct store *s, const char *channel, const char *ref,
		       const char *uuid, size_t seq, bool *taken, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	long long count = 0;
	char number[24];
	snprintf(number, sizeof number, "%zu", seq); /* the column's affinity makes it a number */
	ii_err rc = store_prepare_texts(s, "SELECT count(*) FROM publication WHERE channel = ?"
					   " AND remote_ref = ? AND state = 'sent'"
					   " AND NOT (draft = ? AND seq = ?)",
					&stmt, e, channel, ref, uuid, number, NULL);
	if (rc == II_OK)
		rc = store_first_int(s, stmt, &count, N_("read the journal"), e);
	*taken = count > 0;
	return rc;
}

/* text as channels compare it (see draft_find_repeat()); NULL when out of memory or not
 * UTF-8. */
static char *comparable(const char *text)
{
	char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)text);
	if (!nfc)
		return NULL;
	char *out = nfc;
	for (const char *in = nfc; *in;) {
		size_t blank = strspn(in, " \t\r\n\v\f");
		if (blank) {
			in += blank;
			if (out != nfc && *in)
				*out++ = ' ';
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
	return nfc;
}

ii_err draft_find_repeat(struct store *s, const char *channel, const char *self_uuid,
			 const char *self_source, const char *const *posts, size_t count,
			 struct draft_repeat *out, size_t *found, struct ii_error *e)
{
	*found = 0;
	char **mine = calloc(count ? count : 1, sizeof *mine);
	struct draft_repeat *by_part = calloc(count ? count : 1, sizeof *by_part);
	bool *repeats = calloc(count ? count : 1, sizeof *repeats);
	ii_err rc = mine && by_part && repeats ? II_OK : ii_fail(e, II_ENOMEM, _("out of memory"));
	for (size_t i = 0; rc == II_OK && i < count; i++)
		if (posts[i] && !(mine[i] = comparable(posts[i])))
			rc = ii_fail(e, II_ENOMEM, _("out of memory comparing posts"));
	for (size_t i = 0; rc == II_OK && i < count; i++)
		for (size_t k = 0; mine[i] && !repeats[i] && k < i; k++)
			if (mine[k] && !strcmp(mine[i], mine[k])) {
				repeats[i] = true;
				by_part[i] = (struct draft_repeat){.part = i, .other_part = k, .other_count = count};
			}
	sqlite3_stmt *stmt = NULL;
	if (rc == II_OK && s)
		rc = store_prepare(s,
				   "SELECT p.draft, p.seq, p.text,"
				   " (SELECT count(*) FROM post q WHERE q.draft = p.draft"
				   "   AND q.channel = p.channel)"
				   " FROM post p JOIN publication j ON j.draft = p.draft AND j.seq = p.seq"
				   " JOIN draft d ON d.uuid = p.draft"
				   " WHERE j.channel = ?1 AND j.state <> 'pending'"
				   " AND p.channel = " THREAD_CHANNEL("d.one_cut", "j.channel")
				   " AND p.draft <> coalesce(?2, '')"
				   " AND (?3 IS NULL OR d.source IS NOT ?3)"
				   " ORDER BY coalesce(j.sent_at, j.claimed_at), p.draft, p.seq",
				   &stmt, e);
	if (stmt) {
		sqlite3_bind_text(stmt, 1, channel, -1, SQLITE_STATIC);
		bind_optional(stmt, 2, self_uuid);
		bind_optional(stmt, 3, self_source);
		int step;
		while (rc == II_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
			char *theirs = comparable((const char *)sqlite3_column_text(stmt, 2));
			for (size_t i = 0; theirs && i < count; i++)
				if (mine[i] && !repeats[i] && !strcmp(mine[i], theirs)) {
					repeats[i] = true;
					by_part[i].part = i;
					store_copy_text(by_part[i].draft, sizeof by_part[i].draft, stmt, 0);
					by_part[i].other_part = (size_t)sqlite3_column_int64(stmt, 1);
					by_part[i].other_count = (size_t)sqlite3_column_int64(stmt, 3);
				}
			free(theirs);
		}
		if (rc == II_OK && step != SQLITE_DONE)
			rc = store_fail(s, e, N_("read the published posts"));
		sqlite3_finalize(stmt);
	}
	for (size_t i = 0; rc == II_OK && i < count; i++)
		if (repeats[i])
			out[(*found)++] = by_part[i];
	for (size_t i = 0; mine && i < count; i++)
		free(mine[i]);
	free(mine);
	free(by_part);
	free(repeats);
	return rc;
}

void draft_repeat_describe(const struct draft_repeat *r, size_t count, const char *channel,
			   char *out, size_t size)
{
	if (*r->draft)
		snprintf(out, size, "post %zu/%zu repeats draft %.8s's post %zu/%zu, already on %s,"
			 " which refuses a repeated post", r->part + 1, count, r->draft,
			 r->other_part + 1, r->other_count, channel);
	else
		snprintf(out, size, "post %zu/%zu repeats post %zu/%zu of the same thread, and %s"
			 " refuses a repeated post", r->part + 1, count, r->other_part + 1, count, channel);
}

static ii_err finish(struct store *s, const char *uuid, enum draft_status status,
		     const char *error, const char *action, const struct draft_actor *actor,
		     struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, "UPDATE draft SET status = ?, updated_at = ?, error = ? WHERE uuid = ?",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, draft_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)actor->at);
	bind_optional(stmt, 3, error);
	sqlite3_bind_text(stmt, 4, uuid, -1, SQLITE_STATIC);
	rc = store_run(s, stmt, N_("record a publication"), e);
	if (rc == II_OK)
		rc = draft_audit_add(s, uuid, NULL, action, actor, error, e);
	return rc;
}

ii_err draft_supersede(struct store *s, const char *uuid, const char *why,
		       const struct draft_actor *actor, bool *done, struct ii_error *e)
{
	*done = false;
	struct draft d;
	bool began;
	ii_err rc = get_by_uuid(s, uuid, &d, e);
	if (rc || (d.status != DRAFT_PENDING && d.status != DRAFT_APPROVED))
		return rc;
	if ((rc = publication_began(s, d.uuid, &began, e)) || began)
		return rc;
	*done = true;
	rc = set_status(s, d.uuid, DRAFT_SUPERSEDED, actor->at, e);
	return rc ? rc : draft_audit_add(s, d.uuid, d.incident, "superseded", actor, why, e);
}

ii_err draft_unsent_among(struct store *s, const char *among, const char *key, char uuid[37],
			  struct ii_error *e)
{
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "SELECT uuid FROM draft d WHERE status IN ('pending', 'approved') AND uuid IN (%s)"
		 " AND NOT EXISTS (SELECT 1 FROM publication WHERE draft = d.uuid AND state <> 'pending')"
		 " LIMIT 1",
		 among);
	bool found;
	uuid[0] = '\0';
	return store_query_one(s, sql, key, read_uuid, uuid, &found, N_("read the drafts"), e);
}

ii_err draft_audit_last_publication(struct store *s, long long *id, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "SELECT coalesce(max(id), 0) FROM audit"
				  " WHERE action IN ('published', 'retracted')",
				  &stmt, e);
	return rc ? rc : store_first_int(s, stmt, id, N_("read the audit trail"), e);
}

ii_err draft_published(struct store *s, const char *uuid, const struct draft_actor *actor,
		       struct ii_error *e)
{
	return finish(s, uuid, DRAFT_PUBLISHED, NULL, "published", actor, e);
}

ii_err draft_failed(struct store *s, const char *uuid, const char *why,
		    const struct draft_actor *actor, struct ii_error *e)
{
	return finish(s, uuid, DRAFT_FAILED, why, "failed", actor, e);
}

ii_err draft_retracted(struct store *s, const char *uuid, const char *reason,
		       const struct draft_actor *actor, struct ii_error *e)
{
	ii_err rc = finish(s, uuid, DRAFT_REJECTED, reason, "retracted", actor, e);
	return rc ? rc : remember_refused_content(s, uuid, e);
}

ii_err draft_has_thread(struct store *s, const char *uuid, const char *channel, bool *has,
			struct ii_error *e)
{
	sqlite3_stmt *stmt;
	long long count = 0;
	ii_err rc = prepare_journal(s, "SELECT count(*) FROM post WHERE draft = ?1 AND channel = "
				    OWN_THREAD, uuid, channel, 0, &stmt, e);
	if (rc == II_OK)
		rc = store_first_int(s, stmt, &count, N_("read a draft's posts"), e);
	*has = count > 0;
	return rc;
}

ii_err draft_thread_switch(struct store *s, const char *uuid, const char *channel, size_t seq,
			   const char *why, const struct draft_actor *actor, bool *switched,
			   struct ii_error *e)
{
	*switched = false;
	sqlite3_stmt *stmt;
	long long blocking = 0;
	char single[DRAFT_TITLE_SIZE * 2] = "";
	/* nothing from seq on may have left: what is out stays in its thread */
	ii_err rc = prepare_journal(s, "SELECT count(*) FROM publication WHERE draft = ?1"
				    " AND channel = ?2 AND seq > ?3 AND state <> 'pending'",
				    uuid, channel, seq, &stmt, e);
	if (rc == II_OK)
		rc = store_first_int(s, stmt, &blocking, N_("read a draft's posts"), e);
	if (rc == II_OK && !blocking &&
	    (rc = store_prepare_texts(s, "SELECT coalesce(single_text, '') FROM draft WHERE uuid = ?",
				      &stmt, e, uuid, NULL)) == II_OK)
		rc = store_first_text(s, stmt, single, sizeof single, N_("read a draft"), e);
	if (rc || blocking || !*single)
		return rc;
	/* a draft cut once has no single post (schema 12 kept none): it never gets here */
	struct draft d;
	if ((rc = get_by_uuid(s, uuid, &d, e)))
		return rc;
	if ((rc = prepare_journal(s, "DELETE FROM post WHERE draft = ?1 AND channel = ?2"
				  " AND seq >= ?3", uuid, channel, seq, &stmt, e)) == II_OK)
		rc = store_run(s, stmt, N_("replace a draft's posts"), e);
	if (rc == II_OK && (rc = prepare_journal(s, "DELETE FROM publication WHERE draft = ?1"
						" AND channel = ?2 AND seq > ?3",
						uuid, channel, seq, &stmt, e)) == II_OK)
		rc = store_run(s, stmt, N_("replace a draft's posts"), e);
	if (rc == II_OK && (rc = prepare_journal(s, "INSERT INTO post (draft, channel, seq, text,"
						" weighted_length, standalone) SELECT ?1, ?2, ?3,"
						" single_text, single_length, 1 FROM draft WHERE uuid = ?1",
						uuid, channel, seq, &stmt, e)) == II_OK)
		rc = store_run(s, stmt, N_("save a draft's post"), e);
	if (rc == II_OK)
		rc = draft_audit_add(s, uuid, d.incident, "thread mode switched", actor, why, e);
	*switched = rc == II_OK;
	return rc;
}

ii_err draft_text_exists(struct store *s, const char *text, bool *exists, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	long long count = 0;
	ii_err rc = store_prepare_texts(s, "SELECT count(*) FROM post WHERE text = ?", &stmt, e, text,
					NULL);
	if (rc == II_OK)
		rc = store_first_int(s, stmt, &count, N_("look for an earlier post"), e);
	*exists = rc == II_OK && count > 0;
	return rc;
}

static const char *const delivery_names[] = {
	[DRAFT_DELIVERY_NONE] = "", [DRAFT_DELIVERY_PUBLISHED] = "published",
	[DRAFT_DELIVERY_FAILED] = "failed",
};

ii_err draft_delivery_get(struct store *s, const char *uuid, const char *channel,
			  enum draft_delivery *state, char *error, struct ii_error *e)
{
	*state = DRAFT_DELIVERY_NONE;
	if (error)
		*error = '\0';
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, "SELECT state, error FROM delivery WHERE draft = ? AND channel = ?",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, channel, -1, SQLITE_STATIC);
	int step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(stmt, 0);
		*state = name && !strcmp(name, delivery_names[DRAFT_DELIVERY_FAILED])
				 ? DRAFT_DELIVERY_FAILED
				 : DRAFT_DELIVERY_PUBLISHED;
		if (error)
			store_copy_text(error, 512, stmt, 1);
	} else if (step != SQLITE_DONE) {
		rc = store_fail(s, e, N_("read how a draft ended on a channel"));
	}
	sqlite3_finalize(stmt);
	return rc;
}

ii_err draft_delivery_set(struct store *s, const char *uuid, const char *channel,
			  enum draft_delivery state, const char *error, time_t at,
			  struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "INSERT OR REPLACE INTO delivery (draft, channel, state, error, at)"
				  " VALUES (?, ?, ?, ?, ?)",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, delivery_names[state], -1, SQLITE_STATIC);
	bind_optional(stmt, 4, error);
	sqlite3_bind_int64(stmt, 5, (sqlite3_int64)at);
	return store_run(s, stmt, N_("record how a draft ended on a channel"), e);
}
