#include <stdio.h>

#include "feeds.h"
#include "i18n.h"
#include "incluinfo.h"

int cli_write_feeds(const struct config *cfg, struct store *store, struct feeds_summary *sum)
{
	struct ii_error e = {0};
	return feeds_write(store, cfg, cli_now(), sum, &e) ? cli_fail(&e) : EXIT_OK;
}

void cli_feeds_print(const struct config *cfg, const struct feeds_summary *sum)
{
	printf(_("feeds written to %s: %s (%zu entries), %s (%zu), cap/ (%zu messages), "
	       "desmentidos/ (%zu ClaimReview)\n"),
	       cfg->feeds_dir, FEEDS_INCIDENTS_FILE, sum->incident_entries, FEEDS_NOTICES_FILE,
	       sum->notice_entries, sum->cap_messages, sum->claim_reviews);
}

int cli_feeds_catch_up(const struct config *cfg, struct store *store, bool quiet)
{
	struct ii_error e = {0};
	bool stale;
	if (!cfg->feeds.base_url)
		return EXIT_OK;
	if (feeds_tidy(cfg, &e) || feeds_stale(store, &stale, &e))
		return cli_fail(&e);
	struct feeds_summary sum;
	int status = stale ? cli_write_feeds(cfg, store, &sum) : EXIT_OK;
	if (stale && status == EXIT_OK && !quiet)
		cli_feeds_print(cfg, &sum);
	return status;
}

static cJSON *summary_json(const struct config *cfg, const struct feeds_summary *sum)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "dir", cfg->feeds_dir);
	cJSON_AddNumberToObject(o, "incident_entries", (double)sum->incident_entries);
	cJSON_AddNumberToObject(o, "notice_entries", (double)sum->notice_entries);
	cJSON_AddNumberToObject(o, "cap_messages", (double)sum->cap_messages);
	cJSON_AddNumberToObject(o, "claim_reviews", (double)sum->claim_reviews);
	return o;
}

const struct cli_help cmd_feeds_help = {
	.summary = N_("write the Atom, CAP and ClaimReview feeds"),
	.usage = N_("usage: incluinfo feeds\n"
		 "\n"
		 "Regenerates, from everything published, feeds_dir/incidencias.atom, avisos.atom,\n"
		 "cap/ (CAP 1.2 messages and cap/index.atom) and desmentidos/SLUG.jsonld (ClaimReview).\n"
		 "Each file is replaced atomically; files of what is no longer published are removed.\n"
		 "publish, run and retract do the same whenever something was published or retracted\n"
		 "since the feeds were last written.\n"
		 "Needs [feeds] base_url (exit 78 without it).\n"),
};

int cmd_feeds(int argc, char **argv, struct cli *cli)
{
	if (argc > 1)
		return cli_no_more_arguments(argc, argv, 1, "feeds");
	struct lock *lock;
	int status = cli_lock(cli, &lock);
	if (status)
		return status;
	struct store *store;
	struct feeds_summary sum;
	status = cli_open_store(cli, STORE_WRITE, &store);
	if (status == EXIT_OK)
		status = cli_write_feeds(cli->config, store, &sum);
	if (status == EXIT_OK && cli->json)
		status = cli_print_json(summary_json(cli->config, &sum));
	else if (status == EXIT_OK && !cli->quiet)
		cli_feeds_print(cli->config, &sum);
	store_close(store);
	lock_release(lock);
	return status;
}
