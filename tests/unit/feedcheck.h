#ifndef INCLUINFO_TESTS_FEEDCHECK_H
#define INCLUINFO_TESTS_FEEDCHECK_H

/*
 * Helpers of the feed tests (test_atom, test_cap, test_claimreview, test_atomicfile): the
 * fixture they share, RELAX NG validation of a document against a schema of
 * tests/schemas/, and XPath reads of a parsed document. Schemas are found relative to the working directory, which is the
 * repository's root when tests/run.sh runs the tests. Everything is static inline, as in
 * unit.h; strings returned are new and the caller frees them.
 */

#include "unit.h"

#include <stdbool.h>

#include <time.h>

#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "error.h"

#define FEEDCHECK_SCHEMAS "tests/schemas"

/* A temporary folder, the last document rendered (and, for JSON, parsed) and its error.
 * Times are shown in Madrid's zone, as the command layer would set it. */
struct fixture {
	char *dir;
	char *doc;
	size_t len;
	cJSON *json;
	struct ii_error err;
};

static inline void feedcheck_init(struct fixture *f)
{
	(void)f;
	unit_madrid_time();
}

static inline void feedcheck_fini(struct fixture *f)
{
	free(f->doc);
	cJSON_Delete(f->json);
}

UNIT_FIXTURE(feedcheck_init, feedcheck_fini)

/* The file at path whole, NUL-terminated (at most 4 MiB); its length in *len. */
static inline char *feedcheck_slurp(const char *path, size_t *len)
{
	FILE *in = fopen(path, "r");
	if (!in)
		fail_msg("cannot open '%s': %s", path, strerror(errno));
	char *text = calloc(1, 4 << 20);
	assert_non_null(text);
	*len = fread(text, 1, (4 << 20) - 1, in);
	fclose(in);
	return text;
}

/* Collects libxml2's validation messages so a failing test can show them. */
static inline void feedcheck_collect(void *ctx, const char *fmt, ...)
{
	char *log = ctx;
	size_t used = strlen(log);
	va_list ap;
	va_start(ap, fmt);
	if (used < 4095)
		vsnprintf(log + used, 4096 - used, fmt, ap);
	va_end(ap);
}

/*
 * Whether the len bytes of doc are well-formed and valid against tests/schemas/schema;
 * libxml2's messages go to log (4096 bytes, may be NULL).
 */
static inline bool feedcheck_valid(const char *schema, const char *doc, size_t len, char *log)
{
	char own_log[4096];
	if (!log)
		log = own_log;
	log[0] = '\0';
	char *path = unit_join(FEEDCHECK_SCHEMAS, schema);
	struct stat st;
	if (stat(path, &st) < 0)
		fail_msg("cannot find schema '%s' (run the tests from the repository's root)",
			 path);
	xmlRelaxNGParserCtxtPtr parser = xmlRelaxNGNewParserCtxt(path);
	assert_non_null(parser);
	xmlRelaxNGSetParserErrors(parser, feedcheck_collect, feedcheck_collect, log);
	xmlRelaxNGPtr rng = xmlRelaxNGParse(parser);
	if (!rng)
		fail_msg("schema '%s' does not compile: %s", path, log);
	xmlRelaxNGValidCtxtPtr valid = xmlRelaxNGNewValidCtxt(rng);
	assert_non_null(valid);
	xmlRelaxNGSetValidErrors(valid, feedcheck_collect, feedcheck_collect, log);
	xmlDocPtr parsed = xmlReadMemory(doc, (int)len, "doc.xml", NULL, XML_PARSE_NONET);
	bool ok = parsed && xmlRelaxNGValidateDoc(valid, parsed) == 0;
	xmlFreeDoc(parsed);
	xmlRelaxNGFreeValidCtxt(valid);
	xmlRelaxNGFree(rng);
	xmlRelaxNGFreeParserCtxt(parser);
	free(path);
	return ok;
}

/* Fails the test unless doc is valid against schema, showing libxml2's reasons. */
#define feedcheck_assert_valid(schema, doc, len)                                          \
	do {                                                                             \
		char log_[4096];                                                         \
		if (!feedcheck_valid((schema), (doc), (len), log_))                      \
			fail_msg("%s:%d: not valid against %s: %s\n%s", __FILE__, __LINE__, \
				 (schema), log_, (doc));                                 \
	} while (0)

/* doc parsed (failing the test when it is not well-formed). */
static inline xmlDocPtr feedcheck_parse(const char *doc, size_t len)
{
	xmlDocPtr parsed = xmlReadMemory(doc, (int)len, "doc.xml", NULL, XML_PARSE_NONET);
	if (!parsed)
		fail_msg("not well-formed XML:\n%s", doc);
	return parsed;
}

/*
 * The string value of an XPath 1.0 expression over doc, with the prefix "a" bound to
 * Atom's namespace and "cap" to CAP 1.2's ("string(/a:feed/a:title)").
 */
static inline char *feedcheck_xpath(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	assert_non_null(ctx);
	xmlXPathRegisterNs(ctx, BAD_CAST "a", BAD_CAST "http://www.w3.org/2005/Atom");
	xmlXPathRegisterNs(ctx, BAD_CAST "cap",
			   BAD_CAST "urn:oasis:names:tc:emergency:cap:1.2");
	xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	if (!result)
		fail_msg("invalid XPath '%s'", expr);
	xmlChar *value = xmlXPathCastToString(result);
	char *copy = strdup((const char *)value);
	assert_non_null(copy);
	xmlFree(value);
	xmlXPathFreeObject(result);
	xmlXPathFreeContext(ctx);
	return copy;
}

/* Fails unless the XPath's string value over doc is expected. */
#define feedcheck_assert_xpath(doc, expr, expected)                                       \
	do {                                                                             \
		char *got_ = feedcheck_xpath((doc), (expr));                             \
		if (strcmp(got_, (expected)))                                           \
			fail_msg("%s:%d: %s is '%s', expected '%s'", __FILE__, __LINE__, \
				 (expr), got_, (expected));                              \
		free(got_);                                                              \
	} while (0)

/* A new copy of doc with the first occurrence of from replaced by to (for breaking a
 * valid document on purpose). */
static inline char *feedcheck_replace(const char *doc, const char *from, const char *to)
{
	const char *hit = strstr(doc, from);
	if (!hit)
		fail_msg("'%s' not found in:\n%s", from, doc);
	char *out = NULL;
	assert_true(asprintf(&out, "%.*s%s%s", (int)(hit - doc), doc, to,
			     hit + strlen(from)) >= 0);
	return out;
}

/* A change that makes a valid document invalid: the first from replaced by to. */
struct feedcheck_break {
	const char *from, *to;
};

/* Fails unless schema rejects each of the n breaks of doc (so the schema is not vacuous:
 * it does reject what the standard forbids). */
#define feedcheck_assert_breaks_rejected(schema, doc, breaks) \
	feedcheck_breaks_rejected((schema), (doc), (breaks), sizeof(breaks) / sizeof *(breaks))

static inline void feedcheck_breaks_rejected(const char *schema, const char *doc,
					     const struct feedcheck_break *breaks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *broken = feedcheck_replace(doc, breaks[i].from, breaks[i].to);
		if (feedcheck_valid(schema, broken, strlen(broken), NULL))
			fail_msg("break %zu ('%s' made '%s') accepted:\n%s", i, breaks[i].from,
				 breaks[i].to, broken);
		free(broken);
	}
}

#endif
