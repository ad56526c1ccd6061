#ifndef INCLUINFO_LANG_H
#define INCLUINFO_LANG_H
/*
 * The languages a notice may be published in (its idioma), the verdicts a rebuttal may
 * give, and the few fixed words the program adds to a notice's posts and feed titles in
 * each language: one table in lang.c. These are published texts, not messages: they
 * follow the notice, never the reader's locale (lib/i18n.h). Every string returned is
 * static.
 *
 * Languages: es (the default), ca, gl, en. Basque (eu) is left out until someone who
 * writes it checks its words; a notice cannot ask for it (notices/README.md).
 *
 * Where the words come from: the rebuttal follows the "truth sandwich" (the fact first,
 * the hoax named once with its verdict, the fact again); the scam sentence says only what
 * the Seguridad Social says of itself in its warnings (it never asks for personal or bank
 * details by phone, SMS or e-mail), so it is true whatever the scam's specifics.
 */
#include <stdbool.h>

enum lang { LANG_ES, LANG_CA, LANG_GL, LANG_EN, LANG_COUNT };

/* A rebuttal's verdict; lang_verdict_name() is its agreed form, the one stored in a
 * draft's meta and published as an Atom category. */
enum lang_verdict { LANG_FALSO, LANG_ENGANOSO, LANG_SIN_CONTEXTO, LANG_ESTAFA, LANG_VERDICT_COUNT };

/* "es", "ca", "gl", "en". */
const char *lang_code(enum lang lang);
/* A code as an author writes it: "es", "ES", " ca "; false for any other text. */
bool lang_parse(const char *text, enum lang *out);

/* "FALSO", "ENGAÑOSO", "SIN CONTEXTO", "ESTAFA". */
const char *lang_verdict_name(enum lang_verdict verdict);
/* A verdict in any case, with or without accents, its words one space apart: "falso",
 * "Engañoso", "ENGANOSO", "sin  contexto". False for any other text (or invalid UTF-8). */
bool lang_verdict_parse(const char *text, enum lang_verdict *out);

/*
 * The sentences that name the hoax and judge it, with "{bulo}" where the claim goes and,
 * when with_origin, "{origen}" where the author's words for where it circulates go
 * (written with their preposition: "en un audio de WhatsApp", "per WhatsApp",
 * "on social media"): "Circula el bulo de que {bulo}. Es falso."
 */
const char *lang_claim(enum lang lang, enum lang_verdict verdict, bool with_origin);
/* What an Atom entry's title and a ClaimReview's headline put before the fact:
 * "Bulo desmentido: ", "Alerta de estafa: ". */
const char *lang_headline(enum lang lang, enum lang_verdict verdict);
/* Before the address of the rebuttal's own page: "Más información: ". */
const char *lang_more(enum lang lang);
/* Before a source whose publisher is named, "{fuente}" where the name goes:
 * "Lo explica {fuente}: ". */
const char *lang_said_by(enum lang lang);
/* Before a source nobody named: "Fuente: ". */
const char *lang_source(enum lang lang);
/* Who publishes url, as lang_said_by() names them ("el BOE", "la Seguridad Social"),
 * for the few public hosts the channel cites most; NULL for any other host. */
const char *lang_host_name(enum lang lang, const char *url);

/*
 * template with every "{NAME}" of names[i] replaced by values[i] (count pairs); a new
 * string the caller frees, NULL when out of memory. A "{…}" not in names stays as it is.
 */
char *lang_format(const char *template, const char *const *names, const char *const *values,
		  unsigned count);
#endif
