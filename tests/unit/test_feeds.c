// SPDX-License-Identifier: Apache-2.0
/*
 * test_feeds.c — every feed reader on small inline inputs (exact counts and
 * diagnostics), strict mode, reserved handling, format detection, and real
 * data copied into tests/data (counts established independently with awk).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vigil/intel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char diags[16][256];
static unsigned long dlines[16];
static int dsev[16], nd;

static void dg(void *ctx, const char *file, unsigned long line, int sev, const char *msg)
{
	(void)ctx;
	(void)file;
	if (nd < 16) {
		snprintf(diags[nd], sizeof diags[nd], "%s", msg);
		dlines[nd] = line;
		dsev[nd] = sev;
	}
	nd++;
}

static vg_load_report_t rep;

static int load(vg_builder_t *b, const char *name, const char *s, vg_feed_fmt_t f, bool strict)
{
	vg_load_opts_t o = {.format = f, .strict = strict, .diag = dg};
	nd = 0;
	return vg_feed_load_mem(b, name, s, strlen(s), &o, &rep);
}

/* Rule: plain lists — comments, inline comments, CRLF, per-line types, bad
 * lines reported with line numbers, reserved addresses warned. */
static void test_plain(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	const char *in = "# Reference: https://example.org/report\r\n"
			 "1.2.3.4 # c2\r\n"
			 "evil.com  # note\n"
			 "EVIL.com\n"
			 "10.1.2.3\n"
			 "8.8.8.0/24\n"
			 "5.6.7.8:8080\n"
			 "http://bad.example/gate.php\n"
			 "10.0.0.0/33\n"
			 "/only/path\n"
			 "d41d8cd98f00b204e9800998ecf8427e\n";
	assert_int_equal(load(b, "dir/apt_test.txt", in, VG_FMT_AUTO, false), 0);
	assert_int_equal(rep.format, VG_FMT_PLAIN);
	assert_int_equal(rep.lines, 11);
	assert_int_equal(rep.added[VG_IND_IPV4], 1);
	assert_int_equal(rep.added[VG_IND_DOMAIN], 1);
	assert_int_equal(rep.duplicates, 1);
	assert_int_equal(rep.added[VG_IND_CIDR4], 1);
	assert_int_equal(rep.added[VG_IND_IPPORT4], 1);
	assert_int_equal(rep.added[VG_IND_URL], 1);
	assert_int_equal(rep.added[VG_IND_MD5], 1);
	assert_int_equal(rep.errors, 1);
	assert_int_equal(rep.reserved, 1);
	assert_int_equal(rep.warnings, 2);
	assert_int_equal(rep.skipped, 1);
	assert_int_equal(nd, 3);
	assert_string_equal(diags[0], "reserved address '10.1.2.3' ignored (use --allow-reserved)");
	assert_int_equal(dlines[0], 5);
	assert_int_equal(dsev[0], VG_SEV_WARN);
	assert_string_equal(diags[1], "invalid CIDR '10.0.0.0/33'");
	assert_int_equal(dlines[1], 9);
	assert_int_equal(dsev[1], VG_SEV_ERROR);
	assert_int_equal(dlines[2], 10);
	vg_store_t *s;
	assert_int_equal(vg_builder_build(b, &s), 0);
	vg_match_t m[4];
	assert_int_equal(vg_store_lookup_domain(s, "a.Evil.com", 10, 0, m, 4), 1);
	vg_meta_t me;
	assert_int_equal(vg_store_meta(s, m[0].meta, &me), 0);
	assert_string_equal(me.source, "apt_test.txt");
	assert_string_equal(me.category, "apt_test");
	assert_string_equal(me.reference, "https://example.org/report");
	vg_store_free(s);
	vg_builder_free(b);
}

/* Rule: strict mode stops at the first bad line with VG_EFORMAT. */
static void test_strict(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	assert_int_equal(load(b, "x.txt", "1.2.3.4\nbad!name.com\n5.6.7.8\n", VG_FMT_PLAIN, true),
			 VG_EFORMAT);
	assert_int_equal(rep.added[VG_IND_IPV4], 1);
	assert_int_equal(rep.errors, 1);
	assert_string_equal(diags[0], "invalid character in domain name 'bad!name.com'");
	assert_int_equal(dlines[0], 2);
	vg_builder_free(b);
	/* allow_reserved keeps reserved addresses */
	vg_builder_opts_t bo = {.allow_reserved = true};
	b = vg_builder_new(&bo);
	assert_int_equal(load(b, "x.txt", "10.1.2.3\n", VG_FMT_PLAIN, false), 0);
	assert_int_equal(rep.added[VG_IND_IPV4], 1);
	assert_int_equal(rep.reserved, 0);
	vg_builder_free(b);
}

