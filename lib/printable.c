#include "printable.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

bool printable_unsafe(int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);
	return cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_ZL ||
	       cat == UTF8PROC_CATEGORY_ZP || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* The length of the character at s (one byte when it is not valid UTF-8); *bad says it
 * must be shown as one '?'. */
static size_t next_char(const char *s, size_t left, bool *bad)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)left, &c);
	*bad = n < 1 || printable_unsafe(c);
	return n < 1 ? 1 : (size_t)n;
}

void printable_clean(char *text)
{
	size_t left = strlen(text);
	const char *in = text;
	char *out = text;
	while (left) {
		bool bad;
		size_t n = next_char(in, left, &bad);
		if (bad)
			*out++ = '?';
		else
			memmove(out, in, n);
		out += bad ? 0 : n;
		in += n;
		left -= n;
	}
	*out = '\0';
}

int32_t printable_first_unsafe(const char *text, size_t len, bool lines)
{
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return 0xFFFD;
		if (printable_unsafe(cp) && !(lines && (cp == '\n' || cp == '\t')))
			return cp;
		i += (size_t)n;
	}
	return -1;
}

/* Appends piece (n bytes) to out if it fits with the NUL; false when it does not. */
static bool append(char *out, size_t out_len, size_t *used, const char *piece, size_t n)
{
	if (*used + n + 1 > out_len)
		return false;
	memcpy(out + *used, piece, n);
	*used += n;
	out[*used] = '\0';
	return true;
}

void printable_plugin_text(const char *text, char *out, size_t out_len)
{
	size_t used = 0, left = strlen(text);
	out[0] = '\0';
	while (left) {
		bool bad;
		size_t n = next_char(text, left, &bad);
		const char *piece = bad ? "?" : *text == '|' ? "\xC2\xA6" : text;
		size_t piece_len = bad ? 1 : *text == '|' ? 2 : n;
		if (!append(out, out_len, &used, piece, piece_len))
			return;
		text += n;
		left -= n;
	}
}

void printable_perf_label(const char *label, char *out, size_t out_len)
{
	char clean[256];
	size_t used = 0;
	snprintf(clean, sizeof clean, "%s", label);
	printable_clean(clean);
	bool quote = strpbrk(clean, " '=") != NULL;
	out[0] = '\0';
	if (quote && !append(out, out_len, &used, "'", 1))
		return;
	for (const char *c = clean; *c; c++) {
		const char *piece = *c == '\'' ? "''" : c;
		if (!append(out, out_len, &used, piece, *c == '\'' ? 2 : 1))
			return;
	}
	if (quote)
		append(out, out_len, &used, "'", 1);
}

/* Whether the len bytes at s (fewer than a whole character) may start a valid character. */
static bool incomplete(const char *s, size_t len)
{
	unsigned char lead = (unsigned char)s[0];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (lead < 0xC2 || lead > 0xF4 || len >= need)
		return false;
	for (size_t i = 1; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return false;
	return true;
}

size_t printable_escape(const char *text, size_t len, bool lines, bool more, char *out,
			size_t *used)
{
	size_t i = 0, o = 0;
	while (i < len) {
		unsigned char b = (unsigned char)text[i];
		if ((b >= 0x20 && b < 0x7F) || (lines && (b == '\n' || b == '\t'))) {
			out[o++] = (char)b; /* the common case, without a decoder */
			i++;
			continue;
		}
		utf8proc_int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
						      (utf8proc_ssize_t)(len - i), &c);
		if (n < 1 && more && incomplete(text + i, len - i))
			break;
		if (n < 1 || printable_unsafe(c) || c == '\n' || c == '\t') {
			char escape[PRINTABLE_ESCAPE_MAX + 1];
			snprintf(escape, sizeof escape, "\\u%04x", n < 1 ? 0xFFFDu : (unsigned)c);
			memcpy(out + o, escape, PRINTABLE_ESCAPE_MAX);
			o += PRINTABLE_ESCAPE_MAX;
			i += n < 1 ? 1 : (size_t)n;
			continue;
		}
		memcpy(out + o, text + i, (size_t)n);
		o += (size_t)n;
		i += (size_t)n;
	}
	*used = i;
	return o;
}
