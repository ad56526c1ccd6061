#include "tweet_url.h"

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "url_data.h"

/*
 * twitter-text's extractUrlsWithIndices(), by hand. The package finds URLs with one big
 * backtracking regular expression (regexp/extractUrl.js); each part of it is simple enough
 * that its first successful match can be computed directly, and the functions below say
 * which part they stand for. The character classes and TLD lists are the package's own,
 * generated into url_data.c. Positions are UTF-16 code units, as in JavaScript.
 */

#define NONE ((size_t)-1)
enum { MAX_URL_LENGTH = 4096, MAX_TCO_SLUG_LENGTH = 40, MAX_LABEL_LENGTH = 63 };
/* texts shorter than this (nearly all) need no allocation for the scratch arrays */
enum { LOCAL_UNITS = 512 };

/* Every class as one bit per BMP unit, built once per process from the generated ranges:
 * the matcher asks several classes about nearly every unit of a text. */
static uint16_t class_bits[0x10000];
/* Two more bits: the characters of a label's run, domain characters and '-', and those
 * with '_' (subdomains allow it). */
enum { LABEL_DASH = URL_CLASS_COUNT, LABEL_UNDERSCORE };
_Static_assert(LABEL_UNDERSCORE < 16, "one uint16_t per unit holds every class");
/* The ASCII TLDs (about 1,400) by a hash of their units (open addressing, index + 1, 0
 * for none): an
 * ASCII run after a dot is looked up once, in a few steps. */
enum { TLD_HASH_SIZE = 4096 };
static uint16_t ascii_tld_hash[TLD_HASH_SIZE];
/* The ASCII units that start one of url_other_tlds (vermögensberatung…), and those that
 * start any TLD, folded. */
static bool other_tld_starts[0x80], tld_starts[0x80];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static bool in_class(unsigned id, uint16_t c)
{
	return class_bits[c] >> id & 1;
}

static unsigned tld_hash(const uint16_t *units, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t k = 0; k < len; k++)
		h = (h ^ units[k]) * 16777619u;
	return (h ^ h >> 15) % TLD_HASH_SIZE;
}

/* What JavaScript compares under the 'i' flag, for every BMP unit, filled once from
 * url_folds: nearly every unit is asked about, and a search per unit showed in a count's
 * profile. */
static uint16_t fold_table[0x10000];

static inline uint16_t fold(uint16_t c)
{
	return fold_table[c];
}

static void fill_tables(void)
{
	for (unsigned id = 0; id < URL_CLASS_COUNT; id++)
		for (unsigned k = 0; k < url_classes[id].count; k++)
			for (unsigned c = url_classes[id].ranges[k].lo; c <= url_classes[id].ranges[k].hi; c++)
				class_bits[c] |= (uint16_t)(1u << id);
	for (unsigned c = 0; c < 0x10000; c++) {
		fold_table[c] = c >= 'a' && c <= 'z' ? (uint16_t)(c - 32) : (uint16_t)c;
		bool dash = in_class(URL_DOMAIN, (uint16_t)c) || c == '-';
		class_bits[c] |= (uint16_t)(dash << LABEL_DASH | (dash || c == '_') << LABEL_UNDERSCORE);
	}
	/* beyond ASCII, the folds the package's expressions make */
	for (unsigned i = 0; i < url_fold_count; i++)
		if (url_folds[i].from >= 0x80)
			fold_table[url_folds[i].from] = url_folds[i].to;
	for (unsigned i = 0; i < url_ascii_tlds_count; i++) {
		unsigned h = tld_hash(url_ascii_tlds[i].units, url_ascii_tlds[i].len);
		while (ascii_tld_hash[h])
			h = (h + 1) % TLD_HASH_SIZE;
		ascii_tld_hash[h] = (uint16_t)(i + 1);
		tld_starts[url_ascii_tlds[i].units[0]] = true;
	}
	for (unsigned i = 0; i < url_other_tlds_count; i++)
		if (url_other_tlds[i].units[0] < 0x80)
			other_tld_starts[url_other_tlds[i].units[0]] = tld_starts[url_other_tlds[i].units[0]] = true;
}

