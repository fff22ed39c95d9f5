// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_mdns.c — libFuzzer target for src/dev/mdns.c (vg_dev_mdns): any input,
 * every emitted signal checked (dev_fuzz.h).
 */
#include "dev_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(vg_dev_mdns, data, size);
	return 0;
}
