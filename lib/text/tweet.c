#include "tweet.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "emoji_data.h"
#include "tweet_url.h"

/*
 * parseTweet() works on JavaScript strings, so this module does too: the NFC text is
 * turned into UTF-16 code units and the loop below is parseTweet's, step for step. That
 * keeps its quirks (a supplementary character is weighed by its low surrogate, validity
 * is judged on the last unit of each URL or emoji) without having to rediscover them.
 */

/* Configuration v3, in hundredths as the library scales it. */
enum { SCALE = 100, LIGHT_WEIGHT = 100, DEFAULT_WEIGHT = 200, URL_LENGTH = 23 };

static bool light_unit(uint16_t u)
{
	return u <= 0x10FF || (u >= 0x2000 && u <= 0x200D) || (u >= 0x2010 && u <= 0x201F) ||
	       (u >= 0x2032 && u <= 0x2037);
}

static bool invalid_unit(uint16_t u)
{
	return u == 0xFFFE || u == 0xFEFF || u == 0xFFFF;
}

static bool high_surrogate(uint16_t u)
{
	return u >= 0xD800 && u <= 0xDBFF;
}

static bool low_surrogate(uint16_t u)
{
	return u >= 0xDC00 && u <= 0xDFFF;
}

/* A plain character weighs 1 per unit, and 1 more for a unit that is heavy: a BMP
 * character that is not light. A supplementary one weighs as its low surrogate, 2, which
 * its two units make. */
static bool heavy_unit(uint16_t u)
{
	return !light_unit(u) && !high_surrogate(u) && !low_surrogate(u);
}

/*
 * Normalising only what needs it. NFC can change a text only around characters that are
 * not stable: a combining mark (combining class not 0), a character NFC replaces
 * (composition exclusions, singletons), or one that can compose with the character before
 * it (the later characters of canonical decompositions: accents, Hangul vowels and final
 * consonants, a few vowel signs of ccc 0). Every stable character starts a segment that
 * NFC treats on its own, so a text is normalised one segment at a time and a segment of
 * one stable character is kept as it is. The set is derived from utf8proc's own data,
 * once per process (a few milliseconds), so that it follows utf8proc's Unicode version.
 */
#define CODE_POINTS 0x110000
/* utf8proc's data has no combining mark and no decomposition from plane 3 on (CJK, tags,
 * private use: tests/unit/test_tweet.c checks it against the linked library), so the
 * search stops there: the rest was a quarter of a small count's time. */
#define FIRST_PLAIN_CODE_POINT 0x30000
#define MAX_DECOMPOSITION 8
static uint64_t unstable_bits[CODE_POINTS / 64];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void mark_unstable(utf8proc_int32_t c)
{
	unstable_bits[c >> 6] |= (uint64_t)1 << (c & 63);
}

static bool unstable(utf8proc_int32_t c)
{
	return unstable_bits[c >> 6] >> (c & 63) & 1;
}

/* What the loops below ask of nearly every unit, in one load: whether it is a stable
 * character's (a BMP one), may start an emoji or is a keycap's mark, and weighs light. */
enum {
	UNIT_UNSTABLE = 1,
	UNIT_EMOJI_START = 2,
	UNIT_KEYCAP_MARK = 4,
	UNIT_LIGHT = 8,
	UNIT_INVALID = 16,
	UNIT_HEAVY = 32, /* neither light nor a surrogate: a plain character of this unit weighs 2 */
};
static uint8_t unit_flags[0x10000];

/* The trie's first two steps as direct tables: the root's edges and those after each of
 * its high surrogates (hundreds each) were most of the emoji search's binary searches. A
 * high surrogate whose state has other edges, or one past the rows, keeps the search. */
enum { EMOJI_PAIR_ROWS = 8 };
static uint16_t emoji_root[0x10000];  /* the state after a first unit, 0 for none */
static uint8_t emoji_pair_row[0x400]; /* a high surrogate's row of emoji_pair + 1, or 0 */
static uint16_t emoji_pair[EMOJI_PAIR_ROWS][0x400]; /* then the state after a low one */

