#include "bsky.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "count.h"
#include "i18n.h"

/*
 * @atproto/api finds facets with JavaScript regular expressions run one after another
 * (mentions, links, tags, cashtags), each resuming after its previous match. Each is
 * written out below as a scan over the text's code points (lib/text/count.h) that takes
 * the same alternatives in the same order.
 */

/* JavaScript's \s */
static bool js_space(utf8proc_int32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == ' ' || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
	       c == 0x205f || c == 0x3000 || c == 0xfeff;
}

static bool line_terminator(utf8proc_int32_t c)
{
	return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
}

static bool ascii_alpha(utf8proc_int32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ascii_digit(utf8proc_int32_t c)
{
	return c >= '0' && c <= '9';
}

static bool ascii_alnum(utf8proc_int32_t c)
{
	return ascii_alpha(c) || ascii_digit(c);
}

/* \w, for \b */
static bool js_word(utf8proc_int32_t c)
{
	return ascii_alnum(c) || c == '_';
}

/* \p{P} */
static bool punctuation(utf8proc_int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);
	return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

static int tld_compare(const void *key, const void *item)
{
	return strcmp(key, *(const char *const *)item);
}

/* isValidDomain(): the part after the last "." is a TLD of the list, case-sensitive. */
static bool valid_domain(const char *s, size_t len)
{
	const char *dot = memrchr(s, '.', len);
	if (!dot)
		return false;
	size_t n = len - (size_t)(dot + 1 - s);
	char tld[64];
	if (n == 0 || n >= sizeof tld)
		return false;
	memcpy(tld, dot + 1, n);
	tld[n] = '\0';
	return bsearch(tld, bsky_tlds, bsky_tld_count, sizeof *bsky_tlds, tld_compare) != NULL;
}

static ii_err add(struct bsky_facets *f, size_t start, size_t end, enum bsky_feature feature,
		  const char *prefix, const char *value, size_t len, struct ii_error *e)
{
	if (f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct bsky_facet *grown = realloc(f->items, cap * sizeof *grown);
		if (!grown)
			return ii_fail(e, II_ENOMEM, _("out of memory"));
		f->items = grown;
		f->cap = cap;
	}
	size_t plen = strlen(prefix);
	char *v = malloc(plen + len + 1);
	if (!v)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	memcpy(v, prefix, plen);
	memcpy(v + plen, value, len);
	v[plen + len] = '\0';
	f->items[f->count++] = (struct bsky_facet){start, end, feature, v};
	return II_OK;
}

/* The text of code points [a, b). */
#define SPAN(t, s, a, b) (s) + (t)->at[a], (t)->at[b] - (t)->at[a]

/* MENTION_REGEX = /(^|\s|\()(@)([a-zA-Z0-9.-]+)(\b)/g */
static ii_err mentions(const char *s, const struct count_points *t, struct bsky_facets *f,
		       struct ii_error *e)
{
	for (size_t from = 0; from < t->n;) {
		size_t end = 0, at = 0, start;
		for (start = from; start < t->n && !end; start++) {
			if (start == 0 && t->cp[0] == '@')
				at = 0;
			else if ((js_space(t->cp[start]) || t->cp[start] == '(') &&
				 t->cp[start + 1] == '@')
				at = start + 1;
			else
				continue;
			size_t run = at + 1;
			while (run < t->n && (ascii_alnum(t->cp[run]) || t->cp[run] == '.' ||
					      t->cp[run] == '-'))
				run++;
			/* the longest handle that ends at a word boundary */
			for (size_t k = run; k > at + 1 && !end; k--)
				if (js_word(t->cp[k - 1]) != (k < t->n && js_word(t->cp[k])))
					end = k;
		}
		if (!end)
			break;
		from = end;
		const char *handle = s + t->at[at + 1];
		size_t len = t->at[end] - t->at[at + 1];
		if (!valid_domain(handle, len) && !(len >= 5 && !memcmp(handle + len - 5, ".test", 5)))
			continue;
		ii_err err = add(f, t->at[at], t->at[end], BSKY_MENTION, "", handle, len, e);
		if (err)
			return err;
	}
	return II_OK;
}

/* Where a link that starts at code point u ends, 0 when none does; *domain_end is the end
 * of the bare domain (0: the link has a scheme). The two alternatives of URL_REGEX:
 * https?:\/\/[\S]+ and (?<domain>[a-z][a-z0-9]*(\.[a-z0-9]+)+)[\S]* under /i. */
static size_t link_at(const struct count_points *t, size_t u, size_t *domain_end)
{
	static const char scheme[] = "http";
	size_t i = u, k;
	for (k = 0; k < 4 && i < t->n && (t->cp[i] | 0x20) == scheme[k]; k++)
		i++;
	if (k == 4) {
		if ((t->cp[i] | 0x20) == 's')
			i++;
		if (t->cp[i] == ':' && t->cp[i + 1] == '/' && t->cp[i + 2] == '/' && i + 3 < t->n &&
		    !js_space(t->cp[i + 3])) {
			for (i += 3; i < t->n && !js_space(t->cp[i]);)
				i++;
			*domain_end = 0;
			return i;
		}
	}
	if (u >= t->n || !ascii_alpha(t->cp[u]))
		return 0;
	i = u + 1;
	while (i < t->n && ascii_alnum(t->cp[i]))
		i++;
	size_t labels = 0;
	while (t->cp[i] == '.' && i + 1 < t->n && ascii_alnum(t->cp[i + 1])) {
		for (i++; i < t->n && ascii_alnum(t->cp[i]);)
			i++;
		labels++;
	}
	if (!labels)
		return 0;
	*domain_end = i;
	while (i < t->n && !js_space(t->cp[i]))
		i++;
	return i;
}

/* URL_REGEX = /(^|\s|\()((https?:\/\/[\S]+)|((?<domain>…)[\S]*))/gim, then
 * detection.ts's checks and trimming */
static ii_err links(const char *s, const struct count_points *t, struct bsky_facets *f,
		    struct ii_error *e)
{
	for (size_t from = 0; from < t->n;) {
		size_t u = 0, end = 0, domain_end = 0;
		for (size_t start = from; start < t->n && !end; start++) {
			if (start == 0 || line_terminator(t->cp[start - 1]))
				end = link_at(t, u = start, &domain_end);
			if (!end && (js_space(t->cp[start]) || t->cp[start] == '('))
				end = link_at(t, u = start + 1, &domain_end);
		}
		if (!end)
			break;
		from = end;
		const char *text = s + t->at[u];
		size_t len = t->at[end] - t->at[u];
		bool http = len >= 4 && !memcmp(text, "http", 4);
		if (!http && (!domain_end || !valid_domain(SPAN(t, s, u, domain_end))))
			continue;
		if (strchr(".,;:!?", text[len - 1]))
			len--;
		/* the URI is the text, or "https://" and the text: its "(" is the text's */
		if (len > 0 && text[len - 1] == ')' && !memchr(text, '(', len))
			len--;
		ii_err err = add(f, t->at[u], t->at[u] + len, BSKY_LINK, http ? "" : "https://",
				 text, len, e);
		if (err)
			return err;
	}
	return II_OK;
}

/* What a tag may not hold: white space and the zero-width characters of TAG_REGEX. */
static bool tag_char(utf8proc_int32_t c)
{
	return !js_space(c) && c != 0xad && c != 0x2060 && c != 0x200a && c != 0x200b &&
	       c != 0x200c && c != 0x200d && c != 0x20e2;
}

/* TAG_REGEX = /(^|\s)[#＃]((?!\ufe0f)X*[^\d\s\p{P}…]+X*)?/gu, X the tag characters; the
 * tag is then trimmed of its final punctuation and kept when 1 to 64 UTF-16 units long */
static ii_err tags(const char *s, const struct count_points *t, struct bsky_facets *f, struct ii_error *e)
{
	for (size_t from = 0; from < t->n;) {
		size_t hash = SIZE_MAX;
		for (size_t start = from; start < t->n && hash == SIZE_MAX; start++) {
			if (start == 0 && (t->cp[0] == '#' || t->cp[0] == 0xff03))
				hash = 0;
			else if (js_space(t->cp[start]) &&
				 (t->cp[start + 1] == '#' || t->cp[start + 1] == 0xff03))
				hash = start + 1;
		}
		if (hash == SIZE_MAX)
			break;
		size_t end = hash + 1;
		bool letter = false;
		while (end < t->n && tag_char(t->cp[end])) {
			letter |= !ascii_digit(t->cp[end]) && !punctuation(t->cp[end]);
			end++;
		}
		if (!letter || t->cp[hash + 1] == 0xfe0f) {
			from = hash + 1; /* the optional group did not match */
			continue;
		}
		from = end;
		size_t last = end, units = 0;
		while (last > hash + 1 && punctuation(t->cp[last - 1]))
			last--;
		for (size_t i = hash + 1; i < last; i++)
			units += t->cp[i] >= 0x10000 ? 2 : 1;
		if (units == 0 || units > 64)
			continue;
		ii_err err = add(f, t->at[hash], t->at[last], BSKY_TAG, "", SPAN(t, s, hash + 1, last), e);
		if (err)
			return err;
	}
	return II_OK;
}

/* CASHTAG_REGEX = /(^|\s|\()\$([A-Za-z][A-Za-z0-9]{0,4})(?=\s|$|[.,;:!?)"'\u2019])/gu */
static ii_err cashtags(const char *s, const struct count_points *t, struct bsky_facets *f,
		       struct ii_error *e)
{
	for (size_t start = 0; start < t->n; start++) {
		size_t dollar;
		if (start == 0 && t->cp[0] == '$')
			dollar = 0;
		else if ((js_space(t->cp[start]) || t->cp[start] == '(') && t->cp[start + 1] == '$')
			dollar = start + 1;
		else
			continue;
		size_t end = dollar + 1;
		if (end >= t->n || !ascii_alpha(t->cp[end]))
			continue;
		while (end < t->n && ascii_alnum(t->cp[end]))
			end++;
		utf8proc_int32_t next = t->cp[end];
		if (end - dollar > 6 ||
		    !(end == t->n || js_space(next) || (next < 0x80 && strchr(".,;:!?)\"'", next) && next) ||
		      next == 0x2019))
			continue;
		char ticker[8];
		size_t len = t->at[end] - t->at[dollar + 1];
		for (size_t i = 0; i < len; i++) {
			char c = s[t->at[dollar + 1] + i];
			ticker[i] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
		}
		ii_err err = add(f, t->at[dollar], t->at[end], BSKY_TAG, "$", ticker, len, e);
		if (err)
			return err;
		start = end - 1; /* the next match starts after this one */
	}
	return II_OK;
}

static int by_start(const void *a, const void *b)
{
	const struct bsky_facet *x = a, *y = b;
	return (x->byte_start > y->byte_start) - (x->byte_start < y->byte_start);
}

const char *bsky_feature_type(enum bsky_feature feature)
{
	static const char *const types[] = {
		[BSKY_LINK] = "app.bsky.richtext.facet#link",
		[BSKY_TAG] = "app.bsky.richtext.facet#tag",
		[BSKY_MENTION] = "app.bsky.richtext.facet#mention",
	};
	return types[feature];
}

void bsky_facets_free(struct bsky_facets *facets)
{
	for (size_t i = 0; i < facets->count; i++)
		free(facets->items[i].value);
	free(facets->items);
	*facets = (struct bsky_facets){0};
}

ii_err bsky_detect(const char *text, size_t len, struct bsky_facets *out, struct ii_error *e)
{
	*out = (struct bsky_facets){0};
	struct count_points t;
	ii_err err = count_points(text, len, &t, e);
	if (!err)
		err = mentions(text, &t, out, e);
	if (!err)
		err = links(text, &t, out, e);
	if (!err)
		err = tags(text, &t, out, e);
	if (!err)
		err = cashtags(text, &t, out, e);
	count_points_free(&t);
	if (err) {
		bsky_facets_free(out);
		return err;
	}
	/* a stable sort as the package's: no two facets start at one byte ("@", "http", "#"
	 * and "$" differ), so qsort's order is the same */
	if (out->count)
		qsort(out->items, out->count, sizeof *out->items, by_start);
	return II_OK;
}

/* RFC 3986's characters, less "'" (which URL parsers percent-encode in a query) */
static bool plain_url_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~:/?#[]@!$&()*+,;=%", c));
}

