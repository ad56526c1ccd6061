#include "i18n.h"
#include "mastodon.h"

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "cred.h"
#include "printable.h"
#include "webapi.h"

#define ACCOUNT_ID_SIZE 64

/* The instance's limits in the channel's state (store_channel_*), each a decimal number
 * but the problem */
#define KEY_MAX_CHARACTERS "max_characters"
#define KEY_URL_LENGTH "characters_reserved_per_url"
#define KEY_READ_AT "limits_read_at"
#define KEY_CHECKED_AT "limits_checked_at"
#define KEY_PROBLEM "limits_problem"

struct mastodon {
	struct publish_channel channel;
	struct cred *cred;
	struct webapi *api;
	const char *answer; /* the last answer's body (webapi's), "" when none came */
	char *visibility;
	char *authorization; /* "Authorization: Bearer …", wiped on close */
	char account[ACCOUNT_ID_SIZE]; /* asked for once, when reconciliation needs it */
	struct counter counter; /* the instance's limits (mastodon_refresh_limits()) */
};

/* ---- texts ---- */

void mastodon_idempotency_key(const char *channel, const char *key, const char *text, char *out,
			      size_t size)
{
	unsigned char digest[SHA256_DIGEST_LENGTH];
	SHA256((const unsigned char *)text, strlen(text), digest);
	char hex[17];
	for (size_t i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	snprintf(out, size, "incluinfo-%s-%s-%s", channel, key, hex);
}

/* The entities Mastodon's HTML holds: the five of XML, numeric ones (as UTF-8). */
static size_t entity(const char *s, char out[5])
{
	static const struct { const char *name; const char *text; } named[] = {
		{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"},
	};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (!strncmp(s, named[i].name, strlen(named[i].name))) {
			strcpy(out, named[i].text);
			return strlen(named[i].name);
		}
	if (s[1] != '#')
		return 0;
	char *end;
	bool hex = s[2] == 'x' || s[2] == 'X';
	long code = strtol(s + (hex ? 3 : 2), &end, hex ? 16 : 10);
	if (*end != ';' || code <= 0 || !utf8proc_codepoint_valid((utf8proc_int32_t)code))
		return 0;
	out[utf8proc_encode_char((utf8proc_int32_t)code, (utf8proc_uint8_t *)out)] = '\0';
	return (size_t)(end + 1 - s);
}

/* The visible text of html: a tag is dropped, a paragraph's end or a <br> is white space
 * (which only separates: compare() takes any run as one space). */
static char *html_text(const char *html)
{
	char *out = malloc(strlen(html) + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *s = html; *s;) {
		char decoded[5];
		size_t n;
		if (*s == '<') {
			const char *end = strchr(s, '>');
			if (!end)
				break;
			if (!strncasecmp(s, "<br", 3) || !strncasecmp(s, "</p", 3))
				*o++ = ' ';
			s = end + 1;
		} else if (*s == '&' && (n = entity(s, decoded))) {
			o = stpcpy(o, decoded); /* never longer than the entity */
			s += n;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/* text in NFC, every run of white space one space, none at either end; NULL when it is
 * not valid UTF-8 or memory runs out. */
static char *normalized(const char *text)
{
	char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)text);
	if (!nfc)
		return NULL;
	char *o = nfc;
	for (const char *s = nfc; *s;) {
		if (strchr(" \t\r\n", *s)) {
			s += strspn(s, " \t\r\n");
			if (o != nfc && *s)
				*o++ = ' ';
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return nfc;
}

bool mastodon_text_matches(const char *text, const char *html)
{
	char *visible = html_text(html);
	char *a = normalized(text), *b = visible ? normalized(visible) : NULL;
	bool same = a && b && !strcmp(a, b);
	free(visible);
	free(a);
	free(b);
	return same;
}

time_t mastodon_parse_time(const char *iso)
{
	struct tm tm = {0};
	const char *rest = iso ? strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	if (!rest)
		return 0;
	if (*rest == '.')
		rest += 1 + strspn(rest + 1, "0123456789");
	long offset = 0;
	int hours, minutes;
	if ((*rest == '+' || *rest == '-') && sscanf(rest + 1, "%2d:%2d", &hours, &minutes) == 2 &&
	    strlen(rest) == 6)
		offset = (*rest == '-' ? -1 : 1) * (hours * 3600L + minutes * 60L);
	else if (strcmp(rest, "Z"))
		return 0;
	time_t t = timegm(&tm) - offset;
	return t > 0 ? t : 0;
}

/* ---- the client ---- */

/* What every answer says of the budget: X-RateLimit-Remaining and -Reset. */
static void read_rate(const struct mastodon *m, struct channel_result *r)
{
	char remaining[32], reset[64];
	webapi_header(m->api, "X-RateLimit-Remaining", remaining, sizeof remaining);
	webapi_header(m->api, "X-RateLimit-Reset", reset, sizeof reset);
	char *end;
	long n = strtol(remaining, &end, 10);
	r->remaining = *remaining && !*end && n >= 0 ? n : -1;
	r->reset = mastodon_parse_time(reset);
	if (r->remaining >= 0 && !r->reset)
		r->remaining = -1; /* a budget without its reset would hold back for ever */
}

/* The request method path with body (JSON, may be NULL) and key (Idempotency-Key, may be
 * NULL), with the token unless public; *status receives the HTTP status, 0 when no answer
 * came (r says why). */
static ii_err request(struct mastodon *m, const char *method, const char *path, const char *body,
		      const char *key, bool public, long *status, struct channel_result *r,
		      struct ii_error *e)
{
	char idempotency[256];
	const char *headers[4] = {public ? "Accept: application/json" : m->authorization};
	size_t n = 1;
	if (body)
		headers[n++] = "Content-Type: application/json";
	if (key) {
		snprintf(idempotency, sizeof idempotency, "Idempotency-Key: %s", key);
		headers[n++] = idempotency;
	}
	struct webapi_answer a;
	ii_err rc = webapi_request(m->api, m->channel.name, method, path, headers, body, &a, e);
	m->answer = a.body;
	*status = a.status;
	memset(r, 0, sizeof *r);
	r->remaining = -1;
	if (rc == II_OK && a.status) {
		read_rate(m, r);
	} else if (rc == II_OK) {
		r->outcome = CHANNEL_TRANSIENT;
		snprintf(r->detail, sizeof r->detail, "%s", a.failure);
	}
	return rc;
}

/* Mastodon's explanation of a refusal: the answer's "error", else its start. A proxy's or
 * a debugging server's error page may quote the request, its token with it: redacted. */
static void describe(const struct mastodon *m, long status, struct channel_result *r)
{
	cJSON *root = cJSON_Parse(m->answer);
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");
	snprintf(r->detail, sizeof r->detail, "HTTP %ld: %.400s", status,
		 cJSON_IsString(error) ? error->valuestring : m->answer);
	cred_redact(m->cred, NULL, r->detail);
	printable_clean(r->detail);
	cJSON_Delete(root);
}

/* An answer of status as an outcome; gone is the outcome of a 404. */
static void classify(const struct mastodon *m, long status, enum channel_outcome gone,
		     struct channel_result *r)
{
	if (!status)
		return; /* request() said why */
	if (status >= 200 && status < 300) {
		r->outcome = CHANNEL_DONE;
		return;
	}
	describe(m, status, r);
	if (status == 401)
		r->outcome = CHANNEL_UNAUTHORIZED;
	else if (status == 404)
		r->outcome = gone;
	else if (status == 429) {
		r->outcome = CHANNEL_RATE_LIMITED;
		r->retry_at = r->reset;
	} else if (status == 408 || status >= 500)
		r->outcome = CHANNEL_TRANSIENT;
	else
		r->outcome = CHANNEL_REJECTED; /* 403, 422: the text or the account, for good */
}

static ii_err post(void *ctx, const char *text, const char *reply_to, const char *key,
		   const char *language, struct channel_result *r, struct ii_error *e)
{
	struct mastodon *m = ctx;
	struct count_result length;
	ii_err rc = counter_measure(&m->counter, text, strlen(text), &length, e);
	if (rc)
		return rc;
	if (!length.valid) {
		/* the instance would refuse it: a post cut for a longer limit, or by hand */
		memset(r, 0, sizeof *r);
		r->remaining = -1;
		r->outcome = CHANNEL_REJECTED;
		snprintf(r->detail, sizeof r->detail,
			 _("the post is %d characters long as Mastodon counts them, and the instance "
			   "takes at most %d"),
			 length.length, m->counter.limit);
		return II_OK;
	}
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "status", text) ||
	    !cJSON_AddStringToObject(o, "visibility", m->visibility) ||
	    !cJSON_AddStringToObject(o, "language", language) ||
	    (reply_to && !cJSON_AddStringToObject(o, "in_reply_to_id", reply_to))) {
		cJSON_Delete(o);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	char *body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!body)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	char idempotency[192];
	mastodon_idempotency_key(m->channel.id, key, text, idempotency, sizeof idempotency);
	long status;
	rc = request(m, "POST", "/api/v1/statuses", body, idempotency, false, &status, r, e);
	free(body);
	if (rc)
		return rc;
	/* a reply to a status deleted there: "Record not found", nothing posted */
	classify(m, status, reply_to ? CHANNEL_REPLY_GONE : CHANNEL_REJECTED, r);
	if (r->outcome != CHANNEL_DONE)
		return II_OK;
	cJSON *root = cJSON_Parse(m->answer);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
	if (cJSON_IsString(id) && *id->valuestring && strlen(id->valuestring) < sizeof r->ref) {
		snprintf(r->ref, sizeof r->ref, "%s", id->valuestring);
	} else {
		/* posted or not, nobody can tell from this: reconciliation will */
		r->outcome = CHANNEL_TRANSIENT;
		snprintf(r->detail, sizeof r->detail, "HTTP %ld: an answer without the status's id", status);
	}
	cJSON_Delete(root);
	return II_OK;
}

static ii_err read_failure(const struct channel_result *r, const char *doing, struct ii_error *e)
{
	return ii_fail(e, II_EREMOTE, _("cannot %s: %s"), _(doing), r->detail);
}

/* The account's id, asked for once. */
static ii_err account(struct mastodon *m, struct ii_error *e)
{
	if (*m->account)
		return II_OK;
	struct channel_result r;
	long status;
	ii_err rc = request(m, "GET", "/api/v1/accounts/verify_credentials", NULL, NULL, false, &status, &r, e);
	if (rc)
		return rc;
	classify(m, status, CHANNEL_REJECTED, &r);
	if (r.outcome != CHANNEL_DONE)
		return read_failure(&r, N_("read the account"), e);
	cJSON *root = cJSON_Parse(m->answer);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
	if (cJSON_IsString(id) && *id->valuestring && strlen(id->valuestring) < sizeof m->account &&
	    strspn(id->valuestring, "0123456789") == strlen(id->valuestring))
		snprintf(m->account, sizeof m->account, "%s", id->valuestring);
	else
		rc = ii_fail(e, II_EREMOTE, _("cannot read the account: %s gave no account id"),
			     m->channel.name);
	cJSON_Delete(root);
	return rc;
}

static ii_err find(void *ctx, const char *text, const char *reply_to,
		   struct channel_found found[], size_t *count, struct ii_error *e)
{
	struct mastodon *m = ctx;
	*count = 0;
	ii_err rc = account(m, e);
	if (rc)
		return rc;
	char path[128];
	snprintf(path, sizeof path, "/api/v1/accounts/%s/statuses?limit=%d&exclude_reblogs=true",
		 m->account, MASTODON_RECENT);
	struct channel_result r;
	long status;
	if ((rc = request(m, "GET", path, NULL, NULL, false, &status, &r, e)))
		return rc;
	classify(m, status, CHANNEL_REJECTED, &r);
	if (r.outcome != CHANNEL_DONE)
		return read_failure(&r, N_("read the account's recent posts"), e);
	cJSON *root = cJSON_Parse(m->answer);
	if (!cJSON_IsArray(root))
		rc = ii_fail(e, II_EREMOTE, _("cannot read the account's recent posts: %s sent no list"),
			     m->channel.name);
	const cJSON *item, *statuses = rc ? NULL : root;
	cJSON_ArrayForEach(item, statuses) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
		const cJSON *content = cJSON_GetObjectItemCaseSensitive(item, "content");
		const cJSON *answers = cJSON_GetObjectItemCaseSensitive(item, "in_reply_to_id");
		const cJSON *created = cJSON_GetObjectItemCaseSensitive(item, "created_at");
		const char *answered = cJSON_IsString(answers) ? answers->valuestring : "";
		if (*count >= CHANNEL_FIND_MAX || !cJSON_IsString(id) || !cJSON_IsString(content) ||
		    strlen(id->valuestring) >= CHANNEL_REF_SIZE || strcmp(answered, reply_to ? reply_to : "") ||
		    !mastodon_text_matches(text, content->valuestring))
			continue;
		snprintf(found[*count].ref, CHANNEL_REF_SIZE, "%s", id->valuestring);
		found[(*count)++].created_at =
			cJSON_IsString(created) ? mastodon_parse_time(created->valuestring) : 0;
	}
	cJSON_Delete(root);
	return rc;
}

static ii_err remove_post(void *ctx, const char *ref, struct channel_result *r, struct ii_error *e)
{
	struct mastodon *m = ctx;
	char path[CHANNEL_REF_SIZE + 32];
	if (!*ref || strspn(ref, "0123456789") != strlen(ref))
		return ii_fail(e, II_EDATA, _("'%s' is not a Mastodon status id"), ref);
	snprintf(path, sizeof path, "/api/v1/statuses/%s", ref);
	long status;
	ii_err rc = request(m, "DELETE", path, NULL, NULL, false, &status, r, e);
	if (rc == II_OK)
		classify(m, status, CHANNEL_DONE, r); /* gone already is what was asked */
	return rc;
}

/* ---- the instance's limits ---- */

static ii_err get_number(struct store *s, const char *channel, const char *name, long long *out,
			 struct ii_error *e)
{
	char value[32];
	ii_err rc = store_channel_get(s, channel, name, value, sizeof value, e);
	if (rc == II_OK && *value)
		*out = strtoll(value, NULL, 10);
	return rc;
}

static ii_err put_number(struct store *s, const char *channel, const char *name, long long value,
			 struct ii_error *e)
{
	char text[32];
	snprintf(text, sizeof text, "%lld", value);
	return store_channel_put(s, channel, name, text, e);
}

ii_err mastodon_limits(struct store *store, const char *channel, struct mastodon_limits *out,
		       struct ii_error *e)
{
	struct counter defaults;
	counter_init(&defaults, COUNT_MASTODON);
	*out = (struct mastodon_limits){.max_characters = defaults.limit,
					.url_length = defaults.url_length};
	if (!store)
		return II_OK;
	long long max = out->max_characters, url = out->url_length, read = 0, checked = 0;
	ii_err rc = get_number(store, channel, KEY_MAX_CHARACTERS, &max, e);
	if (rc == II_OK)
		rc = get_number(store, channel, KEY_URL_LENGTH, &url, e);
	if (rc == II_OK)
		rc = get_number(store, channel, KEY_READ_AT, &read, e);
	if (rc == II_OK)
		rc = get_number(store, channel, KEY_CHECKED_AT, &checked, e);
	if (rc == II_OK)
		rc = store_channel_get(store, channel, KEY_PROBLEM, out->problem, sizeof out->problem, e);
	/* stored by mastodon_refresh_limits() within the bounds; a row edited by hand is not
	 * trusted either */
	if (rc == II_OK && max >= MASTODON_MIN_CHARACTERS && max <= MASTODON_MAX_CHARACTERS &&
	    url >= 1 && url <= MASTODON_MAX_URL_LENGTH) {
		out->max_characters = (int)max;
		out->url_length = (int)url;
		out->read_at = (time_t)read;
	}
	out->checked_at = (time_t)checked;
	return rc;
}

ii_err mastodon_counter(struct store *store, const char *channel, struct counter *out,
			struct ii_error *e)
{
	struct mastodon_limits limits;
	counter_init(out, COUNT_MASTODON);
	ii_err rc = mastodon_limits(store, channel, &limits, e);
	out->limit = limits.max_characters;
	out->url_length = limits.url_length;
	return rc;
}

/* configuration.statuses's number name of root, when it is a whole number from low to
 * high; otherwise problem says why. */
static bool instance_number(const cJSON *root, const char *name, long low, long high, long *out,
			    char *problem, size_t size)
{
	const cJSON *statuses = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "configuration"), "statuses");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(statuses, name);
	if (!cJSON_IsNumber(n)) {
		snprintf(problem, size, _("the instance's answer has no configuration.statuses.%s"), name);
		return false;
	}
	if (n->valuedouble != (double)(long)n->valuedouble || n->valuedouble < low ||
	    n->valuedouble > high) {
		snprintf(problem, size, _("the instance says %s is %.15g, not a whole number from %ld to %ld"),
			 name, n->valuedouble, low, high);
		return false;
	}
	*out = (long)n->valuedouble;
	return true;
}

