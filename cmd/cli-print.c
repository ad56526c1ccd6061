#include <stdarg.h>
#include <stdio.h>

#include "incluinfo.h"
#include "text/tweet.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("incluinfo: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cli_exit_code(ii_err code)
{
	switch (code) {
	case II_OK: return EXIT_OK;
	case II_ECONFIG: return EXIT_CONFIG;
	case II_EDATA: return EXIT_DATA;
	case II_EIO:
	case II_ESTATE: return EXIT_CANTCREAT;
	case II_ELOCKED: return EXIT_TEMPFAIL;
	case II_EREMOTE: return EXIT_REMOTE;
	case II_ENOMEM:
	case II_EINTERNAL: break;
	}
	return EXIT_SOFTWARE;
}

int cli_fail(const struct ii_error *e)
{
	cli_error("%s", e->detail[0] ? e->detail : ii_strerror(e->code));
	return cli_exit_code(e->code);
}

void cli_print_diags(const struct diag_list *diags)
{
	for (size_t i = 0; i < diag_count(diags); i++)
		fprintf(stderr, "%s\n", diag_at(diags, i));
}

void cli_print_post(size_t index, size_t count, const char *text, int weighted_length)
{
	printf("[%zu/%zu] %d/%d\n%s\n\n", index + 1, count, weighted_length,
	       TWEET_MAX_WEIGHTED_LENGTH, text);
}
