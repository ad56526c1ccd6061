#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "incluinfo.h"
#include "notify.h"

const struct cli_help cmd_approve_help = {
	.summary = N_("approve a draft for publication"),
	.usage = N_("usage: incluinfo approve ID [--by NAME]\n"
		 "\n"
		 "Approves a pending draft, as the person the caller is (their OS account, or the one\n"
		 "that ran sudo), who needs the approver role; --by, when given, must name them.\n"
		 "Without [person] sections --by NAME is required and recorded as written. With\n"
		 "[policy] two_person = true the notice's author cannot approve it, however the name\n"
		 "is spelt. Exit 65 when the draft is not pending or the two-person rule refuses it,\n"
		 "77 when the caller is unknown, lacks the role or --by names someone else.\n"),
};

static const struct option decide_options[] = {
	{"by", required_argument, NULL, 'b'},
	{"reason", required_argument, NULL, 'r'},
	{0},
};

ii_err cli_decision(const struct cli *cli, struct store *store, const char *id, bool approve,
		    const struct draft_actor *actor, const char *reason, struct draft *d,
		    struct ii_error *e)
{
	ii_err rc = store_begin(store, e);
	if (rc == II_OK)
		rc = draft_find(store, id, d, e);
	if (rc == II_OK)
		rc = approve ? draft_approve(store, d->uuid, actor, cli->config, e)
			     : draft_reject(store, d->uuid, actor, reason, e);
	if (rc == II_OK)
		rc = notify_draft(store, cli->config, approve ? NOTIFY_DRAFT_APPROVED : NOTIFY_DRAFT_REJECTED,
				  d, reason, actor->at, e);
	if (rc == II_OK)
		rc = store_commit(store, e);
	if (rc != II_OK)
		store_rollback(store);
	return rc;
}

int cli_decide(int argc, char **argv, struct cli *cli, bool approve)
{
	const char *command = approve ? "approve" : "reject";
	const char *by = NULL, *reason = NULL;
	int opt;
	optind = 0; /* options may follow the id */
	while ((opt = getopt_long(argc, argv, "", decide_options, NULL)) != -1) {
		if (opt == 'b')
			by = optarg;
		else if (opt == 'r' && !approve)
			reason = optarg;
		else
			return cli_bad_option(opt, argv, command);
	}
	if (optind + 1 != argc) {
		cli_error(_("'%s' takes one draft id"), command);
		return cli_usage(command);
	}
	int checked = reason ? cli_check_text("--reason", reason, true) : EXIT_OK;
	if (checked)
		return checked;
	bool single = cli->config->person_count == 0;
	if (single && (!by || !*by)) {
		cli_error("%s", approve ? _("say who approves it with --by NAME (it goes in the audit trail)")
				      : _("say who rejects it with --by NAME (it goes in the audit trail)"));
		return cli_usage(command);
	}
	if (single && !strcmp(by, DRAFT_SYSTEM_NAME)) {
		cli_error(_("the name '%s' is reserved for automatic approvals"), by);
		return EXIT_USAGE;
	}
	struct cli_identity id;
	int status = cli_identify(cli, command, CONFIG_ROLE_APPROVER, by, &id);
	if (status)
		return status;
	struct store *store;
	status = cli_open_store(cli, STORE_WRITE, &store);
	if (status)
		return status;
	struct ii_error e = {0};
	struct draft d;
	ii_err rc = cli_decision(cli, store, argv[optind], approve, &id.actor, reason, &d, &e);
	store_close(store);
	if (rc)
		return cli_fail(&e);
	if (!cli->quiet)
		printf(approve ? _("approved %.8s \"%s\"\n") : _("rejected %.8s \"%s\"\n"), d.uuid, d.title);
	return EXIT_OK;
}

int cmd_approve(int argc, char **argv, struct cli *cli)
{
	return cli_decide(argc, argv, cli, true);
}
