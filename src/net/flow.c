// SPDX-License-Identifier: Apache-2.0
/*
 * flow.c — the bidirectional flow table behind vg_flow_track().
 *
 * Sits after vg_decode() and before the application parsers.  Storage is a
 * slab of `cap` vg_flow_t (256 bytes each) plus a power-of-two bucket array
 * of uint32 slab indexes; chains, the free list and the per-timeout-class
 * doubly linked LRU lists are all slab indexes (NIL = UINT32_MAX), so after
 * vg_flow_table_new() nothing is allocated.  The bucket hash is vg_hash64
 * over the canonical key, salted with a per-run random seed (hash flooding).
 *
 * Invariants: a slot is in_use iff it is in exactly one bucket chain and
 * exactly one class list (t->head/tail[f->tq]); each class list is ordered
 * by last_us because a flow moves to its tail on every packet and the table
 * clock (t->now) never goes backwards.  Hence the expiry scan only looks at
 * list heads, and the eviction victim is the oldest of the heads.
 * Not thread-safe: one table per packet thread.
 */
#include "net/flow.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "lib/hash.h"

_Static_assert(sizeof(vg_flow_t) <= 256, "vg_flow_t must fit 256 bytes");
_Static_assert(sizeof(vg_flow_key_t) == 40, "vg_flow_key_t must have no padding");

#define NIL UINT32_MAX
#define ID_MASK ((UINT64_C(1) << 51) - 1)

struct vg_flow_table {
	vg_flow_t *slab;
	uint32_t *buckets;
	uint32_t cap, mask;
	uint32_t free_head;
	uint32_t fresh; /* slots [fresh, cap) were never used: no free-list entry */
	uint32_t head[VG_FLOW_TQ_COUNT], tail[VG_FLOW_TQ_COUNT];
	uint64_t timeout_us[VG_FLOW_TQ_COUNT];
	uint64_t now;
	uint64_t last_expire; /* packet time of the last timeout scan */
	uint64_t seed, id_ctr, id_key;
	vg_flow_end_fn end;
	void *ctx;
	bool vlan_in_key;
	uint16_t cid_seed;
	vg_flow_stats_t st;
};

void vg_flow_cfg_default(vg_flow_cfg_t *c)
{
	memset(c, 0, sizeof *c);
	c->max_flows = 65536;
	c->memcap = 64u << 20;
	c->timeout_s[VG_FLOW_TQ_TCP_NEW] = 30;
	c->timeout_s[VG_FLOW_TQ_TCP_EST] = 3600;
	c->timeout_s[VG_FLOW_TQ_TCP_CLOSING] = 120;
	c->timeout_s[VG_FLOW_TQ_TCP_CLOSED] = 60; /* Suricata's default */
	c->timeout_s[VG_FLOW_TQ_UDP] = 60;
	c->timeout_s[VG_FLOW_TQ_ICMP] = 30;
	c->timeout_s[VG_FLOW_TQ_OTHER] = 60;
	c->vlan_in_key = true;
}

const char *vg_flow_state_name(int s)
{
	switch (s) {
	case VG_FLOW_NEW: return "new";
	case VG_FLOW_ESTABLISHED: return "established";
	case VG_FLOW_CLOSING: return "closing";
	case VG_FLOW_CLOSED: return "closed";
	}
	return "unknown";
}

const char *vg_flow_end_name(int r)
{
	switch (r) {
	case VG_FLOW_END_TIMEOUT: return "timeout";
	case VG_FLOW_END_CLOSED: return "closed";
	case VG_FLOW_END_EVICTED: return "forced";
	case VG_FLOW_END_FLUSH: return "shutdown";
	}
	return "unknown";
}

static uint32_t pow2_at_least(uint32_t n)
{
	uint32_t b = 1;
	while (b < n && b < (1u << 31))
		b <<= 1;
	return b;
}

static uint64_t table_bytes(uint32_t cap)
{
	return (uint64_t)cap * sizeof(vg_flow_t) + (uint64_t)pow2_at_least(cap) * sizeof(uint32_t);
}

