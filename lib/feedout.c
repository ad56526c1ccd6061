#include "feedout.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <libxml/xmlwriter.h>
#include <utf8proc.h>

#include "atomicfile.h"
#include "i18n.h"

/* XML 1.0's Char production, less what UTF-8 decoding already excludes (surrogates). */
static bool xml_char_allowed(utf8proc_int32_t cp)
{
	if (cp < 0x20)
		return cp == 0x9 || cp == 0xA || cp == 0xD;
	return cp != 0xFFFE && cp != 0xFFFF;
}

ii_err fo_clean_text(const char *field, const char *text, char **out, struct ii_error *e)
{
	if (!text)
		return ii_fail(e, II_EDATA, _("missing '%s'"), field);
	size_t len = strlen(text);
	if (len > FO_TEXT_MAX)
		return ii_fail(e, II_EDATA, _("'%s' is longer than %u bytes"), field, FO_TEXT_MAX);
	char *clean = malloc(len + 1);
	if (!clean)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	size_t kept = 0;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0) {
			free(clean);
			return ii_fail(e, II_EDATA, _("'%s' is not valid UTF-8 at byte %zu"), field, i);
		}
		if (xml_char_allowed(cp)) {
			memcpy(clean + kept, text + i, (size_t)n);
			kept += (size_t)n;
		}
		i += (size_t)n;
	}
	clean[kept] = '\0';
	*out = clean;
	return II_OK;
}

/* Years 1000 to 9999, the ones %Y writes with exactly four digits. */
static bool four_digit_year(const struct tm *tm)
{
	return tm->tm_year >= 1000 - 1900 && tm->tm_year <= 9999 - 1900;
}

bool fo_time(time_t t, char buf[FO_TIME_SIZE])
{
	struct tm tm;
	buf[0] = '\0';
	if (!localtime_r(&t, &tm) || !four_digit_year(&tm))
		return false;
	size_t n = strftime(buf, FO_TIME_SIZE, "%Y-%m-%dT%H:%M:%S", &tm);
	/* a zone's offset is under a day; seconds of an old local mean time are dropped */
	int offset_min = (int)(tm.tm_gmtoff / 60 % (24 * 60));
	snprintf(buf + n, FO_TIME_SIZE - n, "%c%02d:%02d", offset_min < 0 ? '-' : '+',
		 abs(offset_min) / 60, abs(offset_min) % 60);
	return true;
}

bool fo_utc_date(time_t t, char buf[FO_TIME_SIZE])
{
	struct tm tm;
	buf[0] = '\0';
	if (!gmtime_r(&t, &tm) || !four_digit_year(&tm))
		return false;
	strftime(buf, FO_TIME_SIZE, "%Y-%m-%d", &tm);
	return true;
}

/* A CURLU holding base, which must be an absolute http(s) URL. */
static ii_err parse_base(const char *base, CURLU **out, struct ii_error *e)
{
	CURLU *u = curl_url();
	if (!u)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	char *scheme = NULL;
	if (!base || curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "https") && strcmp(scheme, "http"))) {
		curl_free(scheme);
		curl_url_cleanup(u);
		return ii_fail(e, II_EDATA, _("invalid base URL '%s'"), base ? base : "");
	}
	curl_free(scheme);
	*out = u;
	return II_OK;
}

/* The part of u into a string of ours (curl's own must be freed with curl_free). */
static ii_err get_part(CURLU *u, CURLUPart part, const char *what, char **out,
		       struct ii_error *e)
{
	char *curl_owned = NULL;
	if (curl_url_get(u, part, &curl_owned, 0) != CURLUE_OK)
		return ii_fail(e, II_EDATA, _("invalid URL '%s'"), what);
	*out = strdup(curl_owned);
	curl_free(curl_owned);
	return *out ? II_OK : ii_fail(e, II_ENOMEM, _("out of memory"));
}

ii_err fo_url(const char *base, const char *rel, char **out, struct ii_error *e)
{
	CURLU *u;
	ii_err rc = parse_base(base, &u, e);
	if (rc)
		return rc;
	if (curl_url_set(u, CURLUPART_URL, rel, CURLU_URLENCODE) != CURLUE_OK)
		rc = ii_fail(e, II_EDATA, _("invalid URL '%s' relative to '%s'"), rel, base);
	else
		rc = get_part(u, CURLUPART_URL, rel, out, e);
	curl_url_cleanup(u);
	return rc;
}

