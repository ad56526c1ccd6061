#include "tweet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "emoji_data.h"
#include "tweet_url.h"

/*
 * parseTweet() works on JavaScript strings, so this module does too: the NFC text is
 * turned into UTF-16 code units and the loop below is parseTweet's, step for step. That
 * keeps its quirks (a supplementary character is weighed by its low surrogate, validity
 * is judged on the last unit of each URL or emoji) without having to rediscover them.
 */

/* Configuration v3, in hundredths as the library scales it. */
enum { SCALE = 100, DEFAULT_WEIGHT = 200, URL_LENGTH = 23 };

static const struct {
	uint16_t start, end;
} light_ranges[] = {
	{0x0000, 0x10FF}, {0x2000, 0x200D}, {0x2010, 0x201F}, {0x2032, 0x2037},
};

static int unit_weight(uint16_t u)
{
	for (size_t i = 0; i < sizeof light_ranges / sizeof light_ranges[0]; i++)
		if (u >= light_ranges[i].start && u <= light_ranges[i].end)
			return 100;
	return DEFAULT_WEIGHT;
}

static bool invalid_unit(uint16_t u)
{
	return u == 0xFFFE || u == 0xFEFF || u == 0xFFFF;
}

/* Each node's possible end positions, in the order JavaScript's backtracking tries them.
 * The expression is finite and its matches short, so a small list is enough. */
#define MAX_ENDS 24
struct ends {
	int n;
	size_t at[MAX_ENDS];
};

static void ends_add(struct ends *e, size_t pos)
{
	for (int i = 0; i < e->n; i++)
		if (e->at[i] == pos)
			return; /* a later way to the same end changes nothing */
	if (e->n < MAX_ENDS)
		e->at[e->n++] = pos;
}

static void emoji_ends(unsigned node, const uint16_t *u, size_t len, size_t pos, struct ends *out)
{
	const struct emoji_node *n = &emoji_nodes[node];
	out->n = 0;
	if (!n->empty && (pos >= len || u[pos] < n->first_lo || u[pos] > n->first_hi))
		return;
	switch (n->op) {
	case EMOJI_UNIT:
		if (pos < len && u[pos] >= n->a && u[pos] <= n->b)
			ends_add(out, pos + 1);
		break;
	case EMOJI_ALT:
		for (unsigned k = 0; k < n->b; k++) {
			struct ends sub;
			emoji_ends(emoji_kids[n->a + k], u, len, pos, &sub);
			for (int i = 0; i < sub.n; i++)
				ends_add(out, sub.at[i]);
		}
		break;
	case EMOJI_OPT: {
		struct ends sub;
		emoji_ends(emoji_kids[n->a], u, len, pos, &sub);
		for (int i = 0; i < sub.n; i++)
			ends_add(out, sub.at[i]);
		ends_add(out, pos);
		break;
	}
	case EMOJI_NOT: {
		struct ends sub;
		emoji_ends(emoji_kids[n->a], u, len, pos, &sub);
		if (sub.n == 0)
			ends_add(out, pos);
		break;
	}
	case EMOJI_SEQ: {
		struct ends cur = {1, {pos}};
		for (unsigned k = 0; k < n->b && cur.n > 0; k++) {
			struct ends next = {0, {0}};
			for (int i = 0; i < cur.n; i++) {
				struct ends sub;
				emoji_ends(emoji_kids[n->a + k], u, len, cur.at[i], &sub);
				for (int j = 0; j < sub.n; j++)
					ends_add(&next, sub.at[j]);
			}
			cur = next;
		}
		*out = cur;
		break;
	}
	}
}

static bool emoji_may_start(uint16_t c)
{
	unsigned lo = 0, hi = emoji_starts_count;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (c < emoji_starts[mid].lo)
			hi = mid;
		else if (c > emoji_starts[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* The end of the emoji the library's expression matches at pos, or 0. */
static size_t emoji_at(const uint16_t *u, size_t len, size_t pos)
{
	if (!emoji_may_start(u[pos]))
		return 0;
	/* of the ASCII units only # * and digits start one, a keycap (lib/gen/emoji_data.js
	 * checks that), which needs U+FE0F or U+20E3 next: digits are common, keycaps not */
	if (u[pos] < 0x80 && (pos + 1 >= len || (u[pos + 1] != 0xFE0F && u[pos + 1] != 0x20E3)))
		return 0;
	/* Nothing follows the expression, so its first way to match is the match: at the top
	 * alternation the first alternative that matches at all decides. (An empty match
	 * cannot happen: every alternative consumes a unit.) */
	const struct emoji_node *root = &emoji_nodes[emoji_root];
	struct ends e;
	if (root->op != EMOJI_ALT) {
		emoji_ends(emoji_root, u, len, pos, &e);
		return e.n > 0 && e.at[0] > pos ? e.at[0] : 0;
	}
	for (unsigned k = 0; k < root->b; k++) {
		emoji_ends(emoji_kids[root->a + k], u, len, pos, &e);
		if (e.n > 0)
			return e.at[0] > pos ? e.at[0] : 0;
	}
	return 0;
}

/* UTF-16 length of valid UTF-8. */
static size_t utf16_length(const uint8_t *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			n++;
		if ((s[i] & 0xF8) == 0xF0)
			n++; /* a four-byte sequence is a surrogate pair */
	}
	return n;
}

static uint16_t *to_utf16(const uint8_t *s, size_t len, size_t *n_out)
{
	uint16_t *u = malloc((utf16_length(s, len) + 1) * sizeof *u);
	if (!u)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
		i += (size_t)k; /* already validated by utf8proc_map */
		if (cp >= 0x10000) {
			cp -= 0x10000;
			u[n++] = (uint16_t)(0xD800 + (cp >> 10));
			u[n++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
		} else {
			u[n++] = (uint16_t)cp;
		}
	}
	*n_out = n;
	return u;
}

/*
 * Whether text made only of these is already NFC, so that normalising can be skipped:
 * each character is its own NFC (NFC_Quick_Check=Yes, the first that is not being
 * U+0300) and no two of them compose (Hangul syllables compose only with jamo, which are
 * not here). Latin-1, CJK ideographs, kana, Hangul syllables, general punctuation and
 * emoji with their selectors and tags cover most posts.
 */
static const struct {
	int32_t lo, hi;
} nfc_stable_ranges[] = {
	{0x0000, 0x02FF}, {0x2002, 0x206F}, {0x20E3, 0x20E3}, {0x3041, 0x3096},
	{0x30A1, 0x30FA}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xFE00, 0xFE0F},
	{0x1F000, 0x1FAFF}, {0xE0020, 0xE007F},
};

static bool nfc_stable(const uint8_t *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		i += (size_t)utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
		size_t k = 0, n = sizeof nfc_stable_ranges / sizeof nfc_stable_ranges[0];
		while (k < n && !(cp >= nfc_stable_ranges[k].lo && cp <= nfc_stable_ranges[k].hi))
			k++;
		if (k == n)
			return false;
	}
	return true;
}

