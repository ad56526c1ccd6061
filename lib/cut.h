#ifndef INCLUINFO_CUT_H
#define INCLUINFO_CUT_H
/*
 * A draft's threads, one per channel it is cut for (channels_counters(): X always, then
 * every other configured channel), each cut by that channel's counter when the draft is
 * made, so that what is approved is what each network shows and nothing is cut at
 * publication; and its single post, the headline and a link to the whole text, which is
 * X's whole thread under thread_mode = single and takes the place of a thread's rest
 * when a channel refuses to continue it (lib/publish, CHANNEL_REPLY_REFUSED). A struct cut
 * is the caller's: cut_make() fills it, cut_spec() lends its threads to a draft_spec, and
 * cut_free() releases everything.
 */
#include <stdbool.h>
#include <stddef.h>

#include "channels.h"
#include "config.h"
#include "draft.h"
#include "error.h"
#include "thread.h"

/* Cuts a draft's text for counter's network into *out (a thread the caller frees). */
typedef ii_err (*cut_fn)(void *ctx, const struct counter *counter, struct thread **out,
			 struct ii_error *e);

struct cut {
	struct channel_counter channels[CHANNELS_MAX]; /* X first */
	struct thread *threads[CHANNELS_MAX];
	size_t count;
	char *single;      /* the single post; NULL: no link to give */
	int single_length; /* on X */
	bool x_single;     /* X's thread is the single post (thread_mode = single) */
	/* cut_spec()'s views */
	const char **posts[CHANNELS_MAX];
	int *lengths[CHANNELS_MAX];
	struct draft_thread others[CHANNELS_MAX];
};

/*
 * Cuts with fn (given ctx) for every channel of cfg (with the limits cached in store, which
 * may be NULL: channels_counters()), keeping a copy of single, the draft's
 * single post (cut_single(); NULL: none), of single_length on X. Under cfg's X thread_mode
 * single, X's thread of more than one post becomes the single post; a thread of one post
 * is whole already and stays. The error of the first cut that fails (II_EDATA: the text
 * does not fit that network, saying which), II_ENOMEM; then nothing is left to free.
 */
ii_err cut_make(const struct config *cfg, struct store *store, cut_fn fn, void *ctx,
		const char *single,
		int single_length, struct cut *out, struct ii_error *e);
/* Fills spec's threads (posts, lengths, post_count: X's; threads: the others) and single
 * post with views of c, valid until cut_free(c). II_ENOMEM. */
ii_err cut_spec(struct cut *c, struct draft_spec *spec, struct ii_error *e);
void cut_free(struct cut *c);

/*
 * The single post: headline, a line break and link, within X's 280 (links count 23, as
 * twitter-text counts them): a longer headline is cut at the last space that lets it fit,
 * ending in "…". A new string the caller frees into *out, with its length on X into
 * *length. The words are the headline's own, so the post is in the notice's language.
 * II_EDATA when the link alone does not fit or the text is not UTF-8; II_ENOMEM.
 */
ii_err cut_single(const char *headline, const char *link, char **out, int *length,
		  struct ii_error *e);
#endif
