#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <time.h>

#include "i18n.h"
#include "incluinfo.h"
#include "publish.h"
#include "channels.h"

static void trace(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, _("incluinfo: trace: %s\n"), line);
}

/* With several channels, each line says which one it is about. */
static void print_channel(const struct publish_channel *channel, bool several)
{
	if (several)
		printf("%s: ", channel->name);
}

static void print_item(const struct publish_channel *channel, bool several,
		       const struct publish_item *it, bool dry_run)
{
	char until[32] = "";
	if (it->until)
		cli_time_human(it->until, until);
	size_t posts = dry_run ? it->post_count : it->sent;
	print_channel(channel, several);
	switch (it->fate) {
	case PUBLISH_PUBLISHED:
		printf(dry_run ? ngettext("would publish %.8s %s \"%s\" (%zu post)\n",
					  "would publish %.8s %s \"%s\" (%zu posts)\n", posts)
			       : ngettext("published %.8s %s \"%s\" (%zu post)\n",
					  "published %.8s %s \"%s\" (%zu posts)\n", posts),
		       it->draft.uuid, draft_kind_name(it->draft.kind), it->draft.title, posts);
		break;
	case PUBLISH_DEFERRED:
		if (*until)
			printf(_("deferred %.8s \"%s\" until %s: %s\n"), it->draft.uuid, it->draft.title,
			       until, it->reason);
		else
			printf(_("deferred %.8s \"%s\": %s\n"), it->draft.uuid, it->draft.title, it->reason);
		break;
	case PUBLISH_FAILED:
		printf(_("failed %.8s \"%s\": %s\n"), it->draft.uuid, it->draft.title, it->reason);
		break;
	}
}

/* A published draft as run reports it: the channel and the address of its last post (its
 * id when the channel gives none), the one a reader is shown. */
static void print_public(struct store *store, const struct config *cfg,
			 const struct publish_channel *channel, const struct publish_item *it)
{
	char ref[DRAFT_REF_SIZE] = "", url[DRAFT_REF_SIZE + 256];
	struct ii_error e = {0};
	if (draft_last_remote_id(store, it->draft.uuid, channel->id, ref, &e))
		cli_fail(&e);
	printf(ngettext("published %.8s \"%s\" on %s: %zu post, the last %s\n",
			"published %.8s \"%s\" on %s: %zu posts, the last %s\n", it->sent),
	       it->draft.uuid, it->draft.title, channel->name, it->sent,
	       channels_post_url(cfg, channel->id, ref, url, sizeof url) ? url : ref);
}

/* Adds rep's drafts to the report's lists, each with its channel. */
static void report_json(cJSON *o, const struct publish_channel *channel,
			const struct publish_report *rep)
{
	static const char *const lists[] = {"published", "deferred", "failed"};
	for (size_t i = 0; i < rep->count; i++) {
		const struct publish_item *it = &rep->items[i];
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "id", it->draft.uuid);
		cJSON_AddStringToObject(item, "channel", channel->id);
		cJSON_AddStringToObject(item, "kind", draft_kind_name(it->draft.kind));
		cJSON_AddStringToObject(item, "title", it->draft.title);
		if (it->fate == PUBLISH_PUBLISHED)
			cJSON_AddNumberToObject(item, "post_count", (double)it->post_count);
		if (it->fate == PUBLISH_DEFERRED) {
			cJSON_AddStringToObject(item, "reason", it->reason);
			cJSON_AddItemToObject(item, "until", cli_json_time(it->until));
		}
		if (it->fate == PUBLISH_FAILED)
			cJSON_AddStringToObject(item, "error", it->reason);
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(o, lists[it->fate]), item);
	}
}

/* What publishing on one channel found, summed over the channels. */
struct outcome {
	size_t expired;
	bool failed, published, unauthorized, remote_failed, rate_limited;
	char account[CONDITION_DETAIL_SIZE];     /* the first channel's that refused */
	char unreachable[CONDITION_DETAIL_SIZE]; /* the first channel's that did not answer */
};

