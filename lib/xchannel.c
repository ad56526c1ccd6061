#include "i18n.h"
#include "xchannel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cred.h"
#include "notify.h"
#include "text/tweet.h"
#include "xapi.h"

/* How many of the account's latest posts reconciliation reads at most, and per request:
 * X bills every post read, and the post looked for is nearly always among the newest. */
#define RECENT_POSTS 100
#define RECENT_PAGE 10

/* The spending journal's names in the channel's state, with the month: "spent 2026-12". */
#define KEY_SPENT "spent"
#define KEY_READS "reads"
/* X's documented limit of POST /2/tweets when an answer carries no limit header at all:
 * 200 a user in 15 minutes (developer.x.com, "Manage Posts" introduction, as read in
 * December 2026). The 24-hour headers are optional, and absent headers never mean
 * "unlimited". */
#define POST_WINDOW_LIMIT 200
#define POST_WINDOW_S 900

/* The condition (lib/condition's key space) staff hear of when the budget runs short. */
#define BUDGET_CONDITION "x_budget"

struct xchannel {
	const struct config *cfg;
	struct store *store;
	struct cred *cred;
	struct xapi *api;
	struct publish_channel channel;
	char user_id[XAPI_ID_SIZE]; /* asked for once, when reconciliation needs it */
	/* the posts this process made in the window that started at window_start, for an
	 * answer without limit headers */
	time_t window_start;
	long window_posts;
	xchannel_trace_fn trace;
	void *trace_ctx;
};

static void trace_line(enum xapi_trace_kind kind, const char *text, size_t len, void *user)
{
	static const char *const prefixes[] = {
		[XAPI_TRACE_INFO] = "*", [XAPI_TRACE_HEADER_OUT] = ">", [XAPI_TRACE_HEADER_IN] = "<",
		[XAPI_TRACE_BODY_OUT] = "> body", [XAPI_TRACE_BODY_IN] = "< body",
	};
	struct xchannel *x = user;
	char line[2048];
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	snprintf(line, sizeof line, "%s %.*s", prefixes[kind], (int)(len > 1900 ? 1900 : len), text);
	x->trace(x->trace_ctx, line);
}

/* The budget that binds: the endpoint's window, or the day's when it is lower. Without
 * any header, for a post (posting), X's documented window, less the posts this process
 * made in it. */
static void budget(struct xchannel *x, const struct xapi_result *res, bool posting,
		   struct channel_result *r)
{
	const struct xapi_rate *rate = &res->rate;
	r->remaining = rate->window.remaining;
	r->reset = rate->window.reset;
	if (posting && rate->window.remaining < 0 && rate->user_day.remaining < 0 &&
	    rate->app_day.remaining < 0 && res->http_status) {
		time_t now = time(NULL);
		if (now >= x->window_start + POST_WINDOW_S) {
			x->window_start = now;
			x->window_posts = 0;
		}
		x->window_posts += res->committed != XAPI_NOT_COMMITTED;
		r->remaining = x->window_posts < POST_WINDOW_LIMIT ? POST_WINDOW_LIMIT - x->window_posts : 0;
		r->reset = x->window_start + POST_WINDOW_S;
		return;
	}
	const struct xapi_limit *days[] = {&rate->user_day, &rate->app_day};
	for (size_t i = 0; i < 2; i++) {
		if (days[i]->remaining >= 0 && (r->remaining < 0 || days[i]->remaining < r->remaining)) {
			r->remaining = days[i]->remaining;
			r->reset = days[i]->reset;
		}
	}
	if (r->reset < 0)
		r->reset = 0;
}

ii_err xchannel_post_price(const struct config *cfg, const char *text, long *price,
			   bool *with_url, struct ii_error *e)
{
	struct tweet_parse p;
	ii_err rc = tweet_parse(text, strlen(text), &p, e);
	*price = rc ? 0 : p.urls ? cfg->x_cost.post_url : cfg->x_cost.post;
	if (with_url)
		*with_url = rc == II_OK && p.urls;
	return rc;
}

void xchannel_format_usd(long micro, char *out, size_t size)
{
	long cents = micro / 10000, rest = micro % 10000;
	int digits = 4;
	for (; digits > 0 && rest % 10 == 0; digits--)
		rest /= 10;
	if (digits)
		snprintf(out, size, "$%ld.%02ld%0*ld", cents / 100, cents % 100, digits, rest);
	else
		snprintf(out, size, "$%ld.%02ld", cents / 100, cents % 100);
}

