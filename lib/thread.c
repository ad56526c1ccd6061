#include "thread.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "i18n.h"
#include "text/bsky.h"
#include "text/count.h"
#include "text/tweet.h"

/*
 * The message is first cut into tokens at ASCII white space, and each token records how
 * strong a break there is before it (enum brk). Each post is then the longest run of
 * tokens that fits, cut back to the latest break of the strongest class inside it: an
 * editor ends a post at the end of a sentence when one fits, else at a clause, and only
 * then between two words.
 *
 * Whether a candidate post fits is first estimated as the sum of its tokens' lengths (each
 * counted once by the network's counter, lib/text/count.h) plus the separators and the
 * numbering: no network's rules look further than white space (a URL, a mention or an
 * emoji ends there, NFC composes nothing across a space, a grapheme ends before a space),
 * so the sum is the count. Counting every candidate exactly would cost a count of the
 * whole post per word. Every finished post is still counted exactly, and if any disagrees
 * with its estimate, or a word the estimate refuses would in fact fit, the whole split is
 * redone asking the counter about every candidate.
 */

/* Weakest first: a stronger break is a better place to end a post. */
enum brk {
	BRK_NONE,      /* glued to the previous token: "20" "%" */
	BRK_WORD,      /* an ordinary space */
	BRK_CLAUSE,    /* after ";", ":" or a dash, or a comma before a conjunction */
	BRK_SENTENCE,  /* the previous token ended a sentence */
	BRK_LINE,      /* first token of a line inside a paragraph (options.lines) */
	BRK_PARAGRAPH, /* first token of a paragraph */
};

struct tok {
	const char *s;
	size_t len;
	enum brk brk;
	size_t para;    /* index of its paragraph in the caller's array */
	int weight;     /* the counter's length of the token alone */
	bool forbidden; /* the network refuses it whatever its length (X: U+FEFF and the like) */
	bool final_tag; /* one of the hashtags that end its paragraph, after other words */
};

struct post {
	char *text;
	int length;
	struct thread_cut cut; /* how it was parted from the post before it */
};

struct thread {
	struct post *posts;
	size_t count;
};

struct buf {
	char *p;
	size_t len, cap;
};

struct splitter {
	const struct tok *toks;
	size_t ntok;
	const struct thread_options *opt;
	const struct counter *counter;
	size_t total;       /* the N of " n/N"; 1: no numbering */
	size_t *starts;     /* first token of each post placed so far */
	size_t nposts, cap;
	struct buf buf;
	bool exact;         /* count every candidate with the counter */
	bool redo;          /* the estimate was wrong: split again, exactly */
	struct ii_error *e;
};

void thread_options_init(struct thread_options *options)
{
	options->limit = TWEET_MAX_WEIGHTED_LENGTH;
	options->numbering = true;
	options->pack = false;
	options->lines = false;
	options->max_posts = THREAD_DEFAULT_MAX_POSTS;
	options->paragraph_lines = NULL;
	options->counter = NULL;
}

void thread_options_for(struct thread_options *options, const struct counter *counter)
{
	thread_options_init(options);
	options->counter = counter;
	options->limit = counter->limit;
}

/* ---- tokens ---- */

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* Closing quotes and brackets, the marks that may follow a sentence's last word. */
static const char *const quotes[] = {")", "\"", "'", "\xc2\xbb" /* » */,
				     "\xe2\x80\x9d" /* ” */, "\xe2\x80\x99" /* ’ */};
/* Those and the punctuation that may follow any word. */
static const char *const closers[] = {")", "\"", "'", "\xc2\xbb", "\xe2\x80\x9d",
				      "\xe2\x80\x99", ".", ",", ";", ":", "!", "?",
				      "\xe2\x80\xa6" /* … */};

/* len without any of the n marks at its end, however many: "20 %)." is "%". */
static size_t strip_marks(const char *s, size_t len, const char *const *marks, size_t n)
{
	for (bool again = true; again && len > 0;) {
		again = false;
		for (size_t i = 0; i < n; i++) {
			if (ends_with(s, len, marks[i])) {
				len -= strlen(marks[i]);
				again = true;
				break;
			}
		}
	}
	return len;
}

