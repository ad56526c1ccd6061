#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "incluinfo.h"
#include "text/tweet.h"

/* A post is at most a few kilobytes; a cap keeps a runaway pipe from eating memory. In
 * --batch it caps each line, the JSON literal. */
#define COUNT_MAX_INPUT (64 * 1024)

/* Decimal digits of v at out; returns the end. Written in place from the last digit, two
 * at a time from a table, with no copy: --batch writes seven numbers a line, and the
 * division per digit was most of its formatting. */
static char *put_int(char *out, int v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";
	unsigned m = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	if (v < 0)
		*out++ = '-';
	size_t k = m < 10 ? 1 : m < 100 ? 2 : m < 1000 ? 3 : m < 10000 ? 4 : 5;
	for (unsigned t = m / 100000; t; t /= 10)
		k++;
	char *end = out + k;
	for (; m >= 100; m /= 100) {
		end -= 2;
		memcpy(end, pairs + 2 * (m % 100), 2);
	}
	if (m >= 10) {
		end -= 2;
		memcpy(end, pairs + 2 * m, 2);
	} else {
		*--end = (char)('0' + m);
	}
	return out + k;
}

static char *put_str(char *out, const char *s)
{
	size_t len = strlen(s);
	memcpy(out, s, len);
	return out + len;
}

/* What one worker writes: the results of its lines, in order. */
struct sink {
	char *buf;
	size_t len, cap;
	bool failed; /* out of memory: the batch stops */
};

