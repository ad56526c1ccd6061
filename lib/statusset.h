#ifndef INCLUINFO_STATUSSET_H
#define INCLUINFO_STATUSSET_H

/*
 * Sets of HTTP status codes written as "200-299,301" (codes 100 to 599). A statusset is a
 * plain value: copy it freely, nothing to free.
 */

#include <stdbool.h>

#define STATUSSET_MIN 100
#define STATUSSET_MAX 599

struct statusset {
	unsigned char bits[(STATUSSET_MAX - STATUSSET_MIN + 1 + 7) / 8];
};

/* Parses text into set; false when text is empty or not a list of codes and ranges. */
bool statusset_parse(const char *text, struct statusset *set);
bool statusset_has(const struct statusset *set, long code);

#endif
