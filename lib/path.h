#ifndef INCLUINFO_PATH_H
#define INCLUINFO_PATH_H

/*
 * File-system paths. Functions returning char * return a new string the caller frees,
 * or NULL when out of memory.
 */

#include "error.h"

/* base/rel, or rel itself when it is absolute. */
char *path_resolve(const char *base_dir, const char *rel);

/* The folder part of path ("." when it has none). */
char *path_dirname(const char *path);

/* Creates dir and its missing parents with the given mode. */
ii_err path_mkdirs(const char *dir, unsigned mode, struct ii_error *e);

#endif