static size_t strip_closers(const char *s, size_t len)
{
	return strip_marks(s, len, closers, sizeof closers / sizeof closers[0]);
}

static bool equals(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

static bool in_list(const char *s, size_t len, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (equals(s, len, list[i]))
			return true;
	return false;
}

/* Units and symbols written after a number, that a reader must not find at the start of
 * the next post. Lower-case words only when they are never anything but a unit. */
static bool is_unit(const struct tok *t)
{
	static const char *const units[] = {
		"%", "\xe2\x80\xb0" /* ‰ */, "\xe2\x82\xac" /* € */, "$", "\xc2\xa3" /* £ */,
		"\xc2\xb0" /* ° */, "\xc2\xba" /* º */, "\xc2\xb0" "C", "\xc2\xba" "C",
		"euros", "km", "m", "cm", "mm", "m\xc2\xb2" /* m² */, "kg", "g", "l", "ml",
		"h", "min", "s", "ms", "d", "kB", "KB", "MB", "GB", "TB",
	};
	return in_list(t->s, strip_closers(t->s, t->len), units, sizeof units / sizeof units[0]);
}

static bool is_month(const struct tok *t)
{
	static const char *const months[] = {
		"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
		"septiembre", "setiembre", "octubre", "noviembre", "diciembre",
	};
	return in_list(t->s, strip_closers(t->s, t->len), months, sizeof months / sizeof months[0]);
}

static bool ends_in_digit(const struct tok *t)
{
	return t->len > 0 && t->s[t->len - 1] >= '0' && t->s[t->len - 1] <= '9';
}

static bool is_year(const struct tok *t)
{
	size_t len = strip_closers(t->s, t->len);
	if (len != 4)
		return false;
	for (size_t i = 0; i < len; i++)
		if (t->s[i] < '0' || t->s[i] > '9')
			return false;
	return true;
}

/* t without the opening marks that may come before a word: "(art." is "art.". */
static const char *skip_openers(const struct tok *t, size_t *len)
{
	static const char *const openers[] = {"(", "\"", "'", "\xc2\xab" /* « */,
					      "\xe2\x80\x9c" /* “ */, "\xe2\x80\x98" /* ‘ */,
					      "\xc2\xbf" /* ¿ */, "\xc2\xa1" /* ¡ */};
	const char *s = t->s;
	*len = t->len;
	for (bool again = true; again && *len > 0;) {
		again = false;
		for (size_t i = 0; i < sizeof openers / sizeof openers[0]; i++) {
			size_t n = strlen(openers[i]);
			if (*len > n && memcmp(s, openers[i], n) == 0) {
				s += n;
				*len -= n;
				again = true;
				break;
			}
		}
	}
	return s;
}

/*
 * Whether the word s (len bytes, ending in ".") is an abbreviation, whose full stop ends
 * no sentence: one of the usual ones of Spanish administrative writing (the RAE's list of
 * abbreviations, those a notice is likely to hold), a single letter ("p." of "p. ej.", an
 * initial), two capitals ("EE." of "EE. UU.", "CC. AA.") or letters and full stops
 * alternating in groups of one or two ("S.A.", "a.m.").
 */
static bool is_abbreviation(const char *s, size_t len)
{
	static const char *const known[] = {
		"art.", "arts.", "núm.", "núms.", "pág.", "págs.", "pp.", "ej.", "etc.", "Sr.",
		"Sra.", "Sres.", "Sras.", "Srta.", "Dña.", "Dr.", "Dra.", "Ud.", "Uds.", "Vd.",
		"Vds.", "Excmo.", "Excma.", "Ilmo.", "Ilma.", "apdo.", "av.", "avda.", "tel.",
		"tfno.", "admón.", "aprox.", "máx.", "mín.", "ss.", "vol.", "cap.", "fig.", "cf.",
		"dcha.", "izq.", "izqda.", "ctra.", "pza.", "dpto.", "gral.", "prov.", "aa.", "vv.",
	};
	/* "etc." ends a sentence as often as not: the next word's capital decides, below */
	if (equals(s, len, "etc."))
		return false;
	if (in_list(s, len, known, sizeof known / sizeof known[0]))
		return true;
	size_t groups = 0, run = 0, letters = 0, capitals = 0;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return false;
		i += (size_t)n;
		if (cp == '.') {
			if (run == 0)
				return false;
			groups++;
			run = 0;
			continue;
		}
		utf8proc_category_t cat = utf8proc_category(cp);
		if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO || ++run > 2)
			return false;
		letters++;
		capitals += cat == UTF8PROC_CATEGORY_LU;
	}
	return groups > 1 || (groups == 1 && (letters == 1 || capitals == 2));
}

