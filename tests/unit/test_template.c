/* Unit tests of lib/template: syntax, placeholders, rendering and every error. */

#include "unit.h"

#include <utf8proc.h>

#include "template.h"

/* A temporary folder for template files, and the diagnostics of the last load. */
struct fixture {
	char *dir;
	struct diag_list *diags;
	struct ii_error err;
	struct template *t;
};

static void init(struct fixture *f)
{
	(void)f;
}

static void fini(struct fixture *f)
{
	template_free(f->t);
	diag_free(f->diags);
}

UNIT_FIXTURE(init, fini)

/* Loads len bytes of text named "alerta.txt" (replacing any template loaded before). */
static ii_err load_bytes(struct fixture *f, const char *text, size_t len)
{
	template_free(f->t);
	f->t = NULL;
	unit_renew_diags(&f->diags, &f->err);
	return template_load_string("alerta.txt", text, len, &f->t, f->diags, &f->err);
}

static ii_err load(struct fixture *f, const char *text)
{
	return load_bytes(f, text, strlen(text));
}

static void load_ok(struct fixture *f, const char *text)
{
	if (load(f, text) != II_OK) {
		unit_print_diags(f->diags);
		fail_msg("template refused: '%s': %s", text, f->err.detail);
	}
	assert_non_null(f->t);
	assert_int_equal(diag_count(f->diags), 0);
}

/* Loads text, which must be refused with exactly the diagnostics given (NULL-ended); the
 * first of them must be the error's detail. */
static void load_fails(struct fixture *f, const char *text, ...)
{
	ii_err rc = load(f, text);
	if (rc != II_EDATA) {
		unit_print_diags(f->diags);
		fail_msg("template '%s' not refused as data (%d)", text, rc);
	}
	assert_null(f->t);
	va_list ap;
	va_start(ap, text);
	size_t i = 0;
	for (const char *want; (want = va_arg(ap, const char *)); i++) {
		if (i >= diag_count(f->diags) || strcmp(diag_at(f->diags, i), want)) {
			unit_print_diags(f->diags);
			fail_msg("diagnostic %zu: expected '%s'", i, want);
		}
	}
	va_end(ap);
	if (i != diag_count(f->diags)) {
		unit_print_diags(f->diags);
		fail_msg("expected %zu diagnostics, got %zu", i, diag_count(f->diags));
	}
	assert_string_equal(f->err.detail, diag_at(f->diags, 0));
	assert_int_equal(f->err.code, II_EDATA);
}

/* Renders f->t with the values and checks the result. */
static void render_is(struct fixture *f, const struct template_value *values, size_t count,
		      const char *want)
{
	char *out = NULL;
	memset(&f->err, 0, sizeof f->err);
	ii_err rc = template_render(f->t, values, count, false, &out, &f->err);
	if (rc != II_OK)
		fail_msg("render failed (%d): %s", rc, f->err.detail);
	assert_string_equal(out, want);
	free(out);
}

/* Renders f->t, which must fail as data with exactly this detail. */
static void render_fails(struct fixture *f, const struct template_value *values, size_t count,
			 const char *want)
{
	char *out = NULL;
	memset(&f->err, 0, sizeof f->err);
	ii_err rc = template_render(f->t, values, count, false, &out, &f->err);
	if (rc != II_EDATA)
		fail_msg("render did not fail as data (%d), gave '%s'", rc, out ? out : "");
	assert_null(out);
	assert_string_equal(f->err.detail, want);
}

static const struct template_value incident[] = {
	{ "servicio", "Sede Electrónica", false },
	{ "hora", "10:42", false },
	{ "duracion", "1 h 5 min", false },
	{ "url", "https://sede.seg-social.gob.es/", true }, /* an address: written as it is */
};
#define INCIDENT_COUNT (sizeof incident / sizeof incident[0])

static void renders_placeholders(void **state)
{
	struct fixture *f = *state;
	load_ok(f, "⚠️ La {servicio} no funciona desde las {hora}.\n"
		   "Más información: {url}");
	render_is(f, incident, INCIDENT_COUNT,
		  "⚠️ La Sede Electrónica no funciona desde las 10:42.\n"
		  "Más información: https://sede.seg-social.gob.es/");
	assert_string_equal(template_name(f->t), "alerta.txt");
}

