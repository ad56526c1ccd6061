/* Unit tests of lib/notice: the staff-written notice format and the threads it makes. */

#include "unit.h"

#include <dirent.h>
#include <time.h>

#include "notice.h"
#include "text/tweet.h"

struct fixture {
	struct diag_list *diags;
	struct notice *n;
	struct ii_error err;
};

static int setup(void **state)
{
	struct fixture *f = unit_alloc(sizeof *f);
	f->diags = diag_new();
	unit_madrid_time();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	notice_free(f->n);
	diag_free(f->diags);
	free(f);
	return 0;
}

#define BULO                                                                                  \
	"---\n"                                                                               \
	"tipo: bulo\n"                                                                        \
	"titulo: Las pensiones no bajarán en enero\n"                                         \
	"bulo: las pensiones bajarán un 20 % en enero\n"                                      \
	"veredicto: FALSO\n"                                                                  \
	"fuentes:\n"                                                                          \
	"  - https://www.boe.es/buscar/doc.php?id=BOE-A-2025-1\n"                             \
	"  - https://www.seg-social.es/pensiones\n"                                           \
	"etiquetas: [Pensiones, ingreso mínimo vital]\n"                                      \
	"publicar: 2026-12-01 09:00\n"                                                        \
	"caduca: 2026-12-31\n"                                                                \
	"autor: ana\n"                                                                        \
	"---\n"                                                                               \
	"Las pensiones contributivas se **revalorizan** cada enero\n"                         \
	"según el IPC medio.\n"                                                               \
	"\n"                                                                                  \
	"Si tienes dudas, consulta tu caso en la sede electrónica.\n"

static void parse_ok(struct fixture *f, const char *text)
{
	notice_free(f->n);
	f->n = NULL;
	if (notice_parse("n.md", text, strlen(text), &f->n, f->diags, &f->err) != II_OK) {
		for (size_t i = 0; i < diag_count(f->diags); i++)
			fprintf(stderr, "%s\n", diag_at(f->diags, i));
		fail_msg("notice_parse failed: %s", f->err.detail);
	}
}

/* Parses text, which must fail with exactly count problems; returns the first. */
static const char *parse_bad(struct fixture *f, const char *text, size_t count)
{
	notice_free(f->n);
	f->n = NULL;
	assert_int_equal(notice_parse("n.md", text, strlen(text), &f->n, f->diags, &f->err), II_EDATA);
	assert_null(f->n);
	if (diag_count(f->diags) != count) {
		for (size_t i = 0; i < diag_count(f->diags); i++)
			fprintf(stderr, "%s\n", diag_at(f->diags, i));
		fail_msg("expected %zu problems, got %zu", count, diag_count(f->diags));
	}
	return diag_at(f->diags, 0);
}

/* BULO with the line that starts with prefix replaced (NULL: removed). */
static char *bulo_with(const char *prefix, const char *line)
{
	char *out = calloc(1, sizeof BULO + 512);
	assert_non_null(out);
	const char *s = BULO;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = (size_t)(nl - s) + 1;
		if (!strncmp(s, prefix, strlen(prefix))) {
			if (line)
				strcat(strcat(out, line), "\n");
		} else {
			strncat(out, s, n);
		}
		s += n;
	}
	return out;
}

static void valid_bulo(void **state)
{
	struct fixture *f = *state;
	parse_ok(f, BULO);
	struct notice *n = f->n;
	assert_int_equal(n->kind, NOTICE_BULO);
	assert_string_equal(n->title, "Las pensiones no bajarán en enero");
	assert_int_equal(n->verdict, LANG_FALSO);
	assert_int_equal(n->lang, LANG_ES);
	assert_null(n->origin);
	assert_int_equal(n->source_count, 2);
	assert_string_equal(n->sources[1], "https://www.seg-social.es/pensiones");
	assert_int_equal(n->tag_count, 2);
	assert_string_equal(n->tags[1], "ingreso mínimo vital");
	assert_string_equal(n->author, "ana");
	assert_int_equal(n->publish_at, 1796112000); /* 2026-12-01 08:00 UTC */
	assert_int_equal(n->expires_at, 1798671600); /* 2026-12-31 00:00 in Madrid */
	assert_int_equal(n->paragraph_count, 2);
	assert_string_equal(n->paragraphs[0].text,
			    "Las pensiones contributivas se revalorizan cada enero según el IPC medio.");
	assert_int_equal(n->paragraphs[0].line, 14);
	assert_int_equal(n->paragraphs[1].line, 17);
	assert_int_equal(strlen(n->hash), 64);
}

static void hash_follows_the_bytes(void **state)
{
	struct fixture *f = *state;
	parse_ok(f, BULO);
	char first[65];
	memcpy(first, f->n->hash, sizeof first);
	parse_ok(f, BULO);
	assert_string_equal(first, f->n->hash);
	parse_ok(f, BULO "\nOtro párrafo.\n");
	assert_string_not_equal(first, f->n->hash);
}

