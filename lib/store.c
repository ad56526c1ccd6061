#include "i18n.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "path.h"
#include "store_sql.h"


/* migrations[v] takes a database from schema v to v + 1; never edit a released one */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
	"CREATE TABLE service ("
	"  id TEXT PRIMARY KEY,"
	"  state TEXT NOT NULL,"
	"  since INTEGER,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  successes INTEGER NOT NULL DEFAULT 0,"
	"  first_failure INTEGER,"
	"  first_success INTEGER,"
	"  last_check INTEGER,"
	"  last_result TEXT,"
	"  last_reason TEXT,"
	"  last_http_status INTEGER,"
	"  last_time_ms INTEGER"
	");"
	"CREATE TABLE probe ("
	"  id INTEGER PRIMARY KEY,"
	"  service TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  result TEXT NOT NULL,"
	"  http_status INTEGER,"
	"  time_ms INTEGER,"
	"  reason TEXT NOT NULL"
	");"
	"CREATE INDEX probe_at ON probe(at);"
	"CREATE INDEX probe_service_at ON probe(service, at);"
	"CREATE TABLE incident ("
	"  uuid TEXT PRIMARY KEY,"
	"  service TEXT NOT NULL,"
	"  opened_at INTEGER NOT NULL,"
	"  resolved_at INTEGER,"
	"  cause TEXT NOT NULL"
	");"
	"CREATE UNIQUE INDEX incident_open ON incident(service) WHERE resolved_at IS NULL;",

	/* 2: drafts of posts, their parts, and the audit trail */
	"CREATE TABLE draft ("
	"  uuid TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  source TEXT,"
	"  content_hash TEXT,"
	"  author TEXT,"
	"  incident TEXT,"
	"  reply_to TEXT,"
	"  meta TEXT,"
	"  status TEXT NOT NULL,"
	"  due_at INTEGER,"
	"  expires_at INTEGER,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  changed_after_publication INTEGER NOT NULL DEFAULT 0,"
	"  error TEXT"
	");"
	"CREATE UNIQUE INDEX draft_source ON draft(source) WHERE source IS NOT NULL;"
	"CREATE INDEX draft_status ON draft(status, created_at);"
	"CREATE TABLE post ("
	"  draft TEXT NOT NULL REFERENCES draft(uuid),"
	"  seq INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  weighted_length INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending',"
	"  remote_id TEXT,"
	"  sent_at INTEGER,"
	"  PRIMARY KEY (draft, seq)"
	");"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  draft TEXT,"
	"  incident TEXT,"
	"  action TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  os_user TEXT NOT NULL,"
	"  detail TEXT"
	");"
	"CREATE INDEX audit_draft ON audit(draft, id);"
	"ALTER TABLE incident ADD COLUMN kind TEXT NOT NULL DEFAULT 'outage';"
	"ALTER TABLE incident ADD COLUMN status TEXT NOT NULL DEFAULT 'investigando';"
	"ALTER TABLE incident ADD COLUMN scope TEXT;"
	"ALTER TABLE incident ADD COLUMN last_post_at INTEGER;"
	"ALTER TABLE incident ADD COLUMN last_draft TEXT;"
	/* a manual incident about free text (an office) has no service */
	"DROP INDEX incident_open;"
	"CREATE UNIQUE INDEX incident_open ON incident(service)"
	"  WHERE resolved_at IS NULL AND service <> '';"
	"CREATE TABLE maintenance ("
	"  draft TEXT PRIMARY KEY REFERENCES draft(uuid),"
	"  service TEXT NOT NULL,"
	"  starts_at INTEGER NOT NULL,"
	"  ends_at INTEGER NOT NULL,"
	"  last_draft TEXT,"
	"  started INTEGER NOT NULL DEFAULT 0,"
	"  finished INTEGER NOT NULL DEFAULT 0"
	");"
	/* the publishing channel's memory between runs: rate limits, account, last success */
	"CREATE TABLE channel ("
	"  name TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	");",

	/* 3: several channels. The journal of each post is kept per (draft, channel, seq), and
	 * the channel's memory per channel; what X (until now the only channel) knew becomes
	 * channel "x"'s. attempts counts the claims, for the compare-and-set of the claim;
	 * claimed_by and claimed_at say which process claimed a post, and when. A post left
	 * "sending" by 0.1.0 keeps its claim's time, and has no known claimant. */
	"CREATE TABLE publication ("
	"  draft TEXT NOT NULL REFERENCES draft(uuid),"
	"  channel TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending',"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  remote_ref TEXT,"
	"  sent_at INTEGER,"
	"  claimed_by TEXT,"
	"  claimed_at INTEGER,"
	"  PRIMARY KEY (draft, channel, seq)"
	");"
	"INSERT INTO publication (draft, channel, seq, state, attempts, remote_ref, sent_at,"
	"  claimed_at)"
	"  SELECT draft, 'x', seq, state, state <> 'pending', remote_id,"
	"    CASE state WHEN 'sent' THEN sent_at END, CASE state WHEN 'sending' THEN sent_at END"
	"  FROM post;"
	"ALTER TABLE post DROP COLUMN state;"
	"ALTER TABLE post DROP COLUMN remote_id;"
	"ALTER TABLE post DROP COLUMN sent_at;"
	"ALTER TABLE channel RENAME TO channel_v2;"
	"CREATE TABLE channel ("
	"  channel TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (channel, name)"
	");"
	"INSERT INTO channel (channel, name, value) SELECT 'x', name, value FROM channel_v2;"
	"DROP TABLE channel_v2;",

	/* 4: an outage the monitor confirms while staff have a manual incident open on the
	 * same service is an incident of its own (in the manual one's thread): one open
	 * incident per service and origin */
	"DROP INDEX IF EXISTS incident_open;"
	"CREATE UNIQUE INDEX incident_open ON incident(service)"
	"  WHERE resolved_at IS NULL AND service <> '' AND kind <> 'manual';"
	"CREATE UNIQUE INDEX incident_open_manual ON incident(service)"
	"  WHERE resolved_at IS NULL AND service <> '' AND kind = 'manual';",

	/* 5: what keeps the cron cycle from its job, reported once per change (lib/condition) */
	"CREATE TABLE condition ("
	"  key TEXT PRIMARY KEY,"
	"  detail TEXT NOT NULL,"
	"  since INTEGER NOT NULL,"
	"  seen_at INTEGER NOT NULL,"
	"  reported_at INTEGER NOT NULL"
	");",

	/* 6: the content a person rejected or retracted, kept on the audit entry because a
	 * revision of the draft overwrites draft.content_hash; what 0.1.0 recorded is known
	 * only by each draft's latest content */
	"ALTER TABLE audit ADD COLUMN content_hash TEXT;"
	"UPDATE audit SET content_hash = (SELECT content_hash FROM draft WHERE uuid = audit.draft)"
	"  WHERE action IN ('rejected', 'retracted');",

	/* 7: who acted, as a configured person (issue 15), and how the caller was identified;
	 * earlier entries did not record it, and say nothing rather than a guess */
	"ALTER TABLE audit ADD COLUMN person TEXT;"
	"ALTER TABLE audit ADD COLUMN identified_by TEXT;",
	/* 8: the journal of the alerts to staff (lib/notify): one row per event and target,
	 * raised in the transaction of the change it tells of */
	"CREATE TABLE notification ("
	"  event_key TEXT NOT NULL,"
	"  target TEXT NOT NULL,"
	"  event TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  url TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending',"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  claimed_by TEXT,"
	"  claimed_at INTEGER,"
	"  done_at INTEGER,"
	"  error TEXT,"
	"  PRIMARY KEY (event_key, target)"
	");"
	"CREATE INDEX notification_due ON notification(state, next_at);"
	/* a person held the incident's public posts (incident hold) */
	"ALTER TABLE incident ADD COLUMN held INTEGER NOT NULL DEFAULT 0;",

	/* 9: the posts a revision replaced, so the review console can show what changed (issue
	 * 15); drafts revised before have none, and show no changes rather than a guess */
	"ALTER TABLE draft ADD COLUMN previous_text TEXT;",
	/* 10: the person an alert is about (a draft's or notice's author, by [person] id), whom
	 * a target's @author reaches when it is sent */
	"ALTER TABLE notification ADD COLUMN person TEXT;",
	/* 11: a draft goes to every configured channel (issue 16): how it ended on each, so
	 * that one channel failing or paused never holds the others; the draft's own status
	 * sums them up. Drafts that ended before were X's alone, and their status says how. */
	"CREATE TABLE delivery ("
	"  draft TEXT NOT NULL REFERENCES draft(uuid),"
	"  channel TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  error TEXT,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (draft, channel)"
	");",
	/* 12: one thread per channel (issue 16), each cut by that channel's counter when the
	 * draft is made, so that what is approved is what each network shows. The posts are
	 * keyed (draft, channel, seq); the posts of earlier drafts become X's ('x'), and
	 * one_cut marks those drafts: they were cut once, by X's counter, and approved so for
	 * every channel, so each channel publishes X's posts for them (draft_posts()) until a
	 * revision cuts them per channel. standalone marks the post that answers nothing: the
	 * one that took the place of the rest of a thread a channel refused to continue
	 * (lib/publish). single_text is that post's text (single_length its length on X), kept with the draft so that it was
	 * approved with it; NULL when the draft had no link to give. */
	"ALTER TABLE post RENAME TO post_v11;"
	"CREATE TABLE post ("
	"  draft TEXT NOT NULL REFERENCES draft(uuid),"
	"  channel TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  weighted_length INTEGER NOT NULL,"
	"  standalone INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (draft, channel, seq)"
	");"
	"INSERT INTO post (draft, channel, seq, text, weighted_length)"
	"  SELECT draft, 'x', seq, text, weighted_length FROM post_v11;"
	"DROP TABLE post_v11;"
	"ALTER TABLE draft ADD COLUMN one_cut INTEGER NOT NULL DEFAULT 0;"
	"UPDATE draft SET one_cut = 1;"
	"ALTER TABLE draft ADD COLUMN single_text TEXT;"
	"ALTER TABLE draft ADD COLUMN single_length INTEGER NOT NULL DEFAULT 0;",

	/* 13: the key of a post's request, when its channel chooses one at the claim (issue
	 * 16: Bluesky's record key, a TID of the claim's time): journalled with the claim, so
	 * that a retry after a crash names the same record */
	"ALTER TABLE publication ADD COLUMN request_key TEXT;",
};

