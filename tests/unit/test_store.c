/* Unit tests of lib/store: the SQLite state store, its migrations and transactions. */

#include "unit.h"

#include <sqlite3.h>
#include <unistd.h>

#include "store.h"
#include "store_sql.h"

/* A temporary folder whose state_dir ("state") does not exist yet. */
struct fixture {
	char *dir;
	char *state_dir;
	char *db_path;
	struct store *store;
	struct ii_error err;
};

static void init(struct fixture *f)
{
	f->state_dir = unit_join(f->dir, "state");
	f->db_path = store_path(f->state_dir);
	assert_non_null(f->db_path);
}

static void fini(struct fixture *f)
{
	store_close(f->store);
	free(f->state_dir);
	free(f->db_path);
}

UNIT_FIXTURE(init, fini)

/* Opens the store in mode (closing it first if open); it must succeed. */
static struct store *open_ok(struct fixture *f, enum store_mode mode)
{
	store_close(f->store);
	f->store = NULL;
	memset(&f->err, 0, sizeof f->err);
	ii_err rc = store_open(f->state_dir, mode, &f->store, &f->err);
	if (rc != II_OK)
		fail_msg("store_open(%s) failed (%d): %s", mode == STORE_READ ? "read" : "write", rc,
			 f->err.detail);
	assert_non_null(f->store);
	return f->store;
}

/* Opens the store in mode; it must fail with II_ESTATE, leaving no store. */
static void open_fails(struct fixture *f, enum store_mode mode)
{
	store_close(f->store);
	f->store = NULL;
	memset(&f->err, 0, sizeof f->err);
	struct store *s = (struct store *)f; /* must be reset to NULL */
	assert_int_equal(store_open(f->state_dir, mode, &s, &f->err), II_ESTATE);
	assert_null(s);
	assert_int_equal(f->err.code, II_ESTATE);
}

static void ok(ii_err rc, const struct ii_error *e)
{
	if (rc != II_OK)
		fail_msg("store call failed (%d): %s", rc, e->detail);
}

/* ---- raw access to the database, beside the store's own connection ---- */

static sqlite3 *raw_open(const struct fixture *f, int flags)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(f->db_path, &db, flags, NULL) != SQLITE_OK)
		fail_msg("sqlite3_open_v2 '%s': %s", f->db_path, db ? sqlite3_errmsg(db) : "?");
	return db;
}

/* The integer in the first column of the first row of sql (-1 for no row). */
static long long raw_int(const struct fixture *f, const char *sql)
{
	sqlite3 *db = raw_open(f, SQLITE_OPEN_READONLY);
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("'%s': %s", sql, sqlite3_errmsg(db));
	long long value = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return value;
}

static void raw_exec(const struct fixture *f, const char *sql)
{
	sqlite3 *db = raw_open(f, SQLITE_OPEN_READWRITE);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("'%s': %s", sql, msg);
	sqlite3_close(db);
}

/* ---- records ---- */

static struct store_service sample_service(void)
{
	struct store_service s;
	memset(&s, 0, sizeof s);
	s.health.state = HEALTH_DOWN;
	s.health.since = 1760000000;
	s.health.failures = 4;
	s.health.successes = 0;
	s.health.first_failure = 1760000000;
	s.health.first_success = 0;
	s.last_check = 1760000180;
	s.last_result = HEALTH_DOWN;
	snprintf(s.last_reason, sizeof s.last_reason, "text 'mantenimiento' found");
	s.last_http_status = 200;
	s.last_time_ms = 812;
	return s;
}

static void assert_service_equal(const struct store_service *a, const struct store_service *b)
{
	assert_int_equal(a->health.state, b->health.state);
	assert_int_equal(a->health.since, b->health.since);
	assert_int_equal(a->health.failures, b->health.failures);
	assert_int_equal(a->health.successes, b->health.successes);
	assert_int_equal(a->health.first_failure, b->health.first_failure);
	assert_int_equal(a->health.first_success, b->health.first_success);
	assert_int_equal(a->last_check, b->last_check);
	assert_int_equal(a->last_result, b->last_result);
	assert_string_equal(a->last_reason, b->last_reason);
	assert_int_equal(a->last_http_status, b->last_http_status);
	assert_int_equal(a->last_time_ms, b->last_time_ms);
}

static bool service_found(struct fixture *f, const char *id, struct store_service *out)
{
	bool found = true;
	ok(store_service_get(f->store, id, out, &found, &f->err), &f->err);
	return found;
}

/* ---- opening and migrating ---- */

static void store_path_is_in_state_dir(void **state)
{
	(void)state;
	char *path = store_path("/var/lib/incluinfo");
	assert_string_equal(path, "/var/lib/incluinfo/incluinfo.db");
	free(path);
}