/* Rule: empty -> VG_EEMPTY, NUL/mostly control -> VG_EBINARY, missing -> VG_EIO. */
static void test_bad_input(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	vg_load_opts_t o = {0};
	assert_int_equal(vg_feed_load_mem(b, "e", "", 0, &o, &rep), VG_EEMPTY);
	assert_int_equal(vg_feed_load_mem(b, "e", "ab\0cd", 5, &o, &rep), VG_EBINARY);
	assert_int_equal(vg_feed_load_mem(b, "e", "\x01\x02\x03\x04\x05\x06", 6, &o, &rep),
			 VG_EBINARY);
	assert_int_equal(vg_feed_load(b, "tests/data/does-not-exist", &o, &rep), VG_EIO);
	vg_builder_free(b);
}

/* Rule: IPsum count -> confidence min(100, count*10), category "ipsum". */
static void test_ipsum(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	assert_int_equal(load(b, "ipsum.txt", "# IP\tnumber\n1.2.3.4\t3\n5.6.7.8\t12\n9.9.9.9\tx\n",
			      VG_FMT_AUTO, false), 0);
	assert_int_equal(rep.format, VG_FMT_IPSUM);
	assert_int_equal(rep.added[VG_IND_IPV4], 2);
	assert_int_equal(rep.errors, 1);
	assert_string_equal(diags[0], "invalid count 'x'");
	assert_int_equal(dlines[0], 4);
	vg_store_t *s;
	vg_builder_build(b, &s);
	vg_ip_t ip;
	vg_match_t m[2];
	vg_meta_t me;
	vg_ip_parse("1.2.3.4", 7, &ip);
	assert_int_equal(vg_store_lookup_ip(s, &ip, 0, 0, m, 2), 1);
	vg_store_meta(s, m[0].meta, &me);
	assert_int_equal(me.confidence, 30);
	assert_string_equal(me.category, "ipsum");
	vg_ip_parse("5.6.7.8", 7, &ip);
	assert_int_equal(vg_store_lookup_ip(s, &ip, 0, 0, m, 2), 1);
	vg_store_meta(s, m[0].meta, &me);
	assert_int_equal(me.confidence, 100);
	vg_store_free(s);
	vg_builder_free(b);
}

/* Rule: CSV — abuse.ch Feodo with '#' header, ports, quoted fields, meta. */
static void test_csv(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	const char *in = "# Feodo Tracker\n"
			 "# first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware\n"
			 "\"2021-01-17 07:44:46\",\"51.38.124.206\",\"443\",\"online\",\"2021-06-01\",\"Dridex\"\n"
			 "2021-01-18 00:00:00,8.8.4.4,99999,online,2021-06-01,QakBot\n"
			 "2021-01-19 00:00:00,45.1.1.1,8080,offline,,\"Emo\"\"tet\"\n";
	assert_int_equal(load(b, "feodo.csv", in, VG_FMT_AUTO, false), 0);
	assert_int_equal(rep.format, VG_FMT_CSV);
	assert_int_equal(rep.added[VG_IND_IPPORT4], 2);
	assert_int_equal(rep.errors, 1);
	assert_string_equal(diags[0], "invalid port '99999'");
	assert_int_equal(dlines[0], 4);
	vg_store_t *s;
	vg_builder_build(b, &s);
	vg_ip_t ip;
	vg_match_t m[2];
	vg_meta_t me;
	vg_ip_parse("45.1.1.1", 8, &ip);
	assert_int_equal(vg_store_lookup_ip(s, &ip, 8080, 0, m, 2), 1);
	assert_int_equal(m[0].port, 8080);
	vg_store_meta(s, m[0].meta, &me);
	assert_string_equal(me.category, "Emo\"tet");
	assert_int_equal(me.valid_from, 1611014400);
	vg_store_free(s);
	vg_builder_free(b);

	/* plain header, typed columns, tlp, confidence */
	b = vg_builder_new(NULL);
	in = "indicator,type,Category,confidence,tlp,description\n"
	     "evil.com,domain,c2,80,amber,\"bad, really\"\n"
	     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,hash,dropper,x,,\n";
	assert_int_equal(load(b, "x.csv", in, VG_FMT_AUTO, false), 0);
	assert_int_equal(rep.added[VG_IND_DOMAIN], 1);
	assert_int_equal(rep.errors, 1);
	assert_string_equal(diags[0], "invalid confidence 'x'");
	vg_builder_build(b, &s);
	assert_int_equal(vg_store_lookup_domain(s, "evil.com", 8, 0, m, 2), 1);
	vg_store_meta(s, m[0].meta, &me);
	assert_int_equal(me.tlp, VG_TLP_AMBER);
	assert_int_equal(me.confidence, 80);
	assert_string_equal(me.description, "bad, really");
	vg_store_free(s);
	vg_builder_free(b);
}

