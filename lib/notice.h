#ifndef INCLUINFO_NOTICE_H
#define INCLUINFO_NOTICE_H
/*
 * Notices as staff write them: Markdown with a YAML front matter (libyaml), the keys in
 * Spanish (see notices/README.md). notice_parse() returns a struct notice, a validated
 * read-only record, that the caller releases with notice_free(); every string in it
 * belongs to it. The file itself is only ever read.
 *
 * Problems are reported all in one pass, one per problem, as
 *   path:line:column: error: falta la clave obligatoria 'veredicto'
 * in plain Spanish for the authors, with a suggestion for a misspelt key.
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

/* Where the published text differs from what the author typed (an image or HTML left
 * out): worth telling, not an error. */
struct notice_warning {
	char *text; /* in Spanish, for the authors */
	int line;
};

struct notice {
	enum notice_kind kind;
	char *id, *title, *author;   /* id, titulo, autor; NULL when absent */
	char *hoax, *verdict;        /* bulo: bulo, veredicto ("FALSO", "ENGAÑOSO", "SIN CONTEXTO") */
	char **sources;              /* fuentes: https URLs */
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
/*
 * The posts notice n will be published as (lib/thread: limit 280, numbered). A rebuttal
 * opens with the verdict and the true fact, names the hoax once, gives the body, and
 * ends with its sources and CamelCase hashtags. An error (a word too long for a post, a
 * thread too long) goes to diags with the line it comes from, and to e.
 */
ii_err notice_thread(const struct notice *n, const char *path, struct thread **out,
		     struct diag_list *diags, struct ii_error *e);
void notice_free(struct notice *n);
#endif
