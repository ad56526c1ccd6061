#ifndef INCLUINFO_PATH_H
#define INCLUINFO_PATH_H

/*
 * File-system paths. Functions returning char * return a new string the caller frees,
 * or NULL when out of memory.
 */

#include <stddef.h>

#include "error.h"

/* base/rel, or rel itself when it is absolute. */
char *path_resolve(const char *base_dir, const char *rel);

/* The folder part of path ("." when it has none). */
char *path_dirname(const char *path);

/*
 * Reads the start of the file at path, at most limit + 1 bytes so that the caller can
 * tell a file larger than limit (*len > limit), into *buf, a new buffer of limit + 1
 * bytes the caller frees (not NUL-terminated). II_EIO when the file cannot be opened or
 * read, II_ENOMEM; on failure *buf is NULL.
 */
ii_err path_read_limited(const char *path, size_t limit, char **buf, size_t *len,
			 struct ii_error *e);

/* Creates dir and its missing parents with the given mode. */
ii_err path_mkdirs(const char *dir, unsigned mode, struct ii_error *e);

#endif
