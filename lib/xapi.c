#include "i18n.h"
#include "xapi.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <ctype.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "config.h"
#include "oauth1.h"
#include "printable.h"
#include "webapi.h"

#define RATE_WINDOW_S 900 /* X's rate-limit window, when a 429 comes without its reset */

struct xapi {
	CURL *easy;
	const struct cred *cred;
	char *base_url;
	char *shown_url; /* base_url with any password masked */
	char *ca_file;
	long timeout_ms, connect_timeout_ms;
	xapi_trace_fn trace;
	void *trace_user;
	struct webapi_capture answer;
	char errbuf[CURL_ERROR_SIZE];
};

const char *xapi_outcome_name(enum xapi_outcome outcome)
{
	switch (outcome) {
	case XAPI_OK: return "ok";
	case XAPI_BAD_REQUEST: return "bad request";
	case XAPI_UNAUTHORIZED: return "unauthorized";
	case XAPI_DUPLICATE: return "duplicate content";
	case XAPI_REPLY_GONE: return "reply target gone";
	case XAPI_REPLY_REFUSED: return "reply refused";
	case XAPI_FORBIDDEN: return "forbidden";
	case XAPI_NOT_FOUND: return "not found";
	case XAPI_RATE_LIMITED: return "rate limited";
	case XAPI_USAGE_CAP: return "usage cap exceeded";
	case XAPI_TRANSIENT: return "transient failure";
	}
	return "unknown";
}

bool xapi_valid_id(const char *text)
{
	size_t len = strspn(text, "0123456789");
	return len > 0 && len < XAPI_ID_SIZE - 4 && text[len] == '\0';
}

/* --- response headers ------------------------------------------------------------------ */

/* A header holding a non-negative decimal number; -1 when absent or malformed. */
static long long header_number(const char *headers, const char *name)
{
	char value[32];
	webapi_header_value(headers, name, value, sizeof value);
	if (!*value || value[strspn(value, "0123456789")] != '\0' || strlen(value) > 18)
		return -1;
	return strtoll(value, NULL, 10);
}

static struct xapi_limit read_limit(const char *headers, const char *prefix)
{
	char name[64];
	struct xapi_limit limit;
	snprintf(name, sizeof name, "%s-limit", prefix);
	limit.limit = (long)header_number(headers, name);
	snprintf(name, sizeof name, "%s-remaining", prefix);
	limit.remaining = (long)header_number(headers, name);
	snprintf(name, sizeof name, "%s-reset", prefix);
	limit.reset = (time_t)header_number(headers, name);
	return limit;
}

static void read_rate(const char *headers, struct xapi_rate *rate)
{
	rate->window = read_limit(headers, "x-rate-limit");
	rate->user_day = read_limit(headers, "x-user-limit-24hour");
	rate->app_day = read_limit(headers, "x-app-limit-24hour");
}

/* The latest reset among the exhausted limits, else the window's, else Retry-After,
 * else one window from now. */
static time_t rate_retry_at(const char *headers, const struct xapi_rate *rate, time_t now)
{
	const struct xapi_limit *limits[] = {&rate->window, &rate->user_day, &rate->app_day};
	time_t latest = 0;
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
		if (limits[i]->remaining == 0 && limits[i]->reset > latest)
			latest = limits[i]->reset;
	if (latest > 0)
		return latest;
	if (rate->window.reset > 0)
		return rate->window.reset;
	long long after = header_number(headers, "retry-after");
	return now + (after >= 0 ? (time_t)after : RATE_WINDOW_S);
}

/* --- response bodies ------------------------------------------------------------------- */

