/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dev/invdb.h — the device inventory in SQLite (`--inventory FILE`).
 *
 *   vg_invdb_open(&db, path, false, err, sizeof err);
 *   vg_invdb_load(db, inv, err, sizeof err);     // on start: survive restarts
 *   ... vg_invdb_flush(db, inv, now, false, ...) // after packets: <= 1/s
 *   vg_invdb_flush(db, inv, now, true, ...);     // at exit
 *   vg_invdb_close(db);
 *
 * WAL journal, synchronous=NORMAL: a committed transaction survives a
 * killed process (kill -9); a power loss may lose the last commits.  Each
 * flush writes every changed device and destination in ONE transaction
 * through prepared statements, so a killed sensor loses at most what
 * changed since the last flush (at most one second).  The schema carries a
 * version number (PRAGMA user_version); older schemas are migrated in
 * place on open, newer ones are refused (VG_EVERSION).
 *
 * Not thread-safe; one writer process per file (SQLite locks the rest out
 * with VG_EIO "database is locked" after busy_timeout).
 */
#ifndef VG_DEV_INVDB_H
#define VG_DEV_INVDB_H

#include "dev/inventory.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VG_INVDB_SCHEMA 1

typedef struct vg_invdb vg_invdb_t;

/* vg_invdb_open: open (readonly: must exist) or create path and migrate
 * its schema.  0, VG_EIO, VG_EVERSION, VG_ECORRUPT (not an inventory);
 * err gets "PATH: reason". */
int vg_invdb_open(vg_invdb_t **out, const char *path, bool readonly, char *err, size_t errlen);

/* vg_invdb_load: read every device and destination into inv (which should
 * be empty).  Rows beyond inv's limits are counted as dropped.  0 or
 * VG_EIO/VG_ENOMEM with err. */
int vg_invdb_load(vg_invdb_t *db, vg_inv_t *inv, char *err, size_t errlen);

/*
 * vg_invdb_flush: when inv has changes and (force, or at least interval_us
 * since the last flush by now_us, a monotonic clock), write them in one
 * transaction and mark inv clean.  Returns 1 flushed, 0 nothing to do / not
 * yet, VG_EIO (err set; the changes stay dirty for the next try).
 */
int vg_invdb_flush(vg_invdb_t *db, vg_inv_t *inv, uint64_t now_us, uint64_t interval_us,
		   bool force, char *err, size_t errlen);

/* vg_invdb_close: NULL ok. */
void vg_invdb_close(vg_invdb_t *db);

#endif
