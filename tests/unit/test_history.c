// SPDX-License-Identifier: Apache-2.0
/*
 * test_history.c — the observation history (src/watch/history.c): what is
 * written is read back exactly, segments rotate per UTC hour, pruning by
 * age and by size deletes the oldest, and a torn segment is read up to the
 * damage with an error naming the place.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "watch/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T0 1795777200ull /* 2026-11-27T11:00:00Z, an hour start */

static char dir[64];

static int setup(void **st)
{
	strcpy(dir, "/tmp/vg-hist-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **st)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

static vg_hist_obs_t obs(uint64_t ts_us, uint32_t cli4, uint32_t rem4, uint16_t rport, int kind,
			 const char *name)
{
	vg_hist_obs_t o;
	memset(&o, 0, sizeof o);
	o.ts_us = ts_us;
	vg_ip_set4(&o.cli, cli4);
	vg_ip_set4(&o.rem, rem4);
	o.cport = 40000;
	o.rport = rport;
	o.proto = 6;
	o.kind = (uint8_t)kind;
	o.name = name;
	o.name_len = name ? strlen(name) : 0;
	return o;
}

static size_t count_segs(void)
{
	char **v;
	size_t n;
	assert_int_equal(vg_hist_list(dir, &v, &n), 0);
	vg_hist_list_free(v, n);
	return n;
}

/* Rule: every field written is read back unchanged, names are interned
 * (the same name twice is stored once), and ids are stable per segment. */
static void test_round_trip(void **st)
{
	vg_hist_t *h;
	assert_int_equal(vg_hist_open(&h, dir, NULL), 0);
	vg_hist_obs_t a = obs(T0 * 1000000 + 5, 0xc0a8010a, 0x5102452a, 443, VG_HIST_TLS_SNI,
			      "evil.example");
	a.has_mac = true;
	memcpy(a.mac, "\x3c\x52\x82\x00\x00\x10", 6);
	vg_hist_obs_t b = obs(T0 * 1000000 + 7000000, 0xc0a8010b, 0x08080808, 53, VG_HIST_DNS_ANSWER,
			      "evil.example");
	b.has_aux = true;
	vg_ip_set4(&b.aux, 0x01020304);
	b.proto = 17;
	assert_int_equal(vg_hist_add(h, &a), 0);
	assert_int_equal(vg_hist_add(h, &b), 0);
	assert_int_equal(vg_hist_close(h), 0);

	char path[128];
	snprintf(path, sizeof path, "%s/2026112711.vgh", dir);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	/* header 16 + block header 28 + 6 addresses + "evil.example\0" + 2 records */
	assert_int_equal(sb.st_size, 16 + 28 + 6 * 16 + 13 + 2 * VG_HIST_REC_SIZE);

	vg_hist_seg_t *s;
	assert_int_equal(vg_hist_seg_open(&s, path), 0);
	assert_int_equal(vg_hist_seg_start(s), (int64_t)T0);
	vg_hist_obs_t r;
	assert_int_equal(vg_hist_seg_next(s, &r), 1);
	assert_int_equal(r.ts_us, a.ts_us);
	assert_memory_equal(r.cli.a, a.cli.a, 16);
	assert_memory_equal(r.rem.a, a.rem.a, 16);
	assert_int_equal(r.cport, 40000);
	assert_int_equal(r.rport, 443);
	assert_int_equal(r.proto, 6);
	assert_int_equal(r.kind, VG_HIST_TLS_SNI);
	assert_true(r.has_mac);
	assert_memory_equal(r.mac, a.mac, 6);
	assert_false(r.has_aux);
	assert_int_equal(r.name_len, 12);
	assert_memory_equal(r.name, "evil.example", 12);
	uint32_t nid = r.name_id;
	assert_int_equal(vg_hist_seg_next(s, &r), 1);
	assert_int_equal(r.ts_us, b.ts_us);
	assert_int_equal(r.kind, VG_HIST_DNS_ANSWER);
	assert_true(r.has_aux);
	assert_memory_equal(r.aux.a, b.aux.a, 16);
	assert_false(r.has_mac);
	assert_int_equal(r.name_id, nid);
	assert_int_equal(r.proto, 17);
	assert_int_equal(vg_hist_seg_next(s, &r), 0);
	assert_int_equal(vg_hist_seg_n_str(s), 1);
	vg_hist_seg_close(s);
}

/* Rule: observations go to the segment of their UTC hour; a writer that
 * comes back to an existing segment appends a block that restarts the
 * tables, and both sessions read back. */
static void test_rotation(void **st)
{
	vg_hist_t *h;
	assert_int_equal(vg_hist_open(&h, dir, NULL), 0);
	vg_hist_obs_t o = obs(T0 * 1000000, 1, 0x5102452a, 80, VG_HIST_FLOW, NULL);
	assert_int_equal(vg_hist_add(h, &o), 0);
	o.ts_us = (T0 + 3600) * 1000000 + 1;
	assert_int_equal(vg_hist_add(h, &o), 0);
	o.ts_us = (T0 + 2 * 3600) * 1000000 + 2;
	assert_int_equal(vg_hist_add(h, &o), 0);
	assert_int_equal(vg_hist_close(h), 0);
	assert_int_equal(count_segs(), 3);
	/* second session, same hour as the last segment */
	assert_int_equal(vg_hist_open(&h, dir, NULL), 0);
	o.ts_us = (T0 + 2 * 3600) * 1000000 + 3;
	vg_ip_set4(&o.rem, 0x0a0b0c0d);
	assert_int_equal(vg_hist_add(h, &o), 0);
	assert_int_equal(vg_hist_close(h), 0);
	char path[128];
	snprintf(path, sizeof path, "%s/2026112713.vgh", dir);
	vg_hist_seg_t *s;
	assert_int_equal(vg_hist_seg_open(&s, path), 0);
	vg_hist_obs_t r;
	assert_int_equal(vg_hist_seg_next(s, &r), 1);
	assert_int_equal(r.ts_us, o.ts_us - 1);
	assert_int_equal(vg_ip_v4(&r.rem), 0x5102452a);
	uint32_t e1 = r.epoch;
	assert_int_equal(vg_hist_seg_next(s, &r), 1);
	assert_int_equal(r.ts_us, o.ts_us);
	assert_int_equal(vg_ip_v4(&r.rem), 0x0a0b0c0d);
	assert_int_equal(r.epoch, e1 + 1);
	assert_int_equal(r.rem_id, 1); /* the second session's tables: cli 0, rem 1 */
	assert_int_equal(vg_hist_seg_next(s, &r), 0);
	vg_hist_seg_close(s);
}

/* Rule: segments older than `days` before the newest hour are deleted, then
 * the oldest until the total fits max_bytes; the kept segment never. */
static void test_prune(void **st)
{
	vg_hist_t *h;
	vg_hist_opts_t op = {2, 0};
	assert_int_equal(vg_hist_open(&h, dir, &op), 0);
	vg_hist_obs_t o = obs(0, 1, 2, 80, VG_HIST_FLOW, NULL);
	for (int d = 0; d < 5; d++) { /* one segment a day, T0 - 4 days .. T0 */
		o.ts_us = (T0 - (uint64_t)(4 - d) * 86400) * 1000000;
		assert_int_equal(vg_hist_add(h, &o), 0);
	}
	assert_int_equal(vg_hist_close(h), 0);
	/* written: 5; pruned at each rotation: those that ended 2 days or more
	 * before the end of the newest hour */
	char **v;
	size_t n;
	assert_int_equal(vg_hist_list(dir, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "2026112611.vgh");
	assert_string_equal(v[1], "2026112711.vgh");
	vg_hist_list_free(v, n);
	/* size: each segment is 16 + 28 + 32 + 30 = 106 bytes; 150 keeps one,
	 * the newest */
	assert_int_equal(vg_hist_prune(dir, 30, 150, (int64_t)T0 + 3600, NULL), 1);
	assert_int_equal(vg_hist_list(dir, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "2026112711.vgh");
	vg_hist_list_free(v, n);
	/* the kept segment stays even when over the bound alone */
	assert_int_equal(vg_hist_prune(dir, 30, 1, (int64_t)T0 + 3600, "2026112711.vgh"), 0);
	assert_int_equal(count_segs(), 1);
}

/* Rule: a segment cut in the middle of its second block yields the first
 * block's records, then VG_ECORRUPT with the byte offset of the damage. */
static void test_truncated(void **st)
{
	vg_hist_t *h;
	assert_int_equal(vg_hist_open(&h, dir, NULL), 0);
	vg_hist_obs_t o = obs(T0 * 1000000, 1, 2, 80, VG_HIST_FLOW, NULL);
	assert_int_equal(vg_hist_add(h, &o), 0);
	assert_int_equal(vg_hist_flush(h), 0);
	o.ts_us += 1000;
	assert_int_equal(vg_hist_add(h, &o), 0);
	assert_int_equal(vg_hist_close(h), 0);
	char path[128];
	snprintf(path, sizeof path, "%s/2026112711.vgh", dir);
	/* block 1: 28 + 32 + 30 = 90; block 2: 28 + 30 = 58 */
	assert_int_equal(truncate(path, 16 + 90 + 40), 0);
	vg_hist_seg_t *s;
	assert_int_equal(vg_hist_seg_open(&s, path), 0);
	vg_hist_obs_t r;
	assert_int_equal(vg_hist_seg_next(s, &r), 1);
	assert_int_equal(r.ts_us, T0 * 1000000);
	assert_int_equal(vg_hist_seg_next(s, &r), VG_ECORRUPT);
	assert_string_equal(vg_hist_seg_error(s), "truncated block at byte 106");
	assert_int_equal(vg_hist_seg_next(s, &r), VG_ECORRUPT);
	vg_hist_seg_close(s);
	/* a file that is not a segment */
	FILE *f = fopen(path, "w");
	fputs("hello", f);
	fclose(f);
	assert_int_equal(vg_hist_seg_open(&s, path), VG_EFORMAT);
}

/* Rule: a flipped byte inside a block is caught by the check word. */
static void test_corrupt(void **st)
{
	vg_hist_t *h;
	assert_int_equal(vg_hist_open(&h, dir, NULL), 0);
	vg_hist_obs_t o = obs(T0 * 1000000, 1, 2, 80, VG_HIST_HTTP_HOST, "a.example");
	assert_int_equal(vg_hist_add(h, &o), 0);
	assert_int_equal(vg_hist_close(h), 0);
	char path[128];
	snprintf(path, sizeof path, "%s/2026112711.vgh", dir);
	FILE *f = fopen(path, "r+");
	fseek(f, 16 + 28 + 32 + 2, SEEK_SET);
	fputc('X', f);
	fclose(f);
	vg_hist_seg_t *s;
	assert_int_equal(vg_hist_seg_open(&s, path), 0);
	vg_hist_obs_t r;
	assert_int_equal(vg_hist_seg_next(s, &r), VG_ECORRUPT);
	assert_string_equal(vg_hist_seg_error(s), "block check mismatch at byte 16");
	vg_hist_seg_close(s);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
