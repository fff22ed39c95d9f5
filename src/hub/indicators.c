// SPDX-License-Identifier: Apache-2.0
/*
 * indicators.c — GET /indicators?value=X: search of indicator values.
 */
#include "hub/routes.h"

void vg_hub_routes_indicators(vg_hub_t *hub)
{
	(void)hub;
}
