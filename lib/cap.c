#include "cap.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedout.h"
#include "i18n.h"
#include "path.h"

#define CAP_NS "urn:oasis:names:tc:emergency:cap:1.2"

static const char *severity_name(enum cap_severity severity)
{
	switch (severity) {
	case CAP_SEVERITY_MINOR: return "Minor";
	case CAP_SEVERITY_MODERATE: return "Moderate";
	case CAP_SEVERITY_SEVERE: return "Severe";
	case CAP_SEVERITY_EXTREME: return "Extreme";
	case CAP_SEVERITY_UNKNOWN: break;
	}
	return "Unknown";
}

/* CAP 1.2 forbids spaces, commas and the restricted characters '<' and '&' in sender and
 * identifier; an incident id is held to the stricter set a file name also accepts. */
static bool valid_incident_id(const char *id)
{
	return id && *id && strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789-._") == strlen(id) && id[0] != '.';
}

static bool valid_sender(const char *sender)
{
	return sender && *sender && !strpbrk(sender, " \t\r\n,<&");
}

/* fo_time(), but UTC is "-00:00": CAP 1.2 (3.3.2) forbids "+00:00" and "Z". */
static bool cap_time(time_t t, char buf[FO_TIME_SIZE])
{
	if (!fo_time(t, buf))
		return false;
	size_t len = strlen(buf);
	if (len >= 6 && !strcmp(buf + len - 6, "+00:00"))
		buf[len - 6] = '-';
	return true;
}

/* text without its hashtags: a CAP reader is not on X, where they lead somewhere. A
 * hashtag is a word that starts with '#' and a letter, digit or '_'; the space before it
 * goes with it. A new string, NULL when out of memory. */