static void migrates_from_empty(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	struct stat st;
	assert_int_equal(stat(f->state_dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(access(f->db_path, F_OK), 0);

	assert_int_equal(raw_int(f, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(STORE_SCHEMA_VERSION, 13);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
				    " AND name IN ('service', 'probe', 'incident', 'draft', 'post', 'audit',"
				    " 'condition', 'notification')"),
			 8);
	sqlite3 *db = raw_open(f, SQLITE_OPEN_READONLY);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

static void migrates_an_empty_file(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(mkdir(f->state_dir, 0700), 0);
	unit_write(f->db_path, "");
	open_ok(f, STORE_WRITE);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	struct store_service s;
	assert_false(service_found(f, "sede", &s));
}

static void reopening_keeps_data(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	struct store_service in = sample_service(), out;
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);

	/* a second migration run must neither fail nor redo anything */
	open_ok(f, STORE_WRITE);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_true(service_found(f, "sede", &out));
	assert_service_equal(&out, &in);
}

static void read_needs_an_existing_database(void **state)
{
	struct fixture *f = *state;
	open_fails(f, STORE_READ);
	/* reading creates nothing */
	assert_int_equal(access(f->state_dir, F_OK), -1);

	assert_int_equal(mkdir(f->state_dir, 0700), 0);
	open_fails(f, STORE_READ);
	assert_int_equal(access(f->db_path, F_OK), -1);
}

/* A database left by the first release keeps its rows when it gains the draft tables. */
static void migrates_a_version_1_database(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(mkdir(f->state_dir, 0700), 0);
	sqlite3 *db = raw_open(f, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	sqlite3_close(db);
	raw_exec(f, "CREATE TABLE service (id TEXT PRIMARY KEY, state TEXT NOT NULL, since INTEGER,"
		    " failures INTEGER NOT NULL DEFAULT 0, successes INTEGER NOT NULL DEFAULT 0,"
		    " first_failure INTEGER, first_success INTEGER, last_check INTEGER,"
		    " last_result TEXT, last_reason TEXT, last_http_status INTEGER,"
		    " last_time_ms INTEGER);"
		    "CREATE TABLE probe (id INTEGER PRIMARY KEY, service TEXT NOT NULL,"
		    " at INTEGER NOT NULL, result TEXT NOT NULL, http_status INTEGER,"
		    " time_ms INTEGER, reason TEXT NOT NULL);"
		    "CREATE TABLE incident (uuid TEXT PRIMARY KEY, service TEXT NOT NULL,"
		    " opened_at INTEGER NOT NULL, resolved_at INTEGER, cause TEXT NOT NULL);"
		    "CREATE UNIQUE INDEX incident_open ON incident(service) WHERE resolved_at IS NULL;"
		    "INSERT INTO service (id, state, failures) VALUES ('sede', 'down', 4);"
		    "PRAGMA user_version = 1");
	open_ok(f, STORE_WRITE);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(f, "SELECT failures FROM service WHERE id = 'sede'"), 4);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM draft"), 0);
}

static void migrates_a_schema_12_journal_to_request_keys(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	store_close(f->store);
	f->store = NULL;
	/* the journal as schema 12 kept it, with a post left "sending" */
	raw_exec(f, "ALTER TABLE publication DROP COLUMN request_key;"
		    "INSERT INTO publication (draft, channel, seq, state, attempts, claimed_at)"
		    " VALUES ('d1', 'bluesky', 0, 'sending', 1, 1764000000);"
		    "PRAGMA user_version = 12");
	open_ok(f, STORE_WRITE);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 13);
	/* kept, with no key: a post claimed before keys were chosen */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM publication WHERE draft = 'd1'"
				    " AND state = 'sending' AND attempts = 1 AND request_key IS NULL"),
			 1);
}

static void read_of_an_unmigrated_database_fails(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(mkdir(f->state_dir, 0700), 0);
	unit_write(f->db_path, "");
	open_fails(f, STORE_READ);
	unit_assert_contains(f->err.detail, f->db_path);
}

static void read_of_a_migrated_database(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	struct store_service in = sample_service(), out;
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);
	store_close(f->store);
	f->store = NULL;

	open_ok(f, STORE_READ);
	assert_true(service_found(f, "sede", &out));
	assert_service_equal(&out, &in);
	/* read-only: a change fails and leaves the database as it was */
	struct store_service other = sample_service();
	other.health.failures = 99;
	assert_int_equal(store_service_put(f->store, "sede", &other, &f->err), II_ESTATE);
	assert_true(service_found(f, "sede", &out));
	assert_int_equal(out.health.failures, in.health.failures);
}

