/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feed_fuzz.h — the body shared by the feed-reader fuzz targets: one reader
 * (format forced, non-strict) on arbitrary bytes, then build and free the
 * store.  Checks that no input crashes, leaks or reads out of bounds.
 */
#ifndef VG_FEED_FUZZ_H
#define VG_FEED_FUZZ_H

#include "vigil/intel.h"

#include <stdint.h>

static inline int fuzz_feed(const uint8_t *data, size_t size, vg_feed_fmt_t fmt)
{
	vg_builder_t *b = vg_builder_new(NULL);
	if (!b)
		return 0;
	vg_load_opts_t o = {.format = fmt};
	vg_load_report_t rep;
	vg_feed_load_mem(b, "fuzz", (const char *)data, size, &o, &rep);
	vg_store_t *s = NULL;
	if (vg_builder_build(b, &s) == 0)
		vg_store_free(s);
	vg_builder_free(b);
	return 0;
}

#endif
