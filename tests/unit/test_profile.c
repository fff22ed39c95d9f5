// SPDX-License-Identifier: Apache-2.0
/*
 * test_profile.c — allowed-destination profiles (src/dev/profile.c): the
 * file format and its errors, which profile governs a device (device over
 * class), what an entry allows (domain and subdomains, not look-alike
 * suffixes; CIDR networks; ports), and the exact profiles learned.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "dev/profile.h"

#include <stdlib.h>
#include <string.h>

static vg_ip_t ip(const char *s)
{
	vg_ip_t a;
	assert_int_equal(vg_ip_parse(s, strlen(s), &a), 0);
	return a;
}

static const char good[] =
	"{\"vigil-profiles\": 1, \"profiles\": ["
	" {\"name\": \"cameras\", \"class\": \"camera\", \"allow\": ["
	"   {\"domain\": \"hik-connect.com.\", \"ports\": [\"tcp/443\"]},"
	"   {\"network\": \"198.51.100.0/24\"},"
	"   {\"network\": \"0.0.0.0/0\", \"ports\": [\"udp/123\"]}]},"
	" {\"name\": \"lobby\", \"device\": \"44:19:b6:12:34:56\", \"allow\": ["
	"   {\"domain\": \"example.org\", \"ports\": [\"any/8000\"]}]}]}";

static vg_prof_t *load(const char *text)
{
	vg_prof_t *p;
	char err[256];
	assert_int_equal(vg_prof_parse(&p, "t.json", text, strlen(text), err, sizeof err), 0);
	return p;
}

/* Rule: the device's own profile wins over its class's; no profile, no
 * policing. */
static void test_which_profile(void **st)
{
	vg_prof_t *p = load(good);
	assert_int_equal(vg_prof_count(p), 2);
	vg_inv_dev_t d;
	memset(&d, 0, sizeof d);
	d.cls = VG_CLASS_CAMERA;
	assert_string_equal(vg_prof_name(vg_prof_for(p, &d)), "cameras");
	d.has_mac = true;
	memcpy(d.mac, (uint8_t[]){0x44, 0x19, 0xb6, 0x12, 0x34, 0x56}, 6);
	assert_string_equal(vg_prof_name(vg_prof_for(p, &d)), "lobby");
	d.has_mac = false;
	d.cls = VG_CLASS_PRINTER;
	assert_null(vg_prof_for(p, &d));
	vg_prof_free(p);
}

/* Rule: a domain allows itself and its subdomains (case-insensitive,
 * trailing dot ignored) but not a look-alike suffix; networks by CIDR;
 * ports restrict an entry, "any/N" both protocols. */
static void test_allows(void **st)
{
	vg_prof_t *p = load(good);
	vg_inv_dev_t d;
	memset(&d, 0, sizeof d);
	d.cls = VG_CLASS_CAMERA;
	const vg_prof_one_t *pr = vg_prof_for(p, &d);
	vg_ip_t a = ip("203.0.113.10"), n = ip("198.51.100.77");
	assert_true(vg_prof_allows(pr, &a, 443, 6, "hik-connect.com"));
	assert_true(vg_prof_allows(pr, &a, 443, 6, "API.Hik-Connect.com."));
	assert_false(vg_prof_allows(pr, &a, 443, 6, "evilhik-connect.com"));
	assert_false(vg_prof_allows(pr, &a, 80, 6, "hik-connect.com"));
	assert_false(vg_prof_allows(pr, &a, 443, 6, NULL));
	assert_true(vg_prof_allows(pr, &n, 9999, 17, NULL));
	assert_true(vg_prof_allows(pr, &a, 123, 17, NULL));
	assert_false(vg_prof_allows(pr, &a, 123, 6, NULL));
	vg_ip_t v6 = ip("2001:db8::1");
	assert_false(vg_prof_allows(pr, &v6, 123, 17, NULL)); /* 0.0.0.0/0 is IPv4 only */
	d.has_mac = true;
	memcpy(d.mac, (uint8_t[]){0x44, 0x19, 0xb6, 0x12, 0x34, 0x56}, 6);
	pr = vg_prof_for(p, &d);
	assert_true(vg_prof_allows(pr, &a, 8000, 17, "cdn.example.org"));
	assert_true(vg_prof_allows(pr, &a, 8000, 6, "cdn.example.org"));
	vg_prof_free(p);
}

static void bad(const char *text, int rc, const char *msg)
{
	vg_prof_t *p = (vg_prof_t *)1;
	char err[256];
	assert_int_equal(vg_prof_parse(&p, "t.json", text, strlen(text), err, sizeof err), rc);
	assert_null(p);
	assert_string_equal(err, msg);
}

