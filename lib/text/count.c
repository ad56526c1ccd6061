#include "count.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "bsky.h"
#include "i18n.h"
#include "mastodon.h"
#include "tweet.h"

static ii_err measure_x(const struct counter *c, const char *text, size_t len,
			struct count_result *out, struct ii_error *e)
{
	struct tweet_parse p;
	ii_err err = tweet_parse(text, len, &p, e);
	if (err)
		return err;
	*out = (struct count_result){p.weighted_length, p.valid && p.weighted_length <= c->limit};
	return II_OK;
}

static ii_err measure_mastodon(const struct counter *c, const char *text, size_t len,
			       struct count_result *out, struct ii_error *e)
{
	int n;
	ii_err err = mastodon_length(text, len, c->url_length, &n, e);
	if (err)
		return err;
	*out = (struct count_result){n, n <= c->limit};
	return II_OK;
}

static ii_err measure_bsky(const struct counter *c, const char *text, size_t len,
			   struct count_result *out, struct ii_error *e)
{
	char *shown;
	ii_err err = bsky_shorten(text, len, &shown, NULL, e);
	if (err)
		return err;
	size_t bytes = strlen(shown);
	int n = count_graphemes(shown, bytes);
	free(shown);
	*out = (struct count_result){n, n <= c->limit && bytes <= BSKY_MAX_BYTES};
	return II_OK;
}

static const struct network {
	const char *name, *label;
	unsigned caps;
	int limit, url_length;
	ii_err (*measure)(const struct counter *, const char *, size_t, struct count_result *,
			  struct ii_error *);
} networks[COUNT_NETWORKS] = {
	[COUNT_X] = {"x", "X", 0, TWEET_MAX_WEIGHTED_LENGTH, 0, measure_x},
	[COUNT_MASTODON] = {"mastodon", "Mastodon", 0, MASTODON_DEFAULT_LIMIT,
			    MASTODON_DEFAULT_URL_LENGTH, measure_mastodon},
	[COUNT_BLUESKY] = {"bluesky", "Bluesky", COUNT_CAN_FACETS | COUNT_CAN_SHORTEN,
			   BSKY_MAX_GRAPHEMES, 0, measure_bsky},
};

void counter_init(struct counter *c, enum count_network network)
{
	*c = (struct counter){network, networks[network].limit, networks[network].url_length};
}

const char *count_network_name(enum count_network network)
{
	return networks[network].name;
}

const char *count_network_label(enum count_network network)
{
	return networks[network].label;
}

bool count_network_parse(const char *name, enum count_network *out)
{
	for (int i = 0; i < COUNT_NETWORKS; i++) {
		if (strcmp(name, networks[i].name) == 0) {
			*out = (enum count_network)i;
			return true;
		}
	}
	return false;
}

unsigned counter_caps(const struct counter *c)
{
	return networks[c->network].caps;
}

ii_err counter_measure(const struct counter *c, const char *text, size_t len,
		       struct count_result *out, struct ii_error *e)
{
	return networks[c->network].measure(c, text, len, out, e);
}

ii_err counter_display(const struct counter *c, const char *text, size_t len, char **out,
		       struct ii_error *e)
{
	if (counter_caps(c) & COUNT_CAN_SHORTEN)
		return bsky_shorten(text, len, out, NULL, e);
	*out = strndup(text, len);
	return *out ? II_OK : ii_fail(e, II_ENOMEM, _("out of memory"));
}

int count_graphemes(const char *text, size_t len)
{
	int n = 0;
	utf8proc_int32_t prev = -1, state = 0;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0)
			break; /* the callers have checked the text */
		if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state))
			n++;
		prev = cp;
		i += (size_t)k;
	}
	return n;
}

ii_err count_points(const char *text, size_t len, struct count_points *out, struct ii_error *e)
{
	out->cp = malloc((len + 1) * sizeof *out->cp);
	out->at = malloc((len + 1) * sizeof *out->at);
	out->n = 0;
	if (!out->cp || !out->at)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < len;) {
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
						      (utf8proc_ssize_t)(len - i), &out->cp[out->n]);
		if (k <= 0)
			return ii_fail(e, II_EDATA, _("invalid UTF-8 at byte %zu"), i);
		out->at[out->n++] = i;
		i += (size_t)k;
	}
	out->at[out->n] = len;
	out->cp[out->n] = 0;
	return II_OK;
}

void count_points_free(struct count_points *points)
{
	free(points->cp);
	free(points->at);
	*points = (struct count_points){0};
}
