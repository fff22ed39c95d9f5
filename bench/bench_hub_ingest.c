// SPDX-License-Identifier: Apache-2.0
/*
 * bench_hub_ingest.c — sightings ingest through the hub's store function
 * (vg_hub_db_sightings_add: one transaction per batch, multi-row prepared
 * inserts), without HTTP, for bench/hub.sh.
 *
 *   bench_hub_ingest URL [BATCHES [BATCH_SIZE]]
 *
 * Prints "ingest <backend>: <n> sightings in <s> s = <rate>/s".
 * Creates an org "bench-ingest-<pid>" in the store.  Single-threaded.
 */
#include "hub/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_hub_ingest URL [BATCHES [BATCH_SIZE]]\n");
		return 2;
	}
	long batches = argc > 2 ? strtol(argv[2], NULL, 10) : 200;
	long size = argc > 3 ? strtol(argv[3], NULL, 10) : 1000;
	if (batches < 1 || size < 1 || size > 10000)
		return 2;
	char err[256];
	vg_hub_db_t *db;
	if (vg_hub_db_open(argv[1], &db, err, sizeof err)) {
		fprintf(stderr, "bench_hub_ingest: %s\n", err);
		return 2;
	}
	char org[64];
	snprintf(org, sizeof org, "bench-ingest-%d", (int)getpid());
	int64_t oid;
	vg_hub_principal_t who;
	if (vg_hub_db_org_add(db, NULL, org, NULL, "bench", NULL, 0, &oid) ||
	    vg_hub_db_principal_of_org(db, oid, &who)) {
		fprintf(stderr, "bench_hub_ingest: %s\n", vg_hub_db_errmsg(db));
		return 2;
	}
	vg_hub_sighting_t *v = calloc((size_t)size, sizeof *v);
	char(*names)[48] = calloc((size_t)size, sizeof *names);
	static const char *const dc[] = {"camera", "router", "nvr", "unknown"};
	double t0 = now();
	for (long b = 0; b < batches; b++) {
		for (long i = 0; i < size; i++) {
			snprintf(names[i], sizeof names[i], "bad%ld.example", (b * 7919 + i) % 50000);
			v[i] = (vg_hub_sighting_t){names[i], "domain", 1795000000 + b, 1795000100 + b,
						   1 + i % 5, dc[i % 4],
						   (vg_tlp_t)(1 + (i % 5))};
		}
		char bid[64];
		snprintf(bid, sizeof bid, "batch-%d-%ld", (int)getpid(), b);
		vg_hub_sighting_batch_t bt = {bid, "bench-sensor", v, (size_t)size};
		vg_hub_sighting_result_t r;
		if (vg_hub_db_sightings_add(db, &who, &bt, &r) || r.accepted != (size_t)size) {
			fprintf(stderr, "bench_hub_ingest: batch %ld: %s\n", b, vg_hub_db_errmsg(db));
			return 2;
		}
	}
	double dt = now() - t0;
	double n = (double)batches * (double)size;
	printf("ingest %s: %.0f sightings in %.2f s = %.0f/s (batches of %ld)\n",
	       vg_hub_db_backend(db), n, dt, n / dt, size);
	free(v);
	free(names);
	vg_hub_db_close(db);
	return 0;
}
