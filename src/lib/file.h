/* SPDX-License-Identifier: Apache-2.0 */
/*
 * file.h — read a whole file into memory (feeds, keys, signatures): one
 * malloc'd buffer, NUL-terminated, sized from fstat and grown for files
 * that grow or have no size (pipes), with an upper bound.
 */
#ifndef VG_LIB_FILE_H
#define VG_LIB_FILE_H

#include <stddef.h>

/* vg_file_read: *data (owned by the caller, NUL-terminated, len bytes
 * before the NUL).  max: the largest size accepted.  Returns 0; VG_EIO
 * (cannot open or read, or a directory: errno kept); VG_ELIMIT (larger than
 * max); VG_ENOMEM. */
int vg_file_read(const char *path, size_t max, char **data, size_t *len);

#endif
