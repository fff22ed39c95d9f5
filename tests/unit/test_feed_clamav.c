// SPDX-License-Identifier: Apache-2.0
/*
 * test_feed_clamav.c — ClamAV hash signature files (.hdb/.hsb) as a feed:
 * MD5/SHA-1/SHA-256 lines, '*' sizes, the name and size in the meta
 * description, bad lines reported with their line numbers, strict mode,
 * and format detection by extension and by content.
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
static char dfile[16][64];
static int nd;

static void dg(void *ctx, const char *file, unsigned long line, int sev, const char *msg)
{
	(void)ctx;
	(void)sev;
	if (nd < 16) {
		snprintf(diags[nd], sizeof diags[nd], "%s", msg);
		snprintf(dfile[nd], sizeof dfile[nd], "%s", file ? file : "");
		dlines[nd] = line;
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

static void unhex(const char *h, uint8_t *out)
{
	for (size_t i = 0; h[2 * i]; i++) {
		unsigned v;
		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

/* look up hex digest h; returns the number of matches and the first meta */
static int lookup(const vg_store_t *s, const char *h, vg_meta_t *m)
{
	uint8_t d[32];
	size_t n = strlen(h) / 2;
	unhex(h, d);
	vg_match_t mt[4];
	int k = vg_store_lookup_hash(s, d, n, 0, mt, 4);
	if (k > 0 && m)
		assert_int_equal(vg_store_meta(s, mt[0].meta, m), 0);
	return k;
}

#define EICAR_MD5 "44d88612fea8a8f36de82e1278abb02f"
#define EICAR_SHA1 "3395856ce81f2b7382dee72602f798b642f14140"
#define EICAR_SHA256 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

/* Rule: .hdb "MD5:size:name" adds an MD5 indicator whose meta has
 * category "clamav" and description "NAME (size N)". */
static void test_hdb(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	const char *in = EICAR_MD5 ":68:Eicar-Test-Signature\n"
			 "d41d8cd98f00b204e9800998ecf8427e:0:Empty.File\r\n";
	assert_int_equal(load(b, "test.hdb", in, VG_FMT_AUTO, false), 0);
	assert_int_equal(rep.format, VG_FMT_CLAMAV);
	assert_int_equal(rep.lines, 2);
	assert_int_equal(rep.added[VG_IND_MD5], 2);
	assert_int_equal(rep.errors, 0);
	assert_int_equal(nd, 0);
	vg_store_t *s;
	assert_int_equal(vg_builder_build(b, &s), 0);
	vg_meta_t m;
	assert_int_equal(lookup(s, EICAR_MD5, &m), 1);
	assert_string_equal(m.category, "clamav");
	assert_string_equal(m.description, "Eicar-Test-Signature (size 68)");
	assert_string_equal(m.source, "test.hdb");
	assert_int_equal(lookup(s, "d41d8cd98f00b204e9800998ecf8427e", &m), 1);
	assert_string_equal(m.description, "Empty.File (size 0)");
	vg_store_free(s);
	vg_builder_free(b);
}

/* Rule: .hsb holds SHA-1 and SHA-256 (type from the hash length), '*' is
 * "any size", upper-case hex is accepted, ClamAV's trailing flevel field
 * is ignored and not part of the name. */
static void test_hsb(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	const char *in = "# comment\n"
			 "\n" EICAR_SHA1 ":68:Eicar.Sha1\n"
			 "275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F:*:"
			 "Eicar.Sha256:73\n";
	assert_int_equal(load(b, "x.hsb", in, VG_FMT_AUTO, false), 0);
	assert_int_equal(rep.format, VG_FMT_CLAMAV);
	assert_int_equal(rep.added[VG_IND_SHA1], 1);
	assert_int_equal(rep.added[VG_IND_SHA256], 1);
	assert_int_equal(rep.added[VG_IND_MD5], 0);
	assert_int_equal(rep.errors, 0);
	vg_store_t *s;
	assert_int_equal(vg_builder_build(b, &s), 0);
	vg_meta_t m;
	assert_int_equal(lookup(s, EICAR_SHA1, &m), 1);
	assert_string_equal(m.description, "Eicar.Sha1 (size 68)");
	assert_int_equal(lookup(s, EICAR_SHA256, &m), 1);
	assert_string_equal(m.description, "Eicar.Sha256 (any size)");
	assert_int_equal(lookup(s, EICAR_MD5, NULL), 0);
	vg_store_free(s);
	vg_builder_free(b);
}

/* Rule: every bad line is reported as (file, line, reason), counted, and
 * the good lines still load. */