int vg_flow_table_new(vg_flow_table_t **out, const vg_flow_cfg_t *cfg, vg_flow_end_fn end,
		      void *ctx)
{
	*out = NULL;
	uint32_t cap = cfg->max_flows;
	if (cap == 0 || cap > (1u << 30))
		return VG_EINVAL;
	if (cfg->memcap) {
		uint64_t fit = cfg->memcap / (sizeof(vg_flow_t) + sizeof(uint32_t));
		if (fit < cap)
			cap = (uint32_t)fit;
		if (cap > 0 && table_bytes(cap) > cfg->memcap) {
			/* buckets rounded up: shrink once with that bucket count */
			uint64_t nbb = (uint64_t)pow2_at_least(cap) * sizeof(uint32_t);
			fit = nbb < cfg->memcap ? (cfg->memcap - nbb) / sizeof(vg_flow_t) : 0;
			if (fit < cap)
				cap = (uint32_t)fit;
		}
		if (cap == 0)
			return VG_EINVAL;
	}
	vg_flow_table_t *t = calloc(1, sizeof *t);
	if (!t)
		return VG_ENOMEM;
	uint32_t nb = pow2_at_least(cap);
	/* calloc: a large slab comes from mmap as untouched zero pages, and the
	 * bump index `fresh` hands them out, so start-up does not touch the
	 * whole slab (it cost ~50 ms per run at the default size). */
	t->slab = calloc(cap, sizeof(vg_flow_t));
	t->buckets = malloc((size_t)nb * sizeof(uint32_t));
	if (!t->slab || !t->buckets) {
		vg_flow_table_free(t);
		return VG_ENOMEM;
	}
	memset(t->buckets, 0xff, (size_t)nb * sizeof(uint32_t));
	t->cap = cap;
	t->mask = nb - 1;
	t->free_head = NIL;
	t->fresh = 0;
	for (int q = 0; q < VG_FLOW_TQ_COUNT; q++) {
		t->head[q] = t->tail[q] = NIL;
		t->timeout_us[q] = (uint64_t)cfg->timeout_s[q] * 1000000u;
	}
	t->seed = cfg->hash_seed;
	if (!t->seed) {
		if (getrandom(&t->seed, sizeof t->seed, GRND_NONBLOCK) != (ssize_t)sizeof t->seed)
			t->seed = vg_hash_u64((uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)t);
	}
	t->id_key = vg_hash_u64(t->seed ^ 0x5bd1e995u);
	t->end = end;
	t->ctx = ctx;
	t->vlan_in_key = cfg->vlan_in_key;
	t->cid_seed = cfg->cid_seed;
	t->st.capacity = cap;
	*out = t;
	return 0;
}

void vg_flow_table_free(vg_flow_table_t *t)
{
	if (!t)
		return;
	free(t->slab);
	free(t->buckets);
	free(t);
}

/* A 51-bit bijection of a counter: unique, non-zero, not sequential. */
static uint64_t next_id(vg_flow_table_t *t)
{
	for (;;) {
		uint64_t x = (t->id_ctr++ + t->id_key) & ID_MASK;
		x = (x * UINT64_C(0x9E3779B97F4A7C15)) & ID_MASK;
		x ^= x >> 25;
		x = (x * UINT64_C(0xBF58476D1CE4E5B9)) & ID_MASK;
		x ^= x >> 27;
		if (x)
			return x;
	}
}

static uint32_t bucket_of(const vg_flow_table_t *t, const vg_flow_key_t *k)
{
	return (uint32_t)vg_hash64(k, sizeof *k, t->seed) & t->mask;
}

static void list_unlink(vg_flow_table_t *t, vg_flow_t *f, uint32_t idx)
{
	if (f->lprev != NIL)
		t->slab[f->lprev].lnext = f->lnext;
	else
		t->head[f->tq] = f->lnext;
	if (f->lnext != NIL)
		t->slab[f->lnext].lprev = f->lprev;
	else
		t->tail[f->tq] = f->lprev;
	(void)idx;
}

static void list_append(vg_flow_table_t *t, vg_flow_t *f, uint32_t idx, int tq)
{
	f->tq = (uint8_t)tq;
	f->lnext = NIL;
	f->lprev = t->tail[tq];
	if (t->tail[tq] != NIL)
		t->slab[t->tail[tq]].lnext = idx;
	else
		t->head[tq] = idx;
	t->tail[tq] = idx;
}

static void end_flow(vg_flow_table_t *t, uint32_t idx, int reason)
{
	vg_flow_t *f = &t->slab[idx];
	if (t->end)
		t->end(t->ctx, f, reason);
	uint32_t *pp = &t->buckets[bucket_of(t, &f->key)];
	while (*pp != NIL && *pp != idx)
		pp = &t->slab[*pp].hnext;
	if (*pp == idx)
		*pp = f->hnext;
	list_unlink(t, f, idx);
	f->in_use = 0;
	f->hnext = t->free_head;
	t->free_head = idx;
	t->st.ended[reason]++;
	if (reason == VG_FLOW_END_EVICTED)
		t->st.evicted++;
	t->st.active--;
}

