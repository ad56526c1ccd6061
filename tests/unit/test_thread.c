/* Unit and property tests of lib/thread: cutting a message into the posts of a thread. */

#include "unit.h"

#include "thread.h"
#include "text/tweet.h"

static int setup(void **state)
{
	(void)state;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return 0;
}

static struct thread_options options(int limit, bool numbering)
{
	struct thread_options o;
	thread_options_init(&o);
	o.limit = limit;
	o.numbering = numbering;
	return o;
}

/* Splits, failing the test with the library's detail when it refuses. */
static struct thread *split(const char *const *paras, size_t n, const struct thread_options *o)
{
	struct thread *t = NULL;
	struct ii_error e = {0};
	ii_err err = thread_split(paras, n, o, &t, &e);
	if (err != II_OK)
		fail_msg("thread_split refused: %s", e.detail);
	assert_non_null(t);
	return t;
}

/* One paragraph split at limit, unnumbered. */
static struct thread *split_one(const char *para, int limit)
{
	const char *paras[] = {para};
	struct thread_options o = options(limit, false);
	return split(paras, 1, &o);
}

/* Splits expecting code; returns the detail. */
static struct ii_error refused(const char *const *paras, size_t n, const struct thread_options *o,
			       ii_err code)
{
	struct thread *t = NULL;
	struct ii_error e = {0};
	ii_err err = thread_split(paras, n, o, &t, &e);
	if (err == II_OK)
		fail_msg("thread_split accepted a message it should refuse (%zu posts)",
			 thread_count(t));
	assert_int_equal(err, code);
	assert_null(t);
	return e;
}

static int weight(const char *text)
{
	struct tweet_parse p;
	struct ii_error e = {0};
	if (tweet_parse(text, strlen(text), &p, &e) != II_OK)
		fail_msg("tweet_parse: %s", e.detail);
	return p.valid ? p.weighted_length : -1;
}

/* Every post valid under X's rules, within limit, and its length as reported. */
static void assert_posts_valid(const struct thread *t, int limit)
{
	for (size_t i = 0; i < thread_count(t); i++) {
		const char *post = thread_post(t, i);
		int w = weight(post);
		if (w < 0 || w > limit)
			fail_msg("post %zu weighs %d (limit %d): '%s'", i + 1, w, limit, post);
		assert_int_equal(thread_post_length(t, i), w);
	}
}

/* The post without its " n/N", checking that it is there and right. */
static char *unnumbered(const struct thread *t, size_t i)
{
	char suffix[48];
	snprintf(suffix, sizeof suffix, " %zu/%zu", i + 1, thread_count(t));
	const char *post = thread_post(t, i);
	size_t len = strlen(post), n = strlen(suffix);
	if (len < n || strcmp(post + len - n, suffix) != 0)
		fail_msg("post %zu does not end with '%s': '%s'", i + 1, suffix, post);
	return strndup(post, len - n);
}

static char *repeat_words(const char *word, size_t n)
{
	size_t wl = strlen(word);
	char *s = malloc(n * (wl + 1) + 1);
	assert_non_null(s);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, word);
	}
	return s;
}

/* ---- examples ---- */

static void short_message_is_one_unnumbered_post(void **state)
{
	(void)state;
	const char *paras[] = {"Las pensiones no bajarán en enero."};
	struct thread *t = split(paras, 1, NULL);
	assert_int_equal(thread_count(t), 1);
	assert_string_equal(thread_post(t, 0), "Las pensiones no bajarán en enero.");
	assert_int_equal(thread_post_length(t, 0), 34);
	assert_null(thread_post(t, 1));
	thread_free(t);
}

static void white_space_is_collapsed_and_trimmed(void **state)
{
	(void)state;
	const char *paras[] = {"  Hola   mundo\ncon\t saltos \r\n", "", " \n ", NULL};
	struct thread *t = split(paras, 4, NULL);
	assert_int_equal(thread_count(t), 1);
	assert_string_equal(thread_post(t, 0), "Hola mundo con saltos");
	thread_free(t);
}

static void paragraphs_are_posts_unless_packed(void **state)
{
	(void)state;
	const char *paras[] = {"FALSO.", "Las pensiones suben con el IPC.", "#Pensiones"};
	struct thread *t = split(paras, 3, NULL);
	assert_int_equal(thread_count(t), 3);
	assert_string_equal(thread_post(t, 0), "FALSO. 1/3");
	assert_string_equal(thread_post(t, 1), "Las pensiones suben con el IPC. 2/3");
	assert_string_equal(thread_post(t, 2), "#Pensiones 3/3");
	thread_free(t);

	struct thread_options o = options(280, true);
	o.pack = true;
	t = split(paras, 3, &o);
	assert_int_equal(thread_count(t), 1);
	assert_string_equal(thread_post(t, 0),
			    "FALSO.\n\nLas pensiones suben con el IPC.\n\n#Pensiones");
	thread_free(t);

	t = split(paras, 3, &(struct thread_options){280, false, false, false, 25, NULL, NULL});
	assert_int_equal(thread_count(t), 3);
	assert_string_equal(thread_post(t, 2), "#Pensiones");
	thread_free(t);
}

