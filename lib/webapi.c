#include "webapi.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"

#define HEADERS_CAP (32u * 1024)

/* Bytes up to a limit; what passes it is counted as cut, not kept. */
struct capped {
	char *data;
	size_t len, limit;
	bool cut;
};

struct webapi {
	CURL *curl;
	char *base_url;
	char *ca_file;
	long timeout_ms;
	struct capped body, headers;
	char errbuf[CURL_ERROR_SIZE];
};

static bool capped_add(struct capped *b, const char *data, size_t len)
{
	size_t take = len < b->limit - b->len ? len : b->limit - b->len;
	memcpy(b->data + b->len, data, take);
	b->len += take;
	b->data[b->len] = '\0';
	b->cut |= take < len;
	return take == len;
}

static void capped_empty(struct capped *b)
{
	b->len = 0;
	b->cut = false;
	b->data[0] = '\0';
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct webapi *w = user;
	return capped_add(&w->body, data, size * nmemb) ? size * nmemb : 0;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct webapi *w = user;
	if (size * nmemb >= 5 && !strncmp(data, "HTTP/", 5))
		capped_empty(&w->headers); /* an interim answer's (100 Continue) do not count */
	capped_add(&w->headers, data, size * nmemb);
	return size * nmemb;
}

void webapi_header(const struct webapi *w, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);
	*out = '\0';
	for (const char *line = w->headers.data; *line;) {
		const char *eol = strchr(line, '\n');
		if (!strncasecmp(line, name, n) && line[n] == ':') {
			const char *v = line + n + 1 + strspn(line + n + 1, " \t");
			size_t len = (size_t)((eol ? eol : v + strlen(v)) - v);
			while (len && (v[len - 1] == '\r' || v[len - 1] == ' '))
				len--;
			snprintf(out, size, "%.*s", (int)len, v);
			return;
		}
		if (!eol)
			break;
		line = eol + 1;
	}
}

ii_err webapi_request(struct webapi *w, const char *who, const char *method, const char *path,
		      const char *const headers[], const char *body, struct webapi_answer *out,
		      struct ii_error *e)
{
	*out = (struct webapi_answer){.body = ""};
	char *url = NULL;
	if (asprintf(&url, "%s%s", w->base_url, path) < 0)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	struct curl_slist *list = NULL;
	bool ok = true;
	for (size_t i = 0; ok && headers && headers[i]; i++) {
		struct curl_slist *grown = curl_slist_append(list, headers[i]);
		ok = grown != NULL;
		list = grown ? grown : list;
	}
	CURL *c = w->curl;
	curl_easy_reset(c);
	capped_empty(&w->body);
	capped_empty(&w->headers);
	w->errbuf[0] = '\0';
	ok = ok && curl_easy_setopt(c, CURLOPT_URL, url) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, w->timeout_ms) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_USERAGENT, "incluinfo/" INCLUINFO_VERSION) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_HTTPHEADER, list) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_WRITEDATA, w) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_HEADERDATA, w) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_ERRORBUFFER, w->errbuf) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method) == CURLE_OK &&
	     (!w->ca_file || curl_easy_setopt(c, CURLOPT_CAINFO, w->ca_file) == CURLE_OK) &&
	     (!body || curl_easy_setopt(c, CURLOPT_POSTFIELDS, body) == CURLE_OK);
	ii_err rc = ok ? II_OK : ii_fail(e, II_EINTERNAL, _("cannot prepare a request to %s"), who);
	if (rc == II_OK) {
		CURLcode done = curl_easy_perform(c);
		if (done == CURLE_OK && !w->body.cut) {
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
			out->body = w->body.data;
		} else {
			snprintf(out->failure, sizeof out->failure, "%s",
				 w->body.cut ? "answer too large" : *w->errbuf ? w->errbuf : curl_easy_strerror(done));
		}
	}
	curl_slist_free_all(list);
	free(url);
	return rc;
}

void webapi_forget(struct webapi *w)
{
	OPENSSL_cleanse(w->body.data, w->body.len);
	capped_empty(&w->body);
}

ii_err webapi_open(const char *base_url, const char *ca_file, long timeout_ms, size_t body_cap,
		   struct webapi **out, struct ii_error *e)
{
	*out = NULL;
	struct webapi *w = calloc(1, sizeof *w);
	if (!w)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	w->body = (struct capped){.data = malloc(body_cap + 1), .limit = body_cap};
	w->headers = (struct capped){.data = malloc(HEADERS_CAP + 1), .limit = HEADERS_CAP};
	w->base_url = strdup(base_url);
	w->ca_file = ca_file ? strdup(ca_file) : NULL;
	w->timeout_ms = timeout_ms;
	w->curl = curl_easy_init();
	ii_err rc = II_OK;
	if (!w->body.data || !w->headers.data || !w->base_url || (ca_file && !w->ca_file))
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	else if (!w->curl)
		rc = ii_fail(e, II_EINTERNAL, _("cannot start libcurl"));
	if (rc) {
		webapi_close(w);
		return rc;
	}
	w->body.data[0] = w->headers.data[0] = '\0';
	size_t len = strlen(w->base_url);
	while (len && w->base_url[len - 1] == '/')
		w->base_url[--len] = '\0';
	*out = w;
	return II_OK;
}

void webapi_close(struct webapi *w)
{
	if (!w)
		return;
	if (w->curl)
		curl_easy_cleanup(w->curl);
	if (w->body.data)
		webapi_forget(w);
	free(w->body.data);
	free(w->headers.data);
	free(w->base_url);
	free(w->ca_file);
	free(w);
}
