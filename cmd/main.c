#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "incluinfo.h"

enum setup {
	NEEDS_CONFIG = 1 << 0,
	/* failures are reported the monitoring-plugins way: UNKNOWN, exit 3 */
	PLUGIN_EXIT = 1 << 1,
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv, struct cli *cli);
	const char *summary;
	const char *usage;
	unsigned setup;
};

static const struct command commands[] = {
	{"check", cmd_check, "probe every service once, confirm outages and recoveries",
	 "usage: incluinfo check [--dry-run] [--service ID]...\n"
	 "\n"
	 "Probes every configured service and canary at the same time, classifies each probe as\n"
	 "up, degraded or down, applies the hysteresis thresholds and opens or resolves\n"
	 "incidents. Prints one monitoring-plugins line; -v adds a line per service, --json an\n"
	 "object. Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
	 "\n"
	 "  --dry-run       probe and report, change nothing (takes no lock)\n"
	 "  --service ID    probe only this service (repeatable)\n",
	 NEEDS_CONFIG | PLUGIN_EXIT},
	{"status", cmd_status, "show each service's confirmed state and open incident",
	 "usage: incluinfo status\n"
	 "\n"
	 "Shows, from the state store, each service's confirmed state, since when, its last\n"
	 "check and its open incident. --json gives an object.\n",
	 NEEDS_CONFIG},
	{"config", cmd_config, "validate the configuration and print the effective values",
	 "usage: incluinfo config\n"
	 "\n"
	 "Validates the configuration file, reporting every problem with its line, and prints\n"
	 "the effective values, defaults included, with secrets masked. Exit 78 when invalid.\n",
	 NEEDS_CONFIG},
	{"count", cmd_count, "count a post's length the way X does",
	 "usage: incluinfo count [--json] [--batch]\n"
	 "\n"
	 "Counts standard input (one trailing newline ignored) as X counts a post: NFC, weighted\n"
	 "characters, every URL 23, every emoji 2, limit 280. Prints the weighted length, or\n"
	 "with --json parseTweet's fields. Exit 0 when the post is valid, 1 when not, 65 when\n"
	 "the input is not UTF-8 or is longer than 64 KiB.\n"
	 "\n"
	 "  --batch         read one JSON string per line, write one JSON object per line; a\n"
	 "                  line that cannot be counted gets {\"error\":\"line N: ...\"} in its\n"
	 "                  place, the others are still counted, and the exit status is 65 at\n"
	 "                  the end; each line is at most 64 KiB\n",
	 0},
	{"lint", cmd_lint, "check notices and templates before they are published",
	 "usage: incluinfo lint [PATH]...\n"
	 "\n"
	 "Validates notice files (by default every notice in notices_dir; a PATH may be a file\n"
	 "or a folder) and builds their threads, so that anything that would fail at preview or\n"
	 "publication fails here, with its line. Also renders every message template with the\n"
	 "longest configured service name. Prints every error; exit 65 if anything is invalid.\n",
	 NEEDS_CONFIG},
	{"preview", cmd_preview, "show a notice's posts exactly as they will be published",
	 "usage: incluinfo preview FILE\n"
	 "\n"
	 "Prints each post with its weighted length ([2/5] 231/280). --json gives\n"
	 "{\"kind\",\"title\",\"posts\":[{\"text\",\"weightedLength\"}]}. Exit 65 when the notice\n"
	 "is invalid.\n",
	 NEEDS_CONFIG},
	{"notices", cmd_notices, "turn new and changed notices into drafts",
	 "usage: incluinfo notices\n"
	 "\n"
	 "Scans notices_dir. A new or changed valid notice becomes (or updates) a draft; an\n"
	 "invalid one is reported on every run until it is fixed (exit 65). A notice edited\n"
	 "after approval goes back to pending; one edited after publication is reported and\n"
	 "never republished. Files are never modified. --json reports the files by outcome.\n",
	 NEEDS_CONFIG},
	{"drafts", cmd_drafts, "list the drafts waiting for approval or publication",
	 "usage: incluinfo drafts [--all]\n"
	 "\n"
	 "Lists the drafts still in play (pending, approved, failed) with their short id, kind,\n"
	 "status, when they are due and title; --all lists every draft. --json gives an array\n"
	 "of objects with the full id.\n",
	 NEEDS_CONFIG},
	{"show", cmd_show, "show one draft and its posts",
	 "usage: incluinfo show ID\n"
	 "\n"
	 "Shows a draft and its posts with their weighted lengths. ID is the draft's UUID or\n"
	 "any unique prefix of at least 6 characters. --json gives an object.\n",
	 NEEDS_CONFIG},
	{"approve", cmd_approve, "approve a draft for publication",
	 "usage: incluinfo approve ID --by NAME\n"
	 "\n"
	 "Approves a pending draft; NAME goes in the audit trail with the system user. With\n"
	 "[policy] two_person = true the notice's author cannot approve it. Exit 65 when the\n"
	 "draft is not pending or the approver is refused.\n",
	 NEEDS_CONFIG},
	{"reject", cmd_reject, "reject a draft",
	 "usage: incluinfo reject ID --by NAME [--reason TEXT]\n"
	 "\n"
	 "Rejects a pending or approved draft; it will not be published. Editing the notice\n"
	 "afterwards puts it back in review.\n",
	 NEEDS_CONFIG},
	{"incident", cmd_incident, "open, update, resolve or list incidents by hand",
	 "usage: incluinfo incident open --scope ID|TEXT --message TEXT [--status STATUS] [--by NAME]\n"
	 "       incluinfo incident update ID --message TEXT [--status STATUS] [--by NAME]\n"
	 "       incluinfo incident resolve ID [--message TEXT] [--by NAME]\n"
	 "       incluinfo incident list [--all]\n"
	 "\n"
	 "Manual incidents: an office closed, a phone line down. --scope is a configured service\n"
	 "id or free text. STATUS is investigando (the default), identificado or en seguimiento.\n"
	 "Each change is audited (--by, default the system user) and drafted into the incident's\n"
	 "thread, approved at once when [policy] incidents = auto. Opening one for a service that\n"
	 "already has an open incident is refused with its id (exit 65). ID is a UUID or a\n"
	 "unique prefix of at least 6 characters. list shows open incidents, --all every one.\n",
	 NEEDS_CONFIG},
	{"feeds", cmd_feeds, "write the Atom, CAP and ClaimReview feeds",
	 "usage: incluinfo feeds\n"
	 "\n"
	 "Regenerates, from everything published, feeds_dir/incidencias.atom, avisos.atom,\n"
	 "cap/ (CAP 1.2 messages and cap/index.atom) and desmentidos/SLUG.jsonld (ClaimReview).\n"
	 "Each file is replaced atomically. publish does the same when it published anything.\n"
	 "Needs [feeds] base_url (exit 78 without it).\n",
	 NEEDS_CONFIG},
	{"publish", cmd_publish, "publish approved drafts that are due to X",
	 "usage: incluinfo publish [--dry-run]\n"
	 "\n"
	 "Sends every approved draft that is due (publicar <= now < caduca), oldest first, each\n"
	 "thread part by part, thread_delay_ms apart; expired drafts become expired. Every post\n"
	 "is journalled before it is sent and reconciled against the account's recent posts\n"
	 "after a crash or a timeout, so nothing is posted twice. Rate limits are respected: a\n"
	 "thread starts only when the known budget covers all its posts. --dry-run prints what\n"
	 "would be sent and changes nothing; --json reports published, deferred (with reason\n"
	 "and time) and failed drafts. Exit 0 when everything due was published or deferred,\n"
	 "65 when a draft failed for good, 69 when X refused the credentials or did not answer.\n",
	 NEEDS_CONFIG},
	{"retract", cmd_retract, "delete a published draft's posts from X",
	 "usage: incluinfo retract ID --by NAME --reason TEXT\n"
	 "\n"
	 "Deletes every post of a published draft, newest first; audited with NAME and TEXT.\n",
	 NEEDS_CONFIG},
	{"run", cmd_run, "one cron cycle: check, notices, publish, under the lock",
	 "usage: incluinfo run\n"
	 "\n"
	 "Runs check, notices and publish under one lock, silently when all is well (cron mails\n"
	 "whatever is printed); errors go to stderr. Bounded by [general] run_timeout. Exit 0\n"
	 "unless a step failed: 69 when the check could not judge or X failed, 65 for invalid\n"
	 "notices or failed drafts, 75 when another run holds the lock.\n",
	 NEEDS_CONFIG},
	{"log", cmd_log, "show the audit trail",
	 "usage: incluinfo log [ID]\n"
	 "\n"
	 "Every creation, change, approval, rejection, revocation and publication, with its\n"
	 "time, the name given and the system user; of one draft when ID is given. --json\n"
	 "gives an array.\n",
	 NEEDS_CONFIG},
	{"help", NULL, "show the commands, or one command's help",
	 "usage: incluinfo help [COMMAND]\n", 0},
};