static const char *json_string(const cJSON *object, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static void copy_id(char out[XAPI_ID_SIZE], const char *id)
{
	out[0] = '\0';
	if (id && xapi_valid_id(id))
		snprintf(out, XAPI_ID_SIZE, "%s", id);
}

/* What the API said went wrong: a v2 problem (title, detail, type) and the first entry of
 * an "errors" array, v2 (title, detail, type) or legacy (code, message). */
struct problem {
	const char *title;
	const char *detail;
	const char *type;
	const char *message;
	long code;
};

static struct problem read_problem(const cJSON *root)
{
	struct problem p = {0};
	p.title = json_string(root, "title");
	p.detail = json_string(root, "detail");
	p.type = json_string(root, "type");
	const cJSON *errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
	const cJSON *first = cJSON_IsArray(errors) ? cJSON_GetArrayItem(errors, 0) : NULL;
	if (cJSON_IsObject(first)) {
		p.message = json_string(first, "message");
		if (!p.message)
			p.message = json_string(first, "detail");
		if (!p.title)
			p.title = json_string(first, "title");
		if (!p.type)
			p.type = json_string(first, "type");
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(first, "code");
		if (cJSON_IsNumber(code))
			p.code = (long)code->valuedouble;
	}
	return p;
}

static bool contains_nocase(const char *haystack, const char *needle)
{
	return haystack && strcasestr(haystack, needle);
}

static bool problem_is_duplicate(const struct problem *p)
{
	/* v2 says "duplicate content"; v1.1 gave code 187, "Status is a duplicate." */
	return p->code == 187 || contains_nocase(p->detail, "duplicate") ||
	       contains_nocase(p->message, "duplicate");
}

static bool problem_is_reply_gone(const struct problem *p)
{
	/* v2: "You attempted to reply to a Tweet that is deleted or not visible to you.";
	 * v1.1 gave it code 385 */
	return p->code == 385 || contains_nocase(p->detail, "deleted or not visible") ||
	       contains_nocase(p->message, "deleted or not visible");
}

static bool problem_is_reply_refused(const struct problem *p)
{
	/* Since 2026-02-23 self-serve apps may answer only a post whose author "summoned"
	 * them. X's docs, as read in December 2026, do not quote the answer; developers have
	 * reported the same 403 since that date (GitHub code and issues, e.g. a problem
	 * {"title":"Forbidden","detail":"Reply to this conversation is not allowed because you
	 * have not been mentioned or otherwise engaged by the author of the post you are
	 * replying to.","status":403}), and the news of it (odaily.news, 2026-02-24). v1.1
	 * said code 433, "The original Tweet author restricted who can reply to this Tweet.",
	 * of a post whose author limited its replies: the same for us, the account may post
	 * but not answer. Not "deleted or not visible" (problem_is_reply_gone): that post is
	 * there, answering it is what is refused. */
	return p->code == 433 || contains_nocase(p->detail, "reply to this conversation is not allowed") ||
	       contains_nocase(p->message, "reply to this conversation is not allowed");
}

static bool problem_is_usage_cap(const struct problem *p)
{
	return contains_nocase(p->type, "usage-capped") ||
	       (p->title && !strcmp(p->title, "UsageCapExceeded"));
}

static bool problem_is_not_found(const struct problem *p)
{
	return contains_nocase(p->type, "resource-not-found") || contains_nocase(p->title, "not found");
}

static void describe_problem(struct xapi_result *r, const struct problem *p)
{
	const char *main = p->detail ? p->detail : p->title;
	const char *more = p->message && (!main || strcmp(main, p->message)) ? p->message : NULL;
	if (main && more)
		snprintf(r->detail, sizeof r->detail, "HTTP %ld: %s (%s)", r->http_status, main, more);
	else if (main || more)
		snprintf(r->detail, sizeof r->detail, "HTTP %ld: %s", r->http_status, main ? main : more);
	else
		snprintf(r->detail, sizeof r->detail, "HTTP %ld", r->http_status);
	if (p->code)
		snprintf(r->detail + strlen(r->detail), sizeof r->detail - strlen(r->detail),
			 " [code %ld]", p->code);
	/* the server's words are printed, audited and stored: one line, nothing that acts on
	 * a terminal */
	printable_clean(r->detail);
}

static bool mutating(enum xapi_call call)
{
	return call == XAPI_CALL_POST || call == XAPI_CALL_DELETE;
}

static void unexpected_answer(struct xapi_result *r, enum xapi_call call, const char *what)
{
	r->outcome = XAPI_TRANSIENT;
	r->committed = mutating(call) ? XAPI_MAYBE_COMMITTED : XAPI_NOT_COMMITTED;
	snprintf(r->detail, sizeof r->detail, "HTTP %ld: unexpected answer: %s", r->http_status, what);
	printable_clean(r->detail);
}

/* X's "2026-11-28T10:42:00.000Z" (UTC, fraction optional) as Unix time; 0 otherwise. */
static time_t iso_time(const char *text)
{
	struct tm tm = {0};
	const char *rest = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!rest)
		return 0;
	if (*rest == '.')
		rest += 1 + strspn(rest + 1, "0123456789");
	if (strcmp(rest, "Z"))
		return 0;
	time_t t = timegm(&tm);
	return t > 0 ? t : 0;
}

