#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "incluinfo.h"
#include "printable.h"

int cli_no_more_arguments(int argc, char **argv, int first, const char *command)
{
	if (first >= argc)
		return EXIT_OK;
	cli_error(_("unexpected argument '%s' for '%s'"), argv[first], command);
	return cli_usage(command);
}

void cli_option_refused(int opt, char **argv, const char *command)
{
	/* getopt_long() sets optopt to a known option's value when its argument is missing,
	 * to 0 for a long option it does not know */
	const char *option = argv[optind - 1];
	if (opt != '?' && optarg == option && optind >= 2)
		option = argv[optind - 2]; /* "--reason TEXT": the option before its value */
	if (opt == '?' && optopt)
		cli_error(_("option '%s' needs an argument"), option);
	else
		cli_error(_("unknown option '%s' for '%s'"), option, command);
}

int cli_bad_option(int opt, char **argv, const char *command)
{
	cli_option_refused(opt, argv, command);
	return cli_usage(command);
}

int cli_check_text(const char *option, const char *value, bool lines)
{
	int32_t cp = value ? printable_first_unsafe(value, strlen(value), lines) : -1;
	if (cp < 0)
		return EXIT_OK;
	cli_error(_("invalid value for '%s': control character U+%04X (names and messages are "
		  "published and audited as they are)"), option, (unsigned)cp);
	return EXIT_DATA;
}
