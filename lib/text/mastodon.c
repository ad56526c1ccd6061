#include "mastodon.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "count.h"
#include "i18n.h"
#include "tweet_url.h"

/* A span of the text to count differently: [start, end) in code points, replaced by
 * `length` characters (a URL's "x", or the ASCII "@user" a mention starts with). */
struct entity {
	size_t start, end;
	int length;
	bool url;
};

struct entities {
	struct entity *items;
	size_t count, cap;
};

static bool add(struct entities *l, size_t start, size_t end, int length, bool url)
{
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct entity *grown = realloc(l->items, cap * sizeof *grown);
		if (!grown)
			return false;
		l->items = grown;
		l->cap = cap;
	}
	l->items[l->count++] = (struct entity){start, end, length, url};
	return true;
}

/* Onigmo's [[:word:]] on Unicode text: letters, marks, decimal digits, connectors. */
static bool word(utf8proc_int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);
	return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME) ||
	       cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_PC;
}

static bool user_char(utf8proc_int32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* twitter-text's latin_accents, which may not follow a mention */
static bool latin_accent(utf8proc_int32_t c)
{
	return (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x24f) ||
	       (c >= 0x253 && c <= 0x254) || (c >= 0x256 && c <= 0x257) || c == 0x259 ||
	       c == 0x25b || c == 0x263 || c == 0x268 || c == 0x26f || c == 0x272 || c == 0x289 ||
	       c == 0x28b || c == 0x2bb || (c >= 0x300 && c <= 0x36f) ||
	       (c >= 0x1e00 && c <= 0x1eff);
}

/* The end of "x([.-]+x)*" from i, x a run of chars that `is` takes; i when none starts. */
static size_t dotted(const utf8proc_int32_t *cp, size_t n, size_t i, bool (*is)(utf8proc_int32_t))
{
	size_t end = i;
	while (end < n && is(cp[end]))
		end++;
	if (end == i)
		return i;
	for (;;) {
		size_t j = end;
		while (j < n && (cp[j] == '.' || cp[j] == '-'))
			j++;
		size_t k = j;
		while (k < n && is(cp[k]))
			k++;
		if (j == end || k == j)
			return end;
		end = k;
	}
}

/* Account::MENTION_RE scanned as Ruby's String#scan does, with Extractor's checks. */
static bool mentions(const utf8proc_int32_t *cp, size_t n, struct entities *out)
{
	for (size_t i = 0; i < n; i++) {
		if (cp[i] != '@' || (i > 0 && (cp[i - 1] == '=' || cp[i - 1] == '/' || word(cp[i - 1]))))
			continue;
		size_t user_end = dotted(cp, n, i + 1, user_char);
		if (user_end == i + 1)
			continue;
		size_t end = user_end;
		if (end < n && cp[end] == '@') {
			size_t domain_end = dotted(cp, n, end + 1, word);
			if (domain_end > end + 1)
				end = domain_end;
		}
		size_t after = end;
		bool refused = after < n && (cp[after] == '@' || cp[after] == 0xff20 ||
					     latin_accent(cp[after]) ||
					     (cp[after] == ':' && after + 2 < n && cp[after + 1] == '/' &&
					      cp[after + 2] == '/'));
		bool long_domain = end > user_end && end - user_end - 1 > 253;
		if (!refused && !long_domain && end > user_end &&
		    !add(out, i, end, (int)(user_end - i), false))
			return false;
		i = end - 1;
	}
	return true;
}

/* The URLs twitter-text finds that are written with their scheme, in code points. */
static ii_err urls(const utf8proc_int32_t *cp, size_t n, int url_length, struct entities *out,
		   struct ii_error *e)
{
	uint16_t *u = malloc((2 * n + 1) * sizeof *u);
	size_t *cp_of = malloc((2 * n + 1) * sizeof *cp_of); /* the code point of each unit */
	if (!u || !cp_of) {
		free(u);
		free(cp_of);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	size_t units = 0;
	for (size_t i = 0; i < n; i++) {
		if (cp[i] >= 0x10000) {
			cp_of[units] = i;
			u[units++] = (uint16_t)(0xd800 + ((cp[i] - 0x10000) >> 10));
			cp_of[units] = i;
			u[units++] = (uint16_t)(0xdc00 + ((cp[i] - 0x10000) & 0x3ff));
		} else {
			cp_of[units] = i;
			u[units++] = (uint16_t)cp[i];
		}
	}
	cp_of[units] = n;
	struct tweet_url_list list = {0};
	ii_err err = tweet_url_find(u, units, &list, e);
	for (size_t k = 0; err == II_OK && k < list.count; k++) {
		size_t s = cp_of[list.items[k].start], end = cp_of[list.items[k].end];
		char scheme[9] = {0};
		for (size_t j = 0; j < 8 && s + j < end; j++)
			scheme[j] = cp[s + j] < 0x80 ? (char)cp[s + j] : '?';
		if (strncasecmp(scheme, "http://", 7) && strncasecmp(scheme, "https://", 8))
			continue;
		if (!add(out, s, end, url_length, true))
			err = ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	tweet_url_free(&list);
	free(u);
	free(cp_of);
	return err;
}

static int by_start(const void *a, const void *b)
{
	const struct entity *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

ii_err mastodon_length(const char *text, size_t len, int url_length, int *out,
		       struct ii_error *e)
{
	*out = 0;
	struct count_points t;
	struct entities found = {0};
	ii_err err = count_points(text, len, &t, e);
	const int32_t *cp = t.cp;
	const size_t *at = t.at, n = t.n;
	if (!err)
		err = urls(cp, n, url_length, &found, e);
	if (!err && !mentions(cp, n, &found))
		err = ii_fail(e, II_ENOMEM, _("out of memory"));
	/* countable_text(): sorted by start, of two entities that overlap the earlier is kept
	 * (remove_overlapping_entities); the rewritten text is then counted whole, since a
	 * combining mark after a URL joins the placeholder's last "x" as it joined the URL */
	char *rewritten = NULL;
	if (!err) {
		if (found.count)
			qsort(found.items, found.count, sizeof *found.items, by_start);
		rewritten = malloc(len + (size_t)url_length * found.count + 1);
		if (!rewritten)
			err = ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	if (!err) {
		size_t from = 0, w = 0;
		for (size_t k = 0; k < found.count; k++) {
			const struct entity *x = &found.items[k];
			if (x->start < from)
				continue;
			memcpy(rewritten + w, text + at[from], at[x->start] - at[from]);
			w += at[x->start] - at[from];
			if (x->url) {
				memset(rewritten + w, 'x', (size_t)url_length);
				w += (size_t)url_length;
			} else { /* "@user" of "@user@domain" */
				memcpy(rewritten + w, text + at[x->start], (size_t)x->length);
				w += (size_t)x->length;
			}
			from = x->end;
		}
		memcpy(rewritten + w, text + at[from], len - at[from]);
		w += len - at[from];
		*out = count_graphemes(rewritten, w);
	}
	free(rewritten);
	count_points_free(&t);
	free(found.items);
	return err;
}
