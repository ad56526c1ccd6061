/* Unit tests of lib/atom: RFC 4287 validity, order and truncation, ids, times, escaping. */

#include "feedcheck.h"

#include "atom.h"

/* 2026-11-28 10:42:00 UTC (11:42 in Madrid, winter time) */
#define T0 ((time_t)1795862520)
#define HOUR 3600

static const struct atom_meta meta = {
	.base_url = "https://www.example.org/incluinfo/",
	.file_name = "incidencias.atom",
	.title = "Incidencias de la Seguridad Social",
	.author_name = "Ministerio de Inclusión, Seguridad Social y Migraciones",
	.author_uri = "https://www.inclusion.gob.es/",
	.site_url = "https://www.example.org/",
	.empty_updated = T0 - 100 * HOUR,
};

static const struct atom_link x_post = {
	.rel = "alternate", .href = "https://x.com/incluinfo/status/1861234567890", .type = "text/html"};
static const struct atom_link sources[] = {
	{.rel = "related", .href = "https://www.boe.es/buscar/doc.php?id=BOE-A-2025-1&x=1"},
	{.rel = "related", .href = "https://www.seg-social.es/", .title = "Seguridad Social"},
};
static const char *const verdict[] = {"FALSO", "Pensiones"};

/* Three posts of one incident and a rebuttal, deliberately out of order. */
static const struct atom_entry entries[] = {
	{.key = "incidente/6f1c/2", .title = "[Actualización] Sede Electrónica",
	 .content = "Seguimos trabajando.\nVolverá pronto.", .published = T0 + HOUR,
	 .links = &x_post, .n_links = 1},
	{.key = "incidente/6f1c/1", .title = "[Incidencia] Sede Electrónica",
	 .content = "La Sede Electrónica no está disponible desde las 11:42.", .published = T0},
	{.key = "bulo/pensiones-enero", .title = "Las pensiones no bajarán en enero",
	 .content = "FALSO. Las pensiones se revalorizan.", .published = T0 + 3 * HOUR,
	 .updated = T0 + 5 * HOUR, .links = sources, .n_links = 2, .categories = verdict,
	 .n_categories = 2},
	{.key = "incidente/6f1c/3", .title = "[Resuelto] Sede Electrónica",
	 .content = "Ya funciona.", .published = T0 + 2 * HOUR},
};
#define N_ENTRIES (sizeof entries / sizeof *entries)

static void render(struct fixture *f, const struct atom_entry *list, size_t n, size_t max)
{
	free(f->doc);
	f->doc = NULL;
	ii_err rc = atom_render(&meta, list, n, max, &f->doc, &f->len, &f->err);
	if (rc)
		fail_msg("atom_render: %s", f->err.detail);
	assert_int_equal(f->len, strlen(f->doc));
}

static void test_feed_is_valid_atom(void **state)
{
	struct fixture *f = *state;
	render(f, entries, N_ENTRIES, 0);
	feedcheck_assert_valid("atom.rng", f->doc, f->len);

	xmlDocPtr doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:id)",
			       "https://www.example.org/incluinfo/incidencias.atom");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:title)", meta.title);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:author/a:name)", meta.author_name);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:link[@rel='self']/@href)",
			       "https://www.example.org/incluinfo/incidencias.atom");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:link[@rel='self']/@type)",
			       "application/atom+xml");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:link[@rel='alternate']/@href)",
			       "https://www.example.org/");
	/* the newest change among the entries: the rebuttal's update, 16:42 in Madrid */
	feedcheck_assert_xpath(doc, "string(/a:feed/a:updated)", "2026-11-28T16:42:00+01:00");
	feedcheck_assert_xpath(doc, "count(/a:feed/a:entry)", "4");
	/* newest first by publication */
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[1]/a:title)",
			       "Las pensiones no bajarán en enero");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[2]/a:title)",
			       "[Resuelto] Sede Electrónica");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[3]/a:title)",
			       "[Actualización] Sede Electrónica");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[4]/a:title)",
			       "[Incidencia] Sede Electrónica");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[4]/a:id)",
			       "tag:www.example.org,2026-11-28:incidente/6f1c/1");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[4]/a:published)",
			       "2026-11-28T11:42:00+01:00");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[4]/a:updated)",
			       "2026-11-28T11:42:00+01:00");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[3]/a:content)",
			       "Seguimos trabajando.\nVolverá pronto.");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[3]/a:content/@type)", "text");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[3]/a:link[@rel='alternate']/@href)",
			       x_post.href);
	feedcheck_assert_xpath(doc, "count(/a:feed/a:entry[1]/a:link[@rel='related'])", "2");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[1]/a:link[1]/@href)",
			       sources[0].href);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[1]/a:category[1]/@term)", "FALSO");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[1]/a:updated)",
			       "2026-11-28T16:42:00+01:00");
	xmlFreeDoc(doc);
}

