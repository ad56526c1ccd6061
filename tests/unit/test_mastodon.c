/* Unit tests of lib/mastodon's pure parts: reading a status's HTML back as the text sent,
 * its times, the idempotency key; and the instance's limits as the store caches them, with
 * an instance that does not answer. The requests themselves are tested against
 * tests/fakes/mastodon.js (tests/cli/t_channels.sh, t_mastodon_limits.sh). */

#include "unit.h"

#include <sys/stat.h>

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

struct fixture {
	char *dir;
	struct config *cfg;
	struct diag_list *diags;
	struct store *store;
	struct mastodon *m;
	struct ii_error err;
};

/* A Mastodon channel whose instance does not answer (nothing listens on port 1). */
static void init(struct fixture *f)
{
	char *cred = unit_write_file(f->dir, "m.cred", "access_token=abc\n");
	assert_int_equal(chmod(cred, 0600), 0);
	char text[1024];
	snprintf(text, sizeof text,
		 "[channel social]\ntype = mastodon\napi_url = http://127.0.0.1:1\ncredentials = %s\n",
		 cred);
	free(cred);
	f->diags = diag_new();
	unit_config_load(f->dir, text, &f->cfg, f->diags, &f->err);
	unit_ok(store_open(f->dir, STORE_WRITE, &f->store, &f->err), &f->err);
	unit_ok(mastodon_open(&f->cfg->channels[0], &f->m, &f->err), &f->err);
}

static void fini(struct fixture *f)
{
	mastodon_close(f->m);
	store_close(f->store);
	config_free(f->cfg);
	diag_free(f->diags);
}

UNIT_FIXTURE(init, fini)

static void put(struct fixture *f, const char *name, const char *value)
{
	unit_ok(store_channel_put(f->store, "social", name, value, &f->err), &f->err);
}

static void assert_counter(struct fixture *f, int limit, int url_length)
{
	struct counter c;
	unit_ok(mastodon_counter(f->store, "social", &c, &f->err), &f->err);
	assert_int_equal(c.network, COUNT_MASTODON);
	assert_int_equal(c.limit, limit);
	assert_int_equal(c.url_length, url_length);
}

/* Never read: Mastodon's defaults; read: the instance's; a value out of bounds (a row
 * edited by hand) is not trusted. */
static void counter_from_the_cache(void **state)
{
	struct fixture *f = *state;
	assert_counter(f, 500, 23);
	struct counter none;
	unit_ok(mastodon_counter(NULL, "social", &none, &f->err), &f->err);
	assert_int_equal(none.limit, 500);
	put(f, "max_characters", "1000");
	put(f, "characters_reserved_per_url", "30");
	put(f, "limits_read_at", "1796524500");
	assert_counter(f, 1000, 30);
	struct mastodon_limits lim;
	unit_ok(mastodon_limits(f->store, "social", &lim, &f->err), &f->err);
	assert_int_equal(lim.read_at, 1796524500);
	put(f, "max_characters", "99");
	assert_counter(f, 500, 23);
	put(f, "max_characters", "100001");
	assert_counter(f, 500, 23);
}

/* The instance does not answer: what was cached stays, the problem is kept for status and
 * said once; the next request waits a day. */
static void refresh_failure_keeps_the_cache(void **state)
{
	struct fixture *f = *state;
	const time_t now = 1796524500;
	char problem[512];
	unit_ok(mastodon_refresh_limits(f->m, f->store, now, problem, sizeof problem, &f->err), &f->err);
	assert_true(*problem);
	assert_counter(f, 500, 23);
	struct mastodon_limits lim;
	unit_ok(mastodon_limits(f->store, "social", &lim, &f->err), &f->err);
	assert_int_equal(lim.checked_at, now);
	assert_int_equal(lim.read_at, 0);
	assert_string_equal(lim.problem, problem);

	put(f, "max_characters", "1000");
	put(f, "limits_read_at", "1796520000");
	unit_ok(mastodon_refresh_limits(f->m, f->store, now + MASTODON_LIMITS_TTL - 1, problem,
					sizeof problem, &f->err), &f->err);
	assert_string_equal(problem, ""); /* not asked again within the day */
	unit_ok(mastodon_refresh_limits(f->m, f->store, now + MASTODON_LIMITS_TTL, problem,
					sizeof problem, &f->err), &f->err);
	assert_true(*problem);
	assert_counter(f, 1000, 23); /* the cache stays */
	unit_ok(mastodon_limits(f->store, "social", &lim, &f->err), &f->err);
	assert_int_equal(lim.read_at, 1796520000);
}

/* A post longer than the instance takes is refused before any request: with an instance
 * that does not answer, a request would be a transient failure. */
static void too_long_is_never_sent(void **state)
{
	struct fixture *f = *state;
	const struct publish_channel *ch = mastodon_channel(f->m);
	char problem[512];
	put(f, "max_characters", "100");
	put(f, "limits_checked_at", "1796524500");
	unit_ok(mastodon_refresh_limits(f->m, f->store, 1796524500, problem, sizeof problem, &f->err),
		&f->err);
	char *text = unit_repeat('a', 101);
	struct channel_result r;
	unit_ok(ch->post(ch->ctx, text, NULL, "k-0", "es", &r, &f->err), &f->err);
	assert_int_equal(r.outcome, CHANNEL_REJECTED);
	unit_assert_contains(r.detail, "101 characters long as Mastodon counts them, and the instance "
				       "takes at most 100");
	text[100] = '\0';
	unit_ok(ch->post(ch->ctx, text, NULL, "k-0", "es", &r, &f->err), &f->err);
	assert_int_equal(r.outcome, CHANNEL_TRANSIENT); /* sent: nobody answered */
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(content_reads_back_as_the_text_sent),
		cmocka_unit_test(times_are_read_with_their_offset),
		cmocka_unit_test(key_follows_channel_post_and_text),
		UNIT_TEST(counter_from_the_cache),
		UNIT_TEST(refresh_failure_keeps_the_cache),
		UNIT_TEST(too_long_is_never_sent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
