/*
 * Unit tests of lib/publish: the publication state machine driven through an in-memory
 * channel that answers as scripted (created, duplicate, transient, rate-limited,
 * unauthorized, rejected) and can "crash" between the "sending" and "sent" marks; after
 * each run the journal (lib/draft) is checked. Also the compare-and-set claim with two
 * store handles, the takeover of a claim only from a claimant certainly gone (child
 * processes as claimants), the keys a channel chooses at the claim (kept while the
 * request may have posted, new after a certain no-post), the jitter's seed, retraction,
 * and the migration of a schema 2 database.
 */

#include "unit.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "draft.h"
#include "process.h"
#include "notify.h"
#include "publish.h"
#include "store.h"

#define NOW 1764000000
#define MAX 16

enum answer {
	ANSWER_CREATED,
	ANSWER_DUPLICATE,
	ANSWER_TRANSIENT,              /* nothing was posted */
	ANSWER_POSTED_THEN_TRANSIENT,  /* posted, but the answer was lost */
	ANSWER_RATE_LIMITED,
	ANSWER_UNAUTHORIZED,
	ANSWER_REJECTED,
	ANSWER_CRASH_AFTER_POSTING,    /* posted, then the process died before recording it */
	ANSWER_CRASH_BEFORE_POSTING,   /* the process died before the request left */
	ANSWER_REPLY_REFUSED,          /* as X to an app not summoned: nothing was posted */
};

struct remote_post {
	char ref[CHANNEL_REF_SIZE];
	char text[512];
	char reply_to[CHANNEL_REF_SIZE];
	time_t created; /* 0: the channel does not say */
	bool deleted;
};

struct fixture;

/* The in-memory channel: what the remote side holds and what it was asked. */
struct fake {
	struct publish_channel channel;
	struct fixture *f;
	enum answer script[MAX]; /* answers to the posts, in order; then created */
	size_t n_script, next;
	struct remote_post posts[MAX];
	size_t n_posts;
	size_t requests;
	char keys[MAX][64];
	long pauses[MAX];
	size_t n_pauses;
	size_t ref_padding; /* long references, as a Bluesky reply's */
	time_t clock;       /* the creation time of the posts it makes */
	bool find_fails;
	time_t retry_at; /* of ANSWER_RATE_LIMITED; 0: in 15 minutes */
	size_t chosen;   /* keys fake_choose_key() gave */
	struct timespec chosen_at[MAX];
	void (*on_pause)(struct fixture *f); /* another process acting meanwhile */
};

struct fixture {
	char *dir;
	struct store *store;
	struct store *other; /* a second handle on the same database */
	struct ii_error err;
	struct draft_actor system;
	struct fake fake;
	struct publish_report report;
	size_t drafts; /* made so far */
	const char *single; /* the single post of the drafts approved() makes; NULL: none */
};

static ii_err fake_post(void *ctx, const char *text, const char *reply_to, const char *key,
			const char *language, struct channel_result *r, struct ii_error *e)
{
	assert_string_equal(language, "es"); /* what a draft without a notice is in */
	struct fake *x = ctx;
	enum answer a = x->next < x->n_script ? x->script[x->next] : ANSWER_CREATED;
	x->next++;
	assert_true(x->requests < MAX);
	snprintf(x->keys[x->requests++], sizeof x->keys[0], "%s", key);
	memset(r, 0, sizeof *r);
	r->remaining = -1;
	if (a == ANSWER_CRASH_BEFORE_POSTING)
		return ii_fail(e, II_EREMOTE, "killed");
	for (size_t i = 0; reply_to && i < x->n_posts; i++)
		if (!strcmp(x->posts[i].ref, reply_to) && x->posts[i].deleted) {
			/* as X: nothing is posted in answer to a post deleted there */
			r->outcome = CHANNEL_REPLY_GONE;
			snprintf(r->detail, sizeof r->detail, "%s is gone", reply_to);
			return II_OK;
		}
	bool posts = a == ANSWER_CREATED || a == ANSWER_POSTED_THEN_TRANSIENT ||
		     a == ANSWER_CRASH_AFTER_POSTING;
	if (posts) {
		assert_true(x->n_posts < MAX);
		struct remote_post *p = &x->posts[x->n_posts++];
		snprintf(p->ref, sizeof p->ref, "mem-%zu-%0*d", x->n_posts, (int)x->ref_padding, 0);
		snprintf(p->text, sizeof p->text, "%s", text);
		snprintf(p->reply_to, sizeof p->reply_to, "%s", reply_to ? reply_to : "");
		p->created = x->clock;
		snprintf(r->ref, sizeof r->ref, "%s", p->ref);
	}
	switch (a) {
	case ANSWER_CREATED: r->outcome = CHANNEL_DONE; break;
	case ANSWER_DUPLICATE: r->outcome = CHANNEL_DUPLICATE; break;
	case ANSWER_TRANSIENT:
	case ANSWER_POSTED_THEN_TRANSIENT: r->outcome = CHANNEL_TRANSIENT; break;
	case ANSWER_RATE_LIMITED:
		r->outcome = CHANNEL_RATE_LIMITED;
		r->retry_at = x->retry_at ? x->retry_at : NOW + 900;
		break;
	case ANSWER_UNAUTHORIZED: r->outcome = CHANNEL_UNAUTHORIZED; break;
	case ANSWER_REJECTED: r->outcome = CHANNEL_REJECTED; break;
	case ANSWER_REPLY_REFUSED: r->outcome = CHANNEL_REPLY_REFUSED; break;
	case ANSWER_CRASH_AFTER_POSTING: return ii_fail(e, II_EREMOTE, "killed");
	case ANSWER_CRASH_BEFORE_POSTING: break;
	}
	snprintf(r->detail, sizeof r->detail, "scripted answer %d", (int)a);
	return II_OK;
}

static ii_err fake_find(void *ctx, const char *text, const char *reply_to,
			struct channel_found found[], size_t *count, struct ii_error *e)
{
	struct fake *x = ctx;
	*count = 0;
	if (x->find_fails)
		return ii_fail(e, II_EREMOTE, "timeline unavailable");
	for (size_t i = x->n_posts; i-- > 0 && *count < CHANNEL_FIND_MAX;)
		if (!x->posts[i].deleted && !strcmp(x->posts[i].text, text) &&
		    !strcmp(x->posts[i].reply_to, reply_to ? reply_to : "")) {
			snprintf(found[*count].ref, CHANNEL_REF_SIZE, "%s", x->posts[i].ref);
			found[(*count)++].created_at = x->posts[i].created;
		}
	return II_OK;
}

static ii_err fake_remove(void *ctx, const char *ref, struct channel_result *r,
			  struct ii_error *e)
{
	(void)e;
	struct fake *x = ctx;
	memset(r, 0, sizeof *r);
	r->outcome = CHANNEL_REJECTED;
	for (size_t i = 0; i < x->n_posts; i++)
		if (!strcmp(x->posts[i].ref, ref) && !x->posts[i].deleted) {
			x->posts[i].deleted = true;
			r->outcome = CHANNEL_DONE;
		}
	return II_OK;
}

/* A key of its own making, numbered, for the channels that choose theirs at the claim. */
static bool fake_choose_key(void *ctx, struct timespec at, char *out, size_t size)
{
	struct fake *x = ctx;
	assert_true(x->chosen < MAX);
	x->chosen_at[x->chosen++] = at;
	snprintf(out, size, "chosen-%zu", x->chosen);
	return true;
}