ii_err store_fail(struct store *s, struct ii_error *e, const char *doing)
{
	return ii_fail(e, II_ESTATE, _("cannot %s in '%s': %s"), _(doing), s->path, sqlite3_errmsg(s->db));
}

static ii_err exec(struct store *s, const char *sql, const char *doing, struct ii_error *e)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? II_OK : store_fail(s, e, doing);
}

ii_err store_prepare(struct store *s, const char *sql, sqlite3_stmt **stmt, struct ii_error *e)
{
	return sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL) == SQLITE_OK
		       ? II_OK
		       : store_fail(s, e, N_("prepare a query"));
}

/* store_prepare() for a statement run again and again: the cached one with the same
 * text, or a new one that takes a slot. Released with run_cached() or sqlite3_reset(). */
static ii_err prepare_cached(struct store *s, const char *sql, sqlite3_stmt **stmt, struct ii_error *e)
{
	sqlite3_stmt **slot = NULL;
	for (size_t i = 0; i < STORE_CACHED_STATEMENTS; i++) {
		if (!s->cached[i]) {
			slot = slot ? slot : &s->cached[i];
		} else if (!strcmp(sqlite3_sql(s->cached[i]), sql)) {
			*stmt = s->cached[i];
			return II_OK;
		}
	}
	if (!slot) {
		slot = &s->cached[s->next_evicted++ % STORE_CACHED_STATEMENTS];
		sqlite3_finalize(*slot);
		*slot = NULL;
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL) != SQLITE_OK)
		return store_fail(s, e, N_("prepare a query"));
	*slot = *stmt;
	return II_OK;
}

