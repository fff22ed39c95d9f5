// SPDX-License-Identifier: Apache-2.0
/*
 * test_flow.c — the flow table: direction from SYN / SYN-ACK / first
 * packet, per-direction counters, TCP states, per-class timeouts, LRU
 * eviction order, memory cap sizing, flow ids, flush and callbacks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "net/flow.h"

#define S 1000000ull /* one second in µs */

struct ended {
	int n;
	uint64_t id[64];
	int reason[64];
	uint16_t cport[64];
};

static void on_end(void *ctx, vg_flow_t *f, int reason)
{
	struct ended *e = ctx;
	if (e->n < 64) {
		e->id[e->n] = f->flow_id;
		e->reason[e->n] = reason;
		e->cport[e->n] = f->cport;
	}
	e->n++;
}

static vg_pkt_t pkt(uint32_t s, uint32_t d, uint16_t sp, uint16_t dp, uint8_t proto, uint8_t fl)
{
	vg_pkt_t p;
	memset(&p, 0, sizeof p);
	vg_ip_set4(&p.src, s);
	vg_ip_set4(&p.dst, d);
	p.sport = sp;
	p.dport = dp;
	p.proto = proto;
	p.tcp_flags = fl;
	p.ipver = 4;
	p.flags = VG_PKT_F_L4;
	return p;
}

static vg_flow_table_t *mk(uint32_t max, struct ended *e)
{
	vg_flow_cfg_t c;
	vg_flow_cfg_default(&c);
	c.max_flows = max;
	c.hash_seed = 12345;
	c.timeout_s[VG_FLOW_TQ_TCP_CLOSED] = 10; /* the timing tests below assume 10 s */
	vg_flow_table_t *t;
	assert_int_equal(vg_flow_table_new(&t, &c, on_end, e), 0);
	return t;
}

#define A 0x0a000002u /* 10.0.0.2 */
#define B 0x0a000001u /* 10.0.0.1: lower than A, so B is key.a */

/* Rule: SYN without ACK makes the sender the client; replies count to the
 * client; the flow is established once both directions were seen. */
static void test_direction_syn(void **st)
{
	(void)st;
	struct ended e = {0};
	vg_flow_table_t *t = mk(16, &e);
	int dir = -1;
	vg_pkt_t p = pkt(A, B, 40000, 80, 6, VG_TCP_SYN);
	vg_flow_t *f = vg_flow_track(t, &p, 10 * S, 60, &dir);
	assert_non_null(f);
	assert_int_equal(dir, VG_DIR_TOSERVER);
	assert_int_equal(vg_ip_v4(vg_flow_client(f)), A);
	assert_int_equal(vg_ip_v4(vg_flow_server(f)), B);
	assert_int_equal(f->cport, 40000);
	assert_int_equal(f->sport, 80);
	assert_int_equal(f->state, VG_FLOW_NEW);
	assert_int_equal(f->tq, VG_FLOW_TQ_TCP_NEW);
	p = pkt(B, A, 80, 40000, 6, VG_TCP_SYN | VG_TCP_ACK);
	vg_flow_t *g = vg_flow_track(t, &p, 11 * S, 60, &dir);
	assert_ptr_equal(f, g);
	assert_int_equal(dir, VG_DIR_TOCLIENT);
	assert_int_equal(f->state, VG_FLOW_ESTABLISHED);
	p = pkt(A, B, 40000, 80, 6, VG_TCP_ACK | VG_TCP_PSH);
	vg_flow_track(t, &p, 12 * S, 100, &dir);
	assert_int_equal(dir, VG_DIR_TOSERVER);
	assert_int_equal(f->pkts[VG_DIR_TOSERVER], 2);
	assert_int_equal(f->pkts[VG_DIR_TOCLIENT], 1);
	assert_int_equal(f->bytes[VG_DIR_TOSERVER], 160);
	assert_int_equal(f->bytes[VG_DIR_TOCLIENT], 60);
	assert_int_equal(f->first_us, 10 * S);
	assert_int_equal(f->last_us, 12 * S);
	assert_int_equal(f->tcp_flags[VG_DIR_TOSERVER], VG_TCP_SYN | VG_TCP_ACK | VG_TCP_PSH);
	assert_int_equal(f->tcp_flags[VG_DIR_TOCLIENT], VG_TCP_SYN | VG_TCP_ACK);
	/* FIN each way: closing, then closed */
	p = pkt(A, B, 40000, 80, 6, VG_TCP_FIN | VG_TCP_ACK);
	vg_flow_track(t, &p, 13 * S, 60, NULL);
	assert_int_equal(f->state, VG_FLOW_CLOSING);
	p = pkt(B, A, 80, 40000, 6, VG_TCP_FIN | VG_TCP_ACK);
	vg_flow_track(t, &p, 13 * S, 60, NULL);
	assert_int_equal(f->state, VG_FLOW_CLOSED);
	assert_int_equal(f->tq, VG_FLOW_TQ_TCP_CLOSED);
	assert_int_equal(e.n, 0);
	vg_flow_flush(t);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.reason[0], VG_FLOW_END_FLUSH);
	vg_flow_table_free(t);
}

