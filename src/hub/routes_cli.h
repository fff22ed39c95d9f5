/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hub/routes_cli.h — the hub's endpoints for sensors and people (HUB_API.md):
 * GET /feeds/{name}[.minisig] (feeds.c), POST /sightings
 * (sightings_http.c), GET /stats (stats.c), registered together by
 * vg_hub_routes_cli (routes_cli.c, declared in hub/hub.h).  Handlers follow
 * hub.h's contract (run on worker threads; never print).
 */
#ifndef VG_HUB_ROUTES_CLI_H
#define VG_HUB_ROUTES_CLI_H

#include "hub/access.h"
#include "hub/db.h"
#include "hub/hub.h"
#include "lib/buf.h"

#include <jansson.h>

#include <stddef.h>
#include <stdint.h>

/* Most sightings in one POST /sightings batch (more: 413). */
#define VG_HUB_SIGHTINGS_MAX 10000u
/* Feed cache defaults: rendered (feed, access class) versions kept. */
#define VG_HUB_FEED_CACHE_ENTRIES 64u
#define VG_HUB_FEED_CACHE_BYTES ((uint64_t)1 << 30)
/* A sensor's repeated pull of the same feed version is written at most
 * this often (seconds); a new seq is written at once. */
#define VG_HUB_PULL_REFRESH_S 60
/* /stats: the longest period, in days (default 30). */
#define VG_HUB_STATS_DAYS_MAX 366

/* GET /feeds/{name} and /feeds/{name}.minisig (any role). */
int vg_hub_feeds_get(vg_hub_req_t *req, vg_hub_resp_t *resp);
/* POST /sightings (roles sensor, publisher; admin). */
int vg_hub_sightings_post(vg_hub_req_t *req, vg_hub_resp_t *resp);
/* GET /stats?days=N (any role). */
int vg_hub_stats_get(vg_hub_req_t *req, vg_hub_resp_t *resp);

/* A validated POST /sightings body (see vg_hub_sightings_parse). */
typedef struct vg_hub_sightings_in {
	vg_hub_sighting_batch_t batch; /* strings borrowed from the JSON and the arena */
	vg_hub_sighting_t *v;          /* owned */
	vg_buf_t arena;                /* canonical indicator texts */
	int status;                    /* on error: 400, 413 or 503 */
	char error[192], where[64];    /* on error: message and place ("sightings[3].count") */
} vg_hub_sightings_in_t;

/* vg_hub_sightings_parse — validate a parsed body j (HUB_API.md's format;
 * hdr_sensor, the X-Vigil-Sensor header or NULL, names the sensor when the
 * body does not) completely: 0 with in filled (indicators in canonical
 * form under vigil's type names), or -1 with in->status/error/where for the
 * first problem (nothing to release then).  j must outlive in.
 * Release with vg_hub_sightings_in_release. */
int vg_hub_sightings_parse(json_t *j, const char *hdr_sensor, vg_hub_sightings_in_t *in);
/* vg_hub_sightings_in_release — free what a successful parse allocated. */
void vg_hub_sightings_in_release(vg_hub_sightings_in_t *in);

/* The STIX indicator fields a feed's CSV row carries. */
typedef struct vg_hub_stix_fields {
	char name[512], description[512]; /* "" when absent or not a string */
	char valid_from[40], valid_until[40];
	char reference[512];              /* url of the first external reference having one */
	int confidence;                   /* 0..100, -1 when absent or not such an integer */
} vg_hub_stix_fields_t;

/* vg_hub_stix_fields — read those fields from the JSON text of one object
 * (len bytes) by a single forward scan (feeds_scan.c); strings unescaped
 * and cut at a character boundary to their field.  0, or VG_EFORMAT when
 * the text is not a JSON object the scan understands (the caller then uses
 * jansson).  Pure, thread-safe. */
int vg_hub_stix_fields(const char *json, size_t len, vg_hub_stix_fields_t *f);

/* vg_hub_access_class — a hash of what decides what p may see (its org and
 * the org's relations): two principals with the same class see the same
 * feed.  Pure. */
uint64_t vg_hub_access_class(const vg_hub_principal_t *p);

/* vg_hub_feeds_cache_limits — bound the feed cache (process-wide; 0 keeps
 * a limit as is).  Thread-safe. */
void vg_hub_feeds_cache_limits(size_t entries, uint64_t bytes);
/* vg_hub_feeds_cache_clear — drop every cached feed (tests, shutdown). */
void vg_hub_feeds_cache_clear(void);

#endif