/* store_run() for a statement of prepare_cached(): reset for the next call, its bound
 * strings (often the caller's, SQLITE_STATIC) let go. */
static ii_err run_cached(struct store *s, sqlite3_stmt *stmt, const char *doing, struct ii_error *e)
{
	ii_err err = sqlite3_step(stmt) == SQLITE_DONE ? II_OK : store_fail(s, e, doing);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return err;
}

ii_err store_run(struct store *s, sqlite3_stmt *stmt, const char *doing, struct ii_error *e)
{
	int rc = sqlite3_step(stmt);
	ii_err err = rc == SQLITE_DONE ? II_OK : store_fail(s, e, doing);
	sqlite3_finalize(stmt);
	return err;
}

static ii_err prepare_texts(struct store *s, const char *sql, sqlite3_stmt **stmt,
			    struct ii_error *e, va_list texts)
{
	ii_err rc = store_prepare(s, sql, stmt, e);
	const char *text;
	for (int index = 1; rc == II_OK && (text = va_arg(texts, const char *)); index++)
		sqlite3_bind_text(*stmt, index, text, -1, SQLITE_STATIC);
	return rc;
}

ii_err store_prepare_texts(struct store *s, const char *sql, sqlite3_stmt **stmt,
			   struct ii_error *e, ...)
{
	va_list texts;
	va_start(texts, e);
	ii_err rc = prepare_texts(s, sql, stmt, e, texts);
	va_end(texts);
	return rc;
}