static bool is_digit(uint16_t c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(uint16_t c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether the ASCII word is at `at`, in any case ('i' folds no other unit onto ASCII);
 * the first unit, which rules out nearly every position asked about, inline. */
static bool has_word_rest(const uint16_t *u, size_t lim, size_t at, const char *word)
{
	for (size_t k = 1; word[k]; k++)
		if (at + k >= lim || u[at + k] >= 0x80 || fold(u[at + k]) != fold((uint16_t)word[k]))
			return false;
	return true;
}

static inline bool has_word(const uint16_t *u, size_t lim, size_t at, const char *word)
{
	return at < lim && fold(u[at]) == fold((uint16_t)word[0]) && has_word_rest(u, lim, at, word);
}

/* Per text: room for the label ends of one domain; the run of label characters before
 * the dot whose candidates are being tried, whose labels end at that dot; and the last
 * domains found, by where they start. */
enum { DOMAIN_MEMO = 16 };
struct scratch {
	size_t *pos;
	size_t run, dot;      /* the run [run, dot) */
	size_t last_underscore; /* the last '_' of the run, or NONE */
	struct {
		size_t at, end; /* domain_at(at) is end; at is NONE when the slot is empty */
	} memo[DOMAIN_MEMO];
};

/* validSubdomain (underscore allowed) or validDomainName: a run of domain characters and
 * '-' (and '_'), starting and ending with a domain character, then '.'. Returns the
 * position after the dot. In the current run the end is known, so trying each of its
 * positions stays linear; elsewhere the run is read. */
static size_t label(const struct scratch *w, const uint16_t *u, size_t n, size_t p, bool underscore)
{
	if (p >= n || !in_class(URL_DOMAIN, u[p]))
		return NONE;
	size_t q;
	if (p >= w->run && p < w->dot) {
		/* a domain name's run stops at the run's next '_' */
		if (!underscore && w->last_underscore != NONE && p <= w->last_underscore)
			return NONE;
		q = w->dot;
	} else {
		unsigned bit = underscore ? LABEL_UNDERSCORE : LABEL_DASH;
		for (q = p + 1; q < n && class_bits[u[q]] >> bit & 1;)
			q++;
	}
	if (!in_class(URL_DOMAIN, u[q - 1]) || q >= n || u[q] != '.')
		return NONE;
	return q + 1;
}

/* Compares the text at q with a folded TLD and checks the lookahead (?=[^0-9a-zA-Z@+-]|$)
 * that follows the alternation. */
static bool tld_fits(const struct url_tld *t, const uint16_t *u, size_t lim, size_t q)
{
	if (q + t->len > lim)
		return false;
	for (unsigned k = 0; k < t->len; k++)
		if (fold(u[q + k]) != t->units[k])
			return false;
	return q + t->len == lim || in_class(URL_TLD_FOLLOW, u[q + t->len]);
}

/* (?:validGTLD|validCCTLD) at q, the text ending at lim: the TLD of lowest rank that fits. */
static size_t tld_in_lists(const uint16_t *u, size_t lim, size_t q)
{
	unsigned best = UINT_MAX;
	size_t end = NONE;
	/* an ASCII TLD can only be the whole run of [0-9a-zA-Z@+-] here */
	uint16_t run[sizeof url_ascii_tlds[0].units / sizeof url_ascii_tlds[0].units[0]];
	size_t len = 0;
	while (q + len < lim && !in_class(URL_TLD_FOLLOW, u[q + len]) && len < sizeof run / sizeof run[0]) {
		run[len] = fold(u[q + len]);
		len++;
	}
	if (len > 0 && run[0] < 0x80 && (q + len == lim || in_class(URL_TLD_FOLLOW, u[q + len]))) {
		for (unsigned h = tld_hash(run, len); ascii_tld_hash[h]; h = (h + 1) % TLD_HASH_SIZE) {
			const struct url_tld *t = &url_ascii_tlds[ascii_tld_hash[h] - 1];
			if (t->len == len && !memcmp(t->units, run, len * sizeof run[0])) {
				best = t->rank;
				end = q + len;
				break;
			}
		}
	}
	/* the others that start with this unit, by rank: the first that fits is their best */
	uint16_t first = fold(u[q]);
	if (first < 0x80 && !other_tld_starts[first])
		return end;
	unsigned lo = 0, hi = url_other_tlds_count;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (url_other_tlds[mid].units[0] < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (unsigned i = lo; i < url_other_tlds_count && url_other_tlds[i].units[0] == first; i++) {
		const struct url_tld *t = &url_other_tlds[i];
		if (t->rank > best)
			break;
		if (tld_fits(t, u, lim, q))
			return q + t->len;
	}
	return end;
}

/* (?:validGTLD|validCCTLD|validPunycode) at q, the text ending at lim. */
static size_t tld_at(const uint16_t *u, size_t lim, size_t q)
{
	if (q >= lim)
		return NONE;
	/* after most dots there is no TLD at all: a digit, a space */
	uint16_t first = fold(u[q]);
	if (first < 0x80 && !tld_starts[first] && first != 'X')
		return NONE;
	size_t end = tld_in_lists(u, lim, q);
	if (end == NONE && (u[q] | 0x20) == 'x' && has_word(u, lim, q, "xn--")) {
		end = q + 4;
		while (end < lim && (is_alnum(u[end]) || u[end] == '-'))
			end++;
		if (end == q + 4)
			end = NONE;
	}
	return end;
}

/*
 * validDomain at s: validSubdomain* validDomainName TLD, the subdomains given back one by
 * one from the greediest count as the regex backtracks. So the domain at s is the one at
 * its second label if there is one, else its first label and the TLD after it: a
 * text's candidates share their later labels ("sub.domain.example.es" is tried at
 * each label), so the domains found are kept by where they start and each is worked
 * out once.
 */
static size_t domain_at(const uint16_t *u, size_t n, size_t s, struct scratch *w)
{
	size_t k = 0, *pos = w->pos, end = NONE;
	pos[0] = s;
	for (size_t next; (next = label(w, u, n, pos[k], true)) != NONE;) {
		pos[++k] = next;
		if (w->memo[next % DOMAIN_MEMO].at == next) {
			end = w->memo[next % DOMAIN_MEMO].end;
			break;
		}
	}
	/* the domain at each label from the one before the known one back to s */
	for (size_t j = k; j-- > 0;) {
		if (end == NONE && label(w, u, n, pos[j], false) == pos[j + 1])
			end = tld_at(u, n, pos[j + 1]);
		w->memo[pos[j] % DOMAIN_MEMO].at = pos[j];
		w->memo[pos[j] % DOMAIN_MEMO].end = end;
	}
	return end;
}

/* validUrlBalancedParens at q, which holds '(': one level of nesting. */
static size_t parens_at(const uint16_t *u, size_t n, size_t q)
{
	size_t r = q + 1;
	while (r < n && in_class(URL_PATH_GENERAL, u[r]))
		r++;
	if (r > q + 1 && r < n && u[r] == ')')
		return r + 1;
	if (r >= n || u[r] != '(')
		return NONE;
	size_t r2 = r + 1;
	while (r2 < n && in_class(URL_PATH_GENERAL, u[r2]))
		r2++;
	if (r2 == r + 1 || r2 >= n || u[r2] != ')')
		return NONE;
	size_t r3 = r2 + 1;
	while (r3 < n && in_class(URL_PATH_GENERAL, u[r3]))
		r3++;
	return r3 < n && u[r3] == ')' ? r3 + 1 : NONE;
}

/* validUrlPath* after the '/'. validUrlPathEndingChars is spliced into validUrlPath
 * without a group, so each repetition is either a run of path characters and balanced
 * parentheses ending with an ending character (the longest, once the greedy expression
 * has backtracked) or balanced parentheses alone. */
static size_t path_end(const uint16_t *u, size_t n, size_t q)
{
	for (;;) {
		size_t last = NONE;
		for (size_t r = q; r < n;) {
			if (u[r] == '(') {
				size_t end = parens_at(u, n, r);
				if (end == NONE)
					break;
				r = end;
			} else if (in_class(URL_PATH_GENERAL, u[r])) {
				if (in_class(URL_PATH_ENDING, u[r]))
					last = r + 1;
				r++;
			} else {
				break;
			}
		}
		if (last == NONE && q < n && u[q] == '(')
			last = parens_at(u, n, q);
		if (last == NONE)
			return q;
		q = last;
	}
}

/* validUrlQueryChars* validUrlQueryEndingChars after a '?', or NONE. */
static size_t query_end(const uint16_t *u, size_t lim, size_t q)
{
	size_t last = NONE;
	for (; q < lim && in_class(URL_QUERY, u[q]); q++)
		if (in_class(URL_QUERY_ENDING, u[q]))
			last = q + 1;
	return last;
}

struct match {
	size_t start, end;            /* $3, the URL */
	size_t protocol;              /* length of $4, 0 without */
	size_t domain_start, domain_end;
	bool path;                    /* $7 matched */
};

/* The URL part of extractUrl at s: protocol, domain, port, path, query. */
static bool url_at(const uint16_t *u, size_t n, size_t s, struct scratch *scratch, struct match *m)
{
	size_t proto = has_word(u, n, s, "https://") ? 8 : has_word(u, n, s, "http://") ? 7 : 0;
	size_t e = proto ? domain_at(u, n, s + proto, scratch) : NONE;
	if (e == NONE) {
		proto = 0;
		e = domain_at(u, n, s, scratch);
		if (e == NONE)
			return false;
	}
	*m = (struct match){s, e, proto, s + proto, e, false};
	if (e + 1 < n && u[e] == ':' && is_digit(u[e + 1])) {
		e++;
		while (e < n && is_digit(u[e]))
			e++;
	}
	if (e < n && u[e] == '/') {
		m->path = true;
		e = path_end(u, n, e + 1);
	}
	if (e < n && u[e] == '?') {
		size_t q = query_end(u, n, e + 1);
		if (q != NONE)
			e = q;
	}
	m->end = e;
	return true;
}

/* Length of punycode's encode() of u[0..n), the code points of one label part. */
static size_t punycode_length(const uint16_t *u, size_t n)
{
	uint32_t cps[256];
	size_t count = 0, basic = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = u[i];
		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF) {
			c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00);
			i++;
		}
		if (count == sizeof cps / sizeof cps[0])
			return MAX_LABEL_LENGTH + 1; /* far too long for a label anyway */
		cps[count++] = c;
		if (c < 0x80)
			basic++;
	}
	size_t out = basic + (basic > 0);
	uint64_t nn = 128, delta = 0, bias = 72;
	for (size_t h = basic; h < count;) {
		uint64_t m = UINT64_MAX;
		for (size_t i = 0; i < count; i++)
			if (cps[i] >= nn && cps[i] < m)
				m = cps[i];
		delta += (m - nn) * (h + 1);
		nn = m;
		for (size_t i = 0; i < count; i++) {
			if (cps[i] < nn)
				delta++;
			if (cps[i] != nn)
				continue;
			uint64_t q = delta;
			for (uint64_t k = 36;; k += 36) {
				uint64_t t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
				if (q < t)
					break;
				out++;
				q = (q - t) / (36 - t);
			}
			out++;
			/* adapt() */
			uint64_t d = h == basic ? delta / 700 : delta / 2;
			d += d / (h + 1);
			uint64_t k = 0;
			for (; d > 455; k += 36)
				d /= 35;
			bias = k + (36 * d) / (d + 38);
			delta = 0;
			h++;
		}
		delta++;
		nn++;
	}
	return out;
}

