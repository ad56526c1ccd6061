#include "lang.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

static const char *const codes[LANG_COUNT] = {"es", "ca", "gl", "en"};
static const char *const verdict_names[LANG_VERDICT_COUNT] = {"FALSO", "ENGAÑOSO",
							      "SIN CONTEXTO", "ESTAFA"};
/* As lang_verdict_parse() folds them: no accents, lower case, one space. */
static const char *const verdict_folded[LANG_VERDICT_COUNT] = {"falso", "enganoso",
							       "sin contexto", "estafa"};

/* The publishers of lang_host_name(): a host is theirs when it is the domain or ends in
 * "." and the domain. */
enum publisher { PUB_BOE, PUB_SEG_SOCIAL, PUB_MINISTRY, PUB_COUNT };

static const struct {
	const char *domain;
	enum publisher publisher;
} hosts[] = {
	{"boe.es", PUB_BOE},
	{"seg-social.es", PUB_SEG_SOCIAL},
	{"seg-social.gob.es", PUB_SEG_SOCIAL},
	{"inclusion.gob.es", PUB_MINISTRY},
};

static const struct words {
	const char *claim[LANG_VERDICT_COUNT];
	const char *claim_from[LANG_VERDICT_COUNT]; /* with {origen} */
	const char *headline[LANG_VERDICT_COUNT];
	const char *more, *said_by, *source;
	const char *publishers[PUB_COUNT];
} words[LANG_COUNT] = {
	[LANG_ES] = {
		.claim = {
			[LANG_FALSO] = "Circula el bulo de que {bulo}. Es falso.",
			[LANG_ENGANOSO] = "Circula el mensaje de que {bulo}. Es engañoso.",
			[LANG_SIN_CONTEXTO] = "Circula el mensaje de que {bulo}. Dicho así, sin "
					      "contexto, lleva a error.",
			[LANG_ESTAFA] = "Circula un mensaje que dice que {bulo}. Es una estafa: la "
					"Seguridad Social nunca te pedirá datos personales ni bancarios "
					"por teléfono, SMS ni correo electrónico.",
		},
		.claim_from = {
			[LANG_FALSO] = "Circula {origen} el bulo de que {bulo}. Es falso.",
			[LANG_ENGANOSO] = "Circula {origen} el mensaje de que {bulo}. Es engañoso.",
			[LANG_SIN_CONTEXTO] = "Circula {origen} el mensaje de que {bulo}. Dicho así, "
					      "sin contexto, lleva a error.",
			[LANG_ESTAFA] = "Circula {origen} un mensaje que dice que {bulo}. Es una "
					"estafa: la Seguridad Social nunca te pedirá datos personales ni "
					"bancarios por teléfono, SMS ni correo electrónico.",
		},
		.headline = {"Bulo desmentido: ", "Bulo desmentido: ", "Bulo desmentido: ",
			     "Alerta de estafa: "},
		.more = "Más información: ",
		.said_by = "Lo explica {fuente}: ",
		.source = "Fuente: ",
		.publishers = {"el BOE", "la Seguridad Social", "el Ministerio de Inclusión"},
	},
	[LANG_CA] = {
		.claim = {
			[LANG_FALSO] = "Circula un missatge que diu que {bulo}. És fals.",
			[LANG_ENGANOSO] = "Circula un missatge que diu que {bulo}. És enganyós.",
			[LANG_SIN_CONTEXTO] = "Circula un missatge que diu que {bulo}. Dit així, "
					      "sense context, indueix a error.",
			[LANG_ESTAFA] = "Circula un missatge que diu que {bulo}. És una estafa: la "
					"Seguretat Social mai no et demanarà dades personals ni "
					"bancàries per telèfon, SMS ni correu electrònic.",
		},
		.claim_from = {
			[LANG_FALSO] = "Circula {origen} un missatge que diu que {bulo}. És fals.",
			[LANG_ENGANOSO] = "Circula {origen} un missatge que diu que {bulo}. És "
					  "enganyós.",
			[LANG_SIN_CONTEXTO] = "Circula {origen} un missatge que diu que {bulo}. Dit "
					      "així, sense context, indueix a error.",
			[LANG_ESTAFA] = "Circula {origen} un missatge que diu que {bulo}. És una "
					"estafa: la Seguretat Social mai no et demanarà dades personals "
					"ni bancàries per telèfon, SMS ni correu electrònic.",
		},
		.headline = {"Desmentiment: ", "Desmentiment: ", "Desmentiment: ",
			     "Alerta d'estafa: "},
		.more = "Més informació: ",
		.said_by = "Ho explica {fuente}: ",
		.source = "Font: ",
		.publishers = {"el BOE", "la Seguretat Social", "el Ministeri d'Inclusió"},
	},
	[LANG_GL] = {
		.claim = {
			[LANG_FALSO] = "Circula o bulo de que {bulo}. É falso.",
			[LANG_ENGANOSO] = "Circula a mensaxe de que {bulo}. É enganosa.",
			[LANG_SIN_CONTEXTO] = "Circula a mensaxe de que {bulo}. Dito así, sen "
					      "contexto, induce a erro.",
			[LANG_ESTAFA] = "Circula unha mensaxe que di que {bulo}. É unha estafa: a "
					"Seguridade Social nunca che pedirá datos persoais nin "
					"bancarios por teléfono, SMS nin correo electrónico.",
		},
		.claim_from = {
			[LANG_FALSO] = "Circula {origen} o bulo de que {bulo}. É falso.",
			[LANG_ENGANOSO] = "Circula {origen} a mensaxe de que {bulo}. É enganosa.",
			[LANG_SIN_CONTEXTO] = "Circula {origen} a mensaxe de que {bulo}. Dito así, "
					      "sen contexto, induce a erro.",
			[LANG_ESTAFA] = "Circula {origen} unha mensaxe que di que {bulo}. É unha "
					"estafa: a Seguridade Social nunca che pedirá datos persoais "
					"nin bancarios por teléfono, SMS nin correo electrónico.",
		},
		.headline = {"Bulo desmentido: ", "Bulo desmentido: ", "Bulo desmentido: ",
			     "Alerta de estafa: "},
		.more = "Máis información: ",
		.said_by = "Explícao {fuente}: ",
		.source = "Fonte: ",
		.publishers = {"o BOE", "a Seguridade Social", "o Ministerio de Inclusión"},
	},
	[LANG_EN] = {
		.claim = {
			[LANG_FALSO] = "A hoax is going around claiming that {bulo}. It is false.",
			[LANG_ENGANOSO] = "A message is going around claiming that {bulo}. It is "
					  "misleading.",
			[LANG_SIN_CONTEXTO] = "A message is going around claiming that {bulo}. Put "
					      "like that, without its context, it is misleading.",
			[LANG_ESTAFA] = "A message is going around claiming that {bulo}. It is a "
					"scam: Spain's Social Security will never ask you for personal "
					"or bank details by phone, text message or email.",
		},
		.claim_from = {
			[LANG_FALSO] = "A hoax is going around {origen} claiming that {bulo}. It is "
				       "false.",
			[LANG_ENGANOSO] = "A message is going around {origen} claiming that {bulo}. "
					  "It is misleading.",
			[LANG_SIN_CONTEXTO] = "A message is going around {origen} claiming that "
					      "{bulo}. Put like that, without its context, it is "
					      "misleading.",
			[LANG_ESTAFA] = "A message is going around {origen} claiming that {bulo}. It "
					"is a scam: Spain's Social Security will never ask you for "
					"personal or bank details by phone, text message or email.",
		},
		.headline = {"Hoax debunked: ", "Hoax debunked: ", "Hoax debunked: ",
			     "Scam alert: "},
		.more = "More information: ",
		.said_by = "Explained by {fuente}: ",
		.source = "Source: ",
		.publishers = {"the BOE, Spain's official gazette", "Spain's Social Security",
			       "the Ministry of Inclusion"},
	},
};