static void fill_emoji_tables(void)
{
	const struct emoji_state *root = &emoji_states[0];
	unsigned rows = 0;
	for (unsigned k = 0; k < root->edge_count; k++) {
		const struct emoji_edge *e = &emoji_edges[root->first_edge + k];
		emoji_root[e->unit] = e->state;
		if (!high_surrogate(e->unit) || rows == EMOJI_PAIR_ROWS)
			continue;
		const struct emoji_state *s = &emoji_states[e->state];
		const struct emoji_edge *after = emoji_edges + s->first_edge;
		bool all_low = true;
		for (unsigned j = 0; j < s->edge_count; j++)
			all_low &= low_surrogate(after[j].unit);
		if (!all_low)
			continue;
		for (unsigned j = 0; j < s->edge_count; j++)
			emoji_pair[rows][after[j].unit - 0xDC00] = after[j].state;
		emoji_pair_row[e->unit - 0xD800] = (uint8_t)++rows;
	}
}

static bool emoji_may_start(uint16_t unit)
{
	return emoji_start_bits[unit >> 6] >> (unit & 63) & 1;
}

/* The tables above, once per process. */
static void fill_tables(void)
{
	for (utf8proc_int32_t c = 0; c < FIRST_PLAIN_CODE_POINT; c++) {
		const utf8proc_property_t *p = utf8proc_get_property(c);
		if (p->combining_class) {
			mark_unstable(c);
			continue;
		}
		/* Hangul syllables decompose by rule, not through the table */
		bool hangul = c >= 0xAC00 && c <= 0xD7A3;
		bool canonical = p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0;
		if (!hangul && !canonical)
			continue;
		utf8proc_int32_t d[MAX_DECOMPOSITION];
		utf8proc_ssize_t k = utf8proc_decompose_char(c, d, MAX_DECOMPOSITION,
							     UTF8PROC_DECOMPOSE, NULL);
		if (k < 1 || k > MAX_DECOMPOSITION) {
			mark_unstable(c);
			continue;
		}
		for (utf8proc_ssize_t j = 1; j < k; j++)
			mark_unstable(d[j]);
		utf8proc_ssize_t m = utf8proc_normalize_utf32(d, k, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
		if (m != 1 || d[0] != c)
			mark_unstable(c); /* NFC does not give it back */
	}
	fill_emoji_tables();
	for (unsigned u = 0; u < 0x10000; u++)
		unit_flags[u] = (uint8_t)(unstable((utf8proc_int32_t)u) * UNIT_UNSTABLE |
					  emoji_may_start((uint16_t)u) * UNIT_EMOJI_START |
					  (u == 0xFE0F || u == 0x20E3) * UNIT_KEYCAP_MARK |
					  light_unit((uint16_t)u) * UNIT_LIGHT |
					  invalid_unit((uint16_t)u) * UNIT_INVALID |
					  heavy_unit((uint16_t)u) * UNIT_HEAVY);
}

static bool unstable_character(utf8proc_int32_t c)
{
	return c < 0x10000 ? unit_flags[c] & UNIT_UNSTABLE : unstable(c);
}

/* utf8proc_iterate()'s strict decoding (no overlong form, no surrogate, nothing past
 * U+10FFFF) inlined: it was the most called function of a count. The length of the
 * character at s, or 0 when the bytes there are not UTF-8. */
static inline size_t decode_utf8(const uint8_t *s, size_t len, utf8proc_int32_t *cp)
{
	unsigned b = s[0];
	if (b < 0x80) {
		*cp = (utf8proc_int32_t)b;
		return 1;
	}
	if (b - 0xC2 > 0xF4 - 0xC2)
		return 0;
	/* a continuation byte, 10xxxxxx, is one whose value ^ 0x80 is below 0x40: two are
	 * checked with one comparison */
	if (b < 0xE0) {
		if (len < 2 || (s[1] ^ 0x80u) >= 0x40)
			return 0;
		*cp = (utf8proc_int32_t)((b & 0x1F) << 6 | (s[1] ^ 0x80u));
		return 2;
	}
	if (b < 0xF0) {
		if (len < 3 || ((s[1] ^ 0x80u) | (s[2] ^ 0x80u)) >= 0x40)
			return 0;
		unsigned c = (b & 0xF) << 12 | (s[1] ^ 0x80u) << 6 | (s[2] ^ 0x80u);
		*cp = (utf8proc_int32_t)c;
		/* neither overlong nor a surrogate */
		return c < 0x800 || c - 0xD800 < 0x800 ? 0 : 3;
	}
	if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80 ||
	    (b == 0xF0 && s[1] < 0x90) || (b == 0xF4 && s[1] > 0x8F))
		return 0;
	*cp = (utf8proc_int32_t)((b & 7) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu));
	return 4;
}