static void month_of(time_t now, char month[8])
{
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(month, 8, "%Y-%m", &tm);
}

static ii_err get_amount(struct store *s, const char *name, const char *month, long *out,
			 struct ii_error *e)
{
	char key[32], value[32];
	snprintf(key, sizeof key, "%s %s", name, month);
	ii_err rc = store_channel_get(s, XCHANNEL_ID, key, value, sizeof value, e);
	*out = rc == II_OK && *value ? strtol(value, NULL, 10) : 0;
	return rc;
}

/* Adds amount to the month's name, inside the caller's transaction. */
static ii_err add_amount(struct store *s, const char *name, const char *month, long amount,
			 struct ii_error *e)
{
	long now;
	ii_err rc = get_amount(s, name, month, &now, e);
	char key[32], value[32];
	snprintf(key, sizeof key, "%s %s", name, month);
	snprintf(value, sizeof value, "%ld", now + amount);
	return rc ? rc : store_channel_put(s, XCHANNEL_ID, key, value, e);
}

ii_err xchannel_spend(struct store *store, const struct config *cfg, time_t now,
		      struct xchannel_spend *out, struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	month_of(now, out->month);
	ii_err rc = store ? get_amount(store, KEY_SPENT, out->month, &out->spent, e) : II_OK;
	if (rc == II_OK && store)
		rc = get_amount(store, KEY_READS, out->month, &out->reads, e);
	out->budget = cfg->x_cost.budget;
	out->left = out->budget < 0 ? -1 : out->budget > out->spent ? out->budget - out->spent : 0;
	/* a budget of nothing never starts a thread, and channel_paused says so */
	out->warning = out->budget > 0 && cfg->x_cost.warning > 0
			       ? out->budget * cfg->x_cost.warning / 100 /* CONFIG_USD_MAX * 100 fits */
			       : -1;
	out->low = out->warning >= 0 && out->spent >= out->warning;
	return rc;
}

/* Records what a request cost in a transaction of its own: reads and deletions happen
 * outside publishing's claims. */
static ii_err spend_now(struct xchannel *x, long amount, long reads, struct ii_error *e)
{
	if (!x->store || (!amount && !reads))
		return II_OK;
	char month[8];
	month_of(time(NULL), month);
	ii_err rc = store_begin(x->store, e);
	if (rc)
		return rc;
	rc = add_amount(x->store, KEY_SPENT, month, amount, e);
	if (rc == II_OK && reads)
		rc = add_amount(x->store, KEY_READS, month, reads, e);
	if (rc == II_OK)
		return store_commit(x->store, e);
	store_rollback(x->store);
	return rc;
}

/* The start of the billing month of now, and of the next one. */
static void month_bounds(time_t now, time_t *start, time_t *end)
{
	struct tm tm;
	gmtime_r(&now, &tm);
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	*start = timegm(&tm);
	tm.tm_mon++;
	*end = timegm(&tm);
}

/* Warns the staff once a month (budget_low, keyed by the month) when the spending, with
 * what this claim adds, has reached [twitter] budget_warning percent of the budget: before
 * it runs out, while a person can still raise it or hold drafts back. Raised at every
 * claim past the mark, a no-op after the first, so that spending by reads and deletions,
 * which claim nothing, is caught by the next claim. */
static ii_err warn_if_low(struct xchannel *x, struct store *s, const struct xchannel_spend *before,
			  long added, time_t now, struct ii_error *e)
{
	long spent = before->spent + added;
	if (before->warning < 0 || spent < before->warning)
		return II_OK;
	time_t start, end;
	month_bounds(now, &start, &end);
	char spent_text[32], budget[32], left[32], ends[32], detail[512];
	struct tm tm;
	gmtime_r(&end, &tm);
	strftime(ends, sizeof ends, "%Y-%m-%d %H:%M", &tm);
	xchannel_format_usd(spent, spent_text, sizeof spent_text);
	xchannel_format_usd(before->budget, budget, sizeof budget);
	xchannel_format_usd(before->budget > spent ? before->budget - spent : 0, left, sizeof left);
	snprintf(detail, sizeof detail,
		 _("X has cost %s of its %s monthly budget in %s, %ld %% or more "
		   "(budget_warning): %s is left until the month ends, %s UTC. A thread that the "
		   "rest does not cover waits for the next month; raise [twitter] monthly_budget "
		   "if it should not."),
		 spent_text, budget, before->month, x->cfg->x_cost.warning, left, ends);
	return notify_condition(s, x->cfg, NOTIFY_BUDGET_LOW, BUDGET_CONDITION, detail, start, now, e);
}

