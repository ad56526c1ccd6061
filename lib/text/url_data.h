#ifndef INCLUINFO_URL_DATA_H
#define INCLUINFO_URL_DATA_H

/*
 * twitter-text's URL character classes and TLD lists, generated into url_data.c by
 * lib/text/gen/url_data.js from the installed npm package. Everything is in UTF-16 code
 * units, as the package's regular expressions see text.
 */

#include <stdint.h>

enum url_class_id {
	URL_PRECEDING,    /* may stand just before a URL (validUrlPrecedingChars) */
	URL_DOMAIN,       /* validDomainChars */
	URL_PATH_GENERAL, /* validGeneralUrlPathChars */
	URL_PATH_ENDING,  /* the single characters of validUrlPathEndingChars */
	URL_QUERY,        /* validUrlQueryChars */
	URL_QUERY_ENDING, /* validUrlQueryEndingChars */
	URL_ASCII_DOMAIN, /* a label character of validAsciiDomain */
	URL_TLD_FOLLOW,   /* may follow a TLD: [^0-9a-zA-Z@+-] */
	URL_CLASS_COUNT
};

struct url_range {
	uint16_t lo, hi;
};

struct url_class {
	const struct url_range *ranges;
	unsigned count;
};

struct url_fold {
	uint16_t from, to; /* what a case-insensitive match compares */
};

/* A TLD, folded; rank is its place in the package's alternation, generic TLDs then
 * country TLDs: where several fit, the lowest rank is the match. */
struct url_tld {
	unsigned char len;
	uint16_t rank;
	uint16_t units[24];
};

extern const struct url_class url_classes[URL_CLASS_COUNT];
extern const struct url_fold url_folds[];
extern const unsigned url_fold_count;
/* The all-ASCII TLDs, sorted by units; the others, sorted by first unit, then rank. */
extern const struct url_tld url_ascii_tlds[], url_other_tlds[];
extern const unsigned url_ascii_tlds_count, url_other_tlds_count;

#endif