static void long_paragraph_is_cut_at_sentences(void **state)
{
	(void)state;
	/* five sentences of 90 characters: three fit in a post, so the fourth starts the
	 * next one although some of its words would fit */
	char para[1024] = "";
	for (int i = 0; i < 5; i++) {
		char s[128];
		snprintf(s, sizeof s, "%sFrase %d de la prueba, que habla de pensiones y del "
			 "Ingreso Mínimo Vital sin ninguna prisa.", i ? " " : "", i + 1);
		strcat(para, s);
	}
	const char *paras[] = {para};
	struct thread *t = split(paras, 1, NULL);
	assert_int_equal(thread_count(t), 2);
	assert_posts_valid(t, 280);
	for (size_t i = 0; i < thread_count(t); i++) {
		char *text = unnumbered(t, i);
		assert_true(strncmp(text, i ? "Frase 4 " : "Frase 1 ", 8) == 0);
		assert_int_equal(text[strlen(text) - 1], '.');
		free(text);
	}
	thread_free(t);
}

static void sentence_longer_than_a_post_is_cut_at_words(void **state)
{
	(void)state;
	char *para = repeat_words("palabra", 100); /* 799 characters, no full stop */
	const char *paras[] = {"Primero.", para};
	struct thread *t = split(paras, 2, NULL);
	assert_int_equal(thread_count(t), 4);
	assert_posts_valid(t, 280);
	assert_string_equal(thread_post(t, 0), "Primero. 1/4");
	size_t words = 0;
	for (size_t i = 1; i < thread_count(t); i++) {
		char *text = unnumbered(t, i);
		for (char *p = text; (p = strstr(p, "palabra")); p += 7)
			words++;
		free(text);
	}
	assert_int_equal(words, 100);
	free(para);
	thread_free(t);
}

static void long_url_is_never_cut(void **state)
{
	(void)state;
	/* a 200-character URL weighs 23 */
	char url[256] = "https://www.seg-social.es/wps/portal/";
	while (strlen(url) < 200)
		strcat(url, "a");
	char para[1024];
	snprintf(para, sizeof para, "Consulta %s para más información.", url);
	const char *one[] = {para};
	struct thread *t = split(one, 1, NULL);
	assert_int_equal(thread_count(t), 1);
	assert_int_equal(thread_post_length(t, 0), 9 + 23 + 22);
	thread_free(t);

	/* near the end of a post, for every position: whole, in one post */
	for (size_t fill = 40; fill < 70; fill++) {
		char *words = repeat_words("abc", fill);
		snprintf(para, sizeof para, "%s %s fin", words, url);
		free(words);
		t = split(one, 1, NULL);
		assert_posts_valid(t, 280);
		size_t found = 0;
		for (size_t i = 0; i < thread_count(t); i++)
			if (strstr(thread_post(t, i), url))
				found++;
		assert_int_equal(found, 1);
		thread_free(t);
	}
}

static void tokens_that_go_together_stay_together(void **state)
{
	(void)state;
	const char *text = "Las pensiones suben un 20 % y el IMV llega a 1.200 € desde el 15 de "
			   "enero de 2026 según @incluinfo #Pensiones en 5 min";
	const char *together[] = {"20 %", "1.200 €", "15 de enero de 2026", "@incluinfo",
				  "#Pensiones", "5 min"};
	const char *paras[] = {text};
	for (int limit = 25; limit <= 80; limit++) {
		struct thread_options o = options(limit, limit % 2 == 0);
		struct thread *t = split(paras, 1, &o);
		assert_posts_valid(t, limit);
		for (size_t k = 0; k < sizeof together / sizeof together[0]; k++) {
			size_t found = 0;
			for (size_t i = 0; i < thread_count(t); i++)
				if (strstr(thread_post(t, i), together[k]))
					found++;
			if (found != 1)
				fail_msg("limit %d: '%s' is in %zu posts", limit, together[k], found);
		}
		thread_free(t);
	}
	/* a no-break space makes one word of its own */
	const char *nbsp[] = {"Sube un 20\xc2\xa0% este año"};
	struct thread_options o = options(11, false);
	struct thread *t = split(nbsp, 1, &o);
	assert_int_equal(thread_count(t), 3);
	assert_string_equal(thread_post(t, 0), "Sube un");
	assert_string_equal(thread_post(t, 1), "20\xc2\xa0% este");
	assert_string_equal(thread_post(t, 2), "año");
	thread_free(t);
}