/* The normalised text in UTF-16; on the stack unless it is long. */
enum { LOCAL_UNITS = 2048, LOCAL_CODE_POINTS = 64 };
struct units {
	uint16_t *u;
	size_t n, cap;
	size_t emoji_from, emoji_to; /* where an emoji may start: outside, none can */
	size_t heavy; /* how many of the units are heavy (heavy_unit) */
	bool invalid; /* an invalid unit has been put (perhaps since replaced) */
	uint16_t local[LOCAL_UNITS];
};

static bool units_reserve(struct units *t, size_t cap)
{
	if (cap <= t->cap)
		return true;
	uint16_t *u = t->u == t->local ? malloc(cap * sizeof *u) : realloc(t->u, cap * sizeof *u);
	if (!u)
		return false;
	if (t->u == t->local)
		memcpy(u, t->local, t->n * sizeof *u);
	t->u = u;
	t->cap = cap;
	return true;
}

static void units_free(struct units *t)
{
	if (t->u != t->local)
		free(t->u);
}

/* How many units of [from, to) are heavy. */
static size_t heavy_units(const uint16_t *u, size_t from, size_t to)
{
	size_t heavy = 0;
	for (size_t i = from; i < to; i++)
		heavy += unit_flags[u[i]] / UNIT_HEAVY & 1;
	return heavy;
}

/* Appends one code point; the caller has reserved room. An emoji can start only at a
 * non-ASCII character that may start one, or just before U+FE0F or U+20E3, which an
 * ASCII emoji, a keycap, needs (lib/text/gen/emoji_data.js checks that): the span of those
 * positions bounds the emoji search. */
static inline unsigned units_put(struct units *t, utf8proc_int32_t cp)
{
	uint16_t lead = cp >= 0x10000 ? (uint16_t)(0xD800 + ((cp - 0x10000) >> 10)) : (uint16_t)cp;
	unsigned flags = unit_flags[lead];
	if (flags & (UNIT_EMOJI_START | UNIT_KEYCAP_MARK)) {
		bool keycap_mark = flags & UNIT_KEYCAP_MARK;
		size_t from = keycap_mark && t->n > 0 ? t->n - 1 : t->n;
		if (t->emoji_to == 0 || from < t->emoji_from)
			t->emoji_from = from;
		if (t->n + 1 > t->emoji_to)
			t->emoji_to = t->n + 1;
	}
	if (cp >= 0x10000) {
		cp -= 0x10000;
		t->u[t->n++] = (uint16_t)(0xD800 + (cp >> 10));
		t->u[t->n++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
	} else {
		t->u[t->n++] = (uint16_t)cp;
	}
	return flags;
}

/*
 * The NFC forms of recent short segments, per thread (no lock): a text that needs
 * normalising tends to repeat the same few letters and accents, and utf8proc's
 * decomposition and recomposition of each was a sixth of a count. A slot holds one
 * segment's bytes and its NFC form as the units that replace it, with what the text's
 * sums need of them, so that a hit is a copy; a new segment takes the slot of its hash.
 * A form with a unit that may take part in an emoji is not kept: units_put() must see
 * each of those. (An invalid unit is stable, so it can only be a segment's first
 * character, which set units.invalid when it was put.)
 */
enum { NFC_CACHE_SLOTS = 256, NFC_CACHE_BYTES = 24, NFC_CACHE_UNITS = 24 };
struct nfc_slot {
	uint8_t len, n; /* len 0: empty; n units */
	uint8_t heavy;  /* heavy_units() of the units */
	uint8_t bytes[NFC_CACHE_BYTES];
	uint16_t units[NFC_CACHE_UNITS];
};
static _Thread_local struct nfc_slot nfc_cache[NFC_CACHE_SLOTS];

static struct nfc_slot *nfc_slot(const uint8_t *seg, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ seg[i]) * 16777619u;
	return &nfc_cache[(h ^ h >> 16) % NFC_CACHE_SLOTS];
}

/* Appends the code points, the normalised segment, after the units up to `from`; room is
 * kept for `rest` more units after them. */
