#include "i18n.h"
#include "xchannel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cred.h"
#include "xapi.h"

/* How many of the account's latest posts reconciliation reads. */
#define RECENT_POSTS 100

struct xchannel {
	struct cred *cred;
	struct xapi *api;
	struct publish_channel channel;
	char user_id[XAPI_ID_SIZE]; /* asked for once, when reconciliation needs it */
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

/* The budget that binds: the endpoint's window, or the day's when it is lower. */
static void budget(const struct xapi_rate *rate, struct channel_result *r)
{
	r->remaining = rate->window.remaining;
	r->reset = rate->window.reset;
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

static void translate(const struct xapi_result *res, struct channel_result *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->ref, sizeof r->ref, "%s", res->id);
	snprintf(r->detail, sizeof r->detail, "%s", res->detail);
	r->retry_at = res->retry_at;
	budget(&res->rate, r);
	switch (res->outcome) {
	case XAPI_OK: r->outcome = CHANNEL_DONE; break;
	case XAPI_UNAUTHORIZED: r->outcome = CHANNEL_UNAUTHORIZED; break;
	case XAPI_DUPLICATE: r->outcome = CHANNEL_DUPLICATE; break;
	case XAPI_REPLY_GONE: r->outcome = CHANNEL_REPLY_GONE; break;
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
		translate(&res, r);
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
	ii_err rc;
	*count = 0;
	if (!*x->user_id) {
		if ((rc = xapi_me(x->api, &res, e)))
			return rc;
		if (res.outcome != XAPI_OK)
			return remote_failure(&res, N_("read the account"), e);
		snprintf(x->user_id, sizeof x->user_id, "%s", res.id);
	}
	struct xapi_timeline timeline = {0};
	rc = xapi_user_posts(x->api, x->user_id, RECENT_POSTS, NULL, &timeline, &res, e);
	if (rc == II_OK && res.outcome != XAPI_OK)
		rc = remote_failure(&res, N_("read the account's recent posts"), e);
	for (size_t i = 0; rc == II_OK && i < timeline.count && *count < CHANNEL_FIND_MAX; i++) {
		const struct xapi_post *p = &timeline.posts[i];
		if (!strcmp(p->reply_to, reply_to ? reply_to : "") && xapi_text_matches(text, p->text)) {
			snprintf(found[*count].ref, CHANNEL_REF_SIZE, "%s", p->id);
			found[(*count)++].created_at = p->created;
		}
	}
	xapi_timeline_free(&timeline);
	return rc;
}

static ii_err remove_post(void *ctx, const char *id, struct channel_result *r, struct ii_error *e)
{
	struct xchannel *x = ctx;
	struct xapi_result res;
	ii_err rc = xapi_delete(x->api, id, &res, e);
	if (rc == II_OK)
		translate(&res, r);
	return rc;
}

static void pause_ms(void *ctx, long ms)
{
	(void)ctx;
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0)
		;
}

ii_err xchannel_open(const struct config *cfg, xchannel_trace_fn trace, void *trace_ctx,
		     struct xchannel **out, struct ii_error *e)
{
	*out = NULL;
	if (!cfg->credentials)
		return ii_fail(e, II_ECONFIG, _("no [twitter] credentials in '%s': publishing needs them"),
			       cfg->path);
	struct xchannel *x = calloc(1, sizeof *x);
	if (!x)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
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
