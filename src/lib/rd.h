/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rd.h — bounds-checked reader over untrusted bytes (tcpdump's GET_*() idea).
 *
 * Every read of packet, feed or HTTP bytes goes through these.  A read past
 * the end returns 0 and sets r->err; callers check vg_rd_ok() once after a
 * group of reads instead of after each one.  No allocation; header-only so
 * that the compiler inlines the hot path.
 *
 *   vg_rd_t r = vg_rd_make(buf, len);
 *   uint16_t id = vg_rd_be16(&r); uint8_t fl = vg_rd_u8(&r);
 *   if (!vg_rd_ok(&r)) return VG_EFORMAT;
 */
#ifndef VG_RD_H
#define VG_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct vg_rd {
	const uint8_t *p; /* borrowed */
	size_t len;
	size_t off;
	bool err;
} vg_rd_t;

static inline vg_rd_t vg_rd_make(const void *p, size_t len)
{
	vg_rd_t r = {(const uint8_t *)p, len, 0, false};
	return r;
}
static inline bool vg_rd_ok(const vg_rd_t *r) { return !r->err; }
static inline size_t vg_rd_left(const vg_rd_t *r) { return r->err ? 0 : r->len - r->off; }
static inline bool vg_rd_has(vg_rd_t *r, size_t n)
{
	if (r->err || r->len - r->off < n) {
		r->err = true;
		return false;
	}
	return true;
}
static inline const uint8_t *vg_rd_ptr(const vg_rd_t *r) { return r->p + r->off; }
static inline uint8_t vg_rd_u8(vg_rd_t *r)
{
	if (!vg_rd_has(r, 1))
		return 0;
	return r->p[r->off++];
}
static inline uint16_t vg_rd_be16(vg_rd_t *r)
{
	if (!vg_rd_has(r, 2))
		return 0;
	uint16_t v = (uint16_t)(r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return v;
}
static inline uint16_t vg_rd_le16(vg_rd_t *r)
{
	if (!vg_rd_has(r, 2))
		return 0;
	uint16_t v = (uint16_t)(r->p[r->off + 1] << 8 | r->p[r->off]);
	r->off += 2;
	return v;
}
static inline uint32_t vg_rd_be24(vg_rd_t *r)
{
	if (!vg_rd_has(r, 3))
		return 0;
	uint32_t v = (uint32_t)r->p[r->off] << 16 | (uint32_t)r->p[r->off + 1] << 8 |
		     r->p[r->off + 2];
	r->off += 3;
	return v;
}
static inline uint32_t vg_rd_be32(vg_rd_t *r)
{
	if (!vg_rd_has(r, 4))
		return 0;
	uint32_t v = (uint32_t)r->p[r->off] << 24 | (uint32_t)r->p[r->off + 1] << 16 |
		     (uint32_t)r->p[r->off + 2] << 8 | r->p[r->off + 3];
	r->off += 4;
	return v;
}
static inline uint32_t vg_rd_le32(vg_rd_t *r)
{
	if (!vg_rd_has(r, 4))
		return 0;
	uint32_t v = (uint32_t)r->p[r->off + 3] << 24 | (uint32_t)r->p[r->off + 2] << 16 |
		     (uint32_t)r->p[r->off + 1] << 8 | r->p[r->off];
	r->off += 4;
	return v;
}
/* vg_rd_bytes: copy n bytes into out; on short input sets err, zeroes out. */
static inline bool vg_rd_bytes(vg_rd_t *r, void *out, size_t n)
{
	if (!vg_rd_has(r, n)) {
		memset(out, 0, n);
		return false;
	}
	memcpy(out, r->p + r->off, n);
	r->off += n;
	return true;
}
/* vg_rd_skip: advance n bytes, or set err. */
static inline bool vg_rd_skip(vg_rd_t *r, size_t n)
{
	if (!vg_rd_has(r, n))
		return false;
	r->off += n;
	return true;
}
/* vg_rd_sub: a reader over the next n bytes, advancing r past them. */
static inline vg_rd_t vg_rd_sub(vg_rd_t *r, size_t n)
{
	vg_rd_t s = {NULL, 0, 0, true};
	if (!vg_rd_has(r, n))
		return s;
	s = vg_rd_make(r->p + r->off, n);
	r->off += n;
	return s;
}
/* vg_rd_seek: absolute position; sets err when beyond the end. */
static inline bool vg_rd_seek(vg_rd_t *r, size_t off)
{
	if (r->err || off > r->len) {
		r->err = true;
		return false;
	}
	r->off = off;
	return true;
}

#endif