/* The first letter, digit or symbol of t after its opening marks; 0 when it has none. */
static utf8proc_int32_t first_char(const struct tok *t)
{
	size_t len;
	const char *s = skip_openers(t, &len);
	utf8proc_int32_t cp = 0;
	return len && utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp) > 0
		       ? cp
		       : 0;
}

static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return len > 0;
}

/*
 * Whether a sentence ends between prev and t. prev ends in ".", "!", "?" or "…" (perhaps
 * inside a quote or bracket), and t does not start in lower case ("etc. y", "¿Cómo? dijo"
 * go on). A full stop ends none after an abbreviation ("art. 32.4", "Sr. García",
 * "p. ej."), after the number of a list item ("1." at the start of a line), or before a
 * number.
 */
static bool sentence_ends(const struct tok *prev, bool prev_starts_line, const struct tok *t)
{
	size_t len = strip_marks(prev->s, prev->len, quotes, sizeof quotes / sizeof quotes[0]);
	utf8proc_int32_t next = first_char(t);
	if (next && utf8proc_category(next) == UTF8PROC_CATEGORY_LL)
		return false;
	if (ends_with(prev->s, len, "!") || ends_with(prev->s, len, "?") ||
	    ends_with(prev->s, len, "\xe2\x80\xa6"))
		return true;
	if (!ends_with(prev->s, len, "."))
		return false;
	size_t word_len;
	const char *word = skip_openers(prev, &word_len);
	word_len -= prev->len - len;
	if (is_abbreviation(word, word_len))
		return false;
	if (prev_starts_line && all_digits(word, word_len - 1))
		return false;
	return !(next >= '0' && next <= '9');
}

/*
 * Whether a clause ends between prev and t: after ";" or ":", before an opening dash or
 * after a closing one ("—que varía—"), or at a comma before a conjunction or a relative
 * ("…, pero", "…, porque", "…, que"). The words are those of the languages notices are
 * written in, in lower case: after a comma they are.
 */
static bool clause_ends(const struct tok *prev, const struct tok *t)
{
	static const char *const conjunctions[] = {
		/* es */ "y", "e", "o", "u", "ni", "pero", "aunque", "sino", "porque", "pues",
		"que", "ya", "así", "mientras", "cuando", "donde", "como", "si", "salvo",
		"excepto", "incluso", "quien", "quienes",
		/* ca, gl */ "i", "però", "perquè", "porén", "mais",
		/* en */ "and", "but", "or", "because", "which", "who", "so", "while",
	};
	static const char *const dash = "\xe2\x80\x94"; /* — */
	size_t len = strip_marks(prev->s, prev->len, quotes, sizeof quotes / sizeof quotes[0]);
	if (ends_with(prev->s, len, ";") || ends_with(prev->s, len, ":"))
		return true;
	if (t->len >= strlen(dash) && memcmp(t->s, dash, strlen(dash)) == 0)
		return true;
	if (ends_with(prev->s, prev->len, dash) && prev->len > strlen(dash))
		return true;
	return ends_with(prev->s, len, ",") &&
	       in_list(t->s, t->len, conjunctions, sizeof conjunctions / sizeof conjunctions[0]);
}

