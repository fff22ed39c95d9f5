/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit/fw_int.h — shared between fw.c (the driver) and fw_extract.c
 * (opening an image or directory, the confined path resolver, the bounded
 * tree walk).  Not for other modules.
 */
#ifndef VG_AUDIT_FW_INT_H
#define VG_AUDIT_FW_INT_H

#include "audit/fw.h"

#include <limits.h>
#include <stdint.h>

enum { FW_DIR = 0, FW_EXTRACTED = 1, FW_UNSUPPORTED = 2, FW_ENCRYPTED = 3, FW_FAILED = 4 };

typedef struct fw_input {
	int state;
	char root[PATH_MAX];  /* the tree to audit */
	char tmp[PATH_MAX];   /* our temporary directory ("" = none) */
	char how[256];        /* what was done / why not (evidence) */
} fw_input_t;

/* fw_open: open path as a tree.  0 with in->state set (including the
 * UNSUPPORTED / ENCRYPTED / FAILED states, which are results, not errors),
 * or a negative VG_E* when path cannot be read at all (message in err). */
int fw_open(const char *path, const vg_fw_opts_t *o, fw_input_t *in, char *err, size_t errlen);
/* fw_close: remove our temporary tree unless o->keep. */
void fw_close(fw_input_t *in, const vg_fw_opts_t *o);

/* fw_resolve: the real path of rel inside root, following symlinks as if
 * root were "/" (absolute targets restart at root, ".." stops at root),
 * at most 40 links.  0 or VG_ENOTFOUND / VG_ELIMIT. */
int fw_resolve(const char *root, const char *rel, char *out, size_t outlen);

typedef struct fw_file {
	char *rel;
	uint64_t size;
} fw_file_t;
typedef struct fw_files {
	fw_file_t *f;
	size_t n, cap;
	bool truncated;     /* max_files reached */
	size_t unreadable;  /* directories that could not be opened */
} fw_files_t;
/* fw_walk: regular files under root (symlinks are not followed, depth and
 * count bounded).  0 or VG_ENOMEM. */
int fw_walk(const char *root, const vg_fw_opts_t *o, fw_files_t *out);
void fw_files_release(fw_files_t *fs);

/* fw_entropy: Shannon entropy of p[0..n) in bits per byte. */
double fw_entropy(const uint8_t *p, size_t n);
/* fw_squashfs_find: offset of a plausible squashfs superblock, or -1. */
long long fw_squashfs_find(const uint8_t *p, size_t n);

#endif
