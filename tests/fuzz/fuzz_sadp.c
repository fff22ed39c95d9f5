// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_sadp.c — libFuzzer target for src/dev/sadp.c (vg_dev_sadp): any input,
 * every emitted signal checked (dev_fuzz.h).
 */
#include "dev_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(vg_dev_sadp, data, size);
	return 0;
}