static const char global_usage[] =
	"usage: incluinfo [-c FILE] [--json] [-v] [-q] COMMAND [ARGS]\n"
	"\n"
	"Watches the Seguridad Social web sites and publishes incident alerts and notices.\n"
	"\n"
	"Options:\n"
	"  -c, --config FILE  configuration file (default: $INCLUINFO_CONFIG, else ./incluinfo.conf)\n"
	"      --json         machine-readable output\n"
	"  -v                 more detail\n"
	"  -q                 print only errors\n"
	"  -h, --help         this help; 'incluinfo help COMMAND' for a command's\n"
	"      --version      the version\n"
	"\n"
	"Commands:\n";

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int cli_usage(const char *name)
{
	const struct command *cmd = name ? find_command(name) : NULL;
	fputs(cmd ? cmd->usage : global_usage, stderr);
	return EXIT_USAGE;
}

static int show_help(FILE *out, const char *name)
{
	if (name) {
		const struct command *cmd = find_command(name);
		if (!cmd) {
			cli_error("unknown command '%s' (see 'incluinfo --help')", name);
			return EXIT_USAGE;
		}
		fputs(cmd->usage, out);
		return EXIT_OK;
	}
	fputs(global_usage, out);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\nExit codes: 0 success, 64 usage, 65 invalid input, 69 remote failure, 70 internal\n"
	      "error, 73 state not writable, 75 try again (locked, rate limited), 78 invalid\n"
	      "configuration. 'check' exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n",
	      out);
	return EXIT_OK;
}

