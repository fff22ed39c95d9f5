/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hub/client.h — the sensor side of `vigil hub`: sightings reported by
 * `vigil watch --hub URL --token T` (HUB_API.md, POST /sightings).
 *
 *   packet thread                     sender thread (libcurl)
 *   on_sighting -> vg_hub_client_sighting
 *        aggregate (indicator, class)  every interval: swap tables, render
 *        in a bounded table            batches (fresh UUIDv4 batch_id), spool
 *                                      them (fsync) BEFORE the first send,
 *                                      POST in order, delete on 200, retry
 *                                      with backoff on errors / 5xx / 429
 *
 * Three layers, usable separately (and unit-tested separately):
 *  - vg_hub_agg_*: the aggregation table (single-threaded, fixed memory);
 *  - vg_hub_batch_json: the exact request body;
 *  - vg_hub_client_*: the thread pair above (spool in hub/spool.h).
 * Library code: never prints; diagnostics go through the log callback.
 */
#ifndef VG_HUB_CLIENT_H
#define VG_HUB_CLIENT_H

#include "lib/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Log levels of vg_hub_log_fn. */
enum { VG_HUB_LOG_ERR = 0, VG_HUB_LOG_WARN = 1, VG_HUB_LOG_INFO = 2 };

/* vg_hub_log_fn — one diagnostic line (no trailing newline).  Called from
 * the sender thread (or the caller's thread for vg_hub_spool_open). */
typedef void (*vg_hub_log_fn)(void *ctx, int level, const char *msg);

#define VG_HUB_BATCH_MAX 10000u         /* sightings per POST (HUB_API.md) */
#define VG_HUB_AGG_ENTRIES_DEFAULT 4096u
#define VG_HUB_AGG_ARENA_DEFAULT ((size_t)1 << 20)
#define VG_HUB_INDICATOR_MAX 2048u      /* longer indicators are cut (never by the engine) */

/* ---- aggregation --------------------------------------------------------------------- */

/* One aggregated sighting; strings point into the table (valid until clear). */
typedef struct vg_hub_agg_entry {
	const char *indicator, *type, *device_class;
	int tlp;             /* strictest VG_TLP_* seen (0 = unset) */
	uint64_t first_us, last_us;
	uint64_t count;
} vg_hub_agg_entry_t;

typedef struct vg_hub_agg vg_hub_agg_t;

/* vg_hub_agg_new — a table of at most max_entries distinct (indicator,
 * type, device class) keys whose strings fit in arena_bytes; all memory is
 * allocated here.  max_entries 1..1,000,000.  0, VG_EINVAL or VG_ENOMEM. */
int vg_hub_agg_new(vg_hub_agg_t **out, uint32_t max_entries, size_t arena_bytes);

/* vg_hub_agg_add — count one sighting: a known key gets count+1, last/first
 * widened and the strictest TLP kept; a new key takes the next entry.
 * device_class NULL or "" means "unknown".  Never allocates.  Returns 0, or
 * VG_ELIMIT when the key is new and the table (or its arena) is full: the
 * sighting is dropped and counted in vg_hub_agg_dropped. */
int vg_hub_agg_add(vg_hub_agg_t *a, const char *indicator, const char *type,
		   const char *device_class, int tlp, uint64_t ts_us);

/* vg_hub_agg_count — entries in insertion order 0..count-1. */
uint32_t vg_hub_agg_count(const vg_hub_agg_t *a);
/* vg_hub_agg_get — entry i (< count), or NULL. */
const vg_hub_agg_entry_t *vg_hub_agg_get(const vg_hub_agg_t *a, uint32_t i);
/* vg_hub_agg_dropped — sightings dropped since the last clear. */
uint64_t vg_hub_agg_dropped(const vg_hub_agg_t *a);
/* vg_hub_agg_clear — forget every entry and the drop counter. */
void vg_hub_agg_clear(vg_hub_agg_t *a);
/* vg_hub_agg_free — NULL ok. */
void vg_hub_agg_free(vg_hub_agg_t *a);

/* ---- the request body ---------------------------------------------------------------- */

