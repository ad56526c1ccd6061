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
	/* as every other channel's line (print_channels()): none public is said too */
	if (count)
		printf(_("public:  %zu of %zu posts on X%s\n"), sent, count,
		       sent < count && d->status == DRAFT_FAILED ? _(": the thread stopped midway") : "");
}

/* The counter of channel id (X's for an id not configured). */
static ii_err counter_of(const struct config *cfg, struct store *store, const char *id,
			 struct counter *counter, struct ii_error *e)
{
	struct channel_counter counters[CHANNELS_MAX];
	size_t n;
	ii_err rc = channels_counters(cfg, store, counters, &n, e);
	counter_init(counter, COUNT_X);
	for (size_t i = 0; rc == II_OK && i < n; i++)
		if (!strcmp(counters[i].id, id))
			*counter = counters[i].counter;
	return rc;
}

/* Says so when the rest of a thread gave way to its single post (a refused answer). */
static void print_switched(const struct draft_post *posts, size_t count, const char *channel)
{
	for (size_t i = 0; i < count; i++)
		if (posts[i].standalone)
			printf(_("thread:  on %s, posts from %zu on became one post with a link to the whole"
				 " text: the channel refused an answer\n"),
			       channel, i + 1);
}

/* The posts as the network of counter shows them (counter_display(): Bluesky's long links
 * shortened), as preview prints them: what a person approves is what readers see. */
static int print_posts(const struct draft_post *posts, size_t count, const struct counter *counter)
{
	putchar('\n');
	for (size_t i = 0; i < count; i++) {
		char *shown;
		struct ii_error e = {0};
		if (counter_display(counter, posts[i].text, strlen(posts[i].text), &shown, &e))
			return cli_fail(&e);
		cli_print_post(i, count, shown, posts[i].weighted_length, counter->limit);
		free(shown);
	}
	return EXIT_OK;
}

/* Each channel but X (whose posts print_text() shows): where the draft stands there, and
 * with posts set, its own thread. */
static int print_channels(struct store *store, const struct config *cfg,
			  const struct channels *set, const struct draft *d, bool posts_too)
{
	for (size_t c = 0; c < set->count; c++) {
		if (!strcmp(set->ids[c], XCHANNEL_ID))
			continue;
		struct draft_post *posts;
		size_t count, sent = 0;
		enum draft_delivery ended;
		char error[512];
		struct ii_error e = {0};
		struct counter counter;
		int status = EXIT_OK;
		if (counter_of(cfg, store, set->ids[c], &counter, &e) ||
		    draft_posts(store, d->uuid, set->ids[c], &posts, &count, &e) ||
		    draft_delivery_get(store, d->uuid, set->ids[c], &ended, error, &e))
			return cli_fail(&e);
		for (size_t i = 0; i < count; i++)
			sent += posts[i].state == DRAFT_POST_SENT;
		if (posts_too && count) {
			printf(_("\nposts on %s:\n"), set->ids[c]);
			status = print_posts(posts, count, &counter);
		} else if (!posts_too && !count) {
			printf(_("public:  none on %s: no thread was cut for it (it was configured after the"
				 " draft was made), and it is not sent there\n"),
			       set->ids[c]);
		} else if (!posts_too) {
			printf(_("public:  %zu of %zu posts on %s%s%s\n"), sent, count, set->ids[c],
			       ended == DRAFT_DELIVERY_FAILED ? _(": failed: ") : "",
			       ended == DRAFT_DELIVERY_FAILED ? error : "");
			print_switched(posts, count, set->ids[c]);
		}
		draft_posts_free(posts, count);
		if (status)
			return status;
	}
	return EXIT_OK;
}

/* posts on one channel into array: each text, length and journal there */
static void journal_json(cJSON *array, const struct draft_post *posts, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		cJSON *p = cli_post_json(posts[i].text, posts[i].weighted_length);
		cJSON_AddStringToObject(p, "state", draft_post_state_name(posts[i].state));
		cJSON_AddItemToObject(p, "remote_id", cli_json_text(posts[i].remote_id));
		cJSON_AddBoolToObject(p, "standalone", posts[i].standalone);
		cJSON_AddItemToArray(array, p);
	}
}

/* The draft with X's posts as "posts", and "channels": each channel's id, how the draft
 * ended there ("published", "failed" or null) and its own thread with its journal there. */
static cJSON *to_json(struct store *store, const struct channels *set, const struct draft *d,
		      const struct draft_post *posts, size_t count, struct ii_error *e)
{
	static const char *const ends[] = {[DRAFT_DELIVERY_PUBLISHED] = "published",
					   [DRAFT_DELIVERY_FAILED] = "failed"};
	cJSON *o = cli_draft_json(d);
	journal_json(cJSON_AddArrayToObject(o, "posts"), posts, count);
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
		journal_json(cJSON_AddArrayToObject(ch, "posts"), journal, n);
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
		status = print_channels(store, cli->config, &set, &d, false);
		print_switched(posts, count, "X");
		struct counter x;
		counter_init(&x, COUNT_X);
		if (status == EXIT_OK)
			status = print_posts(posts, count, &x);
		if (status == EXIT_OK)
			status = print_channels(store, cli->config, &set, &d, true);
	}
	store_close(store);
	draft_posts_free(posts, count);
	return status;
}
