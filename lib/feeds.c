#include "feeds.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atom.h"
#include "cap.h"
#include "claimreview.h"
#include "path.h"
#include "store_sql.h"

/* A published draft, as the feeds show it. */
struct item {
	char uuid[37];
	char kind[32];
	char title[512];
	char incident[37];
	time_t published;
	char remote_id[32];
	char *text;    /* the whole thread, posts separated by blank lines */
	cJSON *meta;   /* may be NULL */
	char entry_title[640];
	char x_url[80];
	struct atom_link links[1 + 16];
	size_t n_links;
	const char *categories[1 + 16];
	size_t n_categories;
};

struct items {
	struct item *v;
	size_t n;
};

static void items_free(struct items *items)
{
	for (size_t i = 0; i < items->n; i++) {
		free(items->v[i].text);
		cJSON_Delete(items->v[i].meta);
	}
	free(items->v);
}

static const char *meta_string(const struct item *it, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(it->meta, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static ii_err load(struct store *s, struct items *out, struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt;
	ii_err rc = store_prepare(s,
				  "SELECT d.uuid, d.kind, d.title, d.incident, d.meta,"
				  " (SELECT min(sent_at) FROM publication WHERE draft = d.uuid AND channel = 'x'),"
				  " (SELECT remote_ref FROM publication WHERE draft = d.uuid AND channel = 'x' AND seq = 0),"
				  " (SELECT group_concat(text, char(10) || char(10)) FROM"
				  "   (SELECT text FROM post WHERE draft = d.uuid ORDER BY seq))"
				  " FROM draft d WHERE d.status = 'published' ORDER BY 6, d.rowid",
				  &stmt, e);
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct item *v = reallocarray(out->v, out->n + 1, sizeof *v);
		if (!v) {
			rc = ii_fail(e, II_ENOMEM, "out of memory");
			break;
		}
		out->v = v;
		struct item *it = &v[out->n++];
		memset(it, 0, sizeof *it);
		store_copy_text(it->uuid, sizeof it->uuid, stmt, 0);
		store_copy_text(it->kind, sizeof it->kind, stmt, 1);
		store_copy_text(it->title, sizeof it->title, stmt, 2);
		store_copy_text(it->incident, sizeof it->incident, stmt, 3);
		const char *meta = (const char *)sqlite3_column_text(stmt, 4);
		it->meta = meta ? cJSON_Parse(meta) : NULL;
		it->published = (time_t)sqlite3_column_int64(stmt, 5);
		store_copy_text(it->remote_id, sizeof it->remote_id, stmt, 6);
		const char *text = (const char *)sqlite3_column_text(stmt, 7);
		if (!(it->text = strdup(text ? text : ""))) {
			rc = ii_fail(e, II_ENOMEM, "out of memory");
			break;
		}
	}
	if (rc == II_OK && step != SQLITE_DONE)
		rc = store_fail(s, e, "read the published drafts");
	sqlite3_finalize(stmt);
	if (rc)
		items_free(out);
	return rc;
}

/* The link to the post on X. Made once the items stay where they are: it points into the
 * item itself. */
static void link_to_x(struct item *it)
{
	if (!*it->remote_id)
		return;
	snprintf(it->x_url, sizeof it->x_url, "https://x.com/i/web/status/%s", it->remote_id);
	it->links[it->n_links++] = (struct atom_link){
		.rel = "alternate", .href = it->x_url, .type = "text/html", .title = "X"};
}

static bool is_incident_post(const struct item *it)
{
	return *it->incident || !strncmp(it->kind, "mantenimiento", 13);
}

static bool is_notice(const struct item *it)
{
	return !strcmp(it->kind, "bulo") || !strcmp(it->kind, "aviso");
}

/* "[Resuelto] Sede Electrónica…": the status as a reader scans for it. */
static void incident_title(struct item *it)
{
	const char *status = meta_string(it, "status");
	const char *scope = meta_string(it, "scope");
	if (!status)
		status = !strncmp(it->kind, "mantenimiento", 13) ? "mantenimiento" : "investigando";
	char label[32];
	snprintf(label, sizeof label, "%s", status);
	label[0] = (char)(label[0] >= 'a' && label[0] <= 'z' ? label[0] - 'a' + 'A' : label[0]);
	snprintf(it->entry_title, sizeof it->entry_title, "[%s] %s", label, scope ? scope : it->title);
}

static void notice_entry(struct item *it)
{
	const char *verdict = meta_string(it, "verdict");
	if (verdict)
		snprintf(it->entry_title, sizeof it->entry_title, "[%s] %s", verdict, it->title);
	else
		snprintf(it->entry_title, sizeof it->entry_title, "%s", it->title);
	if (verdict)
		it->categories[it->n_categories++] = verdict;
	const cJSON *source;
	cJSON_ArrayForEach(source, cJSON_GetObjectItemCaseSensitive(it->meta, "sources"))
		if (cJSON_IsString(source) && it->n_links < sizeof it->links / sizeof *it->links)
			it->links[it->n_links++] = (struct atom_link){.rel = "related",
								     .href = source->valuestring};
	const cJSON *tag;
	cJSON_ArrayForEach(tag, cJSON_GetObjectItemCaseSensitive(it->meta, "tags"))
		if (cJSON_IsString(tag) && it->n_categories < sizeof it->categories / sizeof *it->categories)
			it->categories[it->n_categories++] = tag->valuestring;
}

static struct atom_entry entry_of(const struct item *it)
{
	return (struct atom_entry){
		.key = it->uuid,
		.title = it->entry_title,
		.content = it->text,
		.published = it->published,
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
		return ii_fail(e, II_ENOMEM, "out of memory");
	ii_err rc = atom_write(path, &meta, entries, n, (size_t)cfg->feeds.max_entries, e);
	free(path);
	return rc;
}

struct incident_facts {
	char service[64];
	char kind[16];
	char scope[256];
};

static void read_facts(sqlite3_stmt *stmt, void *record)
{
	struct incident_facts *f = record;
	store_copy_text(f->service, sizeof f->service, stmt, 0);
	store_copy_text(f->kind, sizeof f->kind, stmt, 1);
	store_copy_text(f->scope, sizeof f->scope, stmt, 2);
}

/* The CAP messages of every incident with published posts, and their index. */
static ii_err write_cap(struct store *s, const struct config *cfg, const struct items *items,
			time_t now, size_t *messages, struct ii_error *e)
{
	struct cap_incident *incidents = calloc(items->n + 1, sizeof *incidents);
	struct cap_post *posts = calloc(items->n + 1, sizeof *posts);
	char (*events)[300] = calloc(items->n + 1, sizeof *events);
	char (*webs)[512] = calloc(items->n + 1, sizeof *webs);
	size_t n = 0, used = 0;
	ii_err rc = incidents && posts && events && webs ? II_OK : ii_fail(e, II_ENOMEM, "out of memory");
	for (size_t i = 0; rc == II_OK && i < items->n; i++) {
		const struct item *first = &items->v[i];
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= !strcmp(incidents[k].id, first->incident);
		if (!*first->incident || seen)
			continue;
		struct incident_facts facts;
		bool found;
		rc = store_query_one(s, "SELECT service, kind, coalesce(scope, service) FROM incident WHERE uuid = ?",
				     first->incident, read_facts, &facts, &found, "read an incident", e);
		if (rc || !found)
			continue;
		struct cap_incident *inc = &incidents[n];
		inc->id = first->incident;
		snprintf(events[n], sizeof events[n], "Incidencia: %s", facts.scope);
		inc->event = events[n];
		const struct config_service *svc = config_find_service(cfg, facts.service);
		if (svc) {
			snprintf(webs[n], sizeof webs[n], "%s", svc->url);
			inc->web = webs[n];
		}
		inc->severity = !strcmp(facts.kind, "degraded") || !strcmp(facts.kind, "unstable")
					? CAP_SEVERITY_MINOR
					: CAP_SEVERITY_MODERATE;
		inc->posts = &posts[used];
		for (size_t j = i; j < items->n; j++) {
			const struct item *it = &items->v[j];
			if (strcmp(it->incident, first->incident))
				continue;
			const char *status = meta_string(it, "status");
			posts[used++] = (struct cap_post){
				.sent = it->published,
				.headline = it->entry_title,
				.description = it->text,
				.resolves = status && !strcmp(status, "resuelto"),
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
	free(incidents);
	free(posts);
	free(events);
	free(webs);
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
	};
	ii_err rc = II_OK;
	for (size_t i = 0; rc == II_OK && i < items->n; i++) {
		const struct item *it = &items->v[i];
		const char *hoax = meta_string(it, "hoax"), *verdict = meta_string(it, "verdict");
		if (strcmp(it->kind, "bulo") || !hoax || !verdict)
			continue;
		char *slug;
		if ((rc = claimreview_slug(it->title, &slug, e)))
			break;
		const char *sources[16];
		size_t n_sources = 0;
		const cJSON *source;
		cJSON_ArrayForEach(source, cJSON_GetObjectItemCaseSensitive(it->meta, "sources"))
			if (cJSON_IsString(source) && n_sources < 16)
				sources[n_sources++] = source->valuestring;
		const struct claimreview review = {
			.title = it->title,
			.claim = hoax,
			.verdict = verdict,
			.slug = slug,
			.published = it->published,
			.sources = sources,
			.n_sources = n_sources,
		};
		rc = claimreview_write(cfg->feeds_dir, &publisher, &review, e);
		free(slug);
		if (rc == II_OK)
			++*written;
	}
	return rc;
}

ii_err feeds_write(struct store *s, const struct config *cfg, time_t now,
		   struct feeds_summary *out, struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	if (!cfg->feeds.base_url)
		return ii_fail(e, II_ECONFIG,
			       "no [feeds] base_url in '%s': the feeds need the address they are served at",
			       cfg->path);
	ii_err rc = path_mkdirs(cfg->feeds_dir, 0755, e);
	if (rc)
		return rc;
	struct items items;
	if ((rc = load(s, &items, e)))
		return rc;
	struct atom_entry *incident_entries = calloc(items.n + 1, sizeof *incident_entries);
	struct atom_entry *notice_entries = calloc(items.n + 1, sizeof *notice_entries);
	if (!incident_entries || !notice_entries)
		rc = ii_fail(e, II_ENOMEM, "out of memory");
	for (size_t i = 0; rc == II_OK && i < items.n; i++) {
		struct item *it = &items.v[i];
		link_to_x(it);
		if (is_incident_post(it)) {
			incident_title(it);
			incident_entries[out->incident_entries++] = entry_of(it);
		} else if (is_notice(it)) {
			notice_entry(it);
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
	return rc;
}
