/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine.h — the watch engine: packets in, EVE events out.
 *
 *   vg_watch_t *w; vg_watch_new(&w, &cfg, store, write_fn, ctx);
 *   while (vg_src_next(src, &raw) == 1) vg_watch_packet(w, &raw);
 *   vg_watch_finish(w);      // ends every flow (flow events), then stats
 *   vg_watch_free(w);
 *
 * The engine joins net/ (decode, flows, app parsers) and intel/ (the
 * store): parsers produce observations (an IP pair, a DNS name, an SNI, a
 * Host, a URL), each is looked up in the store, and matches become alerts,
 * one per (flow, indicator).  Events are formatted only when emitted and
 * handed to write_fn as one JSON line (no trailing newline).
 *
 * One engine is single-threaded; the store it reads is immutable and may be
 * swapped between packets with vg_watch_set_store().
 */
#ifndef VG_WATCH_ENGINE_H
#define VG_WATCH_ENGINE_H

#include "net/flow.h"
#include "net/source.h"
#include "vigil/intel.h"

enum {
	VG_LOG_FLOW = 1,
	VG_LOG_DNS = 2,
	VG_LOG_TLS = 4,
	VG_LOG_HTTP = 8,
};

/*
 * vg_watch_action_fn — called once per alert whose remote end can be acted
 * on (every matched_on except the DNS ones, whose "remote" is a resolver):
 * remote is the listed peer (the server, or the client for ip.src), port its
 * port (0 for ICMP), proto the IP protocol, ts_us the packet time.  Runs on
 * the packet path: it must not block (queue the work, e.g. an nftables set
 * update batched per packet).
 */
typedef void (*vg_watch_action_fn)(void *ctx, const vg_ip_t *remote, uint16_t port, uint8_t proto,
				   const char *matched_on, uint64_t ts_us);

/*
 * vg_watch_flow_fn — called once per new flow, right after its IP checks
 * (the flow's first packet; raw is that packet).  Runs on the packet path:
 * it must not block.  Used by the foreign-destination policy (foreign.h).
 */
typedef void (*vg_watch_flow_fn)(void *ctx, vg_flow_t *f, const vg_raw_pkt_t *raw);
struct vg_hist;
struct vg_jw;

/*
 * vg_watch_pkt_fn — called for every decoded IP packet after flow tracking
 * (f NULL when untracked; dir VG_DIR_*).  flow_bits is a per-flow word the
 * hook owns (zero at flow creation; NULL when f is NULL).  Runs on the
 * packet path: filter cheaply, never block, never allocate.  Used by the
 * device inventory (dev/).
 */
typedef void (*vg_watch_pkt_fn)(void *ctx, const vg_pkt_t *p, vg_flow_t *f, int dir,
				uint32_t *flow_bits, uint64_t ts_us);

/*
 * vg_watch_annotate_fn — called while an alert or flow event is formatted,
 * after the standard fields: may add keys to the open top-level object j
 * (e.g. "device": {...}).  client/server are the flow's ends (for
 * flowless alerts: the packet's source and destination).
 */
typedef void (*vg_watch_annotate_fn)(void *ctx, struct vg_jw *j, const vg_ip_t *client,
				     const vg_ip_t *server);

/*
 * vg_watch_sighting_fn — called once per indicator alert, after it is
 * written: indicator is its canonical text, type its type name ("domain"),
 * tlp the first source's TLP (VG_TLP_*, 0 = none), client the flow's
 * client (the local device, usually), ts_us the packet time.  Used by the
 * hub client (sightings).  Must not block.
 */
typedef void (*vg_watch_sighting_fn)(void *ctx, const char *indicator, const char *type, int tlp,
				     const vg_ip_t *client, uint64_t ts_us);

