#include "publish.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The channel's state between runs, as named values in the store. */
#define KEY_STOPPED_UNTIL "stopped_until"
#define KEY_REMAINING "remaining"
#define KEY_RESET "reset"
#define KEY_LAST_SUCCESS "last_success"

struct run {
	struct store *store;
	const struct publish_channel *channel;
	const struct publish_options *options;
	struct publish_report *report;
	struct publish_state state;
	struct ii_error *e;
};

static long long get_number(struct store *s, const char *name, long long fallback,
			    struct ii_error *e, ii_err *rc)
{
	char value[32];
	if (*rc || (*rc = store_channel_get(s, name, value, sizeof value, e)))
		return fallback;
	return *value ? strtoll(value, NULL, 10) : fallback;
}

ii_err publish_state(struct store *s, struct publish_state *out, struct ii_error *e)
{
	ii_err rc = II_OK;
	out->stopped_until = (time_t)get_number(s, KEY_STOPPED_UNTIL, 0, e, &rc);
	out->remaining = (long)get_number(s, KEY_REMAINING, -1, e, &rc);
	out->reset = (time_t)get_number(s, KEY_RESET, 0, e, &rc);
	out->last_success = (time_t)get_number(s, KEY_LAST_SUCCESS, 0, e, &rc);
	return rc;
}

static ii_err put_number(struct store *s, const char *name, long long value, struct ii_error *e)
{
	char text[32];
	snprintf(text, sizeof text, "%lld", value);
	return store_channel_put(s, name, text, e);
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
		rc = put_number(r->store, KEY_STOPPED_UNTIL, r->state.stopped_until, r->e);
	if (rc == II_OK)
		rc = put_number(r->store, KEY_REMAINING, r->state.remaining, r->e);
	if (rc == II_OK)
		rc = put_number(r->store, KEY_RESET, r->state.reset, r->e);
	if (rc == II_OK)
		rc = put_number(r->store, KEY_LAST_SUCCESS, r->state.last_success, r->e);
	return commit(r, rc);
}