static void numbering_grows_to_two_digits(void **state)
{
	(void)state;
	/* 274 characters: with " n/9" 278, with " 10/10" exactly 280 */
	char *p274 = repeat_words("abcd", 55);
	const char *ten[10];
	for (int i = 0; i < 10; i++)
		ten[i] = p274;
	struct thread *t = split(ten, 9, NULL);
	assert_int_equal(thread_count(t), 9);
	assert_int_equal(thread_post_length(t, 8), 278);
	thread_free(t);
	t = split(ten, 10, NULL);
	assert_int_equal(thread_count(t), 10);
	assert_posts_valid(t, 280);
	assert_int_equal(thread_post_length(t, 0), 279);
	assert_int_equal(thread_post_length(t, 9), 280);
	char *last = unnumbered(t, 9);
	assert_string_equal(last, p274);
	free(last);
	thread_free(t);

	/* 275 characters: " 10/10" makes the tenth 281, so it is cut, and N becomes 11 */
	char *p275 = malloc(strlen(p274) + 2);
	strcpy(p275, p274);
	strcat(p275, "e");
	for (int i = 0; i < 10; i++)
		ten[i] = p275;
	t = split(ten, 10, NULL);
	assert_int_equal(thread_count(t), 11);
	assert_posts_valid(t, 280);
	for (size_t i = 0; i < 9; i++)
		assert_int_equal(thread_post_length(t, i), 280);
	assert_string_equal(thread_post(t, 10), "abcde 11/11");
	thread_free(t);
	free(p274);
	free(p275);
}

static void post_exactly_at_the_limit(void **state)
{
	(void)state;
	char *a280 = unit_repeat('a', 280);
	const char *one[] = {a280};
	struct thread *t = split(one, 1, NULL);
	assert_int_equal(thread_count(t), 1);
	assert_int_equal(thread_post_length(t, 0), 280);
	thread_free(t);

	/* 140 CJK characters weigh 280 */
	char cjk[140 * 3 + 1] = "";
	for (int i = 0; i < 140; i++)
		strcat(cjk, "\xe6\x97\xa5"); /* 日 */
	one[0] = cjk;
	t = split(one, 1, NULL);
	assert_int_equal(thread_post_length(t, 0), 280);
	thread_free(t);
	free(a280);
}

static void word_too_long_is_named(void **state)
{
	(void)state;
	char *a281 = unit_repeat('x', 281);
	char para[400];
	snprintf(para, sizeof para, "Mira %s ya", a281);
	const char *paras[] = {para};
	struct ii_error e = refused(paras, 1, NULL, II_EDATA);
	unit_assert_contains(e.detail, "word 'xxxxxxxx");
	unit_assert_contains(e.detail, "' does not fit in a post (281 of 280)");
	assert_true(strlen(e.detail) < 200); /* shortened */

	/* with a smaller limit, numbering counted */
	const char *two[] = {"Uno.", "abcdefghij"};
	struct thread_options o = options(12, true);
	e = refused(two, 2, &o, II_EDATA);
	assert_string_equal(e.detail,
			    "word 'abcdefghij' does not fit in a post (14 of 12, numbering included)");

	/* a character X refuses */
	const char *bom[] = {"hola \xef\xbb\xbfmundo"};
	e = refused(bom, 1, NULL, II_EDATA);
	unit_assert_contains(e.detail, "cannot be posted");
	free(a281);
}

static void too_many_posts(void **state)
{
	(void)state;
	const char *paras[26];
	for (int i = 0; i < 26; i++)
		paras[i] = "Una idea.";
	struct ii_error e = refused(paras, 26, NULL, II_EDATA);
	assert_string_equal(e.detail, "thread of 26 posts is longer than the maximum of 25");
	struct thread *t = split(paras, 25, NULL);
	assert_int_equal(thread_count(t), 25);
	assert_string_equal(thread_post(t, 24), "Una idea. 25/25");
	thread_free(t);
	struct thread_options o = options(280, true);
	o.max_posts = 26;
	t = split(paras, 26, &o);
	assert_int_equal(thread_count(t), 26);
	thread_free(t);
}

static void bad_input_and_options(void **state)
{
	(void)state;
	const char *empty[] = {"", "  \n"};
	struct ii_error e = refused(empty, 2, NULL, II_EDATA);
	assert_string_equal(e.detail, "the message has no text");
	refused(empty, 0, NULL, II_EDATA);

	const char *bad[] = {"bien", "mal \xff"};
	e = refused(bad, 2, NULL, II_EDATA);
	unit_assert_contains(e.detail, "paragraph 2");

	const char *ok[] = {"hola"};
	struct thread_options o = options(0, true);
	refused(ok, 1, &o, II_EDATA);
	o = options(281, true);
	e = refused(ok, 1, &o, II_EDATA);
	assert_string_equal(e.detail, "post limit 281 is not between 1 and 280");
	o = options(280, true);
	o.max_posts = 0;
	refused(ok, 1, &o, II_EDATA);
}

