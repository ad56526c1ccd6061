#ifndef INCLUINFO_CAP_H
#define INCLUINFO_CAP_H

/*
 * CAP 1.2 (OASIS Common Alerting Protocol) messages, one per published post of an
 * incident, and cap/index.atom, the Atom index of those messages that public-alert
 * aggregators poll. The caller describes each incident with plain records; nothing here
 * reads the state store or the configuration.
 *
 * Ownership: the records are the caller's and are only read; rendered documents and
 * identifiers are new strings the caller frees.
 *
 * Message k (1-based) of an incident, for its post k:
 *   identifier  INCIDENT_ID-k ("6f1c…-2"): stable, so rewriting a message gives the same
 *               bytes; the file is cap/INCIDENT_ID-k.xml
 *   sender      from struct cap_sender; sent = the post's time, numeric offset (never Z;
 *               UTC is "-00:00", as CAP 1.2 requires)
 *   status Actual, scope Public
 *   msgType     Alert for post 1, Update for every later one, with references: the
 *               "sender,identifier,sent" triples of all the earlier posts, oldest first,
 *               separated by spaces
 *   info        language es-ES, category Infra, event, responseType Monitor (AllClear
 *               for a resolution), urgency Immediate (Past for a resolution), severity
 *               (the incident's), certainty Observed, senderName, headline and
 *               description (the post's, without its hashtags), web (when given), area
 *               with areaDesc "España"
 * Texts follow lib/feedout.h's text policy; times are written with fo_time().
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "atom.h"
#include "error.h"

#define CAP_CONTENT_TYPE "application/cap+xml"
#define CAP_DIR "cap"                    /* under feeds_dir */
#define CAP_INDEX_FILE "cap/index.atom"  /* under feeds_dir, and under base_url */

struct cap_sender {
	const char *sender;      /* "incluinfo@seg-social.es": no spaces, commas, '<' or '&' */
	const char *sender_name; /* "Ministerio de Inclusión, Seguridad Social y Migraciones" */
};

enum cap_severity {
	CAP_SEVERITY_UNKNOWN = 0,
	CAP_SEVERITY_MINOR,    /* degraded: slow, or certificate about to expire */
	CAP_SEVERITY_MODERATE, /* a service is down */
	CAP_SEVERITY_SEVERE,
	CAP_SEVERITY_EXTREME
};

struct cap_post {
	time_t sent;
	const char *headline;    /* a short line; CAP advises under 160 characters */
	const char *description; /* the full text of the post */
	bool resolves;           /* the resolution: AllClear, urgency Past */
};

struct cap_incident {
	const char *id;    /* the incident's id (a UUID): letters, digits, '-', '.', '_' */
	const char *event; /* "Sede Electrónica no disponible" */
	const char *web;   /* optional: a public page with more information (never a probe URL) */
	enum cap_severity severity;
	const struct cap_post *posts; /* oldest first; post 1 is the alert */
	size_t n_posts;
};

/* The identifier of message k (1 to n_posts) of incident, "ID-k". */
ii_err cap_identifier(const struct cap_incident *incident, size_t k, char **out,
		      struct ii_error *e);

/* Message k (1 to incident->n_posts) into *out (*len bytes, NUL-terminated). II_EDATA,
 * naming the field, for a missing or invalid field; II_ENOMEM. */
ii_err cap_render(const struct cap_sender *sender, const struct cap_incident *incident,
		  size_t k, char **out, size_t *len, struct ii_error *e);

/* Every message of incident written atomically (mode 0644) to
 * feeds_dir/cap/IDENTIFIER.xml, creating feeds_dir/cap when missing. */
ii_err cap_write_incident(const char *feeds_dir, const struct cap_sender *sender,
			  const struct cap_incident *incident, struct ii_error *e);

/*
 * cap/index.atom: one entry per message of the n incidents, newest first, the newest
 * max_entries (0: ATOM_DEFAULT_MAX_ENTRIES). meta->file_name is ignored (it is
 * CAP_INDEX_FILE). Each entry's title is the message's headline, its content the
 * description, both without hashtags as in the message, and its rel="alternate" link of type application/cap+xml points to
 * base_url + cap/IDENTIFIER.xml. atom_render()'s rules and errors apply.
 */
ii_err cap_render_index(const struct atom_meta *meta, const struct cap_incident *incidents,
			size_t n, size_t max_entries, char **out, size_t *len,
			struct ii_error *e);

/* cap_render_index(), written atomically to feeds_dir/cap/index.atom. */
ii_err cap_write_index(const char *feeds_dir, const struct atom_meta *meta,
		       const struct cap_incident *incidents, size_t n, size_t max_entries,
		       struct ii_error *e);

#endif
