/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan/quarantine.h — the quarantine store of `vigil scan --quarantine DIR`.
 *
 * Layout of DIR (all 0700, owned by the scanning user):
 *   DIR/files/ID        the defanged copy, mode 0400: the 8-byte header
 *                       "VGQUAR01" followed by the original content with
 *                       every byte XOR-ed with 0xA5 (so it is neither
 *                       executable nor under its original form or name);
 *   DIR/index/ID.json   the index entry, one JSON object per file, always
 *                       replaced atomically (write .ID.tmp, fsync, rename,
 *                       fsync the directory);
 *   DIR/tmp/ID          a copy being written.
 * ID is 32 lowercase hex digits (128 random bits).
 *
 * An index entry: {"id", "state": "copied"|"done", "path" (absolute: a
 * relative path is prefixed with the working directory; UTF-8, invalid
 * bytes replaced by U+FFFD, then "path_hex" holds the exact bytes), "mode",
 * "uid", "gid", "size", "dev", "ino", "atime_ns", "mtime_ns" (nanoseconds
 * since the epoch), "quarantined" (ISO 8601 UTC), "quarantined_ns",
 * "sha256" (of the original content as copied), "defang": "xor-a5-v1",
 * "info" (the caller's JSON object)}.
 */
#ifndef VG_SCAN_QUARANTINE_H
#define VG_SCAN_QUARANTINE_H

#include "vigil/common.h"

#include <stdint.h>
#include <sys/stat.h>

typedef struct vg_quar vg_quar_t;

/*
 * vg_quar_open — open (creating it, 0700) the store at dir, and repair what
 * an interrupted vg_quar_put left (never deleting anything of the user's):
 *  - a copy in tmp/ without an index entry: removed (the original was not
 *    touched yet);
 *  - an entry "copied" whose copy is still in tmp/: rolled back when the
 *    original still exists, else the copy is moved into files/ and the
 *    entry marked "done";
 *  - an entry "copied" whose copy is in files/: marked "done" (when the
 *    original still exists it is left in place and the entry gets
 *    "original_present": true);
 *  - an entry without a copy anywhere: removed when the original exists,
 *    else kept and reported.
 * Each repair is reported through diag (VG_SEV_WARN, file = the entry's
 * index path; may be NULL).  The environment variable VIGIL_QUAR_CRASH_AT=N
 * (tests only) makes vg_quar_put call _exit(99) right after its step N
 * (1 copy written, 2 copy fsynced, 3 index "copied" written, 4 renamed into
 * files/, 5 directory fsynced, 6 original unlinked, 7 entry marked "done").
 * Returns 0, VG_EIO (errno kept), VG_ENOMEM.
 */
int vg_quar_open_ex(vg_quar_t **out, const char *dir, vg_diag_fn diag, void *ctx);
/* vg_quar_open: vg_quar_open_ex without diagnostics. */
int vg_quar_open(vg_quar_t **out, const char *dir);

/*
 * vg_quar_put — move path into quarantine, crash-safely: copy to tmp/,
 * fsync, write the index entry ("copied"), rename into files/, fsync the
 * directory, unlink the original, mark the entry "done".  A kill at any
 * point leaves the original, the copy, or both.
 *  fd         an open read-only fd of the same file (read with pread from
 *             offset 0; not closed) or -1 (path is then opened with
 *             O_NOFOLLOW|O_NONBLOCK and must be a regular file);
 *  st         its stat (mode, owner, times recorded), or NULL to fstat;
 *  info_json  a JSON object stored as "info" (NULL: {}).
 * If the file no longer has the inode of st when it is unlinked, the
 * original is left in place (copy kept, "original_present": true; returns
 * 0); if unlinking fails (e.g. EACCES), the same, but VG_EIO is returned
 * with id_out set and errno kept.
 * Returns 0 (id_out set), VG_EINVAL (not a regular file, bad info_json),
 * VG_EIO (errno kept), VG_ENOMEM.  Thread-safe (internal lock).
 */
int vg_quar_put(vg_quar_t *q, const char *path, int fd, const struct stat *st,
		const char *info_json, char id_out[33]);

/* One entry as read from the index; strings borrowed for the callback. */
typedef struct vg_quar_entry {
	const char *id, *state, *path; /* path: exact bytes (from path_hex if any) */
	const char *json;              /* the whole entry, compact JSON, one line */
	uint64_t size;
	int64_t quarantined_ns;
	unsigned mode;
} vg_quar_entry_t;

/* vg_quar_foreach: fn for every entry, oldest first; a non-zero return
 * stops and is returned.  Unreadable entries are skipped and counted in
 * *bad (may be NULL).  Returns 0, VG_EIO, VG_ENOMEM, or fn's value. */
int vg_quar_foreach(vg_quar_t *q, int (*fn)(void *ctx, const vg_quar_entry_t *e), void *ctx,
		    unsigned *bad);

/*
 * vg_quar_restore — put entry id back at its original path: content
 * byte-identical (checked against the recorded SHA-256), same mode, times
 * (atime/mtime to the nanosecond) and, when permitted, owner.  Written to a
 * temporary file beside the destination and then linked/renamed into
 * place, so the destination is never half-written; then the entry is
 * removed from the store.  An existing destination is refused (VG_EIO,
 * errno EEXIST) unless force, which replaces it.
 * Returns 0, VG_ENOTFOUND, VG_ECORRUPT (copy damaged), VG_EIO, VG_ENOMEM.
 */
int vg_quar_restore(vg_quar_t *q, const char *id, bool force);

/* vg_quar_delete — remove entry id (copy, then index entry) for good.
 * Returns 0, VG_ENOTFOUND, VG_EIO. */
int vg_quar_delete(vg_quar_t *q, const char *id);

void vg_quar_free(vg_quar_t *q); /* NULL ok */

/* The `vigil scan quarantine list [--json] | restore ID [--force] |
 * delete ID` subcommand with `--dir DIR` (src/cmd/scan_quarantine.c);
 * argv[0] is "quarantine".  Returns an exit code (0 ok, 2 error). */
int vg_cmd_scan_quarantine(int argc, char **argv);

#endif
