#ifndef INCLUINFO_PUBLISH_H
#define INCLUINFO_PUBLISH_H
/*
 * Publishing approved drafts to a channel, exactly once in effect. Each post is journalled
 * per channel (lib/draft): claimed as "sending" (and committed) before its request, a
 * compare-and-set that only one process can win, and "sent" with its remote reference
 * after; a post left "sending" by a crash or a timeout is looked for among the channel's
 * recent posts before anything is sent again, once its claimant is certainly gone (see
 * claim_lease below). A channel is reached only through struct
 * publish_channel, whose capability bits say what it can do, so this module holds the
 * rules and not the protocol: lib/xchannel is X's. A struct publish_report is filled for
 * the caller, who releases it with publish_report_free().
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "config.h"
#include "draft.h"
#include "error.h"
#include "store.h"

/* A remote reference: an opaque string, with its terminating NUL. */
#define CHANNEL_REF_SIZE DRAFT_REF_SIZE

enum channel_outcome {
	CHANNEL_DONE,         /* posted (ref holds the new post's reference), or deleted */
	CHANNEL_REJECTED,     /* refused for good (X: 400, 403 other than duplicate) */
	CHANNEL_UNAUTHORIZED, /* the credentials were refused */
	CHANNEL_DUPLICATE,    /* the channel says it already has this text: posted before, by
			       * this post's own request or by any other */
	CHANNEL_REPLY_GONE,   /* the post answered no longer exists (X: 403 "deleted or not
			       * visible"): nothing was posted */
	CHANNEL_REPLY_REFUSED, /* the channel lets this account post but not answer (X since
				* 2026-02-23: self-serve apps answer only those who summoned them):
				* nothing was posted */
	CHANNEL_RATE_LIMITED, /* not now: retry_at says when */
	CHANNEL_TRANSIENT,    /* 5xx, timeout, connection: it may or may not have been posted */
};

struct channel_result {
	enum channel_outcome outcome;
	char ref[CHANNEL_REF_SIZE];
	char detail[512];
	time_t retry_at;    /* CHANNEL_RATE_LIMITED: when posting may resume */
	long remaining;     /* posts the account may still make before reset; -1: unknown */
	time_t reset;       /* when remaining is refilled; 0: unknown */
};

/* A post find() saw on the channel. */
struct channel_found {
	char ref[CHANNEL_REF_SIZE];
	time_t created_at; /* Unix time, 0: unknown */
};
#define CHANNEL_FIND_MAX 8

/* What a channel can do. */
enum channel_capability {
	/* a post can answer another: a draft is one thread, and a thread can answer a draft */
	CHANNEL_THREADS = 1u << 0,
	/* remove() deletes a post: drafts can be retracted */
	CHANNEL_DELETE = 1u << 1,
	/* find() looks for a post by its text among the account's recent posts */
	CHANNEL_FIND_BY_TEXT = 1u << 2,
	/* post() honours its key: the same request sent twice posts once, so a post whose
	 * fate is unknown can be sent again without find() */
	CHANNEL_IDEMPOTENCY_KEY = 1u << 3,
};

