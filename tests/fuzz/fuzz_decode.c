// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_decode.c — libFuzzer target for vg_decode.  The first input byte
 * picks a link type from the supported table (plus one unsupported), the
 * rest is the frame.  Checks that the result is a valid reason and that
 * payload/l3 pointers stay inside the frame.
 */
#include <stdint.h>
#include <stdlib.h>

#include "net/decode.h"

static const int lts[] = {VG_LT_EN10MB, VG_LT_LINUX_SLL, VG_LT_LINUX_SLL2, VG_LT_RAW,
			  VG_LT_RAW_12, VG_LT_RAW_14, VG_LT_IPV4, VG_LT_IPV6,
			  VG_LT_NULL, VG_LT_LOOP, 105};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int lt = lts[data[0] % (sizeof lts / sizeof lts[0])];
	const uint8_t *f = data + 1;
	uint32_t n = (uint32_t)(size - 1);
	vg_pkt_t p;
	int r = vg_decode(lt, f, n, &p);
	if (r < 0 || r >= VG_DEC_REASON_MAX || r != p.reason)
		abort();
	if (p.payload && (p.payload < f || p.payload + p.payload_len > f + n))
		abort();
	if (p.l3 && (p.l3 < f || p.l3 + p.l3_len > f + n))
		abort();
	if (r == VG_DEC_OK && p.ipver != 4 && p.ipver != 6)
		abort();
	if (p.n_vlan > 2 || p.depth > VG_DEC_MAX_DEPTH)
		abort();
	return 0;
}
