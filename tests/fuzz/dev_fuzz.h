/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dev_fuzz.h — shared body of the dev/ parser fuzz targets: run one parser
 * on the input with an emitter whose callback checks every signal (value
 * NUL-terminated at len, printable UTF-8 only, kind in range) so a bad
 * bound or a missing terminator shows up under ASan/UBSan.
 */
#ifndef VG_DEV_FUZZ_H
#define VG_DEV_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dev/dev.h"
#include "dev/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vg_dev_scratch_t FZ_SCR;

static void fz_check(void *ctx, const vg_dev_sig_t *s)
{
	(void)ctx;
	if (s->kind <= VG_SIG_NONE || s->kind >= VG_SIG__COUNT || !s->value || strlen(s->value) != s->len ||
	    s->len == 0 || s->len >= VG_DEV_VALUE_MAX)
		__builtin_trap();
	for (size_t i = 0; i < s->len; i++) {
		unsigned char c = (unsigned char)s->value[i];
		if (c < 0x20 || c == 0x7f)
			__builtin_trap();
	}
	if (s->mac) {
		volatile uint8_t x = s->mac[0] ^ s->mac[5];
		(void)x;
	}
}

static inline void fz_run(int (*fn)(vg_dev_emit_t *, const uint8_t *, size_t), const uint8_t *d,
			  size_t n)
{
	vg_dev_emit_t e;
	vg_dev_emit_init(&e, &FZ_SCR, fz_check, NULL, 1);
	/* a copy of exactly n bytes, so ASan catches any read past the end */
	uint8_t *b = n ? __builtin_malloc(n) : NULL;
	if (n && !b)
		return;
	if (n)
		memcpy(b, d, n);
	int k = fn(&e, b, n);
	if (k < 0 || k > VG_DEV_MAX_SIGS)
		__builtin_trap();
	__builtin_free(b);
}

#endif
