#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "i18n.h"
#include "incluinfo.h"

void cli_warn_state_dir(const char *state_dir, bool open_to_others)
{
	static bool warned; /* once per run, however often the store is opened */
	if (open_to_others && !warned) {
		warned = true;
		fprintf(stderr, _("incluinfo: warning: state directory '%s' is open to group or others: "
				"run chmod 700 '%s'\n"),
			state_dir, state_dir);
	}
}

int cli_open_store(const struct cli *cli, enum store_mode mode, struct store **store)
{
	*store = NULL;
	struct ii_error e = {0};
	bool exists, open_to_others;
	if (store_exists(cli->config->state_dir, &exists, &open_to_others, &e))
		return cli_fail(&e);
	cli_warn_state_dir(cli->config->state_dir, open_to_others);
	/* before the first run there is no database, and reading creates none */
	if (mode == STORE_READ && !exists)
		return EXIT_OK;
	return store_open(cli->config->state_dir, mode, store, &e) ? cli_fail(&e) : EXIT_OK;
}

/* Closes *store after a failure and reports it. */
static int close_failed(struct store **store, const struct ii_error *e)
{
	store_close(*store);
	*store = NULL;
	return cli_fail(e);
}

int cli_open_draft(const struct cli *cli, const char *id, struct store **store, struct draft *d)
{
	int status = cli_open_store(cli, STORE_READ, store);
	if (status || !id)
		return status;
	struct ii_error e = {0};
	/* before the first run there is no database, hence no draft */
	ii_err rc = *store ? draft_find(*store, id, d, &e) : ii_fail(&e, II_EDATA, _("no draft '%s'"), id);
	return rc == II_OK ? EXIT_OK : close_failed(store, &e);
}

int cli_open_incidents(const struct cli *cli, bool all, struct store **store,
		       struct incident **items, size_t *count)
{
	*items = NULL;
	*count = 0;
	int status = cli_open_store(cli, STORE_READ, store);
	struct ii_error e = {0};
	if (status || !*store || incident_list(*store, all, items, count, &e) == II_OK)
		return status;
	return close_failed(store, &e);
}

int cli_load_messages(const struct config *cfg, struct messages **out)
{
	struct diag_list *diags = diag_new();
	struct ii_error e = {0};
	if (!diags) {
		cli_error(_("out of memory"));
		return EXIT_SOFTWARE;
	}
	ii_err rc = messages_load(cfg->templates_dir, out, diags, &e);
	cli_print_diags(diags);
	size_t reported = diag_count(diags);
	diag_free(diags);
	if (rc == II_OK)
		return EXIT_OK;
	/* a broken template folder is the operator's configuration */
	if (reported && rc != II_ENOMEM)
		return EXIT_CONFIG;
	return cli_fail(&e);
}

int cli_lock(const struct cli *cli, struct lock **lock)
{
	*lock = NULL;
	struct ii_error e = {0};
	return lock_acquire(cli->config->state_dir, lock, &e) ? cli_fail(&e) : EXIT_OK;
}

time_t cli_now(void)
{
	/* a test clock, so that timelines of hours run in a second; see README, "Testing" */
	const char *fixed = getenv("INCLUINFO_NOW");
	if (fixed && *fixed) {
		char *end;
		long long t = strtoll(fixed, &end, 10);
		if (*end == '\0' && t > 0)
			return (time_t)t;
	}
	return time(NULL);
}

struct draft_actor cli_system_actor(void)
{
	const struct passwd *pw = getpwuid(geteuid());
	return (struct draft_actor){
		.name = DRAFT_SYSTEM_NAME,
		.os_user = pw && pw->pw_name ? pw->pw_name : "unknown",
		.at = cli_now(),
		.identified_by = DRAFT_BY_SYSTEM,
	};
}