ii_err store_run_texts(struct store *s, const char *doing, struct ii_error *e, const char *sql,
		       ...)
{
	sqlite3_stmt *stmt;
	va_list texts;
	va_start(texts, sql);
	ii_err rc = prepare_texts(s, sql, &stmt, e, texts);
	va_end(texts);
	return rc ? rc : store_run(s, stmt, doing, e);
}

void store_bind_time(sqlite3_stmt *stmt, int index, time_t t)
{
	if (t)
		sqlite3_bind_int64(stmt, index, (sqlite3_int64)t);
	else
		sqlite3_bind_null(stmt, index);
}

void store_copy_text(char *dst, size_t size, sqlite3_stmt *stmt, int column)
{
	const unsigned char *text = sqlite3_column_text(stmt, column);
	snprintf(dst, size, "%s", text ? (const char *)text : "");
}

ii_err store_query_one(struct store *s, const char *sql, const char *key,
			void (*read)(sqlite3_stmt *stmt, void *record), void *record, bool *found,
			const char *doing, struct ii_error *e)
{
	*found = false;
	sqlite3_stmt *stmt;
	ii_err rc = prepare_cached(s, sql, &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	int step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		*found = true;
		read(stmt, record);
	} else if (step != SQLITE_DONE) {
		rc = store_fail(s, e, doing);
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return rc;
}

/* PRAGMA user_version, or -1 when it cannot be read. */
static int schema_version(struct store *s)
{
	sqlite3_stmt *stmt;
	int version = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			version = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
	}
	return version;
}

