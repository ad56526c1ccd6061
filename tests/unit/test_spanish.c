/* Unit tests of lib/spanish: times, durations and dates as Spanish readers write them,
 * in Europe/Madrid (the default zone) across midnight, month and year ends and both
 * daylight-saving changes. */

#include "unit.h"

#include <limits.h>
#include <time.h>

#include "spanish.h"

static int setup(void **state)
{
	(void)state;
	assert_int_equal(setenv("TZ", "Europe/Madrid", 1), 0);
	tzset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return 0;
}

/* Instants, in UTC seconds, and what a clock in Madrid shows then. */
#define T_2026_11_28_10_42_00 1795858920  /* 09:42 UTC, CET (+1) */
#define T_2026_11_28_00_00_00 1795820400  /* midnight: 27 Nov 23:00 UTC */
#define T_2026_01_05_09_05_00 1767600300
#define T_2026_03_29_01_59_59 1774745999  /* CET; one second later clocks go to 03:00 */
#define T_2026_10_25_02_59_59 1792889999  /* CEST; one second later clocks go back to 02:00 */
#define T_2027_01_01_00_00_00 1798758000
#define T_2026_09_30_14_00_00 1790769600  /* CEST (+2) */
#define T_2028_02_29_00_30_00 1835393400

static void time_of_day(time_t t, const char *want)
{
	char buf[ES_TIME_SIZE];
	assert_true(es_time(t, buf));
	assert_string_equal(buf, want);
}

static void date_of(time_t t, bool with_year, const char *want)
{
	char buf[ES_DATE_SIZE];
	assert_true(es_date(t, with_year, buf));
	assert_string_equal(buf, want);
}

static void duration_is(long long seconds, const char *want)
{
	char buf[ES_DURATION_SIZE];
	es_duration(seconds, buf);
	if (strcmp(buf, want))
		fail_msg("es_duration(%lld) = '%s', expected '%s'", seconds, buf, want);
}

static void times(void **state)
{
	(void)state;
	time_of_day(T_2026_11_28_10_42_00, "10:42");
	time_of_day(T_2026_11_28_10_42_00 + 59, "10:42"); /* seconds dropped, not rounded */
	time_of_day(T_2026_11_28_10_42_00 + 60, "10:43");
	time_of_day(T_2026_01_05_09_05_00, "9:05");
	time_of_day(T_2026_09_30_14_00_00, "14:00");
}

static void times_around_midnight(void **state)
{
	(void)state;
	time_of_day(T_2026_11_28_00_00_00 - 1, "23:59");
	time_of_day(T_2026_11_28_00_00_00, "0:00");
	time_of_day(T_2026_11_28_00_00_00 + 59, "0:00");
	time_of_day(T_2026_11_28_00_00_00 + 5 * 60, "0:05");
	time_of_day(T_2026_11_28_00_00_00 + 3600, "1:00");
	time_of_day(T_2026_11_28_00_00_00 + 12 * 3600, "12:00");
}

static void times_across_daylight_saving(void **state)
{
	(void)state;
	/* spring: 01:59 is followed by 03:00 */
	time_of_day(T_2026_03_29_01_59_59, "1:59");
	time_of_day(T_2026_03_29_01_59_59 + 1, "3:00");
	time_of_day(T_2026_03_29_01_59_59 + 3601, "4:00");
	/* autumn: 02:00 to 02:59 happens twice, an hour apart */
	time_of_day(T_2026_10_25_02_59_59 - 1800 + 1, "2:30");
	time_of_day(T_2026_10_25_02_59_59, "2:59");
	time_of_day(T_2026_10_25_02_59_59 + 1, "2:00");
	time_of_day(T_2026_10_25_02_59_59 + 1 + 1800, "2:30");
	time_of_day(T_2026_10_25_02_59_59 + 1 + 3600, "3:00");
	date_of(T_2026_03_29_01_59_59 + 1, false, "29 de marzo");
	date_of(T_2026_10_25_02_59_59 + 1, true, "25 de octubre de 2026");
}