static void text_without_placeholders(void **state)
{
	struct fixture *f = *state;
	load_ok(f, "Todo funciona con normalidad. #SeguridadSocial");
	size_t n = 99;
	template_placeholders(f->t, &n);
	assert_int_equal(n, 0);
	render_is(f, NULL, 0, "Todo funciona con normalidad. #SeguridadSocial");
}

static void placeholders_adjacent_to_text(void **state)
{
	struct fixture *f = *state;
	const struct template_value v[] = { { "a", "1", false }, { "b", "22", false }, { "c", "", false } };
	load_ok(f, "x{a}y{b}{a}z{c}{c}w");
	render_is(f, v, 3, "x1y221zw");
	load_ok(f, "{a}");
	render_is(f, v, 3, "1");
	load_ok(f, "{a}{b}");
	render_is(f, v, 3, "122");
	load_ok(f, "al final: {b}");
	render_is(f, v, 3, "al final: 22");
	load_ok(f, "{b} al principio");
	render_is(f, v, 3, "22 al principio");
	load_ok(f, "{c}");
	render_is(f, v, 3, "");
}

/* Issue 14, item 1: a value is a phrase as it reads inside a sentence; the template
 * joins it as Spanish does. */
static void values_join_the_sentence(void **state)
{
	struct fixture *f = *state;
	const struct template_value v[] = {
		{"s", "la Sede", false},
		{"p", "el Portal", false},
		{"h", "el 2 de diciembre a las 9:00", false},
		{"u", "https://sede.example/", true},
		{"a", "ámbito", false},
	};
	load_ok(f, "⚠️ {s} falla. {p} también, igual que {s}.");
	render_is(f, v, 5, "⚠️ La Sede falla. El Portal también, igual que la Sede.");
	load_ok(f, "Acceso de {p}: a partir de {h}; llama a {p}. Desde {h}, para {p}. De {p}.");
	render_is(f, v, 5, "Acceso del Portal: a partir del 2 de diciembre a las 9:00; llama al Portal. "
			   "Desde el 2 de diciembre a las 9:00, para el Portal. Del Portal.");
	load_ok(f, "{a}. ¿{s}?\n{u}. {u}");
	render_is(f, v, 5, "Ámbito. ¿La Sede?\nhttps://sede.example/. https://sede.example/");
	/* a brand written with a small letter before a capital keeps its form */
	const struct template_value brand[] = {{"s", "eNotum", false}, {"p", "el eNotum de la Sede", false}};
	load_ok(f, "⚠️ {s} falla. {p} también.");
	render_is(f, brand, 2, "⚠️ eNotum falla. El eNotum de la Sede también.");
}

/* Issue 14, item 4: an optional sentence nobody configured leaves no gap. */
static void an_empty_value_leaves_no_gap(void **state)
{
	struct fixture *f = *state;
	const struct template_value v[] = {{"x", "", false}, {"y", "Llama.", false}};
	load_ok(f, "No funciona. {x} #SeguridadSocial");
	render_is(f, v, 2, "No funciona. #SeguridadSocial");
	load_ok(f, "No funciona. {x}");
	render_is(f, v, 2, "No funciona.");
	load_ok(f, "{x} No funciona.");
	render_is(f, v, 2, "No funciona.");
	load_ok(f, "No funciona.\n{x}\nGracias.");
	render_is(f, v, 2, "No funciona.\nGracias.");
	load_ok(f, "No funciona.\n  {x} {x}  \n\nGracias.");
	render_is(f, v, 2, "No funciona.\n\nGracias.");
	load_ok(f, "No funciona. {y} Gracias.");
	render_is(f, v, 2, "No funciona. Llama. Gracias.");
}

static void escaped_braces(void **state)
{
	struct fixture *f = *state;
	const struct template_value v[] = { { "x", "X", false } };
	load_ok(f, "{{x}} {{ }} {{{x}}} }}{{ {{}}");
	render_is(f, v, 1, "{x} { } {X} }{ {}");
	size_t n;
	const struct template_placeholder *p = template_placeholders(f->t, &n);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].name, "x");
	load_ok(f, "{{");
	render_is(f, NULL, 0, "{");
	load_ok(f, "}}");
	render_is(f, NULL, 0, "}");
	load_ok(f, "JSON: {{\"a\": 1}}");
	render_is(f, NULL, 0, "JSON: {\"a\": 1}");
}

