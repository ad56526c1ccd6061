#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incluinfo.h"
#include "tweet.h"

/* A post is at most a few kilobytes; a cap keeps a runaway pipe from eating memory. */
#define COUNT_MAX_INPUT (64 * 1024)

static void print_json(const struct tweet_parse *p)
{
	printf("{\"weightedLength\":%d,\"valid\":%s,\"permillage\":%d,\"validRangeStart\":%d,"
	       "\"validRangeEnd\":%d,\"displayRangeStart\":%d,\"displayRangeEnd\":%d}\n",
	       p->weighted_length, p->valid ? "true" : "false", p->permillage,
	       p->valid_range_start, p->valid_range_end, p->display_range_start,
	       p->display_range_end);
}

static void print_error_line(const char *detail)
{
	cJSON *o = cJSON_CreateObject();
	char *s = o && cJSON_AddStringToObject(o, "error", detail) ? cJSON_PrintUnformatted(o) : NULL;
	puts(s ? s : "{\"error\":\"out of memory\"}");
	free(s);
	cJSON_Delete(o);
}

/* One JSON string literal per line in, one object per line out; a bad line gets an error
 * object of its own so that the rest of a large corpus is still counted. */
static int count_batch(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	unsigned long lineno = 0;
	int status = EXIT_OK;
	while ((got = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		size_t len = (size_t)got;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > COUNT_MAX_INPUT) {
			char msg[96];
			snprintf(msg, sizeof msg, "line %lu: longer than %d bytes", lineno, COUNT_MAX_INPUT);
			print_error_line(msg);
			status = EXIT_DATA;
			continue;
		}
		cJSON *j = cJSON_ParseWithLength(line, len);
		if (!cJSON_IsString(j)) {
			char msg[96];
			snprintf(msg, sizeof msg, "line %lu: not a JSON string", lineno);
			print_error_line(msg);
			cJSON_Delete(j);
			status = EXIT_DATA;
			continue;
		}
		/* cJSON stops at a NUL (\u0000), which the counter would otherwise see */
		const char *s = j->valuestring;
		struct tweet_parse p;
		struct ii_error e = {0};
		if (tweet_parse(s, strlen(s), &p, &e) != II_OK) {
			char msg[1100];
			snprintf(msg, sizeof msg, "line %lu: %s", lineno, e.detail);
			print_error_line(msg);
			status = e.code == II_EDATA ? EXIT_DATA : cli_exit_code(e.code);
		} else {
			print_json(&p);
		}
		cJSON_Delete(j);
	}
	free(line);
	if (ferror(stdin)) {
		cli_error("cannot read standard input");
		return EXIT_IOERR;
	}
	return status;
}

int cmd_count(int argc, char **argv, struct cli *cli)
{
	bool batch = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--batch")) {
			batch = true;
		} else {
			cli_error("unexpected argument '%s' for 'count'", argv[i]);
			return cli_usage("count");
		}
	}
	if (batch)
		return count_batch();

	char *buf = malloc(COUNT_MAX_INPUT + 1);
	if (!buf) {
		cli_error("out of memory");
		return EXIT_SOFTWARE;
	}
	size_t len = fread(buf, 1, COUNT_MAX_INPUT + 1, stdin);
	if (ferror(stdin)) {
		free(buf);
		cli_error("cannot read standard input");
		return EXIT_IOERR;
	}
	if (len > COUNT_MAX_INPUT) {
		free(buf);
		cli_error("the text is longer than %d bytes", COUNT_MAX_INPUT);
		return EXIT_DATA;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--; /* the newline that echo and editors add is not part of the post */
	struct tweet_parse p;
	struct ii_error e = {0};
	ii_err rc = tweet_parse(buf, len, &p, &e);
	free(buf);
	if (rc)
		return cli_fail(&e);
	if (cli->json)
		print_json(&p);
	else
		printf("%d\n", p.weighted_length);
	return p.valid ? EXIT_OK : 1;
}
