// SPDX-License-Identifier: Apache-2.0
/*
 * test_geo.c — the country database (src/intel/geo.c): RIR delegated-stats
 * parsing (non-power-of-two IPv4 counts, IPv6 prefixes, lookups at range
 * edges, merged files, skipped lines, bad lines with file:line), MMDB
 * lookups through libmaxminddb on databases written by
 * tests/mmdb_write.py, and a corrupt MMDB refused with a clear error.
 * Run from the repository root (make check-unit does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "intel/geo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char rir[] =
	"2|apnic|20240101|5|19830613|20240101|+1000\n"
	"# a comment\n"
	"apnic|*|asn|*|1|summary\n"
	"apnic|*|ipv4|*|3|summary\n"
	"apnic|*|ipv6|*|1|summary\n"
	"apnic|JP|asn|173|1|20020801|allocated\n"
	"apnic|VN|ipv4|14.160.0.0|1536|20080101|allocated|A91A1234|e-stats\n"
	"apnic|CN|ipv4|1.0.1.0|256|20110414|allocated\n"
	"apnic||ipv4|1.0.2.0|256||available\n"
	"apnic|ZZ|ipv4|1.0.3.0|256||reserved\n"
	"apnic|AU|ipv6|2001:db8::|32|20000101|assigned\r\n"
	"\n";

static const char *ask(vg_geo_t *g, const char *s, char cc[3])
{
	vg_ip_t ip;
	assert_int_equal(vg_ip_parse(s, strlen(s), &ip), 0);
	int r = vg_geo_country(g, &ip, cc);
	assert_true(r == 0 || r == 1);
	return cc;
}

static vg_geo_t *rir_db(const char *text)
{
	vg_geo_t *g;
	char err[256] = "";
	assert_int_equal(vg_geo_new(&g), 0);
	assert_int_equal(vg_geo_add_rir(g, "t", (const uint8_t *)text, strlen(text), err, sizeof err), 0);
	assert_int_equal(vg_geo_build(g), 0);
	return g;
}

/* Rule: an IPv4 count of 1536 (not a power of two) covers exactly
 * 14.160.0.0 .. 14.160.5.255; the addresses just outside are unknown. */
static void test_rir_v4_count_edges(void **st)
{
	(void)st;
	vg_geo_t *g = rir_db(rir);
	char cc[3];
	assert_string_equal(ask(g, "14.160.0.0", cc), "VN");
	assert_string_equal(ask(g, "14.160.5.255", cc), "VN");
	assert_string_equal(ask(g, "14.160.6.0", cc), "");
	assert_string_equal(ask(g, "14.159.255.255", cc), "");
	assert_string_equal(ask(g, "1.0.1.0", cc), "CN");
	assert_string_equal(ask(g, "1.0.1.255", cc), "CN");
	/* available / reserved records are not countries */
	assert_string_equal(ask(g, "1.0.2.1", cc), "");
	assert_string_equal(ask(g, "1.0.3.1", cc), "");
	/* 3 ranges: VN, CN, AU (asn, summary, version and comment lines skipped) */
	assert_int_equal(vg_geo_ranges(g), 3);
	vg_geo_free(g);
}

/* Rule: an IPv6 value is a prefix length: 2001:db8::/32 spans
 * 2001:db8:: .. 2001:db8:ffff:...:ffff; a CRLF line ending is accepted. */
