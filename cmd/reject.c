#include "incluinfo.h"

int cmd_reject(int argc, char **argv, struct cli *cli)
{
	return cli_decide(argc, argv, cli, false);
}