/* The schema is not vacuous: it rejects what RFC 4287 forbids. */
static void test_schema_rejects_broken_feeds(void **state)
{
	struct fixture *f = *state;
	render(f, entries, N_ENTRIES, 0);
	static const struct feedcheck_break breaks[] = {
		/* the feed's id is required */
		{"<id>https://www.example.org/incluinfo/incidencias.atom</id>", ""},
		/* an entry's title is required */
		{"<title>[Resuelto] Sede Electrónica</title>", ""},
		/* RFC 3339 needs an offset or Z */
		{"<updated>2026-11-28T16:42:00+01:00</updated>", "<updated>2026-11-28 16:42</updated>"},
		/* one id only */
		{"<id>tag:", "<id>tag:a,2026:b</id><id>tag:"},
		/* without content an entry needs an alternate link */
		{"<content type=\"text\">Ya funciona.</content>", ""},
		/* a person construct needs a name */
		{"<name>Ministerio de Inclusión, Seguridad Social y Migraciones</name>", ""},
	};
	feedcheck_assert_breaks_rejected("atom.rng", f->doc, breaks);
}

static void test_keeps_the_newest_max_entries(void **state)
{
	struct fixture *f = *state;
	struct atom_entry many[60];
	char keys[60][16];
	for (size_t i = 0; i < 60; i++) {
		snprintf(keys[i], sizeof keys[i], "post/%zu", i);
		many[i] = (struct atom_entry){.key = keys[i], .title = "t", .content = "c",
					      .published = T0 + (time_t)i * 60};
	}
	render(f, many, 60, 0);
	feedcheck_assert_valid("atom.rng", f->doc, f->len);
	xmlDocPtr doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "count(/a:feed/a:entry)", "50");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[1]/a:id)",
			       "tag:www.example.org,2026-11-28:post/59");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[50]/a:id)",
			       "tag:www.example.org,2026-11-28:post/10");
	xmlFreeDoc(doc);

	render(f, many, 60, 3);
	doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "count(/a:feed/a:entry)", "3");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[3]/a:id)",
			       "tag:www.example.org,2026-11-28:post/57");
	xmlFreeDoc(doc);
}

/* The same entries in another order give the same bytes (a web server's ETag holds). */
static void test_output_is_stable(void **state)
{
	struct fixture *f = *state;
	render(f, entries, N_ENTRIES, 0);
	char *first = strdup(f->doc);
	struct atom_entry reversed[N_ENTRIES];
	for (size_t i = 0; i < N_ENTRIES; i++)
		reversed[i] = entries[N_ENTRIES - 1 - i];
	render(f, reversed, N_ENTRIES, 0);
	assert_string_equal(first, f->doc);
	free(first);
}

static void test_empty_feed(void **state)
{
	struct fixture *f = *state;
	render(f, NULL, 0, 0);
	feedcheck_assert_valid("atom.rng", f->doc, f->len);
	xmlDocPtr doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:updated)", "2026-11-24T07:42:00+01:00");
	feedcheck_assert_xpath(doc, "count(/a:feed/a:entry)", "0");
	xmlFreeDoc(doc);
}

