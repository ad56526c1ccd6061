/*
 * Rebuttal threads as they are published (issue 14, items 8-11): a table of notices of
 * type bulo, every verdict in every idioma, with and without origen, with and without the
 * rebuttal's own page, with sources named by their host, by their author or by nobody,
 * and with hashtags, each with the exact posts expected. The posts were read as a
 * plain-language editor and a fact-checker would read them: the fact first, the hoax
 * named once with the verdict attached to it and never quoted, the fact again at the end
 * with where to learn more.
 */

#include "unit.h"

#include "lang.h"
#include "notice.h"

#define PAGE "https://www.inclusion.gob.es/bulos/"
#define BOE "https://www.boe.es/buscar/act.php?id=BOE-A-2015-11724"
#define SS "https://www.seg-social.es/wps/portal/wss/internet/Pensionistas/Revalorizacion"

struct rebuttal {
	const char *header;   /* the front matter's keys after "tipo: bulo" */
	const char *body;
	const char *page;     /* the rebuttal's own page, or NULL */
	const char *posts[6]; /* NULL after the last */
};

static const struct rebuttal cases[] = {
	/* 1: es, FALSO, sources named by their host, hashtags in CamelCase */
	{"titulo: Las pensiones no bajarán en enero\n"
	 "bulo: las pensiones bajarán un 20 % en enero\n"
	 "veredicto: FALSO\n"
	 "fuentes: [" BOE ", " SS "]\n"
	 "etiquetas: [pensiones, ingreso mínimo vital]\n",
	 "Las pensiones contributivas se revalorizan cada enero según el IPC medio.\n",
	 NULL,
	 {"Las pensiones no bajarán en enero. Circula el bulo de que las pensiones bajarán un 20 % "
	  "en enero. Es falso. 1/3",
	  "Las pensiones contributivas se revalorizan cada enero según el IPC medio. 2/3",
	  "Las pensiones no bajarán en enero.\nLo explica el BOE: " BOE "\nLo explica la "
	  "Seguridad Social: " SS "\n#Pensiones #IngresoMínimoVital 3/3"}},
	/* 2: es, lower-case verdict, origen, the rebuttal's page, the claim's own stop dropped */
	{"titulo: Las pensiones no bajarán en enero\n"
	 "bulo: las pensiones bajarán un 20 % en enero.\n"
	 "origen: en un audio de WhatsApp\n"
	 "veredicto: falso\n"
	 "fuentes: [" SS "]\n",
	 "Nunca bajan por la revalorización.\n",
	 PAGE "las-pensiones-no-bajaran-en-enero",
	 {"Las pensiones no bajarán en enero. Circula en un audio de WhatsApp el bulo de que las "
	  "pensiones bajarán un 20 % en enero. Es falso. 1/3",
	  "Nunca bajan por la revalorización. 2/3",
	  "Las pensiones no bajarán en enero.\nMás información: " PAGE
	  "las-pensiones-no-bajaran-en-enero\nLo explica la Seguridad Social: " SS " 3/3"}},
	/* 3: es, ENGAÑOSO without its accent, a source the author names */
	{"titulo: La cuota de autónomos depende de los rendimientos\n"
	 "bulo: todos los autónomos pagarán 500 € al mes\n"
	 "veredicto: ENGANOSO\n"
	 "fuentes:\n  - la Tesorería General de la Seguridad Social: https://portal.seg-social.gob.es/autonomos\n"
	 "etiquetas: [autónomos]\n",
	 "Quien gana menos paga menos.\n",
	 NULL,
	 {"La cuota de autónomos depende de los rendimientos. Circula el mensaje de que todos los "
	  "autónomos pagarán 500 € al mes. Es engañoso. 1/3",
	  "Quien gana menos paga menos. 2/3",
	  "La cuota de autónomos depende de los rendimientos.\nLo explica la Tesorería General de "
	  "la Seguridad Social: https://portal.seg-social.gob.es/autonomos\n#Autónomos 3/3"}},
	/* 4: es, SIN CONTEXTO, a source nobody named on a host the program does not know */
	{"titulo: El subsidio para mayores de 52 años exige cotizar\n"
	 "bulo: el subsidio para mayores de 52 años se cobra sin haber trabajado\n"
	 "veredicto: Sin Contexto\n"
	 "fuentes: [https://www.sepe.es/HomeSepe/Personas/distributiva-prestaciones/subsidio-52]\n",
	 "Hace falta haber cotizado al menos 15 años.\n\nY cumplir el resto de requisitos.\n",
	 PAGE "subsidio-52",
	 {"El subsidio para mayores de 52 años exige cotizar. Circula el mensaje de que el subsidio "
	  "para mayores de 52 años se cobra sin haber trabajado. Dicho así, sin contexto, lleva a "
	  "error. 1/4",
	  "Hace falta haber cotizado al menos 15 años. 2/4",
	  "Y cumplir el resto de requisitos. 3/4",
	  "El subsidio para mayores de 52 años exige cotizar.\nMás información: " PAGE
	  "subsidio-52\nFuente: https://www.sepe.es/HomeSepe/Personas/distributiva-prestaciones/"
	  "subsidio-52 4/4"}},
	/* 5: es, ESTAFA with origen: the program's sentence is true of every scam */
	{"titulo: La Seguridad Social no te devuelve dinero por SMS\n"
	 "bulo: la Seguridad Social te devolverá 300 € si pulsas un enlace\n"
	 "origen: en SMS\n"
	 "veredicto: estafa\n"
	 "fuentes: [" SS "]\n"
	 "etiquetas: [estafas]\n",
	 "No pulses el enlace y borra el mensaje.\n",
	 NULL,
	 {"La Seguridad Social no te devuelve dinero por SMS. Circula en SMS un mensaje que dice "
	  "que la Seguridad Social te devolverá 300 € si pulsas un enlace. Es una estafa: la "
	  "Seguridad Social nunca te pedirá datos personales ni bancarios por teléfono, SMS ni "
	  "correo electrónico. 1/3",
	  "No pulses el enlace y borra el mensaje. 2/3",
	  "La Seguridad Social no te devuelve dinero por SMS.\nLo explica la Seguridad Social: " SS
	  "\n#Estafas 3/3"}},
	/* 6: ca, FALSO, the rebuttal's page, the BOE by its host in Catalan */
	{"idioma: ca\n"
	 "titulo: Les pensions no baixaran al gener\n"
	 "bulo: les pensions baixaran un 20 % al gener\n"
	 "veredicto: FALSO\n"
	 "fuentes: [" BOE "]\n",
	 "Les pensions es revaloritzen cada gener segons l'IPC.\n",
	 PAGE "les-pensions",
	 {"Les pensions no baixaran al gener. Circula un missatge que diu que les pensions baixaran "
	  "un 20 % al gener. És fals. 1/3",
	  "Les pensions es revaloritzen cada gener segons l'IPC. 2/3",
	  "Les pensions no baixaran al gener.\nMés informació: " PAGE "les-pensions\nHo explica el "
	  "BOE: " BOE " 3/3"}},
	/* 7: ca, ESTAFA with origen */
	{"idioma: ca\n"
	 "titulo: La Seguretat Social no demana el PIN per telèfon\n"
	 "bulo: has de confirmar el teu PIN per cobrar la pensió\n"
	 "origen: per telèfon\n"
	 "veredicto: ESTAFA\n"
	 "fuentes: [" SS "]\n",
	 "Penja i no donis cap dada.\n",
	 NULL,
	 {"La Seguretat Social no demana el PIN per telèfon. Circula per telèfon un missatge que "
	  "diu que has de confirmar el teu PIN per cobrar la pensió. És una estafa: la Seguretat "
	  "Social mai no et demanarà dades personals ni bancàries per telèfon, SMS ni correu "
	  "electrònic. 1/3",
	  "Penja i no donis cap dada. 2/3",
	  "La Seguretat Social no demana el PIN per telèfon.\nHo explica la Seguretat Social: " SS
	  " 3/3"}},
	/* 8: ca, ENGAÑOSO and SIN CONTEXTO read in Catalan too */
	{"idioma: ca\n"
	 "titulo: L'IMV depèn dels ingressos de la llar\n"
	 "bulo: tothom pot cobrar l'IMV\n"
	 "veredicto: engañoso\n"
	 "fuentes: [" SS "]\n"
	 "etiquetas: [IMV]\n",
	 "Cal complir uns requisits.\n",
	 NULL,
	 {"L'IMV depèn dels ingressos de la llar. Circula un missatge que diu que tothom pot cobrar "
	  "l'IMV. És enganyós. 1/3",
	  "Cal complir uns requisits. 2/3",
	  "L'IMV depèn dels ingressos de la llar.\nHo explica la Seguretat Social: " SS
	  "\n#IMV 3/3"}},
	/* 9: gl, FALSO with origen */
	{"idioma: gl\n"
	 "titulo: As pensións non baixarán en xaneiro\n"
	 "bulo: as pensións baixarán un 20 % en xaneiro\n"
	 "origen: nun vídeo\n"
	 "veredicto: FALSO\n"
	 "fuentes: [" BOE "]\n",
	 "As pensións revalorízanse cada xaneiro.\n",
	 NULL,
	 {"As pensións non baixarán en xaneiro. Circula nun vídeo o bulo de que as pensións "
	  "baixarán un 20 % en xaneiro. É falso. 1/3",
	  "As pensións revalorízanse cada xaneiro. 2/3",
	  "As pensións non baixarán en xaneiro.\nExplícao o BOE: " BOE " 3/3"}},
	/* 10: gl, SIN CONTEXTO with the rebuttal's page */
	{"idioma: gl\n"
	 "titulo: A axuda esixe ter cotizado\n"
	 "bulo: a axuda se cobra sen ter traballado\n"
	 "veredicto: SIN CONTEXTO\n"
	 "fuentes: [" SS "]\n",
	 "Hai que cumprir os requisitos.\n",
	 PAGE "axuda",
	 {"A axuda esixe ter cotizado. Circula a mensaxe de que a axuda se cobra sen ter traballado. "
	  "Dito así, sen contexto, induce a erro. 1/3",
	  "Hai que cumprir os requisitos. 2/3",
	  "A axuda esixe ter cotizado.\nMáis información: " PAGE "axuda\nExplícao a Seguridade "
	  "Social: " SS " 3/3"}},
	/* 11: gl, ESTAFA and ENGAÑOSO's words */
	{"idioma: gl\n"
	 "titulo: A Seguridade Social non pide datos por correo\n"
	 "bulo: debes actualizar a túa conta bancaria nunha ligazón\n"
	 "veredicto: ESTAFA\n"
	 "fuentes: [" SS "]\n",
	 "Non premas a ligazón.\n",
	 NULL,
	 {"A Seguridade Social non pide datos por correo. Circula unha mensaxe que di que debes "
	  "actualizar a túa conta bancaria nunha ligazón. É unha estafa: a Seguridade Social "
	  "nunca che pedirá datos persoais nin bancarios por teléfono, SMS nin correo "
	  "electrónico. 1/3",
	  "Non premas a ligazón. 2/3",
	  "A Seguridade Social non pide datos por correo.\nExplícao a Seguridade Social: " SS
	  " 3/3"}},
	/* 12: en, FALSO with origen and the rebuttal's page */
	{"idioma: en\n"
	 "titulo: Pensions will not go down in January\n"
	 "bulo: pensions will go down by 20% in January\n"
	 "origen: on WhatsApp\n"
	 "veredicto: FALSO\n"
	 "fuentes: [" BOE ", " SS "]\n"
	 "etiquetas: [pensions]\n",
	 "Contributory pensions are updated every January in line with inflation.\n",
	 PAGE "pensions",
	 {"Pensions will not go down in January. A hoax is going around on WhatsApp claiming that "
	  "pensions will go down by 20% in January. It is false. 1/3",
	  "Contributory pensions are updated every January in line with inflation. 2/3",
	  "Pensions will not go down in January.\nMore information: " PAGE "pensions\nExplained "
	  "by the BOE, Spain's official gazette: " BOE "\nExplained by Spain's Social Security: " SS
	  "\n#Pensions 3/3"}},
	/* 13: en, ENGAÑOSO with a named source */
	{"idioma: en\n"
	 "titulo: The self-employed pay according to their earnings\n"
	 "bulo: every self-employed worker will pay €500 a month\n"
	 "veredicto: Engañoso\n"
	 "fuentes:\n  - the Social Security Treasury: https://portal.seg-social.gob.es/autonomos\n",
	 "Those who earn less pay less.\n",
	 NULL,
	 {"The self-employed pay according to their earnings. A message is going around claiming "
	  "that every self-employed worker will pay €500 a month. It is misleading. 1/3",
	  "Those who earn less pay less. 2/3",
	  "The self-employed pay according to their earnings.\nExplained by the Social Security "
	  "Treasury: https://portal.seg-social.gob.es/autonomos 3/3"}},
	/* 14: en, SIN CONTEXTO and ESTAFA's words in English */
	{"idioma: en\n"
	 "titulo: Social Security never asks for your bank details by email\n"
	 "bulo: you must confirm your bank details to get a refund\n"
	 "veredicto: estafa\n"
	 "fuentes: [" SS "]\n",
	 "Delete the email.\n",
	 NULL,
	 {"Social Security never asks for your bank details by email. A message is going around "
	  "claiming that you must confirm your bank details to get a refund. It is a scam: "
	  "Spain's Social Security will never ask you for personal or bank details by phone, text "
	  "message or email. 1/3",
	  "Delete the email. 2/3",
	  "Social Security never asks for your bank details by email.\nExplained by Spain's Social "
	  "Security: " SS " 3/3"}},
	/* 15: en, SIN CONTEXTO */
	{"idioma: en\n"
	 "titulo: The allowance requires contributions\n"
	 "bulo: the allowance is paid without having worked\n"
	 "veredicto: sin contexto\n"
	 "fuentes: [" SS "]\n",
	 "You need to meet the requirements.\n",
	 NULL,
	 {"The allowance requires contributions. A message is going around claiming that the "
	  "allowance is paid without having worked. Put like that, without its context, it is "
	  "misleading. 1/3",
	  "You need to meet the requirements. 2/3",
	  "The allowance requires contributions.\nExplained by Spain's Social Security: " SS
	  " 3/3"}},
};

