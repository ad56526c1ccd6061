#ifndef INCLUINFO_SPANISH_H
#define INCLUINFO_SPANISH_H

/*
 * Times, durations and dates written the Spanish way, for texts people read: "10:42",
 * "1 h 5 min", "28 de noviembre". Times and dates are in the process's local time zone
 * (localtime_r): the command layer sets TZ from the configured `timezone` and calls
 * tzset() first. Every function writes a NUL-terminated string into the caller's buffer,
 * which must hold the matching ES_*_SIZE bytes; nothing is allocated.
 */

#include <stdbool.h>
#include <time.h>

#define ES_TIME_SIZE 16     /* "23:59" */
#define ES_DURATION_SIZE 32 /* "106751991167300 d 15 h" is the longest */
#define ES_DATE_SIZE 48     /* "30 de septiembre de 2026" */
#define ES_MOMENT_SIZE 80   /* "23:59 del 30 de septiembre de 2026" */

/*
 * The clock time of t: 24-hour clock, the hour without a leading zero, the minutes with
 * two digits ("10:42", "9:05", "0:00"). Seconds are dropped, not rounded, so that a time
 * is never shown later than it happened. False, and buf empty, when t is beyond what
 * localtime_r can convert.
 */
bool es_time(time_t t, char buf[ES_TIME_SIZE]);

/*
 * A length of time, in the largest two units with the smaller one left out when it is
 * zero: "45 s" (under a minute, in seconds), "33 min", "1 h", "1 h 5 min", "2 d",
 * "2 d 3 h". Each unit is rounded down (3599 s is "59 min", not "1 h"), as a clock
 * would show it. A negative length is "0 s".
 */
void es_duration(long long seconds, char buf[ES_DURATION_SIZE]);

/*
 * The date of t: day without a leading zero, "de", the month's name in lower case
 * ("28 de noviembre"), and with with_year " de 2026" after it. False, and buf empty, when
 * t cannot be converted.
 */
bool es_date(time_t t, bool with_year, char buf[ES_DATE_SIZE]);

/*
 * A moment as a post names it after "las", telling the day whenever it is not the day of
 * today (the day the post is written): the clock time alone on that day ("10:42"),
 * "23:00 de ayer" on the day before, and the date on any other ("9:00 del 2 de diciembre",
 * with the year when it is not today's: "23:00 del 31 de diciembre de 2025"). With dated,
 * the date is named on today's day too ("10:42 del 30 de noviembre"). False, and buf
 * empty, when t or today cannot be converted.
 */
bool es_moment(time_t t, time_t today, bool dated, char buf[ES_MOMENT_SIZE]);

/* The month's name in lower case, month 1 to 12 ("enero"); NULL for any other number. */
const char *es_month_name(int month);

#endif
