// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_banner.c — libFuzzer target for src/dev/banner.c and the TCP path of
 * vg_dev_observe: the input is split at the first "\n--\n" into packets
 * that alternate server->client and client->server on one flow (flow bits
 * carried across), plus each piece alone through both banner parsers.
 */
#include "dev_fuzz.h"

static vg_flow_t FZ_FLOW;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t bits = (uint32_t)size * 2654435761u; /* arbitrary starting state too */
	vg_dev_emit_t e;
	vg_dev_emit_init(&e, &FZ_SCR, fz_check, NULL, 1);
	uint8_t *b = size ? __builtin_malloc(size) : NULL;
	if (size && !b)
		return 0;
	if (size)
		memcpy(b, data, size);
	vg_dev_banner_server(&e, b, size, size & 1 ? 21 : 80, &bits);
	vg_dev_banner_client(&e, b, size, size & 2 ? 21 : 554, &bits);
	/* packets through the dispatcher */
	bits = 0;
	size_t off = 0;
	int dir = VG_DIR_TOCLIENT;
	while (off <= size) {
		const uint8_t *sep = size - off >= 4 ? memmem(b + off, size - off, "\n--\n", 4) : NULL;
		size_t n = sep ? (size_t)(sep - (b + off)) : size - off;
		vg_pkt_t p;
		memset(&p, 0, sizeof(p));
		p.flags = VG_PKT_F_L4 | VG_PKT_F_MAC;
		p.ipver = 4;
		p.proto = 6;
		p.tcp_flags = VG_TCP_ACK | (off == 0 ? VG_TCP_SYN : 0);
		vg_ip_set4(&p.src, dir == VG_DIR_TOCLIENT ? 0xc0a80140 : 0xc0a8010a);
		vg_ip_set4(&p.dst, dir == VG_DIR_TOCLIENT ? 0xc0a8010a : 0xc0a80140);
		p.sport = dir == VG_DIR_TOCLIENT ? 554 : 40000;
		p.dport = dir == VG_DIR_TOCLIENT ? 40000 : 554;
		p.payload = n ? b + off : NULL;
		p.payload_len = (uint32_t)n;
		int k = vg_dev_observe(&p, &FZ_FLOW, dir, &bits, 1, &FZ_SCR, fz_check, NULL);
		if (k < 0)
			__builtin_trap();
		if (!sep)
			break;
		off += n + 4;
		dir ^= 1;
	}
	__builtin_free(b);
	return 0;
}