static ii_err read_post(const cJSON *item, struct xapi_post *post, struct ii_error *e)
{
	copy_id(post->id, json_string(item, "id"));
	const char *created = json_string(item, "created_at");
	snprintf(post->created_at, sizeof post->created_at, "%s", created ? created : "");
	post->created = iso_time(post->created_at);
	const cJSON *refs = cJSON_GetObjectItemCaseSensitive(item, "referenced_tweets");
	const cJSON *ref;
	if (cJSON_IsArray(refs))
		cJSON_ArrayForEach(ref, refs) {
			const char *type = json_string(ref, "type");
			if (type && !strcmp(type, "replied_to"))
				copy_id(post->reply_to, json_string(ref, "id"));
		}
	const char *text = json_string(item, "text");
	if (!(post->text = strdup(text ? text : "")))
		return ii_fail(e, II_ENOMEM, _("out of memory reading the account's posts"));
	return II_OK;
}

static ii_err read_timeline(const cJSON *root, struct xapi_timeline *tl, struct ii_error *e)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "meta");
	const char *next = json_string(meta, "next_token");
	snprintf(tl->next_token, sizeof tl->next_token, "%s", next ? next : "");
	int n = cJSON_IsArray(data) ? cJSON_GetArraySize(data) : 0;
	if (n == 0)
		return II_OK;
	if (!(tl->posts = calloc((size_t)n, sizeof *tl->posts)))
		return ii_fail(e, II_ENOMEM, _("out of memory reading the account's posts"));
	const cJSON *item;
	cJSON_ArrayForEach(item, data) {
		if (!cJSON_IsObject(item))
			continue;
		ii_err rc = read_post(item, &tl->posts[tl->count], e);
		if (rc != II_OK)
			return rc;
		if (tl->posts[tl->count].id[0])
			tl->count++;
		else
			free(tl->posts[tl->count].text);
	}
	return II_OK;
}

/* A 2xx: what each call expects in "data". */
static ii_err read_success(enum xapi_call call, const cJSON *root, const struct problem *p,
			   struct xapi_result *r, struct xapi_timeline *tl, struct ii_error *e)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
	r->outcome = XAPI_OK;
	r->committed = XAPI_COMMITTED;
	switch (call) {
	case XAPI_CALL_POST:
	case XAPI_CALL_ME:
		copy_id(r->id, json_string(data, "id"));
		if (!r->id[0]) {
			unexpected_answer(r, call, "no id in 'data'");
			return II_OK;
		}
		if (call == XAPI_CALL_ME) {
			const char *username = json_string(data, "username");
			snprintf(r->username, sizeof r->username, "%s", username ? username : "");
		}
		return II_OK;
	case XAPI_CALL_TIMELINE:
		if (!data && problem_is_not_found(p)) {
			r->outcome = XAPI_NOT_FOUND;
			describe_problem(r, p);
			return II_OK;
		}
		return tl ? read_timeline(root, tl, e) : II_OK;
	case XAPI_CALL_DELETE: {
		const cJSON *deleted = cJSON_GetObjectItemCaseSensitive(data, "deleted");
		if (!cJSON_IsBool(deleted))
			unexpected_answer(r, call, "no 'deleted' in 'data'");
		else
			r->deleted = cJSON_IsTrue(deleted);
		return II_OK;
	}
	}
	return II_OK;
}

