#include "spanish.h"

#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

static const char *const months[12] = {
	"enero", "febrero", "marzo", "abril", "mayo", "junio",
	"julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
};

const char *es_month_name(int month)
{
	return month >= 1 && month <= 12 ? months[month - 1] : NULL;
}

bool es_time(time_t t, char buf[ES_TIME_SIZE])
{
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		buf[0] = '\0';
		return false;
	}
	snprintf(buf, ES_TIME_SIZE, "%d:%02d", tm.tm_hour, tm.tm_min);
	return true;
}

void es_duration(long long seconds, char buf[ES_DURATION_SIZE])
{
	long long s = seconds < 0 ? 0 : seconds;
	if (s < 60)
		snprintf(buf, ES_DURATION_SIZE, "%lld s", s);
	else if (s < 3600)
		snprintf(buf, ES_DURATION_SIZE, "%lld min", s / 60);
	else if (s < 86400 && s % 3600 < 60)
		snprintf(buf, ES_DURATION_SIZE, "%lld h", s / 3600);
	else if (s < 86400)
		snprintf(buf, ES_DURATION_SIZE, "%lld h %lld min", s / 3600, s % 3600 / 60);
	else if (s % 86400 < 3600)
		snprintf(buf, ES_DURATION_SIZE, "%lld d", s / 86400);
	else
		snprintf(buf, ES_DURATION_SIZE, "%lld d %lld h", s / 86400, s % 86400 / 3600);
}

/* "1 hora", "2 horas": a count and its unit, singular for one. */
static int unit(char *buf, size_t size, long long n, const char *one, const char *many)
{
	return snprintf(buf, size, "%lld %s", n, n == 1 ? one : many);
}

void es_duration_words(long long seconds, char buf[ES_DURATION_WORDS_SIZE])
{
	long long s = seconds < 0 ? 0 : seconds;
	if (s < 60) {
		snprintf(buf, ES_DURATION_WORDS_SIZE, "menos de un minuto");
		return;
	}
	/* the larger unit, and the next one when it is not zero, as es_duration() */
	static const struct {
		long long seconds;
		const char *one, *many;
	} units[] = {{86400, "día", "días"}, {3600, "hora", "horas"}, {60, "minuto", "minutos"}};
	size_t u = s >= 86400 ? 0 : s >= 3600 ? 1 : 2;
	int n = unit(buf, ES_DURATION_WORDS_SIZE, s / units[u].seconds, units[u].one, units[u].many);
	long long rest = u < 2 ? s % units[u].seconds / units[u + 1].seconds : 0;
	if (rest && n > 0 && n < ES_DURATION_WORDS_SIZE - 3) {
		memcpy(buf + n, " y ", 4);
		n += 3;
		unit(buf + n, ES_DURATION_WORDS_SIZE - (size_t)n, rest, units[u + 1].one,
		     units[u + 1].many);
	}
}

bool es_date(time_t t, bool with_year, char buf[ES_DATE_SIZE])
{
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		buf[0] = '\0';
		return false;
	}
	if (with_year)
		/* long: tm_year + 1900 overflows an int near the end of what tm can hold */
		snprintf(buf, ES_DATE_SIZE, "%d de %s de %ld", tm.tm_mday, months[tm.tm_mon],
			 (long)tm.tm_year + 1900);
	else
		snprintf(buf, ES_DATE_SIZE, "%d de %s", tm.tm_mday, months[tm.tm_mon]);
	return true;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil), so that days
 * compare across month and year ends whatever the length of the day (DST). */