struct publish_channel {
	const char *id;   /* its key in the store, for good: "x" */
	const char *name; /* in messages: "X" */
	unsigned capabilities; /* enum channel_capability bits */
	void *ctx;
	/* Posts text, answering reply_to (NULL: a new thread), with key for
	 * CHANNEL_IDEMPOTENCY_KEY: the one choose_key gave, else "<draft uuid>-<seq>" (unique
	 * to the post of the draft, the same for every request of it), in language (draft_language(): "es",
	 * "ca"…, for the channels that say it). II_OK with the outcome in r; an error only
	 * when the request could not be made at all. */
	ii_err (*post)(void *ctx, const char *text, const char *reply_to, const char *key,
		       const char *language, struct channel_result *r, struct ii_error *e);
	/* CHANNEL_FIND_BY_TEXT: looks among the account's recent posts for those with text
	 * answering reply_to (NULL: none), newest first, and fills found[] with at most
	 * CHANNEL_FIND_MAX of them, *count saying how many: each with its reference and the
	 * time the channel says it was created (X's created_at; 0 when the channel does not
	 * say, and then publish never takes it for one of its own). An error when it cannot
	 * tell. */
	ii_err (*find)(void *ctx, const char *text, const char *reply_to,
		       struct channel_found found[], size_t *count, struct ii_error *e);
	/* CHANNEL_DELETE: deletes post ref; CHANNEL_DONE when it is gone. */
	ii_err (*remove)(void *ctx, const char *ref, struct channel_result *r, struct ii_error *e);
	/* Optional (NULL: post() gets "<draft uuid>-<seq>"): chooses the key of a post's
	 * request, at most size - 1 bytes with the NUL into out, when the post is claimed from
	 * pending without one; at is the claim's time (the run's clock, options->now moved on
	 * by the run's monotonic time, so the claims of one run increase). The key is
	 * journalled with the claim, in its transaction (draft_post_claim()), and post() gets
	 * it on every request of the post while it may have posted it: the retries of a run,
	 * a post found "sending" after a crash and the one released after a transient failure
	 * keep it. A post whose request certainly posted nothing, deleted or revised gets a
	 * new one at its next claim (draft_post_release()). false when no key can be chosen:
	 * then nothing is claimed and the run fails (II_EREMOTE). Bluesky's record key, a TID
	 * dated at, so that an account's records sort by the time of their posts. */
	bool (*choose_key)(void *ctx, struct timespec at, char *out, size_t size);
	/* Waits ms milliseconds: between the posts of a thread, and before a retry. */
	void (*pause)(void *ctx, long ms);
	/* Optional (NULL: posting costs nothing): what the account pays, journalled by the
	 * channel in store inside the transaction that claims a post from pending, so that
	 * the money spent and the journal always agree. texts[0] is the post claimed; when
	 * the claim opens a thread (opens), texts holds all its count posts, and the channel
	 * refuses (*covered false, why saying so for people) unless its budget covers them
	 * all, so that no thread stops midway for want of money. When covered, it records
	 * the cost of texts[0]. The claim is not made when not covered, and the charge is
	 * undone when another process wins the claim. */
	ii_err (*charge)(void *ctx, struct store *store, const char *const texts[], size_t count,
			 bool opens, time_t now, bool *covered, char *why, size_t why_size,
			 struct ii_error *e);
	/* With charge: gives back the cost of text, a post whose request certainly posted
	 * nothing, inside the transaction that releases its claim. */
	ii_err (*refund)(void *ctx, struct store *store, const char *text, time_t now,
			 struct ii_error *e);
};

struct publish_options {
	time_t now;
	long thread_delay_ms;
	int max_attempts; /* of a post whose request failed transiently, per run */
	bool dry_run;
	const struct draft_actor *actor;
	/* whose [notify ID] targets hear of a draft that fails (lib/notify); NULL: nobody */
	const struct config *notify;
	/* of the retries' jitter; 0: drawn for each process (getrandom, else time and pid), so
	 * that processes started together do not retry together */
	uint64_t jitter_seed;
	/*
	 * Seconds a claim protects its post: a post found "sending" is reconciled and taken
	 * over only when its claimant is certainly gone, that is
	 *   - the claimant ran on this host and that process (its pid with its start time) no
	 *     longer runs; a claim of this very process is one an earlier publish_run left,
	 *     since nothing of it is in flight between calls (so two threads of one process
	 *     must not publish at once); or
	 *   - whatever the host, the claim is more than claim_lease seconds old: longer than any
	 *     request of the channel can last, so the claimant's request has ended.
	 * Otherwise the draft is deferred and nothing is sent. 0: no lease, only a claimant
	 * known gone yields. Set it with publish_claim_lease().
	 */
	time_t claim_lease;
	/* The ids of every channel a draft goes to, this one among them: a draft's status sums
	 * up how it ended on each (draft_delivery_set()), published once it is published on
	 * all, failed once it ended on all and failed on one. NULL: this channel alone. */
	const char *const *channels;
	size_t channel_count;
};

