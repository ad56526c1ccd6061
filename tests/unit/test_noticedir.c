/* Unit tests of lib/noticedir: which files of the notices directory are notices. */

#include "unit.h"

#include <unistd.h>

#include "noticedir.h"

struct fixture {
	char *dir;     /* holds notices/ and outside/ */
	char *notices; /* the notices directory */
	struct diag_list *refused;
	struct ii_error err;
};

static void init(struct fixture *f)
{
	f->notices = unit_mkdir(f->dir, "notices");
	f->refused = diag_new();
}

static void fini(struct fixture *f)
{
	free(f->notices);
	diag_free(f->refused);
}

UNIT_FIXTURE(init, fini)

static void touch(struct fixture *f, const char *name)
{
	free(unit_write_file(f->notices, name, "---\ntipo: aviso\n---\nTexto.\n"));
}

static void link_to(struct fixture *f, const char *target, const char *name)
{
	char *path = unit_join(f->notices, name);
	assert_int_equal(symlink(target, path), 0);
	free(path);
}

/* The names listed, joined by spaces. */
static char *listed(struct fixture *f)
{
	struct noticedir_file *files;
	size_t count;
	if (noticedir_list(f->notices, &files, &count, f->refused, &f->err))
		fail_msg("noticedir_list: %s", f->err.detail);
	char *names = calloc(1, 4096);
	assert_non_null(names);
	for (size_t i = 0; i < count; i++) {
		char *expected = unit_join(f->notices, files[i].name);
		assert_string_equal(files[i].path, expected);
		free(expected);
		strcat(names, i ? " " : "");
		strcat(names, files[i].name);
	}
	noticedir_free(files, count);
	return names;
}

static void only_markdown_notices_sorted(void **state)
{
	struct fixture *f = *state;
	const char *names[] = {"b.md", "a.md", ".oculto.md", ".#a.md", "a.md~", "a.md.swp",
			       "x.tmp", "notas.txt", "README.md", "readme.md"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		touch(f, names[i]);
	free(unit_mkdir(f->notices, "2026"));
	free(unit_mkdir(f->notices, ".git"));
	touch(f, "2026/enero.md");
	touch(f, ".git/config.md");
	char *got = listed(f);
	assert_string_equal(got, "2026/enero.md a.md b.md");
	free(got);
	assert_int_equal(diag_count(f->refused), 0);
}

static void links_inside_are_followed_outside_refused(void **state)
{
	struct fixture *f = *state;
	touch(f, "real.md");
	link_to(f, "real.md", "alias.md");
	char *outside_dir = unit_mkdir(f->dir, "outside");
	char *secret = unit_write_file(outside_dir, "secret.md", "no");
	link_to(f, secret, "fuera.md");
	link_to(f, "/nonexistent/x.md", "roto.md");
	char *got = listed(f);
	assert_string_equal(got, "alias.md real.md");
	free(got);
	assert_int_equal(diag_count(f->refused), 2);
	/* in the order the directory lists them */
	const char *outside = diag_at(f->refused, !strstr(diag_at(f->refused, 0), "fuera.md"));
	unit_assert_contains(outside, "fuera.md: error: refusing symbolic link to '");
	unit_assert_contains(outside, "outside the notices directory");
	free(outside_dir);
	free(secret);
}

static void missing_directory_is_an_error(void **state)
{
	struct fixture *f = *state;
	struct noticedir_file *files;
	size_t count;
	char *missing = unit_join(f->dir, "nope");
	assert_int_equal(noticedir_list(missing, &files, &count, f->refused, &f->err), II_EIO);
	unit_assert_contains(f->err.detail, "cannot read");
	free(missing);
}

static void read_whole_file(void **state)
{
	struct fixture *f = *state;
	char *path = unit_write_file(f->notices, "a.md", "hola\n");
	char *text;
	size_t len;
	bool changing;
	assert_int_equal(noticedir_read(path, &text, &len, &changing, &f->err), II_OK);
	assert_false(changing);
	assert_int_equal(len, 5);
	assert_string_equal(text, "hola\n");
	free(text);
	free(path);
}

static void read_refuses_files_over_the_cap(void **state)
{
	struct fixture *f = *state;
	char *big = unit_repeat('a', NOTICEDIR_MAX_FILE + 1);
	char *path = unit_write_file(f->notices, "big.md", big);
	char *text;
	size_t len;
	bool changing;
	assert_int_equal(noticedir_read(path, &text, &len, &changing, &f->err), II_EDATA);
	unit_assert_contains(f->err.detail, "larger than 256 KiB");
	big[NOTICEDIR_MAX_FILE] = '\0';
	unit_write(path, big);
	assert_int_equal(noticedir_read(path, &text, &len, &changing, &f->err), II_OK);
	assert_int_equal(len, NOTICEDIR_MAX_FILE);
	free(text);
	free(big);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(only_markdown_notices_sorted),
		UNIT_TEST(links_inside_are_followed_outside_refused),
		UNIT_TEST(missing_directory_is_an_error),
		UNIT_TEST(read_whole_file),
		UNIT_TEST(read_refuses_files_over_the_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
