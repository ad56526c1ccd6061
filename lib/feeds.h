#ifndef INCLUINFO_FEEDS_H
#define INCLUINFO_FEEDS_H
/*
 * The open feeds of everything published, regenerated from the state store into
 * feeds_dir: incidencias.atom (incident and maintenance posts), avisos.atom (rebuttals and
 * notices), cap/ (one CAP 1.2 message per incident post, and cap/index.atom) and
 * desmentidos/SLUG.jsonld (a ClaimReview per rebuttal). Each file is written atomically by
 * the writers (lib/atom, lib/cap, lib/claimreview). Nothing is allocated for the caller.
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "config.h"
#include "error.h"
#include "store.h"

#define FEEDS_INCIDENTS_FILE "incidencias.atom"
#define FEEDS_NOTICES_FILE "avisos.atom"
/* An entry links to the draft's post on X ("alternate") and on at most this many other
 * channels, those with a public_url ("related", titled with the network's name). */
#define FEEDS_CHANNEL_LINKS 4

struct feeds_summary {
	size_t incident_entries;
	size_t notice_entries;
	size_t cap_messages;
	size_t claim_reviews;
};

/* Writes every feed as of now, removing the files of what is no longer published, and
 * records in store which publications and retractions they reflect. II_ECONFIG when
 * [feeds] base_url is not set. */
ii_err feeds_write(struct store *store, const struct config *cfg, time_t now,
		   struct feeds_summary *out, struct ii_error *e);

/* Whether something was published or retracted since the feeds were last written (also
 * when they never were and something is published): a write that failed, on a full disk,
 * is caught up by the next run. */
ii_err feeds_stale(struct store *store, bool *stale, struct ii_error *e);

/* Removes the temporaries a write killed before its rename left in feeds_dir, cap/ and
 * desmentidos/ (atomicfile_tidy()), so that none outlives the next run in a served folder
 * even when nothing is written again. */
ii_err feeds_tidy(const struct config *cfg, struct ii_error *e);
#endif
