#include "atomicfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "path.h"

/* Writes all of data to fd, through short writes and signals. */
static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static ii_err fsync_dir(const char *dir, struct ii_error *e)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ii_fail(e, II_EIO, _("cannot open directory '%s': %s"), dir, strerror(errno));
	int rc = fsync(fd);
	int saved = errno;
	close(fd);
	if (rc < 0)
		return ii_fail(e, II_EIO, _("cannot sync directory '%s': %s"), dir, strerror(saved));
	return II_OK;
}

/* What mkstemp() puts in place of XXXXXX. */
static bool random_part(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	return n == 6 && s[n] == '\0';
}

/* A temporary of ours: ATOMICFILE_PREFIX NAME.XXXXXX, or .base.XXXXXX as 0.1.0 named them
 * (only base's, so that no dot file of the web server's is taken for one). */
static bool leftover(const char *entry, const char *base)
{
	size_t prefix = strlen(ATOMICFILE_PREFIX), n = strlen(entry), b = strlen(base);
	if (!strncmp(entry, ATOMICFILE_PREFIX, prefix))
		return n > prefix + 7 && entry[n - 7] == '.' && random_part(entry + n - 6);
	return b && n == b + 8 && entry[0] == '.' && !strncmp(entry + 1, base, b) && entry[b + 1] == '.' &&
	       random_part(entry + b + 2);
}

/* Removes the temporaries that runs killed before their rename left in dir. */
static ii_err remove_leftovers(const char *dir, const char *base, struct ii_error *e)
{
	DIR *d = opendir(dir);
	/* a missing folder holds no leftover; the write says it is missing */
	if (!d && errno == ENOENT)
		return II_OK;
	if (!d)
		return ii_fail(e, II_EIO, _("cannot read directory '%s': %s"), dir, strerror(errno));
	ii_err rc = II_OK;
	for (struct dirent *ent; rc == II_OK && (ent = readdir(d));) {
		struct stat st;
		if (!leftover(ent->d_name, base) ||
		    fstatat(dirfd(d), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (unlinkat(dirfd(d), ent->d_name, 0) < 0 && errno != ENOENT)
			rc = ii_fail(e, II_EIO, _("cannot remove '%s/%s': %s"), dir, ent->d_name,
				     strerror(errno));
	}
	closedir(d);
	return rc;
}

ii_err atomicfile_tidy(const char *dir, struct ii_error *e)
{
	/* no base: only ATOMICFILE_PREFIX names, never a dot file that is not ours */
	return remove_leftovers(dir, "", e);
}

ii_err atomicfile_write(const char *path, const void *data, size_t len, unsigned mode,
			struct ii_error *e)
{
	char *dir = path_dirname(path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *tmp = NULL;
	if (!dir || asprintf(&tmp, "%s/" ATOMICFILE_PREFIX "%s.XXXXXX", dir, base) < 0) {
		free(dir);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	ii_err rc = remove_leftovers(dir, base, e);
	if (rc)
		goto out;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = ii_fail(e, II_EIO, _("cannot create a temporary file for '%s': %s"), path,
			     strerror(errno));
		goto out;
	}
	const char *step = NULL;
	if (write_all(fd, data, len) < 0)
		step = N_("write");
	else if (fchmod(fd, (mode_t)mode) < 0)
		step = N_("set the mode of");
	else if (fsync(fd) < 0)
		step = N_("sync");
	int saved = errno;
	if (close(fd) < 0 && !step) {
		step = N_("close");
		saved = errno;
	}
	if (!step && rename(tmp, path) < 0) {
		step = N_("replace");
		saved = errno;
	}
	if (step) {
		unlink(tmp);
		rc = ii_fail(e, II_EIO, _("cannot %s '%s': %s"), _(step), path, strerror(saved));
		goto out;
	}
	rc = fsync_dir(dir, e);
out:
	free(tmp);
	free(dir);
	return rc;
}
