#include "notice.h"
#include "i18n.h"
#include "path.h"
#include "printable.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <yaml.h>

#include <cmark.h>

enum key_id {
	K_TIPO, K_TITULO, K_BULO, K_VEREDICTO, K_FUENTES, K_AMBITO, K_ESTADO, K_SERVICIO,
	K_DESDE, K_HASTA, K_AVISO_ANTES, K_ETIQUETAS, K_PUBLICAR, K_CADUCA, K_AUTOR, K_ID,
	K_IDIOMA, K_ORIGEN, K_COUNT
};

#define ALL 0xfu
#define ONLY(kind) (1u << (kind))

static const struct {
	const char *name;
	bool list;
	unsigned kinds; /* the types it belongs to */
	unsigned required; /* the types that need it */
} keys[K_COUNT] = {
	[K_TIPO] = {"tipo", false, ALL, ALL},
	[K_TITULO] = {"titulo", false, ALL, ONLY(NOTICE_BULO) | ONLY(NOTICE_AVISO)},
	[K_BULO] = {"bulo", false, ONLY(NOTICE_BULO), ONLY(NOTICE_BULO)},
	[K_VEREDICTO] = {"veredicto", false, ONLY(NOTICE_BULO), ONLY(NOTICE_BULO)},
	[K_FUENTES] = {"fuentes", true, ONLY(NOTICE_BULO), ONLY(NOTICE_BULO)},
	[K_AMBITO] = {"ambito", false, ONLY(NOTICE_INCIDENCIA), ONLY(NOTICE_INCIDENCIA)},
	[K_ESTADO] = {"estado", false, ONLY(NOTICE_INCIDENCIA), ONLY(NOTICE_INCIDENCIA)},
	[K_SERVICIO] = {"servicio", false, ONLY(NOTICE_MANTENIMIENTO), ONLY(NOTICE_MANTENIMIENTO)},
	[K_DESDE] = {"desde", false, ONLY(NOTICE_MANTENIMIENTO), ONLY(NOTICE_MANTENIMIENTO)},
	[K_HASTA] = {"hasta", false, ONLY(NOTICE_MANTENIMIENTO), ONLY(NOTICE_MANTENIMIENTO)},
	[K_AVISO_ANTES] = {"aviso_antes", false, ONLY(NOTICE_MANTENIMIENTO), 0},
	[K_ETIQUETAS] = {"etiquetas", true, ALL, 0},
	[K_PUBLICAR] = {"publicar", false, ALL, 0},
	[K_CADUCA] = {"caduca", false, ALL, 0},
	[K_AUTOR] = {"autor", false, ALL, 0},
	[K_ID] = {"id", false, ALL, 0},
	/* incidents and maintenance windows go on with the templates, which are Spanish */
	[K_IDIOMA] = {"idioma", false, ONLY(NOTICE_BULO) | ONLY(NOTICE_AVISO), 0},
	[K_ORIGEN] = {"origen", false, ONLY(NOTICE_BULO), 0},
};

static const char *const kind_names[] = {"bulo", "aviso", "incidencia", "mantenimiento"};

/* A value as written, before it is checked against its type. */
struct raw {
	bool present;
	int key_line, key_column;
	int line, column; /* of the value */
	char *scalar;     /* for a text */
	char **items;     /* for a list */
	int *item_lines;
	int *item_columns;
	size_t count;
	bool is_list;
	bool bad; /* already reported as the wrong kind of value */
};

/* A problem found, kept until the end so that all are reported in the order of lines. */
struct problem {
	int line, column;
	size_t order; /* found, for problems at the same place */
	char *text;
};

struct parser {
	const char *path;
	struct diag_list *diags;
	struct ii_error *e;
	struct raw raw[K_COUNT];
	bool meant[K_COUNT]; /* a misspelt key was suggested to be this one */
	struct problem *problems;
	size_t errors;
	bool oom;
	const char *front;   /* the front matter's text, for the lines of YAML errors */
	size_t front_len;
	int yaml_first_line; /* the file's line of the front matter's first line */
	bool yaml_failed;    /* the front matter is not YAML: its values are not judged */
	int yaml_depth;      /* collections open at the last event read */
};

const char *notice_kind_name(enum notice_kind kind)
{
	return kind_names[kind];
}

static void problem(struct parser *p, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(struct parser *p, int line, int column, const char *fmt, ...)
{
	struct problem *grown = reallocarray(p->problems, p->errors + 1, sizeof *grown);
	if (!grown) {
		p->oom = true;
		return;
	}
	p->problems = grown;
	va_list ap;
	va_start(ap, fmt);
	int rc = vasprintf(&grown[p->errors].text, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		p->oom = true;
		return;
	}
	grown[p->errors] = (struct problem){line, column, p->errors, grown[p->errors].text};
	p->errors++;
}

static int by_place(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Every problem to diags in the order of lines; the first one to e. */
static ii_err report(struct parser *p)
{
	qsort(p->problems, p->errors, sizeof *p->problems, by_place);
	for (size_t i = 0; p->diags && i < p->errors; i++)
		diag_add_at(p->diags, p->path, p->problems[i].line, p->problems[i].column, "%s",
			    p->problems[i].text);
	const struct problem *first = &p->problems[0];
	return ii_fail(p->e, II_EDATA, _("%s:%d:%d: error: %s"), p->path, first->line, first->column,
		       first->text);
}

static char *copy(struct parser *p, const char *s)
{
	char *c = strdup(s);
	if (!c)
		p->oom = true;
	return c;
}

/* ---- the bytes: UTF-8, no NUL or control characters ---- */

static bool check_bytes(struct parser *p, const char *text, size_t len)
{
	int line = 1, column = 1;
	size_t i = 0;
	bool ok = true;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0) {
			problem(p, line, column, _("the text is not valid UTF-8: save the file as UTF-8"));
			return false;
		}
		if (cp == '\n') {
			line++;
			column = 1;
		} else {
			if (cp != '\t' && cp != '\r' && printable_unsafe(cp)) {
				problem(p, line, column,
					_("control character U+%04X is not allowed: delete it (it often "
					  "comes with text pasted from another program)"),
					(unsigned)cp);
				ok = false;
			}
			column++;
		}
		i += (size_t)n;
	}
	return ok;
}

/* ---- the front matter ---- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 32 || m > 32)
		return 99;
	size_t d[33][33];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return d[n][m];
}

/* name without accents and in lower case ("Título" is "titulo"), into out. */
static void fold_key(const char *name, char out[64])
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)name, 0, &mapped,
					  UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE |
						  UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
	snprintf(out, 64, "%s", n < 0 ? name : (const char *)mapped);
	free(mapped);
}

/* The key named name, accents and case aside: authors write "título" and "ámbito". */
static int find_key(const char *name)
{
	char folded[64];
	fold_key(name, folded);
	for (int k = 0; k < K_COUNT; k++)
		if (!strcmp(keys[k].name, folded))
			return k;
	return -1;
}

/* An unknown key, with the key it was most likely meant to be: that key is then not also
 * reported missing. */
static void unknown_key(struct parser *p, const char *name, int line, int column)
{
	char folded[64];
	fold_key(name, folded);
	int best = -1;
	size_t best_distance = 3;
	for (int k = 0; k < K_COUNT; k++) {
		size_t d = edit_distance(folded, keys[k].name);
		if (d < best_distance) {
			best = k;
			best_distance = d;
		}
	}
	if (best >= 0) {
		p->meant[best] = true;
		problem(p, line, column, _("unknown key '%s': did you mean '%s'?"), name,
			keys[best].name);
	} else {
		problem(p, line, column, _("unknown key '%s': notices/README.md lists the keys"), name);
	}
}

static int file_line(const struct parser *p, yaml_mark_t mark)
{
	return p->yaml_first_line + (int)mark.line;
}

static void raw_free(struct raw *r)
{
	free(r->scalar);
	for (size_t i = 0; i < r->count; i++)
		free(r->items[i]);
	free(r->items);
	free(r->item_lines);
	free(r->item_columns);
	memset(r, 0, sizeof *r);
}

static void add_item(struct parser *p, struct raw *r, const char *value, yaml_mark_t mark)
{
	char **items = reallocarray(r->items, r->count + 1, sizeof *items);
	int *lines = items ? reallocarray(r->item_lines, r->count + 1, sizeof *lines) : NULL;
	int *columns = lines ? reallocarray(r->item_columns, r->count + 1, sizeof *columns) : NULL;
	if (items)
		r->items = items;
	if (lines)
		r->item_lines = lines;
	if (!columns || !(r->items[r->count] = copy(p, value))) {
		p->oom = true;
		return;
	}
	r->item_columns = columns;
	r->item_lines[r->count] = file_line(p, mark);
	r->item_columns[r->count] = (int)mark.column + 1;
	r->count++;
}