static bool separator(uint16_t c)
{
	return c == '.' || c == 0x3002 || c == 0xFF0E || c == 0xFF61;
}

/* punycode.toASCII(label).length, as idna.toAscii checks it: parts split at the IDNA
 * separators, each non-ASCII one (outside 0x20-0x7E) as "xn--" and its encoding. */
static size_t ascii_label_length(const uint16_t *u, size_t n)
{
	size_t total = 0;
	for (size_t a = 0;;) {
		size_t b = a;
		bool ascii = true;
		while (b < n && !separator(u[b])) {
			ascii &= u[b] >= 0x20 && u[b] <= 0x7E;
			b++;
		}
		total += ascii ? b - a : 4 + punycode_length(u + a, b - a);
		if (b >= n)
			break;
		total++;
		a = b + 1;
	}
	return total;
}

/* validAsciiDomain searched in u[a..lim): (?:[-a-z0-9accents]+\.)+ TLD. The end, or NONE. */
static size_t ascii_domain_at(const uint16_t *u, size_t lim, size_t a, size_t *pos)
{
	size_t k = 0;
	pos[0] = a;
	for (;;) {
		size_t q = pos[k];
		while (q < lim && in_class(URL_ASCII_DOMAIN, u[q]))
			q++;
		if (q == pos[k] || q >= lim || u[q] != '.')
			break;
		pos[++k] = q + 1;
	}
	for (size_t j = k; j >= 1; j--) {
		size_t end = tld_at(u, lim, pos[j]);
		if (end != NONE)
			return end;
	}
	return NONE;
}

