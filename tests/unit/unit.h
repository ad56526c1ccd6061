#ifndef INCLUINFO_TESTS_UNIT_H
#define INCLUINFO_TESTS_UNIT_H

/*
 * Shared helpers of the cmocka unit tests: the usual fixture (a temporary folder), temporary
 * files, loading a configuration, and assertions with readable failure messages. Everything here is static inline so that a
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
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "diag.h"
#include "error.h"

/*
 * Every category of the locale but the messages from the environment (tests/run.sh runs
 * each test under LC_ALL=C and LC_ALL=es_ES.UTF-8), before main: lib/ must write the same
 * numbers, dates and files whatever locale the program that uses it has set. Messages
 * stay English (the tests compare them, strerror's words included); their Spanish is
 * tests/cli/t_i18n.sh's.
 */
__attribute__((constructor)) static void unit_locale(void)
{
	setlocale(LC_ALL, "");
	setlocale(LC_MESSAGES, "C");
}

/* A test run between the test file's own setup() and teardown(). */
#define UNIT_TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/* A new zeroed block of size bytes. */
static inline void *unit_alloc(size_t size)
{
	void *p = calloc(1, size);
	assert_non_null(p);
	return p;
}

/*
 * Defines the setup() and teardown() of UNIT_TEST for the test file's struct fixture,
 * which has a char *dir: setup makes a zeroed fixture with a new temporary folder in dir,
 * then calls init(f); teardown calls fini(f), removes the folder and frees the fixture.
 * init and fini are the test file's own (static void, taking a struct fixture *).
 */
#define UNIT_FIXTURE(init, fini)                                                              \
	static int setup(void **state)                                                        \
	{                                                                                     \
		struct fixture *f = unit_alloc(sizeof *f);                                    \
		f->dir = unit_tmpdir();                                                       \
		init(f);                                                                      \
		*state = f;                                                                   \
		return 0;                                                                     \
	}                                                                                     \
	static int teardown(void **state)                                                     \
	{                                                                                     \
		struct fixture *f = *state;                                                   \
		fini(f);                                                                      \
		unit_rmtree(f->dir);                                                          \
		free(f->dir);                                                                 \
		free(f);                                                                      \
		return 0;                                                                     \
	}

/* Shows times in Madrid's zone, as the command layer sets it. */
static inline void unit_madrid_time(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
}

/* Fails the test, with the call's detail, unless rc is II_OK. */
#define unit_ok(rc, err) unit_ok_at((rc), (err), __FILE__, __LINE__)

static inline void unit_ok_at(ii_err rc, const struct ii_error *err, const char *file, int line)
{
	if (rc != II_OK)
		fail_msg("%s:%d: call failed (%d): %s", file, line, rc, err->detail);
}

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

/* Replaces *diags with a new, empty list and clears *err, before a call that fills them. */
static inline void unit_renew_diags(struct diag_list **diags, struct ii_error *err)
{
	diag_free(*diags);
	*diags = diag_new();
	assert_non_null(*diags);
	memset(err, 0, sizeof *err);
}

/* Prints every diagnostic of diags, for a failing test. */
static inline void unit_print_diags(const struct diag_list *diags)
{
	for (size_t i = 0; i < diag_count(diags); i++)
		print_message("  diag: %s\n", diag_at(diags, i));
}

/* Writes text to dir/incluinfo.conf and loads it into *cfg, which must succeed. */
static inline void unit_config_load(const char *dir, const char *text, struct config **cfg,
				    struct diag_list *diags, struct ii_error *err)
{
	char *path = unit_write_file(dir, "incluinfo.conf", text);
	unit_ok(config_load(path, cfg, diags, err), err);
	free(path);
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

/* What one call cost: seconds of wall time and of CPU (this process's and its children's). */
struct unit_cost {
	double wall, cpu;
};

static inline double unit_cpu_seconds(void)
{
	struct rusage self, children;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec + children.ru_utime.tv_sec +
			children.ru_stime.tv_sec) +
	       (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec + children.ru_utime.tv_usec +
			children.ru_stime.tv_usec) / 1e6;
}

static inline struct unit_cost unit_measure(void (*fn)(void *), void *arg)
{
	struct timespec a, b;
	double cpu = unit_cpu_seconds();
	clock_gettime(CLOCK_MONOTONIC, &a);
	fn(arg);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (struct unit_cost){
		.wall = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
		.cpu = unit_cpu_seconds() - cpu,
	};
}

/*
 * Fails unless hostile cost at most ratio times normal, in wall time and in CPU, each
 * measured in the same test. A floor of a millisecond keeps a very fast normal case from
 * making the ratio clock noise.
 */
static inline void unit_assert_bounded(struct unit_cost hostile, struct unit_cost normal, double ratio)
{
	double wall = normal.wall > 1e-3 ? normal.wall : 1e-3, cpu = normal.cpu > 1e-3 ? normal.cpu : 1e-3;
	if (hostile.wall > ratio * wall || hostile.cpu > ratio * cpu)
		fail_msg("hostile input cost %.3f s wall, %.3f s CPU; a normal one %.3f s, %.3f s (ratio %.0f allowed)",
			 hostile.wall, hostile.cpu, normal.wall, normal.cpu, ratio);
}

#endif
