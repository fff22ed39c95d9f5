// SPDX-License-Identifier: Apache-2.0
/*
 * test_export.c — vg_store_foreach's order and every exporter's exact
 * output on a small store (loaded from an in-memory CSV feed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/buf.h"
#include "vigil/export.h"
#include "vigil/intel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char feed[] =
	"value,category,description,reference,confidence,tlp,valid_from,valid_until\n"
	"evil.com,apt,\"Evil, Inc.\",https://r.example/1,80,amber,2026-01-01T00:00:00Z,\n"
	"10.0.0.0/8,c2,net,,,green,,\n"
	"10.1.2.3,c2,inside,,,,,\n"
	"1.2.3.4:8080,botnet,\"say \"\"hi\"\"\",,90,red,,2099-01-01T00:00:00Z\n"
	"2001:db8::1,scan,,,,,,\n"
	"bad.example/gate.php,apt,,,,,,\n"
	"d41d8cd98f00b204e9800998ecf8427e,malware,,,,,,\n"
	"da39a3ee5e6b4b0d3255bfef95601890afd80709,malware,,,,,,\n"
	"a.example,apt,,,,,,\n"
	"evil.com,c2,second meta,,,,,\n";

static vg_store_t *load(const char *text)
{
	vg_builder_opts_t bo = {.allow_reserved = true};
	vg_builder_t *b = vg_builder_new(&bo);
	assert_non_null(b);
	vg_load_opts_t lo = {.format = VG_FMT_CSV, .source = "t"};
	vg_load_report_t rep;
	assert_int_equal(vg_feed_load_mem(b, "t.csv", text, strlen(text), &lo, &rep), 0);
	assert_int_equal(rep.errors, 0);
	vg_store_t *s;
	assert_int_equal(vg_builder_build(b, &s), 0);
	vg_builder_free(b);
	return s;
}

static char *run(const vg_store_t *s, vg_export_fmt_t f, vg_export_report_t *rep)
{
	vg_buf_t b = VG_BUF_INIT;
	vg_export_opts_t o = {.producer = "Test CERT"};
	assert_int_equal(vg_export(s, f, &o, &b, rep), 0);
	vg_buf_addc(&b, 0);
	return b.p;
}

static int visit(void *ctx, const vg_match_t *m)
{
	vg_buf_t *b = ctx;
	char v[256];
	vg_match_format(m, v, sizeof v);
	vg_buf_addf(b, "%s %s %u\n", vg_ind_type_name(m->type), v, m->meta);
	return 0;
}

static int stop_at_2(void *ctx, const vg_match_t *m)
{
	(void)m;
	return ++*(int *)ctx == 2 ? 42 : 0;
}

/* Rule: the walk is by type, then value; a value with two metas is visited
 * twice in a row; a nonzero callback result stops it and is returned; a
 * compiled (saved and reopened) store walks identically. */
static void test_foreach_order(void **st)
{
	(void)st;
	vg_store_t *s = load(feed);
	vg_buf_t b = VG_BUF_INIT;
	assert_int_equal(vg_store_foreach(s, visit, &b), 0);
	vg_buf_addc(&b, 0);
	assert_string_equal(b.p, "ipv4 10.1.2.3 2\n"
				 "ipv6 2001:db8::1 4\n"
				 "cidr4 10.0.0.0/8 1\n"
				 "ip:port4 1.2.3.4:8080 3\n"
				 "domain a.example 5\n"
				 "domain evil.com 0\n"
				 "domain evil.com 7\n"
				 "url bad.example/gate.php 5\n"
				 "md5 d41d8cd98f00b204e9800998ecf8427e 6\n"
				 "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709 6\n");
	int n = 0;
	assert_int_equal(vg_store_foreach(s, stop_at_2, &n), 42);

	char path[] = "/tmp/vg_test_export_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(vg_store_save(s, path), 0);
	vg_store_t *c;
	assert_int_equal(vg_store_open(path, true, &c), 0);
	unlink(path);
	vg_buf_t b2 = VG_BUF_INIT;
	assert_int_equal(vg_store_foreach(c, visit, &b2), 0);
	vg_buf_addc(&b2, 0);
	assert_string_equal(b.p, b2.p);
	vg_buf_release(&b);
	vg_buf_release(&b2);
	vg_store_free(c);
	vg_store_free(s);
}

