#include "i18n.h"
#include "incluinfo.h"

const struct cli_help cmd_reject_help = {
	.summary = N_("reject a draft"),
	.usage = N_("usage: incluinfo reject ID [--by NAME] [--reason TEXT]\n"
		 "\n"
		 "Rejects a pending or approved draft; it will not be published. Editing the notice\n"
		 "afterwards puts it back in review. The caller and --by as for approve: the approver\n"
		 "role is needed, and --by is required only without [person] sections.\n"),
};

int cmd_reject(int argc, char **argv, struct cli *cli)
{
	return cli_decide(argc, argv, cli, false);
}