static ii_err units_replace(struct units *t, size_t from, const utf8proc_int32_t *cps, size_t n,
			    size_t rest, struct ii_error *e)
{
	if (!units_reserve(t, from + 2 * n + rest))
		return ii_fail(e, II_ENOMEM, "out of memory counting a text");
	t->heavy -= heavy_units(t->u, from, t->n);
	unsigned seen = 0;
	size_t heavy = 0;
	t->n = from;
	for (size_t i = 0; i < n; i++) {
		unsigned flags = units_put(t, cps[i]);
		heavy += flags & UNIT_HEAVY;
		seen |= flags;
	}
	t->heavy += heavy / UNIT_HEAVY;
	t->invalid |= seen & UNIT_INVALID;
	return II_OK;
}

/* Keeps the segment's bytes and the n units of its NFC form in the slot, unless one of
 * them may take part in an emoji. */
static void nfc_keep(struct nfc_slot *slot, const uint8_t *seg, size_t len, const uint16_t *units,
		     size_t n)
{
	unsigned seen = 0;
	for (size_t i = 0; i < n; i++)
		seen |= unit_flags[units[i]];
	if (seen & (UNIT_EMOJI_START | UNIT_KEYCAP_MARK))
		return;
	slot->len = (uint8_t)len;
	slot->n = (uint8_t)n;
	slot->heavy = (uint8_t)heavy_units(units, 0, n);
	memcpy(slot->bytes, seg, len);
	memcpy(slot->units, units, n * sizeof *units);
}

/* Replaces the units from `from` on with the NFC form of the UTF-8 segment; room is kept
 * for `rest` more units after it. */
static ii_err normalise_segment(const uint8_t *seg, size_t len, struct units *t, size_t from,
				size_t rest, struct ii_error *e)
{
	struct nfc_slot *slot = len <= NFC_CACHE_BYTES ? nfc_slot(seg, len) : NULL;
	if (slot && slot->len == len && !memcmp(slot->bytes, seg, len)) {
		if (!units_reserve(t, from + slot->n + rest))
			return ii_fail(e, II_ENOMEM, "out of memory counting a text");
		t->heavy -= heavy_units(t->u, from, t->n);
		memcpy(t->u + from, slot->units, slot->n * sizeof slot->units[0]);
		t->n = from + slot->n;
		t->heavy += slot->heavy;
		return II_OK;
	}
	const utf8proc_option_t nfc = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
	utf8proc_int32_t local[LOCAL_CODE_POINTS], *cps = local;
	utf8proc_ssize_t n = utf8proc_decompose(seg, (utf8proc_ssize_t)len, cps, LOCAL_CODE_POINTS, nfc);
	if (n > LOCAL_CODE_POINTS) {
		cps = malloc((size_t)n * sizeof *cps);
		if (!cps)
			return ii_fail(e, II_ENOMEM, "out of memory counting a text");
		n = utf8proc_decompose(seg, (utf8proc_ssize_t)len, cps, n, nfc);
	}
	if (n >= 0)
		n = utf8proc_normalize_utf32(cps, n, nfc);
	ii_err rc;
	if (n < 0) {
		rc = ii_fail(e, n == UTF8PROC_ERROR_NOMEM ? II_ENOMEM : II_EDATA,
			     "cannot normalise the text: %s", utf8proc_errmsg(n));
	} else {
		rc = units_replace(t, from, cps, (size_t)n, rest, e);
		if (rc == II_OK && slot && t->n - from <= NFC_CACHE_UNITS)
			nfc_keep(slot, seg, len, t->u + from, t->n - from);
	}
	if (cps != local)
		free(cps);
	return rc;
}

/* Sixteen ASCII bytes to units, in a loop the compiler vectorises: restrict tells it the
 * two cannot overlap. */
static inline void widen16(uint16_t *restrict to, const uint8_t *restrict from)
{
	for (size_t k = 0; k < 16; k++)
		to[k] = from[k];
}

static inline void widen8(uint16_t *restrict to, const uint8_t *restrict from)
{
	for (size_t k = 0; k < 8; k++)
		to[k] = from[k];
}

/* The index of the first byte, in memory order, whose high bit is set in a word of
 * eight read from memory; the word has one. */
static inline size_t first_marked_byte(uint64_t high)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(high) / 8;
#else
	return (size_t)__builtin_clzll(high) / 8;
#endif
}

/* Decodes and checks the UTF-8 text into NFC UTF-16 units; *original_units is the text's
 * length in UTF-16 before normalisation. */
