#include "cut.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* The single post of a headline of len bytes, "…" after it when cut, and link. */
static char *single_text(const char *headline, size_t len, bool cut, const char *link)
{
	char *text;
	return asprintf(&text, "%.*s%s\n%s", (int)len, headline, cut ? "…" : "", link) < 0 ? NULL
											   : text;
}

ii_err cut_single(const char *headline, const char *link, char **out, int *length,
		  struct ii_error *e)
{
	*out = NULL;
	struct counter x;
	counter_init(&x, COUNT_X);
	size_t len = strlen(headline);
	for (bool cut = false;; cut = true) {
		char *text = single_text(headline, len, cut, link);
		if (!text)
			return ii_fail(e, II_ENOMEM, _("out of memory"));
		struct count_result r;
		ii_err rc = counter_measure(&x, text, strlen(text), &r, e);
		if (rc == II_OK && r.valid) {
			*out = text;
			*length = r.length;
			return II_OK;
		}
		free(text);
		if (rc)
			return rc;
		/* back to the last space before len, and the spaces before it */
		while (len > 0 && headline[len - 1] != ' ')
			len--;
		while (len > 0 && headline[len - 1] == ' ')
			len--;
		if (len == 0)
			return ii_fail(e, II_EDATA, _("the title and the link '%s' do not fit in a post on X, even with the title cut at a word"),
				       link);
	}
}

void cut_free(struct cut *c)
{
	for (size_t i = 0; i < c->count; i++) {
		thread_free(c->threads[i]);
		free(c->posts[i]);
		free(c->lengths[i]);
	}
	free(c->single);
	memset(c, 0, sizeof *c);
}

ii_err cut_make(const struct config *cfg, struct store *store, cut_fn fn, void *ctx,
		const char *single, int single_length, struct cut *out, struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	ii_err rc = channels_counters(cfg, store, out->channels, &out->count, e);
	for (size_t i = 0; rc == II_OK && i < out->count; i++)
		rc = fn(ctx, &out->channels[i].counter, &out->threads[i], e);
	if (rc == II_OK && single && !(out->single = strdup(single)))
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	out->single_length = single_length;
	out->x_single = rc == II_OK && out->single && cfg->x_thread_mode == CONFIG_THREAD_SINGLE &&
			thread_count(out->threads[0]) > 1;
	if (rc)
		cut_free(out);
	return rc;
}

ii_err cut_spec(struct cut *c, struct draft_spec *spec, struct ii_error *e)
{
	for (size_t i = 0; i < c->count; i++) {
		size_t n = thread_count(c->threads[i]);
		if (!(c->posts[i] = calloc(n, sizeof *c->posts[i])) ||
		    !(c->lengths[i] = calloc(n, sizeof *c->lengths[i])))
			return ii_fail(e, II_ENOMEM, _("out of memory"));
		for (size_t k = 0; k < n; k++) {
			c->posts[i][k] = thread_post(c->threads[i], k);
			c->lengths[i][k] = thread_post_length(c->threads[i], k);
		}
		c->others[i] = (struct draft_thread){c->channels[i].id, c->posts[i], c->lengths[i], n};
	}
	spec->posts = c->posts[0];
	spec->lengths = c->lengths[0];
	spec->post_count = c->others[0].post_count;
	if (c->x_single) {
		spec->posts = (const char *const *)&c->single;
		spec->lengths = &c->single_length;
		spec->post_count = 1;
	}
	spec->threads = c->others + 1;
	spec->thread_count = c->count - 1;
	spec->single_text = c->single;
	spec->single_length = c->single_length;
	return II_OK;
}