ii_err fo_url_host(const char *url, char **out, struct ii_error *e)
{
	CURLU *u;
	ii_err rc = parse_base(url, &u, e);
	if (rc)
		return rc;
	rc = get_part(u, CURLUPART_HOST, url, out, e);
	curl_url_cleanup(u);
	if (rc == II_OK)
		for (char *p = *out; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	return rc;
}

ii_err fo_write_file(const char *path, char *doc, size_t len, struct ii_error *e)
{
	ii_err rc = atomicfile_write(path, doc, len, 0644, e);
	free(doc);
	return rc;
}

struct fo_xml {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	struct ii_error err; /* the first failure; code II_OK while there is none */
};

ii_err fo_xml_new(struct fo_xml **out, struct ii_error *e)
{
	struct fo_xml *x = calloc(1, sizeof *x);
	if (!x || !(x->buf = xmlBufferCreate()) ||
	    !(x->w = xmlNewTextWriterMemory(x->buf, 0))) {
		fo_xml_free(x);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	if (xmlTextWriterSetIndent(x->w, 1) < 0 ||
	    xmlTextWriterSetIndentString(x->w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0) {
		fo_xml_free(x);
		return ii_fail(e, II_EINTERNAL, _("cannot start an XML document"));
	}
	*out = x;
	return II_OK;
}

void fo_xml_free(struct fo_xml *x)
{
	if (!x)
		return;
	if (x->w)
		xmlFreeTextWriter(x->w);
	if (x->buf)
		xmlBufferFree(x->buf);
	free(x);
}

void fo_xml_fail(struct fo_xml *x, ii_err code, const char *fmt, ...)
{
	if (x->err.code)
		return;
	va_list ap;
	va_start(ap, fmt);
	x->err.code = code;
	vsnprintf(x->err.detail, sizeof x->err.detail, fmt, ap);
	va_end(ap);
}

/* Records a failure of libxml2's writer (rc < 0) about name; true when x can go on. */
static bool writer_ok(struct fo_xml *x, int rc, const char *name)
{
	if (rc < 0)
		fo_xml_fail(x, II_EINTERNAL, _("cannot write XML element '%s'"), name);
	return x->err.code == II_OK;
}

void fo_xml_start(struct fo_xml *x, const char *name)
{
	if (!x->err.code)
		writer_ok(x, xmlTextWriterStartElement(x->w, BAD_CAST name), name);
}

void fo_xml_start_ns(struct fo_xml *x, const char *name, const char *ns)
{
	if (!x->err.code)
		writer_ok(x, xmlTextWriterStartElementNS(x->w, NULL, BAD_CAST name, BAD_CAST ns),
			  name);
}

void fo_xml_end(struct fo_xml *x)
{
	if (!x->err.code)
		writer_ok(x, xmlTextWriterEndElement(x->w), "end");
}

/* value cleaned by the text policy, or NULL after recording why it cannot be. */
static char *clean_or_fail(struct fo_xml *x, const char *name, const char *value)
{
	char *clean = NULL;
	struct ii_error err;
	if (fo_clean_text(name, value, &clean, &err))
		fo_xml_fail(x, err.code, "%s", err.detail);
	return clean;
}

void fo_xml_attr(struct fo_xml *x, const char *name, const char *value)
{
	if (x->err.code || !value)
		return;
	char *clean = clean_or_fail(x, name, value);
	if (clean)
		writer_ok(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST clean),
			  name);
	free(clean);
}

void fo_xml_text(struct fo_xml *x, const char *field, const char *text)
{
	if (x->err.code)
		return;
	char *clean = clean_or_fail(x, field, text);
	if (clean)
		writer_ok(x, xmlTextWriterWriteString(x->w, BAD_CAST clean), field);
	free(clean);
}

void fo_xml_element_required(struct fo_xml *x, const char *name, const char *text)
{
	fo_xml_start(x, name);
	fo_xml_text(x, name, text);
	fo_xml_end(x);
}

void fo_xml_element(struct fo_xml *x, const char *name, const char *text)
{
	if (text)
		fo_xml_element_required(x, name, text);
}

ii_err fo_xml_finish(struct fo_xml *x, char **out, size_t *len, struct ii_error *e)
{
	if (!x->err.code)
		writer_ok(x, xmlTextWriterEndDocument(x->w), "document");
	if (!x->err.code)
		writer_ok(x, xmlTextWriterFlush(x->w), "document");
	size_t n = (size_t)xmlBufferLength(x->buf);
	if (!x->err.code && n > FO_DOC_MAX)
		fo_xml_fail(x, II_EDATA, _("XML document larger than %u bytes"), FO_DOC_MAX);
	char *doc = x->err.code ? NULL : malloc(n + 1);
	if (!x->err.code && !doc)
		fo_xml_fail(x, II_ENOMEM, _("out of memory"));
	if (x->err.code) {
		ii_err rc = ii_fail(e, x->err.code, "%s", x->err.detail);
		fo_xml_free(x);
		return rc;
	}
	memcpy(doc, xmlBufferContent(x->buf), n);
	doc[n] = '\0';
	fo_xml_free(x);
	*out = doc;
	*len = n;
	return II_OK;
}