/*
 * The next event of the front matter. libyaml spends time proportional to the nesting
 * on every token of a flow collection, so deep nesting costs quadratic time: the parse
 * stops, reported, as soon as it is nested deeper than NOTICE_MAX_YAML_DEPTH.
 */
static bool next_event(struct parser *p, yaml_parser_t *yp, yaml_event_t *ev)
{
	if (!yaml_parser_parse(yp, ev))
		return false;
	if (ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT) {
		if (++p->yaml_depth > NOTICE_MAX_YAML_DEPTH) {
			p->yaml_failed = true;
			problem(p, file_line(p, ev->start_mark), (int)ev->start_mark.column + 1,
				_("the header nests more than %d lists or keys: a value is a text or "
				  "a list of texts"),
				NOTICE_MAX_YAML_DEPTH);
			yaml_event_delete(ev);
			return false;
		}
	} else if (ev->type == YAML_SEQUENCE_END_EVENT || ev->type == YAML_MAPPING_END_EVENT) {
		p->yaml_depth--;
	}
	return true;
}

/* Consumes the rest of a collection whose start event was just read. */
static bool skip_collection(struct parser *p, yaml_parser_t *yp)
{
	for (int depth = 1; depth > 0;) {
		yaml_event_t ev;
		if (!next_event(p, yp, &ev))
			return false;
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (end)
			return false;
	}
	return true;
}

static bool is_collection(const yaml_event_t *ev)
{
	return ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT;
}

/*
 * A value as YAML unescaped it: escapes such as "\e", "\x9b", "\u202E" or "\0" write
 * characters that check_bytes() never saw in the file, and a NUL would silently cut the
 * text. Newline and tab are allowed, as in the body. False, with the problem reported,
 * when the value holds anything else that is not printable.
 */
static bool scalar_ok(struct parser *p, const yaml_event_t *ev, const char *name)
{
	int32_t cp = printable_first_unsafe((const char *)ev->data.scalar.value, ev->data.scalar.length, true);
	if (cp < 0)
		return true;
	problem(p, file_line(p, ev->start_mark), (int)ev->start_mark.column + 1,
		_("control character U+%04X is not allowed in '%s': delete it"), (unsigned)cp, name);
	return false;
}

/*
 * A source written "- el BOE: https://…" is, to YAML, a mapping of one key: it is read
 * back as the text "el BOE: https://…", which validate() splits. The mapping's start was
 * just read; the rest of it is consumed. *valid says whether it was one text key with one
 * text value; false when the front matter ended or broke.
 */
static bool described_source(struct parser *p, yaml_parser_t *yp, struct raw *r,
			     const char *name, yaml_mark_t mark, bool *valid)
{
	char *pair[2] = {NULL, NULL};
	size_t scalars = 0;
	bool nested = false, clean = true;
	for (int depth = 1; depth > 0;) {
		yaml_event_t ev;
		if (!next_event(p, yp, &ev)) {
			free(pair[0]);
			free(pair[1]);
			return false;
		}
		bool end = ev.type == YAML_STREAM_END_EVENT;
		if (is_collection(&ev)) {
			depth++;
			nested = true;
		} else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
			depth--;
		} else if (ev.type == YAML_SCALAR_EVENT && depth == 1) {
			if (!scalar_ok(p, &ev, name))
				clean = false;
			else if (scalars < 2)
				pair[scalars] = copy(p, (const char *)ev.data.scalar.value);
			scalars++;
		}
		yaml_event_delete(&ev);
		if (end) {
			free(pair[0]);
			free(pair[1]);
			return false;
		}
	}
	*valid = clean && !nested && scalars == 2 && pair[0] && pair[1];
	char *text = NULL;
	if (*valid && asprintf(&text, "%s: %s", pair[0], pair[1]) < 0)
		p->oom = true;
	else if (*valid)
		add_item(p, r, text, mark);
	free(text);
	free(pair[0]);
	free(pair[1]);
	*valid = *valid || !clean; /* a control character is reported already */
	return true;
}

/* Reads the value of key k (or skips it when k < 0) from the parser's next events. */
static bool read_value(struct parser *p, yaml_parser_t *yp, int k, const char *name)
{
	yaml_event_t ev;
	if (!next_event(p, yp, &ev))
		return false;
	struct raw scratch = {0};
	struct raw *r = k >= 0 ? &p->raw[k] : &scratch;
	r->line = file_line(p, ev.start_mark);
	r->column = (int)ev.start_mark.column + 1;
	bool ok = true;
	if (ev.type == YAML_SCALAR_EVENT) {
		if (scalar_ok(p, &ev, name))
			r->scalar = copy(p, (const char *)ev.data.scalar.value);
		else
			r->bad = true;
	} else if (ev.type == YAML_SEQUENCE_START_EVENT) {
		r->is_list = true;
		bool reported = false;
		for (;;) {
			yaml_event_t item;
			if (!next_event(p, yp, &item)) {
				ok = false;
				break;
			}
			bool end = item.type == YAML_SEQUENCE_END_EVENT;
			bool valid = true;
			if (item.type == YAML_SCALAR_EVENT) {
				if (scalar_ok(p, &item, name))
					add_item(p, r, (const char *)item.data.scalar.value, item.start_mark);
				else
					r->bad = true;
			} else if (item.type == YAML_MAPPING_START_EVENT && k == K_FUENTES) {
				ok = described_source(p, yp, r, name, item.start_mark, &valid);
			} else if (!end) {
				valid = false;
				ok = !is_collection(&item) || skip_collection(p, yp);
			}
			if (!valid && !reported)
				problem(p, file_line(p, item.start_mark), (int)item.start_mark.column + 1,
					_("each item of '%s' must be a text"), name);
			reported = reported || !valid;
			r->bad = r->bad || !valid;
			yaml_event_delete(&item);
			if (end || !ok)
				break;
		}
	} else {
		bool list = k >= 0 && keys[k].list;
		problem(p, r->line, r->column,
			list ? _("'%s' must be a list of texts") : _("'%s' must be a text"), name);
		r->bad = true;
		ok = !is_collection(&ev) || skip_collection(p, yp);
	}
	yaml_event_delete(&ev);
	raw_free(&scratch);
	return ok;
}

/* Line i (from 0) of the front matter, without its end: *len bytes at the result. */
static const char *front_line(const struct parser *p, size_t i, size_t *len)
{
	const char *s = p->front, *end = p->front + p->front_len;
	for (; i > 0 && s < end; i--) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		s = nl ? nl + 1 : end;
	}
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	*len = (size_t)((nl ? nl : end) - s);
	if (*len && s[*len - 1] == '\r')
		(*len)--;
	return s;
}

/* How to write value so that YAML reads it as text: between double quotes, or single
 * ones (each ' doubled) when it holds a double quote. A value the author already put
 * between a pair of quotes that its own quote closed too early ('Cita d'Ana') is the text
 * inside that pair: quoting the pair again would publish the quotes. */
static void quoted(const char *value, size_t len, char *out, size_t size)
{
	if (len >= 2 && strchr("\"'", value[0]) && value[len - 1] == value[0]) {
		value++;
		len -= 2;
	}
	bool single = memchr(value, '"', len) != NULL;
	size_t w = 0;
	if (size < 4)
		return;
	out[w++] = single ? '\'' : '"';
	for (size_t i = 0; i < len && w + 3 < size; i++) {
		if (single && value[i] == '\'')
			out[w++] = '\'';
		out[w++] = value[i];
	}
	out[w++] = single ? '\'' : '"';
	out[w] = '\0';
}

/*
 * What libyaml could not read, said so that an author can fix it: the usual mistakes in a
 * front matter are a value with ": " or starting with a character YAML reserves (both
 * fixed with quotes), a tab in the indentation, quotes or a '[' never closed.
 */
