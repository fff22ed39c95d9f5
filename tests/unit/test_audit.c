// SPDX-License-Identifier: Apache-2.0
/*
 * test_audit.c — the result model and reports of `vigil audit`:
 * verdict names round-trip; exit codes follow FAIL > INCONCLUSIVE > rest;
 * evidence is flattened to one line; merge moves results; the map loader
 * rejects unknown provisions and bad rows with file:line and lets a later
 * row override; the built-in catalogue holds the 62 provisions of EN 303 645
 * V2.1.1 clause 5 with valid scheme labels, and every check id the
 * firmware code (and, once merged, the network code) records has a row;
 * a provision's verdict is the worst of its checks, NOT-TESTED when none;
 * the JSON report carries the TS 103 701 fields; the HTML report escapes
 * evidence; compare classifies fixed / regressed / new / untested.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "audit/audit.h"
#include "audit/compare.h"
#include "audit/fw.h"
#include "audit/map.h"
#include "lib/data.h"
#include "lib/file.h"
#include "vigil/common.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpd[64];

static int setup(void **st)
{
	(void)st;
	snprintf(tmpd, sizeof tmpd, "/tmp/vg-taudit-XXXXXX");
	return mkdtemp(tmpd) ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpd);
	return system(cmd) == 0 ? 0 : -1;
}

static void path(const char *name, char *out, size_t n) { snprintf(out, n, "%s/%s", tmpd, name); }

static void put(const char *name, const char *text)
{
	char p[128];
	path(name, p, sizeof p);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Rule: names are the four upper-case words; parse is exact. */
static void test_verdict_names(void **st)
{
	(void)st;
	for (int v = 0; v <= VG_V_FAIL; v++)
		assert_int_equal(vg_verdict_parse(vg_verdict_name(v)), v);
	assert_string_equal(vg_verdict_name(VG_V_INCONCLUSIVE), "INCONCLUSIVE");
	assert_string_equal(vg_verdict_name(VG_V_NOT_TESTED), "NOT-TESTED");
	assert_string_equal(vg_verdict_name(7), "?");
	assert_int_equal(vg_verdict_parse("pass"), -1);
	assert_int_equal(vg_verdict_parse(NULL), -1);
}

/* Rule: 0 all PASS/NOT-TESTED, 3 INCONCLUSIVE without FAIL, 1 any FAIL;
 * an unknown verdict is refused; evidence becomes one line. */
static void test_exit_codes_and_evidence(void **st)
{
	(void)st;
	vg_audit_t *a;
	assert_int_equal(vg_audit_new(&a, "firmware", "img"), 0);
	assert_int_equal(vg_audit_exit_code(a), 0);
	assert_int_equal(vg_audit_add(a, "fw.extract", "", VG_V_PASS, "ok"), 0);
	assert_int_equal(vg_audit_add(a, "fw.key.shared", "", VG_V_NOT_TESTED, "-"), 0);
	assert_int_equal(vg_audit_exit_code(a), 0);
	assert_int_equal(vg_audit_add(a, "fw.passwd.default", "x", VG_V_INCONCLUSIVE, "a\nb\tc%d", 1), 0);
	assert_int_equal(vg_audit_exit_code(a), 3);
	assert_int_equal(vg_audit_add(a, "fw.passwd.empty", "y", VG_V_FAIL, "%s", "root"), 0);
	assert_int_equal(vg_audit_exit_code(a), 1);
	assert_int_equal(vg_audit_add(a, "fw.passwd.empty", "y", 4, "bad"), VG_EINVAL);
	assert_int_equal(vg_audit_add(a, "fw.passwd.empty", "y", -1, "bad"), VG_EINVAL);
	assert_int_equal(vg_audit_count(a, VG_V_FAIL), 1);
	assert_string_equal(vg_audit_subject(a), "img");
	char js[128];
	path("r.json", js, sizeof js);
	vg_audit_out_t o = {js, NULL, false, false};
	char err[256];
	assert_int_equal(vg_audit_report(a, &o, err, sizeof err), 0);
	json_error_t je;
	json_t *r = json_load_file(js, 0, &je);
	assert_non_null(r);
	json_t *c = json_array_get(json_object_get(r, "checks"), 2);
	assert_string_equal(json_string_value(json_object_get(c, "evidence")), "a b c1");
	json_decref(r);
	vg_audit_free(a);
	vg_audit_free(NULL);
}