typedef struct vg_watch_cfg {
	vg_watch_action_fn on_alert; /* may be NULL */
	void *action_ctx;
	vg_watch_flow_fn on_flow;    /* may be NULL */
	void *flow_ctx;
	vg_watch_pkt_fn on_packet;   /* may be NULL */
	void *pkt_ctx;
	vg_watch_annotate_fn annotate; /* may be NULL */
	void *annotate_ctx;
	vg_watch_sighting_fn on_sighting; /* may be NULL */
	void *sighting_ctx;
	vg_flow_cfg_t flow;     /* flow table limits and timeouts */
	unsigned log_mask;      /* VG_LOG_*: event types logged besides alerts */
	bool dns_any_port;      /* parse DNS on any port when it looks like DNS */
	uint32_t realert_s;     /* re-alert a long-lived flow after this; 0 = never */
	uint32_t reasm_bytes;   /* bytes reassembled per client stream (16 KiB) */
	uint32_t reasm_buffers; /* reassembly buffers in the pool (1024) */
	uint32_t dnscache_max;  /* IP -> listed name entries (4096) */
	struct vg_hist *history; /* observation history (watch/history.h); NULL = off */
} vg_watch_cfg_t;

/* vg_watch_cfg_default: defaults as noted above. */
void vg_watch_cfg_default(vg_watch_cfg_t *cfg);

typedef void (*vg_watch_write_fn)(void *ctx, const char *line, size_t len);

typedef struct vg_watch vg_watch_t;

/* vg_watch_new: store is borrowed (the caller keeps it alive while in use). */
int vg_watch_new(vg_watch_t **out, const vg_watch_cfg_t *cfg, const vg_store_t *store,
		 vg_watch_write_fn write, void *ctx);
void vg_watch_free(vg_watch_t *w);

/* vg_watch_set_store: use another store from the next packet on; returns
 * the previous one (the caller frees it). */
const vg_store_t *vg_watch_set_store(vg_watch_t *w, const vg_store_t *store);

/* vg_watch_packet: process one captured frame. */
void vg_watch_packet(vg_watch_t *w, const vg_raw_pkt_t *raw);

/* vg_watch_tick: advance time without a packet (live capture, idle). */
void vg_watch_tick(vg_watch_t *w, uint64_t now_us);

/* vg_watch_finish: end every flow (emitting flow events when logged). */
void vg_watch_finish(vg_watch_t *w);

typedef struct vg_watch_stats {
	uint64_t pkts, bytes;
	uint64_t decode[64];     /* by enum vg_dec_reason */
	uint64_t alerts;
	uint64_t events;         /* all events written */
	uint64_t dns, tls, http, quic;           /* messages parsed */
	uint64_t dns_err, tls_err, http_err;     /* parser errors */
	uint64_t reasm_exhausted;                /* no free reassembly buffer */
	uint64_t dnscache_entries, dnscache_evicted;
	uint64_t first_us, last_us;
	vg_flow_stats_t flow;
	vg_src_stats_t capture;
} vg_watch_stats_t;

void vg_watch_get_stats(const vg_watch_t *w, vg_watch_stats_t *st);

/* vg_watch_note_alerts: count n alerts written by modules outside the
 * engine (the foreign-destination policy) in the stats and the summary. */
void vg_watch_note_alerts(vg_watch_t *w, uint64_t n);

/* vg_watch_emit_stats: write a "stats" event (capture stats from cap, may
 * be NULL). */
void vg_watch_emit_stats(vg_watch_t *w, const vg_src_stats_t *cap);

/* Signature id of the stale-feed alert (vg_watch_emit_feed_alert). */
#define VG_SID_STALE_FEED 8800090u

/*
 * vg_watch_emit_feed_alert — write a "stale-feed" alert event: feed (its
 * name) was last verified with seq and its signed time (or file mtime)
 * feed_time (seconds since the epoch), which is more than max_age_s before
 * now_us (wall clock, microseconds; also the event timestamp).  Counted as
 * an alert.  Call between packets, from the thread that owns w.
 */
void vg_watch_emit_feed_alert(vg_watch_t *w, uint64_t now_us, const char *feed, uint64_t seq,
			      int64_t feed_time, int64_t max_age_s);

#endif
