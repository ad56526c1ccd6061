#include "i18n.h"
#include "notify.h"
#include "publish.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "process.h"

_Static_assert(PROCESS_ID_SIZE <= DRAFT_CLAIMANT_SIZE, "a claimant fits the journal");

/* The channel's state between runs, as named values in the store. */
#define KEY_STOPPED_UNTIL "stopped_until"
#define KEY_REMAINING "remaining"
#define KEY_RESET "reset"
#define KEY_LAST_SUCCESS "last_success"
#define KEY_ASKED_UNTIL "asked_until"

struct run {
	struct store *store;
	const struct publish_channel *channel;
	const struct publish_options *options;
	struct publish_report *report;
	struct publish_state state;
	uint64_t jitter; /* the state of the retries' random jitter */
	char self[PROCESS_ID_SIZE]; /* this process, as its claims name it */
	struct timespec started;    /* monotonic, when options->now was read */
	struct ii_error *e;
};

/* The time now: options->now, moved on by how long this run has lasted, for the claims of
 * a run that spends minutes on a thread to carry their true time; to the nanosecond, for
 * the keys of the posts of a thread claimed within one second (choose_key) to increase. */
static struct timespec claim_time(const struct run *r)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	long long ns = (t.tv_sec - r->started.tv_sec) * 1000000000LL + (t.tv_nsec - r->started.tv_nsec);
	return (struct timespec){r->options->now + (time_t)(ns / 1000000000), (long)(ns % 1000000000)};
}

static time_t clock_now(const struct run *r)
{
	return claim_time(r).tv_sec;
}

time_t publish_claim_lease(long request_timeout_ms)
{
	return (time_t)((request_timeout_ms + 999) / 1000) + PUBLISH_CLAIM_MARGIN;
}

static long long get_number(struct store *s, const char *channel, const char *name,
			    long long fallback, struct ii_error *e, ii_err *rc)
{
	char value[32];
	if (*rc || (*rc = store_channel_get(s, channel, name, value, sizeof value, e)))
		return fallback;
	return *value ? strtoll(value, NULL, 10) : fallback;
}

/* A reset the channel gave, at most PUBLISH_MAX_PAUSE after now; *asked receives the
 * reset when it was later (else it is left alone). */
static time_t clamp_reset(time_t reset, time_t now, time_t *asked)
{
	if (reset <= now + PUBLISH_MAX_PAUSE)
		return reset;
	*asked = reset;
	return now + PUBLISH_MAX_PAUSE;
}

ii_err publish_state(struct store *s, const char *channel, time_t now, struct publish_state *out,
		     struct ii_error *e)
{
	ii_err rc = II_OK;
	out->stopped_until = (time_t)get_number(s, channel, KEY_STOPPED_UNTIL, 0, e, &rc);
	out->remaining = (long)get_number(s, channel, KEY_REMAINING, -1, e, &rc);
	out->reset = (time_t)get_number(s, channel, KEY_RESET, 0, e, &rc);
	out->last_success = (time_t)get_number(s, channel, KEY_LAST_SUCCESS, 0, e, &rc);
	out->asked_until = (time_t)get_number(s, channel, KEY_ASKED_UNTIL, 0, e, &rc);
	/* what an earlier version kept unclamped */
	out->stopped_until = clamp_reset(out->stopped_until, now, &out->asked_until);
	time_t ignored;
	out->reset = clamp_reset(out->reset, now, &ignored);
	return rc;
}

static ii_err put_number(struct run *r, const char *name, long long value)
{
	char text[32];
	snprintf(text, sizeof text, "%lld", value);
	return store_channel_put(r->store, r->channel->id, name, text, r->e);
}

/* Each journal entry is committed at once: a crash right after must find it. */
static ii_err begin(struct run *r)
{
	return store_begin(r->store, r->e);
}

static ii_err commit(struct run *r, ii_err rc)
{
	if (rc == II_OK)
		return store_commit(r->store, r->e);
	store_rollback(r->store);
	return rc;
}

static ii_err save_state(struct run *r)
{
	ii_err rc = begin(r);
	if (rc == II_OK)
		rc = put_number(r, KEY_STOPPED_UNTIL, r->state.stopped_until);
	if (rc == II_OK)
		rc = put_number(r, KEY_REMAINING, r->state.remaining);
	if (rc == II_OK)
		rc = put_number(r, KEY_RESET, r->state.reset);
	if (rc == II_OK)
		rc = put_number(r, KEY_LAST_SUCCESS, r->state.last_success);
	if (rc == II_OK)
		rc = put_number(r, KEY_ASKED_UNTIL, r->state.asked_until);
	return commit(r, rc);
}

