#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "incluinfo.h"

const struct cli_help cmd_run_help = {
	.summary = "one cron cycle: check, notices, publish, under the lock",
	.usage = "usage: incluinfo run\n"
		 "\n"
		 "Runs check, notices and publish under one lock, silently when all is well (cron mails\n"
		 "whatever is printed); errors go to stderr. Bounded by [general] run_timeout. Exit 0\n"
		 "unless a step failed: 69 when the check could not judge or X failed, 65 for invalid\n"
		 "notices or failed drafts, 75 when another run holds the lock.\n",
};

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