static void yaml_problem(struct parser *p, const yaml_parser_t *yp)
{
	const char *what = yp->problem ? yp->problem : "";
	const char *context = yp->context ? yp->context : "";
	yaml_mark_t mark = yp->problem_mark, opened = yp->context_mark;
	int line = file_line(p, mark), column = (int)mark.column + 1;
	/* the line as "key: value", for the quotes to suggest */
	size_t len;
	const char *text = front_line(p, mark.line, &len);
	const char *colon = memchr(text, ':', len);
	bool keyed = len && colon && !strchr(" \t-#", text[0]) && colon + 1 < text + len &&
		     colon[1] == ' ';
	char key[64] = "", fix[600] = "", first = '\0';
	if (keyed) {
		const char *value = colon + 2, *end = text + len;
		while (value < end && *value == ' ')
			value++;
		snprintf(key, sizeof key, "%.*s", (int)(colon - text), text);
		first = value < end ? *value : '\0';
		quoted(value, (size_t)(end - value), fix, sizeof fix);
	}
	bool reserved = first && strchr("*&!%@`|>{", first);
	if (strstr(what, "escape"))
		problem(p, line, column,
			_("a '\\' between double quotes starts an escape: write it twice, or use "
			  "single quotes"));
	else if (strstr(what, "tab"))
		problem(p, line, column, _("a tab indents this line: indent with spaces"));
	else if (strstr(context, "quoted scalar"))
		problem(p, file_line(p, opened), (int)opened.column + 1,
			_("the quotes opened here are not closed: close them at the end of the value"));
	else if (strstr(context, "flow sequence"))
		problem(p, file_line(p, opened), (int)opened.column + 1,
			_("the list opened here with '[' is not closed: end it with ']'"));
	else if (keyed && !strcmp(what, "mapping values are not allowed in this context"))
		problem(p, line, column,
			_("the value of '%s' has a colon: put it in quotes, like this: %s: %s"), key, key,
			fix);
	else if (first && strchr("\"'", first) && !strcmp(what, "did not find expected key"))
		problem(p, line, column,
			_("the value of '%s' goes on after its closing quote: quote all of it, like "
			  "this: %s: %s"),
			key, key, fix);
	else if (reserved)
		problem(p, line, column,
			_("the value of '%s' starts with '%c', which YAML reserves: put it in quotes, "
			  "like this: %s: %s"),
			key, first, key, fix);
	else if (!strcmp(what, "block sequence entries are not allowed in this context"))
		problem(p, line, column,
			_("a list item ('- ') goes on a line of its own, under its key"));
	else if (!strcmp(what, "could not find expected ':'"))
		problem(p, file_line(p, opened), (int)opened.column + 1,
			_("this line has no ':' after its key: write 'key: value'"));
	else
		problem(p, line, column,
			_("the header is not valid YAML here (%s): check the quotes, brackets and "
			  "indentation of this line"),
			what);
}

static void parse_front(struct parser *p, const char *front, size_t len)
{
	yaml_parser_t yp;
	if (!yaml_parser_initialize(&yp)) {
		p->oom = true;
		return;
	}
	p->front = front;
	p->front_len = len;
	yaml_parser_set_input_string(&yp, (const unsigned char *)front, len);
	yaml_parser_set_encoding(&yp, YAML_UTF8_ENCODING);
	bool in_mapping = false, done = false;
	while (!done) {
		yaml_event_t ev;
		if (!next_event(p, &yp, &ev))
			break;
		int line = file_line(p, ev.start_mark), column = (int)ev.start_mark.column + 1;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_START_EVENT:
			break;
		case YAML_MAPPING_START_EVENT:
			if (in_mapping) {
				problem(p, line, column,
					_("the header holds only keys with a text or a list of texts"));
				done = true;
			}
			in_mapping = true;
			break;
		case YAML_SCALAR_EVENT: {
			if (!in_mapping) {
				problem(p, line, column,
					_("the header must be lines of 'key: value', like 'tipo: bulo'"));
				done = true;
				break;
			}
			const char *name = (const char *)ev.data.scalar.value;
			int k = find_key(name);
			if (k < 0)
				unknown_key(p, name, line, column);
			else if (p->raw[k].present)
				problem(p, line, column,
					_("key '%s' is repeated (it is on line %d already): keep one"),
					name, p->raw[k].key_line);
			int slot = k >= 0 && !p->raw[k].present ? k : -1;
			if (slot >= 0) {
				p->raw[slot].present = true;
				p->raw[slot].key_line = line;
				p->raw[slot].key_column = column;
			}
			char key_name[64];
			snprintf(key_name, sizeof key_name, "%s", name);
			if (!read_value(p, &yp, slot, key_name))
				done = true;
			break;
		}
		case YAML_MAPPING_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			done = ev.type == YAML_STREAM_END_EVENT;
			break;
		default:
			problem(p, line, column,
				_("the header must be lines of 'key: value', like 'tipo: bulo'"));
			done = true;
			break;
		}
		yaml_event_delete(&ev);
	}
	if (yp.error != YAML_NO_ERROR) {
		p->yaml_failed = true;
		yaml_problem(p, &yp);
	}
	yaml_parser_delete(&yp);
}

/* ---- values ---- */

static bool parse_number(const char **s, int digits, int *out)
{
	int v = 0;
	for (int i = 0; i < digits; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return false;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += digits;
	*out = v;
	return true;
}

static int days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

/* "2026-12-01", "2026-12-01 09:00[:SS]", 'T' between, an optional offset. *timed says
 * whether it has a time. */
static bool parse_date(const char *text, time_t *out, bool *timed)
{
	const char *s = text;
	struct tm tm = {0};
	int year, month, day, hour = 0, minute = 0, second = 0;
	if (!parse_number(&s, 4, &year) || *s++ != '-' || !parse_number(&s, 2, &month) ||
	    *s++ != '-' || !parse_number(&s, 2, &day))
		return false;
	if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || year < 1970)
		return false;
	*timed = *s == ' ' || *s == 'T';
	if (*timed) {
		s++;
		if (!parse_number(&s, 2, &hour) || *s++ != ':' || !parse_number(&s, 2, &minute))
			return false;
		if (*s == ':' && (s++, !parse_number(&s, 2, &second)))
			return false;
		if (hour > 23 || minute > 59 || second > 59)
			return false;
	}
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	if (*s == '\0') {
		tm.tm_isdst = -1;
		*out = mktime(&tm);
		return *out != (time_t)-1;
	}
	int sign = 0, oh = 0, om = 0;
	if (*s == 'Z' && s[1] == '\0') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (!parse_number(&s, 2, &oh))
			return false;
		if (*s == ':')
			s++;
		if (!parse_number(&s, 2, &om) || *s || oh > 14 || om > 59)
			return false;
	} else {
		return false;
	}
	*out = timegm(&tm) - sign * (oh * 3600 + om * 60);
	return true;
}

/* "24 h", "90 min", "2 d", "1 h 30 min": a length of time, in seconds. */
static bool parse_duration(const char *text, long *out)
{
	long total = 0;
	const char *s = text;
	bool any = false;
	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		char *end;
		errno = 0;
		long n = strtol(s, &end, 10);
		if (end == s || errno || n < 0 || n > 100000)
			return false;
		s = end;
		while (*s == ' ')
			s++;
		long unit = !strncmp(s, "min", 3) ? 60 : *s == 'h' ? 3600 : *s == 'd' ? 86400 : 0;
		if (!unit)
			return false;
		s += unit == 60 ? 3 : 1;
		if (*s && *s != ' ')
			return false;
		total += n * unit;
		any = true;
	}
	*out = total;
	return any && total > 0;
}

static bool https_url(const char *url)
{
	if (strncmp(url, "https://", 8))
		return false;
	const char *host = url + 8;
	size_t host_len = strcspn(host, "/?#");
	if (host_len == 0 || !memchr(host, '.', host_len))
		return false;
	for (const char *c = url; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '"' || *c == '<' || *c == '>')
			return false;
	return true;
}

static int index_of(const char *value, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(value, set[i]))
			return (int)i;
	return -1;
}

static void empty_key(struct parser *p, int k)
{
	/* a value after '#' is a comment to YAML: the key looks empty */
	size_t len;
	const char *text = front_line(p, (size_t)(p->raw[k].key_line - p->yaml_first_line), &len);
	if (memchr(text, '#', len) && k == K_ETIQUETAS)
		problem(p, p->raw[k].line, p->raw[k].column,
			_("key 'etiquetas' is empty: a '#' starts a comment in YAML, so write the "
			  "tags without it (incluinfo adds it), like this: etiquetas: [Pensiones]"));
	else if (memchr(text, '#', len))
		problem(p, p->raw[k].line, p->raw[k].column,
			_("key '%s' is empty: a '#' starts a comment in YAML, so put the value in "
			  "quotes, like this: %s: \"#…\""),
			keys[k].name, keys[k].name);
	else
		problem(p, p->raw[k].line, p->raw[k].column,
			_("key '%s' is empty: write a value or remove the key"), keys[k].name);
}