/* What every answer says about the budget. */
static void learn(struct run *r, const struct channel_result *res)
{
	time_t now = r->options->now, ignored;
	if (res->remaining >= 0) {
		r->state.remaining = res->remaining;
		r->state.reset = clamp_reset(res->reset, now, &ignored);
	}
	if (res->outcome == CHANNEL_RATE_LIMITED) {
		r->report->rate_limited = true;
		r->state.asked_until = 0;
		r->state.stopped_until = res->retry_at > now
						 ? clamp_reset(res->retry_at, now, &r->state.asked_until)
						 : now + 60;
		/* nothing is left until then, and the budget is unknown after */
		r->state.remaining = 0;
		r->state.reset = r->state.stopped_until;
	}
}

/* The budget we know of at now: a reset in the past refills it (to an unknown amount). */
static long known_remaining(const struct run *r)
{
	if (r->state.remaining >= 0 && r->state.reset && r->state.reset <= r->options->now)
		return -1;
	return r->state.remaining;
}

static struct publish_item *add_item(struct run *r, const struct draft *d, enum publish_fate fate)
{
	struct publish_report *rep = r->report;
	struct publish_item *items = reallocarray(rep->items, rep->count + 1, sizeof *items);
	if (!items)
		return NULL;
	rep->items = items;
	struct publish_item *it = &items[rep->count++];
	memset(it, 0, sizeof *it);
	it->draft = *d;
	it->fate = fate;
	return it;
}