static void fake_pause(void *ctx, long ms)
{
	struct fake *x = ctx;
	assert_true(x->n_pauses < MAX);
	x->pauses[x->n_pauses++] = ms;
	if (x->on_pause)
		x->on_pause(x->f);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = unit_tmpdir();
	if (store_open(f->dir, STORE_WRITE, &f->store, &f->err))
		fail_msg("store_open: %s", f->err.detail);
	f->system = (struct draft_actor){.name = DRAFT_SYSTEM_NAME, .os_user = "cron", .at = NOW};
	f->fake.f = f;
	f->fake.clock = NOW;
	f->fake.channel = (struct publish_channel){
		.id = "mem",
		.name = "Mem",
		.capabilities = CHANNEL_THREADS | CHANNEL_DELETE | CHANNEL_FIND_BY_TEXT,
		.ctx = &f->fake,
		.post = fake_post,
		.find = fake_find,
		.remove = fake_remove,
		.pause = fake_pause,
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	publish_report_free(&f->report);
	store_close(f->store);
	store_close(f->other);
	unit_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void ok(struct fixture *f, ii_err rc)
{
	if (rc != II_OK)
		fail_msg("call failed (%d): %s", rc, f->err.detail);
}

static void script(struct fixture *f, size_t n, const enum answer *answers)
{
	memcpy(f->fake.script, answers, n * sizeof *answers);
	f->fake.n_script = n;
	f->fake.next = 0;
}

/* An approved draft of n posts, due now, each text its own; uuid receives its id. */
static void approved(struct fixture *f, size_t n, const char *reply_to, char uuid[37])
{
	char texts[3][64];
	const char *posts[3];
	int lengths[3];
	assert_true(n <= 3);
	for (size_t i = 0; i < n; i++) {
		lengths[i] = snprintf(texts[i], sizeof texts[i], "Aviso %zu, parte %zu/%zu", f->drafts, i + 1, n);
		posts[i] = texts[i];
	}
	f->drafts++;
	/* the test channels' threads, the same posts as X's */
	const struct draft_thread threads[] = {{"mem", posts, lengths, n}, {"other", posts, lengths, n}};
	struct draft_spec spec = {
		.kind = DRAFT_AVISO, .title = "Cita previa", .reply_to = reply_to,
		.posts = posts, .lengths = lengths, .post_count = n,
		.threads = threads, .thread_count = 2, .single_text = f->single,
		.single_length = f->single ? (int)strlen(f->single) : 0,
	};
	ok(f, draft_create(f->store, &spec, &f->system, true, uuid, &f->err));
}

static struct publish_options options(long delay_ms)
{
	static const struct draft_actor actor = {.name = DRAFT_SYSTEM_NAME, .os_user = "cron", .at = NOW};
	return (struct publish_options){
		.now = NOW, .thread_delay_ms = delay_ms, .max_attempts = 3, .actor = &actor,
		.jitter_seed = 42,
	};
}

static ii_err run_with(struct fixture *f, const struct publish_options *o)
{
	publish_report_free(&f->report);
	return publish_run(f->store, &f->fake.channel, o, &f->report, &f->err);
}

static void run(struct fixture *f)
{
	const struct publish_options o = options(0);
	ok(f, run_with(f, &o));
}

/* A run that "dies": the channel's request fails as the process would. */
static void run_dies(struct fixture *f)
{
	const struct publish_options o = options(0);
	assert_int_equal(run_with(f, &o), II_EREMOTE);
	unit_assert_contains(f->err.detail, "killed");
}

/* The journal of draft uuid on the fake channel: one letter per post (p, s, S: pending,
 * sending, sent), each sent post's reference checked against the remote side. */
static void assert_journal(struct fixture *f, const char *uuid, const char *expected)
{
	struct draft_post *posts;
	size_t count;
	ok(f, draft_posts(f->store, uuid, f->fake.channel.id, &posts, &count, &f->err));
	char got[MAX + 1] = "";
	for (size_t i = 0; i < count && i < MAX; i++) {
		got[i] = "psS"[posts[i].state];
		if (posts[i].state != DRAFT_POST_SENT)
			continue;
		bool there = false;
		for (size_t k = 0; k < f->fake.n_posts; k++)
			there |= !strcmp(f->fake.posts[k].ref, posts[i].remote_id) &&
				 !strcmp(f->fake.posts[k].text, posts[i].text);
		if (!there)
			fail_msg("post %zu journalled as '%s', which the channel does not have", i + 1,
				 posts[i].remote_id);
	}
	draft_posts_free(posts, count);
	assert_string_equal(got, expected);
}

static enum draft_status status(struct fixture *f, const char *uuid)
{
	struct draft d;
	ok(f, draft_find(f->store, uuid, &d, &f->err));
	return d.status;
}

/* No text is on the channel twice: no post was sent twice. */
static void assert_each_posted_once(struct fixture *f)
{
	for (size_t i = 0; i < f->fake.n_posts; i++)
		for (size_t k = i + 1; k < f->fake.n_posts; k++)
			if (!strcmp(f->fake.posts[i].text, f->fake.posts[k].text))
				fail_msg("'%s' was posted twice", f->fake.posts[i].text);
}

static void assert_fate(struct fixture *f, size_t i, enum publish_fate fate, const char *reason)
{
	assert_true(i < f->report.count);
	assert_int_equal(f->report.items[i].fate, fate);
	if (reason)
		unit_assert_contains(f->report.items[i].reason, reason);
}

/* ---- the answers ---- */

static void created_thread_is_chained_and_journalled(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 3, NULL, uuid);
	const struct publish_options o = options(1500);
	ok(f, run_with(f, &o));
	assert_fate(f, 0, PUBLISH_PUBLISHED, NULL);
	assert_int_equal(f->report.items[0].sent, 3);
	assert_int_equal(f->fake.n_posts, 3);
	assert_string_equal(f->fake.posts[0].reply_to, "");
	assert_string_equal(f->fake.posts[1].reply_to, f->fake.posts[0].ref);
	assert_string_equal(f->fake.posts[2].reply_to, f->fake.posts[1].ref);
	assert_journal(f, uuid, "SSS");
	assert_int_equal(status(f, uuid), DRAFT_PUBLISHED);
	/* the thread's delay between posts, not before the first */
	assert_int_equal(f->fake.n_pauses, 2);
	assert_int_equal(f->fake.pauses[0], 1500);
	/* a second run sends nothing */
	run(f);
	assert_int_equal(f->fake.requests, 3);
	struct publish_state st;
	ok(f, publish_state(f->store, "mem", NOW, &st, &f->err));
	assert_int_equal(st.last_success, NOW);
}

static void long_references_are_kept_whole(void **state)
{
	struct fixture *f = *state;
	f->fake.ref_padding = 700; /* Bluesky: the parent's and the root's URI and CID */
	char first[37], answer[37];
	approved(f, 2, NULL, first);
	approved(f, 1, first, answer);
	run(f);
	assert_journal(f, first, "SS");
	assert_journal(f, answer, "S");
	assert_true(strlen(f->fake.posts[1].ref) > 700);
	/* the answering draft replies to the whole reference of the first's last post */
	assert_string_equal(f->fake.posts[2].reply_to, f->fake.posts[1].ref);
}

static void duplicate_found_is_reconciled_never_resent(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 1, NULL, uuid);
	/* this post's own request made it (its answer lost on the way), and X says duplicate */
	f->fake.posts[0] = (struct remote_post){.ref = "mem-earlier", .text = "Aviso 0, parte 1/1",
						.created = NOW - PUBLISH_CLOCK_SKEW};
	f->fake.n_posts = 1;
	script(f, 1, (enum answer[]){ANSWER_DUPLICATE});
	run(f);
	assert_fate(f, 0, PUBLISH_PUBLISHED, NULL);
	assert_int_equal(f->fake.requests, 1);
	assert_int_equal(f->fake.n_posts, 1);
	assert_journal(f, uuid, "S");
	assert_int_equal(status(f, uuid), DRAFT_PUBLISHED);
}

/* Monday's identical alert is not Tuesday's: a post older than the claim is someone
 * else's, whatever the path that looks for it. */
static void older_identical_post_is_never_adopted(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 1, NULL, uuid);
	f->fake.posts[0] = (struct remote_post){.ref = "mem-monday", .text = "Aviso 0, parte 1/1",
						.created = NOW - PUBLISH_CLOCK_SKEW - 1};
	f->fake.posts[1] = (struct remote_post){.ref = "mem-unknown", .text = "Aviso 0, parte 1/1"};
	f->fake.n_posts = 2;
	script(f, 1, (enum answer[]){ANSWER_DUPLICATE});
	run(f);
	assert_fate(f, 0, PUBLISH_FAILED, "Mem says post 1 is a duplicate, and no post of its own was found");
	assert_journal(f, uuid, "p");
	assert_int_equal(status(f, uuid), DRAFT_FAILED);
	/* after a transient failure too: looked for, not adopted, sent */
	char other[37];
	approved(f, 1, NULL, other);
	f->fake.posts[2] = (struct remote_post){.ref = "mem-old", .text = "Aviso 1, parte 1/1",
						.created = NOW - 86400};
	f->fake.n_posts = 3;
	script(f, 1, (enum answer[]){ANSWER_TRANSIENT});
	run(f);
	assert_fate(f, 0, PUBLISH_PUBLISHED, NULL);
	assert_journal(f, other, "S");
	assert_int_equal(f->fake.n_posts, 4);
	assert_string_equal(f->fake.posts[3].text, "Aviso 1, parte 1/1");
}

