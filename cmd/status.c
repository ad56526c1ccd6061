#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "incluinfo.h"
#include "mastodon.h"
#include "condition.h"
#include "notify.h"
#include "incident.h"
#include "publish.h"
#include "channels.h"
#include "store.h"

struct service_view {
	const struct config_service *svc;
	struct store_service state;
	bool checked;
	struct incident incident;
	bool has_incident;
	bool maintenance; /* inside an approved maintenance window now */
};

/* open: the open incidents, of which the service has at most two: staff's and the
 * monitor's, which is the one shown */
static ii_err load(struct store *store, const struct incident *open, size_t open_count,
		   struct service_view *v, struct ii_error *e)
{
	if (!store)
		return II_OK;
	for (size_t i = 0; i < open_count; i++) {
		if (!strcmp(open[i].service, v->svc->id) &&
		    (!v->has_incident || open[i].kind != INCIDENT_MANUAL)) {
			v->incident = open[i];
			v->has_incident = true;
		}
	}
	ii_err rc = store_service_get(store, v->svc->id, &v->state, &v->checked, e);
	if (!rc)
		rc = incident_in_maintenance(store, v->svc, cli_now(), &v->maintenance, e);
	return rc;
}

static cJSON *to_json(const struct service_view *v)
{
	cJSON *o = cJSON_CreateObject();
	const struct health_state *h = &v->state.health;
	cJSON_AddStringToObject(o, "id", v->svc->id);
	cJSON_AddStringToObject(o, "name", v->svc->name);
	cJSON_AddStringToObject(o, "state", health_name(h->state));
	cJSON_AddBoolToObject(o, "maintenance", v->maintenance);
	cJSON_AddItemToObject(o, "since", cli_json_time(h->since));
	cJSON_AddItemToObject(o, "last_check", cli_json_time(v->state.last_check));
	if (v->checked) {
		cJSON_AddStringToObject(o, "last_result", health_name(v->state.last_result));
		cJSON_AddStringToObject(o, "last_reason", v->state.last_reason);
	} else {
		cJSON_AddNullToObject(o, "last_result");
		cJSON_AddNullToObject(o, "last_reason");
	}
	cJSON_AddNumberToObject(o, "consecutive_failures", h->failures);
	cJSON_AddNumberToObject(o, "consecutive_successes", h->successes);
	if (v->has_incident) {
		cJSON *incident = cJSON_AddObjectToObject(o, "incident");
		cJSON_AddStringToObject(incident, "id", v->incident.uuid);
		cJSON_AddItemToObject(incident, "opened_at", cli_json_time(v->incident.opened_at));
		cJSON_AddStringToObject(incident, "cause", v->incident.cause);
	} else {
		cJSON_AddNullToObject(o, "incident");
	}
	return o;
}

static void print_line(const struct service_view *v)
{
	const struct health_state *h = &v->state.health;
	char since[32], last[32];
	if (!v->checked) {
		printf(_("%-16s never checked\n"), v->svc->id);
		return;
	}
	/* "unknown" alone reads as a fault: the monitor has not confirmed a state yet */
	cli_pad(v->svc->id, 16);
	putchar(' ');
	cli_pad(h->state == HEALTH_UNKNOWN ? _("not confirmed yet") : health_label(h->state), 9);
	if (v->maintenance)
		printf(_(" (maintenance window)"));
	if (h->since) {
		cli_time_human(h->since, since);
		printf(_(" since %s"), since);
	}
	cli_time_human(v->state.last_check, last);
	printf(_("; last check %s %s (%s)"), last, health_label(v->state.last_result),
	       v->state.last_reason);
	if (v->has_incident)
		printf(_("; incident %s"), v->incident.uuid);
	putchar('\n');
}

/* How many of draft uuid's posts are public on X. */
static int public_posts(struct store *store, const char *uuid, size_t *sent, size_t *count)
{
	struct draft_post *posts;
	struct ii_error e = {0};
	if (draft_posts(store, uuid, XCHANNEL_ID, &posts, count, &e))
		return cli_fail(&e);
	*sent = 0;
	for (size_t i = 0; i < *count; i++)
		*sent += posts[i].state == DRAFT_POST_SENT;
	draft_posts_free(posts, *count);
	return EXIT_OK;
}

