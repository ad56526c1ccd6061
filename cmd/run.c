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
		 "notices or failed drafts, 75 when another run holds the lock. -v prints each step's\n"
		 "report as check -v and notices print it; --json prints one object whose check,\n"
		 "notices and publish members are those commands' own --json objects.\n",
};

/* check's step, printed as `check -v` prints it unless quiet; returns its verdict. */
static enum plugin_status check(const struct cli *cli, const struct incident_context *ctx,
				struct monitor_report *rep, bool quiet)
{
	const struct config *cfg = cli->config;
	struct ii_error e = {0};
	const char *why = e.detail;
	if (monitor_select(cfg, NULL, 0, rep, &e)) {
		cli_fail(&e);
	} else if (rep->count == 0) {
		cli_error("no service configured in '%s'", cfg->path);
		why = "no services configured";
	} else if (monitor_probe(cfg, cli_now(), rep, &e)) {
		cli_fail(&e);
	} else if (*rep->unjudged) {
		cli_report_host_fault(rep);
		why = rep->unjudged;
	} else if (!ctx->messages) {
		why = "invalid message templates";
	} else if (monitor_judge(ctx, true, rep, &e)) {
		cli_fail(&e);
	}
	if (!quiet)
		cli_check_print(rep, why, cli->verbose);
	return rep->overall;
}

/* notices' step; returns its exit code. */
static int notices(const struct cli *cli, const struct incident_context *ctx,
		   struct ingest_report *rep, bool quiet)
{
	struct ii_error e = {0};
	if (ingest_dir(ctx->store, cli->config, ctx->messages, ctx->actor, rep, &e))
		return cli_fail(&e);
	return cli_notices_print(rep, quiet);
}

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
	/* silent on success: cron mails whatever is printed */
	bool quiet = !cli->verbose || cli->json;
	struct messages *messages = NULL;
	struct store *store = NULL;
	struct monitor_report monitored = {0};
	struct ingest_report ingested = {0};
	/* without templates nothing can be drafted, but what is approved can still go out */
	cli_load_messages(cli->config, &messages);
	if (cli_open_store(cli, STORE_WRITE, &store)) {
		/* as when the check cannot write its state: it could not judge */
		status = EXIT_REMOTE;
		goto out;
	}
	struct draft_actor actor = cli_actor(DRAFT_SYSTEM_NAME);
	const struct incident_context ctx = {
		.store = store, .cfg = cli->config, .messages = messages, .actor = &actor,
	};
	/* WARNING and CRITICAL are findings; only UNKNOWN means the check itself failed */
	status = check(cli, &ctx, &monitored, quiet) == PLUGIN_UNKNOWN ? EXIT_REMOTE : EXIT_OK;
	int ingest = messages ? notices(cli, &ctx, &ingested, quiet) : EXIT_OK;
	if (!status)
		status = ingest;
	cJSON *published = NULL;
	int publish = cli_publish(cli, store, false, quiet, cli->json ? &published : NULL);
	if (!status)
		status = publish;
	if (cli->json) {
		cJSON *root = cJSON_CreateObject();
		cJSON_AddItemToObject(root, "check", cli_check_json(&monitored));
		cJSON_AddItemToObject(root, "notices",
				      messages ? cli_notices_json(&ingested) : cJSON_CreateNull());
		cJSON_AddItemToObject(root, "publish", published ? published : cJSON_CreateNull());
		int printed = cli_print_json(root);
		if (!status)
			status = printed;
	}
out:
	ingest_report_free(&ingested);
	monitor_report_free(&monitored);
	store_close(store);
	messages_free(messages);
	lock_release(lock);
	return status;
}
