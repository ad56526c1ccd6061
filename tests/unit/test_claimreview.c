/* Unit tests of lib/claimreview: every field parsed back with cJSON, the 75-character cut,
 * slugs, the rating scale, escaping for an HTML <script> element. */

#include "feedcheck.h"

#include <utf8proc.h>

#include "claimreview.h"

/* 2026-12-01 08:00:00 UTC (09:00 in Madrid) */
#define T0 ((time_t)1796112000)

static const struct claimreview_publisher ministry = {
	.name = "Ministerio de Inclusión, Seguridad Social y Migraciones",
	.url = "https://www.inclusion.gob.es/",
	.url_template = "https://www.example.org/desmentidos/{slug}.html",
};

static const char *const sources[] = {
	"https://www.boe.es/buscar/act.php?id=BOE-A-2015-11724",
	"https://www.seg-social.es/wps/portal/wss/internet/Pensionistas",
};

static const struct claimreview review = {
	.title = "Las pensiones no bajarán en enero",
	.claim = "Un mensaje dice que las pensiones bajarán un 20 % en enero",
	.verdict = "FALSO",
	.slug = "las-pensiones-no-bajaran-en-enero",
	.published = T0,
	.sources = sources,
	.n_sources = 2,
};

/* Renders r and parses it back; the parsed document stays in f->json. */
static const cJSON *render(struct fixture *f, const struct claimreview *r)
{
	free(f->doc);
	f->doc = NULL;
	if (claimreview_render(&ministry, r, &f->doc, &f->len, &f->err))
		fail_msg("claimreview_render: %s", f->err.detail);
	assert_int_equal(f->len, strlen(f->doc));
	cJSON_Delete(f->json);
	f->json = cJSON_Parse(f->doc);
	if (!f->json)
		fail_msg("not JSON:\n%s", f->doc);
	return f->json;
}

/* The string at a path of object keys (NULL-terminated), failing when it is not one. */
static const char *string_at(const cJSON *json, const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	for (const char *key = first; key; key = va_arg(ap, const char *)) {
		json = cJSON_GetObjectItemCaseSensitive(json, key);
		if (!json)
			fail_msg("no '%s'", key);
	}
	va_end(ap);
	if (!cJSON_IsString(json))
		fail_msg("not a string: %s", cJSON_PrintUnformatted(json));
	return json->valuestring;
}

static double number_at(const cJSON *json, const char *object, const char *key)
{
	const cJSON *item =
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(json, object), key);
	if (!cJSON_IsNumber(item))
		fail_msg("'%s.%s' is not a number", object, key);
	return item->valuedouble;
}

static void test_every_field(void **state)
{
	struct fixture *f = *state;
	const cJSON *json = render(f, &review);
	assert_string_equal(string_at(json, "@context", NULL), "https://schema.org");
	assert_string_equal(string_at(json, "@type", NULL), "ClaimReview");
	assert_string_equal(string_at(json, "inLanguage", NULL), "es");
	assert_string_equal(string_at(json, "headline", NULL), review.title);
	assert_string_equal(string_at(json, "claimReviewed", NULL), review.claim);
	assert_string_equal(string_at(json, "reviewRating", "@type", NULL), "Rating");
	assert_string_equal(string_at(json, "reviewRating", "alternateName", NULL), "FALSO");
	assert_true(number_at(json, "reviewRating", "ratingValue") == 1);
	assert_true(number_at(json, "reviewRating", "bestRating") == 5);
	assert_true(number_at(json, "reviewRating", "worstRating") == 1);
	assert_string_equal(string_at(json, "author", "@type", NULL), "Organization");
	assert_string_equal(string_at(json, "author", "name", NULL), ministry.name);
	assert_string_equal(string_at(json, "author", "url", NULL), ministry.url);
	assert_string_equal(string_at(json, "datePublished", NULL), "2026-12-01T09:00:00+01:00");
	assert_string_equal(string_at(json, "url", NULL),
			    "https://www.example.org/desmentidos/las-pensiones-no-bajaran-en-enero.html");
	assert_string_equal(string_at(json, "itemReviewed", "@type", NULL), "Claim");
	assert_string_equal(string_at(json, "itemReviewed", "text", NULL), review.claim);
	const cJSON *citation = cJSON_GetObjectItemCaseSensitive(json, "citation");
	assert_true(cJSON_IsArray(citation));
	assert_int_equal(cJSON_GetArraySize(citation), 2);
	for (int i = 0; i < 2; i++) {
		const cJSON *page = cJSON_GetArrayItem(citation, i);
		assert_string_equal(string_at(page, "@type", NULL), "WebPage");
		assert_string_equal(string_at(page, "url", NULL), sources[i]);
	}
	/* nothing else: a field added by mistake shows up here */
	assert_int_equal(cJSON_GetArraySize(json), 11);
}

static void test_no_sources_no_citation(void **state)
{
	struct fixture *f = *state;
	struct claimreview r = review;
	r.n_sources = 0;
	const cJSON *json = render(f, &r);
	assert_null(cJSON_GetObjectItemCaseSensitive(json, "citation"));
}

