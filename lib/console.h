#ifndef INCLUINFO_CONSOLE_H
#define INCLUINFO_CONSOLE_H

/*
 * The pages of the review console (`incluinfo serve`, issue 15). Each page is a libxml2
 * HTML tree serialised by libxml2's HTML writer: every text that comes from a notice, a
 * person or the store is a text node, escaped when written, so a title full of markup
 * reads as the markup it is and never becomes part of the page. No page holds a script or
 * an inline style (the console's Content-Security-Policy allows neither): the look is
 * console_stylesheet, served as a file of its own, and every change is a plain form.
 *
 * The pages read the store through its owners (drafts, incidents, services) and change
 * nothing; the texts are messages in the language of the run (gettext), the posts are
 * shown as they will be published. Returned documents are new strings the caller frees.
 */

#include <stddef.h>

#include "config.h"
#include "error.h"
#include "store.h"

/* What every page shows besides its subject. */
struct console_view {
	const struct config *cfg;
	const char *viewer; /* the person's name, for the page's header */
	const char *csrf;   /* the token each form sends back (hidden field CONSOLE_CSRF_FIELD) */
	const char *notice; /* what the last action said, shown above the page; NULL: nothing */
};

#define CONSOLE_CSRF_FIELD "csrf"
#define CONSOLE_REASON_FIELD "reason" /* a rejection's reason */

enum console_page {
	CONSOLE_DRAFTS,    /* the drafts in play (pending, approved, failed), newest first */
	CONSOLE_DRAFT,     /* one draft: its thread, changes, audit trail and decision forms */
	CONSOLE_INCIDENTS, /* every incident, newest first, with the drafts of its thread */
	CONSOLE_SERVICES,  /* each configured service's confirmed state and last check */
};

/*
 * The page asked for into *html (a new NUL-terminated string the caller frees) and *len.
 * store may be NULL before the first run made a database: lists are then empty. id is
 * CONSOLE_DRAFT's draft (a UUID; ignored by the others). II_EDATA when there is no such
 * draft, II_ENOMEM, and the store's errors.
 */
ii_err console_page(struct store *store, const struct console_view *view, enum console_page page,
		    const char *id, char **html, size_t *len, struct ii_error *e);

/* A page that only says something: title as its heading, text below it (a refusal, a page
 * that does not exist). view->csrf may be NULL. */
ii_err console_message_page(const struct console_view *view, const char *title, const char *text,
			    char **html, size_t *len, struct ii_error *e);

/* The pages' stylesheet (CSS), served at CONSOLE_STYLESHEET_PATH. */
extern const char console_stylesheet[];
#define CONSOLE_STYLESHEET_PATH "/console.css"

/* One piece of the difference between two texts: text (len bytes, pointing into the old
 * text for CONSOLE_SAME and CONSOLE_REMOVED, into the new one for CONSOLE_ADDED). */
struct console_change {
	enum { CONSOLE_SAME, CONSOLE_REMOVED, CONSOLE_ADDED } kind;
	const char *text;
	size_t len;
};

/*
 * What changed from old to new, word by word (a word keeps the white space after it), as
 * the longest common subsequence of their words finds it: pieces in reading order (pieces
 * of one kind that follow each other in their text joined into one), into *out (the caller frees the array; the texts stay
 * old's and new's). Texts of more than CONSOLE_DIFF_MAX_WORDS words are shown as all
 * removed and all added, which bounds the table to 8 MiB (a thread of 25 posts has some
 * 1,200 words). II_ENOMEM.
 */
#define CONSOLE_DIFF_MAX_WORDS 2000
ii_err console_diff(const char *old, const char *new, struct console_change **out,
		    size_t *count, struct ii_error *e);

#endif
