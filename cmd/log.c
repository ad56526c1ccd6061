#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "incluinfo.h"

static cJSON *to_json(const void *item)
{
	const struct draft_audit *a = item;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "at", cli_json_time(a->at));
	cJSON_AddItemToObject(o, "draft", cli_json_text(a->draft));
	cJSON_AddItemToObject(o, "incident", cli_json_text(a->incident));
	cJSON_AddStringToObject(o, "action", a->action);
	cJSON_AddStringToObject(o, "name", a->name);
	cJSON_AddStringToObject(o, "os_user", a->os_user);
	cJSON_AddItemToObject(o, "person", cli_json_text(a->person));
	cJSON_AddItemToObject(o, "identified_by", cli_json_text(a->identified_by));
	cJSON_AddItemToObject(o, "detail", cli_json_text(a->detail));
	return o;
}

const struct cli_help cmd_log_help = {
	.summary = N_("show the audit trail"),
	.usage = N_("usage: incluinfo log [ID]\n"
		 "\n"
		 "Every creation, change, approval, rejection, revocation and publication, with its\n"
		 "time, who did it (the person's name and id, or the name given without [person]\n"
		 "sections) and how they were identified (os-user ACCOUNT, sudo from ACCOUNT, web\n"
		 "login LOGIN, system; the system user for entries older than that); of one draft\n"
		 "when ID is given. --json gives an array.\n"),
};

int cmd_log(int argc, char **argv, struct cli *cli)
{
	if (argc > 2)
		return cli_no_more_arguments(argc, argv, 2, "log");
	struct store *store;
	struct draft d;
	int status = cli_open_draft(cli, argc == 2 ? argv[1] : NULL, &store, &d);
	if (status)
		return status;
	struct ii_error e = {0};
	struct draft_audit *entries = NULL;
	size_t count = 0;
	if (store)
		draft_audit_list(store, argc == 2 ? d.uuid : NULL, &entries, &count, &e);
	store_close(store);
	if (e.code)
		return cli_fail(&e);
	if (cli->json) {
		status = cli_print_json_list(entries, count, sizeof *entries, to_json);
	} else {
		for (size_t i = 0; i < count; i++) {
			const struct draft_audit *a = &entries[i];
			char at[32];
			cli_time_human(a->at, at);
			printf("%s  %.8s  %-26s %s%s%s%s (%s)%s%s\n", at, *a->draft ? a->draft : "--------",
			       a->action, a->name, *a->person ? " [" : "", a->person,
			       *a->person ? "]" : "", *a->identified_by ? a->identified_by : a->os_user,
			       *a->detail ? ": " : "", a->detail);
		}
	}
	free(entries);
	return status;
}
