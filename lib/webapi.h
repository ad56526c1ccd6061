#ifndef INCLUINFO_WEBAPI_H
#define INCLUINFO_WEBAPI_H
/*
 * One client of a JSON web API over libcurl, for the channels that speak one (lib/bluesky,
 * lib/mastodon): requests to a base URL, the answer's body kept up to a cap (a larger one
 * is no answer: a server cannot make us hold what it likes), its headers readable by name,
 * TLS verified, no redirect followed, http and https only. A struct webapi is opened with
 * webapi_open() and released with webapi_close(); the answer it gives lives until its next
 * request.
 *
 * A client that must drive its own libcurl handle (lib/xapi signs each request's URL and
 * traces it) keeps the answer the same way with a struct webapi_capture.
 */
#include <curl/curl.h>
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
 * may be NULL; the copies made for libcurl are wiped after the request, as a token's
 * must be) and body (may be NULL); out receives the answer. II_OK whenever the request
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

/* The value of header name (any case, surrounding blanks dropped) in headers, header lines
 * as they came ("Name: value\r\n"…, may be NULL), "" when absent; at most size - 1 bytes. */
void webapi_header_value(const char *headers, const char *name, char *out, size_t size);

/* Bytes up to a limit; what passes it is counted as cut, not kept. */
struct webapi_buffer {
	char *data; /* NUL-terminated */
	size_t len, limit;
	bool cut;
};

/* One answer as libcurl hands it over: its body up to the cap given, the header lines of
 * its last response (an interim 100 Continue's do not count) up to WEBAPI_HEADERS_CAP. */
#define WEBAPI_HEADERS_CAP (32u * 1024)
struct webapi_capture {
	struct webapi_buffer body, headers;
};

/* Allocates both buffers, empty; false when memory runs out (then webapi_capture_free()). */
bool webapi_capture_init(struct webapi_capture *c, size_t body_cap);
/* Empties c and makes curl write the next answer into it: a body past the cap stops the
 * transfer (curl_easy_perform() fails, c->body.cut is true); headers past theirs are
 * dropped. false when libcurl refuses an option. */
bool webapi_capture_attach(struct webapi_capture *c, CURL *curl);
/* Wipes the body (it may hold a secret) and frees both; c may be zeroed or half made. */
void webapi_capture_free(struct webapi_capture *c);
#endif
