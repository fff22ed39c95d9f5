// SPDX-License-Identifier: Apache-2.0
/*
 * test_dev_rules.c — fingerprint rules (src/dev/rules.c,
 * data/fingerprints.rules): every load error names FILE:LINE and the
 * problem, a file loads wholly or not at all, matching by each operator
 * with capture-group templates, user files extend the builtin rules, and
 * the builtin rules classify the devices the issue names from realistic
 * signal values.
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

#include "dev/dev.h"

static char ERR[256];

static int load(vg_dev_rules_t **r, const char *text)
{
	ERR[0] = 0;
	return vg_dev_rules_load_text(r, "t.rules", text, strlen(text), ERR, sizeof(ERR));
}

/* Rule: each syntax error is VG_EFORMAT with "t.rules:LINE: problem". */
static void t_errors(void **st)
{
	(void)st;
	static const struct {
		const char *text, *err;
	} cases[] = {
		{"# c\nr1 http.server prefix \"x\" class=camera\nr1 http.server prefix \"y\" class=pc\n",
		 "t.rules:3: duplicate rule id 'r1'"},
		{"r1 nope.signal prefix \"x\" class=camera\n", "t.rules:1: unknown signal 'nope.signal'"},
		{"\n\nr1 http.server like \"x\" class=camera\n",
		 "t.rules:3: unknown match (exact, prefix, contains, regex, i...) 'like'"},
		{"r1 http.server prefix x class=camera\n",
		 "t.rules:1: pattern must be a non-empty \"quoted string\""},
		{"r1 http.server prefix \"x class=camera\n", "t.rules:1: unterminated quote"},
		{"r1 http.server prefix \"x\"\n", "t.rules:1: rule concludes nothing 'r1'"},
		{"r1 http.server prefix \"x\" class=toaster\n", "t.rules:1: unknown class 'toaster'"},
		{"r1 http.server prefix \"x\" conf=101\n", "t.rules:1: conf must be 0..100, got '101'"},
		{"r1 http.server prefix \"x\" colour=red\n",
		 "t.rules:1: unknown key (class, conf, vendor, model, firmware) 'colour'"},
		{"r1 http.server prefix \"x\" class\n", "t.rules:1: expected KEY=VALUE, got 'class'"},
		{"r1 http.server regex \"(a\" class=pc\n", "t.rules:1: bad regex: 'Unmatched ( or \\('"},
		{"r1 http.server regex \"(a)\" model=$2\n",
		 "t.rules:1: template refers to a missing capture group"},
		{"r1 http.server prefix \"a\" model=$1\n", "t.rules:1: $1..$9 need a regex match"},
		{"r1 http.server prefix \"a\" model=$x\n", "t.rules:1: bad '$' in template '$x'"},
		{"r1\n", "t.rules:1: expected ID SIGNAL MATCH \"PATTERN\" KEY=VALUE..."},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_dev_rules_t *r = (vg_dev_rules_t *)1;
		assert_int_equal(load(&r, cases[i].text), VG_EFORMAT);
		assert_null(r);
		assert_string_equal(ERR, cases[i].err);
	}
}

/* Rule: operators (exact/prefix/contains/regex, case-sensitive or not),
 * templates with $1, $0 and $$, only rules of the signal's kind, the
 * version header, and max results. */
