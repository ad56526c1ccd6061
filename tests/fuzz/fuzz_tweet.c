/*
 * libFuzzer target of the post counter: any bytes counted by tweet_parse, and what it
 * says of valid UTF-8 held to parseTweet()'s invariants.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "text/tweet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tweet_parse t;
	struct ii_error e;
	if (tweet_parse((const char *)data, size, &t, &e) != II_OK)
		return 0;
	if (t.weighted_length < 0 || t.permillage < 0 ||
	    (t.valid && (t.weighted_length == 0 || t.weighted_length > TWEET_MAX_WEIGHTED_LENGTH)) ||
	    t.display_range_start > t.display_range_end || t.valid_range_start > t.valid_range_end ||
	    t.valid_range_end > t.display_range_end)
		abort();
	return 0;
}
