// SPDX-License-Identifier: Apache-2.0
/*
 * test_invdb.c — SQLite persistence of the inventory (src/dev/invdb.c):
 * what is flushed reads back field for field, flushes are rate-limited
 * (interval) unless forced, only dirty rows are written (a device only
 * touched by a flow gets its last_us updated), merged devices
 * are deleted, a newer schema is refused and a foreign database is not
 * taken for an inventory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "dev/invdb.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static int setup(void **st)
{
	strcpy(path, "/tmp/vg-invdb-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	return 0;
}

static int teardown(void **st)
{
	char p[80];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	return 0;
}

static const uint8_t CAM[6] = {0x44, 0x19, 0xb6, 0x12, 0x34, 0x56};

static vg_ip_t ip(const char *s)
{
	vg_ip_t a;
	assert_int_equal(vg_ip_parse(s, strlen(s), &a), 0);
	return a;
}

static vg_inv_t *mk(void)
{
	vg_inv_limits_t l;
	vg_inv_limits_default(&l);
	vg_inv_t *inv;
	assert_int_equal(vg_inv_new(&inv, &l, NULL, NULL), 0);
	return inv;
}

static void lease(vg_inv_t *inv, const uint8_t *mac, const char *addr, uint64_t ts)
{
	vg_dev_sig_t s;
	memset(&s, 0, sizeof s);
	s.kind = VG_SIG_DHCP_LEASE;
	s.mac = mac;
	s.ip = ip(addr);
	s.value = addr;
	s.len = strlen(addr);
	s.ts_us = ts;
	vg_inv_on_signal(inv, &s);
}

/* Rule: every field written by a flush reads back identically. */
static void test_round_trip(void **st)
{
	char err[256];
	vg_invdb_t *db;
	assert_int_equal(vg_invdb_open(&db, path, false, err, sizeof err), 0);
	vg_inv_t *inv = mk();
	lease(inv, CAM, "192.168.1.64", 1000000);
	vg_inv_dev_t *d = vg_inv_get(inv, 0);
	strcpy(d->model, "DS-2CD2042WD-I");
	strcpy(d->firmware, "V5.4.5build 170124");
	strcpy(d->hostname, "cam, \"lobby\"");
	d->risk = VG_RISK_UPNP | VG_RISK_VULN;
	d->svc[0].port = 554;
	d->svc[0].proto = 6;
	d->svc[1].port = 3702;
	d->svc[1].proto = 17;
	d->n_svc = 2;
	vg_inv_ev_t e;
	memset(&e, 0, sizeof e);
	strcpy(e.signal, "sadp.model");
	strcpy(e.value, "DS-2CD2042WD-I");
	strcpy(e.rule, "hik-sadp");
	e.cls = VG_CLASS_CAMERA;
	e.confidence = 60;
	assert_int_equal(vg_inv_add_evidence(inv, d, &e), 1);
	assert_int_equal(vg_inv_add_evidence(inv, d, &e), 0); /* same rule and signal */
	assert_int_equal(d->cls, VG_CLASS_CAMERA); /* from the evidence */
	assert_int_equal(d->confidence, 60);
	d->confidence = 84;
	strcpy(d->vulns[0].component, "hikvision");
	strcpy(d->vulns[0].version, "5.4.5");
	strcpy(d->vulns[0].cves, "CVE-2017-7921,CVE-2021-36260");
	d->n_vulns = 1;
	vg_inv_alert(inv, d, "listed domain evil.example", true, 2000000);
	vg_ip_t cli = ip("192.168.1.64"), srv = ip("203.0.113.10");
	vg_inv_dest_t *x;
	bool is_new;
	vg_inv_flow(inv, CAM, &cli, &srv, 443, 6, 3000000, "cloud.example", "US", &x, &is_new);
	assert_int_equal(vg_invdb_flush(db, inv, 5, 1000000, false, err, sizeof err), 1);
	assert_false(vg_inv_dirty(inv));
	vg_invdb_close(db);

	assert_int_equal(vg_invdb_open(&db, path, true, err, sizeof err), 0);
	vg_inv_t *back = mk();
	assert_int_equal(vg_invdb_load(db, back, err, sizeof err), 0);
	vg_invdb_close(db);
	assert_int_equal(vg_inv_count(back), 1);
	vg_inv_dev_t *b = vg_inv_get(back, 0);
	assert_int_equal(b->id, 1);
	assert_memory_equal(b->mac, CAM, 6);
	assert_int_equal(b->first_us, 1000000);
	assert_int_equal(b->last_us, 3000000);
	assert_int_equal(b->cls, VG_CLASS_CAMERA);
	assert_int_equal(b->confidence, 84);
	assert_string_equal(b->model, "DS-2CD2042WD-I");
	assert_string_equal(b->firmware, "V5.4.5build 170124");
	assert_string_equal(b->hostname, "cam, \"lobby\"");
	assert_int_equal(b->risk, VG_RISK_UPNP | VG_RISK_VULN | VG_RISK_INDICATOR);
	assert_int_equal(b->n_svc, 2);
	assert_int_equal(b->svc[1].port, 3702);
	assert_int_equal(b->svc[1].proto, 17);
	assert_int_equal(b->n_ev, 1);
	assert_string_equal(b->ev[0].rule, "hik-sadp");
	assert_int_equal(b->ev[0].confidence, 60);
	assert_string_equal(b->vulns[0].cves, "CVE-2017-7921,CVE-2021-36260");
	assert_int_equal(b->alerts, 1);
	assert_string_equal(b->last_alerts[0], "listed domain evil.example");
	assert_int_equal(b->n_dests, 1);
	assert_string_equal(b->dests[0].name, "cloud.example");
	assert_string_equal(b->dests[0].cc, "US");
	assert_int_equal(b->dests[0].port, 443);
	assert_int_equal(b->dests[0].flows, 1);
	/* the reloaded table finds the device by its address */
	assert_ptr_equal(vg_inv_by_ip(back, &cli), b);
	vg_inv_free(back);
	vg_inv_free(inv);
}