static void duplicate_not_found_fails_the_draft(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 2, NULL, uuid);
	script(f, 1, (enum answer[]){ANSWER_DUPLICATE});
	run(f);
	assert_fate(f, 0, PUBLISH_FAILED, "Mem says post 1 is a duplicate, and no post of its own was found");
	assert_journal(f, uuid, "pp");
	assert_int_equal(status(f, uuid), DRAFT_FAILED);
	assert_int_equal(f->fake.requests, 1);
}

static void transient_is_retried_after_a_jittered_backoff(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 1, NULL, uuid);
	script(f, 2, (enum answer[]){ANSWER_TRANSIENT, ANSWER_TRANSIENT});
	run(f);
	assert_fate(f, 0, PUBLISH_PUBLISHED, NULL);
	assert_int_equal(f->fake.requests, 3);
	assert_int_equal(f->fake.n_pauses, 2);
	assert_in_range(f->fake.pauses[0], 750, 1250);
	assert_in_range(f->fake.pauses[1], 1500, 2500);
	assert_journal(f, uuid, "S");
	assert_each_posted_once(f);
}

static void transient_after_posting_is_found_not_resent(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 2, NULL, uuid);
	script(f, 1, (enum answer[]){ANSWER_POSTED_THEN_TRANSIENT});
	run(f);
	assert_fate(f, 0, PUBLISH_PUBLISHED, NULL);
	assert_int_equal(f->fake.requests, 2);
	assert_int_equal(f->fake.n_pauses, 0);
	assert_journal(f, uuid, "SS");
	assert_each_posted_once(f);
	assert_string_equal(f->fake.posts[1].reply_to, f->fake.posts[0].ref);
}

static void transient_every_time_leaves_it_sending(void **state)
{
	struct fixture *f = *state;
	char uuid[37], later[37];
	approved(f, 1, NULL, uuid);
	approved(f, 1, NULL, later);
	script(f, 3, (enum answer[]){ANSWER_TRANSIENT, ANSWER_TRANSIENT, ANSWER_TRANSIENT});
	run(f);
	assert_true(f->report.remote_failed);
	assert_fate(f, 0, PUBLISH_DEFERRED, "Mem did not answer post 1");
	assert_fate(f, 1, PUBLISH_DEFERRED, "posting stopped for this run");
	assert_int_equal(f->fake.requests, 3);
	assert_journal(f, uuid, "s");
	assert_int_equal(status(f, uuid), DRAFT_APPROVED);
	/* the next run looks, does not find it, sends it once */
	run(f);
	assert_journal(f, uuid, "S");
	assert_journal(f, later, "S");
	assert_each_posted_once(f);
}

static void far_reset_pauses_a_day_at_most(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 1, NULL, uuid);
	const time_t decade = NOW + 10 * 365 * 86400L;
	f->fake.retry_at = decade;
	script(f, 1, (enum answer[]){ANSWER_RATE_LIMITED});
	run(f);
	assert_true(f->report.rate_limited);
	assert_int_equal(f->report.items[0].until, NOW + PUBLISH_MAX_PAUSE);
	struct publish_state st;
	ok(f, publish_state(f->store, "mem", NOW, &st, &f->err));
	assert_int_equal(st.stopped_until, NOW + PUBLISH_MAX_PAUSE);
	assert_int_equal(st.asked_until, decade);
	/* a pause within a day is taken as it is, and forgets the one asked for before */
	f->fake.retry_at = NOW + PUBLISH_MAX_PAUSE + 60;
	const struct publish_options later = {
		.now = NOW + PUBLISH_MAX_PAUSE + 1, .max_attempts = 3, .actor = &f->system,
	};
	script(f, 1, (enum answer[]){ANSWER_RATE_LIMITED});
	ok(f, run_with(f, &later));
	ok(f, publish_state(f->store, "mem", later.now, &st, &f->err));
	assert_int_equal(st.stopped_until, NOW + PUBLISH_MAX_PAUSE + 60);
	assert_int_equal(st.asked_until, 0);
}

static void rate_limit_pauses_this_channel_only(void **state)
{
	struct fixture *f = *state;
	char uuid[37], later[37];
	approved(f, 2, NULL, uuid);
	approved(f, 1, NULL, later);
	script(f, 1, (enum answer[]){ANSWER_RATE_LIMITED});
	run(f);
	assert_fate(f, 0, PUBLISH_DEFERRED, "rate limited");
	assert_int_equal(f->report.items[0].until, NOW + 900);
	assert_fate(f, 1, PUBLISH_DEFERRED, "posting is paused until");
	assert_journal(f, uuid, "pp");
	struct publish_state st;
	ok(f, publish_state(f->store, "mem", NOW, &st, &f->err));
	assert_int_equal(st.stopped_until, NOW + 900);
	ok(f, publish_state(f->store, "x", NOW, &st, &f->err));
	assert_int_equal(st.stopped_until, 0);
	/* another channel publishes the same drafts meanwhile */
	f->fake.channel.id = "other";
	run(f);
	assert_journal(f, uuid, "SS");
	f->fake.channel.id = "mem";
	assert_journal(f, uuid, "pp");
}

static void unauthorized_stops_all_posting(void **state)
{
	struct fixture *f = *state;
	char uuid[37], later[37];
	approved(f, 2, NULL, uuid);
	approved(f, 1, NULL, later);
	script(f, 1, (enum answer[]){ANSWER_UNAUTHORIZED});
	run(f);
	assert_true(f->report.unauthorized);
	assert_fate(f, 0, PUBLISH_DEFERRED, "Mem refused the credentials");
	assert_fate(f, 1, PUBLISH_DEFERRED, "posting stopped for this run");
	assert_int_equal(f->fake.requests, 1);
	assert_journal(f, uuid, "pp");
	assert_int_equal(status(f, uuid), DRAFT_APPROVED);
}

static void rejected_fails_the_draft_for_good(void **state)
{
	struct fixture *f = *state;
	char uuid[37], later[37];
	approved(f, 2, NULL, uuid);
	approved(f, 1, NULL, later);
	script(f, 2, (enum answer[]){ANSWER_CREATED, ANSWER_REJECTED});
	run(f);
	assert_fate(f, 0, PUBLISH_FAILED, "Mem refused post 2: scripted answer");
	assert_int_equal(f->report.items[0].sent, 1);
	assert_journal(f, uuid, "Sp");
	assert_int_equal(status(f, uuid), DRAFT_FAILED);
	/* the next draft goes on */
	assert_fate(f, 1, PUBLISH_PUBLISHED, NULL);
	run(f);
	assert_int_equal(f->fake.requests, 3);
}

/* ---- crashes between "sending" and "sent" ---- */

static void crash_after_posting_is_reconciled_by_the_next_run(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 3, NULL, uuid);
	script(f, 2, (enum answer[]){ANSWER_CREATED, ANSWER_CRASH_AFTER_POSTING});
	run_dies(f);
	assert_journal(f, uuid, "Ssp");
	assert_int_equal(f->fake.n_posts, 2);
	run(f);
	assert_journal(f, uuid, "SSS");
	assert_int_equal(status(f, uuid), DRAFT_PUBLISHED);
	/* post 2 was found, not sent again; post 3 answers it */
	assert_int_equal(f->fake.requests, 3);
	assert_each_posted_once(f);
	assert_string_equal(f->fake.posts[2].reply_to, f->fake.posts[1].ref);
}