static ii_err migrate(struct store *s, struct ii_error *e)
{
	ii_err rc = exec(s, "BEGIN IMMEDIATE", N_("start a migration"), e);
	if (rc)
		return rc;
	int version = schema_version(s);
	if (version < 0) {
		rc = store_fail(s, e, N_("read the schema version"));
	} else if (version > STORE_SCHEMA_VERSION) {
		rc = ii_fail(e, II_ESTATE,
			     _("database '%s' has schema %d, newer than this incluinfo knows (%d)"),
			     s->path, version, STORE_SCHEMA_VERSION);
	}
	for (; rc == II_OK && version < STORE_SCHEMA_VERSION; version++) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version + 1);
		rc = exec(s, migrations[version], N_("migrate the schema"), e);
		if (rc == II_OK)
			rc = exec(s, pragma, N_("record the schema version"), e);
	}
	if (rc == II_OK)
		return exec(s, "COMMIT", N_("commit a migration"), e);
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

ii_err store_collect(struct store *s, sqlite3_stmt *stmt, size_t size,
		     bool (*read)(sqlite3_stmt *stmt, void *record), void (*release)(void *record),
		     void **out, size_t *count, const char *doing, struct ii_error *e)
{
	*out = NULL;
	*count = 0;
	char *items = NULL;
	size_t n = 0, capacity = 0;
	ii_err rc = II_OK;
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == capacity) {
			size_t next = capacity ? capacity * 2 : 16;
			char *grown = reallocarray(items, next, size);
			if (!grown) {
				rc = ii_fail(e, II_ENOMEM, _("out of memory"));
				break;
			}
			items = grown;
			capacity = next;
		}
		memset(items + n * size, 0, size);
		if (!read(stmt, items + n * size)) {
			if (release)
				release(items + n * size);
			rc = ii_fail(e, II_ENOMEM, _("out of memory"));
			break;
		}
		n++;
	}
	if (rc == II_OK && step != SQLITE_DONE)
		rc = store_fail(s, e, doing);
	sqlite3_finalize(stmt);
	if (rc) {
		for (size_t i = 0; release && i < n; i++)
			release(items + i * size);
		free(items);
		return rc;
	}
	*out = items;
	*count = n;
	return II_OK;
}

ii_err store_first_text(struct store *s, sqlite3_stmt *stmt, char *dst, size_t size,
			const char *doing, struct ii_error *e)
{
	dst[0] = '\0';
	int step = sqlite3_step(stmt);
	if (step == SQLITE_ROW)
		store_copy_text(dst, size, stmt, 0);
	sqlite3_finalize(stmt);
	return step == SQLITE_ROW || step == SQLITE_DONE ? II_OK : store_fail(s, e, doing);
}

ii_err store_first_int(struct store *s, sqlite3_stmt *stmt, long long *dst, const char *doing,
		       struct ii_error *e)
{
	ii_err rc = II_OK;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*dst = sqlite3_column_int64(stmt, 0);
	else
		rc = store_fail(s, e, doing);
	sqlite3_finalize(stmt);
	return rc;
}

void store_new_uuid(char uuid[37])
{
	uuid_t raw;
	uuid_generate_random(raw);
	uuid_unparse_lower(raw, uuid);
}

char *store_path(const char *state_dir)
{
	return path_resolve(state_dir, "incluinfo.db");
}

/*
 * The database and SQLite's files beside it (its -wal and -shm take the database's mode)
 * are private whatever the umask and state_dir's mode, and never reached through a link.
 * The database is created here, 0600, before SQLite would create it 0644.
 */
static ii_err own_files(const char *state_dir, const char *db, enum store_mode mode,
			struct ii_error *e)
{
	bool exists, open_to_others;
	struct ii_error why = {0};
	ii_err rc = path_state_dir(state_dir, mode == STORE_WRITE, &exists, &open_to_others, &why);
	if (rc == II_OK && !exists)
		rc = ii_fail(&why, II_ESTATE, _("cannot open '%s': %s"), db, strerror(ENOENT));
	int access = mode == STORE_WRITE ? O_RDWR : O_RDONLY;
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	for (size_t i = 0; rc == II_OK && i < sizeof suffixes / sizeof *suffixes; i++) {
		char *path;
		if (asprintf(&path, "%s%s", db, suffixes[i]) < 0)
			return ii_fail(e, II_ENOMEM, _("out of memory"));
		struct stat st;
		int fd = -1;
		if (i == 0 || lstat(path, &st) == 0 || errno != ENOENT)
			rc = path_open_private(path, access | (i == 0 && mode == STORE_WRITE ? O_CREAT : 0),
					       &fd, &why);
		if (fd >= 0)
			close(fd);
		free(path);
	}
	return rc ? ii_fail(e, rc == II_ENOMEM ? rc : II_ESTATE, "%s", why.detail) : II_OK;
}

