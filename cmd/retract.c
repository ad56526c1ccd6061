#include <getopt.h>
#include <stdio.h>

#include "i18n.h"
#include "incluinfo.h"
#include "publish.h"
#include "channels.h"

const struct cli_help cmd_retract_help = {
	.summary = N_("delete a published draft's posts from every channel"),
	.usage = N_("usage: incluinfo retract ID [--by NAME] --reason TEXT\n"
		 "\n"
		 "Deletes every post of a published draft, newest first; audited with the person and\n"
		 "TEXT. The feeds are rewritten without it. The notice is not published again unless\n"
		 "a person approves a new revision of it. The caller and --by as for approve: the\n"
		 "approver role is needed, and --by is required only without [person] sections.\n"),
};

static const struct option retract_options[] = {
	{"by", required_argument, NULL, 'b'},
	{"reason", required_argument, NULL, 'r'},
	{0},
};

int cmd_retract(int argc, char **argv, struct cli *cli)
{
	const char *by = NULL, *reason = NULL;
	int opt;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", retract_options, NULL)) != -1) {
		if (opt == 'b')
			by = optarg;
		else if (opt == 'r')
			reason = optarg;
		else
			return cli_bad_option(opt, argv, "retract");
	}
	bool single = cli->config->person_count == 0;
	if (optind + 1 != argc || (single && (!by || !*by)) || !reason || !*reason) {
		cli_error(_("retract needs a draft id, --by NAME and --reason TEXT"));
		return cli_usage("retract");
	}
	int checked = cli_check_text("--reason", reason, true);
	if (checked)
		return checked;
	struct cli_identity id;
	int status = cli_identify(cli, "retract", CONFIG_ROLE_APPROVER, by, &id);
	if (status)
		return status;
	struct lock *lock;
	status = cli_lock(cli, &lock);
	if (status)
		return status;
	struct store *store = NULL;
	struct channels set = {0};
	struct ii_error e = {0};
	status = cli_open_store(cli, STORE_WRITE, &store);
	/* every channel's posts go: one that cannot be reached leaves the draft published */
	ii_err rc = status == EXIT_OK ? channels_open(cli->config, store, NULL, NULL, &set, &e) : II_OK;
	if (rc == II_OK && set.failed_count) {
		e = set.failed[0];
		rc = e.code;
	}
	if (status == EXIT_OK && rc == II_OK &&
	    publish_retract(store, set.opened, set.open_count, argv[optind], reason, &id.actor, &e) == II_OK) {
		if (!cli->quiet)
			printf(_("retracted %s\n"), argv[optind]);
		/* what is no longer on the channels leaves the feeds at once */
		status = cli_feeds_catch_up(cli->config, store, cli->quiet);
	} else if (status == EXIT_OK) {
		status = cli_fail(&e);
	}
	channels_close(&set);
	store_close(store);
	lock_release(lock);
	return status;
}
