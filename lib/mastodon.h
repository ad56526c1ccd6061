#ifndef INCLUINFO_MASTODON_H
#define INCLUINFO_MASTODON_H
/*
 * A Mastodon account as a publishing channel ([channel ID] of type mastodon), over the
 * instance's REST API through lib/webapi: POST /api/v1/statuses with an Idempotency-Key,
 * reconciliation through GET /api/v1/accounts/verify_credentials and
 * /api/v1/accounts/:id/statuses, DELETE /api/v1/statuses/:id (docs.joinmastodon.org,
 * methods/statuses and methods/accounts, read 2026-12). A struct mastodon is opaque,
 * opened with mastodon_open() and released with mastodon_close(), which wipes the access
 * token; the channel it gives lives as long as it does. No error detail holds the token.
 */
#include <stdbool.h>
#include <time.h>

#include "config.h"
#include "error.h"
#include "publish.h"
#include "store.h"
#include "text/count.h"

/* Answers larger than this are cut off and count as a transient failure. */
#define MASTODON_BODY_CAP (1024u * 1024)
/* How many of the account's latest statuses reconciliation reads: Mastodon's page limit. */
#define MASTODON_RECENT 40

struct mastodon;

/*
 * Reads channel's credentials (access_token=; II_ECONFIG when missing, unreadable, or
 * readable by group or others) and prepares the client for its api_url.
 */
ii_err mastodon_open(const struct config_channel *channel, struct mastodon **out,
		     struct ii_error *e);
const struct publish_channel *mastodon_channel(struct mastodon *m);
void mastodon_close(struct mastodon *m);

/*
 * The instance's own limits (GET /api/v2/instance, configuration.statuses: max_characters
 * and characters_reserved_per_url; docs.joinmastodon.org, methods/instance, read 2026-12),
 * cached in the channel's state in the store. Mastodon's own defaults, 500 and 23, hold
 * until they are read. Figures outside these bounds are refused: an answer that would let
 * a post be cut too short to read, or longer than any instance takes, is a wrong answer.
 */
#define MASTODON_MIN_CHARACTERS 100
#define MASTODON_MAX_CHARACTERS 100000
#define MASTODON_MAX_URL_LENGTH 1000
/* An instance's limits change when its admins change them, rarely: asked at most once this
 * often, whatever the answer, so that an instance that is down costs one request a day. */
#define MASTODON_LIMITS_TTL (24 * 60 * 60)

struct mastodon_limits {
	int max_characters; /* the longest status, in characters (lib/text/mastodon.h) */
	int url_length;     /* what every link counts as */
	time_t read_at;     /* when the instance said them; 0: never, Mastodon's defaults */
	time_t checked_at;  /* the last time they were asked for; 0: never */
	char problem[512];  /* why that last request did not give them, "" when it did */
};

/* The limits cached for the channel whose id is channel (defaults when none; store NULL:
 * no database yet, the defaults). */
ii_err mastodon_limits(struct store *store, const char *channel, struct mastodon_limits *out,
		       struct ii_error *e);

/* The counter of the channel whose id is channel: Mastodon's (lib/text/count.h) with the
 * instance's cached limits, Mastodon's defaults when none were read. What cuts a thread
 * for the channel and what the channel refuses to send agree through it. */
ii_err mastodon_counter(struct store *store, const char *channel, struct counter *out,
			struct ii_error *e);

/*
 * Before publishing: asks the instance for its limits when they were last asked for
 * MASTODON_LIMITS_TTL ago or more (or never), caches the answer in store, and makes m
 * count with them. A failure (no answer, an error, figures missing or out of bounds)
 * keeps what was cached, or the defaults, and never keeps the channel from publishing:
 * problem (size bytes) says why, "" when nothing failed; it is cached too, for status.
 * An error only when the store fails or memory runs out. The request carries no token:
 * the endpoint is public.
 */
ii_err mastodon_refresh_limits(struct mastodon *m, struct store *store, time_t now, char *problem,
			       size_t size, struct ii_error *e);

/*
 * The key a post's request carries as Idempotency-Key, which Mastodon honours for an hour:
 * channel, key (publish's, unique to the post of its draft) and a digest of text, so that
 * the revised text of a failed draft's post is never answered with its old status. out
 * receives at most size - 1 bytes.
 */
void mastodon_idempotency_key(const char *channel, const char *key, const char *text, char *out,
			      size_t size);

/*
 * Whether html, a status's content as Mastodon returns it (paragraphs, <br>, links whose
 * text is cut with invisible spans, entities), is text as it was sent: both compared in NFC
 * with every run of white space as one space and none at either end.
 */
bool mastodon_text_matches(const char *text, const char *html);

/* Mastodon's X-RateLimit-Reset, "2026-12-06T02:35:00.123Z" or with an offset "+01:00", as
 * Unix time; 0 when it is not one. */
time_t mastodon_parse_time(const char *iso);
#endif
