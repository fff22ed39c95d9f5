// SPDX-License-Identifier: Apache-2.0
/*
 * reserved.c — does a store list anything in a reserved range?
 *
 * The watch engine asks once per store: when the answer is no (the usual
 * case: feeds are loaded without --allow-reserved), the lookups of private
 * and other reserved addresses — typically every client of a monitored LAN
 * — are skipped, since they can never match.  Each reserved range is
 * checked with a binary search in every IP section (store_int.h), so the
 * answer costs O(log n) per range, also on an mmapped compiled store.
 */
#include "intel/store_int.h"

#include <string.h>

static bool range_of(const vg_ip_t *net, unsigned prefix, vg_u128 *lo, vg_u128 *hi)
{
	*lo = vg_u128_of(net->a);
	*hi = prefix >= 128 ? *lo : *lo | ((((vg_u128)1) << (128 - prefix)) - 1);
	return true;
}

/* Any record of a sorted fixed-width table whose first 16 key bytes (an IP)
 * fall in [lo, hi]?  (ip:port v4 records hold 4 IP bytes: handled apart.) */
static bool fkt_any16(const fkt_t *t, vg_u128 lo, vg_u128 hi)
{
	uint64_t a = 0, b = t->n, rs = t->w + 4;
	while (a < b) {
		uint64_t mid = a + (b - a) / 2;
		if (vg_u128_of(t->rec + mid * rs) < lo)
			a = mid + 1;
		else
			b = mid;
	}
	return a < t->n && vg_u128_of(t->rec + a * rs) <= hi;
}

static bool ipp4_any(const fkt_t *t, uint32_t lo, uint32_t hi)
{
	uint64_t a = 0, b = t->n, rs = t->w + 4;
	while (a < b) {
		uint64_t mid = a + (b - a) / 2;
		const uint8_t *r = t->rec + mid * rs;
		uint32_t ip = (uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3];
		if (ip < lo)
			a = mid + 1;
		else
			b = mid;
	}
	if (a >= t->n)
		return false;
	const uint8_t *r = t->rec + a * rs;
	uint32_t ip = (uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3];
	return ip <= hi;
}

bool vg_store_lists_reserved(const vg_store_t *s)
{
	vg_ip_t net;
	unsigned prefix;
	for (size_t i = 0; vg_reserved_range(i, &net, &prefix); i++) {
		vg_u128 lo, hi;
		range_of(&net, prefix, &lo, &hi);
		if (vg_ip_is4(&net) && prefix >= 96) {
			uint32_t l4 = (uint32_t)lo, h4 = (uint32_t)hi;
			/* exact IPv4: first entry >= l4 */
			uint64_t a = 0, b = s->n_ip4;
			while (a < b) {
				uint64_t mid = a + (b - a) / 2;
				if ((uint32_t)(s->ip4[mid] >> 32) < l4)
					a = mid + 1;
				else
					b = mid;
			}
			if (a < s->n_ip4 && (uint32_t)(s->ip4[a] >> 32) <= h4)
				return true;
			if (ipp4_any(&s->ipp4, l4, h4))
				return true;
			/* CIDR intervals: the one containing l4, then those starting inside */
			a = 0;
			b = s->n_iv4;
			while (a < b) {
				uint64_t mid = a + (b - a) / 2;
				if (s->iv4start[mid] <= l4)
					a = mid + 1;
				else
					b = mid;
			}
			for (uint64_t k = a ? a - 1 : 0; k < s->n_iv4 && s->iv4start[k] <= h4; k++)
				if (s->iv4set[k] != VG_SET_NONE)
					return true; /* interval k overlaps [l4, h4] */
		} else {
			if (fkt_any16(&s->ip6, lo, hi) || fkt_any16(&s->ipp6, lo, hi))
				return true;
			uint64_t a = 0, b = s->n_iv6;
			while (a < b) {
				uint64_t mid = a + (b - a) / 2;
				if (s->iv6start[mid] <= lo)
					a = mid + 1;
				else
					b = mid;
			}
			for (uint64_t k = a ? a - 1 : 0; k < s->n_iv6 && s->iv6start[k] <= hi; k++)
				if (s->iv6set[k] != VG_SET_NONE)
					return true;
		}
	}
	return false;
}