/* Rule: a SYN+ACK seen first makes its sender the server. */
static void test_direction_synack(void **st)
{
	(void)st;
	struct ended e = {0};
	vg_flow_table_t *t = mk(16, &e);
	int dir = -1;
	vg_pkt_t p = pkt(B, A, 443, 50000, 6, VG_TCP_SYN | VG_TCP_ACK);
	vg_flow_t *f = vg_flow_track(t, &p, S, 60, &dir);
	assert_int_equal(dir, VG_DIR_TOCLIENT);
	assert_int_equal(vg_ip_v4(vg_flow_client(f)), A);
	assert_int_equal(f->cport, 50000);
	assert_int_equal(f->sport, 443);
	assert_int_equal(f->pkts[VG_DIR_TOCLIENT], 1);
	vg_flow_flush(t);
	vg_flow_table_free(t);
}

/* Rule: without a SYN the first packet's sender is the client, whatever
 * the address order; both directions share one flow. */
static void test_direction_first_packet(void **st)
{
	(void)st;
	struct ended e = {0};
	vg_flow_table_t *t = mk(16, &e);
	int dir;
	vg_pkt_t p = pkt(A, B, 5353, 53, 17, 0);
	vg_flow_t *f = vg_flow_track(t, &p, S, 70, &dir);
	assert_int_equal(dir, VG_DIR_TOSERVER);
	assert_int_equal(vg_ip_v4(vg_flow_client(f)), A);
	assert_int_equal(f->cport, 5353);
	assert_int_equal(f->sport, 53);
	assert_int_equal(f->tq, VG_FLOW_TQ_UDP);
	p = pkt(B, A, 53, 5353, 17, 0);
	assert_ptr_equal(vg_flow_track(t, &p, S, 90, &dir), f);
	assert_int_equal(dir, VG_DIR_TOCLIENT);
	assert_int_equal(f->state, VG_FLOW_ESTABLISHED);
	/* mid-stream TCP (ACK only): first sender is client */
	p = pkt(B, A, 22, 60000, 6, VG_TCP_ACK);
	vg_flow_t *g = vg_flow_track(t, &p, S, 70, &dir);
	assert_ptr_not_equal(g, f);
	assert_int_equal(dir, VG_DIR_TOSERVER);
	assert_int_equal(vg_ip_v4(vg_flow_client(g)), B);
	assert_int_equal(g->cport, 22);
	/* same addresses, same ports, other protocol: another flow */
	p = pkt(A, B, 5353, 53, 6, VG_TCP_SYN);
	assert_ptr_not_equal(vg_flow_track(t, &p, S, 70, &dir), f);
	vg_flow_stats_t s;
	vg_flow_get_stats(t, &s);
	assert_int_equal(s.created, 3);
	assert_int_equal(s.active, 3);
	vg_flow_flush(t);
	assert_int_equal(e.n, 3);
	vg_flow_table_free(t);
}

