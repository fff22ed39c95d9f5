/* SPDX-License-Identifier: Apache-2.0 */
/*
 * load.h — load indicator files given on a command line into one store;
 * shared by `vigil feed` and `vigil watch`.
 */
#ifndef VG_CMD_LOAD_H
#define VG_CMD_LOAD_H

#include "vigil/intel.h"

/* status[] of a file refused by the --pubkey check (not a VG_E* code). */
#define VG_CMD_EUNSIGNED 1001

/* Options of vg_cmd_load_store.  Zero-initialised = defaults. */
struct vg_cmd_load_opts {
	vg_feed_fmt_t format;    /* VG_FMT_AUTO: detect per file */
	bool strict;             /* stop a file at its first bad line */
	bool allow_reserved;     /* keep reserved/bogon addresses */
	const char *categories;  /* Suricata categories file, or NULL */
	bool no_verify;          /* compiled store: skip the full-body checksum */
	unsigned long max_shown; /* per-line diagnostics printed (0 = 20) */
	/* A minisign public key (file, or base64 string): when set, every file
	 * must have FILE.minisig valid for this key and a well-formed trusted
	 * comment (feed= seq= time=); a file that fails is not loaded (its
	 * status VG_ECORRUPT, one "FILE: error: ..." line) and the result is 2.
	 * Verified bytes are the ones loaded (the file is read once). */
	const char *pubkey;
	/* Optional outputs, arrays of n entries (may be NULL): each file's
	 * report (for a compiled store: its per-type counts, format
	 * VG_FMT_COMPILED) and its status (0 ok, VG_E* when not loaded). */
	vg_load_report_t *reports;
	int *status;
	int *errnums; /* errno of a file that could not be read (0 if none) */
	/* Optional output: total diagnostics counted (shown or not). */
	unsigned long *diag_errors, *diag_warnings;
};

/*
 * vg_cmd_load_store — read files[0..n) into one store.
 * Text feeds of any format are read into one builder and built; a single
 * compiled snapshot (detected by its first bytes, or --format compiled) is
 * opened (mapped, checksum verified unless no_verify).  Mixing compiled and
 * text files, or several compiled files, is refused (exit status 2).
 * Per-line diagnostics are printed to stderr through vg_diag_print (the
 * first max_shown; a final line counts the rest); file-level problems
 * (unreadable, empty, binary, strict stop, corrupt snapshot) are always
 * printed, as "FILE: error: reason".
 * With o->pubkey, each file is read once, its signature checked, and
 * the verified bytes loaded; an unverifiable file is not loaded.
 * Returns 0 (VG_EXIT_OK) when every file loaded without a bad line,
 * 1 (VG_EXIT_FOUND) when some lines were bad but every file loaded,
 * 2 (VG_EXIT_ERROR) when a file could not be loaded (the others still are)
 * or on a usage problem.  *out receives the store whenever one could be
 * built (even with status 2 when other files loaded), else NULL; the caller
 * frees it with vg_store_free.  n may be 0 (an empty store).
 */
int vg_cmd_load_store(char **files, int n, const struct vg_cmd_load_opts *o, vg_store_t **out);

/* vg_cmd_load_errmsg: the user-facing reason a file failed to load (rc a
 * VG_E* from vg_feed_load / vg_store_open, errno as left by it); static or
 * thread-local text, lowercase. */
const char *vg_cmd_load_errmsg(int rc, int err, bool compiled, bool strict);

/* vg_cmd_load_format: set o->format from a --format argument; on an
 * unknown name report "CMD: unknown feed format 'ARG'" and return -1. */
int vg_cmd_load_format(const char *cmd, const char *arg, struct vg_cmd_load_opts *o);

#endif
