// SPDX-License-Identifier: Apache-2.0
/*
 * routes_cli_stub.c — placeholder for hub-cli's route registration
 * (/feeds, /sightings, /stats; src/hub/routes_cli.c on the hub-cli branch).
 * hub-cli deletes this file when it merges hub-srv and adds routes_cli.c;
 * until then the hub serves only hub-srv's routes.  The definition is weak
 * so both files linking at once still builds.
 */
#include "hub/hub.h"

__attribute__((weak)) void vg_hub_routes_cli(vg_hub_t *hub)
{
	(void)hub;
}
