// SPDX-License-Identifier: Apache-2.0
/*
 * test_dev_vuln.c — the vulnerable-version table (src/dev/vuln.c,
 * data/vulns.tsv): version ordering, component recognition in realistic
 * banners and version strings, each starter fact of issue 6 section 4
 * matched (and its fixed version not matched), version-less rows, load
 * errors with FILE:LINE, and user extension files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dev/vuln.h"
#include "vigil/common.h"

/* Rule: numbers compare numerically, letters are suffixes after the
 * plain version, missing tokens are 0. */
static void t_cmp(void **st)
{
	(void)st;
	static const char *const order[] = {"0.9.8", "0.9.8z", "0.9.8za", "1.0.0", "1.0.0m", "1.0.1",
					    "1.0.1a", "1.0.1f", "1.0.1g", "1.0.2", "1.0.10"};
	for (size_t i = 0; i + 1 < sizeof(order) / sizeof(order[0]); i++) {
		assert_true(vg_version_cmp(order[i], order[i + 1]) < 0);
		assert_true(vg_version_cmp(order[i + 1], order[i]) > 0);
	}
	assert_true(vg_version_cmp("2014.63", "2016.74") < 0);
	assert_true(vg_version_cmp("2016.74", "2016.74") == 0);
	assert_true(vg_version_cmp("2019.78", "2016.74") > 0);
	assert_true(vg_version_cmp("1.33.1", "1.34.0") < 0);
	assert_true(vg_version_cmp("1.34", "1.34.0") == 0);
	assert_true(vg_version_cmp("1.4.0", "1.34.0") < 0);
	assert_true(vg_version_cmp("3.10.14", "4.8.3") < 0);
	assert_true(vg_version_cmp("4.8.10", "4.8.3") > 0);
	assert_true(vg_version_cmp("007", "7") == 0);
	assert_true(vg_version_cmp("170124/5.4.5", "210628") < 0);
	assert_true(vg_version_cmp("", "1") < 0);
	assert_true(vg_version_cmp(NULL, "") == 0);
}

static void comp(const char *text, const char *c, const char *v)
{
	char cc[32], vv[48];
	if (!c) {
		assert_int_equal(vg_vuln_component(text, strlen(text), cc, vv), 0);
		return;
	}
	if (!vg_vuln_component(text, strlen(text), cc, vv))
		fail_msg("no component in \"%s\"", text);
	assert_string_equal(cc, c);
	assert_string_equal(vv, v);
}

/* Rule: the recognisers find component and version in the banner and
 * firmware-string forms the table is used on. */
static void t_component(void **st)
{
	(void)st;
	comp("BusyBox v1.19.4 (2013-06-11 11:43:41 CST) multi-call binary.", "busybox", "1.19.4");
	comp("OpenSSL 1.0.1e 11 Feb 2013", "openssl", "1.0.1e");
	comp("Apache/2.2.22 (Unix) mod_ssl/2.2.22 OpenSSL/1.0.1e-fips", "openssl", "1.0.1e");
	comp("SSH-2.0-dropbear_2014.63", "dropbear", "2014.63");
	comp("Dropbear sshd v2014.63", "dropbear", "2014.63");
	comp("GoAhead-Webs", "goahead", "");
	comp("GoAhead-http", "goahead", "");
	comp("GoAhead-Webs/2.5.0 PeerSec-MatrixSSL/3.4.2-OPEN", "goahead", "2.5.0");
	comp("Linux version 3.10.14 (root@build) (gcc version 4.9.3) #1 SMP", "linux", "3.10.14");
	comp("Linux/2.6.36, UPnP/1.0, Portable SDK for UPnP devices/1.6.18", "linux", "2.6.36");
	comp("uc-httpd 1.0.0", "uc-httpd", "1.0.0");
	comp("App-webs/", "hikvision", "");
	comp("DNVRS-Webs", "hikvision", "");
	comp("Hikvision-Webs", "hikvision", "");
	comp("V5.4.5 build 170124", "hikvision", "170124/5.4.5");
	comp("V5.4.5build 170124", "hikvision", "170124/5.4.5");
	comp("DH_WEB", "dahua", "");
	comp("Dahua Rtsp Server", "dahua", "");
	comp("220 MikroTik FTP server (MikroTik 6.40.5) ready", "routeros", "6.40.5");
	comp("RomPager/4.07 UPnP/1.0", "rompager", "4.07");
	comp("nginx/1.18.0", NULL, NULL);
	comp("GNU/Linux", NULL, NULL);
	comp("Linux, UPnP/1.0", NULL, NULL);
	comp("", NULL, NULL);
	/* the earliest component in the text wins */
	comp("Linux/3.4.35 UPnP/1.0 OpenSSL/1.0.1f", "linux", "3.4.35");
}