static void spanish_with_accents_and_emoji(void **state)
{
	(void)state;
	const char *paras[] = {
		"\xe2\x9d\x8c FALSO: la pensi\xc3\xb3n de jubilaci\xc3\xb3n no baja en enero. "
		"\xc2\xbfQu\xc3\xa9 pasa de verdad? Se revaloriza seg\xc3\xban el IPC, como "
		"cada a\xc3\xb1o, y el Ingreso M\xc3\xadnimo Vital tambi\xc3\xa9n sube. "
		"\xc2\xa1" "Cons\xc3\xbaltalo en la sede electr\xc3\xb3nica! \xf0\x9f\x91\xa8\xe2"
		"\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7\xe2\x80\x8d\xf0\x9f\x91"
		"\xa6 Las familias con ni\xc3\xb1os tienen un complemento de hasta 115 \xe2\x82"
		"\xac al mes por cada menor. \xf0\x9f\x87\xaa\xf0\x9f\x87\xb8",
		"Fuentes: https://www.boe.es/diario_boe/txt.php?id=BOE-A-2025-12345 "
		"https://www.seg-social.es/wps/portal/wss/internet/Pensionistas #Pensiones "
		"#IMV",
	};
	struct thread_options o = options(140, true);
	struct thread *t = split(paras, 2, &o);
	assert_posts_valid(t, 140);
	assert_true(thread_count(t) >= 3);
	/* the first post cut after a sentence, the emoji family whole */
	char *first = unnumbered(t, 0);
	assert_int_equal(first[strlen(first) - 1], '?');
	free(first);
	size_t families = 0;
	for (size_t i = 0; i < thread_count(t); i++)
		if (strstr(thread_post(t, i), "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"
						"\xe2\x80\x8d\xf0\x9f\x91\xa7\xe2\x80\x8d\xf0\x9f"
						"\x91\xa6"))
			families++;
	assert_int_equal(families, 1);
	thread_free(t);
}


/* Issue 14: "…ni hacer ningún 2/5" / "trámite; la fecha…": the clause was there to cut at. */
static void long_sentence_is_cut_at_a_clause(void **state)
{
	(void)state;
	const char *paras[] = {
		"Primero.",
		"La Seguridad Social reconocerá de oficio el complemento a todas las personas que "
		"ya cobran una pensión, sin que tengan que pedirla ni hacer ningún trámite; la "
		"fecha concreta del primer pago se publicará en la sede electrónica cuando el "
		"Gobierno apruebe el real decreto que lo desarrolla, previsiblemente antes del "
		"verano, y se abonará con efectos desde el 1 de enero.",
	};
	const int lines[] = {7, 9};
	struct thread_options o = options(280, true);
	o.paragraph_lines = lines;
	struct thread *t = split(paras, 2, &o);
	assert_int_equal(thread_count(t), 3);
	assert_posts_valid(t, 280);
	char *second = unnumbered(t, 1);
	const char *end = "ningún trámite;";
	size_t len = strlen(second);
	if (len < strlen(end) || strcmp(second + len - strlen(end), end) != 0)
		fail_msg("post 2 is '%s'", second);
	free(second);
	assert_true(strncmp(thread_post(t, 2), "la fecha concreta", 17) == 0);

	assert_null(thread_cut(t, 0));
	assert_null(thread_cut(t, 3));
	const struct thread_cut *c = thread_cut(t, 1);
	assert_int_equal(c->kind, THREAD_CUT_PARAGRAPH);
	assert_int_equal(c->line, 9);
	c = thread_cut(t, 2);
	assert_int_equal(c->kind, THREAD_CUT_CLAUSE);
	assert_int_equal(c->line, 9);
	assert_string_equal(c->before, "trámite;");
	assert_string_equal(c->after, "la");
	thread_free(t);

	/* without the lines, the cut is still described */
	t = split(paras, 2, NULL);
	assert_int_equal(thread_cut(t, 2)->kind, THREAD_CUT_CLAUSE);
	assert_int_equal(thread_cut(t, 2)->line, 0);
	thread_free(t);
}

/* Each clause boundary, in a sentence too long for a post: the post ends at it. The
 * filler before it is short enough for the clause to be in the first post, and the rest
 * long enough that the sentence is not. */
static void every_kind_of_clause(void **state)
{
	(void)state;
	static const struct {
		const char *clause, *last, *next;
	} cases[] = {
		{"los plazos se amplían;", "amplían;", "el"},
		{"dice lo siguiente:", "siguiente:", "el"},
		{"la fecha", "fecha", "—que"},           /* an opening dash starts the clause */
		{"la fecha —que varía—", "varía—", "el"}, /* a closing one ends it */
		{"la sede funciona,", "funciona,", "pero"},
		{"la sede funciona,", "funciona,", "aunque"},
		{"no es un cambio,", "cambio,", "sino"},
		{"no es un cambio,", "cambio,", "porque"},
		{"hay una carta,", "carta,", "que"},
		{"tienes dos opciones,", "opciones,", "y"},
		{"tienes dos opciones,", "opciones,", "o"},
	};
	char *tail = repeat_words("palabra", 40);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char para[1024];
		snprintf(para, sizeof para, "Según el aviso de hoy %s %s el resto de la frase %s.",
			 cases[i].clause, cases[i].next, tail);
		struct thread *t = split_one(para, 140);
		const struct thread_cut *c = thread_cut(t, 1);
		if (!c || c->kind != THREAD_CUT_CLAUSE || strcmp(c->before, cases[i].last) ||
		    strcmp(c->after, cases[i].next))
			fail_msg("'%s %s': the first post is '%s'", cases[i].clause, cases[i].next,
				 thread_post(t, 0));
		thread_free(t);
	}
	/* a comma before anything else is no clause: the words fill the post */
	char para[1024];
	snprintf(para, sizeof para, "Según el aviso de hoy, la sede funciona, %s.", tail);
	struct thread *t = split_one(para, 140);
	assert_int_equal(thread_cut(t, 1)->kind, THREAD_CUT_WORD);
	assert_true(thread_post_length(t, 0) > 130);
	thread_free(t);
	free(tail);
}