static long long day_number(const struct tm *tm)
{
	long long y = (long long)tm->tm_year + 1900 - (tm->tm_mon < 2);
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long mp = (tm->tm_mon + 10) % 12; /* March is 0 */
	long long doy = (153 * mp + 2) / 5 + tm->tm_mday - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The article of a clock time: "la 1:50", "las 13:00". */
static const char *article(const struct tm *tm)
{
	return tm->tm_hour == 1 ? "la" : "las";
}

/* "28 de noviembre", with " de 2025" when its year is not that of now. */
static void day_of(const struct tm *tm, const struct tm *now, char buf[ES_DATE_SIZE])
{
	if (tm->tm_year == now->tm_year)
		snprintf(buf, ES_DATE_SIZE, "%d de %s", tm->tm_mday, months[tm->tm_mon]);
	else
		snprintf(buf, ES_DATE_SIZE, "%d de %s de %ld", tm->tm_mday, months[tm->tm_mon],
			 (long)tm->tm_year + 1900);
}

bool es_moment(time_t t, time_t today, bool dated, char buf[ES_MOMENT_SIZE])
{
	struct tm tm, now;
	if (!localtime_r(&t, &tm) || !localtime_r(&today, &now)) {
		buf[0] = '\0';
		return false;
	}
	long long days_before = day_number(&now) - day_number(&tm);
	char day[ES_DATE_SIZE + 8] = "";
	if (!dated && days_before == 1) {
		snprintf(day, sizeof day, "ayer a ");
	} else if (!dated && days_before == -1) {
		snprintf(day, sizeof day, "mañana a ");
	} else if (dated || days_before != 0) {
		char date[ES_DATE_SIZE];
		day_of(&tm, &now, date);
		snprintf(day, sizeof day, "el %s a ", date);
	}
	snprintf(buf, ES_MOMENT_SIZE, "%s%s %d:%02d", day, article(&tm), tm.tm_hour, tm.tm_min);
	return true;
}

bool es_period(time_t from, time_t until, time_t today, char buf[ES_PERIOD_SIZE])
{
	struct tm a, b, now;
	if (!localtime_r(&from, &a) || !localtime_r(&until, &b) || !localtime_r(&today, &now)) {
		buf[0] = '\0';
		return false;
	}
	char first[ES_DATE_SIZE], last[ES_DATE_SIZE];
	day_of(&a, &now, first);
	day_of(&b, &now, last);
	if (day_number(&a) == day_number(&b))
		snprintf(buf, ES_PERIOD_SIZE, "el %s%s de %d:%02d a %d:%02d", first,
			 a.tm_year == now.tm_year ? "" : ",", a.tm_hour, a.tm_min, b.tm_hour, b.tm_min);
	else
		snprintf(buf, ES_PERIOD_SIZE, "del %s a %s %d:%02d al %s a %s %d:%02d", first,
			 article(&a), a.tm_hour, a.tm_min, last, article(&b), b.tm_hour, b.tm_min);
	return true;
}

/* The code point that ends the len bytes of s (len > 0), and where it starts (*start);
 * -1 when the bytes there are not UTF-8. */
static utf8proc_int32_t last_char(const char *s, size_t len, size_t *start)
{
	size_t i = len - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	utf8proc_int32_t cp = -1;
	utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
	*start = i;
	return cp;
}

/* Whether cp stands outside a sentence's words: a space, part of an emoji, an opening
 * mark. */
static bool passed_over(utf8proc_int32_t cp)
{
	static const utf8proc_int32_t marks[] = {' ', 0xA0, '(', '"', 0xA1, 0xBF, 0xAB, 0x200D};
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
		if (cp == marks[i])
			return true;
	int bound = utf8proc_get_property(cp)->boundclass;
	/* Extend: variation selectors and skin tones */
	return bound == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
	       bound == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR || bound == UTF8PROC_BOUNDCLASS_EXTEND;
}

bool es_sentence_start(const char *before, size_t len)
{
	while (len > 0) {
		size_t start;
		utf8proc_int32_t cp = last_char(before, len, &start);
		if (cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == '\n')
			return true;
		if (cp < 0 || !passed_over(cp))
			return false;
		len = start;
	}
	return true;
}

bool es_contracts(const char *before, size_t len, const char *value)
{
	if (strncmp(value, "el", 2) || (value[2] != ' ' && value[2] != '\0'))
		return false;
	static const char *const prepositions[] = {"de ", "De ", "DE ", "a ", "A "};
	for (size_t i = 0; i < sizeof prepositions / sizeof *prepositions; i++) {
		size_t n = strlen(prepositions[i]), start;
		if (len < n || memcmp(before + len - n, prepositions[i], n))
			continue;
		/* a whole word: "desde el" and "para el" do not contract */
		if (len == n)
			return true;
		utf8proc_category_t c = utf8proc_category(last_char(before, len - n, &start));
		return c < UTF8PROC_CATEGORY_LU || c > UTF8PROC_CATEGORY_LO;
	}
	return false;
}
