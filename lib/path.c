#include "path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *path_resolve(const char *base_dir, const char *rel)
{
	char *out;
	if (rel[0] == '/' || !base_dir || !strcmp(base_dir, "."))
		return strdup(rel);
	return asprintf(&out, "%s/%s", base_dir, rel) < 0 ? NULL : out;
}

ii_err path_read_limited(const char *path, size_t limit, char **buf, size_t *len,
			 struct ii_error *e)
{
	*buf = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return ii_fail(e, II_EIO, "cannot open '%s': %s", path, strerror(errno));
	char *data = malloc(limit + 1);
	if (!data) {
		fclose(f);
		return ii_fail(e, II_ENOMEM, "out of memory");
	}
	*len = fread(data, 1, limit + 1, f);
	int err = ferror(f) ? errno : 0;
	fclose(f);
	if (err) {
		free(data);
		return ii_fail(e, II_EIO, "cannot read '%s': %s", path, strerror(err));
	}
	*buf = data;
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
		return ii_fail(e, II_ENOMEM, "out of memory");
	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST) {
			ii_err rc = ii_fail(e, II_EIO, "cannot create directory '%s': %s", copy,
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
		return ii_fail(e, II_EIO, "cannot use '%s': %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ii_fail(e, II_EIO, "cannot use '%s': Not a directory", dir);
	return II_OK;
}
