// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_ssdp.c — libFuzzer target for src/dev/ssdp.c (vg_dev_ssdp): any input,
 * every emitted signal checked (dev_fuzz.h).
 */
#include "dev_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(vg_dev_ssdp, data, size);
	return 0;
}