/*
 * Reconciliation (after a duplicate answer, a transient failure, or for a post found
 * "sending") takes a post find() saw for this draft's only when both hold:
 *   - the channel says it was created no earlier than PUBLISH_CLOCK_SKEW seconds before
 *     this post was claimed for sending (the first claim of the run that sends it, or
 *     the claim a run that died left), so that an identical older post, such as the same
 *     alert posted a day earlier, is never taken for this one; and
 *   - no other post of any draft records it as its own on the channel.
 * Otherwise the post is not on the channel: after a duplicate answer the draft fails,
 * saying so, rather than adopt a post it did not make.
 */
#define PUBLISH_CLOCK_SKEW 30

/* The lease's margin over the request timeout, in seconds: it covers the moments between
 * a claim and its request leaving, and clocks of two hosts sharing a store that disagree. */
#define PUBLISH_CLAIM_MARGIN 60

/* The claim_lease of a channel whose requests last at most request_timeout_ms
 * milliseconds: the timeout, rounded up to seconds, plus PUBLISH_CLAIM_MARGIN. */
time_t publish_claim_lease(long request_timeout_ms);

enum publish_fate { PUBLISH_PUBLISHED, PUBLISH_DEFERRED, PUBLISH_FAILED };

struct publish_item {
	struct draft draft;
	enum publish_fate fate;
	char reason[512]; /* why deferred or failed */
	time_t until;     /* deferred until, 0: the next run */
	size_t sent;      /* posts sent in all */
	size_t post_count; /* of the draft's thread on the channel; 0: not read */
};

struct publish_report {
	struct publish_item *items;
	size_t count;
	size_t expired;
	bool unauthorized; /* posting stopped: the credentials were refused */
	bool remote_failed; /* a request kept failing */
	bool rate_limited; /* a due draft waits for the channel's rate limit (a pause, the budget) */
};

/*
 * The longest a channel's answer can make it wait, in seconds. A reset further ahead (a
 * 429's, or the budget's) is taken as now plus this, so that a wrong clock or header never
 * silences the channel for years; the time asked for is kept for `status` and `run` to
 * report. X's own limits reset within 24 hours.
 */
#define PUBLISH_MAX_PAUSE (24 * 60 * 60)

/*
 * Publishes on channel every approved draft that is due and has not ended there yet (see
 * publish_options' channels), oldest first, after expiring those past their expiry. channel may be NULL when the caller knows nothing is due: then
 * it only expires. A thread waits while the thread it answers is not published on the
 * channel, and starts only when the channel's known budget covers all its posts. The
 * channel's rate-limit state is kept in the store between runs, per channel.
 */
ii_err publish_run(struct store *store, const struct publish_channel *channel,
		   const struct publish_options *options, struct publish_report *report,
		   struct ii_error *e);
void publish_report_free(struct publish_report *report);

/* Deletes every post of a published (or failed) draft sent on each of channels[0..count),
 * newest first, and records the retraction (audited) once all are gone. II_EDATA, before
 * anything is deleted, when one of them cannot delete posts; II_EREMOTE when a channel
 * refuses: what was deleted stays recorded, and retracting again finishes the job. */
ii_err publish_retract(struct store *store, const struct publish_channel *const *channels,
		       size_t count, const char *uuid, const char *reason,
		       const struct draft_actor *actor, struct ii_error *e);

/* The state of the channel whose id is channel at now, for `status`: last success,
 * remaining budget and reset, stopped until (0: not stopped), each reset no later than
 * now + PUBLISH_MAX_PAUSE. */
struct publish_state {
	time_t last_success;
	long remaining; /* -1: unknown */
	time_t reset;
	time_t stopped_until;
	/* the pause the channel asked for when it was further than PUBLISH_MAX_PAUSE ahead
	 * and stopped_until is the shorter one; 0 when it asked for no more */
	time_t asked_until;
};
ii_err publish_state(struct store *store, const char *channel, time_t now,
		     struct publish_state *out, struct ii_error *e);
#endif
