#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "condition.h"
#include "i18n.h"
#include "incluinfo.h"
#include "notify.h"
#include "spanish.h"
#include "xchannel.h"

const struct cli_help cmd_run_help = {
	.summary = N_("one cron cycle: check, notices, publish, under the lock"),
	.usage = N_("usage: incluinfo run\n"
		 "\n"
		 "Runs check, notices and publish under one lock, silently when all is well (cron mails\n"
		 "whatever is printed); errors go to stderr. What keeps runs from their job (the\n"
		 "monitor offline or its host at fault, run_timeout reached, posting paused, the X\n"
		 "account refused or unreachable) is said in one line when it starts, changes and\n"
		 "ends, not on every run; status lists it. Bounded by [general] run_timeout: a step\n"
		 "that ends after it is the last. Exit 0 unless a step failed: 69 when the check could\n"
		 "not judge or X failed, 65 for invalid notices or failed drafts, 75 when another run\n"
		 "holds the lock, X's rate limit holds a due draft back, or run_timeout stopped the\n"
		 "run. -v prints each step's report as check -v and notices print it; --json prints\n"
		 "one object whose check, notices and publish members are those commands' own --json\n"
		 "objects.\n"),
};

/* The steps of a run, as its timeout names them. */
enum step { STEP_CHECK, STEP_NOTICES, STEP_PUBLISH, STEP_COUNT };
static const char *const step_names[STEP_COUNT] = {"check", "notices", "publish"};

/* The backstop's line for each step, made before the alarm is set: the handler may only
 * write(2) it. */
static char backstop_lines[STEP_COUNT][160];
static volatile sig_atomic_t current_step = STEP_CHECK;

static void backstop(int signal)
{
	(void)signal;
	const char *line = backstop_lines[current_step];
	ssize_t written = write(STDERR_FILENO, line, strlen(line));
	(void)written;
	_exit(EXIT_TEMPFAIL);
}

/*
 * A step still running this long after run_timeout is stopped where it is by SIGALRM:
 * a tenth of run_timeout, at least 2 s. Every step keeps its state in SQLite transactions
 * and journals a post before sending it, so the next run resumes where this one was cut.
 */
static unsigned backstop_seconds(long run_timeout)
{
	long grace = run_timeout / 10 > 2 ? run_timeout / 10 : 2;
	for (int i = 0; i < STEP_COUNT; i++)
		snprintf(backstop_lines[i], sizeof backstop_lines[i],
			 _("incluinfo: error: run stopped in the %s step, %ld s after run_timeout (%ld s); "
			   "the next run resumes\n"),
			 step_names[i], grace, run_timeout);
	return (unsigned)(run_timeout + grace);
}

/* Seconds since start, on the monotonic clock. */
static double elapsed(const struct timespec *start)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - start->tv_sec) + (double)(t.tv_nsec - start->tv_nsec) / 1e9;
}

/* The conditions a run reports, each with the line that says it ended, and the alerts to
 * staff when it starts and ends (NOTIFY_EVENT_COUNT: none). */
enum kind { MONITOR_OFFLINE, HOST_FAULT, RUN_TIMEOUT, X_PAUSED, X_ACCOUNT, X_UNREACHABLE, KIND_COUNT };
#define NO_EVENT NOTIFY_EVENT_COUNT
static const struct {
	const char *key;
	const char *ended;
	enum notify_event started_event, ended_event;
} kinds[KIND_COUNT] = {
	[MONITOR_OFFLINE] = {"monitor_offline", N_("monitor online again"), NOTIFY_MONITOR_OFFLINE,
			     NOTIFY_MONITOR_ONLINE},
	[HOST_FAULT] = {"host_fault", N_("the monitor host's fault is gone"), NO_EVENT, NO_EVENT},
	[RUN_TIMEOUT] = {"run_timeout", N_("runs finish within run_timeout again"), NO_EVENT, NO_EVENT},
	[X_PAUSED] = {"x_paused", N_("posting to X no longer paused"), NOTIFY_CHANNEL_PAUSED, NO_EVENT},
	[X_ACCOUNT] = {"x_account", N_("the X account posts again"), NOTIFY_CHANNEL_PAUSED, NO_EVENT},
	[X_UNREACHABLE] = {"x_unreachable", N_("X answers again"), NOTIFY_CHANNEL_PAUSED, NO_EVENT},
};