/* A value is text: braces in it are copied, never read as placeholders. */
static void values_copied_verbatim(void **state)
{
	struct fixture *f = *state;
	const struct template_value v[] = { { "x", "{y} }} {{ {", false }, { "y", "no", false } };
	load_ok(f, "[{x}]");
	render_is(f, v, 2, "[{y} }} {{ {]");
}

static void utf8_values(void **state)
{
	struct fixture *f = *state;
	const struct template_value v[] = {
		{ "nombre", "Peñíscola, Añover, Ñandú", false },
		{ "emoji", "🚨👨‍👩‍👧‍👦🇪🇸1⃣", false },
		{ "nfd", "Informacio\xCC\x81n", false }, /* o + combining acute: valid, copied as is */
	};
	load_ok(f, "{nombre} {emoji}{nfd}ñ");
	render_is(f, v, 3, "Peñíscola, Añover, Ñandú 🚨👨‍👩‍👧‍👦🇪🇸1⃣Informacio\xCC\x81nñ");
}

static void placeholders_listed_once_in_order(void **state)
{
	struct fixture *f = *state;
	load_ok(f, "Incidencia en {servicio}\n"
		   "desde las {hora} ({servicio})\n"
		   "\n"
		   "{url} {hora} {duracion}\n");
	size_t n;
	const struct template_placeholder *p = template_placeholders(f->t, &n);
	assert_int_equal(n, 4);
	assert_string_equal(p[0].name, "servicio");
	assert_int_equal(p[0].line, 1);
	assert_string_equal(p[1].name, "hora");
	assert_int_equal(p[1].line, 2);
	assert_string_equal(p[2].name, "url");
	assert_int_equal(p[2].line, 4);
	assert_string_equal(p[3].name, "duracion");
	assert_int_equal(p[3].line, 4);
	/* a string keeps its final line end; only files lose one */
	render_is(f, incident, INCIDENT_COUNT,
		  "Incidencia en Sede Electrónica\ndesde las 10:42 (Sede Electrónica)\n\n"
		  "https://sede.seg-social.gob.es/ 10:42 1 h 5 min\n");
}

/* For lint: the word before a use, as written, at that use's line; a word that only ends
 * with it, or one joined to the placeholder, is not it. */
static void the_word_before_a_placeholder(void **state)
{
	struct fixture *f = *state;
	static const char *const articles[] = {"la", "las"};
	const char *word;
	int length;
	load_ok(f, "{hora} y {servicio}\nhasta Las {hora}, desde la {desde}\n");
	assert_int_equal(template_word_before(f->t, "hora", articles, 2, &word, &length), 2);
	assert_int_equal(length, 3);
	assert_memory_equal(word, "Las", 3);
	assert_int_equal(template_word_before(f->t, "desde", articles, 2, &word, &length), 2);
	assert_memory_equal(word, "la", 2);
	assert_int_equal(template_word_before(f->t, "servicio", articles, 2, &word, &length), 0);
	load_ok(f, "Sevilla {hora}, tutelas {hora}, la{hora}, el {hora}\n");
	assert_int_equal(template_word_before(f->t, "hora", articles, 2, &word, &length), 0);
}

static void placeholder_names(void **state)
{
	struct fixture *f = *state;
	const struct template_value v[] = {
		{ "a", "1", false }, { "hora_fin", "2", false }, { "x9", "3", false }, { "a_1_b", "4", false },
		{ "abcdefghijklmnopqrstuvwxyz012345", "5", false },
	};
	load_ok(f, "{a}{hora_fin}{x9}{a_1_b}{abcdefghijklmnopqrstuvwxyz012345}");
	render_is(f, v, 5, "12345");

	load_fails(f, "{Hora}",
		   "alerta.txt:1: error: invalid placeholder name '{Hora}' (a-z, 0-9 and '_', "
		   "starting with a letter; '{{' writes a literal '{')", NULL);
	const char *bad[] = { "1a", "_a", "hora-fin", "ñu", " hora ", "hora ", "a.b", "año" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[64], want[256];
		snprintf(text, sizeof text, "x {%s} y", bad[i]);
		snprintf(want, sizeof want,
			 "alerta.txt:1: error: invalid placeholder name '{%s}' (a-z, 0-9 and '_', "
			 "starting with a letter; '{{' writes a literal '{')", bad[i]);
		load_fails(f, text, want, NULL);
	}
	load_fails(f, "{abcdefghijklmnopqrstuvwxyz0123456}",
		   "alerta.txt:1: error: placeholder name too long "
		   "'{abcdefghijklmnopqrstuvwxyz0123456}' (at most 32 characters)", NULL);
}

