#ifndef INCLUINFO_BLUESKY_H
#define INCLUINFO_BLUESKY_H
/*
 * A Bluesky account as a publishing channel ([channel ID] of type bluesky), over its PDS's
 * XRPC API with libcurl (lib/webapi): com.atproto.server.createSession and refreshSession,
 * com.atproto.repo.createRecord, getRecord and deleteRecord (docs.bsky.app, the lexicons
 * of @atproto/api 0.19, read 2026-12). A struct bluesky is opaque, opened with
 * bluesky_open() and released with bluesky_close(); the channel it gives lives as long as
 * it does.
 *
 * The session. createSession is limited to 30 logins in 5 minutes and 300 a day for an
 * account, so a cron job that logged in every minute would lock itself out. The channel
 * logs in once, with the app password of its credentials file, and keeps the session
 * (accessJwt, refreshJwt, did, handle, and the identifier it is for) in the store, in the
 * channel's own state (store_channel_*, under "session.*"): the store's file is created
 * 0600 in a 0700 state_dir (lib/store), as the credentials file is. The next runs use it;
 * an access token kept within BLUESKY_REFRESH_MARGIN seconds of its "exp" when a run
 * reads it, or refused as expired (400 ExpiredToken) or invalid (401), is renewed with
 * refreshSession, and only
 * when that is refused too (the refresh token expired or was revoked) does the channel
 * log in again. The app password and the tokens are wiped from memory on close and never
 * printed, logged or put in an error detail; a session kept for another identifier is
 * not used.
 *
 * Exactly once. A post is createRecord of an app.bsky.feed.post with validate true and a
 * record key chosen before the request: publish's choose_key, at the post's claim, gives
 * a TID of the claim's time (bluesky_tid(), with a random clock id), journalled with the
 * claim, and post() takes it as the record key (a key that is not a TID is refused,
 * CHANNEL_REJECTED, and nothing is sent). Readers order an account's records by their
 * keys ("later TID, later content", atproto.com/specs/tid; a key dated in the future may
 * be refused or shown on top, bluesky-social/proposals#103), so a post's key is the time
 * it went out, and the posts of a thread, claimed one after another, follow each other.
 * A request sent again, after a crash or a lost answer, keeps its key, so it names the
 * same record and cannot make a second one; a post that certainly posted nothing, or
 * whose text was revised, gets a new key at its next claim. A post left "sending" by a
 * version before schema 13, which journalled no key, gets "<uuid>-<seq>" and is refused,
 * never sent twice: its draft fails, for staff to check the account. A PDS answers a
 * record key that exists with a 500 (atproto issues #3718, indigo #873; the lexicons give no error name yet), so a 5xx,
 * a lost answer or a timeout is settled with getRecord of that key: there with our text,
 * it is ours (CHANNEL_DONE); not there (RecordNotFound), nothing was posted
 * (CHANNEL_TRANSIENT, sent again with the same key); there with another text, the key is
 * taken (CHANNEL_REJECTED). A 4xx refusal is settled the same way (a refusal stays one
 * when the record is not there), since a PDS that names the error of an existing record
 * (atproto pull request #4728, proposed 2026-03) answers it with a 4xx. The channel therefore advertises CHANNEL_IDEMPOTENCY_KEY, and
 * publish needs no find().
 *
 * The record: text is the display text (links shortened as the official app shows them,
 * lib/text/bsky.h), facets its links (with the full URI) and tags, byte offsets into the
 * display text; mentions stay plain text (a mention facet needs the account's DID, and a
 * public body's post names no person by a handle that could change hands); langs the
 * post's language; createdAt the time of the request, RFC 3339 in UTC with milliseconds.
 * A post longer than 300 graphemes or 3000 bytes is refused before any request
 * (CHANNEL_REJECTED).
 *
 * References (CHANNEL_REF_SIZE): a post's is its AT URI and CID, "at://DID/app.bsky.feed.post/RKEY
 * CID", a strong reference. A reply names its parent's, and its thread's root is read
 * from the parent itself with getRecord (its reply.root, else the parent): a reference
 * stays the same for every post, and a parent deleted since is known before the reply
 * is made (CHANNEL_REPLY_GONE).
 *
 * Rate limits: every answer's ratelimit-remaining and ratelimit-reset (Unix seconds); a
 * createRecord costs 3 of the PDS's write points (docs.bsky.app, "Rate limits"), so its
 * remaining posts are the points left over 3. A 429 is CHANNEL_RATE_LIMITED until the reset.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "error.h"
#include "publish.h"
#include "store.h"

/* Answers larger than this are cut off and count as no answer. */
#define BLUESKY_BODY_CAP (1024u * 1024)
/* An access token this close to its expiry is renewed before it is used, in seconds. */
#define BLUESKY_REFRESH_MARGIN 60
/* The write points a createRecord costs. */
#define BLUESKY_CREATE_POINTS 3
/* A TID: 13 characters and the NUL. */
#define BLUESKY_TID_SIZE 14

struct bluesky;

/*
 * Reads channel's credentials (identifier= and app_password=; II_ECONFIG when missing,
 * unreadable, or readable by group or others) and prepares the client for its api_url,
 * the account's PDS. store (borrowed, may be NULL: then the session lasts as long as the
 * struct) keeps the session between runs. Nothing is asked of the PDS until a post or a
 * deletion needs it.
 */
ii_err bluesky_open(const struct config_channel *channel, struct store *store,
		    struct bluesky **out, struct ii_error *e);
const struct publish_channel *bluesky_channel(struct bluesky *b);
void bluesky_close(struct bluesky *b);

/*
 * The TID (atproto.com/specs/tid: 13 characters of base32-sortable,
 * "234567abcdefghijklmnopqrstuvwxyz", of a 64-bit number whose top bit is 0) of time
 * micros (microseconds since 1970, its low 53 bits) and clock_id (its low 10 bits) into
 * out, BLUESKY_TID_SIZE bytes: TIDs sort as their times, then their clock ids.
 */
void bluesky_tid(uint64_t micros, unsigned clock_id, char out[BLUESKY_TID_SIZE]);

/* Whether s has a TID's syntax: ^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$. */
bool bluesky_tid_valid(const char *s);

/*
 * The parts of a post's reference "at://DID/app.bsky.feed.post/RKEY CID", each copied
 * with its NUL into the caller's arrays of CHANNEL_REF_SIZE bytes (any may be NULL): its
 * AT URI, its CID, the repository's DID and the record key. false when ref is not one.
 */
bool bluesky_ref_parse(const char *ref, char *uri, char *cid, char *did, char *rkey);

/* The address of post ref in the official app, https://bsky.app/profile/DID/post/RKEY,
 * into out (size bytes); false when ref is not a post's reference or it does not fit. */
bool bluesky_public_url(const char *ref, char *out, size_t size);

/* The "exp" claim (Unix time) of a JWT, read without checking its signature: when the
 * channel renews its access token; 0 when jwt holds none. */
time_t bluesky_jwt_expiry(const char *jwt);
#endif
