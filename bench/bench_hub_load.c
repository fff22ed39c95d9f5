// SPDX-License-Identifier: Apache-2.0
/*
 * bench_hub_load.c — bulk loader of the hub's store for bench/hub.sh: N
 * indicator objects into a new collection, straight into the tables with
 * multi-row prepared INSERTs (the TAXII POST path validates each object
 * and is far slower; this only sets the stage for the read benchmarks).
 *
 *   bench_hub_load URL N ALIAS
 *
 * Creates orgs "bench-owner" (publisher of everything) and "bench-reader"
 * (same community), the collection ALIAS, N objects: TLP 80% CLEAR, 10%
 * GREEN, 5% AMBER, 5% RED, each with one domain value; prints a reader
 * token on stdout (and the load time on stderr).  Uses the store's
 * internal statement layer (db_int.h): bench-only.
 */
#include "hub/db_int.h"

#include "lib/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROWS 500

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *multi(const char *head, int cols, int rows)
{
	vg_buf_t b = VG_BUF_INIT;
	vg_buf_adds(&b, head);
	for (int r = 0; r < rows; r++) {
		vg_buf_adds(&b, r ? ", (" : " (");
		for (int c = 0; c < cols; c++)
			vg_buf_addf(&b, "%s$%d", c ? ", " : "", r * cols + c + 1);
		vg_buf_addc(&b, ')');
	}
	return b.p;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench_hub_load URL N ALIAS\n");
		return 2;
	}
	long n = strtol(argv[2], NULL, 10);
	char err[256];
	vg_hub_db_t *db;
	if (n < 1 || vg_hub_db_open(argv[1], &db, err, sizeof err)) {
		fprintf(stderr, "bench_hub_load: %s\n", n < 1 ? "bad N" : err);
		return 2;
	}
	int64_t owner, reader, coll;
	const char *comm[] = {"bench"};
	if ((vg_hub_db_org_id(db, "bench-owner", &owner) &&
	     vg_hub_db_org_add(db, NULL, "bench-owner", NULL, "P1", comm, 1, &owner)) ||
	    (vg_hub_db_org_id(db, "bench-reader", &reader) &&
	     vg_hub_db_org_add(db, NULL, "bench-reader", NULL, "P2", comm, 1, &reader)) ||
	    vg_hub_db_collection_add(db, NULL, NULL, argv[3], argv[3], "bench") ||
	    vg_hub_db_collection_get(db, argv[3], NULL, &coll)) {
		fprintf(stderr, "bench_hub_load: %s\n", vg_hub_db_errmsg(db));
		return 2;
	}
	char *ins_o = multi("INSERT INTO objects (id, coll, stix_id, type, version, spec_version, "
			    "date_added, tlp, owner_org, latest, body) VALUES",
			    11, ROWS);
	char *ins_v = multi("INSERT INTO obj_values (obj_id, vtype, value) VALUES", 3, ROWS);
	dbv_t *p = calloc(ROWS * 11, sizeof *p);
	char(*ids)[64] = calloc(ROWS, 64);
	char(*vals)[48] = calloc(ROWS, 48);
	char(*bodies)[640] = calloc(ROWS, 640);
	int64_t base = 0;
	db_one_int(db, "SELECT COALESCE(MAX(id), 0) FROM objects", NULL, 0, &base, NULL);
	int64_t t_us = db_now_us() - n;
	static const vg_tlp_t mix[20] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 5};
	static const char *const mref[6] = {
		"", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
		"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
		"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "",
		"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"};
	double t0 = now();
	for (long i = 0; i < n; i += ROWS) {
		int k = (int)(n - i < ROWS ? n - i : ROWS);
		if (db->ops->begin(db))
			return 2;
		for (int r = 0; r < k; r++) {
			long j = i + r;
			vg_tlp_t tlp = mix[j % 20];
			snprintf(ids[r], 64, "indicator--%08lx-0000-4000-8000-%012lx", j, j);
			snprintf(vals[r], 48, "bench%ld.example", j);
			snprintf(bodies[r], 640,
				 "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"%s\","
				 "\"created\":\"2026-01-01T00:00:00.000Z\",\"modified\":\"2026-01-01T00:"
				 "00:00.000Z\",\"name\":\"bench indicator %ld\",\"description\":\"a "
				 "malicious server seen by the bench\",\"indicator_types\":["
				 "\"malicious-activity\"],\"pattern\":\"[domain-name:value = '%s']\","
				 "\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\","
				 "\"object_marking_refs\":[\"%s\"]}",
				 ids[r], j, vals[r], mref[tlp]);
			dbv_t *q = p + r * 11;
			q[0] = dbv_int(base + j + 1);
			q[1] = dbv_int(coll);
			q[2] = dbv_text(ids[r]);
			q[3] = dbv_text("indicator");
			q[4] = dbv_text("2026-01-01T00:00:00.000Z");
			q[5] = dbv_text("2.1");
			q[6] = dbv_int(t_us + j);
			q[7] = dbv_int(tlp);
			q[8] = dbv_int(owner);
			q[9] = dbv_int(1);
			q[10] = dbv_text(bodies[r]);
		}
		char *sql_o = k == ROWS ? ins_o : multi("INSERT INTO objects (id, coll, stix_id, type, version, spec_version, date_added, tlp, owner_org, latest, body) VALUES", 11, k);
		int rc = db_exec(db, sql_o, p, k * 11, NULL, NULL);
		for (int r = 0; r < k && !rc; r++) {
			p[r * 3] = dbv_int(base + i + r + 1);
			p[r * 3 + 1] = dbv_text("domain");
			p[r * 3 + 2] = dbv_text(vals[r]);
		}
		char *sql_v = k == ROWS ? ins_v : multi("INSERT INTO obj_values (obj_id, vtype, value) VALUES", 3, k);
		if (!rc)
			rc = db_exec(db, sql_v, p, k * 3, NULL, NULL);
		if (k != ROWS) {
			free(sql_o);
			free(sql_v);
		}
		if (rc || db->ops->commit(db)) {
			fprintf(stderr, "bench_hub_load: %s\n", vg_hub_db_errmsg(db));
			return 2;
		}
	}
	dbv_t up[] = {dbv_int(coll), dbv_int(t_us + n), dbv_int(db_now())};
	db_exec(db, "UPDATE collections SET last_added = $2, published = $3, seq = seq + 1 WHERE "
		    "id = $1",
		up, 3, NULL, NULL);
	if (db->pg)
		db->ops->script(db, "SELECT setval(pg_get_serial_sequence('objects', 'id'), "
				    "(SELECT MAX(id) FROM objects)); ANALYZE");
	else
		db->ops->script(db, "ANALYZE");
	double dt = now() - t0;
	char tok[VG_HUB_TOKEN_LEN + 1];
	if (vg_hub_db_token_create(db, NULL, "bench-reader", "bench", VG_HUB_ROLE_READER, 0, NULL,
				   tok, NULL))
		return 2;
	printf("%s\n", tok);
	fprintf(stderr, "load %s: %ld objects in %.1f s\n", vg_hub_db_backend(db), n, dt);
	free(ins_o);
	free(ins_v);
	free(p);
	free(ids);
	free(vals);
	free(bodies);
	vg_hub_db_close(db);
	return 0;
}
