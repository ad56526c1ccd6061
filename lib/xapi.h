#ifndef INCLUINFO_XAPI_H
#define INCLUINFO_XAPI_H

/*
 * A client of the X API v2 over libcurl: post, reply, read the account and its recent
 * posts, delete. xapi_new() returns a struct xapi the caller owns and releases with
 * xapi_free(); it borrows the struct cred, which must outlive it. Results are written
 * into the caller's struct xapi_result (plain values, nothing to free); a timeline's
 * posts belong to the struct xapi_timeline until xapi_timeline_free().
 *
 * Every call that reaches the point of sending returns II_OK and says what happened in
 * result->outcome, which the caller must look at: an HTTP error, a timeout or a refused
 * connection is an outcome, not an ii_err. An ii_err other than II_OK means the request
 * could not even be attempted (invalid argument, out of memory, libcurl unusable); then
 * nothing was sent.
 *
 * TLS verification is always on; http:// is accepted only for loopback addresses (the
 * fake API of the tests). Responses larger than XAPI_BODY_CAP are cut off and count as a
 * transient failure; their headers are kept as lib/webapi keeps them. The trace hook never sees a credential: Authorization headers are
 * replaced by "[redacted]" before it is called.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "cred.h"
#include "error.h"

#define XAPI_DEFAULT_URL "https://api.x.com"
#define XAPI_BODY_CAP (1024u * 1024)
#define XAPI_ID_SIZE 24              /* a post or user id: up to 19 digits, and the NUL */
/* X gives no reset time for a usage cap: the caller looks again after this long. */
#define XAPI_USAGE_CAP_RETRY_S 3600

enum xapi_trace_kind {
	XAPI_TRACE_INFO,       /* libcurl's own remarks: connecting, TLS */
	XAPI_TRACE_HEADER_OUT, /* one request header line, Authorization redacted */
	XAPI_TRACE_HEADER_IN,  /* one response header line */
	XAPI_TRACE_BODY_OUT,   /* the JSON request body */
	XAPI_TRACE_BODY_IN,    /* (a piece of) the response body */
};

/* text is not NUL-terminated; header lines come without their CRLF. */
typedef void (*xapi_trace_fn)(enum xapi_trace_kind kind, const char *text, size_t len,
			      void *user);

struct xapi_options {
	const char *base_url;   /* NULL: XAPI_DEFAULT_URL; no trailing slash needed */
	const char *ca_file;    /* NULL: the system's CA certificates */
	long timeout_ms;        /* a whole request; 0: 30000 */
	long connect_timeout_ms; /* 0: 10000 */
	xapi_trace_fn trace;    /* NULL: no trace */
	void *trace_user;
};

enum xapi_outcome {
	XAPI_OK,            /* 2xx: posted (result.id), deleted, read */
	XAPI_BAD_REQUEST,   /* 400 and other 4xx not listed here: permanent, see detail */
	XAPI_UNAUTHORIZED,  /* 401: the credentials were refused; stop posting */
	XAPI_DUPLICATE,     /* 403 "duplicate content": probably posted already; reconcile */
	XAPI_REPLY_GONE,    /* 403 (v1.1 code 385): the post replied to is deleted or not
			     * visible; nothing was posted */
	XAPI_REPLY_REFUSED, /* 403: this account may post but not answer that post (X's reply
			     * restriction of 2026-02-23, or its author limited who may reply);
			     * nothing was posted */
	XAPI_FORBIDDEN,     /* any other 403: permanent */
	XAPI_NOT_FOUND,     /* 404, or a 200 that only holds a "Not Found" error */
	XAPI_RATE_LIMITED,  /* 429: wait until retry_at */
	XAPI_USAGE_CAP,     /* the plan's usage cap (429 or 403 usage-capped): wait until retry_at */
	XAPI_TRANSIENT,     /* 5xx, 408, timeout, connection error, unreadable answer: see committed */
};

/* One limit as the response's headers gave it; -1 where a header was absent. */
struct xapi_limit {
	long limit;
	long remaining;
	time_t reset; /* Unix time */
};

/* The rate-limit figures of a response. */
struct xapi_rate {
	struct xapi_limit window;   /* x-rate-limit-*: the endpoint's 15-minute window */
	struct xapi_limit user_day; /* x-user-limit-24hour-* */
	struct xapi_limit app_day;  /* x-app-limit-24hour-* */
};