/* Rule: Suricata reputation, categories file, score*100/127 rounded. */
static void test_suricata(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	const char *in = "# rep\n1.2.3.4,1,127\n5.6.0.0/16,2,64\n9.9.9.9,1,200\n";
	assert_int_equal(load(b, "rep.list", in, VG_FMT_AUTO, false), 0);
	assert_int_equal(rep.format, VG_FMT_SURICATA);
	assert_int_equal(rep.added[VG_IND_IPV4], 1);
	assert_int_equal(rep.added[VG_IND_CIDR4], 1);
	assert_int_equal(rep.errors, 1);
	assert_string_equal(diags[0], "invalid score '200' (0..127)");
	assert_int_equal(dlines[0], 4);
	vg_store_t *s;
	vg_builder_build(b, &s);
	vg_ip_t ip;
	vg_match_t m[2];
	vg_meta_t me;
	vg_ip_parse("5.6.7.8", 7, &ip);
	assert_int_equal(vg_store_lookup_ip(s, &ip, 0, 0, m, 2), 1);
	vg_store_meta(s, m[0].meta, &me);
	assert_int_equal(me.confidence, 50); /* 64*100/127 = 50.39 */
	assert_string_equal(me.category, "2");
	vg_store_free(s);
	vg_builder_free(b);
}

/* Rule: Zeek intel — #fields, '-' empty, other Intel types skipped. */
static void test_zeek(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	const char *in = "#separator \\x09\n"
			 "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n"
			 "1.2.3.4\tIntel::ADDR\tfeedA\tc2 server\t-\n"
			 "8.8.0.0/16\tIntel::SUBNET\tfeedA\t-\t-\n"
			 "Evil.com\tIntel::DOMAIN\tfeedA\t-\thttps://ref\n"
			 "evil.com/a\tIntel::URL\tfeedA\t-\t-\n"
			 "d41d8cd98f00b204e9800998ecf8427e\tIntel::FILE_HASH\tfeedA\t-\t-\n"
			 "bad@x.com\tIntel::EMAIL\tfeedA\t-\t-\n"
			 "Mozilla\tIntel::SOFTWARE\tfeedA\t-\t-\n"
			 "not_an_ip\tIntel::ADDR\tfeedA\t-\t-\n";
	assert_int_equal(load(b, "intel.dat", in, VG_FMT_AUTO, false), 0);
	assert_int_equal(rep.format, VG_FMT_ZEEK);
	assert_int_equal(rep.added[VG_IND_IPV4], 1);
	assert_int_equal(rep.added[VG_IND_CIDR4], 1);
	assert_int_equal(rep.added[VG_IND_DOMAIN], 1);
	assert_int_equal(rep.added[VG_IND_URL], 1);
	assert_int_equal(rep.added[VG_IND_MD5], 1);
	assert_int_equal(rep.skipped, 2);
	assert_int_equal(rep.errors, 1);
	assert_string_equal(diags[0], "invalid IP address 'not_an_ip'");
	assert_int_equal(dlines[0], 10);
	vg_store_t *s;
	vg_builder_build(b, &s);
	vg_match_t m[2];
	vg_meta_t me;
	assert_int_equal(vg_store_lookup_domain(s, "evil.com", 8, 0, m, 2), 1);
	vg_store_meta(s, m[0].meta, &me);
	assert_string_equal(me.source, "feedA");
	assert_string_equal(me.reference, "https://ref");
	vg_store_free(s);
	vg_builder_free(b);
}