static void crash_before_posting_is_sent_once_by_the_next_run(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 1, NULL, uuid);
	script(f, 1, (enum answer[]){ANSWER_CRASH_BEFORE_POSTING});
	run_dies(f);
	assert_journal(f, uuid, "s");
	run(f);
	assert_journal(f, uuid, "S");
	assert_int_equal(f->fake.n_posts, 1);
	struct draft_post *posts;
	size_t count;
	ok(f, draft_posts(f->store, uuid, "mem", &posts, &count, &f->err));
	assert_int_equal(posts[0].attempts, 2);
	draft_posts_free(posts, count);
}

static void sending_post_that_cannot_be_looked_for_is_left(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 1, NULL, uuid);
	script(f, 1, (enum answer[]){ANSWER_CRASH_AFTER_POSTING});
	run_dies(f);
	f->fake.find_fails = true;
	run(f);
	assert_fate(f, 0, PUBLISH_DEFERRED, "cannot check whether post 1 was published: timeline unavailable");
	assert_true(f->report.remote_failed);
	assert_journal(f, uuid, "s");
	/* without find() nor idempotent posts, nobody can tell: it stays for a person */
	f->fake.find_fails = false;
	f->fake.channel.capabilities &= ~(unsigned)CHANNEL_FIND_BY_TEXT;
	run(f);
	assert_fate(f, 0, PUBLISH_DEFERRED, "Mem cannot look for its posts");
	assert_int_equal(f->fake.requests, 1);
}

static void idempotent_channel_resends_with_the_same_key(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 2, NULL, uuid);
	f->fake.channel.capabilities = CHANNEL_THREADS | CHANNEL_IDEMPOTENCY_KEY;
	script(f, 1, (enum answer[]){ANSWER_CRASH_BEFORE_POSTING});
	run_dies(f);
	run(f);
	assert_journal(f, uuid, "SS");
	assert_int_equal(f->fake.requests, 3);
	assert_string_equal(f->fake.keys[0], f->fake.keys[1]);
	assert_string_not_equal(f->fake.keys[1], f->fake.keys[2]);
	/* a channel that chooses no key gets the post's own */
	char own[64];
	snprintf(own, sizeof own, "%s-1", uuid);
	assert_string_equal(f->fake.keys[2], own);
}

/* A channel that chooses the key of its requests, as Bluesky its record keys. */
static void choosing_keys(struct fixture *f)
{
	f->fake.channel.capabilities = CHANNEL_THREADS | CHANNEL_IDEMPOTENCY_KEY;
	f->fake.channel.choose_key = fake_choose_key;
}

/* The request key journalled for post seq of draft uuid. */
static void assert_request_key(struct fixture *f, const char *uuid, size_t seq, const char *key)
{
	struct draft_post *posts;
	size_t count;
	ok(f, draft_posts(f->store, uuid, f->fake.channel.id, &posts, &count, &f->err));
	assert_true(seq < count);
	assert_string_equal(posts[seq].request_key, key);
	draft_posts_free(posts, count);
}

static void a_chosen_key_is_journalled_at_the_claim_and_kept_across_a_crash(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 2, NULL, uuid);
	choosing_keys(f);
	script(f, 1, (enum answer[]){ANSWER_CRASH_BEFORE_POSTING});
	run_dies(f);
	assert_journal(f, uuid, "sp");
	/* chosen once, at the claim's time, and journalled before the request */
	assert_int_equal(f->fake.chosen, 1);
	assert_int_equal(f->fake.chosen_at[0].tv_sec, NOW);
	assert_string_equal(f->fake.keys[0], "chosen-1");
	assert_request_key(f, uuid, 0, "chosen-1");
	/* the post found "sending" is sent again with its key: a PDS would refuse a second */
	run(f);
	assert_journal(f, uuid, "SS");
	assert_int_equal(f->fake.requests, 3);
	assert_string_equal(f->fake.keys[1], "chosen-1");
	assert_string_equal(f->fake.keys[2], "chosen-2");
	assert_request_key(f, uuid, 1, "chosen-2");
	/* the second claim came after the first */
	assert_true(f->fake.chosen_at[1].tv_sec > f->fake.chosen_at[0].tv_sec ||
		    (f->fake.chosen_at[1].tv_sec == f->fake.chosen_at[0].tv_sec &&
		     f->fake.chosen_at[1].tv_nsec > f->fake.chosen_at[0].tv_nsec));
}

static void a_transient_failure_keeps_the_key_a_certain_no_post_forgets_it(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 1, NULL, uuid);
	choosing_keys(f);
	/* posted or not: the retry names the same record */
	script(f, 2, (enum answer[]){ANSWER_TRANSIENT, ANSWER_RATE_LIMITED});
	run(f);
	assert_int_equal(f->fake.requests, 2);
	assert_string_equal(f->fake.keys[1], "chosen-1");
	/* refused, nothing posted: pending again, without a key */
	assert_journal(f, uuid, "p");
	assert_request_key(f, uuid, 0, "");
	struct publish_options later = options(0);
	later.now = NOW + 1000;
	ok(f, run_with(f, &later));
	assert_journal(f, uuid, "S");
	assert_int_equal(f->fake.chosen, 2);
	assert_string_equal(f->fake.keys[2], "chosen-2");
	assert_int_equal(f->fake.chosen_at[1].tv_sec, NOW + 1000);
}

/* ---- the claim: a compare-and-set ---- */

static void open_other(struct fixture *f, const char *dir)
{
	if (store_open(dir, STORE_WRITE, &f->other, &f->err))
		fail_msg("store_open: %s", f->err.detail);
}

static bool claim_by(struct fixture *f, struct store *s, const char *uuid, size_t seq,
		     enum draft_post_state from, long attempts, const char *claimant, time_t at)
{
	bool claimed;
	ok(f, store_begin(s, &f->err));
	ok(f, draft_post_claim(s, uuid, "mem", seq, from, &attempts, claimant, at, NULL, &claimed,
			       &f->err));
	ok(f, store_commit(s, &f->err));
	return claimed;
}

static void claim_with(struct fixture *f, struct store *s, const char *uuid, size_t seq,
		       enum draft_post_state from, long attempts, bool expected)
{
	assert_int_equal(claim_by(f, s, uuid, seq, from, attempts, "elsewhere:1:1", NOW), expected);
}

static void only_one_of_two_handles_claims_a_post(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 1, NULL, uuid);
	open_other(f, f->dir);
	/* both read the post as pending, never claimed */
	claim_with(f, f->store, uuid, 0, DRAFT_POST_PENDING, 0, true);
	claim_with(f, f->other, uuid, 0, DRAFT_POST_PENDING, 0, false);
	/* a claim left by a dead run is taken over by one of them only */
	claim_with(f, f->other, uuid, 0, DRAFT_POST_SENDING, 1, true);
	claim_with(f, f->store, uuid, 0, DRAFT_POST_SENDING, 1, false);
	/* and the first cannot release the claim it lost */
	ok(f, draft_post_release(f->store, uuid, "mem", 0, 1, false, &f->err));
	assert_journal(f, uuid, "s");
}

static void claim_post_two(struct fixture *f)
{
	struct draft *due;
	size_t count;
	ok(f, draft_due(f->other, NOW, &due, &count, &f->err));
	assert_int_equal(count, 1);
	claim_with(f, f->other, due[0].uuid, 1, DRAFT_POST_PENDING, 0, true);
	free(due);
	f->fake.on_pause = NULL;
}

static void the_loser_of_a_claim_does_not_send(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 2, NULL, uuid);
	open_other(f, f->dir);
	/* between this run's reading of the journal and its claim of post 2, another
	 * process claims it */
	f->fake.on_pause = claim_post_two;
	const struct publish_options o = options(1000);
	ok(f, run_with(f, &o));
	assert_fate(f, 0, PUBLISH_DEFERRED, "another run is sending post 2");
	assert_int_equal(f->fake.requests, 1);
	assert_int_equal(f->fake.n_posts, 1);
	assert_journal(f, uuid, "Ss");
	assert_int_equal(status(f, uuid), DRAFT_APPROVED);
}

/* ---- a rejection sticks (issue 12 case 4) ---- */