/* Rule: plain lists each distinct value once; URLs keep no scheme. */
static void test_plain(void **st)
{
	(void)st;
	vg_store_t *s = load(feed);
	vg_export_report_t rep;
	char *o = run(s, VG_EXPORT_PLAIN, &rep);
	assert_string_equal(o, "10.1.2.3\n2001:db8::1\n10.0.0.0/8\n1.2.3.4:8080\na.example\nevil.com\n"
			       "bad.example/gate.php\nd41d8cd98f00b204e9800998ecf8427e\n"
			       "da39a3ee5e6b4b0d3255bfef95601890afd80709\n");
	assert_int_equal(rep.written, 9);
	free(o);
	vg_store_free(s);
}

/* Rule: CSV has the fixed header, one row per (value, meta), RFC 4180
 * quoting of commas and quotes, empty fields for unset metadata. */
static void test_csv(void **st)
{
	(void)st;
	vg_store_t *s = load(feed);
	char *o = run(s, VG_EXPORT_CSV, NULL);
	assert_string_equal(
		o, "value,type,source,category,description,reference,confidence,tlp,valid_from,"
		   "valid_until\n"
		   "10.1.2.3,ipv4,t,c2,inside,,,,,\n"
		   "2001:db8::1,ipv6,t,scan,,,,,,\n"
		   "10.0.0.0/8,cidr4,t,c2,net,,,green,,\n"
		   "1.2.3.4:8080,ip:port4,t,botnet,\"say \"\"hi\"\"\",,90,red,,2099-01-01T00:00:00Z\n"
		   "a.example,domain,t,apt,,,,,,\n"
		   "evil.com,domain,t,apt,\"Evil, Inc.\",https://r.example/1,80,amber,"
		   "2026-01-01T00:00:00Z,\n"
		   "evil.com,domain,t,c2,second meta,,,,,\n"
		   "bad.example/gate.php,url,t,apt,,,,,,\n"
		   "d41d8cd98f00b204e9800998ecf8427e,md5,t,malware,,,,,,\n"
		   "da39a3ee5e6b4b0d3255bfef95601890afd80709,sha1,t,malware,,,,,,\n");
	/* and it loads back with the same entries */
	vg_store_t *r = load(o);
	vg_store_stats_t a, b;
	vg_store_stats(s, &a);
	vg_store_stats(r, &b);
	assert_int_equal(a.entries, b.entries);
	free(o);
	vg_store_free(r);
	vg_store_free(s);
}

/* Rule: Zeek Intel has the #fields header, Intel:: types, "-" for empty
 * fields (desc falls back to the category), and leaves ip:port out. */
static void test_zeek(void **st)
{
	(void)st;
	vg_store_t *s = load(feed);
	vg_export_report_t rep;
	char *o = run(s, VG_EXPORT_ZEEK, &rep);
	assert_string_equal(
		o, "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n"
		   "10.1.2.3\tIntel::ADDR\tt\tinside\t-\n"
		   "2001:db8::1\tIntel::ADDR\tt\tscan\t-\n"
		   "10.0.0.0/8\tIntel::SUBNET\tt\tnet\t-\n"
		   "a.example\tIntel::DOMAIN\tt\tapt\t-\n"
		   "evil.com\tIntel::DOMAIN\tt\tEvil, Inc.\thttps://r.example/1\n"
		   "evil.com\tIntel::DOMAIN\tt\tsecond meta\t-\n"
		   "bad.example/gate.php\tIntel::URL\tt\tapt\t-\n"
		   "d41d8cd98f00b204e9800998ecf8427e\tIntel::FILE_HASH\tt\tmalware\t-\n"
		   "da39a3ee5e6b4b0d3255bfef95601890afd80709\tIntel::FILE_HASH\tt\tmalware\t-\n");
	assert_int_equal(rep.skipped[VG_IND_IPPORT4], 1);
	assert_int_equal(rep.written, 9);
	free(o);
	vg_store_free(s);
}

/* Rule: nftables sets hold every address and network, minus those inside
 * another listed network (nft refuses overlapping interval elements). */