static void valid_other_types(void **state)
{
	struct fixture *f = *state;
	parse_ok(f, "---\ntipo: aviso\ntitulo: Nuevo plazo del IMV\n---\nTexto.\n");
	assert_int_equal(f->n->kind, NOTICE_AVISO);
	parse_ok(f, "---\ntipo: incidencia\nambito: Oficinas de Madrid\nestado: en seguimiento\n---\n"
		    "La oficina de la calle Mayor cierra hoy.\n");
	assert_int_equal(f->n->kind, NOTICE_INCIDENCIA);
	assert_string_equal(f->n->scope, "Oficinas de Madrid");
	assert_int_equal(f->n->status, INCIDENT_EN_SEGUIMIENTO);
	assert_null(f->n->title);
	parse_ok(f, "---\ntipo: mantenimiento\nservicio: sede\ndesde: 2026-12-05 22:00\n"
		    "hasta: 2026-12-06 02:00\naviso_antes: 1 h 30 min\n---\nMejoras técnicas.\n");
	assert_int_equal(f->n->kind, NOTICE_MANTENIMIENTO);
	assert_string_equal(f->n->service, "sede");
	assert_int_equal(f->n->until - f->n->from, 4 * 3600);
	assert_int_equal(f->n->announce_before, 5400);
	parse_ok(f, "---\ntipo: mantenimiento\nservicio: sede\ndesde: 2026-12-05 22:00\n"
		    "hasta: 2026-12-06 02:00\n---\nMejoras.\n");
	assert_int_equal(f->n->announce_before, NOTICE_DEFAULT_ANNOUNCE);
}

static void dates_with_and_without_offset(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *text;
		time_t expected;
	} cases[] = {
		{"2026-07-01 09:00", 1782889200},       /* summer: +02:00 */
		{"2026-12-01T09:00:30", 1796112030},    /* winter: +01:00 */
		{"2026-12-01 09:00+00:00", 1796115600}, /* explicit offset wins */
		{"2026-12-01 09:00Z", 1796115600},
		{"2026-12-01 10:00+0100", 1796115600},
		{"2026-03-29 02:30", 1774747800},       /* skipped hour: read as 03:30 CEST */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char text[256];
		snprintf(text, sizeof text, "---\ntipo: aviso\ntitulo: T\npublicar: %s\n---\nX.\n",
			 cases[i].text);
		parse_ok(f, text);
		if (f->n->publish_at != cases[i].expected)
			fail_msg("'%s': %lld, expected %lld", cases[i].text, (long long)f->n->publish_at,
				 (long long)cases[i].expected);
	}
}

static void missing_key(void **state)
{
	struct fixture *f = *state;
	char *text = bulo_with("veredicto:", NULL);
	assert_string_equal(parse_bad(f, text, 1),
			    "n.md:2:1: error: missing required key 'veredicto' (type bulo)");
	free(text);
}

static void unknown_key_with_suggestion(void **state)
{
	struct fixture *f = *state;
	char *text = bulo_with("veredicto:", "veredito: FALSO");
	assert_int_equal(notice_parse("n.md", text, strlen(text), &f->n, f->diags, &f->err), II_EDATA);
	/* the key it was meant to be is not also reported missing */
	assert_int_equal(diag_count(f->diags), 1);
	assert_string_equal(diag_at(f->diags, 0),
			    "n.md:5:1: error: unknown key 'veredito': did you mean 'veredicto'?");
	free(text);
	parse_bad(f, "---\ntipo: aviso\ntitulo: T\ncolor: rojo\n---\nX.\n", 2);
	assert_string_equal(diag_at(f->diags, 1),
			    "n.md:4:1: error: unknown key 'color': notices/README.md lists the keys");
}

static void every_problem_in_one_pass(void **state)
{
	struct fixture *f = *state;
	const char *text = "---\n"
			   "tipo: bulo\n"
			   "titulo: [a, b]\n"
			   "bulo: Algo\n"
			   "veredicto: MENTIRA\n"
			   "fuentes: http://www.boe.es/\n"
			   "publicar: 2026-02-30\n"
			   "---\n";
	parse_bad(f, text, 5);
	/* in the order of their lines */
	assert_string_equal(diag_at(f->diags, 0), "n.md:3:9: error: 'titulo' must be one text, not a list: write one value after the key");
	assert_string_equal(diag_at(f->diags, 1), "n.md:5:12: error: invalid veredicto 'MENTIRA': use FALSO, ENGAÑOSO, SIN CONTEXTO or ESTAFA");
	assert_string_equal(diag_at(f->diags, 2), "n.md:6:10: error: source 'http://www.boe.es/' is not a valid https:// address: write the whole address, like https://www.seg-social.es/…");
	assert_string_equal(diag_at(f->diags, 3), "n.md:7:11: error: invalid date '2026-02-30' in 'publicar': write YYYY-MM-DD or YYYY-MM-DD HH:MM");
	assert_string_equal(diag_at(f->diags, 4), "n.md:8:1: error: the notice has no text after the header: write it below the second '---' line");
}

static void order_of_dates(void **state)
{
	struct fixture *f = *state;
	parse_bad(f, "---\ntipo: mantenimiento\nservicio: sede\ndesde: 2026-12-06 02:00\n"
		     "hasta: 2026-12-05 22:00\naviso_antes: pronto\n---\nX.\n", 2);
	assert_string_equal(diag_at(f->diags, 0), "n.md:5:8: error: 'hasta' must be later than 'desde'");
	unit_assert_contains(diag_at(f->diags, 1), "n.md:6:14: error: invalid aviso_antes 'pronto'");
	parse_bad(f, "---\ntipo: aviso\ntitulo: T\npublicar: 2026-12-02\ncaduca: 2026-12-01\n---\nX.\n", 3);
	unit_assert_contains(diag_at(f->diags, 2), "n.md:5:9: error: 'caduca' must be later than 'publicar'");
}