static void classify_failure(enum xapi_call call, const struct problem *p, const char *headers,
			     time_t now, struct xapi_result *r)
{
	long s = r->http_status;
	r->committed = XAPI_NOT_COMMITTED;
	describe_problem(r, p);
	if (problem_is_usage_cap(p) && (s == 429 || s == 403)) {
		r->outcome = XAPI_USAGE_CAP;
		r->retry_at = now + XAPI_USAGE_CAP_RETRY_S;
	} else if (s == 429) {
		r->outcome = XAPI_RATE_LIMITED;
		r->retry_at = rate_retry_at(headers, &r->rate, now);
	} else if (s == 401) {
		r->outcome = XAPI_UNAUTHORIZED;
	} else if (s == 403) {
		r->outcome = problem_is_duplicate(p)	   ? XAPI_DUPLICATE
			     : problem_is_reply_gone(p)	   ? XAPI_REPLY_GONE
			     : problem_is_reply_refused(p) ? XAPI_REPLY_REFUSED
							   : XAPI_FORBIDDEN;
	} else if (s == 404) {
		r->outcome = XAPI_NOT_FOUND;
	} else if (s == 408) {
		r->outcome = XAPI_TRANSIENT;
	} else if (s >= 400 && s < 500) {
		r->outcome = XAPI_BAD_REQUEST;
	} else {
		/* 5xx, or a status we never asked for: the server may have acted first */
		r->outcome = XAPI_TRANSIENT;
		r->committed = mutating(call) ? XAPI_MAYBE_COMMITTED : XAPI_NOT_COMMITTED;
	}
}

ii_err xapi_parse_response(enum xapi_call call, long http_status, const char *headers,
			   const char *body, size_t body_len, time_t now,
			   struct xapi_result *result, struct xapi_timeline *timeline,
			   struct ii_error *e)
{
	memset(result, 0, sizeof *result);
	if (timeline)
		*timeline = (struct xapi_timeline){0};
	result->http_status = http_status;
	read_rate(headers ? headers : "", &result->rate);

	cJSON *root = body_len ? cJSON_ParseWithLength(body, body_len) : NULL;
	const cJSON *object = cJSON_IsObject(root) ? root : NULL;
	struct problem p = read_problem(object);
	ii_err rc = II_OK;
	if (http_status >= 200 && http_status < 300) {
		if (object)
			rc = read_success(call, object, &p, result, timeline, e);
		else
			unexpected_answer(result, call, body_len ? "not a JSON object" : "empty body");
	} else {
		classify_failure(call, &p, headers ? headers : "", now, result);
	}
	cJSON_Delete(root);
	if (rc != II_OK && timeline)
		xapi_timeline_free(timeline);
	return rc;
}

void xapi_timeline_free(struct xapi_timeline *timeline)
{
	for (size_t i = 0; i < timeline->count; i++)
		free(timeline->posts[i].text);
	free(timeline->posts);
	*timeline = (struct xapi_timeline){0};
}

/* --- comparing texts ------------------------------------------------------------------- */

static const char TCO[] = "https://t.co/";

