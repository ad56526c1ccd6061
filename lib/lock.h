#ifndef INCLUINFO_LOCK_H
#define INCLUINFO_LOCK_H

/*
 * The run lock: an exclusive flock() on state_dir/incluinfo.lock holding the owner's pid.
 * The kernel releases it when the process ends, however it ends. lock_acquire() gives the
 * caller a struct lock to release with lock_release().
 */

#include "error.h"

struct lock;

/* Never waits: II_ELOCKED, with the holder's pid in e, when another process holds it.
 * Creates state_dir (mode 0700) when missing; II_EIO when it or the lock file is refused
 * (path_state_dir(), path_open_private()). */
ii_err lock_acquire(const char *state_dir, struct lock **out, struct ii_error *e);
void lock_release(struct lock *lock);

#endif
