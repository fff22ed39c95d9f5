/* SPDX-License-Identifier: Apache-2.0 */
/*
 * block_nft.h — keep vigil's nftables table in step with matches.
 *
 *   table inet vigil {
 *     set vigil_v4 { type ipv4_addr; flags interval, timeout; }
 *     set vigil_v6 { type ipv6_addr; flags interval, timeout; }
 *     chain prerouting|input|forward|output { ... drop to/from set members }
 *   }
 *
 *   vg_nft_t *n; vg_nft_new(&n, 256);  vg_nft_setup(n);
 *   on the packet path:  vg_nft_queue(n, ip, 128, timeout_s, pkt_ts_us);
 *   after the packet:    vg_nft_flush(n, report_fn, ctx);   // one nft batch
 *
 * Library code: never prints.  A failing libnftables call returns VG_EIO and
 * leaves nftables' own message in vg_nft_error(); vg_nft_denied() tells
 * "not permitted" (no CAP_NET_ADMIN) apart.  One vg_nft_t is single-threaded.
 */
#ifndef VG_WATCH_BLOCK_NFT_H
#define VG_WATCH_BLOCK_NFT_H

#include "vigil/common.h"

#define VG_NFT_TABLE "vigil"
#define VG_NFT_SET4 "vigil_v4"
#define VG_NFT_SET6 "vigil_v6"

typedef struct vg_nft vg_nft_t;

/* vg_nft_new: a libnftables context with a queue of queue_cap pending
 * elements (allocated now; queueing never allocates).  0 or VG_ENOMEM /
 * VG_EIO (libnftables context could not be created). */
int vg_nft_new(vg_nft_t **out, size_t queue_cap);
/* vg_nft_free: NULL ok. */
void vg_nft_free(vg_nft_t *n);

/* vg_nft_error: nftables' message for the last failure ("" when none):
 * the first "Error: ..." line, without the echoed command.  Borrowed. */
const char *vg_nft_error(const vg_nft_t *n);
/* vg_nft_denied: true when the last failure was "Operation not permitted". */
bool vg_nft_denied(const vg_nft_t *n);

/* vg_nft_setup: create table inet vigil, its two sets and four chains, and
 * (re)write the chains' drop rules, in one transaction.  Idempotent: set
 * elements already present are kept.  0 or VG_EIO. */
int vg_nft_setup(vg_nft_t *n);

/* vg_nft_delete: delete table inet vigil (and nothing else).  0, VG_ENOTFOUND
 * when there is no such table, or VG_EIO. */
int vg_nft_delete(vg_nft_t *n);

/* vg_nft_list_json: the table's two sets as nftables JSON (`nft -j list
 * set`), concatenated one document per line into a buffer owned by n, valid
 * until the next call.  0, VG_ENOTFOUND (no table) or VG_EIO. */
int vg_nft_list_json(vg_nft_t *n, const char **json);

/*
 * vg_nft_queue: queue net/prefix (prefix in the IPv6 space; IPv4-mapped
 * networks with prefix >= 96 go to vigil_v4) with a timeout in seconds (0 =
 * no timeout).  ts_us is the time of the packet that caused it (CLOCK_REALTIME
 * microseconds), kept to measure packet-to-block latency.  Never blocks or
 * allocates; an address already queued is not queued twice.  0, or
 * VG_ELIMIT when the queue is full (the element is dropped).
 */
int vg_nft_queue(vg_nft_t *n, const vg_ip_t *net, unsigned prefix, uint32_t timeout_s,
		 uint64_t ts_us);
/* vg_nft_pending: elements queued and not yet flushed. */
size_t vg_nft_pending(const vg_nft_t *n);

/* Per-element outcome of a flush. */
enum { VG_NFT_ADDED = 0, VG_NFT_COVERED = 1 /* already inside a set interval */ };

/* vg_nft_report_fn: status is VG_NFT_ADDED, VG_NFT_COVERED or a VG_E* code;
 * latency_us is from the packet (ts_us given to vg_nft_queue) to the moment
 * the batch was committed. */
typedef void (*vg_nft_report_fn)(void *ctx, const vg_ip_t *net, unsigned prefix, int status,
				 int64_t latency_us);

/*
 * vg_nft_flush: add every queued element in ONE nft command batch and empty
 * the queue.  When the batch fails because the table is gone, it is set up
 * again and retried once; when it fails otherwise (e.g. an element overlaps
 * an interval already in the set) each element is retried alone, and
 * overlaps are reported as VG_NFT_COVERED.  report may be NULL.  Returns 0
 * when every element is in force, else VG_EIO (vg_nft_error() says why).
 */
int vg_nft_flush(vg_nft_t *n, vg_nft_report_fn report, void *ctx);

/* A network for bulk loading. */
typedef struct vg_nft_net {
	vg_ip_t net;
	unsigned prefix; /* IPv6 space */
} vg_nft_net_t;

typedef struct vg_nft_bulk_stats {
	uint64_t v4_elems, v6_elems; /* intervals written after merging */
	uint64_t covered;            /* elements already inside the sets */
	uint64_t batches;
} vg_nft_bulk_stats_t;

/*
 * vg_nft_add_bulk: add count networks (sorted and merged here: overlapping or
 * adjacent networks become one interval, so the interval sets accept them)
 * in batches of at most chunk elements (0: 65536), each with timeout_s (0 =
 * none).  nets is reordered.  A batch that fails is retried element by
 * element; elements overlapping what is already in the sets are counted as
 * covered.  0 or VG_EIO (stops at the first real failure) / VG_ENOMEM.
 */
int vg_nft_add_bulk(vg_nft_t *n, vg_nft_net_t *nets, size_t count, uint32_t timeout_s,
		    size_t chunk, vg_nft_bulk_stats_t *st);

#endif