/* Times carry the zone's offset of that day, and +00:00 rather than Z in UTC. */
static void test_times_have_numeric_offsets(void **state)
{
	struct fixture *f = *state;
	struct atom_entry summer = {.key = "k", .title = "t", .content = "c",
				    .published = T0 - 150 * 24 * HOUR};
	render(f, &summer, 1, 0);
	xmlDocPtr doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry/a:published)",
			       "2026-07-01T12:42:00+02:00");
	xmlFreeDoc(doc);

	setenv("TZ", "UTC", 1);
	tzset();
	render(f, &summer, 1, 0);
	feedcheck_assert_valid("atom.rng", f->doc, f->len);
	doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry/a:published)",
			       "2026-07-01T10:42:00+00:00");
	xmlFreeDoc(doc);

	setenv("TZ", "America/Caracas", 1);
	tzset();
	render(f, &summer, 1, 0);
	doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry/a:published)",
			       "2026-07-01T06:42:00-04:00");
	xmlFreeDoc(doc);
}

/* Markup, CDATA ends, quotes, emoji, bidi marks and XML-forbidden controls. */
static void test_hostile_text_round_trips(void **state)
{
	struct fixture *f = *state;
	const char *hostile = "<b>Fin</b> & \"comillas\" 'simples' ]]> <![CDATA[x]]> "
			      "&amp; \xF0\x9F\x9A\xA8\xE2\x80\x8F\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85"
			      "\xE2\x80\x8E \x01\x08\x0B\x0C\x1F\xEF\xBF\xBE\xEF\xBF\xBF\t\r\nfin";
	const char *expected = "<b>Fin</b> & \"comillas\" 'simples' ]]> <![CDATA[x]]> "
			       "&amp; \xF0\x9F\x9A\xA8\xE2\x80\x8F\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85"
			       "\xE2\x80\x8E \t\r\nfin";
	const char *category[] = {hostile};
	struct atom_link link = {.rel = "related", .href = "https://example.org/?a=1&b=<2>",
				 .title = hostile};
	struct atom_entry entry = {.key = "clave con espacios & ñ <>", .title = hostile,
				   .content = hostile, .published = T0, .links = &link,
				   .n_links = 1, .categories = category, .n_categories = 1};
	struct atom_meta hostile_meta = meta;
	hostile_meta.title = hostile;
	free(f->doc);
	f->doc = NULL;
	if (atom_render(&hostile_meta, &entry, 1, 0, &f->doc, &f->len, &f->err))
		fail_msg("atom_render: %s", f->err.detail);
	feedcheck_assert_valid("atom.rng", f->doc, f->len);
	xmlDocPtr doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:title)", expected);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry/a:title)", expected);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry/a:content)", expected);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry/a:category/@term)", expected);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry/a:link/@title)", expected);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry/a:link/@href)", link.href);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry/a:id)",
			       "tag:www.example.org,2026-11-28:"
			       "clave%20con%20espacios%20&%20%C3%B1%20%3C%3E");
	xmlFreeDoc(doc);
}

static void test_rejects_bad_input(void **state)
{
	struct fixture *f = *state;
	struct atom_entry entry = {.key = "k", .title = "bad \xC3\x28 UTF-8", .content = "c",
				   .published = T0};
	assert_int_equal(atom_render(&meta, &entry, 1, 0, &f->doc, &f->len, &f->err), II_EDATA);
	assert_string_equal(f->err.detail, "'title' is not valid UTF-8 at byte 4");

	entry.title = "t";
	entry.content = NULL;
	assert_int_equal(atom_render(&meta, &entry, 1, 0, &f->doc, &f->len, &f->err), II_EDATA);
	assert_string_equal(f->err.detail, "missing 'content'");

	entry.content = "c";
	entry.key = NULL;
	assert_int_equal(atom_render(&meta, &entry, 1, 0, &f->doc, &f->len, &f->err), II_EDATA);
	assert_string_equal(f->err.detail, "missing the key of entry 1");

	struct atom_meta bad = meta;
	bad.base_url = "ftp://example.org/";
	assert_int_equal(atom_render(&bad, NULL, 0, 0, &f->doc, &f->len, &f->err), II_EDATA);
	assert_string_equal(f->err.detail, "invalid base URL 'ftp://example.org/'");
	assert_null(f->doc);
}

