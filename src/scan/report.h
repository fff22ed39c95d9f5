/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.h — `vigil scan` reports: JSON lines (scan_hit, scan_skip,
 * scan_summary) and the self-contained HTML report.
 */
#ifndef VG_SCAN_REPORT_H
#define VG_SCAN_REPORT_H

#include "lib/buf.h"
#include "lib/json.h"
#include "scan/hash.h"
#include "scan/walk.h"
#include "scan/yara.h"
#include "vigil/intel.h"

#include <stdio.h>

typedef struct vg_scan_summary {
	uint64_t files, bytes, hits, errors;
	uint64_t skipped[VG_WSKIP__COUNT];
	uint64_t yara_timeouts, yara_partial; /* files whose YARA scan timed out / saw a prefix */
	double duration_s;
} vg_scan_summary_t;

/* vg_report_match_ind — write one {"type":"indicator",...} object for the
 * n matches (same indicator, one per metadata record) of a hash lookup. */
void vg_report_match_ind(vg_jw_t *w, const vg_store_t *s, const vg_match_t *m, int n);
/* vg_report_match_yara — write one {"type":"yara",...} object; partial > 0:
 * only the first `partial` bytes of the file were scanned (stated). */
void vg_report_match_yara(vg_jw_t *w, const vg_yara_hit_t *h, uint64_t partial);

/*
 * vg_report_hit — append one scan_hit JSON line (ending in '\n') to b:
 * path, size, mtime (ISO 8601), owner {uid,name}, mode (octal text), the
 * digests computed, matches (matches/mlen: a JSON array), action
 * ("quarantined" with quarantine_id when qid, else "reported"; qerr: a
 * quarantine failure reason or NULL).  Thread-safe (getpwuid_r).
 */
void vg_report_hit(vg_buf_t *b, const char *path, const struct stat *st, const vg_digests_t *d,
		   const char *matches, size_t mlen, const char *qid, const char *qerr);
/* vg_report_skip — one scan_skip line: path, reason, errno text when err. */
void vg_report_skip(vg_buf_t *b, const char *path, const char *reason, int err, uint64_t size);
/* vg_report_summary — the final scan_summary line. */
void vg_report_summary(vg_buf_t *b, const vg_scan_summary_t *s);

/* HTML report: entries collected during the scan (caller serialises). */
typedef struct vg_html vg_html_t;
vg_html_t *vg_html_new(void);
/* vg_html_add — one (group, file) row: group is "feed SOURCE" or
 * "rule NS:RULE"; detail a short text (indicator, or rule meta).  Copied.
 * 0 or VG_ENOMEM. */
int vg_html_add(vg_html_t *h, const char *group, const char *path, uint64_t size,
		const char *sha256hex, const char *detail);
/* vg_html_write — the whole page: summary table, then hits grouped by
 * group (sorted), every text HTML-escaped.  0, or VG_EIO. */
int vg_html_write(vg_html_t *h, FILE *f, const vg_scan_summary_t *s, const char *roots);
void vg_html_free(vg_html_t *h);

#endif