/* Rule: merge moves every result; the source is left empty. */
static void test_merge(void **st)
{
	(void)st;
	vg_audit_t *a, *b;
	assert_int_equal(vg_audit_new(&a, "device", "127.0.0.1"), 0);
	assert_int_equal(vg_audit_new(&b, "device", "127.0.0.1"), 0);
	vg_audit_add(a, "fw.extract", "", VG_V_PASS, "a");
	for (int i = 0; i < 100; i++)
		vg_audit_add(b, "fw.passwd.empty", "t", VG_V_FAIL, "%d", i);
	assert_int_equal(vg_audit_merge(a, b), 0);
	assert_int_equal(vg_audit_count(a, VG_V_FAIL), 100);
	assert_int_equal(vg_audit_count(b, VG_V_FAIL), 0);
	assert_int_equal(vg_audit_exit_code(b), 0);
	vg_audit_free(a);
	vg_audit_free(b);
}

/* Rule: map rows name known provisions; errors name file:line; a later
 * row for the same check replaces the earlier; "-" = no provision. */
static void test_map_parse(void **st)
{
	(void)st;
	vg_amap_t *m;
	char err[256];
	assert_int_equal(vg_amap_new(&m), 0);
	const char *prov = "# version: p1\n5.1-1\tM\tT1\tq\td\tI1\tLogical Access to Interfaces\n"
			   "5.1-2\tR\tT2\tq\td\t-\t-\r\n";
	assert_int_equal(vg_amap_load_provisions(m, "p.tsv", prov, strlen(prov), err, sizeof err), 0);
	assert_int_equal(vg_amap_nprov(m), 2);
	const char *bad = "\nx.y\t5.1-1,5.9-9\tT\n";
	assert_int_equal(vg_amap_load_checks(m, "m.tsv", bad, strlen(bad), err, sizeof err),
			 VG_EFORMAT);
	assert_string_equal(err, "m.tsv:2: check x.y: unknown provision '5.9-9'");
	const char *bad2 = "x.y\t5.1-1\n";
	assert_int_equal(vg_amap_load_checks(m, "m.tsv", bad2, strlen(bad2), err, sizeof err),
			 VG_EFORMAT);
	assert_string_equal(err, "m.tsv:1: expected 3 TAB-separated fields, got 2");
	const char *ok = "# version: 7\nx.y\t5.1-1, 5.1-2\tfirst\nx.z\t-\tnone\nx.y\t5.1-2\tsecond\n";
	assert_int_equal(vg_amap_load_checks(m, "m.tsv", ok, strlen(ok), err, sizeof err), 0);
	const vg_amap_check_t *c = vg_amap_check(m, "x.y");
	assert_non_null(c);
	assert_string_equal(c->title, "second");
	assert_int_equal(c->nprov, 1);
	assert_string_equal(vg_amap_prov_at(m, c->prov[0])->id, "5.1-2");
	assert_int_equal(vg_amap_check(m, "x.z")->nprov, 0);
	assert_null(vg_amap_check(m, "nope"));
	const char *n, *v;
	vg_amap_file(m, vg_amap_nfiles(m) - 1, &n, &v);
	assert_string_equal(v, "7");
	vg_amap_file(m, 0, &n, &v);
	assert_string_equal(n, "p.tsv");
	assert_string_equal(v, "p1");
	const char *dup = "5.1-1\tM\tT\tq\td\t-\t-\n";
	assert_int_equal(vg_amap_load_provisions(m, "p2", dup, strlen(dup), err, sizeof err), VG_EFORMAT);
	vg_amap_free(m);
}

static bool in_list(const char *csv, const char *const *ok)
{
	if (!strcmp(csv, "-"))
		return true;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", csv);
	for (char *s = buf, *c; s; s = c) {
		c = strchr(s, ',');
		if (c)
			*c++ = 0;
		bool found = false;
		for (int i = 0; ok[i] && !found; i++)
			found = !strcmp(s, ok[i]);
		if (!found)
			return false;
	}
	return true;
}

/* Rule: the built-in catalogue is EN 303 645 V2.1.1 clause 5 (62
 * provisions, 5.1-1 .. 5.13-1A), with M/R status and valid labels; every
 * check id the code records has a map row. */
