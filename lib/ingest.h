#ifndef INCLUINFO_INGEST_H
#define INCLUINFO_INGEST_H
/*
 * From a notice file to its draft: the posts it will be published as (the same for
 * lint, preview and publication), and the draft, maintenance window or manual incident
 * it becomes. Notices and threads returned belong to the caller (notice_free(),
 * thread_free()); an ingest report is the caller's, released with ingest_report_free().
 * ingest_dir() writes each notice in a transaction of its own.
 */
#include "config.h"
#include "diag.h"
#include "draft.h"
#include "error.h"
#include "messages.h"
#include "notice.h"
#include "noticedir.h"
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
/* The same on the network of counter (lib/text/count.h; NULL: X, as ingest_thread()). */
ii_err ingest_thread_for(const struct notice *n, const char *path, const struct config *cfg,
			 const struct messages *messages, const struct counter *counter,
			 struct thread **out, struct diag_list *diags, struct ii_error *e);

/*
 * Reads, validates and splits the notice at path. II_OK with *notice and *thread set, or
 * with *changing set and nothing read when the file changed while it was read (an editor
 * saving it). II_EDATA with the problems in diags (a file over NOTICEDIR_MAX_FILE too).
 * With people configured ([person ID]), autor must name one of them (people_by_name())
 * with the author role, or it is an error at the autor line. *author (author may be NULL)
 * receives the person autor names, also when the notice is invalid for another reason, so
 * that they can be told; NULL when it names nobody or the file was not read that far.
 */
ii_err ingest_read(const char *path, const struct config *cfg, const struct messages *messages,
		   struct notice **notice, struct thread **thread, bool *changing,
		   const struct config_person **author, struct diag_list *diags, struct ii_error *e);

/*
 * Whether a post of thread, the notice at path, repeats a post already sent on X by
 * another draft, or an earlier post of its own (draft_find_repeat()): each such post is
 * an error in diags, naming the earlier draft, and the result II_EDATA. The notice's own
 * draft (the one made from the file of the same name in cfg->notices_dir) does not count.
 * store may be NULL (no database yet).
 */
ii_err ingest_check_repeats(struct store *store, const struct config *cfg, const char *path,
			    const struct thread *thread, struct diag_list *diags, struct ii_error *e);

/* The title a draft of n shows: titulo, or what the notice is about; a new string the
 * caller frees. II_EDATA, in diags too, when it is DRAFT_TITLE_SIZE bytes or longer (the
 * draft would not hold it whole); II_ENOMEM. */
ii_err ingest_title(const struct notice *n, const char *path, const struct config *cfg,
		    char **out, struct diag_list *diags, struct ii_error *e);

/*
 * The single post of n's draft (lib/cut's cut_single()): its title and a link to its whole
 * text, the rebuttal's page ([feeds] rebuttal_url with the title's slug) for a bulo, else
 * the Atom feed of notices ([feeds] base_url + FEEDS_NOTICES_FILE), which carries every
 * notice's whole text. *out (a new string) and *length (on X) are NULL and 0 when the feeds
 * have no public address. II_EDATA, in diags too (at the title's line), when the title
 * cannot be cut to fit X with the link; II_ENOMEM.
 */
ii_err ingest_single_post(const struct notice *n, const char *path, const struct config *cfg,
			  char **out, int *length, struct diag_list *diags, struct ii_error *e);

enum ingest_fate {
	INGEST_DRAFTED, /* change says how its draft moved */
	INGEST_RETRY,   /* changed while it was read: the next run reads the finished file */
	INGEST_INVALID, /* error.code is II_EDATA, diags the problems (may be empty) */
	INGEST_FAILED,  /* error says why; the notice may be fine */
};

struct ingest_item {
	const char *name; /* inside the notices directory; lives as long as the report */
	const char *path;
	enum ingest_fate fate;
	enum draft_change change;
	char draft[37];
	char incident[37]; /* a manual incident the notice opened, or "" */
	struct diag_list *diags;
	struct ii_error error;
	const struct config_person *author; /* whom autor names, NULL: nobody (ingest_read()) */
};

struct ingest_report {
	struct ingest_item *items; /* one per notice, sorted by name */
	size_t count;
	struct diag_list *refused; /* links leading outside the directory, unreadable folders */
	struct noticedir_file *files; /* the listing that the items' names point into */
};

/*
 * Brings the draft of every notice in cfg->notices_dir up to date (new, revised, back to
 * pending when changed after approval, never republished when changed after publication),
 * with its posts, window or incident, each notice in one transaction of store; approves
 * it at once when [policy] notices = auto. A notice that fails is reported in its item
 * and the others are still read. Fails only when the directory cannot be listed or
 * memory runs out.
 */
ii_err ingest_dir(struct store *store, const struct config *cfg, const struct messages *messages,
		  const struct draft_actor *actor, struct ingest_report *out, struct ii_error *e);
void ingest_report_free(struct ingest_report *rep);
#endif
