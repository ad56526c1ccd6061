#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "incluinfo.h"
#include "ingest.h"
#include "xchannel.h"

const struct cli_help cmd_preview_help = {
	.summary = N_("show a notice's posts exactly as they will be published"),
	.usage = N_("usage: incluinfo preview [--channel x|mastodon|bluesky] FILE\n"
		 "\n"
		 "Prints the notice's thread on each network, X, Mastodon and Bluesky, each cut by\n"
		 "that network's rules with the limit drafts are cut with (a Mastodon instance's\n"
		 "as last read, else the default), or on one with --channel: each post\n"
		 "with its length as the network counts it ([2/5] 231/280), Bluesky's links\n"
		 "shortened as they will show. --json gives {\"kind\",\"title\",\"posts\",\n"
		 "\"channels\":[{\"channel\",\"limit\",\"posts\"}]}, each post {\"text\",\"weighted_length\"}\n"
		 "(\"posts\": the first channel's). Warns, as lint does, where a post on X starts\n"
		 "inside a sentence. Exit 65 when the notice is invalid on any network shown.\n"),
};

/* What X bills for thread (xchannel_post_price()), in micro-dollars, and how many of its
 * posts hold a URL. */
static ii_err x_cost(const struct config *cfg, const struct thread *thread, long *total,
		     size_t *with_url, struct ii_error *e)
{
	*total = 0;
	*with_url = 0;
	for (size_t i = 0; i < thread_count(thread); i++) {
		long price;
		bool url;
		ii_err rc = xchannel_post_price(cfg, thread_post(thread, i), &price, &url, e);
		if (rc)
			return rc;
		*total += price;
		*with_url += url;
	}
	return II_OK;
}

static const struct option preview_options[] = {{"channel", required_argument, NULL, 'c'}, {0}};

/* One network's thread: its posts as they will show (counter_display()) with their
 * lengths. NULL when out of memory. */
static cJSON *channel_json(const struct config *cfg, const struct counter *c,
			   const struct thread *thread)
{
	cJSON *o = cJSON_CreateObject(), *posts = o ? cJSON_CreateArray() : NULL;
	if (!posts) {
		cJSON_Delete(o);
		return NULL;
	}
	cJSON_AddStringToObject(o, "channel", count_network_name(c->network));
	cJSON_AddNumberToObject(o, "limit", c->limit);
	for (size_t i = 0; i < thread_count(thread); i++) {
		const char *post = thread_post(thread, i);
		char *shown = NULL;
		if (counter_display(c, post, strlen(post), &shown, NULL) != II_OK) {
			cJSON_Delete(o);
			cJSON_Delete(posts);
			return NULL;
		}
		cJSON_AddItemToArray(posts, cli_post_json(shown, thread_post_length(thread, i)));
		free(shown);
	}
	cJSON_AddItemToObject(o, "posts", posts);
	long cost;
	size_t with_url;
	if (c->network == COUNT_X && x_cost(cfg, thread, &cost, &with_url, NULL) == II_OK)
		cJSON_AddNumberToObject(o, "cost_usd", (double)cost / 1e6);
	return o;
}

static int print_channel(const struct config *cfg, const struct counter *c,
			 const struct thread *thread)
{
	size_t count = thread_count(thread);
	printf(ngettext("%s: %zu post\n\n", "%s: %zu posts\n\n", count),
	       count_network_label(c->network), count);
	for (size_t i = 0; i < count; i++) {
		const char *post = thread_post(thread, i);
		char *shown;
		struct ii_error e = {0};
		if (counter_display(c, post, strlen(post), &shown, &e) != II_OK)
			return cli_fail(&e);
		cli_print_post(i, count, shown, thread_post_length(thread, i), c->limit);
		free(shown);
	}
	if (c->network != COUNT_X)
		return EXIT_OK;
	long cost;
	size_t with_url;
	struct ii_error e = {0};
	if (x_cost(cfg, thread, &cost, &with_url, &e))
		return cli_fail(&e);
	char total[32], url_price[32], price[32];
	xchannel_format_usd(cost, total, sizeof total);
	xchannel_format_usd(cfg->x_cost.post_url, url_price, sizeof url_price);
	xchannel_format_usd(cfg->x_cost.post, price, sizeof price);
	/* TRANSLATORS: the cost of the thread on X: "$0.23 (1 post with a link at $0.20, 2 at $0.015)" */
	printf(_("Cost on X: %s (%zu with a link at %s, %zu without at %s)\n\n"), total, with_url,
	       url_price, count - with_url, price);
	return EXIT_OK;
}

