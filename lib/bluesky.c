#include "bluesky.h"

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cred.h"
#include "i18n.h"
#include "printable.h"
#include "text/bsky.h"
#include "text/count.h"
#include "webapi.h"

#define COLLECTION "app.bsky.feed.post"
#define TOKEN_SIZE 4096
#define NAME_SIZE 256

/* The names of the session's values in the channel's state (store_channel_*). */
#define KEY_FOR "session.identifier"
#define KEY_DID "session.did"
#define KEY_HANDLE "session.handle"
#define KEY_ACCESS "session.access"
#define KEY_REFRESH "session.refresh"

struct bluesky {
	struct publish_channel channel;
	struct cred *cred;
	struct webapi *api;
	struct store *store;
	bool loaded; /* the store's session was read */
	bool stale;  /* its access token was near its expiry then */
	char access[TOKEN_SIZE], refresh[TOKEN_SIZE]; /* "" when none; wiped on close */
	char did[NAME_SIZE], handle[NAME_SIZE];
};

/* An XRPC answer: the HTTP one, its JSON, and the error name of a refusal. */
struct xrpc {
	struct webapi_answer a;
	cJSON *json;
	char error[64];
};

static const char base32_sortable[] = "234567abcdefghijklmnopqrstuvwxyz";

/* ---- keys, references, tokens ---- */

void bluesky_tid(uint64_t micros, unsigned clock_id, char out[BLUESKY_TID_SIZE])
{
	uint64_t n = (micros & ((UINT64_C(1) << 53) - 1)) << 10 | (clock_id & 0x3ff);
	for (int i = BLUESKY_TID_SIZE - 2; i >= 0; i--) {
		out[i] = base32_sortable[n & 31];
		n >>= 5;
	}
	out[BLUESKY_TID_SIZE - 1] = '\0';
}

/* publish's choose_key: a TID of the claim's time, with a random clock id so that two
 * hosts claiming in the same microsecond do not choose the same key */
static bool choose_key(void *ctx, struct timespec at, char *out, size_t size)
{
	(void)ctx;
	uint16_t clock_id;
	if (size < BLUESKY_TID_SIZE || getrandom(&clock_id, sizeof clock_id, 0) != (ssize_t)sizeof clock_id)
		return false;
	bluesky_tid((uint64_t)at.tv_sec * 1000000u + (uint64_t)at.tv_nsec / 1000u, clock_id, out);
	return true;
}

bool bluesky_tid_valid(const char *s)
{
	if (strlen(s) != BLUESKY_TID_SIZE - 1)
		return false;
	for (size_t i = 0; s[i]; i++) {
		const char *at = strchr(base32_sortable, s[i]);
		if (!s[i] || !at || (i == 0 && at - base32_sortable >= 16))
			return false;
	}
	return true;
}

bool bluesky_ref_parse(const char *ref, char *uri, char *cid, char *did, char *rkey)
{
	static const char scheme[] = "at://", middle[] = "/" COLLECTION "/";
	const char *space = strchr(ref, ' ');
	if (strncmp(ref, scheme, strlen(scheme)) || !space || !space[1] || strchr(space + 1, ' '))
		return false;
	const char *authority = ref + strlen(scheme);
	const char *slash = strchr(authority, '/');
	if (!slash || slash == authority || slash > space || strncmp(slash, middle, strlen(middle)))
		return false;
	const char *key = slash + strlen(middle);
	if (key >= space || memchr(key, '/', (size_t)(space - key)))
		return false;
	if (uri)
		snprintf(uri, CHANNEL_REF_SIZE, "%.*s", (int)(space - ref), ref);
	if (cid)
		snprintf(cid, CHANNEL_REF_SIZE, "%s", space + 1);
	if (did)
		snprintf(did, CHANNEL_REF_SIZE, "%.*s", (int)(slash - authority), authority);
	if (rkey)
		snprintf(rkey, CHANNEL_REF_SIZE, "%.*s", (int)(space - key), key);
	return true;
}

bool bluesky_public_url(const char *ref, char *out, size_t size)
{
	char did[CHANNEL_REF_SIZE], rkey[CHANNEL_REF_SIZE];
	if (!bluesky_ref_parse(ref, NULL, NULL, did, rkey))
		return false;
	int n = snprintf(out, size, "https://bsky.app/profile/%s/post/%s", did, rkey);
	return n > 0 && (size_t)n < size;
}