/* The text of key k, or NULL (with a problem reported) when it is a list or empty. */
static const char *scalar_of(struct parser *p, int k)
{
	struct raw *r = &p->raw[k];
	if (!r->present || r->bad)
		return NULL;
	if (r->is_list) {
		problem(p, r->line, r->column,
			_("'%s' must be one text, not a list: write one value after the key"),
			keys[k].name);
		return NULL;
	}
	if (!r->scalar || !*r->scalar) {
		empty_key(p, k);
		return NULL;
	}
	return r->scalar;
}

/* A date, or 0; *timed (may be NULL) says whether it has a time. */
static time_t date_of(struct parser *p, int k, bool *timed)
{
	const char *text = scalar_of(p, k);
	time_t t = 0;
	bool has_time = false;
	if (text && !parse_date(text, &t, &has_time)) {
		problem(p, p->raw[k].line, p->raw[k].column,
			_("invalid date '%s' in '%s': write YYYY-MM-DD or YYYY-MM-DD HH:MM"), text,
			keys[k].name);
		t = 0;
	}
	if (timed)
		*timed = has_time;
	return t;
}

/* A list key: a list of texts, or a single text taken as a list of one. */
static char **list_of(struct parser *p, int k, size_t *count)
{
	struct raw *r = &p->raw[k];
	*count = 0;
	if (!r->present || r->bad)
		return NULL;
	if (!r->is_list) {
		if (!r->scalar || !*r->scalar) {
			empty_key(p, k);
			return NULL;
		}
		add_item(p, r, r->scalar, (yaml_mark_t){.line = (size_t)(r->line - p->yaml_first_line),
							.column = (size_t)(r->column - 1)});
	}
	if (r->count == 0)
		problem(p, r->line, r->column, _("list '%s' is empty: write at least one item"),
			keys[k].name);
	char **items = calloc(r->count + 1, sizeof *items);
	if (!items) {
		p->oom = true;
		return NULL;
	}
	for (size_t i = 0; i < r->count; i++)
		items[i] = copy(p, r->items[i]);
	*count = r->count;
	return items;
}

static char *optional_text(struct parser *p, int k)
{
	const char *text = scalar_of(p, k);
	return text ? copy(p, text) : NULL;
}

/* The text of key k, reported when it has more than max characters: the draft, the
 * incident and the feeds keep it whole or not at all. */
static char *bounded_text(struct parser *p, int k, size_t max)
{
	char *text = optional_text(p, k);
	size_t chars = 0;
	for (const char *c = text; c && *c; c++)
		chars += ((unsigned char)*c & 0xC0) != 0x80;
	if (chars > max)
		problem(p, p->raw[k].line, p->raw[k].column,
			_("'%s' has %zu characters; the most it can have is %zu: shorten it"),
			keys[k].name, chars, max);
	return text;
}

static void bounded_list(struct parser *p, int k, size_t count, size_t max)
{
	if (count > max)
		problem(p, p->raw[k].line, p->raw[k].column,
			_("'%s' has %zu items; the most it can have is %zu"), keys[k].name, count, max);
}

