// SPDX-License-Identifier: Apache-2.0
/*
 * buf.c — growable byte buffer; see buf.h.  Growth doubles, so appends are
 * amortised O(1).  Not thread-safe: one owner per buffer.
 */
#include "lib/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool vg_buf_reserve(vg_buf_t *b, size_t n)
{
	if (b->oom)
		return false;
	if (b->len + n + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void vg_buf_add(vg_buf_t *b, const void *p, size_t n)
{
	if (!vg_buf_reserve(b, n))
		return;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = 0;
}

void vg_buf_addc(vg_buf_t *b, char c)
{
	if (!vg_buf_reserve(b, 1))
		return;
	b->p[b->len++] = c;
	b->p[b->len] = 0;
}

void vg_buf_adds(vg_buf_t *b, const char *s) { vg_buf_add(b, s, strlen(s)); }

void vg_buf_vaddf(vg_buf_t *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !vg_buf_reserve(b, (size_t)n))
		return;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void vg_buf_addf(vg_buf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vg_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void vg_buf_add_u64(vg_buf_t *b, uint64_t v)
{
	char tmp[24];
	int i = (int)sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	vg_buf_add(b, tmp + i, sizeof tmp - (size_t)i);
}

void vg_buf_add_i64(vg_buf_t *b, int64_t v)
{
	if (v < 0) {
		vg_buf_addc(b, '-');
		vg_buf_add_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		vg_buf_add_u64(b, (uint64_t)v);
	}
}

void vg_buf_release(vg_buf_t *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = false;
}