/* The short form of the link text [s, s + len) into out (at most len bytes); 0 when it
 * is shown whole. */
static size_t short_link(const char *s, size_t len, char *out)
{
	size_t skip = len >= 8 && !strncasecmp(s, "https://", 8) ? 8
		      : len >= 7 && !strncasecmp(s, "http://", 7) ? 7
								  : 0;
	if (!skip)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!plain_url_char(s[i]))
			return 0;
	const char *host = s + skip, *end = s + len;
	const char *rest = host + strcspn(host, "/?#");
	if (rest > end)
		rest = end;
	const char *colon = memchr(host, ':', (size_t)(rest - host));
	const char *host_end = colon ? colon : rest;
	if (host_end == host || host_end[-1] == '.' || memchr(host, '@', (size_t)(rest - host)))
		return 0;
	const char *label = host_end;
	for (const char *p = host; p < host_end; p++) {
		if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '.'))
			return 0;
		if (*p == '.')
			label = p + 1;
	}
	if (label == host_end)
		label = host;
	if (isdigit((unsigned char)*label))
		return 0; /* an address: URL parsers rewrite it (0x7f.1 is 127.0.0.1) */
	size_t w = 0;
	for (const char *p = host; p < host_end; p++)
		out[w++] = (char)tolower((unsigned char)*p);
	if (colon) {
		const char *port = colon + 1;
		for (const char *p = port; p < rest; p++)
			if (!isdigit((unsigned char)*p))
				return 0;
		size_t n = (size_t)(rest - port);
		const char *dflt = skip == 8 ? "443" : "80";
		while (n > 1 && *port == '0') {
			port++;
			n--;
		}
		if (n > 5)
			return 0;
		if (n && !(n == strlen(dflt) && !memcmp(port, dflt, n))) {
			out[w++] = ':';
			memcpy(out + w, port, n);
			w += n;
		}
	}
	/* the path, query and fragment; an empty query or fragment marker is dropped */
	char path[4096];
	size_t plen = 0, n = (size_t)(end - rest);
	if (n >= sizeof path)
		return 0;
	memcpy(path, rest, n);
	path[n] = '\0';
	char *hash = strchr(path, '#');
	if (hash && hash[1] == '\0')
		*hash = '\0';
	char *query = strchr(path, '?');
	if (query && (query[1] == '\0' || query[1] == '#'))
		memmove(query, query + 1, strlen(query));
	/* a "." or ".." segment is resolved by URL parsers */
	size_t path_len = strcspn(path, "?#");
	for (size_t i = 0; i < path_len; i++) {
		if (path[i] != '/')
			continue;
		size_t seg = strcspn(path + i + 1, "/?#");
		if ((seg == 1 && path[i + 1] == '.') ||
		    (seg == 2 && path[i + 1] == '.' && path[i + 2] == '.'))
			return 0;
	}
	plen = strlen(path);
	const char *shown = path;
	if (plen == 1 && path[0] == '/')
		plen = 0;
	if (plen > 15) {
		memcpy(out + w, shown, 13);
		memcpy(out + w + 13, "...", 3);
		w += 16;
	} else {
		memcpy(out + w, shown, plen);
		w += plen;
	}
	return w;
}