/* Rule: flows end when idle longer than their class timeout, checked as
 * packet time advances (UDP 60 s, TCP new 30 s, closed TCP 10 s with
 * reason closed); vg_flow_expire does the same without a packet. */
static void test_timeouts(void **st)
{
	(void)st;
	struct ended e = {0};
	vg_flow_table_t *t = mk(16, &e);
	vg_pkt_t u = pkt(A, B, 1000, 53, 17, 0);
	vg_flow_t *f = vg_flow_track(t, &u, 100 * S, 70, NULL);
	uint64_t uid = f->flow_id;
	vg_pkt_t s = pkt(A, B, 2000, 80, 6, VG_TCP_SYN);
	vg_flow_track(t, &s, 100 * S, 70, NULL);
	vg_pkt_t r = pkt(A, B, 3000, 80, 6, VG_TCP_RST);
	vg_flow_track(t, &r, 100 * S, 70, NULL);
	vg_pkt_t o = pkt(9, 10, 0, 0, 1, 0); /* ICMP */
	/* 10 s: nothing yet (strictly longer than the timeout is needed); the
	 * packet path scans timeouts once per millisecond of packet time */
	vg_flow_track(t, &o, 110 * S, 70, NULL);
	assert_int_equal(e.n, 0);
	vg_flow_track(t, &o, 110 * S + 1000, 70, NULL);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.cport[0], 3000);
	assert_int_equal(e.reason[0], VG_FLOW_END_CLOSED);
	assert_int_equal(vg_flow_expire(t, 130 * S), 0);
	assert_int_equal(vg_flow_expire(t, 130 * S + 1), 1); /* TCP new, 30 s */
	assert_int_equal(e.cport[1], 2000);
	assert_int_equal(e.reason[1], VG_FLOW_END_TIMEOUT);
	/* ICMP flow was last active at 110 s + 1 ms: 30 s later */
	assert_int_equal(vg_flow_expire(t, 140 * S + 1000), 0);
	assert_int_equal(vg_flow_expire(t, 140 * S + 1001), 1);
	assert_int_equal(vg_flow_expire(t, 100 * S), 0); /* time never goes back */
	assert_int_equal(vg_flow_expire(t, 160 * S), 0);
	assert_int_equal(vg_flow_expire(t, 160 * S + 1), 1); /* UDP, 60 s */
	assert_int_equal(e.id[3], uid);
	vg_flow_stats_t st2;
	vg_flow_get_stats(t, &st2);
	assert_int_equal(st2.active, 0);
	assert_int_equal(st2.ended[VG_FLOW_END_TIMEOUT], 3);
	assert_int_equal(st2.ended[VG_FLOW_END_CLOSED], 1);
	vg_flow_table_free(t);
}

/* Rule: activity resets the idle clock; a new SYN on a closed flow ends
 * it (closed) and starts a new flow with a new id. */
static void test_activity_and_reuse(void **st)
{
	(void)st;
	struct ended e = {0};
	vg_flow_table_t *t = mk(16, &e);
	vg_pkt_t u = pkt(A, B, 1000, 53, 17, 0);
	for (int i = 0; i < 10; i++)
		vg_flow_track(t, &u, (uint64_t)i * 50 * S, 70, NULL);
	assert_int_equal(e.n, 0);
	vg_pkt_t s = pkt(A, B, 2000, 80, 6, VG_TCP_SYN);
	vg_flow_t *f = vg_flow_track(t, &s, 500 * S, 70, NULL);
	uint64_t id = f->flow_id;
	vg_pkt_t r = pkt(B, A, 80, 2000, 6, VG_TCP_RST | VG_TCP_ACK);
	vg_flow_track(t, &r, 500 * S, 70, NULL);
	assert_int_equal(f->state, VG_FLOW_CLOSED);
	vg_flow_t *g = vg_flow_track(t, &s, 501 * S, 70, NULL);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.id[0], id);
	assert_int_equal(e.reason[0], VG_FLOW_END_CLOSED);
	assert_int_not_equal(g->flow_id, id);
	assert_int_equal(g->state, VG_FLOW_NEW);
	assert_int_equal(g->pkts[VG_DIR_TOSERVER], 1);
	vg_flow_flush(t);
	vg_flow_table_free(t);
}