/* The second draft, listed as due by the run under way, as another process rejects it. */
static void reject_the_second(struct fixture *f)
{
	struct draft *all;
	size_t count;
	ok(f, draft_list(f->other, false, &all, &count, &f->err));
	assert_int_equal(count, 2);
	const struct draft_actor luis = {.name = "Luis", .os_user = "ana", .at = NOW};
	ok(f, draft_reject(f->other, all[1].uuid, &luis, "falso", &f->err));
	/* the first is half out: refused, saying so */
	assert_int_equal(draft_reject(f->other, all[0].uuid, &luis, NULL, &f->err), II_EDATA);
	unit_assert_contains(f->err.detail, "it is being published, 1 of 2 posts are public");
	free(all);
	f->fake.on_pause = NULL;
}

static void draft_rejected_after_the_run_listed_it_is_not_sent(void **state)
{
	struct fixture *f = *state;
	char first[37], second[37];
	approved(f, 2, NULL, first);
	approved(f, 1, NULL, second);
	open_other(f, f->dir);
	f->fake.on_pause = reject_the_second;
	const struct publish_options o = options(1000);
	ok(f, run_with(f, &o));
	assert_fate(f, 0, PUBLISH_PUBLISHED, NULL);
	assert_fate(f, 1, PUBLISH_DEFERRED, "draft is rejected: not sent");
	assert_int_equal(f->fake.n_posts, 2);
	assert_journal(f, first, "SS");
	assert_journal(f, second, "p");
	assert_int_equal(status(f, first), DRAFT_PUBLISHED);
	assert_int_equal(status(f, second), DRAFT_REJECTED);
	/* and no later run sends it */
	run(f);
	assert_int_equal(f->fake.n_posts, 2);
}

/* ---- a post left "sending": taken over only from a claimant certainly gone ---- */

/* A process of this host that waits until end_child() kills it. */
struct child {
	pid_t pid;
	char id[PROCESS_ID_SIZE];
};

static void start_child(struct fixture *f, struct child *c)
{
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		alarm(60); /* not left behind by a test that fails before killing it */
		for (;;)
			pause();
	}
	struct process_id id;
	ok(f, process_of(c->pid, &id, &f->err));
	process_format(&id, c->id);
}

/* The child dies as a killed run does, and stays a zombie, not reaped yet. */
static void end_child(struct child *c)
{
	assert_int_equal(kill(c->pid, SIGKILL), 0);
	siginfo_t info;
	assert_int_equal(waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOWAIT), 0);
}

static void reap_child(struct child *c)
{
	assert_int_equal(waitpid(c->pid, NULL, 0), c->pid);
}

static struct publish_options leased(time_t now, time_t lease)
{
	struct publish_options o = options(0);
	o.now = now;
	o.claim_lease = lease;
	return o;
}

static void live_claimant_keeps_its_post_until_its_lease_ends(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 2, NULL, uuid);
	struct child c;
	start_child(f, &c);
	/* the child claimed post 1 and its request is in flight: the channel has nothing yet */
	assert_true(claim_by(f, f->store, uuid, 0, DRAFT_POST_PENDING, 0, c.id, NOW));
	struct publish_options o = leased(NOW + 40, 40);
	ok(f, run_with(f, &o));
	char reason[128];
	snprintf(reason, sizeof reason, "post 1 is being sent by another run (pid %ld) since ", (long)c.pid);
	assert_fate(f, 0, PUBLISH_DEFERRED, reason);
	assert_false(f->report.remote_failed);
	assert_int_equal(f->fake.requests, 0);
	assert_journal(f, uuid, "sp");
	assert_int_equal(status(f, uuid), DRAFT_APPROVED);
	/* past the lease no request of the child can still be under way */
	o = leased(NOW + 41, 40);
	ok(f, run_with(f, &o));
	assert_fate(f, 0, PUBLISH_PUBLISHED, NULL);
	assert_journal(f, uuid, "SS");
	assert_int_equal(f->fake.requests, 2);
	end_child(&c);
	reap_child(&c);
}

static void dead_claimant_on_this_host_is_reconciled_and_taken_over(void **state)
{
	struct fixture *f = *state;
	char reaped[37], zombie[37], reused[37];
	approved(f, 2, NULL, reaped);
	approved(f, 1, NULL, zombie);
	approved(f, 1, NULL, reused);
	struct child a, b;
	start_child(f, &a);
	start_child(f, &b);
	assert_true(claim_by(f, f->store, reaped, 0, DRAFT_POST_PENDING, 0, a.id, NOW));
	assert_true(claim_by(f, f->store, zombie, 0, DRAFT_POST_PENDING, 0, b.id, NOW));
	/* a claim of a process whose pid now belongs to another (this one): the start differs */
	struct process_id self;
	ok(f, process_of(getpid(), &self, &f->err));
	self.start++;
	char other[PROCESS_ID_SIZE];
	process_format(&self, other);
	assert_true(claim_by(f, f->store, reused, 0, DRAFT_POST_PENDING, 0, other, NOW));
	/* the first child posted before it died */
	f->fake.posts[0] = (struct remote_post){.ref = "mem-child", .text = "Aviso 0, parte 1/2",
						.created = NOW};
	f->fake.n_posts = 1;
	end_child(&a);
	reap_child(&a);
	end_child(&b);
	/* no lease: only the claimants' being gone lets the posts be taken over */
	const struct publish_options o = leased(NOW, 0);
	ok(f, run_with(f, &o));
	reap_child(&b);
	for (size_t i = 0; i < 3; i++)
		assert_fate(f, i, PUBLISH_PUBLISHED, NULL);
	assert_journal(f, reaped, "SS");
	assert_journal(f, zombie, "S");
	assert_journal(f, reused, "S");
	/* the first child's post was found, not sent again, and the thread goes on from it */
	assert_int_equal(f->fake.requests, 3);
	assert_string_equal(f->fake.posts[1].reply_to, "mem-child");
	assert_each_posted_once(f);
}

static void claim_from_another_host_waits_for_its_lease(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 1, NULL, uuid);
	open_other(f, f->dir);
	assert_true(claim_by(f, f->other, uuid, 0, DRAFT_POST_PENDING, 0, "elsewhere.example:4242:99", NOW));
	/* nobody here can tell whether that process runs: without a lease the post waits */
	struct publish_options o = leased(NOW + 100000, 0);
	ok(f, run_with(f, &o));
	assert_fate(f, 0, PUBLISH_DEFERRED,
		    "post 1 is being sent by another run (pid 4242 on elsewhere.example) since ");
	o = leased(NOW + 40, 40);
	ok(f, run_with(f, &o));
	assert_fate(f, 0, PUBLISH_DEFERRED, "(pid 4242 on elsewhere.example)");
	assert_int_equal(f->fake.requests, 0);
	assert_journal(f, uuid, "s");
	o = leased(NOW + 41, 40);
	ok(f, run_with(f, &o));
	assert_fate(f, 0, PUBLISH_PUBLISHED, NULL);
	assert_journal(f, uuid, "S");
	assert_int_equal(f->fake.requests, 1);
	/* the claim of the run that sent it is on record */
	struct draft_post *posts;
	size_t count;
	ok(f, draft_posts(f->store, uuid, "mem", &posts, &count, &f->err));
	struct process_id self, claimant;
	ok(f, process_of(getpid(), &self, &f->err));
	assert_true(process_parse(posts[0].claimed_by, &claimant));
	assert_int_equal(claimant.pid, self.pid);
	assert_int_equal(claimant.start, self.start);
	assert_int_equal(posts[0].claimed_at, NOW + 41);
	draft_posts_free(posts, count);
}

/* An approved draft of the posts texts[0..n), due now. */
static void approved_texts(struct fixture *f, const char *const *texts, size_t n, char uuid[37])
{
	int lengths[MAX];
	for (size_t i = 0; i < n; i++)
		lengths[i] = (int)strlen(texts[i]);
	const struct draft_thread threads[] = {{"mem", texts, lengths, n}};
	struct draft_spec spec = {
		.kind = DRAFT_BULO, .title = "Pensiones", .posts = texts, .lengths = lengths,
		.post_count = n, .threads = threads, .thread_count = 1,
	};
	ok(f, draft_create(f->store, &spec, &f->system, true, uuid, &f->err));
}