static void empty_placeholder(void **state)
{
	struct fixture *f = *state;
	load_fails(f, "a {} b",
		   "alerta.txt:1: error: empty placeholder '{}' ('{{' writes a literal '{')", NULL);
}

static void unterminated_placeholder(void **state)
{
	struct fixture *f = *state;
	load_fails(f, "Desde las {hora",
		   "alerta.txt:1: error: unterminated placeholder '{hora' (no '}' on the line; "
		   "'{{' writes a literal '{')", NULL);
	load_fails(f, "fin {",
		   "alerta.txt:1: error: unterminated placeholder '{' (no '}' on the line; "
		   "'{{' writes a literal '{')", NULL);
	/* a placeholder never spans lines */
	load_fails(f, "uno {ho\nra} dos",
		   "alerta.txt:1: error: unterminated placeholder '{ho' (no '}' on the line; "
		   "'{{' writes a literal '{')",
		   "alerta.txt:2: error: unmatched '}' ('}}' writes a literal '}')", NULL);
	/* another '{' ends it, and is read on its own */
	load_fails(f, "{a {b}",
		   "alerta.txt:1: error: unterminated placeholder '{a ' (no '}' on the line; "
		   "'{{' writes a literal '{')", NULL);
}

static void unmatched_closing_brace(void **state)
{
	struct fixture *f = *state;
	load_fails(f, "a } b", "alerta.txt:1: error: unmatched '}' ('}}' writes a literal '}')",
		   NULL);
	load_fails(f, "}}}", "alerta.txt:1: error: unmatched '}' ('}}' writes a literal '}')",
		   NULL);
	load_fails(f, "{x}}", "alerta.txt:1: error: unmatched '}' ('}}' writes a literal '}')",
		   NULL);
}

/* A long bad placeholder is quoted in part, cut between characters. */
static void long_quote_cut_between_characters(void **state)
{
	struct fixture *f = *state;
	/* 39 ASCII bytes and then 'ñ' (2 bytes): byte 40 is inside the 'ñ' */
	load(f, "{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaañandú y mucho texto más");
	assert_string_equal(f->err.detail,
			    "alerta.txt:1: error: unterminated placeholder "
			    "'{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' (no '}' on the line; "
			    "'{{' writes a literal '{')");
}

static void invalid_utf8_in_template(void **state)
{
	struct fixture *f = *state;
	const char *bad[] = {
		"\xFF",             /* never in UTF-8 */
		"\x80",             /* a lone continuation byte */
		"\xC0\x80",         /* overlong NUL */
		"\xE0\x80\xAF",     /* overlong '/' */
		"\xED\xA0\x80",     /* a UTF-16 surrogate */
		"\xF4\x90\x80\x80", /* above U+10FFFF */
		"\xC3",             /* cut short at the end */
		"\xE2\x82 ",        /* cut short before a space */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[64];
		snprintf(text, sizeof text, "bien\nma%s {x}", bad[i]);
		load_fails(f, text, "alerta.txt:2: error: invalid UTF-8 at byte 3 of the line",
			   NULL);
	}
}

static void nul_in_template(void **state)
{
	struct fixture *f = *state;
	ii_err rc = load_bytes(f, "uno\ndos\0tres", 12);
	assert_int_equal(rc, II_EDATA);
	assert_string_equal(f->err.detail, "alerta.txt:2: error: NUL character in the line");
}

/* Every kind of template error in one file: each is reported, at its line, in one pass;
 * a line of invalid UTF-8 is not parsed, so its brace is not reported. */
