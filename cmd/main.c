#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "i18n.h"
#include "incluinfo.h"

/* Where `make install` puts the catalogues ($(PREFIX)/share/locale). */
#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

enum setup {
	NEEDS_CONFIG = 1 << 0,
	/* failures are reported the monitoring-plugins way: UNKNOWN, exit 3 */
	PLUGIN_EXIT = 1 << 1,
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv, struct cli *cli);
	const struct cli_help *help; /* in the command's own file, beside its options */
	unsigned setup;
};

static const struct cli_help cmd_help_help = {
	.summary = N_("show the commands, or one command's help"),
	.usage = N_("usage: incluinfo help [COMMAND]\n"),
};

/* In the order `help` lists them, which the README and the man page follow. */
static const struct command commands[] = {
	{"check", cmd_check, &cmd_check_help, NEEDS_CONFIG | PLUGIN_EXIT},
	{"status", cmd_status, &cmd_status_help, NEEDS_CONFIG},
	{"config", cmd_config, &cmd_config_help, NEEDS_CONFIG},
	{"count", cmd_count, &cmd_count_help, 0},
	{"lint", cmd_lint, &cmd_lint_help, NEEDS_CONFIG},
	{"preview", cmd_preview, &cmd_preview_help, NEEDS_CONFIG},
	{"notices", cmd_notices, &cmd_notices_help, NEEDS_CONFIG},
	{"drafts", cmd_drafts, &cmd_drafts_help, NEEDS_CONFIG},
	{"show", cmd_show, &cmd_show_help, NEEDS_CONFIG},
	{"approve", cmd_approve, &cmd_approve_help, NEEDS_CONFIG},
	{"reject", cmd_reject, &cmd_reject_help, NEEDS_CONFIG},
	{"incident", cmd_incident, &cmd_incident_help, NEEDS_CONFIG},
	{"feeds", cmd_feeds, &cmd_feeds_help, NEEDS_CONFIG},
	{"publish", cmd_publish, &cmd_publish_help, NEEDS_CONFIG},
	{"retract", cmd_retract, &cmd_retract_help, NEEDS_CONFIG},
	{"run", cmd_run, &cmd_run_help, NEEDS_CONFIG},
	{"log", cmd_log, &cmd_log_help, NEEDS_CONFIG},
	{"serve", cmd_serve, &cmd_serve_help, NEEDS_CONFIG},
	{"help", NULL, &cmd_help_help, 0},
};

static const char *const global_usage = N_(
	"usage: incluinfo [-c FILE] [--json] [-v] [-q] COMMAND [ARGS]\n"
	"\n"
	"Watches the Seguridad Social web sites and publishes incident alerts and notices.\n"
	"\n"
	"Options:\n"
	"  -c, --config FILE  configuration file (default: $INCLUINFO_CONFIG, else ./incluinfo.conf)\n"
	"      --json         machine-readable output\n"
	"  -v                 more detail\n"
	"  -q                 print only errors\n"
	"  -h, --help         this help; 'incluinfo help COMMAND' for one command\n"
	"      --version      the version\n"
	"\n"
	"Commands:\n");

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
	fputs(_(cmd ? cmd->help->usage : global_usage), stderr);
	return EXIT_USAGE;
}

static int show_help(FILE *out, const char *name)
{
	if (name) {
		const struct command *cmd = find_command(name);
		if (!cmd) {
			cli_error(_("unknown command '%s' (see 'incluinfo --help')"), name);
			return EXIT_USAGE;
		}
		fputs(_(cmd->help->usage), out);
		return EXIT_OK;
	}
	fputs(_(global_usage), out);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, _(commands[i].help->summary));
	fputs(_("\nExit codes: 0 success, 64 usage, 65 invalid input, 69 remote failure, 70 internal\n"
	      "error, 73 state not writable, 75 try again (locked, rate limited), 78 invalid\n"
	      "configuration. 'check' exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"),
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
		cli_error(_("out of memory"));
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
	/* closing writes out what the terminal-safe stream still holds */
	if (ferror(stdout) || fclose(stdout) != 0) {
		cli_error(_("cannot write to standard output: %s"), strerror(errno));
		return status ? status : EXIT_IOERR;
	}
	return status;
}

/*
 * Messages in the language of LANG (LC_ALL, LC_MESSAGES). Only LC_MESSAGES and LC_CTYPE
 * (the character set) follow the environment: LC_NUMERIC would give the JSON, the
 * configuration's numbers, the plugin's performance data and the feeds decimal commas,
 * and LC_TIME or LC_COLLATE would make the feeds and the audit trail differ between
 * hosts. A binary run from the build tree (build/incluinfo) reads the catalogues built
 * beside it in build/locale, as git's RUNTIME_PREFIX finds its files from
 * /proc/self/exe, so the tests use the tree's po/ rather than an older installed one.
 */
static void setup_messages(void)
{
	setlocale(LC_MESSAGES, "");
	setlocale(LC_CTYPE, "");
	const char *dir = LOCALEDIR;
	char exe[PATH_MAX], beside[PATH_MAX + sizeof "/locale"];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	struct stat st;
	if (n > 0) {
		exe[n] = '\0';
		snprintf(beside, sizeof beside, "%s/locale", dirname(exe));
		if (stat(beside, &st) == 0 && S_ISDIR(st.st_mode))
			dir = beside;
	}
	bindtextdomain(II_TEXT_DOMAIN, dir);
	bind_textdomain_codeset(II_TEXT_DOMAIN, "UTF-8");
	textdomain(II_TEXT_DOMAIN);
}

int main(int argc, char **argv)
{
	struct cli cli = {0};
	int i = 1;
	setup_messages();
	/* getopt's own messages are English and not in the program's frame: the commands
	 * report a refused option themselves (cli_bad_option()) */
	opterr = 0;
	if (!cli_safe_streams()) {
		cli_error(_("out of memory"));
		return EXIT_SOFTWARE;
	}
	for (; i < argc && argv[i][0] == '-'; i++) {
		switch (take_global(argc, argv, &i, &cli)) {
		case OPT_TAKEN: continue;
		case OPT_HELP: return finish(show_help(stdout, NULL));
		case OPT_VERSION:
			printf("incluinfo %s\n", INCLUINFO_VERSION);
			return finish(EXIT_OK);
		case OPT_MISSING_ARG:
			cli_error(_("option '%s' needs an argument"), argv[i]);
			return cli_usage(NULL);
		case OPT_NONE:
			cli_error(_("unknown option '%s'"), argv[i]);
			return cli_usage(NULL);
		}
	}
	if (i >= argc) {
		cli_error(_("no command given"));
		return cli_usage(NULL);
	}
	const struct command *cmd = find_command(argv[i]);
	if (!cmd) {
		cli_error(_("unknown command '%s' (see 'incluinfo --help')"), argv[i]);
		return EXIT_USAGE;
	}

	/* Global options may follow the command too; the command sees the rest. */
	int cmd_argc = 0;
	char **cmd_argv = calloc((size_t)(argc - i + 1), sizeof *cmd_argv);
	if (!cmd_argv) {
		cli_error(_("out of memory"));
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
			cli_error(_("option '%s' needs an argument"), argv[j]);
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
			/* TRANSLATORS: a monitoring plugin's line: keep "INCLUINFO UNKNOWN - " */
			printf(_("INCLUINFO UNKNOWN - invalid configuration '%s'\n"), cli.config_path);
			status = PLUGIN_UNKNOWN;
		}
	}
	config_free(cli.config);
	free(cmd_argv);
	return finish(status);
}
