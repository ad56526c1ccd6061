#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "incident.h"
#include "incluinfo.h"
#include "text/tweet.h"
#include "thread.h"

struct request {
	const char *action;
	const char *id;
	const char *scope;
	const char *message;
	const char *status;
	const char *by;
	bool all;
	bool dry_run;
};

const struct cli_help cmd_incident_help = {
	.summary = N_("open, update, resolve or list incidents by hand"),
	.usage = N_("usage: incluinfo incident open --scope ID|TEXT --message TEXT [--status STATUS] [--by NAME] [--dry-run]\n"
		 "       incluinfo incident update ID --message TEXT [--status STATUS] [--by NAME]\n"
		 "       incluinfo incident resolve ID --message TEXT [--by NAME]\n"
		 "       incluinfo incident hold|release ID [--by NAME]\n"
		 "       incluinfo incident cancel ID [--by NAME]\n"
		 "       incluinfo incident list [--all]\n"
		 "\n"
		 "Manual incidents: an office closed, a phone line down. --scope is a configured service\n"
		 "id or free text. STATUS is investigando (the default), identificado or en seguimiento.\n"
		 "Each change is done as the caller, who needs the operator role (--by, when given,\n"
		 "must name them; without [person] sections it is recorded as written, by default the\n"
		 "caller's account; exit 77 when refused), audited and drafted into the incident's\n"
		 "thread, approved at once when [policy] incidents = auto. Opening one for a service that\n"
		 "already has an open incident is refused with its id (exit 65). resolve's --message\n"
		 "says what works again, as the public will read it: only staff know. ID is a UUID or\n"
		 "a unique prefix of at least 6 characters. list shows open incidents, --all every one.\n"
		 "open --dry-run prints the post and creates nothing. hold keeps an open incident's\n"
		 "unpublished posts (an alert waiting for [policy] confirm_minutes) from the public\n"
		 "until release; resolved while held, it is closed without any post. cancel closes a\n"
		 "manual incident of which nothing is public yet, without any post.\n"),
};

static const struct option incident_options[] = {
	{"scope", required_argument, NULL, 's'},
	{"message", required_argument, NULL, 'm'},
	{"status", required_argument, NULL, 't'},
	{"by", required_argument, NULL, 'b'},
	{"all", no_argument, NULL, 'a'},
	{"dry-run", no_argument, NULL, 'n'},
	{0},
};

/* The actions that change only whether an incident is announced, with nothing to say. */
static bool takes_nothing(const char *action)
{
	return !strcmp(action, "hold") || !strcmp(action, "release") || !strcmp(action, "cancel");
}

/* Fills req from the command line; -1, the problem said first, when it is not a valid
 * request (the caller adds the usage). */
static int parse(int argc, char **argv, struct request *req)
{
	static const char *const actions[] = {"open", "update", "resolve", "hold",
					      "release", "cancel", "list"};
	if (argc < 2) {
		cli_error(_("'incident' needs an action: open, update, resolve, hold, release, cancel or list"));
		return -1;
	}
	req->action = argv[1];
	size_t known = 0;
	while (known < sizeof actions / sizeof *actions && strcmp(actions[known], req->action))
		known++;
	if (known == sizeof actions / sizeof *actions) {
		cli_error(_("unknown action '%s' for 'incident': use open, update, resolve, hold, release, cancel or list"),
			  req->action);
		return -1;
	}
	/* the action is the options' argv[0], so options may come before or after the id */
	argc--;
	argv++;
	optind = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "", incident_options, NULL)) != -1) {
		switch (opt) {
		case 's': req->scope = optarg; break;
		case 'm': req->message = optarg; break;
		case 't': req->status = optarg; break;
		case 'b': req->by = optarg; break;
		case 'a': req->all = true; break;
		case 'n': req->dry_run = true; break;
		default: cli_option_refused(opt, argv, "incident"); return -1;
		}
	}
	bool takes_id = strcmp(req->action, "open") && strcmp(req->action, "list");
	if (takes_id && optind < argc)
		req->id = argv[optind++];
	const char *a = req->action;
	if (optind != argc)
		cli_error(_("unexpected argument '%s' for '%s'"), argv[optind], "incident");
	else if (takes_id && !req->id)
		cli_error(_("'incident %s' needs the incident's id"), a);
	else if (req->dry_run && strcmp(a, "open"))
		cli_error(_("'incident %s' takes no --dry-run: only 'open' does"), a);
	else if (!strcmp(a, "open") && !req->scope)
		cli_error(_("'incident %s' needs --scope (a service's id, or what the incident is about)"), a);
	else if (strcmp(a, "list") && !takes_nothing(a) && !req->message)
		cli_error(_("'incident %s' needs --message TEXT, what the public reads"), a);
	else if (takes_nothing(a) && (req->message || req->scope || req->status))
		cli_error(_("'incident %s' takes no --scope, --message or --status"), a);
	else
		return 0;
	return -1;
}

static cJSON *to_json(const void *item)
{
	const struct incident *inc = item;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", inc->uuid);
	cJSON_AddStringToObject(o, "kind", incident_kind_name(inc->kind));
	cJSON_AddItemToObject(o, "service", cli_json_text(inc->service));
	cJSON_AddStringToObject(o, "scope", inc->scope);
	cJSON_AddStringToObject(o, "status", incident_status_name(inc->status));
	cJSON_AddItemToObject(o, "opened_at", cli_json_time(inc->opened_at));
	cJSON_AddItemToObject(o, "resolved_at", cli_json_time(inc->resolved_at));
	cJSON_AddItemToObject(o, "last_draft", cli_json_text(inc->last_draft));
	return o;
}