static void every_error_at_once(void **state)
{
	struct fixture *f = *state;
	load_fails(f,
		   "Bien: {servicio} {{ok}}\n"
		   "{hora\n"
		   "{}\n"
		   "{Hora} y {abcdefghijklmnopqrstuvwxyz0123456}\n"
		   "sobra }\n"
		   "mal \xFF {\n"
		   "bien otra vez {url}\n"
		   "} al principio y {al final",
		   "alerta.txt:2: error: unterminated placeholder '{hora' (no '}' on the line; "
		   "'{{' writes a literal '{')",
		   "alerta.txt:3: error: empty placeholder '{}' ('{{' writes a literal '{')",
		   "alerta.txt:4: error: invalid placeholder name '{Hora}' (a-z, 0-9 and '_', "
		   "starting with a letter; '{{' writes a literal '{')",
		   "alerta.txt:4: error: placeholder name too long "
		   "'{abcdefghijklmnopqrstuvwxyz0123456}' (at most 32 characters)",
		   "alerta.txt:5: error: unmatched '}' ('}}' writes a literal '}')",
		   "alerta.txt:6: error: invalid UTF-8 at byte 5 of the line",
		   "alerta.txt:8: error: unmatched '}' ('}}' writes a literal '}')",
		   "alerta.txt:8: error: unterminated placeholder '{al final' (no '}' on the line; "
		   "'{{' writes a literal '{')",
		   NULL);
}

static void diagnostics_optional(void **state)
{
	(void)state;
	struct template *t = NULL;
	struct ii_error e = { 0 };
	assert_int_equal(template_load_string("x.txt", "a\n}", 3, &t, NULL, &e), II_EDATA);
	assert_null(t);
	assert_string_equal(e.detail, "x.txt:2: error: unmatched '}' ('}}' writes a literal '}')");
	/* and no error struct either */
	assert_int_equal(template_load_string("x.txt", "{", 1, &t, NULL, NULL), II_EDATA);
	assert_int_equal(template_load_string("x.txt", "ok", 2, &t, NULL, NULL), II_OK);
	template_free(t);
	template_free(NULL);
}

static void empty_template(void **state)
{
	struct fixture *f = *state;
	load_fails(f, "", "alerta.txt: error: empty template", NULL);
	load_fails(f, "\xEF\xBB\xBF", "alerta.txt: error: empty template", NULL);
	/* a string is taken as it is: a line end alone is text */
	load_ok(f, "\n");
	render_is(f, NULL, 0, "\n");
}

static void byte_order_mark_ignored(void **state)
{
	struct fixture *f = *state;
	load_ok(f, "\xEF\xBB\xBF{x} hola");
	const struct template_value v[] = { { "x", "¡", false } };
	render_is(f, v, 1, "¡ hola");
	/* only a leading one: elsewhere U+FEFF is text (and the post counter refuses it) */
	load_ok(f, "a\xEF\xBB\xBF");
	render_is(f, v, 1, "a\xEF\xBB\xBF");
}

static void template_size_limit(void **state)
{
	struct fixture *f = *state;
	char *text = unit_repeat('a', TEMPLATE_MAX_SIZE + 1);
	assert_int_equal(load_bytes(f, text, TEMPLATE_MAX_SIZE), II_OK);
	assert_int_equal(load_bytes(f, text, TEMPLATE_MAX_SIZE + 1), II_EDATA);
	assert_string_equal(f->err.detail,
			    "alerta.txt: error: template too large (more than 65536 bytes)");
	assert_int_equal(diag_count(f->diags), 1);
	free(text);
}

static void output_size_limit(void **state)
{
	struct fixture *f = *state;
	char *big = unit_repeat('v', TEMPLATE_MAX_OUTPUT);
	const struct template_value v[] = { { "x", big, false }, { "y", "", false }, { "z", "z", false } };
	load_ok(f, "{x}{y}");
	char *out = NULL;
	assert_int_equal(template_render(f->t, v, 3, false, &out, &f->err), II_OK);
	assert_int_equal(strlen(out), TEMPLATE_MAX_OUTPUT);
	free(out);
	load_ok(f, "{x}{z}");
	render_fails(f, v, 3, "alerta.txt: error: rendered text too long (more than 65536 bytes)");
	load_ok(f, "{z}{x}");
	render_fails(f, v, 3, "alerta.txt: error: rendered text too long (more than 65536 bytes)");
	load_ok(f, "{x}.");
	render_fails(f, v, 3, "alerta.txt: error: rendered text too long (more than 65536 bytes)");
	free(big);
}

static void unknown_placeholder(void **state)
{
	struct fixture *f = *state;
	load_ok(f, "Incidencia\nen {servicio} a las {hora2}");
	render_fails(f, incident, INCIDENT_COUNT,
		     "alerta.txt:2: error: unknown placeholder '{hora2}'");
	render_fails(f, NULL, 0, "alerta.txt:2: error: unknown placeholder '{servicio}'");
}

