#include <stdio.h>
#include <stdlib.h>

#include "incluinfo.h"
#include "ingest.h"
#include "noticedir.h"

struct report {
	cJSON *root; /* --json */
	int status;
	bool quiet;
};

static void record(struct report *r, const char *list, const char *name, const char *draft)
{
	if (!r->root)
		return;
	cJSON *array = cJSON_GetObjectItem(r->root, list);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "file", name);
	if (draft)
		cJSON_AddStringToObject(o, "draft", draft);
	cJSON_AddItemToArray(array, o);
}

static void say(const struct report *r, const struct ingest_outcome *out, const char *name)
{
	if (r->quiet || r->root)
		return;
	switch (out->change) {
	case DRAFT_NEW: printf("new draft %.8s from '%s'\n", out->draft, name); break;
	case DRAFT_REVISED: printf("draft %.8s revised: '%s' changed\n", out->draft, name); break;
	case DRAFT_REVOKED:
		printf("draft %.8s back to pending: '%s' changed after its approval\n", out->draft, name);
		break;
	case DRAFT_SAME:
	case DRAFT_CHANGED_AFTER_PUBLICATION: break;
	}
	if (*out->incident)
		printf("incident %.8s opened by '%s'\n", out->incident, name);
}

static const char *list_of(enum draft_change change)
{
	switch (change) {
	case DRAFT_NEW: return "new";
	case DRAFT_REVISED:
	case DRAFT_REVOKED: return "revised";
	case DRAFT_CHANGED_AFTER_PUBLICATION: return "changed_after_publication";
	case DRAFT_SAME: break;
	}
	return "unchanged";
}

static void ingest_file(const struct cli *cli, struct store *store,
			const struct messages *messages, const struct noticedir_file *file,
			const struct draft_actor *actor, struct report *r)
{
	struct notice *n;
	struct thread *thread;
	bool changing;
	int status = cli_read_notice(cli, messages, file->path, &n, &thread, &changing);
	if (status == EXIT_DATA) {
		record(r, "invalid", file->name, NULL);
		r->status = r->status ? r->status : EXIT_DATA;
		return;
	}
	if (status) {
		r->status = status;
		return;
	}
	if (changing) {
		/* an editor is saving it: the next run reads the finished file */
		record(r, "retry", file->name, NULL);
		return;
	}
	struct ingest_outcome out;
	struct ii_error e = {0};
	ii_err rc = store_begin(store, &e);
	if (rc == II_OK)
		rc = ingest_notice(store, cli->config, messages, n, file->name, thread, actor, &out, &e);
	if (rc == II_OK)
		rc = store_commit(store, &e);
	if (rc) {
		store_rollback(store);
		if (rc == II_EDATA) {
			fprintf(stderr, "%s: error: %s\n", file->path, e.detail);
			record(r, "invalid", file->name, NULL);
			r->status = r->status ? r->status : EXIT_DATA;
		} else {
			r->status = cli_fail(&e);
		}
	} else {
		if (out.change == DRAFT_CHANGED_AFTER_PUBLICATION)
			fprintf(stderr, "incluinfo: warning: '%s' changed after publication; "
					"draft %.8s is not republished\n",
				file->name, out.draft);
		say(r, &out, file->name);
		record(r, list_of(out.change), file->name, out.draft);
	}
	thread_free(thread);
	notice_free(n);
}

const struct cli_help cmd_notices_help = {
	.summary = "turn new and changed notices into drafts",
	.usage = "usage: incluinfo notices\n"
		 "\n"
		 "Scans notices_dir. A new or changed valid notice becomes (or updates) a draft; an\n"
		 "invalid one is reported on every run until it is fixed (exit 65). A notice edited\n"
		 "after approval goes back to pending; one edited after publication is reported and\n"
		 "never republished. Files are never modified. --json reports the files by outcome.\n",
};

int cmd_notices(int argc, char **argv, struct cli *cli)
{
	(void)argv;
	if (argc > 1)
		return cli_usage("notices");
	struct messages *messages;
	int status = cli_load_messages(cli->config, &messages);
	if (status)
		return status;
	struct report r = {.quiet = cli->quiet};
	if (cli->json) {
		r.root = cJSON_CreateObject();
		const char *lists[] = {"new", "revised", "unchanged", "changed_after_publication",
				       "invalid", "retry"};
		for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
			cJSON_AddArrayToObject(r.root, lists[i]);
	}
	struct store *store = NULL;
	struct lock *lock = NULL;
	struct noticedir_file *files = NULL;
	size_t count = 0;
	struct diag_list *refused = diag_new();
	struct ii_error e = {0};
	status = cli_lock(cli, &lock);
	if (status == EXIT_OK)
		status = cli_open_store(cli, STORE_WRITE, &store);
	if (status)
		goto out;
	if (!refused || noticedir_list(cli->config->notices_dir, &files, &count, refused, &e)) {
		status = e.code ? cli_fail(&e) : EXIT_SOFTWARE;
		goto out;
	}
	cli_print_diags(refused);
	if (diag_count(refused))
		r.status = EXIT_DATA;
	struct draft_actor actor = cli_actor(DRAFT_SYSTEM_NAME);
	for (size_t i = 0; i < count; i++)
		ingest_file(cli, store, messages, &files[i], &actor, &r);
	status = r.status;
	if (r.root) {
		int printed = cli_print_json(r.root);
		r.root = NULL;
		status = status ? status : printed;
	}
out:
	cJSON_Delete(r.root);
	noticedir_free(files, count);
	diag_free(refused);
	store_close(store);
	lock_release(lock);
	messages_free(messages);
	return status;
}
