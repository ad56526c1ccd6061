#ifndef INCLUINFO_MESSAGES_H
#define INCLUINFO_MESSAGES_H
/*
 * The texts of incident posts: one template per event (etc/templates/, built into the
 * binary, or the operator's folder set with [general] templates_dir), rendered with the
 * event's values into the posts of a thread. A struct messages is opaque, loaded once
 * with messages_load() and released with messages_free(); threads it renders belong to
 * the caller (thread_free()).
 */
#include "config.h"
#include "diag.h"
#include "draft.h"
#include "error.h"
#include "spanish.h"
#include "thread.h"

enum message_kind {
	MESSAGE_ALERT,
	MESSAGE_UPDATE,
	MESSAGE_UNSTABLE,
	MESSAGE_RESOLVED,
	MESSAGE_MAINTENANCE_ANNOUNCED,
	MESSAGE_MAINTENANCE_STARTED,
	MESSAGE_MAINTENANCE_FINISHED,    /* over, and a check after the end found it up */
	MESSAGE_MAINTENANCE_UNAVAILABLE, /* over, and a check after the end found it failing */
	MESSAGE_MANUAL,          /* a manual incident opened: its thread's first post */
	MESSAGE_MANUAL_UPDATE,   /* changed */
	MESSAGE_MANUAL_RESOLVED, /* resolved */
	MESSAGE_KIND_COUNT
};

struct messages;

/* The template's file name ("alerta.txt") and the kind of draft it makes (DRAFT_ALERTA). */
const char *messages_file(enum message_kind kind);
enum draft_kind messages_draft_kind(enum message_kind kind);
/* Whether the kind's post answers an earlier post of its thread (an update, a
 * resolution, a maintenance window starting or ending) rather than opening the thread:
 * a reply does not repeat the thread's hashtag. */
bool messages_is_reply(enum message_kind kind);

/* The values a template may use; NULL for one this event cannot fill. Every value but
 * url is a phrase as it reads inside a sentence, joined to the template's words as
 * template_render() says (a capital at the start of a sentence, "del", "al"). */
struct message_values {
	const char *servicio;    /* the service's name in a sentence: "la Sede Electrónica…" */
	const char *hora;        /* of the event: "las 10:42", "ayer a las 23:00" (es_moment()) */
	const char *fecha;       /* "28 de noviembre" */
	const char *desde;       /* start: "la 1:50", "el 2 de diciembre a las 9:00" */
	const char *hasta;       /* end: "las 12:00", "mañana a las 2:00" */
	const char *periodo;     /* from start to end: "el 28 de noviembre de 9:00 a 14:00" */
	const char *duracion;    /* from start to end: "1 hora y 5 minutos" */
	const char *url;         /* the service's address, written as it is */
	const char *ambito;      /* of a manual incident: what it is about, as a heading */
	const char *estado;      /* "investigando", ... (for custom templates; statuses belong
				  * in the feeds, not in the sentence) */
	const char *mensaje;     /* the operator's message */
	const char *alternativa; /* what to do meanwhile, a whole sentence; "" when none */
	/* not a placeholder: servicio is plural, so each {singular|plural} choice of the
	 * template takes its plural (config_service.plural) */
	bool plural;
	const char *nota;        /* not a placeholder: a line added after the text (may be NULL) */
	/* not a placeholder: the post answers an earlier post of its thread (an alert in a
	 * manual incident's thread), so the hashtags that end the template's text are left
	 * out: the thread's first post carried them (issue 14: #SeguridadSocial once per
	 * thread). A hashtag inside a sentence stays, since the sentence needs it. */
	bool in_thread;
};

/*
 * Loads every template from dir, or the built-in ones when dir is NULL. A template
 * missing from dir, invalid, or using a placeholder that is not a field above is an error
 * added to diags (II_EDATA; II_EIO when a file cannot be read).
 */
ii_err messages_load(const char *dir, struct messages **out, struct diag_list *diags,
		     struct ii_error *e);
void messages_free(struct messages *m);

/* Renders kind's template into the posts of a thread (limit 280, numbered when longer). */
ii_err messages_render(const struct messages *m, enum message_kind kind,
		       const struct message_values *values, struct thread **out,
		       struct ii_error *e);
/* The same, cut for counter's network (NULL: X), for a draft's thread on each channel. */
ii_err messages_render_for(const struct messages *m, enum message_kind kind,
			   const struct message_values *values, const struct counter *counter,
			   struct thread **out, struct ii_error *e);

/*
 * For `lint`: renders every template, singular and plural, with the longest values it
 * can be given: the heaviest in_sentence name, address and alternative among cfg's
 * services, and the heaviest moment, date, period and duration that es_moment(),
 * es_date(), es_period() and es_duration_words() write (asked, not written here: a
 * window of next year names its years), followed by the numbering " 1/N" of the first
 * post of the longest thread the kind can open (an announcement leads its notice's
 * paragraphs, up to the thread's most posts; any other post may share its thread with
 * its note). Adds an error to diags for each template that then does not fit in a
 * single post, holds more than MESSAGES_MAX_EMOJI emoji, or is a
 * reply (messages_is_reply()) with a hashtag. II_EDATA when any does.
 */
#define MESSAGES_MAX_EMOJI 2
ii_err messages_lint(const struct messages *m, const struct config *cfg,
		     struct diag_list *diags, struct ii_error *e);

/*
 * For `lint`: adds to warnings (a list of warnings only, diag_warn()) each template that
 * writes an article before a placeholder that carries its own ("desde las {hora}", "a las
 * {hasta}", "la {servicio}": the post would read "desde las las 10:42"), once per template
 * and placeholder, at the line of that use. Templates written before the values carried
 * their article (issue 14) do this; they still render, so it is not an error.
 * Adds too, at the line of {servicio}, each template that names the service but has no
 * {singular|plural} choice (template.h): with a plural name ("los Servicios…") its
 * verb would not agree.
 */
void messages_warn(const struct messages *m, struct diag_list *warnings);

/* The moments an event names; 0 for one it has not. */
struct message_moments {
	time_t hora;  /* the event */
	time_t desde; /* the start */
	time_t hasta; /* the end */
};
/* Their texts, which the values point into. */
struct message_moment_texts {
	char hora[ES_MOMENT_SIZE];
	char desde[ES_MOMENT_SIZE];
	char hasta[ES_MOMENT_SIZE];
	char fecha[ES_DATE_SIZE];
	char periodo[ES_PERIOD_SIZE];
	char duracion[ES_DURATION_WORDS_SIZE];
};
/*
 * Sets out's values of the moments that are set, as a post written at today names them:
 * hora, desde and hasta each with its article and, when it is not today's or with dated
 * always, its day (es_moment()); fecha, hora's date; with desde, duracion from desde to
 * hasta, or to hora when there is no hasta (es_duration_words()); with desde and hasta,
 * periodo (es_period()). The local zone is [general] timezone's.
 */
void messages_moments(const struct message_moments *m, time_t today, bool dated,
		      struct message_moment_texts *texts, struct message_values *out);

/* The texts of a maintenance window's announcement, which the values point into. */
struct message_window {
	struct message_moment_texts texts;
};
/* The values of the announcement of svc's window from from to until: servicio, its
 * number, url and alternativa of svc, and the window's moments each with its date, the year told when
 * it is not the start's (hora, fecha and desde of its start, hasta of its end, periodo,
 * duracion). */
void messages_window(const struct config_service *svc, time_t from, time_t until,
		     struct message_window *texts, struct message_values *out);
#endif
