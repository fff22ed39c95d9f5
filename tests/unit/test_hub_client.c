// SPDX-License-Identifier: Apache-2.0
/*
 * test_hub_client.c — the sensor side of the hub (src/hub/client_agg.c,
 * src/hub/spool.c): aggregation per (indicator, type, device class) with a
 * bounded table and counted drops, the exact POST /sightings body, UUIDv4
 * batch ids, and the spool (write, list in order, delete, bound, replay
 * after reopening, corrupt files set aside with a warning naming them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "hub/client.h"
#include "hub/spool.h"
#include "vigil/common.h"
#include "vigil/intel.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T0 1795777200000000ull /* 2026-11-27T11:00:00Z in microseconds */

static char dir[64];
static char logbuf[4096];

static void logcb(void *ctx, int level, const char *msg)
{
	size_t n = strlen(logbuf);
	snprintf(logbuf + n, sizeof logbuf - n, "%d %s\n", level, msg);
}

static int setup(void **st)
{
	strcpy(dir, "/tmp/vg-spool-XXXXXX");
	assert_non_null(mkdtemp(dir));
	logbuf[0] = 0;
	return 0;
}

static int teardown(void **st)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

/* Rule: one entry per (indicator, type, class); count, first/last seen and
 * the strictest TLP are kept; NULL/"" class is "unknown"; order is first
 * appearance. */
static void test_agg_merge(void **st)
{
	vg_hub_agg_t *a;
	assert_int_equal(vg_hub_agg_new(&a, 8, 4096), 0);
	assert_int_equal(vg_hub_agg_add(a, "evil.example.com", "domain", "camera", VG_TLP_GREEN, T0 + 5), 0);
	assert_int_equal(vg_hub_agg_add(a, "1.2.3.4", "ipv4", NULL, VG_TLP_UNSET, T0), 0);
	assert_int_equal(vg_hub_agg_add(a, "evil.example.com", "domain", "camera", VG_TLP_RED, T0 + 1), 0);
	assert_int_equal(vg_hub_agg_add(a, "evil.example.com", "domain", "camera", VG_TLP_CLEAR, T0 + 9), 0);
	assert_int_equal(vg_hub_agg_add(a, "evil.example.com", "domain", "", VG_TLP_AMBER, T0), 0);
	assert_int_equal(vg_hub_agg_add(a, "1.2.3.4", "ipv4", "unknown", VG_TLP_UNSET, T0 + 2), 0);
	assert_int_equal(vg_hub_agg_count(a), 3);
	const vg_hub_agg_entry_t *s = vg_hub_agg_get(a, 0);
	assert_string_equal(s->indicator, "evil.example.com");
	assert_string_equal(s->device_class, "camera");
	assert_int_equal(s->count, 3);
	assert_int_equal(s->first_us, T0 + 1);
	assert_int_equal(s->last_us, T0 + 9);
	assert_int_equal(s->tlp, VG_TLP_RED);
	s = vg_hub_agg_get(a, 1);
	assert_string_equal(s->indicator, "1.2.3.4");
	assert_string_equal(s->device_class, "unknown");
	assert_int_equal(s->count, 2);
	s = vg_hub_agg_get(a, 2);
	assert_string_equal(s->device_class, "unknown");
	assert_int_equal(s->count, 1);
	assert_null(vg_hub_agg_get(a, 3));
	assert_int_equal(vg_hub_agg_dropped(a), 0);
	vg_hub_agg_free(a);
}

/* Rule: a full table drops new keys (counted) but still counts known ones;
 * clear empties it and resets the drop counter; a full arena drops too. */
