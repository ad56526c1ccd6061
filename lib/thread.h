#ifndef INCLUINFO_THREAD_H
#define INCLUINFO_THREAD_H

/*
 * A message cut into the posts of a thread, each one valid on one network as that network
 * counts it (options.counter, lib/text/count.h: X's twitter-text, Mastodon, Bluesky), so
 * that one notice gives a thread per channel.
 * thread_split() returns a struct thread the caller owns and releases with thread_free();
 * the posts' texts belong to it and stay valid until then. The paragraphs passed in are
 * only read during the call.
 *
 * How a message is cut. Each post is the longest run of words that fits, cut back to the
 * latest place of the best kind inside it, in this order of preference:
 * - a paragraph: each paragraph starts a new post (one idea per post), unless
 *   options.pack lets whole paragraphs share a post, separated by a blank line;
 * - a line break kept with options.lines (a list item, a hard break);
 * - the end of a sentence: ".", "!", "?" or "…", perhaps inside quotes or brackets, before
 *   a word that does not start in lower case. A full stop ends no sentence after an
 *   abbreviation ("art. 32.4", "Sr. García", "p. ej.", "EE. UU.", "S.A."), after a list
 *   item's number ("1." at the start of a line) or before a number;
 * - the end of a clause: after ";" or ":", before an opening dash or after a closing one
 *   ("—que varía—"), at a comma before a conjunction or a relative ("…, pero",
 *   "…, porque", "…, que": the words of Spanish, Catalan, Galician and English);
 * - a space between two words, only when none of the above fits.
 * So a sentence that fits in what is left of a post stays whole, and one that does not
 * starts the next post. A post that starts inside a sentence (a clause or a word cut) is
 * worth a warning: thread_cut() tells how each post was parted from the one before, so
 * that lint and preview can name the place and the author can rewrite it.
 * The hashtags that end a paragraph ("… en el Portal. #SeguridadSocial") go with the words
 * before them: a post is never cut so that it or the next holds only those hashtags,
 * unless no other place fits (a post of hashtags alone, "#SeguridadSocial 2/3", tells the
 * reader nothing).
 * Posts are only ever cut at ASCII white space, so a URL, a hashtag or a mention is never
 * cut; a number stays with the unit or symbol after it ("20 %", "1.200 €", "5 min") and a
 * day with its month ("15 de enero"). Inside a paragraph every run of white space becomes
 * one space, and no post starts or ends with white space; with options.lines a run that
 * holds a line break becomes one line break instead.
 *
 * Numbering: when options.numbering is on and the thread has more than one post, every
 * post ends with " n/N" (a space, the post's number, a slash, the number of posts), and
 * that suffix is counted in the post's length. N is the final count: the split is redone
 * until the count agrees with the numbering's width (9 posts may become 10). n/N is the
 * convention of Spanish public accounts, and screen readers read it well ("1 barra 5",
 * or "uno de cinco"); see docs/design.md.
 *
 * The same input and options always give the same posts.
 */

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "text/count.h"

#define THREAD_DEFAULT_MAX_POSTS 25

struct thread_options {
	int limit;        /* length of a post as the counter counts it, 1 to counter->limit */
	bool numbering;   /* " n/N" at the end of each post of a multi-post thread */
	bool pack;        /* let whole paragraphs share a post */
	bool lines;       /* keep the line breaks inside a paragraph */
	size_t max_posts; /* a longer thread is an error; at least 1 */
	/* The line of the source file where each paragraph starts, indexed as the paragraphs
	 * passed to thread_split() (0: unknown), for thread_cut(); NULL: none. Only read
	 * during the call. */
	const int *paragraph_lines;
	/* The network the posts are for; NULL: X with its defaults. Only read during the
	 * call. thread_options_for() sets it with its limit. */
	const struct counter *counter;
};

/* How a post was parted from the one before it, weakest first. */
enum thread_cut_kind {
	THREAD_CUT_NONE,      /* the first post */
	THREAD_CUT_WORD,      /* between two words of a clause */
	THREAD_CUT_CLAUSE,    /* at a clause inside a sentence */
	THREAD_CUT_SENTENCE,
	THREAD_CUT_LINE,
	THREAD_CUT_PARAGRAPH,
};

#define THREAD_CUT_WORD_SIZE 48 /* bytes of a word in struct thread_cut, with its NUL */

struct thread_cut {
	enum thread_cut_kind kind;
	int line; /* options.paragraph_lines of the paragraph the cut is in; 0: unknown */
	/* the words on either side of the cut, a longer one shortened with "…" */
	char before[THREAD_CUT_WORD_SIZE], after[THREAD_CUT_WORD_SIZE];
};

struct thread;

/* The defaults: X (counter NULL), limit 280, numbering on, pack and lines off, at most 25
 * posts, no lines. */
void thread_options_init(struct thread_options *options);
/* The defaults for the network of counter (which must outlive the options' use): its
 * limit, numbering on, and the rest as thread_options_init(). */
void thread_options_for(struct thread_options *options, const struct counter *counter);

/*
 * Splits count paragraphs of UTF-8 text (options NULL: the defaults). Empty paragraphs
 * are skipped. II_EDATA, with a detail that names the problem, when the message is empty
 * or not valid UTF-8, when a word that cannot be cut does not fit in a post ("word
 * 'https://…' does not fit in a post (312 of 280)" on X; other networks are named: "…
 * does not fit in a post on Bluesky (312 of 300)"), when the thread would be longer than
 * options.max_posts, or when an option is out of range; II_ENOMEM when out of memory.
 */
ii_err thread_split(const char *const *paragraphs, size_t count,
		    const struct thread_options *options, struct thread **out, struct ii_error *e);
void thread_free(struct thread *thread);

size_t thread_count(const struct thread *thread);
/* Post i (0-based, below thread_count()), numbering included, NUL-terminated. */
const char *thread_post(const struct thread *thread, size_t i);
/* Its length as the thread's counter counts it (X: tweet_parse()'s weighted length),
 * numbering included. */
int thread_post_length(const struct thread *thread, size_t i);
/* How post i (1 to thread_count() - 1) was parted from post i - 1; NULL for any other i.
 * It belongs to the thread. A kind below THREAD_CUT_SENTENCE cuts a sentence in two. */
const struct thread_cut *thread_cut(const struct thread *thread, size_t i);

/*
 * text, the posts of a thread joined by blank lines (as the store gives a published
 * draft's), without the " n/N" that numbering ended each post with: N is read at the end
 * of text, and " k/N" is taken away where post k ends (followed by a blank line, or at the
 * end for k = N), for k from 1 to N in order. A text that does not hold every one of them
 * so is returned as it is: its posts were not numbered. For the feeds, which carry the
 * whole text and not the posts. A new string the caller frees; NULL when out of memory.
 */
char *thread_unnumbered(const char *text);

#endif