enum global_option { OPT_NONE, OPT_TAKEN, OPT_HELP, OPT_VERSION, OPT_MISSING_ARG };

/* Takes a global option at argv[*i] (advancing *i past its argument). */
static enum global_option take_global(int argc, char **argv, int *i, struct cli *cli)
{
	const char *arg = argv[*i];
	if (!strcmp(arg, "--json")) {
		cli->json = true;
	} else if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose")) {
		cli->verbose++;
	} else if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet")) {
		cli->quiet = true;
	} else if (!strcmp(arg, "-c") || !strcmp(arg, "--config")) {
		if (*i + 1 >= argc)
			return OPT_MISSING_ARG;
		cli->config_path = argv[++*i];
	} else if (!strncmp(arg, "--config=", 9)) {
		cli->config_path = arg + 9;
	} else if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
		return OPT_HELP;
	} else if (!strcmp(arg, "--version")) {
		return OPT_VERSION;
	} else {
		return OPT_NONE;
	}
	return OPT_TAKEN;
}

static int load_config(struct cli *cli)
{
	if (!cli->config_path) {
		const char *env = getenv("INCLUINFO_CONFIG");
		cli->config_path = env && *env ? env : "incluinfo.conf";
	}
	struct diag_list *diags = diag_new();
	struct ii_error e = {0};
	if (!diags) {
		cli_error("out of memory");
		return EXIT_SOFTWARE;
	}
	ii_err rc = config_load(cli->config_path, &cli->config, diags, &e);
	cli_print_diags(diags);
	size_t reported = diag_count(diags);
	diag_free(diags);
	if (rc == II_OK) {
		/* every time shown to people is in the configured zone */
		setenv("TZ", cli->config->timezone, 1);
		tzset();
		return EXIT_OK;
	}
	if (!reported || rc != II_ECONFIG)
		return cli_fail(&e);
	return cli_exit_code(rc);
}

static int finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write to standard output: %s", strerror(errno));
		return status ? status : EXIT_IOERR;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct cli cli = {0};
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		switch (take_global(argc, argv, &i, &cli)) {
		case OPT_TAKEN: continue;
		case OPT_HELP: return finish(show_help(stdout, NULL));
		case OPT_VERSION:
			printf("incluinfo %s\n", INCLUINFO_VERSION);
			return finish(EXIT_OK);
		case OPT_MISSING_ARG:
			cli_error("option '%s' needs an argument", argv[i]);
			return cli_usage(NULL);
		case OPT_NONE:
			cli_error("unknown option '%s'", argv[i]);
			return cli_usage(NULL);
		}
	}
	if (i >= argc) {
		cli_error("no command given");
		return cli_usage(NULL);
	}
	const struct command *cmd = find_command(argv[i]);
	if (!cmd) {
		cli_error("unknown command '%s' (see 'incluinfo --help')", argv[i]);
		return EXIT_USAGE;
	}

	/* Global options may follow the command too; the command sees the rest. */
	int cmd_argc = 0;
	char **cmd_argv = calloc((size_t)(argc - i + 1), sizeof *cmd_argv);
	if (!cmd_argv) {
		cli_error("out of memory");
		return EXIT_SOFTWARE;
	}
	cmd_argv[cmd_argc++] = argv[i];
	bool options_end = false;
	for (int j = i + 1; j < argc; j++) {
		enum global_option opt = options_end ? OPT_NONE : take_global(argc, argv, &j, &cli);
		if (opt == OPT_HELP) {
			free(cmd_argv);
			return finish(show_help(stdout, cmd->name));
		}
		if (opt == OPT_MISSING_ARG) {
			free(cmd_argv);
			cli_error("option '%s' needs an argument", argv[j]);
			return cmd->setup & PLUGIN_EXIT ? PLUGIN_UNKNOWN : cli_usage(cmd->name);
		}
		if (opt == OPT_TAKEN || opt == OPT_VERSION)
			continue;
		if (!strcmp(argv[j], "--"))
			options_end = true;
		cmd_argv[cmd_argc++] = argv[j];
	}

	int status;
	if (!cmd->run) {
		status = show_help(stdout, cmd_argc > 1 ? cmd_argv[1] : NULL);
	} else {
		status = cmd->setup & NEEDS_CONFIG ? load_config(&cli) : EXIT_OK;
		if (status == EXIT_OK)
			status = cmd->run(cmd_argc, cmd_argv, &cli);
		else if (cmd->setup & PLUGIN_EXIT) {
			printf("INCLUINFO UNKNOWN - invalid configuration '%s'\n", cli.config_path);
			status = PLUGIN_UNKNOWN;
		}
	}
	config_free(cli.config);
	free(cmd_argv);
	return finish(status);
}