static void test_bad_lines(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	const char *in = EICAR_MD5 ":68:Good\n"                   /* 1 */
			 "44d88612fea8a8f36de82e1278abb02:68:Short\n" /* 2 */
			 EICAR_MD5 ":6x:BadSize\n"                     /* 3 */
			 EICAR_MD5 ":68:\n"                            /* 4 */
			 "just some words\n"                           /* 5 */
			 "zzd88612fea8a8f36de82e1278abb02f:1:NotHex\n" /* 6 */
			 EICAR_SHA1 ":1:Good2\n";                      /* 7 */
	assert_int_equal(load(b, "bad.hdb", in, VG_FMT_CLAMAV, false), 0);
	assert_int_equal(rep.lines, 7);
	assert_int_equal(rep.errors, 5);
	assert_int_equal(rep.added[VG_IND_MD5], 1);
	assert_int_equal(rep.added[VG_IND_SHA1], 1);
	assert_int_equal(nd, 5);
	assert_int_equal(dlines[0], 2);
	assert_string_equal(dfile[0], "bad.hdb");
	assert_string_equal(diags[0],
			    "invalid hash '44d88612fea8a8f36de82e1278abb02' (32, 40 or 64 hex digits)");
	assert_int_equal(dlines[1], 3);
	assert_string_equal(diags[1], "invalid size '6x' (digits or '*')");
	assert_int_equal(dlines[2], 4);
	assert_string_equal(diags[2], "empty signature name");
	assert_int_equal(dlines[3], 5);
	assert_string_equal(diags[3], "expected 'hash:size:name', got 'just some words'");
	assert_int_equal(dlines[4], 6);
	vg_builder_free(b);
}

/* Rule: strict mode stops at the first bad line with VG_EFORMAT. */
static void test_strict(void **st)
{
	(void)st;
	vg_builder_t *b = vg_builder_new(NULL);
	const char *in = EICAR_MD5 ":68:Good\n"
			 "nothex:1:x\n" EICAR_SHA1 ":1:Never\n";
	assert_int_equal(load(b, "s.hdb", in, VG_FMT_CLAMAV, true), VG_EFORMAT);
	assert_int_equal(rep.errors, 1);
	assert_int_equal(rep.added[VG_IND_SHA1], 0);
	vg_builder_free(b);
}

/* Rule: detection — .hdb/.hsb extension (any case) wins; otherwise a first
 * data line "hex:digits-or-*:name" is ClamAV, and a plain hash list or a
 * colon-less line is not. */
static void test_detect(void **st)
{
	(void)st;
	const char *md5line = EICAR_MD5 ":68:Eicar\n";
	assert_int_equal(vg_feed_detect("a/b/main.HSB", "1.2.3.4\n", 8), VG_FMT_CLAMAV);
	assert_int_equal(vg_feed_detect("x.hdb", "", 0), VG_FMT_CLAMAV);
	assert_int_equal(vg_feed_detect("feed.txt", md5line, strlen(md5line)), VG_FMT_CLAMAV);
	const char *anyl = "# sigs\n" EICAR_SHA256 ":*:X\n";
	assert_int_equal(vg_feed_detect(NULL, anyl, strlen(anyl)), VG_FMT_CLAMAV);
	const char *plain = EICAR_MD5 "\n";
	assert_int_equal(vg_feed_detect("feed.txt", plain, strlen(plain)), VG_FMT_PLAIN);
	const char *noname = EICAR_MD5 ":68:\n";
	assert_int_equal(vg_feed_detect("feed.txt", noname, strlen(noname)), VG_FMT_PLAIN);
	const char *badsz = EICAR_MD5 ":x:n\n";
	assert_int_equal(vg_feed_detect("feed.txt", badsz, strlen(badsz)), VG_FMT_PLAIN);
	assert_string_equal(vg_feed_fmt_name(VG_FMT_CLAMAV), "clamav");
	assert_int_equal(vg_feed_fmt_parse("ClamAV"), VG_FMT_CLAMAV);
}

/* Rule: vg_feed_load on a real file detects by extension and loads it. */
static void test_file(void **st)
{
	(void)st;
	char path[] = "/tmp/vg_clamXXXXXX.hsb";
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	const char *in = EICAR_SHA256 ":68:Eicar-Test-Signature\n";
	assert_int_equal(write(fd, in, strlen(in)), (ssize_t)strlen(in));
	close(fd);
	vg_builder_t *b = vg_builder_new(NULL);
	vg_load_opts_t o = {.diag = dg};
	assert_int_equal(vg_feed_load(b, path, &o, &rep), 0);
	unlink(path);
	assert_int_equal(rep.format, VG_FMT_CLAMAV);
	assert_int_equal(rep.added[VG_IND_SHA256], 1);
	vg_builder_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdb),     cmocka_unit_test(test_hsb),
		cmocka_unit_test(test_bad_lines), cmocka_unit_test(test_strict),
		cmocka_unit_test(test_detect),  cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