/* Whether t is a hashtag: '#' and then a letter or a digit ("#Pensiones", not "#1." or "#"). */
static bool is_hashtag(const struct tok *t)
{
	utf8proc_int32_t cp;
	if (t->len < 2 || t->s[0] != '#' ||
	    utf8proc_iterate((const utf8proc_uint8_t *)t->s + 1, (utf8proc_ssize_t)t->len - 1, &cp) <= 0)
		return false;
	utf8proc_category_t c = utf8proc_category(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND;
}

/* The breaks between the tokens of one paragraph, [a, b). */
static void mark_breaks(struct tok *toks, size_t a, size_t b)
{
	/* the hashtags that end a paragraph are read with the words before them: a post of
	 * hashtags alone ("#SeguridadSocial 2/3") says nothing */
	size_t tags = b;
	while (tags > a && is_hashtag(&toks[tags - 1]))
		tags--;
	for (size_t i = tags; i < b && tags > a; i++)
		toks[i].final_tag = true;
	toks[a].brk = BRK_PARAGRAPH;
	for (size_t i = a + 1; i < b; i++) {
		const struct tok *prev = &toks[i - 1];
		struct tok *t = &toks[i];
		bool prev_starts_line = i - 1 == a || prev->brk == BRK_LINE;
		if (t->brk == BRK_LINE)
			continue; /* what the author put on separate lines stays there */
		if (ends_in_digit(prev) && is_unit(t))
			t->brk = BRK_NONE;
		else if (ends_in_digit(prev) && equals(t->s, t->len, "de") && i + 1 < b &&
			 is_month(&toks[i + 1]))
			t->brk = BRK_NONE; /* "15 de enero"; the month is glued below */
		else if (prev->brk == BRK_NONE && equals(prev->s, prev->len, "de") && is_month(t))
			t->brk = BRK_NONE;
		else if (is_month(prev) && equals(t->s, t->len, "de") && i + 1 < b &&
			 is_year(&toks[i + 1]))
			t->brk = BRK_NONE; /* "enero de 2026" */
		else if (prev->brk == BRK_NONE && equals(prev->s, prev->len, "de") && is_year(t))
			t->brk = BRK_NONE;
		else if (sentence_ends(prev, prev_starts_line, t))
			t->brk = BRK_SENTENCE;
		else if (clause_ends(prev, t))
			t->brk = BRK_CLAUSE;
		else
			t->brk = BRK_WORD;
	}
}

static ii_err tokenize(const char *const *paragraphs, size_t count, bool lines,
		       const struct counter *counter, struct tok **out, size_t *n,
		       struct ii_error *e)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	for (size_t p = 0; p < count; p++) {
		const char *s = paragraphs[p];
		if (!s)
			continue;
		size_t len = strlen(s);
		size_t first = *n;
		bool new_line = false;
		for (size_t i = 0; i < len;) {
			if (is_space((unsigned char)s[i])) {
				new_line |= lines && s[i] == '\n';
				i++;
				continue;
			}
			size_t j = i;
			while (j < len && !is_space((unsigned char)s[j]))
				j++;
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				struct tok *grown = realloc(*out, cap * sizeof **out);
				if (!grown)
					return ii_fail(e, II_ENOMEM, _("out of memory splitting a thread"));
				*out = grown;
			}
			/* an ASCII byte is never inside a UTF-8 sequence, so the tokens are valid
			 * UTF-8 exactly when the paragraph is */
			struct count_result parsed;
			struct ii_error pe = {0};
			if (counter_measure(counter, s + i, j - i, &parsed, &pe) != II_OK)
				return ii_fail(e, pe.code, _("paragraph %zu: %s"), p + 1, pe.detail);
			(*out)[(*n)++] = (struct tok){
				.s = s + i, .len = j - i,
				.brk = new_line && *n > first ? BRK_LINE : BRK_WORD, .para = p,
				.weight = parsed.length,
				.forbidden = !parsed.valid && parsed.length <= counter->limit};
			new_line = false;
			i = j;
		}
		if (*n > first)
			mark_breaks(*out, first, *n);
	}
	if (*n == 0)
		return ii_fail(e, II_EDATA, _("the message has no text"));
	return II_OK;
}

