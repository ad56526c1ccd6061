#ifndef INCLUINFO_WEBAPI_H
#define INCLUINFO_WEBAPI_H
/*
 * One client of a JSON web API over libcurl, for the channels that speak one (lib/bluesky;
 * lib/mastodon holds the same few lines of its own and can move here): requests to a base
 * URL, the answer's body kept up to a cap (a larger one is no answer: a server cannot make
 * us hold what it likes), its headers readable by name, TLS verified, no redirect
 * followed, http and https only. A struct webapi is opened with webapi_open() and
 * released with webapi_close(); the answer it gives lives until its next request.
 */
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct webapi;

/* What came back: status 0 when no answer did (failure says why: libcurl's error, or
 * "answer too large"); body is NUL-terminated, "" when empty. */
struct webapi_answer {
	long status;
	const char *body;
	char failure[256];
};

/* A client of base_url (a trailing "/" is dropped), verifying TLS against ca_file (NULL:
 * the system's CAs), each request ended after timeout_ms, answers cut at body_cap bytes.
 * II_ENOMEM, II_EINTERNAL when libcurl cannot start. */
ii_err webapi_open(const char *base_url, const char *ca_file, long timeout_ms, size_t body_cap,
		   struct webapi **out, struct ii_error *e);
void webapi_close(struct webapi *w);

/* method path (appended to the base URL) with headers (full lines, NULL-terminated list,
 * may be NULL) and body (may be NULL); out receives the answer. II_OK whenever the request
 * was made, answered or not; an error only when it could not be prepared (its detail names
 * who, never a header's value). */
ii_err webapi_request(struct webapi *w, const char *who, const char *method, const char *path,
		      const char *const headers[], const char *body, struct webapi_answer *out,
		      struct ii_error *e);

/* The value of header name (any case) in the last answer, "" when absent; at most size - 1
 * bytes. */
void webapi_header(const struct webapi *w, const char *name, char *out, size_t size);

/* Wipes the last answer's body from memory: one that held a secret (a session's tokens). */
void webapi_forget(struct webapi *w);
#endif