static ii_err validate(const uint8_t *s, size_t len, struct ii_error *e)
{
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k < 0)
			return ii_fail(e, II_EDATA, "invalid UTF-8 at byte %zu", i);
		i += (size_t)k;
	}
	return II_OK;
}

ii_err tweet_parse(const char *text, size_t len, struct tweet_parse *out, struct ii_error *e)
{
	const uint8_t *s = (const uint8_t *)text;
	memset(out, 0, sizeof *out);
	ii_err rc = validate(s, len, e);
	if (rc)
		return rc;
	size_t original_units = utf16_length(s, len);

	bool stable = nfc_stable(s, len);
	uint8_t *nfc = NULL;
	size_t nfc_len = stable ? len : 0;
	if (len > 0 && !stable) {
		utf8proc_ssize_t n = utf8proc_map(s, (utf8proc_ssize_t)len, &nfc,
						  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
		if (n < 0)
			return ii_fail(e, n == UTF8PROC_ERROR_NOMEM ? II_ENOMEM : II_EDATA,
				       "cannot normalise the text: %s", utf8proc_errmsg(n));
		nfc_len = (size_t)n;
	}
	size_t n = 0;
	uint16_t *u = to_utf16(nfc ? nfc : s, nfc_len, &n);
	free(nfc);
	if (!u)
		return ii_fail(e, II_ENOMEM, "out of memory counting a text");

	/* Both entity lists are found over the whole text first, as the library does; the
	 * loop then takes a URL before an emoji that starts at the same unit. */
	struct tweet_url_list urls;
	rc = tweet_url_find(u, n, &urls, e);
	if (rc) {
		free(u);
		return rc;
	}
	size_t *emoji_end = calloc(n + 1, sizeof *emoji_end);
	if (!emoji_end) {
		tweet_url_free(&urls);
		free(u);
		return ii_fail(e, II_ENOMEM, "out of memory counting a text");
	}
	for (size_t i = 0; i < n;) {
		size_t end = emoji_at(u, n, i);
		if (end) {
			emoji_end[i] = end;
			i = end;
		} else {
			i++;
		}
	}

	long weighted = 0;
	size_t valid_display = 0, next_url = 0;
	bool valid = true;
	for (size_t i = 0; i < n; i++) {
		while (next_url < urls.count && urls.items[next_url].start < i)
			next_url++;
		if (next_url < urls.count && urls.items[next_url].start == i) {
			weighted += URL_LENGTH * SCALE;
			i = urls.items[next_url].end - 1;
		} else if (emoji_end[i]) {
			weighted += DEFAULT_WEIGHT;
			i = emoji_end[i] - 1;
		} else {
			if (i + 1 < n && u[i] >= 0xD800 && u[i] <= 0xDBFF && u[i + 1] >= 0xDC00 &&
			    u[i + 1] <= 0xDFFF)
				i++;
			weighted += unit_weight(u[i]);
		}
		if (valid)
			valid = !invalid_unit(u[i]);
		if (valid && weighted <= TWEET_MAX_WEIGHTED_LENGTH * SCALE)
			valid_display = i;
	}
	tweet_url_free(&urls);
	free(emoji_end);
	free(u);

	weighted /= SCALE;
	out->weighted_length = (int)weighted;
	out->valid = valid && weighted > 0 && weighted <= TWEET_MAX_WEIGHTED_LENGTH;
	out->permillage = (int)(weighted * 1000 / TWEET_MAX_WEIGHTED_LENGTH);
	/* the library adds what normalisation removed, in units of the original text */
	out->valid_range_start = 0;
	out->valid_range_end = (int)((long)valid_display + (long)original_units - (long)n);
	out->display_range_start = 0;
	out->display_range_end = original_units > 0 ? (int)original_units - 1 : 0;
	return II_OK;
}
