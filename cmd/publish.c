#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <time.h>

#include "i18n.h"
#include "incluinfo.h"
#include "publish.h"
#include "xchannel.h"

static void trace(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, _("incluinfo: trace: %s\n"), line);
}

static void print_item(const struct publish_item *it, bool dry_run)
{
	char until[32] = "";
	if (it->until)
		cli_time_human(it->until, until);
	size_t posts = dry_run ? it->draft.post_count : it->sent;
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

/* A published draft as run reports it: the channel and the id of its last post, the one a
 * reader is shown. */
static void print_public(struct store *store, const struct publish_item *it)
{
	char ref[DRAFT_REF_SIZE] = "";
	struct ii_error e = {0};
	if (draft_last_remote_id(store, it->draft.uuid, XCHANNEL_ID, ref, &e))
		cli_fail(&e);
	printf(ngettext("published %.8s \"%s\" on X: %zu post, the last %s\n",
			"published %.8s \"%s\" on X: %zu posts, the last %s\n", it->sent),
	       it->draft.uuid, it->draft.title, it->sent, ref);
}

static cJSON *report_json(const struct publish_report *rep)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *lists[] = {cJSON_AddArrayToObject(o, "published"), cJSON_AddArrayToObject(o, "deferred"),
			  cJSON_AddArrayToObject(o, "failed")};
	for (size_t i = 0; i < rep->count; i++) {
		const struct publish_item *it = &rep->items[i];
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "id", it->draft.uuid);
		cJSON_AddStringToObject(item, "kind", draft_kind_name(it->draft.kind));
		cJSON_AddStringToObject(item, "title", it->draft.title);
		if (it->fate == PUBLISH_PUBLISHED)
			cJSON_AddNumberToObject(item, "post_count", (double)it->draft.post_count);
		if (it->fate == PUBLISH_DEFERRED) {
			cJSON_AddStringToObject(item, "reason", it->reason);
			cJSON_AddItemToObject(item, "until", cli_json_time(it->until));
		}
		if (it->fate == PUBLISH_FAILED)
			cJSON_AddStringToObject(item, "error", it->reason);
		cJSON_AddItemToArray(lists[it->fate], item);
	}
	cJSON_AddNumberToObject(o, "expired", (double)rep->expired);
	return o;
}

int cli_publish(const struct cli *cli, struct store *store, const struct draft_actor *by,
		bool dry_run, bool quiet, cJSON **json, struct cli_publish_news *news)
{
	struct xchannel *x = NULL;
	struct ii_error e = {0};
	struct publish_report rep = {0};
	int status = EXIT_OK;
	struct draft_actor actor = *by;
	struct draft *due = NULL;
	size_t due_count = 0;
	if (draft_due(store, actor.at, &due, &due_count, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	free(due);
	/* with nothing due the account is not needed: a monitor without credentials stays quiet */
	if (due_count && xchannel_open(cli->config, store, cli->verbose > 1 ? trace : NULL, NULL, &x, &e)) {
		if (!news) {
			status = cli_fail(&e);
			goto out;
		}
		snprintf(news->account, sizeof news->account, "%.500s", e.detail);
		status = cli_exit_code(e.code);
		goto out;
	}
	const struct publish_options options = {
		.now = actor.at,
		.thread_delay_ms = cli->config->thread_delay_ms,
		.max_attempts = 3,
		.dry_run = dry_run,
		.actor = &actor,
		.notify = cli->config,
		.claim_lease = publish_claim_lease(cli->config->api_timeout_ms),
	};
	if (publish_run(store, x ? xchannel_channel(x) : NULL, &options, &rep, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	bool failed = false, published = false;
	for (size_t i = 0; i < rep.count; i++) {
		failed |= rep.items[i].fate == PUBLISH_FAILED;
		published |= rep.items[i].fate == PUBLISH_PUBLISHED;
	}
	/* with news, the caller reports the account's problems: only failed drafts are news here */
	bool stopped = !news && (rep.unauthorized || rep.remote_failed);
	if (json)
		*json = report_json(&rep);
	else if (!quiet || failed || stopped)
		for (size_t i = 0; i < rep.count; i++)
			if (!quiet || (news ? rep.items[i].fate == PUBLISH_FAILED
					    : rep.items[i].fate != PUBLISH_PUBLISHED))
				print_item(&rep.items[i], dry_run);
	/* run's record of what the public now sees, for cron's mail */
	for (size_t i = 0; news && quiet && !json && !dry_run && i < rep.count; i++)
		if (rep.items[i].fate == PUBLISH_PUBLISHED)
			print_public(store, &rep.items[i]);
	for (size_t i = 0; i < rep.count; i++)
		if (rep.items[i].fate == PUBLISH_FAILED && rep.items[i].sent)
			cli_error(_("thread %.8s \"%s\" stopped midway: %zu of %zu posts are public"),
				  rep.items[i].draft.uuid, rep.items[i].draft.title, rep.items[i].sent,
				  rep.items[i].draft.post_count);
	char problem[CONDITION_DETAIL_SIZE] = "";
	if (rep.unauthorized) {
		snprintf(problem, sizeof problem, _("X refused the credentials in '%s': posting stopped"),
			 cli->config->credentials);
		status = EXIT_REMOTE;
	} else if (rep.remote_failed) {
		snprintf(problem, sizeof problem, "%s",
			 _("X did not answer; what was left is retried on the next run"));
		status = EXIT_REMOTE;
	} else if (failed) {
		status = EXIT_DATA;
	} else if (rep.rate_limited) {
		status = EXIT_TEMPFAIL;
	}
	if (news) {
		snprintf(rep.unauthorized ? news->account : news->unreachable, sizeof news->account, "%s",
			 problem);
		news->published = published && !dry_run;
	} else if (*problem) {
		cli_error("%s", problem);
	}
	if (!dry_run) {
		/* the feeds follow what X shows, also after a write that failed; a feed that
		 * cannot be written is an error of its own */
		int feeds = cli_feeds_catch_up(cli->config, store, quiet || json);
		if (!status)
			status = feeds;
	}
out:
	publish_report_free(&rep);
	xchannel_close(x);
	return status;
}

const struct cli_help cmd_publish_help = {
	.summary = N_("publish the approved drafts that are due to X, exactly once"),
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
