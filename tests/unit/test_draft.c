/* Unit tests of lib/draft: drafts, their revision when a notice changes, approval, audit. */

#include "unit.h"

#include <sqlite3.h>

#include "draft.h"
#include "store.h"

struct fixture {
	char *dir;
	struct store *store;
	struct ii_error err;
	struct draft_actor ana, luis, system;
	struct config *people; /* two_person on, with ana and luis */
	struct diag_list *diags;
};

static void init(struct fixture *f)
{
	unit_ok(store_open(f->dir, STORE_WRITE, &f->store, &f->err), &f->err);
	f->ana = (struct draft_actor){.name = "Ana", .os_user = "ops", .at = 1764000000};
	f->luis = (struct draft_actor){.name = "Luis", .os_user = "ops", .at = 1764000100};
	f->system = (struct draft_actor){.name = DRAFT_SYSTEM_NAME, .os_user = "cron", .at = 1764000200};
	unit_renew_diags(&f->diags, &f->err);
	unit_config_load(f->dir,
			 "[policy]\ntwo_person = true\n"
			 "[person ana]\nname = Ana Pérez\naliases = Ana María\n"
			 "[person luis]\nname = Luis Gil\n",
			 &f->people, f->diags, &f->err);
}

static void fini(struct fixture *f)
{
	store_close(f->store);
	config_free(f->people);
	diag_free(f->diags);
}

UNIT_FIXTURE(init, fini)

/* Fails the test where it is called unless rc is II_OK. */
#define ok(f, rc) unit_ok((rc), &(f)->err)

static void refused(struct fixture *f, ii_err rc, const char *message)
{
	assert_int_equal(rc, II_EDATA);
	unit_assert_contains(f->err.detail, message);
}

static const char *const two_posts[] = {"FALSO: las pensiones no bajan. 1/2", "Fuentes: https://www.boe.es/ 2/2"};
static const int two_lengths[] = {34, 32};
static const char *const one_post[] = {"Las pensiones suben en enero."};
static const int one_length[] = {29};

static struct draft_spec notice_spec(const char *hash, bool longer)
{
	return (struct draft_spec){
		.kind = DRAFT_BULO,
		.title = "Las pensiones no bajarán",
		.source = "pensiones.md",
		.hash = hash,
		.author = "ana",
		.posts = longer ? two_posts : one_post,
		.lengths = longer ? two_lengths : one_length,
		.post_count = longer ? 2 : 1,
	};
}

static enum draft_change ingest(struct fixture *f, const char *hash, bool longer, bool auto_approve,
				char uuid[37])
{
	struct draft_spec spec = notice_spec(hash, longer);
	enum draft_change change;
	ok(f, draft_ingest(f->store, &spec, &f->system, auto_approve, &change, uuid, &f->err));
	return change;
}

static struct draft find(struct fixture *f, const char *id)
{
	struct draft d;
	ok(f, draft_find(f->store, id, &d, &f->err));
	return d;
}

static size_t audit_count(struct fixture *f, const char *uuid, const char *action)
{
	struct draft_audit *entries;
	size_t count, matching = 0;
	ok(f, draft_audit_list(f->store, uuid, &entries, &count, &f->err));
	for (size_t i = 0; i < count; i++)
		matching += !strcmp(entries[i].action, action);
	free(entries);
	return matching;
}

static void new_notice_becomes_a_pending_draft_with_its_posts(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	assert_int_equal(ingest(f, "h1", true, false, uuid), DRAFT_NEW);
	struct draft d = find(f, uuid);
	assert_int_equal(d.status, DRAFT_PENDING);
	assert_int_equal(d.kind, DRAFT_BULO);
	assert_string_equal(d.source, "pensiones.md");
	assert_string_equal(d.author, "ana");
	assert_int_equal(d.post_count, 2);
	struct draft_post *posts;
	size_t count;
	ok(f, draft_posts(f->store, uuid, "x", &posts, &count, &f->err));
	assert_int_equal(count, 2);
	assert_string_equal(posts[1].text, two_posts[1]);
	assert_int_equal(posts[1].weighted_length, 32);
	assert_int_equal(posts[0].state, DRAFT_POST_PENDING);
	draft_posts_free(posts, count);
	assert_int_equal(audit_count(f, uuid, "created"), 1);
}

