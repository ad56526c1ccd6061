/* Unit tests of lib/mastodon's pure parts: reading a status's HTML back as the text sent,
 * its times, the idempotency key. The requests themselves are tested against
 * tests/fakes/mastodon.js (tests/cli/t_channels.sh). */

#include "unit.h"

#include "mastodon.h"

static void content_reads_back_as_the_text_sent(void **state)
{
	(void)state;
	/* Mastodon's own rendering: paragraphs, a line break, a link cut by invisible spans,
	 * a hashtag, entities */
	const char *html =
		"<p>Corte en la sede &amp; en la app.<br />Más en "
		"<a href=\"https://sede.seg-social.gob.es/wps/portal/sede/Inicio/avisos\" rel=\"nofollow\">"
		"<span class=\"invisible\">https://</span><span class=\"ellipsis\">sede.seg-social.gob.es/wps/po</span>"
		"<span class=\"invisible\">rtal/sede/Inicio/avisos</span></a></p><p>"
		"<a href=\"https://x.example/tags/SeguridadSocial\" class=\"mention hashtag\">#<span>SeguridadSocial</span></a>"
		" &lt;1/2&gt; &#39;ya&#x27; 1/2</p>";
	const char *text = "Corte en la sede & en la app.\nMás en "
			   "https://sede.seg-social.gob.es/wps/portal/sede/Inicio/avisos\n\n"
			   "#SeguridadSocial <1/2> 'ya' 1/2";
	assert_true(mastodon_text_matches(text, html));
	/* white space is white space, wherever it falls */
	assert_true(mastodon_text_matches("  a\n\nb ", "<p>a</p><p>b</p>"));
	/* NFC on both sides: a decomposed "é" is the same letter */
	assert_true(mastodon_text_matches("caf\xc3\xa9", "<p>cafe\xcc\x81</p>"));
	assert_false(mastodon_text_matches("Corte en la sede.", "<p>Corte en la sede</p>"));
	assert_false(mastodon_text_matches("ab", "<p>a</p><p>b</p>"));
	assert_false(mastodon_text_matches("a", "<p>a &#0; b</p>"));
	assert_false(mastodon_text_matches("\xff", "<p>\xff</p>"));
}

static void times_are_read_with_their_offset(void **state)
{
	(void)state;
	assert_int_equal(mastodon_parse_time("2026-12-06T02:35:00.123Z"), 1796524500);
	assert_int_equal(mastodon_parse_time("2026-12-06T02:35:00Z"), 1796524500);
	assert_int_equal(mastodon_parse_time("2026-12-06T03:35:00+01:00"), 1796524500);
	assert_int_equal(mastodon_parse_time("2026-12-06T01:35:00.5-01:00"), 1796524500);
	assert_int_equal(mastodon_parse_time("2026-12-06T02:35:00"), 0);
	assert_int_equal(mastodon_parse_time("1796524500"), 0);
	assert_int_equal(mastodon_parse_time(""), 0);
	assert_int_equal(mastodon_parse_time(NULL), 0);
}

static void key_follows_channel_post_and_text(void **state)
{
	(void)state;
	char a[192], b[192], c[192], d[192];
	mastodon_idempotency_key("mastodon", "uuid-0", "Hola", a, sizeof a);
	mastodon_idempotency_key("mastodon", "uuid-0", "Hola", b, sizeof b);
	mastodon_idempotency_key("mastodon", "uuid-0", "Hola.", c, sizeof c);
	mastodon_idempotency_key("otra", "uuid-0", "Hola", d, sizeof d);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_not_equal(a, d);
	unit_assert_contains(a, "incluinfo-mastodon-uuid-0-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(content_reads_back_as_the_text_sent),
		cmocka_unit_test(times_are_read_with_their_offset),
		cmocka_unit_test(key_follows_channel_post_and_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