/* The latest place of the best kind: a sentence end before a later clause, a clause
 * before a later space. */
static void best_kind_of_cut_wins(void **state)
{
	(void)state;
	char *tail = repeat_words("palabra", 40);
	char para[1024];
	snprintf(para, sizeof para, "Primera frase. Segunda frase con un punto y coma; y %s.", tail);
	struct thread *t = split_one(para, 140);
	assert_string_equal(thread_post(t, 0), "Primera frase.");
	assert_int_equal(thread_cut(t, 1)->kind, THREAD_CUT_SENTENCE);
	thread_free(t);

	snprintf(para, sizeof para, "Uno; dos; tres %s.", tail);
	t = split_one(para, 140);
	assert_string_equal(thread_post(t, 0), "Uno; dos;");
	thread_free(t);
	free(tail);
}

/* The hashtags that end a paragraph go with its last sentence, never into a post of their
 * own, unless nothing else fits. */
static void final_hashtags_stay_with_words(void **state)
{
	(void)state;
	/* 59 characters, then hashtags that do not fit after them */
	struct thread *t = split_one("Primera frase corta. Segunda frase con varias palabras más. "
				     "#SeguridadSocial #Pensiones", 70);
	assert_int_equal(thread_count(t), 2);
	assert_string_equal(thread_post(t, 0), "Primera frase corta.");
	assert_string_equal(thread_post(t, 1),
			    "Segunda frase con varias palabras más. #SeguridadSocial #Pensiones");
	thread_free(t);

	/* a hashtag inside the paragraph is a word like any other */
	t = split_one("Lee el #BOE de hoy. Segunda frase con varias palabras más y más.", 40);
	assert_string_equal(thread_post(t, 0), "Lee el #BOE de hoy.");
	thread_free(t);

	/* no other place fits: the hashtag goes alone rather than not at all */
	t = split_one("Unapalabralarguísimaquenoacaba #SeguridadSocial", 32);
	assert_int_equal(thread_count(t), 2);
	assert_string_equal(thread_post(t, 1), "#SeguridadSocial");
	thread_free(t);
}

/* Full stops that end no sentence: the next real sentence, too long for what is left of
 * the post, starts the next post whole instead of being cut at the abbreviation. */
static void abbreviations_and_numbers_end_no_sentence(void **state)
{
	(void)state;
	static const char *const sentences[] = {
		"Lo dice el art. 32.4 de la Ley 39/2015",
		"Lo firma el Sr. García",
		"Lo firma la Sra. Pérez",
		"Lo firma D. Juan Pérez",
		"Hay ayudas, p. ej. el Ingreso Mínimo Vital",
		"Vale para quien vive en EE. UU. y en Andorra",
		"Lo pagan las CC. AA. cada mes",
		"Lo gestiona Correos S.A. desde hoy",
		"Son 1.500 € al año",
		"Está en la pág. 12 del boletín",
		"Llama al tel. 900 16 65 65 desde hoy",
		"Hay libros, cuadernos, etc. él lo sabe",
		"Abre de 9 a.m. a 2 p.m. cada día",
	};
	char *tail = repeat_words("palabra", 14);
	for (size_t i = 0; i < sizeof sentences / sizeof sentences[0]; i++) {
		char para[1024];
		snprintf(para, sizeof para, "Primera frase. %s y además %s.", sentences[i], tail);
		struct thread *t = split_one(para, 140);
		if (strcmp(thread_post(t, 0), "Primera frase.") != 0)
			fail_msg("'%s': the first post is '%s'", sentences[i], thread_post(t, 0));
		thread_free(t);
	}
	free(tail);

	/* a full stop still ends a sentence after a URL, a number or an ordinary word */
	static const char *const ends[] = {"https://www.seg-social.es.", "en 2025.", "no."};
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		char para[1024];
		snprintf(para, sizeof para, "Lo dice %s Y sigue una frase más larga que el resto del "
			 "post, de modo que no cabe entera en él.", ends[i]);
		struct thread *t = split_one(para, 80);
		char want[128];
		snprintf(want, sizeof want, "Lo dice %s", ends[i]);
		assert_string_equal(thread_post(t, 0), want);
		assert_int_equal(thread_cut(t, 1)->kind, THREAD_CUT_SENTENCE);
		thread_free(t);
	}

	/* a list item's number at the start of a line is no sentence */
	const char *list[] = {"Pasos:\n1. Pide cita en la sede electrónica con tu certificado.\n"
			      "2. Ve a la oficina."};
	struct thread_options o = options(40, false);
	o.lines = true;
	struct thread *t = split(list, 1, &o);
	for (size_t i = 0; i < thread_count(t); i++)
		if (strcmp(thread_post(t, i), "1.") == 0 || strcmp(thread_post(t, i), "2.") == 0)
			fail_msg("post %zu is a list item's number alone", i + 1);
	thread_free(t);
}