static void test_nftables(void **st)
{
	(void)st;
	vg_store_t *s = load(feed);
	vg_export_report_t rep;
	char *o = run(s, VG_EXPORT_NFTABLES, &rep);
	assert_non_null(strstr(o, "table inet vigil\ndelete table inet vigil\ntable inet vigil {\n"
				  "\tset vigil_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
				  "\t\telements = {\n\t\t\t10.0.0.0/8\n\t\t}\n\t}\n"
				  "\tset vigil_v6 {\n\t\ttype ipv6_addr\n\t\tflags interval\n"
				  "\t\telements = {\n\t\t\t2001:db8::1\n\t\t}\n\t}\n"
				  "\tset vigil_v4_port {\n\t\ttype ipv4_addr . inet_service\n"
				  "\t\telements = {\n\t\t\t1.2.3.4 . 8080\n\t\t}\n\t}\n"
				  "\tset vigil_v6_port {\n\t\ttype ipv6_addr . inet_service\n\t}\n"));
	assert_non_null(strstr(o, "\t\tip daddr @vigil_v4 drop\n\t\tip saddr @vigil_v4 drop\n"));
	assert_non_null(strstr(o, "\t\ttype filter hook forward priority filter; policy accept;\n"
				  "\t\tjump block\n"));
	assert_int_equal(rep.covered, 1); /* 10.1.2.3 inside 10/8 */
	assert_int_equal(rep.written, 3);
	assert_int_equal(rep.skipped[VG_IND_DOMAIN], 3);
	free(o);
	vg_store_free(s);
}

/* Rule: Suricata gets iprep lines (category ids by sorted name, score =
 * confidence or 100), a categories file, base64 domain and hex hash
 * datasets; a domain with two metas is one dataset line. */
static void test_suricata(void **st)
{
	(void)st;
	vg_store_t *s = load(feed);
	vg_buf_t b[VG_SURI__COUNT];
	vg_buf_t *p[VG_SURI__COUNT];
	for (int i = 0; i < VG_SURI__COUNT; i++) {
		b[i] = (vg_buf_t)VG_BUF_INIT;
		p[i] = &b[i];
	}
	vg_export_report_t rep;
	assert_int_equal(vg_export_suricata(s, NULL, p, &rep), 0);
	for (int i = 0; i < VG_SURI__COUNT; i++)
		vg_buf_addc(&b[i], 0);
	assert_string_equal(b[VG_SURI_CATEGORIES].p,
			    "1,apt,apt\n2,botnet,botnet\n3,c2,c2\n4,malware,malware\n5,scan,scan\n");
	assert_string_equal(b[VG_SURI_IPREP].p, "10.1.2.3,3,100\n2001:db8::1,5,100\n10.0.0.0/8,3,100\n");
	assert_string_equal(b[VG_SURI_DOMAINS].p, "YS5leGFtcGxl\nZXZpbC5jb20=\n");
	assert_string_equal(b[VG_SURI_MD5].p, "d41d8cd98f00b204e9800998ecf8427e\n");
	assert_string_equal(b[VG_SURI_SHA256].p, "");
	assert_int_equal(rep.skipped[VG_IND_SHA1], 1);
	assert_int_equal(rep.skipped[VG_IND_URL], 1);
	assert_int_equal(rep.skipped[VG_IND_IPPORT4], 1);
	assert_string_equal(vg_export_suricata_file(VG_SURI_DOMAINS), "domains.lst");
	for (int i = 0; i < VG_SURI__COUNT; i++)
		vg_buf_release(&b[i]);
	vg_store_free(s);
}

/* Rule: the STIX bundle has the producer identity, the TLP 2.0 marking
 * definitions in use, UUIDv5 ids (checked against Python's uuid.uuid5 with
 * vigil's namespace), valid patterns (URL with http://, ip:port as
 * network-traffic), is byte-identical when exported twice, and loads back
 * with vigil's STIX reader (ip:port is skipped there: AND patterns). */