/* The zone comes from the process's environment, as the command layer sets it. */
static void times_follow_the_zone(void **state)
{
	(void)state;
	assert_int_equal(setenv("TZ", "UTC", 1), 0);
	tzset();
	time_of_day(T_2026_11_28_10_42_00, "9:42");
	date_of(T_2026_11_28_00_00_00, false, "27 de noviembre");
	assert_int_equal(setenv("TZ", "Atlantic/Canary", 1), 0);
	tzset();
	time_of_day(T_2026_11_28_10_42_00, "9:42");
	time_of_day(T_2026_09_30_14_00_00, "13:00");
	assert_int_equal(setenv("TZ", "Europe/Madrid", 1), 0);
	tzset();
	time_of_day(T_2026_11_28_10_42_00, "10:42");
}

static void durations(void **state)
{
	(void)state;
	duration_is(0, "0 s");
	duration_is(1, "1 s");
	duration_is(45, "45 s");
	duration_is(59, "59 s");
	duration_is(60, "1 min");
	duration_is(61, "1 min");
	duration_is(119, "1 min");
	duration_is(120, "2 min");
	duration_is(33 * 60, "33 min");
	duration_is(33 * 60 + 59, "33 min");
	duration_is(3599, "59 min");
	duration_is(3600, "1 h");
	duration_is(3659, "1 h");
	duration_is(3660, "1 h 1 min");
	duration_is(3600 + 5 * 60, "1 h 5 min");
	duration_is(2 * 3600 + 59 * 60 + 59, "2 h 59 min");
	duration_is(7200, "2 h");
	duration_is(86399, "23 h 59 min");
	duration_is(86400, "1 d");
	duration_is(86400 + 3599, "1 d");
	duration_is(86400 + 3600, "1 d 1 h");
	duration_is(2 * 86400 + 3 * 3600, "2 d 3 h");
	duration_is(2 * 86400 + 3 * 3600 + 59 * 60, "2 d 3 h"); /* minutes dropped after days */
	duration_is(400LL * 86400, "400 d");
}

static void durations_out_of_range(void **state)
{
	(void)state;
	duration_is(-1, "0 s");
	duration_is(LLONG_MIN, "0 s");
	duration_is(LLONG_MAX, "106751991167300 d 15 h");
	char buf[ES_DURATION_SIZE];
	es_duration(LLONG_MAX, buf);
	assert_true(strlen(buf) < ES_DURATION_SIZE);
}

static void dates(void **state)
{
	(void)state;
	date_of(T_2026_11_28_10_42_00, false, "28 de noviembre");
	date_of(T_2026_11_28_10_42_00, true, "28 de noviembre de 2026");
	date_of(T_2026_01_05_09_05_00, false, "5 de enero");
	date_of(T_2026_09_30_14_00_00, true, "30 de septiembre de 2026");
	date_of(T_2028_02_29_00_30_00, true, "29 de febrero de 2028");
	date_of(T_2028_02_29_00_30_00 - 3600, true, "28 de febrero de 2028");
}

/* The date changes at local midnight, not at UTC midnight. */
static void dates_around_midnight(void **state)
{
	(void)state;
	date_of(T_2026_11_28_00_00_00 - 1, false, "27 de noviembre");
	date_of(T_2026_11_28_00_00_00, false, "28 de noviembre");
	date_of(T_2027_01_01_00_00_00 - 1, true, "31 de diciembre de 2026");
	date_of(T_2027_01_01_00_00_00, true, "1 de enero de 2027");
	time_of_day(T_2027_01_01_00_00_00, "0:00");
}

static void month_names(void **state)
{
	(void)state;
	const char *want[] = { "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
			       "agosto", "septiembre", "octubre", "noviembre", "diciembre" };
	for (int m = 1; m <= 12; m++)
		assert_string_equal(es_month_name(m), want[m - 1]);
	assert_null(es_month_name(0));
	assert_null(es_month_name(13));
	assert_null(es_month_name(-1));
	/* every month in a date, on the 15th of each month of 2026 at noon UTC */
	for (int m = 1; m <= 12; m++) {
		struct tm tm = { .tm_year = 126, .tm_mon = m - 1, .tm_mday = 15, .tm_hour = 12 };
		char expected[ES_DATE_SIZE];
		snprintf(expected, sizeof expected, "15 de %s de 2026", want[m - 1]);
		date_of(timegm(&tm), true, expected);
	}
}

