#ifndef INCLUINFO_XCHANNEL_H
#define INCLUINFO_XCHANNEL_H
/*
 * X as a publishing channel: the account's credentials (lib/cred) and the API client
 * (lib/xapi) behind struct publish_channel. A struct xchannel is opaque, opened with
 * xchannel_open() and released with xchannel_close(), which wipes the secrets; the
 * channel it gives lives as long as it does.
 */
#include "config.h"
#include "error.h"
#include "publish.h"

/* X's key in the store (the journal and the channel's state) */
#define XCHANNEL_ID "x"

struct xchannel;

/* A line of the request trace (-v); Authorization is already redacted. */
typedef void (*xchannel_trace_fn)(void *ctx, const char *line);

/*
 * Reads [twitter] credentials (II_ECONFIG when missing, unreadable, or readable by group
 * or others) and prepares the client for [twitter] api_url.
 */
ii_err xchannel_open(const struct config *cfg, xchannel_trace_fn trace, void *trace_ctx,
		     struct xchannel **out, struct ii_error *e);
const struct publish_channel *xchannel_channel(struct xchannel *x);
void xchannel_close(struct xchannel *x);
#endif
