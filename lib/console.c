#include "console.h"
#include "channels.h"

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "draft.h"
#include "health.h"
#include "i18n.h"
#include "incident.h"
#include "text/count.h"
#include "xchannel.h"

const char console_stylesheet[] =
	"body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}\n"
	"header{background:#003366;color:#fff;padding:.5rem 1rem}\n"
	"header a{color:#fff}\n"
	"nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}\n"
	"nav a[aria-current]{font-weight:bold}\n"
	"main{max-width:40rem;margin:0 auto;padding:1rem}\n"
	".notice{border:2px solid #8a4b00;padding:.5rem;background:#fff4e5}\n"
	".post{white-space:pre-wrap;border:1px solid #767676;border-radius:.5rem;padding:.5rem;"
	"margin:0}\n"
	".length{color:#4a4a4a;margin:0 0 1rem}\n"
	".over{color:#a40000;font-weight:bold}\n"
	".diff{white-space:pre-wrap;border:1px solid #767676;padding:.5rem}\n"
	"ins{background:#d8f5dd;color:#0b3d17}\n"
	"del{background:#fde0df;color:#6b0b07}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{border-bottom:1px solid #767676;text-align:left;padding:.25rem}\n"
	"form{margin:1rem 0}\n"
	"textarea{width:100%;box-sizing:border-box}\n"
	"button{font:inherit;padding:.5rem 1rem}\n";

/* ---- building the tree: every text goes in through xmlNodeAddContent(), escaped ---- */

struct page {
	htmlDocPtr doc;
	xmlNodePtr main;
	bool failed; /* out of memory somewhere: the page is not returned */
};

/* A new element name under parent, holding text when it is not NULL. */
static xmlNodePtr el(struct page *p, xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr node = parent ? xmlNewChild(parent, NULL, BAD_CAST name, NULL) : NULL;
	if (!node)
		p->failed = true;
	else if (text)
		xmlNodeAddContent(node, BAD_CAST text);
	return node;
}

static void attr(struct page *p, xmlNodePtr node, const char *name, const char *value)
{
	if (node && !xmlNewProp(node, BAD_CAST name, BAD_CAST value))
		p->failed = true;
}

static void text(xmlNodePtr node, const char *s)
{
	if (node)
		xmlNodeAddContent(node, BAD_CAST s);
}

