#include "statusset.h"

#include <ctype.h>
#include <string.h>

static void add(struct statusset *set, int code)
{
	int bit = code - STATUSSET_MIN;
	set->bits[bit / 8] |= (unsigned char)(1u << (bit % 8));
}

bool statusset_has(const struct statusset *set, long code)
{
	if (code < STATUSSET_MIN || code > STATUSSET_MAX)
		return false;
	long bit = code - STATUSSET_MIN;
	return set->bits[bit / 8] & (1u << (bit % 8));
}

/* Reads a three-digit code at *p, skipping blanks around it. */
static bool read_code(const char **p, int *code)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]) || isdigit((unsigned char)s[3]))
		return false;
	*code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	s += 3;
	while (*s == ' ' || *s == '\t')
		s++;
	*p = s;
	return *code >= STATUSSET_MIN && *code <= STATUSSET_MAX;
}

bool statusset_parse(const char *text, struct statusset *set)
{
	struct statusset parsed;
	memset(&parsed, 0, sizeof parsed);
	const char *p = text;
	for (;;) {
		int lo, hi;
		if (!read_code(&p, &lo))
			return false;
		hi = lo;
		if (*p == '-') {
			p++;
			if (!read_code(&p, &hi) || hi < lo)
				return false;
		}
		for (int c = lo; c <= hi; c++)
			add(&parsed, c);
		if (*p == '\0')
			break;
		if (*p++ != ',')
			return false;
	}
	*set = parsed;
	return true;
}
