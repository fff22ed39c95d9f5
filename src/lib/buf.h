/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.h — a growable byte buffer (Redis sds in spirit, but a plain struct).
 *
 * Always NUL-terminated after vg_buf_* appends (when len < cap), so b->p can
 * be used as a C string.  Allocation failures are sticky: b->oom is set and
 * later appends are ignored, so callers check once at the end.
 */
#ifndef VG_BUF_H
#define VG_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct vg_buf {
	char *p; /* owned */
	size_t len, cap;
	bool oom;
} vg_buf_t;

#define VG_BUF_INIT {NULL, 0, 0, false}

/* vg_buf_reserve: make room for n more bytes (+NUL). false on OOM. */
bool vg_buf_reserve(vg_buf_t *b, size_t n);
void vg_buf_add(vg_buf_t *b, const void *p, size_t n);
void vg_buf_addc(vg_buf_t *b, char c);
void vg_buf_adds(vg_buf_t *b, const char *s);
void vg_buf_addf(vg_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vg_buf_vaddf(vg_buf_t *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* vg_buf_add_u64: decimal, without printf. */
void vg_buf_add_u64(vg_buf_t *b, uint64_t v);
void vg_buf_add_i64(vg_buf_t *b, int64_t v);
static inline void vg_buf_reset(vg_buf_t *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}
/* vg_buf_release: free contents; the struct may be reused (VG_BUF_INIT). */
void vg_buf_release(vg_buf_t *b);

#endif