/* The channel's legal notice once, in the feed's atom:rights (it applies to every entry);
 * an entry in another language says so with xml:lang, one in the feed's inherits it. */
static void test_rights_and_entry_language(void **state)
{
	struct fixture *f = *state;
	struct atom_meta with_rights = meta;
	with_rights.rights = "La información de esta cuenta tiene carácter meramente informativo.";
	struct atom_entry list[2] = {entries[1], entries[3]};
	list[1].lang = "ca";
	list[0].lang = "es-ES";
	free(f->doc);
	f->doc = NULL;
	assert_int_equal(atom_render(&with_rights, list, 2, 0, &f->doc, &f->len, &f->err), II_OK);
	feedcheck_assert_valid("atom.rng", f->doc, f->len);
	xmlDocPtr doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:rights)", with_rights.rights);
	feedcheck_assert_xpath(doc, "count(//a:rights)", "1");
	feedcheck_assert_xpath(doc, "string(/a:feed/@xml:lang)", "es");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[1]/@xml:lang)", "ca");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[2]/@xml:lang)", "es-ES");
	xmlFreeDoc(doc);

	/* the feed's own language is inherited, not repeated */
	list[1].lang = "es";
	free(f->doc);
	f->doc = NULL;
	assert_int_equal(atom_render(&meta, list, 2, 0, &f->doc, &f->len, &f->err), II_OK);
	doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "count(//a:entry/@xml:lang)", "1");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[2]/@xml:lang)", "es-ES");
	xmlFreeDoc(doc);

	/* without them, neither is written */
	render(f, entries, N_ENTRIES, 0);
	doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "count(//a:rights)", "0");
	feedcheck_assert_xpath(doc, "count(//a:entry/@xml:lang)", "0");
	xmlFreeDoc(doc);

	static const char *const bad[] = {"", "e s", "es-", "-es", "1es", "español", "abcdefghi"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		list[1].lang = bad[i];
		free(f->doc);
		f->doc = NULL;
		assert_int_equal(atom_render(&meta, list, 2, 0, &f->doc, &f->len, &f->err), II_EDATA);
		unit_assert_contains(f->err.detail, "invalid language");
	}
}

static void test_write_replaces_the_file(void **state)
{
	struct fixture *f = *state;
	char *path = unit_join(f->dir, "incidencias.atom");
	unit_write(path, "old");
	if (atom_write(path, &meta, entries, N_ENTRIES, 0, &f->err))
		fail_msg("atom_write: %s", f->err.detail);
	render(f, entries, N_ENTRIES, 0);
	size_t len;
	char *got = feedcheck_slurp(path, &len);
	assert_int_equal(len, f->len);
	assert_string_equal(got, f->doc);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	free(got);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_feed_is_valid_atom),
		UNIT_TEST(test_schema_rejects_broken_feeds),
		UNIT_TEST(test_keeps_the_newest_max_entries),
		UNIT_TEST(test_output_is_stable),
		UNIT_TEST(test_empty_feed),
		UNIT_TEST(test_times_have_numeric_offsets),
		UNIT_TEST(test_hostile_text_round_trips),
		UNIT_TEST(test_rejects_bad_input),
		UNIT_TEST(test_rights_and_entry_language),
		UNIT_TEST(test_write_replaces_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