/* Rule: a full table evicts the least recently active flow, whatever its
 * class, and counts it. */
static void test_eviction_order(void **st)
{
	(void)st;
	struct ended e = {0};
	vg_flow_table_t *t = mk(3, &e);
	vg_pkt_t p1 = pkt(A, B, 1, 53, 17, 0);
	vg_pkt_t p2 = pkt(A, B, 2, 80, 6, VG_TCP_SYN);
	vg_pkt_t p3 = pkt(A, B, 3, 0, 1, 0);
	vg_pkt_t p4 = pkt(A, B, 4, 53, 17, 0);
	vg_pkt_t p5 = pkt(A, B, 5, 53, 17, 0);
	vg_flow_track(t, &p1, 1 * S, 1, NULL);
	vg_flow_track(t, &p2, 2 * S, 1, NULL);
	vg_flow_track(t, &p3, 3 * S, 1, NULL);
	vg_flow_track(t, &p1, 4 * S, 1, NULL); /* p1 active again */
	vg_flow_track(t, &p4, 5 * S, 1, NULL); /* evicts p2 (TCP, idle since 2 s) */
	assert_int_equal(e.n, 1);
	assert_int_equal(e.cport[0], 2);
	assert_int_equal(e.reason[0], VG_FLOW_END_EVICTED);
	vg_flow_track(t, &p5, 6 * S, 1, NULL); /* evicts p3 (ICMP) */
	assert_int_equal(e.n, 2);
	assert_int_equal(e.cport[1], 0);
	vg_flow_stats_t s;
	vg_flow_get_stats(t, &s);
	assert_int_equal(s.evicted, 2);
	assert_int_equal(s.active, 3);
	assert_int_equal(s.max_active, 3);
	assert_int_equal(s.capacity, 3);
	vg_flow_flush(t); /* oldest first: p1 (4 s), p4, p5 */
	assert_int_equal(e.n, 5);
	assert_int_equal(e.cport[2], 1);
	assert_int_equal(e.cport[3], 4);
	assert_int_equal(e.cport[4], 5);
	vg_flow_table_free(t);
}

/* Rule: the table is sized to fit memcap (slab + power-of-two buckets);
 * a cap too small for one flow, or max_flows 0, is VG_EINVAL. */
static void test_memcap(void **st)
{
	(void)st;
	vg_flow_cfg_t c;
	vg_flow_cfg_default(&c);
	c.max_flows = 1000;
	c.memcap = 100 * 256 + 128 * 4;
	vg_flow_table_t *t;
	assert_int_equal(vg_flow_table_new(&t, &c, NULL, NULL), 0);
	vg_flow_stats_t s;
	vg_flow_get_stats(t, &s);
	assert_int_equal(s.capacity, 100);
	/* 150 flows in a 100-flow table: 50 evictions, no callback needed */
	for (uint16_t i = 0; i < 150; i++) {
		vg_pkt_t p = pkt(A, B, (uint16_t)(i + 1), 53, 17, 0);
		assert_non_null(vg_flow_track(t, &p, S + i, 1, NULL));
	}
	vg_flow_get_stats(t, &s);
	assert_int_equal(s.evicted, 50);
	assert_int_equal(s.active, 100);
	vg_flow_table_free(t);
	c.memcap = 200;
	assert_int_equal(vg_flow_table_new(&t, &c, NULL, NULL), VG_EINVAL);
	assert_null(t);
	c.memcap = 0;
	c.max_flows = 0;
	assert_int_equal(vg_flow_table_new(&t, &c, NULL, NULL), VG_EINVAL);
	vg_flow_table_free(NULL);
}

/* Rule: flow ids are non-zero, unique, below 2^51; the Community ID is
 * the one of the first packet; app area is zeroed; struct <= 256 bytes. */
