#ifndef INCLUINFO_INGEST_H
#define INCLUINFO_INGEST_H
/*
 * From a notice file to its draft: the posts it will be published as (the same for
 * lint, preview and publication), and the draft, maintenance window or manual incident
 * it becomes. Threads returned belong to the caller (thread_free()); everything else is
 * written to the store inside the caller's transaction.
 */
#include "config.h"
#include "diag.h"
#include "draft.h"
#include "error.h"
#include "messages.h"
#include "notice.h"
#include "store.h"
#include "thread.h"

/*
 * The posts of notice n (read from path, for messages): the notice's own thread, and for
 * a maintenance window the announcement template before its body. Problems that need the
 * configuration (a maintenance of a service that is not configured) are found here too.
 * II_EDATA with every problem in diags.
 */
ii_err ingest_thread(const struct notice *n, const char *path, const struct config *cfg,
		     const struct messages *messages, struct thread **out,
		     struct diag_list *diags, struct ii_error *e);

/* The title a draft of n shows: titulo, or what the notice is about. */
void ingest_title(const struct notice *n, const struct config *cfg, char *out, size_t size);

struct ingest_outcome {
	enum draft_change change;
	char draft[37];
	char incident[37]; /* a manual incident the notice opened, or "" */
};

/*
 * Brings the draft of notice n (name: its path inside the notices directory, which
 * identifies it) up to date, with its posts, window or incident; approves it at once
 * when [policy] notices = auto.
 */
ii_err ingest_notice(struct store *store, const struct config *cfg,
		     const struct messages *messages, const struct notice *n, const char *name,
		     const struct thread *thread, const struct draft_actor *actor,
		     struct ingest_outcome *out, struct ii_error *e);
#endif
