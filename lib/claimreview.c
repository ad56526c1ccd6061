#include "claimreview.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <utf8proc.h>

#include "feedout.h"
#include "i18n.h"
#include "path.h"

#define RATING_WORST 1
#define RATING_BEST 5
#define ELLIPSIS "\u2026"

int claimreview_rating(const char *verdict)
{
	static const struct {
		const char *verdict;
		int rating;
	} scale[] = {
		{"FALSO", RATING_WORST},
		{"ESTAFA", RATING_WORST},
		{"ENGAÑOSO", RATING_WORST + 1},
		{"SIN CONTEXTO", RATING_WORST + 2},
	};
	for (size_t i = 0; verdict && i < sizeof scale / sizeof *scale; i++)
		if (!strcmp(verdict, scale[i].verdict))
			return scale[i].rating;
	return 0;
}

/* utf8proc_map() of text with options, into a string of ours. */
static ii_err map_text(const char *field, const char *text, utf8proc_option_t options,
		       char **out, struct ii_error *e)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)text, 0, &mapped,
					  options | UTF8PROC_NULLTERM | UTF8PROC_STABLE);
	if (n == UTF8PROC_ERROR_NOMEM)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	if (n < 0)
		return ii_fail(e, II_EDATA, _("'%s' is not valid UTF-8: %s"), field,
			       utf8proc_errmsg(n));
	*out = (char *)mapped;
	return II_OK;
}

ii_err claimreview_slug(const char *text, char **out, struct ii_error *e)
{
	char *folded;
	ii_err rc = map_text("slug", text ? text : "", UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
						       UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD,
			     &folded, e);
	if (rc)
		return rc;
	char *slug = malloc(CLAIMREVIEW_SLUG_MAX + 1);
	if (!slug) {
		free(folded);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	size_t n = 0, last_hyphen = 0;
	bool pending_hyphen = false;
	for (const char *p = folded; *p; p++) {
		bool keep = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
		if (!keep) {
			pending_hyphen = n > 0;
			continue;
		}
		if (n + pending_hyphen + 1 > CLAIMREVIEW_SLUG_MAX) {
			/* a word cut in the middle is worse than a shorter slug */
			if (last_hyphen > 0 && !pending_hyphen)
				n = last_hyphen;
			break;
		}
		if (pending_hyphen) {
			last_hyphen = n;
			slug[n++] = '-';
			pending_hyphen = false;
		}
		slug[n++] = *p;
	}
	slug[n] = '\0';
	free(folded);
	if (n == 0) {
		free(slug);
		return ii_fail(e, II_EDATA, _("no letter or digit to make a name of in '%s'"),
			       text ? text : "");
	}
	*out = slug;
	return II_OK;
}

/* What claimreview_slug() can make: a-z, 0-9 and single inner hyphens. */
static bool valid_slug(const char *slug)
{
	size_t len = slug ? strlen(slug) : 0;
	return len > 0 && len <= CLAIMREVIEW_SLUG_MAX &&
	       strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") == len && slug[0] != '-' &&
	       slug[len - 1] != '-' && !strstr(slug, "--");
}

static bool is_space(utf8proc_int32_t cp)
{
	return (cp >= 0x9 && cp <= 0xD) || utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS ||
	       cp == 0x2028 || cp == 0x2029;
}

/* text, NFC, on one line: every run of white space one space, none at either end. */
static ii_err one_line(const char *text, char **out, struct ii_error *e)
{
	char *nfc;
	ii_err rc = map_text("claim", text, UTF8PROC_COMPOSE, &nfc, e);
	if (rc)
		return rc;
	size_t len = strlen(nfc), kept = 0;
	bool space = false;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)nfc + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		if (is_space(cp)) {
			space = kept > 0;
		} else {
			if (space)
				nfc[kept++] = ' ';
			space = false;
			memmove(nfc + kept, nfc + i, (size_t)n);
			kept += (size_t)n;
		}
		i += (size_t)n;
	}
	nfc[kept] = '\0';
	*out = nfc;
	return II_OK;
}

/* Whether s[0..end) ends with something that should not precede "…". */
static size_t trailing_punctuation(const char *s, size_t end)
{
	static const char *const marks[] = {" ", ",", ";", ":", "(", "-", "\"", "'",
					    "¿", "¡", "«", "—", "–"};
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
		size_t m = strlen(marks[i]);
		if (end >= m && !memcmp(s + end - m, marks[i], m))
			return m;
	}
	return 0;
}

/*
 * The byte length of the longest prefix of s, a line of text, that is at most max
 * characters long and ends at a space (at_space) or between two graphemes.
 */
