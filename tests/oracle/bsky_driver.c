/*
 * The C side of tests/oracle/bsky_diff.js: reads one JSON string literal per line from
 * stdin and writes, for each, one line of JSON with what lib/text/bsky.c makes of it:
 * {"graphemes":N,"facets":[{"byteStart":N,"byteEnd":N,"type":"…#link","value":"…"}]}
 * (graphemes of the text as written, facets as detected), or {"error":"…"}.
 * Built by the Makefile as build/oracle/bsky_driver.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/bsky.h"
#include "text/count.h"

static cJSON *describe(const char *text, size_t len)
{
	cJSON *o = cJSON_CreateObject();
	struct bsky_facets facets;
	struct ii_error e = {0};
	if (bsky_detect(text, len, &facets, &e) != II_OK) {
		cJSON_AddStringToObject(o, "error", e.detail);
		return o;
	}
	cJSON_AddNumberToObject(o, "graphemes", count_graphemes(text, len));
	cJSON *list = cJSON_AddArrayToObject(o, "facets");
	for (size_t i = 0; i < facets.count; i++) {
		const struct bsky_facet *f = &facets.items[i];
		cJSON *item = cJSON_CreateObject();
		cJSON_AddNumberToObject(item, "byteStart", (double)f->byte_start);
		cJSON_AddNumberToObject(item, "byteEnd", (double)f->byte_end);
		cJSON_AddStringToObject(item, "type", bsky_feature_type(f->feature));
		cJSON_AddStringToObject(item, "value", f->value);
		cJSON_AddItemToArray(list, item);
	}
	bsky_facets_free(&facets);
	return o;
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		cJSON *s = cJSON_ParseWithLength(line, (size_t)n);
		cJSON *o;
		if (cJSON_IsString(s)) {
			o = describe(s->valuestring, strlen(s->valuestring));
		} else {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "error", "not a JSON string");
		}
		char *out = cJSON_PrintUnformatted(o);
		puts(out ? out : "{\"error\":\"out of memory\"}");
		free(out);
		cJSON_Delete(o);
		cJSON_Delete(s);
	}
	free(line);
	return ferror(stdout) ? 1 : 0;
}