static void rebuttals_as_published(void **state)
{
	(void)state;
	struct diag_list *diags = diag_new();
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		char *text;
		assert_true(asprintf(&text, "---\ntipo: bulo\n%s---\n%s", cases[c].header,
				     cases[c].body) >= 0);
		struct notice *n = NULL;
		struct ii_error e = {0};
		if (notice_parse("n.md", text, strlen(text), &n, diags, &e) != II_OK)
			fail_msg("case %zu: %s", c + 1, e.detail);
		struct thread *t;
		if (notice_thread(n, "n.md", cases[c].page, &t, diags, &e) != II_OK)
			fail_msg("case %zu: %s", c + 1, e.detail);
		size_t expected = 0;
		while (expected < 6 && cases[c].posts[expected])
			expected++;
		for (size_t i = 0; i < thread_count(t) || i < expected; i++) {
			const char *got = i < thread_count(t) ? thread_post(t, i) : "(none)";
			const char *want = i < expected ? cases[c].posts[i] : "(none)";
			if (strcmp(got, want))
				fail_msg("case %zu, post %zu:\n got  '%s'\n want '%s'", c + 1, i + 1, got,
					 want);
		}
		thread_free(t);
		notice_free(n);
		free(text);
	}
	diag_free(diags);
}

/* Every verdict has its words in every language, and every pair differs from the
 * others: no language borrows another's sentence by mistake. */
