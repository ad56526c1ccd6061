#ifndef INCLUINFO_CLAIMREVIEW_H
#define INCLUINFO_CLAIMREVIEW_H

/*
 * schema.org ClaimReview in JSON-LD, one file per bulo rebuttal
 * (feeds_dir/desmentidos/SLUG.jsonld), for the ministry's page about that rebuttal to
 * embed in a <script type="application/ld+json"> element, so that search engines and
 * fact-check aggregators know the hoax, the verdict and who checked it. The caller
 * describes the rebuttal with plain records; nothing here reads the state store or the
 * configuration.
 *
 * Ownership: the records are the caller's and are only read; the document and the slug
 * are new strings the caller frees.
 *
 * What is written (JSON through cJSON, in its tab-indented layout):
 *   "@context": "https://schema.org", "@type": "ClaimReview", "inLanguage": the
 *       review's language (BCP 47, "es" when not given),
 *   "headline": the rebuttal's title,
 *   "claimReviewed": the hoax on one line (NFC, white space runs made one space), at
 *       most CLAIMREVIEW_CLAIM_MAX characters (Unicode code points, not bytes): a longer
 *       one is cut at the last space that leaves room for a final "…", trailing
 *       punctuation dropped; a single word longer than that is cut between graphemes,
 *   "reviewRating": {"@type": "Rating", "alternateName": the verdict, "ratingValue",
 *       "bestRating": 5, "worstRating": 1} on the scale of claimreview_rating(),
 *   "author": {"@type": "Organization", "name", "url"},
 *   "datePublished": the publication time (ISO 8601 with a numeric offset),
 *   "url": the publisher's url_template with every "{slug}" replaced,
 *   "itemReviewed": {"@type": "Claim", "text": the whole hoax},
 *   "citation": [{"@type": "WebPage", "url": each source}] (when there are sources),
 *   "usageInfo": {"@type": "CreativeWork", "text": the publisher's legal notice} (when
 *       there is one). schema.org has no "disclaimer": usageInfo (of every CreativeWork,
 *       so of a ClaimReview) is "further information about a CreativeWork", a page or a
 *       CreativeWork; a CreativeWork whose text is the notice keeps it valid without
 *       inventing a page, and the rebuttal's page shows the same words from the same data.
 * Texts follow lib/feedout.h's text policy. Every '<' is written "\u003c", so that no
 * text can close the embedding <script> element ("</script>") or open a comment.
 */

#include <stddef.h>
#include <time.h>

#include "error.h"

#define CLAIMREVIEW_CONTENT_TYPE "application/ld+json"
#define CLAIMREVIEW_DIR "desmentidos" /* under feeds_dir */
#define CLAIMREVIEW_CLAIM_MAX 75      /* characters of claimReviewed, Google's limit */
#define CLAIMREVIEW_SLUG_MAX 80       /* bytes of a slug */

struct claimreview_publisher {
	const char *name;         /* "Ministerio de Inclusión, Seguridad Social y Migraciones" */
	const char *url;          /* the ministry's site */
	const char *url_template; /* the rebuttal's page: "https://example.org/bulos/{slug}" */
	const char *legal_notice; /* optional: "La información de esta cuenta tiene carácter…" */
};

struct claimreview {
	const char *title;   /* "Las pensiones no bajarán en enero" */
	const char *claim;   /* the hoax: "Un mensaje dice que las pensiones bajarán un 20 %…" */
	const char *verdict; /* "FALSO", "ESTAFA", "ENGAÑOSO" or "SIN CONTEXTO" */
	const char *language; /* BCP 47, the notice's idioma: "es", "ca"; NULL: "es" */
	const char *slug;    /* from claimreview_slug(), usually of the title */
	time_t published;
	const char *const *sources; /* URLs */
	size_t n_sources;
};

/*
 * The ratingValue of a verdict, on a fixed scale from 1 (worstRating) to 5 (bestRating),
 * as fact-checkers place their verdicts between false and true: FALSO 1, ESTAFA 1 (a
 * scam's claim is as false as a hoax's; alternateName tells them apart), ENGAÑOSO 2,
 * SIN CONTEXTO 3. 4 and 5 are kept for verdicts the channel does not publish (partly
 * true, true). 0 for any other text: the comparison is exact, with the agreed forms a
 * draft's verdict holds (lib/draft.h).
 */
int claimreview_rating(const char *verdict);

/*
 * A file and URL name for text: Spanish accents and other marks folded away (utf8proc:
 * "bajarán" is "bajaran", "ñ" is "n"), lower case ASCII letters and digits, every other
 * run of characters one hyphen, none at either end, at most CLAIMREVIEW_SLUG_MAX bytes
 * (cut at a hyphen when there is one). II_EDATA when nothing is left (no letter or digit)
 * or text is not valid UTF-8.
 */
ii_err claimreview_slug(const char *text, char **out, struct ii_error *e);

/* url_template with every "{slug}" replaced by slug: the rebuttal's page, which its
 * thread links to too (lib/ingest); a new string. II_EDATA when there is no "{slug}". */
ii_err claimreview_url(const char *url_template, const char *slug, char **out,
		       struct ii_error *e);

/* The JSON-LD document into *out (*len bytes, NUL-terminated). II_EDATA, naming the
 * field, for a missing or invalid field, an unknown verdict, a slug that is not one
 * claimreview_slug() makes, or a url_template without "{slug}"; II_ENOMEM. */
ii_err claimreview_render(const struct claimreview_publisher *publisher,
			  const struct claimreview *review, char **out, size_t *len,
			  struct ii_error *e);

/* claimreview_render(), written atomically (mode 0644) to
 * feeds_dir/desmentidos/SLUG.jsonld, creating feeds_dir/desmentidos when missing. */
ii_err claimreview_write(const char *feeds_dir, const struct claimreview_publisher *publisher,
			 const struct claimreview *review, struct ii_error *e);

#endif
