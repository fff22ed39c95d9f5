/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit/scope.h — the authorisation scope of `vigil audit device`: the
 * only addresses active checks may touch, who owns them and when.
 *
 * File format (key = value, one per line, '#' comments, blank lines ok):
 *   owner       = Example Camera Lab        (required, free text)
 *   valid-from  = 2026-01-01                (required; ISO 8601 date or date-time)
 *   valid-until = 2026-12-31T18:00:00Z      (required; a bare date means the end of that day, UTC)
 *   target      = 192.0.2.10                (repeatable, at least one: IPv4 address or CIDR)
 *   target      = 127.0.1.0/24
 *   contact     = lab@example.org           (optional, free text)
 * Unknown keys are errors (a typo must not widen or void the scope).
 * IPv4 only: the network checks are IPv4.
 *
 * Immutable after parsing; thread-safe readers.
 */
#ifndef VG_AUDIT_SCOPE_H
#define VG_AUDIT_SCOPE_H

#include <stddef.h>
#include <stdint.h>

typedef struct vg_scope vg_scope_t;

/* vg_scope_parse: parse text (len bytes); name for messages ("NAME:LINE:
 * ...").  0, VG_EFORMAT (message in err) or VG_ENOMEM. */
int vg_scope_parse(vg_scope_t **out, const char *name, const char *text, size_t len, char *err,
		   size_t errlen);
/* vg_scope_load: vg_scope_parse of the file at path (max 1 MiB). */
int vg_scope_load(vg_scope_t **out, const char *path, char *err, size_t errlen);
void vg_scope_free(vg_scope_t *s);

/*
 * vg_scope_check — may ip4 (host order) be audited at time now (seconds
 * since the epoch)?  0 yes; VG_ERANGE outside the validity period;
 * VG_ENOTFOUND not a listed target.  why receives a one-line reason.
 */
int vg_scope_check(const vg_scope_t *s, uint32_t ip4, int64_t now, char *why, size_t n);

const char *vg_scope_owner(const vg_scope_t *s);
const char *vg_scope_contact(const vg_scope_t *s); /* "" when none */
int64_t vg_scope_from(const vg_scope_t *s);
int64_t vg_scope_until(const vg_scope_t *s);     /* inclusive, seconds */
size_t vg_scope_count(const vg_scope_t *s);       /* number of target lines */

/* vg_cidr4_parse: "a.b.c.d" or "a.b.c.d/len" (exactly n bytes) into a
 * network (host order, host bits must be zero) and prefix length.
 * 0 or VG_EINVAL. */
int vg_cidr4_parse(const char *s, size_t n, uint32_t *net, int *plen);

#endif
