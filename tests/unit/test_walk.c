// SPDX-License-Identifier: Apache-2.0
/*
 * test_walk.c — robustness of the `vigil scan` walker and file reader:
 * unreadable files and directories are counted (not fatal), a FIFO is never
 * opened by the walker and is refused by the reader without blocking,
 * symlink loops are counted (not followed forever), a 2000-level tree is
 * cut at the depth limit (counted) or walked whole with a higher limit,
 * --exclude globs skip by path or base name, --max-filesize skips (counted),
 * and the one-pass digests of EICAR are exact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "scan/hash.h"
#include "scan/walk.h"
#include "vigil/common.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

typedef struct seen {
	int files;
	char last[4200];
	uint64_t counts[VG_WSKIP__COUNT];
} seen_t;

static int on_file(void *ctx, const char *path, const struct stat *st)
{
	seen_t *s = ctx;
	s->files++;
	snprintf(s->last, sizeof s->last, "%s", path);
	return 0;
}

static void put(const char *rel, const char *data)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

static void sub(const char *rel, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", root, rel);
}

static int setup(void **state)
{
	snprintf(root, sizeof root, "/tmp/vgwalk.XXXXXX");
	assert_non_null(mkdtemp(root));
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "chmod -R u+rwx %s; rm -rf %s", root, root);
	return system(cmd) ? -1 : 0;
}

static seen_t walk(const vg_walk_opts_t *o)
{
	seen_t s;
	memset(&s, 0, sizeof s);
	const char *r[1] = {root};
	assert_int_equal(vg_walk(r, 1, o, on_file, NULL, &s, s.counts), 0);
	return s;
}

/* An unreadable directory is counted as "unreadable"; the rest is walked.
 * An unreadable file is refused by the reader with VG_EIO (not a crash). */
static void test_unreadable(void **state)
{
	if (geteuid() == 0)
		skip();
	char p[512];
	sub("closed", p, sizeof p);
	assert_int_equal(mkdir(p, 0700), 0);
	put("closed/x", "x");
	put("secret", "s");
	put("open", "o");
	assert_int_equal(chmod(p, 0), 0);
	sub("secret", p, sizeof p);
	assert_int_equal(chmod(p, 0), 0);
	vg_walk_opts_t o = {0};
	seen_t s = walk(&o);
	assert_int_equal(s.files, 2); /* open + secret (the reader refuses secret) */
	assert_int_equal(s.counts[VG_WSKIP_UNREADABLE], 1);
	vg_hasher_t *h;
	assert_int_equal(vg_hasher_new(&h, false, false), 0);
	vg_digests_t d;
	vg_hfile_t f;
	assert_int_equal(vg_hasher_file(h, p, 0, &d, &f), VG_EIO);
	assert_int_equal(f.fd, -1);
	vg_hasher_free(h);
}

/* A FIFO is counted as special by the walker, and the reader opening one
 * by name returns VG_EFORMAT at once (O_NONBLOCK, fstat) instead of hanging. */
static void test_fifo(void **state)
{
	char p[512];
	sub("pipe", p, sizeof p);
	assert_int_equal(mkfifo(p, 0600), 0);
	put("f", "data");
	vg_walk_opts_t o = {0};
	seen_t s = walk(&o);
	assert_int_equal(s.files, 1);
	assert_int_equal(s.counts[VG_WSKIP_SPECIAL], 1);
	vg_hasher_t *h;
	assert_int_equal(vg_hasher_new(&h, false, false), 0);
	vg_digests_t d;
	vg_hfile_t f;
	assert_int_equal(vg_hasher_file(h, p, 1024, &d, &f), VG_EFORMAT);
	assert_int_equal(f.fd, -1);
	vg_hasher_free(h);
}

/* Links are counted, not followed, by default; with follow, a link to an
 * ancestor is a loop (counted once, files seen once) and a -> b -> a is ELOOP. */