/* Whether draft uuid's thread on channel ended in its single post (a refused answer). */
static int switched(struct store *store, const char *uuid, const char *channel, bool *yes)
{
	struct draft_post *posts;
	size_t count;
	struct ii_error e = {0};
	if (draft_posts(store, uuid, channel, &posts, &count, &e))
		return cli_fail(&e);
	*yes = false;
	for (size_t i = 0; i < count; i++)
		*yes |= posts[i].standalone;
	draft_posts_free(posts, count);
	return EXIT_OK;
}

/* A line for each thread that stopped midway (some of it is public, the rest is not), and
 * for each thread in play whose rest became one post on a channel that refused an answer. */
static int stopped_threads(struct store *store, const struct channels *set)
{
	struct draft *drafts;
	size_t n;
	struct ii_error e = {0};
	if (!store)
		return EXIT_OK;
	if (draft_list(store, false, &drafts, &n, &e))
		return cli_fail(&e);
	int status = EXIT_OK;
	for (size_t i = 0; status == EXIT_OK && i < n; i++) {
		size_t sent = 0, count = 0;
		if (drafts[i].status == DRAFT_FAILED)
			status = public_posts(store, drafts[i].uuid, &sent, &count);
		if (sent && sent < count)
			printf(_("%-16s draft %.8s \"%s\" stopped midway: posts 1-%zu of %zu are public: %s\n"),
			       "", drafts[i].uuid, drafts[i].title, sent, count, drafts[i].error);
		for (size_t c = 0; status == EXIT_OK && c < set->count; c++) {
			bool yes = false;
			status = switched(store, drafts[i].uuid, set->ids[c], &yes);
			if (yes)
				printf(_("%-16s draft %.8s \"%s\": %s refused an answer, and the rest of its"
					 " thread goes out as one post with a link to the whole text\n"),
				       "", drafts[i].uuid, drafts[i].title, set->ids[c]);
		}
	}
	free(drafts);
	return status;
}

/* An amount in micro-dollars as JSON: a number of dollars, null when negative (none). */
static void add_usd(cJSON *o, const char *name, long micro)
{
	if (micro >= 0)
		cJSON_AddNumberToObject(o, name, (double)micro / 1e6);
	else
		cJSON_AddNullToObject(o, name);
}

/* The month's spending on X, what its budget leaves, and whether staff were warned. */
static void print_spend(const struct config *cfg, const struct xchannel_spend *sp)
{
	char spent[32], left[32], budget[32];
	xchannel_format_usd(sp->spent, spent, sizeof spent);
	printf("%-16s ", _("X spending"));
	if (sp->budget < 0) {
		printf(_("%s in %s (no monthly budget)\n"), spent, sp->month);
		return;
	}
	xchannel_format_usd(sp->left, left, sizeof left);
	xchannel_format_usd(sp->budget, budget, sizeof budget);
	printf(_("%s in %s; %s of the %s monthly budget left"), spent, sp->month, left, budget);
	if (sp->low)
		printf(_(", past the %ld %% warning"), cfg->x_cost.warning);
	putchar('\n');
}

/* Whether the channel whose id is id is a Mastodon account. */
static bool is_mastodon(const struct config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->channel_count; i++)
		if (!strcmp(cfg->channels[i].id, id))
			return cfg->channels[i].type == CONFIG_CHANNEL_MASTODON;
	return false;
}

/* The limits a Mastodon channel's posts are held to: the instance's, or the defaults. */
static void put_limits(const struct mastodon_limits *lim, cJSON *o)
{
	if (o) {
		cJSON *limits = cJSON_AddObjectToObject(o, "limits");
		cJSON_AddNumberToObject(limits, "max_characters", lim->max_characters);
		cJSON_AddNumberToObject(limits, "url_length", lim->url_length);
		cJSON_AddItemToObject(limits, "read_at", cli_json_time(lim->read_at));
		if (*lim->problem)
			cJSON_AddStringToObject(limits, "problem", lim->problem);
		else
			cJSON_AddNullToObject(limits, "problem");
		return;
	}
	char when[32];
	printf("%-16s ", "");
	printf(_("posts of up to %d characters, links counted as %d"), lim->max_characters,
	       lim->url_length);
	if (lim->read_at) {
		cli_time_human(lim->read_at, when);
		printf(_(" (the instance's, read %s)"), when);
	} else {
		printf(_(" (Mastodon's defaults: the instance's are not known yet)"));
	}
	if (*lim->problem)
		printf(_("; the last request for them failed: %s"), lim->problem);
	putchar('\n');
}

