#include "feeds.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atom.h"
#include "atomicfile.h"
#include "cap.h"
#include "channels.h"
#include "claimreview.h"
#include "draft.h"
#include "i18n.h"
#include "incident.h"
#include "lang.h"
#include "notice.h"
#include "path.h"
#include "thread.h"
#include "xchannel.h"

/* A published draft, as the feeds show it. */
struct item {
	const struct draft_published *draft;
	cJSON *meta; /* may be NULL */
	char *content; /* the whole text: its meta's, or the posts without " n/N" */
	char *entry_title;
	char x_url[600];
	char channel_urls[FEEDS_CHANNEL_LINKS][600];
	struct atom_link links[1 + FEEDS_CHANNEL_LINKS + NOTICE_MAX_SOURCES];
	size_t n_links;
	const char *categories[1 + NOTICE_MAX_TAGS];
	size_t n_categories;
};

struct items {
	struct draft_published *drafts;
	struct item *v;
	size_t n;
};

static void items_free(struct items *items)
{
	for (size_t i = 0; items->v && i < items->n; i++) {
		cJSON_Delete(items->v[i].meta);
		free(items->v[i].content);
		free(items->v[i].entry_title);
	}
	free(items->v);
	draft_published_free(items->drafts, items->n);
}

static const cJSON *meta_item(const struct item *it, enum draft_meta_key key)
{
	return cJSON_GetObjectItemCaseSensitive(it->meta, draft_meta_key_name(key));
}