/* publish_channel.charge: a thread starts only when the month's budget left covers all
 * its posts, so that it is never cut short for want of money; the staff hear of a thread
 * the budget does not cover once a month. */
static ii_err charge(void *ctx, struct store *s, const char *const texts[], size_t count,
		     bool opens, time_t now, bool *covered, char *why, size_t why_size,
		     struct ii_error *e)
{
	struct xchannel *x = ctx;
	*covered = true;
	struct xchannel_spend spend;
	long first = 0, total = 0;
	ii_err rc = xchannel_spend(s, x->cfg, now, &spend, e);
	for (size_t i = 0; rc == II_OK && i < (opens ? count : 1); i++) {
		long price;
		rc = xchannel_post_price(x->cfg, texts[i], &price, NULL, e);
		total += price;
		if (i == 0)
			first = price;
	}
	if (rc)
		return rc;
	if (opens && spend.budget >= 0 && total > spend.left) {
		*covered = false;
		char cost[32], left[32], budget[32];
		xchannel_format_usd(total, cost, sizeof cost);
		xchannel_format_usd(spend.left, left, sizeof left);
		xchannel_format_usd(spend.budget, budget, sizeof budget);
		snprintf(why, why_size, _("X's monthly budget does not cover the thread: it costs %s, "
					  "and %s of %s is left in %s"),
			 cost, left, budget, spend.month);
		/* the month's start is the occurrence: told once a month */
		time_t start, end;
		month_bounds(now, &start, &end);
		return notify_condition(s, x->cfg, NOTIFY_CHANNEL_PAUSED, BUDGET_CONDITION, why, start,
					now, e);
	}
	rc = add_amount(s, KEY_SPENT, spend.month, first, e);
	return rc ? rc : warn_if_low(x, s, &spend, first, now, e);
}

/* publish_channel.refund: the post's request posted nothing, and X bills nothing for it. */
static ii_err refund(void *ctx, struct store *s, const char *text, time_t now, struct ii_error *e)
{
	struct xchannel *x = ctx;
	long price;
	char month[8];
	month_of(now, month);
	ii_err rc = xchannel_post_price(x->cfg, text, &price, NULL, e);
	return rc ? rc : add_amount(s, KEY_SPENT, month, -price, e);
}

static void translate(struct xchannel *x, const struct xapi_result *res, bool posting,
		      struct channel_result *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->ref, sizeof r->ref, "%s", res->id);
	snprintf(r->detail, sizeof r->detail, "%s", res->detail);
	r->retry_at = res->retry_at;
	budget(x, res, posting, r);
	switch (res->outcome) {
	case XAPI_OK: r->outcome = CHANNEL_DONE; break;
	case XAPI_UNAUTHORIZED: r->outcome = CHANNEL_UNAUTHORIZED; break;
	case XAPI_DUPLICATE: r->outcome = CHANNEL_DUPLICATE; break;
	case XAPI_REPLY_GONE: r->outcome = CHANNEL_REPLY_GONE; break;
	case XAPI_REPLY_REFUSED: r->outcome = CHANNEL_REPLY_REFUSED; break;
	case XAPI_RATE_LIMITED:
	case XAPI_USAGE_CAP: r->outcome = CHANNEL_RATE_LIMITED; break;
	case XAPI_TRANSIENT: r->outcome = CHANNEL_TRANSIENT; break;
	case XAPI_BAD_REQUEST:
	case XAPI_FORBIDDEN:
	case XAPI_NOT_FOUND: r->outcome = CHANNEL_REJECTED; break;
	}
}

/* X has no idempotency key: the key is not sent, and reconciliation finds a post instead;
 * nor a language of the post (X guesses it) */
static ii_err post(void *ctx, const char *text, const char *reply_to, const char *key,
		   const char *language, struct channel_result *r, struct ii_error *e)
{
	(void)key;
	(void)language;
	struct xchannel *x = ctx;
	struct xapi_result res;
	ii_err rc = xapi_post(x->api, text, reply_to, &res, e);
	if (rc == II_OK)
		translate(x, &res, true, r);
	return rc;
}

static ii_err remote_failure(const struct xapi_result *res, const char *doing, struct ii_error *e)
{
	return ii_fail(e, II_EREMOTE, _("cannot %s: %s (%s)"), _(doing), res->detail,
		       xapi_outcome_name(res->outcome));
}

