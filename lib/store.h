#ifndef INCLUINFO_STORE_H
#define INCLUINFO_STORE_H

/*
 * The state store: one SQLite database, state_dir/incluinfo.db, in WAL mode with a busy
 * timeout and forward migrations keyed on PRAGMA user_version. A struct store is opaque,
 * opened with store_open() and released with store_close(); records read from it are
 * copied into the caller's structs. A change that spans several calls goes between
 * store_begin() and store_commit(), so that a run killed at any point leaves the database
 * as it was before the run or as it is after it.
 */

#include <stdbool.h>
#include <time.h>

#include "error.h"
#include "health.h"

#define STORE_SCHEMA_VERSION 2

struct store;

enum store_mode { STORE_READ, STORE_WRITE };

/* The database's path inside state_dir (caller frees; NULL when out of memory). */
char *store_path(const char *state_dir);

/* STORE_WRITE creates the database and migrates it; STORE_READ needs it to exist. */
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
/* Deletes probe history older than before. */
ii_err store_probe_prune(struct store *store, time_t before, struct ii_error *e);

/* Named values the publishing channel keeps between runs ("" when not set). */
ii_err store_channel_get(struct store *store, const char *name, char *value, size_t size,
			 struct ii_error *e);
ii_err store_channel_put(struct store *store, const char *name, const char *value,
			 struct ii_error *e);
#endif
