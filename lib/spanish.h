#ifndef INCLUINFO_SPANISH_H
#define INCLUINFO_SPANISH_H

/*
 * Times, durations and dates written the Spanish way, for texts people read: "10:42",
 * "1 h 5 min", "28 de noviembre"; in posts, "desde las 13:00", "1 hora y 5 minutos",
 * and the two rules that join a phrase to the sentence around it (a capital at the start
 * of a sentence, "del" and "al"). Times and dates are in the process's local time zone
 * (localtime_r): the command layer sets TZ from the configured `timezone` and calls
 * tzset() first. Every function writes a NUL-terminated string into the caller's buffer,
 * which must hold the matching ES_*_SIZE bytes; nothing is allocated.
 */

#include <stdbool.h>
#include <time.h>

#define ES_TIME_SIZE 16     /* "23:59" */
#define ES_DURATION_SIZE 32 /* "106751991167300 d 15 h" is the longest */
#define ES_DURATION_WORDS_SIZE 64 /* "106751991167300 días y 23 horas" */
#define ES_DATE_SIZE 48     /* "30 de septiembre de 2026" */
#define ES_MOMENT_SIZE 96   /* "el 30 de septiembre de 2026 a las 23:59" */
#define ES_PERIOD_SIZE 192  /* "del 30 de septiembre de 2026 a las 23:59 al 1 de octubre de 2027 a las 0:00" */

/*
 * The clock time of t: 24-hour clock, the hour without a leading zero, the minutes with
 * two digits ("10:42", "9:05", "0:00"). Seconds are dropped, not rounded, so that a time
 * is never shown later than it happened. False, and buf empty, when t is beyond what
 * localtime_r can convert.
 */
bool es_time(time_t t, char buf[ES_TIME_SIZE]);

/*
 * A length of time in the short form operators read (`check -v`, `status`), in the
 * largest two units with the smaller one left out when it is zero: "45 s" (under a
 * minute, in seconds), "33 min", "1 h", "1 h 5 min", "2 d", "2 d 3 h". Each unit is
 * rounded down (3599 s is "59 min", not "1 h"), as a clock would show it. A negative
 * length is "0 s". Posts use es_duration_words().
 */
void es_duration(long long seconds, char buf[ES_DURATION_SIZE]);

/*
 * A length of time in words, for posts: the same two units and rounding as
 * es_duration(), each unit in words with its number in digits, joined by "y" ("1 minuto", "33 minutos", "1 hora y 10
 * minutos", "2 días y 3 horas"). Under a minute is "menos de un minuto": seconds tell
 * the public nothing and look like a fault of the program. Negative counts as 0.
 */
void es_duration_words(long long seconds, char buf[ES_DURATION_WORDS_SIZE]);

/*
 * The date of t: day without a leading zero, "de", the month's name in lower case
 * ("28 de noviembre"), and with with_year " de 2026" after it. False, and buf empty, when
 * t cannot be converted.
 */
bool es_date(time_t t, bool with_year, char buf[ES_DATE_SIZE]);

/*
 * A moment as a post names it, with its article, as the RAE's Diccionario panhispánico de
 * dudas («hora») has times read: the article agrees with the hour ("la 1:50", "las 0:05", "las 13:00"), so
 * templates write "desde {hora}", never "desde las {hora}". The day is told whenever it
 * is not the day of today (the day the post is written): "ayer a las 23:00" the day
 * before, "mañana a las 2:00" the day after, and the date on any other ("el 2 de
 * diciembre a las 9:00", with the year when it is not today's: "el 31 de diciembre de
 * 2025 a las 23:00"). With dated, the date is named on today's day too ("el 30 de
 * noviembre a las 10:42"). False, and buf empty, when t or today cannot be converted.
 */
bool es_moment(time_t t, time_t today, bool dated, char buf[ES_MOMENT_SIZE]);

/*
 * A period from from to until, as an announcement names it, always with its dates:
 * within one day "el 28 de noviembre de 9:00 a 14:00" (a range without articles, as the
 * RAE writes "de 9:00 a 14:00"); across midnight or over several days, each end with its
 * date, "del 12 de diciembre a las 22:00 al 13 de diciembre a las 2:00". A date carries
 * its year when it is not today's ("el 2 de enero de 2027, de 9:00 a 14:00"). An end at
 * midnight is on the next day. False, and buf empty, when a time cannot be converted.
 */
bool es_period(time_t from, time_t until, time_t today, char buf[ES_PERIOD_SIZE]);

/*
 * Whether a text placed after the len bytes of before would start a sentence: before is
 * empty, or ends with '.', '!', '?', '…' or a line end, once trailing spaces, emoji
 * (with their variation selectors and joiners) and opening marks ('¡', '¿', '«', '"',
 * '(') are passed over. before is valid UTF-8.
 */
bool es_sentence_start(const char *before, size_t len);

/*
 * Whether the preposition that the len bytes of before end with, "de " or "a " (any
 * case, a whole word), contracts with value's article "el" ("de el Portal" is written
 * "del Portal", "a el" "al": Diccionario panhispánico de dudas, «al», «del»). Only the
 * lower-case article contracts: "de El Escorial" is a name, and is not.
 */
bool es_contracts(const char *before, size_t len, const char *value);

/* The month's name in lower case, month 1 to 12 ("enero"); NULL for any other number. */
const char *es_month_name(int month);

#endif
