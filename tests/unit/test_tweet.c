/* Unit tests of lib/tweet: the published twitter-text conformance figures, the ranges and
 * the limits. tests/oracle/diff.js compares every field on a large corpus. */

#include "unit.h"

#include <utf8proc.h>

#include "text/emoji_data.h"
#include "text/tweet.h"

static struct tweet_parse parsed(const char *text)
{
	struct tweet_parse p;
	struct ii_error e = {0};
	if (tweet_parse(text, strlen(text), &p, &e) != II_OK)
		fail_msg("tweet_parse(\"%s\") failed: %s", text, e.detail);
	return p;
}

static int weighted(const char *text)
{
	return parsed(text).weighted_length;
}

/* n copies of unit */
static char *repeat(const char *unit, int n)
{
	size_t len = strlen(unit);
	char *s = malloc(len * (size_t)n + 1);
	assert_non_null(s);
	for (int i = 0; i < n; i++)
		memcpy(s + len * (size_t)i, unit, len);
	s[len * (size_t)n] = '\0';
	return s;
}

static void url_weighs_23(void **state)
{
	(void)state;
	assert_int_equal(weighted("Hi http://test.co"), 26);
	assert_int_equal(weighted("https://www.seg-social.es/wps/portal/wss/internet/Inicio"), 23);
	assert_int_equal(weighted("sede.seg-social.gob.es"), 23);  /* no scheme, known TLD */
	assert_int_equal(weighted("example.invalidtld"), 18);     /* unknown TLD: not a URL */
	assert_int_equal(weighted("http://192.168.1.1"), 18);     /* no IP addresses */
	assert_int_equal(weighted("http://localhost/x"), 18);
	assert_int_equal(weighted("(https://example.com/a_(b))."), 26);
	assert_int_equal(weighted("-example.com"), 12); /* no scheme after '-': not a URL */
}

static void cjk_weighs_2(void **state)
{
	(void)state;
	char *s = repeat("的", 160);
	struct tweet_parse p = parsed(s);
	assert_int_equal(p.weighted_length, 320);
	assert_false(p.valid);
	assert_int_equal(p.permillage, 1142);
	assert_int_equal(p.valid_range_end, 139); /* 140 characters fit */
	assert_int_equal(p.display_range_end, 159);
	free(s);
}

static void emoji_sequences_weigh_2(void **state)
{
	(void)state;
	assert_int_equal(weighted("H🐱☺👨‍👩‍👧‍👦"), 7);
	assert_int_equal(weighted("🙋🏽👨‍🎤"), 4);
	assert_int_equal(weighted("1\u20e3"), 2);          /* keycap */
	assert_int_equal(weighted("🇪🇸"), 2);               /* flag */
	assert_int_equal(weighted("🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"), 2);
}

static void nfc_first(void **state)
{
	(void)state;
	struct tweet_parse p = parsed("A\u0301B");
	assert_int_equal(p.weighted_length, 2);
	/* ranges: valid end in the NFC text plus what normalisation removed, display end in
	 * the text as given */
	assert_int_equal(p.valid_range_end, 2);
	assert_int_equal(p.display_range_end, 2);
}

/* Expected values from twitter-text@3.1.0's parseTweet: weighted length, valid range end,
 * display range end. */
static void parsed_as(const char *text, int weighted_length, int valid_range_end,
		      int display_range_end)
{
	struct tweet_parse p = parsed(text);
	assert_int_equal(p.weighted_length, weighted_length);
	assert_int_equal(p.valid_range_end, valid_range_end);
	assert_int_equal(p.display_range_end, display_range_end);
}

/* Only the segments around unstable characters are normalised: these are the cases where
 * a segment composes, reorders, grows or starts the text. */
static void nfc_segments(void **state)
{
	(void)state;
	parsed_as("\u1100\u1161\u11a8", 2, 2, 2); /* Hangul jamo compose into one syllable */
	parsed_as("\u0958", 2, 0, 0);               /* a composition exclusion: two characters */
	parsed_as("\u212b", 1, 0, 0);               /* a singleton: U+00C5 */
	parsed_as("\U0001D160", 6, 1, 1);           /* grows to three supplementary characters */
	parsed_as("e\u0327\u0301", 2, 2, 2);         /* marks reordered, then composed */
	parsed_as("\u0301a", 2, 1, 1);              /* the text starts with a mark */
	parsed_as("\ufe0f", 2, 0, 0);
	/* longer than the units kept on the stack */
	char *s = repeat("e\u0301", 1500);
	parsed_as(s, 1500, 1779, 2999); /* 279, plus all 1500 units NFC removed */
	free(s);
}

/* lib/text/tweet.c looks for the characters NFC may change below U+30000 only: past it,
 * the linked utf8proc must know no combining mark and no canonical decomposition. */
static void no_unstable_past_plane_2(void **state)
{
	(void)state;
	for (utf8proc_int32_t c = 0x30000; c < 0x110000; c++) {
		const utf8proc_property_t *p = utf8proc_get_property(c);
		if (p->combining_class || (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0))
			fail_msg("U+%04X has a combining class or a canonical decomposition", (unsigned)c);
	}
}

static void emoji_positions(void **state)
{
	(void)state;
	parsed_as("aaaaaaaaaa1\ufe0f\u20e3", 12, 12, 12); /* a keycap after ASCII */
	parsed_as("\u263a\ufe0e", 4, 1, 1);              /* text presentation: not an emoji */
	char *s = repeat("😀", 1500); /* longer than the units kept on the stack */
	parsed_as(s, 3000, 279, 2999);
	assert_false(parsed(s).valid);
	free(s);
}

