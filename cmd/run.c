#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "incluinfo.h"

int cmd_run(int argc, char **argv, struct cli *cli)
{
	(void)argv;
	if (argc > 1)
		return cli_usage("run");
	/*
	 * The backstop of run_timeout: the default action of SIGALRM ends the process. Every
	 * step keeps its state in SQLite transactions and journals a post before sending it,
	 * so the next run resumes where this one was cut.
	 */
	alarm((unsigned)cli->config->run_timeout);
	struct lock *lock;
	int status = cli_lock(cli, &lock);
	if (status)
		return status;
	bool was_quiet = cli->quiet;
	cli->locked = true;
	/* silent on success: cron mails whatever is printed */
	cli->quiet = !cli->verbose;
	char *check_argv[] = {"check", NULL};
	char *notices_argv[] = {"notices", NULL};
	int check = cmd_check(1, check_argv, cli);
	/* WARNING and CRITICAL are findings; only UNKNOWN means the check itself failed */
	status = check == PLUGIN_UNKNOWN ? EXIT_REMOTE : check > PLUGIN_UNKNOWN ? check : EXIT_OK;
	int notices = cmd_notices(1, notices_argv, cli);
	if (!status)
		status = notices;
	int published = cli_publish(cli, false);
	if (!status)
		status = published;
	cli->quiet = was_quiet;
	cli->locked = false;
	lock_release(lock);
	return status;
}
