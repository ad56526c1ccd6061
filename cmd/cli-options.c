#include <stdio.h>

#include "incluinfo.h"

int cli_no_more_arguments(int argc, char **argv, int first, const char *command)
{
	if (first >= argc)
		return EXIT_OK;
	cli_error("unexpected argument '%s' for '%s'", argv[first], command);
	return cli_usage(command);
}
