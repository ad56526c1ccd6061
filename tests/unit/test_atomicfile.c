/* Unit tests of lib/atomicfile: replacement, failures that keep the old file, and a reader
 * that never sees a partial feed while another process rewrites it. */

#include "feedcheck.h"

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atom.h"
#include "atomicfile.h"

/* The file the tests replace: dir/feed.atom (a new string). */
static char *feed_path(const struct fixture *f)
{
	return unit_join(f->dir, "feed.atom");
}

/* The text of path. */
static char *slurp(const char *path)
{
	size_t len;
	return feedcheck_slurp(path, &len);
}

/* Fails unless dir holds only the file named only (no temporary file left behind). */
static void assert_only_file(const char *dir, const char *only)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *entry;
	while ((entry = readdir(d)))
		if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..") &&
		    strcmp(entry->d_name, only))
			fail_msg("unexpected file '%s' in '%s'", entry->d_name, dir);
	closedir(d);
}

static void test_creates_and_replaces(void **state)
{
	struct fixture *f = *state;
	char *path = feed_path(f);
	assert_int_equal(atomicfile_write(path, "first\n", 6, 0644, &f->err), II_OK);
	char *text = slurp(path);
	assert_string_equal(text, "first\n");
	free(text);
	assert_int_equal(atomicfile_write(path, "second, longer\n", 15, 0640, &f->err), II_OK);
	text = slurp(path);
	assert_string_equal(text, "second, longer\n");
	free(text);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_only_file(f->dir, "feed.atom");

	/* a path without a folder is in the working directory */
	char *cwd = getcwd(NULL, 0);
	assert_non_null(cwd);
	assert_int_equal(chdir(f->dir), 0);
	assert_int_equal(atomicfile_write("feed.atom", "third\n", 6, 0644, &f->err), II_OK);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	text = slurp(path);
	assert_string_equal(text, "third\n");
	free(text);
	free(path);
}

/* A write that fails half-way (the file size limit stands in for a full disk) leaves the
 * old file and no temporary file. Run in a child so the limit does not stay. */
static void test_failed_write_keeps_the_old_file(void **state)
{
	struct fixture *f = *state;
	char *path = feed_path(f);
	unit_write(path, "old content\n");
	size_t big = 1 << 20;
	char *data = unit_repeat('x', big);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit limit = {.rlim_cur = 4096, .rlim_max = 4096};
		if (setrlimit(RLIMIT_FSIZE, &limit) < 0)
			_exit(10);
		ii_err rc = atomicfile_write(path, data, big, 0644, &f->err);
		_exit(rc != II_EIO ? 11 : strstr(f->err.detail, "cannot write '") ? 0 : 12);
	}
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	char *text = slurp(path);
	assert_string_equal(text, "old content\n");
	free(text);
	free(data);
	assert_only_file(f->dir, "feed.atom");
	free(path);
}

/* A rename that fails (the target is a folder) leaves it and no temporary file. */
static void test_failed_rename_keeps_the_target(void **state)
{
	struct fixture *f = *state;
	char *path = feed_path(f);
	char *sub = unit_mkdir(f->dir, "feed.atom");
	free(unit_write_file(sub, "inside", "x"));
	assert_int_equal(atomicfile_write(path, "new", 3, 0644, &f->err), II_EIO);
	unit_assert_contains(f->err.detail, "cannot replace '");
	struct stat st;
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_only_file(f->dir, "feed.atom");
	free(sub);
	free(path);
}

static void test_missing_folder(void **state)
{
	struct fixture *f = *state;
	char *path = unit_join(f->dir, "missing/feed.atom");
	assert_int_equal(atomicfile_write(path, "x", 1, 0644, &f->err), II_EIO);
	char expected[1200];
	snprintf(expected, sizeof expected,
		 "cannot create a temporary file for '%s': No such file or directory", path);
	assert_string_equal(f->err.detail, expected);
	free(path);
}

/* A feed of n entries whose content is long enough that a partial file is likely to be
 * seen if the writes were not atomic. */
static void write_feed(const char *path, size_t n)
{
	static struct atom_entry entries[50];
	static char keys[50][16];
	char *content = unit_repeat('c', 8192);
	for (size_t i = 0; i < n; i++) {
		snprintf(keys[i], sizeof keys[i], "k/%zu", i);
		entries[i] = (struct atom_entry){.key = keys[i], .title = "t", .content = content,
						 .published = (time_t)1795862520 + (time_t)i};
	}
	struct atom_meta meta = {.base_url = "https://example.org/", .file_name = "feed.atom",
				 .title = "t", .author_name = "a"};
	struct ii_error err;
	if (atom_write(path, &meta, entries, n, 0, &err))
		fail_msg("atom_write: %s", err.detail);
	free(content);
}

static void test_reader_never_sees_a_partial_feed(void **state)
{
	struct fixture *f = *state;
	char *path = feed_path(f);
	write_feed(path, 1);
	enum { REWRITES = 300 };
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		for (int i = 0; i < REWRITES; i++)
			write_feed(path, i % 2 ? 1 : 50);
		_exit(0);
	}
	char log[4096] = "";
	xmlSetGenericErrorFunc(log, feedcheck_collect); /* parse errors kept, not printed */
	size_t parses = 0, failures = 0;
	int status = 0;
	/* at least one parse after the child ended, so the loop is never empty */
	for (bool done = false; !done;) {
		done = waitpid(child, &status, WNOHANG) == child;
		xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
		char *count = doc ? feedcheck_xpath(doc, "count(/a:feed/a:entry)") : NULL;
		if (!count || (strcmp(count, "1") && strcmp(count, "50")))
			failures++;
		parses++;
		free(count);
		xmlFreeDoc(doc);
	}
	xmlSetGenericErrorFunc(NULL, NULL);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	print_message("%zu parses while the feed was rewritten %d times\n", parses, REWRITES);
	if (failures)
		fail_msg("%zu of %zu parses saw a partial feed: %s", failures, parses, log);
	assert_only_file(f->dir, "feed.atom");
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_creates_and_replaces),
		UNIT_TEST(test_failed_write_keeps_the_old_file),
		UNIT_TEST(test_failed_rename_keeps_the_target),
		UNIT_TEST(test_missing_folder),
		UNIT_TEST(test_reader_never_sees_a_partial_feed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
