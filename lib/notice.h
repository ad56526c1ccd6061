#ifndef INCLUINFO_NOTICE_H
#define INCLUINFO_NOTICE_H
/*
 * Notices as staff write them: Markdown with a YAML front matter (libyaml), the keys in
 * Spanish (see notices/README.md; a key written with accents, "título", is the same key).
 * notice_parse() returns a struct notice, a validated read-only record, that the caller
 * releases with notice_free(); every string in it belongs to it. The file itself is only
 * ever read.
 *
 * Problems are reported all in one pass, one per problem, in the order of their lines, as
 *   path:line:column: error: missing required key 'veredicto' (type bulo)
 * in words an author can act on (English msgids through gettext, lib/i18n.h), with the
 * fix: a suggestion for a misspelt key (and then no "missing" for the key it was meant
 * to be), the quotes to add for a value libyaml cannot read.
 *
 * Dates: "2026-12-01", "2026-12-01 09:00", "2026-12-01T09:00:30", with an optional offset
 * ("Z", "+01:00", "+0100"). Without an offset a date is local time in the process's zone
 * (the command layer sets TZ from `timezone`); a date alone is its midnight. A local time
 * that does not exist (the hour skipped when clocks go forward) is read as the time it
 * would be an hour later, as mktime() does; one that happens twice is the first.
 */
#include <stddef.h>
#include <time.h>
#include "diag.h"
#include "error.h"
#include "incident.h"
#include "lang.h"
#include "thread.h"

#define NOTICE_MAX_SIZE (256u * 1024)
/* Collections nested in the front matter (its mapping is one, a list value two): deeper
 * nesting is an error found early, as libyaml's time grows with the square of it. */
#define NOTICE_MAX_YAML_DEPTH 8
/* What the store and the feeds keep whole (a longer value is an error, never cut):
 * characters of titulo, ambito and autor, and entries of fuentes and etiquetas. */
#define NOTICE_MAX_TITLE_CHARS 160 /* at most 640 bytes: a draft's title holds it with ambito */
#define NOTICE_MAX_SCOPE_CHARS 60  /* an incident's scope holds 255 bytes */
#define NOTICE_MAX_AUTHOR_CHARS 60
#define NOTICE_MAX_SOURCES 16
#define NOTICE_MAX_TAGS 16
#define NOTICE_DEFAULT_ANNOUNCE 86400 /* seconds before a maintenance window it is announced */

enum notice_kind { NOTICE_BULO, NOTICE_AVISO, NOTICE_INCIDENCIA, NOTICE_MANTENIMIENTO };

struct notice_paragraph {
	char *text; /* rendered from CommonMark (notices/README.md); '\n' where a line must break */
	int line;   /* where it starts in the file */
};

/* What is worth telling the author but is not an error: the published text differs from
 * what they typed (an image or HTML left out), a publicar date without a time, sources
 * that are only home pages or say nothing of who publishes them, a caduca already past
 * (notice_check_at()). */
struct notice_warning {
	char *text; /* a message, translated (lib/i18n.h) */
	int line;
};

struct notice {
	enum notice_kind kind;
	char *id, *title, *author;   /* id, titulo, autor; NULL when absent */
	enum lang lang;              /* idioma: the words the program adds (bulo, aviso) */
	char *hoax;                  /* bulo: the claim itself, as it continues "…de que" */
	char *origin;                /* bulo: origen, where it circulates, with its preposition
					("en un audio de WhatsApp"); NULL when absent */
	enum lang_verdict verdict;   /* bulo: veredicto, in its agreed form */
	char **sources;              /* fuentes: https URLs */
	char **source_names;         /* who publishes each, as the author named them ("el
					BOE" in "el BOE: https://…"); an entry is NULL when
					the author named nobody */
	size_t source_count;
	char **tags;                 /* etiquetas, as written */
	size_t tag_count;
	time_t publish_at, expires_at; /* publicar, caduca; 0 when absent */
	char *scope;                 /* incidencia: ambito */
	enum incident_status status; /* incidencia: estado */
	char *service;               /* mantenimiento: servicio, desde, hasta */
	time_t from, until;
	long announce_before;        /* mantenimiento: aviso_antes in seconds */
	struct notice_paragraph *paragraphs;
	size_t paragraph_count;
	struct notice_warning *warnings;
	size_t warning_count;
	char hash[65];               /* SHA-256 of the file's bytes, in hex */
	int title_line, hoax_line;   /* where titulo and bulo are, for errors in the thread */
	int expires_line;            /* where caduca is, for notice_check_at() */
	int author_line;             /* where autor is, for who checks it against the people */
};

/* "bulo", "aviso", "incidencia", "mantenimiento". */
const char *notice_kind_name(enum notice_kind kind);

/* Parses len bytes named path. II_EDATA: every problem added to diags, the first in e. */
ii_err notice_parse(const char *path, const char *text, size_t len, struct notice **out,
		    struct diag_list *diags, struct ii_error *e);
/* Reads the file (refusing more than NOTICE_MAX_SIZE bytes), then parses it. II_EIO when
 * it cannot be read. */
ii_err notice_load_file(const char *path, struct notice **out, struct diag_list *diags,
			struct ii_error *e);
/* Adds to n's warnings what depends on the time now (seconds since the epoch): a caduca
 * already past, so that the notice will never be published. */
void notice_check_at(struct notice *n, time_t now);
/*
 * The posts notice n will be published as on X (lib/thread: limit 280, numbered).
 *
 * A rebuttal is a truth sandwich, in n->lang (the words of lib/lang): the first post
 * states the fact (titulo), then names the hoax once with its verdict attached to it
 * ("Circula el bulo de que … Es falso."), never quoting it in «»; the body follows, one
 * paragraph a post; the last paragraph restates the fact, points to page_url (the
 * rebuttal's own page, NULL when there is none) and to each source described in words
 * ("Lo explica el BOE: https://…"), and ends with the CamelCase hashtags.
 * A manual incident opens with ℹ️ (✅ once resolved) and notice_incident_sentence(), no
 * status word; the other notices open with their title. Hashtags come once, at the end.
 *
 * An error (a word too long for a post, a thread too long) goes to diags with the line
 * it comes from, and to e.
 */
ii_err notice_thread(const struct notice *n, const char *path, const char *page_url,
		     struct thread **out, struct diag_list *diags, struct ii_error *e);
/* The same for the network of counter (lib/text/count.h; NULL: X), which is only read
 * during the call: each channel's thread is cut by its own counter. */
ii_err notice_thread_for(const struct notice *n, const char *path, const char *page_url,
			 const struct counter *counter, struct thread **out,
			 struct diag_list *diags, struct ii_error *e);
/* A manual incident's (NOTICE_INCIDENCIA) headline as one sentence, the same in its
 * post and in the feeds: the scope, the subject as a sentence starts with it, then the
 * title, what happens to it ("El teléfono 901 16 65 65" + "no atiende llamadas" gives
 * "El teléfono 901 16 65 65 no atiende llamadas."); a full stop is added when it ends
 * with none. A new string the caller frees; NULL when out of memory. */
char *notice_incident_sentence(const struct notice *n);
void notice_free(struct notice *n);
/* The SHA-256 of a notice file's bytes, in lower-case hex: what tells its versions apart. */
void notice_hash(const char *text, size_t len, char out[65]);
#endif
