#ifndef INCLUINFO_TEMPLATE_H
#define INCLUINFO_TEMPLATE_H

/*
 * Message templates: UTF-8 text with {placeholder} fields, for the texts of incident
 * alerts and notices ("La {servicio} no funciona desde las {hora}."). A struct template
 * is opaque: the caller owns it from template_load_file() or template_load_string() and
 * releases it with template_free(); strings the module returns (names, placeholders)
 * live as long as the template; rendered text is a new string the caller frees. A loaded
 * template is never changed, so one may be rendered from several threads at once.
 *
 * Syntax, read left to right:
 *   {name}  a placeholder; name is 1 to TEMPLATE_NAME_MAX ASCII characters of a-z, 0-9
 *           and '_', starting with a letter ("servicio", "hora_fin"). Spanish letters are
 *           not allowed in names, so that a name is spelled one way only. A placeholder
 *           never spans lines.
 *   {a|b}   a choice of number: "a" when the subject the template speaks of is singular,
 *           "b" when it is plural ("{funciona|funcionan}", "disponible{|s}"); any text
 *           without braces, one '|'. Spanish verbs and adjectives agree with the name of
 *           the service, which may be plural ("los Servicios…"), and a template cannot
 *           know which it will be given.
 *   {{      a literal '{'
 *   }}      a literal '}'
 * Anything else with a brace is an error: an unterminated '{' (no '}' on the same line),
 * an empty '{}', an invalid name, a lone '}'. The whole text must be valid UTF-8 without
 * NUL characters and hold at most TEMPLATE_MAX_SIZE bytes. One leading UTF-8 byte order
 * mark is ignored; a template file loses one final line end ("\n" or "\r\n"), which a
 * text editor adds, and what is left must not be empty.
 *
 * Errors name the template and the line, as the diagnostics of lib/diag do:
 *   alerta.txt:2: error: unknown placeholder '{hora2}'
 * e->detail holds that whole line, ready to print as it is; a problem of the template as
 * a whole has no line number ("alerta.txt: error: empty template").
 */

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "error.h"

#define TEMPLATE_MAX_SIZE (64u * 1024)   /* of the template's text */
#define TEMPLATE_MAX_OUTPUT (64u * 1024) /* of a rendered text */
#define TEMPLATE_NAME_MAX 32             /* of a placeholder's name */

struct template;

/*
 * Reads and parses the file at path; the path as given names the template in errors.
 * II_EIO when the file cannot be read (detail in e). II_EDATA when it is not a valid
 * template: every problem is added to diags (which may be NULL) and the first one is in
 * e. II_ENOMEM when out of memory. *out is set only on success.
 */
ii_err template_load_file(const char *path, struct template **out, struct diag_list *diags,
			  struct ii_error *e);

/* The same for len bytes of text held in memory; name (for example "alerta.txt" or
 * "incidencia (por defecto)") names it in errors. No final line end is removed. */
ii_err template_load_string(const char *name, const char *text, size_t len,
			    struct template **out, struct diag_list *diags, struct ii_error *e);

void template_free(struct template *t);

/* The name given when it was loaded. */
const char *template_name(const struct template *t);

/* Whether t holds at least one {singular|plural} choice. */
bool template_has_choice(const struct template *t);

struct template_placeholder {
	const char *name; /* without braces */
	int line;         /* of its first use, from 1 */
};

/* Its distinct placeholders, in order of first use; *count gets how many. */
const struct template_placeholder *template_placeholders(const struct template *t,
							 size_t *count);

/*
 * For `lint`: adds to diags one "unknown placeholder" error, at the line of its first
 * use, for each placeholder of t that is not one of the count names in known. Returns
 * II_EDATA when there is any (the first is in e), II_OK otherwise.
 */
ii_err template_check(const struct template *t, const char *const *known, size_t count,
		      struct diag_list *diags, struct ii_error *e);

/*
 * For `lint`: the line of the first use of placeholder name that follows one of the count
 * words (ASCII letters, any case) and a space, as "las" in "desde las {hora}"; *word and
 * *length get that word as the template writes it ("Las"), not NUL-terminated, living as
 * long as t. 0 when no use does.
 */
int template_word_before(const struct template *t, const char *name, const char *const *words,
			 size_t count, const char **word, int *length);

/*
 * A value for rendering. The caller lists every placeholder the message supports; value
 * is NULL for one that it supports but cannot fill now (the duration of an incident still
 * open, say), which makes a template that uses it fail with "missing value".
 */
struct template_value {
	const char *name;  /* never NULL */
	const char *value; /* UTF-8; NULL: no value */
	bool literal;      /* written exactly as it is (an address): no rule below applies */
};

/*
 * Renders t with the count values given (the first of two with the same name wins) into
 * *out, a new NUL-terminated string the caller frees. No braces are interpreted in
 * values. A value is a phrase as it reads inside a sentence ("la Sede Electrónica", "el
 * 28 de noviembre a las 23:00"), and is joined to the template's text as Spanish writes
 * it (lib/spanish.h), unless it is literal:
 *   - at the start of a sentence its first letter is a capital ("⚠️ {servicio} no…"
 *     gives "⚠️ La Sede…", "…que {servicio}" keeps "la Sede"), unless its first word
 *     is a brand with a capital after a small first letter ("eNotum" stays so);
 *   - after the word "de" or "a" its article "el" contracts ("de {servicio}" gives "del
 *     Portal", "a {hora}" of "el 2 de diciembre…" gives "al 2 de diciembre…").
 * An empty value ("", an optional text nobody configured) leaves no gap: it takes one
 * space next to it with it ("Hoy. {alternativa} Gracias." gives "Hoy. Gracias.", and one
 * at the end of a line goes), and a line left empty by it disappears with its line end.
 * So a sentence made only of an optional placeholder is written as "{alternativa}",
 * never inside other words.
 * Every {singular|plural} choice writes its plural side when plural is true.
 * II_EDATA, with the first problem in e (template order), when a placeholder is not among
 * the values ("unknown placeholder '{x}'"), has a NULL value ("missing value for
 * placeholder '{x}'"), has a value that is not valid UTF-8 ("invalid UTF-8 in the value
 * of placeholder '{x}'"), or when the result would be longer than TEMPLATE_MAX_OUTPUT
 * bytes; II_ENOMEM when out of memory. *out is set only on success, and is then valid
 * UTF-8.
 */
ii_err template_render(const struct template *t, const struct template_value *values,
		       size_t count, bool plural, char **out, struct ii_error *e);

#endif
