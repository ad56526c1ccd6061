#include "atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
		return ii_fail(e, II_EIO, "cannot open directory '%s': %s", dir, strerror(errno));
	int rc = fsync(fd);
	int saved = errno;
	close(fd);
	if (rc < 0)
		return ii_fail(e, II_EIO, "cannot sync directory '%s': %s", dir, strerror(saved));
	return II_OK;
}

ii_err atomicfile_write(const char *path, const void *data, size_t len, unsigned mode,
			struct ii_error *e)
{
	char *dir = path_dirname(path);
	const char *slash = strrchr(path, '/');
	char *tmp = NULL;
	if (!dir || asprintf(&tmp, "%s/.%s.XXXXXX", dir, slash ? slash + 1 : path) < 0) {
		free(dir);
		return ii_fail(e, II_ENOMEM, "out of memory");
	}
	ii_err rc = II_OK;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = ii_fail(e, II_EIO, "cannot create a temporary file for '%s': %s", path,
			     strerror(errno));
		goto out;
	}
	const char *step = NULL;
	if (write_all(fd, data, len) < 0)
		step = "write";
	else if (fchmod(fd, (mode_t)mode) < 0)
		step = "set the mode of";
	else if (fsync(fd) < 0)
		step = "sync";
	int saved = errno;
	if (close(fd) < 0 && !step) {
		step = "close";
		saved = errno;
	}
	if (!step && rename(tmp, path) < 0) {
		step = "replace";
		saved = errno;
	}
	if (step) {
		unlink(tmp);
		rc = ii_fail(e, II_EIO, "cannot %s '%s': %s", step, path, strerror(saved));
		goto out;
	}
	rc = fsync_dir(dir, e);
out:
	free(tmp);
	free(dir);
	return rc;
}
