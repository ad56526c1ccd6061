/* Unit tests of lib/console: the word difference of two versions, and pages whose texts
 * from the store reach the HTML escaped, with the forms and token a change needs. */

#include "unit.h"

#include "console.h"
#include "draft.h"
#include "store.h"

struct fixture {
	char *dir;
	struct store *store;
	struct config *cfg;
	struct diag_list *diags;
	struct ii_error err;
};

static void init(struct fixture *f)
{
	unit_ok(store_open(f->dir, STORE_WRITE, &f->store, &f->err), &f->err);
	unit_renew_diags(&f->diags, &f->err);
	unit_config_load(f->dir, "[service sede]\nurl = http://127.0.0.1:1/\nname = <i>Sede</i>\n",
			 &f->cfg, f->diags, &f->err);
}

static void fini(struct fixture *f)
{
	store_close(f->store);
	config_free(f->cfg);
	diag_free(f->diags);
}

UNIT_FIXTURE(init, fini)

/* The changes as one string: "=same", "-removed", "+added" pieces joined by '|'. */
static char *diff_string(struct fixture *f, const char *old, const char *new)
{
	struct console_change *changes;
	size_t count;
	unit_ok(console_diff(old, new, &changes, &count, &f->err), &f->err);
	char *out = calloc(1, strlen(old) + strlen(new) + 4 * count + 1);
	for (size_t i = 0; i < count; i++) {
		strcat(out, i ? "|" : "");
		strcat(out, changes[i].kind == CONSOLE_SAME ? "=" : changes[i].kind == CONSOLE_ADDED ? "+" : "-");
		strncat(out, changes[i].text, changes[i].len);
	}
	free(changes);
	return out;
}

static void diff_marks_the_words_that_changed(void **state)
{
	struct fixture *f = *state;
	char *d = diff_string(f, "Pide cita en la sede.", "Pide cita previa en la sede electrónica.");
	assert_string_equal(d, "=Pide cita |+previa |=en la |-sede.|+sede electrónica.");
	free(d);
	d = diff_string(f, "igual\n\nigual", "igual\n\nigual");
	assert_string_equal(d, "=igual\n\nigual");
	free(d);
	d = diff_string(f, "", "nuevo texto");
	assert_string_equal(d, "+nuevo texto");
	free(d);
	d = diff_string(f, "todo fuera", "");
	assert_string_equal(d, "-todo fuera");
	free(d);
}

static void diff_of_texts_too_long_replaces_them_whole(void **state)
{
	struct fixture *f = *state;
	size_t words = CONSOLE_DIFF_MAX_WORDS + 1;
	char *old = calloc(words * 2 + 1, 1), *new = calloc(words * 2 + 1, 1); /* "a " each, and the NUL */
	for (size_t i = 0; i < words; i++) {
		strcat(old, "a ");
		strcat(new, i == words / 2 ? "b " : "a ");
	}
	struct console_change *changes;
	size_t count;
	unit_ok(console_diff(old, new, &changes, &count, &f->err), &f->err);
	assert_int_equal(count, 2);
	assert_int_equal(changes[0].kind, CONSOLE_REMOVED);
	assert_int_equal(changes[0].len, strlen(old));
	assert_int_equal(changes[1].kind, CONSOLE_ADDED);
	free(changes);
	free(old);
	free(new);
}

static const char *const posts[] = {"<script>alert(1)</script> & <b>FALSO</b> 1/1"};
static const int lengths[] = {44};

static void page_escapes_every_text_from_the_store(void **state)
{
	struct fixture *f = *state;
	struct draft_spec spec = {.kind = DRAFT_BULO, .title = "<script>alert(1)</script> & co",
				  .author = "<img src=x onerror=alert(1)>", .posts = posts,
				  .lengths = lengths, .post_count = 1};
	struct draft_actor system = {.name = DRAFT_SYSTEM_NAME, .os_user = "cron", .at = 1764000000};
	char uuid[37];
	unit_ok(draft_create(f->store, &spec, &system, false, uuid, &f->err), &f->err);
	struct console_view view = {.cfg = f->cfg, .viewer = "Ana <Gil>", .csrf = "t0k\"en' x='1"};
	enum console_page pages[] = {CONSOLE_DRAFTS, CONSOLE_DRAFT, CONSOLE_INCIDENTS, CONSOLE_SERVICES};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		char *html;
		size_t len;
		unit_ok(console_page(f->store, &view, pages[i], uuid, &html, &len, &f->err), &f->err);
		assert_int_equal(strlen(html), len);
		assert_null(strstr(html, "<script"));
		assert_null(strstr(html, "<img"));
		assert_null(strstr(html, "<b>"));
		assert_null(strstr(html, "<i>"));
		assert_null(strstr(html, "style="));
		unit_assert_contains(html, "Ana &lt;Gil&gt;");
		unit_assert_contains(html, "name=\"viewport\"");
		if (pages[i] == CONSOLE_DRAFT) {
			unit_assert_contains(html, "<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</h1>");
			/* a token that tries to end its attribute stays inside it */
			unit_assert_contains(html, "value=\"t0k&quot;en' x='1\"");
			unit_assert_contains(html, "method=\"post\"");
			unit_assert_contains(html, "44 of 280 characters on X");
		}
		if (pages[i] == CONSOLE_SERVICES)
			unit_assert_contains(html, "&lt;i&gt;Sede&lt;/i&gt;");
		free(html);
	}
}

