/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iter_ip.h — read-only walk over the address indicators of a store (exact
 * IPv4, exact IPv6 and CIDRs), for consumers that need every listed network
 * rather than lookups (e.g. `vigil block apply` loading nftables sets).
 * Internal: a general vg_store_foreach is planned separately.
 */
#ifndef VG_INTEL_ITER_IP_H
#define VG_INTEL_ITER_IP_H

#include "vigil/intel.h"

/* vg_store_ip_fn: one network; net is IPv4-mapped for IPv4, prefix is in the
 * IPv6 space (an exact IPv4 is 128, a v4 /24 is 120).  Return 0 to go on,
 * anything else stops the walk and is returned by vg_store_foreach_ip. */
typedef int (*vg_store_ip_fn)(void *ctx, const vg_ip_t *net, unsigned prefix);

/*
 * vg_store_foreach_ip: call fn for every exact IPv4 (ascending), every exact
 * IPv6 (ascending) and every CIDR (in store order; host bits clear) of s.
 * ip:port indicators are not visited.  Returns 0, or the first non-zero
 * value fn returned.  s is not modified; safe to call concurrently on one
 * immutable store.
 */
int vg_store_foreach_ip(const vg_store_t *s, vg_store_ip_fn fn, void *ctx);

#endif
