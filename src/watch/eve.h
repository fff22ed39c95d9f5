/* SPDX-License-Identifier: Apache-2.0 */
/*
 * eve.h — small EVE field writers shared by every module that writes EVE
 * events (eve.c for the engine's events, retro.c for retro-hunt events,
 * foreign.c for the foreign-destination policy), so that addresses, times
 * and protocol names look the same in all of them.
 */
#ifndef VG_WATCH_EVE_H
#define VG_WATCH_EVE_H

#include "lib/json.h"
#include "vigil/common.h"

/* vg_eve_proto_name: "TCP", "UDP", "ICMP", "IPv6-ICMP", "SCTP", "GRE", or the
 * number written into buf. */
const char *vg_eve_proto_name(uint8_t p, char buf[8]);
/* vg_eve_kip: key k with ip as text (IPv4 dotted, IPv6 compressed). */
void vg_eve_kip(vg_jw_t *j, const char *k, const vg_ip_t *ip);
/* vg_eve_kts: key k with ts_us as "2026-11-27T23:31:50.123456+0000". */
void vg_eve_kts(vg_jw_t *j, const char *k, uint64_t ts_us);

#endif
