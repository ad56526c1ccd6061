#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "incluinfo.h"
#include "ingest.h"

const struct cli_help cmd_preview_help = {
	.summary = N_("show a notice's posts exactly as they will be published"),
	.usage = N_("usage: incluinfo preview FILE\n"
		 "\n"
		 "Prints each post with its weighted length ([2/5] 231/280). --json gives\n"
		 "{\"kind\",\"title\",\"posts\":[{\"text\",\"weighted_length\"}]}. Warns, as lint does,\n"
		 "where a post starts inside a sentence. Exit 65 when the notice is invalid.\n"),
};

int cmd_preview(int argc, char **argv, struct cli *cli)
{
	if (argc < 2) {
		cli_error(_("'%s' takes one notice file"), "preview");
		return cli_usage("preview");
	}
	if (argc > 2)
		return cli_no_more_arguments(argc, argv, 2, "preview");
	struct messages *messages;
	int status = cli_load_messages(cli->config, &messages);
	if (status)
		return status;
	struct notice *n;
	struct thread *thread;
	bool changing;
	status = cli_read_notice(cli, messages, argv[1], &n, &thread, &changing);
	messages_free(messages);
	if (status)
		return status;
	if (changing) {
		cli_error(_("'%s' changed while it was read; try again"), argv[1]);
		return EXIT_TEMPFAIL;
	}
	char *title;
	struct ii_error e = {0};
	if (ingest_title(n, argv[1], cli->config, &title, NULL, &e)) {
		thread_free(thread);
		notice_free(n);
		return cli_fail(&e);
	}
	size_t count = thread_count(thread);
	if (cli->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "kind", notice_kind_name(n->kind));
		cJSON_AddStringToObject(o, "title", title);
		cJSON *posts = cJSON_AddArrayToObject(o, "posts");
		for (size_t i = 0; i < count; i++) {
			cJSON_AddItemToArray(posts, cli_post_json(thread_post(thread, i),
								  thread_post_length(thread, i)));
		}
		status = cli_print_json(o);
	} else {
		printf(ngettext("%s: %s (%zu post)\n\n", "%s: %s (%zu posts)\n\n", count),
		       notice_kind_name(n->kind), title, count);
		for (size_t i = 0; i < count; i++)
			cli_print_post(i, count, thread_post(thread, i), thread_post_length(thread, i));
	}
	free(title);
	thread_free(thread);
	notice_free(n);
	return status;
}