/* ---- properties ---- */

/* A fixed-seed generator (64-bit LCG), so that a failure can be replayed. */
static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33) % n;
}

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

/* The feeds' text: the posts joined by blank lines, without " n/N". */
static void numbering_taken_away_for_the_feeds(void **state)
{
	(void)state;
	char *tail = repeat_words("palabra", 60);
	const char *paras[] = {"Primero.", "Una lista:\n- uno\n- dos", tail, "Fin 2/3."};
	struct thread_options o = options(140, true);
	o.lines = true;
	struct thread *t = split(paras, 4, &o);
	size_t count = thread_count(t);
	assert_true(count >= 5);
	struct sbuf joined = {0}, want = {0};
	for (size_t i = 0; i < count; i++) {
		char *text = unnumbered(t, i);
		sb_add(&joined, i ? "\n\n" : "");
		sb_add(&joined, thread_post(t, i));
		sb_add(&want, i ? "\n\n" : "");
		sb_add(&want, text);
		free(text);
	}
	char *got = thread_unnumbered(joined.p);
	assert_string_equal(got, want.p);
	free(got);
	thread_free(t);
	free(tail);
	free(joined.p);
	free(want.p);

	/* texts whose posts were not numbered stay as they are */
	static const char *const as_is[] = {
		"Un solo post.", "Son 1/2 de los casos", "Son 2/2", "Uno 1/3\n\nDos 2/3\n\nTres 3/4",
		"Uno\n\nDos 2/2", "Uno 2/2\n\nDos 2/2", "Dos 2/3\n\nUno 1/3\n\nTres 3/3", "",
		"1/1", " 10/10",
	};
	for (size_t i = 0; i < sizeof as_is / sizeof *as_is; i++) {
		got = thread_unnumbered(as_is[i]);
		assert_string_equal(got, as_is[i]);
		free(got);
	}
	got = thread_unnumbered("Uno 1/2\n\nDos, 1/2 de todo 2/2");
	assert_string_equal(got, "Uno\n\nDos, 1/2 de todo");
	free(got);
}

static const char *const accented[] = {
	"pensi\xc3\xb3n", "a\xc3\xb1o", "m\xc3\xadnimo", "cotizaci\xc3\xb3n", "Espa\xc3\xb1" "a",
	"\xc2\xbfqu\xc3\xa9", "tambi\xc3\xa9n", "ping\xc3\xbcino", "\xc3\x81vila",
	"electr\xc3\xb3nica.", "\xc2\xa1S\xc3\xad!", "ma\xc3\xb1" "ana?",
};
static const char *const emoji[] = {
	"\xf0\x9f\x98\x80", "\xe2\x9d\x8c", "\xe2\x9c\x85", "\xf0\x9f\x87\xaa\xf0\x9f\x87\xb8",
	"\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "1\xef\xb8\x8f\xe2\x83\xa3",
	"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7",
};
static const char *const units[] = {"%", "\xe2\x82\xac", "km", "h", "min", "\xe2\x80\xb0"};
static const char *const spaces[] = {" ", " ", " ", "  ", "\n", " \n ", "\t"};

/* One random token (perhaps two words glued by a unit rule) after a separator. */
static void random_token(struct sbuf *b)
{
	char w[512];
	switch (rnd(12)) {
	case 0: case 1: case 2: case 3: { /* a plain word, sometimes ending a sentence */
		size_t n = 1 + rnd(12), i = 0;
		if (rnd(6) == 0)
			w[i++] = (char)('A' + rnd(26));
		while (i < n)
			w[i++] = (char)('a' + rnd(26));
		if (rnd(5) == 0)
			w[i++] = ".!?,"[rnd(4)];
		w[i] = '\0';
		break;
	}
	case 4:
		snprintf(w, sizeof w, "%s", accented[rnd(sizeof accented / sizeof accented[0])]);
		break;
	case 5: { /* a URL, up to a few hundred characters long, weighing 23 */
		size_t n = rnd(4) == 0 ? rnd(300) : rnd(30);
		int k = snprintf(w, sizeof w, "%s", rnd(3) ? "https://www.seg-social.es/" :
							      "sede.seg-social.gob.es/");
		for (size_t i = 0; i < n; i++)
			w[k++] = "abcxyz0189/-_"[rnd(13)];
		w[k++] = 'z';
		w[k] = '\0';
		if (rnd(3) == 0)
			snprintf(w + k, sizeof w - (size_t)k, "?id=%u&x=y", rnd(100));
		break;
	}
	case 6:
		snprintf(w, sizeof w, "#Etiqueta%u", rnd(1000));
		break;
	case 7:
		snprintf(w, sizeof w, "@usuario_%u", rnd(1000));
		break;
	case 8:
		snprintf(w, sizeof w, "%u%s%s", rnd(5000), rnd(3) ? " " : "\xc2\xa0",
			 units[rnd(sizeof units / sizeof units[0])]);
		break;
	case 9:
		snprintf(w, sizeof w, "%u de enero", 1 + rnd(31));
		break;
	case 10:
		snprintf(w, sizeof w, "%s", emoji[rnd(sizeof emoji / sizeof emoji[0])]);
		break;
	default: { /* CJK, weighing 2 each */
		size_t n = 1 + rnd(8), k = 0;
		for (size_t i = 0; i < n; i++) {
			w[k++] = '\xe6';
			w[k++] = (char)(0x97 + rnd(2));
			w[k++] = (char)(0x80 + rnd(64));
		}
		w[k] = '\0';
	}
	}
	sb_add(b, w);
}

