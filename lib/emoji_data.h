#ifndef INCLUINFO_EMOJI_DATA_H
#define INCLUINFO_EMOJI_DATA_H

/*
 * twemoji-parser's emoji regular expression as a table of nodes over UTF-16 code units,
 * generated into emoji_data.c by lib/gen/emoji_data.js. UNIT matches one unit in
 * [a, b]; the others hold b children starting at emoji_kids[a]: SEQ in order, ALT the
 * first that matches (leftmost, as JavaScript), OPT greedy, NOT a negative lookahead.
 * A node that cannot match empty can only start with a unit in [first_lo, first_hi].
 */

enum emoji_op { EMOJI_UNIT, EMOJI_SEQ, EMOJI_ALT, EMOJI_OPT, EMOJI_NOT };

struct emoji_node {
	unsigned char op;
	unsigned a, b;
	unsigned short first_lo, first_hi;
	unsigned char empty;
};

extern const struct emoji_node emoji_nodes[];
extern const unsigned short emoji_kids[];
extern const unsigned emoji_root;

/* The units an emoji can start with, sorted ranges. */
struct emoji_range {
	unsigned short lo, hi;
};
extern const struct emoji_range emoji_starts[];
extern const unsigned emoji_starts_count;

#endif
