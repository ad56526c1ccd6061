#include "i18n.h"
#include "template.h"
#include "path.h"
#include "spanish.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

/* A template is a list of segments: literal text (escapes already resolved), fields, and
 * choices of number. */
enum segment_kind { SEGMENT_TEXT, SEGMENT_FIELD, SEGMENT_CHOICE };

struct segment {
	enum segment_kind kind;
	size_t off, len; /* SEGMENT_TEXT, and SEGMENT_CHOICE's singular: bytes of template.text */
	size_t plural_off, plural_len; /* SEGMENT_CHOICE: its plural */
	size_t field;    /* SEGMENT_FIELD: index in template.fields */
	int line;        /* SEGMENT_FIELD: of this use */
};

struct template {
	char *name;
	char *text; /* every literal segment, one after the other */
	size_t text_len;
	struct segment *segments;
	size_t segment_count, segment_cap;
	struct template_placeholder *fields; /* names are ours: allocated */
	size_t field_count, field_cap;
	bool has_choice;
};

/* Quoted parts of a line in messages are cut to this many bytes, so that a stray brace
 * before a long paragraph still gives a one-line message. */
#define QUOTE_MAX 40

struct parser {
	struct template *t;
	const char *name; /* of the template, for messages */
	struct diag_list *diags; /* may be NULL */
	struct ii_error *e;
	size_t problems;
	int line;
};

/* Records a problem of the template at line (0: the whole template): every one goes to
 * the diagnostics, the first one to e as a complete "name:line: error: ..." line. */
static void problem(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct parser *p, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->diags)
		diag_add(p->diags, p->name, line, "%s", msg);
	if (p->problems++ == 0) {
		if (line > 0)
			ii_fail(p->e, II_EDATA, _("%s:%d: error: %s"), p->name, line, msg);
		else
			ii_fail(p->e, II_EDATA, _("%s: error: %s"), p->name, msg);
	}
}

/* Whether s[0..len) is valid UTF-8; *bad gets the offset of the first invalid byte. */
static bool utf8_valid(const char *s, size_t len, size_t *bad)
{
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			if (bad)
				*bad = i;
			return false;
		}
		i += (size_t)n;
	}
	return true;
}

/* s[0..len) of valid UTF-8 cut to at most QUOTE_MAX bytes at a character boundary, with
 * "…" when cut; messages built from it stay valid UTF-8. */
static void quote(char *buf, size_t size, const char *s, size_t len)
{
	const char *more = "";
	if (len > QUOTE_MAX) {
		len = QUOTE_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		more = "…";
	}
	snprintf(buf, size, "%.*s%s", (int)len, s, more);
}

static bool add_segment(struct template *t, struct segment seg)
{
	if (t->segment_count == t->segment_cap) {
		size_t cap = t->segment_cap ? t->segment_cap * 2 : 8;
		struct segment *grown = realloc(t->segments, cap * sizeof *grown);
		if (!grown)
			return false;
		t->segments = grown;
		t->segment_cap = cap;
	}
	t->segments[t->segment_count++] = seg;
	return true;
}

/* Appends literal bytes, to the last segment when it is text. t->text was allocated as
 * large as the template, which literal text never outgrows. */
static bool add_text(struct template *t, const char *s, size_t len)
{
	memcpy(t->text + t->text_len, s, len);
	struct segment *last = t->segment_count ? &t->segments[t->segment_count - 1] : NULL;
	if (last && last->kind == SEGMENT_TEXT) {
		last->len += len;
	} else if (!add_segment(t, (struct segment){ .kind = SEGMENT_TEXT, .off = t->text_len,
						     .len = len })) {
		return false;
	}
	t->text_len += len;
	return true;
}

static bool add_field(struct template *t, const char *name, size_t len, int line)
{
	size_t i = 0;
	while (i < t->field_count && !(strlen(t->fields[i].name) == len &&
				       !memcmp(t->fields[i].name, name, len)))
		i++;
	if (i == t->field_count) {
		if (t->field_count == t->field_cap) {
			size_t cap = t->field_cap ? t->field_cap * 2 : 8;
			struct template_placeholder *grown =
				realloc(t->fields, cap * sizeof *grown);
			if (!grown)
				return false;
			t->fields = grown;
			t->field_cap = cap;
		}
		char *copy = strndup(name, len);
		if (!copy)
			return false;
		t->fields[t->field_count++] = (struct template_placeholder){ copy, line };
	}
	return add_segment(t, (struct segment){ .kind = SEGMENT_FIELD, .field = i, .line = line });
}

