#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "incluinfo.h"
#include "text/tweet.h"
#include "channels.h"

static void print_text(const struct draft *d, const struct draft_post *posts, size_t count)
{
	char when[32];
	/* TRANSLATORS: the labels of show's first lines are aligned: give them one width */
	printf(_("id:      %s\n"), d->uuid);
	printf(_("kind:    %s\n"), draft_kind_name(d->kind));
	printf(_("title:   %s\n"), d->title);
	printf(_("status:  %s%s\n"), draft_status_label(d->status),
	       d->changed_after_publication ? _(" (changed after publication, not republished)") : "");
	if (*d->source)
		printf(_("source:  %s\n"), d->source);
	if (*d->author)
		printf(_("author:  %s\n"), d->author);
	if (d->due_at) {
		cli_time_human(d->due_at, when);
		printf(_("due:     %s\n"), when);
	}
	if (d->expires_at) {
		cli_time_human(d->expires_at, when);
		printf(_("expires: %s\n"), when);
	}
	if (*d->error)
		printf(_("error:   %s\n"), d->error);
	size_t sent = 0;
	for (size_t i = 0; i < count; i++)
		sent += posts[i].state == DRAFT_POST_SENT;
	if (sent)
		printf(_("public:  %zu of %zu posts on X%s\n"), sent, count,
		       sent < count && d->status == DRAFT_FAILED ? _(": the thread stopped midway") : "");
}

/* Each channel but X (whose posts print_text() shows): where the draft stands there. */
static int print_channels(struct store *store, const struct channels *set, const struct draft *d)
{
	for (size_t c = 0; c < set->count; c++) {
		if (!strcmp(set->ids[c], XCHANNEL_ID))
			continue;
		struct draft_post *posts;
		size_t count, sent = 0;
		enum draft_delivery ended;
		char error[512];
		struct ii_error e = {0};
		if (draft_posts(store, d->uuid, set->ids[c], &posts, &count, &e) ||
		    draft_delivery_get(store, d->uuid, set->ids[c], &ended, error, &e))
			return cli_fail(&e);
		for (size_t i = 0; i < count; i++)
			sent += posts[i].state == DRAFT_POST_SENT;
		draft_posts_free(posts, count);
		printf(_("public:  %zu of %zu posts on %s%s%s\n"), sent, count, set->ids[c],
		       ended == DRAFT_DELIVERY_FAILED ? _(": failed: ") : "",
		       ended == DRAFT_DELIVERY_FAILED ? error : "");
	}
	return EXIT_OK;
}

static void print_posts(const struct draft_post *posts, size_t count)
{
	putchar('\n');
	for (size_t i = 0; i < count; i++)
		cli_print_post(i, count, posts[i].text, posts[i].weighted_length,
			       TWEET_MAX_WEIGHTED_LENGTH);
}

/* posts' journal on one channel into array: state and remote_id, with the texts when
 * texts is set */
static void journal_json(cJSON *array, const struct draft_post *posts, size_t count, bool texts)
{
	for (size_t i = 0; i < count; i++) {
		cJSON *p = texts ? cli_post_json(posts[i].text, posts[i].weighted_length)
				 : cJSON_CreateObject();
		cJSON_AddStringToObject(p, "state", draft_post_state_name(posts[i].state));
		cJSON_AddItemToObject(p, "remote_id", cli_json_text(posts[i].remote_id));
		cJSON_AddItemToArray(array, p);
	}
}

/* The draft with X's posts as "posts", and "channels": each channel's id, how the draft
 * ended there ("published", "failed" or null) and its posts' journal. */
static cJSON *to_json(struct store *store, const struct channels *set, const struct draft *d,
		      const struct draft_post *posts, size_t count, struct ii_error *e)
{
	static const char *const ends[] = {[DRAFT_DELIVERY_PUBLISHED] = "published",
					   [DRAFT_DELIVERY_FAILED] = "failed"};
	cJSON *o = cli_draft_json(d);
	journal_json(cJSON_AddArrayToObject(o, "posts"), posts, count, true);
	cJSON *array = cJSON_AddArrayToObject(o, "channels");
	for (size_t c = 0; c < set->count; c++) {
		struct draft_post *journal;
		size_t n;
		enum draft_delivery ended;
		if (draft_posts(store, d->uuid, set->ids[c], &journal, &n, e) ||
		    draft_delivery_get(store, d->uuid, set->ids[c], &ended, NULL, e)) {
			cJSON_Delete(o);
			return NULL;
		}
		cJSON *ch = cJSON_CreateObject();
		cJSON_AddItemToArray(array, ch);
		cJSON_AddStringToObject(ch, "id", set->ids[c]);
		cJSON_AddItemToObject(ch, "state", cli_json_text(ended ? ends[ended] : ""));
		journal_json(cJSON_AddArrayToObject(ch, "posts"), journal, n, false);
		draft_posts_free(journal, n);
	}
	return o;
}

const struct cli_help cmd_show_help = {
	.summary = N_("show one draft and its posts"),
	.usage = N_("usage: incluinfo show ID\n"
		 "\n"
		 "Shows a draft and its posts with their weighted lengths. ID is the draft's UUID or\n"
		 "any unique prefix of at least 6 characters. --json gives an object.\n"),
};

int cmd_show(int argc, char **argv, struct cli *cli)
{
	if (argc < 2) {
		cli_error(_("'%s' takes one draft id"), "show");
		return cli_usage("show");
	}
	if (argc > 2)
		return cli_no_more_arguments(argc, argv, 2, "show");
	struct store *store;
	struct draft d;
	int status = cli_open_draft(cli, argv[1], &store, &d);
	if (status)
		return status;
	struct ii_error e = {0};
	struct draft_post *posts = NULL;
	size_t count = 0;
	struct channels set;
	channels_ids(cli->config, &set);
	cJSON *json = NULL;
	if (draft_posts(store, d.uuid, XCHANNEL_ID, &posts, &count, &e) == II_OK && cli->json)
		json = to_json(store, &set, &d, posts, count, &e);
	if (e.code)
		status = cli_fail(&e);
	else if (json)
		status = cli_print_json(json);
	else {
		print_text(&d, posts, count);
		status = print_channels(store, &set, &d);
		print_posts(posts, count);
	}
	store_close(store);
	draft_posts_free(posts, count);
	return status;
}
