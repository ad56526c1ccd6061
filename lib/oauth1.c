#include "i18n.h"
#include "oauth1.h"

#include <ctype.h>
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A parameter already percent-encoded, as it is sorted and joined. */
struct encoded {
	char *name;
	char *value;
};

struct encoded_list {
	struct encoded *items;
	size_t count;
};

char *oauth1_encode(const char *text, size_t len)
{
	/* libcurl escapes exactly the RFC 3986 reserved and non-ASCII bytes, in upper case */
	char *curl_owned = curl_easy_escape(NULL, text, (int)len);
	if (!curl_owned)
		return NULL;
	char *copy = strdup(curl_owned);
	curl_free(curl_owned);
	return copy;
}

static void encoded_list_free(struct encoded_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].name);
		free(list->items[i].value);
	}
	free(list->items);
}

/* The list is allocated once with room for every parameter (see oauth1_base_string). */
static ii_err encoded_add(struct encoded_list *list, const char *name, size_t name_len,
			  const char *value, size_t value_len, struct ii_error *e)
{
	struct encoded *p = &list->items[list->count];
	p->name = oauth1_encode(name, name_len);
	p->value = oauth1_encode(value, value_len);
	if (!p->name || !p->value) {
		free(p->name);
		free(p->value);
		return ii_fail(e, II_ENOMEM, _("out of memory signing a request"));
	}
	list->count++;
	return II_OK;
}

/* Decodes one application/x-www-form-urlencoded component ('+' is a space). */
static char *form_decode(const char *text, size_t len)
{
	char *plus_free = strndup(text, len);
	if (!plus_free)
		return NULL;
	for (char *c = plus_free; *c; c++)
		if (*c == '+')
			*c = ' ';
	int out_len = 0;
	char *curl_owned = curl_easy_unescape(NULL, plus_free, (int)len, &out_len);
	free(plus_free);
	if (!curl_owned)
		return NULL;
	char *copy = malloc((size_t)out_len + 1);
	if (copy) {
		memcpy(copy, curl_owned, (size_t)out_len);
		copy[out_len] = '\0';
	}
	curl_free(curl_owned);
	return copy;
}

static ii_err add_query(struct encoded_list *list, const char *query, struct ii_error *e)
{
	while (*query) {
		size_t len = strcspn(query, "&");
		const char *eq = memchr(query, '=', len);
		size_t name_len = eq ? (size_t)(eq - query) : len;
		const char *raw_value = eq ? eq + 1 : query + len;
		size_t raw_value_len = (size_t)(query + len - raw_value);
		if (len > 0) {
			char *name = form_decode(query, name_len);
			char *value = form_decode(raw_value, raw_value_len);
			ii_err rc = name && value
				? encoded_add(list, name, strlen(name), value, strlen(value), e)
				: ii_fail(e, II_ENOMEM, _("out of memory signing a request"));
			free(name);
			free(value);
			if (rc != II_OK)
				return rc;
		}
		query += len;
		if (*query == '&')
			query++;
	}
	return II_OK;
}

static int encoded_compare(const void *a, const void *b)
{
	const struct encoded *x = a, *y = b;
	int by_name = strcmp(x->name, y->name);
	return by_name ? by_name : strcmp(x->value, y->value);
}

static void lowercase(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static bool default_port(const char *scheme, const char *port)
{
	return (!strcmp(scheme, "http") && !strcmp(port, "80")) ||
	       (!strcmp(scheme, "https") && !strcmp(port, "443"));
}

/* RFC 5849 section 3.4.1.2: lower-case scheme and host, no default port, no query. */
static ii_err split_url(const char *url, char **base_out, char **query_out, struct ii_error *e)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL;
	ii_err rc = II_OK;

	*base_out = *query_out = NULL;
	if (!u)
		return ii_fail(e, II_ENOMEM, _("out of memory signing a request"));
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
		rc = ii_fail(e, II_EDATA, _("cannot sign a request to '%s': not a URL"), url);
		goto done;
	}
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	lowercase(scheme);
	lowercase(host);
	bool show_port = port && !default_port(scheme, port);
	if (asprintf(base_out, "%s://%s%s%s%s", scheme, host, show_port ? ":" : "",
		     show_port ? port : "", *path ? path : "/") < 0)
		*base_out = NULL;
	else
		*query_out = strdup(query ? query : "");
	if (!*query_out) {
		free(*base_out);
		*base_out = NULL;
		rc = ii_fail(e, II_ENOMEM, _("out of memory signing a request"));
	}
done:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	return rc;
}

static char *join_sorted(struct encoded_list *list)
{
	qsort(list->items, list->count, sizeof *list->items, encoded_compare);
	size_t len = 1;
	for (size_t i = 0; i < list->count; i++)
		len += strlen(list->items[i].name) + strlen(list->items[i].value) + 2;
	char *joined = malloc(len);
	if (!joined)
		return NULL;
	char *end = joined;
	*end = '\0';
	for (size_t i = 0; i < list->count; i++)
		end += sprintf(end, "%s%s=%s", i ? "&" : "", list->items[i].name,
			       list->items[i].value);
	return joined;
}

ii_err oauth1_base_string(const char *method, const char *url, const struct oauth1_param *params,
			  size_t param_count, char **out, struct ii_error *e)
{
	struct encoded_list list = {0};
	char *base = NULL, *query = NULL, *joined = NULL, *enc_base = NULL, *enc_joined = NULL;
	ii_err rc = split_url(url, &base, &query, e);

	*out = NULL;
	if (rc == II_OK) {
		/* a query of k '&' holds at most k + 1 parameters */
		size_t cap = param_count + 1;
		for (const char *c = query; *c; c++)
			cap += *c == '&';
		if (!(list.items = calloc(cap, sizeof *list.items)))
			rc = ii_fail(e, II_ENOMEM, _("out of memory signing a request"));
	}
	if (rc == II_OK)
		rc = add_query(&list, query, e);
	for (size_t i = 0; rc == II_OK && i < param_count; i++)
		rc = encoded_add(&list, params[i].name, strlen(params[i].name), params[i].value,
				 strlen(params[i].value), e);
	if (rc == II_OK) {
		joined = join_sorted(&list);
		enc_base = oauth1_encode(base, strlen(base));
		enc_joined = joined ? oauth1_encode(joined, strlen(joined)) : NULL;
		if (!enc_base || !enc_joined || asprintf(out, "%s&%s&%s", method, enc_base, enc_joined) < 0) {
			*out = NULL;
			rc = ii_fail(e, II_ENOMEM, _("out of memory signing a request"));
		}
	}
	encoded_list_free(&list);
	free(base);
	free(query);
	free(joined);
	free(enc_base);
	free(enc_joined);
	return rc;
}

ii_err oauth1_signature(const char *method, const char *url, const struct oauth1_param *params,
			size_t param_count, const char *consumer_secret, const char *token_secret,
			char out[OAUTH1_SIGNATURE_SIZE], struct ii_error *e)
{
	char *base = NULL, *key = NULL;
	char *enc_consumer = oauth1_encode(consumer_secret, strlen(consumer_secret));
	char *enc_token = token_secret ? oauth1_encode(token_secret, strlen(token_secret)) : strdup("");
	ii_err rc = II_OK;

	if (!enc_consumer || !enc_token || asprintf(&key, "%s&%s", enc_consumer, enc_token) < 0) {
		key = NULL;
		rc = ii_fail(e, II_ENOMEM, _("out of memory signing a request"));
	}
	if (rc == II_OK)
		rc = oauth1_base_string(method, url, params, param_count, &base, e);
	if (rc == II_OK) {
		unsigned char digest[EVP_MAX_MD_SIZE];
		unsigned int digest_len = 0;
		if (!HMAC(EVP_sha1(), key, (int)strlen(key), (const unsigned char *)base, strlen(base),
			  digest, &digest_len) || digest_len != 20)
			rc = ii_fail(e, II_EINTERNAL, _("cannot compute an HMAC-SHA1 signature"));
		else
			EVP_EncodeBlock((unsigned char *)out, digest, (int)digest_len);
	}
	/* the key is made of the two secrets */
	if (key)
		OPENSSL_cleanse(key, strlen(key));
	if (enc_consumer)
		OPENSSL_cleanse(enc_consumer, strlen(enc_consumer));
	if (enc_token)
		OPENSSL_cleanse(enc_token, strlen(enc_token));
	free(key);
	free(enc_consumer);
	free(enc_token);
	free(base);
	return rc;
}