static void test_builtin_catalogue(void **st)
{
	(void)st;
	vg_amap_t *m;
	char err[256] = "";
	assert_int_equal(vg_amap_builtin(&m, err, sizeof err), 0);
	assert_int_equal(vg_amap_nprov(m), 62);
	assert_string_equal(vg_amap_prov_at(m, 0)->id, "5.1-1");
	assert_string_equal(vg_amap_prov_at(m, 61)->id, "5.13-1A");
	assert_true(vg_amap_prov_find(m, "5.3-16") >= 0);
	assert_true(vg_amap_prov_find(m, "5.5-8") >= 0);
	assert_int_equal(vg_amap_prov_find(m, "5.14-1"), -1);
	static const char *const owasp[] = {"I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8", "I9", "I10", NULL};
	static const char *const nist[] = {"Device Identification", "Device Configuration",
					   "Data Protection", "Logical Access to Interfaces",
					   "Software Update", "Cybersecurity State Awareness", NULL};
	for (size_t i = 0; i < vg_amap_nprov(m); i++) {
		const vg_prov_t *p = vg_amap_prov_at(m, i);
		assert_true(!strcmp(p->req, "M") || !strcmp(p->req, "R") || !strcmp(p->req, "M C") ||
			    !strcmp(p->req, "R C"));
		assert_true(in_list(p->owasp, owasp));
		assert_true(in_list(p->nist, nist));
		assert_true(strlen(p->title) > 10);
	}
	for (int i = 0; vg_fw_check_ids[i]; i++) {
		const vg_amap_check_t *c = vg_amap_check(m, vg_fw_check_ids[i]);
		if (!c)
			fail_msg("no map row for %s", vg_fw_check_ids[i]);
		if (strcmp(vg_fw_check_ids[i], "fw.extract"))
			assert_true(c->nprov > 0);
	}
	/* the network checks' ids (audit-net branch), once its map is built in */
	static const char *const net[] = {
		"net.ports", "net.cred.telnet", "net.cred.ftp", "net.cred.ssh", "net.cred.http",
		"net.cred.rtsp", "net.cleartext.telnet", "net.cleartext.ftp",
		"net.cleartext.http-basic", "net.cleartext.rtsp-basic", "net.unauth.rtsp",
		"net.unauth.snapshot", "net.unauth.config", "net.upnp.exposed", "net.onvif.exposed",
		"net.upnp.disclosure", "net.onvif.disclosure", "net.tls.version", "net.tls.key",
		"net.tls.expiry", "net.tls.selfsigned", "net.ssh.algorithms", "net.bruteforce",
		"net.vuln.version", NULL};
	if (vg_data_get("audit-map-net.tsv", NULL))
		for (int i = 0; net[i]; i++)
			if (!vg_amap_check(m, net[i]))
				fail_msg("no map row for %s", net[i]);
	vg_amap_free(m);
}

/* Rule: per provision, the worst result wins (FAIL > INCONCLUSIVE > PASS);
 * provisions no check covered are NOT-TESTED; a --map row is used. */
