/* SPDX-License-Identifier: Apache-2.0 */
/*
 * testutil.h — small helpers shared by the unit tests (header-only).
 * tu_load(): read a whole test data file (path relative to the repository
 * root, where tests run) into a static buffer; fails the test if missing.
 */
#ifndef VG_TESTUTIL_H
#define VG_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

#define TU_MAX (64 * 1024)

/* tu_load: load path into buf (cap TU_MAX); returns the length. */
static inline size_t tu_load(const char *path, uint8_t *buf)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		abort();
	}
	size_t n = fread(buf, 1, TU_MAX, f);
	fclose(f);
	return n;
}

#endif