static void newer_schema_is_refused(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	struct store_service in = sample_service();
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);
	store_close(f->store);
	f->store = NULL;
	raw_exec(f, "PRAGMA user_version = 99");

	open_fails(f, STORE_READ);
	unit_assert_contains(f->err.detail, "schema 99");
	open_fails(f, STORE_WRITE);
	unit_assert_contains(f->err.detail, "schema 99");
	/* neither run touched the newer database */
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 99);
	assert_int_equal(raw_int(f, "SELECT failures FROM service WHERE id = 'sede'"),
			 in.health.failures);
}

/* ---- services ---- */

static void service_round_trip(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	struct store_service in = sample_service(), out;
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);
	memset(&out, 0x5a, sizeof out);
	assert_true(service_found(f, "sede", &out));
	assert_service_equal(&out, &in);

	/* every state and result survives */
	static const enum health all[] = {HEALTH_UNKNOWN, HEALTH_UP, HEALTH_DEGRADED, HEALTH_DOWN};
	for (size_t i = 0; i < 4; i++) {
		in.health.state = all[i];
		in.last_result = all[3 - i];
		ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);
		assert_true(service_found(f, "sede", &out));
		assert_service_equal(&out, &in);
	}
}

static void service_put_replaces(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	struct store_service first = sample_service(), second, out;
	memset(&second, 0, sizeof second);
	second.health.state = HEALTH_UP;
	second.health.since = 1760003600;
	second.health.successes = 2;
	second.health.first_success = 1760003600;
	second.last_check = 1760003660;
	second.last_result = HEALTH_UP;
	snprintf(second.last_reason, sizeof second.last_reason, "HTTP 200");
	second.last_http_status = 200;
	second.last_time_ms = 95;
	ok(store_service_put(f->store, "sede", &first, &f->err), &f->err);
	ok(store_service_put(f->store, "portal", &first, &f->err), &f->err);
	ok(store_service_put(f->store, "sede", &second, &f->err), &f->err);
	assert_true(service_found(f, "sede", &out));
	assert_service_equal(&out, &second);
	assert_true(service_found(f, "portal", &out));
	assert_service_equal(&out, &first);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM service"), 2);
}

static void service_never_checked(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	struct store_service in, out;
	memset(&in, 0, sizeof in);
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);
	memset(&out, 0x5a, sizeof out);
	assert_true(service_found(f, "sede", &out));
	assert_service_equal(&out, &in);
	assert_int_equal(out.health.state, HEALTH_UNKNOWN);
	assert_int_equal(out.last_check, 0);
}

static void unknown_service_is_not_found(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	struct store_service in = sample_service(), out;
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);
	memset(&out, 0x5a, sizeof out);
	assert_false(service_found(f, "portal", &out));
	assert_false(service_found(f, "Sede", &out));
	/* ids are not patterns */
	assert_false(service_found(f, "%", &out));
}

/* ---- probe history ---- */

static void probe_add_records_every_field(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	ok(store_probe_add(f->store, "sede", 1760000000, HEALTH_DEGRADED, 200, 3512, "slow: 3512 ms",
			   &f->err),
	   &f->err);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM probe WHERE service = 'sede'"
				    " AND at = 1760000000 AND result = 'degraded' AND http_status = 200"
				    " AND time_ms = 3512 AND reason = 'slow: 3512 ms'"),
			 1);
}

static void prune_deletes_only_older_probes(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	static const time_t times[] = {100, 199, 200, 201, 300};
	for (size_t i = 0; i < 5; i++) {
		ok(store_probe_add(f->store, "sede", times[i], HEALTH_UP, 200, 80, "HTTP 200", &f->err),
		   &f->err);
		ok(store_probe_add(f->store, "portal", times[i], HEALTH_DOWN, 503, 80, "HTTP 503",
				   &f->err),
		   &f->err);
	}
	struct store_service in = sample_service();
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);

	ok(store_probe_prune(f->store, 200, &f->err), &f->err);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM probe"), 6);
	assert_int_equal(raw_int(f, "SELECT min(at) FROM probe"), 200);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM probe WHERE service = 'portal'"), 3);
	/* history only: states, however old, stay */
	struct store_service out;
	assert_true(service_found(f, "sede", &out));

	ok(store_probe_prune(f->store, 1000, &f->err), &f->err);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM probe"), 0);
}

/* ---- transactions ---- */

