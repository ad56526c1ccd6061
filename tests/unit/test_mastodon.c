/* Unit tests of lib/text/mastodon: a table of cases from Mastodon's documentation
 * (docs.joinmastodon.org, "Posting": every link counts as 23 characters, only the user
 * part of a remote mention counts) and from its source (StatusLengthValidator counts
 * grapheme clusters; Account::MENTION_RE; spec/validators/status_length_validator_spec.rb:
 * "counts URLs as 23 characters flat", "does not count overly long URLs as 23 characters
 * flat" when written without a scheme, "counts only the front part of remote usernames"). */

#include "unit.h"

#include "text/count.h"
#include "text/mastodon.h"

static int length(const char *text)
{
	int n;
	struct ii_error e = {0};
	if (mastodon_length(text, strlen(text), MASTODON_DEFAULT_URL_LENGTH, &n, &e) != II_OK)
		fail_msg("mastodon_length(\"%s\"): %s", text, e.detail);
	return n;
}

static void the_table(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int length;
	} cases[] = {
		{"", 0},
		{"Hola", 4},
		{"Pensión", 7},
		{"Pensio\xcc\x81n", 7},                         /* o + U+0301: one grapheme */
		{"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7", 1}, /* 👨‍👩‍👧 */
		{"\xf0\x9f\x87\xaa\xf0\x9f\x87\xb8", 1},         /* 🇪🇸 */
		{"\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", 1},         /* 👍🏽 */
		{"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 3},     /* 日本語: 1 each, not 2 as on X */
		{"https://www.seg-social.es/wps/portal/wss/internet/Inicio", 23},
		{"Ver https://example.com", 4 + 23},
		{"http://a.es", 23},                            /* a short URL counts 23 too */
		{"HTTPS://EXAMPLE.COM/X", 23},
		{"seg-social.es/wps/portal/wss/internet/Inicio", 44}, /* no scheme: as written */
		{"www.seg-social.es", 17},
		{"(https://example.com/a_(b)).", 1 + 23 + 2},
		{"@incluinfo", 10},
		{"@incluinfo@social.example.gob.es", 10},       /* only "@incluinfo" */
		{"hola @ana@mastodon.social y @luis", 5 + 4 + 3 + 5},
		{"ana@mastodon.social", 19},                    /* no "@" first: an address */
		{"=@ana@mastodon.social", 21},                  /* after "=": not a mention */
		{"@ana@mastodon.social@", 21},                  /* followed by "@": not one */
		{"@noël@example.com", 17},                      /* "@no" + "ë": not one */
		{"https://mastodon.social/@ana@otro.es", 23},   /* the URL wins */
		{"Ver https://a.es y @ana@b.es \xf0\x9f\x87\xaa\xf0\x9f\x87\xb8", 4 + 23 + 3 + 4 + 1 + 1},
		{"https://a.es\xcc\x81", 23},                   /* a mark joins the placeholder */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = length(cases[i].text);
		if (got != cases[i].length)
			fail_msg("\"%s\": %d, expected %d", cases[i].text, got, cases[i].length);
	}
}

/* A long remote domain is not a mention (Extractor: MAX_DOMAIN_LENGTH 253). */
static void long_domains_are_not_mentions(void **state)
{
	(void)state;
	char text[400] = "@ana@";
	memset(text + 5, 'a', 250);
	strcpy(text + 255, ".es");
	assert_int_equal(length(text), 4); /* a domain 253 long: still one, "@ana" */
	text[0] = '@';
	memset(text + 5, 'a', 251);
	strcpy(text + 256, ".es");
	assert_int_equal(length(text), 5 + 254); /* 254: counted whole */
}

/* The instance's own reserved length, and its limit, are the counter's parameters. */
static void the_instance_sets_the_figures(void **state)
{
	(void)state;
	int n;
	assert_int_equal(mastodon_length("https://example.com", 19, 30, &n, NULL), II_OK);
	assert_int_equal(n, 30);
	struct counter c;
	counter_init(&c, COUNT_MASTODON);
	assert_int_equal(c.limit, 500);
	assert_int_equal(c.url_length, 23);
	char text[520];
	memset(text, 'a', 501);
	struct count_result r;
	assert_int_equal(counter_measure(&c, text, 500, &r, NULL), II_OK);
	assert_true(r.valid);
	assert_int_equal(counter_measure(&c, text, 501, &r, NULL), II_OK);
	assert_false(r.valid);
	c.limit = 1000;
	assert_int_equal(counter_measure(&c, text, 501, &r, NULL), II_OK);
	assert_true(r.valid);
}

static void invalid_utf8_is_an_error(void **state)
{
	(void)state;
	int n;
	struct ii_error e = {0};
	assert_int_equal(mastodon_length("a\xff", 2, 23, &n, &e), II_EDATA);
	assert_non_null(strstr(e.detail, "UTF-8"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_table),
		cmocka_unit_test(long_domains_are_not_mentions),
		cmocka_unit_test(the_instance_sets_the_figures),
		cmocka_unit_test(invalid_utf8_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
