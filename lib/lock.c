#include "i18n.h"
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "path.h"

struct lock {
	int fd;
};

ii_err lock_acquire(const char *state_dir, struct lock **out, struct ii_error *e)
{
	*out = NULL;
	bool exists, open_to_others;
	ii_err rc = path_state_dir(state_dir, true, &exists, &open_to_others, e);
	if (rc)
		return rc;
	char *path = path_resolve(state_dir, "incluinfo.lock");
	struct lock *lock = malloc(sizeof *lock);
	if (!path || !lock) {
		free(path);
		free(lock);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	if (path_open_private(path, O_RDWR | O_CREAT, &lock->fd, e)) {
		rc = II_EIO;
	} else if (flock(lock->fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK) {
			char pid[32] = "";
			ssize_t n = pread(lock->fd, pid, sizeof pid - 1, 0);
			pid[n > 0 ? n : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			rc = ii_fail(e, II_ELOCKED, _("another incluinfo run holds the lock (pid %s)"),
				     *pid ? pid : "unknown");
		} else {
			rc = ii_fail(e, II_EIO, _("cannot lock '%s': %s"), path, strerror(errno));
		}
	} else {
		char pid[32];
		int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
		if (ftruncate(lock->fd, 0) < 0 || pwrite(lock->fd, pid, (size_t)n, 0) != n)
			rc = ii_fail(e, II_EIO, _("cannot write '%s': %s"), path, strerror(errno));
	}
	free(path);
	if (rc) {
		if (lock->fd >= 0)
			close(lock->fd);
		free(lock);
		return rc;
	}
	*out = lock;
	return II_OK;
}

void lock_release(struct lock *lock)
{
	if (!lock)
		return;
	/* the file stays: removing it would race with a run that has just opened it */
	close(lock->fd);
	free(lock);
}
