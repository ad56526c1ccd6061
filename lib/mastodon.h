#ifndef INCLUINFO_MASTODON_H
#define INCLUINFO_MASTODON_H
/*
 * A Mastodon account as a publishing channel ([channel ID] of type mastodon), over the
 * instance's REST API with libcurl: POST /api/v1/statuses with an Idempotency-Key,
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
