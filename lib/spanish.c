#include "spanish.h"

#include <stdio.h>

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

bool es_moment(time_t t, time_t today, bool dated, char buf[ES_MOMENT_SIZE])
{
	struct tm tm, now;
	if (!localtime_r(&t, &tm) || !localtime_r(&today, &now)) {
		buf[0] = '\0';
		return false;
	}
	long long days_before = day_number(&now) - day_number(&tm);
	if (days_before == 0 && !dated)
		snprintf(buf, ES_MOMENT_SIZE, "%d:%02d", tm.tm_hour, tm.tm_min);
	else if (days_before == 1 && !dated)
		snprintf(buf, ES_MOMENT_SIZE, "%d:%02d de ayer", tm.tm_hour, tm.tm_min);
	else if (tm.tm_year == now.tm_year)
		snprintf(buf, ES_MOMENT_SIZE, "%d:%02d del %d de %s", tm.tm_hour, tm.tm_min,
			 tm.tm_mday, months[tm.tm_mon]);
	else
		snprintf(buf, ES_MOMENT_SIZE, "%d:%02d del %d de %s de %ld", tm.tm_hour, tm.tm_min,
			 tm.tm_mday, months[tm.tm_mon], (long)tm.tm_year + 1900);
	return true;
}
