#ifndef INCLUINFO_PRINTABLE_H
#define INCLUINFO_PRINTABLE_H
/*
 * Text from outside (a server's answer quoted in an error, a page's words in a reason)
 * made safe for one line of a terminal or of a monitoring-plugins output. The functions
 * write into the caller's memory and allocate nothing.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Whether code point c may act on a terminal's line rather than show as a character: a
 * control character (C0 with NUL, DEL, C1), a line or paragraph separator, a bidirectional
 * embedding, override or isolate. Texts that are published (notices) refuse them too.
 */
bool printable_unsafe(int32_t c);

/*
 * Rewrites text (NUL-terminated, in place; it never grows) so that it cannot move the
 * cursor, end the line or reorder what follows: every control character (C0, DEL, C1),
 * line and paragraph separator, bidirectional embedding, override or isolate, and every
 * byte that is not valid UTF-8 becomes one '?'.
 */
void printable_clean(char *text);

/* The first code point of text[0..len) that printable_unsafe() names (newline and tab
 * allowed when lines), U+FFFD for a byte that is not valid UTF-8, or -1 when there is
 * none: for refusing such text where it comes in (notices, names and messages given on
 * the command line). */
int32_t printable_first_unsafe(const char *text, size_t len, bool lines);

/*
 * text cleaned as printable_clean() does and with every '|' (which starts the performance
 * data of a plugin line) written as U+00A6 BROKEN BAR, into out (out_len bytes, at least 1,
 * NUL-terminated, cut at a character boundary when too small).
 */
void printable_plugin_text(const char *text, char *out, size_t out_len);

/*
 * A performance-data label as the monitoring-plugins guidelines want it, into out
 * (out_len bytes, NUL-terminated, cut when too small): as it is when it holds no space,
 * '=' or single quote, else between single quotes with each quote doubled; the label is
 * cleaned first as printable_clean() does.
 */
void printable_perf_label(const char *label, char *out, size_t out_len);

/* The most bytes printable_escape() writes for one byte of text. */
#define PRINTABLE_ESCAPE_MAX 6

/*
 * Copies text (len bytes, NUL allowed) into out (at least PRINTABLE_ESCAPE_MAX * len bytes,
 * not NUL-terminated) so that it shows on a terminal as written and acts on nothing: each
 * character printable_unsafe() names, and newline and tab unless lines, is written as its
 * JSON escape ("\u001b", "\u009b", "\u202e"; so an escaped JSON text stays the same JSON),
 * each byte that is not UTF-8 as "\ufffd". When more, an incomplete character at the end
 * is left for the next call. Returns the bytes of out written; *used is set to the bytes
 * of text taken.
 */
size_t printable_escape(const char *text, size_t len, bool lines, bool more, char *out,
			size_t *used);

#endif
