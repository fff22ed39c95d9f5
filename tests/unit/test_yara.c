// SPDX-License-Identifier: Apache-2.0
/*
 * test_yara.c — the libyara wrapper (src/scan/yara.c) with the project's
 * own rules in tests/data/yara: EICAR string rule (built from its string at
 * test time), a hex rule with wildcards, external variables set per
 * scanner, metas/tags/namespaces in hits, includes, directories, compiler
 * diagnostics, precompiled rules, and concurrent scanners on shared rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "scan/yara.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define D "tests/data/yara/"

/* ---- diagnostics and hits collected by the callbacks ---- */
static char dmsg[8][256], dfile[8][256];
static unsigned long dline[8];
static int dsev[8], nd;

static void dg(void *ctx, const char *file, unsigned long line, int sev, const char *msg)
{
	(void)ctx;
	if (nd < 8) {
		snprintf(dmsg[nd], sizeof dmsg[nd], "%s", msg);
		snprintf(dfile[nd], sizeof dfile[nd], "%s", file ? file : "");
		dline[nd] = line;
		dsev[nd] = sev;
	}
	nd++;
}

typedef struct hits {
	int n;
	char rule[8][64], ns[8][64];
	char tags[8][128]; /* comma-joined */
	char metas[8][512]; /* "k=v;k=v" */
} hits_t;

static int on_hit(void *ctx, const vg_yara_hit_t *h)
{
	hits_t *H = ctx;
	if (H->n >= 8)
		return 0;
	int i = H->n++;
	snprintf(H->rule[i], sizeof H->rule[i], "%s", h->rule);
	snprintf(H->ns[i], sizeof H->ns[i], "%s", h->ns);
	H->tags[i][0] = H->metas[i][0] = 0;
	for (int k = 0; k < h->ntags; k++) {
		strcat(H->tags[i], k ? "," : "");
		strcat(H->tags[i], h->tags[k]);
	}
	for (int k = 0; k < h->nmeta; k++) {
		size_t l = strlen(H->metas[i]);
		snprintf(H->metas[i] + l, sizeof H->metas[i] - l, "%s%s=%s", k ? ";" : "",
			 h->meta_key[k], h->meta_val[k]);
	}
	return 0;
}

static int scan_str(vg_yara_scanner_t *s, const char *buf, size_t n, hits_t *H)
{
	memset(H, 0, sizeof *H);
	return vg_yara_scan_mem(s, (const uint8_t *)buf, n, on_hit, H);
}

/* EICAR, assembled at run time so no file of the repository holds it whole. */
static void eicar(char *out)
{
	strcpy(out, "X5O!P%@AP[4\\PZX54(P^)7CC)7}$");
	strcat(out, "EICAR-STANDARD-ANTIVIRUS");
	strcat(out, "-TEST-FILE!$H+H*");
}

/* Rule: the EICAR string rule hits the EICAR test file, with namespace
 * "default" (single file), its tags, and string/int/bool metas. */
static void test_eicar(void **st)
{
	(void)st;
	vg_yara_t *y;
	nd = 0;
	assert_int_equal(vg_yara_load(&y, D "eicar.yar", false, dg, NULL), 0);
	assert_int_equal(nd, 0);
	assert_int_equal(vg_yara_rule_count(y), 1);
	vg_yara_scanner_t *s;
	assert_int_equal(vg_yara_scanner_new(y, NULL, 0, 10, &s), 0);
	char e[80];
	eicar(e);
	assert_int_equal(strlen(e), 68);
	hits_t H;
	assert_int_equal(scan_str(s, e, strlen(e), &H), 0);
	assert_int_equal(H.n, 1);
	assert_string_equal(H.rule[0], "eicar_string");
	assert_string_equal(H.ns[0], "default");
	assert_string_equal(H.tags[0], "test,antivirus");
	assert_string_equal(H.metas[0],
			    "author=vigil project;"
			    "reference=https://www.eicar.org/download-anti-malware-testfile/;"
			    "severity=3;is_test=true");
	assert_int_equal(scan_str(s, "clean", 5, &H), 0);
	assert_int_equal(H.n, 0);
	assert_int_equal(scan_str(s, NULL, 0, &H), 0);
	assert_int_equal(H.n, 0);
	vg_yara_scanner_free(s);
	vg_yara_free(y);
}