static const char *meta_string(const struct item *it, enum draft_meta_key key)
{
	const cJSON *v = meta_item(it, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The incident status the post announced; "investigando" when it says none. */
static enum incident_status meta_status(const struct item *it)
{
	enum incident_status status = INCIDENT_INVESTIGANDO;
	const char *name = meta_string(it, DRAFT_META_STATUS);
	if (name)
		incident_status_parse(name, &status);
	return status;
}

static ii_err load(struct store *s, struct items *out, struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	ii_err rc = draft_published_list(s, XCHANNEL_ID, &out->drafts, &out->n, e);
	if (rc)
		return rc;
	out->v = calloc(out->n + 1, sizeof *out->v);
	if (!out->v) {
		items_free(out);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < out->n; i++) {
		struct item *it = &out->v[i];
		it->draft = &out->drafts[i];
		it->meta = it->draft->meta ? cJSON_Parse(it->draft->meta) : NULL;
		/* the feeds carry the whole text: the cuts and numbers were for X */
		const char *text = meta_string(it, DRAFT_META_TEXT);
		it->content = text ? strdup(text) : thread_unnumbered(it->draft->text);
		if (!it->content) {
			items_free(out);
			return ii_fail(e, II_ENOMEM, _("out of memory"));
		}
	}
	return II_OK;
}

/* The link to the post on X. Made once the items stay where they are: it points into the
 * item itself. */
static void link_to_x(const struct config *cfg, struct item *it)
{
	if (!*it->draft->remote_id ||
	    !channels_post_url(cfg, XCHANNEL_ID, it->draft->remote_id, it->x_url, sizeof it->x_url))
		return;
	it->links[it->n_links++] = (struct atom_link){
		.rel = "alternate", .href = it->x_url, .type = "text/html", .title = "X"};
}

/* A link to the draft's first post on each [channel ID] that has its address, at most
 * FEEDS_CHANNEL_LINKS: "related", since an entry's one "alternate" of type text/html is
 * X's post (RFC 4287, 4.2.7.2). */
static ii_err link_to_channels(struct store *s, const struct config *cfg, struct item *it,
			       struct ii_error *e)
{
	size_t made = 0;
	for (size_t i = 0; i < cfg->channel_count && made < FEEDS_CHANNEL_LINKS; i++) {
		const struct config_channel *c = &cfg->channels[i];
		if (c->type == CONFIG_CHANNEL_X)
			continue;
		struct draft_post *posts;
		size_t count;
		ii_err rc = draft_posts(s, it->draft->uuid, c->id, &posts, &count, e);
		if (rc)
			return rc;
		char *url = it->channel_urls[made];
		if (count && posts[0].state == DRAFT_POST_SENT &&
		    channels_post_url(cfg, c->id, posts[0].remote_id, url, sizeof it->channel_urls[made])) {
			it->links[it->n_links++] = (struct atom_link){
				.rel = "related", .href = url, .type = "text/html",
				.title = c->type == CONFIG_CHANNEL_BLUESKY ? "Bluesky" : "Mastodon"};
			made++;
		}
		draft_posts_free(posts, count);
	}
	return II_OK;
}

static bool is_incident_post(const struct item *it)
{
	return *it->draft->incident || draft_kind_is_maintenance(it->draft->kind);
}

static bool is_notice(const struct item *it)
{
	return it->draft->kind == DRAFT_BULO || it->draft->kind == DRAFT_AVISO;
}

/* "[Resuelto] Sede Electrónica…": the status as a reader scans for it. */
static bool incident_title(struct item *it)
{
	const char *scope = meta_string(it, DRAFT_META_SCOPE);
	const char *status = draft_kind_is_maintenance(it->draft->kind)
				     ? draft_kind_name(DRAFT_MANTENIMIENTO)
				     : incident_status_name(meta_status(it));
	char label[32];
	snprintf(label, sizeof label, "%s", status);
	label[0] = (char)(label[0] >= 'a' && label[0] <= 'z' ? label[0] - 'a' + 'A' : label[0]);
	if (asprintf(&it->entry_title, "[%s] %s", label, scope ? scope : it->draft->title) >= 0)
		return true;
	it->entry_title = NULL;
	return false;
}

/* A rebuttal's title says what it is before the fact, in the notice's language ("Bulo
 * desmentido: …"): a verdict before the fact ("[FALSO] …") reads as the fact's. */
static bool notice_entry(struct item *it)
{
	const char *verdict = meta_string(it, DRAFT_META_VERDICT);
	const char *title = it->draft->title;
	enum lang lang = LANG_ES;
	enum lang_verdict judged;
	const char *code = meta_string(it, DRAFT_META_LANGUAGE);
	if (code)
		lang_parse(code, &lang);
	int rc = verdict && lang_verdict_parse(verdict, &judged)
			 ? asprintf(&it->entry_title, "%s%s", lang_headline(lang, judged), title)
			 : asprintf(&it->entry_title, "%s", title);
	if (rc < 0)
		it->entry_title = NULL;
	if (verdict)
		it->categories[it->n_categories++] = verdict;
	/* a notice has at most NOTICE_MAX_SOURCES sources and NOTICE_MAX_TAGS tags */
	const cJSON *source;
	cJSON_ArrayForEach(source, meta_item(it, DRAFT_META_SOURCES))
		if (cJSON_IsString(source) && it->n_links < sizeof it->links / sizeof *it->links)
			it->links[it->n_links++] = (struct atom_link){.rel = "related",
								     .href = source->valuestring};
	const cJSON *tag;
	cJSON_ArrayForEach(tag, meta_item(it, DRAFT_META_TAGS))
		if (cJSON_IsString(tag) && it->n_categories < sizeof it->categories / sizeof *it->categories)
			it->categories[it->n_categories++] = tag->valuestring;
	return rc >= 0;
}

static struct atom_entry entry_of(const struct item *it)
{
	return (struct atom_entry){
		.key = it->draft->uuid,
		.title = it->entry_title,
		.content = it->content,
		.lang = meta_string(it, DRAFT_META_LANGUAGE),
		.published = it->draft->published,
		.links = it->links,
		.n_links = it->n_links,
		.categories = it->categories,
		.n_categories = it->n_categories,
	};
}

/* A feed's description: its file, and its title after the configured one. */
static struct atom_meta meta_of(const struct config *cfg, const char *file,
				const char *title_suffix, time_t now, char title[256])
{
	snprintf(title, 256, "%s: %s", cfg->feeds.title, title_suffix);
	return (struct atom_meta){
		.base_url = cfg->feeds.base_url,
		.file_name = file,
		.title = title,
		.author_name = cfg->feeds.author,
		.author_uri = cfg->feeds.author_url,
		.rights = cfg->feeds.legal_notice,
		.empty_updated = now,
	};
}

static ii_err write_atom(const char *dir, const struct config *cfg, const char *file,
			 const char *title_suffix, time_t now, const struct atom_entry *entries,
			 size_t n, struct ii_error *e)
{
	char title[256];
	const struct atom_meta meta = meta_of(cfg, file, title_suffix, now, title);
	char *path = path_resolve(dir, file);
	if (!path)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	ii_err rc = atom_write(path, &meta, entries, n, (size_t)cfg->feeds.max_entries, e);
	free(path);
	return rc;
}

/* The channel's named value that holds the id of the latest publication or retraction
 * (draft_audit_last_publication()) the feeds on disk reflect. */
#define KEY_FEEDS_MARK "feeds_mark"

/*
 * Removes the files feeds_dir/sub/NAME+suffix whose NAME is not among the n of keep: what
 * was published and is no longer (a retracted rebuttal's ClaimReview, a retracted
 * incident's CAP messages) leaves the feeds with it.
 */
static ii_err prune(const char *feeds_dir, const char *sub, const char *suffix,
		    const char *const *keep, size_t n, struct ii_error *e)
{
	char *dir = path_resolve(feeds_dir, sub);
	if (!dir)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	ii_err rc = II_OK;
	DIR *d = opendir(dir);
	if (!d && errno != ENOENT)
		rc = ii_fail(e, II_EIO, _("cannot read '%s': %s"), dir, strerror(errno));
	size_t suffix_len = strlen(suffix);
	for (struct dirent *ent; rc == II_OK && d && (ent = readdir(d));) {
		size_t len = strlen(ent->d_name);
		if (len <= suffix_len || strcmp(ent->d_name + len - suffix_len, suffix))
			continue;
		bool kept = false;
		for (size_t i = 0; i < n && !kept; i++)
			kept = strlen(keep[i]) == len - suffix_len &&
			       !strncmp(keep[i], ent->d_name, len - suffix_len);
		char *path = kept ? NULL : path_resolve(dir, ent->d_name);
		if (!kept && !path)
			rc = ii_fail(e, II_ENOMEM, _("out of memory"));
		else if (path && unlink(path) && errno != ENOENT)
			rc = ii_fail(e, II_EIO, _("cannot remove '%s': %s"), path, strerror(errno));
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
	return rc;
}

/* The CAP messages of every incident with published posts, and their index. */
static ii_err write_cap(struct store *s, const struct config *cfg, const struct items *items,
			time_t now, size_t *messages, struct ii_error *e)
{
	struct cap_incident *incidents = calloc(items->n + 1, sizeof *incidents);
	struct cap_post *posts = calloc(items->n + 1, sizeof *posts);
	char **events = calloc(items->n + 1, sizeof *events);
	size_t n = 0, used = 0;
	ii_err rc = incidents && posts && events ? II_OK : ii_fail(e, II_ENOMEM, _("out of memory"));
	for (size_t i = 0; rc == II_OK && i < items->n; i++) {
		const struct item *first = &items->v[i];
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= !strcmp(incidents[k].id, first->draft->incident);
		if (!*first->draft->incident || seen)
			continue;
		struct incident facts;
		bool found;
		rc = incident_get(s, first->draft->incident, &facts, &found, e);
		if (rc || !found)
			continue;
		struct cap_incident *inc = &incidents[n];
		inc->id = first->draft->incident;
		if (asprintf(&events[n], "Incidencia: %s", facts.scope) < 0) {
			events[n] = NULL;
			rc = ii_fail(e, II_ENOMEM, _("out of memory"));
			break;
		}
		inc->event = events[n];
		/* the probed URL may hold tokens: the public one is what readers follow */
		const struct config_service *svc = config_find_service(cfg, facts.service);
		if (svc)
			inc->web = svc->public_url;
		inc->severity = facts.kind == INCIDENT_DEGRADED || facts.kind == INCIDENT_UNSTABLE
					? CAP_SEVERITY_MINOR
					: CAP_SEVERITY_MODERATE;
		inc->posts = &posts[used];
		for (size_t j = i; j < items->n; j++) {
			const struct item *it = &items->v[j];
			if (strcmp(it->draft->incident, first->draft->incident))
				continue;
			posts[used++] = (struct cap_post){
				.sent = it->draft->published,
				.headline = it->entry_title,
				.description = it->content,
				.resolves = meta_status(it) == INCIDENT_RESUELTO,
			};
			inc->n_posts++;
		}
		*messages += inc->n_posts;
		rc = cap_write_incident(cfg->feeds_dir, &(struct cap_sender){cfg->feeds.sender, cfg->feeds.sender_name},
					inc, e);
		n++;
	}
	if (rc == II_OK) {
		char title[256];
		const struct atom_meta meta = meta_of(cfg, CAP_INDEX_FILE, "alertas CAP", now, title);
		rc = cap_write_index(cfg->feeds_dir, &meta, incidents, n, (size_t)cfg->feeds.max_entries, e);
	}
	/* the messages written, by their names */
	char **ids = rc == II_OK ? calloc(used + 1, sizeof *ids) : NULL;
	size_t n_ids = 0;
	if (rc == II_OK && !ids)
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	for (size_t k = 0; rc == II_OK && k < n; k++)
		for (size_t j = 1; rc == II_OK && j <= incidents[k].n_posts; j++)
			if ((rc = cap_identifier(&incidents[k], j, &ids[n_ids], e)) == II_OK)
				n_ids++;
	if (rc == II_OK)
		rc = prune(cfg->feeds_dir, CAP_DIR, ".xml", (const char *const *)ids, n_ids, e);
	for (size_t k = 0; k < n_ids; k++)
		free(ids[k]);
	free(ids);
	for (size_t k = 0; events && k < items->n; k++)
		free(events[k]);
	free(incidents);
	free(posts);
	free(events);
	return rc;
}

static ii_err write_claim_reviews(const struct config *cfg, const struct items *items,
				  size_t *written, struct ii_error *e)
{
	char fallback[1024];
	snprintf(fallback, sizeof fallback, "%s%sdesmentidos/{slug}.jsonld", cfg->feeds.base_url,
		 cfg->feeds.base_url[strlen(cfg->feeds.base_url) - 1] == '/' ? "" : "/");
	const struct claimreview_publisher publisher = {
		.name = cfg->feeds.author,
		.url = cfg->feeds.author_url ? cfg->feeds.author_url : cfg->feeds.base_url,
		.url_template = cfg->feeds.rebuttal_url ? cfg->feeds.rebuttal_url : fallback,
		.legal_notice = cfg->feeds.legal_notice,
	};
	char **slugs = calloc(items->n + 1, sizeof *slugs);
	ii_err rc = slugs ? II_OK : ii_fail(e, II_ENOMEM, _("out of memory"));
	for (size_t i = 0; rc == II_OK && i < items->n; i++) {
		const struct item *it = &items->v[i];
		const char *hoax = meta_string(it, DRAFT_META_HOAX);
		const char *verdict = meta_string(it, DRAFT_META_VERDICT);
		if (it->draft->kind != DRAFT_BULO || !hoax || !verdict)
			continue;
		char *slug;
		if ((rc = claimreview_slug(it->draft->title, &slug, e)))
			break;
		const char *sources[NOTICE_MAX_SOURCES];
		size_t n_sources = 0;
		const cJSON *source;
		cJSON_ArrayForEach(source, meta_item(it, DRAFT_META_SOURCES))
			if (cJSON_IsString(source) && n_sources < NOTICE_MAX_SOURCES)
				sources[n_sources++] = source->valuestring;
		const struct claimreview review = {
			.title = it->entry_title, /* as the Atom entry's: notice_entry() */
			.claim = hoax,
			.verdict = verdict,
			.language = meta_string(it, DRAFT_META_LANGUAGE),
			.slug = slug,
			.published = it->draft->published,
			.sources = sources,
			.n_sources = n_sources,
		};
		rc = claimreview_write(cfg->feeds_dir, &publisher, &review, e);
		if (rc == II_OK)
			slugs[(*written)++] = slug;
		else
			free(slug);
	}
	if (rc == II_OK)
		rc = prune(cfg->feeds_dir, CLAIMREVIEW_DIR, ".jsonld", (const char *const *)slugs,
			   *written, e);
	for (size_t i = 0; slugs && i < *written; i++)
		free(slugs[i]);
	free(slugs);
	return rc;
}

ii_err feeds_write(struct store *s, const struct config *cfg, time_t now,
		   struct feeds_summary *out, struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	if (!cfg->feeds.base_url)
		return ii_fail(e, II_ECONFIG,
			       _("no [feeds] base_url in '%s': the feeds need the address they are served at"),
			       cfg->path);
	long long mark;
	ii_err rc = path_mkdirs(cfg->feeds_dir, 0755, e);
	if (rc == II_OK)
		rc = draft_audit_last_publication(s, &mark, e);
	if (rc)
		return rc;
	struct items items;
	if ((rc = load(s, &items, e)))
		return rc;
	struct atom_entry *incident_entries = calloc(items.n + 1, sizeof *incident_entries);
	struct atom_entry *notice_entries = calloc(items.n + 1, sizeof *notice_entries);
	if (!incident_entries || !notice_entries)
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	for (size_t i = 0; rc == II_OK && i < items.n; i++) {
		struct item *it = &items.v[i];
		link_to_x(cfg, it);
		if ((rc = link_to_channels(s, cfg, it, e)))
			break;
		if (is_incident_post(it)) {
			if (!incident_title(it))
				rc = ii_fail(e, II_ENOMEM, _("out of memory"));
			incident_entries[out->incident_entries++] = entry_of(it);
		} else if (is_notice(it)) {
			if (!notice_entry(it))
				rc = ii_fail(e, II_ENOMEM, _("out of memory"));
			notice_entries[out->notice_entries++] = entry_of(it);
		}
	}
	if (rc == II_OK)
		rc = write_atom(cfg->feeds_dir, cfg, FEEDS_INCIDENTS_FILE, "incidencias", now,
				incident_entries, out->incident_entries, e);
	if (rc == II_OK)
		rc = write_atom(cfg->feeds_dir, cfg, FEEDS_NOTICES_FILE, "avisos y desmentidos", now,
				notice_entries, out->notice_entries, e);
	if (rc == II_OK)
		rc = write_cap(s, cfg, &items, now, &out->cap_messages, e);
	if (rc == II_OK)
		rc = write_claim_reviews(cfg, &items, &out->claim_reviews, e);
	free(incident_entries);
	free(notice_entries);
	items_free(&items);
	char text[32];
	snprintf(text, sizeof text, "%lld", mark);
	return rc ? rc : store_channel_put(s, XCHANNEL_ID, KEY_FEEDS_MARK, text, e);
}

ii_err feeds_tidy(const struct config *cfg, struct ii_error *e)
{
	static const char *const dirs[] = {"", CAP_DIR, CLAIMREVIEW_DIR};
	ii_err rc = II_OK;
	for (size_t i = 0; rc == II_OK && i < sizeof dirs / sizeof *dirs; i++) {
		char *dir = NULL;
		if (asprintf(&dir, "%s/%s", cfg->feeds_dir, dirs[i]) < 0)
			return ii_fail(e, II_ENOMEM, _("out of memory"));
		rc = atomicfile_tidy(dir, e);
		free(dir);
	}
	return rc;
}

ii_err feeds_stale(struct store *s, bool *stale, struct ii_error *e)
{
	char text[32];
	long long latest;
	ii_err rc = store_channel_get(s, XCHANNEL_ID, KEY_FEEDS_MARK, text, sizeof text, e);
	if (rc == II_OK)
		rc = draft_audit_last_publication(s, &latest, e);
	*stale = rc == II_OK && latest > strtoll(text, NULL, 10);
	return rc;
}