static void warn(struct parser *p, struct notice *n, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Whether url is a site's home page (nothing after the host but "/"): it does not show
 * the reader where the fact is said. */
static bool home_page(const char *url)
{
	const char *host = url + strlen("https://");
	const char *rest = host + strcspn(host, "/?#");
	return !*rest || !strcmp(rest, "/");
}

/*
 * fuentes: each entry an https address, or who publishes it and the address
 * ("el BOE: https://…", "la Seguridad Social https://…"). The names go to
 * n->source_names; a source that names nobody and whose host lib/lang does not know, and
 * sources that are all home pages, are warnings.
 */
static void sources(struct parser *p, struct notice *n)
{
	const struct raw *r = &p->raw[K_FUENTES];
	n->source_names = calloc(n->source_count + 1, sizeof *n->source_names);
	if (!n->source_names) {
		p->oom = true;
		return;
	}
	size_t homes = 0;
	for (size_t i = 0; i < n->source_count && i < r->count; i++) {
		char *entry = n->sources[i], *url = strstr(entry, "https://");
		if (!url)
			url = strstr(entry, "http://");
		char *end = url;
		while (end && end > entry && (end[-1] == ' ' || end[-1] == ':'))
			end--;
		if (end && end > entry && end < url) {
			if (!(n->source_names[i] = strndup(entry, (size_t)(end - entry))))
				p->oom = true;
			memmove(entry, url, strlen(url) + 1);
		}
		if (!https_url(entry)) {
			problem(p, r->item_lines[i], r->item_columns[i],
				_("source '%s' is not a valid https:// address: write the whole address, "
				  "like https://www.seg-social.es/…"),
				entry);
			continue;
		}
		homes += home_page(entry);
		if (!n->source_names[i] && !lang_host_name(n->lang, entry))
			warn(p, n, r->item_lines[i],
			     _("source '%s' does not say who publishes it: write the name before the "
			       "address, like this: - la Seguridad Social: %s"),
			     entry, entry);
	}
	if (n->source_count && homes == n->source_count)
		warn(p, n, r->line,
		     _("the sources are only home pages ('%s'): link to the page that says what the "
		       "thread says"),
		     n->sources[0]);
}

static void validate(struct parser *p, struct notice *n)
{
	const char *tipo = scalar_of(p, K_TIPO);
	if (!p->raw[K_TIPO].present) {
		if (!p->meant[K_TIPO])
			problem(p, p->yaml_first_line, 1,
				_("missing required key 'tipo' (bulo, aviso, incidencia or mantenimiento)"));
		return;
	}
	int kind = tipo ? index_of(tipo, kind_names, 4) : -1;
	if (kind < 0) {
		if (tipo)
			problem(p, p->raw[K_TIPO].line, p->raw[K_TIPO].column,
				_("unknown tipo '%s': use bulo, aviso, incidencia or mantenimiento"), tipo);
		return;
	}
	n->kind = (enum notice_kind)kind;
	for (int k = 0; k < K_COUNT; k++) {
		const struct raw *r = &p->raw[k];
		if (r->present && !(keys[k].kinds & ONLY(kind)))
			problem(p, r->key_line, r->key_column,
				_("key '%s' is not used in a notice of type '%s': remove it"), keys[k].name,
				tipo);
		else if (!r->present && keys[k].required & ONLY(kind) && !p->meant[k])
			problem(p, p->raw[K_TIPO].line, 1, _("missing required key '%s' (type %s)"),
				keys[k].name, tipo);
	}
	n->title = bounded_text(p, K_TITULO, NOTICE_MAX_TITLE_CHARS);
	n->title_line = p->raw[K_TITULO].line;
	n->author = bounded_text(p, K_AUTOR, NOTICE_MAX_AUTHOR_CHARS);
	n->author_line = p->raw[K_AUTOR].line;
	n->id = optional_text(p, K_ID);
	bool timed = true;
	n->publish_at = date_of(p, K_PUBLICAR, &timed);
	if (n->publish_at && !timed)
		warn(p, n, p->raw[K_PUBLICAR].line,
		     _("'publicar' has no time, so the notice goes out at 00:00, when nobody answers "
		       "replies: add the time, like this: publicar: %s 09:00"),
		     p->raw[K_PUBLICAR].scalar);
	n->expires_at = date_of(p, K_CADUCA, NULL);
	n->expires_line = p->raw[K_CADUCA].line;
	if (n->publish_at && n->expires_at && n->expires_at <= n->publish_at)
		problem(p, p->raw[K_CADUCA].line, p->raw[K_CADUCA].column,
			_("'caduca' must be later than 'publicar'"));
	n->tags = list_of(p, K_ETIQUETAS, &n->tag_count);
	bounded_list(p, K_ETIQUETAS, n->tag_count, NOTICE_MAX_TAGS);
	const char *idioma = scalar_of(p, K_IDIOMA);
	if (idioma && !lang_parse(idioma, &n->lang))
		problem(p, p->raw[K_IDIOMA].line, p->raw[K_IDIOMA].column,
			_("idioma '%s' is not one incluinfo writes: use es, ca, gl or en"), idioma);
	if (n->kind == NOTICE_BULO) {
		n->hoax = optional_text(p, K_BULO);
		n->hoax_line = p->raw[K_BULO].line;
		n->origin = optional_text(p, K_ORIGEN);
		const char *verdict = scalar_of(p, K_VEREDICTO);
		if (verdict && !lang_verdict_parse(verdict, &n->verdict))
			problem(p, p->raw[K_VEREDICTO].line, p->raw[K_VEREDICTO].column,
				_("invalid veredicto '%s': use FALSO, ENGAÑOSO, SIN CONTEXTO or ESTAFA"),
				verdict);
		n->sources = list_of(p, K_FUENTES, &n->source_count);
		bounded_list(p, K_FUENTES, n->source_count, NOTICE_MAX_SOURCES);
		if (n->sources)
			sources(p, n);
	} else if (n->kind == NOTICE_INCIDENCIA) {
		n->scope = bounded_text(p, K_AMBITO, NOTICE_MAX_SCOPE_CHARS);
		const char *status = scalar_of(p, K_ESTADO);
		if (status && !incident_status_parse(status, &n->status))
			problem(p, p->raw[K_ESTADO].line, p->raw[K_ESTADO].column,
				_("invalid estado '%s': use investigando, identificado, en seguimiento or "
				  "resuelto"),
				status);
	} else if (n->kind == NOTICE_MANTENIMIENTO) {
		n->service = optional_text(p, K_SERVICIO);
		n->from = date_of(p, K_DESDE, NULL);
		n->until = date_of(p, K_HASTA, NULL);
		if (n->from && n->until && n->until <= n->from)
			problem(p, p->raw[K_HASTA].line, p->raw[K_HASTA].column,
				_("'hasta' must be later than 'desde'"));
		n->announce_before = NOTICE_DEFAULT_ANNOUNCE;
		const char *before = scalar_of(p, K_AVISO_ANTES);
		if (before && !parse_duration(before, &n->announce_before))
			problem(p, p->raw[K_AVISO_ANTES].line, p->raw[K_AVISO_ANTES].column,
				_("invalid aviso_antes '%s': write a number and a unit, like '24 h', "
				  "'90 min' or '2 d'"),
				before);
	}
}

/* ---- the body ---- */

/*
 * The body is CommonMark, parsed by cmark, and rendered to post text by the rules of
 * notices/README.md: emphasis marks dropped, a link as its text and its address, list
 * items one a line after "• " (or their number), hard line breaks kept, code as its text,
 * a block quote between « and », a table one row a line with its cells between " · ".
 * Each top-level block is one paragraph of the thread. What a post cannot show (images,
 * HTML, horizontal rules) is left out, and a table's delimiter row dropped, with a
 * warning, so that the author sees that the post differs from the file.
 */

struct out {
	char *p;
	size_t len, cap;
	bool oom;
};

static void out_add(struct out *o, const char *s, size_t len)
{
	if (o->oom)
		return;
	if (o->len + len + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 256;
		while (o->len + len + 1 > cap)
			cap *= 2;
		char *grown = realloc(o->p, cap);
		if (!grown) {
			o->oom = true;
			return;
		}
		o->p = grown;
		o->cap = cap;
	}
	memcpy(o->p + o->len, s, len);
	o->len += len;
	o->p[o->len] = '\0';
}

static void out_str(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

static void warn(struct parser *p, struct notice *n, int line, const char *fmt, ...)
{
	struct notice_warning *grown =
		reallocarray(n->warnings, n->warning_count + 1, sizeof *grown);
	if (!grown) {
		p->oom = true;
		return;
	}
	n->warnings = grown;
	va_list ap;
	va_start(ap, fmt);
	int rc = vasprintf(&grown[n->warning_count].text, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		p->oom = true;
		return;
	}
	grown[n->warning_count++].line = line;
}

struct body {
	struct parser *p;
	struct notice *n;
	int first_line; /* the file's line of the body's first line */
	int line;       /* of the block being rendered */
	bool cells;     /* in a paragraph: '|' and line ends marked, see is_table() */
};

/* A shortened quotation of what was left out, for a warning. */
static const char *shown(const char *text, char out[64])
{
	size_t len = strlen(text), cut = len > 60 ? 60 : len;
	while (cut < len && cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	snprintf(out, 64, "%.*s%s", (int)cut, text, cut < len ? "\xe2\x80\xa6" : "");
	for (char *c = out; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	return out;
}

/*
 * A table is not CommonMark (cmark has no table extension): it reaches us as a paragraph
 * of lines with '|'. The paragraph is rendered with each '|' of its text (not of its code)
 * as CELL and each end of a source line as ROW, so that a table is told from text by what
 * cmark read as text. Neither byte can come from the file: check_bytes() refuses control
 * characters, and one made by an entity (&#31;) is written as '?'.
 */
#define CELL '\x1f'
#define ROW '\x1e'

static void text_with_cells(struct out *o, const char *s)
{
	while (*s) {
		size_t run = strcspn(s, "|\x1e\x1f");
		out_add(o, s, run);
		s += run;
		if (*s)
			out_add(o, *s++ == '|' ? "\x1f" : "?", 1);
	}
}

static size_t row_len(const char *s)
{
	return strcspn(s, "\x1e\n");
}

/* The next cell of the row [*s, end), without its blanks; false after the last. */
static bool next_cell(const char **s, const char *end, const char **cell, size_t *len)
{
	if (*s > end)
		return false;
	const char *stop = memchr(*s, CELL, (size_t)(end - *s));
	if (!stop)
		stop = end;
	const char *a = *s, *z = stop;
	while (a < z && (*a == ' ' || *a == '\t'))
		a++;
	while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
		z--;
	*cell = a;
	*len = (size_t)(z - a);
	*s = stop + 1;
	return true;
}

/* |---|:---:|: every cell that is not empty is dashes with optional colons. */
static bool delimiter_row(const char *row, size_t len)
{
	const char *s = row, *end = row + len, *cell;
	size_t n, dashes = 0;
	if (!memchr(row, CELL, len))
		return false;
	while (next_cell(&s, end, &cell, &n)) {
		size_t i = n && cell[0] == ':', j = n && cell[n - 1] == ':' && n > 1 ? n - 1 : n;
		if (i < j && strspn(cell + i, "-") != j - i)
			return false;
		dashes += i < j;
	}
	return dashes > 0;
}

/* Two lines or more, each with a '|', either all starting with '|' or the second being a
 * delimiter row (GFM's table without outer pipes). One line with a '|' is text. */
static bool is_table(const char *s)
{
	size_t rows = 0;
	bool outer = true, delimiter = false;
	for (const char *r = s;; r++) {
		size_t len = row_len(r);
		if (!memchr(r, CELL, len))
			return false;
		size_t lead = strspn(r, " \t");
		outer = outer && lead < len && r[lead] == CELL;
		if (++rows == 2)
			delimiter = delimiter_row(r, len);
		r += len;
		if (!*r)
			break;
	}
	return rows >= 2 && (outer || delimiter);
}

/* Each row a line, its cells that are not empty between " · ", the delimiter row left out. */
static void table(const char *s, struct out *o)
{
	bool first = true;
	for (const char *r = s;; r++) {
		size_t len = row_len(r);
		const char *c = r, *cell;
		size_t n;
		bool empty = true;
		while (!delimiter_row(r, len) && next_cell(&c, r + len, &cell, &n)) {
			if (!n)
				continue;
			out_str(o, empty ? (first ? "" : "\n") : " \xc2\xb7 ");
			out_add(o, cell, n);
			empty = first = false;
		}
		r += len;
		if (!*r)
			break;
	}
}

/* A paragraph that is not a table: its '|' as written, its line ends as spaces. */
static void as_text(const char *s, size_t len, struct out *o)
{
	for (size_t i = 0; i < len; i++)
		out_add(o, s[i] == CELL ? "|" : s[i] == ROW ? " " : s + i, 1);
}

static bool is_web_address(const char *url)
{
	return !strncmp(url, "https://", 8) || !strncmp(url, "http://", 7);
}

static void inlines(struct body *b, cmark_node *parent, struct out *o);

/* [text](url): the text, then the address, which the post must show to be followed; the
 * address alone when the text is the address (an autolink) or empty. */
static void link(struct body *b, cmark_node *node, struct out *o)
{
	const char *url = cmark_node_get_url(node);
	size_t start = o->len;
	inlines(b, node, o);
	if (o->oom || !url || !*url)
		return;
	const char *text = o->p ? o->p + start : "";
	bool mail = !strncmp(url, "mailto:", 7);
	if (!strcmp(text, url) || (mail && !strcmp(text, url + 7)))
		return;
	if (!is_web_address(url) && !mail) {
		char q[64];
		warn(b->p, b->n, b->line,
		     _("link '%s' is not a whole address (https://…): only its text is published"),
		     shown(url, q));
		return;
	}
	const char *address = mail ? url + 7 : url;
	if (start == o->len) {
		out_str(o, address);
		return;
	}
	out_str(o, " ");
	out_str(o, address);
}

static void inlines(struct body *b, cmark_node *parent, struct out *o)
{
	char q[64];
	for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
			if (b->cells)
				text_with_cells(o, cmark_node_get_literal(c));
			else
				out_str(o, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_CODE:
			out_str(o, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
			out_str(o, b->cells ? "\x1e" : " ");
			break;
		case CMARK_NODE_LINEBREAK:
			out_str(o, "\n");
			break;
		case CMARK_NODE_LINK:
			link(b, c, o);
			break;
		case CMARK_NODE_IMAGE:
			warn(b->p, b->n, b->line, _("image '%s' is not published: a post holds only text"),
			     shown(cmark_node_get_url(c), q));
			break;
		case CMARK_NODE_HTML_INLINE:
			warn(b->p, b->n, b->line, _("HTML '%s' is not published"),
			     shown(cmark_node_get_literal(c), q));
			break;
		default: /* emphasis, strong emphasis: their text without the marks */
			inlines(b, c, o);
			break;
		}
	}
}

static void block(struct body *b, cmark_node *node, struct out *o);

/* Blocks inside a list item or a quote, one a line. */
static void blocks_as_lines(struct body *b, cmark_node *parent, struct out *o)
{
	for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
		size_t before = o->len;
		if (c != cmark_node_first_child(parent))
			out_str(o, "\n");
		size_t after = o->len;
		block(b, c, o);
		if (o->len == after)
			o->len = before; /* a block with no text adds no line */
		if (o->p)
			o->p[o->len] = '\0';
	}
}

static void list(struct body *b, cmark_node *node, struct out *o)
{
	int number = cmark_node_get_list_start(node);
	bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
	const char *delim = cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM ? ")" : ".";
	for (cmark_node *item = cmark_node_first_child(node); item; item = cmark_node_next(item)) {
		if (item != cmark_node_first_child(node))
			out_str(o, "\n");
		char marker[32];
		if (ordered)
			snprintf(marker, sizeof marker, "%d%s ", number++, delim);
		else
			snprintf(marker, sizeof marker, "\xe2\x80\xa2 ");
		out_str(o, marker);
		blocks_as_lines(b, item, o);
	}
}

static void paragraph(struct body *b, cmark_node *node, struct out *o)
{
	struct out text = {0};
	b->cells = true;
	inlines(b, node, &text);
	b->cells = false;
	const char *s = text.p ? text.p : "";
	if (text.oom) {
		o->oom = true;
	} else if (is_table(s)) {
		warn(b->p, b->n, b->line,
		     _("a post has no tables: each row is published on a line of its own, its cells "
		       "separated by ' \xc2\xb7 ', without the row of dashes"));
		table(s, o);
	} else {
		const char *row = NULL;
		size_t row_length = 0;
		for (const char *r = s; !row; r++) {
			size_t len = row_len(r);
			if (delimiter_row(r, len)) {
				row = r;
				row_length = len;
			}
			r += len;
			if (!*r)
				break;
		}
		if (row) {
			struct out quoted = {0};
			char q[64];
			as_text(row, row_length, &quoted);
			warn(b->p, b->n, b->line,
			     _("row '%s' belongs to a table, but the table is not alone in its paragraph, "
			       "so it is published as written: put a blank line between it and the text"),
			     shown(quoted.p ? quoted.p : "", q));
			free(quoted.p);
		}
		as_text(s, strlen(s), o);
	}
	free(text.p);
}

static void block(struct body *b, cmark_node *node, struct out *o)
{
	int line = cmark_node_get_start_line(node);
	if (line > 0)
		b->line = b->first_line + line - 1;
	char q[64];
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_PARAGRAPH:
		paragraph(b, node, o);
		break;
	case CMARK_NODE_HEADING:
		inlines(b, node, o);
		break;
	case CMARK_NODE_CODE_BLOCK: {
		const char *text = cmark_node_get_literal(node);
		size_t len = strlen(text);
		while (len && text[len - 1] == '\n')
			len--;
		out_add(o, text, len);
		break;
	}
	case CMARK_NODE_LIST:
		list(b, node, o);
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		out_str(o, "\xc2\xab");
		blocks_as_lines(b, node, o);
		out_str(o, "\xc2\xbb");
		break;
	case CMARK_NODE_HTML_BLOCK:
		warn(b->p, b->n, b->line, _("HTML '%s' is not published"),
		     shown(cmark_node_get_literal(node), q));
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		warn(b->p, b->n, b->line,
		     _("the horizontal rule is not published: each paragraph starts a post already"));
		break;
	default:
		blocks_as_lines(b, node, o);
		break;
	}
}

static bool blank_text(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t')
			return false;
	return true;
}

static void add_paragraph(struct parser *p, struct notice *n, char *text, int line)
{
	struct notice_paragraph *grown =
		reallocarray(n->paragraphs, n->paragraph_count + 1, sizeof *grown);
	if (!grown) {
		free(text);
		p->oom = true;
		return;
	}
	n->paragraphs = grown;
	n->paragraphs[n->paragraph_count++] = (struct notice_paragraph){text, line};
}

/* Whether a bare address starts at text[i]: not one already in <…>, a link's (…), a
 * link's text or a quoted HTML attribute. */
static bool bare_url_at(const char *text, size_t i, size_t end)
{
	bool https = end - i >= 8 && !memcmp(text + i, "https://", 8);
	if (!https && !(end - i >= 7 && !memcmp(text + i, "http://", 7)))
		return false;
	char before = i ? text[i - 1] : ' ';
	bool destination = before == '(' && i >= 2 && text[i - 2] == ']';
	return before != '<' && before != '[' && before != '"' && before != '\'' && !destination;
}

/* The end of the bare address at s: white space or '<' ends it, and closing punctuation
 * is the sentence's, not the address's. */
static size_t bare_url_len(const char *s, size_t max)
{
	size_t len = 0;
	while (len < max && !strchr(" \t\r\n<>", s[len]))
		len++;
	for (;;) {
		int open = 0, close = 0;
		for (size_t i = 0; i < len; i++) {
			open += s[i] == '(';
			close += s[i] == ')';
		}
		if (len && (strchr(".,;:!?*_\"'", s[len - 1]) || (s[len - 1] == ')' && close > open)))
			len--;
		else
			return len;
	}
}

/*
 * The body with every bare address written as an autolink (<https://…>), outside code:
 * CommonMark would otherwise read the "__" or "**" of an address as emphasis and publish
 * the address without them. code_line[i] says that line i+1 is inside a code block.
 */
static void protect_urls(const char *body, size_t len, const bool *code_line, size_t lines,
			 struct out *o)
{
	size_t line = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(body + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - body) + 1 : len;
		bool code = line < lines && code_line[line];
		/* a reference definition "[x]: https://…" keeps its address as it is */
		size_t k = i;
		while (k < end && k - i < 4 && body[k] == ' ')
			k++;
		bool definition = k < end && body[k] == '[' && memmem(body + k, end - k, "]:", 2);
		for (size_t j = i; j < end;) {
			if (!code && body[j] == '`') {
				/* a code span: copied as it is up to the run that closes it */
				size_t run = 0;
				while (j + run < end && body[j + run] == '`')
					run++;
				size_t close = j + run;
				for (; close < end; close++) {
					size_t r = 0;
					while (close + r < end && body[close + r] == '`')
						r++;
					if (r == run)
						break;
					close += r ? r - 1 : 0;
				}
				size_t stop = close < end ? close + run : j + run;
				out_add(o, body + j, stop - j);
				j = stop;
				continue;
			}
			if (!code && !definition && bare_url_at(body, j, end)) {
				size_t n = bare_url_len(body + j, end - j);
				out_str(o, "<");
				out_add(o, body + j, n);
				out_str(o, ">");
				j += n;
				continue;
			}
			out_add(o, body + j, 1);
			j++;
		}
		i = end;
		line++;
	}
}

static cmark_node *parse_markdown(const char *text, size_t len)
{
	return cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
}

/* Which lines of the body are code (where an address is not a link). */
static bool *code_lines(const char *body, size_t len, size_t *lines)
{
	*lines = 1;
	for (size_t i = 0; i < len; i++)
		*lines += body[i] == '\n';
	bool *code = calloc(*lines, sizeof *code);
	cmark_node *doc = code ? parse_markdown(body, len) : NULL;
	if (!doc) {
		free(code);
		return NULL;
	}
	cmark_iter *it = cmark_iter_new(doc);
	for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER || (type != CMARK_NODE_CODE_BLOCK && type != CMARK_NODE_HTML_BLOCK))
			continue;
		for (int l = cmark_node_get_start_line(node); l <= cmark_node_get_end_line(node); l++)
			if (l >= 1 && (size_t)l <= *lines)
				code[l - 1] = true;
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return code;
}