/* Rule: a flush within the interval of the previous one does nothing
 * (returns 0, changes stay dirty); force writes at once. */
static void test_interval(void **st)
{
	char err[256];
	vg_invdb_t *db;
	assert_int_equal(vg_invdb_open(&db, path, false, err, sizeof err), 0);
	vg_inv_t *inv = mk();
	assert_int_equal(vg_invdb_flush(db, inv, 0, 1000000, false, err, sizeof err), 0); /* clean */
	lease(inv, CAM, "192.168.1.64", 1);
	assert_int_equal(vg_invdb_flush(db, inv, 10, 1000000, false, err, sizeof err), 1);
	lease(inv, CAM, "192.168.1.65", 2);
	assert_int_equal(vg_invdb_flush(db, inv, 500000, 1000000, false, err, sizeof err), 0);
	assert_true(vg_inv_dirty(inv));
	assert_int_equal(vg_invdb_flush(db, inv, 1000010, 1000000, false, err, sizeof err), 1);
	lease(inv, CAM, "192.168.1.66", 3);
	assert_int_equal(vg_invdb_flush(db, inv, 1000020, 1000000, true, err, sizeof err), 1);
	/* a flow only touches the device (last_us) and adds a destination row */
	vg_ip_t cli = ip("192.168.1.66"), srv = ip("203.0.113.10");
	vg_inv_dest_t *x;
	bool is_new;
	vg_inv_flow(inv, CAM, &cli, &srv, 443, 6, 777, NULL, NULL, &x, &is_new);
	assert_true(vg_inv_get(inv, 0)->touched);
	assert_false(vg_inv_get(inv, 0)->dirty);
	assert_int_equal(vg_invdb_flush(db, inv, 3000000, 1000000, false, err, sizeof err), 1);
	vg_invdb_close(db);
	vg_inv_free(inv);
	assert_int_equal(vg_invdb_open(&db, path, true, err, sizeof err), 0);
	inv = mk();
	assert_int_equal(vg_invdb_load(db, inv, err, sizeof err), 0);
	assert_int_equal(vg_inv_get(inv, 0)->last_us, 777);
	assert_int_equal(vg_inv_get(inv, 0)->n_dests, 1);
	char b[64];
	vg_ip_format(&vg_inv_get(inv, 0)->ips[0], b, sizeof b);
	assert_string_equal(b, "192.168.1.66");
	vg_invdb_close(db);
	vg_inv_free(inv);
}

/* Rule: a device merged into another is deleted from storage. */
static void test_merge_deletes(void **st)
{
	char err[256];
	vg_invdb_t *db;
	assert_int_equal(vg_invdb_open(&db, path, false, err, sizeof err), 0);
	vg_inv_t *inv = mk();
	vg_ip_t cli = ip("192.168.1.64"), srv = ip("203.0.113.10");
	vg_inv_dest_t *x;
	bool is_new;
	vg_inv_flow(inv, NULL, &cli, &srv, 443, 6, 1, NULL, NULL, &x, &is_new);
	assert_int_equal(vg_invdb_flush(db, inv, 1, 0, true, err, sizeof err), 1);
	lease(inv, CAM, "192.168.1.64", 2);
	assert_int_equal(vg_invdb_flush(db, inv, 2, 0, true, err, sizeof err), 1);
	vg_invdb_close(db);
	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT group_concat(id) || '|' || "
					       "(SELECT group_concat(device_id) FROM destinations) "
					       "FROM devices", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "2|2");
	sqlite3_finalize(q);
	sqlite3_close(s);
	vg_inv_free(inv);
}

/* Rule: a newer schema version is refused; a database that is not an
 * inventory is not adopted. */
static void test_versions(void **st)
{
	char err[256];
	vg_invdb_t *db;
	assert_int_equal(vg_invdb_open(&db, path, false, err, sizeof err), 0);
	vg_invdb_close(db);
	sqlite3 *s;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(vg_invdb_open(&db, path, false, err, sizeof err), VG_EVERSION);
	assert_non_null(strstr(err, "inventory schema version 99 is newer than this vigil (1)"));
	teardown(st);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(vg_invdb_open(&db, path, false, err, sizeof err), VG_ECORRUPT);
	assert_non_null(strstr(err, "not a vigil inventory"));
	/* read-only open of a missing file fails */
	teardown(st);
	assert_int_equal(vg_invdb_open(&db, path, true, err, sizeof err), VG_EIO);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_deletes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
