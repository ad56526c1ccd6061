/* Unit tests of lib/text/bsky: links shortened as the official app shows them (the rule
 * of lib/text/bsky.h, from social-app's toShortUrl()), the facets of the shortened text,
 * the limits of a post. tests/oracle/bsky_diff.js compares detection and graphemes with
 * @atproto/api on a large corpus. */

#include "unit.h"

#include "text/bsky.h"
#include "text/count.h"

static char *shown(const char *text, struct bsky_facets *facets)
{
	char *out;
	struct ii_error e = {0};
	if (bsky_shorten(text, strlen(text), &out, facets, &e) != II_OK)
		fail_msg("bsky_shorten(\"%s\"): %s", text, e.detail);
	return out;
}

static void links_are_shortened_as_the_app_does(void **state)
{
	(void)state;
	static const struct {
		const char *text, *shown;
	} cases[] = {
		{"https://www.seg-social.es/wps/portal/wss/internet/Inicio",
		 "www.seg-social.es/wps/portal/w..."},
		{"https://example.com", "example.com"},
		{"https://example.com/", "example.com"},
		{"http://Example.COM/Path", "example.com/Path"},
		{"https://example.com/12345678901234", "example.com/12345678901234"}, /* 15 */
		{"https://example.com/123456789012345", "example.com/123456789012..."}, /* 16 */
		{"https://example.com:443/a", "example.com/a"},
		{"https://example.com:8443/a", "example.com:8443/a"},
		{"https://example.com/a?#b", "example.com/a#b"}, /* an empty query goes */
		{"https://example.com/a?", "example.com/a?"},    /* "?" ends the sentence */
		{"https://example.com/?q=1", "example.com/?q=1"},
		{"Ver https://example.com/a/b/c/d/e/f/g/h. Gracias", "Ver example.com/a/b/c/d/e/f/.... Gracias"},
		/* shown whole: what a URL parser would rewrite first */
		{"https://ex\xc3\xa1mple.com/a", "https://ex\xc3\xa1mple.com/a"},
		{"https://example.com/se\xc3\xb1" "al", "https://example.com/se\xc3\xb1" "al"},
		{"https://example.com/a/../b", "https://example.com/a/../b"},
		{"https://192.168.1.1/a", "https://192.168.1.1/a"},
		{"https://user@example.com/a", "https://user@example.com/a"},
		/* not a link with a scheme: as written */
		{"seg-social.es/wps/portal/wss/internet/Inicio", "seg-social.es/wps/portal/wss/internet/Inicio"},
		{"example.com/wps/portal/wss/internet/Inicio", "example.com/wps/portal/wss/internet/Inicio"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = shown(cases[i].text, NULL);
		if (strcmp(got, cases[i].shown) != 0)
			fail_msg("\"%s\" shown as \"%s\", expected \"%s\"", cases[i].text, got,
				 cases[i].shown);
		free(got);
	}
}

/* The facets of the text as shown: the link covers its short form and keeps its full URI;
 * what follows moves back by what the link lost. */
static void facets_follow_the_shortened_text(void **state)
{
	(void)state;
	struct bsky_facets f;
	const char *text = "\xc2\xa1" "Ojo! https://www.seg-social.es/wps/portal/wss/internet/Inicio #Pensi\xc3\xb3n @ana.bsky.social";
	char *out = shown(text, &f);
	assert_string_equal(out, "\xc2\xa1" "Ojo! www.seg-social.es/wps/portal/w... #Pensi\xc3\xb3n @ana.bsky.social");
	assert_int_equal(f.count, 3);
	assert_int_equal(f.items[0].feature, BSKY_LINK);
	assert_int_equal(f.items[0].byte_start, 7); /* "¡" is 2 bytes */
	assert_int_equal(f.items[0].byte_end, 7 + strlen("www.seg-social.es/wps/portal/w..."));
	assert_string_equal(f.items[0].value, "https://www.seg-social.es/wps/portal/wss/internet/Inicio");
	assert_int_equal(f.items[1].feature, BSKY_TAG);
	assert_string_equal(f.items[1].value, "Pensi\xc3\xb3n");
	assert_memory_equal(out + f.items[1].byte_start, "#Pensi\xc3\xb3n", f.items[1].byte_end - f.items[1].byte_start);
	assert_int_equal(f.items[2].feature, BSKY_MENTION);
	assert_string_equal(f.items[2].value, "ana.bsky.social");
	assert_memory_equal(out + f.items[2].byte_start, "@ana.bsky.social", f.items[2].byte_end - f.items[2].byte_start);
	assert_string_equal(bsky_feature_type(f.items[2].feature), "app.bsky.richtext.facet#mention");
	bsky_facets_free(&f);
	free(out);
}

static struct count_result measured(const char *text, size_t len)
{
	struct counter c;
	counter_init(&c, COUNT_BLUESKY);
	struct count_result r;
	struct ii_error e = {0};
	if (counter_measure(&c, text, len, &r, &e) != II_OK)
		fail_msg("counter_measure: %s", e.detail);
	return r;
}

/* 300 graphemes, counted on the shortened text; and never more than 3000 bytes. */
static void the_limits_of_a_post(void **state)
{
	(void)state;
	char text[8000];
	memset(text, 'a', 301);
	assert_true(measured(text, 300).valid);
	assert_false(measured(text, 301).valid);
	/* a long link counts as its short form: "example.com/" and 12 + "..." */
	int n = sprintf(text, "https://example.com/%0200d", 0);
	struct count_result r = measured(text, (size_t)n);
	assert_int_equal(r.length, (int)strlen("example.com/000000000000..."));
	/* 👨‍👩‍👧‍👦 is one grapheme of 25 bytes: 121 of them are 121 graphemes and 3025 bytes */
	const char *family = "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7\xe2\x80\x8d\xf0\x9f\x91\xa6";
	size_t len = 0;
	for (int i = 0; i < 121; i++, len += 25)
		memcpy(text + len, family, 25);
	r = measured(text, len);
	assert_int_equal(r.length, 121);
	assert_false(r.valid);
	assert_true(measured(text, len - 25).valid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(links_are_shortened_as_the_app_does),
		cmocka_unit_test(facets_follow_the_shortened_text),
		cmocka_unit_test(the_limits_of_a_post),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