static void post_another_draft_records_is_never_adopted(void **state)
{
	struct fixture *f = *state;
	char first[37], second[37];
	const char *const texts[] = {"Fuentes: https://www.boe.es #Pensiones"};
	approved_texts(f, texts, 1, first);
	run(f);
	assert_journal(f, first, "S");
	/* a second draft of the same text, left "sending" by a run that died */
	approved_texts(f, texts, 1, second);
	struct child c;
	start_child(f, &c);
	assert_true(claim_by(f, f->store, second, 0, DRAFT_POST_PENDING, 0, c.id, NOW));
	end_child(&c);
	reap_child(&c);
	script(f, 1, (enum answer[]){ANSWER_DUPLICATE});
	run(f);
	assert_fate(f, 0, PUBLISH_FAILED, "is a duplicate, and no post of its own was found");
	assert_journal(f, second, "p");
	assert_journal(f, first, "S");
	assert_int_equal(f->fake.n_posts, 1);
}

static void thread_repeating_a_published_post_never_starts(void **state)
{
	struct fixture *f = *state;
	char first[37], second[37], own[37];
	const char *const earlier[] = {"Bulo 1/2", "Fuentes: https://www.boe.es #Pensiones 2/2"};
	approved_texts(f, earlier, 2, first);
	run(f);
	assert_journal(f, first, "SS");
	/* the same closing post, but for its white space (X compares it so too) */
	const char *const later[] = {"Otro bulo 1/2", " Fuentes:  https://www.boe.es\n#Pensiones 2/2\n"};
	approved_texts(f, later, 2, second);
	const char *const twice[] = {"Uno", "Dos", "Uno"};
	approved_texts(f, twice, 3, own);
	size_t before = f->fake.requests;
	run(f);
	char expected[128];
	snprintf(expected, sizeof expected, "post 2/2 repeats draft %.8s's post 2/2, already on Mem", first);
	assert_fate(f, 0, PUBLISH_FAILED, expected);
	assert_fate(f, 1, PUBLISH_FAILED, "post 3/3 repeats post 1/3 of the same thread");
	assert_int_equal(f->fake.requests, before);
	assert_journal(f, second, "pp");
	assert_int_equal(status(f, second), DRAFT_FAILED);
}

/* The actions of draft uuid's audit trail, one per line. */
static void audit_actions(struct fixture *f, const char *uuid, char *out, size_t size)
{
	struct draft_audit *entries;
	size_t count;
	ok(f, draft_audit_list(f->store, uuid, &entries, &count, &f->err));
	out[0] = '\0';
	for (size_t i = 0; i < count; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s: %s\n", entries[i].action, entries[i].detail);
	free(entries);
}

static void reply_to_a_post_deleted_there_goes_out_on_its_own(void **state)
{
	struct fixture *f = *state;
	char alert[37], update[37], resolution[37];
	approved(f, 1, NULL, alert);
	run(f);
	assert_journal(f, alert, "S");
	/* a person deletes the alert on the channel itself */
	f->fake.posts[0].deleted = true;
	approved(f, 2, alert, update);
	run(f);
	assert_fate(f, 0, PUBLISH_PUBLISHED, NULL);
	assert_journal(f, update, "SS");
	assert_int_equal(status(f, update), DRAFT_PUBLISHED);
	assert_int_equal(f->fake.n_posts, 3);
	assert_string_equal(f->fake.posts[1].reply_to, "");
	assert_string_equal(f->fake.posts[2].reply_to, f->fake.posts[1].ref);
	char trail[2048];
	audit_actions(f, update, trail, sizeof trail);
	unit_assert_contains(trail, "reply target gone: post 1 answered mem-1-0, gone from Mem: published as a new thread");
	/* what answers the update answers it, in the new thread */
	approved(f, 1, update, resolution);
	run(f);
	assert_journal(f, resolution, "S");
	assert_string_equal(f->fake.posts[3].reply_to, f->fake.posts[2].ref);
}

static void own_thread_post_gone_midway_waits(void **state)
{
	struct fixture *f = *state;
	char uuid[37], later[37];
	approved(f, 2, NULL, uuid);
	script(f, 2, (enum answer[]){ANSWER_CREATED, ANSWER_RATE_LIMITED});
	run(f);
	assert_journal(f, uuid, "Sp");
	f->fake.posts[0].deleted = true;
	approved(f, 1, NULL, later);
	const struct publish_options o = leased(NOW + 1000, 0);
	ok(f, run_with(f, &o));
	/* its own first post gone (or not visible yet): never a thread cut in two in silence */
	assert_fate(f, 0, PUBLISH_DEFERRED, "Mem says the post that post 2 answers is gone");
	assert_journal(f, uuid, "Sp");
	assert_int_equal(status(f, uuid), DRAFT_APPROVED);
	assert_fate(f, 1, PUBLISH_PUBLISHED, NULL);
}

/* ---- jitter ---- */

static void backoff_pauses(struct fixture *f, uint64_t seed, long pauses[2])
{
	char uuid[37];
	approved(f, 1, NULL, uuid);
	script(f, 2, (enum answer[]){ANSWER_TRANSIENT, ANSWER_TRANSIENT});
	f->fake.n_pauses = 0;
	struct publish_options o = options(0);
	o.jitter_seed = seed;
	ok(f, run_with(f, &o));
	assert_int_equal(f->fake.n_pauses, 2);
	memcpy(pauses, f->fake.pauses, 2 * sizeof *pauses);
}

static void jitter_comes_from_the_seed_or_from_each_process(void **state)
{
	struct fixture *f = *state;
	long a[2], b[2], c[2], d[2], e[2];
	backoff_pauses(f, 7, a);
	backoff_pauses(f, 7, b);
	backoff_pauses(f, 8, c);
	assert_memory_equal(a, b, sizeof a);
	assert_memory_not_equal(a, c, sizeof a);
	/* unseeded, each run draws its own: two runs agreeing on both pauses is a 1 in 500,000
	 * chance */
	backoff_pauses(f, 0, d);
	backoff_pauses(f, 0, e);
	assert_memory_not_equal(d, e, sizeof d);
}

/* ---- several channels ---- */

/* A second channel beside f's, "other", with its own remote side. */
static struct fake *second_channel(struct fixture *f)
{
	struct fake *m = calloc(1, sizeof *m);
	assert_non_null(m);
	*m = (struct fake){.f = f, .clock = NOW, .channel = f->fake.channel};
	m->channel.id = "other";
	m->channel.name = "Mem2";
	m->channel.ctx = m;
	return m;
}

/* options() for a draft that goes to both channels */
static struct publish_options both(void)
{
	static const char *const ids[] = {"mem", "other"};
	struct publish_options o = options(0);
	o.channels = ids;
	o.channel_count = 2;
	return o;
}

static void both_channels_end_before_the_status_sums_them_up(void **state)
{
	struct fixture *f = *state;
	struct fake *m = second_channel(f);
	const struct publish_options o = both();
	char uuid[37];
	approved(f, 2, NULL, uuid);
	ok(f, run_with(f, &o));
	assert_journal(f, uuid, "SS");
	/* published on one channel, still due on the other */
	assert_int_equal(status(f, uuid), DRAFT_APPROVED);
	ok(f, run_with(f, &o)); /* nothing again where it ended */
	assert_int_equal(f->fake.requests, 2);
	assert_int_equal(f->report.count, 0);
	publish_report_free(&f->report);
	ok(f, publish_run(f->store, &m->channel, &o, &f->report, &f->err));
	assert_int_equal(m->n_posts, 2);
	assert_string_equal(m->posts[1].reply_to, m->posts[0].ref);
	assert_int_equal(status(f, uuid), DRAFT_PUBLISHED);
	free(m);
}

static void one_channel_refusing_fails_the_draft_there_only(void **state)
{
	struct fixture *f = *state;
	struct fake *m = second_channel(f);
	const struct publish_options o = both();
	char uuid[37];
	approved(f, 1, NULL, uuid);
	m->script[0] = ANSWER_REJECTED;
	m->n_script = 1;
	ok(f, publish_run(f->store, &m->channel, &o, &f->report, &f->err));
	assert_int_equal(f->report.items[0].fate, PUBLISH_FAILED);
	/* the other channel still publishes it */
	assert_int_equal(status(f, uuid), DRAFT_APPROVED);
	ok(f, run_with(f, &o));
	assert_int_equal(f->fake.n_posts, 1);
	struct draft d;
	ok(f, draft_find(f->store, uuid, &d, &f->err));
	assert_int_equal(d.status, DRAFT_FAILED);
	unit_assert_contains(d.error, "Mem2 refused post 1");
	enum draft_delivery ended;
	ok(f, draft_delivery_get(f->store, uuid, "mem", &ended, NULL, &f->err));
	assert_int_equal(ended, DRAFT_DELIVERY_PUBLISHED);
	free(m);
}

/* ---- a channel that refuses answers (X since 2026-02-23) ---- */

#define SINGLE "Cita previa\nhttps://example.org/feeds/avisos.atom"

/* Whether draft uuid's audit trail has an entry action whose detail holds detail. */
static bool audited(struct fixture *f, const char *uuid, const char *action, const char *detail)
{
	struct draft_audit *trail;
	size_t count;
	bool found = false;
	ok(f, draft_audit_list(f->store, uuid, &trail, &count, &f->err));
	for (size_t i = 0; i < count; i++)
		found |= !strcmp(trail[i].action, action) && strstr(trail[i].detail, detail);
	free(trail);
	return found;
}

/* The events raised for the staff so far, by name, joined by spaces. */
static char *raised(struct fixture *f)
{
	char *path = store_path(f->dir), *events = NULL;
	sqlite3 *db;
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT coalesce(group_concat(event, ' '), '')"
					    " FROM notification", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	events = strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	free(path);
	return events;
}

static void refused_answer_gives_way_to_one_post_that_links_to_the_rest(void **state)
{
	struct fixture *f = *state;
	f->single = SINGLE;
	char uuid[37];
	approved(f, 3, NULL, uuid);
	script(f, 2, (enum answer[]){ANSWER_CREATED, ANSWER_REPLY_REFUSED});
	/* the staff hear of it: a webhook that hears of every event */
	struct config_notify hook = {.id = "ops", .type = CONFIG_NOTIFY_WEBHOOK,
				     .events = NOTIFY_ALL_EVENTS};
	struct config cfg = {.notify = &hook, .notify_count = 1};
	struct publish_options o = options(0);
	o.notify = &cfg;
	ok(f, run_with(f, &o));
	char *events = raised(f);
	assert_string_equal(events, "thread_mode_switched");
	free(events);
	assert_fate(f, 0, PUBLISH_PUBLISHED, NULL);
	/* post 1 stays; posts 2 and 3 became the single post, which answers nothing */
	assert_journal(f, uuid, "SS");
	assert_int_equal(f->fake.n_posts, 2);
	assert_string_equal(f->fake.posts[1].text, SINGLE);
	assert_string_equal(f->fake.posts[1].reply_to, "");
	struct draft_post *posts;
	size_t count;
	ok(f, draft_posts(f->store, uuid, "mem", &posts, &count, &f->err));
	assert_false(posts[0].standalone);
	assert_true(posts[1].standalone);
	draft_posts_free(posts, count);
	assert_int_equal(status(f, uuid), DRAFT_PUBLISHED);
	assert_true(audited(f, uuid, "thread mode switched", "Mem refused post 2 as an answer"));
	/* the other channel's thread is its own: whole */
	f->fake.channel.id = "other";
	assert_journal(f, uuid, "ppp");
	f->fake.channel.id = "mem";
	/* nothing more is sent */
	run(f);
	assert_int_equal(f->fake.requests, 3);
}

static void refused_first_answer_to_another_draft_goes_out_on_its_own(void **state)
{
	struct fixture *f = *state;
	char first[37], answer[37];
	approved(f, 1, NULL, first);
	f->single = SINGLE;
	approved(f, 2, first, answer);
	script(f, 2, (enum answer[]){ANSWER_CREATED, ANSWER_REPLY_REFUSED});
	run(f);
	assert_journal(f, first, "S");
	assert_journal(f, answer, "S");
	assert_int_equal(f->fake.n_posts, 2);
	assert_string_equal(f->fake.posts[1].text, SINGLE);
	assert_string_equal(f->fake.posts[1].reply_to, "");
	assert_int_equal(status(f, answer), DRAFT_PUBLISHED);
}

static void refused_answer_without_a_single_post_fails_the_draft(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 3, NULL, uuid);
	script(f, 2, (enum answer[]){ANSWER_CREATED, ANSWER_REPLY_REFUSED});
	run(f);
	assert_fate(f, 0, PUBLISH_FAILED, "Mem refused post 2");
	assert_journal(f, uuid, "Spp");
	assert_false(audited(f, uuid, "thread mode switched", ""));
}