/* A "{singular|plural}" choice: both words go to t->text, outside any text segment. */
static bool add_choice(struct template *t, const char *s, size_t len, size_t bar)
{
	struct segment seg = { .kind = SEGMENT_CHOICE, .off = t->text_len, .len = bar,
			       .plural_off = t->text_len + bar, .plural_len = len - bar - 1 };
	memcpy(t->text + t->text_len, s, bar);
	memcpy(t->text + t->text_len + bar, s + bar + 1, len - bar - 1);
	t->text_len += len - 1;
	t->has_choice = true;
	return add_segment(t, seg);
}

enum name_check { NAME_OK, NAME_EMPTY, NAME_INVALID, NAME_TOO_LONG };

static enum name_check check_name(const char *name, size_t len)
{
	if (len == 0)
		return NAME_EMPTY;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (i > 0 && ((c >= '0' && c <= '9') || c == '_'));
		if (!ok)
			return NAME_INVALID;
	}
	return len > TEMPLATE_NAME_MAX ? NAME_TOO_LONG : NAME_OK;
}

/* Parses one line, s[0..len) without its line end, already known to be valid UTF-8. */
static bool parse_line(struct parser *p, const char *s, size_t len)
{
	char quoted[QUOTE_MAX + 8];
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && s[i] != '{' && s[i] != '}')
			i++;
		if (i > start && !add_text(p->t, s + start, i - start))
			return false;
		if (i == len)
			break;
		if (i + 1 < len && s[i + 1] == s[i]) { /* "{{" or "}}" */
			if (!add_text(p->t, s + i, 1))
				return false;
			i += 2;
			continue;
		}
		if (s[i] == '}') {
			problem(p, p->line, _("unmatched '}' ('}}' writes a literal '}')"));
			i++;
			continue;
		}
		/* a '{' that opens a placeholder: its name runs to the next brace */
		size_t name = i + 1, end = name;
		while (end < len && s[end] != '{' && s[end] != '}')
			end++;
		quote(quoted, sizeof quoted, s + name, end - name);
		if (end == len || s[end] == '{') {
			problem(p, p->line,
				_("unterminated placeholder '{%s' (no '}' on the line; '{{' writes a literal '{')"),
				quoted);
			i = end;
			continue;
		}
		const char *bar = memchr(s + name, '|', end - name);
		if (bar) {
			size_t at = (size_t)(bar - (s + name));
			if (memchr(bar + 1, '|', end - name - at - 1))
				problem(p, p->line,
					_("choice '{%s}' has more than one '|' (write '{singular|plural}', as '{funciona|funcionan}')"),
					quoted);
			else if (!add_choice(p->t, s + name, end - name, at))
				return false;
			i = end + 1;
			continue;
		}
		switch (check_name(s + name, end - name)) {
		case NAME_OK:
			if (!add_field(p->t, s + name, end - name, p->line))
				return false;
			break;
		case NAME_EMPTY:
			problem(p, p->line, _("empty placeholder '{}' ('{{' writes a literal '{')"));
			break;
		case NAME_INVALID:
			problem(p, p->line,
				_("invalid placeholder name '{%s}' (a-z, 0-9 and '_', starting with a letter; '{{' writes a literal '{')"),
				quoted);
			break;
		case NAME_TOO_LONG:
			problem(p, p->line, _("placeholder name too long '{%s}' (at most %d characters)"),
				quoted, TEMPLATE_NAME_MAX);
			break;
		}
		i = end + 1;
	}
	return true;
}

static bool parse(struct parser *p, const char *s, size_t len)
{
	size_t start = 0;
	while (start < len) {
		p->line++;
		const char *nl = memchr(s + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - s) : len;
		size_t bad;
		/* a line that is not text is reported once and not parsed, so that no message
		 * quotes invalid bytes */
		if (memchr(s + start, '\0', end - start))
			problem(p, p->line, _("NUL character in the line"));
		else if (!utf8_valid(s + start, end - start, &bad))
			problem(p, p->line, _("invalid UTF-8 at byte %zu of the line"), bad + 1);
		else if (!parse_line(p, s + start, end - start))
			return false;
		if (nl && !add_text(p->t, "\n", 1))
			return false;
		start = end + 1;
	}
	return true;
}

void template_free(struct template *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->field_count; i++)
		free((char *)t->fields[i].name);
	free(t->fields);
	free(t->segments);
	free(t->text);
	free(t->name);
	free(t);
}