time_t bluesky_jwt_expiry(const char *jwt)
{
	const char *start = strchr(jwt, '.'), *end = start ? strchr(start + 1, '.') : NULL;
	if (!end || end - start - 1 > TOKEN_SIZE)
		return 0;
	/* base64url without padding into base64 for OpenSSL's decoder */
	size_t len = (size_t)(end - start - 1);
	char b64[TOKEN_SIZE + 4];
	unsigned char json[TOKEN_SIZE];
	for (size_t i = 0; i < len; i++)
		b64[i] = start[1 + i] == '-' ? '+' : start[1 + i] == '_' ? '/' : start[1 + i];
	while (len % 4)
		b64[len++] = '=';
	int n = EVP_DecodeBlock(json, (const unsigned char *)b64, (int)len);
	if (n <= 0)
		return 0;
	json[n < TOKEN_SIZE ? n : TOKEN_SIZE - 1] = '\0';
	cJSON *claims = cJSON_Parse((const char *)json);
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(claims, "exp");
	time_t t = cJSON_IsNumber(exp) && exp->valuedouble > 0 ? (time_t)exp->valuedouble : 0;
	cJSON_Delete(claims);
	return t;
}

/* ---- XRPC ---- */

static const char *string_of(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void xrpc_done(struct xrpc *x)
{
	cJSON_Delete(x->json);
	x->json = NULL;
}

/* method path with token (NULL: none) and body (JSON, may be NULL) into x; II_OK whenever
 * the request was made. */
static ii_err xrpc(struct bluesky *b, const char *method, const char *path, const char *token,
		   const char *body, struct xrpc *x, struct ii_error *e)
{
	char *authorization = NULL;
	if (token && asprintf(&authorization, "Authorization: Bearer %s", token) < 0)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	const char *headers[3] = {0};
	size_t n = 0;
	if (authorization)
		headers[n++] = authorization;
	if (body)
		headers[n++] = "Content-Type: application/json";
	ii_err rc = webapi_request(b->api, b->channel.name, method, path, headers, body, &x->a, e);
	if (authorization) {
		OPENSSL_cleanse(authorization, strlen(authorization));
		free(authorization);
	}
	x->json = rc ? NULL : cJSON_Parse(x->a.body);
	const char *error = string_of(x->json, "error");
	snprintf(x->error, sizeof x->error, "%s", x->a.status >= 400 && error ? error : "");
	return rc;
}

/* What an answer means for a request, in r; the rate limit's reset whatever it was. */
static void classify(const struct bluesky *b, const struct xrpc *x, struct channel_result *r)
{
	char reset[32];
	webapi_header(b->api, "ratelimit-reset", reset, sizeof reset);
	char *end;
	long long t = strtoll(reset, &end, 10);
	r->reset = *reset && !*end && t > 0 ? (time_t)t : 0;
	long status = x->a.status;
	if (!status) {
		r->outcome = CHANNEL_TRANSIENT;
		snprintf(r->detail, sizeof r->detail, "%s", x->a.failure);
		return;
	}
	if (status >= 200 && status < 300) {
		r->outcome = CHANNEL_DONE;
		return;
	}
	const char *message = string_of(x->json, "message");
	snprintf(r->detail, sizeof r->detail, "HTTP %ld: %s%s%.400s", status, x->error,
		 *x->error && message ? ": " : "", message ? message : *x->error ? "" : x->a.body);
	/* a proxy's or a debugging server's page may quote the request: its password, its token */
	const char *const session[] = {b->access, b->refresh, NULL};
	cred_redact(b->cred, session, r->detail);
	printable_clean(r->detail);
	if (status == 429) {
		r->outcome = CHANNEL_RATE_LIMITED;
		r->retry_at = r->reset ? r->reset : time(NULL) + 60;
	} else if (status == 401 || !strcmp(x->error, "ExpiredToken") ||
		   !strcmp(x->error, "InvalidToken")) {
		r->outcome = CHANNEL_UNAUTHORIZED;
	} else if (status == 408 || status >= 500) {
		r->outcome = CHANNEL_TRANSIENT;
	} else {
		r->outcome = CHANNEL_REJECTED;
	}
}

/* ---- the session ---- */

static void forget_session(struct bluesky *b)
{
	OPENSSL_cleanse(b->access, sizeof b->access);
	OPENSSL_cleanse(b->refresh, sizeof b->refresh);
	b->did[0] = b->handle[0] = '\0';
}

/* The session the store keeps for this identifier, once. */
static ii_err load_session(struct bluesky *b, struct ii_error *e)
{
	if (b->loaded || !b->store)
		return II_OK;
	b->loaded = true;
	char owner[NAME_SIZE];
	const char *id = b->channel.id;
	ii_err rc = store_channel_get(b->store, id, KEY_FOR, owner, sizeof owner, e);
	if (rc || strcmp(owner, cred_identifier(b->cred)))
		return rc;
	if ((rc = store_channel_get(b->store, id, KEY_DID, b->did, sizeof b->did, e)) ||
	    (rc = store_channel_get(b->store, id, KEY_HANDLE, b->handle, sizeof b->handle, e)) ||
	    (rc = store_channel_get(b->store, id, KEY_ACCESS, b->access, sizeof b->access, e)) ||
	    (rc = store_channel_get(b->store, id, KEY_REFRESH, b->refresh, sizeof b->refresh, e)))
		forget_session(b);
	if (!*b->did || !*b->refresh)
		forget_session(b);
	time_t expiry = *b->access ? bluesky_jwt_expiry(b->access) : 0;
	b->stale = expiry && expiry - time(NULL) < BLUESKY_REFRESH_MARGIN;
	return rc;
}

static ii_err save_session(struct bluesky *b, struct ii_error *e)
{
	if (!b->store)
		return II_OK;
	const char *id = b->channel.id;
	ii_err rc = store_begin(b->store, e);
	if (rc)
		return rc;
	if ((rc = store_channel_put(b->store, id, KEY_FOR, cred_identifier(b->cred), e)) ||
	    (rc = store_channel_put(b->store, id, KEY_DID, b->did, e)) ||
	    (rc = store_channel_put(b->store, id, KEY_HANDLE, b->handle, e)) ||
	    (rc = store_channel_put(b->store, id, KEY_ACCESS, b->access, e)) ||
	    (rc = store_channel_put(b->store, id, KEY_REFRESH, b->refresh, e))) {
		store_rollback(b->store);
		return rc;
	}
	return store_commit(b->store, e);
}

/* Takes the session of a createSession or refreshSession answer; r is made a transient
 * failure when the answer holds none. */
static ii_err adopt(struct bluesky *b, struct xrpc *x, struct channel_result *r, struct ii_error *e)
{
	const char *access = string_of(x->json, "accessJwt"), *refresh = string_of(x->json, "refreshJwt");
	const char *did = string_of(x->json, "did"), *handle = string_of(x->json, "handle");
	bool whole = access && refresh && did && strlen(access) < sizeof b->access &&
		     strlen(refresh) < sizeof b->refresh && !strncmp(did, "did:", 4) &&
		     strlen(did) < sizeof b->did && (!handle || strlen(handle) < sizeof b->handle);
	if (whole) {
		forget_session(b);
		strcpy(b->access, access);
		strcpy(b->refresh, refresh);
		strcpy(b->did, did);
		strcpy(b->handle, handle ? handle : "");
	}
	/* the answer held the tokens: wipe both copies of it */
	cJSON *json = x->json;
	x->json = NULL;
	for (cJSON *item = json ? json->child : NULL; item; item = item->next)
		if (cJSON_IsString(item))
			OPENSSL_cleanse(item->valuestring, strlen(item->valuestring));
	cJSON_Delete(json);
	webapi_forget(b->api);
	if (!whole) {
		r->outcome = CHANNEL_TRANSIENT;
		snprintf(r->detail, sizeof r->detail, "HTTP %ld: an answer without a whole session",
			 x->a.status);
		return II_OK;
	}
	return save_session(b, e);
}

/* createSession with the app password. */
static ii_err login(struct bluesky *b, struct channel_result *r, struct ii_error *e)
{
	cJSON *o = cJSON_CreateObject();
	char *body = NULL;
	if (o && cJSON_AddStringToObject(o, "identifier", cred_identifier(b->cred)) &&
	    cJSON_AddStringToObject(o, "password", cred_app_password(b->cred)))
		body = cJSON_PrintUnformatted(o);
	const cJSON *password = cJSON_GetObjectItemCaseSensitive(o, "password");
	if (cJSON_IsString(password))
		OPENSSL_cleanse(password->valuestring, strlen(password->valuestring));
	cJSON_Delete(o);
	if (!body)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	struct xrpc x = {0};
	ii_err rc = xrpc(b, "POST", "/xrpc/com.atproto.server.createSession", NULL, body, &x, e);
	OPENSSL_cleanse(body, strlen(body));
	free(body);
	if (rc == II_OK) {
		classify(b, &x, r);
		if (r->outcome == CHANNEL_DONE)
			rc = adopt(b, &x, r, e);
	}
	xrpc_done(&x);
	return rc;
}

/* refreshSession with the refresh token, else (refused, or none kept) a new login. */
static ii_err renew(struct bluesky *b, struct channel_result *r, struct ii_error *e)
{
	if (*b->refresh) {
		struct xrpc x = {0};
		ii_err rc = xrpc(b, "POST", "/xrpc/com.atproto.server.refreshSession", b->refresh, NULL,
				 &x, e);
		if (rc == II_OK) {
			classify(b, &x, r);
			if (r->outcome == CHANNEL_DONE)
				rc = adopt(b, &x, r, e);
		}
		xrpc_done(&x);
		if (rc || r->outcome != CHANNEL_UNAUTHORIZED)
			return rc;
		forget_session(b); /* expired or revoked: only a login helps now */
	}
	return login(b, r, e);
}

/* A session to act with: r's outcome is CHANNEL_DONE when there is one, else why not.
 * renewing: the PDS refused the access token just used. A token kept from an earlier run
 * is renewed first when it was near its expiry; one this run got is used until refused,
 * however short its life. */
static ii_err session(struct bluesky *b, bool renewing, struct channel_result *r,
		      struct ii_error *e)
{
	r->outcome = CHANNEL_DONE;
	ii_err rc = load_session(b, e);
	if (rc || (*b->access && !renewing && !b->stale))
		return rc;
	b->stale = false;
	return renew(b, r, e);
}

/* An XRPC call with the session, renewed once when the PDS refuses its access token. */
static ii_err call(struct bluesky *b, const char *method, const char *path, const char *body,
		   struct xrpc *x, struct channel_result *r, struct ii_error *e)
{
	for (int attempt = 0;; attempt++) {
		ii_err rc = session(b, attempt > 0, r, e);
		if (rc || r->outcome != CHANNEL_DONE)
			return rc;
		if ((rc = xrpc(b, method, path, b->access, body, x, e)))
			return rc;
		classify(b, x, r);
		if (r->outcome != CHANNEL_UNAUTHORIZED || attempt > 0)
			return II_OK;
		xrpc_done(x);
	}
}

/* ---- posts ---- */

/* getRecord of rkey in repo did (public: no session needed). */
static ii_err get_record(struct bluesky *b, const char *did, const char *rkey, struct xrpc *x,
			 struct channel_result *r, struct ii_error *e)
{
	char path[2 * CHANNEL_REF_SIZE + 128];
	snprintf(path, sizeof path, "/xrpc/com.atproto.repo.getRecord?repo=%s&collection=" COLLECTION
		 "&rkey=%s", did, rkey);
	ii_err rc = xrpc(b, "GET", path, NULL, NULL, x, e);
	if (rc == II_OK)
		classify(b, x, r);
	return rc;
}

static bool record_gone(const struct xrpc *x)
{
	return x->a.status == 400 && !strcmp(x->error, "RecordNotFound");
}

/* A post's reference from an answer holding uri and cid (createRecord's, getRecord's). */
static bool reference(const cJSON *o, char ref[CHANNEL_REF_SIZE])
{
	const char *uri = string_of(o, "uri"), *cid = string_of(o, "cid");
	if (!uri || !cid)
		return false;
	int n = snprintf(ref, CHANNEL_REF_SIZE, "%s %s", uri, cid);
	return n > 0 && n < CHANNEL_REF_SIZE && bluesky_ref_parse(ref, NULL, NULL, NULL, NULL);
}

static cJSON *strong_ref(const char *uri, const char *cid)
{
	cJSON *o = cJSON_CreateObject();
	if (o && (!cJSON_AddStringToObject(o, "uri", uri) || !cJSON_AddStringToObject(o, "cid", cid))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* The reply object of a post answering parent_ref: the parent as it is now and its
 * thread's root (the parent's own reply.root, else the parent). *reply stays NULL when
 * r says why not (CHANNEL_REPLY_GONE: the parent was deleted). */
static ii_err reply_refs(struct bluesky *b, const char *parent_ref, cJSON **reply,
			 struct channel_result *r, struct ii_error *e)
{
	*reply = NULL;
	char did[CHANNEL_REF_SIZE], rkey[CHANNEL_REF_SIZE], ref[CHANNEL_REF_SIZE];
	if (!bluesky_ref_parse(parent_ref, NULL, NULL, did, rkey))
		return ii_fail(e, II_EDATA, _("'%s' is not a Bluesky post's reference"), parent_ref);
	struct xrpc x = {0};
	ii_err rc = get_record(b, did, rkey, &x, r, e);
	if (rc == II_OK && record_gone(&x)) {
		r->outcome = CHANNEL_REPLY_GONE;
	} else if (rc == II_OK && r->outcome == CHANNEL_DONE) {
		const cJSON *value = cJSON_GetObjectItemCaseSensitive(x.json, "value");
		const cJSON *root = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(value, "reply"), "root");
		const char *root_uri = string_of(root, "uri"), *root_cid = string_of(root, "cid");
		char uri[CHANNEL_REF_SIZE], cid[CHANNEL_REF_SIZE];
		if (!reference(x.json, ref) || !bluesky_ref_parse(ref, uri, cid, NULL, NULL)) {
			r->outcome = CHANNEL_TRANSIENT;
			snprintf(r->detail, sizeof r->detail, "HTTP %ld: a record without its uri and cid",
				 x.a.status);
		} else {
			cJSON *o = cJSON_CreateObject();
			if (!o || !cJSON_AddItemToObject(o, "root", root_uri && root_cid
							       ? strong_ref(root_uri, root_cid)
							       : strong_ref(uri, cid)) ||
			    !cJSON_AddItemToObject(o, "parent", strong_ref(uri, cid)) ||
			    !cJSON_GetObjectItem(o, "root") || !cJSON_GetObjectItem(o, "parent")) {
				cJSON_Delete(o);
				rc = ii_fail(e, II_ENOMEM, _("out of memory"));
			} else {
				*reply = o;
			}
		}
	}
	xrpc_done(&x);
	return rc;
}

/* createdAt: now, RFC 3339 in UTC with milliseconds. */
static void created_at(char out[32])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

static cJSON *facets_json(const struct bsky_facets *facets)
{
	cJSON *list = cJSON_CreateArray();
	for (size_t i = 0; list && i < facets->count; i++) {
		const struct bsky_facet *f = &facets->items[i];
		if (f->feature == BSKY_MENTION)
			continue; /* plain text: see bluesky.h */
		cJSON *facet = cJSON_CreateObject(), *index = cJSON_CreateObject();
		cJSON *features = cJSON_CreateArray(), *feature = cJSON_CreateObject();
		bool ok = facet && index && features && feature &&
			  cJSON_AddNumberToObject(index, "byteStart", (double)f->byte_start) &&
			  cJSON_AddNumberToObject(index, "byteEnd", (double)f->byte_end) &&
			  cJSON_AddStringToObject(feature, "$type", bsky_feature_type(f->feature)) &&
			  cJSON_AddStringToObject(feature, f->feature == BSKY_LINK ? "uri" : "tag", f->value);
		if (ok) {
			cJSON_AddItemToObject(facet, "index", index);
			cJSON_AddItemToArray(features, feature);
			cJSON_AddItemToObject(facet, "features", features);
			cJSON_AddItemToArray(list, facet);
		} else {
			cJSON_Delete(facet);
			cJSON_Delete(index);
			cJSON_Delete(features);
			cJSON_Delete(feature);
			cJSON_Delete(list);
			list = NULL;
		}
	}
	return list;
}

/* The createRecord request of display (with its facets) as record rkey of the session's
 * repository, answering reply (taken; may be NULL); NULL when memory runs out. */
static char *create_body(const struct bluesky *b, const char *rkey, const char *display,
			 const struct bsky_facets *facets, const char *language, cJSON *reply)
{
	char now[32];
	created_at(now);
	cJSON *o = cJSON_CreateObject(), *record = cJSON_CreateObject(), *list = facets_json(facets);
	cJSON *langs = cJSON_CreateArray();
	bool ok = o && record && list && langs && cJSON_AddStringToObject(o, "repo", b->did) &&
		  cJSON_AddStringToObject(o, "collection", COLLECTION) &&
		  cJSON_AddStringToObject(o, "rkey", rkey) && cJSON_AddTrueToObject(o, "validate") &&
		  cJSON_AddStringToObject(record, "$type", COLLECTION) &&
		  cJSON_AddStringToObject(record, "text", display) &&
		  cJSON_AddStringToObject(record, "createdAt", now) &&
		  (!language || !*language || cJSON_AddItemToArray(langs, cJSON_CreateString(language)));
	char *body = NULL;
	if (ok) {
		if (cJSON_GetArraySize(list))
			cJSON_AddItemToObject(record, "facets", list);
		else
			cJSON_Delete(list);
		list = NULL;
		if (cJSON_GetArraySize(langs))
			cJSON_AddItemToObject(record, "langs", langs);
		else
			cJSON_Delete(langs);
		langs = NULL;
		if (reply)
			cJSON_AddItemToObject(record, "reply", reply);
		reply = NULL;
		cJSON_AddItemToObject(o, "record", record);
		record = NULL;
		body = cJSON_PrintUnformatted(o);
	}
	cJSON_Delete(o);
	cJSON_Delete(record);
	cJSON_Delete(list);
	cJSON_Delete(langs);
	cJSON_Delete(reply);
	return body;
}

/* After a createRecord whose fate is unknown or that was refused (r), record rkey says
 * what happened: ours when it holds display; taken when it holds another text; when it is
 * not there nothing was posted, and r stays as it is. */
static ii_err settle(struct bluesky *b, const char *rkey, const char *display,
		     struct channel_result *r, struct ii_error *e)
{
	struct channel_result seen = {.remaining = -1};
	struct xrpc x = {0};
	ii_err rc = get_record(b, b->did, rkey, &x, &seen, e);
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(x.json, "value");
	const char *text = string_of(value, "text");
	if (rc == II_OK && seen.outcome == CHANNEL_DONE && text && !strcmp(text, display) &&
	    reference(x.json, r->ref)) {
		r->outcome = CHANNEL_DONE;
	} else if (rc == II_OK && seen.outcome == CHANNEL_DONE) {
		r->outcome = CHANNEL_REJECTED;
		snprintf(r->detail, sizeof r->detail, "record %s holds another post", rkey);
	} else if (rc == II_OK && record_gone(&x)) {
		size_t n = strlen(r->detail);
		snprintf(r->detail + n, sizeof r->detail - n, " (record %s not made)", rkey);
	}
	xrpc_done(&x);
	return rc;
}

/* Refuses, before any request, a post Bluesky would not take. */
static ii_err too_long(const char *text, struct channel_result *r, struct ii_error *e)
{
	struct counter c;
	struct count_result n;
	counter_init(&c, COUNT_BLUESKY);
	ii_err rc = counter_measure(&c, text, strlen(text), &n, e);
	if (rc == II_OK && !n.valid) {
		r->outcome = CHANNEL_REJECTED;
		snprintf(r->detail, sizeof r->detail,
			 "%d graphemes as shown: Bluesky takes at most %d graphemes and %d bytes",
			 n.length, BSKY_MAX_GRAPHEMES, BSKY_MAX_BYTES);
	}
	return rc;
}

static ii_err post(void *ctx, const char *text, const char *reply_to, const char *key,
		   const char *language, struct channel_result *r, struct ii_error *e)
{
	struct bluesky *b = ctx;
	*r = (struct channel_result){.remaining = -1};
	ii_err rc = too_long(text, r, e);
	if (rc || r->outcome == CHANNEL_REJECTED)
		return rc;
	if (!bluesky_tid_valid(key)) {
		/* never a record key of its own making: it would not sort with the others */
		r->outcome = CHANNEL_REJECTED;
		snprintf(r->detail, sizeof r->detail, "the record key '%.64s' is not a TID", key);
		return II_OK;
	}
	char *display = NULL, *body = NULL;
	struct bsky_facets facets = {0};
	cJSON *reply = NULL;
	struct xrpc x = {0};
	if ((rc = bsky_shorten(text, strlen(text), &display, &facets, e)))
		goto done;
	if (reply_to && ((rc = reply_refs(b, reply_to, &reply, r, e)) || !reply))
		goto done;
	if ((rc = session(b, false, r, e)) || r->outcome != CHANNEL_DONE) {
		cJSON_Delete(reply);
		goto done;
	}
	if (!(body = create_body(b, key, display, &facets, language, reply))) {
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
		goto done;
	}
	if ((rc = call(b, "POST", "/xrpc/com.atproto.repo.createRecord", body, &x, r, e)))
		goto done;
	if (r->outcome == CHANNEL_DONE) {
		char points[32], *end;
		webapi_header(b->api, "ratelimit-remaining", points, sizeof points);
		long left = strtol(points, &end, 10);
		r->remaining = *points && !*end && left >= 0 && r->reset ? left / BLUESKY_CREATE_POINTS : -1;
		if (!reference(x.json, r->ref))
			r->outcome = CHANNEL_TRANSIENT; /* posted or not: settled below */
	}
	/* a refusal too: a PDS that names the error of an existing record (atproto pull request
	 * #4728) answers it with a 4xx */
	if (r->outcome == CHANNEL_TRANSIENT || r->outcome == CHANNEL_REJECTED)
		rc = settle(b, key, display, r, e);
done:
	xrpc_done(&x);
	free(body);
	free(display);
	bsky_facets_free(&facets);
	return rc;
}

static ii_err remove_post(void *ctx, const char *ref, struct channel_result *r, struct ii_error *e)
{
	struct bluesky *b = ctx;
	*r = (struct channel_result){.remaining = -1};
	char did[CHANNEL_REF_SIZE], rkey[CHANNEL_REF_SIZE];
	if (!bluesky_ref_parse(ref, NULL, NULL, did, rkey))
		return ii_fail(e, II_EDATA, _("'%s' is not a Bluesky post's reference"), ref);
	cJSON *o = cJSON_CreateObject();
	char *body = NULL;
	if (o && cJSON_AddStringToObject(o, "repo", did) &&
	    cJSON_AddStringToObject(o, "collection", COLLECTION) && cJSON_AddStringToObject(o, "rkey", rkey))
		body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!body)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	struct xrpc x = {0};
	ii_err rc = call(b, "POST", "/xrpc/com.atproto.repo.deleteRecord", body, &x, r, e);
	if (rc == II_OK && record_gone(&x))
		r->outcome = CHANNEL_DONE; /* gone already is what was asked */
	xrpc_done(&x);
	free(body);
	return rc;
}