static void test_agg_bound(void **st)
{
	vg_hub_agg_t *a;
	char k[32];
	assert_int_equal(vg_hub_agg_new(&a, 100, 1 << 16), 0);
	for (int i = 0; i < 150; i++) {
		snprintf(k, sizeof k, "h%d.example", i);
		int r = vg_hub_agg_add(a, k, "domain", "pc", VG_TLP_GREEN, T0);
		assert_int_equal(r, i < 100 ? 0 : VG_ELIMIT);
	}
	assert_int_equal(vg_hub_agg_add(a, "h7.example", "domain", "pc", VG_TLP_GREEN, T0), 0);
	assert_int_equal(vg_hub_agg_count(a), 100);
	assert_int_equal(vg_hub_agg_dropped(a), 50);
	assert_int_equal(vg_hub_agg_get(a, 7)->count, 2);
	vg_hub_agg_clear(a);
	assert_int_equal(vg_hub_agg_count(a), 0);
	assert_int_equal(vg_hub_agg_add(a, "h120.example", "domain", "pc", VG_TLP_GREEN, T0), 0);
	assert_int_equal(vg_hub_agg_get(a, 0)->count, 1);
	assert_int_equal(vg_hub_agg_dropped(a), 0);
	vg_hub_agg_free(a);

	assert_int_equal(vg_hub_agg_new(&a, 100, 64), 0); /* arena: 64 bytes */
	assert_int_equal(vg_hub_agg_add(a, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", "domain", "pc", 0, T0), 0);
	assert_int_equal(vg_hub_agg_add(a, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.example", "domain", "pc", 0, T0),
			 VG_ELIMIT);
	assert_int_equal(vg_hub_agg_dropped(a), 1);
	vg_hub_agg_free(a);
	assert_int_equal(vg_hub_agg_new(&a, 0, 4096), VG_EINVAL);
}

/* Rule: the body is exactly HUB_API.md's format (key order, no spaces, UTC
 * seconds, unset TLP sent as amber, strings escaped). */
static void test_batch_json_bytes(void **st)
{
	vg_hub_agg_t *a;
	assert_int_equal(vg_hub_agg_new(&a, 8, 4096), 0);
	vg_hub_agg_add(a, "evil.example.com", "domain", "camera", VG_TLP_AMBER, T0 + 3000000);
	vg_hub_agg_add(a, "evil.example.com", "domain", "camera", VG_TLP_AMBER, T0 + 180999999);
	vg_hub_agg_add(a, "evil.example.com", "domain", "camera", VG_TLP_AMBER, T0 + 60000000);
	vg_hub_agg_add(a, "203.0.113.9:8090", "ip:port4", NULL, VG_TLP_UNSET, T0);
	vg_hub_agg_add(a, "http://x.example/a\"b", "url", "dvr", VG_TLP_AMBER_STRICT, T0);
	vg_buf_t b = VG_BUF_INIT;
	assert_int_equal(vg_hub_batch_json(&b, "0f8e2c1a-3b4d-4e5f-8a6b-7c8d9e0f1a2b", "sensor-hcm-01", a, 0, 3), 0);
	assert_string_equal(b.p,
		"{\"batch_id\":\"0f8e2c1a-3b4d-4e5f-8a6b-7c8d9e0f1a2b\",\"sensor\":\"sensor-hcm-01\",\"sightings\":["
		"{\"indicator\":\"evil.example.com\",\"type\":\"domain\",\"first_seen\":\"2026-11-27T11:00:03Z\","
		"\"last_seen\":\"2026-11-27T11:03:00Z\",\"count\":3,\"device_class\":\"camera\",\"tlp\":\"amber\"},"
		"{\"indicator\":\"203.0.113.9:8090\",\"type\":\"ip:port4\",\"first_seen\":\"2026-11-27T11:00:00Z\","
		"\"last_seen\":\"2026-11-27T11:00:00Z\",\"count\":1,\"device_class\":\"unknown\",\"tlp\":\"amber\"},"
		"{\"indicator\":\"http://x.example/a\\\"b\",\"type\":\"url\",\"first_seen\":\"2026-11-27T11:00:00Z\","
		"\"last_seen\":\"2026-11-27T11:00:00Z\",\"count\":1,\"device_class\":\"dvr\",\"tlp\":\"amber+strict\"}]}");
	vg_buf_reset(&b);
	assert_int_equal(vg_hub_batch_json(&b, "id", "s", a, 1, 0), 0);
	assert_string_equal(b.p, "{\"batch_id\":\"id\",\"sensor\":\"s\",\"sightings\":[]}");
	assert_int_equal(vg_hub_batch_json(&b, "id", "s", a, 2, 2), VG_EINVAL);
	vg_buf_release(&b);
	vg_hub_agg_free(a);
}

/* Rule: batch ids are RFC 4122 v4 (version nibble 4, variant 8-b), distinct. */
static void test_uuid4(void **st)
{
	char u1[37], u2[37];
	assert_int_equal(vg_hub_uuid4(u1), 0);
	assert_int_equal(vg_hub_uuid4(u2), 0);
	assert_int_equal(strlen(u1), 36);
	assert_int_equal(u1[8], '-');
	assert_int_equal(u1[14], '4');
	assert_non_null(strchr("89ab", u1[19]));
	assert_string_not_equal(u1, u2);
}

static const char *batch(const char *id, int n, char *buf, size_t cap)
{
	snprintf(buf, cap, "{\"batch_id\":\"%s\",\"sensor\":\"s\",\"sightings\":[%d]}", id, n);
	return buf;
}

/* put: one small batch (its body built before the call) */
static int put(vg_hub_spool_t *s, const char *id, int n)
{
	char b[256];
	batch(id, n, b, sizeof b);
	return vg_hub_spool_put(s, id, b, strlen(b));
}

#define ID1 "00000000-0000-4000-8000-000000000001"
#define ID2 "00000000-0000-4000-8000-000000000002"
#define ID3 "00000000-0000-4000-8000-000000000003"
#define ID4 "00000000-0000-4000-8000-000000000004"

/* Rule: batches are written one file each, listed oldest first (also after
 * reopening, which continues the sequence), deleted on ack. */
static void test_spool_order_ack_reopen(void **st)
{
	vg_hub_spool_t *s;
	char b[256], *json;
	size_t len;
	const char *id;
	assert_int_equal(vg_hub_spool_open(&s, dir, 0, logcb, NULL), 0);
	assert_int_equal(vg_hub_spool_peek(s, &json, &len, &id), VG_ENOTFOUND);
	assert_int_equal(put(s, ID1, 1), 0);
	assert_int_equal(put(s, ID2, 2), 0);
	assert_int_equal(vg_hub_spool_put(s, "not-a-uuid", b, strlen(b)), VG_EINVAL);
	assert_int_equal(vg_hub_spool_count(s), 2);
	assert_string_equal(vg_hub_spool_name(s, 0), "0000000000000001-" ID1 ".json");
	assert_string_equal(vg_hub_spool_name(s, 1), "0000000000000002-" ID2 ".json");
	assert_int_equal(vg_hub_spool_peek(s, &json, &len, &id), 0);
	assert_string_equal(id, ID1);
	assert_string_equal(json, batch(ID1, 1, b, sizeof b));
	assert_int_equal(len, strlen(b));
	free(json);
	vg_hub_spool_close(s);

	/* reopened: same order, sequence continues */
	assert_int_equal(vg_hub_spool_open(&s, dir, 0, logcb, NULL), 0);
	assert_int_equal(vg_hub_spool_count(s), 2);
	assert_int_equal(put(s, ID3, 3), 0);
	assert_string_equal(vg_hub_spool_name(s, 2), "0000000000000003-" ID3 ".json");
	assert_int_equal(vg_hub_spool_ack(s), 0);
	char p[256];
	snprintf(p, sizeof p, "%s/0000000000000001-" ID1 ".json", dir);
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(vg_hub_spool_peek(s, &json, &len, &id), 0);
	assert_string_equal(id, ID2);
	free(json);
	assert_int_equal(vg_hub_spool_reject(s, "HTTP 400: bad count at sightings[0].count"), 0);
	snprintf(p, sizeof p, "%s/rejected/0000000000000002-" ID2 ".json", dir);
	assert_int_equal(access(p, F_OK), 0);
	assert_non_null(strstr(logbuf, "batch " ID2 " rejected: HTTP 400: bad count at sightings[0].count"));
	assert_int_equal(vg_hub_spool_count(s), 1);
	assert_int_equal(vg_hub_spool_ack(s), 0);
	assert_int_equal(vg_hub_spool_ack(s), VG_ENOTFOUND);
	assert_int_equal(vg_hub_spool_bytes(s), 0);
	vg_hub_spool_close(s);
}

/* Rule: the total size is bounded; a put over the bound drops the oldest
 * batches first, counted and logged; a batch bigger than the bound is
 * refused. */
static void test_spool_bound(void **st)
{
	vg_hub_spool_t *s;
	char b[256];
	size_t one = strlen(batch(ID1, 1, b, sizeof b));
	assert_int_equal(vg_hub_spool_open(&s, dir, one * 2 + 10, logcb, NULL), 0);
	assert_int_equal(put(s, ID1, 1), 0);
	assert_int_equal(put(s, ID2, 2), 0);
	assert_int_equal(put(s, ID3, 3), 0);
	assert_int_equal(vg_hub_spool_count(s), 2);
	assert_int_equal(vg_hub_spool_dropped(s), 1);
	assert_string_equal(vg_hub_spool_name(s, 0), "0000000000000002-" ID2 ".json");
	assert_non_null(strstr(logbuf, "oldest unacknowledged batch " ID1 " dropped (1 so far)"));
	char big[512];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_int_equal(vg_hub_spool_put(s, ID4, big, strlen(big)), VG_ELIMIT);
	assert_int_equal(vg_hub_spool_count(s), 2);
	vg_hub_spool_close(s);
	/* only two files remain on disk */
	int files = 0;
	DIR *d = opendir(dir);
	struct dirent *de;
	while ((de = readdir(d)))
		files += strstr(de->d_name, ".json") != NULL;
	closedir(d);
	assert_int_equal(files, 2);
}

/* Rule: at open, a corrupt file (not JSON, or batch_id not its name's) is
 * moved to rejected/ with a warning naming it; stray temporary files are
 * removed; other batches stay in order.  The in-memory spool works alike. */
static void test_spool_corrupt(void **st)
{
	char p[256], b[256];
	snprintf(p, sizeof p, "%s/0000000000000005-" ID1 ".json", dir);
	FILE *f = fopen(p, "w");
	fputs("{\"batch_id\":\"" ID1 "\",\"sightings\":[", f); /* torn */
	fclose(f);
	snprintf(p, sizeof p, "%s/0000000000000006-" ID2 ".json", dir);
	f = fopen(p, "w");
	fputs(batch(ID3, 1, b, sizeof b), f); /* wrong id */
	fclose(f);
	snprintf(p, sizeof p, "%s/0000000000000007-" ID3 ".json", dir);
	f = fopen(p, "w");
	fputs(batch(ID3, 1, b, sizeof b), f);
	fclose(f);
	snprintf(p, sizeof p, "%s/.tmp-0000000000000008", dir);
	f = fopen(p, "w");
	fputs("{", f);
	fclose(f);
	vg_hub_spool_t *s;
	assert_int_equal(vg_hub_spool_open(&s, dir, 0, logcb, NULL), 0);
	assert_int_equal(vg_hub_spool_count(s), 1);
	assert_int_equal(vg_hub_spool_corrupt(s), 2);
	assert_string_equal(vg_hub_spool_name(s, 0), "0000000000000007-" ID3 ".json");
	char want[256];
	snprintf(want, sizeof want, "1 hub spool: %s/0000000000000005-" ID1 ".json skipped: not JSON", dir);
	assert_non_null(strstr(logbuf, want));
	snprintf(want, sizeof want, "1 hub spool: %s/0000000000000006-" ID2 ".json skipped: not a sightings batch", dir);
	assert_non_null(strstr(logbuf, want));
	assert_int_equal(access(p, F_OK), -1); /* .tmp removed */
	snprintf(p, sizeof p, "%s/rejected/0000000000000005-" ID1 ".json", dir);
	assert_int_equal(access(p, F_OK), 0);
	/* a file damaged after open is set aside at peek */
	snprintf(p, sizeof p, "%s/0000000000000007-" ID3 ".json", dir);
	f = fopen(p, "w");
	fputs("garbage", f);
	fclose(f);
	char *json;
	size_t len;
	const char *id;
	assert_int_equal(vg_hub_spool_peek(s, &json, &len, &id), VG_ENOTFOUND);
	assert_int_equal(vg_hub_spool_corrupt(s), 3);
	vg_hub_spool_close(s);

	assert_int_equal(vg_hub_spool_open(&s, NULL, 1000, logcb, NULL), 0);
	assert_int_equal(put(s, ID1, 1), 0);
	assert_int_equal(vg_hub_spool_peek(s, &json, &len, &id), 0);
	assert_string_equal(json, batch(ID1, 1, b, sizeof b));
	free(json);
	assert_int_equal(vg_hub_spool_ack(s), 0);
	assert_int_equal(vg_hub_spool_count(s), 0);
	vg_hub_spool_close(s);
}

/* Rule: a spool directory that cannot be created fails with VG_EIO and a
 * message naming it. */
static void test_spool_bad_dir(void **st)
{
	vg_hub_spool_t *s;
	assert_int_equal(vg_hub_spool_open(&s, "/proc/nonexistent/spool", 0, logcb, NULL), VG_EIO);
	assert_null(s);
	assert_non_null(strstr(logbuf, "cannot use directory '/proc/nonexistent/spool'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agg_merge),
		cmocka_unit_test(test_agg_bound),
		cmocka_unit_test(test_batch_json_bytes),
		cmocka_unit_test(test_uuid4),
		cmocka_unit_test_setup_teardown(test_spool_order_ack_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spool_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spool_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spool_bad_dir, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
