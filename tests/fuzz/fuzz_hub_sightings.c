// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_hub_sightings.c — POST /sightings bodies from the network: jansson
 * parse, then the hub's full validation (vg_hub_sightings_parse: types,
 * ranges, indicator parsing and canonical form).  No input may crash, leak
 * or read out of bounds; a rejected body must name a place.
 */
#include "hub/routes_cli.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, 0, NULL);
	if (!j)
		return 0;
	vg_hub_sightings_in_t in;
	if (vg_hub_sightings_parse(j, "fuzz", &in) == 0) {
		if (!in.batch.n || !in.batch.batch_id)
			abort();
		for (size_t i = 0; i < in.batch.n; i++)
			if (!in.batch.v[i].indicator || in.batch.v[i].count < 1)
				abort();
		vg_hub_sightings_in_release(&in);
	} else if (!in.error[0] || !in.status) {
		abort();
	}
	json_decref(j);
	return 0;
}
