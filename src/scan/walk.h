/* SPDX-License-Identifier: Apache-2.0 */
/*
 * walk.h — the file-tree walker of `vigil scan`: an iterative depth-first
 * walk (explicit stack, no recursion) that hands every regular file to a
 * callback and counts everything it does not hand over, by reason.
 */
#ifndef VG_SCAN_WALK_H
#define VG_SCAN_WALK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

/* Why an entry was not handed to the file callback. */
typedef enum vg_walk_skip {
	VG_WSKIP_TOO_LARGE = 0, /* regular file over max_filesize */
	VG_WSKIP_SPECIAL,       /* FIFO, socket, character or block device */
	VG_WSKIP_EXCLUDED,      /* --exclude glob, default excludes, other file system */
	VG_WSKIP_SYMLINK,       /* a symbolic link, not followed */
	VG_WSKIP_LOOP,          /* a followed link back to an ancestor, or ELOOP */
	VG_WSKIP_VANISHED,      /* gone between readdir and stat/open, or shrank */
	VG_WSKIP_UNREADABLE,    /* stat/opendir/open/read refused or failed */
	VG_WSKIP_DEPTH,         /* directory below max_depth, or path too long */
	VG_WSKIP__COUNT
} vg_walk_skip_t;

/* "too_large", "special", "excluded", "symlink", "loop", "vanished",
 * "unreadable", "depth". */
const char *vg_walk_skip_name(vg_walk_skip_t r);

typedef struct vg_walk_opts {
	bool follow;             /* follow symbolic links (loops detected) */
	bool one_fs;             /* do not descend into other file systems */
	bool no_default_excludes;/* do not exclude /proc, /sys, /dev */
	const char *const *excludes; /* fnmatch globs on the whole path; a glob
				  * without '/' also matches the base name */
	int nexcludes;
	uint64_t max_filesize;   /* 0 = no limit */
	int max_depth;           /* directory levels below a root; 0 = 256 */
} vg_walk_opts_t;

/* Called for each regular file (st from lstat, or stat when following).
 * A nonzero return stops the walk and is returned by vg_walk. */
typedef int (*vg_walk_file_fn)(void *ctx, const char *path, const struct stat *st);
/* Called for each skipped entry (st may be NULL); may be NULL. */
typedef void (*vg_walk_skip_fn)(void *ctx, const char *path, vg_walk_skip_t why, int err);

/*
 * vg_walk — walk roots[0..n) in order.  A root that is a symbolic link is
 * followed (as find -H); entries below are not unless o->follow.  Memory is
 * the current path plus the names of the directories on the stack, never
 * the whole tree.  counts[VG_WSKIP__COUNT] is incremented per skip (also
 * reported through skip).  Returns 0, the callback's nonzero value, or
 * VG_ENOMEM.  Not thread-safe per call; callbacks run in the caller's thread.
 */
int vg_walk(const char *const *roots, int n, const vg_walk_opts_t *o, vg_walk_file_fn file,
	    vg_walk_skip_fn skip, void *ctx, uint64_t counts[VG_WSKIP__COUNT]);

#endif
