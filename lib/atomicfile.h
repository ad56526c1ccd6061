#ifndef INCLUINFO_ATOMICFILE_H
#define INCLUINFO_ATOMICFILE_H

/*
 * Replacing a file so that a reader (a web server serving the feeds) sees either the old
 * content or the new one, never a part, and a crash leaves one of the two on disk.
 * Ownership: nothing is allocated for the caller; data stays the caller's.
 */

#include <stddef.h>

#include "error.h"

/*
 * Writes len bytes of data to path: a temporary file ATOMICFILE_PREFIX "NAME.XXXXXX" in
 * path's own folder (mkstemp, so it is on the same file system and the web server, which
 * hides dot files, does not serve it), every byte written, mode set to mode (mkstemp's 0600 would hide a
 * feed from the web server), fsync, rename over path, then fsync of the folder so the
 * rename itself survives a crash. The folder must exist.
 *
 * First the temporaries of a write killed before its rename (kill -9, power cut) are
 * removed from the folder: every regular file of ours named ATOMICFILE_PREFIX "*.XXXXXX",
 * and ".NAME.XXXXXX" (0.1.0's name). So there must be one writer at a time per folder
 * (the feeds are written under the run lock); a leftover lasts until the next write.
 *
 * On any failure before the rename, path keeps its old content (or stays absent) and the
 * temporary file is removed: II_EIO, detail naming the file and the system's reason. A
 * failure of the folder's fsync after the rename is II_EIO too, but path already holds
 * the new content.
 */
#define ATOMICFILE_PREFIX ".incluinfo-tmp."

/* Removes from dir the temporaries of ours (ATOMICFILE_PREFIX "*.XXXXXX", regular files
 * we own) that a write killed before its rename left, without writing anything: so that
 * a folder nobody writes to again does not keep them. A missing dir is no error. */
ii_err atomicfile_tidy(const char *dir, struct ii_error *e);

ii_err atomicfile_write(const char *path, const void *data, size_t len, unsigned mode,
			struct ii_error *e);

#endif