static int list(const struct cli *cli, bool all)
{
	struct store *store;
	struct incident *items;
	size_t count;
	int status = cli_open_incidents(cli, all, &store, &items, &count);
	if (status)
		return status;
	store_close(store);
	if (cli->json) {
		status = cli_print_json_list(items, count, sizeof *items, to_json);
	} else if (count == 0) {
		puts(all ? _("no incidents") : _("no open incidents"));
	} else {
		static const int widths[] = {8, 8, 14, 16, 0};
		cli_print_row((const char *[]){_("ID"), _("KIND"), _("STATUS"), _("OPENED"), _("SCOPE")},
			      widths, 5);
		for (size_t i = 0; i < count; i++) {
			char opened[32];
			cli_time_human(items[i].opened_at, opened);
			opened[16] = '\0';
			char id[9];
			snprintf(id, sizeof id, "%.8s", items[i].uuid);
			cli_print_row((const char *[]){id, incident_kind_label(items[i].kind),
						       incident_status_name(items[i].status), opened,
						       items[i].scope},
				      widths, 5);
		}
	}
	free(items);
	return status;
}

/* What each action on one incident does, and the word its line ends with. */
static const struct {
	const char *action;
	const char *done;
} done_words[] = {
	{"open", N_("opened")},   {"update", N_("updated")}, {"resolve", N_("resolved")},
	{"hold", N_("held")},     {"release", N_("released")}, {"cancel", N_("cancelled")},
};

static ii_err act(const struct incident_context *ctx, const struct request *req,
		  struct incident *inc, struct ii_error *e)
{
	if (!strcmp(req->action, "open"))
		return incident_open_manual(ctx, req->scope, req->message, req->status, inc, e);
	if (!strcmp(req->action, "update"))
		return incident_update_manual(ctx, req->id, req->message, req->status, inc, e);
	if (!strcmp(req->action, "hold"))
		return incident_hold(ctx, req->id, inc, e);
	if (!strcmp(req->action, "release"))
		return incident_release(ctx, req->id, inc, e);
	if (!strcmp(req->action, "cancel"))
		return incident_cancel(ctx, req->id, inc, e);
	return incident_resolve_manual(ctx, req->id, req->message, inc, e);
}

/* open --dry-run: the post as it would be drafted, from no store. */
static int dry_run(const struct cli *cli, const struct messages *messages, const struct request *req)
{
	struct thread *thread;
	struct ii_error e = {0};
	if (incident_preview_manual(cli->config, messages, req->scope, req->message, req->status,
				    cli_now(), &thread, &e))
		return cli_fail(&e);
	size_t count = thread_count(thread);
	if (cli->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON *posts = cJSON_AddArrayToObject(o, "posts");
		for (size_t i = 0; i < count; i++)
			cJSON_AddItemToArray(posts, cli_post_json(thread_post(thread, i),
								  thread_post_length(thread, i)));
		thread_free(thread);
		return cli_print_json(o);
	}
	for (size_t i = 0; i < count; i++)
		cli_print_post(i, count, thread_post(thread, i), thread_post_length(thread, i),
			       TWEET_MAX_WEIGHTED_LENGTH);
	thread_free(thread);
	return EXIT_OK;
}

int cmd_incident(int argc, char **argv, struct cli *cli)
{
	struct request req = {0};
	if (parse(argc, argv, &req) < 0)
		return cli_usage("incident");
	if (!strcmp(req.action, "list"))
		return list(cli, req.all);
	int status = cli_check_text("--scope", req.scope, false);
	if (!status)
		status = cli_check_text("--message", req.message, true);
	if (status)
		return status;
	struct cli_identity id;
	status = cli_identify(cli, "incident", CONFIG_ROLE_OPERATOR, req.by, &id);
	if (status)
		return status;

	struct messages *messages;
	status = cli_load_messages(cli->config, &messages);
	if (status)
		return status;
	if (req.dry_run) {
		status = dry_run(cli, messages, &req);
		messages_free(messages);
		return status;
	}
	struct store *store;
	status = cli_open_store(cli, STORE_WRITE, &store);
	if (status) {
		messages_free(messages);
		return status;
	}
	const struct incident_context ctx = {
		.store = store, .cfg = cli->config, .messages = messages, .actor = &id.actor,
		.now = id.actor.at,
	};
	struct incident inc;
	struct ii_error e = {0};
	ii_err rc = store_begin(store, &e);
	if (rc == II_OK)
		rc = act(&ctx, &req, &inc, &e);
	if (rc == II_OK)
		rc = store_commit(store, &e);
	if (rc)
		store_rollback(store);
	store_close(store);
	messages_free(messages);
	if (rc)
		return cli_fail(&e);
	if (cli->json)
		return cli_print_json(to_json(&inc));
	const char *done = "";
	for (size_t i = 0; i < sizeof done_words / sizeof *done_words; i++)
		if (!strcmp(req.action, done_words[i].action))
			done = _(done_words[i].done);
	if (!cli->quiet)
		printf(_("incident %.8s %s (%s); draft %.8s\n"), inc.uuid, done,
		       incident_status_name(inc.status), inc.last_draft);
	return EXIT_OK;
}