int cmd_preview(int argc, char **argv, struct cli *cli)
{
	int first = COUNT_X, last = COUNT_NETWORKS - 1, opt;
	while ((opt = getopt_long(argc, argv, "+", preview_options, NULL)) != -1) {
		enum count_network network;
		if (opt != 'c')
			return cli_bad_option(opt, argv, "preview");
		if (!count_network_parse(optarg, &network)) {
			cli_error(_("unknown channel '%s': x, mastodon or bluesky"), optarg);
			return EXIT_USAGE;
		}
		first = last = (int)network;
	}
	if (argc - optind < 1) {
		cli_error(_("'%s' takes one notice file"), "preview");
		return cli_usage("preview");
	}
	if (argc - optind > 1)
		return cli_no_more_arguments(argc, argv, optind + 1, "preview");
	const char *path = argv[optind];
	struct messages *messages;
	int status = cli_load_messages(cli->config, &messages);
	if (status)
		return status;
	struct notice *n;
	struct thread *threads[COUNT_NETWORKS] = {0};
	struct counter counters[COUNT_NETWORKS];
	bool changing;
	if ((status = cli_network_counters(cli, counters))) {
		messages_free(messages);
		return status;
	}
	/* X's thread is read with the notice: the warnings of cut sentences are X's */
	status = cli_read_notice(cli, messages, path, &n, &threads[COUNT_X], &changing);
	if (status) {
		messages_free(messages);
		return status;
	}
	if (changing) {
		messages_free(messages);
		cli_error(_("'%s' changed while it was read; try again"), path);
		return EXIT_TEMPFAIL;
	}
	for (int k = first; k <= last; k++) {
		int s = k == COUNT_X ? EXIT_OK
				     : cli_notice_thread(cli, messages, path, n, &counters[k], &threads[k]);
		if (s && (!status || s != EXIT_DATA))
			status = s;
	}
	/* under thread_mode = single, X takes the single post instead of the thread */
	struct thread *single = NULL;
	if (first == COUNT_X) {
		int s = cli_notice_single(cli, path, n, thread_count(threads[COUNT_X]), &single);
		if (s && (!status || s != EXIT_DATA))
			status = s;
		if (single) {
			thread_free(threads[COUNT_X]);
			threads[COUNT_X] = single;
		}
	}
	messages_free(messages);
	char *title = NULL;
	struct ii_error e = {0};
	if (!status && ingest_title(n, path, cli->config, &title, NULL, &e))
		status = cli_fail(&e);
	if (!status && cli->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "kind", notice_kind_name(n->kind));
		cJSON_AddStringToObject(o, "title", title);
		cJSON *channels = cJSON_CreateArray();
		for (int k = first; k <= last; k++)
			cJSON_AddItemToArray(channels, channel_json(cli->config, &counters[k], threads[k]));
		cJSON *posts = cJSON_GetObjectItem(cJSON_GetArrayItem(channels, 0), "posts");
		cJSON_AddItemToObject(o, "posts", cJSON_Duplicate(posts, true));
		cJSON_AddItemToObject(o, "channels", channels);
		status = cli_print_json(o);
	} else if (!status) {
		printf("%s: %s\n\n", notice_kind_name(n->kind), title);
		for (int k = first; k <= last && !status; k++)
			status = print_channel(cli->config, &counters[k], threads[k]);
	}
	free(title);
	for (int k = 0; k < COUNT_NETWORKS; k++)
		thread_free(threads[k]);
	notice_free(n);
	return status;
}
