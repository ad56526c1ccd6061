#ifndef INCLUINFO_BSKY_H
#define INCLUINFO_BSKY_H

/*
 * Bluesky's text rules (lib/text/count.h gives the common interface).
 *
 * Length: a post's text (app.bsky.feed.post, field text) holds at most 300 graphemes and
 * 3000 UTF-8 bytes (the lexicon's maxGraphemes and maxLength). Graphemes are Unicode's
 * extended grapheme clusters: utf8proc here, Intl.Segmenter in @atproto/api's
 * RichText.graphemeLength. The two agree except where their Unicode versions differ
 * (utf8proc 2.8 has Unicode 15.0, without 15.1's rule that keeps an Indic conjunct, such
 * as Devanagari क्ष, in one grapheme: such a conjunct counts 2 here, 1 there, so the count
 * errs long, never short).
 *
 * Facets: links, tags and mentions are not found by the network in the text; the client
 * sends them as facets, each a range of UTF-8 BYTES of the text (byteStart inclusive,
 * byteEnd exclusive) with a feature: app.bsky.richtext.facet#link (uri),
 * app.bsky.richtext.facet#tag (tag) or app.bsky.richtext.facet#mention (did).
 * bsky_detect() finds them exactly as @atproto/api's RichText.detectFacetsWithoutResolution()
 * does (@atproto/api 0.19, src/rich-text/detection.ts and util.ts), which
 * tests/oracle/bsky_diff.js checks on a corpus of 20,000 strings:
 * - a mention is "@" and a handle ([A-Za-z0-9.-], ending at a word boundary) after the
 *   start, white space or "(", whose last label is a known TLD (the npm package `tlds`,
 *   case-sensitive: lib/text/bsky_tlds.c) or ".test". The mention facet needs the
 *   account's DID, which only the network can tell: detection reports the handle, and
 *   the channel that publishes resolves it (com.atproto.identity.resolveHandle);
 * - a link is "http://" or "https://" and every character up to white space, or a bare
 *   domain ([a-z][a-z0-9]*(.[a-z0-9]+)+, any case, with a known TLD in lower case, and no
 *   hyphen) with what follows up to white space, after the start, white space or "(";
 *   a final . , ; : ! or ? is left out, then a final ")" when the link has no "(". A bare
 *   domain's URI is "https://" and the text;
 * - a tag is "#" (or "＃") after the start or white space, and the characters up to white
 *   space or a zero-width character, holding one that is not a digit or punctuation,
 *   not starting with U+FE0F, with its final punctuation left out, at most 64 UTF-16 code
 *   units long (the package counts code units, not graphemes);
 * - a cashtag is "$" and a letter and at most 4 letters or digits, after the start, white
 *   space or "(", followed by white space, the end or one of . , ; : ! ? ) " ' ’: a tag
 *   facet whose tag is "$" and the ticker in capitals.
 * The facets come sorted by byteStart. They may overlap ("https://a.es/(@b.com"), as the
 * package's do.
 *
 * Shortened links: the official app (bluesky-social/social-app, shortenLinks() and
 * toShortUrl() in src/lib/strings) shows a link as its host, then its path, query and
 * fragment ("/" alone left out) cut to their first 13 characters and "..." when they are
 * longer than 15, and keeps the full address in the link facet; the 300 graphemes count the
 * shortened text. bsky_shorten() does the same for a link written with http:// or https://
 * whose address is plain: the host of letters, digits, dots and hyphens (any case,
 * written in lower case) not ending in a number, an optional port (left out when it is the
 * scheme's default), and in the rest only the characters of RFC 3986 (no "'", no "@"
 * before the path, no "." or ".." segment). Any other link is shown whole: the app would
 * convert it to punycode or percent-encode it first, and a link shown whole is never
 * counted short. A bare domain is shown as written, as the app does.
 */

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define BSKY_MAX_GRAPHEMES 300
#define BSKY_MAX_BYTES 3000

enum bsky_feature {
	BSKY_LINK,
	BSKY_TAG,
	BSKY_MENTION,
};

struct bsky_facet {
	size_t byte_start, byte_end; /* [byte_start, byte_end) in the text's UTF-8 bytes */
	enum bsky_feature feature;
	char *value; /* link: the URI; tag: the tag without "#"; mention: the handle without
		      * "@" (to be resolved to a DID) */
};

struct bsky_facets {
	struct bsky_facet *items;
	size_t count, cap;
};

/* "app.bsky.richtext.facet#link", "…#tag", "…#mention": the features' $type. */
const char *bsky_feature_type(enum bsky_feature feature);

/* The facets of len bytes of UTF-8 text, into *out (emptied first; release it with
 * bsky_facets_free()). II_EDATA when the text is not valid UTF-8; II_ENOMEM. */
ii_err bsky_detect(const char *text, size_t len, struct bsky_facets *out, struct ii_error *e);

/* The text as published: links shortened (see above), as a new NUL-terminated string in
 * *display that the caller frees, and the facets of that text in *facets (may be NULL),
 * each link facet with its full URI. II_EDATA, II_ENOMEM. */
ii_err bsky_shorten(const char *text, size_t len, char **display, struct bsky_facets *facets,
		    struct ii_error *e);

void bsky_facets_free(struct bsky_facets *facets);

/* The TLDs of the npm package tlds, sorted by strcmp() (generated: lib/text/bsky_tlds.c). */
extern const char *const bsky_tlds[];
extern const size_t bsky_tld_count;

#endif
