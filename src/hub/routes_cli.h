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
#include "hub/hub.h"

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