static void every_language_has_every_word(void **state)
{
	(void)state;
	for (int l = 0; l < LANG_COUNT; l++) {
		assert_non_null(lang_more((enum lang)l));
		assert_non_null(strstr(lang_said_by((enum lang)l), "{fuente}"));
		for (int v = 0; v < LANG_VERDICT_COUNT; v++) {
			const char *plain = lang_claim((enum lang)l, (enum lang_verdict)v, false);
			const char *from = lang_claim((enum lang)l, (enum lang_verdict)v, true);
			assert_non_null(strstr(plain, "{bulo}"));
			assert_null(strstr(plain, "{origen}"));
			assert_non_null(strstr(from, "{origen}"));
			assert_non_null(lang_headline((enum lang)l, (enum lang_verdict)v));
			for (int m = 0; m < l; m++)
				assert_string_not_equal(plain, lang_claim((enum lang)m, (enum lang_verdict)v,
									  false));
		}
	}
	enum lang lang;
	assert_true(lang_parse("GL", &lang));
	assert_int_equal(lang, LANG_GL);
	assert_false(lang_parse("eu", &lang));
	assert_string_equal(lang_host_name(LANG_ES, "https://sede.seg-social.gob.es/x"),
			    "la Seguridad Social");
	assert_null(lang_host_name(LANG_ES, "https://noseg-social.es/"));
	assert_null(lang_host_name(LANG_ES, "https://www.boe.es.example.org/"));
}

int main(void)
{
	unit_madrid_time();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rebuttals_as_published),
		cmocka_unit_test(every_language_has_every_word),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
