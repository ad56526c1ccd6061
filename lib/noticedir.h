#ifndef INCLUINFO_NOTICEDIR_H
#define INCLUINFO_NOTICEDIR_H
/*
 * The notices directory as staff fill it: which files are notices, and reading one
 * safely while an editor may be writing it. noticedir_list() returns an array the caller
 * releases with noticedir_free(); noticedir_read() returns a buffer the caller frees.
 * Nothing here writes to the directory.
 *
 * A notice is a regular file whose name ends in ".md", in the directory or a folder
 * below it. Ignored: hidden files and folders (".x", which covers Emacs' ".#x" locks),
 * editor leftovers ("x~", "x.swp", "x.tmp"), README.md files (the authors' guide lives
 * there) and anything else. A symbolic link is followed only when it leads to a file
 * inside the directory; one that leads outside is refused and reported.
 */
#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "error.h"

#define NOTICEDIR_MAX_FILE (256u * 1024) /* bytes of one notice */
#define NOTICEDIR_MAX_DEPTH 8            /* folders below the directory */

struct noticedir_file {
	char *name; /* relative to the directory, '/'-separated: "2026/pensiones.md" */
	char *path; /* the directory joined with name */
};

/*
 * The notices under dir, sorted by name. Refused symbolic links, and folders and
 * entries below dir that cannot be read, are added to refused ("path: error: ...") and
 * the rest is still listed. II_EIO only when dir itself cannot be read.
 */
ii_err noticedir_list(const char *dir, struct noticedir_file **out, size_t *count,
		      struct diag_list *refused, struct ii_error *e);
void noticedir_free(struct noticedir_file *files, size_t count);

/*
 * Reads the whole file at path into *text (NUL-terminated, *len bytes without the NUL).
 * II_EDATA when it holds more than NOTICEDIR_MAX_FILE bytes; II_EIO when it cannot be
 * read. *changing is set, and nothing returned, when the file changed while it was read
 * (an editor saving it): the caller tries again on its next run.
 */
ii_err noticedir_read(const char *path, char **text, size_t *len, bool *changing,
		      struct ii_error *e);
#endif
