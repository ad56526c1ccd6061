#include <stdarg.h>
#include <stdio.h>

#include "incluinfo.h"
#include "text/tweet.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("incluinfo: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cli_exit_code(ii_err code)
{
	switch (code) {
	case II_OK: return EXIT_OK;
	case II_ECONFIG: return EXIT_CONFIG;
	case II_EDATA: return EXIT_DATA;
	case II_EIO:
	case II_ESTATE: return EXIT_CANTCREAT;
	case II_ELOCKED: return EXIT_TEMPFAIL;
	case II_EREMOTE: return EXIT_REMOTE;
	case II_ENOMEM:
	case II_EINTERNAL: break;
	}
	return EXIT_SOFTWARE;
}

int cli_fail(const struct ii_error *e)
{
	cli_error("%s", e->detail[0] ? e->detail : ii_strerror(e->code));
	return cli_exit_code(e->code);
}

void cli_print_diags(const struct diag_list *diags)
{
	for (size_t i = 0; i < diag_count(diags); i++)
		fprintf(stderr, "%s\n", diag_at(diags, i));
}

void cli_print_post(size_t index, size_t count, const char *text, int weighted_length)
{
	printf("[%zu/%zu] %d/%d\n%s\n\n", index + 1, count, weighted_length,
	       TWEET_MAX_WEIGHTED_LENGTH, text);
}

int cli_print_json(cJSON *root)
{
	char *text = root ? cJSON_PrintUnformatted(root) : NULL;
	cJSON_Delete(root);
	if (!text) {
		cli_error("out of memory");
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

cJSON *cli_draft_json(const void *item)
{
	const struct draft *d = item;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", d->uuid);
	cJSON_AddStringToObject(o, "kind", d->kind);
	cJSON_AddStringToObject(o, "title", d->title);
	cJSON_AddStringToObject(o, "status", draft_status_name(d->status));
	cJSON_AddItemToObject(o, "due", cli_json_time(d->due_at));
	cJSON_AddItemToObject(o, "expires", cli_json_time(d->expires_at));
	cJSON_AddItemToObject(o, "source", *d->source ? cJSON_CreateString(d->source) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "author", *d->author ? cJSON_CreateString(d->author) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "incident", *d->incident ? cJSON_CreateString(d->incident) : cJSON_CreateNull());
	cJSON_AddNumberToObject(o, "postCount", (double)d->post_count);
	cJSON_AddItemToObject(o, "created", cli_json_time(d->created_at));
	cJSON_AddItemToObject(o, "updated", cli_json_time(d->updated_at));
	cJSON_AddBoolToObject(o, "changedAfterPublication", d->changed_after_publication);
	cJSON_AddItemToObject(o, "error", *d->error ? cJSON_CreateString(d->error) : cJSON_CreateNull());
	return o;
}