static void key_of_another_type_and_repeated_key(void **state)
{
	struct fixture *f = *state;
	parse_bad(f, "---\ntipo: aviso\ntitulo: T\nveredicto: FALSO\ntitulo: U\n---\nX.\n", 2);
	assert_string_equal(diag_at(f->diags, 0),
			    "n.md:4:1: error: key 'veredicto' is not used in a notice of type 'aviso': remove it");
	assert_string_equal(diag_at(f->diags, 1),
			    "n.md:5:1: error: key 'titulo' is repeated (it is on line 3 already): keep one");
}

static void bytes_that_are_not_text(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(parse_bad(f, "---\ntipo: aviso\ntitulo: Caf\xe9\n---\nX.\n", 1),
			    "n.md:3:12: error: the text is not valid UTF-8: save the file as UTF-8");
	const char with_nul[] = "---\ntipo: aviso\ntitulo: T\n---\nA\0B.\n";
	notice_free(f->n);
	diag_free(f->diags);
	f->diags = diag_new();
	assert_int_equal(notice_parse("n.md", with_nul, sizeof with_nul - 1, &f->n, f->diags, &f->err),
			 II_EDATA);
	unit_assert_contains(diag_at(f->diags, 0), "n.md:5:2: error: control character U+0000 is not allowed: delete it");
	char *big = unit_repeat('a', NOTICE_MAX_SIZE + 1);
	diag_free(f->diags);
	f->diags = diag_new();
	assert_string_equal(parse_bad(f, big, 1), "n.md:1:1: error: the file is larger than 256 KiB: split it into shorter notices");
	free(big);
}

static void front_matter_is_required(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(parse_bad(f, "tipo: aviso\nTexto.\n", 1),
			    "n.md:1:1: error: the header is missing: the file must start with a line '---'");
	diag_free(f->diags);
	f->diags = diag_new();
	unit_assert_contains(parse_bad(f, "---\ntipo: aviso\ntitulo: T\nTexto.\n", 1),
			     "the header is not closed");
	diag_free(f->diags);
	f->diags = diag_new();
	unit_assert_contains(parse_bad(f, "---\ntipo: aviso\ntitulo: [T\n---\nTexto.\n", 1),
			     "n.md:3:9: error: the list opened here with '[' is not closed: end it with ']'");
}

static void markdown_becomes_plain_text(void **state)
{
	struct fixture *f = *state;
	parse_ok(f, "---\ntipo: aviso\ntitulo: T\n---\n# Plazos\n\nDocumentos:\n- DNI\n* **libro** de familia\n");
	assert_int_equal(f->n->paragraph_count, 2);
	assert_string_equal(f->n->paragraphs[0].text, "Plazos");
	assert_string_equal(f->n->paragraphs[1].text, "Documentos:\n• DNI\n• libro de familia");
}

/* CommonMark, not hand stripping: an address keeps its "__" and "**", a link shows its
 * address, and what a post cannot show is a warning. */
static void markdown_is_commonmark(void **state)
{
	struct fixture *f = *state;
	parse_ok(f, "---\ntipo: aviso\ntitulo: T\n---\n"
		    "Guía: https://www.example.es/__data/assets/guia.pdf y **otra** en "
		    "[esta página](https://www.example.es/a__b__c.html), <https://a.es/**b**>.\n"
		    "\n![logo](https://a.es/l.png) <b>x</b>\n\n---\n\nfin  \nfin2\n");
	assert_int_equal(f->n->paragraph_count, 3);
	assert_string_equal(f->n->paragraphs[0].text,
			    "Guía: https://www.example.es/__data/assets/guia.pdf y otra en esta página "
			    "https://www.example.es/a__b__c.html, https://a.es/**b**.");
	assert_string_equal(f->n->paragraphs[1].text, " x");
	assert_string_equal(f->n->paragraphs[2].text, "fin\nfin2");
	assert_int_equal(f->n->warning_count, 4); /* the image, two HTML tags, the rule */
	unit_assert_contains(f->n->warnings[0].text, "image");
	assert_int_equal(f->n->warnings[0].line, 7);
}

/* cmark has no tables: a paragraph whose lines are all rows is published one row a line,
 * cells between " · ", without the delimiter row; a '|' in text or in code stays. */