static void parse_body(struct parser *p, struct notice *n, const char *body, size_t len,
		       int first_line)
{
	size_t lines;
	bool *code = code_lines(body, len, &lines);
	struct out text = {0};
	if (code)
		protect_urls(body, len, code, lines, &text);
	free(code);
	cmark_node *doc = code && !text.oom ? parse_markdown(text.p ? text.p : "", text.len) : NULL;
	free(text.p);
	if (!doc) {
		p->oom = true;
		return;
	}
	struct body b = {.p = p, .n = n, .first_line = first_line, .line = first_line};
	int previous_end = -1;
	for (cmark_node *c = cmark_node_first_child(doc); c && !p->oom; c = cmark_node_next(c)) {
		/* a list right under a line of text ("Documentos:") goes on with it */
		bool goes_on = cmark_node_get_type(c) == CMARK_NODE_LIST && n->paragraph_count &&
			       cmark_node_get_start_line(c) == previous_end + 1;
		previous_end = cmark_node_get_end_line(c);
		struct out o = {0};
		if (goes_on) {
			struct notice_paragraph *last = &n->paragraphs[n->paragraph_count - 1];
			out_str(&o, last->text);
			out_str(&o, "\n");
		}
		block(&b, c, &o);
		/* a character reference (&#27;, &#x202E;) is decoded by cmark, after check_bytes()
		 * saw only "&#27;": the text as it would be posted is checked again */
		int32_t cp = o.oom || !o.p ? -1 : printable_first_unsafe(o.p, strlen(o.p), true);
		if (cp >= 0)
			problem(p, b.first_line + cmark_node_get_start_line(c) - 1, 1,
				_("control character U+%04X is not allowed in the text: delete it"),
				(unsigned)cp);
		if (o.oom) {
			free(o.p);
			p->oom = true;
		} else if (goes_on) {
			free(n->paragraphs[n->paragraph_count - 1].text);
			n->paragraphs[n->paragraph_count - 1].text = o.p;
		} else if (!blank_text(o.p)) {
			add_paragraph(p, n, o.p, b.first_line + cmark_node_get_start_line(c) - 1);
		} else {
			free(o.p);
		}
	}
	cmark_node_free(doc);
	if (!n->paragraph_count && !p->oom)
		problem(p, first_line > 1 ? first_line - 1 : 1, 1,
			_("the notice has no text after the header: write it below the second '---' "
			  "line"));
}