/* The words of text (split at ASCII white space) appended to list. */
static void words_of(const char *text, char ***list, size_t *n, size_t *cap)
{
	const char *p = text;
	for (;;) {
		while (*p && strchr(" \t\n\r\v\f", *p))
			p++;
		if (!*p)
			return;
		const char *q = p;
		while (*q && !strchr(" \t\n\r\v\f", *q))
			q++;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*list = realloc(*list, *cap * sizeof **list);
			assert_non_null(*list);
		}
		(*list)[(*n)++] = strndup(p, (size_t)(q - p));
		p = q;
	}
}

static void free_words(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static bool is_glued_word(const char *w)
{
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(w, units[i]) == 0)
			return true;
	return strcmp(w, "enero") == 0;
}

static void random_messages_split_well(void **state)
{
	(void)state;
	static const int limits[] = {280, 280, 200, 140, 100, 60};
	rng_state = 20261128;
	size_t messages = 2000, posts = 0, threads = 0;
	for (size_t m = 0; m < messages; m++) {
		char *paras[8];
		size_t np = 1 + rnd(6);
		for (size_t p = 0; p < np; p++) {
			struct sbuf b = {0};
			sb_add(&b, rnd(4) == 0 ? " " : "");
			size_t nt = 1 + rnd(rnd(4) == 0 ? 150 : 40);
			for (size_t k = 0; k < nt; k++) {
				if (k)
					sb_add(&b, spaces[rnd(sizeof spaces / sizeof spaces[0])]);
				random_token(&b);
			}
			paras[p] = b.p;
		}
		struct thread_options o = options(limits[rnd(6)], rnd(4) != 0);
		o.pack = rnd(3) == 0;
		o.max_posts = 1000;
		struct thread *t = split((const char *const *)paras, np, &o);
		size_t count = thread_count(t);
		posts += count;
		threads += count > 1;

		/* every post valid, trimmed, numbered 1..N */
		assert_posts_valid(t, o.limit);
		char **got = NULL, **want = NULL;
		size_t ngot = 0, cgot = 0, nwant = 0, cwant = 0;
		bool para_start[8 * 150 * 3 + 1] = {false}; /* words: up to 3 a token */
		for (size_t p = 0; p < np; p++) {
			para_start[nwant] = true;
			words_of(paras[p], &want, &nwant, &cwant);
		}
		for (size_t i = 0; i < count; i++) {
			const char *post = thread_post(t, i);
			assert_true(post[0] != '\0' && !strchr(" \t\n", post[0]));
			assert_false(strchr(" \t\n", post[strlen(post) - 1]));
			assert_null(strstr(post, "  "));
			char *text = o.numbering && count > 1 ? unnumbered(t, i) : strdup(post);
			size_t before = ngot;
			words_of(text, &got, &ngot, &cgot);
			/* a unit or month never opens a post after a number */
			if (i > 0 && before < nwant && is_glued_word(got[before]) &&
			    !para_start[before])
				fail_msg("message %zu: post %zu starts with '%s'", m, i + 1,
					 got[before]);
			free(text);
		}
		/* the words in order, none lost or repeated: so no URL, hashtag or mention
		 * was cut either */
		if (ngot != nwant)
			fail_msg("message %zu: %zu words in, %zu out", m, nwant, ngot);
		for (size_t i = 0; i < nwant; i++)
			if (strcmp(got[i], want[i]) != 0)
				fail_msg("message %zu: word %zu is '%s', not '%s'", m, i, got[i],
					 want[i]);

		/* deterministic (a sample: each split costs as much as the checks above) */
		if (m % 10 == 0) {
			struct thread *again = split((const char *const *)paras, np, &o);
			assert_int_equal(thread_count(again), count);
			for (size_t i = 0; i < count; i++)
				assert_string_equal(thread_post(again, i), thread_post(t, i));
			thread_free(again);
		}
		free_words(got, ngot);
		free_words(want, nwant);
		thread_free(t);
		for (size_t p = 0; p < np; p++)
			free(paras[p]);
	}
	print_message("%zu messages, %zu posts, %zu threads of more than one post\n", messages,
		      posts, threads);
	assert_true(threads > messages / 3);
}

/* Every length of one paragraph from 1 to 300 words (up to 24 posts of 60): numbering
 * always 1..N and N the count, across the change of width at 10. */