/* Records a condition's change and the alert it raises, in one transaction. */
static ii_err note_condition(struct store *store, const struct config *cfg, enum kind k,
			     const char *detail, time_t now, enum condition_change *change,
			     struct condition *before, struct ii_error *e)
{
	ii_err rc = store_begin(store, e);
	if (rc == II_OK)
		rc = condition_note(store, kinds[k].key, detail, now, change, before, e);
	if (rc == II_OK && *change == CONDITION_STARTED && kinds[k].started_event != NO_EVENT)
		rc = notify_condition(store, cfg, kinds[k].started_event, kinds[k].key, detail, now, now, e);
	if (rc == II_OK && *change == CONDITION_ENDED && kinds[k].ended_event != NO_EVENT)
		rc = notify_condition(store, cfg, kinds[k].ended_event, kinds[k].key, _(kinds[k].ended),
				      before->since, now, e);
	if (rc == II_OK)
		rc = store_commit(store, e);
	if (rc)
		store_rollback(store);
	return rc;
}

/* What this run found of each condition: judged says whether it could tell. */
struct findings {
	bool judged[KIND_COUNT];
	char detail[KIND_COUNT][CONDITION_DETAIL_SIZE]; /* "" when absent */
};

/* Records what the run found and says on stderr, in one line, each condition that started,
 * changed or ended. */
static void report_conditions(struct store *store, const struct config *cfg,
			      const struct findings *found, time_t now)
{
	for (int k = 0; k < KIND_COUNT; k++) {
		if (!found->judged[k])
			continue;
		struct ii_error e = {0};
		enum condition_change change;
		struct condition before;
		const char *detail = *found->detail[k] ? found->detail[k] : NULL;
		if (note_condition(store, cfg, (enum kind)k, detail, now, &change, &before, &e)) {
			cli_fail(&e);
			return;
		}
		if (change == CONDITION_STARTED || change == CONDITION_CHANGED) {
			cli_error("%s", detail);
		} else if (change == CONDITION_ENDED) {
			char lasted[ES_DURATION_SIZE];
			es_duration(now - before.since, lasted);
			fprintf(stderr, _("incluinfo: notice: %s after %s\n"), _(kinds[k].ended), lasted);
		}
	}
}

/* The channel's pause, from what the store keeps of it. */
static void find_pause(struct store *store, time_t now, struct findings *found)
{
	struct publish_state st;
	struct ii_error e = {0};
	if (publish_state(store, XCHANNEL_ID, now, &st, &e)) {
		cli_fail(&e);
		return;
	}
	found->judged[X_PAUSED] = true;
	if (st.stopped_until <= now)
		return;
	char until[32], asked[32] = "";
	cli_time_human(st.stopped_until, until);
	if (st.asked_until)
		cli_time_human(st.asked_until, asked);
	if (*asked)
		snprintf(found->detail[X_PAUSED], sizeof found->detail[X_PAUSED],
			 _("posting to X is paused until %s: rate limited (X asked to wait until %s, "
			   "more than 24 h ahead)"),
			 until, asked);
	else
		snprintf(found->detail[X_PAUSED], sizeof found->detail[X_PAUSED],
			 _("posting to X is paused until %s: rate limited"), until);
}

/*
 * Sends the alerts to staff that are due, and says in one line each one that cannot be
 * delivered (once: status lists them after). The run's exit status does not change: a
 * mail server that is down must not make the monitor look broken.
 */
static void deliver(const struct cli *cli, struct store *store)
{
	if (!cli->config->notify_count)
		return;
	struct notify_report rep;
	struct ii_error e = {0};
	if (notify_deliver(store, cli->config, cli_now(), &rep, &e))
		cli_fail(&e);
	for (size_t i = 0; i < rep.undelivered_count; i++)
		cli_print_undelivered(stderr, &rep.undelivered[i]);
	notify_report_free(&rep);
}

/* What a person must act on, among the drafts in play. */
enum todo {
	TODO_APPROVAL,   /* a draft waits for approval */
	TODO_HELD_ALERT, /* an outage's alert waits confirm_minutes for a person to hold it */
	TODO_COUNT
};