/* ---- rendering ---- */

static bool buf_add(struct buf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (b->len + len + 1 > cap)
			cap *= 2;
		char *grown = realloc(b->p, cap);
		if (!grown)
			return false;
		b->p = grown;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
	return true;
}

/* Tokens [a, b) as post number `number` of `total`, into b->p. */
static bool render(struct buf *out, const struct tok *toks, size_t a, size_t b, bool pack,
		   size_t number, size_t total)
{
	out->len = 0;
	if (!buf_add(out, "", 0))
		return false;
	for (size_t i = a; i < b; i++) {
		if (i > a) {
			/* a paragraph boundary inside a post only happens when packing */
			bool para = toks[i].brk == BRK_PARAGRAPH && pack;
			const char *sep = para ? "\n\n" : toks[i].brk == BRK_LINE ? "\n" : " ";
			if (!buf_add(out, sep, strlen(sep)))
				return false;
		}
		if (!buf_add(out, toks[i].s, toks[i].len))
			return false;
	}
	if (total > 1) {
		char suffix[48];
		int n = snprintf(suffix, sizeof suffix, " %zu/%zu", number, total);
		if (!buf_add(out, suffix, (size_t)n))
			return false;
	}
	return true;
}

/* ---- splitting ---- */

/* Counts tokens [a, b) as the next post; *fits when the network would take it within the
 * limit. */
static ii_err measure(struct splitter *sp, size_t a, size_t b, bool *fits,
		      struct count_result *parsed)
{
	if (!sp->exact) {
		int w = 0;
		bool forbidden = false;
		for (size_t i = a; i < b; i++) {
			if (i > a)
				w += sp->toks[i].brk == BRK_PARAGRAPH && sp->opt->pack ? 2 : 1;
			w += sp->toks[i].weight;
			forbidden |= sp->toks[i].forbidden;
		}
		if (sp->total > 1)
			w += snprintf(NULL, 0, " %zu/%zu", sp->nposts + 1, sp->total);
		*parsed = (struct count_result){w, !forbidden && w <= sp->counter->limit};
		*fits = parsed->valid && w <= sp->opt->limit;
		return II_OK;
	}
	if (!render(&sp->buf, sp->toks, a, b, sp->opt->pack, sp->nposts + 1, sp->total))
		return ii_fail(sp->e, II_ENOMEM, _("out of memory splitting a thread"));
	ii_err err = counter_measure(sp->counter, sp->buf.p, sp->buf.len, parsed, sp->e);
	if (err != II_OK)
		return err;
	*fits = parsed->valid && parsed->length <= sp->opt->limit;
	return II_OK;
}

/* Records that the next post starts at token a. */
static ii_err add_post(struct splitter *sp, size_t a)
{
	if (sp->nposts == sp->cap) {
		size_t cap = sp->cap ? sp->cap * 2 : 16;
		size_t *grown = realloc(sp->starts, cap * sizeof *grown);
		if (!grown)
			return ii_fail(sp->e, II_ENOMEM, _("out of memory splitting a thread"));
		sp->starts = grown;
		sp->cap = cap;
	}
	sp->starts[sp->nposts++] = a;
	return II_OK;
}

/* The word [a, b) alone does not fit: name it, shortened to a readable length on a
 * character boundary. */