static size_t cut_point(const char *s, size_t max, bool at_space)
{
	size_t len = strlen(s), best = 0, chars = 0;
	utf8proc_int32_t previous = -1, state = 0;
	for (size_t i = 0; i < len && chars <= max;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		bool boundary = at_space ? cp == ' '
					 : previous < 0 ||
						   utf8proc_grapheme_break_stateful(previous, cp,
										    &state);
		if (boundary)
			best = i;
		previous = cp;
		chars++;
		i += (size_t)n;
	}
	return best;
}

/* claimReviewed: the claim on one line, cut to CLAIMREVIEW_CLAIM_MAX characters. */
static ii_err short_claim(const char *claim, char **out, struct ii_error *e)
{
	char *line;
	ii_err rc = one_line(claim, &line, e);
	if (rc)
		return rc;
	size_t chars = (size_t)utf8proc_decompose((const utf8proc_uint8_t *)line, 0, NULL, 0,
						  UTF8PROC_NULLTERM);
	if (chars <= CLAIMREVIEW_CLAIM_MAX) {
		*out = line;
		return II_OK;
	}
	size_t room = CLAIMREVIEW_CLAIM_MAX - 1; /* for the ellipsis */
	size_t end = cut_point(line, room, true), m;
	while ((m = trailing_punctuation(line, end)) > 0)
		end -= m;
	if (end == 0)
		end = cut_point(line, room, false);
	*out = malloc(end + sizeof ELLIPSIS);
	if (*out) {
		memcpy(*out, line, end);
		memcpy(*out + end, ELLIPSIS, sizeof ELLIPSIS);
	}
	free(line);
	return *out ? II_OK : ii_fail(e, II_ENOMEM, _("out of memory"));
}

/* Every '<' of the printed JSON (only ever inside a string) escaped as \u003c, and the
 * final line end a text file has. */
static char *script_safe(const char *json, size_t *len)
{
	size_t n = strlen(json), lt = 0;
	for (const char *p = json; (p = strchr(p, '<')); p++)
		lt++;
	char *safe = malloc(n + 5 * lt + 2), *w = safe;
	if (!safe)
		return NULL;
	for (const char *p = json; *p; p++) {
		if (*p == '<') {
			memcpy(w, "\\u003c", 6);
			w += 6;
		} else {
			*w++ = *p;
		}
	}
	*w++ = '\n';
	*w = '\0';
	*len = (size_t)(w - safe);
	return safe;
}

/* A JSON object under construction; the first failure is kept, as in lib/feedout. */
struct json {
	cJSON *root;
	struct ii_error err;
};

static void json_fail(struct json *j, ii_err code, const char *detail)
{
	if (!j->err.code)
		ii_fail(&j->err, code, "%s", detail);
}

static void add_string(struct json *j, cJSON *object, const char *field, const char *value)
{
	char *clean = NULL;
	struct ii_error err;
	if (j->err.code)
		return;
	if (fo_clean_text(field, value, &clean, &err))
		json_fail(j, err.code, err.detail);
	else if (!cJSON_AddStringToObject(object, field, clean))
		json_fail(j, II_ENOMEM, "out of memory");
	free(clean);
}

static cJSON *add_typed_object(struct json *j, cJSON *parent, const char *field,
			       const char *type)
{
	cJSON *object = cJSON_CreateObject();
	if (!object || !(field ? cJSON_AddItemToObject(parent, field, object)
			       : cJSON_AddItemToArray(parent, object))) {
		cJSON_Delete(object);
		json_fail(j, II_ENOMEM, "out of memory");
		return NULL;
	}
	add_string(j, object, "@type", type);
	return object;
}

static void add_number(struct json *j, cJSON *object, const char *field, double value)
{
	if (!j->err.code && !cJSON_AddNumberToObject(object, field, value))
		json_fail(j, II_ENOMEM, "out of memory");
}

ii_err claimreview_url(const char *url_template, const char *slug, char **out,
			 struct ii_error *e)
{
	static const char placeholder[] = "{slug}";
	const size_t ph = sizeof placeholder - 1;
	size_t count = 0;
	for (const char *p = url_template; p && (p = strstr(p, placeholder)); p += ph)
		count++;
	if (count == 0)
		return ii_fail(e, II_EDATA, _("no '{slug}' in the rebuttal URL template '%s'"),
			       url_template ? url_template : "");
	char *url = malloc(strlen(url_template) + count * strlen(slug) + 1), *w = url;
	if (!url)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	for (const char *p = url_template;;) {
		const char *hit = strstr(p, placeholder);
		size_t n = hit ? (size_t)(hit - p) : strlen(p);
		memcpy(w, p, n);
		w += n;
		if (!hit)
			break;
		memcpy(w, slug, strlen(slug));
		w += strlen(slug);
		p = hit + ph;
	}
	*w = '\0';
	*out = url;
	return II_OK;
}