static void unchanged_notice_changes_nothing(void **state)
{
	struct fixture *f = *state;
	char first[37], second[37];
	ingest(f, "h1", true, false, first);
	assert_int_equal(ingest(f, "h1", true, false, second), DRAFT_SAME);
	assert_string_equal(first, second);
	struct draft *list;
	size_t count;
	ok(f, draft_list(f->store, true, &list, &count, &f->err));
	assert_int_equal(count, 1);
	free(list);
}

static void edit_of_a_pending_draft_replaces_its_posts(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	ingest(f, "h1", true, false, uuid);
	assert_int_equal(ingest(f, "h2", false, false, uuid), DRAFT_REVISED);
	struct draft d = find(f, uuid);
	assert_int_equal(d.status, DRAFT_PENDING);
	assert_string_equal(d.hash, "h2");
	assert_int_equal(d.post_count, 1);
	assert_int_equal(audit_count(f, uuid, "changed"), 1);
}

static void a_revision_keeps_the_posts_it_replaced(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	char *previous;
	ingest(f, "h1", true, false, uuid);
	ok(f, draft_previous_text(f->store, uuid, &previous, &f->err));
	assert_null(previous); /* never revised: nothing to compare with */
	ingest(f, "h2", false, false, uuid);
	ok(f, draft_previous_text(f->store, uuid, &previous, &f->err));
	char *expected;
	assert_true(asprintf(&expected, "%s\n\n%s", two_posts[0], two_posts[1]) > 0);
	assert_string_equal(previous, expected);
	free(previous);
	free(expected);
	ingest(f, "h3", true, false, uuid);
	ok(f, draft_previous_text(f->store, uuid, &previous, &f->err));
	assert_string_equal(previous, one_post[0]); /* the latest revision's, not the first */
	free(previous);
}

static void edit_after_approval_revokes_it(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	ingest(f, "h1", true, false, uuid);
	ok(f, draft_approve(f->store, uuid, &f->luis, NULL, &f->err));
	assert_int_equal(find(f, uuid).status, DRAFT_APPROVED);
	assert_int_equal(ingest(f, "h2", true, false, uuid), DRAFT_REVOKED);
	assert_int_equal(find(f, uuid).status, DRAFT_PENDING);
	assert_int_equal(audit_count(f, uuid, "revoked"), 1);
}

