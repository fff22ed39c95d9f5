/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan/yara.h — YARA rules for `vigil scan`, on libyara 4.2.3: compile once,
 * one scanner per worker thread, scan buffers only (never let libyara open
 * a file: it hangs on FIFOs, and its SIGBUS/SIGSEGV handling races between
 * threads, so scans run with SCAN_FLAGS_NO_TRYCATCH on memory the caller
 * read itself).
 */
#ifndef VG_SCAN_YARA_H
#define VG_SCAN_YARA_H

#include "vigil/common.h"

#include <stddef.h>
#include <stdint.h>

typedef struct vg_yara vg_yara_t;                 /* compiled rules, shared read-only by threads */
typedef struct vg_yara_scanner vg_yara_scanner_t; /* one per worker thread */

/* One matching rule.  Every pointer is borrowed and valid only during the
 * on_hit callback.  At most 16 tags and 16 metas are passed (more are
 * dropped); meta values are strings, integers printed in decimal,
 * booleans as "true"/"false". */
typedef struct vg_yara_hit {
	const char *rule, *ns;
	const char *tags[16];
	int ntags;
	const char *meta_key[16];
	const char *meta_val[16];
	int nmeta;
} vg_yara_hit_t;

/*
 * vg_yara_load — compile rules (or load a precompiled file).
 *  rules     a .yar file, or a directory: every *.yar / *.yara file below it
 *            (subdirectories up to 8 deep, sorted by name, symlinks not
 *            followed).  A single file compiles into namespace "default";
 *            files of a directory each into a namespace named by their path
 *            relative to the directory ("sub/x.yar"), so equal rule names in
 *            different files do not clash.  `include` works, relative to
 *            the including file.
 *  compiled  true: rules is a trusted file written by yr_rules_save / yarac
 *            (yr_rules_load); nothing is compiled.
 *  diag      receives compiler errors (VG_SEV_ERROR) and warnings
 *            (VG_SEV_WARN) as (file, line, message); may be NULL.
 * Compiling stops at the first file with errors.  The first call also
 * initialises libyara (once per process, thread-safe).
 * Returns 0 (*out set), VG_EFORMAT (syntax/compile errors, reported through
 * diag), VG_EIO (cannot read; errno kept), VG_ENOMEM, VG_EINVAL.
 */
int vg_yara_load(vg_yara_t **out, const char *rules, bool compiled, vg_diag_fn diag, void *ctx);

/*
 * vg_yara_load_ex — vg_yara_load that also declares external variables at
 * compile time ("name=value", typed as in vg_yara_scanner_new).  Rules that
 * use an external variable compile only when it is declared, so source
 * rules that use `-d` variables need this; the values given here are the
 * defaults a scanner sees unless it sets its own.  Ignored for compiled
 * rules (they carry their own declarations).  Same returns; VG_EINVAL for a
 * define without '='.
 */
int vg_yara_load_ex(vg_yara_t **out, const char *rules, bool compiled, const char *const *defines,
		    int ndefines, vg_diag_fn diag, void *ctx);

/*
 * vg_yara_scanner_new — a scanner over y for one thread.
 *  defines    "name=value" external variables, set on this scanner only
 *             (yr_scanner_define_*; never on the shared rules).  value is an
 *             integer when it is all digits (optional leading '-'), a
 *             boolean for "true"/"false", else a string.
 *  timeout_s  per-scan timeout in seconds (0: none).
 * y must outlive the scanner.  Returns 0, VG_EINVAL (malformed define, or a
 * variable the rules do not declare / of another type), VG_ENOMEM.
 */
int vg_yara_scanner_new(vg_yara_t *y, const char *const *defines, int ndefines, int timeout_s,
			vg_yara_scanner_t **out);

/*
 * vg_yara_scan_mem — scan buf/n (SCAN_FLAGS_NO_TRYCATCH); on_hit is called
 * once per matching rule, in rule order.  A non-zero return from on_hit
 * stops the scan and is returned.  Returns 0, VG_ELIMIT (timeout, or
 * libyara's too-many-matches limit), VG_ENOMEM, or VG_EINVAL (other libyara
 * errors).  Not for concurrent use of one scanner.
 */
int vg_yara_scan_mem(vg_yara_scanner_t *s, const uint8_t *buf, size_t n,
		     int (*on_hit)(void *ctx, const vg_yara_hit_t *h), void *ctx);

/* vg_yara_rule_count: number of rules in y. */
unsigned vg_yara_rule_count(const vg_yara_t *y);

void vg_yara_scanner_free(vg_yara_scanner_t *s); /* NULL ok */
void vg_yara_free(vg_yara_t *y);                 /* NULL ok; after all its scanners */

#endif