const char *lang_code(enum lang lang)
{
	return codes[lang];
}

/* text without accents, in lower case, its white space runs one space, none at either
 * end; NULL for invalid UTF-8 or out of memory. */
static char *folded(const char *text)
{
	utf8proc_uint8_t *mapped = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)text, 0, &mapped,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
				 UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD) < 0)
		return NULL;
	char *s = (char *)mapped, *w = s;
	for (const char *r = s; *r; r++) {
		bool blank = *r == ' ' || *r == '\t';
		if (blank && (w == s || w[-1] == ' '))
			continue;
		*w++ = blank ? ' ' : *r;
	}
	if (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
	return s;
}

static int fold_index(const char *text, const char *const *set, int n)
{
	char *f = folded(text ? text : "");
	int found = -1;
	for (int i = 0; f && i < n && found < 0; i++)
		if (!strcmp(f, set[i]))
			found = i;
	free(f);
	return found;
}

bool lang_parse(const char *text, enum lang *out)
{
	int i = fold_index(text, codes, LANG_COUNT);
	if (i >= 0)
		*out = (enum lang)i;
	return i >= 0;
}

const char *lang_verdict_name(enum lang_verdict verdict)
{
	return verdict_names[verdict];
}

bool lang_verdict_parse(const char *text, enum lang_verdict *out)
{
	int i = fold_index(text, verdict_folded, LANG_VERDICT_COUNT);
	if (i >= 0)
		*out = (enum lang_verdict)i;
	return i >= 0;
}

const char *lang_claim(enum lang lang, enum lang_verdict verdict, bool with_origin)
{
	return with_origin ? words[lang].claim_from[verdict] : words[lang].claim[verdict];
}

const char *lang_headline(enum lang lang, enum lang_verdict verdict)
{
	return words[lang].headline[verdict];
}

const char *lang_more(enum lang lang)
{
	return words[lang].more;
}

const char *lang_said_by(enum lang lang)
{
	return words[lang].said_by;
}

const char *lang_source(enum lang lang)
{
	return words[lang].source;
}

const char *lang_host_name(enum lang lang, const char *url)
{
	const char *host = strstr(url ? url : "", "://");
	if (!host)
		return NULL;
	host += 3;
	size_t len = strcspn(host, "/?#:");
	for (size_t i = 0; i < sizeof hosts / sizeof *hosts; i++) {
		size_t d = strlen(hosts[i].domain);
		if (len >= d && !strncasecmp(host + len - d, hosts[i].domain, d) &&
		    (len == d || host[len - d - 1] == '.'))
			return words[lang].publishers[hosts[i].publisher];
	}
	return NULL;
}

char *lang_format(const char *template, const char *const *names, const char *const *values,
		  unsigned count)
{
	size_t cap = strlen(template) + 1;
	for (unsigned i = 0; i < count; i++)
		for (const char *p = template; (p = strchr(p, '{')); p++)
			cap += strlen(values[i]);
	char *out = malloc(cap), *w = out;
	if (!out)
		return NULL;
	for (const char *p = template; *p;) {
		unsigned i = count;
		if (*p == '{')
			for (i = 0; i < count; i++) {
				size_t n = strlen(names[i]);
				if (!strncmp(p + 1, names[i], n) && p[1 + n] == '}')
					break;
			}
		if (i < count) {
			w = stpcpy(w, values[i]);
			p += strlen(names[i]) + 2;
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
	return out;
}
