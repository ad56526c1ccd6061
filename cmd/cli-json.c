#include <stdio.h>

#include "i18n.h"
#include "incluinfo.h"

/* The shapes more than one command prints live here, so that one key never has two
 * spellings: every key is snake_case (README, "JSON output"). */

int cli_print_json(cJSON *root)
{
	char *text = root ? cJSON_PrintUnformatted(root) : NULL;
	cJSON_Delete(root);
	if (!text) {
		cli_error(_("out of memory"));
		return EXIT_SOFTWARE;
	}
	puts(text);
	cJSON_free(text);
	return EXIT_OK;
}

int cli_print_json_list(const void *items, size_t count, size_t size,
			cJSON *(*to_json)(const void *item))
{
	cJSON *array = cJSON_CreateArray();
	for (size_t i = 0; array && i < count; i++)
		cJSON_AddItemToArray(array, to_json((const char *)items + i * size));
	return cli_print_json(array);
}

cJSON *cli_json_time(time_t t)
{
	if (!t)
		return cJSON_CreateNull();
	char buf[32];
	cli_time_iso(t, buf);
	return cJSON_CreateString(buf);
}

cJSON *cli_json_text(const char *s)
{
	return *s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

cJSON *cli_draft_json(const void *item)
{
	const struct draft *d = item;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", d->uuid);
	cJSON_AddStringToObject(o, "kind", draft_kind_name(d->kind));
	cJSON_AddStringToObject(o, "title", d->title);
	cJSON_AddStringToObject(o, "status", draft_status_name(d->status));
	cJSON_AddItemToObject(o, "due", cli_json_time(d->due_at));
	cJSON_AddItemToObject(o, "expires", cli_json_time(d->expires_at));
	cJSON_AddItemToObject(o, "source", cli_json_text(d->source));
	cJSON_AddItemToObject(o, "author", cli_json_text(d->author));
	cJSON_AddItemToObject(o, "incident", cli_json_text(d->incident));
	cJSON_AddNumberToObject(o, "post_count", (double)d->post_count);
	cJSON_AddItemToObject(o, "created", cli_json_time(d->created_at));
	cJSON_AddItemToObject(o, "updated", cli_json_time(d->updated_at));
	cJSON_AddBoolToObject(o, "changed_after_publication", d->changed_after_publication);
	cJSON_AddItemToObject(o, "error", cli_json_text(d->error));
	return o;
}

cJSON *cli_post_json(const char *text, int weighted_length)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "text", text);
	cJSON_AddNumberToObject(o, "weighted_length", weighted_length);
	return o;
}
