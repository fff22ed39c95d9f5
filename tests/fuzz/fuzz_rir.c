// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_rir.c — libFuzzer target for the RIR delegated-stats parser
 * (vg_geo_add_rir) and the lookups over what it built: any input either
 * parses or fails with an error message, never crashes or leaks.
 */
#include "intel/geo.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_geo_t *g;
	char err[256], cc[3];
	if (vg_geo_new(&g))
		return 0;
	if (vg_geo_add_rir(g, "fuzz", data, size, err, sizeof err) == 0 && vg_geo_build(g) == 0) {
		vg_ip_t ip;
		memset(&ip, 0, sizeof ip);
		if (size >= 16)
			memcpy(ip.a, data, 16);
		vg_geo_country(g, &ip, cc);
		vg_ip_set4(&ip, size >= 4 ? (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
						    (uint32_t)data[2] << 8 | data[3]
					  : 0);
		vg_geo_country(g, &ip, cc);
	}
	vg_geo_free(g);
	return 0;
}
