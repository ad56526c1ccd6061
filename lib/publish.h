#ifndef INCLUINFO_PUBLISH_H
#define INCLUINFO_PUBLISH_H
/*
 * Publishing approved drafts to a channel (X), exactly once in effect. Each post is
 * journalled as "sending" (and committed) before its request and "sent" with its remote
 * id after; a post left "sending" by a crash or a timeout is looked for among the
 * account's recent posts before anything is sent again. The channel is reached only
 * through struct publish_channel, so this module holds the rules and not the protocol.
 * A struct publish_report is filled for the caller, who releases it with
 * publish_report_free().
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "draft.h"
#include "error.h"
#include "store.h"

enum channel_outcome {
	CHANNEL_CREATED,      /* posted: id holds the remote id */
	CHANNEL_REJECTED,     /* refused for good (400, 403 other than duplicate) */
	CHANNEL_UNAUTHORIZED, /* the credentials were refused */
	CHANNEL_DUPLICATE,    /* X says it already has this text: probably posted before */
	CHANNEL_RATE_LIMITED, /* not now: retry_at says when */
	CHANNEL_TRANSIENT,    /* 5xx, timeout, connection: it may or may not have been posted */
};

struct channel_result {
	enum channel_outcome outcome;
	char id[32];
	char detail[512];
	time_t retry_at;    /* CHANNEL_RATE_LIMITED: when posting may resume */
	long remaining;     /* posts the account may still make before reset; -1: unknown */
	time_t reset;       /* when remaining is refilled; 0: unknown */
};

struct publish_channel {
	void *ctx;
	/* Posts text, answering reply_to (NULL: a new thread). II_OK with the outcome in r;
	 * an error only when the request could not be made at all. */
	ii_err (*post)(void *ctx, const char *text, const char *reply_to, struct channel_result *r,
		       struct ii_error *e);
	/* Looks among the account's recent posts for text answering reply_to (NULL: none);
	 * id receives its id, "" when there is none. An error when it cannot tell. */
	ii_err (*find)(void *ctx, const char *text, const char *reply_to, char id[32],
		       struct ii_error *e);
	/* Deletes post id. */
	ii_err (*remove)(void *ctx, const char *id, struct channel_result *r, struct ii_error *e);
	/* Waits ms milliseconds between the posts of a thread (tests pass one that does not). */
	void (*pause)(void *ctx, long ms);
};

struct publish_options {
	time_t now;
	long thread_delay_ms;
	int max_attempts; /* of a post whose request failed transiently, per run */
	bool dry_run;
	const struct draft_actor *actor;
};

enum publish_fate { PUBLISH_PUBLISHED, PUBLISH_DEFERRED, PUBLISH_FAILED };

struct publish_item {
	struct draft draft;
	enum publish_fate fate;
	char reason[512]; /* why deferred or failed */
	time_t until;     /* deferred until, 0: the next run */
	size_t sent;      /* posts sent in all */
};

struct publish_report {
	struct publish_item *items;
	size_t count;
	size_t expired;
	bool unauthorized; /* posting stopped: the credentials were refused */
	bool remote_failed; /* a request kept failing */
};

/*
 * Publishes every approved draft that is due, oldest first, after expiring those past
 * their expiry. channel may be NULL when the caller knows nothing is due (expiry only). A thread waits while the thread it answers is not published, and starts
 * only when the channel's known budget covers all its posts. The channel's rate-limit
 * state is kept in the store between runs.
 */
ii_err publish_run(struct store *store, const struct publish_channel *channel,
		   const struct publish_options *options, struct publish_report *report,
		   struct ii_error *e);
void publish_report_free(struct publish_report *report);

/* Deletes every sent post of a published draft, newest first, and records it (audited). */
ii_err publish_retract(struct store *store, const struct publish_channel *channel,
		       const char *uuid, const char *reason, const struct draft_actor *actor,
		       struct ii_error *e);

/* The channel's state for `status`: last success, remaining budget and reset, stopped
 * until (0: not stopped). */
struct publish_state {
	time_t last_success;
	long remaining; /* -1: unknown */
	time_t reset;
	time_t stopped_until;
};
ii_err publish_state(struct store *store, struct publish_state *out, struct ii_error *e);
#endif