static void tables_are_rows_of_text(void **state)
{
	struct fixture *f = *state;
	parse_ok(f, "---\ntipo: aviso\ntitulo: T\n---\n"
		    "| Trámite | Plazo |\n"
		    "|:---|:---:|\n"
		    "| **Alta** | 3 días |\n"
		    "| `a|b` |  | [sede](https://sede.seg-social.gob.es/a_b) |\n"
		    "\n"
		    "Día | Hora\n--- | ---\nlunes | 9:00\n"
		    "\n"
		    "- | uno | dos |\n  | 1 | 2 |\n"
		    "\n"
		    "Horario: 9:00 | 14:00 de lunes a viernes.\n"
		    "\n"
		    "Opción A | B\nOpción C | D\n"
		    "\n"
		    "| una sola línea | no es una tabla |\n");
	const char *expected[] = {
		"Trámite · Plazo\nAlta · 3 días\na|b · sede https://sede.seg-social.gob.es/a_b",
		"Día · Hora\nlunes · 9:00",
		"• uno · dos\n1 · 2",
		"Horario: 9:00 | 14:00 de lunes a viernes.",
		"Opción A | B Opción C | D",
		"| una sola línea | no es una tabla |",
	};
	assert_int_equal(f->n->paragraph_count, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(f->n->paragraphs[i].text, expected[i]);
	assert_int_equal(f->n->warning_count, 3);
	for (size_t i = 0; i < 3; i++)
		unit_assert_contains(f->n->warnings[i].text, "its cells separated by ' · ', without the row of dashes");
	assert_int_equal(f->n->warnings[0].line, 5);
	assert_int_equal(f->n->warnings[1].line, 10);

	/* rows that do not stand alone in their paragraph are text, and the author is told */
	parse_ok(f, "---\ntipo: aviso\ntitulo: T\n---\nPlazos:\n| a | b |\n|---|---|\n");
	assert_string_equal(f->n->paragraphs[0].text, "Plazos: | a | b | |---|---|");
	assert_int_equal(f->n->warning_count, 1);
	unit_assert_contains(f->n->warnings[0].text,
			     "row '|---|---|' belongs to a table, but the table is not alone in its paragraph");

	/* the marks of cells and rows cannot be forged with an entity */
	parse_ok(f, "---\ntipo: aviso\ntitulo: T\n---\n| a&#31;b | c |\n| d&#30;e | f |\n");
	assert_string_equal(f->n->paragraphs[0].text, "a?b · c\nd?e · f");
}

/* Issue 14, item 16: keys with accents or capitals are the keys; verdicts in any case,
 * with or without accents, are stored in their agreed form; idioma and origen. */
static void forgiving_keys_and_verdicts(void **state)
{
	struct fixture *f = *state;
	parse_ok(f, "---\nTipo: incidencia\námbito: Oficina de Sevilla\nestado: investigando\n"
		    "Título: cerrada hoy\n---\nX.\n");
	assert_string_equal(f->n->scope, "Oficina de Sevilla");
	assert_string_equal(f->n->title, "cerrada hoy");
	static const struct {
		const char *written;
		enum lang_verdict verdict;
	} verdicts[] = {
		{"falso", LANG_FALSO},         {"Falso", LANG_FALSO},
		{"FALSO", LANG_FALSO},         {"engañoso", LANG_ENGANOSO},
		{"ENGANOSO", LANG_ENGANOSO},   {"Sin  contexto", LANG_SIN_CONTEXTO},
		{"estafa", LANG_ESTAFA},
	};
	for (size_t i = 0; i < sizeof verdicts / sizeof *verdicts; i++) {
		char line[64];
		snprintf(line, sizeof line, "veredicto: %s", verdicts[i].written);
		char *text = bulo_with("veredicto:", line);
		parse_ok(f, text);
		assert_int_equal(f->n->verdict, verdicts[i].verdict);
		free(text);
	}
	assert_string_equal(lang_verdict_name(LANG_ENGANOSO), "ENGAÑOSO");
	char *text = bulo_with("autor:", "idioma: CA\norigen: per WhatsApp");
	parse_ok(f, text);
	assert_int_equal(f->n->lang, LANG_CA);
	assert_string_equal(f->n->origin, "per WhatsApp");
	free(text);
	/* a key that is not one the type uses stays an error, accented or not */
	parse_bad(f, "---\ntipo: aviso\ntítulo: T\nbulo: x\n---\nX.\n", 1);
	assert_string_equal(diag_at(f->diags, 0),
			    "n.md:4:1: error: key 'bulo' is not used in a notice of type 'aviso': remove it");
}

/* Sources: an address, or who publishes it and the address, written as text or as YAML
 * reads "- el BOE: https://…" (a mapping of one key). */
static void sources_say_who_publishes_them(void **state)
{
	struct fixture *f = *state;
	char *text = bulo_with("  - https://www.seg-social.es/pensiones",
			       "  - el Ministerio de Hacienda: https://www.hacienda.gob.es/irpf\n"
			       "  - \"la AEAT https://sede.agenciatributaria.gob.es/a\"");
	parse_ok(f, text);
	free(text);
	assert_int_equal(f->n->source_count, 3);
	assert_null(f->n->source_names[0]);
	assert_string_equal(f->n->sources[0], "https://www.boe.es/buscar/doc.php?id=BOE-A-2025-1");
	assert_string_equal(f->n->source_names[1], "el Ministerio de Hacienda");
	assert_string_equal(f->n->sources[1], "https://www.hacienda.gob.es/irpf");
	assert_string_equal(f->n->source_names[2], "la AEAT");
	assert_string_equal(f->n->sources[2], "https://sede.agenciatributaria.gob.es/a");
	assert_int_equal(f->n->warning_count, 0);
	text = bulo_with("  - https://www.seg-social.es/pensiones", "  - el BOE: [https://www.boe.es/]");
	parse_bad(f, text, 1);
	assert_string_equal(diag_at(f->diags, 0), "n.md:8:5: error: each item of 'fuentes' must be a text");
	free(text);
}

/* Issue 14, item 16: what is likely a mistake but may be meant is a warning, at its line. */
static void warnings_for_what_may_not_be_meant(void **state)
{
	struct fixture *f = *state;
	parse_ok(f, "---\ntipo: bulo\ntitulo: T\nbulo: x\nveredicto: FALSO\n"
		    "fuentes: [https://www.boe.es/, https://www.example.org]\n"
		    "publicar: 2026-12-01\ncaduca: 2026-12-02 10:00\n---\nX.\n");
	assert_int_equal(f->n->warning_count, 3);
	assert_int_equal(f->n->warnings[0].line, 6);
	assert_string_equal(f->n->warnings[0].text,
			    "source 'https://www.example.org' does not say who publishes it: write the name "
			    "before the address, like this: - la Seguridad Social: https://www.example.org");
	assert_int_equal(f->n->warnings[1].line, 6);
	assert_string_equal(f->n->warnings[1].text,
			    "the sources are only home pages ('https://www.boe.es/'): link to the page that "
			    "says what the thread says");
	assert_int_equal(f->n->warnings[2].line, 7);
	assert_string_equal(f->n->warnings[2].text,
			    "'publicar' has no time, so the notice goes out at 00:00, when nobody answers "
			    "replies: add the time, like this: publicar: 2026-12-01 09:00");
	notice_check_at(f->n, 1796202000 - 1); /* 2026-12-02 09:59:59 in Madrid */
	assert_int_equal(f->n->warning_count, 3);
	notice_check_at(f->n, 1796202000);
	assert_int_equal(f->n->warning_count, 4);
	assert_int_equal(f->n->warnings[3].line, 8);
	assert_string_equal(f->n->warnings[3].text,
			    "'caduca' (2026-12-02 10:00) is past already: the notice will never be published");
	/* a caduca still ahead, a timed publicar and a page that is not a home page: none */
	parse_ok(f, BULO);
	notice_check_at(f->n, 1796112000);
	assert_int_equal(f->n->warning_count, 0);
}

/* Issue 14, item 15: what libyaml cannot read is explained with the fix, at its line. */
static void yaml_problems_with_their_fix(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *header, *expected;
	} cases[] = {
		{"titulo: Cita previa: cómo pedirla\n",
		 "n.md:3:20: error: the value of 'titulo' has a colon: put it in quotes, like this: "
		 "titulo: \"Cita previa: cómo pedirla\""},
		{"titulo: Dice \"hoy\": no\n",
		 "n.md:3:19: error: the value of 'titulo' has a colon: put it in quotes, like this: "
		 "titulo: 'Dice \"hoy\": no'"},
		{"\ttitulo: T\n", "n.md:3:1: error: a tab indents this line: indent with spaces"},
		{"titulo: \"T\nautor: a\n",
		 "n.md:3:9: error: the quotes opened here are not closed: close them at the end of "
		 "the value"},
		{"titulo: `T`\n",
		 "n.md:3:9: error: the value of 'titulo' starts with '`', which YAML reserves: put it "
		 "in quotes, like this: titulo: \"`T`\""},
		{"titulo: T\netiquetas: - a\n",
		 "n.md:4:12: error: a list item ('- ') goes on a line of its own, under its key"},
		{"titulo\n", "n.md:3:1: error: this line has no ':' after its key: write 'key: value'"},
		/* a value already quoted, closed too early by its own quote: the fix quotes what
		 * is inside, never the author's quotes again */
		{"titulo: 'Cita d'Ana'\n",
		 "n.md:3:17: error: the value of 'titulo' goes on after its closing quote: quote all "
		 "of it, like this: titulo: \"Cita d'Ana\""},
		{"titulo: \"Dice \"hoy\" ya\"\n",
		 "n.md:3:16: error: the value of 'titulo' goes on after its closing quote: quote all "
		 "of it, like this: titulo: 'Dice \"hoy\" ya'"},
		{"titulo: 'Dice \"hoy\" d'Ana'\n",
		 "n.md:3:23: error: the value of 'titulo' goes on after its closing quote: quote all "
		 "of it, like this: titulo: 'Dice \"hoy\" d''Ana'"},
		{"titulo: \"Cita\" previa\n",
		 "n.md:3:16: error: the value of 'titulo' goes on after its closing quote: quote all "
		 "of it, like this: titulo: '\"Cita\" previa'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char text[256];
		snprintf(text, sizeof text, "---\ntipo: aviso\n%s---\nX.\n", cases[i].header);
		diag_free(f->diags);
		f->diags = diag_new();
		assert_string_equal(parse_bad(f, text, 1), cases[i].expected);
	}
}

/* A value the store or the feeds could not keep whole is an error naming it. */
static void long_fields_are_errors(void **state)
{
	struct fixture *f = *state;
	char text[4096], title[1200];
	memset(title, 'a', sizeof title - 1);
	title[sizeof title - 1] = '\0';
	snprintf(text, sizeof text, "---\ntipo: aviso\ntitulo: %s\n---\nTexto.\n", title);
	unit_assert_contains(parse_bad(f, text, 1), "'titulo' has 1199 characters; the most it can have is 160: shorten it");
}

static void rebuttal_thread_shape(void **state)
{
	struct fixture *f = *state;
	parse_ok(f, BULO);
	struct thread *t;
	assert_int_equal(notice_thread(f->n, "n.md", NULL, &t, f->diags, &f->err), II_OK);
	size_t count = thread_count(t);
	assert_int_equal(count, 4);
	/* the fact first, the hoax named once with its verdict, no «» */
	assert_string_equal(thread_post(t, 0), "Las pensiones no bajarán en enero. Circula el bulo de que las pensiones bajarán un 20 % en enero. Es falso. 1/4");
	for (size_t i = 1; i < count; i++)
		assert_null(strstr(thread_post(t, i), "bajarán un 20 %"));
	assert_string_equal(thread_post(t, 3), "Las pensiones no bajarán en enero.\nLo explica el BOE: https://www.boe.es/buscar/doc.php?id=BOE-A-2025-1\nLo explica la Seguridad Social: https://www.seg-social.es/pensiones\n#Pensiones #IngresoMínimoVital 4/4");
	for (size_t i = 0; i < count; i++) {
		struct tweet_parse p;
		const char *post = thread_post(t, i);
		assert_int_equal(tweet_parse(post, strlen(post), &p, NULL), II_OK);
		assert_true(p.valid);
		assert_int_equal(p.weighted_length, thread_post_length(t, i));
	}
	thread_free(t);
}

static void word_too_long_is_reported_with_its_line(void **state)
{
	struct fixture *f = *state;
	char *word = unit_repeat('x', 300);
	char *text;
	assert_true(asprintf(&text, "---\ntipo: aviso\ntitulo: T\n---\nPrimero.\n\nAhora %s.\n", word) >= 0);
	parse_ok(f, text);
	struct thread *t;
	assert_int_equal(notice_thread(f->n, "n.md", NULL, &t, f->diags, &f->err), II_EDATA);
	assert_int_equal(diag_count(f->diags), 1);
	unit_assert_contains(diag_at(f->diags, 0), "n.md:7: error: word '");
	free(word);
	free(text);
}

/* tests/notices-invalid/NAME.md: each fails with the first error of NAME.expected (its
 * second line; the first is the exit status the command gives). */
static void invalid_corpus(void **state)
{
	struct fixture *f = *state;
	const char *dir = "tests/notices-invalid";
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open '%s' (run from the repository root)", dir);
	size_t checked = 0;
	struct dirent *entry;
	while ((entry = readdir(d))) {
		size_t n = strlen(entry->d_name);
		if (n < 4 || strcmp(entry->d_name + n - 3, ".md") || !strcmp(entry->d_name, "README.md"))
			continue;
		char *path = unit_join(dir, entry->d_name);
		char *expected_path;
		assert_true(asprintf(&expected_path, "%.*s.expected", (int)(path[0] ? strlen(path) - 3 : 0), path) >= 0);
		FILE *ef = fopen(expected_path, "r");
		if (!ef)
			fail_msg("no '%s'", expected_path);
		char expected[1024] = "";
		assert_non_null(fgets(expected, sizeof expected, ef));
		assert_string_equal(expected, "exit 65\n");
		assert_non_null(fgets(expected, sizeof expected, ef));
		fclose(ef);
		expected[strcspn(expected, "\n")] = '\0';
		diag_free(f->diags);
		f->diags = diag_new();
		notice_free(f->n);
		f->n = NULL;
		assert_int_equal(notice_load_file(path, &f->n, f->diags, &f->err), II_EDATA);
		if (strcmp(diag_at(f->diags, 0), expected))
			fail_msg("%s: got '%s', expected '%s'", path, diag_at(f->diags, 0), expected);
		checked++;
		free(path);
		free(expected_path);
	}
	closedir(d);
	assert_true(checked >= 40);
}

/* A missing file and a folder are refused with what went wrong, the path first. */
static void unreadable_files_say_why(void **state)
{
	struct fixture *f = *state;
	char *dir = unit_tmpdir();
	char *missing = unit_join(dir, "no-existe.md");
	char want[512];
	assert_int_equal(notice_load_file(missing, &f->n, f->diags, &f->err), II_EIO);
	assert_null(f->n);
	snprintf(want, sizeof want, "cannot open '%s': No such file or directory", missing);
	assert_string_equal(f->err.detail, want);
	assert_int_equal(notice_load_file(dir, &f->n, f->diags, &f->err), II_EIO);
	assert_null(f->n);
	snprintf(want, sizeof want, "cannot open '%s': not a regular file", dir);
	assert_string_equal(f->err.detail, want);
	unit_rmtree(dir);
	free(dir);
	free(missing);
}

/* ---- what staff wrote is what goes out ---- */

struct gen {
	unsigned long long state;
	size_t serial;
	char *text;
	size_t len, cap;
	char **words; /* every word and URL written, in the order the thread must give them */
	size_t n_words;
};

static unsigned gen_next(struct gen *g, unsigned below)
{
	g->state = g->state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(g->state >> 33) % below;
}

static void gen_add(struct gen *g, const char *s)
{
	size_t n = strlen(s);
	if (g->len + n + 1 > g->cap) {
		g->cap = (g->len + n + 1) * 2;
		g->text = realloc(g->text, g->cap);
		assert_non_null(g->text);
	}
	memcpy(g->text + g->len, s, n + 1);
	g->len += n;
}

/* A word no other word contains, or an address full of '_' and '*', recorded. */
static void gen_word(struct gen *g, bool url)
{
	char w[400];
	size_t k = g->serial++;
	if (url) {
		int pad = (int)gen_next(g, 200);
		snprintf(w, sizeof w, "https://www.example.es/__data/a__b**c_%zu/%0*d__x.pdf", k, pad, 0);
	} else {
		char letters[16];
		size_t i = 0;
		do
			letters[i++] = (char)('a' + k % 26);
		while ((k /= 26) && i < sizeof letters - 1);
		letters[i] = '\0';
		snprintf(w, sizeof w, "palabra%sz", letters);
	}
	g->words = realloc(g->words, (g->n_words + 1) * sizeof *g->words);
	assert_non_null(g->words);
	g->words[g->n_words++] = strdup(w);
	gen_add(g, w);
}

static void gen_words(struct gen *g, size_t count, bool urls, bool lines)
{
	for (size_t i = 0; i < count; i++) {
		if (i)
			gen_add(g, lines && !gen_next(g, 12) ? "\n" : " ");
		gen_word(g, urls && !gen_next(g, 9));
	}
}

/* What g wrote since mark, taken out of it. */
static char *gen_take(struct gen *g, size_t mark)
{
	char *part = strdup(g->text + mark);
	g->len = mark;
	g->text[mark] = '\0';
	return part;
}

/* Whether token (without the punctuation the thread adds around a text) is word. */
static bool same_word(const char *token, size_t len, const char *word)
{
	static const char *const around[] = {"\xc2\xab", "\xc2\xbb", ".", ":"};
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < 4; i++) {
			size_t n = strlen(around[i]);
			if (len >= n && !memcmp(token, around[i], n) && i == 0) {
				token += n, len -= n, again = true;
			} else if (len >= n && !memcmp(token + len - n, around[i], n) && i > 0) {
				len -= n, again = true;
			}
		}
	}
	return len == strlen(word) && !memcmp(token, word, len);
}

