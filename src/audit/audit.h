/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit/audit.h — the result model of `vigil audit`: every check, network
 * (audit/net_*.c) or firmware (audit/fw_*.c), records one or more results
 * here; reports (JSON, terminal, HTML) and `audit compare` read them.
 *
 * A result is (check id, target, verdict, evidence).  The check id is a
 * stable dotted name ("net.cred.telnet", "fw.passwd.empty"); which
 * provisions it belongs to (ETSI EN 303 645, QCVN 135 group, Decision 724
 * item, OWASP IoT Top 10, NISTIR 8259A) is NOT code: it comes from the
 * mapping data files data/audit-map-*.tsv (compiled in, extendable with
 * vg_audit_add_map), with the provision catalogue data/audit-provisions.tsv
 * (audit/map.h), so a
 * check never hard-codes a provision.  Every check id used in code must
 * have a row there (a unit test checks it).
 *
 * Per provision, the report's verdict is the worst of its checks' results
 * (FAIL > INCONCLUSIVE > PASS > NOT-TESTED); provisions no check covered
 * are listed as NOT-TESTED.
 *
 * Not thread-safe: checks that run in parallel record under their own
 * lock or collect per-thread and merge (vg_audit_merge).
 */
#ifndef VG_AUDIT_AUDIT_H
#define VG_AUDIT_AUDIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vg_verdict {
	VG_V_NOT_TESTED = 0,
	VG_V_PASS = 1,
	VG_V_INCONCLUSIVE = 2,
	VG_V_FAIL = 3,
};
/* "NOT-TESTED", "PASS", "INCONCLUSIVE", "FAIL" */
const char *vg_verdict_name(int v);
int vg_verdict_parse(const char *s); /* -1 if unknown */

typedef struct vg_audit vg_audit_t;

/* vg_audit_new: kind "device" or "firmware"; subject = address or image
 * path.  Start time is now.  0 or VG_ENOMEM. */
int vg_audit_new(vg_audit_t **out, const char *kind, const char *subject);
void vg_audit_free(vg_audit_t *a);

/*
 * vg_audit_add — record a result.  check: check id (must be in the map);
 * target: what was tested ("127.0.1.5:23/tcp", "etc/shadow", "" = the
 * subject); evidence: printf-style, human-readable, one line, no secrets
 * beyond what proves the finding (a default password found IS evidence).
 * 0 or VG_ENOMEM / VG_EINVAL (unknown verdict).
 */
int vg_audit_add(vg_audit_t *a, const char *check, const char *target, int verdict,
		 const char *evidence_fmt, ...) __attribute__((format(printf, 5, 6)));
int vg_audit_addv(vg_audit_t *a, const char *check, const char *target, int verdict,
		  const char *evidence_fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* vg_audit_set_info: free-form key/value facts about the subject shown in
 * the report header (e.g. "model", "firmware", "scope_owner"). */
int vg_audit_set_info(vg_audit_t *a, const char *key, const char *value);

/* vg_audit_merge: move every result of src into dst (src left empty). */
int vg_audit_merge(vg_audit_t *dst, vg_audit_t *src);

/* vg_audit_add_map: load a user check -> provision map file on top of the
 * built-in ones (rows override by check id).  Loads the built-in maps first
 * if needed.  0 or a negative VG_E* with "file:line: msg" in err. */
int vg_audit_add_map(vg_audit_t *a, const char *path, char *err, size_t errlen);

/* vg_audit_map: the maps in use (built-in ones loaded on first call).
 * NULL with a message in err when the built-in data does not parse. */
struct vg_amap;
const struct vg_amap *vg_audit_map(vg_audit_t *a, char *err, size_t errlen);

/* vg_audit_subject: the subject given to vg_audit_new. */
const char *vg_audit_subject(const vg_audit_t *a);

/* vg_audit_count: how many results have verdict v. */
size_t vg_audit_count(const vg_audit_t *a, int v);

/* ---- output (audit/report.c) ------------------------------------------- */

typedef struct vg_audit_out {
	const char *json_path;  /* NULL = none; "-" = stdout */
	const char *html_path;  /* NULL = none */
	bool summary;           /* terminal summary on stdout (default true) */
	bool color;             /* ANSI colours in the summary (isatty) */
} vg_audit_out_t;

/*
 * vg_audit_report — finish a (end time) and write every requested output.
 * Returns 0 or a negative VG_E* (with a message in err).  The command's
 * exit code is then vg_audit_exit_code(a): 0 all PASS/NOT-TESTED, 1 some
 * FAIL, 3 no FAIL but some INCONCLUSIVE (2 is reserved for errors).
 */
int vg_audit_report(vg_audit_t *a, const vg_audit_out_t *o, char *err, size_t errlen);
int vg_audit_exit_code(const vg_audit_t *a);

#endif
