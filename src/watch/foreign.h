/* SPDX-License-Identifier: Apache-2.0 */
/*
 * foreign.h — the foreign-server policy of `vigil watch --home-country`:
 * a device inside a watched internal net (e.g. the camera VLAN) that opens
 * a flow to a server in another country, not allowlisted, raises a
 * "foreign-destination" alert, aggregated per (device, country,
 * destination): the first flow of a triple emits the alert, later flows
 * only count; the aggregates are written as "foreign" events on demand.
 *
 *   vg_foreign_new(&fo, &fcfg, write, wctx);
 *   wcfg.on_flow = vg_foreign_on_flow; wcfg.flow_ctx = fo;   // engine hook
 *   ... vg_foreign_emit(fo);   // at exit and on SIGUSR1
 *   vg_foreign_free(fo);
 *
 * Single-threaded (the engine's thread); geo and allow are borrowed.
 */
#ifndef VG_WATCH_FOREIGN_H
#define VG_WATCH_FOREIGN_H

#include "intel/geo.h"
#include "watch/engine.h"

#define VG_FOREIGN_SID 8800050
#define VG_FOREIGN_MAX_NETS 64

typedef struct vg_foreign_cfg {
	const vg_geo_t *geo;      /* required */
	const vg_store_t *allow;  /* allowlisted destinations (IPs/CIDRs), may be NULL */
	char home[3];             /* home country, uppercase ISO alpha-2 */
	vg_ip_t nets[VG_FOREIGN_MAX_NETS]; /* watched internal nets */
	uint8_t prefix[VG_FOREIGN_MAX_NETS]; /* in the IPv6 space (v4: 96 + len) */
	int n_nets;               /* 0: no device is watched */
	bool unknown_is_foreign;  /* a destination in no database counts as "ZZ" */
	uint32_t max_pairs;       /* aggregates kept (default 100000) */
	uint16_t cid_seed;        /* Community ID seed of the alerts */
	vg_watch_annotate_fn annotate; /* adds keys to each alert (the device), may be NULL */
	void *annotate_ctx;
} vg_foreign_cfg_t;

typedef struct vg_foreign_stats {
	uint64_t flows_checked; /* new flows from a watched net */
	uint64_t alerts;        /* foreign-destination alerts (= new triples) */
	uint64_t flows_foreign; /* flows counted in some aggregate */
	uint64_t pairs;         /* aggregates held */
	uint64_t dropped;       /* foreign flows not counted: table full */
	uint64_t allowed;       /* foreign flows to an allowlisted destination */
	uint64_t geo_errors;    /* lookups that hit a damaged MMDB */
} vg_foreign_stats_t;

typedef struct vg_foreign vg_foreign_t;

/*
 * vg_foreign_parse_net: parse "ADDR/LEN" or "ADDR" (a host) into net and a
 * prefix in the IPv6 space.  Host bits are cleared.  0 or VG_EINVAL.
 */
int vg_foreign_parse_net(const char *s, vg_ip_t *net, uint8_t *prefix);

/* vg_foreign_new: cfg is copied; write/wctx receive each event as one JSON
 * line (no newline), like the engine's writer.  0 or VG_ENOMEM/VG_EINVAL. */
int vg_foreign_new(vg_foreign_t **out, const vg_foreign_cfg_t *cfg, vg_watch_write_fn write,
		   void *wctx);

/* vg_foreign_on_flow: the engine hook (vg_watch_cfg_t.on_flow, ctx = the
 * vg_foreign_t).  Allocates only when the aggregate table grows. */
void vg_foreign_on_flow(void *ctx, vg_flow_t *f, const vg_raw_pkt_t *raw);

/* vg_foreign_emit: write one event_type "foreign" event per aggregate, in
 * order of first occurrence (timestamp = the last packet time seen). */
void vg_foreign_emit(vg_foreign_t *fo);

void vg_foreign_get_stats(const vg_foreign_t *fo, vg_foreign_stats_t *st);

/* vg_foreign_free: NULL ok. */
void vg_foreign_free(vg_foreign_t *fo);

#endif