static void single_post_after_a_refusal_is_sent_once_across_a_crash(void **state)
{
	struct fixture *f = *state;
	f->single = SINGLE;
	char uuid[37];
	approved(f, 3, NULL, uuid);
	script(f, 3, (enum answer[]){ANSWER_CREATED, ANSWER_REPLY_REFUSED,
				     ANSWER_CRASH_AFTER_POSTING});
	run_dies(f);
	/* the switch was committed before the single post's request */
	assert_journal(f, uuid, "Ss");
	run(f);
	assert_journal(f, uuid, "SS");
	assert_int_equal(f->fake.n_posts, 2);
	assert_each_posted_once(f);
	assert_int_equal(status(f, uuid), DRAFT_PUBLISHED);
}

/* ---- threads per channel ---- */

static void channel_without_a_thread_is_not_sent_and_not_waited_for(void **state)
{
	struct fixture *f = *state;
	/* made when only "mem" was configured (approved_texts() cuts for it alone) */
	char uuid[37];
	const char *const texts[] = {"Aviso: la sede cierra el domingo"};
	approved_texts(f, texts, 1, uuid);
	struct fake *m = second_channel(f);
	const struct publish_options o = both();
	ok(f, publish_run(f->store, &m->channel, &o, &f->report, &f->err));
	assert_int_equal(m->n_posts, 0);
	assert_fate(f, 0, PUBLISH_DEFERRED, "no thread was cut for Mem2");
	ok(f, run_with(f, &o));
	assert_journal(f, uuid, "S");
	assert_int_equal(status(f, uuid), DRAFT_PUBLISHED);
	free(m);
}

/* ---- retraction ---- */

static void retract_deletes_newest_first_and_forgets_the_references(void **state)
{
	struct fixture *f = *state;
	char uuid[37];
	approved(f, 2, NULL, uuid);
	run(f);
	f->fake.channel.capabilities &= ~(unsigned)CHANNEL_DELETE;
	const struct publish_channel *channels[] = {&f->fake.channel};
	assert_int_equal(publish_retract(f->store, channels, 1, uuid, "error", &f->system, &f->err),
			 II_EDATA);
	unit_assert_contains(f->err.detail, "Mem cannot delete posts");
	assert_false(f->fake.posts[0].deleted);
	f->fake.channel.capabilities |= CHANNEL_DELETE;
	ok(f, publish_retract(f->store, channels, 1, uuid, "error", &f->system, &f->err));
	assert_true(f->fake.posts[0].deleted && f->fake.posts[1].deleted);
	assert_journal(f, uuid, "pp");
	assert_int_equal(status(f, uuid), DRAFT_REJECTED);
}

/* ---- the migration from schema 2 ---- */

