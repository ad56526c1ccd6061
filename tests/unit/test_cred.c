/* The credentials file: the two sets, file permissions, every error, no secret shown. */
#include "unit.h"

#include "cred.h"

#define SECRET_A "Csecret0123456789abcdefABCDEF"
#define SECRET_B "Tsecret9876543210zyxwvuZYXWVU"
#define BEARER "BearerTOKEN%2Bwith-symbols_0123456789"

static const char good_oauth1[] =
	"# X credentials for @incluinfo\n"
	"\n"
	"consumer_key=ckey123\n"
	"  consumer_secret = " SECRET_A "  \n"
	"access_token=1234-atoken\r\n"
	"access_token_secret=" SECRET_B "\n";

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = unit_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unit_rmtree(dir);
	free(dir);
	return 0;
}

static char *write_cred(const char *text, mode_t mode)
{
	char *path = unit_write_file(dir, "twitter.cred", text);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* Loads text (mode 0600) and expects code, with every secret absent from the detail. */
static void assert_refused(const char *text, ii_err code, const char *expected_detail)
{
	char *path = write_cred(text, 0600);
	struct cred *cred = (struct cred *)1;
	struct ii_error e = {0};
	assert_int_equal(cred_load(path, &cred, &e), code);
	assert_null(cred);
	unit_assert_contains(e.detail, expected_detail);
	assert_null(strstr(e.detail, SECRET_A));
	assert_null(strstr(e.detail, SECRET_B));
	assert_null(strstr(e.detail, BEARER));
	free(path);
}

static void test_oauth1_set(void **state)
{
	(void)state;
	char *path = write_cred(good_oauth1, 0600);
	struct cred *cred = NULL;
	assert_int_equal(cred_load(path, &cred, NULL), II_OK);
	const struct oauth1_keys *keys = cred_oauth1(cred);
	assert_non_null(keys);
	assert_string_equal(keys->consumer_key, "ckey123");
	assert_string_equal(keys->consumer_secret, SECRET_A);
	assert_string_equal(keys->token, "1234-atoken");
	assert_string_equal(keys->token_secret, SECRET_B);
	assert_null(cred_bearer(cred));
	assert_true(cred_leaks_into(cred, "header: " SECRET_B " here"));
	assert_false(cred_leaks_into(cred, "only ckey123 and 1234-atoken, which are public"));
	cred_free(cred);
	free(path);
}

static void test_bearer(void **state)
{
	(void)state;
	char *path = write_cred("bearer_token=" BEARER "\n", 0400);
	struct cred *cred = NULL;
	assert_int_equal(cred_load(path, &cred, NULL), II_OK);
	assert_string_equal(cred_bearer(cred), BEARER);
	assert_null(cred_oauth1(cred));
	assert_true(cred_leaks_into(cred, "Authorization: Bearer " BEARER));
	cred_free(cred);
	free(path);
}

static void test_group_or_others_refused(void **state)
{
	(void)state;
	const mode_t modes[] = {0644, 0640, 0604, 0620, 0660, 0601};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		char *path = write_cred(good_oauth1, modes[i]);
		struct cred *cred = NULL;
		struct ii_error e = {0};
		assert_int_equal(cred_load(path, &cred, &e), II_ECONFIG);
		assert_null(cred);
		char expected[512];
		snprintf(expected, sizeof expected, "run chmod 600 '%s'", path);
		unit_assert_contains(e.detail, expected);
		assert_null(strstr(e.detail, SECRET_A));
		free(path);
	}
}

static void test_missing_file(void **state)
{
	(void)state;
	char *path = unit_join(dir, "absent.cred");
	struct cred *cred = NULL;
	struct ii_error e = {0};
	assert_int_equal(cred_load(path, &cred, &e), II_EIO);
	unit_assert_contains(e.detail, "No such file or directory");
	unit_assert_contains(e.detail, path);
	free(path);
}

