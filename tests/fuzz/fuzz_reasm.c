// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_reasm.c — libFuzzer target for src/net/reasm.c.  The input is a
 * script: byte 0 picks SYN/no SYN, then records of (seq offset be16,
 * len u8, data) are added to a 512-byte window; afterwards the invariants
 * are checked (sorted, disjoint, non-touching ranges within cap,
 * contig <= cap).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/reasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CAP 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[CAP];
	vg_reasm_t r;
	if (size < 1)
		return 0;
	uint32_t isn = 0xffffff00u;
	vg_reasm_init(&r, buf, CAP, data[0] & 1, isn);
	size_t o = 1;
	while (o + 3 <= size) {
		uint32_t off = (uint32_t)data[o] << 8 | data[o + 1];
		size_t len = data[o + 2];
		o += 3;
		if (len > size - o)
			len = size - o;
		vg_reasm_add(&r, isn + 1 + off - 0x100, data + o, len);
		o += len;
	}
	if (r.n > VG_REASM_MAX_RANGES || vg_reasm_contig(&r) > CAP)
		__builtin_trap();
	for (unsigned i = 0; i < r.n; i++) {
		if (r.rng[i].start >= r.rng[i].end || r.rng[i].end > CAP)
			__builtin_trap();
		if (i && r.rng[i].start <= r.rng[i - 1].end)
			__builtin_trap();
	}
	return 0;
}