static vg_vulns_t *V;

static int setup(void **st)
{
	(void)st;
	return vg_vulns_builtin(&V);
}
static int teardown(void **st)
{
	(void)st;
	vg_vulns_free(V);
	return 0;
}

/* hits of text as "comp version CVEs|..." */
static const char *hits(const char *text)
{
	static char out[2048];
	vg_vuln_hit_t h[8];
	int n = vg_vuln_text(V, text, strlen(text), h, 8);
	out[0] = 0;
	size_t o = 0;
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s %s %s", i ? "|" : "", h[i].component,
				      h[i].version, h[i].cves);
	return out;
}

/* Rule: each starter fact of issue 6 section 4, from a realistic banner or
 * version string, and the first fixed version is not flagged. */
static void t_starter_facts(void **st)
{
	(void)st;
	assert_string_equal(vg_vulns_version(V), "2026.11.1");
	/* Hikvision: CVE-2017-7921, CVE-2021-36260 */
	assert_string_equal(hits("V5.4.0 build 160530"),
			    "hikvision 160530/5.4.0 CVE-2017-7921|hikvision 160530/5.4.0 CVE-2021-36260");
	assert_string_equal(hits("V5.5.0 build 170725"), "hikvision 170725/5.5.0 CVE-2021-36260");
	assert_string_equal(hits("V5.5.800 build 210628"), "");
	assert_string_equal(hits("App-webs/"), "hikvision  CVE-2017-7921,CVE-2021-36260");
	/* Dahua: CVE-2021-33044, CVE-2021-33045 */
	assert_string_equal(hits("DH_WEB"), "dahua  CVE-2021-33044,CVE-2021-33045");
	/* XiongMai uc-httpd: CVE-2017-7577 */
	assert_string_equal(hits("uc-httpd 1.0.0"), "uc-httpd 1.0.0 CVE-2017-7577");
	/* GoAhead: CVE-2017-17562 */
	assert_string_equal(hits("GoAhead-Webs"), "goahead  CVE-2017-17562");
	assert_string_equal(hits("GoAhead-http/3.6.4"), "goahead 3.6.4 CVE-2017-17562");
	assert_string_equal(hits("GoAhead-http/3.6.5"), "");
	/* Dropbear before 2016.74: CVE-2016-7406..7409 (and 2017.75 fixes) */
	assert_string_equal(hits("SSH-2.0-dropbear_2014.63"),
			    "dropbear 2014.63 CVE-2016-7406,CVE-2016-7407,CVE-2016-7408,CVE-2016-7409|"
			    "dropbear 2014.63 CVE-2017-9078,CVE-2017-9079");
	assert_string_equal(hits("SSH-2.0-dropbear_2016.74"), "dropbear 2016.74 CVE-2017-9078,CVE-2017-9079");
	assert_string_equal(hits("SSH-2.0-dropbear_2017.75"), "");
	/* BusyBox before 1.34.0: CVE-2021-42373..42386 */
	const char *bb = hits("BusyBox v1.33.1 (2021-06-14 12:00:00 UTC) multi-call binary.");
	assert_non_null(strstr(bb, "busybox 1.33.1 CVE-2021-42373,"));
	assert_non_null(strstr(bb, ",CVE-2021-42386"));
	assert_string_equal(hits("BusyBox v1.34.0"), "");
	assert_non_null(strstr(hits("BusyBox v1.19.4"), "CVE-2016-2147,CVE-2016-2148"));
	/* OpenSSL 1.0.1 to 1.0.1f: Heartbleed */
	assert_string_equal(hits("OpenSSL 1.0.1e 11 Feb 2013"),
			    "openssl 1.0.1e CVE-2014-0160|openssl 1.0.1e CVE-2014-0224");
	assert_string_equal(hits("OpenSSL 1.0.1"), "openssl 1.0.1 CVE-2014-0160|openssl 1.0.1 CVE-2014-0224");
	assert_string_equal(hits("OpenSSL 1.0.1f"), "openssl 1.0.1f CVE-2014-0160|openssl 1.0.1f CVE-2014-0224");
	assert_string_equal(hits("OpenSSL 1.0.1g"), "openssl 1.0.1g CVE-2014-0224");
	assert_string_equal(hits("OpenSSL 1.0.2k-fips"), "");
	assert_string_equal(hits("OpenSSL 1.0.0"), "openssl 1.0.0 CVE-2014-0224");
	/* several components in one Server: header */
	assert_string_equal(hits("Linux/3.10.14 UPnP/1.0 OpenSSL/1.0.1c"),
			    "openssl 1.0.1c CVE-2014-0160|openssl 1.0.1c CVE-2014-0224|linux 3.10.14 CVE-2016-5195");
	assert_string_equal(hits("nginx"), "");
}

