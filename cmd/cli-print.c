#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "incluinfo.h"
#include "notify.h"
#include "printable.h"
#include "text/tweet.h"

#include <utf8proc.h>

/*
 * The one writer of everything the program prints. Titles, file names, --by names, X's
 * error texts and servers' words reach stdout and stderr from many printf calls; filtering
 * the streams themselves covers them all, and every printf yet to be written.
 */
struct safe_stream {
	int fd;
	char carry[4]; /* the start of a character a write cut in two */
	size_t carry_len;
};

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* Escapes and writes the carried bytes and then size bytes of buf; false on a write error. */
static bool safe_put(struct safe_stream *s, const char *buf, size_t size, bool more)
{
	enum { CHUNK = 4096 };
	char in[CHUNK + sizeof s->carry], out[PRINTABLE_ESCAPE_MAX * sizeof in];
	do {
		size_t take = size < CHUNK ? size : CHUNK, used;
		memcpy(in, s->carry, s->carry_len);
		memcpy(in + s->carry_len, buf, take);
		size_t len = s->carry_len + take;
		buf += take;
		size -= take;
		size_t n = printable_escape(in, len, true, more || size, out, &used);
		s->carry_len = len - used;
		memcpy(s->carry, in + used, s->carry_len);
		if (!write_all(s->fd, out, n))
			return false;
	} while (size);
	return true;
}

static ssize_t safe_write(void *cookie, const char *buf, size_t size)
{
	return safe_put(cookie, buf, size, true) ? (ssize_t)size : -1;
}

static int safe_close(void *cookie)
{
	return safe_put(cookie, "", 0, false) ? 0 : EOF;
}

bool cli_safe_streams(void)
{
	static struct safe_stream out = {.fd = STDOUT_FILENO}, err = {.fd = STDERR_FILENO};
	cookie_io_functions_t io = {.write = safe_write, .close = safe_close};
	FILE *o = fopencookie(&out, "w", io), *e = fopencookie(&err, "w", io);
	if (!o || !e || setvbuf(o, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ) ||
	    setvbuf(e, NULL, _IONBF, 0)) {
		if (o)
			fclose(o);
		if (e)
			fclose(e);
		return false;
	}
	stdout = o;
	stderr = e;
	return true;
}

/* text on one line of stderr: a newline or tab in it (a file name's) is escaped too */
static void print_line(const char *prefix, const char *text)
{
	size_t len = strlen(text), used;
	char *out = malloc(PRINTABLE_ESCAPE_MAX * len + 1);
	if (!out) {
		fprintf(stderr, "%s%s\n", prefix, _("out of memory"));
		return;
	}
	size_t n = printable_escape(text, len, false, false, out, &used);
	fprintf(stderr, "%s%.*s\n", prefix, (int)n, out);
	free(out);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text;
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	print_line(_("incluinfo: error: "), n < 0 ? _("out of memory") : text);
	if (n >= 0)
		free(text);
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
	case II_EPERM: return EXIT_NOPERM;
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
		print_line("", diag_at(diags, i));
}

void cli_print_warnings(const struct cli *cli, const struct messages *messages)
{
	struct diag_list *warnings = diag_new();
	if (!warnings || cli->quiet) {
		diag_free(warnings);
		return;
	}
	config_warn(cli->config, warnings);
	if (messages)
		messages_warn(messages, warnings);
	cli_print_diags(warnings);
	diag_free(warnings);
}

void cli_print_post(size_t index, size_t count, const char *text, int length, int limit)
{
	printf("[%zu/%zu] %d/%d\n%s\n\n", index + 1, count, length, limit, text);
}

void cli_print_undelivered(FILE *out, const struct notify_row *r)
{
	char when[32];
	cli_time_human(r->created_at, when);
	if (r->state == NOTIFY_UNKNOWN)
		fprintf(out, _("incluinfo: warning: alert '%s' (%s) to '%s' of %s may not have arrived: %s\n"),
			r->title, notify_event_name(r->event), r->target, when, r->error);
	else
		fprintf(out,
			ngettext("incluinfo: error: alert '%s' (%s) to '%s' of %s cannot be delivered "
				 "after %ld attempt: %s\n",
				 "incluinfo: error: alert '%s' (%s) to '%s' of %s cannot be delivered "
				 "after %ld attempts: %s\n",
				 (unsigned long)r->attempts),
			r->title, notify_event_name(r->event), r->target, when, r->attempts, r->error);
}

/* Terminal columns of s: printf's "%-9s" pads by bytes, which puts a column after
 * "caída" or "CUÁNDO" one place early. Characters utf8proc cannot measure count 1. */
static int display_width(const char *s)
{
	int width = 0;
	utf8proc_int32_t cp;
	for (utf8proc_ssize_t n; *s; s += n > 0 ? n : 1) {
		n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
		int w = n > 0 ? utf8proc_charwidth(cp) : 1;
		width += w > 0 ? w : 0;
	}
	return width;
}

void cli_pad(const char *s, int width)
{
	fputs(s, stdout);
	for (int pad = width - display_width(s); pad > 0; pad--)
		putchar(' ');
}

void cli_print_row(const char *const *cells, const int *widths, size_t count)
{
	for (size_t i = 0; i + 1 < count; i++) {
		cli_pad(cells[i], widths[i]);
		fputs("  ", stdout);
	}
	if (count)
		fputs(cells[count - 1], stdout);
	putchar('\n');
}
