/* SPDX-License-Identifier: Apache-2.0 */
/*
 * feedurl.h — verified feeds for `vigil watch`: --feed-url polling (libcurl,
 * ETag / If-Modified-Since, minisign verification, replay protection),
 * store rebuilds off the packet thread, and --max-age stale-feed alerts.
 */
#ifndef VG_CMD_FEEDURL_H
#define VG_CMD_FEEDURL_H

#include "cmd/load.h"
#include "watch/engine.h"

#include <stdint.h>

#define VG_FEEDURL_INTERVAL_DEFAULT 300u
#define VG_FEEDURL_MAX_BYTES_DEFAULT ((uint64_t)512 << 20)

typedef struct vg_feedurl_cfg {
	char **urls;             /* --feed-url, n_urls entries (borrowed) */
	int n_urls;
	char **files;            /* --feed files, rebuilt together with the URLs */
	int n_files;
	const struct vg_cmd_load_opts *load; /* format, strict, allow_reserved, pubkey */
	unsigned interval_s;     /* poll and stale-check interval (0 = default) */
	uint64_t max_bytes;      /* largest feed accepted (0 = default) */
	const char *state_dir;   /* last accepted seq per feed name on disk, or NULL */
	int64_t max_age_s;       /* 0: no stale-feed alerts */
	const char *token;       /* hub token: "Authorization: Bearer" on every fetch, or NULL */
	const char *sensor;      /* "X-Vigil-Sensor:" on every fetch (hub freshness), or NULL */
} vg_feedurl_cfg_t;

typedef struct vg_feedurl vg_feedurl_t;

/*
 * vg_feedurl_parse_duration — "3600", "45s", "90m", "24h", "7d" into
 * seconds (> 0).  0, or -1 on a malformed or zero value.
 */
int vg_feedurl_parse_duration(const char *s, int64_t *out);

/*
 * vg_feedurl_start — load cfg's files, fetch every URL once (synchronously),
 * build the first store into *store (never NULL on success: possibly empty
 * when nothing could be fetched; each failure is logged on stderr), and
 * start the polling thread when there are URLs.  cfg and the strings it
 * points to must outlive the handle.  Requires cfg->load->pubkey when
 * there are URLs (VG_EINVAL, logged).  Returns 0; VG_EINVAL, VG_ENOMEM, or
 * VG_EIO when a --feed file could not be loaded (logged; nothing started).
 */
int vg_feedurl_start(vg_feedurl_t **out, const vg_feedurl_cfg_t *cfg, vg_store_t **store);

/*
 * vg_feedurl_poll — called by the main loop between packets (same thread
 * as vg_watch_*): when the poller has built a new store, swap it into w
 * (vg_watch_set_store), free the previous one and update *cur; and when
 * max-age is set, emit a stale-feed alert for each feed older than it,
 * once per interval.  now is wall-clock seconds.  Cheap when nothing is due.
 */
void vg_feedurl_poll(vg_feedurl_t *fu, vg_watch_t *w, vg_store_t **cur, int64_t now);

/* vg_feedurl_reload — ask the poller to re-read the files and poll every URL
 * now (SIGHUP); the result arrives through vg_feedurl_poll.  Signal-unsafe:
 * call from the main loop. */
void vg_feedurl_reload(vg_feedurl_t *fu);

/* vg_feedurl_free — stop and join the poller, free everything it holds
 * (including a built store not yet swapped in).  NULL ok. */
void vg_feedurl_free(vg_feedurl_t *fu);

#endif