static void t_match(void **st)
{
	(void)st;
	vg_dev_rules_t *r;
	assert_int_equal(load(&r, "# version: 7.1\n"
				  "a http.server exact \"App-webs/\" class=camera conf=70 vendor=Hikvision\n"
				  "b http.server iprefix \"goahead\" class=camera conf=35\n"
				  "c http.server icontains \"dahua\" class=camera vendor=\"Dahua Technology\"\n"
				  "d sadp.model regex \"^(DS-2[A-Z0-9]+)(-[A-Z]+)?$\" class=camera conf=95 model=$1 firmware=\"x$$ $0\"\n"
				  "e sadp.model iregex \"^ds-\" vendor=Hikvision\n"
				  "f rtsp.server prefix \"App-webs/\" class=dvr\n"
				  "g http.server contains \"\\\"q\\\"\" conf=1\n"),
			 0);
	assert_string_equal(vg_dev_rules_version(r), "7.1");
	vg_dev_fp_t fp[4];
	assert_int_equal(vg_dev_rules_match(r, VG_SIG_HTTP_SERVER, "App-webs/", 9, fp, 4), 1);
	assert_string_equal(fp[0].rule_id, "a");
	assert_int_equal(fp[0].cls, VG_CLASS_CAMERA);
	assert_int_equal(fp[0].confidence, 70);
	assert_string_equal(fp[0].vendor, "Hikvision");
	assert_string_equal(fp[0].model, "");
	assert_int_equal(vg_dev_rules_match(r, VG_SIG_HTTP_SERVER, "App-webs/x", 10, fp, 4), 0);
	assert_int_equal(vg_dev_rules_match(r, VG_SIG_HTTP_SERVER, "GoAhead-Webs", 12, fp, 4), 1);
	assert_string_equal(fp[0].rule_id, "b");
	assert_null(fp[0].vendor);
	assert_int_equal(fp[0].confidence, 35);
	assert_int_equal(vg_dev_rules_match(r, VG_SIG_HTTP_SERVER, "xDAHUAx", 7, fp, 4), 1);
	assert_string_equal(fp[0].vendor, "Dahua Technology");
	assert_int_equal(fp[0].confidence, 50); /* default */
	assert_int_equal(vg_dev_rules_match(r, VG_SIG_SADP_MODEL, "DS-2CD2142FWD-I", 15, fp, 4), 2);
	assert_string_equal(fp[0].rule_id, "d");
	assert_string_equal(fp[0].model, "DS-2CD2142FWD");
	assert_string_equal(fp[0].firmware, "x$ DS-2CD2142FWD-I");
	assert_string_equal(fp[1].rule_id, "e");
	assert_int_equal(fp[1].cls, VG_CLASS_UNKNOWN);
	assert_int_equal(vg_dev_rules_match(r, VG_SIG_SADP_MODEL, "DS-2CD2142FWD-I", 15, fp, 1), 1);
	assert_int_equal(vg_dev_rules_match(r, VG_SIG_HTTP_SERVER, "a \"q\" b", 7, fp, 4), 1);
	assert_string_equal(fp[0].rule_id, "g");
	/* len bounds the match: the value after len is not seen */
	assert_int_equal(vg_dev_rules_match(r, VG_SIG_SADP_MODEL, "DS-2CD2142FWD-I", 6, fp, 4), 2);
	assert_string_equal(fp[0].model, "DS-2CD");
	vg_dev_rules_free(r);
}

/* Rule: user files extend a rule set; a broken user file changes nothing
 * (errors name the user's path); a missing file is VG_EIO naming it. */
static void t_add(void **st)
{
	(void)st;
	vg_dev_rules_t *r;
	assert_int_equal(vg_dev_rules_builtin(&r), 0);
	assert_string_equal(vg_dev_rules_version(r), "2026.11.1");
	char path[] = "/tmp/vigil-rules-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *good = "# my rules\nmy-cam http.server prefix \"MyCam/\" class=camera conf=90 vendor=Acme\n";
	assert_int_equal(write(fd, good, strlen(good)), (ssize_t)strlen(good));
	close(fd);
	vg_dev_fp_t fp[2];
	assert_int_equal(vg_dev_rules_match(r, VG_SIG_HTTP_SERVER, "MyCam/1.0", 9, fp, 2), 0);
	assert_int_equal(vg_dev_rules_add(r, path, ERR, sizeof(ERR)), 0);
	assert_int_equal(vg_dev_rules_match(r, VG_SIG_HTTP_SERVER, "MyCam/1.0", 9, fp, 2), 1);
	assert_string_equal(fp[0].vendor, "Acme");
	assert_string_equal(vg_dev_rules_version(r), "2026.11.1");
	/* the same file again: duplicate ids, nothing added */
	assert_int_equal(vg_dev_rules_add(r, path, ERR, sizeof(ERR)), VG_EFORMAT);
	char want[300];
	snprintf(want, sizeof(want), "%s:2: duplicate rule id 'my-cam'", path);
	assert_string_equal(ERR, want);
	assert_int_equal(vg_dev_rules_match(r, VG_SIG_HTTP_SERVER, "MyCam/1.0", 9, fp, 2), 1);
	unlink(path);
	assert_int_equal(vg_dev_rules_add(r, path, ERR, sizeof(ERR)), VG_EIO);
	assert_non_null(strstr(ERR, path));
	vg_dev_rules_t *r2;
	assert_int_equal(vg_dev_rules_load(&r2, path, ERR, sizeof(ERR)), VG_EIO);
	vg_dev_rules_free(r);
	vg_dev_rules_free(NULL);
}

typedef struct exp {
	int kind;
	const char *value;
	const char *rule, *cls, *vendor, *model, *fw;
} exp_t;

/* Rule: the builtin rules say what the issue expects of realistic signal
 * values (first matching rule shown; model/firmware from captures). */
