/* SPDX-License-Identifier: Apache-2.0 */
/*
 * routes.h — registration of the hub's own handlers (hub-srv): TAXII 2.1
 * (taxii.c) and GET /indicators (indicators.c).  hub-cli's handlers are
 * registered by vg_hub_routes_cli (hub.h).
 */
#ifndef VG_HUB_ROUTES_H
#define VG_HUB_ROUTES_H

#include "hub/hub.h"

/* vg_hub_routes_srv: register every hub-srv route (called by vg_hub_new). */
void vg_hub_routes_srv(vg_hub_t *hub);
/* vg_hub_routes_taxii: /taxii2/ and the API root /taxii2/vigil/... */
void vg_hub_routes_taxii(vg_hub_t *hub);
/* vg_hub_routes_indicators: GET /indicators. */
void vg_hub_routes_indicators(vg_hub_t *hub);

#endif
