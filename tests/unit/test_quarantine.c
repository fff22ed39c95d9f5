// SPDX-License-Identifier: Apache-2.0
/*
 * test_quarantine.c — the quarantine store (src/scan/quarantine.c): round
 * trip (restore is byte-identical with the same mode and nanosecond
 * times), defanged copies, refusing to overwrite, delete, exact paths with
 * newlines and invalid UTF-8, special files refused, and the crash
 * invariant: a child process killed after each step of vg_quar_put
 * (VIGIL_QUAR_CRASH_AT=N) leaves the original, the copy, or both, and the
 * next open repairs the store to a consistent state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "scan/quarantine.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char base[256];

static int setup(void **st)
{
	(void)st;
	snprintf(base, sizeof base, "/tmp/vg_quarXXXXXX");
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "chmod -R u+w %s; rm -rf %s", base, base);
	return system(cmd) == 0 ? 0 : -1;
}

static uint8_t content[5000];

static void make_content(void)
{
	for (size_t i = 0; i < sizeof content; i++)
		content[i] = (uint8_t)(i * 7 + (i >> 8));
	memcpy(content, "\x7f" "ELF", 4);
}

static void write_file(const char *p, mode_t mode)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, sizeof content), (ssize_t)sizeof content);
	struct timespec ts[2] = {{1600000000, 123456789}, {1500000000, 987654321}};
	assert_int_equal(futimens(fd, ts), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static bool same_content(const char *p)
{
	static uint8_t b[sizeof content + 1];
	int fd = open(p, O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, b, sizeof b);
	close(fd);
	return n == (ssize_t)sizeof content && !memcmp(b, content, sizeof content);
}

/* a defanged copy (magic + XOR 0xA5) of content under dir/sub? */
static int copies_in(const char *dir, const char *sub)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, sub);
	DIR *d = opendir(p);
	if (!d)
		return 0;
	int found = 0;
	struct dirent *de;
	static uint8_t b[sizeof content + 9];
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char f[800];
		snprintf(f, sizeof f, "%s/%s", p, de->d_name);
		int fd = open(f, O_RDONLY);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, b, sizeof b);
		close(fd);
		if (n != (ssize_t)sizeof content + 8 || memcmp(b, "VGQUAR01", 8))
			continue;
		bool ok = true;
		for (size_t i = 0; ok && i < sizeof content; i++)
			ok = (uint8_t)(b[8 + i] ^ 0xA5) == content[i];
		found += ok;
	}
	closedir(d);
	return found;
}