static ii_err nfc_units(const uint8_t *s, size_t len, struct units *t, size_t *original_units,
			struct ii_error *e)
{
	pthread_once(&tables_once, fill_tables);
	/* a byte never makes more than one unit, except in a normalised segment */
	if (!units_reserve(t, len))
		return ii_fail(e, II_ENOMEM, "out of memory counting a text");
	size_t original = 0;
	/* t->heavy (times UNIT_HEAVY) and t->invalid of this loop's own units, in registers */
	size_t heavy = 0;
	unsigned seen = 0;
	size_t segment = 0, segment_unit = 0; /* where the current segment starts */
	for (size_t i = 0; i < len;) {
		if (s[i] < 0x80) {
			size_t start = i;
			/* sixteen bytes at a time while they are all ASCII */
			for (uint64_t w[2]; i + 16 <= len; i += 16, t->n += 16) {
				memcpy(w, s + i, sizeof w);
				if ((w[0] | w[1]) & 0x8080808080808080u)
					break;
				widen16(t->u + t->n, s + i);
			}
			/* then eight, the last of them up to the first non-ASCII byte: most
			 * runs are a word or two between accents. Writing all eight units is
			 * safe, as there is room for a unit per byte left. */
			while (i + 8 <= len) {
				uint64_t w;
				memcpy(&w, s + i, sizeof w);
				widen8(t->u + t->n, s + i);
				uint64_t high = w & 0x8080808080808080u;
				size_t k = high ? first_marked_byte(high) : 8;
				i += k;
				t->n += k;
				if (k < 8)
					break;
			}
			while (i < len && s[i] < 0x80)
				t->u[t->n++] = s[i++];
			segment = i - 1;
			segment_unit = t->n - 1;
			original += i - start;
			continue;
		}
		utf8proc_int32_t cp;
		size_t k = decode_utf8(s + i, len - i, &cp);
		if (!k)
			return ii_fail(e, II_EDATA, "invalid UTF-8 at byte %zu", i);
		original += cp >= 0x10000 ? 2 : 1;
		if (!unstable_character(cp)) {
			segment = i;
			segment_unit = t->n;
			unsigned flags = units_put(t, cp);
			heavy += flags & UNIT_HEAVY;
			seen |= flags;
			i += k;
			continue;
		}
		/* the segment goes on up to the next stable character */
		size_t end = i + k;
		while (end < len && s[end] >= 0x80) {
			k = decode_utf8(s + end, len - end, &cp);
			if (!k)
				return ii_fail(e, II_EDATA, "invalid UTF-8 at byte %zu", end);
			if (!unstable_character(cp))
				break;
			original += cp >= 0x10000 ? 2 : 1;
			end += k;
		}
		ii_err rc = normalise_segment(s + segment, end - segment, t, segment_unit, len - end, e);
		if (rc)
			return rc;
		i = end;
	}
	*original_units = original;
	t->heavy += heavy / UNIT_HEAVY;
	t->invalid |= seen & UNIT_INVALID;
	return II_OK;
}