/* The loader shared by files and strings; strip_line_end for files. */
static ii_err load(const char *name, const char *text, size_t len, bool strip_line_end,
		   struct template **out, struct diag_list *diags, struct ii_error *e)
{
	struct template *t = calloc(1, sizeof *t);
	if (!t || !(t->name = strdup(name))) {
		free(t);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	struct parser p = { .t = t, .name = t->name, .diags = diags, .e = e };
	if (len > TEMPLATE_MAX_SIZE) {
		problem(&p, 0, _("template too large (more than %u bytes)"), TEMPLATE_MAX_SIZE);
		template_free(t);
		return II_EDATA;
	}
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;
		len -= 3;
	}
	if (strip_line_end && len > 0 && text[len - 1] == '\n') {
		len--;
		if (len > 0 && text[len - 1] == '\r')
			len--;
	}
	if (len == 0) {
		problem(&p, 0, _("empty template"));
		template_free(t);
		return II_EDATA;
	}
	if (!(t->text = malloc(len)) || !parse(&p, text, len)) {
		template_free(t);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	if (p.problems) {
		template_free(t);
		return II_EDATA;
	}
	*out = t;
	return II_OK;
}

ii_err template_load_string(const char *name, const char *text, size_t len,
			    struct template **out, struct diag_list *diags, struct ii_error *e)
{
	return load(name, text, len, false, out, diags, e);
}

ii_err template_load_file(const char *path, struct template **out, struct diag_list *diags,
			  struct ii_error *e)
{
	char *buf;
	size_t len;
	ii_err rc = path_read_limited(path, TEMPLATE_MAX_SIZE, &buf, &len, e);
	if (rc)
		return rc;
	rc = load(path, buf, len, true, out, diags, e);
	free(buf);
	return rc;
}

const char *template_name(const struct template *t)
{
	return t->name;
}

bool template_has_choice(const struct template *t)
{
	return t->has_choice;
}

const struct template_placeholder *template_placeholders(const struct template *t,
							 size_t *count)
{
	*count = t->field_count;
	return t->fields;
}

ii_err template_check(const struct template *t, const char *const *known, size_t count,
		      struct diag_list *diags, struct ii_error *e)
{
	struct parser p = { .name = t->name, .diags = diags, .e = e }; /* reports only */
	for (size_t i = 0; i < t->field_count; i++) {
		size_t k = 0;
		while (k < count && strcmp(known[k], t->fields[i].name))
			k++;
		if (k == count)
			problem(&p, t->fields[i].line, _("unknown placeholder '{%s}'"),
				t->fields[i].name);
	}
	return p.problems ? II_EDATA : II_OK;
}

/* Whether text[0..len) ends with word (ASCII, any case), a space after it and no letter
 * before it. */
static bool ends_with_word(const char *text, size_t len, const char *word)
{
	size_t n = strlen(word);
	if (len < n + 1 || text[len - 1] != ' ')
		return false;
	size_t start = len - 1 - n;
	if (strncasecmp(text + start, word, n))
		return false;
	/* a byte of a UTF-8 sequence before it may be part of a letter: not a word of its own */
	unsigned char before = start ? (unsigned char)text[start - 1] : ' ';
	return !(isalnum(before) || before >= 0x80);
}

int template_word_before(const struct template *t, const char *name, const char *const *words,
			 size_t count, const char **word, int *length)
{
	for (size_t i = 1; i < t->segment_count; i++) {
		const struct segment *use = &t->segments[i], *prev = &t->segments[i - 1];
		if (use->kind != SEGMENT_FIELD || prev->kind != SEGMENT_TEXT ||
		    strcmp(t->fields[use->field].name, name))
			continue;
		for (size_t w = 0; w < count; w++)
			if (ends_with_word(t->text + prev->off, prev->len, words[w])) {
				*length = (int)strlen(words[w]);
				*word = t->text + prev->off + prev->len - 1 - *length;
				return use->line;
			}
	}
	return 0;
}

/* The rendered text as it grows, never longer than TEMPLATE_MAX_OUTPUT bytes. */
struct output {
	char *text;
	size_t len, cap;
	bool too_long, no_memory;
	size_t line;       /* where the current line starts */
	bool line_emptied; /* an empty value is on the current line */
	bool skip_space;   /* an empty value took the space before it: skip the one after */
};

static void put(struct output *o, const char *s, size_t len)
{
	if (o->too_long || o->no_memory)
		return;
	if (len > TEMPLATE_MAX_OUTPUT - o->len) {
		o->too_long = true;
		return;
	}
	if (o->len + len + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 256;
		while (cap < o->len + len + 1)
			cap *= 2;
		char *grown = realloc(o->text, cap);
		if (!grown) {
			o->no_memory = true;
			return;
		}
		o->text = grown;
		o->cap = cap;
	}
	memcpy(o->text + o->len, s, len);
	o->len += len;
}

/* Drops the spaces the text ends with. */
static void trim_spaces(struct output *o)
{
	while (o->len > o->line && o->text[o->len - 1] == ' ')
		o->len--;
}

/* Ends the current line (at a line end of the template, or at its end): a line that an
 * empty value left with nothing on it goes, with its line end. */
static void end_line(struct output *o, bool line_end)
{
	if (o->line_emptied) {
		trim_spaces(o);
		if (o->len == o->line) {
			o->line_emptied = false;
			return;
		}
	}
	if (line_end)
		put(o, "\n", 1);
	o->line = o->len;
	o->line_emptied = false;
}

static void put_text(struct output *o, const char *s, size_t len)
{
	if (o->skip_space && len > 0 && s[0] == ' ') {
		s++;
		len--;
	}
	o->skip_space = false;
	while (len > 0) {
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) : len;
		put(o, s, n);
		if (!nl)
			break;
		end_line(o, true);
		s += n + 1;
		len -= n + 1;
	}
}