static void test_directory_refused(void **state)
{
	(void)state;
	char *sub = unit_mkdir(dir, "cred.d");
	assert_int_equal(chmod(sub, 0700), 0);
	struct cred *cred = NULL;
	struct ii_error e = {0};
	assert_int_equal(cred_load(sub, &cred, &e), II_ECONFIG);
	unit_assert_contains(e.detail, "not a regular file");
	free(sub);
}

static void test_line_errors(void **state)
{
	(void)state;
	assert_refused("consumer_key=a\n" SECRET_A "\n", II_ECONFIG, ":2: expected KEY=VALUE");
	assert_refused("consumer_key=a\nconsumer_secrte=" SECRET_A "\n", II_ECONFIG,
		       ":2: unknown key 'consumer_secrte'");
	assert_refused("# c\n" SECRET_B "=" SECRET_A "\n", II_ECONFIG,
		       ":2: unknown key (not shown: it may be a secret)");
	assert_refused("consumer_secret=" SECRET_A "\nconsumer_secret=" SECRET_B "\n", II_ECONFIG,
		       ":2: 'consumer_secret' is given twice");
	assert_refused("bearer_token=\n", II_ECONFIG, ":1: 'bearer_token' is empty");
	assert_refused("bearer_token=" BEARER " " BEARER "\n", II_ECONFIG,
		       ":1: the value of 'bearer_token' holds a space");
	assert_refused("bearer_token=" BEARER "\xc3\xb1\n", II_ECONFIG, "non-ASCII");
}

static void test_incomplete_or_mixed(void **state)
{
	(void)state;
	assert_refused("consumer_key=a\nconsumer_secret=" SECRET_A "\naccess_token=b\n", II_ECONFIG,
		       "'access_token_secret' is missing");
	assert_refused("# nothing yet\n", II_ECONFIG, "holds no credentials");
	assert_refused("", II_ECONFIG, "holds no credentials");
	assert_refused("bearer_token=" BEARER "\nconsumer_secret=" SECRET_A "\n", II_ECONFIG,
		       "holds both bearer_token and OAuth 1.0a keys");
}

static void test_too_large(void **state)
{
	(void)state;
	char *big = unit_repeat('#', CRED_FILE_CAP + 1);
	assert_refused(big, II_ECONFIG, "larger than 64 KiB");
	free(big);
}

/* A server's answer quoting the request: each secret written over, a short one with as
 * many '*', the session's tokens given beside the file's too, the rest of the text kept. */
static void test_redact(void **state)
{
	(void)state;
	char *path = write_cred(good_oauth1, 0600);
	struct cred *cred = NULL;
	assert_int_equal(cred_load(path, &cred, NULL), II_OK);
	char text[] = "HTTP 400: " SECRET_A " and " SECRET_B SECRET_A ", tok=abc, ckey123 1234-atoken";
	const char *const session[] = {"", "abc", NULL};
	cred_redact(cred, session, text);
	assert_string_equal(text, "HTTP 400: [redacted] and [redacted][redacted], tok=***, ckey123 1234-atoken");
	assert_false(cred_leaks_into(cred, text));
	/* a quote cut to length inside a secret shows no part of it */
	char cut[64];
	snprintf(cut, sizeof cut, "HTTP 400: not with %.12s", SECRET_A);
	cred_redact(cred, NULL, cut);
	assert_string_equal(cut, "HTTP 400: not with [redacted]");
	char tail[] = "HTTP 400: ends with ab";
	cred_redact(cred, session, tail);
	assert_string_equal(tail, "HTTP 400: ends with ab");
	char none[] = "nothing secret here";
	cred_redact(cred, NULL, none);
	assert_string_equal(none, "nothing secret here");
	cred_free(cred);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_oauth1_set),
		UNIT_TEST(test_bearer),
		UNIT_TEST(test_group_or_others_refused),
		UNIT_TEST(test_missing_file),
		UNIT_TEST(test_directory_refused),
		UNIT_TEST(test_line_errors),
		UNIT_TEST(test_incomplete_or_mixed),
		UNIT_TEST(test_too_large),
		UNIT_TEST(test_redact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
