/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hub/spool.h — the sensor's on-disk queue of sighting batches not yet
 * acknowledged by the hub (`vigil watch --spool DIR`).
 *
 * One file per batch, DIR/<16-digit seq>-<batch_id>.json, written to a
 * temporary name, fsync'd, renamed and the directory fsync'd, so a batch is
 * either wholly on disk or absent after a crash.  Names sort in creation
 * order; a new spool continues after the highest seq found.  A file is
 * deleted only once the hub acknowledged it (vg_hub_spool_ack).  The total
 * size is bounded: a put that would exceed the bound first drops the oldest
 * batches (counted, logged as a warning).  A file that cannot be read or is
 * not a batch (JSON object whose batch_id matches its name) is moved to
 * DIR/rejected/ with a warning naming it, as are batches the hub refused.
 * Without a directory the queue lives in memory (same bound; lost on exit).
 *
 * Not thread-safe: one owner (the client's sender thread).
 */
#ifndef VG_HUB_SPOOL_H
#define VG_HUB_SPOOL_H

#include "hub/client.h"

#include <stddef.h>
#include <stdint.h>

typedef struct vg_hub_spool vg_hub_spool_t;

/* vg_hub_spool_open — dir NULL: in memory.  Creates dir (0700) and
 * dir/rejected when missing, removes stale temporary files, lists the
 * batches in order and sets aside the corrupt ones (log).  max_bytes 0 =
 * 64 MiB.  Returns 0, VG_EIO (errno kept; message logged) or VG_ENOMEM. */
int vg_hub_spool_open(vg_hub_spool_t **out, const char *dir, uint64_t max_bytes,
		      vg_hub_log_fn log, void *log_ctx);

/* vg_hub_spool_put — add one batch (json, len bytes) as the newest.  When
 * the spool would exceed its bound, the oldest batches are dropped first
 * (each counted and logged); a batch larger than the whole bound is
 * refused (VG_ELIMIT).  0, VG_EINVAL (batch_id not 36 chars of [0-9a-f-]),
 * VG_ELIMIT, VG_EIO (logged) or VG_ENOMEM. */
int vg_hub_spool_put(vg_hub_spool_t *s, const char *batch_id, const char *json, size_t len);

/* vg_hub_spool_peek — the oldest batch: *json (malloc'd, NUL-terminated;
 * the caller frees it), *len, and its batch id (valid until the next call).
 * A file that became unreadable or corrupt is set aside (logged) and the
 * next one is tried.  0, VG_ENOTFOUND (empty) or VG_ENOMEM. */
int vg_hub_spool_peek(vg_hub_spool_t *s, char **json, size_t *len, const char **batch_id);

/* vg_hub_spool_ack — delete the oldest batch (the hub acknowledged it). */
int vg_hub_spool_ack(vg_hub_spool_t *s);

/* vg_hub_spool_reject — move the oldest batch to DIR/rejected/ (in memory:
 * drop it) and log reason with its name. */
int vg_hub_spool_reject(vg_hub_spool_t *s, const char *reason);

/* counters */
size_t vg_hub_spool_count(const vg_hub_spool_t *s);
uint64_t vg_hub_spool_bytes(const vg_hub_spool_t *s);
uint64_t vg_hub_spool_dropped(const vg_hub_spool_t *s);  /* dropped: bound */
uint64_t vg_hub_spool_corrupt(const vg_hub_spool_t *s);  /* set aside: unreadable */

/* vg_hub_spool_name — file name of entry i (0 = oldest), for tests and
 * logs; NULL beyond the end. */
const char *vg_hub_spool_name(const vg_hub_spool_t *s, size_t i);

/* vg_hub_spool_close — NULL ok.  Files stay on disk. */
void vg_hub_spool_close(vg_hub_spool_t *s);

#endif