static void missing_value(void **state)
{
	struct fixture *f = *state;
	const struct template_value v[] = {
		{ "servicio", "Sede", false }, { "hora", "10:42", false }, { "duracion", NULL, false },
	};
	load_ok(f, "{servicio}\n\nResuelta tras {duracion}.");
	render_fails(f, v, 3, "alerta.txt:3: error: missing value for placeholder '{duracion}'");
	/* a value the template does not use may be missing */
	load_ok(f, "{servicio} desde las {hora}");
	render_is(f, v, 3, "Sede desde las 10:42");
}

static void invalid_utf8_in_value(void **state)
{
	struct fixture *f = *state;
	const char *bad[] = { "Sede \xFF", "\xC3", "\xED\xA0\x80", "\xC0\xAF", "ok\xF4\x90\x80\x80" };
	load_ok(f, "A {a}\nB {servicio}");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct template_value v[] = { { "a", "ñ", false }, { "servicio", bad[i], false } };
		render_fails(f, v, 2,
			     "alerta.txt:2: error: invalid UTF-8 in the value of placeholder "
			     "'{servicio}'");
	}
	/* a value the template does not use is not looked at */
	const struct template_value v[] = { { "a", "ñ", false }, { "servicio", "s", false }, { "x", "\xFF", false } };
	render_is(f, v, 3, "A ñ\nB s");
}

/* The first problem in the template is the one reported, whatever the values' order. */
static void first_problem_reported(void **state)
{
	struct fixture *f = *state;
	const struct template_value v[] = {
		{ "c", "\xFF", false }, { "b", NULL, false }, { "a", "ok", false },
	};
	load_ok(f, "{a}\n{d} {b}\n{c}");
	render_fails(f, v, 3, "alerta.txt:2: error: unknown placeholder '{d}'");
	load_ok(f, "{a}\n{b} {d}\n{c}");
	render_fails(f, v, 3, "alerta.txt:2: error: missing value for placeholder '{b}'");
	load_ok(f, "{c}\n{b}");
	render_fails(f, v, 3, "alerta.txt:1: error: invalid UTF-8 in the value of placeholder '{c}'");
	/* reported at the line of the placeholder's first use */
	load_ok(f, "uno\n\n{b}\n{b}");
	render_fails(f, v, 3, "alerta.txt:3: error: missing value for placeholder '{b}'");
}

static void first_of_duplicate_values_wins(void **state)
{
	struct fixture *f = *state;
	const struct template_value v[] = { { "x", "primero", false }, { "x", "segundo", false } };
	load_ok(f, "-{x}");
	render_is(f, v, 2, "-primero");
}

static void check_for_lint(void **state)
{
	struct fixture *f = *state;
	const char *known[] = { "servicio", "hora", "url" };
	load_ok(f, "{servicio} {hora}\n{duracion}\n{hora} {enlace} {duracion}");
	diag_free(f->diags);
	f->diags = diag_new();
	memset(&f->err, 0, sizeof f->err);
	assert_int_equal(template_check(f->t, known, 3, f->diags, &f->err), II_EDATA);
	assert_int_equal(diag_count(f->diags), 2);
	assert_string_equal(diag_at(f->diags, 0),
			    "alerta.txt:2: error: unknown placeholder '{duracion}'");
	assert_string_equal(diag_at(f->diags, 1),
			    "alerta.txt:3: error: unknown placeholder '{enlace}'");
	assert_string_equal(f->err.detail, diag_at(f->diags, 0));

	const char *all[] = { "url", "enlace", "duracion", "hora", "servicio" };
	diag_free(f->diags);
	f->diags = diag_new();
	assert_int_equal(template_check(f->t, all, 5, f->diags, NULL), II_OK);
	assert_int_equal(diag_count(f->diags), 0);
	assert_int_equal(template_check(f->t, all, 5, NULL, NULL), II_OK);
	assert_int_equal(template_check(f->t, known, 3, NULL, NULL), II_EDATA);
}

static void load_file(void **state)
{
	struct fixture *f = *state;
	char *path = unit_write_file(f->dir, "alerta.txt",
				     "\xEF\xBB\xBF🚨 {servicio}\nno funciona desde las {hora}.\n");
	struct template *t = NULL;
	assert_int_equal(template_load_file(path, &t, NULL, &f->err), II_OK);
	assert_string_equal(template_name(t), path);
	size_t n;
	const struct template_placeholder *p = template_placeholders(t, &n);
	assert_int_equal(n, 2);
	assert_int_equal(p[1].line, 2);
	char *out = NULL;
	assert_int_equal(template_render(t, incident, INCIDENT_COUNT, false, &out, &f->err), II_OK);
	/* the file's final line end is not part of the message */
	assert_string_equal(out, "🚨 Sede Electrónica\nno funciona desde las 10:42.");
	free(out);
	template_free(t);
	free(path);
}

