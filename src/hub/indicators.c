// SPDX-License-Identifier: Apache-2.0
/*
 * indicators.c — GET /indicators?value=X[&limit=N]: the indicator objects
 * visible to the caller whose values include X (as given, or in vigil's
 * canonical form), each with the sightings summary of X: counts over
 * every org (orgs, provinces, count, first/last seen) and org names only
 * where a sighting's TLP lets the caller see it.  Access and naming are
 * decided in vg_hub_db_indicators (access function); this is the HTTP
 * shell: parameters, limits, errors.
 */
#include "hub/routes.h"

#include "hub/db.h"

#include <stdlib.h>
#include <string.h>

#define MAX_VALUE 2048

static int indicators(vg_hub_req_t *req, vg_hub_resp_t *resp)
{
	if (vg_hub_require(req, VG_HUB_ROLE_ANY))
		return 0;
	const char *v = vg_hub_req_query(req, "value");
	if (!v || !*v)
		return vg_hub_resp_error(resp, 400, "value is required", "value");
	if (strlen(v) > MAX_VALUE)
		return vg_hub_resp_error(resp, 400, "value too long (2048 bytes at most)", "value");
	long long limit = 100;
	const char *l = vg_hub_req_query(req, "limit");
	if (l) {
		char *end;
		limit = strtoll(l, &end, 10);
		if (!*l || *end || limit < 1 || limit > 1000)
			return vg_hub_resp_error(resp, 400, "limit: want 1..1000", "limit");
	}
	json_t *out = NULL;
	int rc = vg_hub_db_indicators(vg_hub_req_db(req), vg_hub_req_principal(req), v, limit,
				      &out);
	if (rc)
		return rc;
	return vg_hub_resp_json(resp, 200, out);
}

void vg_hub_routes_indicators(vg_hub_t *hub)
{
	vg_hub_route_add(hub, "GET", "/indicators", indicators, VG_HUB_ROUTE_EXACT);
}