/* Random valid notices up to the limits: every word and every URL the author wrote
 * appears in the thread exactly once, in order, whole. */
static void every_word_reaches_the_thread(void **state)
{
	struct fixture *f = *state;
	struct gen g = {.state = 12};
	size_t checked = 0;
	for (int round = 0; round < 150; round++) {
		g.len = 0;
		g.serial = 0;
		for (size_t i = 0; i < g.n_words; i++)
			free(g.words[i]);
		g.n_words = 0;
		bool bulo = gen_next(&g, 2);
		gen_add(&g, "");
		/* written in the order the thread gives them: title, hoax, body, sources */
		gen_words(&g, 1 + gen_next(&g, 14), false, false); /* under 160 characters */
		size_t title_end = g.n_words;
		char *title = gen_take(&g, 0);
		gen_words(&g, bulo ? 1 + gen_next(&g, 150) : 0, false, false); /* to 1.5 KiB */
		char *hoax = gen_take(&g, 0);
		size_t paragraphs = 1 + gen_next(&g, 3);
		for (size_t p = 0; p < paragraphs; p++) {
			if (p)
				gen_add(&g, "\n\n");
			/* the first paragraph up to about 5 KiB */
			gen_words(&g, 1 + gen_next(&g, p == 0 ? 450 : 60), true, true);
		}
		size_t body_end = g.n_words;
		char *body = gen_take(&g, 0);
		size_t n_sources = bulo ? 1 + gen_next(&g, NOTICE_MAX_SOURCES) : 0;
		for (size_t i = 0; i < n_sources; i++) {
			gen_add(&g, "\n  - ");
			gen_word(&g, true);
		}
		char *sources = gen_take(&g, 0);
		gen_add(&g, bulo ? "---\ntipo: bulo\nveredicto: FALSO\ntitulo: " : "---\ntipo: aviso\ntitulo: ");
		gen_add(&g, title);
		if (bulo) {
			gen_add(&g, "\nbulo: ");
			gen_add(&g, hoax);
			gen_add(&g, "\nfuentes:");
			gen_add(&g, sources);
		}
		gen_add(&g, "\n---\n");
		gen_add(&g, body);
		gen_add(&g, "\n");
		free(title);
		free(hoax);
		free(body);
		free(sources);
		notice_free(f->n);
		f->n = NULL;
		if (notice_parse("n.md", g.text, g.len, &f->n, f->diags, &f->err) != II_OK)
			fail_msg("notice %d invalid: %s\n%s", round, f->err.detail, g.text);
		struct thread *t;
		if (notice_thread(f->n, "n.md", NULL, &t, f->diags, &f->err) != II_OK) {
			/* too long a thread is an error the author sees, never a cut */
			unit_assert_contains(f->err.detail, "longer than the maximum");
			continue;
		}
		/* a rebuttal restates its title before its sources */
		size_t *order = unit_alloc((g.n_words + title_end) * sizeof *order), due = 0;
		for (size_t w = 0; w < g.n_words; w++) {
			for (size_t r = 0; bulo && w == body_end && r < title_end; r++)
				order[due++] = r;
			order[due++] = w;
		}
		for (size_t r = 0; bulo && g.n_words == body_end && r < title_end; r++)
			order[due++] = r;
		size_t next = 0;
		for (size_t i = 0; i < thread_count(t); i++) {
			const char *post = thread_post(t, i);
			for (const char *s = post; *s;) {
				size_t n = strcspn(s, " \n");
				for (size_t w = 0; w < g.n_words; w++) {
					if (!same_word(s, n, g.words[w]))
						continue;
					if (next >= due || w != order[next])
						fail_msg("notice %d: '%s' found where '%s' was due\n%s", round,
							 g.words[w], next < due ? g.words[order[next]] : "(end)",
							 g.text);
					next++;
				}
				s += n;
				s += strspn(s, " \n");
			}
		}
		if (next != due)
			fail_msg("notice %d: '%s' is missing from the thread", round, g.words[order[next]]);
		free(order);
		thread_free(t);
		checked++;
	}
	assert_true(checked > 100);
	for (size_t i = 0; i < g.n_words; i++)
		free(g.words[i]);
	free(g.words);
	free(g.text);
}

