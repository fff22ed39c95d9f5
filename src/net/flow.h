/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net/flow.h — bidirectional 5-tuple flow table.
 *
 * One table per packet thread (not thread-safe; no locks).  All memory is
 * allocated by vg_flow_table_new(): a slab of max_flows vg_flow_t and a
 * bucket array; tracking a packet never allocates.  Flows are kept on one
 * LRU list per timeout class (ordered by last activity), so timeouts are
 * processed incrementally from the list heads as packet time advances, and
 * when the table is full the globally least recently active flow is
 * evicted.  Every flow that leaves the table goes through the end callback
 * exactly once (timeout, TCP close, eviction, flush).
 *
 * Typical engine loop:
 *   vg_flow_t *f = vg_flow_track(t, &pkt, ts_us, wire_len, &dir);
 *   if (f) { ... per-flow state in f->app ... }
 *   ... on shutdown: vg_flow_flush(t); vg_flow_table_free(t);
 */
#ifndef VG_NET_FLOW_H
#define VG_NET_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "net/community_id.h"
#include "net/decode.h"
#include "vigil/common.h"

/* Timeout classes: each has its own idle timeout (vg_flow_cfg_t.timeout_s). */
enum vg_flow_tq {
	VG_FLOW_TQ_TCP_NEW = 0,  /* TCP, not yet seen both ways */
	VG_FLOW_TQ_TCP_EST,      /* TCP established */
	VG_FLOW_TQ_TCP_CLOSING,  /* TCP, FIN seen in one direction */
	VG_FLOW_TQ_TCP_CLOSED,   /* TCP, RST or FIN both ways */
	VG_FLOW_TQ_UDP,
	VG_FLOW_TQ_ICMP,         /* ICMP and ICMPv6 */
	VG_FLOW_TQ_OTHER,        /* any other IP protocol */
	VG_FLOW_TQ_COUNT
};

/* vg_flow_t.state (TCP; other protocols go NEW -> ESTABLISHED once both
 * directions have been seen) */
enum vg_flow_state {
	VG_FLOW_NEW = 0,
	VG_FLOW_ESTABLISHED = 1,
	VG_FLOW_CLOSING = 2,
	VG_FLOW_CLOSED = 3
};

/* Why a flow ended (argument of vg_flow_end_fn). */
enum vg_flow_end {
	VG_FLOW_END_TIMEOUT = 0, /* idle longer than its class timeout */
	VG_FLOW_END_CLOSED = 1,  /* closed TCP flow reaped, or reused by a new SYN */
	VG_FLOW_END_EVICTED = 2, /* table full: least recently active flow evicted */
	VG_FLOW_END_FLUSH = 3    /* vg_flow_flush (shutdown / end of input) */
};

/* Directions: index of the per-direction arrays and *dir of vg_flow_track. */
#define VG_DIR_TOSERVER 0
#define VG_DIR_TOCLIENT 1

/* Canonical key: (a, pa) <= (b, pb) so both directions give the same key. */
typedef struct vg_flow_key {
	vg_ip_t a, b;
	uint16_t pa, pb; /* ports; for ICMP: 0/0, or echo id for echo req/reply */
	uint16_t vlan;   /* outer VLAN id when vg_flow_cfg_t.vlan_in_key */
	uint8_t proto;
	uint8_t pad;     /* always 0 */
} vg_flow_key_t;

#define VG_FLOW_APP_SIZE 96

/*
 * One flow.  The engine may read every field and owns app/app_flags;
 * everything else is maintained by the table.  A vg_flow_t pointer is
 * valid until the flow ends (after its end callback returns the slot is
 * reused), so do not keep it across vg_flow_track/expire calls unless you
 * also handle the end callback.
 */
typedef struct vg_flow {
	vg_flow_key_t key;
	uint64_t flow_id;      /* non-zero, unique per run, < 2^51 (JSON-safe) */
	uint64_t first_us, last_us;
	uint64_t pkts[2];      /* [VG_DIR_TOSERVER], [VG_DIR_TOCLIENT] */
	uint64_t bytes[2];     /* wire_len sums per direction */
	uint32_t hnext;        /* internal: bucket chain / free list */
	uint32_t lprev, lnext; /* internal: timeout-class LRU list */
	uint16_t cport, sport; /* client and server port */
	uint8_t cli_is_a;      /* client is key.a (else key.b) */
	uint8_t state;         /* enum vg_flow_state */
	uint8_t tq;            /* enum vg_flow_tq (current list) */
	uint8_t tcp_flags[2];  /* OR of TCP flags seen per direction */
	uint8_t fin_seen;      /* bit per direction */
	uint8_t in_use;        /* internal */
	uint8_t pad_;
	char community_id[VG_CID_SIZE]; /* "1:...=": use vg_flow_community_id() */
	uint32_t app_flags;    /* engine-owned, zero at creation */
	uint32_t qsec;         /* internal: packet second of the last LRU move */
	/* Engine-owned opaque per-flow state, zeroed when the flow is created
	 * and never touched by the table.  Release anything it refers to in the
	 * end callback.  16-byte aligned. */
	_Alignas(16) uint8_t app[VG_FLOW_APP_SIZE];
} vg_flow_t;