/* isValidUrl(): idna.toAscii's checks and the length limit. toAscii returns the domain
 * unchanged, so the length compared is the URL's own. */
static bool valid_url(const uint16_t *u, const struct match *m, const struct scratch *w)
{
	size_t ds = m->domain_start, de = m->domain_end;
	if (de - ds >= 4 && u[ds] == 'x' && u[ds + 1] == 'n' && u[ds + 2] == '-' && u[ds + 3] == '-') {
		bool found = false;
		for (size_t a = ds; a < de && !found; a++)
			found = ascii_domain_at(u, de, a, w->pos) != NONE;
		if (!found)
			return false;
	}
	for (size_t a = ds;;) {
		size_t b = a;
		while (b < de && u[b] != '.')
			b++;
		size_t len = ascii_label_length(u + a, b - a);
		if (len < 1 || len > MAX_LABEL_LENGTH)
			return false;
		if (b >= de)
			break;
		a = b + 1;
	}
	return (m->protocol ? m->protocol : 8) + (m->end - m->start) <= MAX_URL_LENGTH;
}

/* validTcoUrl on the URL: ^https?://t\.co/([a-z0-9]+)(?:\?query)? The end, the slug's
 * length in *slug; NONE when it is not a t.co URL. */
static size_t tco_end(const uint16_t *u, const struct match *m, size_t *slug)
{
	size_t s = m->start + m->protocol, lim = m->end;
	if (!has_word(u, lim, s, "t.co/"))
		return NONE;
	size_t q = s + 5;
	while (q < lim && is_alnum(u[q]))
		q++;
	if (q == s + 5)
		return NONE;
	*slug = q - (s + 5);
	if (q < lim && u[q] == '?') {
		size_t e = query_end(u, lim, q + 1);
		if (e != NONE)
			q = e;
	}
	return q;
}

