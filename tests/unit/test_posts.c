/*
 * The incident and maintenance posts as the public reads them, word for word: every
 * built-in template rendered through the path production takes (incident_post_*() and
 * incident_post_render(), messages_window() for an announcement) with services whose
 * names take "la", "el" or no article, at times whose article differs (0:xx, 1:xx, 13:xx),
 * on other days, across midnight, and for durations from seconds to days. Madrid's zone;
 * "today" is Saturday 28 November 2026 unless a case says otherwise.
 */

#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "incident.h"
#include "messages.h"

struct fixture {
	char *dir;
	struct config *cfg;
	struct messages *m;
	struct diag_list *diags;
	struct ii_error err;
};

/* importass has no in_sentence: its name is written as it is. citas is plural by its
 * article; apps, without article, by its plural key. */
static const char *const config_text =
	"[service sede]\n"
	"name = Sede Electrónica de la Seguridad Social\n"
	"in_sentence = la Sede Electrónica de la Seguridad Social\n"
	"url = https://sede.seg-social.gob.es/\n"
	"[service portal]\n"
	"name = Portal de la Seguridad Social\n"
	"in_sentence = el Portal de la Seguridad Social\n"
	"alternative = Mientras tanto, puedes hacer tus trámites en la Sede Electrónica.\n"
	"url = https://www.seg-social.es/\n"
	"[service importass]\n"
	"name = Import@ss\n"
	"url = https://portal.seg-social.gob.es/\n"
	"[service citas]\n"
	"name = Servicios de Cita Previa\n"
	"in_sentence = los Servicios de Cita Previa\n"
	"url = https://citaprevia.seg-social.es/\n"
	"[service apps]\n"
	"name = Import@ss y Tu Seguridad Social\n"
	"plural = true\n"
	"url = https://apps.seg-social.es/\n";

static void init(struct fixture *f)
{
	unit_madrid_time();
	f->diags = diag_new();
	unit_config_load(f->dir, config_text, &f->cfg, f->diags, &f->err);
	unit_ok(messages_load(NULL, &f->m, f->diags, &f->err), &f->err);
}

static void fini(struct fixture *f)
{
	messages_free(f->m);
	config_free(f->cfg);
	diag_free(f->diags);
}

UNIT_FIXTURE(init, fini)

/* A moment in Madrid: year 0 is 2026; seconds after the minute. */
struct when {
	int year, month, day, hour, minute, second;
};

static time_t at(struct when w)
{
	struct tm tm = {
		.tm_year = (w.year ? w.year : 2026) - 1900, .tm_mon = w.month - 1, .tm_mday = w.day,
		.tm_hour = w.hour, .tm_min = w.minute, .tm_sec = w.second, .tm_isdst = -1,
	};
	return mktime(&tm);
}

#define NOV(d, h, m) {0, 11, (d), (h), (m), 0}
#define DEC(d, h, m) {0, 12, (d), (h), (m), 0}

enum source { SERVICE, WINDOW, ANNOUNCEMENT, MANUAL };

struct post_case {
	const char *what;
	enum source source;
	enum message_kind kind;
	const char *service;  /* an id, or a manual incident's scope */
	struct when from;     /* the incident's opening, the window's start */
	struct when to;       /* the event, the window's end */
	struct when now;      /* when the post is written */
	int wording;          /* incident_post_render()'s */
	const char *message;  /* a manual incident's */
	const char *want;
};

#define ALERT_END "Estamos revisando qué ocurre y te avisaremos cuando vuelva a funcionar."
#define PORTAL_ALT "Mientras tanto, puedes hacer tus trámites en la Sede Electrónica."
#define SEDE "la Sede Electrónica de la Seguridad Social"
#define PORTAL "el Portal de la Seguridad Social"
#define CITAS "los Servicios de Cita Previa"
#define APPS "Import@ss y Tu Seguridad Social"