static ii_err too_long(struct splitter *sp, size_t a, size_t b, struct count_result *parsed)
{
	if (!sp->exact) {
		/* named with the network's own count, and if X would take it after all, start again */
		bool fits;
		sp->exact = true;
		ii_err err = measure(sp, a, b, &fits, parsed);
		sp->exact = false;
		if (err != II_OK)
			return err;
		if (fits) {
			sp->redo = true;
			return II_EINTERNAL;
		}
	}
	const char *word = sp->toks[a].s;
	size_t len = (size_t)(sp->toks[b - 1].s + sp->toks[b - 1].len - word);
	size_t shown = len;
	if (shown > 80) {
		shown = 80;
		while (shown > 0 && ((unsigned char)word[shown] & 0xC0) == 0x80)
			shown--;
	}
	const char *more = shown < len ? "\xe2\x80\xa6" : "";
	const char *numbered = sp->total > 1 ? _(", numbering included") : "";
	/* X's messages name no network: it was the only one, and its messages stay */
	const char *network = count_network_label(sp->counter->network);
	bool x = sp->counter->network == COUNT_X;
	if (parsed->length > sp->opt->limit && x)
		return ii_fail(sp->e, II_EDATA, _("word '%.*s%s' does not fit in a post (%d of %d%s)"),
			       (int)shown, word, more, parsed->length, sp->opt->limit, numbered);
	if (parsed->length > sp->opt->limit)
		return ii_fail(sp->e, II_EDATA,
			       _("word '%.*s%s' does not fit in a post on %s (%d of %d%s)"),
			       (int)shown, word, more, network, parsed->length, sp->opt->limit,
			       numbered);
	if (x)
		return ii_fail(sp->e, II_EDATA,
			       _("word '%.*s%s' cannot be posted (X refuses U+FEFF, U+FFFE and U+FFFF)"),
			       (int)shown, word, more);
	return ii_fail(sp->e, II_EDATA,
		       _("word '%.*s%s' cannot be posted on %s (a post holds at most %d bytes)"),
		       (int)shown, word, more, network, BSKY_MAX_BYTES);
}

/*
 * Where the post that starts at token a ends (*cut, one past its last token): the longest
 * run of tokens that fits, up to the end of the paragraph (of the message when packing);
 * when the rest does not fit, the latest break of the strongest class inside the run, so
 * that a post ends at a paragraph, a line, a sentence, a clause, and only when none of
 * those fits between two words. Never between glued tokens ("20 %"): a glued group that
 * does not fit alone is an error.
 */
static ii_err next_cut(struct splitter *sp, size_t a, size_t *cut)
{
	size_t end = a + 1;
	while (end < sp->ntok && (sp->opt->pack || sp->toks[end].brk != BRK_PARAGRAPH))
		end++;
	struct count_result parsed;
	bool fits = true;
	ii_err err;
	size_t b = a;
	while (b < end && fits) {
		if ((err = measure(sp, a, b + 1, &fits, &parsed)) != II_OK)
			return err;
		b += fits;
	}
	*cut = b;
	if (b == end)
		return II_OK;
	/* never before a paragraph's final hashtags, unless nothing else fits */
	for (int tags_too = 0; tags_too < 2; tags_too++) {
		enum brk best = BRK_NONE;
		for (size_t c = a + 1; c <= b; c++) {
			if (sp->toks[c].brk >= best && sp->toks[c].brk > BRK_NONE &&
			    (tags_too || !sp->toks[c].final_tag)) {
				best = sp->toks[c].brk;
				*cut = c;
			}
		}
		if (best != BRK_NONE)
			return II_OK;
	}
	size_t g = a + 1;
	while (g < end && sp->toks[g].brk == BRK_NONE)
		g++;
	if ((err = measure(sp, a, g, &fits, &parsed)) != II_OK)
		return err;
	return too_long(sp, a, g, &parsed);
}

/* One pass numbered as if the thread had sp->total posts. */
static ii_err run(struct splitter *sp)
{
	sp->nposts = 0;
	for (size_t a = 0, cut; a < sp->ntok; a = cut) {
		ii_err err = next_cut(sp, a, &cut);
		if (err == II_OK)
			err = add_post(sp, a);
		if (err != II_OK)
			return err;
	}
	return II_OK;
}