/* Whether the value's first word is a brand written with a small letter before a capital
 * ("eNotum", "iPhone"): it keeps its form at the start of a sentence too (Fundéu,
 * «mayúsculas en marcas»), where "ENotum" would be another name. */
static bool keeps_small_initial(const char *v, size_t len)
{
	bool first = true;
	for (size_t i = 0; i < len && v[i] != ' ';) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)v + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return false;
		utf8proc_category_t c = utf8proc_category(cp);
		if (first && c != UTF8PROC_CATEGORY_LL)
			return false;
		if (!first && c == UTF8PROC_CATEGORY_LU)
			return true;
		first = false;
		i += (size_t)n;
	}
	return false;
}

/* Writes a value, joined to what comes before it as template_render() says. */
static void put_value(struct output *o, const char *v, size_t len, bool literal)
{
	if (len == 0) {
		o->line_emptied = true;
		/* one space of the two around it goes */
		o->skip_space = o->len == o->line || o->text[o->len - 1] == ' ';
		return;
	}
	o->skip_space = false;
	if (!literal && o->text && es_contracts(o->text + o->line, o->len - o->line, v)) {
		o->len--; /* "de " + "el Portal": "del Portal" */
		put(o, "l", 1);
		v += 2;
		len -= 2;
	} else if (!literal && es_sentence_start(o->text ? o->text : "", o->len) &&
		   !keeps_small_initial(v, len)) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)v, (utf8proc_ssize_t)len, &cp);
		utf8proc_uint8_t upper[4];
		if (n > 0) {
			put(o, (const char *)upper, (size_t)utf8proc_encode_char(utf8proc_toupper(cp), upper));
			v += n;
			len -= (size_t)n;
		}
	}
	put(o, v, len);
}

ii_err template_render(const struct template *t, const struct template_value *values,
		       size_t count, bool plural, char **out, struct ii_error *e)
{
	/* each field's value, checked once, in order of first use: the first problem
	 * reported is then the first in the template */
	size_t n = t->field_count ? t->field_count : 1;
	const struct template_value **value = malloc(n * sizeof *value);
	struct output o = {0};
	ii_err rc = II_OK;
	if (!value) {
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
		goto done;
	}
	for (size_t i = 0; i < t->field_count; i++) {
		const struct template_placeholder *f = &t->fields[i];
		size_t k = 0;
		while (k < count && strcmp(values[k].name, f->name))
			k++;
		const char *why = NULL;
		if (k == count)
			why = N_("unknown placeholder");
		else if (!values[k].value)
			why = N_("missing value for placeholder");
		else if (!utf8_valid(values[k].value, strlen(values[k].value), NULL))
			why = N_("invalid UTF-8 in the value of placeholder");
		if (why) {
			rc = ii_fail(e, II_EDATA, _("%s:%d: error: %s '{%s}'"), t->name, f->line, _(why),
				     f->name);
			goto done;
		}
		value[i] = &values[k];
	}
	for (size_t i = 0; i < t->segment_count; i++) {
		const struct segment *s = &t->segments[i];
		if (s->kind == SEGMENT_TEXT)
			put_text(&o, t->text + s->off, s->len);
		else if (s->kind == SEGMENT_CHOICE)
			put_text(&o, t->text + (plural ? s->plural_off : s->off),
				 plural ? s->plural_len : s->len);
		else
			put_value(&o, value[s->field]->value, strlen(value[s->field]->value),
				  value[s->field]->literal);
	}
	end_line(&o, false);
	put(&o, "", 0);
	if (o.too_long)
		rc = ii_fail(e, II_EDATA, _("%s: error: rendered text too long (more than %u bytes)"),
			     t->name, TEMPLATE_MAX_OUTPUT);
	else if (o.no_memory || !o.text)
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	if (rc)
		goto done;
	o.text[o.len] = '\0';
	*out = o.text;
	o.text = NULL;
done:
	free(o.text);
	free(value);
	return rc;
}