/* ---- the whole file ---- */

void notice_hash(const char *text, size_t len, char out[65])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_Digest(text, len, digest, &n, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

/* The end of the line that starts at s (its '\n', or end). */
static const char *line_end(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	return nl ? nl : end;
}

static bool is_fence(const char *s, const char *eol)
{
	size_t n = (size_t)(eol - s);
	if (n && s[n - 1] == '\r')
		n--;
	return (n == 3 && !memcmp(s, "---", 3)) || (n == 3 && !memcmp(s, "...", 3));
}

static void parse_file(struct parser *p, struct notice *n, const char *text, size_t len)
{
	const char *s = text, *end = text + len;
	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3;
	const char *eol = line_end(s, end);
	if (!is_fence(s, eol) || memcmp(s, "---", 3)) {
		problem(p, 1, 1, _("the header is missing: the file must start with a line '---'"));
		return;
	}
	const char *front = eol < end ? eol + 1 : end;
	int line = 2;
	const char *close = front;
	while (close < end && !is_fence(close, line_end(close, end))) {
		close = line_end(close, end);
		close = close < end ? close + 1 : end;
		line++;
	}
	if (close >= end) {
		problem(p, 1, 1,
			_("the header is not closed: write a line '---' after the keys"));
		return;
	}
	p->yaml_first_line = 2;
	parse_front(p, front, (size_t)(close - front));
	if (!p->yaml_failed)
		validate(p, n);
	const char *body = line_end(close, end);
	body = body < end ? body + 1 : end;
	parse_body(p, n, body, (size_t)(end - body), line + 1);
}

ii_err notice_parse(const char *path, const char *text, size_t len, struct notice **out,
		    struct diag_list *diags, struct ii_error *e)
{
	*out = NULL;
	struct parser p = {.path = path, .diags = diags, .e = e};
	struct notice *n = calloc(1, sizeof *n);
	if (!n)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	if (len > NOTICE_MAX_SIZE)
		problem(&p, 1, 1, _("the file is larger than %u KiB: split it into shorter notices"),
			NOTICE_MAX_SIZE / 1024);
	else if (check_bytes(&p, text, len))
		parse_file(&p, n, text, len);
	notice_hash(text, len, n->hash);
	for (int k = 0; k < K_COUNT; k++)
		raw_free(&p.raw[k]);
	/* warnings in the order of lines too, those at one line in the order found */
	for (size_t i = 1; i < n->warning_count; i++)
		for (size_t j = i; j > 0 && n->warnings[j - 1].line > n->warnings[j].line; j--) {
			struct notice_warning w = n->warnings[j];
			n->warnings[j] = n->warnings[j - 1];
			n->warnings[j - 1] = w;
		}
	ii_err rc = p.oom ? ii_fail(e, II_ENOMEM, _("out of memory")) : p.errors ? report(&p) : II_OK;
	for (size_t i = 0; i < p.errors; i++)
		free(p.problems[i].text);
	free(p.problems);
	if (rc) {
		notice_free(n);
		return rc;
	}
	*out = n;
	return II_OK;
}

ii_err notice_load_file(const char *path, struct notice **out, struct diag_list *diags,
			struct ii_error *e)
{
	*out = NULL;
	char *buf;
	size_t len;
	ii_err rc = path_read_limited(path, NOTICE_MAX_SIZE, &buf, &len, e);
	if (rc)
		return rc;
	rc = notice_parse(path, buf, len, out, diags, e);
	free(buf);
	return rc;
}

void notice_free(struct notice *n)
{
	if (!n)
		return;
	free(n->id);
	free(n->title);
	free(n->author);
	free(n->hoax);
	free(n->origin);
	for (size_t i = 0; i < n->source_count; i++) {
		free(n->sources[i]);
		free(n->source_names ? n->source_names[i] : NULL);
	}
	free(n->sources);
	free(n->source_names);
	for (size_t i = 0; i < n->tag_count; i++)
		free(n->tags[i]);
	free(n->tags);
	free(n->scope);
	free(n->service);
	for (size_t i = 0; i < n->paragraph_count; i++)
		free(n->paragraphs[i].text);
	free(n->paragraphs);
	for (size_t i = 0; i < n->warning_count; i++)
		free(n->warnings[i].text);
	free(n->warnings);
	free(n);
}

/* ---- the thread ---- */

/* "ingreso mínimo vital" as "#IngresoMínimoVital": each word capitalised, joined; "#"
 * alone when no letter is left. */
static void hashtag(const char *tag, struct out *o)
{
	bool word_start = true;
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)tag;
	if (*s == '#')
		s++;
	out_str(o, "#");
	while (*s) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(s, -1, &cp);
		if (n <= 0)
			break;
		s += n;
		utf8proc_category_t cat = utf8proc_category(cp);
		bool keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
			    (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ND) || cp == '_';
		if (!keep) {
			word_start = true;
			continue;
		}
		if (word_start)
			cp = utf8proc_toupper(cp);
		word_start = false;
		utf8proc_uint8_t buf[4];
		utf8proc_ssize_t len = utf8proc_encode_char(cp, buf);
		out_add(o, (const char *)buf, (size_t)len);
	}
}

