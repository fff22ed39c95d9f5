// SPDX-License-Identifier: Apache-2.0
/*
 * timefmt.c — ISO 8601 formatting and parsing without locale or TZ
 * dependencies (days-from-civil arithmetic, so results never depend on the
 * process's time zone).
 */
#include "lib/timefmt.h"

#include "vigil/common.h"

#include <stdio.h>

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

static void split(int64_t ts, int64_t *y, unsigned *mo, unsigned *d, unsigned *h, unsigned *mi,
		  unsigned *s)
{
	int64_t days = ts / 86400, rem = ts % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, y, mo, d);
	*h = (unsigned)(rem / 3600);
	*mi = (unsigned)(rem % 3600 / 60);
	*s = (unsigned)(rem % 60);
}

size_t vg_time_eve(int64_t ts_us, char *buf, size_t n)
{
	int64_t sec = ts_us / 1000000, us = ts_us % 1000000;
	if (us < 0) {
		us += 1000000;
		sec--;
	}
	int64_t y;
	unsigned mo, d, h, mi, s;
	split(sec, &y, &mo, &d, &h, &mi, &s);
	int r = snprintf(buf, n, "%04lld-%02u-%02uT%02u:%02u:%02u.%06lld+0000", (long long)y, mo, d,
			 h, mi, s, (long long)us);
	return r < 0 ? 0 : (size_t)r < n ? (size_t)r : n - 1;
}

size_t vg_time_iso(int64_t ts, char *buf, size_t n)
{
	int64_t y;
	unsigned mo, d, h, mi, s;
	split(ts, &y, &mo, &d, &h, &mi, &s);
	int r = snprintf(buf, n, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, mo, d, h, mi, s);
	return r < 0 ? 0 : (size_t)r < n ? (size_t)r : n - 1;
}

static int num(const char *s, size_t n, size_t *i, int digits, unsigned *out)
{
	unsigned v = 0;
	for (int k = 0; k < digits; k++) {
		if (*i >= n || s[*i] < '0' || s[*i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[*i] - '0');
		(*i)++;
	}
	*out = v;
	return 0;
}

int vg_time_parse(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	unsigned y, mo, d, h = 0, mi = 0, sec = 0;
	*out = 0;
	if (num(s, n, &i, 4, &y) || i >= n || s[i++] != '-' || num(s, n, &i, 2, &mo) || i >= n ||
	    s[i++] != '-' || num(s, n, &i, 2, &d))
		return VG_EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return VG_EINVAL;
	int64_t off = 0;
	if (i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
		i++;
		if (num(s, n, &i, 2, &h) || i >= n || s[i++] != ':' || num(s, n, &i, 2, &mi))
			return VG_EINVAL;
		if (i < n && s[i] == ':') {
			i++;
			if (num(s, n, &i, 2, &sec))
				return VG_EINVAL;
		}
		if (h > 23 || mi > 59 || sec > 60)
			return VG_EINVAL;
		if (i < n && s[i] == '.') {
			i++;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
		}
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			int sign = s[i] == '-' ? -1 : 1;
			unsigned oh, om = 0;
			i++;
			if (num(s, n, &i, 2, &oh))
				return VG_EINVAL;
			if (i < n && s[i] == ':')
				i++;
			if (i < n && num(s, n, &i, 2, &om))
				return VG_EINVAL;
			off = sign * (int64_t)(oh * 3600 + om * 60);
		}
	}
	if (i != n)
		return VG_EINVAL;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return 0;
}
