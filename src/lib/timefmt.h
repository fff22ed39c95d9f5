/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timefmt.h — ISO 8601 timestamps, as EVE and STIX write them.
 */
#ifndef VG_TIMEFMT_H
#define VG_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* vg_time_eve: "2026-11-27T23:31:50.123456+0000" (UTC) for ts_us
 * (microseconds since the epoch) into buf (>= 32 bytes); returns length. */
size_t vg_time_eve(int64_t ts_us, char *buf, size_t n);
/* vg_time_iso: "2026-11-27T23:31:50Z" for seconds since the epoch. */
size_t vg_time_iso(int64_t ts, char *buf, size_t n);
/* vg_time_parse: parse ISO 8601 / RFC 3339 date or date-time ("2014-05-08",
 * "2014-05-08T09:00:00Z", with optional fraction and +hh:mm offset) into
 * seconds since the epoch.  Returns 0 or VG_EINVAL. */
int vg_time_parse(const char *s, size_t n, int64_t *out);

#endif
