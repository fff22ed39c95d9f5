/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit/compare.h — `vigil audit compare A.json B.json`: what changed
 * between two audit reports (a re-test after a fix, or a new firmware).
 *
 * Rows are per provision (its status), per check id (the worst of its
 * results, as for provisions) and per finding: a FAIL or INCONCLUSIVE
 * result on either side, keyed by check id + target; a finding absent
 * from the other report counts there as PASS when its check ran there
 * (the check did not flag that target any more), else NOT-TESTED.  With
 * PASS < INCONCLUSIVE < FAIL: worse in B = regressed, better = fixed,
 * equal = unchanged; NOT-TESTED in A only = new, in B only = untested.
 * The command exits 1 when a provision or a check id regressed; findings
 * are the detail (a new FAIL target of a check already failing is a
 * regressed finding, not a regressed check).
 */
#ifndef VG_AUDIT_COMPARE_H
#define VG_AUDIT_COMPARE_H

#include <stddef.h>

enum { VG_CMP_UNCHANGED, VG_CMP_FIXED, VG_CMP_REGRESSED, VG_CMP_NEW, VG_CMP_UNTESTED };

typedef struct vg_cmp_row {
	int is_check;  /* 0 provision, 1 check id, 2 finding */
	char *id;      /* provision id, check id, or "check target" */
	int va, vb;    /* verdicts in A and B */
	int change;    /* VG_CMP_* */
} vg_cmp_row_t;

/* vg_cmp_name: "unchanged", "fixed", "regressed", "new", "untested". */
const char *vg_cmp_name(int change);

/* vg_audit_compare: compare two JSON reports (text).  *rows (owned by the
 * caller, vg_cmp_free) in report order: provisions of B, then checks.
 * 0, or VG_EFORMAT with "A|B: message" in err, or VG_ENOMEM. */
int vg_audit_compare(const char *a, size_t alen, const char *b, size_t blen, vg_cmp_row_t **rows,
		     size_t *n, char *err, size_t errlen);
void vg_cmp_free(vg_cmp_row_t *rows, size_t n);

#endif