/* A text that ends a sentence: "…", with a full stop added when it has none. */
static void sentence(struct out *o, const char *text)
{
	size_t n = strlen(text);
	bool closed = n && strchr(".!?…»\"", text[n - 1]);
	out_str(o, text);
	if (!closed)
		out_str(o, ".");
}

struct composer {
	char **texts;
	int *lines;
	size_t count;
	bool oom;
};

/* Adds o's text as the next paragraph of the thread, taking it over. */
static void push(struct composer *c, struct out *o, int line)
{
	char **texts = o->oom ? NULL : reallocarray(c->texts, c->count + 1, sizeof *texts);
	int *lines = texts ? reallocarray(c->lines, c->count + 1, sizeof *lines) : NULL;
	if (texts)
		c->texts = texts;
	if (!lines || !o->p) {
		free(o->p);
		*o = (struct out){0};
		c->oom = true;
		return;
	}
	c->lines = lines;
	c->texts[c->count] = o->p;
	c->lines[c->count++] = line;
	*o = (struct out){0};
}

static void push_copy(struct composer *c, const char *text, int line)
{
	struct out o = {0};
	out_str(&o, text);
	push(c, &o, line);
}

/* template with its {NAME}s filled (lib/lang), added to o. */
static void out_format(struct out *o, const char *template, const char *const *names,
		       const char *const *values, unsigned count)
{
	char *text = lang_format(template, names, values, count);
	if (!text)
		o->oom = true;
	else
		out_str(o, text);
	free(text);
}

/* The fact, then the hoax named once with its verdict attached to it: the claim goes on
 * inside the program's sentence, so its own final stop is dropped. */
static void rebuttal_opening(const struct notice *n, struct out *o)
{
	sentence(o, n->title);
	out_str(o, " ");
	size_t len = strlen(n->hoax);
	while (len && strchr(". ", n->hoax[len - 1]))
		len--;
	char *claim = strndup(n->hoax, len);
	const char *names[] = {"bulo", "origen"};
	const char *values[] = {claim, n->origin ? n->origin : ""};
	if (!claim)
		o->oom = true;
	else
		out_format(o, lang_claim(n->lang, n->verdict, n->origin != NULL), names, values, 2);
	free(claim);
}

/* The hashtags, one space apart, after a space when o has text; nothing for a tag with
 * no letter. */
static void hashtags(const struct notice *n, struct out *o)
{
	for (size_t i = 0; i < n->tag_count; i++) {
		size_t before = o->len;
		if (o->len)
			out_str(o, " ");
		size_t start = o->len;
		hashtag(n->tags[i], o);
		if (o->len - start <= 1 && !o->oom) {
			o->len = before;
			o->p[o->len] = '\0';
		}
	}
}

/* The fact again, where to learn more, each source said in words, the hashtags: one line
 * each, so that a post is cut between them. */
static void rebuttal_closing(const struct notice *n, const char *page_url, struct out *o)
{
	sentence(o, n->title);
	if (page_url) {
		out_str(o, "\n");
		out_str(o, lang_more(n->lang));
		out_str(o, page_url);
	}
	for (size_t i = 0; i < n->source_count; i++) {
		const char *who = n->source_names[i] ? n->source_names[i]
						     : lang_host_name(n->lang, n->sources[i]);
		const char *names[] = {"fuente"};
		out_str(o, "\n");
		if (who)
			out_format(o, lang_said_by(n->lang), names, &who, 1);
		else
			out_str(o, lang_source(n->lang));
		out_str(o, n->sources[i]);
	}
	struct out tags = {0};
	hashtags(n, &tags);
	if (tags.len) {
		out_str(o, "\n");
		out_str(o, tags.p);
	}
	o->oom = o->oom || tags.oom;
	free(tags.p);
}

char *notice_incident_sentence(const struct notice *n)
{
	struct out o = {0};
	out_str(&o, n->scope);
	if (n->title) {
		out_str(&o, " ");
		out_str(&o, n->title);
	}
	struct out closed = {0};
	if (!o.oom)
		sentence(&closed, o.p);
	free(o.p);
	if (o.oom || closed.oom) {
		free(closed.p);
		return NULL;
	}
	return closed.p;
}

/* A manual incident's headline: what it is about and what is known, no status word (the
 * feeds carry the status); ✅ once it is solved, ℹ️ before. */
static void incident_opening(const struct notice *n, struct out *o)
{
	out_str(o, n->status == INCIDENT_RESUELTO ? "\xe2\x9c\x85 " : "\xe2\x84\xb9\xef\xb8\x8f ");
	char *headline = notice_incident_sentence(n);
	if (headline)
		out_str(o, headline);
	else
		o->oom = true;
	free(headline);
}

static void compose(const struct notice *n, const char *page_url, struct composer *c)
{
	struct out o = {0};
	size_t first = 0;
	if (n->kind == NOTICE_BULO) {
		rebuttal_opening(n, &o);
		push(c, &o, n->hoax_line);
	} else if (n->paragraph_count && (n->kind == NOTICE_INCIDENCIA || n->title)) {
		/* the headline and the first paragraph make one post: they are one idea */
		struct out opening = {0};
		if (n->kind == NOTICE_INCIDENCIA)
			incident_opening(n, &opening);
		else
			out_str(&opening, n->title);
		if (opening.oom)
			c->oom = true;
		else
			sentence(&o, opening.p);
		free(opening.p);
		out_str(&o, " ");
		out_str(&o, n->paragraphs[0].text);
		push(c, &o, n->paragraphs[0].line);
		first = 1;
	}
	for (size_t i = first; i < n->paragraph_count; i++)
		push_copy(c, n->paragraphs[i].text, n->paragraphs[i].line);
	if (n->kind == NOTICE_BULO) {
		rebuttal_closing(n, page_url, &o);
		push(c, &o, n->hoax_line);
		return;
	}
	/* the hashtags close the last post, once */
	hashtags(n, &o);
	if (!o.len || !c->count) {
		if (o.len || o.oom)
			push(c, &o, 0);
		free(o.p);
		return;
	}
	struct out joined = {0};
	out_str(&joined, c->texts[c->count - 1]);
	out_str(&joined, " ");
	out_str(&joined, o.p);
	free(o.p);
	if (joined.oom) {
		free(joined.p);
		c->oom = true;
		return;
	}
	free(c->texts[c->count - 1]);
	c->texts[c->count - 1] = joined.p;
}

void notice_check_at(struct notice *n, time_t now)
{
	if (!n->expires_at || n->expires_at > now)
		return;
	struct parser p = {0};
	char when[32];
	struct tm tm;
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime_r(&n->expires_at, &tm));
	warn(&p, n, n->expires_line,
	     _("'caduca' (%s) is past already: the notice will never be published"), when);
}

ii_err notice_thread(const struct notice *n, const char *path, const char *page_url,
		     struct thread **out, struct diag_list *diags, struct ii_error *e)
{
	return notice_thread_for(n, path, page_url, NULL, out, diags, e);
}

ii_err notice_thread_for(const struct notice *n, const char *path, const char *page_url,
			 const struct counter *counter, struct thread **out,
			 struct diag_list *diags, struct ii_error *e)
{
	*out = NULL;
	struct ii_error local;
	if (!e)
		e = &local; /* the detail names the word whose line is wanted */
	struct composer c = {0};
	compose(n, page_url, &c);
	struct thread_options options;
	thread_options_init(&options);
	if (counter)
		thread_options_for(&options, counter);
	options.lines = true;
	options.paragraph_lines = c.lines; /* lint and preview name where a sentence is cut */
	ii_err rc = c.oom ? ii_fail(e, II_ENOMEM, _("out of memory"))
			  : thread_split((const char *const *)c.texts, c.count, &options, out, e);
	if (rc == II_EDATA) {
		/* the line of the paragraph that holds the word named in the error */
		int line = 0;
		const char *quote = strchr(e->detail, '\'');
		const char *close = quote ? strchr(quote + 1, '\'') : NULL;
		/* the word may be shortened with "…" in the message: look for its start */
		size_t known = close ? strcspn(quote + 1, "'\xe2") : 0;
		for (size_t i = 0; known && i < c.count && !line; i++)
			if (memmem(c.texts[i], strlen(c.texts[i]), quote + 1, known))
				line = c.lines[i];
		if (diags)
			diag_add(diags, path, line, "%s", e->detail);
	}
	for (size_t i = 0; i < c.count; i++)
		free(c.texts[i]);
	free(c.texts);
	free(c.lines);
	return rc;
}