/* Rule: errors name the file, the profile (1-based) and the field. */
static void test_errors(void **st)
{
	bad("{", VG_EFORMAT, "t.json:1: string or '}' expected near end of file");
	bad("{\"profiles\": []}", VG_EFORMAT, "t.json: missing \"vigil-profiles\": 1");
	bad("{\"vigil-profiles\": 2, \"profiles\": []}", VG_EVERSION,
	    "t.json: profile format 2 not supported (1)");
	bad("{\"vigil-profiles\": 1, \"profiles\": [{\"class\": \"toaster\", \"allow\": []}]}",
	    VG_EFORMAT, "t.json: profile 1: unknown class \"toaster\"");
	bad("{\"vigil-profiles\": 1, \"profiles\": [{\"class\": \"camera\", \"allow\": []},"
	    "{\"device\": \"nope\", \"allow\": []}]}",
	    VG_EFORMAT, "t.json: profile 2: \"device\" \"nope\" is not a MAC or IP address");
	bad("{\"vigil-profiles\": 1, \"profiles\": [{\"class\": \"camera\", \"allow\": "
	    "[{\"network\": \"10.0.0.0/33\"}]}]}",
	    VG_EFORMAT, "t.json: profile 1: allow[0]: bad network \"10.0.0.0/33\"");
	bad("{\"vigil-profiles\": 1, \"profiles\": [{\"class\": \"camera\", \"allow\": "
	    "[{\"domain\": \"a.b\", \"ports\": [\"tcp/70000\"]}]}]}",
	    VG_EFORMAT, "t.json: profile 1: allow[0]: bad port \"tcp/70000\" (PROTO/PORT, e.g. "
			"tcp/443; at most 32)");
	bad("{\"vigil-profiles\": 1, \"profiles\": [{\"class\": \"camera\", \"device\": \"1.2.3.4\","
	    " \"allow\": []}]}",
	    VG_EFORMAT, "t.json: profile 1: needs exactly one of \"class\" and \"device\"");
}

/* Rule: learning proposes one profile per device with destinations in the
 * window: names as domains (first), other addresses as host networks, the
 * ports seen, sorted; destinations before the window are left out. */
static void test_learn(void **st)
{
	vg_inv_limits_t l;
	vg_inv_limits_default(&l);
	vg_inv_t *inv;
	assert_int_equal(vg_inv_new(&inv, &l, NULL, NULL), 0);
	uint8_t mac[6] = {0x44, 0x19, 0xb6, 0x12, 0x34, 0x56};
	vg_ip_t cli = ip("192.168.1.64"), a = ip("203.0.113.10"), b = ip("198.51.100.5"),
		old = ip("192.0.2.1");
	vg_inv_dest_t *x;
	bool nw;
	vg_inv_flow(inv, mac, &cli, &old, 22, 6, 100, NULL, NULL, &x, &nw);
	vg_inv_flow(inv, mac, &cli, &b, 123, 17, 1000, NULL, NULL, &x, &nw);
	vg_inv_flow(inv, mac, &cli, &a, 443, 6, 1000, "Cloud.Example.com", NULL, &x, &nw);
	vg_inv_flow(inv, mac, &cli, &a, 80, 6, 1000, "cloud.example.com", NULL, &x, &nw);
	vg_buf_t out = {0};
	assert_int_equal(vg_prof_learn(inv, 500, &out), 1);
	assert_string_equal(out.p,
		"{\n"
		"  \"vigil-profiles\": 1,\n"
		"  \"profiles\": [\n"
		"    {\n"
		"      \"name\": \"learned 44:19:b6:12:34:56\",\n"
		"      \"device\": \"44:19:b6:12:34:56\",\n"
		"      \"allow\": [\n"
		"        {\n"
		"          \"domain\": \"cloud.example.com\",\n"
		"          \"ports\": [\n"
		"            \"tcp/443\",\n"
		"            \"tcp/80\"\n"
		"          ]\n"
		"        },\n"
		"        {\n"
		"          \"network\": \"198.51.100.5/32\",\n"
		"          \"ports\": [\n"
		"            \"udp/123\"\n"
		"          ]\n"
		"        }\n"
		"      ]\n"
		"    }\n"
		"  ]\n"
		"}\n");
	/* the learned file loads and allows what was seen, not the old one */
	vg_prof_t *p = load(out.p);
	vg_inv_dev_t *d = vg_inv_get(inv, 0);
	const vg_prof_one_t *pr = vg_prof_for(p, d);
	assert_non_null(pr);
	assert_true(vg_prof_allows(pr, &a, 80, 6, "cloud.example.com"));
	assert_true(vg_prof_allows(pr, &b, 123, 17, NULL));
	assert_false(vg_prof_allows(pr, &old, 22, 6, NULL));
	vg_prof_free(p);
	vg_buf_release(&out);
	vg_inv_free(inv);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_which_profile),
		cmocka_unit_test(test_allows),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_learn),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