/* Rule: a hex string with ?? wildcards and a [2-4] jump, anchored at 0. */
static void test_hex(void **st)
{
	(void)st;
	vg_yara_t *y;
	assert_int_equal(vg_yara_load(&y, D "hex.yar", false, dg, NULL), 0);
	vg_yara_scanner_t *s;
	assert_int_equal(vg_yara_scanner_new(y, NULL, 0, 0, &s), 0);
	hits_t H;
	static const char m1[] = "MZ\x90\x00" "abc" "\xde\xad\x01\xef" "tail";
	assert_int_equal(scan_str(s, m1, sizeof m1 - 1, &H), 0);
	assert_int_equal(H.n, 1);
	assert_string_equal(H.rule[0], "hex_wildcards");
	static const char m2[] = "MZ\x00\x00" "ab" "\xde\xad\xff\xef";
	assert_int_equal(scan_str(s, m2, sizeof m2 - 1, &H), 0);
	assert_int_equal(H.n, 1);
	/* jump too long (5 bytes) */
	static const char n1[] = "MZ\x90\x00" "abcde" "\xde\xad\x01\xef";
	assert_int_equal(scan_str(s, n1, sizeof n1 - 1, &H), 0);
	assert_int_equal(H.n, 0);
	/* not at offset 0 */
	static const char n2[] = "xMZ\x90\x00" "abc" "\xde\xad\x01\xef";
	assert_int_equal(scan_str(s, n2, sizeof n2 - 1, &H), 0);
	assert_int_equal(H.n, 0);
	vg_yara_scanner_free(s);
	vg_yara_free(y);
}

/* Rule: external variables must be declared to compile (plain load fails
 * with a diagnostic), and each scanner's own values decide its result. */
static void test_external(void **st)
{
	(void)st;
	vg_yara_t *y;
	nd = 0;
	assert_int_equal(vg_yara_load(&y, D "external.yar", false, dg, NULL), VG_EFORMAT);
	assert_true(nd >= 1);
	assert_int_equal(dsev[0], VG_SEV_ERROR);
	assert_string_equal(dfile[0], D "external.yar");
	assert_int_equal(dline[0], 5);
	assert_non_null(strstr(dmsg[0], "undefined identifier \"owner\""));

	const char *defs[] = {"owner=nobody", "min_size=0"};
	assert_int_equal(vg_yara_load_ex(&y, D "external.yar", false, defs, 2, dg, NULL), 0);
	const char *da[] = {"owner=mallory"};
	const char *db[] = {"owner=mallory", "min_size=100"};
	vg_yara_scanner_t *s0, *sa, *sb;
	assert_int_equal(vg_yara_scanner_new(y, NULL, 0, 0, &s0), 0);
	assert_int_equal(vg_yara_scanner_new(y, da, 1, 0, &sa), 0);
	assert_int_equal(vg_yara_scanner_new(y, db, 2, 0, &sb), 0);
	hits_t H;
	assert_int_equal(scan_str(sa, "0123456789", 10, &H), 0);
	assert_int_equal(H.n, 1);
	assert_string_equal(H.rule[0], "external_owner");
	/* the compile-time default "nobody" is untouched by sa */
	assert_int_equal(scan_str(s0, "0123456789", 10, &H), 0);
	assert_int_equal(H.n, 0);
	/* min_size 100 > filesize 10 */
	assert_int_equal(scan_str(sb, "0123456789", 10, &H), 0);
	assert_int_equal(H.n, 0);
	/* malformed define, undeclared variable, wrong type */
	vg_yara_scanner_t *bad;
	const char *e1[] = {"noequals"}, *e2[] = {"nosuch=1"}, *e3[] = {"owner=5"};
	assert_int_equal(vg_yara_scanner_new(y, e1, 1, 0, &bad), VG_EINVAL);
	assert_int_equal(vg_yara_scanner_new(y, e2, 1, 0, &bad), VG_EINVAL);
	assert_int_equal(vg_yara_scanner_new(y, e3, 1, 0, &bad), VG_EINVAL);
	assert_null(bad);
	vg_yara_scanner_free(s0);
	vg_yara_scanner_free(sa);
	vg_yara_scanner_free(sb);
	vg_yara_free(y);
}

