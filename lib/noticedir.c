#include "i18n.h"
#include "noticedir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"

struct walk {
	char *root_real; /* the directory with every link resolved */
	struct noticedir_file *files;
	size_t count, capacity;
	struct diag_list *refused;
	struct ii_error *e;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static bool ignored(const char *entry)
{
	return entry[0] == '.' || ends_with(entry, "~") || ends_with(entry, ".swp") ||
	       ends_with(entry, ".tmp") || !strcasecmp(entry, "README.md");
}

static bool inside(const struct walk *w, const char *real)
{
	size_t n = strlen(w->root_real);
	return !strncmp(real, w->root_real, n) && real[n] == '/';
}

static ii_err add(struct walk *w, const char *name, const char *path)
{
	if (w->count == w->capacity) {
		size_t next = w->capacity ? w->capacity * 2 : 16;
		struct noticedir_file *p = reallocarray(w->files, next, sizeof *p);
		if (!p)
			return ii_fail(w->e, II_ENOMEM, _("out of memory"));
		w->files = p;
		w->capacity = next;
	}
	struct noticedir_file *f = &w->files[w->count];
	f->name = strdup(name);
	f->path = strdup(path);
	if (!f->name || !f->path) {
		free(f->name);
		free(f->path);
		return ii_fail(w->e, II_ENOMEM, _("out of memory"));
	}
	w->count++;
	return II_OK;
}

/* A link is taken only when it ends at a regular file inside the directory. */
static ii_err consider_link(struct walk *w, const char *name, const char *path)
{
	char *real = realpath(path, NULL);
	struct stat st;
	if (!real) {
		diag_add(w->refused, path, 0, _("refusing symbolic link: %s"), strerror(errno));
		return II_OK;
	}
	ii_err rc = II_OK;
	if (!inside(w, real))
		diag_add(w->refused, path, 0, _("refusing symbolic link to '%s', outside the notices directory"),
			 real);
	else if (stat(real, &st) == 0 && S_ISREG(st.st_mode) && ends_with(name, ".md"))
		rc = add(w, name, path);
	free(real);
	return rc;
}

static ii_err walk_dir(struct walk *w, const char *dir, const char *prefix, int depth)
{
	DIR *d = opendir(dir);
	/* a folder below fails alone: the notices beside it are still read */
	if (!d && depth > 0)
		diag_add(w->refused, dir, 0, _("cannot read folder: %s"), strerror(errno));
	if (!d)
		return depth > 0 ? II_OK : ii_fail(w->e, II_EIO, _("cannot read '%s': %s"), dir, strerror(errno));
	ii_err rc = II_OK;
	struct dirent *entry;
	while (rc == II_OK && (entry = readdir(d))) {
		if (ignored(entry->d_name))
			continue;
		char *path = path_resolve(dir, entry->d_name);
		char *name = NULL;
		if (!path || asprintf(&name, "%s%s", prefix, entry->d_name) < 0) {
			free(path);
			rc = ii_fail(w->e, II_ENOMEM, _("out of memory"));
			break;
		}
		struct stat st;
		if (lstat(path, &st) < 0) {
			/* removed while we looked: the next run will see */
			if (errno != ENOENT)
				diag_add(w->refused, path, 0, _("cannot read: %s"), strerror(errno));
		}
		else if (S_ISLNK(st.st_mode))
			rc = consider_link(w, name, path);
		else if (S_ISREG(st.st_mode) && ends_with(entry->d_name, ".md"))
			rc = add(w, name, path);
		else if (S_ISDIR(st.st_mode) && depth < NOTICEDIR_MAX_DEPTH) {
			char *sub_prefix = NULL;
			if (asprintf(&sub_prefix, "%s/", name) < 0)
				rc = ii_fail(w->e, II_ENOMEM, _("out of memory"));
			else
				rc = walk_dir(w, path, sub_prefix, depth + 1);
			free(sub_prefix);
		}
		free(path);
		free(name);
	}
	closedir(d);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct noticedir_file *)a)->name,
		      ((const struct noticedir_file *)b)->name);
}

ii_err noticedir_list(const char *dir, struct noticedir_file **out, size_t *count,
		      struct diag_list *refused, struct ii_error *e)
{
	*out = NULL;
	*count = 0;
	struct walk w = {.refused = refused, .e = e};
	w.root_real = realpath(dir, NULL);
	if (!w.root_real)
		return ii_fail(e, II_EIO, _("cannot read '%s': %s"), dir, strerror(errno));
	ii_err rc = walk_dir(&w, dir, "", 0);
	free(w.root_real);
	if (rc) {
		noticedir_free(w.files, w.count);
		return rc;
	}
	if (w.count)
		qsort(w.files, w.count, sizeof *w.files, by_name);
	*out = w.files;
	*count = w.count;
	return II_OK;
}

void noticedir_free(struct noticedir_file *files, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(files[i].name);
		free(files[i].path);
	}
	free(files);
}

static bool same_version(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

ii_err noticedir_read(const char *path, char **text, size_t *len, bool *changing,
		      struct ii_error *e)
{
	*text = NULL;
	*len = 0;
	*changing = false;
	int fd;
	struct stat before, after, now;
	ii_err rc = path_open_regular(path, O_RDONLY, 0, &fd, &before, e);
	if (rc)
		return rc;
	if ((size_t)before.st_size > NOTICEDIR_MAX_FILE) {
		close(fd);
		return ii_fail(e, II_EDATA, _("'%s' is larger than %u KiB"), path, NOTICEDIR_MAX_FILE / 1024);
	}
	char *buf;
	size_t got;
	rc = path_read_fd(fd, path, NOTICEDIR_MAX_FILE, &buf, &got, e);
	if (rc) {
		close(fd);
		return rc;
	}
	bool fd_ok = fstat(fd, &after) == 0;
	close(fd);
	/* an editor that saves by renaming replaces the file under the name */
	if (!fd_ok || !same_version(&before, &after) || stat(path, &now) < 0 ||
	    !same_version(&before, &now) || got != (size_t)after.st_size) {
		free(buf);
		*changing = true;
		return II_OK;
	}
	if (got > NOTICEDIR_MAX_FILE) {
		free(buf);
		return ii_fail(e, II_EDATA, _("'%s' is larger than %u KiB"), path, NOTICEDIR_MAX_FILE / 1024);
	}
	*text = buf;
	*len = got;
	return II_OK;
}
