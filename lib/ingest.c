#include "i18n.h"
#include "ingest.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claimreview.h"
#include "cut.h"
#include "feedout.h"
#include "feeds.h"
#include "incident.h"
#include "noticedir.h"
#include "notify.h"
#include "people.h"
#include "xchannel.h"

static const struct config_service *maintained(const struct notice *n, const struct config *cfg)
{
	return n->kind == NOTICE_MANTENIMIENTO ? config_find_service(cfg, n->service) : NULL;
}

ii_err ingest_title(const struct notice *n, const char *path, const struct config *cfg,
		    char **out, struct diag_list *diags, struct ii_error *e)
{
	const struct config_service *svc = maintained(n, cfg);
	int rc;
	if (n->title && n->kind == NOTICE_INCIDENCIA)
		rc = asprintf(out, "%s %s", n->scope, n->title); /* one sentence, as its post */
	else if (n->title)
		rc = asprintf(out, "%s", n->title);
	else if (n->kind == NOTICE_MANTENIMIENTO)
		rc = asprintf(out, "Mantenimiento: %s", svc ? svc->name : n->service);
	else if (n->kind == NOTICE_INCIDENCIA)
		rc = asprintf(out, "%s", n->scope);
	else
		rc = asprintf(out, "%s", notice_kind_name(n->kind));
	if (rc < 0) {
		*out = NULL;
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	if ((size_t)rc < DRAFT_TITLE_SIZE)
		return II_OK;
	free(*out);
	*out = NULL;
	if (diags)
		diag_add(diags, path, n->title_line, _("the draft's title is %d bytes long; at most %d"),
			 rc, DRAFT_TITLE_SIZE - 1);
	return ii_fail(e, II_EDATA, _("%s: the draft's title is %d bytes, over %d"), path, rc,
		       DRAFT_TITLE_SIZE - 1);
}

/* A maintenance notice: the announcement template, then the notice's own paragraphs. */
static ii_err maintenance_thread(const struct notice *n, const struct config_service *svc,
				 const struct messages *messages, const struct counter *counter,
				 struct thread **out, struct ii_error *e)
{
	struct message_window texts;
	struct message_values values;
	messages_window(svc, n->from, n->until, &texts, &values);
	struct thread *announcement;
	ii_err rc = messages_render(messages, MESSAGE_MAINTENANCE_ANNOUNCED, &values, &announcement, e);
	if (rc)
		return rc;
	size_t total = n->paragraph_count + thread_count(announcement), count = 0;
	const char **paragraphs = calloc(total, sizeof *paragraphs);
	int *lines = calloc(total, sizeof *lines);
	if (!paragraphs || !lines) {
		free(paragraphs);
		free(lines);
		thread_free(announcement);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	/* the announcement as one paragraph: a template that fits one post stays one; it has
	 * no line in the notice (0) */
	for (size_t i = 0; i < thread_count(announcement); i++)
		paragraphs[count++] = thread_post(announcement, i);
	for (size_t i = 0; i < n->paragraph_count; i++) {
		lines[count] = n->paragraphs[i].line;
		paragraphs[count++] = n->paragraphs[i].text;
	}
	/* the body keeps its line breaks (list items), as a notice's own thread does; lint
	 * and preview name the line of a paragraph cut inside a sentence */
	struct thread_options options;
	thread_options_init(&options);
	if (counter)
		thread_options_for(&options, counter);
	options.lines = true;
	options.paragraph_lines = lines;
	rc = thread_split(paragraphs, count, &options, out, e);
	free(paragraphs);
	free(lines);
	thread_free(announcement);
	return rc;
}

/* The address of a rebuttal's own page, as its ClaimReview gives it ([feeds]
 * rebuttal_url, the slug of the draft's title); NULL without one. */
/* The page of the notice titled title from template (a [feeds] URL with {slug}), into *out
 * (NULL when template is). */
static ii_err page_of(const char *template, const char *title, char **out, struct ii_error *e)
{
	*out = NULL;
	if (!template)
		return II_OK;
	char *slug;
	ii_err rc = claimreview_slug(title, &slug, e);
	if (rc == II_OK)
		rc = claimreview_url(template, slug, out, e);
	free(slug);
	return rc;
}

static ii_err rebuttal_page(const struct notice *n, const struct config *cfg, const char *title,
			    char **out, struct ii_error *e)
{
	*out = NULL;
	return n->kind == NOTICE_BULO ? page_of(cfg->feeds.rebuttal_url, title, out, e) : II_OK;
}

ii_err ingest_thread(const struct notice *n, const char *path, const struct config *cfg,
		     const struct messages *messages, struct thread **out,
		     struct diag_list *diags, struct ii_error *e)
{
	return ingest_thread_for(n, path, cfg, messages, NULL, out, diags, e);
}

ii_err ingest_thread_for(const struct notice *n, const char *path, const struct config *cfg,
			 const struct messages *messages, const struct counter *counter,
			 struct thread **out, struct diag_list *diags, struct ii_error *e)
{
	*out = NULL;
	/* the notice's own thread first: its errors carry the line they come from */
	struct thread *own;
	char *title, *page = NULL;
	ii_err rc = ingest_title(n, path, cfg, &title, diags, e);
	if (rc == II_OK)
		rc = rebuttal_page(n, cfg, title, &page, e);
	if (rc == II_EDATA)
		diag_add(diags, path, n->title_line, "%s", e->detail);
	free(title);
	if (rc == II_OK)
		rc = notice_thread_for(n, path, page, counter, &own, diags, e);
	free(page);
	if (rc)
		return rc;
	if (n->kind != NOTICE_MANTENIMIENTO) {
		*out = own;
		return II_OK;
	}
	thread_free(own);
	const struct config_service *svc = maintained(n, cfg);
	if (!svc) {
		diag_add(diags, path, 0, _("'servicio': '%s' is not a service configured in '%s'"),
			 n->service, cfg->path);
		return ii_fail(e, II_EDATA, _("%s: 'servicio': '%s' is not a configured service"), path,
			       n->service);
	}
	rc = maintenance_thread(n, svc, messages, counter, out, e);
	if (rc == II_EDATA)
		diag_add(diags, path, 0, "%s", e->detail);
	return rc;
}

/* The kind of draft each type of notice makes. */
static const enum draft_kind draft_kinds[] = {
	[NOTICE_BULO] = DRAFT_BULO,
	[NOTICE_AVISO] = DRAFT_AVISO,
	[NOTICE_INCIDENCIA] = DRAFT_INCIDENCIA,
	[NOTICE_MANTENIMIENTO] = DRAFT_MANTENIMIENTO,
};

static void add_text(cJSON *o, enum draft_meta_key key, const char *text)
{
	if (text)
		cJSON_AddStringToObject(o, draft_meta_key_name(key), text);
}

static void add_list(cJSON *o, enum draft_meta_key key, char *const *items, size_t count)
{
	cJSON *array = cJSON_AddArrayToObject(o, draft_meta_key_name(key));
	for (size_t i = 0; i < count; i++)
		cJSON_AddItemToArray(array, cJSON_CreateString(items[i]));
}

/* The notice's whole text for the feeds: the title (a manual incident's whole headline,
 * as its post reads it: a title alone lacks its subject) and the paragraphs, a blank line
 * between them, never cut into posts. */
static char *whole_text(const struct notice *n)
{
	char *incident = NULL;
	if (n->kind == NOTICE_INCIDENCIA && !(incident = notice_incident_sentence(n)))
		return NULL;
	const char *title = incident ? incident : n->title;
	size_t size = 1 + (title ? strlen(title) + 2 : 0);
	for (size_t i = 0; i < n->paragraph_count; i++)
		size += strlen(n->paragraphs[i].text) + 2;
	char *text = malloc(size), *w = text;
	if (text) {
		*w = '\0';
		if (title)
			w = stpcpy(w, title);
		for (size_t i = 0; i < n->paragraph_count; i++)
			w = stpcpy(stpcpy(w, w == text ? "" : "\n\n"), n->paragraphs[i].text);
	}
	free(incident);
	return text;
}

/* What the feeds need beyond the posts: the verdict in its agreed form, the hoax and
 * where it circulates, the sources, the language and the whole text. */
static char *meta_json(const struct notice *n)
{
	cJSON *o = cJSON_CreateObject();
	char *text = whole_text(n);
	if (!o || !text) {
		cJSON_Delete(o);
		free(text);
		return NULL;
	}
	if (n->kind == NOTICE_BULO)
		add_text(o, DRAFT_META_VERDICT, lang_verdict_name(n->verdict));
	add_text(o, DRAFT_META_HOAX, n->hoax);
	add_text(o, DRAFT_META_ORIGIN, n->origin);
	add_text(o, DRAFT_META_LANGUAGE, lang_code(n->lang));
	add_text(o, DRAFT_META_TEXT, text);
	free(text);
	add_text(o, DRAFT_META_ID, n->id);
	if (n->kind == NOTICE_INCIDENCIA)
		add_text(o, DRAFT_META_STATUS, incident_status_name(n->status));
	add_text(o, DRAFT_META_SCOPE, n->scope);
	add_list(o, DRAFT_META_SOURCES, n->sources, n->source_count);
	add_list(o, DRAFT_META_TAGS, n->tags, n->tag_count);
	char *json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return json;
}

/* What ingest_thread_for() needs, for cut_make(). */
struct notice_cut {
	const struct notice *n;
	const char *path;
	const struct config *cfg;
	const struct messages *messages;
};

static ii_err cut_notice(void *ctx, const struct counter *counter, struct thread **out,
			 struct ii_error *e)
{
	const struct notice_cut *c = ctx;
	/* the error's detail names the network and the word; ingest_file() reports it */
	struct diag_list *scratch = diag_new();
	if (!scratch)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	ii_err rc = ingest_thread_for(c->n, c->path, c->cfg, c->messages, counter, out, scratch, e);
	diag_free(scratch);
	return rc;
}

ii_err ingest_single_post(const struct notice *n, const char *path, const struct config *cfg,
			  char **out, int *length, struct diag_list *diags, struct ii_error *e)
{
	*out = NULL;
	*length = 0;
	char *title, *link = NULL;
	ii_err rc = ingest_title(n, path, cfg, &title, diags, e);
	if (rc)
		return rc;
	/* a page a reader's browser shows, the rebuttal's or the notice's, before the feed */
	rc = n->kind == NOTICE_BULO ? page_of(cfg->feeds.rebuttal_url, title, &link, e)
				    : page_of(cfg->feeds.notice_url, title, &link, e);
	if (rc == II_OK && !link && cfg->feeds.base_url)
		rc = fo_url(cfg->feeds.base_url, FEEDS_NOTICES_FILE, &link, e);
	if (rc == II_OK && link)
		rc = cut_single(title, link, out, length, e);
	if (rc == II_EDATA && diags)
		diag_add(diags, path, n->title_line, "%s", e->detail);
	free(title);
	free(link);
	return rc;
}

/* Brings the draft of n (read from path) up to date, inside the caller's transaction. */
static ii_err ingest_notice(struct store *store, const struct config *cfg,
			    const struct messages *messages, const struct notice *n,
			    const char *name, const char *path,
			    const struct draft_actor *actor, struct ingest_item *out,
			    struct ii_error *e)
{
	char *meta = meta_json(n);
	char *title = NULL, *single = NULL;
	int single_length;
	struct cut cut = {0};
	ii_err rc = II_OK;
	if (!meta) {
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
		goto out;
	}
	if ((rc = ingest_title(n, name, cfg, &title, NULL, e)) ||
	    (rc = ingest_single_post(n, path, cfg, &single, &single_length, NULL, e)))
		goto out;
	struct notice_cut cutting = {n, path, cfg, messages};
	struct draft_spec spec = {
		.kind = draft_kinds[n->kind],
		.title = title,
		.source = name,
		.hash = n->hash,
		.author = n->author,
		.meta = meta,
		.due_at = n->publish_at,
		.expires_at = n->expires_at,
	};
	if ((rc = cut_make(cfg, store, cut_notice, &cutting, single, single_length, &cut, e)) ||
	    (rc = cut_spec(&cut, &spec, e)))
		goto out;
	if (n->kind == NOTICE_MANTENIMIENTO) {
		/* announced aviso_antes before it starts; once it started, "it will not be
		 * available, do your business before" is untrue, and the start post says it */
		time_t announce = n->from - n->announce_before;
		if (announce > spec.due_at)
			spec.due_at = announce;
		if (!spec.expires_at || spec.expires_at > n->from)
			spec.expires_at = n->from;
	}
	rc = draft_ingest(store, &spec, actor, cfg->notices == CONFIG_POLICY_AUTO, &out->change,
			  out->draft, e);
	if (rc == II_OK && out->change == DRAFT_CHANGED_AFTER_PUBLICATION) {
		struct draft d;
		rc = draft_find(store, out->draft, &d, e);
		if (rc == II_OK)
			rc = notify_draft(store, cfg, NOTIFY_NOTICE_CHANGED_AFTER_PUBLICATION, &d, NULL,
					  actor->at, e);
	} else if (rc == II_OK && out->change != DRAFT_SAME) {
		rc = notify_if_waiting(store, cfg, out->draft, actor->at, e);
	}
	if (rc || out->change == DRAFT_SAME || out->change == DRAFT_CHANGED_AFTER_PUBLICATION)
		goto out;
	if (n->kind == NOTICE_MANTENIMIENTO) {
		rc = incident_maintenance_put(store, out->draft, n->service, n->from, n->until, e);
	} else if (n->kind == NOTICE_INCIDENCIA && out->change == DRAFT_NEW) {
		const struct incident_context ctx = {
			.store = store, .cfg = cfg, .messages = messages, .actor = actor, .now = actor->at,
		};
		struct incident inc;
		rc = incident_open_for_draft(&ctx, n->scope, n->status, out->draft, &inc, e);
		if (rc == II_OK)
			memcpy(out->incident, inc.uuid, sizeof inc.uuid);
	}
out:
	cut_free(&cut);
	free(title);
	free(single);
	cJSON_free(meta);
	return rc;
}

/* With people configured, n's autor must name one of them with the author role: the
 * two-person rule compares people, and a name nobody answers to could be anyone. */
static ii_err check_author(const struct notice *n, const char *path, const struct config *cfg,
			   const struct config_person **out, struct diag_list *diags,
			   struct ii_error *e)
{
	if (cfg->person_count == 0)
		return II_OK;
	if (!n->author) {
		diag_add(diags, path, 0,
			 _("missing key 'autor': with [person] sections configured, every notice names "
			   "its author"));
		return ii_fail(e, II_EDATA, _("%s: missing key 'autor'"), path);
	}
	const struct config_person *person;
	ii_err rc = people_by_name(cfg, n->author, &person, e);
	if (rc)
		return rc;
	*out = person;
	if (!person) {
		diag_add(diags, path, n->author_line,
			 _("unknown author '%s': autor names a person of the configuration, by their "
			   "id, name or one of their aliases"),
			 n->author);
		return ii_fail(e, II_EDATA, _("%s: unknown author '%s'"), path, n->author);
	}
	if (!people_has_role(person, CONFIG_ROLE_AUTHOR)) {
		diag_add(diags, path, n->author_line,
			 _("%s (%s) does not have the role 'author' and cannot sign a notice"),
			 person->name, person->id);
		return ii_fail(e, II_EDATA, _("%s: '%s' is not an author"), path, n->author);
	}
	return II_OK;
}

ii_err ingest_read(const char *path, const struct config *cfg, const struct messages *messages,
		   struct notice **notice, struct thread **thread, bool *changing,
		   const struct config_person **author, struct diag_list *diags, struct ii_error *e)
{
	*notice = NULL;
	*thread = NULL;
	const struct config_person *person = NULL;
	char *text;
	size_t len;
	ii_err rc = noticedir_read(path, &text, &len, changing, e);
	if (rc == II_EDATA)
		diag_add(diags, path, 0, _("the file is larger than %u KiB"), NOTICEDIR_MAX_FILE / 1024);
	if (rc || *changing)
		return rc;
	rc = notice_parse(path, text, len, notice, diags, e);
	free(text);
	if (rc == II_OK)
		rc = ingest_thread(*notice, path, cfg, messages, thread, diags, e);
	/* reported beside the thread's problems, which need no people to be found */
	if (*notice) {
		ii_err checked = check_author(*notice, path, cfg, &person, diags, e);
		rc = rc ? rc : checked;
	}
	if (author)
		*author = person;
	if (rc) {
		thread_free(*thread);
		*thread = NULL;
		notice_free(*notice);
		*notice = NULL;
	}
	return rc;
}

/* The name of the notice at path in cfg->notices_dir, as its draft's source; NULL when
 * it is not in there. Freed by the caller. */
static char *notice_name(const struct config *cfg, const char *path)
{
	char *dir = realpath(cfg->notices_dir, NULL), *file = realpath(path, NULL), *name = NULL;
	size_t len = dir ? strlen(dir) : 0;
	if (dir && file && !strncmp(file, dir, len) && file[len] == '/')
		name = strdup(file + len + 1);
	free(dir);
	free(file);
	return name;
}

ii_err ingest_check_repeats(struct store *store, const struct config *cfg, const char *path,
			    const struct thread *thread, struct diag_list *diags, struct ii_error *e)
{
	size_t count = thread_count(thread), n = 0;
	const char **posts = calloc(count ? count : 1, sizeof *posts);
	struct draft_repeat *found = calloc(count ? count : 1, sizeof *found);
	char *name = notice_name(cfg, path);
	ii_err rc = posts && found ? II_OK : ii_fail(e, II_ENOMEM, _("out of memory"));
	for (size_t i = 0; rc == II_OK && i < count; i++)
		posts[i] = thread_post(thread, i);
	if (rc == II_OK)
		rc = draft_find_repeat(store, XCHANNEL_ID, NULL, name, posts, count, found, &n, e);
	for (size_t i = 0; rc == II_OK && i < n; i++) {
		char why[512];
		draft_repeat_describe(&found[i], count, "X", why, sizeof why);
		diag_add(diags, path, 0, "%s", why);
	}
	free(name);
	free(posts);
	free(found);
	if (rc == II_OK && n)
		rc = ii_fail(e, II_EDATA, ngettext("%s: %zu post would repeat one already published",
				      "%s: %zu posts would repeat one already published", n),
			     path, n);
	return rc;
}

/* notice_invalid, once per version of the file: a failure to journal it is the item's
 * error, and the notice stays invalid either way. */
static void tell_invalid(struct store *store, const struct config *cfg, time_t now,
			 struct ingest_item *item)
{
	char *text;
	size_t len;
	bool changing;
	struct ii_error e = {0};
	if (!cfg->notify_count || noticedir_read(item->path, &text, &len, &changing, &e) || changing)
		return;
	char hash[65];
	notice_hash(text, len, hash);
	free(text);
	const char *problem = diag_count(item->diags) ? diag_at(item->diags, 0) : item->error.detail;
	if (notify_notice_invalid(store, cfg, item->path, hash, problem, item->author, now, &e))
		diag_add(item->diags, item->path, 0, "%s", e.detail);
}

/* One notice, in a transaction of its own: a failure leaves the store as it was. */
static void ingest_file(struct store *store, const struct config *cfg,
			const struct messages *messages, const struct draft_actor *actor,
			struct ingest_item *item)
{
	struct notice *n;
	struct thread *thread;
	bool changing;
	struct ii_error *e = &item->error;
	ii_err rc = ingest_read(item->path, cfg, messages, &n, &thread, &changing, &item->author,
				item->diags, e);
	if (rc == II_OK && changing) {
		item->fate = INGEST_RETRY;
		return;
	}
	if (rc == II_OK)
		rc = store_begin(store, e);
	if (rc == II_OK) {
		rc = ingest_notice(store, cfg, messages, n, item->name, item->path, actor, item, e);
		/* what is new or revised is compared with what was published: the same text
		 * would stop its thread midway */
		if (rc == II_OK && item->change != DRAFT_SAME &&
		    item->change != DRAFT_CHANGED_AFTER_PUBLICATION)
			rc = ingest_check_repeats(store, cfg, item->path, thread, item->diags, e);
		if (rc == II_OK)
			rc = store_commit(store, e);
		if (rc) {
			store_rollback(store);
			if (rc == II_EDATA && !diag_count(item->diags))
				diag_add(item->diags, item->path, 0, "%s", e->detail);
		}
	}
	item->fate = rc == II_OK ? INGEST_DRAFTED : rc == II_EDATA ? INGEST_INVALID : INGEST_FAILED;
	item->error.code = rc;
	if (item->fate == INGEST_INVALID)
		tell_invalid(store, cfg, actor->at, item);
	thread_free(thread);
	notice_free(n);
}

ii_err ingest_dir(struct store *store, const struct config *cfg, const struct messages *messages,
		  const struct draft_actor *actor, struct ingest_report *out, struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	size_t count;
	out->refused = diag_new();
	if (!out->refused)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	ii_err rc = noticedir_list(cfg->notices_dir, &out->files, &count, out->refused, e);
	if (rc)
		return rc;
	out->items = calloc(count ? count : 1, sizeof *out->items);
	if (!out->items) {
		noticedir_free(out->files, count);
		out->files = NULL;
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	out->count = count;
	for (size_t i = 0; i < count; i++) {
		out->items[i].name = out->files[i].name;
		out->items[i].path = out->files[i].path;
		out->items[i].diags = diag_new();
		if (!out->items[i].diags)
			return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < count; i++)
		ingest_file(store, cfg, messages, actor, &out->items[i]);
	return II_OK;
}

void ingest_report_free(struct ingest_report *rep)
{
	for (size_t i = 0; i < rep->count; i++)
		diag_free(rep->items[i].diags);
	noticedir_free(rep->files, rep->count);
	free(rep->items);
	diag_free(rep->refused);
	memset(rep, 0, sizeof *rep);
}