/* What every answer says about the budget. */
static void learn(struct run *r, const struct channel_result *res)
{
	if (res->remaining >= 0) {
		r->state.remaining = res->remaining;
		r->state.reset = res->reset;
	}
	if (res->outcome == CHANNEL_RATE_LIMITED) {
		r->state.stopped_until = res->retry_at > r->options->now ? res->retry_at
									  : r->options->now + 60;
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
		return ii_fail(r->e, II_ENOMEM, "out of memory");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(it->reason, sizeof it->reason, fmt, ap);
	va_end(ap);
	it->until = until;
	return II_OK;
}

static ii_err fail_draft(struct run *r, const struct draft *d, const char *why, size_t sent)
{
	struct publish_item *it = add_item(r, d, PUBLISH_FAILED);
	if (!it)
		return ii_fail(r->e, II_ENOMEM, "out of memory");
	snprintf(it->reason, sizeof it->reason, "%s", why);
	it->sent = sent;
	if (r->options->dry_run)
		return II_OK;
	ii_err rc = begin(r);
	if (rc == II_OK)
		rc = draft_failed(r->store, d->uuid, why, r->options->actor, r->e);
	return commit(r, rc);
}

/* The post a thread answers: the last post of the draft it replies to. */
static ii_err reply_target(struct run *r, const struct draft *d, char id[32], bool *wait)
{
	*wait = false;
	id[0] = '\0';
	if (!*d->reply_to)
		return II_OK;
	struct draft parent;
	ii_err rc = draft_find(r->store, d->reply_to, &parent, r->e);
	if (rc == II_EDATA)
		return II_OK; /* gone: the thread starts anew */
	if (rc)
		return rc;
	rc = draft_last_remote_id(r->store, parent.uuid, id, r->e);
	/* a parent that will never be published (rejected, expired, failed) is skipped */
	if (rc == II_OK && !*id && (parent.status == DRAFT_PENDING || parent.status == DRAFT_APPROVED))
		*wait = true;
	return rc;
}

static ii_err journal(struct run *r, const struct draft *d, size_t seq, const char *state,
		      const char *remote_id)
{
	ii_err rc = begin(r);
	if (rc)
		return rc;
	if (!strcmp(state, "sending"))
		rc = draft_post_sending(r->store, d->uuid, seq, r->options->now, r->e);
	else if (!strcmp(state, "sent"))
		rc = draft_post_sent(r->store, d->uuid, seq, remote_id, r->options->now, r->e);
	else
		rc = draft_post_pending(r->store, d->uuid, seq, r->e);
	return commit(r, rc);
}

enum step { STEP_SENT, STEP_STOP, STEP_FAILED, STEP_LEAVE };

/*
 * A post that may already be on X (left "sending", or answered 403 duplicate or a
 * transient error): look before sending. *found says whether it is there.
 */
static ii_err reconcile(struct run *r, const struct draft *d, size_t seq, const char *text,
			const char *reply_to, char id[32], bool *found)
{
	ii_err rc = r->channel->find(r->channel->ctx, text, *reply_to ? reply_to : NULL, id, r->e);
	*found = rc == II_OK && *id;
	if (*found)
		rc = journal(r, d, seq, "sent", id);
	return rc;
}

/* Sends post seq of d (state "pending") answering reply_to; id receives its remote id. */
static ii_err send_post(struct run *r, const struct draft *d, size_t seq, const char *text,
			const char *reply_to, char id[32], enum step *step, char *why, size_t why_size)
{
	ii_err rc = II_OK;
	for (int attempt = 1;; attempt++) {
		if ((rc = journal(r, d, seq, "sending", NULL)))
			return rc;
		struct channel_result res = {.remaining = -1};
		rc = r->channel->post(r->channel->ctx, text, *reply_to ? reply_to : NULL, &res, r->e);
		if (rc)
			return rc;
		learn(r, &res);
		bool found = false;
		switch (res.outcome) {
		case CHANNEL_CREATED:
			snprintf(id, 32, "%s", res.id);
			r->state.last_success = r->options->now;
			*step = STEP_SENT;
			return journal(r, d, seq, "sent", id);
		case CHANNEL_REJECTED:
			snprintf(why, why_size, "X refused post %zu: %.400s", seq + 1, res.detail);
			*step = STEP_FAILED;
			return journal(r, d, seq, "pending", NULL);
		case CHANNEL_UNAUTHORIZED:
			r->report->unauthorized = true;
			snprintf(why, why_size, "X refused the credentials: %.400s", res.detail);
			*step = STEP_STOP;
			return journal(r, d, seq, "pending", NULL);
		case CHANNEL_RATE_LIMITED:
			snprintf(why, why_size, "rate limited: %.400s", res.detail);
			*step = STEP_STOP;
			return journal(r, d, seq, "pending", NULL);
		case CHANNEL_DUPLICATE:
			/* probably posted already: look, never resend blindly */
			rc = reconcile(r, d, seq, text, reply_to, id, &found);
			if (rc == II_OK && found) {
				*step = STEP_SENT;
				return II_OK;
			}
			snprintf(why, why_size, "X says post %zu is a duplicate, and no such post was found", seq + 1);
			*step = rc ? STEP_LEAVE : STEP_FAILED;
			return rc == II_OK ? journal(r, d, seq, "pending", NULL) : II_OK;
		case CHANNEL_TRANSIENT:
			rc = reconcile(r, d, seq, text, reply_to, id, &found);
			if (rc == II_OK && found) {
				*step = STEP_SENT;
				return II_OK;
			}
			if (rc != II_OK || attempt >= r->options->max_attempts) {
				/* left "sending": the next run looks before it sends again */
				snprintf(why, why_size, "X did not answer post %zu: %.400s", seq + 1, res.detail);
				r->report->remote_failed = true;
				*step = STEP_LEAVE;
				return II_OK;
			}
			if ((rc = journal(r, d, seq, "pending", NULL)))
				return rc;
			/* exponential backoff with jitter: 1 s, 2 s, 4 s… ± 25 % */
			long base = 1000L << (attempt - 1);
			r->channel->pause(r->channel->ctx, base - base / 4 + rand() % (base / 2 + 1));
			break;
		}
	}
}

static void describe_until(char *out, size_t size, time_t until)
{
	struct tm tm;
	localtime_r(&until, &tm);
	strftime(out, size, "%H:%M", &tm);
}

static ii_err publish_draft(struct run *r, const struct draft *d, bool *stop)
{
	char reply_to[32];
	bool wait;
	ii_err rc = reply_target(r, d, reply_to, &wait);
	if (rc)
		return rc;
	if (wait)
		return defer(r, d, 0, "waiting for draft %.8s, which it answers, to be published", d->reply_to);
	struct draft_post *posts;
	size_t count;
	if ((rc = draft_posts(r->store, d->uuid, &posts, &count, r->e)))
		return rc;
	size_t unsent = 0;
	for (size_t i = 0; i < count; i++)
		unsent += strcmp(posts[i].state, "sent") != 0;
	long remaining = known_remaining(r);
	if (remaining >= 0 && (size_t)remaining < unsent) {
		char at[16];
		describe_until(at, sizeof at, r->state.reset);
		rc = defer(r, d, r->state.reset, "the rate-limit budget does not cover the thread until %s", at);
		draft_posts_free(posts, count);
		return rc;
	}
	if (r->options->dry_run) {
		struct publish_item *it = add_item(r, d, PUBLISH_PUBLISHED);
		rc = it ? II_OK : ii_fail(r->e, II_ENOMEM, "out of memory");
		draft_posts_free(posts, count);
		return rc;
	}
	char why[512] = "";
	enum step step = STEP_SENT;
	size_t sent = 0;
	bool sent_now = false;
	for (size_t i = 0; rc == II_OK && step == STEP_SENT && i < count; i++) {
		char id[32] = "";
		if (!strcmp(posts[i].state, "sent")) {
			snprintf(reply_to, sizeof reply_to, "%s", posts[i].remote_id);
			sent++;
			continue;
		}
		bool found = false;
		if (!strcmp(posts[i].state, "sending")) {
			/* a run died or timed out after asking: look before sending again */
			rc = reconcile(r, d, i, posts[i].text, reply_to, id, &found);
			if (rc) {
				snprintf(why, sizeof why, "cannot check whether post %zu was published: %.400s",
					 i + 1, r->e->detail);
				r->report->remote_failed = true;
				step = STEP_LEAVE;
				rc = II_OK;
				break;
			}
			if (!found)
				rc = journal(r, d, i, "pending", NULL);
		}
		if (rc == II_OK && !found) {
			if (sent_now && r->options->thread_delay_ms > 0)
				r->channel->pause(r->channel->ctx, r->options->thread_delay_ms);
			rc = send_post(r, d, i, posts[i].text, reply_to, id, &step, why, sizeof why);
			sent_now = true;
		}
		if (rc == II_OK && step == STEP_SENT) {
			snprintf(reply_to, sizeof reply_to, "%s", id);
			sent++;
		}
	}
	draft_posts_free(posts, count);
	if (rc)
		return rc;
	switch (step) {
	case STEP_SENT: {
		struct publish_item *it = add_item(r, d, PUBLISH_PUBLISHED);
		if (!it)
			return ii_fail(r->e, II_ENOMEM, "out of memory");
		it->sent = sent;
		rc = begin(r);
		if (rc == II_OK)
			rc = draft_published(r->store, d->uuid, r->options->actor, r->e);
		return commit(r, rc);
	}
	case STEP_FAILED:
		return fail_draft(r, d, why, sent);
	case STEP_STOP:
		*stop = true;
		return defer(r, d, r->state.stopped_until, "%s", why);
	case STEP_LEAVE:
		*stop = true;
		return defer(r, d, 0, "%s", why);
	}
	return II_OK;
}

ii_err publish_run(struct store *s, const struct publish_channel *channel,
		   const struct publish_options *options, struct publish_report *report,
		   struct ii_error *e)
{
	memset(report, 0, sizeof *report);
	struct run r = {.store = s, .channel = channel, .options = options, .report = report, .e = e};
	ii_err rc = publish_state(s, &r.state, e);
	if (rc)
		return rc;
	if (!options->dry_run) {
		rc = begin(&r);
		if (rc == II_OK)
			rc = draft_expire(s, options->now, options->actor, &report->expired, e);
		if ((rc = commit(&r, rc)))
			return rc;
	}
	struct draft *due;
	size_t count;
	if ((rc = draft_due(s, options->now, &due, &count, e)))
		return rc;
	bool stop = false;
	for (size_t i = 0; rc == II_OK && i < count; i++) {
		if (stop || r.state.stopped_until > options->now) {
			char at[16];
			describe_until(at, sizeof at, r.state.stopped_until);
			rc = r.state.stopped_until > options->now
				     ? defer(&r, &due[i], r.state.stopped_until, "posting is paused until %s", at)
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

ii_err publish_retract(struct store *s, const struct publish_channel *channel,
		       const char *uuid, const char *reason, const struct draft_actor *actor,
		       struct ii_error *e)
{
	struct draft d;
	ii_err rc = draft_find(s, uuid, &d, e);
	if (rc)
		return rc;
	if (d.status != DRAFT_PUBLISHED && d.status != DRAFT_FAILED)
		return ii_fail(e, II_EDATA, "draft %.8s is %s: only a published draft can be retracted",
			       d.uuid, draft_status_name(d.status));
	struct draft_post *posts;
	size_t count;
	if ((rc = draft_posts(s, d.uuid, &posts, &count, e)))
		return rc;
	for (size_t i = count; rc == II_OK && i-- > 0;) {
		if (!*posts[i].remote_id || strcmp(posts[i].state, "sent"))
			continue;
		struct channel_result res = {.remaining = -1};
		rc = channel->remove(channel->ctx, posts[i].remote_id, &res, e);
		if (rc == II_OK && res.outcome != CHANNEL_CREATED)
			rc = ii_fail(e, II_EREMOTE, "cannot delete post %s: %s", posts[i].remote_id,
				     res.detail);
		if (rc == II_OK && (rc = store_begin(s, e)) == II_OK) {
			rc = draft_post_pending(s, d.uuid, i, e);
			if (rc == II_OK)
				rc = store_commit(s, e);
			else
				store_rollback(s);
		}
	}
	draft_posts_free(posts, count);
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