/* The tables of schema 2 that schema 3 changes, as release 0.1.0 made them. */
static const char schema2[] =
	"CREATE TABLE draft (uuid TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL,"
	" source TEXT, content_hash TEXT, author TEXT, incident TEXT, reply_to TEXT, meta TEXT,"
	" status TEXT NOT NULL, due_at INTEGER, expires_at INTEGER, created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL, changed_after_publication INTEGER NOT NULL DEFAULT 0,"
	" error TEXT);"
	"CREATE TABLE post (draft TEXT NOT NULL REFERENCES draft(uuid), seq INTEGER NOT NULL,"
	" text TEXT NOT NULL, weighted_length INTEGER NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending', remote_id TEXT, sent_at INTEGER,"
	" PRIMARY KEY (draft, seq));"
	"CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, draft TEXT,"
	" incident TEXT, action TEXT NOT NULL, name TEXT NOT NULL, os_user TEXT NOT NULL,"
	" detail TEXT);"
	"CREATE TABLE channel (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE incident (uuid TEXT PRIMARY KEY, service TEXT NOT NULL, resolved_at INTEGER,"
	" kind TEXT NOT NULL DEFAULT 'outage');"
	"INSERT INTO draft (uuid, kind, title, status, created_at, updated_at) VALUES"
	" ('11111111-0000-4000-8000-000000000001', 'aviso', 'uno', 'published', 1, 1),"
	" ('11111111-0000-4000-8000-000000000002', 'aviso', 'dos', 'approved', 2, 2);"
	"INSERT INTO post (draft, seq, text, weighted_length, state, remote_id, sent_at) VALUES"
	" ('11111111-0000-4000-8000-000000000001', 0, 'a', 1, 'sent', '1860000000000000001', 10),"
	" ('11111111-0000-4000-8000-000000000001', 1, 'b', 1, 'sent', '1860000000000000002', 11),"
	" ('11111111-0000-4000-8000-000000000002', 0, 'c', 1, 'sent', '1860000000000000003', 12),"
	" ('11111111-0000-4000-8000-000000000002', 1, 'd', 1, 'sending', NULL, 13),"
	" ('11111111-0000-4000-8000-000000000002', 2, 'e', 1, 'pending', NULL, NULL);"
	"INSERT INTO channel (name, value) VALUES ('stopped_until', '1764000900'),"
	" ('remaining', '17'), ('reset', '1764000800'), ('last_success', '1764000100');"
	"PRAGMA user_version = 2;";

static void version_2_database_keeps_every_reference_and_state(void **state)
{
	struct fixture *f = *state;
	char *dir = unit_mkdir(f->dir, "v2"), *path = store_path(dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema2, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(path);
	store_close(f->store);
	ok(f, store_open(dir, STORE_WRITE, &f->store, &f->err));

	struct draft_post *posts;
	size_t count;
	ok(f, draft_posts(f->store, "11111111-0000-4000-8000-000000000001", "x", &posts, &count, &f->err));
	assert_int_equal(count, 2);
	assert_int_equal(posts[0].state, DRAFT_POST_SENT);
	assert_string_equal(posts[0].remote_id, "1860000000000000001");
	assert_int_equal(posts[0].sent_at, 10);
	assert_string_equal(posts[1].remote_id, "1860000000000000002");
	draft_posts_free(posts, count);
	ok(f, draft_posts(f->store, "11111111-0000-4000-8000-000000000002", "x", &posts, &count, &f->err));
	assert_int_equal(count, 3);
	assert_string_equal(posts[0].remote_id, "1860000000000000003");
	assert_int_equal(posts[1].state, DRAFT_POST_SENDING);
	assert_int_equal(posts[1].attempts, 1);
	assert_int_equal(posts[1].claimed_at, 13);
	assert_string_equal(posts[1].claimed_by, "");
	assert_int_equal(posts[1].sent_at, 0);
	assert_int_equal(posts[2].state, DRAFT_POST_PENDING);
	assert_string_equal(posts[2].text, "e");
	draft_posts_free(posts, count);
	char last[DRAFT_REF_SIZE];
	ok(f, draft_last_remote_id(f->store, "11111111-0000-4000-8000-000000000001", "x", last, &f->err));
	assert_string_equal(last, "1860000000000000002");
	/* the journal is X's only */
	ok(f, draft_last_remote_id(f->store, "11111111-0000-4000-8000-000000000001", "mem", last, &f->err));
	assert_string_equal(last, "");
	/* cut once, by X's counter, and approved so for every channel: each publishes X's posts */
	ok(f, draft_posts(f->store, "11111111-0000-4000-8000-000000000002", "mem", &posts, &count, &f->err));
	assert_int_equal(count, 3);
	assert_string_equal(posts[2].text, "e");
	assert_int_equal(posts[0].state, DRAFT_POST_PENDING);
	draft_posts_free(posts, count);
	struct draft d;
	ok(f, draft_find(f->store, "11111111-0000-4000-8000-000000000002", &d, &f->err));
	assert_true(d.one_cut);
	assert_int_equal(d.post_count, 3);
	struct publish_state st;
	ok(f, publish_state(f->store, "x", NOW, &st, &f->err));
	assert_int_equal(st.stopped_until, 1764000900);
	assert_int_equal(st.remaining, 17);
	assert_int_equal(st.reset, 1764000800);
	assert_int_equal(st.last_success, 1764000100);
	ok(f, publish_state(f->store, "mem", NOW, &st, &f->err));
	assert_int_equal(st.remaining, -1);
	/* the post left "sending" can be claimed only as such */
	long attempts = 0;
	bool claimed;
	ok(f, draft_post_claim(f->store, "11111111-0000-4000-8000-000000000002", "x", 1,
			       DRAFT_POST_PENDING, &attempts, "elsewhere:1:1", NOW, NULL, &claimed,
			       &f->err));
	assert_false(claimed);
	attempts = 1;
	ok(f, draft_post_claim(f->store, "11111111-0000-4000-8000-000000000002", "x", 1,
			       DRAFT_POST_SENDING, &attempts, "elsewhere:1:1", NOW, NULL, &claimed,
			       &f->err));
	assert_true(claimed);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(created_thread_is_chained_and_journalled),
		UNIT_TEST(a_chosen_key_is_journalled_at_the_claim_and_kept_across_a_crash),
		UNIT_TEST(a_transient_failure_keeps_the_key_a_certain_no_post_forgets_it),
		UNIT_TEST(refused_answer_gives_way_to_one_post_that_links_to_the_rest),
		UNIT_TEST(refused_first_answer_to_another_draft_goes_out_on_its_own),
		UNIT_TEST(refused_answer_without_a_single_post_fails_the_draft),
		UNIT_TEST(single_post_after_a_refusal_is_sent_once_across_a_crash),
		UNIT_TEST(channel_without_a_thread_is_not_sent_and_not_waited_for),
		UNIT_TEST(long_references_are_kept_whole),
		UNIT_TEST(duplicate_found_is_reconciled_never_resent),
		UNIT_TEST(older_identical_post_is_never_adopted),
		UNIT_TEST(duplicate_not_found_fails_the_draft),
		UNIT_TEST(post_another_draft_records_is_never_adopted),
		UNIT_TEST(thread_repeating_a_published_post_never_starts),
		UNIT_TEST(transient_is_retried_after_a_jittered_backoff),
		UNIT_TEST(transient_after_posting_is_found_not_resent),
		UNIT_TEST(transient_every_time_leaves_it_sending),
		UNIT_TEST(far_reset_pauses_a_day_at_most),
		UNIT_TEST(rate_limit_pauses_this_channel_only),
		UNIT_TEST(unauthorized_stops_all_posting),
		UNIT_TEST(rejected_fails_the_draft_for_good),
		UNIT_TEST(crash_after_posting_is_reconciled_by_the_next_run),
		UNIT_TEST(crash_before_posting_is_sent_once_by_the_next_run),
		UNIT_TEST(sending_post_that_cannot_be_looked_for_is_left),
		UNIT_TEST(idempotent_channel_resends_with_the_same_key),
		UNIT_TEST(only_one_of_two_handles_claims_a_post),
		UNIT_TEST(the_loser_of_a_claim_does_not_send),
		UNIT_TEST(draft_rejected_after_the_run_listed_it_is_not_sent),
		UNIT_TEST(live_claimant_keeps_its_post_until_its_lease_ends),
		UNIT_TEST(dead_claimant_on_this_host_is_reconciled_and_taken_over),
		UNIT_TEST(claim_from_another_host_waits_for_its_lease),
		UNIT_TEST(reply_to_a_post_deleted_there_goes_out_on_its_own),
		UNIT_TEST(own_thread_post_gone_midway_waits),
		UNIT_TEST(jitter_comes_from_the_seed_or_from_each_process),
		UNIT_TEST(both_channels_end_before_the_status_sums_them_up),
		UNIT_TEST(one_channel_refusing_fails_the_draft_there_only),
		UNIT_TEST(retract_deletes_newest_first_and_forgets_the_references),
		UNIT_TEST(version_2_database_keeps_every_reference_and_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