/* Rule: author and reference metas reach the hit (rule licences require
 * them), integer metas printed in decimal; include is relative to the
 * including file and both rules report. */
static void test_meta_include(void **st)
{
	(void)st;
	vg_yara_t *y;
	assert_int_equal(vg_yara_load(&y, D "include.yar", false, dg, NULL), 0);
	assert_int_equal(vg_yara_rule_count(y), 2);
	vg_yara_scanner_t *s;
	assert_int_equal(vg_yara_scanner_new(y, NULL, 0, 0, &s), 0);
	hits_t H;
	const char *in = "....campaign-marker-7f3a....";
	assert_int_equal(scan_str(s, in, strlen(in), &H), 0);
	assert_int_equal(H.n, 2);
	assert_string_equal(H.rule[0], "with_metas");
	assert_string_equal(H.tags[0], "apt,campaign");
	assert_string_equal(H.metas[0],
			    "author=Jane Analyst;reference=https://example.org/reports/apt-x;version=2");
	assert_string_equal(H.rule[1], "included_ok");
	assert_string_equal(H.metas[1], "");
	vg_yara_scanner_free(s);
	vg_yara_free(y);
}

/* Rule: a syntax error fails the load with VG_EFORMAT and a diagnostic
 * naming file and line; a warning is reported and the rules still load. */
static void test_diagnostics(void **st)
{
	(void)st;
	vg_yara_t *y = (vg_yara_t *)1;
	nd = 0;
	assert_int_equal(vg_yara_load(&y, D "bad/syntax.yar", false, dg, NULL), VG_EFORMAT);
	assert_null(y);
	assert_int_equal(nd, 1);
	assert_string_equal(dfile[0], D "bad/syntax.yar");
	assert_int_equal(dline[0], 7);
	assert_int_equal(dsev[0], VG_SEV_ERROR);
	assert_string_equal(dmsg[0], "syntax error");

	nd = 0;
	assert_int_equal(vg_yara_load(&y, D "bad/warn.yar", false, dg, NULL), 0);
	assert_int_equal(nd, 1);
	assert_int_equal(dsev[0], VG_SEV_WARN);
	assert_int_equal(dline[0], 5);
	assert_string_equal(dmsg[0], "string \"$a\" may slow down scanning");
	vg_yara_free(y);

	/* a directory with one bad file fails as a whole */
	nd = 0;
	assert_int_equal(vg_yara_load(&y, D "bad", false, dg, NULL), VG_EFORMAT);
	nd = 0;
	assert_int_equal(vg_yara_load(&y, D "no-such.yar", false, dg, NULL), VG_EIO);
	assert_int_equal(nd, 1);
	assert_string_equal(dmsg[0], "No such file or directory");
}

/* Rule: a directory loads every .yar/.yara below it (not other files),
 * each in a namespace named by its relative path, so equal rule names in
 * two files do not clash. */
static void test_dir(void **st)
{
	(void)st;
	vg_yara_t *y;
	nd = 0;
	assert_int_equal(vg_yara_load(&y, D "dir", false, dg, NULL), 0);
	assert_int_equal(nd, 0);
	assert_int_equal(vg_yara_rule_count(y), 2);
	vg_yara_scanner_t *s;
	assert_int_equal(vg_yara_scanner_new(y, NULL, 0, 0, &s), 0);
	hits_t H;
	const char *in = "dir-marker-b dir-marker-a";
	assert_int_equal(scan_str(s, in, strlen(in), &H), 0);
	assert_int_equal(H.n, 2);
	assert_string_equal(H.rule[0], "same_name");
	assert_string_equal(H.ns[0], "a.yar");
	assert_string_equal(H.rule[1], "same_name");
	assert_string_equal(H.ns[1], "sub/b.yara");
	vg_yara_scanner_free(s);
	vg_yara_free(y);
}

static int stop_hit(void *ctx, const vg_yara_hit_t *h)
{
	(void)h;
	(*(int *)ctx)++;
	return 7;
}

/* Rule: a non-zero return from on_hit stops the scan and is returned. */
static void test_stop(void **st)
{
	(void)st;
	vg_yara_t *y;
	assert_int_equal(vg_yara_load(&y, D "include.yar", false, dg, NULL), 0);
	vg_yara_scanner_t *s;
	assert_int_equal(vg_yara_scanner_new(y, NULL, 0, 0, &s), 0);
	int calls = 0;
	const char *in = "campaign-marker-7f3a";
	assert_int_equal(vg_yara_scan_mem(s, (const uint8_t *)in, strlen(in), stop_hit, &calls), 7);
	assert_int_equal(calls, 1);
	vg_yara_scanner_free(s);
	vg_yara_free(y);
}