static void test_rating_scale(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(claimreview_rating("FALSO"), 1);
	assert_int_equal(claimreview_rating("ENGAÑOSO"), 2);
	assert_int_equal(claimreview_rating("SIN CONTEXTO"), 3);
	assert_int_equal(claimreview_rating("ESTAFA"), 1);
	assert_int_equal(claimreview_rating("falso"), 0);
	assert_int_equal(claimreview_rating("VERDADERO"), 0);
	assert_int_equal(claimreview_rating(NULL), 0);

	struct claimreview r = review;
	r.verdict = "SIN CONTEXTO";
	const cJSON *json = render(f, &r);
	assert_string_equal(string_at(json, "reviewRating", "alternateName", NULL), "SIN CONTEXTO");
	assert_true(number_at(json, "reviewRating", "ratingValue") == 3);

	/* a scam: as false as a hoax, told apart by its name */
	r.verdict = "ESTAFA";
	json = render(f, &r);
	assert_string_equal(string_at(json, "reviewRating", "alternateName", NULL), "ESTAFA");
	assert_true(number_at(json, "reviewRating", "ratingValue") == 1);

	r.verdict = "DUDOSO";
	assert_int_equal(claimreview_render(&ministry, &r, &f->doc, &f->len, &f->err), II_EDATA);
	assert_string_equal(f->err.detail, "unknown verdict 'DUDOSO'");
}

/* The notice's language, and the channel's legal notice as a CreativeWork's text (schema.org
 * has no "disclaimer"; usageInfo takes a CreativeWork). */
static void test_language_and_legal_notice(void **state)
{
	struct fixture *f = *state;
	struct claimreview r = review;
	r.language = "ca";
	const cJSON *json = render(f, &r);
	assert_string_equal(string_at(json, "inLanguage", NULL), "ca");
	assert_null(cJSON_GetObjectItemCaseSensitive(json, "usageInfo"));

	struct claimreview_publisher with_notice = ministry;
	with_notice.legal_notice = "La información de esta cuenta tiene carácter meramente "
				   "informativo: <b>no</b> sustituye a la sede electrónica.";
	free(f->doc);
	f->doc = NULL;
	assert_int_equal(claimreview_render(&with_notice, &review, &f->doc, &f->len, &f->err), II_OK);
	assert_null(strchr(f->doc, '<'));
	cJSON_Delete(f->json);
	f->json = cJSON_Parse(f->doc);
	assert_non_null(f->json);
	assert_string_equal(string_at(f->json, "inLanguage", NULL), "es");
	assert_string_equal(string_at(f->json, "usageInfo", "@type", NULL), "CreativeWork");
	assert_string_equal(string_at(f->json, "usageInfo", "text", NULL), with_notice.legal_notice);
}

static size_t code_points(const char *s)
{
	return (size_t)utf8proc_decompose((const utf8proc_uint8_t *)s, 0, NULL, 0,
					  UTF8PROC_NULLTERM);
}

/* claimReviewed of a review whose claim is claim. */
static const char *claim_reviewed(struct fixture *f, const char *claim)
{
	struct claimreview r = review;
	r.claim = claim;
	const char *got = string_at(render(f, &r), "claimReviewed", NULL);
	assert_true(code_points(got) <= CLAIMREVIEW_CLAIM_MAX);
	return got;
}

static void test_claim_cut_at_a_word(void **state)
{
	struct fixture *f = *state;
	/* 75 characters but many more bytes (accents, ñ, emoji): kept whole */
	const char *exact = "Año tras año, según el WhatsApp, la pensión baja 💸: ¿quién lo paga? ¡Nadie!";
	assert_int_equal(code_points(exact), 75);
	assert_string_equal(claim_reviewed(f, exact), exact);

	/* cut before the word that crosses 74 characters, with "…" making 75 at most */
	assert_string_equal(
		claim_reviewed(f, "Un mensaje de WhatsApp asegura que las pensiones contributivas "
				  "bajarán un 20 % en enero de 2027"),
		"Un mensaje de WhatsApp asegura que las pensiones contributivas bajarán un…");
	/* punctuation before the cut goes, and the text is made one line first */
	assert_string_equal(
		claim_reviewed(f, "El Gobierno    retirará\nel Ingreso Mínimo Vital, las ayudas, "
				  "el paro; todo: desde enero"),
		"El Gobierno retirará el Ingreso Mínimo Vital, las ayudas, el paro; todo…");
	/* one word longer than the limit is cut between characters, never inside one */
	char *word = unit_repeat('a', 80);
	char *expected = unit_repeat('a', 74);
	const char *got = claim_reviewed(f, word);
	assert_int_equal(strncmp(got, expected, 74), 0);
	assert_string_equal(got + 74, "…");
	free(word);
	free(expected);
	/* 37 two-byte "ñ" then a flag (two code points, one grapheme) at 74-75: kept whole */
	char flags[512] = "";
	for (int i = 0; i < 73; i++)
		strcat(flags, "ñ");
	strcat(flags, "🇪🇸🇪🇸");
	got = claim_reviewed(f, flags);
	assert_int_equal(code_points(got), 74);
	assert_int_equal(strncmp(got, flags, 146), 0);
	assert_string_equal(got + 146, "…");
	/* a decomposed "é" counts as one character after NFC */
	const char *nfd = "Cafe\xCC\x81";
	assert_string_equal(claim_reviewed(f, nfd), "Café");
}

