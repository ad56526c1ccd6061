#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "incluinfo.h"

static void print_table(const struct draft *list, size_t count)
{
	if (count == 0) {
		puts(_("no drafts"));
		return;
	}
	static const int widths[] = {8, 13, 9, 16, 0};
	cli_print_row((const char *[]){_("ID"), _("KIND"), _("STATUS"), _("DUE"), _("TITLE")},
		      widths, 5);
	for (size_t i = 0; i < count; i++) {
		const struct draft *d = &list[i];
		char due[32];
		snprintf(due, sizeof due, "%s", _("now"));
		if (d->due_at)
			cli_time_human(d->due_at, due);
		due[16] = '\0'; /* minutes are enough in a table */
		char id[9], *title;
		snprintf(id, sizeof id, "%.8s", d->uuid);
		if (asprintf(&title, "%s%s", d->title,
			     d->changed_after_publication ? _("  (changed after publication)") : "") < 0)
			title = NULL;
		cli_print_row((const char *[]){id, draft_kind_name(d->kind), draft_status_label(d->status),
					       due, title ? title : d->title},
			      widths, 5);
		free(title);
	}
}

const struct cli_help cmd_drafts_help = {
	.summary = N_("list the drafts waiting for approval or publication"),
	.usage = N_("usage: incluinfo drafts [--all]\n"
		 "\n"
		 "Lists the drafts still in play (pending, approved, failed) with their short id, kind,\n"
		 "status, when they are due and title; --all lists every draft. --json gives an array\n"
		 "of objects with the full id.\n"),
};

static const struct option drafts_options[] = {{"all", no_argument, NULL, 'a'}, {0}};

int cmd_drafts(int argc, char **argv, struct cli *cli)
{
	bool all = false;
	int opt;
	while ((opt = getopt_long(argc, argv, "+", drafts_options, NULL)) != -1) {
		if (opt != 'a')
			return cli_bad_option(opt, argv, "drafts");
		all = true;
	}
	if (optind < argc)
		return cli_no_more_arguments(argc, argv, optind, "drafts");
	struct store *store;
	int status = cli_open_store(cli, STORE_READ, &store);
	if (status)
		return status;
	struct draft *list = NULL;
	size_t count = 0;
	struct ii_error e = {0};
	if (store && draft_list(store, all, &list, &count, &e)) {
		store_close(store);
		return cli_fail(&e);
	}
	store_close(store);
	if (cli->json)
		status = cli_print_json_list(list, count, sizeof *list, cli_draft_json);
	else
		print_table(list, count);
	free(list);
	return status;
}
