// SPDX-License-Identifier: Apache-2.0
/*
 * lib/data.c — lookup of the data files the Makefile compiles in (see
 * data.h); the table itself is generated into $(B)/gen/data.c.
 */
#include "lib/data.h"

#include <string.h>

const char *vg_data_get(const char *name, size_t *len)
{
	for (const vg_data_file_t *f = vg_data_files; f->name; f++)
		if (!strcmp(f->name, name)) {
			if (len)
				*len = f->len;
			return f->data;
		}
	return NULL;
}