static const struct post_case cases[] = {
	/* alerts: the name capitalised at the start, the time's own article */
	{"alert, feminine name, 13:xx", SERVICE, MESSAGE_ALERT, "sede", NOV(28, 13, 0), NOV(28, 13, 0),
	 NOV(28, 13, 3), 0, NULL,
	 "⚠️ La Sede Electrónica de la Seguridad Social no funciona desde las 13:00. " ALERT_END
	 " #SeguridadSocial"},
	{"alert, masculine name, 1:xx, an alternative", SERVICE, MESSAGE_ALERT, "portal",
	 NOV(28, 1, 50), NOV(28, 1, 50), NOV(28, 1, 53), 0, NULL,
	 "⚠️ El Portal de la Seguridad Social no funciona desde la 1:50. " ALERT_END " " PORTAL_ALT
	 " #SeguridadSocial"},
	{"alert, name without article, 0:xx", SERVICE, MESSAGE_ALERT, "importass", NOV(28, 0, 5),
	 NOV(28, 0, 5), NOV(28, 0, 8), 0, NULL,
	 "⚠️ Import@ss no funciona desde las 0:05. " ALERT_END " #SeguridadSocial"},
	{"alert written after midnight", SERVICE, MESSAGE_ALERT, "sede", NOV(27, 23, 0),
	 NOV(27, 23, 0), NOV(28, 0, 2), 0, NULL,
	 "⚠️ La Sede Electrónica de la Seguridad Social no funciona desde ayer a las 23:00. " ALERT_END
	 " #SeguridadSocial"},
	{"alert reworded with its date", SERVICE, MESSAGE_ALERT, "importass", NOV(28, 1, 5),
	 NOV(28, 1, 5), NOV(28, 1, 8), 1, NULL,
	 "⚠️ Import@ss no funciona desde el 28 de noviembre a la 1:05. " ALERT_END " #SeguridadSocial"},

	/* updates: replies, without the hashtag */
	{"update after 1 hour and 10 minutes", SERVICE, MESSAGE_UPDATE, "sede", NOV(28, 13, 0),
	 NOV(28, 14, 10), NOV(28, 14, 10), 0, NULL,
	 "La Sede Electrónica de la Seguridad Social sigue sin funcionar desde las 13:00, hace 1 hora "
	 "y 10 minutos. Seguimos revisando qué ocurre."},
	{"update across midnight", SERVICE, MESSAGE_UPDATE, "portal", NOV(27, 23, 58), NOV(28, 0, 30),
	 NOV(28, 0, 30), 0, NULL,
	 "El Portal de la Seguridad Social sigue sin funcionar desde ayer a las 23:58, hace 32 "
	 "minutos. Seguimos revisando qué ocurre. " PORTAL_ALT},
	{"update after days", SERVICE, MESSAGE_UPDATE, "importass", NOV(25, 23, 0), NOV(28, 2, 0),
	 NOV(28, 2, 0), 0, NULL,
	 "Import@ss sigue sin funcionar desde el 25 de noviembre a las 23:00, hace 2 días y 3 horas. "
	 "Seguimos revisando qué ocurre."},
	{"update with the note that tells it apart", SERVICE, MESSAGE_UPDATE, "importass",
	 NOV(28, 13, 0), NOV(28, 13, 30), NOV(28, 13, 30), 2, NULL,
	 "Import@ss sigue sin funcionar desde el 28 de noviembre a las 13:00, hace 30 minutos. "
	 "Seguimos revisando qué ocurre.\n\nActualizado el 28 de noviembre a las 13:30."},
	{"update, numbered note", SERVICE, MESSAGE_UPDATE, "importass", NOV(28, 13, 0),
	 NOV(28, 13, 30), NOV(28, 13, 30), 3, NULL,
	 "Import@ss sigue sin funcionar desde el 28 de noviembre a las 13:00, hace 30 minutos. "
	 "Seguimos revisando qué ocurre.\n\nActualizado el 28 de noviembre a las 13:30 (2)."},

	/* resolutions: durations in words */
	{"resolved after seconds", SERVICE, MESSAGE_RESOLVED, "sede", NOV(28, 13, 0),
	 {0, 11, 28, 13, 0, 8}, NOV(28, 13, 2), 0, NULL,
	 "✅ La Sede Electrónica de la Seguridad Social vuelve a funcionar con normalidad desde las "
	 "13:00. El problema ha durado menos de un minuto. Gracias por tu paciencia."},
	{"resolved after one minute", SERVICE, MESSAGE_RESOLVED, "importass", NOV(28, 13, 0),
	 NOV(28, 13, 1), NOV(28, 13, 3), 0, NULL,
	 "✅ Import@ss vuelve a funcionar con normalidad desde las 13:01. El problema ha durado 1 "
	 "minuto. Gracias por tu paciencia."},
	{"resolved after minutes", SERVICE, MESSAGE_RESOLVED, "portal", NOV(28, 12, 42), NOV(28, 13, 15),
	 NOV(28, 13, 17), 0, NULL,
	 "✅ El Portal de la Seguridad Social vuelve a funcionar con normalidad desde las 13:15. El "
	 "problema ha durado 33 minutos. Gracias por tu paciencia."},
	{"resolved at 1:xx after an outage across midnight", SERVICE, MESSAGE_RESOLVED, "importass",
	 NOV(27, 22, 0), NOV(28, 1, 5), NOV(28, 1, 7), 0, NULL,
	 "✅ Import@ss vuelve a funcionar con normalidad desde la 1:05. El problema ha durado 3 horas "
	 "y 5 minutos. Gracias por tu paciencia."},
	{"resolved after exactly one hour", SERVICE, MESSAGE_RESOLVED, "sede", NOV(28, 0, 10),
	 NOV(28, 1, 10), NOV(28, 1, 12), 0, NULL,
	 "✅ La Sede Electrónica de la Seguridad Social vuelve a funcionar con normalidad desde la "
	 "1:10. El problema ha durado 1 hora. Gracias por tu paciencia."},
	{"resolved after days", SERVICE, MESSAGE_RESOLVED, "portal", NOV(25, 10, 0), NOV(28, 10, 30),
	 NOV(28, 10, 31), 0, NULL,
	 "✅ El Portal de la Seguridad Social vuelve a funcionar con normalidad desde las 10:30. El "
	 "problema ha durado 3 días. Gracias por tu paciencia."},
	{"resolved after a day and an hour, told the next day", SERVICE, MESSAGE_RESOLVED, "sede",
	 NOV(26, 22, 0), NOV(27, 23, 0), NOV(28, 0, 1), 0, NULL,
	 "✅ La Sede Electrónica de la Seguridad Social vuelve a funcionar con normalidad desde ayer a "
	 "las 23:00. El problema ha durado 1 día y 1 hora. Gracias por tu paciencia."},

	/* unstable: the thread's first post */
	{"unstable, masculine name", SERVICE, MESSAGE_UNSTABLE, "portal", NOV(28, 13, 20),
	 NOV(28, 13, 20), NOV(28, 13, 20), 0, NULL,
	 "⚠️ El Portal de la Seguridad Social funciona con cortes desde las 13:20. Si falla, "
	 "inténtalo más tarde. " PORTAL_ALT " Te avisaremos cuando funcione bien. "
	 "#SeguridadSocial"},
	{"unstable, no alternative", SERVICE, MESSAGE_UNSTABLE, "importass", NOV(28, 1, 20),
	 NOV(28, 1, 20), NOV(28, 1, 20), 0, NULL,
	 "⚠️ Import@ss funciona con cortes desde la 1:20. Si falla, inténtalo más tarde. Te "
	 "avisaremos cuando funcione bien. #SeguridadSocial"},

	/* maintenance: announced with dates, then replies */
	{"announcement within a day", ANNOUNCEMENT, MESSAGE_MAINTENANCE_ANNOUNCED, "sede",
	 DEC(5, 9, 0), DEC(5, 14, 0), NOV(28, 10, 0), 0, NULL,
	 "🔧 La Sede Electrónica de la Seguridad Social no estará disponible el 5 de diciembre de 9:00 "
	 "a 14:00 por mantenimiento. Si puedes, haz tus trámites antes. #SeguridadSocial"},
	{"announcement across midnight", ANNOUNCEMENT, MESSAGE_MAINTENANCE_ANNOUNCED, "portal",
	 DEC(12, 22, 0), DEC(13, 2, 0), NOV(28, 10, 0), 0, NULL,
	 "🔧 El Portal de la Seguridad Social no estará disponible del 12 de diciembre a las 22:00 "
	 "al 13 de diciembre a las 2:00 por mantenimiento. Si puedes, haz tus trámites antes. "
	 PORTAL_ALT " #SeguridadSocial"},
	{"announcement into the next year", ANNOUNCEMENT, MESSAGE_MAINTENANCE_ANNOUNCED, "importass",
	 DEC(31, 22, 0), {2027, 1, 1, 1, 30, 0}, NOV(28, 10, 0), 0, NULL,
	 "🔧 Import@ss no estará disponible del 31 de diciembre a las 22:00 al 1 de enero de 2027 a "
	 "la 1:30 por mantenimiento. Si puedes, haz tus trámites antes. #SeguridadSocial"},
	{"maintenance starts, ends today", WINDOW, MESSAGE_MAINTENANCE_STARTED, "sede", NOV(28, 9, 0),
	 NOV(28, 14, 0), NOV(28, 9, 0), 0, NULL,
	 "🔧 Empieza el mantenimiento programado: " SEDE " no estará disponible hasta las 14:00."},
	{"maintenance starts, ends tomorrow", WINDOW, MESSAGE_MAINTENANCE_STARTED, "portal",
	 DEC(12, 22, 0), DEC(13, 2, 0), DEC(12, 22, 0), 0, NULL,
	 "🔧 Empieza el mantenimiento programado: " PORTAL " no estará disponible hasta mañana a las "
	 "2:00. " PORTAL_ALT},
	{"maintenance starts, ends at 1:00", WINDOW, MESSAGE_MAINTENANCE_STARTED, "importass",
	 NOV(28, 0, 0), NOV(28, 1, 0), NOV(28, 0, 0), 0, NULL,
	 "🔧 Empieza el mantenimiento programado: Import@ss no estará disponible hasta la 1:00."},
	{"maintenance over, working", WINDOW, MESSAGE_MAINTENANCE_FINISHED, "portal", NOV(28, 9, 0),
	 NOV(28, 14, 0), NOV(28, 14, 1), 0, NULL,
	 "✅ Ha terminado el mantenimiento: " PORTAL " ya funciona con normalidad."},
	{"maintenance over, still failing", WINDOW, MESSAGE_MAINTENANCE_UNAVAILABLE, "importass",
	 NOV(28, 9, 0), NOV(28, 14, 0), NOV(28, 14, 1), 0, NULL,
	 "⚠️ Ha terminado el mantenimiento programado, pero Import@ss todavía no funciona. Estamos "
	 "revisando qué ocurre."},
	{"maintenance over, still failing, an alternative", WINDOW, MESSAGE_MAINTENANCE_UNAVAILABLE,
	 "portal", NOV(28, 9, 0), NOV(28, 14, 0), NOV(28, 14, 1), 0, NULL,
	 "⚠️ Ha terminado el mantenimiento programado, pero " PORTAL " todavía no funciona. Estamos "
	 "revisando qué ocurre. " PORTAL_ALT},

	/* plural names: every verb and adjective of the template agrees with them */
	{"alert, plural by the article", SERVICE, MESSAGE_ALERT, "citas", NOV(28, 13, 0),
	 NOV(28, 13, 0), NOV(28, 13, 3), 0, NULL,
	 "⚠️ Los Servicios de Cita Previa no funcionan desde las 13:00. Estamos revisando qué "
	 "ocurre y te avisaremos cuando vuelvan a funcionar. #SeguridadSocial"},
	{"update, plural by the key", SERVICE, MESSAGE_UPDATE, "apps", NOV(28, 13, 0),
	 NOV(28, 14, 10), NOV(28, 14, 10), 0, NULL,
	 APPS " siguen sin funcionar desde las 13:00, hace 1 hora y 10 minutos. Seguimos "
	 "revisando qué ocurre."},
	{"unstable, plural", SERVICE, MESSAGE_UNSTABLE, "citas", NOV(28, 13, 20), NOV(28, 13, 20),
	 NOV(28, 13, 20), 0, NULL,
	 "⚠️ Los Servicios de Cita Previa funcionan con cortes desde las 13:20. Si fallan, "
	 "inténtalo más tarde. Te avisaremos cuando funcionen bien. #SeguridadSocial"},
	{"resolved, plural", SERVICE, MESSAGE_RESOLVED, "apps", NOV(28, 12, 42), NOV(28, 13, 15),
	 NOV(28, 13, 17), 0, NULL,
	 "✅ " APPS " vuelven a funcionar con normalidad desde las 13:15. El problema ha durado 33 "
	 "minutos. Gracias por tu paciencia."},
	{"announcement, plural", ANNOUNCEMENT, MESSAGE_MAINTENANCE_ANNOUNCED, "citas", DEC(5, 9, 0),
	 DEC(5, 14, 0), NOV(28, 10, 0), 0, NULL,
	 "🔧 Los Servicios de Cita Previa no estarán disponibles el 5 de diciembre de 9:00 a 14:00 "
	 "por mantenimiento. Si puedes, haz tus trámites antes. #SeguridadSocial"},
	{"maintenance starts, plural", WINDOW, MESSAGE_MAINTENANCE_STARTED, "apps", NOV(28, 9, 0),
	 NOV(28, 14, 0), NOV(28, 9, 0), 0, NULL,
	 "🔧 Empieza el mantenimiento programado: " APPS " no estarán disponibles hasta las 14:00."},
	{"maintenance over, working, plural", WINDOW, MESSAGE_MAINTENANCE_FINISHED, "citas",
	 NOV(28, 9, 0), NOV(28, 14, 0), NOV(28, 14, 1), 0, NULL,
	 "✅ Ha terminado el mantenimiento: " CITAS " ya funcionan con normalidad."},
	{"maintenance over, still failing, plural", WINDOW, MESSAGE_MAINTENANCE_UNAVAILABLE, "citas",
	 NOV(28, 9, 0), NOV(28, 14, 0), NOV(28, 14, 1), 0, NULL,
	 "⚠️ Ha terminado el mantenimiento programado, pero " CITAS " todavía no funcionan. Estamos "
	 "revisando qué ocurre."},

	/* manual incidents: staff's words, no status in brackets */
	{"manual incident opened", MANUAL, MESSAGE_MANUAL, "Oficina CAISS de Sevilla-Triana",
	 NOV(28, 9, 0), NOV(28, 9, 0), NOV(28, 9, 0), 0,
	 "Hoy está cerrada por obras. Puedes ir a la oficina de Sevilla-Nervión.",
	 "ℹ️ Oficina CAISS de Sevilla-Triana: Hoy está cerrada por obras. Puedes ir a la oficina de "
	 "Sevilla-Nervión. #SeguridadSocial"},
	{"manual incident updated", MANUAL, MESSAGE_MANUAL_UPDATE, "Oficina CAISS de Sevilla-Triana",
	 NOV(28, 9, 0), NOV(28, 12, 0), NOV(28, 12, 0), 0, "Abrirá mañana a las 9:00.",
	 "ℹ️ Oficina CAISS de Sevilla-Triana: Abrirá mañana a las 9:00."},
	{"manual incident resolved", MANUAL, MESSAGE_MANUAL_RESOLVED, "Oficina CAISS de Sevilla-Triana",
	 NOV(28, 9, 0), NOV(29, 9, 0), NOV(29, 9, 0), 0, "Ya atiende con normalidad.",
	 "✅ Oficina CAISS de Sevilla-Triana: Ya atiende con normalidad."},
};

