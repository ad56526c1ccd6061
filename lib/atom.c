#include "atom.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedout.h"
#include "i18n.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"

/* The characters RFC 4151's "specific" part takes as they are (pchar, '/' and '?'). */
static bool tag_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~!$&'()*+,;=:@/?", c));
}

/* tag:HOST,DATE:KEY, with KEY's other bytes percent-encoded. */
static ii_err entry_tag(const char *host, time_t published, const char *key, char **out,
			struct ii_error *e)
{
	char date[FO_TIME_SIZE];
	if (!fo_utc_date(published, date))
		return ii_fail(e, II_EDATA, _("invalid publication time of entry '%s'"), key);
	size_t key_len = strlen(key);
	size_t size = strlen("tag:,:") + strlen(host) + strlen(date) + 3 * key_len + 1;
	char *tag = malloc(size);
	if (!tag)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	size_t n = (size_t)snprintf(tag, size, "tag:%s,%s:", host, date);
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		if (tag_char(*p))
			tag[n++] = (char)*p;
		else
			n += (size_t)snprintf(tag + n, size - n, "%%%02X", *p);
	}
	tag[n] = '\0';
	*out = tag;
	return II_OK;
}

static time_t entry_updated(const struct atom_entry *entry)
{
	return entry->updated ? entry->updated : entry->published;
}

/* Newest first; equal times by key, so the order never depends on the input's. */
static int newest_first(const void *a, const void *b)
{
	const struct atom_entry *x = *(const struct atom_entry *const *)a;
	const struct atom_entry *y = *(const struct atom_entry *const *)b;
	if (x->published != y->published)
		return x->published > y->published ? -1 : 1;
	return strcmp(x->key, y->key);
}

static void write_time(struct fo_xml *x, const char *name, time_t t, const char *subject)
{
	char when[FO_TIME_SIZE];
	if (!fo_time(t, when))
		fo_xml_fail(x, II_EDATA, _("invalid time '%s' of %s"), name, subject);
	fo_xml_element_required(x, name, when);
}

static void write_link(struct fo_xml *x, const struct atom_link *link)
{
	if (!link->href) {
		fo_xml_fail(x, II_EDATA, _("missing 'href' of a link"));
		return;
	}
	fo_xml_start(x, "link");
	fo_xml_attr(x, "rel", link->rel);
	fo_xml_attr(x, "href", link->href);
	fo_xml_attr(x, "type", link->type);
	fo_xml_attr(x, "title", link->title);
	fo_xml_end(x);
}

/* Every feed's language; an entry says its own only when it differs. */
#define FEED_LANG "es"

/* The shape of a BCP 47 tag, as xml:lang takes it: "es", "ca", "es-ES", "sr-Latn". */
static bool language_tag(const char *tag)
{
	size_t run = 0;
	for (const char *p = tag; *p; p++) {
		bool letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
		bool digit = *p >= '0' && *p <= '9';
		if (*p == '-' && run > 0)
			run = 0;
		else if ((letter || (digit && p - tag > (ptrdiff_t)run)) && ++run <= 8)
			continue;
		else
			return false;
	}
	return run > 0;
}

static void write_entry(struct fo_xml *x, const char *host, const struct atom_entry *entry)
{
	char *tag = NULL;
	struct ii_error err;
	if (entry_tag(host, entry->published, entry->key, &tag, &err)) {
		fo_xml_fail(x, err.code, "%s", err.detail);
		return;
	}
	fo_xml_start(x, "entry");
	if (entry->lang && !language_tag(entry->lang))
		fo_xml_fail(x, II_EDATA, _("invalid language '%s' of entry '%s'"), entry->lang,
			    entry->key);
	/* xml:lang is inherited (XML 1.0 2.12): an entry in the feed's language repeats nothing */
	if (entry->lang && strcmp(entry->lang, FEED_LANG) != 0)
		fo_xml_attr(x, "xml:lang", entry->lang);
	fo_xml_element_required(x, "id", tag);
	fo_xml_element_required(x, "title", entry->title);
	write_time(x, "published", entry->published, entry->key);
	write_time(x, "updated", entry_updated(entry), entry->key);
	fo_xml_start(x, "content");
	fo_xml_attr(x, "type", "text");
	fo_xml_text(x, "content", entry->content);
	fo_xml_end(x);
	for (size_t i = 0; i < entry->n_links; i++)
		write_link(x, &entry->links[i]);
	for (size_t i = 0; i < entry->n_categories; i++) {
		fo_xml_start(x, "category");
		fo_xml_attr(x, "term", entry->categories[i]);
		fo_xml_end(x);
	}
	fo_xml_end(x);
	free(tag);
}