/* Undoes X's escaping of '&', '<' and '>' in place; "&amp;lt;" stays "&lt;". */
static void unescape_html(char *s)
{
	static const struct { const char *entity; char c; } entities[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'},
	};
	char *out = s;
	while (*s) {
		size_t i = 0;
		while (i < 3 && strncmp(s, entities[i].entity, strlen(entities[i].entity)))
			i++;
		if (i < 3) {
			*out++ = entities[i].c;
			s += strlen(entities[i].entity);
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

static char *nfc_trimmed(const char *text)
{
	char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)text);
	if (!nfc)
		return NULL;
	char *start = nfc + strspn(nfc, " \t\r\n");
	size_t len = strlen(start);
	while (len > 0 && strchr(" \t\r\n", start[len - 1]))
		len--;
	memmove(nfc, start, len);
	nfc[len] = '\0';
	return nfc;
}

/* Length of the t.co link at s, 0 when there is none. */
static size_t tco_link(const char *s)
{
	if (strncmp(s, TCO, sizeof TCO - 1))
		return 0;
	size_t code = 0;
	while (isalnum((unsigned char)s[sizeof TCO - 1 + code]))
		code++;
	return code ? sizeof TCO - 1 + code : 0;
}

/*
 * local against remote, where each t.co link in remote stands for one URL of local: a run
 * without spaces holding a dot with something on both sides (every URL twitter-text finds
 * has a domain), so that a plain word never passes for a link. reach[i] says local[0..i) has matched the part of remote seen so far; every position
 * is followed at once, so no backtracking.
 */
static bool match_links(const char *local, const char *remote)
{
	size_t n = strlen(local);
	bool *reach = calloc(n + 1, sizeof *reach), *next = calloc(n + 1, sizeof *next);
	bool matched = false;
	if (!reach || !next)
		goto done;
	reach[0] = true;
	while (*remote) {
		size_t link = tco_link(remote);
		size_t literal = 0;
		if (!link)
			while (remote[literal] && !tco_link(remote + literal))
				literal++;
		memset(next, 0, n + 1);
		bool any = false;
		for (size_t i = 0; i <= n; i++) {
			if (!reach[i])
				continue;
			if (literal) {
				if (i + literal <= n && !memcmp(local + i, remote, literal))
					any = next[i + literal] = true;
			} else {
				size_t dot = 0; /* the first dot after the run's first byte */
				for (size_t j = i; j < n && !isspace((unsigned char)local[j]); j++) {
					if (local[j] == '.' && !dot && j > i)
						dot = j;
					if (dot && j > dot)
						any = next[j + 1] = true;
				}
				/* a URL X left as it was also matches literally */
				if (i + link <= n && !memcmp(local + i, remote, link))
					any = next[i + link] = true;
			}
		}
		if (!any)
			goto done;
		bool *swap = reach;
		reach = next;
		next = swap;
		remote += link ? link : literal;
	}
	matched = reach[n];
done:
	free(reach);
	free(next);
	return matched;
}

bool xapi_text_matches(const char *local, const char *remote)
{
	char *a = nfc_trimmed(local);
	char *b = remote ? strdup(remote) : NULL;
	bool matched = false;
	if (a && b) {
		unescape_html(b);
		char *nb = nfc_trimmed(b);
		matched = nb && (!strcmp(a, nb) || match_links(a, nb));
		free(nb);
	}
	free(a);
	free(b);
	return matched;
}

/* --- the client ------------------------------------------------------------------------ */

static void trace_lines(struct xapi *api, enum xapi_trace_kind kind, const char *data, size_t len)
{
	static const char redacted[] = "Authorization: [redacted]";
	const char *end = data + len;
	while (data < end) {
		const char *eol = memchr(data, '\n', (size_t)(end - data));
		size_t line = (size_t)((eol ? eol : end) - data);
		size_t shown = line > 0 && data[line - 1] == '\r' ? line - 1 : line;
		if (shown > 0) {
			if (kind == XAPI_TRACE_HEADER_OUT && shown >= 14 && !strncasecmp(data, "authorization:", 14))
				api->trace(kind, redacted, sizeof redacted - 1, api->trace_user);
			else
				api->trace(kind, data, shown, api->trace_user);
		}
		data += line + (eol != NULL);
	}
}

static int on_debug(CURL *easy, curl_infotype type, char *data, size_t len, void *user)
{
	(void)easy;
	struct xapi *api = user;
	switch (type) {
	case CURLINFO_TEXT: trace_lines(api, XAPI_TRACE_INFO, data, len); break;
	case CURLINFO_HEADER_OUT: trace_lines(api, XAPI_TRACE_HEADER_OUT, data, len); break;
	case CURLINFO_HEADER_IN: trace_lines(api, XAPI_TRACE_HEADER_IN, data, len); break;
	case CURLINFO_DATA_OUT: api->trace(XAPI_TRACE_BODY_OUT, data, len, api->trace_user); break;
	case CURLINFO_DATA_IN: api->trace(XAPI_TRACE_BODY_IN, data, len, api->trace_user); break;
	default: break; /* TLS records */
	}
	return 0;
}

ii_err xapi_new(const struct xapi_options *options, const struct cred *cred,
		struct xapi **out, struct ii_error *e)
{
	const char *url = options->base_url ? options->base_url : XAPI_DEFAULT_URL;
	char why[128];
	*out = NULL;
	if (!config_url_ok(url, why, sizeof why)) {
		char *shown = config_mask_url(url);
		ii_err rc = ii_fail(e, II_ECONFIG, _("invalid X API URL '%s': %s"), shown ? shown : "", why);
		free(shown);
		return rc;
	}
	struct xapi *api = calloc(1, sizeof *api);
	if (!api)
		return ii_fail(e, II_ENOMEM, _("out of memory setting up the X API client"));
	api->cred = cred;
	api->base_url = strdup(url);
	api->shown_url = config_mask_url(url);
	api->ca_file = options->ca_file ? strdup(options->ca_file) : NULL;
	api->timeout_ms = options->timeout_ms > 0 ? options->timeout_ms : 30000;
	api->connect_timeout_ms = options->connect_timeout_ms > 0 ? options->connect_timeout_ms : 10000;
	api->trace = options->trace;
	api->trace_user = options->trace_user;
	if (!webapi_capture_init(&api->answer, XAPI_BODY_CAP) || !api->base_url || !api->shown_url ||
	    (options->ca_file && !api->ca_file)) {
		xapi_free(api);
		return ii_fail(e, II_ENOMEM, _("out of memory setting up the X API client"));
	}
	size_t len = strlen(api->base_url);
	while (len > 0 && api->base_url[len - 1] == '/')
		api->base_url[--len] = '\0';
	if (!(api->easy = curl_easy_init())) {
		xapi_free(api);
		return ii_fail(e, II_EINTERNAL, _("cannot set up libcurl"));
	}
	*out = api;
	return II_OK;
}

void xapi_free(struct xapi *api)
{
	if (!api)
		return;
	if (api->easy)
		curl_easy_cleanup(api->easy);
	free(api->base_url);
	free(api->shown_url);
	free(api->ca_file);
	webapi_capture_free(&api->answer);
	free(api);
}

/* "Authorization: ..." for this request; the caller wipes and frees it. */
static ii_err authorization(struct xapi *api, const char *method, const char *url, char **out,
			    struct ii_error *e)
{
	const struct oauth1_keys *keys = cred_oauth1(api->cred);
	char *value = NULL;
	*out = NULL;
	if (keys) {
		ii_err rc = oauth1_authorization(method, url, NULL, 0, keys, NULL, NULL, &value, e);
		if (rc != II_OK)
			return rc;
		if (asprintf(out, "Authorization: %s", value) < 0)
			*out = NULL;
		free(value);
	} else if (asprintf(out, "Authorization: Bearer %s", cred_bearer(api->cred)) < 0) {
		*out = NULL;
	}
	return *out ? II_OK : ii_fail(e, II_ENOMEM, _("out of memory signing a request"));
}

static void wipe_free(char *s)
{
	if (s)
		OPENSSL_cleanse(s, strlen(s));
	free(s);
}

static bool setopts(struct xapi *api, const char *method, const char *url, const char *json,
		    struct curl_slist *headers)
{
	CURL *c = api->easy;
	bool ok = curl_easy_setopt(c, CURLOPT_URL, url) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, api->timeout_ms) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, api->connect_timeout_ms) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_USERAGENT, "incluinfo/" INCLUINFO_VERSION) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers) == CURLE_OK &&
		webapi_capture_attach(&api->answer, c) &&
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, api->errbuf) == CURLE_OK;
	if (ok && api->ca_file)
		ok = curl_easy_setopt(c, CURLOPT_CAINFO, api->ca_file) == CURLE_OK;
	if (ok && json)
		ok = curl_easy_setopt(c, CURLOPT_POSTFIELDS, json) == CURLE_OK &&
		     curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(json)) == CURLE_OK;
	if (ok && strcmp(method, "GET") && strcmp(method, "POST"))
		ok = curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method) == CURLE_OK;
	if (ok && api->trace)
		ok = curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug) == CURLE_OK &&
		     curl_easy_setopt(c, CURLOPT_DEBUGDATA, api) == CURLE_OK &&
		     curl_easy_setopt(c, CURLOPT_VERBOSE, 1L) == CURLE_OK;
	return ok;
}

