#ifndef INCLUINFO_CHANNELS_H
#define INCLUINFO_CHANNELS_H
/*
 * The channels every draft is published to, as the configuration names them: X ([twitter],
 * or a [channel ID] of type x) and each [channel ID] of another type (lib/mastodon,
 * lib/bluesky). X is
 * one of them when its credentials are configured, and also when no other channel is, so
 * that opening it says what is missing. A struct channels is the caller's, filled by
 * channels_open() and released with channels_close(); the channels it holds live as long
 * as it does.
 */
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "error.h"
#include "publish.h"
#include "text/count.h"
#include "xchannel.h"

/* X and every [channel ID] (config.c allows no more) */
#define CHANNELS_MAX (CONFIG_MAX_CHANNELS + 1)

struct channels {
	const struct config *cfg; /* what they were opened from */
	/* every configured channel's id, in the file's order (X first): a draft's status waits
	 * for each (publish_options' channels) */
	const char *ids[CHANNELS_MAX];
	size_t count;
	/* those that opened, with their settings: opened[i] is ids[index[i]] */
	const struct publish_channel *opened[CHANNELS_MAX];
	long thread_delay_ms[CHANNELS_MAX];
	long timeout_ms[CHANNELS_MAX];
	const char *credentials[CHANNELS_MAX]; /* the file, for messages */
	size_t open_count;
	/* those that did not open, each with why (its lib error) */
	struct ii_error failed[CHANNELS_MAX];
	const char *failed_ids[CHANNELS_MAX];
	size_t failed_count;
	/* what channels_prepare() could not learn, each with why: the channel publishes */
	struct ii_error warnings[CHANNELS_MAX];
	size_t warning_count;
	struct xchannel *x;
	struct mastodon *mastodon[CHANNELS_MAX];
	struct bluesky *bluesky[CHANNELS_MAX];
};

/* A channel a draft is cut for, and how its network counts. */
struct channel_counter {
	const char *id; /* the channel's id, the configuration's (lives as long as cfg) */
	struct counter counter;
};

/*
 * Every channel a draft is cut for, into out, and how many: X always and first (a draft
 * with no channel configured is cut for X, so that preview and lint work without
 * credentials), then each [channel ID] of another type, counted as its type's network
 * (lib/text/count.h): Mastodon with the limits its instance gave, cached in store
 * (mastodon_counter(); store NULL or nothing cached: 500 with links of 23), Bluesky 300.
 * A type no counter knows is left out. II_ESTATE when the store cannot be read.
 */
ii_err channels_counters(const struct config *cfg, struct store *store,
			 struct channel_counter out[CHANNELS_MAX], size_t *count, struct ii_error *e);

/*
 * The public address of post ref on the channel whose id is id, into out (size bytes):
 * X's https://x.com/i/web/status/REF, a Mastodon channel's public_url followed by REF,
 * the Bluesky app's (bluesky_public_url()). False when the channel has none (Mastodon
 * without public_url, an id cfg does not configure) or it does not fit: then out is ""
 * (never a cut address).
 */
bool channels_post_url(const struct config *cfg, const char *id, const char *ref, char *out,
		       size_t size);

/* The ids of the configured channels into out (as channels_open() would list them). */
void channels_ids(const struct config *cfg, struct channels *out);

/*
 * Opens every configured channel: one that cannot be opened (its credentials missing or
 * unsafe, its address refused) is listed in failed and never keeps the others from
 * opening. store (may be NULL) keeps X's spending (lib/xchannel) and Bluesky's session
 * (lib/bluesky). II_OK unless memory ran
 * out (then nothing stays open).
 */
ii_err channels_open(const struct config *cfg, struct store *store, xchannel_trace_fn trace,
		     void *trace_ctx, struct channels *out, struct ii_error *e);

/*
 * Before publishing (not for a dry run, which changes nothing): each opened Mastodon
 * channel reads its instance's limits (mastodon_refresh_limits(), at most once a day) into
 * store, before anything is sent. One that cannot keeps what it knew, or Mastodon's
 * defaults, and publishes; why is added to warnings. An error only when the store fails or
 * memory runs out.
 */
ii_err channels_prepare(struct channels *c, struct store *store, time_t now, struct ii_error *e);
void channels_close(struct channels *c);
#endif