static void add_body(struct json *j, const struct claimreview_publisher *publisher,
		     const struct claimreview *review, const char *claim, const char *url,
		     const char *published)
{
	cJSON *root = j->root;
	add_string(j, root, "@context", "https://schema.org");
	add_string(j, root, "@type", "ClaimReview");
	add_string(j, root, "inLanguage", review->language ? review->language : "es");
	add_string(j, root, "headline", review->title);
	add_string(j, root, "claimReviewed", claim);
	cJSON *rating = add_typed_object(j, root, "reviewRating", "Rating");
	add_string(j, rating, "alternateName", review->verdict);
	add_number(j, rating, "ratingValue", claimreview_rating(review->verdict));
	add_number(j, rating, "bestRating", RATING_BEST);
	add_number(j, rating, "worstRating", RATING_WORST);
	cJSON *author = add_typed_object(j, root, "author", "Organization");
	add_string(j, author, "name", publisher->name);
	add_string(j, author, "url", publisher->url);
	add_string(j, root, "datePublished", published);
	add_string(j, root, "url", url);
	cJSON *item = add_typed_object(j, root, "itemReviewed", "Claim");
	add_string(j, item, "text", review->claim);
	if (publisher->legal_notice)
		add_string(j, add_typed_object(j, root, "usageInfo", "CreativeWork"), "text",
			   publisher->legal_notice);
	if (review->n_sources == 0)
		return;
	cJSON *citations = cJSON_AddArrayToObject(root, "citation");
	if (!citations)
		json_fail(j, II_ENOMEM, "out of memory");
	for (size_t i = 0; i < review->n_sources && !j->err.code; i++)
		add_string(j, add_typed_object(j, citations, NULL, "WebPage"), "url",
			   review->sources[i]);
}

static ii_err check_review(const struct claimreview *review, struct ii_error *e)
{
	if (!claimreview_rating(review->verdict))
		return ii_fail(e, II_EDATA, _("unknown verdict '%s'"),
			       review->verdict ? review->verdict : "");
	if (!valid_slug(review->slug))
		return ii_fail(e, II_EDATA, _("invalid slug '%s'"), review->slug ? review->slug : "");
	if (!review->claim)
		return ii_fail(e, II_EDATA, _("missing 'claim'"));
	return II_OK;
}

ii_err claimreview_render(const struct claimreview_publisher *publisher,
			  const struct claimreview *review, char **out, size_t *len,
			  struct ii_error *e)
{
	char published[FO_TIME_SIZE];
	if (!fo_time(review->published, published))
		return ii_fail(e, II_EDATA, _("invalid publication time of '%s'"),
			       review->slug ? review->slug : "");
	char *claim = NULL, *url = NULL, *printed = NULL;
	struct json j = {0};
	ii_err rc;
	if ((rc = check_review(review, e)) || (rc = short_claim(review->claim, &claim, e)) ||
	    (rc = claimreview_url(publisher->url_template, review->slug, &url, e)))
		goto out;
	if (!(j.root = cJSON_CreateObject()))
		json_fail(&j, II_ENOMEM, "out of memory");
	else
		add_body(&j, publisher, review, claim, url, published);
	if (!j.err.code && !(printed = cJSON_Print(j.root)))
		json_fail(&j, II_ENOMEM, "out of memory");
	if (!j.err.code && !(*out = script_safe(printed, len)))
		json_fail(&j, II_ENOMEM, "out of memory");
	if (j.err.code)
		rc = ii_fail(e, j.err.code, "%s", j.err.detail);
out:
	cJSON_free(printed);
	cJSON_Delete(j.root);
	free(claim);
	free(url);
	return rc;
}

ii_err claimreview_write(const char *feeds_dir, const struct claimreview_publisher *publisher,
			 const struct claimreview *review, struct ii_error *e)
{
	char *doc, *dir, *path;
	size_t len;
	ii_err rc = claimreview_render(publisher, review, &doc, &len, e);
	if (rc)
		return rc;
	if (asprintf(&dir, "%s/%s", feeds_dir, CLAIMREVIEW_DIR) < 0) {
		free(doc);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	rc = path_mkdirs(dir, 0755, e);
	if (rc == II_OK && asprintf(&path, "%s/%s.jsonld", dir, review->slug) < 0)
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	else if (rc == II_OK) {
		rc = fo_write_file(path, doc, len, e);
		doc = NULL;
		free(path);
	}
	free(doc);
	free(dir);
	return rc;
}
