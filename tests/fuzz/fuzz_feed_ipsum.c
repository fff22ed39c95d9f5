// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_feed_ipsum.c — libFuzzer target: the ipsum feed reader on arbitrary bytes
 * (format forced, non-strict), then build and free the store.  Checks that
 * no input crashes, leaks or reads out of bounds.
 */
#include "vigil/intel.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_builder_t *b = vg_builder_new(NULL);
	if (!b)
		return 0;
	vg_load_opts_t o = {.format = VG_FMT_IPSUM};
	vg_load_report_t rep;
	vg_feed_load_mem(b, "fuzz", (const char *)data, size, &o, &rep);
	vg_store_t *s = NULL;
	if (vg_builder_build(b, &s) == 0)
		vg_store_free(s);
	vg_builder_free(b);
	return 0;
}
