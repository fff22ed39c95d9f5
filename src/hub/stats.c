// SPDX-License-Identifier: Apache-2.0
/*
 * stats.c — GET /stats?days=N: the dashboard's figures (sightings per day,
 * top indicators, by province and device class, feed versions, sensor
 * freshness), HUB_API.md's JSON.  Every figure is computed by
 * vg_hub_db_stats under the caller's access (the one access function), so
 * the dashboard shows exactly what the token may see.  days is 1..366
 * (default 30); anything else is 400 with where "days".
 */
#include "hub/routes_cli.h"
#include "hub/db.h"
#include "hub/hub.h"

#include <stdlib.h>
#include <string.h>

int vg_hub_stats_get(vg_hub_req_t *req, vg_hub_resp_t *resp)
{
	if (vg_hub_require(req, VG_HUB_ROLE_ANY))
		return 0;
	int days = 30;
	const char *d = vg_hub_req_query(req, "days");
	if (d) {
		long v = 0;
		size_t i = 0;
		for (; d[i] >= '0' && d[i] <= '9' && i < 4; i++)
			v = v * 10 + (d[i] - '0');
		if (!i || d[i] || v < 1 || v > VG_HUB_STATS_DAYS_MAX)
			return vg_hub_resp_error(resp, 400, "days must be an integer from 1 to 366",
						 "days");
		days = (int)v;
	}
	vg_hub_db_t *db = vg_hub_req_db(req);
	if (!db)
		return VG_EIO;
	json_t *out = NULL;
	int rc = vg_hub_db_stats(db, vg_hub_req_principal(req), days,
				 vg_hub_req_now(req) / 1000000, &out);
	if (rc)
		return rc;
	return vg_hub_resp_json(resp, 200, out);
}