static ii_err check_meta(const struct atom_meta *meta, struct ii_error *e)
{
	if (!meta->file_name || !*meta->file_name)
		return ii_fail(e, II_EDATA, _("missing the feed's file name"));
	if (!meta->title || !meta->author_name)
		return ii_fail(e, II_EDATA, _("missing the title or the author of feed '%s'"),
			       meta->file_name);
	return II_OK;
}

/* The entries to write, newest first, at most max of them. */
static ii_err select_entries(const struct atom_entry *entries, size_t n, size_t max,
			     const struct atom_entry ***out, size_t *kept, struct ii_error *e)
{
	const struct atom_entry **sorted = calloc(n ? n : 1, sizeof *sorted);
	if (!sorted)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < n; i++) {
		if (!entries[i].key) {
			free(sorted);
			return ii_fail(e, II_EDATA, _("missing the key of entry %zu"), i + 1);
		}
		sorted[i] = &entries[i];
	}
	qsort(sorted, n, sizeof *sorted, newest_first);
	*out = sorted;
	*kept = n < max ? n : max;
	return II_OK;
}

ii_err atom_render(const struct atom_meta *meta, const struct atom_entry *entries, size_t n,
		   size_t max_entries, char **out, size_t *len, struct ii_error *e)
{
	ii_err rc = check_meta(meta, e);
	if (rc)
		return rc;
	const struct atom_entry **sorted = NULL;
	size_t kept = 0;
	rc = select_entries(entries, n, max_entries ? max_entries : ATOM_DEFAULT_MAX_ENTRIES,
			    &sorted, &kept, e);
	if (rc)
		return rc;
	char *self = NULL, *host = NULL;
	struct fo_xml *x = NULL;
	if ((rc = fo_url(meta->base_url, meta->file_name, &self, e)) ||
	    (rc = fo_url_host(meta->base_url, &host, e)) || (rc = fo_xml_new(&x, e)))
		goto out;
	time_t updated = meta->empty_updated;
	for (size_t i = 0; i < kept; i++)
		if (i == 0 || entry_updated(sorted[i]) > updated)
			updated = entry_updated(sorted[i]);

	fo_xml_start_ns(x, "feed", ATOM_NS);
	fo_xml_attr(x, "xml:lang", FEED_LANG);
	fo_xml_element_required(x, "id", self);
	fo_xml_element_required(x, "title", meta->title);
	fo_xml_element(x, "rights", meta->rights);
	write_time(x, "updated", updated, meta->file_name);
	fo_xml_start(x, "author");
	fo_xml_element_required(x, "name", meta->author_name);
	fo_xml_element(x, "uri", meta->author_uri);
	fo_xml_end(x);
	write_link(x, &(struct atom_link){.rel = "self", .href = self, .type = ATOM_CONTENT_TYPE});
	write_link(x, &(struct atom_link){.rel = "alternate",
					  .href = meta->site_url ? meta->site_url : meta->base_url,
					  .type = "text/html"});
	fo_xml_element(x, "generator", "incluinfo");
	for (size_t i = 0; i < kept; i++)
		write_entry(x, host, sorted[i]);
	fo_xml_end(x);
	rc = fo_xml_finish(x, out, len, e);
out:
	free(self);
	free(host);
	free(sorted);
	return rc;
}

ii_err atom_write(const char *path, const struct atom_meta *meta,
		  const struct atom_entry *entries, size_t n, size_t max_entries,
		  struct ii_error *e)
{
	char *doc;
	size_t len;
	ii_err rc = atom_render(meta, entries, n, max_entries, &doc, &len, e);
	return rc ? rc : fo_write_file(path, doc, len, e);
}
