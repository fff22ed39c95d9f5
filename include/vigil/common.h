/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil/common.h — error codes and small shared types of libvigil.
 *
 * Library functions return int: 0 (VG_OK) on success, a negative VG_E* code
 * otherwise; vg_strerror() names the code.  The library never prints to the
 * user and never exits; the command layer (src/cmd/) reports and picks exit
 * codes.  Detailed, place-naming messages travel through vg_diag_fn callbacks.
 */
#ifndef VIGIL_COMMON_H
#define VIGIL_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VG_VERSION "0.1.0"

enum vg_err {
	VG_OK = 0,
	VG_ENOMEM = -1,    /* allocation failed */
	VG_EINVAL = -2,    /* invalid argument or value */
	VG_EIO = -3,       /* read/write/open failed (errno kept) */
	VG_EFORMAT = -4,   /* input does not have the expected format */
	VG_ENOTFOUND = -5, /* no such entry */
	VG_ERANGE = -6,    /* value out of range */
	VG_ECORRUPT = -7,  /* checksum or structure mismatch */
	VG_EVERSION = -8,  /* unsupported format version */
	VG_ELIMIT = -9,    /* a configured limit was reached */
	VG_ENOTSUP = -10,  /* not supported */
	VG_EAGAIN = -11,   /* need more data */
	VG_EEMPTY = -12,   /* input is empty */
	VG_EBINARY = -13,  /* input is not text */
	VG_ERESERVED = -14 /* reserved or bogon address refused */
};

/* vg_strerror: a static, lowercase description of a VG_E* code. Never NULL. */
const char *vg_strerror(int err);

/* Severity of a diagnostic about a place in some input. */
enum vg_sev { VG_SEV_INFO = 0, VG_SEV_WARN = 1, VG_SEV_ERROR = 2 };

/*
 * vg_diag_fn — callback for diagnostics that name a place:
 * file (borrowed, may be NULL), line (0 if none), severity, message (no
 * trailing newline, lowercase, problem first).
 */
typedef void (*vg_diag_fn)(void *ctx, const char *file, unsigned long line, int sev,
			   const char *msg);

/* An IP address.  IPv4 is held as IPv4-mapped IPv6 (::ffff:a.b.c.d). */
typedef struct vg_ip {
	uint8_t a[16];
} vg_ip_t;

/* vg_ip_is4: true when ip is IPv4 (IPv4-mapped). */
static inline bool vg_ip_is4(const vg_ip_t *ip)
{
	static const uint8_t pfx[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	for (int i = 0; i < 12; i++)
		if (ip->a[i] != pfx[i])
			return false;
	return true;
}
/* vg_ip_v4: the IPv4 address of a mapped ip, in host order. */
static inline uint32_t vg_ip_v4(const vg_ip_t *ip)
{
	return (uint32_t)ip->a[12] << 24 | (uint32_t)ip->a[13] << 16 | (uint32_t)ip->a[14] << 8 |
	       ip->a[15];
}
/* vg_ip_set4: make ip the mapped form of v4 (host order). */
static inline void vg_ip_set4(vg_ip_t *ip, uint32_t v4)
{
	for (int i = 0; i < 10; i++)
		ip->a[i] = 0;
	ip->a[10] = ip->a[11] = 0xff;
	ip->a[12] = (uint8_t)(v4 >> 24);
	ip->a[13] = (uint8_t)(v4 >> 16);
	ip->a[14] = (uint8_t)(v4 >> 8);
	ip->a[15] = (uint8_t)v4;
}

/* vg_ip_parse: parse a textual IPv4 or IPv6 address (exactly n bytes, no
 * brackets).  Returns 0 or VG_EINVAL. */
int vg_ip_parse(const char *s, size_t n, vg_ip_t *out);
/* vg_ip_format: write ip as text (IPv4 dotted for mapped addresses) into buf
 * (at least 46 bytes); returns the length. */
size_t vg_ip_format(const vg_ip_t *ip, char *buf, size_t n);

#endif