static void numbering_is_consistent_for_every_length(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 300; n++) {
		char *para = repeat_words("abcd", n);
		const char *paras[] = {para};
		struct thread_options o = options(60, true);
		o.max_posts = 1000;
		struct thread *t = split(paras, 1, &o);
		assert_posts_valid(t, 60);
		size_t words = 0;
		for (size_t i = 0; i < thread_count(t); i++) {
			char *text = thread_count(t) > 1 ? unnumbered(t, i) : strdup(thread_post(t, i));
			for (char *p = text; (p = strstr(p, "abcd")); p += 4)
				words++;
			free(text);
		}
		assert_int_equal(words, n);
		thread_free(t);
		free(para);
	}
}

/* One message, a thread per network: each post fits its network as that network counts
 * it, and the numbering is counted by that counter too. */
static void each_network_gets_its_own_thread(void **state)
{
	(void)state;
	/* 60 sentences of 12 characters, CJK (2 each on X, 1 on Mastodon and Bluesky) */
	char text[60 * 40] = "";
	for (int i = 0; i < 60; i++)
		strcat(text, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99 abcdef. ");
	const char *paras[] = {text};
	size_t counts[COUNT_NETWORKS];
	for (int network = 0; network < COUNT_NETWORKS; network++) {
		struct counter c;
		counter_init(&c, (enum count_network)network);
		struct thread_options o;
		thread_options_for(&o, &c);
		struct thread *t = split(paras, 1, &o);
		counts[network] = thread_count(t);
		for (size_t i = 0; i < thread_count(t); i++) {
			struct count_result r;
			const char *post = thread_post(t, i);
			assert_int_equal(counter_measure(&c, post, strlen(post), &r, NULL), II_OK);
			assert_true(r.valid);
			assert_int_equal(r.length, thread_post_length(t, i));
			assert_true(r.length <= c.limit);
		}
		/* the estimate filled them: only the last post may be short of a sentence */
		assert_true(thread_post_length(t, 0) > c.limit - 30);
		thread_free(t);
	}
	/* about 1140 on X (CJK weighs 2), 840 on the others: 500 a post holds more than 300 */
	assert_true(counts[COUNT_X] > counts[COUNT_BLUESKY]);
	assert_true(counts[COUNT_BLUESKY] > counts[COUNT_MASTODON]);
}

/* A link counts as its network counts it: 23 on X and Mastodon, its short form on
 * Bluesky; a word that fits nowhere on one network is an error that names it. */
static void links_and_long_words_per_network(void **state)
{
	(void)state;
	char url[400];
	int n = snprintf(url, sizeof url, "https://www.seg-social.es/%0320d", 7);
	const char *paras[] = {url};
	struct counter c;
	counter_init(&c, COUNT_BLUESKY);
	struct thread_options o;
	thread_options_for(&o, &c);
	struct thread *t = split(paras, 1, &o);
	assert_int_equal(thread_post_length(t, 0), (int)strlen("www.seg-social.es/000000000000..."));
	assert_string_equal(thread_post(t, 0), url); /* the text keeps the link whole */
	thread_free(t);
	counter_init(&c, COUNT_MASTODON);
	thread_options_for(&o, &c);
	t = split(paras, 1, &o);
	assert_int_equal(thread_post_length(t, 0), 23);
	thread_free(t);
	/* a bare domain is not shortened, and 320 characters do not fit in 300 */
	memmove(url, url + 8, (size_t)n - 7);
	counter_init(&c, COUNT_BLUESKY);
	thread_options_for(&o, &c);
	struct ii_error e = refused(paras, 1, &o, II_EDATA);
	assert_non_null(strstr(e.detail, "does not fit in a post on Bluesky ("));
	assert_non_null(strstr(e.detail, " of 300)"));
	/* and the limit of a thread's posts is the network's */
	o.limit = 301;
	e = refused(paras, 1, &o, II_EDATA);
	assert_non_null(strstr(e.detail, "between 1 and 300"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(short_message_is_one_unnumbered_post),
		UNIT_TEST(white_space_is_collapsed_and_trimmed),
		UNIT_TEST(paragraphs_are_posts_unless_packed),
		UNIT_TEST(long_paragraph_is_cut_at_sentences),
		UNIT_TEST(sentence_longer_than_a_post_is_cut_at_words),
		UNIT_TEST(long_url_is_never_cut),
		UNIT_TEST(tokens_that_go_together_stay_together),
		UNIT_TEST(numbering_grows_to_two_digits),
		UNIT_TEST(post_exactly_at_the_limit),
		UNIT_TEST(word_too_long_is_named),
		UNIT_TEST(too_many_posts),
		UNIT_TEST(bad_input_and_options),
		UNIT_TEST(spanish_with_accents_and_emoji),
		UNIT_TEST(long_sentence_is_cut_at_a_clause),
		UNIT_TEST(every_kind_of_clause),
		UNIT_TEST(best_kind_of_cut_wins),
		UNIT_TEST(final_hashtags_stay_with_words),
		UNIT_TEST(abbreviations_and_numbers_end_no_sentence),
		UNIT_TEST(numbering_taken_away_for_the_feeds),
		UNIT_TEST(random_messages_split_well),
		UNIT_TEST(numbering_is_consistent_for_every_length),
		UNIT_TEST(each_network_gets_its_own_thread),
		UNIT_TEST(links_and_long_words_per_network),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