/* Post seq of draft uuid's thread on channel is public there. */
static void mark_sent(struct fixture *f, const char *uuid, const char *channel, int seq)
{
	char *path = store_path(f->dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *sql = sqlite3_mprintf("INSERT INTO publication (draft, channel, seq, state, remote_ref)"
				    " VALUES (%Q, %Q, %d, 'sent', '1')", uuid, channel, seq);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	sqlite3_close(db);
	free(path);
}

static void mark_first_post_sent(struct fixture *f, const char *uuid)
{
	mark_sent(f, uuid, "x", 0);
}

/* The texts of draft uuid's thread on channel, joined by "|". */
static void assert_thread(struct fixture *f, const char *uuid, const char *channel,
			  const char *expected)
{
	struct draft_post *posts;
	size_t count;
	char got[512] = "";
	ok(f, draft_posts(f->store, uuid, channel, &posts, &count, &f->err));
	for (size_t i = 0; i < count; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? "|" : "", posts[i].text);
	draft_posts_free(posts, count);
	assert_string_equal(got, expected);
}

static const char *const toot[] = {"FALSO: las pensiones no bajan. Fuentes: https://www.boe.es/"};
static const int toot_length[] = {59};

/* notice_spec() with a Mastodon thread of its own: the two X posts in one. */
static struct draft_spec spec_with_mastodon(const char *hash, const char *const *mastodon)
{
	static struct draft_thread threads[1];
	threads[0] = (struct draft_thread){"mastodon", mastodon, toot_length, 1};
	struct draft_spec spec = notice_spec(hash, true);
	spec.threads = threads;
	spec.thread_count = 1;
	return spec;
}

static void each_channel_keeps_the_thread_cut_for_it(void **state)
{
	struct fixture *f = *state;
	struct draft_spec spec = spec_with_mastodon("h1", toot);
	char uuid[37];
	ok(f, draft_create(f->store, &spec, &f->system, false, uuid, &f->err));
	assert_thread(f, uuid, "x", "FALSO: las pensiones no bajan. 1/2|Fuentes: https://www.boe.es/ 2/2");
	assert_thread(f, uuid, "mastodon", toot[0]);
	/* a channel it was not cut for has no thread: it is not sent there */
	assert_thread(f, uuid, "bluesky", "");
	bool has;
	ok(f, draft_has_thread(f->store, uuid, "bluesky", &has, &f->err));
	assert_false(has);
	ok(f, draft_has_thread(f->store, uuid, "mastodon", &has, &f->err));
	assert_true(has);
	struct draft d = find(f, uuid);
	assert_int_equal(d.post_count, 2); /* X's */
	assert_false(d.one_cut);
}

static void failed_midway_revision_keeps_each_channels_public_posts(void **state)
{
	struct fixture *f = *state;
	struct draft_spec spec = spec_with_mastodon("h1", toot);
	char uuid[37];
	enum draft_change change;
	ok(f, draft_ingest(f->store, &spec, &f->system, true, &change, uuid, &f->err));
	/* X's first post and Mastodon's only one are public; X refused the second */
	mark_sent(f, uuid, "x", 0);
	mark_sent(f, uuid, "mastodon", 0);
	ok(f, draft_failed(f->store, uuid, "X refused post 2", &f->system, &f->err));
	/* a version that changes Mastodon's public post cannot follow it */
	static const char *const other_toot[] = {"FALSO: las pensiones no bajarán."};
	spec = spec_with_mastodon("h2", other_toot);
	ok(f, draft_ingest(f->store, &spec, &f->system, true, &change, uuid, &f->err));
	assert_int_equal(change, DRAFT_CHANGED_AFTER_PUBLICATION);
	/* one that keeps every channel's public posts at their place revises the rest */
	static const char *const fixed[] = {"FALSO: las pensiones no bajan. 1/2", "Fuentes: el BOE 2/2"};
	spec = spec_with_mastodon("h3", toot);
	spec.posts = fixed;
	ok(f, draft_ingest(f->store, &spec, &f->system, true, &change, uuid, &f->err));
	assert_int_equal(change, DRAFT_REVISED);
	assert_thread(f, uuid, "x", "FALSO: las pensiones no bajan. 1/2|Fuentes: el BOE 2/2");
	assert_thread(f, uuid, "mastodon", toot[0]);
}

static void edit_after_publication_began_is_reported_never_applied(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	ingest(f, "h1", true, true, uuid);
	mark_first_post_sent(f, uuid);
	assert_int_equal(ingest(f, "h2", false, true, uuid), DRAFT_CHANGED_AFTER_PUBLICATION);
	assert_int_equal(ingest(f, "h3", false, true, uuid), DRAFT_CHANGED_AFTER_PUBLICATION);
	struct draft d = find(f, uuid);
	assert_true(d.changed_after_publication);
	assert_string_equal(d.hash, "h1");
	assert_int_equal(d.post_count, 2);
	assert_int_equal(d.status, DRAFT_APPROVED);
	/* reported on every run, recorded once */
	assert_int_equal(audit_count(f, uuid, "changed after publication"), 1);
}

static void auto_policy_approves_as_incluinfo(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	ingest(f, "h1", true, true, uuid);
	assert_int_equal(find(f, uuid).status, DRAFT_APPROVED);
	struct draft_audit *entries;
	size_t count;
	ok(f, draft_audit_list(f->store, uuid, &entries, &count, &f->err));
	assert_int_equal(count, 2);
	assert_string_equal(entries[1].action, "approved");
	assert_string_equal(entries[1].name, DRAFT_SYSTEM_NAME);
	assert_string_equal(entries[1].os_user, "cron");
	free(entries);
}

static void two_person_rule_refuses_the_author(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	ingest(f, "h1", true, false, uuid);
	/* the notice says "ana"; the approver is the same person however named */
	struct draft_actor author = {"Ana Pérez", "ops", 1764000300, "ana", "sudo from ana"};
	refused(f, draft_approve(f->store, uuid, &author, f->people, &f->err),
		"Ana Pérez (ana) wrote this notice, as 'ana', and cannot approve it too (two-person rule)");
	assert_int_equal(find(f, uuid).status, DRAFT_PENDING);
	/* an approver who is nobody the rule can tell apart is refused too */
	refused(f, draft_approve(f->store, uuid, &f->luis, f->people, &f->err),
		"needs the approver to be a configured person");
	/* without the rule the author may approve */
	ok(f, draft_approve(f->store, uuid, &author, NULL, &f->err));
}

/* Another person approves; the trail says who, and how they were identified. */
static void two_person_rule_lets_another_person_approve(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	ingest(f, "h1", true, false, uuid);
	struct draft_actor luis = {"Luis Gil", "root", 1764000300, "luis", "sudo from lgil"};
	ok(f, draft_approve(f->store, uuid, &luis, f->people, &f->err));
	struct draft_audit *entries;
	size_t count;
	ok(f, draft_audit_list(f->store, uuid, &entries, &count, &f->err));
	assert_int_equal(count, 2);
	assert_string_equal(entries[1].name, "Luis Gil");
	assert_string_equal(entries[1].person, "luis");
	assert_string_equal(entries[1].identified_by, "sudo from lgil");
	assert_string_equal(entries[0].person, "");
	free(entries);
}

static void approve_and_reject_only_from_the_right_status(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	ingest(f, "h1", true, false, uuid);
	ok(f, draft_reject(f->store, uuid, &f->luis, "cifras sin fuente", &f->err));
	refused(f, draft_approve(f->store, uuid, &f->luis, NULL, &f->err), "is rejected, not pending");
	refused(f, draft_reject(f->store, uuid, &f->luis, NULL, &f->err), "only a pending or approved");
	struct draft_audit *entries;
	size_t count;
	ok(f, draft_audit_list(f->store, uuid, &entries, &count, &f->err));
	assert_string_equal(entries[count - 1].action, "rejected");
	assert_string_equal(entries[count - 1].detail, "cifras sin fuente");
	assert_string_equal(entries[count - 1].name, "Luis");
	free(entries);
	/* an edit after a rejection puts it back in review */
	assert_int_equal(ingest(f, "h2", true, false, uuid), DRAFT_REVISED);
	assert_int_equal(find(f, uuid).status, DRAFT_PENDING);
}

static void ids_by_unique_prefix(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	ingest(f, "h1", true, false, uuid);
	char prefix[8];
	snprintf(prefix, sizeof prefix, "%.6s", uuid);
	assert_string_equal(find(f, prefix).uuid, uuid);
	struct draft d;
	refused(f, draft_find(f->store, "abc", &d, &f->err), "too short");
	refused(f, draft_find(f->store, "zzzzzzzz", &d, &f->err), "no draft 'zzzzzzzz'");
	/* a prefix shared by two drafts */
	struct draft_spec spec = notice_spec("h9", false);
	spec.source = NULL;
	char other[37];
	ok(f, draft_create(f->store, &spec, &f->ana, false, other, &f->err));
	char *path = store_path(f->dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *sql = sqlite3_mprintf("UPDATE draft SET uuid = %Q WHERE uuid = %Q",
				    "abcdef00-0000-4000-8000-000000000001", other);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	sql = sqlite3_mprintf("UPDATE draft SET uuid = %Q WHERE uuid = %Q",
			      "abcdef00-0000-4000-8000-000000000002", uuid);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	sqlite3_close(db);
	free(path);
	refused(f, draft_find(f->store, "abcdef", &d, &f->err), "ambiguous");
	assert_string_equal(find(f, "abcdef00-0000-4000-8000-000000000002").title,
			    "Las pensiones no bajarán");
}

static void list_shows_drafts_in_play_unless_all(void **state)
{
	struct fixture *f = *state;
	char kept[37], rejected[37];
	struct draft_spec spec = notice_spec("h1", false);
	spec.source = "a.md";
	ok(f, draft_create(f->store, &spec, &f->ana, false, kept, &f->err));
	spec.source = "b.md";
	ok(f, draft_create(f->store, &spec, &f->ana, false, rejected, &f->err));
	ok(f, draft_reject(f->store, rejected, &f->luis, NULL, &f->err));
	struct draft *list;
	size_t count;
	ok(f, draft_list(f->store, false, &list, &count, &f->err));
	assert_int_equal(count, 1);
	assert_string_equal(list[0].uuid, kept);
	free(list);
	ok(f, draft_list(f->store, true, &list, &count, &f->err));
	assert_int_equal(count, 2);
	free(list);
}

/* The request key journalled for post seq of draft uuid on X. */
static void assert_request_key(struct fixture *f, const char *uuid, size_t seq, const char *key)
{
	struct draft_post *posts;
	size_t count;
	ok(f, draft_posts(f->store, uuid, "x", &posts, &count, &f->err));
	assert_true(seq < count);
	assert_string_equal(posts[seq].request_key, key);
	draft_posts_free(posts, count);
}

static bool claim_keyed(struct fixture *f, const char *uuid, long *attempts, const char *key)
{
	bool claimed;
	ok(f, draft_post_claim(f->store, uuid, "x", 0, DRAFT_POST_PENDING, attempts, "host:7:8",
			       1764000300, key, &claimed, &f->err));
	return claimed;
}

static void request_keys_last_while_the_request_may_have_posted(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	ingest(f, "h1", true, true, uuid);
	long attempts = 0;
	assert_true(claim_keyed(f, uuid, &attempts, "3mabc2222222a"));
	assert_request_key(f, uuid, 0, "3mabc2222222a");
	/* released to be sent again as it was: the key stays, and a claim without one keeps it */
	ok(f, draft_post_release(f->store, uuid, "x", 0, attempts, true, &f->err));
	assert_request_key(f, uuid, 0, "3mabc2222222a");
	assert_true(claim_keyed(f, uuid, &attempts, NULL));
	assert_request_key(f, uuid, 0, "3mabc2222222a");
	/* certainly not posted: forgotten */
	ok(f, draft_post_release(f->store, uuid, "x", 0, attempts, false, &f->err));
	assert_request_key(f, uuid, 0, "");
	/* a post deleted from the channel forgets it too */
	assert_true(claim_keyed(f, uuid, &attempts, "3mabc2222222b"));
	ok(f, draft_post_sent(f->store, uuid, "x", 0, "at://did/app.bsky.feed.post/3mabc2222222b c",
			      1764000301, &f->err));
	ok(f, draft_post_unsent(f->store, uuid, "x", 0, &f->err));
	assert_request_key(f, uuid, 0, "");
	/* a revised text is a new request */
	assert_true(claim_keyed(f, uuid, &attempts, "3mabc2222222c"));
	ok(f, draft_post_release(f->store, uuid, "x", 0, attempts, true, &f->err));
	assert_int_equal(ingest(f, "h2", false, false, uuid), DRAFT_REVOKED);
	assert_request_key(f, uuid, 0, "");
}

static void journal_and_last_remote_id(void **state)
{
	struct fixture *f = *state;
	char uuid[37], remote[DRAFT_REF_SIZE];
	ingest(f, "h1", true, true, uuid);
	ok(f, draft_last_remote_id(f->store, uuid, "x", remote, &f->err));
	assert_string_equal(remote, "");
	long attempts = 0;
	bool claimed;
	ok(f, draft_post_claim(f->store, uuid, "x", 0, DRAFT_POST_PENDING, &attempts, "host:7:8",
			       1764000300, NULL, &claimed, &f->err));
	assert_true(claimed);
	ok(f, draft_post_sent(f->store, uuid, "x", 0, "1860000000000000001", 1764000301, &f->err));
	attempts = 0;
	ok(f, draft_post_claim(f->store, uuid, "x", 1, DRAFT_POST_PENDING, &attempts, "host:7:9",
			       1764000302, NULL, &claimed, &f->err));
	/* a thread answers only a whole thread, on its own channel */
	ok(f, draft_last_remote_id(f->store, uuid, "x", remote, &f->err));
	assert_string_equal(remote, "");
	ok(f, draft_post_sent(f->store, uuid, "x", 1, "1860000000000000002", 1764000303, &f->err));
	ok(f, draft_last_remote_id(f->store, uuid, "x", remote, &f->err));
	assert_string_equal(remote, "1860000000000000002");
	ok(f, draft_last_remote_id(f->store, uuid, "bluesky", remote, &f->err));
	assert_string_equal(remote, "");
	ok(f, draft_published(f->store, uuid, &f->system, &f->err));
	struct draft d = find(f, uuid);
	assert_int_equal(d.status, DRAFT_PUBLISHED);
	assert_int_equal(audit_count(f, uuid, "published"), 1);
	struct draft_post *posts;
	size_t count;
	ok(f, draft_posts(f->store, uuid, "x", &posts, &count, &f->err));
	assert_int_equal(posts[0].state, DRAFT_POST_SENT);
	assert_string_equal(posts[0].remote_id, "1860000000000000001");
	assert_int_equal(posts[1].sent_at, 1764000303);
	/* who sent it stays on record */
	assert_string_equal(posts[1].claimed_by, "host:7:9");
	assert_int_equal(posts[1].claimed_at, 1764000302);
	draft_posts_free(posts, count);
}

/* The kind column as stored, read with SQLite itself. */
static char *stored_kind(struct fixture *f, const char *uuid)
{
	char *path = store_path(f->dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *sql = sqlite3_mprintf("SELECT kind FROM draft WHERE uuid = %Q", uuid);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	char *kind = strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_free(sql);
	sqlite3_close(db);
	free(path);
	return kind;
}

static void kinds_are_stored_by_name(void **state)
{
	struct fixture *f = *state;
	struct draft_spec spec = notice_spec("h1", false);
	spec.source = NULL;
	spec.kind = DRAFT_MANTENIMIENTO_FIN;
	char uuid[37];
	ok(f, draft_create(f->store, &spec, &f->ana, false, uuid, &f->err));
	char *kind = stored_kind(f, uuid);
	assert_string_equal(kind, "mantenimiento-fin");
	free(kind);
	assert_int_equal(find(f, uuid).kind, DRAFT_MANTENIMIENTO_FIN);
	assert_true(draft_kind_is_maintenance(DRAFT_MANTENIMIENTO_FIN));
	assert_false(draft_kind_is_maintenance(DRAFT_ALERTA));
}

static void published_list_has_each_published_thread(void **state)
{
	struct fixture *f = *state;
	char first[37], second[37], unsent[37];
	struct draft_spec spec = notice_spec("h1", true);
	spec.meta = "{\"verdict\":\"FALSO\"}";
	ok(f, draft_create(f->store, &spec, &f->ana, true, first, &f->err));
	spec = notice_spec("h2", false);
	spec.source = "otro.md";
	ok(f, draft_create(f->store, &spec, &f->ana, true, second, &f->err));
	spec.source = NULL;
	ok(f, draft_create(f->store, &spec, &f->ana, true, unsent, &f->err));
	/* the second is sent first: the list follows publication, not creation */
	ok(f, draft_post_sent(f->store, second, "x", 0, "at://did:plc:x/app.bsky.feed.post/3k", 1764000400, &f->err));
	ok(f, draft_published(f->store, second, &f->system, &f->err));
	ok(f, draft_post_sent(f->store, first, "x", 0, "1860000000000000001", 1764000500, &f->err));
	ok(f, draft_post_sent(f->store, first, "x", 1, "1860000000000000002", 1764000501, &f->err));
	ok(f, draft_published(f->store, first, &f->system, &f->err));
	struct draft_published *list;
	size_t count;
	ok(f, draft_published_list(f->store, "x", &list, &count, &f->err));
	assert_int_equal(count, 2);
	assert_string_equal(list[0].uuid, second);
	assert_string_equal(list[0].remote_id, "at://did:plc:x/app.bsky.feed.post/3k");
	assert_null(list[0].meta);
	assert_string_equal(list[1].uuid, first);
	assert_int_equal(list[1].kind, DRAFT_BULO);
	assert_string_equal(list[1].title, "Las pensiones no bajarán");
	assert_int_equal(list[1].published, 1764000500);
	assert_string_equal(list[1].remote_id, "1860000000000000001");
	assert_string_equal(list[1].meta, "{\"verdict\":\"FALSO\"}");
	assert_string_equal(list[1].text, "FALSO: las pensiones no bajan. 1/2\n\nFuentes: https://www.boe.es/ 2/2");
	draft_published_free(list, count);
}

static void due_and_expired_drafts(void **state)
{
	struct fixture *f = *state;
	char later[37], now[37], past[37];
	struct draft_spec spec = notice_spec("h1", false);
	spec.source = "later.md";
	spec.due_at = 1764009999;
	ok(f, draft_create(f->store, &spec, &f->ana, true, later, &f->err));
	spec.source = "now.md";
	spec.due_at = 0;
	ok(f, draft_create(f->store, &spec, &f->ana, true, now, &f->err));
	spec.source = "past.md";
	spec.expires_at = 1764000500;
	ok(f, draft_create(f->store, &spec, &f->ana, true, past, &f->err));
	struct draft *due;
	size_t count;
	ok(f, draft_due(f->store, 1764000400, &due, &count, &f->err));
	assert_int_equal(count, 2);
	assert_string_equal(due[0].uuid, now);
	assert_string_equal(due[1].uuid, past);
	free(due);
	size_t expired;
	ok(f, draft_expire(f->store, 1764000600, &f->system, &expired, &f->err));
	assert_int_equal(expired, 1);
	assert_int_equal(find(f, past).status, DRAFT_EXPIRED);
	ok(f, draft_due(f->store, 1764010000, &due, &count, &f->err));
	assert_int_equal(count, 2);
	free(due);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(new_notice_becomes_a_pending_draft_with_its_posts),
		UNIT_TEST(unchanged_notice_changes_nothing),
		UNIT_TEST(edit_of_a_pending_draft_replaces_its_posts),
		UNIT_TEST(a_revision_keeps_the_posts_it_replaced),
		UNIT_TEST(edit_after_approval_revokes_it),
		UNIT_TEST(edit_after_publication_began_is_reported_never_applied),
		UNIT_TEST(each_channel_keeps_the_thread_cut_for_it),
		UNIT_TEST(failed_midway_revision_keeps_each_channels_public_posts),
		UNIT_TEST(auto_policy_approves_as_incluinfo),
		UNIT_TEST(two_person_rule_refuses_the_author),
		UNIT_TEST(two_person_rule_lets_another_person_approve),
		UNIT_TEST(approve_and_reject_only_from_the_right_status),
		UNIT_TEST(kinds_are_stored_by_name),
		UNIT_TEST(published_list_has_each_published_thread),
		UNIT_TEST(ids_by_unique_prefix),
		UNIT_TEST(list_shows_drafts_in_play_unless_all),
		UNIT_TEST(journal_and_last_remote_id),
		UNIT_TEST(request_keys_last_while_the_request_may_have_posted),
		UNIT_TEST(due_and_expired_drafts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
