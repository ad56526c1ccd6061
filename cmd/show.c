#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "incluinfo.h"
#include "text/tweet.h"
#include "xchannel.h"

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
	putchar('\n');
	for (size_t i = 0; i < count; i++)
		cli_print_post(i, count, posts[i].text, posts[i].weighted_length,
			       TWEET_MAX_WEIGHTED_LENGTH);
}

static cJSON *to_json(const struct draft *d, const struct draft_post *posts, size_t count)
{
	cJSON *o = cli_draft_json(d);
	cJSON *array = cJSON_AddArrayToObject(o, "posts");
	for (size_t i = 0; i < count; i++) {
		cJSON *p = cli_post_json(posts[i].text, posts[i].weighted_length);
		cJSON_AddStringToObject(p, "state", draft_post_state_name(posts[i].state));
		cJSON_AddItemToObject(p, "remote_id", cli_json_text(posts[i].remote_id));
		cJSON_AddItemToArray(array, p);
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
	draft_posts(store, d.uuid, XCHANNEL_ID, &posts, &count, &e);
	store_close(store);
	if (e.code)
		return cli_fail(&e);
	if (cli->json)
		status = cli_print_json(to_json(&d, posts, count));
	else
		print_text(&d, posts, count);
	draft_posts_free(posts, count);
	return status;
}