static void test_symlink_loop(void **state)
{
	char p[512];
	sub("d", p, sizeof p);
	assert_int_equal(mkdir(p, 0700), 0);
	put("d/file", "x");
	sub("d/up", p, sizeof p);
	assert_int_equal(symlink("..", p), 0);
	sub("a", p, sizeof p);
	assert_int_equal(symlink("b", p), 0);
	sub("b", p, sizeof p);
	assert_int_equal(symlink("a", p), 0);
	vg_walk_opts_t o = {0};
	seen_t s = walk(&o);
	assert_int_equal(s.files, 1);
	assert_int_equal(s.counts[VG_WSKIP_SYMLINK], 3);
	assert_int_equal(s.counts[VG_WSKIP_LOOP], 0);
	o.follow = true;
	s = walk(&o);
	assert_int_equal(s.files, 1);
	assert_int_equal(s.counts[VG_WSKIP_LOOP], 3); /* d/up, a, b */
	assert_int_equal(s.counts[VG_WSKIP_SYMLINK], 0);
}

/* A 2000-level tree: with the default limit (256) the walk stops at the
 * limit (one "depth" skip) without recursion or fd exhaustion; with a
 * limit of 3000 the file at the bottom is found. */
static void test_deep_tree(void **state)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	for (int i = 0; i < 2000; i++) {
		assert_int_equal(mkdirat(fd, "d", 0700), 0);
		int nfd = openat(fd, "d", O_RDONLY | O_DIRECTORY);
		assert_true(nfd >= 0);
		close(fd);
		fd = nfd;
	}
	int ffd = openat(fd, "leaf", O_WRONLY | O_CREAT, 0600);
	assert_true(ffd >= 0);
	close(ffd);
	close(fd);
	vg_walk_opts_t o = {0};
	seen_t s = walk(&o);
	assert_int_equal(s.files, 0);
	assert_int_equal(s.counts[VG_WSKIP_DEPTH], 1);
	o.max_depth = 3000;
	s = walk(&o);
	assert_int_equal(s.files, 1);
	assert_int_equal(s.counts[VG_WSKIP_DEPTH], 0);
	assert_int_equal(strlen(s.last), strlen(root) + 2000 * 2 + 5);
}

/* --exclude: a glob without '/' matches base names, one with '/' the path;
 * an excluded directory is not entered. */
static void test_exclude(void **state)
{
	char p[512], g2[600];
	sub("logs", p, sizeof p);
	assert_int_equal(mkdir(p, 0700), 0);
	put("logs/a.txt", "a");
	put("b.log", "b");
	put("c.bin", "c");
	snprintf(g2, sizeof g2, "%s/logs", root);
	const char *ex[2] = {"*.log", g2};
	vg_walk_opts_t o = {.excludes = ex, .nexcludes = 2};
	seen_t s = walk(&o);
	assert_int_equal(s.files, 1);
	assert_string_equal(strrchr(s.last, '/'), "/c.bin");
	assert_int_equal(s.counts[VG_WSKIP_EXCLUDED], 2);
}

/* --max-filesize: a larger file is counted as too_large, never passed on. */
static void test_max_filesize(void **state)
{
	put("small", "12345");
	put("big", "0123456789abcdef");
	vg_walk_opts_t o = {.max_filesize = 10};
	seen_t s = walk(&o);
	assert_int_equal(s.files, 1);
	assert_string_equal(strrchr(s.last, '/'), "/small");
	assert_int_equal(s.counts[VG_WSKIP_TOO_LARGE], 1);
}

/* One read gives the exact MD5, SHA-1 and SHA-256 of EICAR and keeps the
 * content for YARA; a vanished file is VG_ENOTFOUND. */
static void test_digests(void **state)
{
	put("eicar", "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");
	char p[512], hex[65];
	sub("eicar", p, sizeof p);
	vg_hasher_t *h;
	assert_int_equal(vg_hasher_new(&h, true, true), 0);
	vg_digests_t d;
	vg_hfile_t f;
	assert_int_equal(vg_hasher_file(h, p, 1 << 20, &d, &f), 0);
	assert_int_equal(f.nread, 68);
	assert_int_equal(f.kept, 68);
	assert_memory_equal(f.data, "X5O!P", 5);
	close(f.fd);
	vg_hex(d.sha256, 32, hex);
	assert_string_equal(hex, "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f");
	vg_hex(d.sha1, 20, hex);
	assert_string_equal(hex, "3395856ce81f2b7382dee72602f798b642f14140");
	vg_hex(d.md5, 16, hex);
	assert_string_equal(hex, "44d88612fea8a8f36de82e1278abb02f");
	sub("gone", p, sizeof p);
	assert_int_equal(vg_hasher_file(h, p, 0, &d, &f), VG_ENOTFOUND);
	vg_hasher_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exclude, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_filesize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digests, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
