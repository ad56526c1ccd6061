#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "incluinfo.h"
#include "ingest.h"

static void say(const struct ingest_item *it)
{
	switch (it->change) {
	case DRAFT_NEW: printf(_("new draft %.8s from '%s'\n"), it->draft, it->name); break;
	case DRAFT_REVISED: printf(_("draft %.8s revised: '%s' changed\n"), it->draft, it->name); break;
	case DRAFT_REVOKED:
		printf(_("draft %.8s back to pending: '%s' changed after its approval\n"), it->draft,
		       it->name);
		break;
	case DRAFT_SAME:
	case DRAFT_CHANGED_AFTER_PUBLICATION: break;
	}
	if (*it->incident)
		printf(_("incident %.8s opened by '%s'\n"), it->incident, it->name);
}

int cli_notices_print(const struct ingest_report *rep, bool quiet)
{
	cli_print_diags(rep->refused);
	int status = diag_count(rep->refused) ? EXIT_DATA : EXIT_OK;
	for (size_t i = 0; i < rep->count; i++) {
		const struct ingest_item *it = &rep->items[i];
		int read = cli_notice_status(it->diags, it->error.code, &it->error);
		if (read == EXIT_DATA)
			status = status ? status : EXIT_DATA;
		else if (read)
			status = read;
		if (it->fate != INGEST_DRAFTED)
			continue;
		if (it->change == DRAFT_CHANGED_AFTER_PUBLICATION)
			fprintf(stderr, _("incluinfo: warning: '%s' changed after publication; "
					"draft %.8s is not republished\n"),
				it->name, it->draft);
		if (!quiet)
			say(it);
	}
	return status;
}

static const char *list_of(const struct ingest_item *it)
{
	switch (it->fate) {
	case INGEST_RETRY: return "retry";
	case INGEST_INVALID: return "invalid";
	case INGEST_FAILED: return NULL;
	case INGEST_DRAFTED: break;
	}
	switch (it->change) {
	case DRAFT_NEW: return "new";
	case DRAFT_REVISED:
	case DRAFT_REVOKED: return "revised";
	case DRAFT_CHANGED_AFTER_PUBLICATION: return "changed_after_publication";
	case DRAFT_SAME: break;
	}
	return "unchanged";
}

cJSON *cli_notices_json(const struct ingest_report *rep)
{
	static const char *const lists[] = {"new", "revised", "unchanged", "changed_after_publication",
					    "invalid", "retry"};
	cJSON *root = cJSON_CreateObject();
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
		cJSON_AddArrayToObject(root, lists[i]);
	for (size_t i = 0; i < rep->count; i++) {
		const struct ingest_item *it = &rep->items[i];
		const char *list = list_of(it);
		if (!list)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "file", it->name);
		if (it->fate == INGEST_DRAFTED)
			cJSON_AddStringToObject(o, "draft", it->draft);
		cJSON_AddItemToArray(cJSON_GetObjectItem(root, list), o);
	}
	return root;
}

const struct cli_help cmd_notices_help = {
	.summary = N_("turn new and changed notices into drafts"),
	.usage = N_("usage: incluinfo notices\n"
		 "\n"
		 "Scans notices_dir. A new or changed valid notice becomes (or updates) a draft; an\n"
		 "invalid one is reported on every run until it is fixed (exit 65). A notice edited\n"
		 "after approval goes back to pending; one edited after publication is reported and\n"
		 "never republished. Files are never modified. --json reports the files by outcome.\n"),
};

int cmd_notices(int argc, char **argv, struct cli *cli)
{
	if (argc > 1)
		return cli_no_more_arguments(argc, argv, 1, "notices");
	struct messages *messages;
	int status = cli_load_messages(cli->config, &messages);
	if (status)
		return status;
	struct store *store = NULL;
	struct lock *lock = NULL;
	struct ingest_report rep = {0};
	struct ii_error e = {0};
	status = cli_lock(cli, &lock);
	if (status == EXIT_OK)
		status = cli_open_store(cli, STORE_WRITE, &store);
	if (status)
		goto out;
	struct draft_actor actor = cli_system_actor();
	if (ingest_dir(store, cli->config, messages, &actor, &rep, &e)) {
		status = cli_fail(&e);
		goto out;
	}
	status = cli_notices_print(&rep, cli->quiet || cli->json);
	if (cli->json) {
		int printed = cli_print_json(cli_notices_json(&rep));
		status = status ? status : printed;
	}
out:
	ingest_report_free(&rep);
	store_close(store);
	lock_release(lock);
	messages_free(messages);
	return status;
}