/* A time that localtime_r cannot convert gives false and an empty string, not garbage. */
static void unconvertible_times(void **state)
{
	(void)state;
	time_t far = (time_t)LLONG_MAX;
	char t[ES_TIME_SIZE] = "x", d[ES_DATE_SIZE] = "x";
	assert_false(es_time(far, t));
	assert_string_equal(t, "");
	assert_false(es_date(far, true, d));
	assert_string_equal(d, "");
}

static void moment_is(time_t t, time_t today, bool dated, const char *want)
{
	char buf[ES_MOMENT_SIZE];
	assert_true(es_moment(t, today, dated, buf));
	if (strcmp(buf, want))
		fail_msg("es_moment(%lld, %lld, %d) = '%s', expected '%s'", (long long)t,
			 (long long)today, dated, buf, want);
}

/* A moment names its day unless it is today's (issue 12, case 8): an alert written after
 * midnight about a failure since 23:00 says it was yesterday. It carries its article,
 * which agrees with the hour (issue 14, item 2): "la 1:50", "las 0:00". */
static void moments_name_the_day_unless_today(void **state)
{
	(void)state;
	const time_t midnight = T_2026_11_28_00_00_00;
	moment_is(T_2026_11_28_10_42_00, T_2026_11_28_10_42_00 + 3600, false, "las 10:42");
	moment_is(midnight, midnight + 23 * 3600 + 3599, false, "las 0:00");
	moment_is(midnight + 3600 + 50 * 60, midnight + 2 * 3600, false, "la 1:50");
	moment_is(midnight + 3600 + 50 * 60, midnight + 2 * 3600, true, "el 28 de noviembre a la 1:50");
	moment_is(midnight - 3600, midnight + 5 * 60, false, "ayer a las 23:00");
	moment_is(midnight - 3600, midnight - 60, false, "las 23:00");
	moment_is(midnight - 25 * 3600, midnight + 60, false, "el 26 de noviembre a las 23:00");
	moment_is(T_2026_11_28_10_42_00, T_2026_11_28_10_42_00, true, "el 28 de noviembre a las 10:42");
	moment_is(midnight - 3600, midnight + 5 * 60, true, "el 27 de noviembre a las 23:00");
	/* across a year's end, and later days (the end of a window) */
	moment_is(T_2027_01_01_00_00_00 - 3600, T_2027_01_01_00_00_00 + 60, false, "ayer a las 23:00");
	moment_is(T_2027_01_01_00_00_00 - 3600, T_2027_01_01_00_00_00 + 86400 + 60, false,
		  "el 31 de diciembre de 2026 a las 23:00");
	moment_is(T_2026_11_28_10_42_00 + 86400, T_2026_11_28_10_42_00, false,
		  "mañana a las 10:42");
	moment_is(T_2026_11_28_10_42_00 + 2 * 86400, T_2026_11_28_10_42_00, false,
		  "el 30 de noviembre a las 10:42");
	/* a 25-hour day is still one day: 02:30 on the day clocks go back, at 23:00 */
	moment_is(T_2026_10_25_02_59_59 - 1800, T_2026_10_25_02_59_59 + 21 * 3600, false, "las 2:29");
}

static void words_are(long long seconds, const char *want)
{
	char buf[ES_DURATION_WORDS_SIZE];
	es_duration_words(seconds, buf);
	if (strcmp(buf, want))
		fail_msg("es_duration_words(%lld) = '%s', expected '%s'", seconds, buf, want);
}

/* Posts say durations in words, never "8 s" (issue 14, item 2). */
static void durations_in_words(void **state)
{
	(void)state;
	words_are(-5, "menos de un minuto");
	words_are(8, "menos de un minuto");
	words_are(59, "menos de un minuto");
	words_are(60, "1 minuto");
	words_are(119, "1 minuto");
	words_are(33 * 60, "33 minutos");
	words_are(3599, "59 minutos");
	words_are(3600, "1 hora");
	words_are(3600 + 60, "1 hora y 1 minuto");
	words_are(3600 + 10 * 60 + 59, "1 hora y 10 minutos");
	words_are(23 * 3600 + 59 * 60, "23 horas y 59 minutos");
	words_are(86400, "1 día");
	words_are(86400 + 3600, "1 día y 1 hora");
	words_are(2 * 86400 + 3 * 3600 + 59 * 60, "2 días y 3 horas");
	words_are(LLONG_MAX, "106751991167300 días y 15 horas");
}