/* GET /api/v2/instance into limits; problem says why not. */
static ii_err read_instance(struct mastodon *m, struct mastodon_limits *limits, char *problem,
			    size_t size, struct ii_error *e)
{
	struct channel_result r;
	long status, max, url;
	ii_err rc = request(m, "GET", "/api/v2/instance", NULL, NULL, true, &status, &r, e);
	if (rc)
		return rc;
	classify(m, status, CHANNEL_REJECTED, &r);
	if (r.outcome != CHANNEL_DONE) {
		snprintf(problem, size, "%s", r.detail);
		return II_OK;
	}
	cJSON *root = cJSON_Parse(m->answer);
	if (instance_number(root, "max_characters", MASTODON_MIN_CHARACTERS, MASTODON_MAX_CHARACTERS,
			    &max, problem, size) &&
	    instance_number(root, "characters_reserved_per_url", 1, MASTODON_MAX_URL_LENGTH, &url,
			    problem, size)) {
		limits->max_characters = (int)max;
		limits->url_length = (int)url;
	}
	cJSON_Delete(root);
	return II_OK;
}

ii_err mastodon_refresh_limits(struct mastodon *m, struct store *store, time_t now, char *problem,
			       size_t size, struct ii_error *e)
{
	const char *id = m->channel.id;
	struct mastodon_limits limits;
	*problem = '\0';
	ii_err rc = mastodon_limits(store, id, &limits, e);
	/* a clock set back is no reason to wait */
	bool due = store && (now >= limits.checked_at + MASTODON_LIMITS_TTL || now < limits.checked_at);
	if (rc == II_OK && due && (rc = read_instance(m, &limits, problem, size, e)) == II_OK) {
		if (!*problem)
			limits.read_at = now;
		rc = store_begin(store, e);
		if (rc == II_OK)
			rc = put_number(store, id, KEY_MAX_CHARACTERS, limits.max_characters, e);
		if (rc == II_OK)
			rc = put_number(store, id, KEY_URL_LENGTH, limits.url_length, e);
		if (rc == II_OK)
			rc = put_number(store, id, KEY_READ_AT, (long long)limits.read_at, e);
		if (rc == II_OK)
			rc = put_number(store, id, KEY_CHECKED_AT, (long long)now, e);
		if (rc == II_OK)
			rc = store_channel_put(store, id, KEY_PROBLEM, problem, e);
		if (rc == II_OK)
			rc = store_commit(store, e);
		else
			store_rollback(store);
	}
	m->counter.limit = limits.max_characters;
	m->counter.url_length = limits.url_length;
	return rc;
}

