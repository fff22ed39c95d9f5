/* SPDX-License-Identifier: Apache-2.0 */
/*
 * retro.h — retro-hunt: match a store against the observation history
 * (history.h) and write one EVE event of event_type "retro" per
 * (observation, indicator).
 */
#ifndef VG_WATCH_RETRO_H
#define VG_WATCH_RETRO_H

#include "watch/engine.h"
#include "watch/history.h"

typedef struct vg_retro_opts {
	uint64_t since_us, until_us; /* observation time window; 0 = open */
	int64_t now;                 /* unix seconds for expiry of indicators; 0 = none */
} vg_retro_opts_t;

typedef struct vg_retro_stats {
	uint64_t segments, records, in_window, lookups, events, damaged;
	uint64_t bytes; /* segment bytes scanned */
} vg_retro_stats_t;

/* Called for each segment that could not be read fully (file = its name,
 * msg = the reason); the records before the damage were hunted. */
typedef void (*vg_retro_warn_fn)(void *ctx, const char *file, const char *msg);

/*
 * vg_retro_hunt — scan every segment of dir (time order, each mapped and
 * read sequentially) and report each observation the store matches:
 *   flow         remote address with port  (matched_on ip.dst / ip.dst_port)
 *   DNS question name, parent domains too  (dns.query)
 *   DNS answer   address                   (dns.answer_ip)
 *   TLS/QUIC SNI, HTTP Host: name, or address when literal
 *                                          (tls.sni, quic.sni, http.host)
 * Each distinct value is looked up once per segment (per-id caches of "not
 * listed").  Events go to write (one JSON line, no newline).  st may be
 * NULL.  Returns 0, VG_EIO (dir unreadable), VG_ENOMEM.
 */
int vg_retro_hunt(const char *dir, const vg_store_t *store, const vg_retro_opts_t *o,
		  vg_watch_write_fn write, void *wctx, vg_retro_warn_fn warn, void *warnctx,
		  vg_retro_stats_t *st);

#endif
