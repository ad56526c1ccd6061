#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "i18n.h"
#include "incluinfo.h"
#include "noticedir.h"

struct tally {
	size_t checked;
	size_t invalid;
	int worst; /* the first exit code that is neither OK nor DATA */
};

static void lint_file(const struct cli *cli, const struct messages *messages,
		      const struct counter counters[COUNT_NETWORKS], const char *path, struct tally *t)
{
	struct notice *n;
	struct thread *thread;
	bool changing;
	int status = cli_read_notice(cli, messages, path, &n, &thread, &changing);
	t->checked++;
	if (status == EXIT_OK && changing)
		fprintf(stderr, _("%s: warning: changed while it was read; not checked\n"), path);
	bool read = status == EXIT_OK && !changing;
	/* X's single post, under thread_mode = single, must fit X with its link */
	struct thread *single = NULL;
	if (status == EXIT_OK && read)
		status = cli_notice_single(cli, path, n, thread_count(thread), &single);
	thread_free(single);
	/* X's thread came with the notice; every other network's must be valid too */
	for (int k = COUNT_X + 1; status == EXIT_OK && read && k < COUNT_NETWORKS; k++) {
		struct thread *other = NULL;
		status = cli_notice_thread(cli, messages, path, n, &counters[k], &other);
		thread_free(other);
	}
	if (read) {
		thread_free(thread);
		notice_free(n);
	}
	if (status == EXIT_DATA)
		t->invalid++;
	else if (status != EXIT_OK && !t->worst)
		t->worst = status;
}

static void lint_dir(const struct cli *cli, const struct messages *messages,
		     const struct counter counters[COUNT_NETWORKS], const char *dir, struct tally *t)
{
	struct noticedir_file *files;
	size_t count;
	struct diag_list *refused = diag_new();
	struct ii_error e = {0};
	if (!refused || noticedir_list(dir, &files, &count, refused, &e)) {
		diag_free(refused);
		if (!t->worst)
			t->worst = e.code ? cli_fail(&e) : EXIT_SOFTWARE;
		return;
	}
	cli_print_diags(refused);
	t->invalid += diag_count(refused);
	diag_free(refused);
	for (size_t i = 0; i < count; i++)
		lint_file(cli, messages, counters, files[i].path, t);
	noticedir_free(files, count);
}

const struct cli_help cmd_lint_help = {
	.summary = N_("check notices and templates before they are published"),
	.usage = N_("usage: incluinfo lint [PATH]...\n"
		 "\n"
		 "Validates notice files (by default every notice in notices_dir; a PATH may be a file\n"
		 "or a folder) and builds their threads on every network (X, Mastodon, Bluesky), so\n"
		 "that anything that would fail at preview or publication fails here, with its line.\n"
		 "Also renders every message template with the longest configured service name.\n"
		 "Prints every error; exit 65 if anything is invalid.\n"
		 "Warns, without failing, where a post starts inside a sentence, with the line of\n"
		 "its paragraph, so that the sentence can be rewritten; where a template writes an\n"
		 "article before a value that carries its own ('las {hora}'); and of a service\n"
		 "without in_sentence.\n"),
};

int cmd_lint(int argc, char **argv, struct cli *cli)
{
	struct messages *messages;
	int status = cli_load_messages(cli->config, &messages);
	if (status)
		return status;
	struct counter counters[COUNT_NETWORKS];
	if ((status = cli_network_counters(cli, counters))) {
		messages_free(messages);
		return status;
	}
	struct tally t = {0};
	struct diag_list *diags = diag_new();
	struct ii_error e = {0};
	bool templates_fit = diags && messages_lint(messages, cli->config, diags, &e) == II_OK;
	if (diags)
		cli_print_diags(diags);
	diag_free(diags);
	cli_print_warnings(cli, messages);
	if (argc < 2)
		lint_dir(cli, messages, counters, cli->config->notices_dir, &t);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			lint_dir(cli, messages, counters, argv[i], &t);
		else
			lint_file(cli, messages, counters, argv[i], &t);
	}
	messages_free(messages);
	if (!cli->quiet)
		printf(templates_fit ? ngettext("%zu notice checked, %zu invalid; templates fit\n",
						"%zu notices checked, %zu invalid; templates fit\n", t.checked)
				     : ngettext("%zu notice checked, %zu invalid; templates too long\n",
						"%zu notices checked, %zu invalid; templates too long\n",
						t.checked),
		       t.checked, t.invalid);
	if (t.worst)
		return t.worst;
	return t.invalid || !templates_fit ? EXIT_DATA : EXIT_OK;
}