static void test_stix(void **st)
{
	(void)st;
	vg_store_t *s = load(feed);
	char *o = run(s, VG_EXPORT_STIX2, NULL);
	char *o2 = run(s, VG_EXPORT_STIX2, NULL);
	assert_string_equal(o, o2);
	assert_non_null(strstr(o, "{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"identity--"));
	assert_non_null(strstr(o, "\"name\":\"Test CERT\",\"identity_class\":\"organization\"}"));
	/* python3 -c 'import uuid; print(uuid.uuid5(uuid.UUID(
	 * "3c1d8e52-6b0f-4a77-9d2e-51a4c806f319"), "ipv4|10.1.2.3|t|c2"))' */
	assert_non_null(strstr(o, "\"id\":\"indicator--847c1993-3fda-5805-b47f-a44ed649b8a5\""));
	assert_non_null(strstr(o, "\"pattern\":\"[url:value = 'http://bad.example/gate.php']\""));
	assert_non_null(strstr(o, "\"pattern\":\"[network-traffic:dst_ref.type = 'ipv4-addr' AND "
				  "network-traffic:dst_ref.value = '1.2.3.4' AND "
				  "network-traffic:dst_port = 8080]\""));
	assert_non_null(strstr(o, "\"pattern\":\"[file:hashes.'SHA-1' = "
				  "'da39a3ee5e6b4b0d3255bfef95601890afd80709']\""));
	assert_non_null(strstr(o, "\"tlp_2_0\":\"amber\""));
	assert_non_null(strstr(o, "\"tlp_2_0\":\"green\""));
	assert_non_null(strstr(o, "\"tlp_2_0\":\"red\""));
	assert_null(strstr(o, "\"tlp_2_0\":\"clear\""));
	assert_non_null(strstr(o, "\"object_marking_refs\":[\"marking-definition--55d920b0-5e8b-4f79-"
				  "9ee9-91f868d9b421\"]"));
	assert_non_null(strstr(o, "\"created\":\"2026-01-01T00:00:00.000Z\""));

	vg_builder_opts_t bo = {.allow_reserved = true};
	vg_builder_t *b = vg_builder_new(&bo);
	vg_load_opts_t lo = {.format = VG_FMT_STIX, .source = "t"};
	vg_load_report_t rep;
	assert_int_equal(vg_feed_load_mem(b, "b.json", o, strlen(o), &lo, &rep), 0);
	assert_int_equal(rep.errors, 0);
	assert_int_equal(rep.skipped, 1);
	vg_store_t *r;
	assert_int_equal(vg_builder_build(b, &r), 0);
	vg_builder_free(b);
	vg_store_stats_t a, c;
	vg_store_stats(s, &a);
	vg_store_stats(r, &c);
	assert_int_equal(c.entries, a.entries - 1);
	/* the metadata survives: TLP, confidence, category, validity */
	vg_match_t m[4];
	assert_int_equal(vg_store_lookup_domain(r, "evil.com", 8, 0, m, 4), 2);
	vg_meta_t mt;
	assert_int_equal(vg_store_meta(r, m[0].meta, &mt), 0);
	assert_int_equal(mt.tlp, VG_TLP_AMBER);
	assert_int_equal(mt.confidence, 80);
	assert_string_equal(mt.category, "apt");
	assert_string_equal(mt.description, "Evil, Inc.");
	assert_int_equal(mt.valid_from, 1767225600);
	free(o);
	free(o2);
	vg_store_free(r);
	vg_store_free(s);
}

/* Rule: format names parse both ways; suricata is not a single stream. */
static void test_names(void **st)
{
	(void)st;
	for (int f = 0; f < VG_EXPORT__COUNT; f++)
		assert_int_equal(vg_export_fmt_parse(vg_export_fmt_name((vg_export_fmt_t)f)), f);
	assert_int_equal(vg_export_fmt_parse("zeek"), VG_EXPORT_ZEEK);
	assert_int_equal(vg_export_fmt_parse("xml"), -1);
	vg_store_t *s;
	assert_int_equal(vg_store_empty(&s), 0);
	vg_buf_t b = VG_BUF_INIT;
	assert_int_equal(vg_export(s, VG_EXPORT_SURICATA, NULL, &b, NULL), VG_EINVAL);
	assert_int_equal(vg_export(s, VG_EXPORT_PLAIN, NULL, &b, NULL), 0);
	assert_int_equal(b.len, 0);
	vg_buf_release(&b);
	vg_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_foreach_order), cmocka_unit_test(test_plain),
		cmocka_unit_test(test_csv),           cmocka_unit_test(test_zeek),
		cmocka_unit_test(test_nftables),      cmocka_unit_test(test_suricata),
		cmocka_unit_test(test_stix),          cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
