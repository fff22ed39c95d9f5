// SPDX-License-Identifier: Apache-2.0
/*
 * test_value.c — vg_ind_parse / vg_ind_format / vg_ip_reserved and the name
 * tables: every classification and normalisation rule of intel.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vigil/intel.h"

#include <string.h>

static vg_ind_t ind;

/* parse s with hint; assert success and type; return canonical text. */
static const char *ok(const char *s, vg_ind_type_t hint, vg_ind_type_t want)
{
	static char buf[VG_URL_MAX + 64];
	const char *why = NULL;
	int r = vg_ind_parse(s, strlen(s), hint, &ind, &why);
	if (r != 0)
		print_error("parse '%s' failed: %s\n", s, why ? why : "?");
	assert_int_equal(r, 0);
	assert_int_equal(ind.type, want);
	vg_ind_format(&ind, buf, sizeof buf);
	return buf;
}

static const char *bad(const char *s, vg_ind_type_t hint, int want)
{
	const char *why = NULL;
	assert_int_equal(vg_ind_parse(s, strlen(s), hint, &ind, &why), want);
	assert_non_null(why);
	return why;
}

/* Rule: IPv4/IPv6 literals; IPv4-mapped IPv6 is IPv4; strict dotted quad. */
static void test_ip(void **st)
{
	(void)st;
	assert_string_equal(ok("1.2.3.4", 0, VG_IND_IPV4), "1.2.3.4");
	assert_int_equal(ind.prefix, 128);
	assert_string_equal(ok("2001:DB8::1", 0, VG_IND_IPV6), "2001:db8::1");
	assert_string_equal(ok("::ffff:1.2.3.4", 0, VG_IND_IPV4), "1.2.3.4");
	assert_string_equal(bad("1.2.3.256", 0, VG_EINVAL), "invalid IPv4 address");
	assert_string_equal(bad("01.2.3.4", 0, VG_EINVAL), "invalid IPv4 address");
	assert_string_equal(bad("2001:db8:::1", 0, VG_EINVAL), "invalid IPv6 address");
}

/* Rule: CIDR host bits cleared, prefix in v6 space; /32 and /128 are addresses. */
static void test_cidr(void **st)
{
	(void)st;
	assert_string_equal(ok("10.1.2.3/8", 0, VG_IND_CIDR4), "10.0.0.0/8");
	assert_int_equal(ind.prefix, 104);
	assert_string_equal(ok("192.0.2.77/24", 0, VG_IND_CIDR4), "192.0.2.0/24");
	assert_int_equal(ind.prefix, 120);
	assert_string_equal(ok("1.2.3.4/32", 0, VG_IND_IPV4), "1.2.3.4");
	assert_int_equal(ind.prefix, 128);
	assert_string_equal(ok("2001:db8::ff/32", 0, VG_IND_CIDR6), "2001:db8::/32");
	assert_int_equal(ind.prefix, 32);
	assert_string_equal(ok("2001:db8::1/128", 0, VG_IND_IPV6), "2001:db8::1");
	assert_string_equal(ok("1.2.3.4/0", 0, VG_IND_CIDR4), "0.0.0.0/0");
	assert_string_equal(bad("10.0.0.0/33", 0, VG_ERANGE), "invalid CIDR");
	assert_string_equal(bad("2001:db8::/129", 0, VG_ERANGE), "invalid CIDR");
}

/* Rule: ip:port and [v6]:port; port 1..65535. */
static void test_ipport(void **st)
{
	(void)st;
	assert_string_equal(ok("1.2.3.4:8080", 0, VG_IND_IPPORT4), "1.2.3.4:8080");
	assert_int_equal(ind.port, 8080);
	assert_string_equal(ok("[2001:db8::1]:443", 0, VG_IND_IPPORT6), "[2001:db8::1]:443");
	assert_string_equal(ok("[2001:db8::1]", 0, VG_IND_IPV6), "2001:db8::1");
	assert_string_equal(bad("1.2.3.4:0", 0, VG_ERANGE), "invalid port");
	assert_string_equal(bad("1.2.3.4:65536", 0, VG_ERANGE), "invalid port");
	assert_string_equal(bad("evil.com:8080", 0, VG_EINVAL),
			    "port on a domain name is not supported");
}

