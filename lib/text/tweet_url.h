#ifndef INCLUINFO_TWEET_URL_H
#define INCLUINFO_TWEET_URL_H

/*
 * The URLs twitter-text's extractUrlsWithIndices() would find, for lib/tweet.c: spans of
 * UTF-16 code units, in order, not overlapping.
 */

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct tweet_url {
	size_t start, end; /* [start, end) in UTF-16 units */
};

struct tweet_url_list {
	struct tweet_url *items;
	size_t count, cap;
};

ii_err tweet_url_find(const uint16_t *u, size_t n, struct tweet_url_list *out, struct ii_error *e);
void tweet_url_free(struct tweet_url_list *list);

#endif
