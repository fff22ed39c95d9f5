// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_quic.c — libFuzzer target for src/net/quic.c.  Random bytes almost
 * never pass the AEAD check, so besides the raw input the target also feeds
 * a 1200-byte datagram with a valid v1 Initial header (RFC 9001 A.2 DCID)
 * followed by the input, exercising key derivation, header protection and
 * the tag failure path.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/quic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vg_quic_state_t Q;
static int inited;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!inited) {
		if (vg_quic_init(&Q) != 0)
			__builtin_trap();
		inited = 1;
	}
	vg_quic_reset(&Q);
	(void)vg_quic_looks_like_initial(data, size);
	if (vg_quic_parse_initial(&Q, data, size) == 0 && strlen(Q.hello.sni) > VG_TLS_SNI_MAX)
		__builtin_trap();
	/* a valid-looking header prefix on a 1200-byte datagram */
	static uint8_t pkt[1200];
	memset(pkt, 0, sizeof(pkt));
	static const uint8_t hdr[] = {0xc0, 0, 0, 0, 1, 8, 0x83, 0x94, 0xc8, 0xf0,
				      0x3e, 0x51, 0x57, 0x08, 0, 0, 0x44, 0x9e};
	memcpy(pkt, hdr, sizeof(hdr));
	memcpy(pkt + sizeof(hdr), data, size < sizeof(pkt) - sizeof(hdr) ? size : sizeof(pkt) - sizeof(hdr));
	(void)vg_quic_parse_initial(&Q, pkt, sizeof(pkt));
	return 0;
}
