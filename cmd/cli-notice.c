#include <stdio.h>
#include <stdlib.h>

#include "channels.h"
#include "i18n.h"
#include "incluinfo.h"
#include "ingest.h"

int cli_notice_status(const struct diag_list *diags, ii_err rc, const struct ii_error *e)
{
	cli_print_diags(diags);
	if (rc == II_OK)
		return EXIT_OK;
	if (rc == II_EDATA && diag_count(diags))
		return EXIT_DATA;
	return cli_fail(e);
}

/* Where a post starts inside a sentence: the author can rewrite it so that it does not. */
static void warn_cuts(const char *path, const struct thread *thread)
{
	size_t count = thread_count(thread);
	for (size_t i = 1; i < count; i++) {
		const struct thread_cut *c = thread_cut(thread, i);
		if (c->kind >= THREAD_CUT_SENTENCE)
			continue;
		if (c->line > 0)
			fprintf(stderr, "%s:%d: %s: ", path, c->line, _("warning"));
		else
			fprintf(stderr, "%s: %s: ", path, _("warning"));
		if (c->kind == THREAD_CUT_CLAUSE)
			fprintf(stderr,
				_("post %zu of %zu starts inside a sentence, at the clause after '%s': "
				  "a shorter sentence, or a full stop there, keeps each sentence in one "
				  "post\n"),
				i + 1, count, c->before);
		else
			fprintf(stderr,
				_("post %zu of %zu starts inside a sentence, between '%s' and '%s': a "
				  "shorter sentence keeps each sentence in one post\n"),
				i + 1, count, c->before, c->after);
	}
}

int cli_read_notice(const struct cli *cli, const struct messages *messages, const char *path,
		    struct notice **notice, struct thread **thread, bool *changing)
{
	struct diag_list *diags = diag_new();
	if (!diags) {
		cli_error(_("out of memory"));
		return EXIT_SOFTWARE;
	}
	struct ii_error e = {0};
	ii_err rc = ingest_read(path, cli->config, messages, notice, thread, changing, NULL, diags,
				&e);
	/* a notice read whole is also compared with what was published */
	bool read = rc == II_OK && !*changing;
	struct store *store = NULL;
	int status = read ? cli_open_store(cli, STORE_READ, &store) : EXIT_OK;
	if (status == EXIT_OK && read)
		rc = ingest_check_repeats(store, cli->config, path, *thread, diags, &e);
	store_close(store);
	if (status == EXIT_OK)
		status = cli_notice_status(diags, rc, &e);
	if (status != EXIT_OK && read) {
		thread_free(*thread);
		notice_free(*notice);
		*thread = NULL;
		*notice = NULL;
	}
	diag_free(diags);
	if (status == EXIT_OK && *notice)
		notice_check_at(*notice, cli_now());
	/* what the posts leave out of the file, what may not be meant: the author decides */
	for (size_t i = 0; status == EXIT_OK && *notice && !cli->quiet && i < (*notice)->warning_count; i++)
		fprintf(stderr, _("%s:%d: warning: %s\n"), path, (*notice)->warnings[i].line,
			(*notice)->warnings[i].text);
	if (status == EXIT_OK && !*changing && !cli->quiet)
		warn_cuts(path, *thread);
	return status;
}

int cli_network_counters(const struct cli *cli, struct counter counters[COUNT_NETWORKS])
{
	for (int k = 0; k < COUNT_NETWORKS; k++)
		counter_init(&counters[k], (enum count_network)k);
	struct store *store;
	int status = cli_open_store(cli, STORE_READ, &store);
	if (status)
		return status;
	struct channel_counter configured[CHANNELS_MAX];
	size_t count;
	struct ii_error e = {0};
	ii_err rc = channels_counters(cli->config, store, configured, &count, &e);
	store_close(store);
	if (rc)
		return cli_fail(&e);
	/* backwards: the first channel of a network is the one taken */
	for (size_t i = count; i-- > 0;)
		counters[configured[i].counter.network] = configured[i].counter;
	return EXIT_OK;
}

int cli_notice_thread(const struct cli *cli, const struct messages *messages, const char *path,
		      const struct notice *n, const struct counter *counter,
		      struct thread **thread)
{
	struct diag_list *diags = diag_new();
	if (!diags) {
		cli_error(_("out of memory"));
		return EXIT_SOFTWARE;
	}
	struct ii_error e = {0};
	ii_err rc = ingest_thread_for(n, path, cli->config, messages, counter, thread, diags, &e);
	int status = cli_notice_status(diags, rc, &e);
	diag_free(diags);
	return status;
}

int cli_notice_single(const struct cli *cli, const char *path, const struct notice *n,
		      size_t x_count, struct thread **thread)
{
	*thread = NULL;
	if (cli->config->x_thread_mode != CONFIG_THREAD_SINGLE || x_count < 2)
		return EXIT_OK;
	struct diag_list *diags = diag_new();
	if (!diags) {
		cli_error(_("out of memory"));
		return EXIT_SOFTWARE;
	}
	struct ii_error e = {0};
	char *single;
	int length;
	ii_err rc = ingest_single_post(n, path, cli->config, &single, &length, diags, &e);
	if (rc == II_OK && !single) {
		diag_add(diags, path, 0,
			 _("thread_mode = single needs a link to the whole text: set [feeds] base_url"));
		rc = ii_fail(&e, II_EDATA, _("no link to the whole text"));
	}
	/* one paragraph that fits: one post, its line break kept */
	struct thread_options options;
	thread_options_init(&options);
	options.lines = true;
	const char *paragraphs[] = {single};
	if (rc == II_OK)
		rc = thread_split(paragraphs, 1, &options, thread, &e);
	free(single);
	int status = cli_notice_status(diags, rc, &e);
	diag_free(diags);
	return status;
}