static void pause_ms(void *ctx, long ms)
{
	(void)ctx;
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0)
		;
}

ii_err mastodon_open(const struct config_channel *channel, struct mastodon **out,
		     struct ii_error *e)
{
	*out = NULL;
	struct mastodon *m = calloc(1, sizeof *m);
	if (!m)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	m->answer = "";
	m->visibility = strdup(channel->visibility ? channel->visibility : "public");
	counter_init(&m->counter, COUNT_MASTODON);
	ii_err rc = webapi_open(channel->api_url, channel->ca_file, channel->timeout_ms,
				MASTODON_BODY_CAP, &m->api, e);
	if (rc == II_OK && !m->visibility)
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	if (rc == II_OK)
		rc = cred_load_for(channel->credentials, CRED_MASTODON, &m->cred, e);
	if (rc == II_OK && asprintf(&m->authorization, "Authorization: Bearer %s",
				    cred_access_token(m->cred)) < 0) {
		m->authorization = NULL;
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	if (rc) {
		mastodon_close(m);
		return rc;
	}
	m->channel = (struct publish_channel){
		.id = channel->id,
		.name = "Mastodon",
		.capabilities = CHANNEL_THREADS | CHANNEL_DELETE | CHANNEL_FIND_BY_TEXT |
				CHANNEL_IDEMPOTENCY_KEY,
		.ctx = m, .post = post, .find = find, .remove = remove_post, .pause = pause_ms,
	};
	*out = m;
	return II_OK;
}

const struct publish_channel *mastodon_channel(struct mastodon *m)
{
	return &m->channel;
}

void mastodon_close(struct mastodon *m)
{
	if (!m)
		return;
	if (m->authorization) {
		OPENSSL_cleanse(m->authorization, strlen(m->authorization));
		free(m->authorization);
	}
	webapi_close(m->api);
	cred_free(m->cred);
	free(m->visibility);
	free(m);
}