static void file_line_ends(void **state)
{
	struct fixture *f = *state;
	const struct { const char *file, *text; } cases[] = {
		{ "uno\r\n", "uno" },
		{ "uno\n\n", "uno\n" }, /* only one line end goes */
		{ "uno\r\ndos", "uno\r\ndos" },
		{ "uno", "uno" },
	};
	char *path = unit_join(f->dir, "t.txt");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unit_write(path, cases[i].file);
		struct template *t = NULL;
		assert_int_equal(template_load_file(path, &t, NULL, &f->err), II_OK);
		char *out = NULL;
		assert_int_equal(template_render(t, NULL, 0, false, &out, &f->err), II_OK);
		assert_string_equal(out, cases[i].text);
		free(out);
		template_free(t);
	}
	/* a file with only a line end is empty */
	unit_write(path, "\n");
	struct template *t = NULL;
	assert_int_equal(template_load_file(path, &t, NULL, &f->err), II_EDATA);
	char want[512];
	snprintf(want, sizeof want, "%s: error: empty template", path);
	assert_string_equal(f->err.detail, want);
	free(path);
}

static void file_errors_name_the_file(void **state)
{
	struct fixture *f = *state;
	char *path = unit_write_file(f->dir, "resuelta.txt", "Resuelta\ntras {duracion\n");
	struct template *t = NULL;
	struct diag_list *diags = diag_new();
	assert_int_equal(template_load_file(path, &t, diags, &f->err), II_EDATA);
	assert_null(t);
	char want[512];
	snprintf(want, sizeof want,
		 "%s:2: error: unterminated placeholder '{duracion' (no '}' on the line; "
		 "'{{' writes a literal '{')", path);
	assert_int_equal(diag_count(diags), 1);
	assert_string_equal(diag_at(diags, 0), want);
	assert_string_equal(f->err.detail, want);
	diag_free(diags);
	free(path);
}

static void file_size_limit(void **state)
{
	struct fixture *f = *state;
	char *path = unit_join(f->dir, "grande.txt");
	char *text = unit_repeat('a', TEMPLATE_MAX_SIZE + 1);
	struct template *t = NULL;
	unit_write_bytes(path, text, TEMPLATE_MAX_SIZE);
	assert_int_equal(template_load_file(path, &t, NULL, &f->err), II_OK);
	template_free(t);
	t = NULL;
	unit_write_bytes(path, text, TEMPLATE_MAX_SIZE + 1);
	assert_int_equal(template_load_file(path, &t, NULL, &f->err), II_EDATA);
	assert_null(t);
	unit_assert_contains(f->err.detail, ": error: template too large (more than 65536 bytes)");
	free(text);
	free(path);
}

static void unreadable_file(void **state)
{
	struct fixture *f = *state;
	char *path = unit_join(f->dir, "no-existe.txt");
	struct template *t = NULL;
	assert_int_equal(template_load_file(path, &t, NULL, &f->err), II_EIO);
	assert_null(t);
	char want[512];
	snprintf(want, sizeof want, "cannot open '%s': No such file or directory", path);
	assert_string_equal(f->err.detail, want);
	free(path);

	assert_int_equal(template_load_file(f->dir, &t, NULL, &f->err), II_EIO);
	assert_null(t);
	snprintf(want, sizeof want, "cannot open '%s': not a regular file", f->dir);
	assert_string_equal(f->err.detail, want);
}

/* Random templates from a small alphabet of braces, names, line ends, multi-byte and
 * invalid bytes: a template either loads or reports at least one problem, and what
 * renders is valid UTF-8 of the expected length. A fixed seed keeps it repeatable. */