/* t's text into word, shortened to fit on a character boundary with a final "…". */
static void copy_word(const struct tok *t, char word[THREAD_CUT_WORD_SIZE])
{
	static const char ellipsis[] = "\xe2\x80\xa6";
	size_t len = t->len;
	if (len >= THREAD_CUT_WORD_SIZE) {
		len = THREAD_CUT_WORD_SIZE - sizeof ellipsis;
		while (len > 0 && ((unsigned char)t->s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(word, t->s, len);
	strcpy(word + len, len < t->len ? ellipsis : "");
}

/* The break before token a, where a post starts. */
static void describe_cut(const struct splitter *sp, size_t a, struct thread_cut *cut)
{
	_Static_assert((int)THREAD_CUT_WORD == (int)BRK_WORD &&
			       (int)THREAD_CUT_PARAGRAPH == (int)BRK_PARAGRAPH,
		       "the kinds of cut are the classes of break");
	const struct tok *t = &sp->toks[a];
	cut->kind = (enum thread_cut_kind)t->brk;
	cut->line = sp->opt->paragraph_lines ? sp->opt->paragraph_lines[t->para] : 0;
	copy_word(&sp->toks[a - 1], cut->before);
	copy_word(t, cut->after);
}

/* The posts of the last pass, numbered 1..count, checked once more as the network counts
 * them. */
static ii_err collect(struct splitter *sp, struct thread *thread)
{
	size_t total = sp->opt->numbering ? sp->nposts : 1;
	thread->posts = calloc(sp->nposts, sizeof *thread->posts);
	if (!thread->posts)
		return ii_fail(sp->e, II_ENOMEM, _("out of memory splitting a thread"));
	for (size_t k = 0; k < sp->nposts; k++) {
		size_t a = sp->starts[k], b = k + 1 < sp->nposts ? sp->starts[k + 1] : sp->ntok;
		if (!render(&sp->buf, sp->toks, a, b, sp->opt->pack, k + 1, total))
			return ii_fail(sp->e, II_ENOMEM, _("out of memory splitting a thread"));
		struct count_result parsed;
		ii_err err = counter_measure(sp->counter, sp->buf.p, sp->buf.len, &parsed, sp->e);
		if (err != II_OK)
			return err;
		/* a smaller N only shortens the suffix, so this cannot fail exactly counted; an
		 * estimate that was wrong sends the split round again, exactly */
		if (!parsed.valid || parsed.length > sp->opt->limit) {
			if (!sp->exact) {
				sp->redo = true;
				return II_EINTERNAL;
			}
			return ii_fail(sp->e, II_EINTERNAL, _("post %zu of %zu weighs %d, over %d"),
				       k + 1, sp->nposts, parsed.length, sp->opt->limit);
		}
		thread->posts[k].text = strdup(sp->buf.p);
		if (!thread->posts[k].text)
			return ii_fail(sp->e, II_ENOMEM, _("out of memory splitting a thread"));
		thread->posts[k].length = parsed.length;
		if (k > 0)
			describe_cut(sp, a, &thread->posts[k].cut);
		thread->count = k + 1;
	}
	return II_OK;
}

/* First without numbering; then numbered as N until the count stops growing. A count
 * below N is kept as it is: renumbering it only shortens the suffixes. Each round N grows
 * and never past the number of tokens, so this ends. */
static ii_err split_all(struct splitter *sp)
{
	ii_err err;
	sp->total = 1;
	if ((err = run(sp)) != II_OK)
		return err;
	while (sp->opt->numbering && sp->nposts > sp->total) {
		sp->total = sp->nposts;
		if ((err = run(sp)) != II_OK)
			return err;
	}
	if (sp->nposts > sp->opt->max_posts)
		return ii_fail(sp->e, II_EDATA,
			       _("thread of %zu posts is longer than the maximum of %zu"), sp->nposts,
			       sp->opt->max_posts);
	return II_OK;
}

ii_err thread_split(const char *const *paragraphs, size_t count,
		    const struct thread_options *options, struct thread **out, struct ii_error *e)
{
	struct thread_options defaults;
	if (!options) {
		thread_options_init(&defaults);
		options = &defaults;
	}
	struct counter x;
	const struct counter *counter = options->counter;
	if (!counter) {
		counter_init(&x, COUNT_X);
		counter = &x;
	}
	*out = NULL;
	if (options->limit < 1 || options->limit > counter->limit)
		return ii_fail(e, II_EDATA, _("post limit %d is not between 1 and %d"), options->limit,
			       counter->limit);
	if (options->max_posts < 1)
		return ii_fail(e, II_EDATA, _("maximum thread length must be at least 1 post"));

	struct splitter sp = {.opt = options, .counter = counter, .e = e};
	struct tok *toks = NULL;
	struct thread *thread = NULL;
	ii_err err = tokenize(paragraphs, count, options->lines, counter, &toks, &sp.ntok, e);
	if (err != II_OK)
		goto done;
	sp.toks = toks;
	do {
		if (sp.redo) {
			sp.redo = false;
			sp.exact = true;
			thread_free(thread);
			thread = NULL;
		}
		if ((err = split_all(&sp)) != II_OK)
			continue;
		thread = calloc(1, sizeof *thread);
		if (!thread) {
			err = ii_fail(e, II_ENOMEM, _("out of memory splitting a thread"));
			goto done;
		}
		err = collect(&sp, thread);
	} while (sp.redo);
	if (err != II_OK)
		goto done;
	*out = thread;
	thread = NULL;
done:
	thread_free(thread);
	free(sp.starts);
	free(sp.buf.p);
	free(toks);
	return err;
}

void thread_free(struct thread *thread)
{
	if (!thread)
		return;
	for (size_t i = 0; i < thread->count; i++)
		free(thread->posts[i].text);
	free(thread->posts);
	free(thread);
}

size_t thread_count(const struct thread *thread)
{
	return thread->count;
}

const char *thread_post(const struct thread *thread, size_t i)
{
	return i < thread->count ? thread->posts[i].text : NULL;
}

int thread_post_length(const struct thread *thread, size_t i)
{
	return i < thread->count ? thread->posts[i].length : -1;
}

const struct thread_cut *thread_cut(const struct thread *thread, size_t i)
{
	return i > 0 && i < thread->count ? &thread->posts[i].cut : NULL;
}

/* The N of a text that ends with " N/N", N from 2; 0 when it does not. */
static size_t final_count(const char *text)
{
	size_t len = strlen(text), i = len;
	while (i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9')
		i--;
	size_t digits = len - i;
	if (digits == 0 || digits > 6 || i < digits + 2 || text[i - 1] != '/' ||
	    text[i - digits - 2] != ' ' || memcmp(text + i - digits - 1, text + i, digits) != 0)
		return 0;
	size_t n = (size_t)strtoul(text + i, NULL, 10);
	return n >= 2 ? n : 0;
}

char *thread_unnumbered(const char *text)
{
	size_t total = final_count(text), len = strlen(text);
	char *out = malloc(len + 1);
	if (!out)
		return NULL;
	size_t w = 0;
	const char *r = text;
	for (size_t k = 1; k <= total; k++) {
		char marker[48];
		int n = snprintf(marker, sizeof marker, k < total ? " %zu/%zu\n\n" : " %zu/%zu",
				 k, total);
		const char *hit = k < total ? strstr(r, marker) : text + len - n;
		if (!hit || hit < r) {
			total = 0; /* not numbered after all: the text as it is */
			break;
		}
		memcpy(out + w, r, (size_t)(hit - r));
		w += (size_t)(hit - r);
		if (k < total) {
			memcpy(out + w, "\n\n", 2);
			w += 2;
		}
		r = hit + n;
	}
	if (total == 0) {
		memcpy(out, text, len + 1);
		return out;
	}
	out[w] = '\0';
	return out;
}