static ii_err defer(struct run *r, const struct draft *d, time_t until, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static ii_err defer(struct run *r, const struct draft *d, time_t until, const char *fmt, ...)
{
	struct publish_item *it = add_item(r, d, PUBLISH_DEFERRED);
	if (!it)
		return ii_fail(r->e, II_ENOMEM, _("out of memory"));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(it->reason, sizeof it->reason, fmt, ap);
	va_end(ap);
	it->until = until;
	return II_OK;
}

/*
 * Records how d ended on this run's channel, inside the caller's transaction, and once it
 * ended on every channel it has a thread for, its status: published, or failed with each
 * failing channel's reason. A channel configured after d was made has none (it is not
 * sent there, see publish_draft()) and is not waited for.
 */
static ii_err settle(struct run *r, const struct draft *d, enum draft_delivery state,
		     const char *why)
{
	const struct publish_options *o = r->options;
	ii_err rc = draft_delivery_set(r->store, d->uuid, r->channel->id, state, why, o->now, r->e);
	const char *const self[] = {r->channel->id};
	const char *const *ids = o->channels ? o->channels : self;
	size_t count = o->channels ? o->channel_count : 1;
	char failures[512] = "";
	size_t used = 0;
	for (size_t i = 0; rc == II_OK && i < count; i++) {
		enum draft_delivery ended;
		char error[512];
		bool has;
		if ((rc = draft_has_thread(r->store, d->uuid, ids[i], &has, r->e)) || !has)
			continue;
		if ((rc = draft_delivery_get(r->store, d->uuid, ids[i], &ended, error, r->e)))
			break;
		if (ended == DRAFT_DELIVERY_NONE)
			return II_OK; /* another channel has yet to end */
		if (ended == DRAFT_DELIVERY_FAILED && used < sizeof failures - 1)
			used += (size_t)snprintf(failures + used, sizeof failures - used, "%s%s", used ? "; " : "",
						 error);
	}
	if (rc)
		return rc;
	return *failures ? draft_failed(r->store, d->uuid, failures, o->actor, r->e)
			 : draft_published(r->store, d->uuid, o->actor, r->e);
}

/* d failed on this run's channel, whose thread has count posts, sent of them public. */
static ii_err fail_draft(struct run *r, const struct draft *d, const char *why, size_t sent,
			 size_t count)
{
	struct publish_item *it = add_item(r, d, PUBLISH_FAILED);
	if (!it)
		return ii_fail(r->e, II_ENOMEM, _("out of memory"));
	if (sent && sent < count)
		/* a thread cut short in public: say what is out and how the rest follows */
		snprintf(it->reason, sizeof it->reason,
			 "%.300s; the thread stopped midway: posts 1-%zu of %zu are public, the rest"
			 " follows them once the notice is fixed and approved again",
			 why, sent, count);
	else
		snprintf(it->reason, sizeof it->reason, "%s", why);
	it->sent = sent;
	it->post_count = count;
	why = it->reason;
	if (r->options->dry_run)
		return II_OK;
	ii_err rc = begin(r);
	if (rc == II_OK)
		rc = settle(r, d, DRAFT_DELIVERY_FAILED, why);
	if (rc == II_OK && r->options->notify)
		rc = notify_draft(r->store, r->options->notify,
				  sent ? NOTIFY_THREAD_STOPPED : NOTIFY_PUBLICATION_FAILED, d, why,
				  r->options->now, r->e);
	return commit(r, rc);
}

static bool can(const struct run *r, enum channel_capability capability)
{
	return (r->channel->capabilities & capability) != 0;
}

/* The post to answer, as post() and find() take it. */
static const char *answering(const struct run *r, const char *reply_to)
{
	return can(r, CHANNEL_THREADS) && *reply_to ? reply_to : NULL;
}

/* The post a thread answers: the last post of the draft it replies to, on this channel. */
static ii_err reply_target(struct run *r, const struct draft *d, char id[CHANNEL_REF_SIZE],
			   bool *wait)
{
	*wait = false;
	id[0] = '\0';
	if (!*d->reply_to || !can(r, CHANNEL_THREADS))
		return II_OK;
	struct draft parent;
	ii_err rc = draft_find(r->store, d->reply_to, &parent, r->e);
	if (rc == II_EDATA)
		return II_OK; /* gone: the thread starts anew */
	if (rc)
		return rc;
	rc = draft_last_remote_id(r->store, parent.uuid, r->channel->id, id, r->e);
	enum draft_delivery ended = DRAFT_DELIVERY_NONE;
	if (rc == II_OK && !*id)
		rc = draft_delivery_get(r->store, parent.uuid, r->channel->id, &ended, NULL, r->e);
	/* a parent that will never be published here (rejected, expired, failed on this
	 * channel) is skipped */
	if (rc == II_OK && !*id && ended == DRAFT_DELIVERY_NONE &&
	    (parent.status == DRAFT_PENDING || parent.status == DRAFT_APPROVED))
		*wait = true;
	return rc;
}

/* A post claimed by this run, being sent. */
struct sending {
	const struct draft *d;
	size_t seq;
	const char *text;
	const char *reply_to; /* the post it answers, "" for none */
	bool opens;           /* it is the first of its thread: reply_to is another draft's */
	time_t since;         /* when it was first claimed, for reconcile() */
	long attempts;        /* its claim */
	const char *language; /* of its draft */
	char key[DRAFT_KEY_SIZE]; /* the key choose_key gave its request, "" for none */
	/* when its claim starts the thread: every post of it, for the channel's budget
	 * (publish_channel.charge); NULL otherwise */
	const char *const *thread;
	size_t thread_count;
};

/*
 * Claims post p for sending from state from (see draft_post_claim()), and the channel
 * charges it when it comes from pending (a post taken over was charged by its first
 * claim): *covered false, with why, when the channel's budget does not cover the thread
 * it starts, and then nothing is claimed. A post from pending without a key gets one from
 * the channel's choose_key, journalled with the claim.
 */
static ii_err claim(struct run *r, struct sending *p, enum draft_post_state from, bool *claimed,
		    bool *covered, char *why, size_t why_size)
{
	*claimed = false;
	*covered = true;
	ii_err rc = begin(r);
	if (rc == II_OK && from == DRAFT_POST_PENDING && r->channel->charge)
		rc = r->channel->charge(r->channel->ctx, r->store, p->thread ? p->thread : &p->text,
					p->thread ? p->thread_count : 1, p->thread != NULL,
					clock_now(r), covered, why, why_size, r->e);
	bool chooses = from == DRAFT_POST_PENDING && r->channel->choose_key && !*p->key;
	if (rc == II_OK && *covered && chooses &&
	    !r->channel->choose_key(r->channel->ctx, claim_time(r), p->key, sizeof p->key))
		rc = ii_fail(r->e, II_EREMOTE, _("%s cannot choose the key of post %zu"),
			     r->channel->name, p->seq + 1);
	if (rc == II_OK && *covered)
		rc = draft_post_claim(r->store, p->d->uuid, r->channel->id, p->seq, from, &p->attempts,
				      r->self, clock_now(r), chooses ? p->key : NULL, claimed, r->e);
	if (rc == II_OK && *covered && !*claimed && r->channel->charge) {
		/* another process holds it: it did not cost us */
		store_rollback(r->store);
		return II_OK;
	}
	return commit(r, rc);
}

/* The request of p's claim certainly did not post it, or will be sent again as it was
 * (keeps_key, see draft_post_release()): it is pending again, its cost given back. */
static ii_err release(struct run *r, struct sending *p, bool keeps_key)
{
	ii_err rc = begin(r);
	if (rc == II_OK && r->channel->refund)
		rc = r->channel->refund(r->channel->ctx, r->store, p->text, clock_now(r), r->e);
	if (rc == II_OK)
		rc = draft_post_release(r->store, p->d->uuid, r->channel->id, p->seq, p->attempts,
					keeps_key, r->e);
	if (!keeps_key)
		p->key[0] = '\0';
	return commit(r, rc);
}

static ii_err record_sent(struct run *r, const struct draft *d, size_t seq, const char *ref)
{
	ii_err rc = begin(r);
	if (rc == II_OK)
		rc = draft_post_sent(r->store, d->uuid, r->channel->id, seq, ref, r->options->now, r->e);
	return commit(r, rc);
}

/* How a post went: sent; stop this run (the channel refuses for now); the draft failed;
 * left to a later run, stopping this one; left to a later run, the others going on; the
 * draft stopped being approved, and nothing more of it goes out; the thread's rest gave way
 * to its single post (draft_thread_switch()), to send now. */
enum step { STEP_SENT, STEP_STOP, STEP_FAILED, STEP_LEAVE, STEP_WAIT, STEP_WITHDRAWN,
	    STEP_SWITCHED };

/*
 * A claim of post i of d that failed: the draft is no longer approved (rejected or
 * superseded since this run listed it), and nothing more of it is sent; or another process
 * got there between our reading and our claim.
 */
static ii_err unclaimed(struct run *r, const struct draft *d, size_t i, enum step *step,
			char *why, size_t why_size)
{
	struct draft now;
	ii_err rc = draft_find(r->store, d->uuid, &now, r->e);
	if (rc)
		return rc;
	*step = now.status == DRAFT_APPROVED ? STEP_LEAVE : STEP_WITHDRAWN;
	if (*step == STEP_WITHDRAWN)
		snprintf(why, why_size, "draft is %s: not sent", draft_status_name(now.status));
	else
		snprintf(why, why_size, "another run is sending post %zu", i + 1);
	return II_OK;
}

/*
 * A post that may already be on the channel (left "sending", or answered duplicate or a
 * transient error): look before sending. *found says whether a post of its own is there
 * (see PUBLISH_CLOCK_SKEW in publish.h: created since the claim of since, and nobody
 * else's); an error when nobody can tell, the channel lacking both find() and idempotent
 * posts among them.
 */
static ii_err reconcile(struct run *r, const struct draft *d, size_t seq, const char *text,
			const char *reply_to, time_t since, char id[CHANNEL_REF_SIZE], bool *found)
{
	*found = false;
	id[0] = '\0';
	if (!can(r, CHANNEL_FIND_BY_TEXT))
		/* resent with the same key, a post that is there is not posted twice */
		return can(r, CHANNEL_IDEMPOTENCY_KEY)
			       ? II_OK
			       : ii_fail(r->e, II_EREMOTE, _("%s cannot look for its posts"), r->channel->name);
	struct channel_found seen[CHANNEL_FIND_MAX];
	size_t count = 0;
	ii_err rc = r->channel->find(r->channel->ctx, text, answering(r, reply_to), seen, &count, r->e);
	for (size_t i = 0; rc == II_OK && !*found && i < count && i < CHANNEL_FIND_MAX; i++) {
		/* a claim of unknown time (0.1.0's) proves nothing either */
		if (!since || !seen[i].created_at || seen[i].created_at < since - PUBLISH_CLOCK_SKEW)
			continue;
		bool taken;
		rc = draft_ref_taken(r->store, r->channel->id, seen[i].ref, d->uuid, seq, &taken, r->e);
		if (rc == II_OK && !taken) {
			memcpy(id, seen[i].ref, CHANNEL_REF_SIZE);
			*found = true;
		}
	}
	if (*found)
		rc = record_sent(r, d, seq, id);
	return rc;
}

/* The jitter of the retries: splitmix64, enough to spread processes apart. */
static uint64_t next_random(struct run *r)
{
	uint64_t z = (r->jitter += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t process_seed(void)
{
	uint64_t seed;
	if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed)
		return seed;
	return (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
}


/* The post a thread's first post answers is gone from the channel (deleted there, not
 * retracted): the post goes out on its own, a new thread, and the trail says so. */
static ii_err start_anew(struct run *r, struct sending *p)
{
	char detail[CHANNEL_REF_SIZE + 128];
	snprintf(detail, sizeof detail, "post %zu answered %s, gone from %s: published as a new thread",
		 p->seq + 1, p->reply_to, r->channel->name);
	p->reply_to = "";
	ii_err rc = begin(r);
	if (rc == II_OK)
		rc = draft_audit_add(r->store, p->d->uuid, p->d->incident, "reply target gone",
				     r->options->actor, detail, r->e);
	return commit(r, rc);
}

/*
 * The channel refused p as an answer (CHANNEL_REPLY_REFUSED: X lets self-serve apps answer
 * only those who summoned them): nothing was posted. In one transaction, so that a run
 * killed at any moment leaves the thread as it was or switched, p's claim is released and
 * the thread's rest, from p on, gives way to the draft's single post, which answers
 * nothing (draft_thread_switch()); the audit trail says why and the operators hear of it.
 * The configured thread_mode stays: the next thread is tried as replies again. A draft
 * without a single post fails here, as any refusal does.
 */
static ii_err switch_to_single(struct run *r, struct sending *p, const char *detail,
			       enum step *step, char *why, size_t why_size)
{
	snprintf(why, why_size, "%s refused post %zu as an answer: %.400s", r->channel->name,
		 p->seq + 1, detail);
	bool switched = false;
	ii_err rc = begin(r);
	if (rc == II_OK && r->channel->refund)
		rc = r->channel->refund(r->channel->ctx, r->store, p->text, clock_now(r), r->e);
	if (rc == II_OK)
		rc = draft_post_release(r->store, p->d->uuid, r->channel->id, p->seq, p->attempts,
					false, r->e);
	if (rc == II_OK)
		rc = draft_thread_switch(r->store, p->d->uuid, r->channel->id, p->seq, why,
					 r->options->actor, &switched, r->e);
	if (rc == II_OK && switched && r->options->notify)
		rc = notify_draft(r->store, r->options->notify, NOTIFY_THREAD_MODE_SWITCHED, p->d, why,
				  r->options->now, r->e);
	*step = switched ? STEP_SWITCHED : STEP_FAILED;
	return commit(r, rc);
}

/*
 * Sends post p, claimed by this run; id receives its remote reference. A post this run no
 * longer holds is left to whoever does.
 */
static ii_err send_post(struct run *r, struct sending *p, char id[CHANNEL_REF_SIZE],
			enum step *step, char *why, size_t why_size)
{
	const char *name = r->channel->name;
	const struct draft *d = p->d;
	size_t seq = p->seq;
	char uuid_key[64];
	snprintf(uuid_key, sizeof uuid_key, "%s-%zu", d->uuid, seq);
	ii_err rc = II_OK;
	for (int attempt = 1;; attempt++) {
		struct channel_result res = {.remaining = -1};
		rc = r->channel->post(r->channel->ctx, p->text, answering(r, p->reply_to),
				      *p->key ? p->key : uuid_key,
				      p->language, &res, r->e);
		if (rc)
			return rc;
		learn(r, &res);
		bool found = false;
		switch (res.outcome) {
		case CHANNEL_DONE:
			snprintf(id, CHANNEL_REF_SIZE, "%s", res.ref);
			r->state.last_success = r->options->now;
			*step = STEP_SENT;
			return record_sent(r, d, seq, id);
		case CHANNEL_REPLY_GONE:
			if (p->opens && answering(r, p->reply_to)) {
				/* nothing was posted: still ours to send, on its own */
				if ((rc = start_anew(r, p)))
					return rc;
				continue;
			}
			/* a post of its own thread: X is known to say so of a post just made, too */
			snprintf(why, why_size, "%s says the post that post %zu answers is gone: %.400s",
				 name, seq + 1, res.detail);
			*step = STEP_WAIT;
			return release(r, p, false);
		case CHANNEL_REPLY_REFUSED:
		case CHANNEL_REJECTED:
			/* a post that answers nothing cannot be refused as an answer */
			if (res.outcome == CHANNEL_REPLY_REFUSED && answering(r, p->reply_to))
				return switch_to_single(r, p, res.detail, step, why, why_size);
			snprintf(why, why_size, "%s refused post %zu: %.400s", name, seq + 1, res.detail);
			*step = STEP_FAILED;
			return release(r, p, false);
		case CHANNEL_UNAUTHORIZED:
			r->report->unauthorized = true;
			snprintf(why, why_size, "%s refused the credentials: %.400s", name, res.detail);
			*step = STEP_STOP;
			return release(r, p, false);
		case CHANNEL_RATE_LIMITED:
			snprintf(why, why_size, "rate limited: %.400s", res.detail);
			*step = STEP_STOP;
			return release(r, p, false);
		case CHANNEL_DUPLICATE:
			/* posted already, by this post's request or by another: look, never resend */
			rc = reconcile(r, d, seq, p->text, p->reply_to, p->since, id, &found);
			if (rc == II_OK && found) {
				*step = STEP_SENT;
				return II_OK;
			}
			snprintf(why, why_size,
				 "%s says post %zu is a duplicate, and no post of its own was found: "
				 "the same text was published before",
				 name, seq + 1);
			*step = rc ? STEP_LEAVE : STEP_FAILED;
			return rc == II_OK ? release(r, p, false) : II_OK;
		case CHANNEL_TRANSIENT:
			rc = reconcile(r, d, seq, p->text, p->reply_to, p->since, id, &found);
			if (rc == II_OK && found) {
				*step = STEP_SENT;
				return II_OK;
			}
			if (rc != II_OK || attempt >= r->options->max_attempts) {
				/* left "sending": the next run looks before it sends again */
				snprintf(why, why_size, "%s did not answer post %zu: %.400s", name, seq + 1,
					 res.detail);
				r->report->remote_failed = true;
				*step = STEP_LEAVE;
				return II_OK;
			}
			/* sent again as it was: its key may have posted it */
			if ((rc = release(r, p, true)))
				return rc;
			/* exponential backoff with jitter: 1 s, 2 s, 4 s… ± 25 % */
			long base = 1000L << (attempt - 1);
			r->channel->pause(r->channel->ctx,
					  base - base / 4 + (long)(next_random(r) % (uint64_t)(base / 2 + 1)));
			bool claimed, covered;
			p->thread = NULL; /* the thread was covered when it started */
			if ((rc = claim(r, p, DRAFT_POST_PENDING, &claimed, &covered, why, why_size)))
				return rc;
			if (!claimed)
				return unclaimed(r, d, seq, step, why, why_size);
			break;
		}
	}
}

/* t as local time of day, to the minute or to the second */
static void describe_time(char *out, size_t size, time_t t, bool seconds)
{
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, size, seconds ? "%H:%M:%S" : "%H:%M", &tm);
}

/*
 * Whether the claimant of post seq, found "sending", is certainly gone (see claim_lease in
 * publish.h): then the post may be looked for and taken over. If not, why says who holds
 * it.
 */
static bool claimant_gone(const struct run *r, size_t seq, const struct draft_post *post,
			  char *why, size_t why_size)
{
	if (!strcmp(post->claimed_by, r->self))
		return true;
	time_t lease = r->options->claim_lease;
	if (lease > 0 && clock_now(r) - post->claimed_at > lease)
		return true;
	struct process_id claimant;
	bool known = process_parse(post->claimed_by, &claimant);
	enum process_fate fate = known ? process_fate(&claimant) : PROCESS_ELSEWHERE;
	if (fate == PROCESS_GONE)
		return true;
	char since[16], by[PROCESS_HOST_SIZE + 48] = "";
	describe_time(since, sizeof since, post->claimed_at, true);
	if (known && fate == PROCESS_RUNNING)
		snprintf(by, sizeof by, " (pid %ld)", claimant.pid);
	else if (known)
		snprintf(by, sizeof by, " (pid %ld on %s)", claimant.pid, claimant.host);
	snprintf(why, why_size, "post %zu is being sent by another run%s since %s", seq + 1, by, since);
	return false;
}

/*
 * Post i of d, not sent yet: looked for first when a run left it "sending", then claimed
 * and sent. *step says how it went; id receives its reference once sent.
 */
static ii_err publish_post(struct run *r, const struct draft *d, size_t i,
			   const struct draft_post *post, const char *reply_to, const char *language,
			   const char *const *thread, size_t thread_count, bool *sent_now,
			   char id[CHANNEL_REF_SIZE], enum step *step, char *why, size_t why_size)
{
	bool found = false;
	if (post->state == DRAFT_POST_SENDING) {
		if (!claimant_gone(r, i, post, why, why_size)) {
			/* its request may be in flight: what find() says now proves nothing */
			*step = STEP_LEAVE;
			return II_OK;
		}
		/* a run died or timed out after asking: look before sending again */
		if (reconcile(r, d, i, post->text, reply_to, post->claimed_at, id, &found)) {
			snprintf(why, why_size, "cannot check whether post %zu was published: %.400s",
				 i + 1, r->e->detail);
			r->report->remote_failed = true;
			*step = STEP_LEAVE;
			return II_OK;
		}
		if (found) {
			*step = STEP_SENT;
			return II_OK;
		}
	}
	if (*sent_now && r->options->thread_delay_ms > 0)
		r->channel->pause(r->channel->ctx, r->options->thread_delay_ms);
	*sent_now = true;
	struct sending p = {
		.d = d, .seq = i, .text = post->text, .reply_to = reply_to,
		.opens = i == 0 || post->standalone,
		/* the dead run's request may yet show: its claim counts as well as ours */
		.since = post->state == DRAFT_POST_SENDING && post->claimed_at ? post->claimed_at
									     : clock_now(r),
		.attempts = post->attempts, .language = language,
		.thread = thread, .thread_count = thread_count,
	};
	snprintf(p.key, sizeof p.key, "%s", post->request_key);
	bool claimed, covered;
	ii_err rc = claim(r, &p, post->state, &claimed, &covered, why, why_size);
	if (rc)
		return rc;
	if (!covered) {
		r->report->rate_limited = true;
		*step = STEP_WAIT;
		return II_OK;
	}
	if (!claimed)
		return unclaimed(r, d, i, step, why, why_size);
	return send_post(r, &p, id, step, why, why_size);
}

/* Before any of its unsent posts goes out, whether one would be refused as a repeat
 * (draft_find_repeat()): a thread is not started, or resumed, only to stop midway. */
static ii_err check_repeats(struct run *r, const struct draft *d, const struct draft_post *posts,
			    size_t count, bool *repeats, char *why, size_t why_size)
{
	const char **texts = calloc(count, sizeof *texts);
	struct draft_repeat *found = calloc(count, sizeof *found);
	size_t n = 0;
	ii_err rc = texts && found ? II_OK : ii_fail(r->e, II_ENOMEM, _("out of memory"));
	for (size_t i = 0; rc == II_OK && i < count; i++)
		texts[i] = posts[i].state == DRAFT_POST_SENT ? NULL : posts[i].text;
	if (rc == II_OK)
		rc = draft_find_repeat(r->store, r->channel->id, d->uuid, NULL, texts, count, found,
				       &n, r->e);
	*repeats = n > 0;
	if (rc == II_OK && n)
		draft_repeat_describe(&found[0], count, r->channel->name, why, why_size);
	free(texts);
	free(found);
	return rc;
}

static ii_err publish_draft(struct run *r, const struct draft *d, bool *stop)
{
	enum draft_delivery ended;
	ii_err rc = draft_delivery_get(r->store, d->uuid, r->channel->id, &ended, NULL, r->e);
	if (rc || ended != DRAFT_DELIVERY_NONE)
		return rc; /* done here: it waits for the other channels */
	char reply_to[CHANNEL_REF_SIZE];
	bool wait;
	rc = reply_target(r, d, reply_to, &wait);
	if (rc)
		return rc;
	if (wait)
		return defer(r, d, 0, _("waiting for draft %.8s, which it answers, to be published"), d->reply_to);
	struct draft_post *posts;
	size_t count;
	if ((rc = draft_posts(r->store, d->uuid, r->channel->id, &posts, &count, r->e)))
		return rc;
	if (!count) {
		/* cut for the channels of its day: a cut made now was never approved */
		free(posts);
		return defer(r, d, 0,
			     _("no thread was cut for %s: the channel was configured after the draft was"
			       " made, and it is not sent there (a notice written or changed since is)"),
			     r->channel->name);
	}
	size_t unsent = 0;
	bool in_flight = false;
	for (size_t i = 0; i < count; i++) {
		unsent += posts[i].state != DRAFT_POST_SENT;
		in_flight |= posts[i].state == DRAFT_POST_SENDING;
	}
	if (unsent && !in_flight) {
		bool repeats;
		char why[512];
		rc = check_repeats(r, d, posts, count, &repeats, why, sizeof why);
		if (rc == II_OK && repeats)
			rc = fail_draft(r, d, why, count - unsent, count);
		if (rc || repeats) {
			draft_posts_free(posts, count);
			return rc;
		}
	}
	long remaining = known_remaining(r);
	if (remaining >= 0 && (size_t)remaining < unsent) {
		char at[16];
		describe_time(at, sizeof at, r->state.reset, false);
		r->report->rate_limited = true;
		rc = defer(r, d, r->state.reset, _("the rate-limit budget does not cover the thread until %s"), at);
		draft_posts_free(posts, count);
		return rc;
	}
	if (r->options->dry_run) {
		struct publish_item *it = add_item(r, d, PUBLISH_PUBLISHED);
		rc = it ? II_OK : ii_fail(r->e, II_ENOMEM, _("out of memory"));
		if (it)
			it->post_count = count;
		draft_posts_free(posts, count);
		return rc;
	}
	/* a thread not started yet: the channel's budget must cover all of it */
	const char **thread = NULL;
	if (unsent == count && !in_flight && r->channel->charge) {
		if (!(thread = calloc(count, sizeof *thread))) {
			draft_posts_free(posts, count);
			return ii_fail(r->e, II_ENOMEM, _("out of memory"));
		}
		for (size_t i = 0; i < count; i++)
			thread[i] = posts[i].text;
	}
	char why[512] = "", language[8];
	enum step step = STEP_SENT;
	size_t sent = 0;
	bool sent_now = false;
	if ((rc = draft_language(r->store, d->uuid, language, r->e))) {
		free(thread);
		draft_posts_free(posts, count);
		return rc;
	}
	for (size_t i = 0; rc == II_OK && step == STEP_SENT && i < count; i++) {
		char id[CHANNEL_REF_SIZE] = "";
		if (posts[i].standalone)
			reply_to[0] = '\0'; /* it answers nothing */
		if (posts[i].state == DRAFT_POST_SENT)
			snprintf(id, sizeof id, "%s", posts[i].remote_id);
		else
			rc = publish_post(r, d, i, &posts[i], reply_to, language,
					  i == 0 ? thread : NULL, count, &sent_now, id, &step, why,
					  sizeof why);
		if (rc == II_OK && step == STEP_SENT) {
			memcpy(reply_to, id, sizeof reply_to);
			sent++;
		}
	}
	free(thread);
	draft_posts_free(posts, count);
	if (rc)
		return rc;
	switch (step) {
	case STEP_SENT: {
		struct publish_item *it = add_item(r, d, PUBLISH_PUBLISHED);
		if (!it)
			return ii_fail(r->e, II_ENOMEM, _("out of memory"));
		it->sent = sent;
		it->post_count = count;
		rc = begin(r);
		if (rc == II_OK)
			rc = settle(r, d, DRAFT_DELIVERY_PUBLISHED, NULL);
		return commit(r, rc);
	}
	case STEP_FAILED:
		return fail_draft(r, d, why, sent, count);
	case STEP_SWITCHED:
		/* its single post, now in the thread's place, goes out in this run */
		return publish_draft(r, d, stop);
	case STEP_STOP:
		*stop = true;
		return defer(r, d, r->state.stopped_until, "%s", why);
	case STEP_LEAVE:
		*stop = true;
		return defer(r, d, 0, "%s", why);
	case STEP_WAIT:
	case STEP_WITHDRAWN:
		return defer(r, d, 0, "%s", why);
	}
	return II_OK;
}

ii_err publish_run(struct store *s, const struct publish_channel *channel,
		   const struct publish_options *options, struct publish_report *report,
		   struct ii_error *e)
{
	memset(report, 0, sizeof *report);
	struct run r = {
		.store = s, .channel = channel, .options = options, .report = report, .e = e,
		.jitter = options->jitter_seed ? options->jitter_seed : process_seed(),
	};
	clock_gettime(CLOCK_MONOTONIC, &r.started);
	ii_err rc = II_OK;
	if (!options->dry_run) {
		rc = begin(&r);
		if (rc == II_OK)
			rc = draft_expire(s, options->now, options->actor, &report->expired, e);
		if ((rc = commit(&r, rc)))
			return rc;
	}
	if (!channel)
		return II_OK;
	if ((rc = publish_state(s, channel->id, options->now, &r.state, e)))
		return rc;
	struct process_id self;
	if ((rc = process_of(getpid(), &self, e)))
		return rc;
	process_format(&self, r.self);
	struct draft *due;
	size_t count;
	if ((rc = draft_due(s, options->now, &due, &count, e)))
		return rc;
	bool stop = false;
	for (size_t i = 0; rc == II_OK && i < count; i++) {
		if (stop || r.state.stopped_until > options->now) {
			r.report->rate_limited |= r.state.stopped_until > options->now;
			/* a pause into another day names the day: "until 21:19" would mean today's */
			struct tm until, today;
			localtime_r(&r.state.stopped_until, &until);
			localtime_r(&options->now, &today);
			char at[32];
			strftime(at, sizeof at,
				 until.tm_yday == today.tm_yday && until.tm_year == today.tm_year
					 ? "%H:%M"
					 : "%Y-%m-%d %H:%M",
				 &until);
			rc = r.state.stopped_until > options->now
				     ? defer(&r, &due[i], r.state.stopped_until, _("posting is paused until %s"), at)
				     : defer(&r, &due[i], 0, "%s", "posting stopped for this run");
			continue;
		}
		rc = publish_draft(&r, &due[i], &stop);
	}
	free(due);
	if (rc == II_OK && !options->dry_run)
		rc = save_state(&r);
	return rc;
}

void publish_report_free(struct publish_report *report)
{
	free(report->items);
	memset(report, 0, sizeof *report);
}

/* Deletes draft uuid's sent posts on channel, newest first, each recorded as it goes. */
static ii_err delete_posts(struct store *s, const struct publish_channel *channel,
			   const char *uuid, struct ii_error *e)
{
	struct draft_post *posts;
	size_t count;
	ii_err rc = draft_posts(s, uuid, channel->id, &posts, &count, e);
	if (rc)
		return rc;
	for (size_t i = count; rc == II_OK && i-- > 0;) {
		if (!*posts[i].remote_id || posts[i].state != DRAFT_POST_SENT)
			continue;
		struct channel_result res = {.remaining = -1};
		rc = channel->remove(channel->ctx, posts[i].remote_id, &res, e);
		if (rc == II_OK && res.outcome != CHANNEL_DONE)
			rc = ii_fail(e, II_EREMOTE, _("cannot delete post %s on %s: %s"), posts[i].remote_id,
				     channel->name, res.detail);
		if (rc == II_OK && (rc = store_begin(s, e)) == II_OK) {
			rc = draft_post_unsent(s, uuid, channel->id, i, e);
			if (rc == II_OK)
				rc = store_commit(s, e);
			else
				store_rollback(s);
		}
	}
	draft_posts_free(posts, count);
	return rc;
}

ii_err publish_retract(struct store *s, const struct publish_channel *const *channels,
		       size_t count, const char *uuid, const char *reason,
		       const struct draft_actor *actor, struct ii_error *e)
{
	struct draft d;
	ii_err rc = draft_find(s, uuid, &d, e);
	if (rc)
		return rc;
	if (d.status != DRAFT_PUBLISHED && d.status != DRAFT_FAILED)
		return ii_fail(e, II_EDATA, _("draft %.8s is %s: only a published draft can be retracted"),
			       d.uuid, draft_status_label(d.status));
	for (size_t i = 0; i < count; i++)
		if (!(channels[i]->capabilities & CHANNEL_DELETE))
			return ii_fail(e, II_EDATA, _("%s cannot delete posts: draft %.8s cannot be retracted"),
				       channels[i]->name, d.uuid);
	for (size_t i = 0; rc == II_OK && i < count; i++)
		rc = delete_posts(s, channels[i], d.uuid, e);
	if (rc)
		return rc;
	if ((rc = store_begin(s, e)))
		return rc;
	rc = draft_retracted(s, d.uuid, reason, actor, e);
	if (rc == II_OK)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}