static int count_entries(const char *dir)
{
	char p[512];
	snprintf(p, sizeof p, "%s/index", dir);
	DIR *d = opendir(p);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

typedef struct lst {
	int n;
	char id[4][33], state[4][16], path[4][256];
	char json[4][2048];
} lst_t;

static int collect(void *ctx, const vg_quar_entry_t *e)
{
	lst_t *L = ctx;
	if (L->n < 4) {
		snprintf(L->id[L->n], 33, "%s", e->id);
		snprintf(L->state[L->n], 16, "%s", e->state);
		snprintf(L->path[L->n], 256, "%s", e->path);
		snprintf(L->json[L->n], 2048, "%s", e->json);
	}
	L->n++;
	return 0;
}

/* Rule: put moves the file into a 0700 store as a defanged 0400 copy with
 * an index entry; restore is byte-identical with the same mode and
 * nanosecond atime/mtime, and removes the entry. */
static void test_round_trip(void **st)
{
	(void)st;
	make_content();
	char dir[300], orig[300];
	snprintf(dir, sizeof dir, "%s/q", base);
	snprintf(orig, sizeof orig, "%s/evil.bin", base);
	write_file(orig, 0751);
	vg_quar_t *q;
	assert_int_equal(vg_quar_open(&q, dir), 0);
	struct stat sd;
	assert_int_equal(stat(dir, &sd), 0);
	assert_int_equal(sd.st_mode & 07777, 0700);
	char id[33];
	assert_int_equal(vg_quar_put(q, orig, -1, NULL, "{\"rule\":\"x\",\"sha256\":\"ab\"}", id), 0);
	assert_int_equal(strlen(id), 32);
	assert_int_equal(access(orig, F_OK), -1);
	char cp[400];
	snprintf(cp, sizeof cp, "%s/files/%s", dir, id);
	struct stat sc;
	assert_int_equal(stat(cp, &sc), 0);
	assert_int_equal(sc.st_mode & 07777, 0400);
	assert_int_equal(sc.st_size, (off_t)sizeof content + 8);
	assert_false(same_content(cp));
	assert_int_equal(copies_in(dir, "files"), 1);

	lst_t L = {0};
	unsigned bad = 9;
	assert_int_equal(vg_quar_foreach(q, collect, &L, &bad), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(L.n, 1);
	assert_string_equal(L.id[0], id);
	assert_string_equal(L.state[0], "done");
	assert_string_equal(L.path[0], orig);
	assert_non_null(strstr(L.json[0], "\"mode\":489,"));
	assert_non_null(strstr(L.json[0], "\"atime_ns\":1600000000123456789,"));
	assert_non_null(strstr(L.json[0], "\"mtime_ns\":1500000000987654321,"));
	assert_non_null(strstr(L.json[0], "\"info\":{\"rule\":\"x\",\"sha256\":\"ab\"}"));
	assert_non_null(strstr(L.json[0], "\"defang\":\"xor-a5-v1\""));
	assert_non_null(strstr(L.json[0], "\"size\":5000,"));

	assert_int_equal(vg_quar_restore(q, id, false), 0);
	/* stat before reading: reading may update atime (relatime) */
	struct stat so;
	assert_int_equal(stat(orig, &so), 0);
	assert_int_equal(so.st_mode & 07777, 0751);
	assert_int_equal(so.st_mtim.tv_sec, 1500000000);
	assert_int_equal(so.st_mtim.tv_nsec, 987654321);
	assert_int_equal(so.st_atim.tv_sec, 1600000000);
	assert_int_equal(so.st_atim.tv_nsec, 123456789);
	assert_true(same_content(orig));
	assert_int_equal(count_entries(dir), 0);
	assert_int_equal(access(cp, F_OK), -1);
	assert_int_equal(vg_quar_restore(q, id, false), VG_ENOTFOUND);
	vg_quar_free(q);
}

/* Rule: restore refuses an existing destination (EEXIST) and keeps the
 * entry, unless force; delete removes the copy and the entry. */
static void test_restore_exists_delete(void **st)
{
	(void)st;
	make_content();
	char dir[300], orig[300];
	snprintf(dir, sizeof dir, "%s/q2", base);
	snprintf(orig, sizeof orig, "%s/dup.bin", base);
	write_file(orig, 0644);
	vg_quar_t *q;
	assert_int_equal(vg_quar_open(&q, dir), 0);
	char id[33], id2[33];
	assert_int_equal(vg_quar_put(q, orig, -1, NULL, NULL, id), 0);
	FILE *f = fopen(orig, "w");
	fputs("new", f);
	fclose(f);
	errno = 0;
	assert_int_equal(vg_quar_restore(q, id, false), VG_EIO);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(count_entries(dir), 1);
	assert_false(same_content(orig));
	assert_int_equal(vg_quar_restore(q, id, true), 0);
	assert_true(same_content(orig));

	assert_int_equal(vg_quar_put(q, orig, -1, NULL, NULL, id2), 0);
	assert_int_equal(vg_quar_delete(q, id2), 0);
	assert_int_equal(count_entries(dir), 0);
	assert_int_equal(copies_in(dir, "files"), 0);
	assert_int_equal(vg_quar_delete(q, id2), VG_ENOTFOUND);
	assert_int_equal(vg_quar_delete(q, "../../etc/passwd"), VG_ENOTFOUND);
	vg_quar_free(q);
}

/* Rule: a name with a newline and invalid UTF-8 is recorded exactly
 * (path_hex) and restored to the same bytes; the JSON stays valid UTF-8. */
static void test_odd_name(void **st)
{
	(void)st;
	make_content();
	char dir[300], orig[300];
	snprintf(dir, sizeof dir, "%s/q3", base);
	snprintf(orig, sizeof orig, "%s/a\nb\xff\xfe.exe", base);
	write_file(orig, 0700);
	vg_quar_t *q;
	assert_int_equal(vg_quar_open(&q, dir), 0);
	char id[33];
	assert_int_equal(vg_quar_put(q, orig, -1, NULL, NULL, id), 0);
	lst_t L = {0};
	assert_int_equal(vg_quar_foreach(q, collect, &L, NULL), 0);
	assert_int_equal(L.n, 1);
	assert_string_equal(L.path[0], orig);
	assert_non_null(strstr(L.json[0], "a\\nb\xef\xbf\xbd\xef\xbf\xbd.exe"));
	assert_non_null(strstr(L.json[0], "\"path_hex\":\""));
	assert_int_equal(vg_quar_restore(q, id, false), 0);
	assert_true(same_content(orig));
	vg_quar_free(q);
}

/* Rule: only regular files are quarantined (a FIFO is refused without
 * blocking); info_json must be a JSON object. */
static void test_refused(void **st)
{
	(void)st;
	char dir[300], fifo[300], reg[300];
	snprintf(dir, sizeof dir, "%s/q4", base);
	snprintf(fifo, sizeof fifo, "%s/fifo", base);
	snprintf(reg, sizeof reg, "%s/reg", base);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	make_content();
	write_file(reg, 0600);
	vg_quar_t *q;
	assert_int_equal(vg_quar_open(&q, dir), 0);
	char id[33];
	assert_int_equal(vg_quar_put(q, fifo, -1, NULL, NULL, id), VG_EINVAL);
	assert_int_equal(vg_quar_put(q, reg, -1, NULL, "[1]", id), VG_EINVAL);
	assert_int_equal(vg_quar_put(q, reg, -1, NULL, "{bad", id), VG_EINVAL);
	assert_true(same_content(reg));
	assert_int_equal(count_entries(dir), 0);
	vg_quar_free(q);
}

/* Rule: with the caller's fd and stat, the content is read from offset 0
 * of that fd; a path replaced by another file (other inode) before the
 * unlink is left in place and the entry says "original_present". */
static void test_put_fd(void **st)
{
	(void)st;
	make_content();
	char dir[300], orig[300], other[300];
	snprintf(dir, sizeof dir, "%s/q5", base);
	snprintf(orig, sizeof orig, "%s/fd.bin", base);
	snprintf(other, sizeof other, "%s/other.bin", base);
	write_file(orig, 0600);
	vg_quar_t *q;
	assert_int_equal(vg_quar_open(&q, dir), 0);
	int fd = open(orig, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
	assert_true(fd >= 0);
	struct stat sb;
	assert_int_equal(fstat(fd, &sb), 0);
	char b[100];
	assert_int_equal(read(fd, b, sizeof b), (ssize_t)sizeof b); /* offset moved */
	char id[33];
	assert_int_equal(vg_quar_put(q, orig, fd, &sb, "{}", id), 0);
	close(fd);
	assert_int_equal(access(orig, F_OK), -1);
	assert_int_equal(copies_in(dir, "files"), 1);

	/* replaced between the scan (fd, st) and the quarantine */
	write_file(orig, 0600);
	fd = open(orig, O_RDONLY);
	assert_int_equal(fstat(fd, &sb), 0);
	write_file(other, 0600);
	assert_int_equal(rename(other, orig), 0);
	assert_int_equal(vg_quar_put(q, orig, fd, &sb, "{}", id), 0);
	close(fd);
	assert_true(same_content(orig));
	lst_t L = {0};
	assert_int_equal(vg_quar_foreach(q, collect, &L, NULL), 0);
	assert_int_equal(L.n, 2);
	assert_null(strstr(L.json[0], "original_present"));
	assert_non_null(strstr(L.json[1], "\"original_present\":true"));
	vg_quar_free(q);
}

static int ndiag;
static void dg(void *ctx, const char *file, unsigned long line, int sev, const char *msg)
{
	(void)ctx;
	(void)file;
	(void)line;
	(void)sev;
	(void)msg;
	ndiag++;
}

/* Rule: killed after each step N of put (1..7), the original or a copy
 * (or both) survives; reopening repairs: no entry stays "copied", no
 * stray tmp copy, and either the original is intact or the single entry
 * restores it byte-identically. */
static void test_crash_each_step(void **st)
{
	(void)st;
	make_content();
	for (int step = 1; step <= 7; step++) {
		char dir[300], orig[300];
		snprintf(dir, sizeof dir, "%s/crash%d", base, step);
		snprintf(orig, sizeof orig, "%s/victim%d", base, step);
		write_file(orig, 0755);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			setenv("VIGIL_QUAR_CRASH_AT", (char[]){(char)('0' + step), 0}, 1);
			vg_quar_t *q;
			char id[33];
			if (vg_quar_open(&q, dir) == 0)
				vg_quar_put(q, orig, -1, NULL, "{}", id);
			_exit(0);
		}
		int ws;
		assert_int_equal(waitpid(pid, &ws, 0), pid);
		assert_true(WIFEXITED(ws));
		assert_int_equal(WEXITSTATUS(ws), 99);
		/* the invariant, before any repair */
		bool have_orig = same_content(orig);
		int copies = copies_in(dir, "files") + copies_in(dir, "tmp");
		assert_true(have_orig || copies == 1);
		/* which side exists, step by step */
		assert_int_equal(have_orig, step <= 5);
		assert_int_equal(copies_in(dir, "files"), step >= 4 ? 1 : 0);

		ndiag = 0;
		vg_quar_t *q;
		assert_int_equal(vg_quar_open_ex(&q, dir, dg, NULL), 0);
		assert_int_equal(ndiag, step == 7 ? 0 : 1);
		assert_int_equal(copies_in(dir, "tmp"), 0);
		lst_t L = {0};
		assert_int_equal(vg_quar_foreach(q, collect, &L, NULL), 0);
		for (int i = 0; i < L.n; i++)
			assert_string_equal(L.state[i], "done");
		if (step <= 3) {
			/* rolled back: original kept, nothing in the store */
			assert_true(same_content(orig));
			assert_int_equal(L.n, 0);
		} else {
			assert_int_equal(L.n, 1);
			if (step <= 5) {
				assert_true(same_content(orig));
				assert_non_null(strstr(L.json[0], "\"original_present\":true"));
				assert_int_equal(unlink(orig), 0);
			} else {
				assert_int_equal(access(orig, F_OK), -1);
			}
			assert_int_equal(vg_quar_restore(q, L.id[0], false), 0);
			assert_true(same_content(orig));
		}
		vg_quar_free(q);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_restore_exists_delete),
		cmocka_unit_test(test_odd_name),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_put_fd),
		cmocka_unit_test(test_crash_each_step),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
