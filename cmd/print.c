#include <stdio.h>

#include "incluinfo.h"
#include "text/tweet.h"

void cli_print_post(size_t index, size_t count, const char *text, int weighted_length)
{
	printf("[%zu/%zu] %d/%d\n%s\n\n", index + 1, count, weighted_length,
	       TWEET_MAX_WEIGHTED_LENGTH, text);
}
