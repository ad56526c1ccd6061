#ifndef INCLUINFO_STORE_SQL_H
#define INCLUINFO_STORE_SQL_H
/*
 * The store's SQL helpers, for the modules of lib/ that keep their records in the state
 * database (drafts, the publishing journal); cmd/ never includes this. A statement from
 * store_prepare() belongs to the caller until store_run() or sqlite3_finalize() ends it.
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>
#include "error.h"

enum { STORE_CACHED_STATEMENTS = 8 };
struct store {
	sqlite3 *db;
	char *path;
	/* store.c's own statements run once per service by a check, kept prepared (each
	 * compiled anew was half of a large check's instructions); reset, never in use
	 * between calls */
	sqlite3_stmt *cached[STORE_CACHED_STATEMENTS];
	unsigned next_evicted;
};

/* II_ESTATE with SQLite's message: "cannot DOING in 'path': message". DOING, here and in
 * every function below that takes it, is an English msgid the caller marks with N_()
 * ("read the drafts"): it is translated here, into the message's language. */
ii_err store_fail(struct store *s, struct ii_error *e, const char *doing);
ii_err store_prepare(struct store *s, const char *sql, sqlite3_stmt **stmt, struct ii_error *e);
/* store_prepare(), then binds the texts that follow, up to a NULL, to the parameters 1, 2,
 * ...; they must outlive the statement (they are not copied). */
ii_err store_prepare_texts(struct store *s, const char *sql, sqlite3_stmt **stmt,
			   struct ii_error *e, ...) __attribute__((sentinel));
/* Runs sql, a statement that returns no row, with the texts that follow (up to a NULL)
 * bound to its parameters 1, 2, ... */
ii_err store_run_texts(struct store *s, const char *doing, struct ii_error *e, const char *sql,
		       ...) __attribute__((sentinel));
/* Steps a statement that returns no row, then finalizes it. */
ii_err store_run(struct store *s, sqlite3_stmt *stmt, const char *doing, struct ii_error *e);
/* Binds t, or NULL when t is 0. */
void store_bind_time(sqlite3_stmt *stmt, int index, time_t t);
/* Copies a text column (NULL: "") into dst, truncating to size. */
void store_copy_text(char *dst, size_t size, sqlite3_stmt *stmt, int column);
/* Runs sql with key bound to its one parameter; on a row, read() fills record. */
ii_err store_query_one(struct store *s, const char *sql, const char *key,
		       void (*read)(sqlite3_stmt *stmt, void *record), void *record, bool *found,
		       const char *doing, struct ii_error *e);
/*
 * Steps stmt (then finalizes it) and collects its rows into *out, a new array of records
 * of size bytes that the caller frees: read() fills one record from the row and returns
 * false when out of memory. On failure release() (may be NULL) is called on each record
 * read so far and nothing is returned.
 */
ii_err store_collect(struct store *s, sqlite3_stmt *stmt, size_t size,
		     bool (*read)(sqlite3_stmt *stmt, void *record), void (*release)(void *record),
		     void **out, size_t *count, const char *doing, struct ii_error *e);
/* Steps stmt (then finalizes it) and copies the first column of its row into dst, ""
 * when there is no row. */
ii_err store_first_text(struct store *s, sqlite3_stmt *stmt, char *dst, size_t size,
			const char *doing, struct ii_error *e);
/* Steps stmt (then finalizes it) and reads the first column of its row, a number, into
 * *dst; a statement that returns no row fails. */
ii_err store_first_int(struct store *s, sqlite3_stmt *stmt, long long *dst, const char *doing,
		       struct ii_error *e);
/* A new random UUID, lower case. */
void store_new_uuid(char uuid[37]);
#endif
