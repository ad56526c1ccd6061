#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incluinfo.h"
#include "text/tweet.h"

/* A post is at most a few kilobytes; a cap keeps a runaway pipe from eating memory. In
 * --batch it caps each line, the JSON literal. */
#define COUNT_MAX_INPUT (64 * 1024)

/* Decimal digits of v at out; returns the end. */
static char *put_int(char *out, int v)
{
	char digits[12];
	unsigned m = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	int k = 0;
	do
		digits[k++] = (char)('0' + m % 10);
	while (m /= 10);
	if (v < 0)
		*out++ = '-';
	while (k > 0)
		*out++ = digits[--k];
	return out;
}

static char *put_str(char *out, const char *s)
{
	size_t len = strlen(s);
	memcpy(out, s, len);
	return out + len;
}

/* parseTweet()'s object on one line, as JSON.stringify writes it. Formatted by hand:
 * --batch prints one per line of a large corpus, and printf showed in its profile. */
static void print_json(const struct tweet_parse *p)
{
	char line[256];
	char *o = put_str(line, "{\"weightedLength\":");
	o = put_int(o, p->weighted_length);
	o = put_str(o, p->valid ? ",\"valid\":true,\"permillage\":" : ",\"valid\":false,\"permillage\":");
	o = put_int(o, p->permillage);
	o = put_str(o, ",\"validRangeStart\":");
	o = put_int(o, p->valid_range_start);
	o = put_str(o, ",\"validRangeEnd\":");
	o = put_int(o, p->valid_range_end);
	o = put_str(o, ",\"displayRangeStart\":");
	o = put_int(o, p->display_range_start);
	o = put_str(o, ",\"displayRangeEnd\":");
	o = put_int(o, p->display_range_end);
	o = put_str(o, "}\n");
	fwrite(line, 1, (size_t)(o - line), stdout);
}

static void print_error_line(const char *detail)
{
	cJSON *o = cJSON_CreateObject();
	char *s = o && cJSON_AddStringToObject(o, "error", detail) ? cJSON_PrintUnformatted(o) : NULL;
	puts(s ? s : "{\"error\":\"out of memory\"}");
	free(s);
	cJSON_Delete(o);
}

/* The text of a JSON string literal that has no escape: the bytes between its quotes.
 * Most lines of a corpus are like that, and cJSON's allocating parse was a seventh of
 * --batch's time; the others go to cJSON, which accepts what this accepts. */
static bool plain_literal(const char *line, size_t len, const char **text, size_t *text_len)
{
	if (len < 2 || line[0] != '"' || line[len - 1] != '"')
		return false;
	if (memchr(line + 1, '"', len - 2) || memchr(line + 1, '\\', len - 2))
		return false;
	*text = line + 1;
	*text_len = len - 2;
	return true;
}

/* Whether the literal holds the escape \u0000, which would end cJSON's C string early. */
static bool escaped_nul(const char *line, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (line[i] != '\\')
			continue;
		if (line[i + 1] == 'u' && i + 6 <= len && !memcmp(line + i + 2, "0000", 4))
			return true;
		i++; /* the escaped character cannot start an escape */
	}
	return false;
}

static void count_line(const char *text, size_t len, unsigned long lineno, int *status)
{
	struct tweet_parse p;
	struct ii_error e; /* filled on failure */
	if (tweet_parse(text, len, &p, &e) == II_OK) {
		print_json(&p);
		return;
	}
	char msg[1100];
	snprintf(msg, sizeof msg, "line %lu: %s", lineno, e.detail);
	print_error_line(msg);
	*status = e.code == II_EDATA ? EXIT_DATA : cli_exit_code(e.code);
}

static void bad_line(const char *problem, unsigned long lineno, int *status)
{
	char msg[128];
	snprintf(msg, sizeof msg, "line %lu: %s", lineno, problem);
	print_error_line(msg);
	*status = EXIT_DATA;
}

/* One JSON string literal per line in, one object per line out; a bad line gets an error
 * object of its own so that the rest of a large corpus is still counted. */
static int count_batch(void)
{
	static char line[COUNT_MAX_INPUT + 2]; /* the line, its newline and the NUL */
	static char out_buffer[1 << 16];
	setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
	unsigned long lineno = 0;
	int status = EXIT_OK;
	while (fgets(line, sizeof line, stdin)) {
		lineno++;
		size_t len = strlen(line);
		if (len > 0 && line[len - 1] == '\n') {
			line[--len] = '\0';
		} else if (len == sizeof line - 1) {
			/* over the cap: the rest of the line is skipped, not kept */
			int c;
			while ((c = getchar()) != EOF && c != '\n')
				;
			char problem[64];
			snprintf(problem, sizeof problem, "longer than %d bytes", COUNT_MAX_INPUT);
			bad_line(problem, lineno, &status);
			continue;
		}
		const char *text;
		size_t text_len;
		if (plain_literal(line, len, &text, &text_len)) {
			count_line(text, text_len, lineno, &status);
			continue;
		}
		/* nothing may follow the literal; cJSON checks that against the NUL, so the
		 * length it is given counts it */
		cJSON *j = cJSON_ParseWithLengthOpts(line, len + 1, NULL, true);
		if (!cJSON_IsString(j))
			bad_line("not a JSON string", lineno, &status);
		else if (escaped_nul(line, len))
			bad_line("U+0000 (\\u0000) is not counted", lineno, &status);
		else
			count_line(j->valuestring, strlen(j->valuestring), lineno, &status);
		cJSON_Delete(j);
	}
	if (ferror(stdin)) {
		cli_error("cannot read standard input");
		return EXIT_IOERR;
	}
	return status;
}

const struct cli_help cmd_count_help = {
	.summary = "count a post's length the way X does",
	.usage = "usage: incluinfo count [--json] [--batch]\n"
		 "\n"
		 "Counts standard input (one trailing newline ignored) as X counts a post: NFC, weighted\n"
		 "characters, every URL 23, every emoji 2, limit 280. Prints the weighted length, or\n"
		 "with --json parseTweet's fields. Exit 0 when the post is valid, 1 when not, 65 when\n"
		 "the input is not UTF-8 or is longer than 64 KiB.\n"
		 "\n"
		 "  --batch         read one JSON string per line, write one JSON object per line; a\n"
		 "                  line that cannot be counted gets {\"error\":\"line N: ...\"} in its\n"
		 "                  place, the others are still counted, and the exit status is 65 at\n"
		 "                  the end; each line is at most 64 KiB\n",
};

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

	/* room for the longest text, its newline, and one byte more to tell it is longer */
	char *buf = malloc(COUNT_MAX_INPUT + 2);
	if (!buf) {
		cli_error("out of memory");
		return EXIT_SOFTWARE;
	}
	size_t len = fread(buf, 1, COUNT_MAX_INPUT + 2, stdin);
	if (ferror(stdin)) {
		free(buf);
		cli_error("cannot read standard input");
		return EXIT_IOERR;
	}
	if (len > 0 && buf[len - 1] == '\n' && len <= COUNT_MAX_INPUT + 1)
		len--; /* the newline that echo and editors add is not part of the post */
	if (len > COUNT_MAX_INPUT) {
		free(buf);
		cli_error("the text is longer than %d bytes", COUNT_MAX_INPUT);
		return EXIT_DATA;
	}
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