/* vg_hub_uuid4 — a random (getrandom) RFC 4122 version 4 UUID, lowercase,
 * into out (37 bytes with the NUL).  0 or VG_EIO. */
int vg_hub_uuid4(char out[37]);

/* vg_hub_batch_json — append to b the POST /sightings body for entries
 * [from, from+n) of a, exactly:
 *   {"batch_id":"<id>","sensor":"<sensor>","sightings":[{"indicator":"..",
 *   "type":"..","first_seen":"2026-11-28T01:02:03Z","last_seen":"..",
 *   "count":N,"device_class":"..","tlp":".."},...]}
 * (no spaces; times are UTC seconds, cut down; an unset TLP is sent as
 * "amber").  Returns 0, VG_EINVAL (range or n > VG_HUB_BATCH_MAX) or
 * VG_ENOMEM. */
int vg_hub_batch_json(vg_buf_t *b, const char *batch_id, const char *sensor,
		      const vg_hub_agg_t *a, uint32_t from, uint32_t n);

/* ---- the client (threads) ------------------------------------------------------------ */

typedef struct vg_hub_client_cfg {
	const char *url;        /* hub base URL ("https://hub:8443"); /sightings appended */
	const char *token;      /* Bearer token (NULL: none) */
	const char *sensor;     /* this sensor's name (required) */
	const char *ca_file;    /* CA bundle for https (NULL: system) */
	const char *spool_dir;  /* NULL: batches kept in memory only (lost on exit) */
	uint64_t spool_max;     /* bound on the spool's bytes (0: 64 MiB) */
	unsigned interval_ms;   /* aggregation interval (0: 10,000) */
	uint32_t max_entries;   /* aggregation table (0: VG_HUB_AGG_ENTRIES_DEFAULT) */
	unsigned backoff_max_s; /* retry backoff cap (0: 60); starts at 1 s, doubles */
	unsigned timeout_s;     /* one HTTP exchange (0: 30) */
	vg_hub_log_fn log;      /* may be NULL */
	void *log_ctx;
} vg_hub_client_cfg_t;

typedef struct vg_hub_client_stats {
	uint64_t sightings;       /* calls to vg_hub_client_sighting */
	uint64_t dropped;         /* of those, dropped: aggregation table full */
	uint64_t batches;         /* batches written to the spool */
	uint64_t sent;            /* acknowledged (200, new) */
	uint64_t duplicates;      /* acknowledged as duplicate:true */
	uint64_t retries;         /* failed attempts that will be retried */
	uint64_t rejected;        /* moved to rejected/ (4xx) */
	uint64_t spool_dropped;   /* oldest batches dropped: spool full */
	uint64_t corrupt;         /* unreadable spool files set aside */
	uint64_t pending;         /* batches in the spool now */
} vg_hub_client_stats_t;

typedef struct vg_hub_client vg_hub_client_t;

/* vg_hub_client_start — open the spool (replaying what a previous run left,
 * in order), start the sender thread.  cfg's strings are copied.  Returns 0,
 * VG_EINVAL (no url/sensor), VG_EIO (spool directory unusable: logged) or
 * VG_ENOMEM. */
int vg_hub_client_start(vg_hub_client_t **out, const vg_hub_client_cfg_t *cfg);

/* vg_hub_client_sighting — the engine's on_sighting, on the packet thread:
 * counts into the current table (a spin lock shared only with the sender's
 * pointer swap; no I/O, no allocation).  Never blocks on the network. */
void vg_hub_client_sighting(vg_hub_client_t *c, const char *indicator, const char *type,
			    const char *device_class, int tlp, uint64_t ts_us);

/* vg_hub_client_stop — spool what is aggregated, try to send every pending
 * batch once (in order; stops at the first failure, which stays spooled for
 * the next run), and join the sender.  Idempotent. */
void vg_hub_client_stop(vg_hub_client_t *c);

/* vg_hub_client_get_stats — counters (any thread). */
void vg_hub_client_get_stats(vg_hub_client_t *c, vg_hub_client_stats_t *st);

/* vg_hub_client_free — stop (if needed) and free.  NULL ok. */
void vg_hub_client_free(vg_hub_client_t *c);

#endif