/* How many of due (count drafts) have not ended on channel id yet. */
static int waiting_on(struct store *store, const char *id, const struct draft *due, size_t count,
		      size_t *waiting)
{
	struct ii_error e = {0};
	*waiting = 0;
	for (size_t i = 0; i < count; i++) {
		enum draft_delivery ended;
		if (draft_delivery_get(store, due[i].uuid, id, &ended, NULL, &e))
			return cli_fail(&e);
		*waiting += ended == DRAFT_DELIVERY_NONE;
	}
	return EXIT_OK;
}

/* One publishing channel (id, as the store keys it): its last success, its budget and the
 * drafts that wait for it; into o when not NULL, else a line. */
static int channel(const struct config *cfg, struct store *store, const char *id,
		   const struct draft *due, size_t count, cJSON *o)
{
	struct publish_state st = {.remaining = -1};
	struct xchannel_spend sp;
	struct mastodon_limits lim;
	bool x = !strcmp(id, XCHANNEL_ID); /* the channel that costs money */
	bool mastodon = is_mastodon(cfg, id); /* the channel that learns its limits */
	size_t waiting = 0;
	struct ii_error e = {0};
	time_t now = cli_now();
	if ((store && publish_state(store, id, now, &st, &e)) ||
	    (x && xchannel_spend(store, cfg, now, &sp, &e)) ||
	    (mastodon && mastodon_limits(store, id, &lim, &e)))
		return cli_fail(&e);
	int status = store ? waiting_on(store, id, due, count, &waiting) : EXIT_OK;
	if (status)
		return status;
	bool paused = st.stopped_until > now;
	if (o) {
		cJSON_AddItemToObject(o, "last_success", cli_json_time(st.last_success));
		if (st.remaining >= 0)
			cJSON_AddNumberToObject(o, "remaining", (double)st.remaining);
		else
			cJSON_AddNullToObject(o, "remaining");
		cJSON_AddItemToObject(o, "reset", cli_json_time(st.reset));
		cJSON_AddItemToObject(o, "paused_until", cli_json_time(paused ? st.stopped_until : 0));
		cJSON_AddNumberToObject(o, "waiting", (double)waiting);
		if (x) {
			cJSON *spend = cJSON_AddObjectToObject(o, "spend");
			cJSON_AddStringToObject(spend, "month", sp.month);
			add_usd(spend, "spent_usd", sp.spent);
			cJSON_AddNumberToObject(spend, "reads", (double)sp.reads);
			add_usd(spend, "budget_usd", sp.budget);
			add_usd(spend, "left_usd", sp.left);
			add_usd(spend, "warning_usd", sp.warning);
			cJSON_AddBoolToObject(spend, "low", sp.low);
		}
		if (mastodon)
			put_limits(&lim, o);
		return EXIT_OK;
	}
	char when[32];
	printf("%-16s ", strcmp(id, XCHANNEL_ID) ? id : "X");
	if (st.last_success) {
		cli_time_human(st.last_success, when);
		printf(_("last post %s"), when);
	} else {
		printf(_("nothing posted yet"));
	}
	if (st.remaining >= 0 && st.reset > now) {
		cli_time_human(st.reset, when);
		printf(_("; %ld posts left until %s"), st.remaining, when);
	}
	if (paused) {
		cli_time_human(st.stopped_until, when);
		printf(_("; paused until %s"), when);
	}
	printf(ngettext("; %zu draft waiting\n", "; %zu drafts waiting\n", waiting), waiting);
	if (x)
		print_spend(cfg, &sp);
	if (mastodon)
		put_limits(&lim, NULL);
	return EXIT_OK;
}

/* Every publishing channel: "channel" is X's (as before there were others), "channels"
 * each one's with its id. */
static int channels(const struct config *cfg, struct store *store, cJSON *root)
{
	struct channels set;
	channels_ids(cfg, &set);
	struct draft *due = NULL;
	size_t count = 0;
	struct ii_error e = {0};
	if (store && draft_due(store, cli_now(), &due, &count, &e))
		return cli_fail(&e);
	cJSON *array = root ? cJSON_AddArrayToObject(root, "channels") : NULL;
	int status = EXIT_OK;
	for (size_t i = 0; status == EXIT_OK && i < set.count; i++) {
		cJSON *o = NULL;
		if (array) {
			o = cJSON_CreateObject();
			cJSON_AddItemToArray(array, o);
			cJSON_AddStringToObject(o, "id", set.ids[i]);
		}
		status = channel(cfg, store, set.ids[i], due, count, o);
		if (status == EXIT_OK && root && !strcmp(set.ids[i], XCHANNEL_ID))
			status = channel(cfg, store, set.ids[i], due, count,
					 cJSON_AddObjectToObject(root, "channel"));
	}
	free(due);
	return status == EXIT_OK && !root ? stopped_threads(store, &set) : status;
}