static ii_err push(struct tweet_url_list *l, size_t start, size_t end, struct ii_error *e)
{
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct tweet_url *items = realloc(l->items, cap * sizeof *items);
		if (!items)
			return ii_fail(e, II_ENOMEM, "out of memory finding URLs");
		l->items = items;
		l->cap = cap;
	}
	l->items[l->count++] = (struct tweet_url){start, end};
	return II_OK;
}

/* One match of extractUrl, as the loop body of extractUrlsWithIndices handles it. */
static ii_err take(const uint16_t *u, size_t p, const struct match *m, const struct scratch *scratch,
		   struct tweet_url_list *out, struct ii_error *e)
{
	if (!valid_url(u, m, scratch))
		return II_OK;
	if (m->protocol) {
		size_t slug = 0, end = tco_end(u, m, &slug);
		if (end != NONE && slug > MAX_TCO_SLUG_LENGTH)
			return II_OK;
		return push(out, m->start, end != NONE ? end : m->end, e);
	}
	/* without a protocol: not after - _ . or /, and only the ASCII domains in it */
	if (m->start > p && (u[p] == '-' || u[p] == '_' || u[p] == '.' || u[p] == '/'))
		return II_OK;
	bool any = false;
	for (size_t a = m->domain_start; a < m->domain_end;) {
		size_t end = ascii_domain_at(u, m->domain_end, a, scratch->pos);
		if (end == NONE) {
			a++;
			continue;
		}
		ii_err rc = push(out, a, end, e);
		if (rc)
			return rc;
		any = true;
		a = end;
	}
	if (any && m->path)
		out->items[out->count - 1].end = m->end;
	return II_OK;
}