/* The state after `state` on unit c in the trie, or 0 (the root is no edge's state). */
static unsigned emoji_edge_search(unsigned state, uint16_t c)
{
	const struct emoji_state *s = &emoji_states[state];
	const struct emoji_edge *edges = emoji_edges + s->first_edge;
	unsigned lo = 0, hi = s->edge_count;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (edges[mid].unit < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->edge_count && edges[lo].unit == c ? edges[lo].state : 0;
}

/* The end of the emoji the library's expression matches at pos, where one may start, or
 * 0: of the sequences of the trie that match there, the one its backtracking tries
 * first. */
static size_t emoji_at(const uint16_t *u, size_t n, size_t pos)
{
	/* of the ASCII units only # * and digits start one, a keycap (lib/text/gen/emoji_data.js
	 * checks that), which needs U+FE0F or U+20E3 next: digits are common, keycaps not */
	if (u[pos] < 0x80 && (pos + 1 >= n || (u[pos + 1] != 0xFE0F && u[pos + 1] != 0x20E3)))
		return 0;
	unsigned pair_row = high_surrogate(u[pos]) ? emoji_pair_row[u[pos] - 0xD800] : 0;
	unsigned state = 0, best = EMOJI_NO_RANK;
	size_t end = 0;
	for (size_t i = pos; i < n; i++) {
		if (i == pos)
			state = emoji_root[u[i]];
		else if (i == pos + 1 && pair_row)
			state = low_surrogate(u[i]) ? emoji_pair[pair_row - 1][u[i] - 0xDC00] : 0;
		else
			state = emoji_edge_search(state, u[i]);
		if (!state)
			break;
		const struct emoji_state *s = &emoji_states[state];
		if (s->rank < best) {
			best = s->rank;
			end = i + 1;
		}
		if (s->rank_unless_lookahead < best && (i + 1 == n || u[i + 1] != EMOJI_LOOKAHEAD_UNIT)) {
			best = s->rank_unless_lookahead;
			end = i + 1;
		}
	}
	return end;
}

/* The library's emoji, found left to right over the whole text; the counting loop asks
 * for them in order. */
struct emoji_scan {
	size_t next;       /* where the search goes on */
	size_t start, end; /* the last emoji found; start is n when there is no more */
};

/* Searches [scan->next, until) for the next emoji. */
static void emoji_find(struct emoji_scan *scan, const uint16_t *u, size_t n, size_t until)
{
	size_t i = scan->next, end = 0;
	while (i < until && !(unit_flags[u[i]] & UNIT_EMOJI_START && (end = emoji_at(u, n, i))))
		i++;
	if (!end)
		i = n;
	scan->start = i;
	scan->end = end;
	scan->next = end ? end : n;
}

/* parseTweet's running sums: the weighted length in hundredths, whether an invalid
 * character has been seen, and the last unit of the valid part. */
struct tally {
	long weighted;
	size_t valid_display;
	bool valid;
};

/* Counts one character, URL or emoji, whose last unit is `last` at `at`. */
static void tally_add(struct tally *sum, uint16_t last, size_t at, int weight)
{
	sum->weighted += weight;
	if (last >= 0xFEFF && invalid_unit(last))
		sum->valid = false;
	if (sum->valid && sum->weighted <= TWEET_MAX_WEIGHTED_LENGTH * SCALE)
		sum->valid_display = at;
}

/* tally_add() for each unit of the ASCII run [from, to), none of which is invalid, at
 * once: the valid part ends at the last unit that still fits. */
static void tally_ascii(struct tally *sum, size_t from, size_t to)
{
	long room = (TWEET_MAX_WEIGHTED_LENGTH * SCALE - sum->weighted) / LIGHT_WEIGHT;
	if (sum->valid && room > 0)
		sum->valid_display = from + ((size_t)room < to - from ? (size_t)room : to - from) - 1;
	sum->weighted += (long)(to - from) * LIGHT_WEIGHT;
}

/* parseTweet's loop over the text: each URL, emoji or plain character in turn, with the
 * running sums that say where the valid part ends. */
static struct tally tally_all(const uint16_t *u, size_t n, const struct tweet_url_list *urls,
			      const struct units *t)
{
	size_t emoji_until = t->emoji_to < n ? t->emoji_to : n;
	struct emoji_scan emoji = {t->emoji_from, n, 0};
	emoji_find(&emoji, u, n, emoji_until);
	struct tally sum = {0, 0, true};
	size_t next_url = 0;
	for (size_t i = 0; i < n;) {
		while (next_url < urls->count && urls->items[next_url].start < i)
			next_url++;
		while (emoji.start < i)
			emoji_find(&emoji, u, n, emoji_until);
		size_t url_start = next_url < urls->count ? urls->items[next_url].start : n;
		if (url_start == i) {
			i = urls->items[next_url].end;
			tally_add(&sum, u[i - 1], i - 1, URL_LENGTH * SCALE);
		} else if (emoji.start == i) {
			i = emoji.end;
			tally_add(&sum, u[i - 1], i - 1, DEFAULT_WEIGHT);
		} else {
			/* plain characters up to the next URL or emoji */
			size_t stop = url_start < emoji.start ? url_start : emoji.start;
			for (; i < stop; i++) {
				if (u[i] < 0x80) { /* the common case: a run of ASCII at once */
					size_t run = i + 1;
					/* four units at a time */
					for (uint64_t w; run + 4 <= stop; run += 4) {
						memcpy(&w, u + run, sizeof w);
						if (w & 0xFF80FF80FF80FF80u)
							break;
					}
					while (run < stop && u[run] < 0x80)
						run++;
					tally_ascii(&sum, i, run);
					i = run - 1;
					continue;
				}
				if (i + 1 < n && high_surrogate(u[i]) && low_surrogate(u[i + 1]))
					i++;
				tally_add(&sum, u[i], i, unit_flags[u[i]] & UNIT_LIGHT ? LIGHT_WEIGHT : DEFAULT_WEIGHT);
			}
		}
	}
	return sum;
}

/*
 * The loop's weight in hundredths, visiting only the URLs and emoji: the text's weight as
 * plain characters, with each entity's span taken back out and its own weight put in.
 * That holds as no entity starts or ends inside a surrogate pair, where the loop would
 * read the pair across its edge: a URL starts at its protocol or at an ASCII domain and
 * ends after a TLD, a port, a path or a query, none of which has surrogates, and the emoji
 * trie has whole characters only (tests/unit/test_tweet.c checks that).
 */
static long entity_weight(const uint16_t *u, size_t n, const struct tweet_url_list *urls,
			  const struct units *t)
{
	size_t emoji_until = t->emoji_to < n ? t->emoji_to : n;
	struct emoji_scan emoji = {t->emoji_from, n, 0};
	emoji_find(&emoji, u, n, emoji_until);
	long sum = (long)(n + t->heavy) * LIGHT_WEIGHT;
	size_t next_url = 0;
	for (size_t i = 0;;) {
		/* as in the loop: an entity that starts inside the last one is not one */
		while (next_url < urls->count && urls->items[next_url].start < i)
			next_url++;
		while (emoji.start < i)
			emoji_find(&emoji, u, n, emoji_until);
		size_t url_start = next_url < urls->count ? urls->items[next_url].start : n;
		if (url_start == n && emoji.start == n)
			return sum;
		bool url = url_start <= emoji.start;
		size_t start = url ? url_start : emoji.start;
		size_t end = url ? urls->items[next_url].end : emoji.end;
		sum += (url ? URL_LENGTH * SCALE : DEFAULT_WEIGHT) -
		       (long)(end - start + heavy_units(u, start, end)) * LIGHT_WEIGHT;
		i = end;
	}
}

ii_err tweet_parse(const char *text, size_t len, struct tweet_parse *out, struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	struct units t;
	t.u = t.local;
	t.n = 0;
	t.cap = LOCAL_UNITS;
	t.emoji_from = t.emoji_to = 0;
	t.heavy = 0;
	t.invalid = false;
	size_t original_units = 0;
	ii_err rc = nfc_units((const uint8_t *)text, len, &t, &original_units, e);
	if (rc) {
		units_free(&t);
		return rc;
	}
	const uint16_t *u = t.u;
	size_t n = t.n;

	/* Both entity lists are found over the whole text, as the library does; the loop
	 * then takes a URL before an emoji that starts at the same unit. */
	struct tweet_url_list urls = {0};
	/* every URL has a dot, and memchr finds none in most texts faster than the URL
	 * search's own check over the units */
	if (memchr(text, '.', len))
		rc = tweet_url_find(u, n, &urls, e);
	if (rc) {
		units_free(&t);
		return rc;
	}
	/* Without an invalid unit and within the limit, the valid part is the whole text, and
	 * the weight is all the loop would tell. A text over the limit as plain characters
	 * goes to the loop at once: it nearly always stays over, and the emoji search would
	 * run twice. */
	const long limit = TWEET_MAX_WEIGHTED_LENGTH * SCALE;
	struct tally sum = {0, n > 0 ? n - 1 : 0, true};
	if (t.invalid || (long)(n + t.heavy) * LIGHT_WEIGHT > limit ||
	    (sum.weighted = entity_weight(u, n, &urls, &t)) > limit)
		sum = tally_all(u, n, &urls, &t);
	out->urls = (int)urls.count;
	tweet_url_free(&urls);
	units_free(&t);

	long weighted = sum.weighted / SCALE;
	out->weighted_length = (int)weighted;
	out->valid = sum.valid && weighted > 0 && weighted <= TWEET_MAX_WEIGHTED_LENGTH;
	out->permillage = (int)(weighted * 1000 / TWEET_MAX_WEIGHTED_LENGTH);
	/* the library adds what normalisation removed, in units of the original text */
	out->valid_range_start = 0;
	out->valid_range_end = (int)((long)sum.valid_display + (long)original_units - (long)n);
	out->display_range_start = 0;
	out->display_range_end = original_units > 0 ? (int)original_units - 1 : 0;
	return II_OK;
}