static void rollback_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	struct store_service before = sample_service(), out;
	ok(store_service_put(f->store, "portal", &before, &f->err), &f->err);

	ok(store_begin(f->store, &f->err), &f->err);
	struct store_service in = sample_service();
	in.health.failures = 7;
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);
	ok(store_service_put(f->store, "portal", &in, &f->err), &f->err);
	ok(store_probe_add(f->store, "sede", 1760000000, HEALTH_DOWN, 503, 10, "HTTP 503", &f->err),
	   &f->err);
	assert_true(service_found(f, "sede", &out)); /* visible inside the transaction */
	store_rollback(f->store);

	assert_false(service_found(f, "sede", &out));
	assert_true(service_found(f, "portal", &out));
	assert_service_equal(&out, &before);
	/* and so it is for anyone else, and after reopening */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM probe"), 0);
	open_ok(f, STORE_READ);
	assert_false(service_found(f, "sede", &out));
}

static void commit_keeps_everything(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	ok(store_begin(f->store, &f->err), &f->err);
	struct store_service in = sample_service(), out;
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);
	ok(store_probe_add(f->store, "sede", 1760000000, HEALTH_DOWN, 503, 10, "HTTP 503", &f->err),
	   &f->err);
	/* not visible to others before the commit */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM probe"), 0);
	ok(store_commit(f->store, &f->err), &f->err);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM probe"), 1);

	open_ok(f, STORE_READ);
	assert_true(service_found(f, "sede", &out));
	assert_service_equal(&out, &in);
}

static void failed_call_inside_a_transaction_can_be_rolled_back(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	struct store_service in = sample_service(), out;
	ok(store_service_put(f->store, "portal", &in, &f->err), &f->err);

	ok(store_begin(f->store, &f->err), &f->err);
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);
	ok(store_probe_add(f->store, "sede", 2000, HEALTH_DOWN, 503, 10, "HTTP 503", &f->err), &f->err);
	/* a probe without its reason breaks the schema: a statement that fails */
	assert_int_equal(store_probe_add(f->store, "sede", 2001, HEALTH_DOWN, 503, 10, NULL, &f->err),
			 II_ESTATE);
	assert_int_equal(f->err.code, II_ESTATE);
	store_rollback(f->store);

	assert_false(service_found(f, "sede", &out));
	assert_true(service_found(f, "portal", &out));
	assert_int_equal(raw_int(f, "SELECT count(*) FROM probe"), 0);
	/* the connection is usable again */
	ok(store_begin(f->store, &f->err), &f->err);
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);
	ok(store_commit(f->store, &f->err), &f->err);
	assert_true(service_found(f, "sede", &out));
}

static void read_text(sqlite3_stmt *stmt, void *record)
{
	store_copy_text(record, 64, stmt, 0);
}

/* Statements are kept prepared between calls, a few of them: more distinct queries than
 * that, each run several times over, still give each its own answer. */
static void kept_statements_answer_each_query(void **state)
{
	struct fixture *f = *state;
	open_ok(f, STORE_WRITE);
	for (int round = 0; round < 3; round++) {
		for (int k = 0; k < 3 * STORE_CACHED_STATEMENTS; k++) {
			char sql[64], key[16], want[64], got[64] = "";
			snprintf(sql, sizeof sql, "SELECT ? || '-%d'", k % (STORE_CACHED_STATEMENTS + 3));
			snprintf(key, sizeof key, "r%dk%d", round, k);
			snprintf(want, sizeof want, "%s-%d", key, k % (STORE_CACHED_STATEMENTS + 3));
			bool found = false;
			ok(store_query_one(f->store, sql, key, read_text, got, &found, "read", &f->err), &f->err);
			assert_true(found);
			assert_string_equal(got, want);
		}
	}
	struct store_service in = sample_service(), out;
	ok(store_service_put(f->store, "sede", &in, &f->err), &f->err);
	assert_true(service_found(f, "sede", &out));
	assert_service_equal(&out, &in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(store_path_is_in_state_dir),
		UNIT_TEST(migrates_from_empty),
		UNIT_TEST(migrates_a_version_1_database),
		UNIT_TEST(migrates_an_empty_file),
		UNIT_TEST(migrates_a_schema_12_journal_to_request_keys),
		UNIT_TEST(reopening_keeps_data),
		UNIT_TEST(read_needs_an_existing_database),
		UNIT_TEST(read_of_an_unmigrated_database_fails),
		UNIT_TEST(read_of_a_migrated_database),
		UNIT_TEST(newer_schema_is_refused),
		UNIT_TEST(service_round_trip),
		UNIT_TEST(service_put_replaces),
		UNIT_TEST(service_never_checked),
		UNIT_TEST(unknown_service_is_not_found),
		UNIT_TEST(probe_add_records_every_field),
		UNIT_TEST(prune_deletes_only_older_probes),
		UNIT_TEST(rollback_leaves_nothing),
		UNIT_TEST(commit_keeps_everything),
		UNIT_TEST(failed_call_inside_a_transaction_can_be_rolled_back),
		UNIT_TEST(kept_statements_answer_each_query),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