/* Rule: hashes by length, hex case-insensitive, binary in hash[]. */
static void test_hash(void **st)
{
	(void)st;
	assert_string_equal(ok("D41D8CD98F00B204E9800998ECF8427E", 0, VG_IND_MD5),
			    "d41d8cd98f00b204e9800998ecf8427e");
	assert_int_equal(ind.hash[0], 0xd4);
	assert_int_equal(ind.hash[15], 0x7e);
	ok("da39a3ee5e6b4b0d3255bfef95601890afd80709", 0, VG_IND_SHA1);
	ok("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0, VG_IND_SHA256);
	assert_string_equal(bad("d41d8cd98f00b204e9800998ecf8427e", VG_IND_SHA1, VG_EINVAL),
			    "invalid SHA-1 hash");
	assert_string_equal(bad("xyz", VG_IND_MD5, VG_EINVAL),
			    "invalid hash (expected 32, 40 or 64 hex digits)");
}

/* Rule: domains lower-cased, trailing dot dropped, LDH + '_', 1..63, <= 253. */
static void test_domain(void **st)
{
	(void)st;
	assert_string_equal(ok("WWW.Evil.COM.", 0, VG_IND_DOMAIN), "www.evil.com");
	assert_int_equal(ind.len, 12);
	assert_string_equal(ok("properties_76.dzhafarho.ru", 0, VG_IND_DOMAIN),
			    "properties_76.dzhafarho.ru");
	assert_string_equal(ok("xn--metaspport-v43e.com", 0, VG_IND_DOMAIN),
			    "xn--metaspport-v43e.com");
	assert_string_equal(bad("a..b", 0, VG_EINVAL), "empty label in domain name");
	assert_string_equal(bad("ev!l.com", 0, VG_EINVAL), "invalid character in domain name");
	assert_string_equal(bad("com", 0, VG_EINVAL), "single-label domain name");
	char lab[80];
	memset(lab, 'a', 64);
	memcpy(lab + 64, ".com", 5);
	assert_string_equal(bad(lab, 0, VG_EINVAL), "domain label longer than 63 characters");
	char big[300];
	for (int i = 0; i < 254; i++)
		big[i] = i % 2 ? '.' : 'a';
	big[253] = 'b';
	big[254] = 0; /* 255 chars */
	assert_string_equal(bad(big, 0, VG_EINVAL), "domain name longer than 253 characters");
	big[253] = 0; /* 253 chars, ends with a label */
	big[252] = 'a';
	ok(big, 0, VG_IND_DOMAIN);
	assert_int_equal(ind.len, 253);
	/* an IP literal in a domain-typed column is an IP indicator */
	ok("1.2.3.4", VG_IND_DOMAIN, VG_IND_IPV4);
}

/* Rule: URL normalisation; key without scheme. */
static void test_url(void **st)
{
	(void)st;
	assert_string_equal(ok("HTTP://Evil.COM:80/Gate.php?A=B#frag", 0, VG_IND_URL),
			    "evil.com/Gate.php?A=B");
	assert_string_equal(ok("https://evil.com:443/x", 0, VG_IND_URL), "evil.com/x");
	assert_string_equal(ok("https://evil.com:80/x", 0, VG_IND_URL), "evil.com:80/x");
	assert_string_equal(ok("http://evil.com:8080", 0, VG_IND_URL), "evil.com:8080/");
	assert_string_equal(ok("http://evil.com", 0, VG_IND_URL), "evil.com/");
	assert_string_equal(ok("evil.com/gate.php", 0, VG_IND_URL), "evil.com/gate.php");
	assert_string_equal(ok("http://1.2.3.4", 0, VG_IND_URL), "1.2.3.4/");
	assert_string_equal(ok("111.90.149.99/o2", 0, VG_IND_URL), "111.90.149.99/o2");
	assert_string_equal(ok("http://[2001:DB8::1]:8080/a", 0, VG_IND_URL), "[2001:db8::1]:8080/a");
	assert_string_equal(ok("http://e.com/%41%7e%2f%2B%3d%zz", 0, VG_IND_URL),
			    "e.com/A~%2F%2B%3D%zz");
	assert_string_equal(ok("http://e.com/a?q=%61b", 0, VG_IND_URL), "e.com/a?q=ab");
	assert_string_equal(ok("http://user:pw@e.com/a", 0, VG_IND_URL), "e.com/a");
	assert_string_equal(ok("evil.com", VG_IND_URL, VG_IND_URL), "evil.com/");
	assert_string_equal(bad("ftp://e.com/a", 0, VG_EINVAL), "unsupported URL scheme");
	assert_string_equal(bad("/izuku.sh", 0, VG_EINVAL), "path without host");
	assert_string_equal(bad("http:///a", 0, VG_EINVAL), "URL without host");
	/* http and https forms give the same key */
	char a[VG_URL_MAX + 1];
	strcpy(a, ok("http://e.com/x", 0, VG_IND_URL));
	assert_string_equal(a, ok("https://e.com/x", 0, VG_IND_URL));
}

/* Rule: reserved ranges and CIDR overlap. */
static void test_reserved(void **st)
{
	(void)st;
	const char *yes[] = {"10.1.2.3", "127.0.0.1", "172.31.0.1", "192.168.1.1", "100.64.0.1",
			     "169.254.1.1", "224.0.0.1", "255.255.255.255", "0.1.2.3", "::1", "::",
			     "fd00::1", "fe80::1", "ff02::1", "8.0.0.0/6", NULL};
	const char *no[] = {"8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:db8::1", "11.0.0.0/8",
			    NULL};
	for (int i = 0; yes[i]; i++) {
		const char *why;
		assert_int_equal(vg_ind_parse(yes[i], strlen(yes[i]), 0, &ind, &why), 0);
		if (!vg_ip_reserved(&ind.ip, ind.prefix))
			fail_msg("%s should be reserved", yes[i]);
	}
	for (int i = 0; no[i]; i++) {
		const char *why;
		assert_int_equal(vg_ind_parse(no[i], strlen(no[i]), 0, &ind, &why), 0);
		if (vg_ip_reserved(&ind.ip, ind.prefix))
			fail_msg("%s should not be reserved", no[i]);
	}
}

/* Rule: name tables round-trip. */
static void test_names(void **st)
{
	(void)st;
	assert_string_equal(vg_ind_type_name(VG_IND_IPPORT6), "ip:port6");
	assert_string_equal(vg_tlp_name(VG_TLP_AMBER_STRICT), "amber+strict");
	assert_string_equal(vg_tlp_name(VG_TLP_UNSET), "");
	assert_int_equal(vg_tlp_parse("TLP:WHITE", 9), VG_TLP_CLEAR);
	assert_int_equal(vg_tlp_parse("Amber+Strict", 12), VG_TLP_AMBER_STRICT);
	assert_int_equal(vg_tlp_parse("purple", 6), VG_TLP_UNSET);
	assert_int_equal(vg_feed_fmt_parse("Suricata"), VG_FMT_SURICATA);
	assert_int_equal(vg_feed_fmt_parse("nope"), -1);
	assert_string_equal(vg_feed_fmt_name(VG_FMT_ZEEK), "zeek");
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_ip),	cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_ipport),	cmocka_unit_test(test_hash),
		cmocka_unit_test(test_domain),	cmocka_unit_test(test_url),
		cmocka_unit_test(test_reserved), cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
