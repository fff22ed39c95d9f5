// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_asn1key.c — libFuzzer target for src/audit/fw_keys.c: the DER
 * private-key shape check at every offset, and the whole key finder (PEM
 * blocks + ASN.1 walk, each candidate parsed by OpenSSL) over the input;
 * touches every reported key field so a bad offset or string shows up
 * under ASan.  Seed with DER/PEM keys (see the final report of issue 7).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "audit/fw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cb(void *ctx, const vg_fw_key_t *k)
{
	size_t *t = ctx;
	*t += strlen(k->format) + strlen(k->type) + strlen(k->fp) + (size_t)k->bits;
	if (k->off >= ((size_t *)ctx)[1])
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t t[2] = {0, size};
	const char *fmt;
	for (size_t i = 0; i < size && i < 4096; i++) {
		size_t n = vg_fw_der_candidate(data + i, size - i, &fmt);
		if (n > size - i)
			__builtin_trap();
		if (n)
			t[0] += strlen(fmt);
	}
	vg_fw_keys_scan(data, size, 64, cb, t);
	return t[0] == 1 ? 1 : 0;
}
