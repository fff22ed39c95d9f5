// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_flow.c — libFuzzer target driving the flow table with a sequence of
 * synthetic packets (8 input bytes each: addresses from a small pool,
 * ports, protocol, TCP flags, time step, op) in a table of 8 flows with
 * short timeouts, so creation, eviction, expiry, TCP state changes and
 * port reuse interleave.  Checks the table's own accounting.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/flow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t ended;

static void on_end(void *ctx, vg_flow_t *f, int reason)
{
	(void)ctx;
	if (!f->in_use || reason < 0 || reason > VG_FLOW_END_FLUSH || f->flow_id == 0)
		abort();
	if (f->app[0] != 0x5a)
		abort(); /* app area must be left alone by the table */
	ended++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_flow_cfg_t cfg;
	vg_flow_cfg_default(&cfg);
	cfg.max_flows = 8;
	cfg.hash_seed = 1;
	for (int i = 0; i < VG_FLOW_TQ_COUNT; i++)
		cfg.timeout_s[i] = (uint32_t)(i % 3) + 1;
	vg_flow_table_t *t;
	if (vg_flow_table_new(&t, &cfg, on_end, NULL) != 0)
		abort();
	ended = 0;
	static const uint8_t protos[] = {6, 17, 1, 58, 132, 47};
	uint64_t now = 1000000;
	for (size_t off = 0; off + 8 <= size; off += 8) {
		const uint8_t *r = data + off;
		now += (uint64_t)r[6] * 50000; /* up to ~12.7 s per step */
		if (r[7] == 0xff) {
			vg_flow_expire(t, now);
			continue;
		}
		if (r[7] == 0xfe) {
			vg_flow_flush(t);
			continue;
		}
		vg_pkt_t p;
		memset(&p, 0, sizeof p);
		if (r[0] & 0x80) {
			p.ipver = 6;
			p.src.a[0] = 0x20;
			p.src.a[15] = r[0] & 3;
			p.dst.a[0] = 0x20;
			p.dst.a[15] = r[1] & 3;
		} else {
			p.ipver = 4;
			vg_ip_set4(&p.src, 0x0a000000u | (r[0] & 3));
			vg_ip_set4(&p.dst, 0x0a000000u | (r[1] & 3));
		}
		p.sport = r[2] & 7;
		p.dport = r[3] & 7;
		p.proto = protos[r[4] % sizeof protos];
		p.tcp_flags = r[5];
		p.flags = (r[4] & 0x80) ? 0 : VG_PKT_F_L4;
		p.frag = (r[7] & 0x0f) == 0x0f ? VG_FRAG_LATER : 0;
		p.n_vlan = (r[7] & 0x10) ? 1 : 0;
		p.vlan[0] = 5;
		int dir = -1;
		vg_flow_t *f = vg_flow_track(t, &p, now, r[7], &dir);
		if (p.frag == VG_FRAG_LATER) {
			if (f)
				abort();
			continue;
		}
		if (!f || (dir != VG_DIR_TOSERVER && dir != VG_DIR_TOCLIENT))
			abort();
		if (f->pkts[0] + f->pkts[1] == 1)
			f->app[0] = 0x5a;
		if (f->last_us != now || f->first_us > f->last_us)
			abort();
		vg_flow_stats_t st;
		vg_flow_get_stats(t, &st);
		if (st.active > st.capacity || st.active == 0 ||
		    st.created != st.active + ended)
			abort();
	}
	vg_flow_flush(t);
	vg_flow_stats_t st;
	vg_flow_get_stats(t, &st);
	if (st.active != 0 || st.created != ended)
		abort();
	vg_flow_table_free(t);
	return 0;
}
