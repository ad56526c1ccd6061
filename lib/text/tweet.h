#ifndef INCLUINFO_TWEET_H
#define INCLUINFO_TWEET_H

/*
 * Post length as X counts it: the rules of twitter-text's configuration v3 (NFC first,
 * weighted code-point ranges, every URL 23, every emoji sequence 2, limit 280), agreeing
 * field by field with twitter-text@3.1.0's parseTweet(). No allocation survives a call:
 * the result is a plain value in the caller's struct. The first call builds the tables
 * of stable characters and URL classes (a few milliseconds, once per process, safely
 * from several threads); after that a post-sized text costs at most the allocation of
 * its list of URLs.
 */

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define TWEET_MAX_WEIGHTED_LENGTH 280

/* parseTweet()'s fields; ranges are in UTF-16 code units of the NFC-normalised text. */
struct tweet_parse {
	int weighted_length;
	bool valid;
	int permillage;
	int valid_range_start;
	int valid_range_end;
	int display_range_start;
	int display_range_end;
	/* the URLs found (extractUrls()'s count, not a parseTweet() field): X bills a post
	 * with one at its "with URL" price */
	int urls;
};

/* Parses len bytes of UTF-8 text. II_EDATA when text is not valid UTF-8 (an error, not a
 * count); II_ENOMEM when normalisation cannot allocate. */
ii_err tweet_parse(const char *text, size_t len, struct tweet_parse *out, struct ii_error *e);

#endif