/* No usable answer arrived: whether the server may have acted depends on whether the
 * request left. */
static void transport_failure(struct xapi *api, enum xapi_call call, CURLcode code,
			      struct xapi_result *r)
{
	long sent = 0;
	curl_easy_getinfo(api->easy, CURLINFO_REQUEST_SIZE, &sent);
	r->outcome = XAPI_TRANSIENT;
	r->committed = sent > 0 && mutating(call) ? XAPI_MAYBE_COMMITTED : XAPI_NOT_COMMITTED;
	const char *why = api->answer.body.cut ? "answer larger than 1 MiB"
			  : api->errbuf[0]    ? api->errbuf
					      : curl_easy_strerror(code);
	snprintf(r->detail, sizeof r->detail, "%s X API at '%s': %s",
		 sent > 0 ? "no complete answer from the" : "cannot reach the", api->shown_url, why);
}

static ii_err perform(struct xapi *api, enum xapi_call call, const char *method, const char *path,
		      const char *json, struct xapi_result *result, struct xapi_timeline *timeline,
		      struct ii_error *e)
{
	char *url = NULL, *auth = NULL;
	struct curl_slist *headers = NULL;
	ii_err rc = II_OK;

	memset(result, 0, sizeof *result);
	if (timeline)
		*timeline = (struct xapi_timeline){0};
	if (asprintf(&url, "%s%s", api->base_url, path) < 0)
		return ii_fail(e, II_ENOMEM, _("out of memory building a request"));
	if ((rc = authorization(api, method, url, &auth, e)) != II_OK) {
		free(url);
		return rc;
	}
	const char *fixed[] = {"Accept: application/json", "Expect:",
			       json ? "Content-Type: application/json" : NULL};
	for (size_t i = 0; i < 3 && rc == II_OK; i++) {
		struct curl_slist *grown = fixed[i] ? curl_slist_append(headers, fixed[i]) : headers;
		if (!grown)
			rc = ii_fail(e, II_ENOMEM, _("out of memory building a request"));
		else
			headers = grown;
	}
	struct curl_slist *with_auth = rc == II_OK ? curl_slist_append(headers, auth) : NULL;
	if (rc == II_OK && !with_auth)
		rc = ii_fail(e, II_ENOMEM, _("out of memory building a request"));
	headers = with_auth ? with_auth : headers;

