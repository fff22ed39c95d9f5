/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit/audit_int.h — the inside of vg_audit_t, shared by audit.c (the
 * model) and report*.c (JSON, terminal, HTML).  Not for other modules.
 */
#ifndef VG_AUDIT_AUDIT_INT_H
#define VG_AUDIT_AUDIT_INT_H

#include "audit/audit.h"
#include "audit/map.h"

#include <stdint.h>

typedef struct vg_ares {
	char *check, *target, *evidence;
	int verdict;
} vg_ares_t;

struct vg_audit {
	char *kind, *subject;
	int64_t start, end; /* seconds since the epoch; end 0 = not finished */
	vg_ares_t *r;
	size_t n, cap;
	char **ik, **iv;
	size_t ni;
	vg_amap_t *map; /* loaded on first use (vg_audit_map) */
};

/* Per-provision roll-up computed for a report. */
typedef struct vg_aprov {
	const vg_prov_t *p;
	int verdict;
	size_t *res; /* indexes into a->r */
	size_t nres;
} vg_aprov_t;

/* audit_rollup: one vg_aprov_t per catalogue row (array of vg_amap_nprov),
 * caller frees with audit_rollup_free.  0 or VG_ENOMEM. */
int audit_rollup(const vg_audit_t *a, vg_aprov_t **out);
void audit_rollup_free(vg_aprov_t *p, size_t n);

/* Report writers (report.c, report_html.c): 0 or VG_EIO / VG_ENOMEM. */
int audit_write_json(const vg_audit_t *a, const vg_aprov_t *pv, const char *path);
int audit_write_summary(const vg_audit_t *a, const vg_aprov_t *pv, bool color);
int audit_write_html(const vg_audit_t *a, const vg_aprov_t *pv, const char *path);

#endif
