#include "condition.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store_sql.h"

#define COLUMNS "SELECT key, detail, since, seen_at, reported_at FROM condition "

static void read_row(sqlite3_stmt *stmt, void *record)
{
	struct condition *c = record;
	store_copy_text(c->key, sizeof c->key, stmt, 0);
	store_copy_text(c->detail, sizeof c->detail, stmt, 1);
	c->since = (time_t)sqlite3_column_int64(stmt, 2);
	c->seen_at = (time_t)sqlite3_column_int64(stmt, 3);
	c->reported_at = (time_t)sqlite3_column_int64(stmt, 4);
}

static bool collect_row(sqlite3_stmt *stmt, void *record)
{
	read_row(stmt, record);
	return true;
}

static ii_err save(struct store *s, const struct condition *c, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "INSERT OR REPLACE INTO condition (key, detail, since, seen_at, reported_at)"
				  " VALUES (?, ?, ?, ?, ?)",
				  &stmt, e);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, c->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, c->detail, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)c->since);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)c->seen_at);
	sqlite3_bind_int64(stmt, 5, (sqlite3_int64)c->reported_at);
	return store_run(s, stmt, N_("record a condition"), e);
}

ii_err condition_note(struct store *s, const char *key, const char *detail, time_t now,
		      enum condition_change *change, struct condition *before, struct ii_error *e)
{
	*change = CONDITION_SAME;
	memset(before, 0, sizeof *before);
	bool found;
	ii_err rc = store_query_one(s, COLUMNS "WHERE key = ?", key, read_row, before, &found,
				    N_("read a condition"), e);
	if (rc)
		return rc;
	if (!detail) {
		if (!found)
			return II_OK;
		*change = CONDITION_ENDED;
		return store_run_texts(s, N_("end a condition"), e, "DELETE FROM condition WHERE key = ?", key,
				       NULL);
	}
	struct condition now_c = found ? *before : (struct condition){.since = now};
	snprintf(now_c.key, sizeof now_c.key, "%s", key);
	snprintf(now_c.detail, sizeof now_c.detail, "%s", detail);
	now_c.seen_at = now;
	if (!found)
		*change = CONDITION_STARTED;
	else if (strcmp(before->detail, now_c.detail))
		*change = CONDITION_CHANGED;
	if (*change != CONDITION_SAME)
		now_c.reported_at = now;
	return save(s, &now_c, e);
}

ii_err condition_list(struct store *s, struct condition **out, size_t *count, struct ii_error *e)
{
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s, COLUMNS "ORDER BY since, key", &stmt, e);
	if (rc)
		return rc;
	return store_collect(s, stmt, sizeof **out, collect_row, NULL, (void **)out, count,
			     N_("list the conditions"), e);
}
