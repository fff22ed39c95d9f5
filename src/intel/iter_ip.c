// SPDX-License-Identifier: Apache-2.0
/*
 * iter_ip.c — vg_store_foreach_ip: enumerate the address indicators of a
 * store snapshot.
 *
 * Reads three sections of store_int.h directly: ip4 (u64 = ip << 32 | ref,
 * sorted), ip6 (fixed-width records, 16-byte key then ref) and cidrs
 * (cidr_rec_t, v4 as mapped v6 with the prefix in the v6 space).  The same
 * value listed by several feeds is stored once per section, so each exact
 * address is visited once; CIDRs were deduplicated by the builder.
 * Read-only; no allocation; thread-safe on an immutable store.
 */
#include "intel/iter_ip.h"
#include "intel/store_int.h"

#include <string.h>

int vg_store_foreach_ip(const vg_store_t *s, vg_store_ip_fn fn, void *ctx)
{
	vg_ip_t ip;
	int rc;
	for (uint64_t i = 0; i < s->n_ip4; i++) {
		uint32_t v4 = (uint32_t)(s->ip4[i] >> 32);
		if (i && (uint32_t)(s->ip4[i - 1] >> 32) == v4)
			continue;
		vg_ip_set4(&ip, v4);
		if ((rc = fn(ctx, &ip, 128)))
			return rc;
	}
	for (uint64_t i = 0; i < s->ip6.n; i++) {
		const uint8_t *r = s->ip6.rec + i * (s->ip6.w + 4);
		if (i && !memcmp(r - (s->ip6.w + 4), r, 16))
			continue;
		memcpy(ip.a, r, 16);
		if ((rc = fn(ctx, &ip, 128)))
			return rc;
	}
	for (uint64_t i = 0; i < s->n_cidrs; i++) {
		const cidr_rec_t *c = &s->cidrs[i];
		if (i && c->prefix == c[-1].prefix && !memcmp(c->net, c[-1].net, 16))
			continue;
		memcpy(ip.a, c->net, 16);
		if ((rc = fn(ctx, &ip, c->prefix > 128 ? 128 : c->prefix)))
			return rc;
	}
	return 0;
}