/* Publishes on channel c of set, printing (or adding to json) what happened. */
static int publish_on(struct store *store, const struct channels *set,
		      size_t c, const struct publish_options *base, bool quiet, cJSON *json,
		      bool news, struct outcome *out)
{
	const struct publish_channel *channel = set->opened[c];
	if (!channel) { /* none opened: it only expires */
		struct publish_report rep = {0};
		struct ii_error e = {0};
		ii_err rc = publish_run(store, NULL, base, &rep, &e);
		out->expired += rep.expired;
		publish_report_free(&rep);
		return rc ? cli_fail(&e) : EXIT_OK;
	}
	bool several = set->count > 1;
	struct publish_options options = *base;
	options.thread_delay_ms = set->thread_delay_ms[c];
	options.claim_lease = publish_claim_lease(set->timeout_ms[c]);
	struct publish_report rep = {0};
	struct ii_error e = {0};
	if (publish_run(store, channel, &options, &rep, &e))
		return cli_fail(&e);
	out->expired += rep.expired;
	bool failed = false;
	for (size_t i = 0; i < rep.count; i++) {
		failed |= rep.items[i].fate == PUBLISH_FAILED;
		out->published |= rep.items[i].fate == PUBLISH_PUBLISHED;
	}
	out->failed |= failed;
	out->rate_limited |= rep.rate_limited;
	/* with news, the caller reports the account's problems: only failed drafts are news here */
	bool stopped = !news && (rep.unauthorized || rep.remote_failed);
	if (json)
		report_json(json, channel, &rep);
	else if (!quiet || failed || stopped)
		for (size_t i = 0; i < rep.count; i++)
			if (!quiet || (news ? rep.items[i].fate == PUBLISH_FAILED
					    : rep.items[i].fate != PUBLISH_PUBLISHED))
				print_item(channel, several, &rep.items[i], options.dry_run);
	/* run's record of what the public now sees, for cron's mail */
	for (size_t i = 0; news && quiet && !json && !options.dry_run && i < rep.count; i++)
		if (rep.items[i].fate == PUBLISH_PUBLISHED)
			print_public(store, set->cfg, channel, &rep.items[i]);
	for (size_t i = 0; i < rep.count; i++)
		if (rep.items[i].fate == PUBLISH_FAILED && rep.items[i].sent)
			cli_error(_("thread %.8s \"%s\" stopped midway on %s: %zu of %zu posts are public"),
				  rep.items[i].draft.uuid, rep.items[i].draft.title, channel->name,
				  rep.items[i].sent, rep.items[i].post_count);
	if (rep.unauthorized && !out->unauthorized)
		snprintf(out->account, sizeof out->account,
			 _("%s refused the credentials in '%s': posting stopped"), channel->name,
			 set->credentials[c]);
	else if (rep.remote_failed && !out->remote_failed)
		snprintf(out->unreachable, sizeof out->unreachable,
			 _("%s did not answer; what was left is retried on the next run"), channel->name);
	out->unauthorized |= rep.unauthorized;
	out->remote_failed |= rep.remote_failed;
	publish_report_free(&rep);
	return EXIT_OK;
}