static ii_err find(void *ctx, const char *text, const char *reply_to,
		   struct channel_found found[], size_t *count, struct ii_error *e)
{
	struct xchannel *x = ctx;
	struct xapi_result res;
	ii_err rc = II_OK;
	*count = 0;
	if (!*x->user_id) {
		if ((rc = xapi_me(x->api, &res, e)))
			return rc;
		/* the account is an owned read too */
		if (res.outcome == XAPI_OK && (rc = spend_now(x, x->cfg->x_cost.read, 1, e)))
			return rc;
		if (res.outcome != XAPI_OK)
			return remote_failure(&res, N_("read the account"), e);
		snprintf(x->user_id, sizeof x->user_id, "%s", res.id);
	}
	/* newest first, a page at a time, until a page holds the post: older pages only
	 * hold older copies, which publish would not take */
	char token[sizeof ((struct xapi_timeline *)0)->next_token] = "";
	for (size_t read = 0; rc == II_OK && !*count && read < RECENT_POSTS;) {
		struct xapi_timeline timeline = {0};
		rc = xapi_user_posts(x->api, x->user_id, RECENT_PAGE, *token ? token : NULL, &timeline,
				     &res, e);
		if (rc == II_OK && res.outcome != XAPI_OK)
			rc = remote_failure(&res, N_("read the account's recent posts"), e);
		if (rc == II_OK)
			rc = spend_now(x, (long)timeline.count * x->cfg->x_cost.read, (long)timeline.count, e);
		for (size_t i = 0; rc == II_OK && i < timeline.count && *count < CHANNEL_FIND_MAX; i++) {
			const struct xapi_post *p = &timeline.posts[i];
			if (!strcmp(p->reply_to, reply_to ? reply_to : "") && xapi_text_matches(text, p->text)) {
				snprintf(found[*count].ref, CHANNEL_REF_SIZE, "%s", p->id);
				found[(*count)++].created_at = p->created;
			}
		}
		read += timeline.count;
		snprintf(token, sizeof token, "%s", timeline.next_token);
		xapi_timeline_free(&timeline);
		if (!*token)
			break;
	}
	return rc;
}

static ii_err remove_post(void *ctx, const char *id, struct channel_result *r, struct ii_error *e)
{
	struct xchannel *x = ctx;
	struct xapi_result res;
	ii_err rc = xapi_delete(x->api, id, &res, e);
	if (rc == II_OK)
		translate(x, &res, false, r);
	if (rc == II_OK && res.committed == XAPI_COMMITTED)
		rc = spend_now(x, x->cfg->x_cost.remove, 0, e);
	return rc;
}

static void pause_ms(void *ctx, long ms)
{
	(void)ctx;
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0)
		;
}

ii_err xchannel_open(const struct config *cfg, struct store *store, xchannel_trace_fn trace,
		     void *trace_ctx, struct xchannel **out, struct ii_error *e)
{
	*out = NULL;
	if (!cfg->credentials)
		return ii_fail(e, II_ECONFIG, _("no [twitter] credentials in '%s': publishing needs them"),
			       cfg->path);
	struct xchannel *x = calloc(1, sizeof *x);
	if (!x)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	x->cfg = cfg;
	x->store = store;
	x->trace = trace;
	x->trace_ctx = trace_ctx;
	ii_err rc = cred_load(cfg->credentials, &x->cred, e);
	const struct xapi_options options = {
		.base_url = cfg->api_url,
		.ca_file = cfg->api_ca_file,
		.timeout_ms = cfg->api_timeout_ms,
		.trace = trace ? trace_line : NULL,
		.trace_user = x,
	};
	if (rc == II_OK)
		rc = xapi_new(&options, x->cred, &x->api, e);
	if (rc) {
		xchannel_close(x);
		return rc;
	}
	x->channel = (struct publish_channel){
		.id = XCHANNEL_ID,
		.name = "X",
		.capabilities = CHANNEL_THREADS | CHANNEL_DELETE | CHANNEL_FIND_BY_TEXT,
		.ctx = x, .post = post, .find = find, .remove = remove_post, .pause = pause_ms,
		.charge = charge, .refund = refund,
	};
	*out = x;
	return II_OK;
}

const struct publish_channel *xchannel_channel(struct xchannel *x)
{
	return &x->channel;
}

void xchannel_close(struct xchannel *x)
{
	if (!x)
		return;
	xapi_free(x->api);
	cred_free(x->cred);
	free(x);
}
