#ifndef INCLUINFO_THREAD_H
#define INCLUINFO_THREAD_H

/*
 * A message cut into the posts of a thread, each one valid as X counts it (lib/tweet).
 * thread_split() returns a struct thread the caller owns and releases with thread_free();
 * the posts' texts belong to it and stay valid until then. The paragraphs passed in are
 * only read during the call.
 *
 * How a message is cut, in order of preference:
 * - at paragraph boundaries: each paragraph starts a new post (one idea per post), unless
 *   options.pack lets whole paragraphs share a post, separated by a blank line;
 * - then at sentence boundaries: a sentence that does not fit in what is left of the
 *   current post starts the next one;
 * - then at word boundaries, only for a sentence longer than a whole post.
 * Posts are only ever cut at ASCII white space, so a URL, a hashtag or a mention is never
 * cut; a number stays with the unit or symbol after it ("20 %", "1.200 €", "5 min") and a
 * day with its month ("15 de enero"). Inside a paragraph every run of white space becomes
 * one space, and no post starts or ends with white space; with options.lines a run that
 * holds a line break becomes one line break instead (a list item, a hard break), and a
 * post is cut there rather than inside a sentence.
 *
 * Numbering: when options.numbering is on and the thread has more than one post, every
 * post ends with " n/N" (a space, the post's number, a slash, the number of posts), and
 * that suffix is counted in the post's length. N is the final count: the split is redone
 * until the count agrees with the numbering's width (9 posts may become 10).
 *
 * The same input and options always give the same posts.
 */

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define THREAD_DEFAULT_MAX_POSTS 25

struct thread_options {
	int limit;        /* weighted length of a post, 1 to TWEET_MAX_WEIGHTED_LENGTH */
	bool numbering;   /* " n/N" at the end of each post of a multi-post thread */
	bool pack;        /* let whole paragraphs share a post */
	bool lines;       /* keep the line breaks inside a paragraph */
	size_t max_posts; /* a longer thread is an error; at least 1 */
};

struct thread;

/* The defaults: limit 280, numbering on, pack and lines off, at most 25 posts. */
void thread_options_init(struct thread_options *options);

/*
 * Splits count paragraphs of UTF-8 text (options NULL: the defaults). Empty paragraphs
 * are skipped. II_EDATA, with a detail that names the problem, when the message is empty
 * or not valid UTF-8, when a word that cannot be cut does not fit in a post ("word
 * 'https://…' does not fit in a post (312 of 280)"), when the thread would be longer than
 * options.max_posts, or when an option is out of range; II_ENOMEM when out of memory.
 */
ii_err thread_split(const char *const *paragraphs, size_t count,
		    const struct thread_options *options, struct thread **out, struct ii_error *e);
void thread_free(struct thread *thread);

size_t thread_count(const struct thread *thread);
/* Post i (0-based, below thread_count()), numbering included, NUL-terminated. */
const char *thread_post(const struct thread *thread, size_t i);
/* Its weighted length as tweet_parse() counts it, numbering included. */
int thread_post_length(const struct thread *thread, size_t i);

#endif