int cli_publish(const struct cli *cli, struct store *store, const struct draft_actor *by,
		bool dry_run, bool quiet, cJSON **json, struct cli_publish_news *news)
{
	struct channels set = {0};
	struct ii_error e = {0};
	int status = EXIT_OK;
	struct draft_actor actor = *by;
	struct draft *due = NULL;
	size_t due_count = 0;
	if (draft_due(store, actor.at, &due, &due_count, &e))
		return cli_fail(&e);
	free(due);
	/* with nothing due the accounts are not needed: a monitor without credentials stays
	 * quiet */
	if (due_count && channels_open(cli->config, store, cli->verbose > 1 ? trace : NULL, NULL, &set, &e))
		return cli_fail(&e);
	/* a channel that cannot be opened keeps nothing from the others */
	for (size_t i = 0; i < set.failed_count; i++) {
		if (news && !*news->account)
			snprintf(news->account, sizeof news->account, "%.500s", set.failed[i].detail);
		else if (!news)
			cli_fail(&set.failed[i]);
		if (!status)
			status = cli_exit_code(set.failed[i].code);
	}
	/* what a channel must learn of its server before anything is sent: a failure is said
	 * (at most once a day, so run says it too) and publishing goes on */
	if (due_count && !dry_run && channels_prepare(&set, store, actor.at, &e)) {
		channels_close(&set);
		return cli_fail(&e);
	}
	for (size_t i = 0; !cli->quiet && i < set.warning_count; i++)
		fprintf(stderr, _("incluinfo: warning: %s\n"), set.warnings[i].detail);
	const struct publish_options options = {
		.now = actor.at,
		.max_attempts = 3,
		.dry_run = dry_run,
		.actor = &actor,
		.notify = cli->config,
		.channels = set.ids,
		.channel_count = set.count,
	};
	cJSON *report = json ? cJSON_CreateObject() : NULL;
	if (report) {
		cJSON_AddArrayToObject(report, "published");
		cJSON_AddArrayToObject(report, "deferred");
		cJSON_AddArrayToObject(report, "failed");
	}
	struct outcome found = {0};
	int published = EXIT_OK;
	/* with no channel open, set.opened[0] is NULL: expiry only */
	for (size_t c = 0; published == EXIT_OK && c < (set.open_count ? set.open_count : 1); c++)
		published = publish_on(store, &set, c, &options, quiet, report, news != NULL, &found);
	if (published) {
		status = published;
		goto out;
	}
	if (report) {
		cJSON_AddNumberToObject(report, "expired", (double)found.expired);
		*json = report;
		report = NULL;
	}
	if (found.unauthorized || found.remote_failed)
		status = EXIT_REMOTE;
	else if (found.failed && !status)
		status = EXIT_DATA;
	else if (found.rate_limited && !status)
		status = EXIT_TEMPFAIL;
	if (news) {
		if (!*news->account)
			snprintf(news->account, sizeof news->account, "%s", found.account);
		snprintf(news->unreachable, sizeof news->unreachable, "%s", found.unreachable);
		news->published = found.published && !dry_run;
	} else {
		if (*found.account)
			cli_error("%s", found.account);
		if (*found.unreachable)
			cli_error("%s", found.unreachable);
	}
	if (!dry_run) {
		/* the feeds follow what the channels show, also after a write that failed; a feed
		 * that cannot be written is an error of its own */
		int feeds = cli_feeds_catch_up(cli->config, store, quiet || json);
		if (!status)
			status = feeds;
	}
out:
	cJSON_Delete(report);
	channels_close(&set);
	return status;
}

const struct cli_help cmd_publish_help = {
	.summary = N_("publish the approved drafts that are due to every channel, exactly once"),
	.usage = N_("usage: incluinfo publish [--dry-run]\n"
		 "\n"
		 "Sends every approved draft that is due (publicar <= now < caduca), oldest first, each\n"
		 "thread part by part, thread_delay_ms apart; expired drafts become expired. Every post\n"
		 "is journalled before it is sent and reconciled against the account's recent posts\n"
		 "after a crash or a timeout, so nothing is posted twice. Rate limits are respected: a\n"
		 "thread starts only when the known budget covers all its posts. --dry-run prints what\n"
		 "would be sent and changes nothing; --json reports published, deferred (with reason\n"
		 "and time) and failed drafts. Exit 0 when everything due was published or deferred,\n"
		 "65 when a draft failed for good, 69 when X refused the credentials or did not answer,\n"
		 "75 when X's rate limit holds a due draft back (a reset more than 24 h ahead counts\n"
		 "as 24 h from now). Publishing by hand is done as the caller, who needs the operator\n"
		 "role when [person] sections are configured (exit 77 otherwise); run publishes as\n"
		 "the program itself.\n"),
};

static const struct option publish_options[] = {{"dry-run", no_argument, NULL, 'n'}, {0}};

int cmd_publish(int argc, char **argv, struct cli *cli)
{
	bool dry_run = false;
	int opt;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", publish_options, NULL)) != -1) {
		if (opt != 'n')
			return cli_bad_option(opt, argv, "publish");
		dry_run = true;
	}
	if (optind < argc)
		return cli_no_more_arguments(argc, argv, optind, "publish");
	struct lock *lock = NULL;
	struct store *store = NULL;
	cJSON *json = NULL;
	/* a dry run changes nothing: anyone may look */
	struct cli_identity id = {.actor = cli_system_actor()};
	int status = dry_run ? EXIT_OK : cli_identify(cli, "publish", CONFIG_ROLE_OPERATOR, NULL, &id);
	if (status == EXIT_OK && !dry_run)
		status = cli_lock(cli, &lock);
	if (status == EXIT_OK)
		status = cli_open_store(cli, dry_run ? STORE_READ : STORE_WRITE, &store);
	if (status == EXIT_OK && store)
		status = cli_publish(cli, store, &id.actor, dry_run, cli->quiet,
				     cli->json ? &json : NULL, NULL);
	if (json) {
		int printed = cli_print_json(json);
		status = status ? status : printed;
	}
	store_close(store);
	lock_release(lock);
	return status;
}
