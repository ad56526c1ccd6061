#ifndef INCLUINFO_TESTS_UNIT_H
#define INCLUINFO_TESTS_UNIT_H

/*
 * Shared helpers of the cmocka unit tests: temporary directories and files, and string
 * assertions with readable failure messages. Everything here is static inline so that a
 * test file that uses only part of it compiles without warnings. Every path returned is
 * a new string the caller frees; every helper fails the current test on error.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A test run between the test file's own setup() and teardown(). */
#define UNIT_TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/* dir/name */
static inline char *unit_join(const char *dir, const char *name)
{
	char *path = NULL;
	assert_true(asprintf(&path, "%s/%s", dir, name) >= 0);
	return path;
}

/* A new, empty directory under $TMPDIR (or /tmp). */
static inline char *unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *templ = unit_join(base && *base ? base : "/tmp", "incluinfo-unit-XXXXXX");
	if (!mkdtemp(templ))
		fail_msg("mkdtemp '%s': %s", templ, strerror(errno));
	return templ;
}

static inline int unit_rmtree_entry(const char *path, const struct stat *st, int flag,
				    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes dir and everything in it (NULL: nothing). */
static inline void unit_rmtree(const char *dir)
{
	if (dir)
		nftw(dir, unit_rmtree_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Creates dir/name (mode 0755) and returns its path. */
static inline char *unit_mkdir(const char *dir, const char *name)
{
	char *path = unit_join(dir, name);
	if (mkdir(path, 0755) < 0)
		fail_msg("mkdir '%s': %s", path, strerror(errno));
	return path;
}

/* Writes len bytes of data to path, replacing it. */
static inline void unit_write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write '%s': %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Writes text to path, replacing it. */
static inline void unit_write(const char *path, const char *text)
{
	unit_write_bytes(path, text, strlen(text));
}

/* Writes text to dir/name and returns the file's path. */
static inline char *unit_write_file(const char *dir, const char *name, const char *text)
{
	char *path = unit_join(dir, name);
	unit_write(path, text);
	return path;
}

/* A new string of n copies of c. */
static inline char *unit_repeat(char c, size_t n)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Fails unless haystack contains needle. */
#define unit_assert_contains(haystack, needle) \
	unit_assert_contains_at((haystack), (needle), __FILE__, __LINE__)

static inline void unit_assert_contains_at(const char *haystack, const char *needle,
					   const char *file, int line)
{
	if (!haystack || !strstr(haystack, needle))
		fail_msg("%s:%d: '%s' does not contain '%s'", file, line,
			 haystack ? haystack : "(null)", needle);
}

#endif