static void t_builtin_rules(void **st)
{
	(void)st;
	vg_dev_rules_t *r;
	assert_int_equal(vg_dev_rules_builtin(&r), 0);
	static const exp_t E[] = {
		{VG_SIG_HTTP_SERVER, "App-webs/", "hik-http-appwebs", "camera", "Hikvision", "", ""},
		{VG_SIG_HTTP_SERVER, "DNVRS-Webs", "hik-http-dnvrs", "dvr", "Hikvision", "", ""},
		{VG_SIG_SADP_MODEL, "DS-2CD2142FWD-I", "hik-sadp-ipc", "camera", "Hikvision", "DS-2CD2142FWD-I", ""},
		{VG_SIG_SADP_MODEL, "DS-7608NI-K2", "hik-sadp-nvr", "dvr", "Hikvision", "DS-7608NI-K2", ""},
		{VG_SIG_SADP_FIRMWARE, "V5.4.5build 170124", "hik-sadp-fw", "unknown", "Hikvision", "", "V5.4.5 build 170124"},
		{VG_SIG_MDNS_INSTANCE, "HIKVISION DS-2CD2042WD-I", "hik-mdns-instance", "camera", "Hikvision", "DS-2CD2042WD-I", ""},
		{VG_SIG_WSD_SCOPE, "onvif://www.onvif.org/hardware/DS-2CD2142FWD-I", "hik-wsd-hardware", "camera", "Hikvision", "DS-2CD2142FWD-I", ""},
		{VG_SIG_HTTP_SERVER, "DH_WEB", "dahua-http-dhweb", "camera", "Dahua", "", ""},
		{VG_SIG_SERVICE, "tcp/37777", "dahua-service-37777", "camera", "Dahua", "", ""},
		{VG_SIG_WSD_SCOPE, "onvif://www.onvif.org/hardware/IPC-HDW1230S", "dahua-wsd-hardware", "camera", "Dahua", "IPC-HDW1230S", ""},
		{VG_SIG_HTTP_SERVER, "uc-httpd 1.0.0", "xm-http-uchttpd", "dvr", "XiongMai", "", ""},
		{VG_SIG_SERVICE, "tcp/34567", "xm-service-34567", "dvr", "XiongMai", "", ""},
		{VG_SIG_WSD_TYPES, "dn:NetworkVideoTransmitter tds:Device", "onvif-nvt", "camera", NULL, "", ""},
		{VG_SIG_HTTP_SERVER, "GoAhead-Webs", "goahead-http", "camera", "Embedthis-GoAhead", "", ""},
		{VG_SIG_FTP_BANNER, "220 MikroTik FTP server (MikroTik 6.40.5) ready", "mikrotik-ftp", "router", "MikroTik", "", "RouterOS 6.40.5"},
		{VG_SIG_HTTP_SERVER, "RomPager/4.07 UPnP/1.0", "rompager", "router", NULL, "", ""},
		{VG_SIG_HTTP_SERVER, "micro_httpd", "micro-httpd", "router", NULL, "", ""},
		{VG_SIG_SSDP_NT, "urn:schemas-upnp-org:device:InternetGatewayDevice:1", "upnp-igd", "router", NULL, "", ""},
		{VG_SIG_MDNS_SERVICE, "_ipp._tcp", "printer-ipp", "printer", NULL, "", ""},
		{VG_SIG_MDNS_SERVICE, "_printer._tcp", "printer-lpd", "printer", NULL, "", ""},
		{VG_SIG_DHCP_VENDOR_CLASS, "Hewlett-Packard JetDirect", "printer-hp-dhcp", "printer", "HP", "", ""},
		{VG_SIG_DHCP_VENDOR_CLASS, "Brother Industries", "printer-brother-dhcp", "printer", "Brother", "", ""},
		{VG_SIG_DHCP_VENDOR_CLASS, "android-dhcp-13", "android-dhcp", "phone", "Android", "", ""},
		{VG_SIG_MDNS_SERVICE, "_apple-mobdev2._tcp", "apple-mobdev2", "phone", "Apple", "", ""},
		{VG_SIG_MDNS_SERVICE, "_companion-link._tcp", "apple-companion", "phone", "Apple", "", ""},
		{VG_SIG_DHCP_VENDOR_CLASS, "MSFT 5.0", "windows-dhcp", "pc", "Microsoft", "", "Windows"},
		{VG_SIG_DHCP_PRL, "1,3,6,15,31,33,43,44,46,47,119,121,249,252", "windows-prl", "pc", NULL, "", "Windows"},
	};
	for (size_t i = 0; i < sizeof(E) / sizeof(E[0]); i++) {
		vg_dev_fp_t fp[8];
		int n = vg_dev_rules_match(r, E[i].kind, E[i].value, strlen(E[i].value), fp, 8);
		if (n < 1)
			fail_msg("no rule for %s=%s", vg_dev_sig_name(E[i].kind), E[i].value);
		assert_string_equal(fp[0].rule_id, E[i].rule);
		assert_string_equal(vg_dev_class_name(fp[0].cls), E[i].cls);
		if (E[i].vendor)
			assert_string_equal(fp[0].vendor, E[i].vendor);
		else
			assert_null(fp[0].vendor);
		assert_string_equal(fp[0].model, E[i].model);
		assert_string_equal(fp[0].firmware, E[i].fw);
	}
	vg_dev_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_errors),
		cmocka_unit_test(t_match),
		cmocka_unit_test(t_add),
		cmocka_unit_test(t_builtin_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