/* A text within the limit without an invalid character is weighed from its URLs and
 * emoji alone (lib/text/tweet.c, entity_weight): mixed with normalised segments,
 * supplementary and heavy characters; where the entities take it over the limit; and
 * where they bring it back within. */
static void weight_from_entities(void **state)
{
	(void)state;
	/* figures from twitter-text@3.1.0 */
	parsed_as("中 a\u0301 \U00020000 https://www.seg-social.es/x 😀 1\ufe0f\u20e3 ñ "
		  "\u1100\u1161\u11a8 \u212b \u0958", 47, 51, 51);
	char *s = repeat("a.co ", 40);
	parsed_as(s, 960, 54, 199);
	free(s);
	s = repeat("a\u0301", 140);
	parsed_as(s, 140, 279, 279);
	free(s);
	/* over the limit as plain characters, within it as a URL */
	char url[400];
	snprintf(url, sizeof url, "https://example.com/%s 😀", s = repeat("a", 300));
	free(s);
	parsed_as(url, 26, 322, 322);
	assert_true(parsed(url).valid);
}

/* What entity_weight relies on: every emoji the trie matches is made of whole characters,
 * so no emoji starts on a low surrogate or ends on a high one. */
static void emoji_are_whole_characters(void **state)
{
	(void)state;
	static unsigned stack[1 << 14]; /* a trie: each state is pushed once */
	unsigned depth = 0, seen = 0;
	stack[depth++] = 0;
	while (depth > 0) {
		unsigned id = stack[--depth];
		const struct emoji_state *st = &emoji_states[id];
		seen++;
		for (unsigned k = 0; k < st->edge_count; k++) {
			const struct emoji_edge *e = &emoji_edges[st->first_edge + k];
			const struct emoji_state *to = &emoji_states[e->state];
			if (id == 0 && e->unit >= 0xDC00 && e->unit <= 0xDFFF)
				fail_msg("an emoji starts with the low surrogate %04X", e->unit);
			if (e->unit >= 0xD800 && e->unit <= 0xDBFF &&
			    (to->rank != EMOJI_NO_RANK || to->rank_unless_lookahead != EMOJI_NO_RANK))
				fail_msg("an emoji ends with the high surrogate %04X", e->unit);
			assert_true(depth < sizeof stack / sizeof stack[0]);
			stack[depth++] = e->state;
		}
	}
	assert_true(seen > 1000); /* the whole trie was walked */
}

static void light_ranges(void **state)
{
	(void)state;
	assert_int_equal(weighted("\u10ff"), 1);
	assert_int_equal(weighted("\u1100"), 2);
	assert_int_equal(weighted("\u2014\u2032"), 2);
	assert_int_equal(weighted("\u2020"), 2);
	assert_int_equal(weighted("ñandú"), 5);
}

static void limit_280(void **state)
{
	(void)state;
	char *s = repeat("a", 280);
	struct tweet_parse p = parsed(s);
	assert_int_equal(p.weighted_length, 280);
	assert_true(p.valid);
	assert_int_equal(p.permillage, 1000);
	assert_int_equal(p.valid_range_start, 0);
	assert_int_equal(p.valid_range_end, 279);
	assert_int_equal(p.display_range_start, 0);
	assert_int_equal(p.display_range_end, 279);
	free(s);

	s = repeat("a", 281);
	p = parsed(s);
	assert_int_equal(p.weighted_length, 281);
	assert_false(p.valid);
	assert_int_equal(p.valid_range_end, 279);
	assert_int_equal(p.display_range_end, 280);
	free(s);
}

static void invalid_characters(void **state)
{
	(void)state;
	struct tweet_parse p = parsed("ab\ufeffcd");
	assert_false(p.valid);
	assert_int_equal(p.weighted_length, 6);
	assert_int_equal(p.valid_range_end, 1); /* the valid part stops before U+FEFF */
	assert_false(parsed("\uffff").valid);
	assert_false(parsed("x\ufffe").valid);
	/* in a normalised segment, the second time from the cache of NFC forms */
	for (int k = 0; k < 2; k++) {
		p = parsed("x\ufeff\u0301y");
		assert_false(p.valid);
		assert_int_equal(p.weighted_length, 5);
		assert_int_equal(p.valid_range_end, 0);
	}
}

static void empty_is_invalid(void **state)
{
	(void)state;
	struct tweet_parse p = parsed("");
	assert_int_equal(p.weighted_length, 0);
	assert_false(p.valid);
	assert_int_equal(p.valid_range_end, 0);
	assert_int_equal(p.display_range_end, 0);
}

static void invalid_utf8_is_an_error(void **state)
{
	(void)state;
	static const char *const bad[] = {"\xff", "ab\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xe0\x80\xaf",
					  "\xe4\xb8", "\xe4\x28\xad", "\xe4\xb8\xcd", "\xc3\xc3"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct tweet_parse p;
		struct ii_error e = {0};
		assert_int_equal(tweet_parse(bad[i], strlen(bad[i]), &p, &e), II_EDATA);
		assert_non_null(strstr(e.detail, "UTF-8"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(url_weighs_23),
		cmocka_unit_test(cjk_weighs_2),
		cmocka_unit_test(emoji_sequences_weigh_2),
		cmocka_unit_test(nfc_first),
		cmocka_unit_test(nfc_segments),
		cmocka_unit_test(no_unstable_past_plane_2),
		cmocka_unit_test(emoji_positions),
		cmocka_unit_test(weight_from_entities),
		cmocka_unit_test(emoji_are_whole_characters),
		cmocka_unit_test(light_ranges),
		cmocka_unit_test(limit_280),
		cmocka_unit_test(invalid_characters),
		cmocka_unit_test(empty_is_invalid),
		cmocka_unit_test(invalid_utf8_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
