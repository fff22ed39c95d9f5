// SPDX-License-Identifier: Apache-2.0
/*
 * routes_cli.c — registers the endpoints sensors and people use (hub-cli's
 * part of HUB_API.md): GET /feeds/{name}[.minisig], POST /sightings and
 * GET /stats.  Called once by the server core at startup, before it
 * serves; the dashboard's static files are served by the core under
 * /dashboard/ (share/www).
 */
#include "hub/routes_cli.h"
#include "hub/hub.h"

void vg_hub_routes_cli(vg_hub_t *hub)
{
	vg_hub_route_add(hub, "GET", "/feeds/", vg_hub_feeds_get, VG_HUB_ROUTE_PREFIX);
	vg_hub_route_add(hub, "POST", "/sightings", vg_hub_sightings_post, VG_HUB_ROUTE_EXACT);
	vg_hub_route_add(hub, "GET", "/stats", vg_hub_stats_get, VG_HUB_ROUTE_EXACT);
}