/* Renders c the way production drafts it. */
static void render(struct fixture *f, const struct post_case *c, struct thread **out)
{
	time_t from = at(c->from), to = at(c->to), now = at(c->now);
	if (c->source == ANNOUNCEMENT) {
		struct message_window texts;
		struct message_values values;
		messages_window(config_find_service(f->cfg, c->service), from, to, &texts, &values);
		unit_ok(messages_render(f->m, c->kind, &values, out, &f->err), &f->err);
		return;
	}
	struct incident_post post;
	struct incident inc = {.opened_at = from, .status = INCIDENT_INVESTIGANDO};
	if (c->source == SERVICE) {
		const struct config_service *svc = config_find_service(f->cfg, c->service);
		snprintf(inc.scope, sizeof inc.scope, "%s", svc->name);
		incident_post_service(svc, &inc, c->kind, to, &post);
	} else if (c->source == WINDOW) {
		incident_post_window(f->cfg, c->service, from, to, c->kind, &post);
	} else {
		snprintf(inc.scope, sizeof inc.scope, "%s", c->service);
		incident_post_manual(&inc, c->kind, c->message, to, &post);
	}
	unit_ok(incident_post_render(f->m, &post, now, c->wording, out, &f->err), &f->err);
}

static void every_post_reads_as_written(void **state)
{
	struct fixture *f = *state;
	bool kind_seen[MESSAGE_KIND_COUNT] = {0}, plural_seen[MESSAGE_KIND_COUNT] = {0};
	size_t failures = 0;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct post_case *c = &cases[i];
		struct thread *thread;
		render(f, c, &thread);
		kind_seen[c->kind] = true;
		const struct config_service *svc = config_find_service(f->cfg, c->service);
		plural_seen[c->kind] |= svc && svc->plural;
		/* the post's text is also the Atom entry's and the CAP message's, where there is
		 * no thread to speak of */
		if (strstr(thread_post(thread, 0), "hilo"))
			fail_msg("case '%s' speaks of the thread, which the feeds have not: %s",
				 c->what, thread_post(thread, 0));
		if (thread_count(thread) != 1 || strcmp(thread_post(thread, 0), c->want)) {
			print_message("case '%s':\n  got:  %s\n  want: %s\n", c->what,
				      thread_post(thread, 0), c->want);
			failures++;
		}
		thread_free(thread);
	}
	assert_int_equal(failures, 0);
	for (int k = 0; k < MESSAGE_KIND_COUNT; k++)
		if (!kind_seen[k])
			fail_msg("no case renders %s", messages_file((enum message_kind)k));
		else if (!plural_seen[k] && k != MESSAGE_MANUAL && k != MESSAGE_MANUAL_UPDATE &&
			 k != MESSAGE_MANUAL_RESOLVED)
			fail_msg("no case renders %s with a plural name", messages_file((enum message_kind)k));
}

/* A name without in_sentence is written as it is, even at the start of a sentence,
 * and the alternative is empty by default. */
static void defaults_of_a_service(void **state)
{
	struct fixture *f = *state;
	const struct config_service *svc = config_find_service(f->cfg, "importass");
	assert_string_equal(svc->in_sentence, "Import@ss");
	assert_string_equal(svc->alternative, "");
	assert_false(svc->plural);
	assert_true(config_find_service(f->cfg, "citas")->plural);
	assert_true(config_find_service(f->cfg, "apps")->plural);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(every_post_reads_as_written),
		UNIT_TEST(defaults_of_a_service),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