static bool is_todo(enum todo todo, const struct draft *d, time_t now)
{
	if (todo == TODO_APPROVAL)
		return d->status == DRAFT_PENDING;
	return d->status == DRAFT_APPROVED && *d->incident && d->due_at > now;
}

/* The drafts of todo at now, into *out (the caller frees it). */
static bool list_todo(struct store *store, enum todo todo, time_t now, struct draft **out,
		      size_t *count)
{
	struct ii_error e = {0};
	if (draft_list(store, false, out, count, &e)) {
		cli_fail(&e);
		return false;
	}
	size_t n = 0;
	for (size_t i = 0; i < *count; i++)
		if (is_todo(todo, &(*out)[i], now))
			(*out)[n++] = (*out)[i];
	*count = n;
	return true;
}

/* The drafts of todo that became so during this run, one line each (before: those that
 * were when it started; a revision has a new content hash), said once, not on every run:
 * cron's mail is the record of what is to be done. */
static void print_todo(struct store *store, enum todo todo, const struct draft *before,
		       size_t before_count)
{
	struct draft *now;
	size_t count;
	if (!list_todo(store, todo, cli_now(), &now, &count))
		return;
	for (size_t i = 0; i < count; i++) {
		bool known = false;
		for (size_t k = 0; k < before_count && !known; k++)
			known = !strcmp(before[k].uuid, now[i].uuid) && !strcmp(before[k].hash, now[i].hash);
		if (known)
			continue;
		if (todo == TODO_APPROVAL) {
			printf(_("waiting for approval: %.8s \"%s\" (incluinfo show %.8s)\n"), now[i].uuid,
			       now[i].title, now[i].uuid);
		} else {
			char due[32];
			cli_time_human(now[i].due_at, due);
			printf(_("alert held until %s for staff to look: %.8s \"%s\" (incluinfo incident "
				 "hold %.8s)\n"),
			       due, now[i].uuid, now[i].title, now[i].incident);
		}
	}
	free(now);
}

/* check's step, printed as `check -v` prints it unless quiet; returns its verdict. */
static enum plugin_status check(const struct cli *cli, const struct incident_context *ctx,
				struct monitor_report *rep, bool quiet)
{
	const struct config *cfg = cli->config;
	struct ii_error e = {0};
	const char *why = e.detail;
	if (monitor_select(cfg, NULL, 0, rep, &e)) {
		cli_fail(&e);
	} else if (rep->count == 0) {
		cli_error(_("no service configured in '%s'"), cfg->path);
		why = _("no services configured");
	} else if (monitor_probe(cfg, cli_now(), rep, &e)) {
		cli_fail(&e);
	} else if (*rep->unjudged) {
		/* a host fault is a condition of the run: said once per change, not every minute */
		why = rep->unjudged;
	} else if (!ctx->messages) {
		why = _("invalid message templates");
	} else if (monitor_judge(ctx, true, rep, &e)) {
		cli_fail(&e);
	}
	if (!quiet)
		cli_check_print(rep, why, cli->verbose);
	return rep->overall;
}

/* notices' step; returns its exit code. */
static int notices(const struct cli *cli, const struct incident_context *ctx,
		   struct ingest_report *rep, bool quiet)
{
	struct ii_error e = {0};
	if (ingest_dir(ctx->store, cli->config, ctx->messages, ctx->actor, rep, &e))
		return cli_fail(&e);
	return cli_notices_print(rep, quiet);
}

