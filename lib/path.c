#include "i18n.h"
#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *path_resolve(const char *base_dir, const char *rel)
{
	char *out;
	if (rel[0] == '/' || !base_dir || !strcmp(base_dir, "."))
		return strdup(rel);
	return asprintf(&out, "%s/%s", base_dir, rel) < 0 ? NULL : out;
}

ii_err path_open_regular(const char *path, int flags, unsigned mode, int *fd, struct stat *st,
			 struct ii_error *e)
{
	/* O_NONBLOCK: opening a FIFO or a device must not wait for a writer; it changes
	 * nothing for a regular file, the only kind taken */
	st->st_mode = 0;
	*fd = open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, (mode_t)mode);
	if (*fd < 0)
		return ii_fail(e, II_EIO, _("cannot open '%s': %s"), path,
			       errno == ELOOP && (flags & O_NOFOLLOW) ? _("it is a symbolic link")
								      : strerror(errno));
	ii_err rc = II_OK;
	if (fstat(*fd, st) < 0)
		rc = ii_fail(e, II_EIO, _("cannot open '%s': %s"), path, strerror(errno));
	else if (!S_ISREG(st->st_mode))
		rc = ii_fail(e, II_EIO, _("cannot open '%s': not a regular file"), path);
	if (rc) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

ii_err path_read_fd(int fd, const char *path, size_t limit, char **buf, size_t *len,
		    struct ii_error *e)
{
	*buf = NULL;
	*len = 0;
	char *data = malloc(limit + 2);
	if (!data)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	size_t got = 0;
	while (got <= limit) {
		ssize_t n = read(fd, data + got, limit + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ii_err rc = ii_fail(e, II_EIO, _("cannot read '%s': %s"), path, strerror(errno));
			free(data);
			return rc;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	data[got] = '\0';
	*buf = data;
	*len = got;
	return II_OK;
}

ii_err path_read_limited(const char *path, size_t limit, char **buf, size_t *len,
			 struct ii_error *e)
{
	*buf = NULL;
	*len = 0;
	int fd;
	struct stat st;
	ii_err rc = path_open_regular(path, O_RDONLY, 0, &fd, &st, e);
	if (rc)
		return rc;
	rc = path_read_fd(fd, path, limit, buf, len, e);
	close(fd);
	return rc;
}

ii_err path_open_private(const char *path, int flags, int *fd, struct ii_error *e)
{
	struct stat st;
	ii_err rc = path_open_regular(path, flags | O_NOFOLLOW, 0600, fd, &st, e);
	if (rc)
		return rc;
	if (st.st_nlink > 1)
		rc = ii_fail(e, II_EIO, _("cannot open '%s': it has other hard links"), path);
	else if (st.st_uid != geteuid())
		/* someone who can write state_dir planted it: approved drafts, say, to publish */
		rc = ii_fail(e, II_EIO, _("cannot open '%s': it belongs to uid %ld, not to this user"),
			     path, (long)st.st_uid);
	else if ((st.st_mode & 077) && fchmod(*fd, st.st_mode & 0700) < 0)
		rc = ii_fail(e, II_EIO, _("cannot make '%s' private: %s"), path, strerror(errno));
	if (rc) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

ii_err path_state_dir(const char *dir, bool create, bool *exists, bool *open_to_others,
		      struct ii_error *e)
{
	*exists = false;
	*open_to_others = false;
	struct stat st;
	if (lstat(dir, &st) < 0 && errno == ENOENT) {
		if (!create)
			return II_OK;
		ii_err rc = path_mkdirs(dir, 0700, e);
		if (rc)
			return rc;
	}
	if (lstat(dir, &st) < 0)
		return ii_fail(e, II_EIO, _("cannot use state directory '%s': %s"), dir, strerror(errno));
	/* whoever owns the link decides where the state goes */
	if (S_ISLNK(st.st_mode) && st.st_uid != geteuid() && st.st_uid != 0)
		return ii_fail(e, II_EIO,
			       _("cannot use state directory '%s': a symbolic link owned by another user (uid %u)"),
			       dir, (unsigned)st.st_uid);
	if (stat(dir, &st) < 0)
		return ii_fail(e, II_EIO, _("cannot use state directory '%s': %s"), dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ii_fail(e, II_EIO, _("cannot use state directory '%s': not a directory"), dir);
	/* readers too: SQLite's WAL readers write the shared-memory file beside the database */
	if (faccessat(AT_FDCWD, dir, R_OK | W_OK | X_OK, AT_EACCESS) < 0)
		return ii_fail(e, II_EIO, _("cannot use state directory '%s': %s"), dir, strerror(errno));
	*exists = true;
	*open_to_others = (st.st_mode & 077) != 0;
	return II_OK;
}

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

ii_err path_mkdirs(const char *dir, unsigned mode, struct ii_error *e)
{
	char *copy = strdup(dir);
	if (!copy)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST) {
			ii_err rc = ii_fail(e, II_EIO, _("cannot create directory '%s': %s"), copy,
					    strerror(errno));
			free(copy);
			return rc;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(copy);
	struct stat st;
	if (stat(dir, &st) < 0)
		return ii_fail(e, II_EIO, _("cannot use '%s': %s"), dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ii_fail(e, II_EIO, _("cannot use '%s': Not a directory"), dir);
	return II_OK;
}
