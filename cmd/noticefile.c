#include <stdio.h>
#include <stdlib.h>

#include "incluinfo.h"
#include "ingest.h"
#include "noticedir.h"

void cli_print_diags(const struct diag_list *diags)
{
	for (size_t i = 0; i < diag_count(diags); i++)
		fprintf(stderr, "%s\n", diag_at(diags, i));
}

int cli_read_notice(const struct cli *cli, const struct messages *messages, const char *path,
		    struct notice **notice, struct thread **thread, bool *changing)
{
	*notice = NULL;
	*thread = NULL;
	char *text;
	size_t len;
	struct ii_error e = {0};
	ii_err rc = noticedir_read(path, &text, &len, changing, &e);
	if (rc == II_EDATA) {
		fprintf(stderr, "%s: error: el archivo ocupa más de %u KiB\n", path,
			NOTICEDIR_MAX_FILE / 1024);
		return EXIT_DATA;
	}
	if (rc)
		return cli_fail(&e);
	if (*changing)
		return EXIT_OK;
	struct diag_list *diags = diag_new();
	if (!diags) {
		free(text);
		cli_error("out of memory");
		return EXIT_SOFTWARE;
	}
	rc = notice_parse(path, text, len, notice, diags, &e);
	free(text);
	if (rc == II_OK)
		rc = ingest_thread(*notice, path, cli->config, messages, thread, diags, &e);
	cli_print_diags(diags);
	size_t reported = diag_count(diags);
	diag_free(diags);
	if (rc == II_OK)
		return EXIT_OK;
	notice_free(*notice);
	*notice = NULL;
	if (rc == II_EDATA && reported)
		return EXIT_DATA;
	return cli_fail(&e);
}
