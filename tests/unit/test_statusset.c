/* Unit tests of lib/statusset: parsing "200-299,301" and membership. */

#include "unit.h"

#include <limits.h>

#include "statusset.h"

/* Parses text, failing the test when it is refused. */
static struct statusset parsed(const char *text)
{
	struct statusset set;
	if (!statusset_parse(text, &set))
		fail_msg("statusset_parse(\"%s\") refused a valid list", text);
	return set;
}

/* The codes of set in [100, 599], as a count and a checksum, to compare whole sets. */
static int members(const struct statusset *set, long *sum)
{
	int n = 0;
	*sum = 0;
	for (long code = STATUSSET_MIN; code <= STATUSSET_MAX; code++) {
		if (statusset_has(set, code)) {
			n++;
			*sum += code;
		}
	}
	return n;
}

static void single_code(void **state)
{
	(void)state;
	struct statusset set = parsed("200");
	assert_true(statusset_has(&set, 200));
	assert_false(statusset_has(&set, 199));
	assert_false(statusset_has(&set, 201));
	long sum;
	assert_int_equal(members(&set, &sum), 1);
}

static void range_is_inclusive(void **state)
{
	(void)state;
	struct statusset set = parsed("200-299");
	assert_false(statusset_has(&set, 199));
	assert_true(statusset_has(&set, 200));
	assert_true(statusset_has(&set, 250));
	assert_true(statusset_has(&set, 299));
	assert_false(statusset_has(&set, 300));
	long sum;
	assert_int_equal(members(&set, &sum), 100);
}

static void range_of_one_code(void **state)
{
	(void)state;
	struct statusset set = parsed("404-404");
	long sum;
	assert_int_equal(members(&set, &sum), 1);
	assert_true(statusset_has(&set, 404));
}

static void list_of_codes_and_ranges(void **state)
{
	(void)state;
	struct statusset set = parsed("200,301-302,404");
	long sum;
	assert_int_equal(members(&set, &sum), 4);
	assert_int_equal(sum, 200 + 301 + 302 + 404);
	assert_false(statusset_has(&set, 300));
	assert_false(statusset_has(&set, 303));
}

static void blanks_around_codes(void **state)
{
	(void)state;
	struct statusset spaced = parsed(" 200 , 301 - 302,\t404 ");
	struct statusset tight = parsed("200,301-302,404");
	assert_memory_equal(&spaced, &tight, sizeof spaced);
}

static void overlapping_ranges(void **state)
{
	(void)state;
	struct statusset set = parsed("200-210,205-220,210");
	long sum;
	assert_int_equal(members(&set, &sum), 21);
}

static void boundaries_100_and_599(void **state)
{
	(void)state;
	struct statusset set = parsed("100,599");
	assert_true(statusset_has(&set, 100));
	assert_true(statusset_has(&set, 599));
	long sum;
	assert_int_equal(members(&set, &sum), 2);

	struct statusset all = parsed("100-599");
	assert_int_equal(members(&all, &sum), STATUSSET_MAX - STATUSSET_MIN + 1);
}

static void invalid_lists(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",        "   ",     "99",       "099",     "600",      "999",  "300-200",
		"2000",    "20",      "abc",      "200,",    ",200",     "200-", "-200",
		"200,,301", "200-299-300", "200x",  "2OO",     "200 301",  "200;301", "+200",
		"200-6000", "100-600", "0x1F4",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct statusset set;
		if (statusset_parse(bad[i], &set))
			fail_msg("statusset_parse(\"%s\") accepted an invalid list", bad[i]);
	}
}

static void has_outside_the_range(void **state)
{
	(void)state;
	struct statusset all = parsed("100-599");
	static const long outside[] = {LONG_MIN, -200, -1, 0, 1, 99, 600, 856, 1200, LONG_MAX};
	for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++)
		if (statusset_has(&all, outside[i]))
			fail_msg("statusset_has(100-599, %ld) is true", outside[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(single_code),
		cmocka_unit_test(range_is_inclusive),
		cmocka_unit_test(range_of_one_code),
		cmocka_unit_test(list_of_codes_and_ranges),
		cmocka_unit_test(blanks_around_codes),
		cmocka_unit_test(overlapping_ranges),
		cmocka_unit_test(boundaries_100_and_599),
		cmocka_unit_test(invalid_lists),
		cmocka_unit_test(has_outside_the_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
