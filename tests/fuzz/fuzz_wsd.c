// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_wsd.c — libFuzzer target for src/dev/wsd.c (vg_dev_wsd): any input,
 * every emitted signal checked (dev_fuzz.h).
 */
#include "dev_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(vg_dev_wsd, data, size);
	return 0;
}
