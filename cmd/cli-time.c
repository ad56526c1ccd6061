#include <stdio.h>
#include <stdlib.h>

#include "incluinfo.h"

void cli_time_iso(time_t t, char buf[32])
{
	struct tm tm;
	localtime_r(&t, &tm);
	long offset = tm.tm_gmtoff / 60;
	char sign = offset < 0 ? '-' : '+';
	offset = labs(offset);
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, "%c%02ld:%02ld", sign, offset / 60, offset % 60);
}

void cli_time_human(time_t t, char buf[32])
{
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm);
}