static char *without_hashtags(const char *text)
{
	char *out = malloc(strlen(text) + 1), *w = out;
	if (!out)
		return NULL;
	for (const char *r = text; *r;) {
		bool word_start = r == text || strchr(" \t\n", r[-1]);
		unsigned char next = (unsigned char)r[1];
		if (word_start && *r == '#' && next && (isalpha(next) || next == '_' || next >= 0x80)) {
			while (w > out && (w[-1] == ' ' || w[-1] == '\t'))
				w--;
			while (*r && !strchr(" \t\n", *r))
				r++;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	/* a text that opened with a hashtag does not open with a space */
	size_t lead = strspn(out, " \t");
	memmove(out, out + lead, strlen(out + lead) + 1);
	return out;
}

ii_err cap_identifier(const struct cap_incident *incident, size_t k, char **out,
		      struct ii_error *e)
{
	if (!valid_incident_id(incident->id))
		return ii_fail(e, II_EDATA, _("invalid incident id '%s'"),
			       incident->id ? incident->id : "");
	if (k < 1 || k > incident->n_posts)
		return ii_fail(e, II_EDATA, _("no post %zu in incident '%s'"), k, incident->id);
	return asprintf(out, "%s-%zu", incident->id, k) < 0
		       ? ii_fail(e, II_ENOMEM, _("out of memory"))
		       : II_OK;
}

/* "sender,identifier,sent" of message j. */
static ii_err reference(const struct cap_sender *sender, const struct cap_incident *incident,
			size_t j, char **out, struct ii_error *e)
{
	char sent[FO_TIME_SIZE], *id;
	if (!cap_time(incident->posts[j - 1].sent, sent))
		return ii_fail(e, II_EDATA, _("invalid time of post %zu of incident '%s'"), j,
			       incident->id);
	ii_err rc = cap_identifier(incident, j, &id, e);
	if (rc)
		return rc;
	rc = asprintf(out, "%s,%s,%s", sender->sender, id, sent) < 0
		     ? ii_fail(e, II_ENOMEM, _("out of memory"))
		     : II_OK;
	free(id);
	return rc;
}

/* The references of message k: every earlier message, oldest first; NULL for k = 1. */
static ii_err references(const struct cap_sender *sender, const struct cap_incident *incident,
			 size_t k, char **out, struct ii_error *e)
{
	*out = NULL;
	size_t len = 0;
	for (size_t j = 1; j < k; j++) {
		char *triple;
		ii_err rc = reference(sender, incident, j, &triple, e);
		if (rc) {
			free(*out);
			return rc;
		}
		size_t add = strlen(triple) + (len ? 1 : 0);
		char *grown = realloc(*out, len + add + 1);
		if (!grown) {
			free(triple);
			free(*out);
			return ii_fail(e, II_ENOMEM, _("out of memory"));
		}
		snprintf(grown + len, add + 1, "%s%s", len ? " " : "", triple);
		free(triple);
		*out = grown;
		len += add;
	}
	return II_OK;
}

static void write_info(struct fo_xml *x, const struct cap_sender *sender,
		       const struct cap_incident *incident, const struct cap_post *post)
{
	char *headline = without_hashtags(post->headline ? post->headline : "");
	char *description = without_hashtags(post->description ? post->description : "");
	if (!headline || !description)
		fo_xml_fail(x, II_ENOMEM, _("out of memory"));
	fo_xml_start(x, "info");
	fo_xml_element(x, "language", "es-ES");
	fo_xml_element(x, "category", "Infra");
	fo_xml_element_required(x, "event", incident->event);
	fo_xml_element(x, "responseType", post->resolves ? "AllClear" : "Monitor");
	fo_xml_element(x, "urgency", post->resolves ? "Past" : "Immediate");
	fo_xml_element(x, "severity", severity_name(incident->severity));
	fo_xml_element(x, "certainty", "Observed");
	fo_xml_element_required(x, "senderName", sender->sender_name);
	fo_xml_element_required(x, "headline", post->headline ? headline : NULL);
	fo_xml_element_required(x, "description", post->description ? description : NULL);
	fo_xml_element(x, "web", incident->web);
	fo_xml_start(x, "area");
	fo_xml_element(x, "areaDesc", "España");
	fo_xml_end(x);
	fo_xml_end(x);
	free(headline);
	free(description);
}

ii_err cap_render(const struct cap_sender *sender, const struct cap_incident *incident,
		  size_t k, char **out, size_t *len, struct ii_error *e)
{
	if (!valid_sender(sender->sender))
		return ii_fail(e, II_EDATA, _("invalid CAP sender '%s'"),
			       sender->sender ? sender->sender : "");
	char *id = NULL, *refs = NULL;
	struct fo_xml *x = NULL;
	ii_err rc;
	if ((rc = cap_identifier(incident, k, &id, e)) ||
	    (rc = references(sender, incident, k, &refs, e)) || (rc = fo_xml_new(&x, e)))
		goto out;
	const struct cap_post *post = &incident->posts[k - 1];
	char sent[FO_TIME_SIZE];
	if (!cap_time(post->sent, sent))
		fo_xml_fail(x, II_EDATA, _("invalid time of post %zu of incident '%s'"), k,
			    incident->id);
	fo_xml_start_ns(x, "alert", CAP_NS);
	fo_xml_element(x, "identifier", id);
	fo_xml_element(x, "sender", sender->sender);
	fo_xml_element(x, "sent", sent);
	fo_xml_element(x, "status", "Actual");
	fo_xml_element(x, "msgType", k == 1 ? "Alert" : "Update");
	fo_xml_element(x, "scope", "Public");
	fo_xml_element(x, "references", refs);
	write_info(x, sender, incident, post);
	fo_xml_end(x);
	rc = fo_xml_finish(x, out, len, e);
out:
	free(id);
	free(refs);
	return rc;
}

/* feeds_dir/cap/NAME, creating feeds_dir/cap when it is missing. */
static ii_err cap_path(const char *feeds_dir, const char *name, char **out, struct ii_error *e)
{
	char *dir;
	if (asprintf(&dir, "%s/%s", feeds_dir, CAP_DIR) < 0)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	ii_err rc = path_mkdirs(dir, 0755, e);
	if (rc == II_OK && asprintf(out, "%s/%s", dir, name) < 0)
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	free(dir);
	return rc;
}

/* doc written to feeds_dir/cap/NAME, then freed. */
static ii_err write_doc(const char *feeds_dir, const char *name, char *doc, size_t len,
			struct ii_error *e)
{
	char *path;
	ii_err rc = cap_path(feeds_dir, name, &path, e);
	if (rc) {
		free(doc);
		return rc;
	}
	rc = fo_write_file(path, doc, len, e);
	free(path);
	return rc;
}

static ii_err write_message(const char *feeds_dir, const struct cap_sender *sender,
			    const struct cap_incident *incident, size_t k, struct ii_error *e)
{
	char *doc, *id, *name;
	size_t len;
	ii_err rc = cap_identifier(incident, k, &id, e);
	if (rc)
		return rc;
	rc = asprintf(&name, "%s.xml", id) < 0 ? ii_fail(e, II_ENOMEM, _("out of memory")) : II_OK;
	free(id);
	if (rc)
		return rc;
	rc = cap_render(sender, incident, k, &doc, &len, e);
	if (rc == II_OK)
		rc = write_doc(feeds_dir, name, doc, len, e);
	free(name);
	return rc;
}

ii_err cap_write_incident(const char *feeds_dir, const struct cap_sender *sender,
			  const struct cap_incident *incident, struct ii_error *e)
{
	ii_err rc = II_OK;
	for (size_t k = 1; rc == II_OK && k <= incident->n_posts; k++)
		rc = write_message(feeds_dir, sender, incident, k, e);
	return rc;
}

/* The strings of one index entry: its key, its URL, and the message's headline and
 * description as the message has them, without hashtags. */
enum { INDEX_KEY, INDEX_URL, INDEX_TITLE, INDEX_CONTENT, INDEX_STRINGS };

/* The Atom entries of the index, with the strings and links they point to. */
struct index {
	struct atom_entry *entries;
	struct atom_link *links; /* one per entry */
	char **strings;          /* INDEX_STRINGS per entry */
	size_t n;
};

static void index_free(struct index *index)
{
	for (size_t i = 0; i < INDEX_STRINGS * index->n; i++)
		free(index->strings[i]);
	free(index->strings);
	free(index->links);
	free(index->entries);
}

static ii_err index_add(struct index *index, const char *base_url,
			const struct cap_incident *incident, size_t k, struct ii_error *e)
{
	char *id, *rel;
	ii_err rc = cap_identifier(incident, k, &id, e);
	if (rc)
		return rc;
	rc = asprintf(&rel, "%s/%s.xml", CAP_DIR, id) < 0 ? ii_fail(e, II_ENOMEM, _("out of memory"))
							    : II_OK;
	free(id);
	if (rc)
		return rc;
	/* the key is the message's path: unique in the index, stable across runs */
	size_t i = index->n++;
	char **strings = &index->strings[INDEX_STRINGS * i];
	strings[INDEX_KEY] = rel;
	rc = fo_url(base_url, rel, &strings[INDEX_URL], e);
	if (rc)
		return rc;
	const struct cap_post *post = &incident->posts[k - 1];
	/* the index speaks as the messages do */
	if ((post->headline && !(strings[INDEX_TITLE] = without_hashtags(post->headline))) ||
	    (post->description && !(strings[INDEX_CONTENT] = without_hashtags(post->description))))
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	index->links[i] = (struct atom_link){
		.rel = "alternate", .href = strings[INDEX_URL], .type = CAP_CONTENT_TYPE};
	index->entries[i] = (struct atom_entry){
		.key = strings[INDEX_KEY], .title = strings[INDEX_TITLE],
		.content = strings[INDEX_CONTENT], .published = post->sent,
		.links = &index->links[i], .n_links = 1};
	return II_OK;
}

static ii_err index_build(const struct atom_meta *meta, const struct cap_incident *incidents,
			  size_t n, struct index *index, struct ii_error *e)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += incidents[i].n_posts;
	*index = (struct index){0};
	index->entries = calloc(total ? total : 1, sizeof *index->entries);
	index->links = calloc(total ? total : 1, sizeof *index->links);
	index->strings = calloc(INDEX_STRINGS * (total ? total : 1), sizeof *index->strings);
	if (!index->entries || !index->links || !index->strings) {
		index_free(index);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < n; i++)
		for (size_t k = 1; k <= incidents[i].n_posts; k++) {
			ii_err rc = index_add(index, meta->base_url, &incidents[i], k, e);
			if (rc) {
				index_free(index);
				return rc;
			}
		}
	return II_OK;
}

ii_err cap_render_index(const struct atom_meta *meta, const struct cap_incident *incidents,
			size_t n, size_t max_entries, char **out, size_t *len,
			struct ii_error *e)
{
	struct index index;
	ii_err rc = index_build(meta, incidents, n, &index, e);
	if (rc)
		return rc;
	struct atom_meta index_meta = *meta;
	index_meta.file_name = CAP_INDEX_FILE;
	rc = atom_render(&index_meta, index.entries, index.n, max_entries, out, len, e);
	index_free(&index);
	return rc;
}

ii_err cap_write_index(const char *feeds_dir, const struct atom_meta *meta,
		       const struct cap_incident *incidents, size_t n, size_t max_entries,
		       struct ii_error *e)
{
	char *doc;
	size_t len;
	ii_err rc = cap_render_index(meta, incidents, n, max_entries, &doc, &len, e);
	return rc ? rc : write_doc(feeds_dir, "index.atom", doc, len, e);
}