static void test_slug(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *text, *slug;
	} cases[] = {
		{"Las pensiones NO bajarán en enero: ¡Falso!", "las-pensiones-no-bajaran-en-enero-falso"},
		{"  Ñandú, año 2027 (ÁÉÍÓÚÜ) ", "nandu-ano-2027-aeiouu"},
		{"IMV 💶 y cotizaciones — ¿qué cambia?", "imv-y-cotizaciones-que-cambia"},
		{"ﬁscalidad ² ＡＢＣ", "fiscalidad-2-abc"},
		{"a--b__c", "a-b-c"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *slug = NULL;
		if (claimreview_slug(cases[i].text, &slug, &f->err))
			fail_msg("claimreview_slug: %s", f->err.detail);
		assert_string_equal(slug, cases[i].slug);
		free(slug);
	}
	char *slug = NULL;
	assert_int_equal(claimreview_slug("💸 ¿? 💸", &slug, &f->err), II_EDATA);
	assert_string_equal(f->err.detail, "no letter or digit to make a name of in '💸 ¿? 💸'");
	assert_int_equal(claimreview_slug("bad \xC3\x28", &slug, &f->err), II_EDATA);
	assert_null(slug);

	/* long titles: at most CLAIMREVIEW_SLUG_MAX bytes, cut at a hyphen */
	const char *lng = "El Gobierno no eliminará las pensiones de viudedad ni las de orfandad "
			  "ni las no contributivas en dos mil veintisiete";
	assert_int_equal(claimreview_slug(lng, &slug, &f->err), II_OK);
	assert_string_equal(slug, "el-gobierno-no-eliminara-las-pensiones-de-viudedad-ni-las-de-"
				  "orfandad-ni-las-no");
	assert_true(strlen(slug) <= CLAIMREVIEW_SLUG_MAX);
	free(slug);
}

static void test_rejects_bad_input(void **state)
{
	struct fixture *f = *state;
	struct claimreview r = review;
	r.slug = "../../etc/passwd";
	assert_int_equal(claimreview_render(&ministry, &r, &f->doc, &f->len, &f->err), II_EDATA);
	assert_string_equal(f->err.detail, "invalid slug '../../etc/passwd'");

	r = review;
	struct claimreview_publisher no_slug = ministry;
	no_slug.url_template = "https://www.example.org/desmentidos/";
	assert_int_equal(claimreview_render(&no_slug, &r, &f->doc, &f->len, &f->err), II_EDATA);
	assert_string_equal(f->err.detail,
			    "no '{slug}' in the rebuttal URL template 'https://www.example.org/desmentidos/'");

	r.title = "bad \xC3\x28";
	assert_int_equal(claimreview_render(&ministry, &r, &f->doc, &f->len, &f->err), II_EDATA);
	assert_string_equal(f->err.detail, "'headline' is not valid UTF-8 at byte 4");
	assert_null(f->doc);
}

/* Quotes, backslashes, controls, and no way to end the embedding <script> element. */
static void test_hostile_text(void **state)
{
	struct fixture *f = *state;
	struct claimreview r = review;
	r.title = "</script><script>alert(\"x\\y\")</script><!-- \x01\x1F\t\xE2\x80\x8F";
	r.claim = "Dicen \"que\" </SCRIPT> \\n";
	const cJSON *json = render(f, &r);
	assert_string_equal(string_at(json, "headline", NULL),
			    "</script><script>alert(\"x\\y\")</script><!-- \t\xE2\x80\x8F");
	assert_string_equal(string_at(json, "claimReviewed", NULL), "Dicen \"que\" </SCRIPT> \\n");
	assert_null(strchr(f->doc, '<'));
	unit_assert_contains(f->doc, "\\u003c/script>");
}

static void test_write(void **state)
{
	struct fixture *f = *state;
	if (claimreview_write(f->dir, &ministry, &review, &f->err))
		fail_msg("claimreview_write: %s", f->err.detail);
	render(f, &review);
	char *path = unit_join(f->dir, "desmentidos/las-pensiones-no-bajaran-en-enero.jsonld");
	size_t len;
	char *got = feedcheck_slurp(path, &len);
	assert_string_equal(got, f->doc);
	free(got);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_every_field),
		UNIT_TEST(test_no_sources_no_citation),
		UNIT_TEST(test_rating_scale),
		UNIT_TEST(test_language_and_legal_notice),
		UNIT_TEST(test_claim_cut_at_a_word),
		UNIT_TEST(test_slug),
		UNIT_TEST(test_rejects_bad_input),
		UNIT_TEST(test_hostile_text),
		UNIT_TEST(test_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