/* Rule: compiled=true loads a yarac output; a source file given as
 * compiled is refused with VG_EFORMAT. */
static void test_compiled(void **st)
{
	(void)st;
	if (system("command -v yarac >/dev/null 2>&1") != 0)
		skip();
	char path[] = "/tmp/vg_yarcXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "yarac " D "eicar.yar %s", path);
	assert_int_equal(system(cmd), 0);
	vg_yara_t *y;
	assert_int_equal(vg_yara_load(&y, path, true, dg, NULL), 0);
	unlink(path);
	vg_yara_scanner_t *s;
	assert_int_equal(vg_yara_scanner_new(y, NULL, 0, 0, &s), 0);
	char e[80];
	eicar(e);
	hits_t H;
	assert_int_equal(scan_str(s, e, strlen(e), &H), 0);
	assert_int_equal(H.n, 1);
	assert_string_equal(H.rule[0], "eicar_string");
	vg_yara_scanner_free(s);
	vg_yara_free(y);
	nd = 0;
	assert_int_equal(vg_yara_load(&y, D "eicar.yar", true, dg, NULL), VG_EFORMAT);
	assert_int_equal(nd, 1);
}

/* Rule: the per-scan timeout stops a runaway condition with VG_ELIMIT
 * (and the scanner stays usable afterwards). */
static void test_timeout(void **st)
{
	(void)st;
	vg_yara_t *y;
	assert_int_equal(vg_yara_load(&y, D "slow.yar", false, dg, NULL), 0);
	vg_yara_scanner_t *s;
	assert_int_equal(vg_yara_scanner_new(y, NULL, 0, 1, &s), 0);
	size_t n = 200000;
	char *buf = calloc(1, n);
	assert_non_null(buf);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	hits_t H;
	assert_int_equal(scan_str(s, buf, n, &H), VG_ELIMIT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 10);
	assert_int_equal(H.n, 0);
	/* small input: finishes, matches (no 0xff/0xfe pair) */
	assert_int_equal(scan_str(s, buf, 100, &H), 0);
	assert_int_equal(H.n, 1);
	free(buf);
	vg_yara_scanner_free(s);
	vg_yara_free(y);
}

/* ---- threads: one scanner each, different externals, shared rules ---- */
typedef struct thr {
	vg_yara_t *y;
	const char *def;
	int want, bad;
} thr_t;

static void *worker(void *arg)
{
	thr_t *t = arg;
	vg_yara_scanner_t *s;
	const char *d[] = {t->def};
	if (vg_yara_scanner_new(t->y, d, 1, 5, &s) != 0) {
		t->bad = -1;
		return NULL;
	}
	for (int i = 0; i < 500; i++) {
		hits_t H;
		if (scan_str(s, "0123456789", 10, &H) != 0 || H.n != t->want)
			t->bad++;
	}
	vg_yara_scanner_free(s);
	return NULL;
}

/* Rule: scanners on the same rules in parallel threads each see only their
 * own external variables. */
static void test_threads(void **st)
{
	(void)st;
	vg_yara_t *y;
	const char *defs[] = {"owner=nobody", "min_size=0"};
	assert_int_equal(vg_yara_load_ex(&y, D "external.yar", false, defs, 2, dg, NULL), 0);
	pthread_t th[4];
	thr_t t[4] = {{y, "owner=mallory", 1, 0}, {y, "owner=alice", 0, 0},
		      {y, "owner=mallory", 1, 0}, {y, "min_size=11", 0, 0}};
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker, &t[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(t[i].bad, 0);
	}
	vg_yara_free(y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eicar),         cmocka_unit_test(test_hex),
		cmocka_unit_test(test_external),      cmocka_unit_test(test_meta_include),
		cmocka_unit_test(test_diagnostics),   cmocka_unit_test(test_dir),
		cmocka_unit_test(test_stop),          cmocka_unit_test(test_compiled),
		cmocka_unit_test(test_timeout),       cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