/* Table configuration; fill with vg_flow_cfg_default() then adjust. */
typedef struct vg_flow_cfg {
	uint32_t max_flows;                    /* default 65536 */
	uint64_t memcap;                       /* bytes for slab + buckets; 0 = no cap;
						* default 64 MiB */
	uint32_t timeout_s[VG_FLOW_TQ_COUNT];  /* idle timeouts per class */
	bool vlan_in_key;                      /* default true */
	uint64_t hash_seed;                    /* 0 = random (getrandom) */
	uint16_t cid_seed;                     /* Community ID seed, default 0 */
} vg_flow_cfg_t;

/* Called once for each flow leaving the table; f is valid during the
 * call only.  Must not call back into the table. */
typedef void (*vg_flow_end_fn)(void *ctx, vg_flow_t *f, int reason);

typedef struct vg_flow_stats {
	uint64_t created;
	uint64_t ended[4];  /* by enum vg_flow_end */
	uint64_t evicted;   /* == ended[VG_FLOW_END_EVICTED] */
	uint64_t untracked; /* packets not tracked (not IP, later fragments) */
	uint32_t active, max_active, capacity;
} vg_flow_stats_t;

typedef struct vg_flow_table vg_flow_table_t;

/* vg_flow_cfg_default: max_flows 65536, memcap 64 MiB, timeouts TCP new
 * 30 s, established 3600 s, closing 120 s, closed 10 s, UDP 60 s, ICMP
 * 30 s, other 60 s; VLAN in key; random hash seed; Community ID seed 0. */
void vg_flow_cfg_default(vg_flow_cfg_t *cfg);

/*
 * vg_flow_table_new: allocate a table sized from cfg (capacity =
 * max_flows, reduced so slab + buckets fit memcap).  end (may be NULL) is
 * called with ctx for every ending flow.  Returns 0, VG_EINVAL (max_flows 0
 * or memcap too small for one flow), VG_ENOMEM.
 */
int vg_flow_table_new(vg_flow_table_t **out, const vg_flow_cfg_t *cfg, vg_flow_end_fn end,
		      void *ctx);

/* vg_flow_table_free: free the table (NULL ok).  Flows still in it are
 * dropped WITHOUT callbacks; call vg_flow_flush() first to report them. */
void vg_flow_table_free(vg_flow_table_t *t);

/*
 * vg_flow_track: find or create the flow of decoded packet p seen at ts_us
 * (µs since the epoch) with wire_len bytes on the wire, update its
 * counters, TCP state and LRU position, and set *dir (VG_DIR_*; may be
 * NULL).  First expires flows idle past their timeout at ts_us (time never
 * goes backwards inside the table).  A full table evicts its least recently
 * active flow.  Returns NULL for packets that are not tracked: p->ipver 0,
 * or later fragments (p->frag == VG_FRAG_LATER; no reassembly).
 * A SYN (without ACK) on a CLOSED flow ends it and starts a new flow.
 */
vg_flow_t *vg_flow_track(vg_flow_table_t *t, const vg_pkt_t *p, uint64_t ts_us,
			 uint32_t wire_len, int *dir);

/* vg_flow_expire: end every flow idle past its timeout at now_us.  Call
 * on a timer when no packets arrive (live capture).  Returns flows ended. */
uint32_t vg_flow_expire(vg_flow_table_t *t, uint64_t now_us);

/* vg_flow_flush: end every flow with VG_FLOW_END_FLUSH, oldest first. */
void vg_flow_flush(vg_flow_table_t *t);

/* vg_flow_get_stats: copy the counters. */
void vg_flow_get_stats(const vg_flow_table_t *t, vg_flow_stats_t *out);

/* vg_flow_client / vg_flow_server: the client's / server's address. */
static inline const vg_ip_t *vg_flow_client(const vg_flow_t *f)
{
	return f->cli_is_a ? &f->key.a : &f->key.b;
}
static inline const vg_ip_t *vg_flow_server(const vg_flow_t *f)
{
	return f->cli_is_a ? &f->key.b : &f->key.a;
}

/* vg_flow_community_id: the flow's Community ID v1 string ("1:...="),
 * computed on first use with seed (must be the table's cid_seed). */
const char *vg_flow_community_id(vg_flow_t *f, uint16_t seed);

/* vg_flow_state_name: "new", "established", "closing", "closed". */
const char *vg_flow_state_name(int state);
/* vg_flow_end_name: Suricata-style flow.reason: "timeout", "closed",
 * "forced" (eviction), "shutdown" (flush). */
const char *vg_flow_end_name(int reason);

#endif
