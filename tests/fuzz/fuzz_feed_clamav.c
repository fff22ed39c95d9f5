// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_feed_clamav.c — libFuzzer target: the ClamAV hash signature reader
 * (.hdb/.hsb) on arbitrary bytes (see feed_fuzz.h).
 */
#include "feed_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_feed(data, size, VG_FMT_CLAMAV);
}
