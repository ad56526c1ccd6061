#ifndef INCLUINFO_XCHANNEL_H
#define INCLUINFO_XCHANNEL_H
/*
 * X as a publishing channel: the account's credentials (lib/cred) and the API client
 * (lib/xapi) behind struct publish_channel. A struct xchannel is opaque, opened with
 * xchannel_open() and released with xchannel_close(), which wipes the secrets; the
 * channel it gives lives as long as it does.
 */
#include <stdbool.h>
#include <time.h>

#include "config.h"
#include "error.h"
#include "publish.h"
#include "store.h"

/* X's key in the store (the journal and the channel's state) */
#define XCHANNEL_ID "x"

struct xchannel;

/* A line of the request trace (-v); Authorization is already redacted. */
typedef void (*xchannel_trace_fn)(void *ctx, const char *line);

/*
 * Reads [twitter] credentials (II_ECONFIG when missing, unreadable, or readable by group
 * or others) and prepares the client for [twitter] api_url. store (borrowed, outliving
 * the channel) receives what the account spends (xchannel_spend()): every post as it is
 * claimed for sending, given back when its request certainly posted nothing, every post
 * read while reconciling and every deletion once X answers.
 */
ii_err xchannel_open(const struct config *cfg, struct store *store, xchannel_trace_fn trace,
		     void *trace_ctx, struct xchannel **out, struct ii_error *e);
const struct publish_channel *xchannel_channel(struct xchannel *x);
void xchannel_close(struct xchannel *x);

/*
 * What X bills for publishing text, in micro-dollars: [twitter] price_post_url when
 * twitter-text finds a URL in it (as X's "Content: Create (with URL)"; *with_url, when
 * not NULL, says so), else price_post. II_EDATA when text is not valid UTF-8.
 */
ii_err xchannel_post_price(const struct config *cfg, const char *text, long *price,
			   bool *with_url, struct ii_error *e);

/* The account's spending in one billing month, a calendar month in UTC. */
struct xchannel_spend {
	char month[8]; /* "2026-12" */
	long spent;    /* micro-dollars: posts, reads and deletions */
	long reads;    /* posts (and the account itself) read */
	long budget;   /* [twitter] monthly_budget, -1: none */
	long left;     /* budget - spent, at least 0; -1 without a budget */
	long warning;  /* the spending staff are warned at, [twitter] budget_warning percent of
			* budget; -1 without a budget or a warning */
	bool low;      /* spent has reached warning: staff were warned this month (budget_low,
			* raised in the claim that crossed it, see publish_channel.charge) */
};
/* The month of now as the store's journal has it: zero before anything was spent, and
 * with store NULL (no database yet). */
ii_err xchannel_spend(struct store *store, const struct config *cfg, time_t now,
		      struct xchannel_spend *out, struct ii_error *e);

/* micro-dollars as people read them: "$0.015", "$0.20", "$12.50" (two decimals at least,
 * more only where they are not zero), whatever the locale. */
void xchannel_format_usd(long micro, char *out, size_t size);
#endif