/* What keeps runs from their job, as `run` last found it: one line each, oldest first. */
static int conditions(struct store *store, cJSON *root)
{
	struct condition *items = NULL;
	size_t count = 0;
	struct ii_error e = {0};
	if (store && condition_list(store, &items, &count, &e))
		return cli_fail(&e);
	cJSON *array = root ? cJSON_AddArrayToObject(root, "conditions") : NULL;
	for (size_t i = 0; i < count; i++) {
		const struct condition *c = &items[i];
		if (array) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "kind", c->key);
			cJSON_AddStringToObject(o, "detail", c->detail);
			cJSON_AddItemToObject(o, "since", cli_json_time(c->since));
			cJSON_AddItemToObject(o, "last_seen", cli_json_time(c->seen_at));
			cJSON_AddItemToArray(array, o);
			continue;
		}
		char since[32], seen[32];
		cli_time_human(c->since, since);
		cli_time_human(c->seen_at, seen);
		printf(_("%-16s %s (since %s, last seen %s)\n"), _("condition"), c->detail, since, seen);
	}
	free(items);
	return EXIT_OK;
}

/* The alerts to staff that cannot be delivered, raised in the last NOTIFY_PROBLEM_DAYS. */
static int notifications(struct store *store, cJSON *root)
{
	struct notify_row *rows = NULL;
	size_t count = 0;
	struct ii_error e = {0};
	if (store && notify_problems(store, cli_now() - NOTIFY_PROBLEM_DAYS * 86400, &rows, &count, &e))
		return cli_fail(&e);
	cJSON *array = root ? cJSON_AddArrayToObject(root, "notifications") : NULL;
	for (size_t i = 0; i < count; i++) {
		const struct notify_row *r = &rows[i];
		if (!array) {
			cli_print_undelivered(stdout, r);
			continue;
		}
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "event", notify_event_name(r->event));
		cJSON_AddStringToObject(o, "target", r->target);
		cJSON_AddStringToObject(o, "state", notify_state_name(r->state));
		cJSON_AddStringToObject(o, "title", r->title);
		cJSON_AddNumberToObject(o, "attempts", (double)r->attempts);
		cJSON_AddItemToObject(o, "raised_at", cli_json_time(r->created_at));
		cJSON_AddStringToObject(o, "error", r->error);
		cJSON_AddItemToArray(array, o);
	}
	free(rows);
	return EXIT_OK;
}

const struct cli_help cmd_status_help = {
	.summary = N_("show each service's confirmed state, its open incident and the channel"),
	.usage = N_("usage: incluinfo status\n"
		 "\n"
		 "Shows, from the state store, each service's confirmed state, since when, its last\n"
		 "check and its open incident, the channel, what keeps runs from their job (the\n"
		 "conditions run reports) and the alerts to staff that could not be delivered in the\n"
		 "last 7 days. --json gives an object.\n"),
};

int cmd_status(int argc, char **argv, struct cli *cli)
{
	if (argc > 1)
		return cli_no_more_arguments(argc, argv, 1, "status");
	const struct config *cfg = cli->config;
	struct ii_error e = {0};
	struct store *store;
	struct incident *open;
	size_t open_count;
	int status = cli_open_incidents(cli, false, &store, &open, &open_count);
	if (status)
		return status;
	cJSON *root = cli->json ? cJSON_CreateObject() : NULL;
	cJSON *array = root ? cJSON_AddArrayToObject(root, "services") : NULL;
	for (size_t i = 0; i < cfg->service_count; i++) {
		struct service_view v = {.svc = &cfg->services[i]};
		if (load(store, open, open_count, &v, &e) != II_OK) {
			status = cli_fail(&e);
			break;
		}
		if (array)
			cJSON_AddItemToArray(array, to_json(&v));
		else if (!cli->json)
			print_line(&v);
	}
	if (status == EXIT_OK)
		status = channels(cfg, store, root);
	if (status == EXIT_OK)
		status = conditions(store, root);
	if (status == EXIT_OK)
		status = notifications(store, root);
	if (root && status == EXIT_OK)
		status = cli_print_json(root);
	else
		cJSON_Delete(root);
	free(open);
	store_close(store);
	return status;
}