enum xapi_committed {
	XAPI_NOT_COMMITTED, /* the request never left, or the answer says it was not acted on */
	XAPI_MAYBE_COMMITTED, /* sent but unanswered or failed server-side: reconcile first */
	XAPI_COMMITTED,     /* acted on (2xx) */
};

struct xapi_result {
	enum xapi_outcome outcome;
	enum xapi_committed committed;
	long http_status;       /* 0 without a response */
	char id[XAPI_ID_SIZE];  /* the new post's id (post), the account's id (me) */
	char username[64];      /* me: the account's handle, without '@' */
	bool deleted;           /* delete: what the API said */
	time_t retry_at;        /* RATE_LIMITED, USAGE_CAP: not before this Unix time */
	struct xapi_rate rate;
	char detail[512];       /* the API's or libcurl's explanation, for messages */
};

/* One post of a timeline. text is as X returns it: URLs as t.co links, &, < and >
 * HTML-escaped (see xapi_text_matches). */
struct xapi_post {
	char id[XAPI_ID_SIZE];
	char reply_to[XAPI_ID_SIZE]; /* the "replied_to" reference, "" when none */
	char created_at[32];         /* ISO 8601 as X gives it, "" when absent */
	time_t created;              /* created_at as Unix time, 0 when absent or unreadable */
	char *text;
};

struct xapi_timeline {
	struct xapi_post *posts; /* newest first */
	size_t count;
	char next_token[128];    /* pagination token for older posts, "" at the end */
};

/* The calls the parser knows how to read. */
enum xapi_call { XAPI_CALL_POST, XAPI_CALL_ME, XAPI_CALL_TIMELINE, XAPI_CALL_DELETE };

struct xapi;

/* II_ECONFIG when the base URL is not https (or http on loopback); II_EINTERNAL when
 * libcurl cannot be set up. */
ii_err xapi_new(const struct xapi_options *options, const struct cred *cred,
		struct xapi **out, struct ii_error *e);
void xapi_free(struct xapi *api);

/* POST /2/tweets with {"text": text} and, when reply_to is not NULL,
 * "reply": {"in_reply_to_tweet_id": reply_to}. II_EDATA when reply_to is not an id. */
ii_err xapi_post(struct xapi *api, const char *text, const char *reply_to,
		 struct xapi_result *result, struct ii_error *e);

/* GET /2/users/me: result->id and result->username. */
ii_err xapi_me(struct xapi *api, struct xapi_result *result, struct ii_error *e);

/*
 * GET /2/users/{user_id}/tweets with tweet.fields=referenced_tweets,created_at: the
 * account's recent posts, newest first, max_results of them (5 to 100, as X requires),
 * older ones from pagination_token (NULL: the newest). timeline is filled only when the
 * outcome is XAPI_OK; the caller releases it with xapi_timeline_free() in every case.
 */
ii_err xapi_user_posts(struct xapi *api, const char *user_id, int max_results,
		       const char *pagination_token, struct xapi_timeline *timeline,
		       struct xapi_result *result, struct ii_error *e);

/* DELETE /2/tweets/{post_id}: result->deleted. */
ii_err xapi_delete(struct xapi *api, const char *post_id, struct xapi_result *result,
		   struct ii_error *e);

void xapi_timeline_free(struct xapi_timeline *timeline);

/*
 * The pure part of every call: classifies a response from its HTTP status, its header
 * block (the raw lines, CRLF or LF separated) and its body, as of Unix time now (for
 * rate-limit fallbacks), into result and, for XAPI_CALL_TIMELINE, timeline (else NULL).
 * II_ENOMEM only; anything the server says, however malformed, becomes an outcome.
 */
ii_err xapi_parse_response(enum xapi_call call, long http_status, const char *headers,
			   const char *body, size_t body_len, time_t now,
			   struct xapi_result *result, struct xapi_timeline *timeline,
			   struct ii_error *e);

/*
 * Whether remote, a post's text as X returns it, is what was sent as local: X replaces
 * every URL with a https://t.co/... link and HTML-escapes '&', '<' and '>'; both texts
 * are compared in NFC and without surrounding white space. Invalid UTF-8: false.
 */
bool xapi_text_matches(const char *local, const char *remote);

const char *xapi_outcome_name(enum xapi_outcome outcome);

/* Whether text is a post or user id: 1 to 19 digits. */
bool xapi_valid_id(const char *text);

#endif
