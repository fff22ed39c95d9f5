/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_profile.c — allowed-destination profile files (src/dev/profile.c) on
 * arbitrary bytes: parse, and when they load, query every profile once.
 * Checks that no input crashes, leaks or reads out of bounds.
 */
#include "dev/profile.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_prof_t *p;
	char err[256];
	if (vg_prof_parse(&p, "fuzz", (const char *)data, size, err, sizeof err))
		return 0;
	vg_inv_dev_t d;
	memset(&d, 0, sizeof d);
	vg_ip_t ip;
	vg_ip_set4(&ip, 0xcb00710a);
	for (int c = 0; c < VG_CLASS__COUNT; c++) {
		d.cls = (uint8_t)c;
		const vg_prof_one_t *pr = vg_prof_for(p, &d);
		if (pr)
			(void)vg_prof_allows(pr, &ip, 443, 6, "a.example.com");
	}
	vg_prof_free(p);
	return 0;
}