static void pause_ms(void *ctx, long ms)
{
	(void)ctx;
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0)
		;
}

ii_err bluesky_open(const struct config_channel *channel, struct store *store,
		    struct bluesky **out, struct ii_error *e)
{
	*out = NULL;
	struct bluesky *b = calloc(1, sizeof *b);
	if (!b)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	b->store = store;
	b->channel = (struct publish_channel){
		.id = channel->id,
		.name = "Bluesky",
		.capabilities = CHANNEL_THREADS | CHANNEL_DELETE | CHANNEL_IDEMPOTENCY_KEY,
		.ctx = b, .post = post, .remove = remove_post, .choose_key = choose_key,
		.pause = pause_ms,
	};
	ii_err rc = webapi_open(channel->api_url, channel->ca_file, channel->timeout_ms,
				BLUESKY_BODY_CAP, &b->api, e);
	if (rc == II_OK)
		rc = cred_load_for(channel->credentials, CRED_BLUESKY, &b->cred, e);
	if (rc) {
		bluesky_close(b);
		return rc;
	}
	*out = b;
	return II_OK;
}

const struct publish_channel *bluesky_channel(struct bluesky *b)
{
	return &b->channel;
}

void bluesky_close(struct bluesky *b)
{
	if (!b)
		return;
	forget_session(b);
	webapi_close(b->api);
	cred_free(b->cred);
	free(b);
}