static void test_ids(void **st)
{
	(void)st;
	assert_true(sizeof(vg_flow_t) <= 256);
	vg_flow_cfg_t c;
	vg_flow_cfg_default(&c);
	c.max_flows = 5000;
	vg_flow_table_t *t;
	assert_int_equal(vg_flow_table_new(&t, &c, NULL, NULL), 0);
	uint64_t *ids = calloc(5000, sizeof *ids);
	for (uint32_t i = 0; i < 5000; i++) {
		vg_pkt_t p = pkt(0x0a000000 + i, B, 1234, 80, 6, VG_TCP_SYN);
		vg_flow_t *f = vg_flow_track(t, &p, S, 1, NULL);
		assert_non_null(f);
		for (size_t k = 0; k < VG_FLOW_APP_SIZE; k++)
			assert_int_equal(f->app[k], 0);
		memset(f->app, 0xee, VG_FLOW_APP_SIZE);
		ids[i] = f->flow_id;
		assert_true(ids[i] != 0 && ids[i] < (1ull << 51));
		char cid[VG_CID_SIZE];
		vg_community_id(&p.src, &p.dst, 6, 1234, 80, 0, cid);
		assert_string_equal(vg_flow_community_id(f, 0), cid);
	}
	for (uint32_t i = 0; i < 5000; i++)
		for (uint32_t j = i + 1; j < 5000; j++)
			if (ids[i] == ids[j])
				fail_msg("duplicate flow id %u %u", i, j);
	free(ids);
	vg_flow_stats_t s;
	vg_flow_get_stats(t, &s);
	assert_int_equal(s.evicted, 0);
	assert_int_equal(s.created, 5000);
	vg_flow_table_free(t);
}

/* Rule: the outer VLAN id is part of the key unless disabled; later
 * fragments and non-IP packets are not tracked. */
static void test_vlan_and_untracked(void **st)
{
	(void)st;
	struct ended e = {0};
	vg_flow_table_t *t = mk(16, &e);
	vg_pkt_t p = pkt(A, B, 1, 2, 17, 0);
	vg_pkt_t q = p;
	q.n_vlan = 1;
	q.vlan[0] = 7;
	vg_flow_t *f = vg_flow_track(t, &p, S, 1, NULL);
	vg_flow_t *g = vg_flow_track(t, &q, S, 1, NULL);
	assert_ptr_not_equal(f, g);
	assert_int_equal(g->key.vlan, 7);
	q.frag = VG_FRAG_LATER;
	assert_null(vg_flow_track(t, &q, S, 1, NULL));
	q.frag = 0;
	q.ipver = 0;
	assert_null(vg_flow_track(t, &q, S, 1, NULL));
	vg_flow_stats_t s;
	vg_flow_get_stats(t, &s);
	assert_int_equal(s.untracked, 2);
	vg_flow_flush(t);
	vg_flow_table_free(t);

	vg_flow_cfg_t c;
	vg_flow_cfg_default(&c);
	c.vlan_in_key = false;
	assert_int_equal(vg_flow_table_new(&t, &c, NULL, NULL), 0);
	q.ipver = 4;
	f = vg_flow_track(t, &p, S, 1, NULL);
	assert_ptr_equal(vg_flow_track(t, &q, S, 1, NULL), f);
	vg_flow_table_free(t);
	assert_string_equal(vg_flow_state_name(VG_FLOW_ESTABLISHED), "established");
	assert_string_equal(vg_flow_end_name(VG_FLOW_END_EVICTED), "forced");
	assert_string_equal(vg_flow_end_name(VG_FLOW_END_FLUSH), "shutdown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_direction_syn),
	    cmocka_unit_test(test_direction_synack),
	    cmocka_unit_test(test_direction_first_packet),
	    cmocka_unit_test(test_timeouts),
	    cmocka_unit_test(test_activity_and_reuse),
	    cmocka_unit_test(test_eviction_order),
	    cmocka_unit_test(test_memcap),
	    cmocka_unit_test(test_ids),
	    cmocka_unit_test(test_vlan_and_untracked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