	curl_easy_reset(api->easy); /* keeps the connection, forgets the last request's options */
	api->errbuf[0] = '\0';
	if (rc == II_OK && !setopts(api, method, url, json, headers))
		rc = ii_fail(e, II_EINTERNAL, _("cannot set up a libcurl request"));
	if (rc == II_OK) {
		CURLcode code = curl_easy_perform(api->easy);
		long status = 0;
		curl_easy_getinfo(api->easy, CURLINFO_RESPONSE_CODE, &status);
		if (code == CURLE_OK) {
			rc = xapi_parse_response(call, status, api->answer.headers.data,
						 api->answer.body.data, api->answer.body.len, time(NULL), result,
						 timeline, e);
			/* X's words are quoted in messages and rows: a proxy in front of the API
			 * may have quoted the request, its bearer token with it */
			cred_redact(api->cred, NULL, result->detail);
		} else {
			read_rate(api->answer.headers.data, &result->rate);
			result->http_status = status;
			transport_failure(api, call, code, result);
		}
	}
	/* the list holds the Authorization line: a bearer token is a secret */
	for (struct curl_slist *h = headers; h; h = h->next)
		OPENSSL_cleanse(h->data, strlen(h->data));
	curl_slist_free_all(headers);
	curl_easy_setopt(api->easy, CURLOPT_HTTPHEADER, NULL);
	wipe_free(auth);
	free(url);
	return rc;
}