static void textf(xmlNodePtr node, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void textf(xmlNodePtr node, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	text(node, buf);
}

static xmlNodePtr link_to(struct page *p, xmlNodePtr parent, const char *href, const char *label)
{
	xmlNodePtr a = el(p, parent, "a", label);
	attr(p, a, "href", href);
	return a;
}

/* Local time as the audit trail reads it, "2026-11-28 10:42"; "—" for 0. */
static const char *when(time_t t, char buf[32])
{
	struct tm tm;
	if (!t || !localtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%d %H:%M", &tm))
		return "—";
	return buf;
}

static const struct {
	enum console_page page;
	const char *href;
	const char *label;
} sections[] = {
	{CONSOLE_DRAFTS, "/", N_("Drafts")},
	{CONSOLE_INCIDENTS, "/incidents", N_("Incidents")},
	{CONSOLE_SERVICES, "/services", N_("Services")},
};

/* The document, its head and the header every page shares; current is the section the
 * page belongs to (-1: none). */
static void begin(struct page *p, const struct console_view *view, const char *title, int current)
{
	memset(p, 0, sizeof *p);
	p->doc = htmlNewDocNoDtD(NULL, NULL);
	if (!p->doc || !xmlCreateIntSubset(p->doc, BAD_CAST "html", NULL, NULL)) {
		p->failed = true;
		return;
	}
	xmlNodePtr html = xmlNewDocNode(p->doc, NULL, BAD_CAST "html", NULL);
	if (!html) {
		p->failed = true;
		return;
	}
	xmlDocSetRootElement(p->doc, html);
	/* TRANSLATORS: the language of the console's pages, as HTML's lang attribute says it */
	attr(p, html, "lang", _("en"));
	xmlNodePtr head = el(p, html, "head", NULL);
	attr(p, el(p, head, "meta", NULL), "charset", "utf-8");
	xmlNodePtr viewport = el(p, head, "meta", NULL);
	attr(p, viewport, "name", "viewport");
	attr(p, viewport, "content", "width=device-width, initial-scale=1");
	xmlNodePtr t = el(p, head, "title", title);
	text(t, " — incluinfo");
	xmlNodePtr css = el(p, head, "link", NULL);
	attr(p, css, "rel", "stylesheet");
	attr(p, css, "href", CONSOLE_STYLESHEET_PATH);

	xmlNodePtr body = el(p, html, "body", NULL);
	xmlNodePtr header = el(p, body, "header", NULL);
	xmlNodePtr who = el(p, header, "p", "incluinfo");
	if (view->viewer) {
		text(who, " · ");
		/* TRANSLATORS: the page's header: who is using the console */
		textf(who, _("signed in as %s"), view->viewer);
	}
	xmlNodePtr nav = el(p, header, "nav", NULL);
	attr(p, nav, "aria-label", _("Sections"));
	xmlNodePtr ul = el(p, nav, "ul", NULL);
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
		xmlNodePtr a = link_to(p, el(p, ul, "li", NULL), sections[i].href, _(sections[i].label));
		if ((int)sections[i].page == current)
			attr(p, a, "aria-current", "page");
	}
	p->main = el(p, body, "main", NULL);
	if (view->notice) {
		xmlNodePtr notice = el(p, p->main, "p", view->notice);
		attr(p, notice, "class", "notice");
		attr(p, notice, "role", "status");
	}
	el(p, p->main, "h1", title);
}

static ii_err finish(struct page *p, char **html, size_t *len, struct ii_error *e)
{
	*html = NULL;
	*len = 0;
	xmlChar *mem = NULL;
	int size = 0;
	if (!p->failed)
		htmlDocDumpMemoryFormat(p->doc, &mem, &size, 1);
	xmlFreeDoc(p->doc);
	if (mem && (*html = malloc((size_t)size + 1))) {
		memcpy(*html, mem, (size_t)size);
		(*html)[size] = '\0';
		*len = (size_t)size;
	}
	xmlFree(mem);
	return *html ? II_OK : ii_fail(e, II_ENOMEM, _("out of memory"));
}

/* ---- the pages ---- */

/* A form that posts to action with the CSRF token, the caller adding its fields. */
static xmlNodePtr form(struct page *p, const struct console_view *view, xmlNodePtr parent,
		       const char *action)
{
	xmlNodePtr f = el(p, parent, "form", NULL);
	attr(p, f, "method", "post");
	attr(p, f, "action", action);
	xmlNodePtr token = el(p, f, "input", NULL);
	attr(p, token, "type", "hidden");
	attr(p, token, "name", CONSOLE_CSRF_FIELD);
	attr(p, token, "value", view->csrf ? view->csrf : "");
	return f;
}

/* A channel's thread, each post as that channel's network shows and counts it
 * (lib/text/count.h). */
static void add_thread(struct page *p, xmlNodePtr parent, const struct draft_post *posts,
		       size_t count, const struct counter *c)
{
	xmlNodePtr ol = el(p, parent, "ol", NULL);
	for (size_t i = 0; i < count; i++) {
		xmlNodePtr li = el(p, ol, "li", NULL);
		/* as readers will see it (Bluesky's long links shortened): what is approved */
		char *shown = NULL;
		if (counter_display(c, posts[i].text, strlen(posts[i].text), &shown, NULL))
			p->failed = true;
		attr(p, el(p, li, "p", shown ? shown : posts[i].text), "class", "post");
		free(shown);
		xmlNodePtr length = el(p, li, "p", NULL);
		struct count_result r = {0};
		bool over = counter_measure(c, posts[i].text, strlen(posts[i].text), &r, NULL) || !r.valid;
		/* TRANSLATORS: a post's length as a network counts it, its limit there, and the
		 * network ("231 of 280 characters on X") */
		textf(length, _("%d of %d characters on %s"), r.length, c->limit,
		      count_network_label(c->network));
		attr(p, length, "class", over ? "length over" : "length");
		if (posts[i].state == DRAFT_POST_SENT)
			/* TRANSLATORS: after a post's length: it is already public */
			textf(length, _("; published (%s)"), posts[i].remote_id);
	}
}

static ii_err add_changes(struct page *p, struct store *store, xmlNodePtr parent,
			  const char *uuid, const struct draft_post *posts, size_t count,
			  struct ii_error *e)
{
	el(p, parent, "h2", _("Changes since the previous version"));
	char *previous = NULL;
	ii_err rc = draft_previous_text(store, uuid, &previous, e);
	if (rc)
		return rc;
	if (!previous) {
		el(p, parent, "p", _("This is the first version of the draft."));
		return II_OK;
	}
	size_t size = 1;
	for (size_t i = 0; i < count; i++)
		size += strlen(posts[i].text) + 2;
	char *current = malloc(size);
	if (!current) {
		free(previous);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	*current = '\0';
	for (size_t i = 0; i < count; i++)
		strcat(strcat(current, i ? "\n\n" : ""), posts[i].text);
	struct console_change *changes = NULL;
	size_t n = 0;
	rc = console_diff(previous, current, &changes, &n, e);
	if (rc == II_OK) {
		el(p, parent, "p",
		   _("Removed words are struck through, added words underlined."));
		xmlNodePtr diff = el(p, parent, "p", NULL);
		attr(p, diff, "class", "diff");
		for (size_t i = 0; i < n; i++) {
			char *piece = strndup(changes[i].text, changes[i].len);
			if (!piece) {
				p->failed = true;
				break;
			}
			if (changes[i].kind == CONSOLE_SAME)
				text(diff, piece);
			else
				el(p, diff, changes[i].kind == CONSOLE_ADDED ? "ins" : "del", piece);
			free(piece);
		}
	}
	free(changes);
	free(current);
	free(previous);
	return rc;
}

static ii_err add_audit(struct page *p, struct store *store, xmlNodePtr parent, const char *uuid,
			struct ii_error *e)
{
	el(p, parent, "h2", _("Audit trail"));
	struct draft_audit *entries = NULL;
	size_t count = 0;
	ii_err rc = draft_audit_list(store, uuid, &entries, &count, e);
	if (rc)
		return rc;
	xmlNodePtr ol = el(p, parent, "ol", NULL);
	for (size_t i = 0; i < count; i++) {
		const struct draft_audit *a = &entries[i];
		char at[32];
		/* the audit trail's words as they are stored: tools read them (see log) */
		xmlNodePtr li = el(p, ol, "li", when(a->at, at));
		textf(li, " %s %s", a->action, a->name);
		if (*a->person)
			textf(li, " [%s]", a->person);
		textf(li, " (%s)", *a->identified_by ? a->identified_by : a->os_user);
		if (*a->detail)
			textf(li, ": %s", a->detail);
	}
	free(entries);
	return II_OK;
}

static void add_decision(struct page *p, const struct console_view *view, xmlNodePtr parent,
			 const struct draft *d)
{
	bool can_approve = d->status == DRAFT_PENDING;
	bool can_reject = d->status == DRAFT_PENDING || d->status == DRAFT_APPROVED;
	if (!can_approve && !can_reject)
		return;
	el(p, parent, "h2", _("Decision"));
	char action[80];
	if (can_approve) {
		snprintf(action, sizeof action, "/drafts/%s/approve", d->uuid);
		xmlNodePtr f = form(p, view, parent, action);
		attr(p, el(p, f, "button", _("Approve")), "type", "submit");
	}
	if (can_reject) {
		snprintf(action, sizeof action, "/drafts/%s/reject", d->uuid);
		xmlNodePtr f = form(p, view, parent, action);
		xmlNodePtr label = el(p, f, "label", _("Reason for rejecting it (optional)"));
		attr(p, label, "for", "reason");
		xmlNodePtr reason = el(p, f, "textarea", NULL);
		attr(p, reason, "id", "reason");
		attr(p, reason, "name", CONSOLE_REASON_FIELD);
		attr(p, reason, "rows", "3");
		attr(p, reason, "maxlength", "500");
		attr(p, el(p, f, "button", _("Reject")), "type", "submit");
	}
}

/* A definition list's term and description. */
static void fact(struct page *p, xmlNodePtr dl, const char *term, const char *description)
{
	el(p, dl, "dt", term);
	el(p, dl, "dd", description);
}

static ii_err draft_page(struct page *p, struct store *store, const struct console_view *view,
			 const char *id, struct ii_error *e)
{
	struct draft d;
	ii_err rc = store ? draft_find(store, id, &d, e)
			  : ii_fail(e, II_EDATA, _("no draft with id '%s'"), id);
	if (rc)
		return rc;
	begin(p, view, d.title, -1);
	char at[32];
	xmlNodePtr dl = el(p, p->main, "dl", NULL);
	fact(p, dl, _("Status"), draft_status_label(d.status));
	fact(p, dl, _("Kind"), draft_kind_name(d.kind));
	if (*d.author)
		fact(p, dl, _("Author"), d.author);
	if (*d.source)
		fact(p, dl, _("Notice"), d.source);
	fact(p, dl, _("Last change"), when(d.updated_at, at));
	if (d.due_at)
		fact(p, dl, _("Not before"), when(d.due_at, at));
	if (*d.error)
		fact(p, dl, _("Error"), d.error);

	/* each channel's own thread, cut for it when the draft was made */
	struct channel_counter channels[CHANNELS_MAX];
	size_t n = 0;
	if (rc == II_OK)
		rc = channels_counters(view->cfg, store, channels, &n, e);
	for (size_t c = 0; rc == II_OK && c < n; c++) {
		struct draft_post *posts = NULL;
		size_t count = 0;
		const char *name = count_network_label(channels[c].counter.network);
		rc = draft_posts(store, d.uuid, channels[c].id, &posts, &count, e);
		if (rc == II_OK && !count)
			textf(el(p, p->main, "p", NULL),
			      _("Not published on %s (%s): no thread was cut for it, since it was"
				" configured after the draft was made."),
			      name, channels[c].id);
		if (rc == II_OK && count) {
			textf(el(p, p->main, "h2", NULL), _("The thread as it will be published on %s (%s)"),
			      name, channels[c].id);
			add_thread(p, p->main, posts, count, &channels[c].counter);
		}
		/* a revision's changes, shown once, on X's thread */
		if (rc == II_OK && c == 0)
			rc = add_changes(p, store, p->main, d.uuid, posts, count, e);
		draft_posts_free(posts, count);
	}
	if (rc == II_OK)
		rc = add_audit(p, store, p->main, d.uuid, e);
	if (rc == II_OK)
		add_decision(p, view, p->main, &d);
	return rc;
}

/* A draft's line in a list: its title as a link, then what it is. */
static void draft_item(struct page *p, xmlNodePtr ul, const struct draft *d)
{
	char href[64], at[32];
	snprintf(href, sizeof href, "/drafts/%s", d->uuid);
	xmlNodePtr li = el(p, ul, "li", NULL);
	link_to(p, li, href, d->title);
	textf(li, " — %s, %s, %s", draft_status_label(d->status), draft_kind_name(d->kind),
	      when(d->updated_at, at));
	if (*d->author)
		textf(li, ", %s", d->author);
}

static ii_err drafts_page(struct page *p, struct store *store, const struct console_view *view,
			  struct ii_error *e)
{
	begin(p, view, _("Drafts waiting"), CONSOLE_DRAFTS);
	struct draft *list = NULL;
	size_t count = 0;
	ii_err rc = store ? draft_list(store, false, &list, &count, e) : II_OK;
	if (rc)
		return rc;
	if (!count)
		el(p, p->main, "p", _("No draft is waiting."));
	xmlNodePtr ul = count ? el(p, p->main, "ul", NULL) : NULL;
	for (size_t i = count; i-- > 0;) /* the list is oldest first */
		draft_item(p, ul, &list[i]);
	free(list);
	return II_OK;
}

static ii_err incidents_page(struct page *p, struct store *store, const struct console_view *view,
			     struct ii_error *e)
{
	begin(p, view, _("Incidents"), CONSOLE_INCIDENTS);
	struct incident *items = NULL;
	struct draft *drafts = NULL;
	size_t count = 0, draft_count = 0;
	ii_err rc = store ? incident_list(store, true, &items, &count, e) : II_OK;
	if (rc == II_OK && store)
		rc = draft_list(store, true, &drafts, &draft_count, e);
	if (rc == II_OK && !count)
		el(p, p->main, "p", _("No incident so far."));
	for (size_t i = count; rc == II_OK && i-- > 0;) {
		const struct incident *in = &items[i];
		char opened[32], resolved[32];
		el(p, p->main, "h2", in->scope);
		xmlNodePtr dl = el(p, p->main, "dl", NULL);
		fact(p, dl, _("Kind"), incident_kind_label(in->kind));
		fact(p, dl, _("Status"), incident_status_name(in->status));
		if (*in->service)
			fact(p, dl, _("Service"), in->service);
		fact(p, dl, _("Opened"), when(in->opened_at, opened));
		fact(p, dl, _("Resolved"), in->resolved_at ? when(in->resolved_at, resolved) : _("not yet"));
		xmlNodePtr ul = NULL;
		for (size_t j = 0; j < draft_count; j++) {
			if (strcmp(drafts[j].incident, in->uuid))
				continue;
			if (!ul) {
				el(p, p->main, "h3", _("Its thread"));
				ul = el(p, p->main, "ul", NULL);
			}
			draft_item(p, ul, &drafts[j]);
		}
	}
	free(items);
	free(drafts);
	return rc;
}

static ii_err services_page(struct page *p, struct store *store, const struct console_view *view,
			    struct ii_error *e)
{
	begin(p, view, _("Services"), CONSOLE_SERVICES);
	xmlNodePtr table = el(p, p->main, "table", NULL);
	el(p, table, "caption", _("Each service's confirmed state and its last check"));
	xmlNodePtr row = el(p, el(p, table, "thead", NULL), "tr", NULL);
	const char *heads[] = {_("Service"), _("State"), _("Since"), _("Last check"), _("Result")};
	for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
		attr(p, el(p, row, "th", heads[i]), "scope", "col");
	xmlNodePtr body = el(p, table, "tbody", NULL);
	ii_err rc = II_OK;
	for (size_t i = 0; rc == II_OK && i < view->cfg->service_count; i++) {
		const struct config_service *svc = &view->cfg->services[i];
		struct store_service v = {0};
		bool found = false;
		if (store)
			rc = store_service_get(store, svc->id, &v, &found, e);
		char since[32], last[32];
		row = el(p, body, "tr", NULL);
		attr(p, el(p, row, "th", svc->name), "scope", "row");
		el(p, row, "td", found ? health_label(v.health.state) : health_label(HEALTH_UNKNOWN));
		el(p, row, "td", found ? when(v.health.since, since) : "—");
		el(p, row, "td", found ? when(v.last_check, last) : _("never"));
		xmlNodePtr result = el(p, row, "td", found && v.last_check ? health_label(v.last_result) : "—");
		if (found && *v.last_reason)
			textf(result, " (%s)", v.last_reason);
	}
	return rc;
}

ii_err console_page(struct store *store, const struct console_view *view, enum console_page page,
		    const char *id, char **html, size_t *len, struct ii_error *e)
{
	struct page p = {0};
	ii_err rc = II_OK;
	switch (page) {
	case CONSOLE_DRAFTS: rc = drafts_page(&p, store, view, e); break;
	case CONSOLE_DRAFT: rc = draft_page(&p, store, view, id, e); break;
	case CONSOLE_INCIDENTS: rc = incidents_page(&p, store, view, e); break;
	case CONSOLE_SERVICES: rc = services_page(&p, store, view, e); break;
	}
	if (rc) {
		xmlFreeDoc(p.doc);
		return rc;
	}
	return finish(&p, html, len, e);
}

ii_err console_message_page(const struct console_view *view, const char *title, const char *says,
			    char **html, size_t *len, struct ii_error *e)
{
	struct page p;
	begin(&p, view, title, -1);
	el(&p, p.main, "p", says);
	return finish(&p, html, len, e);
}

/* ---- the difference of two texts ---- */

struct words {
	const char **at;
	size_t *len;
	size_t count;
};

/* Each word of s with the white space after it (and any before the first). */
static bool split_words(const char *s, struct words *w)
{
	size_t n = 0;
	for (const char *c = s; *c;) {
		c += strcspn(c, " \t\n");
		c += strspn(c, " \t\n");
		n++;
	}
	w->count = 0;
	w->at = malloc((n ? n : 1) * sizeof *w->at);
	w->len = malloc((n ? n : 1) * sizeof *w->len);
	if (!w->at || !w->len)
		return false;
	for (const char *c = s; *c; w->count++) {
		const char *start = c;
		c += strcspn(c, " \t\n");
		c += strspn(c, " \t\n");
		w->at[w->count] = start;
		w->len[w->count] = (size_t)(c - start);
	}
	return true;
}

static bool same_word(const struct words *a, size_t i, const struct words *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->at[i], b->at[j], a->len[i]);
}

/* Adds a piece, joined to the last one when it is of the same kind and follows it. */
static void push(struct console_change *out, size_t *count, int kind, const char *at, size_t len)
{
	struct console_change *last = *count ? &out[*count - 1] : NULL;
	if (last && (int)last->kind == kind && last->text + last->len == at)
		last->len += len;
	else
		out[(*count)++] = (struct console_change){.kind = kind, .text = at, .len = len};
}

ii_err console_diff(const char *old, const char *new, struct console_change **out,
		    size_t *count, struct ii_error *e)
{
	*out = NULL;
	*count = 0;
	struct words a = {0}, b = {0};
	uint16_t *lcs = NULL;
	ii_err rc = II_OK;
	if (!split_words(old, &a) || !split_words(new, &b) ||
	    !(*out = malloc((a.count + b.count + 1) * sizeof **out))) {
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
		goto done;
	}
	size_t n = a.count, m = b.count;
	bool bounded = n <= CONSOLE_DIFF_MAX_WORDS && m <= CONSOLE_DIFF_MAX_WORDS;
	/* lcs[i][j]: the longest common subsequence of a's words from i and b's from j */
	if (bounded && !(lcs = calloc((n + 1) * (m + 1), sizeof *lcs))) {
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
		goto done;
	}
#define L(i, j) lcs[(i) * (m + 1) + (j)]
	for (size_t i = n; bounded && i-- > 0;)
		for (size_t j = m; j-- > 0;)
			L(i, j) = same_word(&a, i, &b, j) ? L(i + 1, j + 1) + 1
				  : L(i + 1, j) >= L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
	size_t i = 0, j = 0;
	while (bounded && i < n && j < m) {
		if (same_word(&a, i, &b, j)) {
			push(*out, count, CONSOLE_SAME, a.at[i], a.len[i]);
			i++, j++;
		} else if (L(i + 1, j) >= L(i, j + 1)) {
			push(*out, count, CONSOLE_REMOVED, a.at[i], a.len[i]);
			i++;
		} else {
			push(*out, count, CONSOLE_ADDED, b.at[j], b.len[j]);
			j++;
		}
	}
#undef L
	for (; i < n; i++)
		push(*out, count, CONSOLE_REMOVED, a.at[i], a.len[i]);
	for (; j < m; j++)
		push(*out, count, CONSOLE_ADDED, b.at[j], b.len[j]);
done:
	free(lcs);
	free(a.at);
	free(a.len);
	free(b.at);
	free(b.len);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}