static void test_rollup_and_json(void **st)
{
	(void)st;
	put("m.tsv", "# version: u1\nt.a\t5.1-1\tA\nt.b\t5.1-1,5.5-1\tB\nt.c\t5.5-1\tC\n");
	char mp[128], js[128], err[256];
	path("m.tsv", mp, sizeof mp);
	path("a.json", js, sizeof js);
	vg_audit_t *a;
	assert_int_equal(vg_audit_new(&a, "firmware", "cam.bin"), 0);
	assert_int_equal(vg_audit_add_map(a, mp, err, sizeof err), 0);
	vg_audit_set_info(a, "scope_owner", "Lab A");
	vg_audit_set_info(a, "scope_owner", "Lab B");
	vg_audit_add(a, "t.a", "x", VG_V_PASS, "fine");
	vg_audit_add(a, "t.b", "y", VG_V_FAIL, "bad");
	vg_audit_add(a, "t.c", "z", VG_V_INCONCLUSIVE, "maybe");
	vg_audit_add(a, "t.c", "w", VG_V_PASS, "ok");
	vg_audit_out_t o = {js, NULL, false, false};
	assert_int_equal(vg_audit_report(a, &o, err, sizeof err), 0);
	json_error_t je;
	json_t *r = json_load_file(js, 0, &je);
	assert_non_null(r);
	assert_int_equal(json_integer_value(json_object_get(r, "vigil_audit")), 1);
	assert_string_equal(json_string_value(json_object_get(r, "kind")), "firmware");
	assert_string_equal(json_string_value(json_object_get(r, "subject")), "cam.bin");
	assert_string_equal(json_string_value(json_object_get(r, "scope_owner")), "Lab B");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "tool"), "version")),
			    VG_VERSION);
	assert_non_null(json_object_get(r, "start"));
	assert_non_null(json_object_get(r, "end"));
	json_t *maps = json_object_get(r, "maps");
	json_t *last = json_array_get(maps, json_array_size(maps) - 1);
	assert_string_equal(json_string_value(json_object_get(last, "version")), "u1");
	json_t *pv = json_object_get(r, "provisions");
	assert_int_equal(json_array_size(pv), 62);
	size_t i;
	json_t *p;
	int seen = 0;
	json_array_foreach(pv, i, p) {
		const char *id = json_string_value(json_object_get(p, "id"));
		const char *s = json_string_value(json_object_get(p, "status"));
		size_t nc = json_array_size(json_object_get(p, "checks"));
		if (!strcmp(id, "5.1-1")) {
			assert_string_equal(s, "FAIL");
			assert_int_equal(nc, 2);
			json_t *sc = json_object_get(p, "schemes");
			assert_string_equal(json_string_value(json_object_get(sc, "etsi_en_303_645")), "5.1-1");
			assert_string_equal(json_string_value(json_array_get(json_object_get(sc, "owasp_iot_2018"), 0)), "I1");
			assert_non_null(json_object_get(sc, "qcvn_135_2024"));
			assert_non_null(json_object_get(sc, "decision_724"));
			assert_non_null(json_object_get(sc, "nistir_8259a"));
			assert_string_equal(json_string_value(json_object_get(p, "requirement")), "M C");
			seen++;
		} else if (!strcmp(id, "5.5-1")) {
			assert_string_equal(s, "FAIL"); /* t.b FAIL beats t.c */
			assert_int_equal(nc, 3);
			seen++;
		} else {
			assert_string_equal(s, "NOT-TESTED");
			assert_int_equal(nc, 0);
		}
	}
	assert_int_equal(seen, 2);
	json_t *sum = json_object_get(json_object_get(r, "summary"), "provisions");
	assert_int_equal(json_integer_value(json_object_get(sum, "FAIL")), 2);
	assert_int_equal(json_integer_value(json_object_get(sum, "NOT-TESTED")), 60);
	json_t *c0 = json_array_get(json_object_get(r, "checks"), 1);
	assert_string_equal(json_string_value(json_object_get(c0, "title")), "B");
	assert_int_equal(json_array_size(json_object_get(c0, "provisions")), 2);
	json_decref(r);
	vg_audit_free(a);
}

/* Rule: HTML metacharacters in evidence, targets and info are escaped. */
static void test_html_escape(void **st)
{
	(void)st;
	char hp[128], err[256];
	path("r.html", hp, sizeof hp);
	vg_audit_t *a;
	assert_int_equal(vg_audit_new(&a, "firmware", "<img src=x>"), 0);
	vg_audit_set_info(a, "model", "\"IPC\" & 'co'");
	vg_audit_add(a, "fw.passwd.empty", "etc/<b>", VG_V_FAIL,
		     "<script>alert(\"x\")</script> & 'q'");
	vg_audit_out_t o = {NULL, hp, false, false};
	assert_int_equal(vg_audit_report(a, &o, err, sizeof err), 0);
	char *t;
	size_t n;
	assert_int_equal(vg_file_read(hp, 1 << 20, &t, &n), 0);
	assert_null(strstr(t, "<script"));
	assert_null(strstr(t, "<img"));
	assert_null(strstr(t, "etc/<b>"));
	assert_non_null(strstr(t, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"));
	assert_non_null(strstr(t, "etc/&lt;b&gt;"));
	assert_non_null(strstr(t, "&quot;IPC&quot; &amp; &#39;co&#39;"));
	assert_non_null(strstr(t, "<svg"));
	assert_non_null(strstr(t, "<title>FAIL: 1</title>"));
	free(t);
	vg_audit_free(a);
}

static char *report(vg_audit_t *a, const char *name, size_t *n)
{
	char p[128], err[256];
	path(name, p, sizeof p);
	vg_audit_out_t o = {p, NULL, false, false};
	assert_int_equal(vg_audit_report(a, &o, err, sizeof err), 0);
	char *t;
	assert_int_equal(vg_file_read(p, 1 << 24, &t, n), 0);
	return t;
}

static const vg_cmp_row_t *row(const vg_cmp_row_t *r, size_t n, int is_check, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].is_check == is_check && !strcmp(r[i].id, id))
			return &r[i];
	fail_msg("no row %s", id);
	return NULL;
}