/* Issue 13, case 2: a notice's parse is linear whatever the nesting of its front matter. */
struct parse_job {
	const char *text;
	size_t len;
};

static void parse_only(void *arg)
{
	const struct parse_job *job = arg;
	struct diag_list *diags = diag_new();
	struct notice *n = NULL;
	struct ii_error e;
	assert_int_equal(notice_parse("n.md", job->text, job->len, &n, diags, &e), II_EDATA);
	diag_free(diags);
}

static char *nested_notice(const char *open, const char *close, size_t depth)
{
	size_t size = 64 + depth * (strlen(open) + strlen(close));
	char *text = unit_alloc(size);
	char *s = text + sprintf(text, "---\ntipo: aviso\netiquetas: ");
	for (size_t i = 0; i < depth; i++)
		s = stpcpy(s, open);
	for (size_t i = 0; i < depth; i++)
		s = stpcpy(s, close);
	strcpy(s, "\n---\nTexto.\n");
	return text;
}

static void deep_nesting_is_refused_in_linear_time(void **state)
{
	(void)state;
	enum { DEPTH = 20000 };
	/* normal: as long, as many items, one level deep (and invalid too, without titulo) */
	char *flat = nested_notice("a,", "b,", DEPTH);
	flat[strlen("---\ntipo: aviso\netiquetas: ")] = '[';
	strcpy(flat + strlen(flat) - strlen(",\n---\nTexto.\n"), "]\n---\nTexto.\n");
	struct parse_job normal_job = {flat, strlen(flat)};
	parse_only(&normal_job); /* warm up */
	struct unit_cost normal = unit_measure(parse_only, &normal_job);
	static const char *const shapes[][2] = {{"[", "]"}, {"{a: ", "}"}, {"[{a: ", "}]"}};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		char *deep = nested_notice(shapes[i][0], shapes[i][1], DEPTH);
		struct parse_job job = {deep, strlen(deep)};
		unit_assert_bounded(unit_measure(parse_only, &job), normal, 10);
		struct diag_list *diags = diag_new();
		struct notice *n = NULL;
		struct ii_error e;
		assert_int_equal(notice_parse("n.md", deep, strlen(deep), &n, diags, &e), II_EDATA);
		size_t found = 0;
		for (size_t d = 0; d < diag_count(diags); d++)
			found += strstr(diag_at(diags, d), "the header nests more than 8 lists or keys") != NULL;
		assert_int_equal(found, 1);
		diag_free(diags);
		free(deep);
	}
	free(flat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(valid_bulo),
		UNIT_TEST(hash_follows_the_bytes),
		UNIT_TEST(valid_other_types),
		UNIT_TEST(dates_with_and_without_offset),
		UNIT_TEST(missing_key),
		UNIT_TEST(unknown_key_with_suggestion),
		UNIT_TEST(every_problem_in_one_pass),
		UNIT_TEST(order_of_dates),
		UNIT_TEST(key_of_another_type_and_repeated_key),
		UNIT_TEST(bytes_that_are_not_text),
		UNIT_TEST(front_matter_is_required),
		UNIT_TEST(markdown_becomes_plain_text),
		UNIT_TEST(markdown_is_commonmark),
		UNIT_TEST(tables_are_rows_of_text),
		UNIT_TEST(long_fields_are_errors),
		UNIT_TEST(forgiving_keys_and_verdicts),
		UNIT_TEST(sources_say_who_publishes_them),
		UNIT_TEST(warnings_for_what_may_not_be_meant),
		UNIT_TEST(yaml_problems_with_their_fix),
		UNIT_TEST(rebuttal_thread_shape),
		UNIT_TEST(word_too_long_is_reported_with_its_line),
		UNIT_TEST(invalid_corpus),
		UNIT_TEST(every_word_reaches_the_thread),
		UNIT_TEST(unreadable_files_say_why),
		UNIT_TEST(deep_nesting_is_refused_in_linear_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
