#ifndef INCLUINFO_PATH_H
#define INCLUINFO_PATH_H

/*
 * File-system paths. Functions returning char * return a new string the caller frees,
 * or NULL when out of memory.
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "error.h"

/* base/rel, or rel itself when it is absolute. */
char *path_resolve(const char *base_dir, const char *rel);

/* The folder part of path ("." when it has none). */
char *path_dirname(const char *path);

/*
 * The one door for reading a file: every file the program reads (configuration,
 * credentials, notices, templates, state files) is opened here, so that nothing waits
 * forever on a FIFO or a device and nothing unbounded is read.
 *
 * path_open_regular() opens path with open(2) flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
 * (mode for O_CREAT) and accepts it only when the open file, by fstat(2), is a regular
 * file: *fd (the caller closes it) and *st. II_EIO otherwise ("not a regular file", "it
 * is a symbolic link" when flags hold O_NOFOLLOW), with *fd -1 and st->st_mode 0 unless
 * the file was opened (then *st tells its kind).
 */
ii_err path_open_regular(const char *path, int flags, unsigned mode, int *fd, struct stat *st,
			 struct ii_error *e);

/*
 * Reads fd (named path in messages) from its offset to its end, but at most limit + 1
 * bytes, so that the caller can tell a file larger than limit (*len > limit), into *buf,
 * a new buffer of limit + 2 bytes the caller frees, NUL-terminated after *len bytes. A
 * read error is II_EIO, never an end of file; II_ENOMEM. On failure *buf is NULL.
 */
ii_err path_read_fd(int fd, const char *path, size_t limit, char **buf, size_t *len,
		    struct ii_error *e);

/* path_open_regular() read-only, then path_read_fd(). */
ii_err path_read_limited(const char *path, size_t limit, char **buf, size_t *len,
			 struct ii_error *e);

/*
 * Opens a state file: path_open_regular() with O_NOFOLLOW and mode 0600 for O_CREAT, so
 * that a link planted beside it is never followed and a file created is private. Refuses
 * a file with other hard links or owned by another user (II_EIO: whoever can write
 * state_dir could plant one), and makes one of ours private (0600) when group or others
 * had access to it.
 */
ii_err path_open_private(const char *path, int flags, int *fd, struct ii_error *e);

/*
 * Checks dir as the state directory. Missing: created (0700, with its parents) when create
 * is set, else II_OK with *exists false. Refused with II_EIO: a symbolic link owned by
 * another user than us or root, anything but a directory, a directory we may not read,
 * enter and write. *open_to_others: group or others have some access to it.
 */
ii_err path_state_dir(const char *dir, bool create, bool *exists, bool *open_to_others,
		      struct ii_error *e);

/* Creates dir and its missing parents with the given mode. */
ii_err path_mkdirs(const char *dir, unsigned mode, struct ii_error *e);

#endif