static void period_is(time_t from, time_t until, time_t today, const char *want)
{
	char buf[ES_PERIOD_SIZE];
	assert_true(es_period(from, until, today, buf));
	if (strcmp(buf, want))
		fail_msg("es_period(%lld, %lld) = '%s', expected '%s'", (long long)from,
			 (long long)until, buf, want);
}

/* A window within a day is a range without articles; one across midnight names each
 * end's day, so that "de 22:00 a 2:00" cannot be read as the same day. */
static void periods(void **state)
{
	(void)state;
	const time_t midnight = T_2026_11_28_00_00_00;
	period_is(midnight + 9 * 3600, midnight + 14 * 3600, midnight, "el 28 de noviembre de 9:00 a 14:00");
	period_is(midnight - 2 * 3600, midnight + 2 * 3600, midnight - 86400,
		  "del 27 de noviembre a las 22:00 al 28 de noviembre a las 2:00");
	period_is(midnight - 2 * 3600, midnight + 3600, midnight - 86400,
		  "del 27 de noviembre a las 22:00 al 28 de noviembre a la 1:00");
	period_is(T_2027_01_01_00_00_00 - 7200, T_2027_01_01_00_00_00, T_2027_01_01_00_00_00 - 86400,
		  "del 31 de diciembre a las 22:00 al 1 de enero de 2027 a las 0:00");
	period_is(T_2027_01_01_00_00_00 + 9 * 3600, T_2027_01_01_00_00_00 + 10 * 3600, midnight,
		  "el 1 de enero de 2027, de 9:00 a 10:00");
}

/* Where a value starts a sentence (issue 14, item 1: "⚠️ La Sede…", "…que la Sede…"). */
static void sentence_starts(void **state)
{
	(void)state;
	const char *starts[] = {"", "⚠️ ", "✅ ", "Hoy. ", "¿De verdad? ", "Hoy…", "Uno\n", "Sí! ¿",
				"🇪🇸 ", "👩🏽‍💻 "};
	for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
		if (!es_sentence_start(starts[i], strlen(starts[i])))
			fail_msg("'%s' should start a sentence", starts[i]);
	const char *inside[] = {"pero ", "Mantenimiento: ", "desde ", "uno, ", "(a) "};
	for (size_t i = 0; i < sizeof inside / sizeof *inside; i++)
		if (es_sentence_start(inside[i], strlen(inside[i])))
			fail_msg("'%s' should not start a sentence", inside[i]);
}

/* "de el" is "del", "a el" is "al"; but not after "desde", nor before "El Escorial". */
static void contractions(void **state)
{
	(void)state;
	assert_true(es_contracts("acceso de ", 10, "el Portal"));
	assert_true(es_contracts("De ", 3, "el Portal"));
	assert_true(es_contracts("llama a ", 8, "el 060"));
	assert_true(es_contracts("a partir de ", 12, "el 28 de noviembre a las 9:00"));
	assert_false(es_contracts("desde ", 6, "el 28 de noviembre"));
	assert_false(es_contracts("para ", 5, "el Portal"));
	assert_false(es_contracts("oficina de ", 11, "El Escorial"));
	assert_false(es_contracts("acceso de ", 10, "la Sede"));
	assert_false(es_contracts("acceso de ", 10, "elPortal"));
	assert_false(es_contracts("casa ", 5, "el Portal"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(times),
		UNIT_TEST(times_around_midnight),
		UNIT_TEST(times_across_daylight_saving),
		UNIT_TEST(times_follow_the_zone),
		UNIT_TEST(durations),
		UNIT_TEST(durations_out_of_range),
		UNIT_TEST(dates),
		UNIT_TEST(dates_around_midnight),
		UNIT_TEST(month_names),
		UNIT_TEST(unconvertible_times),
		UNIT_TEST(moments_name_the_day_unless_today),
		UNIT_TEST(durations_in_words),
		UNIT_TEST(periods),
		UNIT_TEST(sentence_starts),
		UNIT_TEST(contractions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
