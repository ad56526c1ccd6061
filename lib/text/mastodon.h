#ifndef INCLUINFO_MASTODON_H
#define INCLUINFO_MASTODON_H

/*
 * Mastodon's post length (lib/text/count.h gives the common interface), as its
 * StatusLengthValidator counts it (mastodon/mastodon, app/validators/
 * status_length_validator.rb, 4.x):
 *
 *   countable_length(countable_text(status.text)) > max_chars
 *   countable_length(str) = str.each_grapheme_cluster.size   (4.2: mb_chars.grapheme_length)
 *
 * that is, extended grapheme clusters (not code points: "👨‍👩‍👧" is 1, "é" written
 * e + U+0301 is 1), of the text in which countable_text() has replaced:
 * - every URL by URL_PLACEHOLDER, 23 "x" (the instance reports it as
 *   configuration.statuses.characters_reserved_per_url of GET /api/v2/instance); URLs are
 *   found by twitter-text's extractor with extract_url_without_protocol: false, so only
 *   a link written with its scheme counts so ("https://…", "http://…"); a bare domain
 *   ("seg-social.es") counts every character;
 * - every mention "@user@domain" by "@user": Account::MENTION_RE,
 *   (?<![=/[:word:]])@(([a-z0-9_]+([.-]+[a-z0-9_]+)*)(?:@[[:word:]]+([.-]+[[:word:]]+)*)?)
 *   without case, not followed by "@", a Latin accented letter or "://", and with a domain
 *   of at most 253 characters (app/lib/extractor.rb);
 * keeping the earlier of two entities that overlap. The limit is the instance's
 * (configuration.statuses.max_characters, 500 by default).
 *
 * URLs here are those of lib/text/tweet_url.c (twitter-text 3.1.0's extractor, with its TLD
 * list) that start with http:// or https://. Mastodon 4.x widens twitter-text's path
 * characters (config/initializers/twitter_regex.rb) and accepts a few more schemes
 * (gemini://, ipfs://…); where it takes a longer URL than twitter-text does, the part left
 * over is counted here character by character, so the count errs long, never short.
 */

#include <stddef.h>

#include "error.h"

#define MASTODON_DEFAULT_LIMIT 500
#define MASTODON_DEFAULT_URL_LENGTH 23

/* The length of len bytes of UTF-8 text, each URL counted as url_length characters.
 * II_EDATA when the text is not valid UTF-8; II_ENOMEM. */
ii_err mastodon_length(const char *text, size_t len, int url_length, int *out,
		       struct ii_error *e);

#endif