static char *post_body(const char *text, const char *reply_to)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *reply = NULL;
	char *json = NULL;
	if (root && cJSON_AddStringToObject(root, "text", text) &&
	    (!reply_to || ((reply = cJSON_AddObjectToObject(root, "reply")) &&
			   cJSON_AddStringToObject(reply, "in_reply_to_tweet_id", reply_to))))
		json = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return json;
}

ii_err xapi_post(struct xapi *api, const char *text, const char *reply_to,
		 struct xapi_result *result, struct ii_error *e)
{
	if (reply_to && !xapi_valid_id(reply_to))
		return ii_fail(e, II_EDATA, _("invalid post id '%.40s' to reply to"), reply_to);
	char *json = post_body(text, reply_to);
	if (!json)
		return ii_fail(e, II_ENOMEM, _("out of memory building a post"));
	ii_err rc = perform(api, XAPI_CALL_POST, "POST", "/2/tweets", json, result, NULL, e);
	cJSON_free(json);
	return rc;
}

ii_err xapi_me(struct xapi *api, struct xapi_result *result, struct ii_error *e)
{
	return perform(api, XAPI_CALL_ME, "GET", "/2/users/me", NULL, result, NULL, e);
}

ii_err xapi_user_posts(struct xapi *api, const char *user_id, int max_results,
		       const char *pagination_token, struct xapi_timeline *timeline,
		       struct xapi_result *result, struct ii_error *e)
{
	*timeline = (struct xapi_timeline){0};
	if (!xapi_valid_id(user_id))
		return ii_fail(e, II_EDATA, _("invalid user id '%.40s'"), user_id);
	if (max_results < 5 || max_results > 100)
		return ii_fail(e, II_EDATA, _("invalid max_results %d: X accepts 5 to 100"), max_results);
	char *token = pagination_token ? oauth1_encode(pagination_token, strlen(pagination_token)) : NULL;
	char *path = NULL;
	if ((pagination_token && !token) ||
	    asprintf(&path, "/2/users/%s/tweets?max_results=%d&tweet.fields=referenced_tweets%%2Ccreated_at%s%s",
		     user_id, max_results, token ? "&pagination_token=" : "", token ? token : "") < 0) {
		free(token);
		return ii_fail(e, II_ENOMEM, _("out of memory building a request"));
	}
	free(token);
	ii_err rc = perform(api, XAPI_CALL_TIMELINE, "GET", path, NULL, result, timeline, e);
	free(path);
	return rc;
}

ii_err xapi_delete(struct xapi *api, const char *post_id, struct xapi_result *result,
		   struct ii_error *e)
{
	if (!xapi_valid_id(post_id))
		return ii_fail(e, II_EDATA, _("invalid post id '%.40s' to delete"), post_id);
	char path[64];
	snprintf(path, sizeof path, "/2/tweets/%s", post_id);
	return perform(api, XAPI_CALL_DELETE, "DELETE", path, NULL, result, NULL, e);
}