ii_err bsky_shorten(const char *text, size_t len, char **display, struct bsky_facets *facets,
		    struct ii_error *e)
{
	*display = NULL;
	struct bsky_facets f;
	ii_err err = bsky_detect(text, len, &f, e);
	if (err)
		return err;
	char *out = malloc(len + 1);
	if (!out) {
		bsky_facets_free(&f);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	/* a short form is never longer than the link ("https://" goes), so out holds it all;
	 * each facet moves back by what the links before it lost, and one inside a shortened
	 * link goes with the text it covered */
	size_t r = 0, w = 0, shift = 0, kept = 0;
	for (size_t i = 0; i < f.count; i++) {
		struct bsky_facet x = f.items[i];
		if (x.byte_start < r) {
			free(x.value);
			continue;
		}
		memcpy(out + w, text + r, x.byte_start - r);
		w += x.byte_start - r;
		r = x.byte_start;
		size_t n = x.feature == BSKY_LINK
				   ? short_link(text + x.byte_start, x.byte_end - x.byte_start, out + w)
				   : 0;
		x.byte_start -= shift;
		if (n) {
			shift += x.byte_end - r - n;
			w += n;
			r = x.byte_end;
		}
		x.byte_end -= shift;
		f.items[kept++] = x;
	}
	f.count = kept;
	memcpy(out + w, text + r, len - r);
	out[w + len - r] = '\0';
	*display = out;
	if (facets)
		*facets = f;
	else
		bsky_facets_free(&f);
	return II_OK;
}