ii_err store_exists(const char *state_dir, bool *exists, bool *open_to_others,
		    struct ii_error *e)
{
	*exists = false;
	bool dir_exists;
	struct ii_error why = {0};
	if (path_state_dir(state_dir, false, &dir_exists, open_to_others, &why))
		return ii_fail(e, II_ESTATE, "%s", why.detail);
	char *db = store_path(state_dir);
	if (!db)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	struct stat st;
	ii_err rc = II_OK;
	if (dir_exists && lstat(db, &st) == 0)
		*exists = true;
	else if (dir_exists && errno != ENOENT)
		rc = ii_fail(e, II_ESTATE, _("cannot open '%s': %s"), db, strerror(errno));
	free(db);
	return rc;
}

ii_err store_open(const char *state_dir, enum store_mode mode, struct store **out,
		  struct ii_error *e)
{
	*out = NULL;
	struct store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = store_path(state_dir))) {
		free(s);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	int flags = mode == STORE_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
					: SQLITE_OPEN_READONLY;
	ii_err rc = own_files(state_dir, s->path, mode, e);
	if (rc == II_OK && sqlite3_open_v2(s->path, &s->db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
					   NULL) != SQLITE_OK)
		rc = ii_fail(e, II_ESTATE, _("cannot open '%s': %s"), s->path,
			     s->db ? sqlite3_errmsg(s->db) : "out of memory");
	if (rc == II_OK) {
		sqlite3_busy_timeout(s->db, 10000);
		sqlite3_extended_result_codes(s->db, 1);
	}
	if (rc == II_OK && mode == STORE_WRITE) {
		/* FULL: a committed check survives a power cut, not only a crash */
		rc = exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL", N_("set up the journal"), e);
		if (rc == II_OK)
			rc = migrate(s, e);
	}
	if (rc == II_OK && mode == STORE_READ) {
		int version = schema_version(s);
		if (version < 0)
			rc = store_fail(s, e, N_("read the schema"));
		else if (version != STORE_SCHEMA_VERSION)
			rc = ii_fail(e, II_ESTATE, _("database '%s' has schema %d, expected %d (run 'incluinfo check' to migrate it)"),
				     s->path, version, STORE_SCHEMA_VERSION);
	}
	if (rc != II_OK) {
		store_close(s);
		return rc;
	}
	*out = s;
	return II_OK;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < STORE_CACHED_STATEMENTS; i++)
		sqlite3_finalize(s->cached[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

ii_err store_begin(struct store *s, struct ii_error *e)
{
	return exec(s, "BEGIN IMMEDIATE", N_("start a transaction"), e);
}

ii_err store_commit(struct store *s, struct ii_error *e)
{
	return exec(s, "COMMIT", N_("commit"), e);
}

void store_rollback(struct store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static void read_service(sqlite3_stmt *stmt, void *record)
{
	struct store_service *out = record;
	struct health_state *h = &out->health;
	h->state = health_from_name((const char *)sqlite3_column_text(stmt, 0));
	h->since = (time_t)sqlite3_column_int64(stmt, 1);
	h->failures = sqlite3_column_int(stmt, 2);
	h->successes = sqlite3_column_int(stmt, 3);
	h->first_failure = (time_t)sqlite3_column_int64(stmt, 4);
	h->first_success = (time_t)sqlite3_column_int64(stmt, 5);
	out->last_check = (time_t)sqlite3_column_int64(stmt, 6);
	const unsigned char *result = sqlite3_column_text(stmt, 7);
	out->last_result = result ? health_from_name((const char *)result) : HEALTH_UNKNOWN;
	store_copy_text(out->last_reason, sizeof out->last_reason, stmt, 8);
	out->last_http_status = sqlite3_column_int(stmt, 9);
	out->last_time_ms = sqlite3_column_int(stmt, 10);
}

ii_err store_service_get(struct store *s, const char *id, struct store_service *out, bool *found,
			 struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	return store_query_one(s,
			 "SELECT state, since, failures, successes, first_failure, first_success,"
			 " last_check, last_result, last_reason, last_http_status, last_time_ms"
			 " FROM service WHERE id = ?",
			 id, read_service, out, found, N_("read a service's state"), e);
}

ii_err store_service_put(struct store *s, const char *id, const struct store_service *in,
			 struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = prepare_cached(s,
			    "INSERT OR REPLACE INTO service (id, state, since, failures, successes,"
			    " first_failure, first_success, last_check, last_result, last_reason,"
			    " last_http_status, last_time_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
			    &stmt, e);
	if (rc)
		return rc;
	const struct health_state *h = &in->health;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, health_name(h->state), -1, SQLITE_STATIC);
	store_bind_time(stmt, 3, h->since);
	sqlite3_bind_int(stmt, 4, h->failures);
	sqlite3_bind_int(stmt, 5, h->successes);
	store_bind_time(stmt, 6, h->first_failure);
	store_bind_time(stmt, 7, h->first_success);
	store_bind_time(stmt, 8, in->last_check);
	sqlite3_bind_text(stmt, 9, health_name(in->last_result), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 10, in->last_reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 11, in->last_http_status);
	sqlite3_bind_int64(stmt, 12, in->last_time_ms);
	return run_cached(s, stmt, N_("save a service's state"), e);
}

ii_err store_probe_add(struct store *s, const char *service, time_t at, enum health result,
		       long http_status, long time_ms, const char *reason, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = prepare_cached(s,
			    "INSERT INTO probe (service, at, result, http_status, time_ms, reason)"
			    " VALUES (?,?,?,?,?,?)",
			    &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, service, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)at);
	sqlite3_bind_text(stmt, 3, health_name(result), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, http_status);
	sqlite3_bind_int64(stmt, 5, time_ms);
	sqlite3_bind_text(stmt, 6, reason, -1, SQLITE_STATIC);
	return run_cached(s, stmt, N_("record a probe"), e);
}

ii_err store_probe_failing(struct store *s, const char *service, long max, long *count,
			   struct ii_error *e)
{
	*count = 0;
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "SELECT result FROM probe WHERE service = ? ORDER BY at DESC, id DESC LIMIT ?",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, service, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, max);
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		enum health result = health_from_name((const char *)sqlite3_column_text(stmt, 0));
		if (result != HEALTH_DEGRADED && result != HEALTH_DOWN)
			break;
		++*count;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(s, e, N_("read the probe history"));
	sqlite3_finalize(stmt);
	return rc;
}

ii_err store_probe_prune(struct store *s, time_t before, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, "DELETE FROM probe WHERE at < ?", &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)before);
	return store_run(s, stmt, N_("prune the probe history"), e);
}

ii_err store_channel_get(struct store *s, const char *channel, const char *name, char *value,
			 size_t size, struct ii_error *e)
{
	value[0] = '\0';
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, "SELECT value FROM channel WHERE channel = ? AND name = ?", &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	return store_first_text(s, stmt, value, size, N_("read the channel's state"), e);
}

ii_err store_channel_put(struct store *s, const char *channel, const char *name,
			 const char *value, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, "INSERT OR REPLACE INTO channel (channel, name, value) VALUES (?, ?, ?)",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, value, -1, SQLITE_STATIC);
	return store_run(s, stmt, N_("save the channel's state"), e);
}
