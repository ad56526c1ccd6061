#ifndef INCLUINFO_ATOM_H
#define INCLUINFO_ATOM_H

/*
 * Atom feeds (RFC 4287): incidencias.atom, avisos.atom and the index of CAP messages
 * cap/index.atom. The caller describes the feed with plain records; nothing here reads
 * the state store or the configuration.
 *
 * Ownership: the records are the caller's and are only read; the rendered document is a
 * new string the caller frees.
 *
 * What is written:
 *   feed   xml:lang="es", id = the feed's own URL (base_url + file_name), title, rights
 *          (the channel's legal notice, when given: RFC 4287 4.2.10, a feed's rights apply
 *          to every entry without its own, so it is written once), updated, author (name,
 *          and uri when given), link rel="self" (type application/atom+xml) and
 *          rel="alternate" (the site's page, type text/html), generator "incluinfo";
 *   entry  xml:lang when its language is given and is not the feed's "es", id = tag:HOST,DATE:KEY (RFC 4151: HOST
 *          is base_url's host, DATE the UTC date of published, KEY the entry's key),
 *          title, published, updated, content type="text" (line breaks kept), the
 *          entry's links, one category per term.
 * Entries are sorted newest first (published, then key, so the order is stable) and only
 * the newest max_entries are kept. The feed's updated is the newest entry's updated, so
 * rendering the same entries twice gives the same bytes (a web server's ETag stays valid);
 * an empty feed takes meta->empty_updated instead.
 *
 * Times are written with fo_time() (lib/feedout.h): local time with a numeric offset.
 * Texts follow lib/feedout.h's text policy.
 */

#include <stddef.h>
#include <time.h>

#include "error.h"

#define ATOM_DEFAULT_MAX_ENTRIES 50
#define ATOM_CONTENT_TYPE "application/atom+xml"

struct atom_meta {
	const char *base_url;    /* where feeds_dir is served: "https://example.org/feeds/" */
	const char *file_name;   /* relative to base_url: "incidencias.atom", "cap/index.atom" */
	const char *title;       /* "Incidencias de la Seguridad Social" */
	const char *author_name; /* "Ministerio de Inclusión, Seguridad Social y Migraciones" */
	const char *author_uri;  /* optional */
	const char *site_url;    /* the human page (rel="alternate"); NULL: base_url */
	const char *rights;      /* optional: "La información de esta cuenta tiene carácter…" */
	time_t empty_updated;    /* the feed's updated when it has no entry */
};

struct atom_link {
	const char *rel;   /* "alternate" (the X post, a CAP message), "related" (a source) */
	const char *href;  /* required */
	const char *type;  /* optional media type: "text/html", "application/cap+xml" */
	const char *title; /* optional */
};

struct atom_entry {
	const char *key;     /* stable and unique in the feed: "incidente/6f1c…/2" (any text;
				characters a tag URI does not allow are percent-encoded) */
	const char *title;   /* "[Resuelto] Sede Electrónica de la Seguridad Social" */
	const char *content; /* the full text, plain: never a post's cut with its " n/N" */
	const char *lang;    /* optional: a BCP 47 tag ("ca", "es-ES"); "es", the feed's, is
				not repeated */
	time_t published;
	time_t updated;      /* 0: the same as published */
	const struct atom_link *links; /* at most one rel="alternate" per type */
	size_t n_links;
	const char *const *categories; /* terms: the verdict, the tags */
	size_t n_categories;
};

/*
 * The feed of n entries (in any order), keeping the newest max_entries (0:
 * ATOM_DEFAULT_MAX_ENTRIES), into *out (*len bytes, NUL-terminated). II_EDATA, naming the
 * field, for a missing or invalid field or text (a lang that is not a BCP 47 tag's shape:
 * letters, then groups of letters and digits after '-', each 1 to 8); II_ENOMEM.
 */
ii_err atom_render(const struct atom_meta *meta, const struct atom_entry *entries, size_t n,
		   size_t max_entries, char **out, size_t *len, struct ii_error *e);

/* atom_render(), then the document written atomically (mode 0644) to path. */
ii_err atom_write(const char *path, const struct atom_meta *meta,
		  const struct atom_entry *entries, size_t n, size_t max_entries,
		  struct ii_error *e);

#endif