static void test_rir_v6_prefix(void **st)
{
	(void)st;
	vg_geo_t *g = rir_db(rir);
	char cc[3];
	assert_string_equal(ask(g, "2001:db8::", cc), "AU");
	assert_string_equal(ask(g, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", cc), "AU");
	assert_string_equal(ask(g, "2001:db9::", cc), "");
	assert_string_equal(ask(g, "2001:db7:ffff::1", cc), "");
	/* an IPv4 address never falls in an IPv6 range and vice versa */
	assert_string_equal(ask(g, "::ffff:14.160.0.1", cc), "VN");
	vg_geo_free(g);
}

/* Rule: several files merge into one index; an overlapping later range
 * keeps only its part beyond the earlier one (first start, then wider,
 * wins), nested ranges are dropped; the maximum count 2^32 from 0.0.0.0
 * is accepted. */
static void test_rir_merge_overlap(void **st)
{
	(void)st;
	vg_geo_t *g;
	char err[256];
	const char *a = "ripencc|DE|ipv4|10.0.0.0|512|20000101|allocated\n";
	const char *b = "arin|US|ipv4|10.0.1.0|512|20000101|allocated\n"
			"arin|CA|ipv4|10.0.0.128|16|20000101|assigned\n";
	assert_int_equal(vg_geo_new(&g), 0);
	assert_int_equal(vg_geo_add_rir(g, "a", (const uint8_t *)a, strlen(a), err, sizeof err), 0);
	assert_int_equal(vg_geo_add_rir(g, "b", (const uint8_t *)b, strlen(b), err, sizeof err), 0);
	assert_int_equal(vg_geo_build(g), 0);
	char cc[3];
	assert_string_equal(ask(g, "10.0.0.130", cc), "DE"); /* nested CA dropped */
	assert_string_equal(ask(g, "10.0.1.255", cc), "DE");
	assert_string_equal(ask(g, "10.0.2.0", cc), "US");
	assert_string_equal(ask(g, "10.0.2.255", cc), "US");
	assert_string_equal(ask(g, "10.0.3.0", cc), "");
	assert_int_equal(vg_geo_ranges(g), 2);
	vg_geo_free(g);

	g = rir_db("x|XX|ipv4|0.0.0.0|4294967296|0|allocated\n");
	assert_string_equal(ask(g, "255.255.255.255", cc), "XX");
	vg_geo_free(g);
}

/* Rule: a malformed record is VG_EFORMAT with "NAME:LINE: reason". */
static void test_rir_bad_lines(void **st)
{
	(void)st;
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{"apnic|VN|ipv4|14.160.0.0|1536\n", "t:1: expected registry|cc|type|start|value|date|status"},
		{"# c\napnic|VN|ipv4|14.160.0.300|256|0|allocated\n", "t:2: bad start address"},
		{"apnic|VN|ipv4|255.255.255.0|257|0|allocated\n",
		 "t:1: ipv4 value must be an address count that fits after the start"},
		{"apnic|VN|ipv4|1.2.3.0|0|0|allocated\n",
		 "t:1: ipv4 value must be an address count that fits after the start"},
		{"apnic|VN|ipv6|2001:db8::|129|0|allocated\n", "t:1: ipv6 value must be a prefix length 0-128"},
		{"apnic|VN|ipv6|1.2.3.4|32|0|allocated\n", "t:1: ipv6 record with an IPv4 start address"},
		{"apnic|V1|ipv4|1.2.3.0|1|0|allocated\n", "t:1: country code is not two letters"},
		{"apnic|VN|ipv5|1.2.3.0|1|0|allocated\n", "t:1: type is not asn, ipv4 or ipv6"},
		{"apnic|VN|ipv4|1.2.3.0|1|0|stolen\n",
		 "t:1: status is not allocated, assigned, available or reserved"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vg_geo_t *g;
		char err[256] = "";
		assert_int_equal(vg_geo_new(&g), 0);
		assert_int_equal(vg_geo_add_rir(g, "t", (const uint8_t *)cases[i].text,
						strlen(cases[i].text), err, sizeof err),
				 VG_EFORMAT);
		assert_string_equal(err, cases[i].msg);
		vg_geo_free(g);
	}
}

static char tmpdir[64];

static int setup(void **st)
{
	(void)st;
	strcpy(tmpdir, "/tmp/test_geo.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "python3 tests/mmdb_write.py %s/ok.mmdb 203.0.113.0/24=US 198.51.100.0/25=reg:CN "
		 "2001:db8::/32=DE && python3 tests/mmdb_write.py %s/bad.mmdb 203.0.113.0/24=US --corrupt",
		 tmpdir, tmpdir);
	return system(cmd) ? -1 : 0;
}

static int teardown(void **st)
{
	(void)st;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	return system(cmd) ? -1 : 0;
}

/* Rule: MMDB lookups answer country.iso_code, falling back to
 * registered_country.iso_code; addresses outside every network are
 * unknown; IPv4 is found under ::/96 of an IPv6 tree. */
static void test_mmdb_lookup(void **st)
{
	(void)st;
	char path[128], err[256] = "", cc[3];
	snprintf(path, sizeof path, "%s/ok.mmdb", tmpdir);
	const char *paths[] = {path};
	vg_geo_t *g;
	assert_int_equal(vg_geo_open(paths, 1, &g, err, sizeof err), 0);
	assert_string_equal(ask(g, "203.0.113.0", cc), "US");
	assert_string_equal(ask(g, "203.0.113.255", cc), "US");
	assert_string_equal(ask(g, "203.0.114.0", cc), "");
	assert_string_equal(ask(g, "198.51.100.127", cc), "CN");
	assert_string_equal(ask(g, "198.51.100.128", cc), "");
	assert_string_equal(ask(g, "2001:db8:1::1", cc), "DE");
	assert_string_equal(ask(g, "2001:db9::1", cc), "");
	vg_geo_free(g);
}

/* Rule: an MMDB and an RIR file combine; the MMDB (given first) answers
 * first, the RIR ranges answer what it does not know. */
static void test_mmdb_and_rir(void **st)
{
	(void)st;
	char mm[128], rf[128], err[256] = "", cc[3];
	snprintf(mm, sizeof mm, "%s/ok.mmdb", tmpdir);
	snprintf(rf, sizeof rf, "%s/rir.txt", tmpdir);
	FILE *f = fopen(rf, "w");
	assert_non_null(f);
	fputs("lacnic|BR|ipv4|203.0.113.0|512|0|allocated\n", f);
	fclose(f);
	const char *paths[] = {mm, rf};
	vg_geo_t *g;
	assert_int_equal(vg_geo_open(paths, 2, &g, err, sizeof err), 0);
	assert_string_equal(ask(g, "203.0.113.9", cc), "US");
	assert_string_equal(ask(g, "203.0.114.9", cc), "BR");
	vg_geo_free(g);
}

/* Rule: a corrupt MMDB is refused at open with "FILE: corrupt MMDB
 * database: ..." (never a crash); a binary file that is no MMDB and a
 * missing file are errors too. */
static void test_mmdb_corrupt(void **st)
{
	(void)st;
	char path[128], err[256] = "";
	snprintf(path, sizeof path, "%s/bad.mmdb", tmpdir);
	const char *paths[] = {path};
	vg_geo_t *g = (vg_geo_t *)1;
	assert_int_equal(vg_geo_open(paths, 1, &g, err, sizeof err), VG_ECORRUPT);
	assert_null(g);
	char want[200];
	snprintf(want, sizeof want, "%s: corrupt MMDB database: ", path);
	assert_memory_equal(err, want, strlen(want));

	snprintf(path, sizeof path, "%s/bin", tmpdir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite("\x01\x00\x02", 1, 3, f);
	fclose(f);
	assert_int_equal(vg_geo_open(paths, 1, &g, err, sizeof err), VG_EFORMAT);
	snprintf(want, sizeof want, "%s: neither an MMDB database nor an RIR delegated-stats file", path);
	assert_string_equal(err, want);

	snprintf(path, sizeof path, "%s/missing", tmpdir);
	assert_int_equal(vg_geo_open(paths, 1, &g, err, sizeof err), VG_EIO);
	snprintf(want, sizeof want, "%s: cannot read: No such file or directory", path);
	assert_string_equal(err, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rir_v4_count_edges), cmocka_unit_test(test_rir_v6_prefix),
		cmocka_unit_test(test_rir_merge_overlap),  cmocka_unit_test(test_rir_bad_lines),
		cmocka_unit_test(test_mmdb_lookup),        cmocka_unit_test(test_mmdb_and_rir),
		cmocka_unit_test(test_mmdb_corrupt),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