static ii_err random_nonce(char out[33], struct ii_error *e)
{
	unsigned char bytes[16];
	if (RAND_bytes(bytes, sizeof bytes) != 1)
		return ii_fail(e, II_EINTERNAL, _("cannot draw a random OAuth nonce"));
	for (size_t i = 0; i < sizeof bytes; i++)
		sprintf(out + 2 * i, "%02x", bytes[i]);
	return II_OK;
}

ii_err oauth1_authorization(const char *method, const char *url,
			    const struct oauth1_param *params, size_t param_count,
			    const struct oauth1_keys *keys, const char *nonce,
			    const char *timestamp, char **out, struct ii_error *e)
{
	char nonce_buf[33], time_buf[24], signature[OAUTH1_SIGNATURE_SIZE];
	ii_err rc = II_OK;

	*out = NULL;
	if (!nonce) {
		if ((rc = random_nonce(nonce_buf, e)) != II_OK)
			return rc;
		nonce = nonce_buf;
	}
	if (!timestamp) {
		snprintf(time_buf, sizeof time_buf, "%lld", (long long)time(NULL));
		timestamp = time_buf;
	}
	/* in the order the header lists them, which is also the sorted order */
	const struct oauth1_param protocol[] = {
		{"oauth_consumer_key", keys->consumer_key},
		{"oauth_nonce", nonce},
		{"oauth_signature_method", "HMAC-SHA1"},
		{"oauth_timestamp", timestamp},
		{"oauth_token", keys->token},
		{"oauth_version", "1.0"},
	};
	const size_t protocol_count = sizeof protocol / sizeof protocol[0];
	struct oauth1_param *all = calloc(protocol_count + param_count, sizeof *all);
	if (!all)
		return ii_fail(e, II_ENOMEM, _("out of memory signing a request"));
	memcpy(all, protocol, sizeof protocol);
	if (param_count)
		memcpy(all + protocol_count, params, param_count * sizeof *params);
	rc = oauth1_signature(method, url, all, protocol_count + param_count, keys->consumer_secret,
			      keys->token_secret, signature, e);
	free(all);
	if (rc != II_OK)
		return rc;

	char *fields[sizeof protocol / sizeof protocol[0]] = {0};
	char *enc_signature = oauth1_encode(signature, strlen(signature));
	bool ok = enc_signature != NULL;
	for (size_t i = 0; ok && i < protocol_count; i++)
		ok = (fields[i] = oauth1_encode(protocol[i].value, strlen(protocol[i].value))) != NULL;
	if (!ok || asprintf(out,
			    "OAuth oauth_consumer_key=\"%s\", oauth_nonce=\"%s\", oauth_signature=\"%s\", "
			    "oauth_signature_method=\"%s\", oauth_timestamp=\"%s\", oauth_token=\"%s\", "
			    "oauth_version=\"%s\"",
			    fields[0], fields[1], enc_signature, fields[2], fields[3], fields[4],
			    fields[5]) < 0) {
		*out = NULL;
		rc = ii_fail(e, II_ENOMEM, _("out of memory signing a request"));
	}
	for (size_t i = 0; i < protocol_count; i++)
		free(fields[i]);
	free(enc_signature);
	return rc;
}