/* The page of a new draft whose thread on channel "m" is toots, with channels configured. */
static char *page_with_thread(struct fixture *f, const char *const *toots, const int *toot_lengths,
			      struct config_channel *channels, size_t channel_count)
{
	const struct draft_thread threads[] = {{"m", toots, toot_lengths, 1}};
	struct draft_spec spec = {.kind = DRAFT_AVISO, .title = "Aviso", .posts = posts,
				  .lengths = lengths, .post_count = 1, .threads = threads,
				  .thread_count = 1};
	struct draft_actor system = {.name = DRAFT_SYSTEM_NAME, .os_user = "cron", .at = 1764000000};
	char uuid[37];
	unit_ok(draft_create(f->store, &spec, &system, false, uuid, &f->err), &f->err);
	struct config cfg = *f->cfg;
	cfg.channels = channels;
	cfg.channel_count = channel_count;
	struct console_view view = {.cfg = &cfg, .viewer = "Ana"};
	char *html;
	size_t len;
	unit_ok(console_page(f->store, &view, CONSOLE_DRAFT, uuid, &html, &len, &f->err), &f->err);
	return html;
}

static void draft_page_shows_each_channels_thread_with_its_limit(void **state)
{
	struct fixture *f = *state;
	static const char *const toots[] = {"Un solo estado para Mastodon, que admite 500."};
	static const int toot_lengths[] = {45};
	struct config_channel channels[] = {{.id = "m", .type = CONFIG_CHANNEL_MASTODON},
					    {.id = "otra", .type = CONFIG_CHANNEL_MASTODON}};
	char *html = page_with_thread(f, toots, toot_lengths, channels, 2);
	unit_assert_contains(html, "The thread as it will be published on X (x)");
	unit_assert_contains(html, "44 of 280 characters on X");
	unit_assert_contains(html, "The thread as it will be published on Mastodon (m)");
	unit_assert_contains(html, "Un solo estado para Mastodon");
	unit_assert_contains(html, "45 of 500 characters on Mastodon");
	/* a channel configured after the draft was made has no thread */
	unit_assert_contains(html, "Not published on Mastodon (otra): no thread was cut for it");
	free(html);
}

/* What the approver reads is what Bluesky shows: a long link shortened as the app shows
 * it, the length counted on that text. */
static void draft_page_shows_bluesky_posts_as_shown(void **state)
{
	struct fixture *f = *state;
	static const char *const skeets[] = {
		"Pide cita en https://sede.seg-social.gob.es/wps/portal/sede/sede/Ciudadanos/CitaPrevia hoy."};
	static const int skeet_lengths[] = {56};
	struct config_channel channels[] = {{.id = "m", .type = CONFIG_CHANNEL_BLUESKY}};
	char *html = page_with_thread(f, skeets, skeet_lengths, channels, 1);
	unit_assert_contains(html, "Pide cita en sede.seg-social.gob.es/wps/portal/s... hoy.");
	assert_null(strstr(html, "Ciudadanos/CitaPrevia"));
	unit_assert_contains(html, "56 of 300 characters on Bluesky");
	free(html);
}

static void unknown_draft_is_an_error_not_a_page(void **state)
{
	struct fixture *f = *state;
	struct console_view view = {.cfg = f->cfg};
	char *html = NULL;
	size_t len;
	assert_int_equal(console_page(f->store, &view, CONSOLE_DRAFT,
				      "00000000-0000-0000-0000-000000000000", &html, &len, &f->err),
			 II_EDATA);
	assert_null(html);
	/* before the first run there is no store: the lists are empty, not an error */
	unit_ok(console_page(NULL, &view, CONSOLE_DRAFTS, NULL, &html, &len, &f->err), &f->err);
	unit_assert_contains(html, "No draft is waiting.");
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(diff_marks_the_words_that_changed),
		UNIT_TEST(diff_of_texts_too_long_replaces_them_whole),
		UNIT_TEST(page_escapes_every_text_from_the_store),
		UNIT_TEST(draft_page_shows_each_channels_thread_with_its_limit),
		UNIT_TEST(draft_page_shows_bluesky_posts_as_shown),
		UNIT_TEST(unknown_draft_is_an_error_not_a_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
