/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/data.h — data files compiled into the binary (the .tsv and .rules
 * files of data/, and the OUI table generated from Debian's ieee-data).  The Makefile embeds
 * every file of data/ by its base name ("vulns.tsv") plus "oui.tsv" with
 * scripts/embed; users can still pass their own files where a command
 * takes one.  Immutable, thread-safe.
 */
#ifndef VG_LIB_DATA_H
#define VG_LIB_DATA_H

#include <stddef.h>

typedef struct vg_data_file {
	const char *name; /* base name, e.g. "vulns.tsv" */
	const char *data; /* NUL-terminated (the NUL is not counted in len) */
	size_t len;
} vg_data_file_t;

/* The generated table, terminated by {NULL, NULL, 0}. */
extern const vg_data_file_t vg_data_files[];

/* vg_data_get: the embedded file called name, or NULL; *len (may be NULL)
 * receives its size. */
const char *vg_data_get(const char *name, size_t *len);

#endif
