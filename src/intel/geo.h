/* SPDX-License-Identifier: Apache-2.0 */
/*
 * geo.h — "which country is this address in", from MMDB country databases
 * (GeoLite2-Country, DB-IP country lite, through libmaxminddb) and from the
 * RIRs' delegated-statistics files (APNIC, ARIN, RIPE NCC, LACNIC, AFRINIC).
 *
 *   vg_geo_t *g; char err[256];
 *   if (vg_geo_open(paths, n, &g, err, sizeof err)) { report err; }
 *   char cc[3]; if (vg_geo_country(g, &ip, cc) == 1) ...   // "VN"
 *   vg_geo_free(g);
 *
 * Sources are asked in the order given; the first that knows the address
 * answers.  A built database is immutable: lookups may run from any thread.
 */
#ifndef VG_INTEL_GEO_H
#define VG_INTEL_GEO_H

#include "vigil/common.h"

#include <stddef.h>
#include <stdint.h>

typedef struct vg_geo vg_geo_t;

/* vg_geo_new: an empty database (add sources, then vg_geo_build). */
int vg_geo_new(vg_geo_t **out);

/*
 * vg_geo_add_file: add one file, its kind detected by content: an MMDB
 * (metadata marker "\xab\xcd\xefMaxMind.com") or an RIR delegated-stats
 * text file.  On failure returns VG_EIO (unreadable; errno kept),
 * VG_ECORRUPT (an MMDB libmaxminddb refuses), VG_EFORMAT (a bad RIR line,
 * or neither kind), VG_EEMPTY, VG_ENOMEM, and writes "FILE[:LINE]: reason"
 * into err (errlen bytes, may be 0).  The database is unchanged on failure
 * except for RIR ranges of earlier lines of the same file (callers treat
 * any failure as fatal).
 */
int vg_geo_add_file(vg_geo_t *g, const char *path, char *err, size_t errlen);

/*
 * vg_geo_add_rir: parse RIR delegated-statistics text data[0..len) (name
 * is used in messages).  Format per line:
 *   registry|cc|type|start|value|date|status[|extensions...]
 * The version line (first field a number), summary lines (type field "*"
 * ... "summary"), comments (#) and blank lines are skipped, as are asn
 * records and records whose status is not allocated/assigned.  ipv4:
 * value = number of addresses (any count, not only powers of two); ipv6:
 * value = prefix length.  A malformed record is VG_EFORMAT with
 * "NAME:LINE: reason" in err.
 */
int vg_geo_add_rir(vg_geo_t *g, const char *name, const uint8_t *data, size_t len, char *err,
		   size_t errlen);

/* vg_geo_build: sort and index the RIR ranges (call once after adding; the
 * lookups before it find no RIR range).  Where ranges overlap, the one
 * starting first (then the wider) wins.  Returns 0 or VG_ENOMEM. */
int vg_geo_build(vg_geo_t *g);

/* vg_geo_open: new + add_file for paths[0..n) + build. *out is NULL on
 * failure. */
int vg_geo_open(const char *const *paths, int n, vg_geo_t **out, char *err, size_t errlen);

/*
 * vg_geo_country: the ISO 3166 alpha-2 code of ip (uppercase, NUL-ended
 * in cc[3]).  MMDB: country.iso_code, else registered_country.iso_code.
 * Returns 1 found, 0 not in any source (cc = ""), VG_ECORRUPT when an MMDB
 * lookup hit a damaged data section (cc = "").
 */
int vg_geo_country(const vg_geo_t *g, const vg_ip_t *ip, char cc[3]);

/* vg_geo_ranges: number of RIR ranges after vg_geo_build (for tests and
 * summaries). */
size_t vg_geo_ranges(const vg_geo_t *g);

/* vg_geo_free: release (NULL ok). */
void vg_geo_free(vg_geo_t *g);

#endif