/* Rule: version-less rows match only an unknown version; ranged rows only
 * a known one; "<=" is inclusive; max limits hits; summaries present. */
static void t_check(void **st)
{
	(void)st;
	vg_vuln_hit_t h[4];
	assert_int_equal(vg_vuln_check(V, "uc-httpd", "", h, 4), 1);
	assert_non_null(strstr(h[0].summary, "XiongMai"));
	assert_int_equal(vg_vuln_check(V, "uc-httpd", "1.0.0", h, 4), 1);
	assert_int_equal(vg_vuln_check(V, "uc-httpd", "1.0.1", h, 4), 0);
	assert_int_equal(vg_vuln_check(V, "hikvision", "161125/5.4.4", h, 4), 2);
	assert_int_equal(vg_vuln_check(V, "hikvision", "161126/5.4.4", h, 4), 1);
	assert_int_equal(vg_vuln_check(V, "hikvision", "161125/5.4.4", h, 1), 1);
	assert_int_equal(vg_vuln_check(V, "dahua", "1.0", h, 4), 0);
	assert_int_equal(vg_vuln_check(V, "nothing", "", h, 4), 0);
	assert_int_equal(vg_vuln_check(NULL, "dahua", "", h, 4), 0);
}

static char ERR[300];

/* Rule: load errors are VG_EFORMAT naming FILE:LINE; a good user file adds
 * rows; the first file's version stays. */
static void t_load(void **st)
{
	(void)st;
	static const struct {
		const char *text, *err;
	} cases[] = {
		{"# v\nx\t-\t1\tCVE-2020-1234\n", "t.tsv:2: expected 5 TAB-separated fields: component first-affected fixed-in cves summary"},
		{"x\t-\t1\tCVE-2020-1234\ts\textra\n", "t.tsv:1: too many fields"},
		{"X\t-\t1\tCVE-2020-1234\ts\n", "t.tsv:1: component must be lower-case [a-z0-9._-]"},
		{"x\t1 2\t1\tCVE-2020-1234\ts\n", "t.tsv:1: bad first-affected version"},
		{"x\t-\t<=-\tCVE-2020-1234\ts\n", "t.tsv:1: \"<=-\" is not a version"},
		{"x\t-\t1\tCVE-20-1\ts\n", "t.tsv:1: cves must be CVE-YYYY-NNNN[,CVE-...]"},
		{"x\t-\t1\tCVE-2020-1234,\ts\n", "t.tsv:1: cves must be CVE-YYYY-NNNN[,CVE-...]"},
		{"x\t-\t1\tCVE-2020-1234\t\n", "t.tsv:1: empty summary"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_vulns_t *v = (vg_vulns_t *)1;
		assert_int_equal(vg_vulns_load_text(&v, "t.tsv", cases[i].text, strlen(cases[i].text), ERR,
						    sizeof(ERR)),
				 VG_EFORMAT);
		assert_null(v);
		assert_string_equal(ERR, cases[i].err);
	}
	char path[] = "/tmp/vigil-vulns-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *add = "# version: 1\r\nbusybox\t1.34.0\t<=1.35.0\tCVE-2022-28391\tnetstat escape (test row)\r\n";
	assert_int_equal(write(fd, add, strlen(add)), (ssize_t)strlen(add));
	close(fd);
	vg_vulns_t *v;
	assert_int_equal(vg_vulns_builtin(&v), 0);
	assert_int_equal(vg_vulns_add(v, path, ERR, sizeof(ERR)), 0);
	vg_vuln_hit_t h[4];
	assert_int_equal(vg_vuln_check(v, "busybox", "1.35.0", h, 4), 1);
	assert_string_equal(h[0].cves, "CVE-2022-28391");
	assert_string_equal(h[0].summary, "netstat escape (test row)");
	assert_string_equal(vg_vulns_version(v), "2026.11.1");
	vg_vulns_free(v);
	assert_int_equal(vg_vulns_load(&v, path, ERR, sizeof(ERR)), 0);
	assert_string_equal(vg_vulns_version(v), "1");
	vg_vulns_free(v);
	unlink(path);
	assert_int_equal(vg_vulns_load(&v, path, ERR, sizeof(ERR)), VG_EIO);
	assert_null(v);
	vg_vulns_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_cmp),
		cmocka_unit_test(t_component),
		cmocka_unit_test(t_starter_facts),
		cmocka_unit_test(t_check),
		cmocka_unit_test(t_load),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
