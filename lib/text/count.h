#ifndef INCLUINFO_COUNT_H
#define INCLUINFO_COUNT_H

/*
 * How long a post is on each network, as that network counts it, and the longest post it
 * takes: one counter per network, behind one interface, so that lib/thread cuts a notice
 * into a thread that is valid on the channel it is for. A struct counter is a plain value
 * (the network and its parameters); counter_init() gives each network's defaults, and a
 * channel that learns its instance's own figures (Mastodon's GET /api/v2/instance)
 * overwrites them.
 *
 * | network  | unit                           | limit | links                       |
 * |----------|--------------------------------|-------|-----------------------------|
 * | X        | twitter-text v3 weights        | 280   | 23 each (lib/text/tweet.h)  |
 * | Mastodon | extended grapheme clusters     | 500   | url_length (23) each; only  |
 * |          |                                |       | "@user" of "@user@domain"   |
 * | Bluesky  | extended grapheme clusters     | 300   | shown shortened, as the     |
 * |          | (and at most 3000 UTF-8 bytes) |       | official app does           |
 *
 * Each network's rules, and where they come from, are in its header: lib/text/tweet.h,
 * lib/text/mastodon.h, lib/text/bsky.h. Nothing here allocates beyond a call.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum count_network {
	COUNT_X,
	COUNT_MASTODON,
	COUNT_BLUESKY,
};
#define COUNT_NETWORKS 3

/* What a network's counter can do beyond counting (counter_caps()). */
enum {
	/* the network takes links, tags and mentions as facets with byte offsets: Bluesky
	 * (lib/text/bsky.h) */
	COUNT_CAN_FACETS = 1u << 0,
	/* the text shown differs from the text written: links are shortened, and
	 * counter_display() gives what readers see (and what is counted) */
	COUNT_CAN_SHORTEN = 1u << 1,
};

struct counter {
	enum count_network network;
	int limit;      /* the longest post the network takes, in its unit; at least 1 */
	int url_length; /* Mastodon: the length every link counts as (characters_reserved_per_url);
			 * unused elsewhere */
};

struct count_result {
	int length; /* in the network's unit, of the text as shown */
	bool valid; /* the network takes it: within the limit, and nothing else it refuses
		     * (X: U+FEFF, U+FFFE, U+FFFF; Bluesky: more than 3000 bytes) */
};

/* The network's defaults: X 280; Mastodon 500, links 23; Bluesky 300. */
void counter_init(struct counter *c, enum count_network network);

/* "x", "mastodon", "bluesky": the names of --channel and of the JSON output. */
const char *count_network_name(enum count_network network);
/* "X", "Mastodon", "Bluesky": the names people read. */
const char *count_network_label(enum count_network network);
/* The network named name (count_network_name()); false when there is none. */
bool count_network_parse(const char *name, enum count_network *out);

unsigned counter_caps(const struct counter *c);

/* Counts len bytes of UTF-8 text. II_EDATA when it is not valid UTF-8; II_ENOMEM. */
ii_err counter_measure(const struct counter *c, const char *text, size_t len,
		       struct count_result *out, struct ii_error *e);

/* The text as the network's readers will see it (COUNT_CAN_SHORTEN: links shortened;
 * otherwise a copy): a new NUL-terminated string the caller frees. II_EDATA, II_ENOMEM. */
ii_err counter_display(const struct counter *c, const char *text, size_t len, char **out,
		       struct ii_error *e);

/* The number of extended grapheme clusters of len bytes of valid UTF-8 (Unicode's UAX #29
 * as utf8proc implements it); what Mastodon and Bluesky count. */
int count_graphemes(const char *text, size_t len);

/* A text's code points, for the counters that match patterns over them: cp[i] starts at
 * byte at[i]; at[n] is the text's length and cp[n] is 0, what a look past the end sees. */
struct count_points {
	int32_t *cp;
	size_t *at;
	size_t n;
};

/* Decodes len bytes of UTF-8 into *out (release it with count_points_free(), also after
 * an error). II_EDATA when the text is not valid UTF-8 ("invalid UTF-8 at byte N");
 * II_ENOMEM. */
ii_err count_points(const char *text, size_t len, struct count_points *out,
		    struct ii_error *e);
void count_points_free(struct count_points *points);

#endif