static void sink_put(struct sink *o, const char *s, size_t n)
{
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 1 << 16;
		while (cap < o->len + n)
			cap *= 2;
		char *buf = realloc(o->buf, cap);
		if (!buf) {
			o->failed = true;
			return;
		}
		o->buf = buf;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* parseTweet()'s object on one line, as JSON.stringify writes it, at line; returns its
 * length. Formatted by hand: --batch prints one per line of a large corpus, and printf
 * showed in its profile. */
static size_t format_json(const struct tweet_parse *p, char line[static 256])
{
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
	return (size_t)(o - line);
}

static void put_error_line(struct sink *out, const char *detail)
{
	cJSON *o = cJSON_CreateObject();
	char *s = o && cJSON_AddStringToObject(o, "error", detail) ? cJSON_PrintUnformatted(o) : NULL;
	const char *line = s ? s : "{\"error\":\"out of memory\"}";
	sink_put(out, line, strlen(line));
	sink_put(out, "\n", 1);
	free(s);
	cJSON_Delete(o);
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The four hex digits of a \u escape at s, or -1. */
static long hex4(const char *s)
{
	long v = 0;
	for (int k = 0; k < 4; k++) {
		int d = hex_digit(s[k]);
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* The code point of the \u escape at s (and of the low surrogate's after it), with how
 * many bytes they take in *used; -1 for what cJSON refuses, and for U+0000. */
static long unicode_escape(const char *s, const char *end, size_t *used)
{
	long c = end - s >= 6 ? hex4(s + 2) : -1;
	*used = 6;
	if (c <= 0 || (c >= 0xDC00 && c <= 0xDFFF))
		return -1;
	if (c < 0xD800 || c > 0xDBFF)
		return c;
	long low = end - s >= 12 && s[6] == '\\' && s[7] == 'u' ? hex4(s + 8) : -1;
	if (low < 0xDC00 || low > 0xDFFF)
		return -1;
	*used = 12;
	return 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
}

static char *put_utf8(char *o, long c)
{
	if (c < 0x80) {
		*o++ = (char)c;
	} else if (c < 0x800) {
		*o++ = (char)(0xC0 | c >> 6);
		*o++ = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*o++ = (char)(0xE0 | c >> 12);
		*o++ = (char)(0x80 | (c >> 6 & 0x3F));
		*o++ = (char)(0x80 | (c & 0x3F));
	} else {
		*o++ = (char)(0xF0 | c >> 18);
		*o++ = (char)(0x80 | (c >> 12 & 0x3F));
		*o++ = (char)(0x80 | (c >> 6 & 0x3F));
		*o++ = (char)(0x80 | (c & 0x3F));
	}
	return o;
}

/*
 * The text of a line that is one JSON string literal, decoded as cJSON decodes it: the
 * bytes between the quotes when there is no escape (most lines; no copy), else decoded
 * into `decoded`, which has room for len bytes. cJSON's allocating parse was a seventh of
 * --batch's time. False for what this does not take on itself (a malformed literal, white
 * space around it, \u0000), which goes to cJSON for its verdict.
 */
static bool decode_literal(const char *line, size_t len, char *decoded, const char **text, size_t *text_len)
{
	if (len < 2 || line[0] != '"' || line[len - 1] != '"')
		return false;
	const char *s = line + 1, *end = line + len - 1;
	const char *escape = memchr(s, '\\', (size_t)(end - s));
	if (!escape) {
		if (memchr(s, '"', (size_t)(end - s)))
			return false;
		*text = s;
		*text_len = (size_t)(end - s);
		return true;
	}
	char *o = decoded;
	for (;;) {
		size_t plain = (size_t)((escape ? escape : end) - s);
		if (memchr(s, '"', plain))
			return false;
		memcpy(o, s, plain);
		o += plain;
		if (!escape)
			break;
		s = escape;
		if (end - s < 2)
			return false;
		static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
		const char *simple = memchr(from, s[1], sizeof from - 1);
		if (simple) {
			*o++ = to[simple - from];
			s += 2;
		} else if (s[1] == 'u') {
			size_t used;
			long c = unicode_escape(s, end, &used);
			if (c < 0)
				return false;
			o = put_utf8(o, c);
			s += used;
		} else {
			return false;
		}
		escape = memchr(s, '\\', (size_t)(end - s));
	}
	*text = decoded;
	*text_len = (size_t)(o - decoded);
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

static void count_line(struct sink *out, const char *text, size_t len, unsigned long lineno, int *status)
{
	struct tweet_parse p;
	struct ii_error e; /* filled on failure */
	if (tweet_parse(text, len, &p, &e) == II_OK) {
		char line[256];
		sink_put(out, line, format_json(&p, line));
		return;
	}
	char msg[1100];
	snprintf(msg, sizeof msg, "line %lu: %s", lineno, e.detail);
	put_error_line(out, msg);
	*status = e.code == II_EDATA ? EXIT_DATA : cli_exit_code(e.code);
}

static void bad_line(struct sink *out, const char *problem, unsigned long lineno, int *status)
{
	char msg[128];
	snprintf(msg, sizeof msg, "line %lu: %s", lineno, problem);
	put_error_line(out, msg);
	*status = EXIT_DATA;
}

/*
 * --batch reads a block of lines, then counts its two halves on two threads while it
 * reads the next block, and writes the results in order: counting is nearly all the work,
 * and a corpus is counted in about half the time on two cores. A block is kept as its
 * lines' bytes, each followed by its NUL; a line over the cap is kept empty and marked,
 * so that its error still comes in its place.
 */
enum { BLOCK_LINES = 4096, BLOCK_BYTES = 1 << 20 };
struct block {
	char *bytes;
	size_t len, cap;
	size_t start[BLOCK_LINES]; /* where each line starts in bytes */
	bool too_long[BLOCK_LINES];
	size_t count;
};

/* Lines [from, to) of a block; the first is line number first_line. */
struct part {
	const struct block *block;
	size_t from, to;
	unsigned long first_line;
	struct sink out;
	int status;
	pthread_t thread;
	bool threaded; /* else counted by the main thread, nothing to join */
	char decoded[COUNT_MAX_INPUT]; /* the text of a line with escapes */
};

static void count_one(struct part *w, size_t k)
{
	const struct block *b = w->block;
	unsigned long lineno = w->first_line + (k - w->from);
	if (b->too_long[k]) {
		char problem[64];
		snprintf(problem, sizeof problem, "longer than %d bytes", COUNT_MAX_INPUT);
		bad_line(&w->out, problem, lineno, &w->status);
		return;
	}
	const char *line = b->bytes + b->start[k];
	size_t len = (k + 1 < b->count ? b->start[k + 1] : b->len) - b->start[k] - 1;
	const char *text;
	size_t text_len;
	if (decode_literal(line, len, w->decoded, &text, &text_len)) {
		count_line(&w->out, text, text_len, lineno, &w->status);
		return;
	}
	/* nothing may follow the literal; cJSON checks that against the NUL, so the length
	 * it is given counts it */
	cJSON *j = cJSON_ParseWithLengthOpts(line, len + 1, NULL, true);
	if (!cJSON_IsString(j))
		bad_line(&w->out, "not a JSON string", lineno, &w->status);
	else if (escaped_nul(line, len))
		bad_line(&w->out, "U+0000 (\\u0000) is not counted", lineno, &w->status);
	else
		count_line(&w->out, j->valuestring, strlen(j->valuestring), lineno, &w->status);
	cJSON_Delete(j);
}

static void *count_part(void *arg)
{
	struct part *w = arg;
	for (size_t k = w->from; k < w->to && !w->out.failed; k++)
		count_one(w, k);
	return NULL;
}

/* Standard input in large chunks, its lines found with memchr: fgets' copy of each line
 * and the strlen after it cost more than the reading itself. What is left of a partial
 * line is at most COUNT_MAX_INPUT bytes, so a chunk always fits after it. */
enum { INPUT_CHUNK = 1 << 18 };
struct input {
	size_t pos, end; /* the unread bytes of buf */
	bool eof;        /* fread has said the end (or an error, which ferror tells) */
	char buf[COUNT_MAX_INPUT + INPUT_CHUNK];
};

/* The next line at *line, *len bytes without its newline, cut at a NUL byte as a C
 * string would be; false at the end of input. A line over the cap is skipped through its
 * newline and given empty with *too_long set. */
static bool next_line(struct input *in, const char **line, size_t *len, bool *too_long)
{
	bool skipping = false;
	for (;;) {
		char *start = in->buf + in->pos;
		size_t avail = in->end - in->pos;
		char *nl = memchr(start, '\n', avail);
		size_t have = nl ? (size_t)(nl - start) : avail;
		if (skipping || have > COUNT_MAX_INPUT) {
			skipping = true;
			in->pos = nl ? in->pos + have + 1 : in->end;
			if (nl || in->eof) {
				*len = 0;
				*too_long = true;
				return true;
			}
		} else if (nl || (in->eof && avail > 0)) {
			*line = start;
			*len = strnlen(start, have);
			*too_long = false;
			in->pos += have + (nl != NULL);
			return true;
		} else if (in->eof) {
			return false;
		}
		memmove(in->buf, in->buf + in->pos, in->end - in->pos);
		in->end -= in->pos;
		in->pos = 0;
		size_t got = fread(in->buf + in->end, 1, sizeof in->buf - in->end, stdin);
		in->end += got;
		in->eof = got == 0;
	}
}

/* Appends the next line of input to the block; false at the end of input. */
static bool read_line(struct block *b, struct input *in, bool *oom)
{
	const char *line = NULL;
	size_t len;
	bool too_long;
	if (!next_line(in, &line, &len, &too_long))
		return false;
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? 2 * b->cap : BLOCK_BYTES;
		while (cap < b->len + len + 1)
			cap *= 2;
		char *bytes = realloc(b->bytes, cap);
		if (!bytes) {
			*oom = true;
			return false;
		}
		b->bytes = bytes;
		b->cap = cap;
	}
	b->start[b->count] = b->len;
	b->too_long[b->count] = too_long;
	b->count++;
	if (len)
		memcpy(b->bytes + b->len, line, len);
	b->bytes[b->len + len] = '\0';
	b->len += len + 1;
	return true;
}

/* One JSON string literal per line in, one object per line out; a bad line gets an error
 * object of its own so that the rest of a large corpus is still counted. */
static int count_batch(void)
{
	static struct input in;
	static struct block blocks[2];
	struct part halves[2] = {{0}};
	unsigned long lineno = 0;
	int status = EXIT_OK;
	bool oom = false, more = true;
	/* fill reads into the block that is not being counted */
	for (int fill = 0, round = 0;; fill ^= 1, round++) {
		struct block *b = &blocks[fill];
		b->count = b->len = 0;
		while (more && !oom && b->count < BLOCK_LINES && b->len < BLOCK_BYTES &&
		       (more = read_line(b, &in, &oom)))
			;
		if (round > 0) {
			for (int h = 0; h < 2; h++) {
				if (halves[h].threaded)
					pthread_join(halves[h].thread, NULL);
				oom |= halves[h].out.failed;
				if (halves[h].out.len) /* an empty half may have no buffer yet */
					fwrite(halves[h].out.buf, 1, halves[h].out.len, stdout);
				halves[h].out.len = 0;
				if (halves[h].status != EXIT_OK)
					status = halves[h].status;
			}
		}
		if (b->count == 0 || oom)
			break;
		size_t middle = b->count / 2;
		halves[0].block = halves[1].block = b;
		halves[0].from = 0;
		halves[0].to = halves[1].from = middle;
		halves[1].to = b->count;
		halves[0].first_line = lineno + 1;
		halves[1].first_line = lineno + 1 + middle;
		lineno += b->count;
		for (int h = 0; h < 2; h++) {
			halves[h].threaded = !pthread_create(&halves[h].thread, NULL, count_part, &halves[h]);
			if (!halves[h].threaded)
				count_part(&halves[h]);
		}
	}
	for (int h = 0; h < 2; h++)
		free(halves[h].out.buf);
	for (int k = 0; k < 2; k++)
		free(blocks[k].bytes);
	if (oom) {
		cli_error(_("out of memory"));
		return EXIT_SOFTWARE;
	}
	if (ferror(stdin)) {
		cli_error(_("cannot read standard input"));
		return EXIT_IOERR;
	}
	return status;
}

const struct cli_help cmd_count_help = {
	.summary = N_("count a post's length the way X does"),
	.usage = N_("usage: incluinfo count [--json] [--batch]\n"
		 "\n"
		 "Counts standard input (one trailing newline ignored) as X counts a post: NFC, weighted\n"
		 "characters, every URL 23, every emoji 2, limit 280. Prints the weighted length, or\n"
		 "with --json parseTweet's fields. Exit 0 when the post is valid, 1 when not, 65 when\n"
		 "the input is not UTF-8 or is longer than 64 KiB.\n"
		 "\n"
		 "  --batch         read one JSON string per line, write one JSON object per line; a\n"
		 "                  line that cannot be counted gets {\"error\":\"line N: ...\"} in its\n"
		 "                  place, the others are still counted, and the exit status is 65 at\n"
		 "                  the end; each line is at most 64 KiB\n"),
};

int cmd_count(int argc, char **argv, struct cli *cli)
{
	bool batch = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--batch")) {
			batch = true;
		} else {
			return cli_no_more_arguments(argc, argv, i, "count");
		}
	}
	if (batch)
		return count_batch();

	/* room for the longest text, its newline, and one byte more to tell it is longer */
	char *buf = malloc(COUNT_MAX_INPUT + 2);
	if (!buf) {
		cli_error(_("out of memory"));
		return EXIT_SOFTWARE;
	}
	size_t len = fread(buf, 1, COUNT_MAX_INPUT + 2, stdin);
	if (ferror(stdin)) {
		free(buf);
		cli_error(_("cannot read standard input"));
		return EXIT_IOERR;
	}
	if (len > 0 && buf[len - 1] == '\n' && len <= COUNT_MAX_INPUT + 1)
		len--; /* the newline that echo and editors add is not part of the post */
	if (len > COUNT_MAX_INPUT) {
		free(buf);
		cli_error(_("the text is longer than %d bytes"), COUNT_MAX_INPUT);
		return EXIT_DATA;
	}
	struct tweet_parse p;
	struct ii_error e = {0};
	ii_err rc = tweet_parse(buf, len, &p, &e);
	free(buf);
	if (rc)
		return cli_fail(&e);
	if (cli->json) {
		char line[256];
		fwrite(line, 1, format_json(&p, line), stdout);
	} else
		printf("%d\n", p.weighted_length);
	return p.valid ? EXIT_OK : 1;
}
