#ifndef INCLUINFO_STORE_H
#define INCLUINFO_STORE_H

/*
 * The state store: one SQLite database, state_dir/incluinfo.db, in WAL mode with a busy
 * timeout and forward migrations keyed on PRAGMA user_version. A struct store is opaque,
 * opened with store_open() and released with store_close(); records read from it are
 * copied into the caller's structs. A change that spans several calls goes between
 * store_begin() and store_commit(), so that a run killed at any point leaves the database
 * as it was before the run or as it is after it.
 *
 * The store is the only door to the database. Every table has one owning module, and
 * only that module's .c holds SQL naming the table and includes store_sql.h; every other
 * module, and all of cmd/, reads and writes the table through the owner's functions:
 *
 *   service, probe      lib/store.c    (store_service_*, store_probe_*)
 *   channel             lib/store.c    (store_channel_*, the publishing channel's state)
 *   draft, post, audit  lib/draft.c    (draft_*)
 *   publication         lib/draft.c    (draft_post_*: the journal of each post per channel)
 *   delivery            lib/draft.c    (draft_delivery_*: how a draft ended on each channel)
 *   incident            lib/incident.c (incident_*)
 *   maintenance         lib/incident.c (incident_maintenance_*)
 *   condition           lib/condition.c (condition_*: what keeps runs from their job)
 *   notification        lib/notify.c   (notify_*: the journal of the alerts to staff)
 *
 * The schema itself (CREATE and ALTER of every table) belongs to the migrations in store.c.
 *
 * What a backend provides. The SQL of each owner is written for SQLite; a second backend
 * (PostgreSQL, shared by several monitor hosts) has to provide, besides the connection:
 *   - transactions: store_begin() (a write transaction that excludes other writers, as
 *     BEGIN IMMEDIATE does), store_commit(), store_rollback();
 *   - schema migration: store_open(STORE_WRITE) brings the schema to STORE_SCHEMA_VERSION
 *     in one transaction, and STORE_READ refuses any other version;
 *   - the claim of a post for sending: a compare-and-set that moves one post of the
 *     journal from pending to sending and tells whether this caller made the change, so
 *     that two processes can never both send it (the journal's functions in draft.h);
 *   - the per-module queries: the functions of this header, of draft.h (drafts, posts,
 *     audit trail, journal) and of incident.h (incidents, maintenance windows), each one
 *     statement or a few inside the caller's transaction, returning copied records.
 * The helpers of store_sql.h (prepare, run, collect) are the SQLite side of that list.
 */

#include <stdbool.h>
#include <time.h>

#include "error.h"
#include "health.h"

#define STORE_SCHEMA_VERSION 13

struct store;

enum store_mode { STORE_READ, STORE_WRITE };

/* The database's path inside state_dir (caller frees; NULL when out of memory). */
char *store_path(const char *state_dir);

/*
 * Whether state_dir holds a database (*exists), before the first run it does not, and
 * whether group or others have access to state_dir (*open_to_others). II_ESTATE when
 * state_dir is there but unusable (path_state_dir()) or the database cannot be looked at.
 */
ii_err store_exists(const char *state_dir, bool *exists, bool *open_to_others,
		    struct ii_error *e);

/* STORE_WRITE creates the database (0600, and state_dir 0700 when missing) and migrates
 * it; STORE_READ needs it to exist. II_ESTATE when state_dir or a state file is refused
 * (path_state_dir(), path_open_private()): a link, a file that is not regular. */
ii_err store_open(const char *state_dir, enum store_mode mode, struct store **out,
		  struct ii_error *e);
void store_close(struct store *store);

ii_err store_begin(struct store *store, struct ii_error *e);
ii_err store_commit(struct store *store, struct ii_error *e);
void store_rollback(struct store *store);

struct store_service {
	struct health_state health;
	time_t last_check; /* 0: never checked */
	enum health last_result;
	char last_reason[HEALTH_REASON_SIZE];
	long last_http_status;
	long last_time_ms;
};

ii_err store_service_get(struct store *store, const char *id, struct store_service *out,
			 bool *found, struct ii_error *e);
ii_err store_service_put(struct store *store, const char *id, const struct store_service *in,
			 struct ii_error *e);

ii_err store_probe_add(struct store *store, const char *service, time_t at, enum health result,
		       long http_status, long time_ms, const char *reason, struct ii_error *e);
/*
 * How many of service's latest probes, newest first and at most max, were degraded or
 * down in a row: max when the last max checks all failed, 0 when the last one passed
 * or there is none.
 */
ii_err store_probe_failing(struct store *store, const char *service, long max, long *count,
			   struct ii_error *e);
/* Deletes probe history older than before. */
ii_err store_probe_prune(struct store *store, time_t before, struct ii_error *e);

/* Named values a publishing channel (its id, as "x") keeps between runs; value receives
 * "" when not set. */
ii_err store_channel_get(struct store *store, const char *channel, const char *name,
			 char *value, size_t size, struct ii_error *e);
ii_err store_channel_put(struct store *store, const char *channel, const char *name,
			 const char *value, struct ii_error *e);
#endif
