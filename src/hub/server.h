/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.h — creating and running the hub's HTTP server (server.c); the
 * command layer (src/cmd/hub.c) uses this, handlers use hub.h.
 */
#ifndef VG_HUB_SERVER_H
#define VG_HUB_SERVER_H

#include "hub/hub.h"

/* Server configuration; strings are borrowed for the hub's lifetime. */
typedef struct vg_hub_cfg {
	const char *listen;     /* "ADDR:PORT", "[V6]:PORT"; port 0 = any free port */
	const char *db_url;     /* sqlite:FILE or postgresql://... */
	const char *cert, *key; /* PEM files; both or neither */
	const char *www;        /* static files for /dashboard/ */
	const vg_sign_seckey_t *feed_key; /* may be NULL */
	size_t max_body;        /* bytes */
	unsigned timeout;       /* seconds per request (idle and body upload) */
	unsigned threads;       /* worker threads */
	unsigned max_conns;     /* concurrent connections */
	unsigned shutdown_wait; /* seconds to let in-flight requests finish */
} vg_hub_cfg_t;

/* Diagnostics of the server (startup warnings, fatal errors), to the
 * command layer which prints them. */
typedef void (*vg_hub_log_fn)(void *ctx, int sev, const char *msg);

/*
 * vg_hub_new — a hub for cfg: opens the database pool (threads + 2
 * connections, migrations applied), registers the built-in routes and
 * hub-cli's (vg_hub_routes_cli).  Does not listen yet.  On error writes a
 * reason to err.  Returns 0, VG_EINVAL, VG_EIO, VG_ENOMEM, VG_EVERSION.
 */
int vg_hub_new(const vg_hub_cfg_t *cfg, vg_hub_log_fn log, void *log_ctx, vg_hub_t **out,
	       char *err, size_t errn);

/*
 * vg_hub_start — listen and serve on libmicrohttpd's thread pool.  Writes
 * the bound port to *port.  Returns 0, VG_EINVAL (bad address, TLS
 * files), VG_EIO (cannot bind; err says why).
 */
int vg_hub_start(vg_hub_t *hub, unsigned *port, char *err, size_t errn);

/*
 * vg_hub_stop — graceful stop: stop accepting, let in-flight requests
 * finish (up to cfg.shutdown_wait seconds), then close.  Idempotent.
 */
void vg_hub_stop(vg_hub_t *hub);

/* vg_hub_free: stop if needed and release everything (NULL ok). */
void vg_hub_free(vg_hub_t *hub);

#endif