/* The first '.' in u[from..lim), or lim; four units at a time, as most units are not. */
static size_t next_dot(const uint16_t *u, size_t from, size_t lim)
{
	const uint64_t ones = 0x0001000100010001u, highs = 0x8000800080008000u;
	for (uint64_t word; from + 4 <= lim; from += 4) {
		memcpy(&word, u + from, sizeof word);
		word ^= '.' * ones; /* a '.' unit becomes 0 */
		if ((word - ones) & ~word & highs)
			break;
	}
	while (from < lim && u[from] != '.')
		from++;
	return from;
}

/* Whether c may be in a label (LABEL_UNDERSCORE). */
static bool label_unit(uint16_t c)
{
	return class_bits[c] >> LABEL_UNDERSCORE & 1;
}

ii_err tweet_url_find(const uint16_t *u, size_t n, struct tweet_url_list *out, struct ii_error *e)
{
	*out = (struct tweet_url_list){0};
	pthread_once(&tables_once, fill_tables);
	/*
	 * Where a match can start: the domain's first label runs up to a dot, so a URL
	 * without a protocol starts inside the run of label characters before some dot; with
	 * one, the protocol ends just where such a run starts. The search goes from dot to
	 * dot and tries only those positions, in the order the regex would; every other
	 * position fails url_at at once. (Every URL has a dot in its domain: the package gives
	 * up at once without one too.)
	 */
	size_t dot = next_dot(u, 0, n);
	if (dot == n)
		return II_OK;
	size_t size = n + 2; /* a domain has fewer labels than that */
	size_t local[LOCAL_UNITS], *mem = local;
	if (size > LOCAL_UNITS && !(mem = malloc(size * sizeof *mem)))
		return ii_fail(e, II_ENOMEM, "out of memory finding URLs");
	struct scratch w;
	w.pos = mem;
	/* every slot empty: NONE is all bits set */
	memset(w.memo, 0xFF, sizeof w.memo);
	struct scratch *scratch = &w;
	ii_err rc = II_OK;
	size_t p = 0; /* the regex's lastIndex: the preceding character of a match is at or after it */
	while (dot < n && rc == II_OK) {
		size_t run = dot;
		w.last_underscore = NONE;
		for (; run > 0 && label_unit(u[run - 1]); run--)
			if (u[run - 1] == '_' && w.last_underscore == NONE)
				w.last_underscore = run - 1;
		w.run = run;
		w.dot = dot;
		/* a protocol that ends where the run starts, then the run */
		size_t s = run >= 8 && has_word(u, n, run - 8, "https://") ? run - 8 :
			   run >= 7 && has_word(u, n, run - 7, "http://")  ? run - 7 : run;
		for (; s < dot && rc == II_OK; s = s < run ? run : s + 1) {
			struct match m;
			size_t q = s > 0 ? s - 1 : 0; /* validUrlPrecedingChars, consumed by the match */
			bool found;
			if (s == 0) {
				/* at the start of the text the regex tries a match after the first
				 * character before one at it */
				found = (in_class(URL_PRECEDING, u[0]) && url_at(u, n, 1, scratch, &m)) ||
					url_at(u, n, 0, scratch, &m);
				p = 1;
			} else {
				found = q >= p && in_class(URL_PRECEDING, u[q]) && url_at(u, n, s, scratch, &m);
			}
			if (found) {
				rc = take(u, q, &m, scratch, out, e);
				p = m.end;
			}
		}
		/* a dot up to the end of the last match has no candidate left: each would be
		 * preceded by a character the match consumed */
		dot = next_dot(u, dot + 1 > p ? dot + 1 : p, n);
	}
	if (mem != local)
		free(mem);
	if (rc)
		tweet_url_free(out);
	return rc;
}

void tweet_url_free(struct tweet_url_list *list)
{
	free(list->items);
	*list = (struct tweet_url_list){0};
}
