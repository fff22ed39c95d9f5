/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net/community_id.h — Community ID v1 flow hashing (corelight/community-id-spec).
 *
 * "1:" + base64(SHA-1(seed BE16, saddr, daddr, proto, 0, sport BE16,
 * dport BE16)) with the endpoints ordered so both directions of a flow give
 * the same string.  ICMP/ICMPv6 use type/code as ports with the spec's
 * request/reply pairing.  Addresses are 4 bytes for IPv4 (given mapped),
 * 16 for IPv6.  Pure function, no allocation, thread-safe.
 */
#ifndef VG_NET_COMMUNITY_ID_H
#define VG_NET_COMMUNITY_ID_H

#include <stdint.h>

#include "vigil/common.h"

#define VG_CID_SIZE 32 /* "1:" + 28 base64 characters + NUL */

/*
 * vg_community_id: write the Community ID v1 of the flow (src, dst, proto,
 * sport, dport) with seed into out (VG_CID_SIZE bytes, NUL-terminated).
 * For proto 1 / 58 pass the ICMP type as sport and the code as dport.
 * Ports are hashed for TCP, UDP, SCTP, ICMP and ICMPv6 only.  If one
 * address is IPv4 and the other IPv6 both are hashed as 16 bytes.
 * Returns the string length (30).
 */
int vg_community_id(const vg_ip_t *src, const vg_ip_t *dst, uint8_t proto, uint16_t sport,
		    uint16_t dport, uint16_t seed, char *out);

/* vg_sha1: SHA-1 of n bytes at data into out[20] (exposed for tests). */
void vg_sha1(const void *data, size_t n, uint8_t out[20]);

#endif
