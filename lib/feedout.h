#ifndef INCLUINFO_FEEDOUT_H
#define INCLUINFO_FEEDOUT_H

/*
 * What the feed writers (lib/atom, lib/cap, lib/claimreview) share: checking and cleaning
 * the UTF-8 text they are given, time stamps with a numeric offset, URLs built from the
 * configured base URL, and an XML document written with libxml2's xmlTextWriter.
 *
 * Ownership: a struct fo_xml is opaque; fo_xml_new() gives it to the caller, who ends it
 * with fo_xml_finish() (which frees it, success or not) or fo_xml_free(). Every char *
 * returned is a new string the caller frees.
 *
 * Text policy, the same for every feed: text must be valid UTF-8 (else II_EDATA naming the
 * field) and at most FO_TEXT_MAX bytes. Characters that XML 1.0 does not allow (the C0
 * controls other than tab, line feed and carriage return, U+FFFE and U+FFFF) are dropped,
 * not replaced: they carry nothing a reader can see, and a U+FFFD in a public feed would
 * look like damage. Everything else, markup characters, "]]>", quotes, emoji,
 * right-to-left marks, is kept and escaped by libxml2.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"

#define FO_TEXT_MAX (256u * 1024)    /* bytes of one text given to a writer */
#define FO_DOC_MAX (16u * 1024 * 1024) /* bytes of one document written */
#define FO_TIME_SIZE 32              /* "2026-11-28T10:42:00+01:00" and its NUL */

/*
 * text (the field named field, for errors) checked and cleaned as described above, into
 * *out. NULL text is an error too: every field passed here is required.
 */
ii_err fo_clean_text(const char *field, const char *text, char **out, struct ii_error *e);

/*
 * t as an RFC 3339 / ISO 8601 date-time in the process's local time zone (the command
 * layer sets TZ from `timezone`), with a numeric offset, never "Z":
 * "2026-11-28T10:42:00+01:00", "2026-07-01T08:00:00+00:00" in UTC. False, and buf empty,
 * when t cannot be converted or its year is not 1000 to 9999.
 */
bool fo_time(time_t t, char buf[FO_TIME_SIZE]);

/* The UTC date of t, "2026-11-28", for tag: URIs (so a tag does not depend on TZ). */
bool fo_utc_date(time_t t, char buf[FO_TIME_SIZE]);

/*
 * rel resolved against base (an absolute http or https URL, usually ending in '/'):
 * ("https://example.org/feeds/", "cap/index.atom") is
 * "https://example.org/feeds/cap/index.atom". II_EDATA when base is not such a URL.
 */
ii_err fo_url(const char *base, const char *rel, char **out, struct ii_error *e);

/* The host of an absolute URL, lower case, for the authority of tag: URIs. */
ii_err fo_url_host(const char *url, char **out, struct ii_error *e);

/* doc (len bytes) written atomically to path with mode 0644, for the web server to read;
 * doc is freed, success or not. */
ii_err fo_write_file(const char *path, char *doc, size_t len, struct ii_error *e);

struct fo_xml;

/* A new UTF-8 XML document, indented with two spaces. */
ii_err fo_xml_new(struct fo_xml **out, struct ii_error *e);

/*
 * Writing. The first failure is kept and every later call does nothing, so a writer
 * calls these in a row and checks once, in fo_xml_finish(). Text and attribute values
 * follow the text policy above; a NULL value for an optional element or attribute
 * writes nothing (fo_xml_element_required fails instead).
 */
void fo_xml_start(struct fo_xml *x, const char *name);
void fo_xml_start_ns(struct fo_xml *x, const char *name, const char *ns);
void fo_xml_end(struct fo_xml *x);
void fo_xml_attr(struct fo_xml *x, const char *name, const char *value);
void fo_xml_element(struct fo_xml *x, const char *name, const char *text);
void fo_xml_element_required(struct fo_xml *x, const char *name, const char *text);
/* Text inside the element just started (required: field names it in errors). */
void fo_xml_text(struct fo_xml *x, const char *field, const char *text);
/* Records a failure found by the writer itself (a bad input), with the same rule. */
void fo_xml_fail(struct fo_xml *x, ii_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Ends the document and frees x. On success *out is the document (NUL-terminated, *len
 * bytes without the NUL); on failure the first recorded error is returned in e.
 */
ii_err fo_xml_finish(struct fo_xml *x, char **out, size_t *len, struct ii_error *e);

void fo_xml_free(struct fo_xml *x);

#endif