/* Rule: compare — FAIL->PASS fixed, PASS->FAIL regressed (also a new FAIL
 * target of a check that ran before), untested->tested new, tested->
 * untested untested; a FAIL target that disappears while its check ran
 * is fixed; check ids compare their worst result. */
static void test_compare(void **st)
{
	(void)st;
	vg_audit_t *a, *b;
	vg_audit_new(&a, "firmware", "v1");
	vg_audit_new(&b, "firmware", "v2");
	vg_audit_add(a, "fw.passwd.empty", "etc/shadow:1", VG_V_FAIL, "root");
	vg_audit_add(a, "fw.init.telnetd", "etc", VG_V_PASS, "none");
	vg_audit_add(a, "fw.key.private", "", VG_V_PASS, "none");
	vg_audit_add(b, "fw.passwd.empty", "etc/passwd", VG_V_PASS, "none");
	vg_audit_add(b, "fw.init.telnetd", "etc/rcS:3", VG_V_FAIL, "telnetd");
	vg_audit_add(b, "fw.secret.plaintext", "etc/x:1", VG_V_PASS, "none");
	size_t la, lb, n;
	char *ja = report(a, "a.json", &la), *jb = report(b, "b.json", &lb), err[256];
	vg_cmp_row_t *r;
	assert_int_equal(vg_audit_compare(ja, la, jb, lb, &r, &n, err, sizeof err), 0);
	assert_int_equal(row(r, n, 0, "5.1-1")->change, VG_CMP_FIXED);
	assert_int_equal(row(r, n, 0, "5.6-1")->change, VG_CMP_REGRESSED);
	assert_int_equal(row(r, n, 0, "5.4-1")->change, VG_CMP_NEW);
	assert_int_equal(row(r, n, 0, "5.4-3")->change, VG_CMP_UNTESTED);
	assert_int_equal(row(r, n, 0, "5.13-1A")->change, VG_CMP_UNCHANGED);
	assert_int_equal(row(r, n, 1, "fw.passwd.empty")->change, VG_CMP_FIXED);
	assert_int_equal(row(r, n, 1, "fw.init.telnetd")->change, VG_CMP_REGRESSED);
	assert_int_equal(row(r, n, 1, "fw.key.private")->change, VG_CMP_UNTESTED);
	assert_int_equal(row(r, n, 1, "fw.secret.plaintext")->change, VG_CMP_NEW);
	assert_int_equal(row(r, n, 2, "fw.passwd.empty etc/shadow:1")->change, VG_CMP_FIXED);
	assert_int_equal(row(r, n, 2, "fw.init.telnetd etc/rcS:3")->change, VG_CMP_REGRESSED);
	for (size_t i = 0; i < n; i++) /* PASS results are not findings */
		assert_false(r[i].is_check == 2 && !strcmp(r[i].id, "fw.init.telnetd etc"));
	size_t checks = 0;
	for (size_t i = 0; i < n; i++)
		checks += r[i].is_check == 1;
	assert_int_equal(checks, 4);
	assert_string_equal(vg_cmp_name(VG_CMP_REGRESSED), "regressed");
	vg_cmp_free(r, n);
	assert_int_equal(vg_audit_compare("{}", 2, jb, lb, &r, &n, err, sizeof err), VG_EFORMAT);
	assert_string_equal(err, "A: not a vigil audit report (vigil_audit, provisions, checks)");
	assert_int_equal(vg_audit_compare(ja, la, "{\"x\":", 5, &r, &n, err, sizeof err), VG_EFORMAT);
	assert_true(!strncmp(err, "B:1: ", 5));
	const char *badv = "{\"vigil_audit\":1,\"provisions\":[{\"id\":\"5.1-1\",\"status\":\"MEH\"}],\"checks\":[]}";
	assert_int_equal(vg_audit_compare(badv, strlen(badv), jb, lb, &r, &n, err, sizeof err), VG_EFORMAT);
	assert_string_equal(err, "A: provisions[0]: missing id or bad status");
	free(ja);
	free(jb);
	vg_audit_free(a);
	vg_audit_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict_names),
		cmocka_unit_test_setup_teardown(test_exit_codes_and_evidence, setup, teardown),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_map_parse),
		cmocka_unit_test(test_builtin_catalogue),
		cmocka_unit_test_setup_teardown(test_rollup_and_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_escape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
