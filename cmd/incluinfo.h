#ifndef INCLUINFO_CMD_H
#define INCLUINFO_CMD_H

/* What the commands share: the global options, exit codes and output helpers. */

#include <stdbool.h>
#include <time.h>

#include "config.h"
#include "error.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_USAGE = 64,
	EXIT_DATA = 65,
	EXIT_REMOTE = 69,
	EXIT_SOFTWARE = 70,
	EXIT_CANTCREAT = 73,
	EXIT_IOERR = 74,
	EXIT_TEMPFAIL = 75,
	EXIT_CONFIG = 78,
};

/* The monitoring-plugins contract that `check` keeps. */
enum plugin_status { PLUGIN_OK, PLUGIN_WARNING, PLUGIN_CRITICAL, PLUGIN_UNKNOWN };

struct cli {
	const char *config_path;
	bool json;
	int verbose;
	bool quiet;
	struct config *config; /* loaded before a command that needs it runs */
};

int cmd_check(int argc, char **argv, struct cli *cli);
int cmd_config(int argc, char **argv, struct cli *cli);
int cmd_count(int argc, char **argv, struct cli *cli);
int cmd_status(int argc, char **argv, struct cli *cli);

/* "incluinfo: error: ..." on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports e and returns the exit code its error maps to. */
int cli_fail(const struct ii_error *e);
int cli_exit_code(ii_err code);
/* Prints the command's usage on stderr and returns EXIT_USAGE. */
int cli_usage(const char *command);

/* Local time as "2026-11-28T10:42:05+01:00" and as "2026-11-28 10:42:05". */
void cli_time_iso(time_t t, char buf[32]);
void cli_time_human(time_t t, char buf[32]);

#endif