/* Index of the least recently active flow (oldest list head), or NIL. */
static uint32_t oldest(const vg_flow_table_t *t)
{
	uint32_t best = NIL;
	for (int q = 0; q < VG_FLOW_TQ_COUNT; q++) {
		uint32_t h = t->head[q];
		if (h != NIL && (best == NIL || t->slab[h].last_us < t->slab[best].last_us))
			best = h;
	}
	return best;
}

static uint32_t expire(vg_flow_table_t *t)
{
	uint32_t n = 0;
	for (int q = 0; q < VG_FLOW_TQ_COUNT; q++) {
		uint32_t h;
		while ((h = t->head[q]) != NIL && t->now - t->slab[h].last_us > t->timeout_us[q]) {
			end_flow(t, h, q == VG_FLOW_TQ_TCP_CLOSED ? VG_FLOW_END_CLOSED
								  : VG_FLOW_END_TIMEOUT);
			n++;
		}
	}
	return n;
}

uint32_t vg_flow_expire(vg_flow_table_t *t, uint64_t now_us)
{
	if (now_us > t->now)
		t->now = now_us;
	return expire(t);
}

void vg_flow_flush(vg_flow_table_t *t)
{
	uint32_t i;
	while ((i = oldest(t)) != NIL)
		end_flow(t, i, VG_FLOW_END_FLUSH);
}

void vg_flow_get_stats(const vg_flow_table_t *t, vg_flow_stats_t *out) { *out = t->st; }

static int class_of(uint8_t proto, uint8_t state)
{
	if (proto == 6)
		return state == VG_FLOW_NEW ? VG_FLOW_TQ_TCP_NEW
		       : state == VG_FLOW_ESTABLISHED ? VG_FLOW_TQ_TCP_EST
		       : state == VG_FLOW_CLOSING ? VG_FLOW_TQ_TCP_CLOSING
						  : VG_FLOW_TQ_TCP_CLOSED;
	if (proto == 17)
		return VG_FLOW_TQ_UDP;
	if (proto == 1 || proto == 58)
		return VG_FLOW_TQ_ICMP;
	return VG_FLOW_TQ_OTHER;
}

/* Build the canonical key of p; returns 1 when p's source is key.a. */
static int make_key(const vg_flow_table_t *t, const vg_pkt_t *p, vg_flow_key_t *k)
{
	uint16_t sp = 0, dp = 0;
	memset(k, 0, sizeof *k);
	if ((p->flags & VG_PKT_F_L4) && p->proto != 1 && p->proto != 58) {
		sp = p->sport;
		dp = p->dport;
	}
	int c = memcmp(p->src.a, p->dst.a, 16);
	int src_a = c < 0 || (c == 0 && sp <= dp);
	if (src_a) {
		k->a = p->src;
		k->b = p->dst;
		k->pa = sp;
		k->pb = dp;
	} else {
		k->a = p->dst;
		k->b = p->src;
		k->pa = dp;
		k->pb = sp;
	}
	k->proto = p->proto;
	if (t->vlan_in_key && p->n_vlan)
		k->vlan = p->vlan[0];
	return src_a;
}

static uint32_t create(vg_flow_table_t *t, const vg_pkt_t *p, const vg_flow_key_t *k,
		       uint32_t b, int src_a)
{
	if (t->free_head == NIL && t->fresh < t->cap) {
		t->slab[t->fresh].hnext = NIL;
		t->free_head = t->fresh++;
	}
	if (t->free_head == NIL) {
		uint32_t v = oldest(t);
		if (v == NIL)
			return NIL; /* cannot happen with cap >= 1 */
		end_flow(t, v, VG_FLOW_END_EVICTED);
	}
	uint32_t idx = t->free_head;
	vg_flow_t *f = &t->slab[idx];
	t->free_head = f->hnext;
	memset(f, 0, sizeof *f);
	f->key = *k;
	f->in_use = 1;
	f->flow_id = next_id(t);
	f->first_us = f->last_us = t->now;
	int syn = p->proto == 6 && (p->flags & VG_PKT_F_L4) && (p->tcp_flags & VG_TCP_SYN);
	int sender_is_server = syn && (p->tcp_flags & VG_TCP_ACK);
	f->cli_is_a = (uint8_t)(src_a ^ sender_is_server);
	uint16_t sp = (p->flags & VG_PKT_F_L4) ? p->sport : 0;
	uint16_t dp = (p->flags & VG_PKT_F_L4) ? p->dport : 0;
	if (p->proto == 1 || p->proto == 58) {
		f->cport = f->sport = 0;
	} else if (sender_is_server) {
		f->cport = dp;
		f->sport = sp;
	} else {
		f->cport = sp;
		f->sport = dp;
	}
	/* Community ID costs a SHA-1: computed here only for ICMP (whose
	 * type/code the key does not keep), else on first use by
	 * vg_flow_community_id (measured: 16% of the packet path when eager). */
	if (p->proto == 1 || p->proto == 58)
		vg_community_id(&p->src, &p->dst, p->proto, sp, dp, t->cid_seed, f->community_id);
	f->hnext = t->buckets[b];
	t->buckets[b] = idx;
	list_append(t, f, idx, class_of(p->proto, VG_FLOW_NEW));
	f->qsec = (uint32_t)(t->now / 1000000);
	t->st.created++;
	if (++t->st.active > t->st.max_active)
		t->st.max_active = t->st.active;
	return idx;
}

