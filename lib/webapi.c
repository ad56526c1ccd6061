#include "webapi.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"

struct webapi {
	CURL *curl;
	char *base_url;
	char *ca_file;
	long timeout_ms;
	struct webapi_capture answer;
	char errbuf[CURL_ERROR_SIZE];
};

static bool buffer_add(struct webapi_buffer *b, const char *data, size_t len)
{
	size_t take = len < b->limit - b->len ? len : b->limit - b->len;
	memcpy(b->data + b->len, data, take);
	b->len += take;
	b->data[b->len] = '\0';
	b->cut |= take < len;
	return take == len;
}

static void buffer_empty(struct webapi_buffer *b)
{
	b->len = 0;
	b->cut = false;
	b->data[0] = '\0';
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct webapi_capture *c = user;
	/* a short count makes libcurl stop: the rest is never read */
	return buffer_add(&c->body, data, size * nmemb) ? size * nmemb : 0;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct webapi_capture *c = user;
	if (size * nmemb >= 5 && !strncmp(data, "HTTP/", 5))
		buffer_empty(&c->headers); /* an interim answer's (100 Continue) do not count */
	buffer_add(&c->headers, data, size * nmemb);
	return size * nmemb;
}

bool webapi_capture_init(struct webapi_capture *c, size_t body_cap)
{
	c->body = (struct webapi_buffer){.data = malloc(body_cap + 1), .limit = body_cap};
	c->headers = (struct webapi_buffer){.data = malloc(WEBAPI_HEADERS_CAP + 1),
					    .limit = WEBAPI_HEADERS_CAP};
	if (!c->body.data || !c->headers.data)
		return false;
	c->body.data[0] = c->headers.data[0] = '\0';
	return true;
}

bool webapi_capture_attach(struct webapi_capture *c, CURL *curl)
{
	buffer_empty(&c->body);
	buffer_empty(&c->headers);
	return curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK &&
	       curl_easy_setopt(curl, CURLOPT_WRITEDATA, c) == CURLE_OK &&
	       curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header) == CURLE_OK &&
	       curl_easy_setopt(curl, CURLOPT_HEADERDATA, c) == CURLE_OK;
}

void webapi_capture_free(struct webapi_capture *c)
{
	if (c->body.data)
		OPENSSL_cleanse(c->body.data, c->body.len);
	free(c->body.data);
	free(c->headers.data);
	*c = (struct webapi_capture){0};
}

void webapi_header_value(const char *headers, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);
	*out = '\0';
	for (const char *line = headers; line && *line;) {
		const char *eol = line + strcspn(line, "\r\n");
		if (!strncasecmp(line, name, n) && line[n] == ':') {
			const char *v = line + n + 1 + strspn(line + n + 1, " \t");
			size_t len = (size_t)(eol - v);
			while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
				len--;
			snprintf(out, size, "%.*s", (int)len, v);
			return;
		}
		line = eol + strspn(eol, "\r\n");
	}
}

void webapi_header(const struct webapi *w, const char *name, char *out, size_t size)
{
	webapi_header_value(w->answer.headers.data, name, out, size);
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
	w->errbuf[0] = '\0';
	ok = ok && curl_easy_setopt(c, CURLOPT_URL, url) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, w->timeout_ms) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_USERAGENT, "incluinfo/" INCLUINFO_VERSION) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_HTTPHEADER, list) == CURLE_OK &&
	     webapi_capture_attach(&w->answer, c) &&
	     curl_easy_setopt(c, CURLOPT_ERRORBUFFER, w->errbuf) == CURLE_OK &&
	     curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method) == CURLE_OK &&
	     (!w->ca_file || curl_easy_setopt(c, CURLOPT_CAINFO, w->ca_file) == CURLE_OK) &&
	     (!body || curl_easy_setopt(c, CURLOPT_POSTFIELDS, body) == CURLE_OK);
	ii_err rc = ok ? II_OK : ii_fail(e, II_EINTERNAL, _("cannot prepare a request to %s"), who);
	if (rc == II_OK) {
		CURLcode done = curl_easy_perform(c);
		if (done == CURLE_OK && !w->answer.body.cut) {
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
			out->body = w->answer.body.data;
		} else {
			snprintf(out->failure, sizeof out->failure, "%s",
				 w->answer.body.cut ? "answer too large" : *w->errbuf ? w->errbuf : curl_easy_strerror(done));
		}
	}
	/* the list holds copies of the headers: an Authorization line is a secret */
	for (struct curl_slist *h = list; h; h = h->next)
		OPENSSL_cleanse(h->data, strlen(h->data));
	curl_slist_free_all(list);
	free(url);
	return rc;
}

void webapi_forget(struct webapi *w)
{
	OPENSSL_cleanse(w->answer.body.data, w->answer.body.len);
	buffer_empty(&w->answer.body);
}

ii_err webapi_open(const char *base_url, const char *ca_file, long timeout_ms, size_t body_cap,
		   struct webapi **out, struct ii_error *e)
{
	*out = NULL;
	struct webapi *w = calloc(1, sizeof *w);
	if (!w)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	bool made = webapi_capture_init(&w->answer, body_cap);
	w->base_url = strdup(base_url);
	w->ca_file = ca_file ? strdup(ca_file) : NULL;
	w->timeout_ms = timeout_ms;
	w->curl = curl_easy_init();
	ii_err rc = II_OK;
	if (!made || !w->base_url || (ca_file && !w->ca_file))
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	else if (!w->curl)
		rc = ii_fail(e, II_EINTERNAL, _("cannot start libcurl"));
	if (rc) {
		webapi_close(w);
		return rc;
	}
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
	webapi_capture_free(&w->answer);
	free(w->base_url);
	free(w->ca_file);
	free(w);
}
