#ifndef INCLUINFO_CONDITION_H
#define INCLUINFO_CONDITION_H
/*
 * Conditions: what keeps the cron cycle from doing its job for longer than one run (the
 * monitor offline, runs cut by run_timeout, posting paused, the X account refused or
 * unreachable). The module owns the store's condition table: one row per active condition,
 * keyed by a short name that the caller chooses, with a one-line detail, when it started
 * (since), when it was last seen and when it was last reported. It never prints: it tells
 * the caller whether a condition started, changed or ended, so that the caller reports each
 * change once and not on every run. Records are copied into the caller's structs.
 */
#include <stddef.h>
#include <time.h>

#include "error.h"
#include "store.h"

#define CONDITION_KEY_SIZE 32
#define CONDITION_DETAIL_SIZE 512

struct condition {
	char key[CONDITION_KEY_SIZE];
	char detail[CONDITION_DETAIL_SIZE]; /* one line: problem first, no full stop */
	time_t since;       /* when it started */
	time_t seen_at;     /* the last run that found it */
	time_t reported_at; /* when it was last reported: its start or its last change */
};

enum condition_change {
	CONDITION_SAME,    /* as it was: active with the same detail, or still absent */
	CONDITION_STARTED, /* it was absent */
	CONDITION_CHANGED, /* active before, with another detail */
	CONDITION_ENDED,   /* active before, absent now */
};

/*
 * Records what a run found of condition key (at most CONDITION_KEY_SIZE - 1 bytes) at
 * now: detail, when it holds (truncated to CONDITION_DETAIL_SIZE - 1 bytes), or NULL when
 * the run found it absent. A caller that could not tell does not call. *change says how
 * it moved; *before receives the record as it was (zeroed when there was none), for the
 * length of a condition that ended. Runs in the caller's transaction, or its own.
 */
ii_err condition_note(struct store *store, const char *key, const char *detail, time_t now,
		      enum condition_change *change, struct condition *before, struct ii_error *e);

/* The active conditions, oldest first, into *out, a new array of *count that the caller
 * frees (NULL and 0 when there is none). */
ii_err condition_list(struct store *store, struct condition **out, size_t *count,
		      struct ii_error *e);
#endif