/* Rule: STIX — OR comparisons, AND skipped, TLP ids and in-bundle markings. */
static void test_stix(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	const char *in =
		"{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":["
		"{\"type\":\"marking-definition\",\"id\":\"marking-definition--x\","
		"\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}},"
		"{\"type\":\"indicator\",\"id\":\"indicator--a\",\"name\":\"C2\",\"description\":\"d\","
		"\"pattern_type\":\"stix\",\"indicator_types\":[\"malicious-activity\"],"
		"\"valid_from\":\"2020-01-01T00:00:00Z\",\"confidence\":70,"
		"\"object_marking_refs\":[\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\"],"
		"\"pattern\":\"[ipv4-addr:value = '198.51.100.0/24' OR domain-name:value = 'evil.com'] OR "
		"[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'] OR "
		"[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' OR file:name = 'x.exe'] OR "
		"[url:value = 'http://evil.com/a']\"},"
		"{\"type\":\"indicator\",\"id\":\"indicator--b\",\"pattern_type\":\"stix\","
		"\"object_marking_refs\":[\"marking-definition--x\"],"
		"\"pattern\":\"[ipv6-addr:value = '2001:db8::/32']\"},"
		"{\"type\":\"indicator\",\"id\":\"indicator--c\",\"pattern_type\":\"stix\","
		"\"pattern\":\"[ipv4-addr:value = '1.2.3.4' AND domain-name:value = 'x.com']\"},"
		"{\"type\":\"indicator\",\"id\":\"indicator--d\",\"pattern_type\":\"sigma\",\"pattern\":\"x\"}"
		"]}";
	assert_int_equal(load(b, "b.json", in, VG_FMT_AUTO, false), 0);
	assert_int_equal(rep.format, VG_FMT_STIX);
	assert_int_equal(rep.lines, 5);
	assert_int_equal(rep.added[VG_IND_CIDR4], 1);
	assert_int_equal(rep.added[VG_IND_DOMAIN], 1);
	assert_int_equal(rep.added[VG_IND_SHA256], 1);
	assert_int_equal(rep.added[VG_IND_MD5], 1);
	assert_int_equal(rep.added[VG_IND_URL], 1);
	assert_int_equal(rep.added[VG_IND_CIDR6], 1);
	assert_int_equal(rep.skipped, 3);
	assert_int_equal(rep.errors, 0);
	assert_int_equal(nd, 3);
	assert_string_equal(diags[0], "indicator--a: comparison 'file:name =' not supported, skipped");
	assert_string_equal(diags[1], "indicator--c skipped: pattern uses AND (not supported)");
	assert_string_equal(diags[2], "indicator--d skipped: pattern_type 'sigma' not supported");
	vg_store_t *s;
	vg_builder_build(b, &s);
	vg_match_t m[2];
	vg_meta_t me;
	assert_int_equal(vg_store_lookup_domain(s, "evil.com", 8, 0, m, 2), 1);
	vg_store_meta(s, m[0].meta, &me);
	assert_int_equal(me.tlp, VG_TLP_GREEN);
	assert_int_equal(me.confidence, 70);
	assert_int_equal(me.valid_from, 1577836800);
	assert_string_equal(me.description, "C2: d");
	assert_string_equal(me.category, "malicious-activity");
	assert_string_equal(me.source, "b.json");
	vg_ip_t ip;
	vg_ip_parse("2001:db8::5", 11, &ip);
	assert_int_equal(vg_store_lookup_ip(s, &ip, 0, 0, m, 2), 1);
	vg_store_meta(s, m[0].meta, &me);
	assert_int_equal(me.tlp, VG_TLP_RED);
	vg_store_free(s);
	vg_builder_free(b);
}

/* Rule: detection by content. */
static void test_detect(void **st)
{
	(void)st;
#define D(s) vg_feed_detect("f", s, strlen(s))
	assert_int_equal(D("  {\"type\":\"bundle\"}"), VG_FMT_STIX);
	assert_int_equal(D("#separator \\x09\n#fields\tindicator\n"), VG_FMT_ZEEK);
	assert_int_equal(D("# c\nip,category\n1.2.3.4,x\n"), VG_FMT_CSV);
	assert_int_equal(D("# first_seen_utc,dst_ip,dst_port\n\"2021\",\"1.2.3.4\",\"1\"\n"),
			 VG_FMT_CSV);
	assert_int_equal(D("1.2.3.0/24,1,50\n"), VG_FMT_SURICATA);
	assert_int_equal(D("# x\n1.2.3.4\t7\n"), VG_FMT_IPSUM);
	assert_int_equal(D("# x\nevil.com\n1.2.3.4\n"), VG_FMT_PLAIN);
#undef D
}

static void real(const char *path, uint64_t lines, const uint64_t *want, uint64_t skipped,
		 uint64_t reserved)
{
	vg_builder_t *b = vg_builder_new(NULL);
	vg_load_opts_t o = {.diag = dg};
	nd = 0;
	assert_int_equal(vg_feed_load(b, path, &o, &rep), 0);
	assert_int_equal(rep.lines, lines);
	assert_int_equal(rep.errors, 0);
	for (int t = 1; t < VG_IND__COUNT; t++)
		if (rep.added[t] != want[t])
			fail_msg("%s: %s added %llu, want %llu", path, vg_ind_type_name(t),
				 (unsigned long long)rep.added[t], (unsigned long long)want[t]);
	assert_int_equal(rep.skipped, skipped);
	assert_int_equal(rep.reserved, reserved);
	vg_builder_free(b);
}

/* Rule: real feeds load with exact per-type counts (counted independently
 * with awk: distinct values, bare paths excluded). */
static void test_real(void **st)
{
	(void)st;
	uint64_t w[VG_IND__COUNT];
	memset(w, 0, sizeof w);
	w[VG_IND_IPPORT4] = 27, w[VG_IND_DOMAIN] = 501, w[VG_IND_URL] = 13;
	real("tests/data/feeds/apt_oceanlotus.txt", 993, w, 6, 0);
	memset(w, 0, sizeof w);
	w[VG_IND_IPPORT4] = 10769, w[VG_IND_DOMAIN] = 4173, w[VG_IND_URL] = 1831;
	real("tests/data/feeds/elf_mirai.txt", 65618, w, 37611, 0);
	memset(w, 0, sizeof w);
	w[VG_IND_IPV4] = 7, w[VG_IND_IPPORT4] = 233, w[VG_IND_DOMAIN] = 1437, w[VG_IND_URL] = 144;
	real("tests/data/feeds/apt_sofacy.txt", 2999, w, 88, 0);
	memset(w, 0, sizeof w);
	w[VG_IND_IPPORT4] = 21, w[VG_IND_DOMAIN] = 171, w[VG_IND_URL] = 15;
	real("tests/data/feeds/apt_27.txt", 350, w, 0, 0);
	memset(w, 0, sizeof w);
	w[VG_IND_IPPORT4] = 79, w[VG_IND_DOMAIN] = 466, w[VG_IND_URL] = 24;
	real("tests/data/feeds/apt_bitter.txt", 1793, w, 104, 0);
	memset(w, 0, sizeof w);
	w[VG_IND_IPV4] = 1993;
	real("tests/data/feeds/ipsum.txt", 2000, w, 0, 0);
	/* STIX: apt1 has 4 CIDRs, 3 domains, 3 md5 and 2 x509 AND patterns */
	memset(w, 0, sizeof w);
	w[VG_IND_CIDR4] = 4, w[VG_IND_DOMAIN] = 3, w[VG_IND_MD5] = 3;
	real("tests/data/stix/apt1.json", 76, w, 2, 0);
	memset(w, 0, sizeof w);
	real("tests/data/stix/indicator-for-c2-ip-address.json", 1, w, 0, 1);
	w[VG_IND_SHA256] = 1;
	real("tests/data/stix/indicators-for-C2-with-COA.json", 8, w, 0, 1);
}

/* Rule: repeated (value, meta) pairs of every type within one file count as
 * duplicates, not as added (IPs, CIDRs and hashes are found by sorting what
 * the file added; strings on insert), and the store holds each once. */
static void test_duplicates(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	const char *in = "1.2.3.4\n8.8.8.0/24\n1.2.3.4\n5.6.7.8:80\n8.8.8.0/24\n"
			 "d41d8cd98f00b204e9800998ecf8427e\nD41D8CD98F00B204E9800998ECF8427E\n"
			 "5.6.7.8:80\n9.9.9.9\n1.2.3.4\n2001:db8::1\nevil.com\n2001:db8::1\n";
	assert_int_equal(load(b, "dups.txt", in, VG_FMT_PLAIN, false), 0);
	assert_int_equal(rep.added[VG_IND_IPV4], 2);
	assert_int_equal(rep.added[VG_IND_CIDR4], 1);
	assert_int_equal(rep.added[VG_IND_IPPORT4], 1);
	assert_int_equal(rep.added[VG_IND_MD5], 1);
	assert_int_equal(rep.added[VG_IND_IPV6], 1);
	assert_int_equal(rep.added[VG_IND_DOMAIN], 1);
	assert_int_equal(rep.duplicates, 6);
	/* the same values from another file (another meta) are not duplicates */
	assert_int_equal(load(b, "other.txt", "1.2.3.4\n8.8.8.0/24\n", VG_FMT_PLAIN, false), 0);
	assert_int_equal(rep.duplicates, 0);
	assert_int_equal(rep.added[VG_IND_IPV4], 1);
	vg_store_t *s;
	assert_int_equal(vg_builder_build(b, &s), 0);
	vg_builder_free(b);
	vg_store_stats_t sst;
	vg_store_stats(s, &sst);
	assert_int_equal(sst.entries, 9);
	assert_int_equal(sst.count[VG_IND_IPV4], 2);
	vg_match_t m[8];
	vg_ip_t ip;
	assert_int_equal(vg_ip_parse("1.2.3.4", 7, &ip), 0);
	/* prefetch hints on a small store (no CIDR index) change nothing */
	vg_store_prefetch_ip(s, &ip);
	vg_store_prefetch_domain(s, "a.evil.com.", 11);
	assert_int_equal(vg_store_lookup_ip(s, &ip, 0, 0, m, 8), 2); /* one per file */
	vg_store_free(s);
}

/* Rule: a big plain list is read through a file mapping released behind the
 * reader; results are those of the in-memory reader, including a
 * "# Reference:" comment found only at the end of the file. */
static void test_big_mapped(void **st)
{
	(void)st;
	char path[] = "/tmp/vigil-test-big-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	unsigned n = 400000; /* ~5.6 MB: above the mapping threshold */
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%u.%u.%u.%u\n", 11 + i / 65536 % 200, i / 256 % 256, i % 256, 7);
	fprintf(f, "11.0.0.7\nbig-list.example\n# Reference: https://example.org/big\n");
	assert_int_equal(fclose(f), 0);

	vg_builder_t *b = vg_builder_new(NULL);
	vg_load_opts_t o = {.diag = dg};
	nd = 0;
	assert_int_equal(vg_feed_load(b, path, &o, &rep), 0);
	unlink(path);
	assert_int_equal(rep.format, VG_FMT_PLAIN);
	assert_int_equal(rep.lines, n + 3);
	assert_int_equal(rep.added[VG_IND_IPV4], n);
	assert_int_equal(rep.added[VG_IND_DOMAIN], 1);
	assert_int_equal(rep.duplicates, 1);
	assert_int_equal(nd, 0);
	vg_store_t *s;
	assert_int_equal(vg_builder_build(b, &s), 0);
	vg_builder_free(b);
	vg_match_t m[4];
	vg_ip_t ip;
	assert_int_equal(vg_ip_parse("12.26.31.7", 10, &ip), 0); /* i = 72223 */
	assert_int_equal(vg_store_lookup_ip(s, &ip, 0, 0, m, 4), 1);
	vg_meta_t meta;
	assert_int_equal(vg_store_meta(s, m[0].meta, &meta), 0);
	assert_string_equal(meta.reference, "https://example.org/big");
	assert_int_equal(vg_store_lookup_domain(s, "big-list.example", 16, 0, m, 4), 1);
	vg_store_free(s);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_plain),	 cmocka_unit_test(test_strict),
		cmocka_unit_test(test_bad_input), cmocka_unit_test(test_ipsum),
		cmocka_unit_test(test_csv),	 cmocka_unit_test(test_suricata),
		cmocka_unit_test(test_zeek),	 cmocka_unit_test(test_stix),
		cmocka_unit_test(test_detect),	 cmocka_unit_test(test_real),
		cmocka_unit_test(test_duplicates), cmocka_unit_test(test_big_mapped),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