vg_flow_t *vg_flow_track(vg_flow_table_t *t, const vg_pkt_t *p, uint64_t ts_us,
			 uint32_t wire_len, int *dir)
{
	if (p->ipver == 0 || p->frag == VG_FRAG_LATER) {
		t->st.untracked++;
		return NULL;
	}
	if (ts_us > t->now)
		t->now = ts_us;
	/* timeouts are whole seconds: scanning the queue heads once per
	 * millisecond of packet time is exact enough and keeps their cache
	 * lines out of the per-packet path */
	if (t->now - t->last_expire >= 1000 || t->now < t->last_expire) {
		t->last_expire = t->now;
		expire(t);
	}

	vg_flow_key_t k;
	int src_a = make_key(t, p, &k);
	uint32_t b = bucket_of(t, &k);
	uint32_t idx = t->buckets[b];
	while (idx != NIL && memcmp(&t->slab[idx].key, &k, sizeof k) != 0)
		idx = t->slab[idx].hnext;
	int tcp = p->proto == 6 && (p->flags & VG_PKT_F_L4);
	uint8_t fl = tcp ? p->tcp_flags : 0;
	if (idx != NIL && tcp && t->slab[idx].state == VG_FLOW_CLOSED &&
	    (fl & (VG_TCP_SYN | VG_TCP_ACK | VG_TCP_RST)) == VG_TCP_SYN) {
		end_flow(t, idx, VG_FLOW_END_CLOSED); /* port reuse */
		idx = NIL;
	}
	if (idx == NIL) {
		idx = create(t, p, &k, b, src_a);
		if (idx == NIL)
			return NULL;
	}
	vg_flow_t *f = &t->slab[idx];
	int d = (src_a == f->cli_is_a) ? VG_DIR_TOSERVER : VG_DIR_TOCLIENT;
	f->pkts[d]++;
	f->bytes[d] += wire_len;
	f->last_us = t->now;
	if (tcp) {
		f->tcp_flags[d] |= fl;
		if (fl & VG_TCP_RST) {
			f->state = VG_FLOW_CLOSED;
		} else if (fl & VG_TCP_FIN) {
			f->fin_seen |= (uint8_t)(1u << d);
			f->state = f->fin_seen == 3 ? VG_FLOW_CLOSED : VG_FLOW_CLOSING;
		}
	}
	if (f->state == VG_FLOW_NEW && f->pkts[0] && f->pkts[1])
		f->state = VG_FLOW_ESTABLISHED;
	/* Lazy LRU: a flow moves to its queue's tail when its class changes or
	 * at most once per second of packet time.  Moving on every packet
	 * touched the cache lines of three other flows (prev, next, old tail)
	 * and made vg_flow_track 20% of the watch packet path (perf); the cost
	 * is that timeouts and eviction order are exact to within one second. */
	uint8_t q = (uint8_t)class_of(f->key.proto, f->state);
	uint32_t sec = (uint32_t)(t->now / 1000000);
	if (q != f->tq || sec != f->qsec) {
		list_unlink(t, f, idx);
		list_append(t, f, idx, q);
		f->qsec = sec;
	}
	if (dir)
		*dir = d;
	return f;
}

const char *vg_flow_community_id(vg_flow_t *f, uint16_t seed)
{
	if (!f->community_id[0])
		vg_community_id(vg_flow_client(f), vg_flow_server(f), f->key.proto, f->cport,
				f->sport, seed, f->community_id);
	return f->community_id;
}