static void random_templates(void **state)
{
	struct fixture *f = *state;
	static const char *const pieces[] = {
		"{", "}", "{{", "}}", "a", "b", "{a}", "{b}", "\n", "ñ", "🚨", "\xFF", "\xC3",
		" ", "{A}", "{}", "_", "1",
	};
	const struct template_value v[] = { { "a", "ÁÉ", false }, { "b", "👨‍👩‍👧", false } };
	unsigned seed = 20261128;
	size_t loaded = 0;
	for (int round = 0; round < 20000; round++) {
		char text[256] = "";
		size_t len = 0;
		int count = (int)(rand_r(&seed) % 12);
		for (int i = 0; i < count; i++) {
			const char *piece = pieces[rand_r(&seed) % (sizeof pieces / sizeof pieces[0])];
			memcpy(text + len, piece, strlen(piece));
			len += strlen(piece);
		}
		ii_err rc = load_bytes(f, text, len);
		if (rc != II_OK) {
			assert_int_equal(rc, II_EDATA);
			assert_true(diag_count(f->diags) >= 1);
			unit_assert_contains(f->err.detail, "alerta.txt");
			continue;
		}
		loaded++;
		char *out = NULL;
		assert_int_equal(template_render(f->t, v, 2, false, &out, &f->err), II_OK);
		utf8proc_int32_t cp;
		for (size_t i = 0, n = strlen(out); i < n;) {
			utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)out + i,
								 (utf8proc_ssize_t)(n - i), &cp);
			if (step <= 0)
				fail_msg("invalid UTF-8 rendered from '%.*s'", (int)len, text);
			i += (size_t)step;
		}
		free(out);
	}
	/* the alphabet gives both outcomes plenty of times */
	assert_true(loaded > 2000);
	assert_true(loaded < 18000);
}

/* {singular|plural} follows the number the caller gives, next to values and text. */
static void choices_of_number(void **state)
{
	struct fixture *f = *state;
	const struct template_value v[] = { { "servicio", "los Servicios de Cita Previa", false } };
	load_ok(f, "{servicio} {vuelve|vuelven} a funcionar; no {estará|estarán} disponible{|s}.");
	assert_true(template_has_choice(f->t));
	char *out = NULL;
	assert_int_equal(template_render(f->t, v, 1, true, &out, &f->err), II_OK);
	assert_string_equal(out, "Los Servicios de Cita Previa vuelven a funcionar; no estarán disponibles.");
	free(out);
	assert_int_equal(template_render(f->t, v, 1, false, &out, &f->err), II_OK);
	assert_string_equal(out, "Los Servicios de Cita Previa vuelve a funcionar; no estará disponible.");
	free(out);
	load_fails(f, "{a|b|c}",
		   "alerta.txt:1: error: choice '{a|b|c}' has more than one '|' (write "
		   "'{singular|plural}', as '{funciona|funcionan}')",
		   NULL);
	load_ok(f, "{servicio} funciona");
	assert_false(template_has_choice(f->t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(values_join_the_sentence),
		UNIT_TEST(an_empty_value_leaves_no_gap),
		UNIT_TEST(renders_placeholders),
		UNIT_TEST(text_without_placeholders),
		UNIT_TEST(placeholders_adjacent_to_text),
		UNIT_TEST(escaped_braces),
		UNIT_TEST(values_copied_verbatim),
		UNIT_TEST(utf8_values),
		UNIT_TEST(placeholders_listed_once_in_order),
		UNIT_TEST(placeholder_names),
		UNIT_TEST(empty_placeholder),
		UNIT_TEST(unterminated_placeholder),
		UNIT_TEST(unmatched_closing_brace),
		UNIT_TEST(long_quote_cut_between_characters),
		UNIT_TEST(invalid_utf8_in_template),
		UNIT_TEST(nul_in_template),
		UNIT_TEST(every_error_at_once),
		UNIT_TEST(diagnostics_optional),
		UNIT_TEST(empty_template),
		UNIT_TEST(byte_order_mark_ignored),
		UNIT_TEST(template_size_limit),
		UNIT_TEST(output_size_limit),
		UNIT_TEST(unknown_placeholder),
		UNIT_TEST(missing_value),
		UNIT_TEST(invalid_utf8_in_value),
		UNIT_TEST(first_problem_reported),
		UNIT_TEST(first_of_duplicate_values_wins),
		UNIT_TEST(check_for_lint),
		UNIT_TEST(load_file),
		UNIT_TEST(file_line_ends),
		UNIT_TEST(file_errors_name_the_file),
		UNIT_TEST(file_size_limit),
		UNIT_TEST(unreadable_file),
		UNIT_TEST(random_templates),
		UNIT_TEST(the_word_before_a_placeholder),
		UNIT_TEST(choices_of_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
