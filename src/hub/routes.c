// SPDX-License-Identifier: Apache-2.0
/*
 * routes.c — registers hub-srv's handlers with the core: TAXII 2.1 under
 * /taxii2/ and GET /indicators.  Called once by vg_hub_new before the
 * server listens; the route table is read-only afterwards.
 */
#include "hub/routes.h"

void vg_hub_routes_srv(vg_hub_t *hub)
{
	vg_hub_routes_taxii(hub);
	vg_hub_routes_indicators(hub);
}
