#ifndef INCLUINFO_CRED_H
#define INCLUINFO_CRED_H

/*
 * A credentials file: KEY=VALUE lines, '#' comments and blank lines allowed. X's holds
 * either the four OAuth 1.0a user-context values (consumer_key, consumer_secret,
 * access_token, access_token_secret) or an OAuth 2.0 user bearer_token; a mail server's
 * (a [notify ID] of type smtp) username and password; a webhook's its secret url, a
 * bearer_token, or both; a Mastodon account's ([channel ID] of type mastodon) the
 * access_token of an application with the scopes read:accounts, read:statuses and
 * write:statuses; a Bluesky account's ([channel ID] of type bluesky) its identifier (the
 * handle or DID) and an app_password (Settings, Privacy and security, App passwords), never
 * the account's own password. cred_load() returns a struct
 * cred the caller owns and releases with cred_free(), which wipes every value from memory.
 * Pointers the accessors return belong to the struct cred. No error detail ever holds a
 * value read from the file. Loading makes the process undumpable for the rest of its life
 * (no core file, no ptrace by the same user): a crash never writes the secrets to disk.
 */

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "oauth1.h"

/* Larger credentials files are refused unread. */
#define CRED_FILE_CAP (64u * 1024)

struct cred;

/*
 * Reads path. II_ECONFIG when the file is readable by group or others (the detail says to
 * run chmod 600 on it), is not a regular file, is larger than CRED_FILE_CAP, or holds an
 * unknown key, a repeated key, a line without '=', an empty value or one that is not
 * printable ASCII without spaces ("PATH:LINE: ..."), or an incomplete or mixed set of
 * keys; II_EIO when it cannot be read or the process cannot be made undumpable;
 * II_ENOMEM.
 */
ii_err cred_load(const char *path, struct cred **out, struct ii_error *e);

/* What a credentials file is for: the keys it may hold and those it needs. */
enum cred_use { CRED_X, CRED_SMTP, CRED_WEBHOOK, CRED_MASTODON, CRED_BLUESKY };

/* cred_load() for a file of another use; a key of another use is unknown. */
ii_err cred_load_for(const char *path, enum cred_use use, struct cred **out, struct ii_error *e);

/* Wipes and frees (NULL: nothing). */
void cred_free(struct cred *cred);

/* The OAuth 1.0a keys, or NULL when the file holds a bearer token. */
const struct oauth1_keys *cred_oauth1(const struct cred *cred);

/* The OAuth 2.0 bearer token, or NULL when the file holds OAuth 1.0a keys. */
const char *cred_bearer(const struct cred *cred);

/* Mastodon's access token (and X's OAuth 1.0a one: see cred_oauth1()); NULL when not in
 * the file. */
const char *cred_access_token(const struct cred *cred);

/* A mail server's username and password, a webhook's url; NULL when not in the file. */
const char *cred_username(const struct cred *cred);
const char *cred_password(const struct cred *cred);
const char *cred_url(const struct cred *cred);

/* A Bluesky account's handle or DID, and its app password; NULL when not in the file. */
const char *cred_identifier(const struct cred *cred);
const char *cred_app_password(const struct cred *cred);

/* Whether text contains any of the secret values (the consumer and token secrets, the
 * bearer token, a password, a webhook's url, Mastodon's access token, Bluesky's app
 * password). Only the tests call it, to prove that a request trace or an error
 * detail holds no secret; nothing checks output with it at run time. */
bool cred_leaks_into(const struct cred *cred, const char *text);

/* Rewrites text (NUL-terminated, in place; it never grows) with every occurrence of a
 * secret value of cred (those cred_leaks_into() looks for) and of each string of extra (a
 * NULL-terminated list, may be NULL; "" skipped: the secrets a channel got with cred, a
 * session's tokens) written as "[redacted]", or as as many '*' when shorter, and the
 * beginning of one (4 bytes or more) that ends the text, so that a quote already cut to
 * length shows no part of a secret either. For a server's answer quoted in a message: a
 * proxy's or a debugging server's error page may quote the request it refused, its
 * Authorization header or its body with a password. */
void cred_redact(const struct cred *cred, const char *const extra[], char *text);

#endif
