#ifndef INCLUINFO_EMOJI_DATA_H
#define INCLUINFO_EMOJI_DATA_H

/*
 * twemoji-parser's emoji regular expression as a trie over UTF-16 code units, generated
 * into emoji_data.c by lib/text/gen/emoji_data.js. Static tables only, nothing to free.
 *
 * State 0 is the root. A state's edges are sorted by unit. A state where a sequence of
 * the expression ends holds that sequence's rank, the order in which JavaScript's
 * backtracking tries it: of the sequences that match at a position, the lowest rank is
 * the match. rank_unless_lookahead is a sequence that matches only when the unit after it
 * is not EMOJI_LOOKAHEAD_UNIT (the expression's negative lookahead).
 */

#include <stdint.h>

#define EMOJI_NO_RANK 0xFFFF
#define EMOJI_LOOKAHEAD_UNIT 0xFE0E

struct emoji_edge {
	uint16_t unit, state;
};

struct emoji_state {
	uint16_t first_edge, edge_count;
	uint16_t rank, rank_unless_lookahead;
};

/* Bit u of the BMP is set when an emoji can start with unit u. */
extern const uint64_t emoji_start_bits[1024];
extern const struct emoji_state emoji_states[];
extern const struct emoji_edge emoji_edges[];

#endif