int cmd_run(int argc, char **argv, struct cli *cli)
{
	if (argc > 1)
		return cli_no_more_arguments(argc, argv, 1, "run");
	struct timespec started;
	clock_gettime(CLOCK_MONOTONIC, &started);
	long run_timeout = cli->config->run_timeout;
	signal(SIGALRM, backstop);
	alarm(backstop_seconds(run_timeout));
	struct lock *lock;
	int status = cli_lock(cli, &lock);
	if (status)
		return status;
	/* silent on success: cron mails whatever is printed */
	bool quiet = !cli->verbose || cli->json;
	struct messages *messages = NULL;
	struct store *store = NULL;
	struct monitor_report monitored = {0};
	struct ingest_report ingested = {0};
	struct findings found = {0};
	cJSON *published = NULL;
	struct draft *todo[TODO_COUNT] = {0}; /* when the run started */
	size_t todo_count[TODO_COUNT] = {0};
	/* without templates nothing can be drafted, but what is approved can still go out */
	cli_load_messages(cli->config, &messages);
	if (cli_open_store(cli, STORE_WRITE, &store)) {
		/* as when the check cannot write its state: it could not judge */
		status = EXIT_REMOTE;
		goto out;
	}
	struct draft_actor actor = cli_system_actor();
	for (enum todo t = 0; t < TODO_COUNT && !cli->json; t++)
		if (!list_todo(store, t, cli_now(), &todo[t], &todo_count[t]))
			todo_count[t] = 0;
	const struct incident_context ctx = {
		.store = store, .cfg = cli->config, .messages = messages, .actor = &actor,
	};
	/* WARNING and CRITICAL are findings; only UNKNOWN means the check itself failed */
	status = check(cli, &ctx, &monitored, quiet) == PLUGIN_UNKNOWN ? EXIT_REMOTE : EXIT_OK;
	/* staff hear of an outage before the public: its alert is published below */
	deliver(cli, store);
	if (monitored.now) {
		found.judged[MONITOR_OFFLINE] = true;
		if (monitored.offline)
			snprintf(found.detail[MONITOR_OFFLINE], sizeof found.detail[MONITOR_OFFLINE],
				 _("monitor offline: all canaries failed; no service is judged until one answers"));
		found.judged[HOST_FAULT] = true;
		if (!monitored.offline && monitored.host_fault != PROBE_LOCAL_NONE)
			snprintf(found.detail[HOST_FAULT], sizeof found.detail[HOST_FAULT], "%s",
				 monitored.unjudged);
	}
	bool ingest_ran = false, publish_ran = false;
	struct cli_publish_news news = {0};
	for (enum step step = STEP_CHECK + 1; step < STEP_COUNT; step++) {
		if (elapsed(&started) >= (double)run_timeout) {
			/* the step before this one ended after run_timeout: the rest waits */
			snprintf(found.detail[RUN_TIMEOUT], sizeof found.detail[RUN_TIMEOUT],
				 _("run stopped: run_timeout (%ld s) passed during the %s step; the next run "
				   "resumes"),
				 run_timeout, step_names[step - 1]);
			if (status == EXIT_OK)
				status = EXIT_TEMPFAIL;
			break;
		}
		current_step = step;
		int result = EXIT_OK;
		if (step == STEP_NOTICES) {
			ingest_ran = messages != NULL;
			if (ingest_ran)
				result = notices(cli, &ctx, &ingested, quiet);
		} else {
			result = cli_publish(cli, store, &actor, false, quiet, cli->json ? &published : NULL, &news);
			publish_ran = true;
		}
		if (!status)
			status = result;
	}
	found.judged[RUN_TIMEOUT] = true;
	if (publish_ran) {
		found.judged[X_ACCOUNT] = *news.account || news.published;
		snprintf(found.detail[X_ACCOUNT], sizeof found.detail[X_ACCOUNT], "%s", news.account);
		found.judged[X_UNREACHABLE] = *news.unreachable || news.published;
		snprintf(found.detail[X_UNREACHABLE], sizeof found.detail[X_UNREACHABLE], "%s",
			 news.unreachable);
	}
	find_pause(store, cli_now(), &found);
	report_conditions(store, cli->config, &found, cli_now());
	deliver(cli, store);
	for (enum todo t = 0; t < TODO_COUNT && !cli->json; t++)
		print_todo(store, t, todo[t], todo_count[t]);
	if (cli->json) {
		cJSON *root = cJSON_CreateObject();
		cJSON_AddItemToObject(root, "check", cli_check_json(&monitored));
		cJSON_AddItemToObject(root, "notices",
				      ingest_ran ? cli_notices_json(&ingested) : cJSON_CreateNull());
		cJSON_AddItemToObject(root, "publish", published ? published : cJSON_CreateNull());
		int printed = cli_print_json(root);
		if (!status)
			status = printed;
	}
out:
	alarm(0);
	for (enum todo t = 0; t < TODO_COUNT; t++)
		free(todo[t]);
	ingest_report_free(&ingested);
	monitor_report_free(&monitored);
	store_close(store);
	messages_free(messages);
	lock_release(lock);
	return status;
}
