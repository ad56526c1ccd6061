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
	MESSAGE_MANUAL,
	MESSAGE_KIND_COUNT
};

struct messages;

/* The template's file name ("alerta.txt") and the kind of draft it makes (DRAFT_ALERTA). */
const char *messages_file(enum message_kind kind);
enum draft_kind messages_draft_kind(enum message_kind kind);

/* The values a template may use; NULL for one this event cannot fill. */
struct message_values {
	const char *servicio; /* the service's name */
	const char *hora;     /* of the event: "10:42", "23:00 de ayer" (see es_moment()) */
	const char *fecha;    /* "28 de noviembre" */
	const char *desde;    /* start: "10:42", "9:00 del 2 de diciembre" */
	const char *hasta;    /* end: "12:00", or "9:00 del 2 de diciembre" on another day */
	const char *duracion; /* "1 h 5 min" */
	const char *url;      /* the service's address */
	const char *ambito;   /* of a manual incident */
	const char *estado;   /* "investigando", ... */
	const char *mensaje;  /* the operator's message */
	const char *nota;     /* not a placeholder: a line added after the text (may be NULL) */
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

/*
 * For `lint`: renders every template with the longest name and address among cfg's
 * services and the longest realistic times, and adds an error to diags for each one
 * that does not fit in a single post. II_EDATA when any does not.
 */
ii_err messages_check_lengths(const struct messages *m, const struct config *cfg,
			      struct diag_list *diags, struct ii_error *e);

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
};
/*
 * Sets out's hora, fecha (hora's date), desde and hasta, each whose moment is set, as a
 * post written on the day of today names them (es_moment(): the day is told whenever it
 * is not today's, and with dated always). The local zone is [general] timezone's.
 */
void messages_moments(const struct message_moments *m, time_t today, bool dated,
		      struct message_moment_texts *texts, struct message_values *out);

/* The texts of a maintenance window's announcement, which the values point into. */
struct message_window {
	struct message_moment_texts texts;
};
/* The values of the announcement of a window of the service called name (url may be
 * NULL) from from to until: servicio, hora, fecha and desde of its start, hasta of its
 * end, told from the window's first day ("12:00", "9:00 del 2 de diciembre"). */
void messages_window(const char *name, const char *url, time_t from, time_t until,
		     struct message_window *texts, struct message_values *out);
#endif
