/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit/map.h — the provision catalogue (data/audit-provisions.tsv) and the
 * check -> provision maps (data/audit-map-*.tsv, plus user files) that turn
 * `vigil audit` check results into per-provision verdicts.
 *
 * Provision file rows: id, requirement, title, qcvn135, decision724, owasp,
 * nist (TAB-separated).  Map file rows: check_id, provisions (comma-
 * separated ids, "-" = none), title.  Both: '#' comments, a "# version: V"
 * header line, blank lines ignored.  A later row for the same check id
 * replaces the earlier one (so a user --map overrides the built-in row).
 * Immutable after loading: thread-safe to read.
 */
#ifndef VG_AUDIT_MAP_H
#define VG_AUDIT_MAP_H

#include <stddef.h>

typedef struct vg_prov {
	char *id, *req, *title, *qcvn, *d724, *owasp, *nist;
} vg_prov_t;

typedef struct vg_amap_check {
	char *id, *title;
	size_t *prov; /* indexes into the catalogue */
	size_t nprov;
} vg_amap_check_t;

typedef struct vg_amap vg_amap_t;

/* vg_amap_new: an empty map.  0 or VG_ENOMEM. */
int vg_amap_new(vg_amap_t **out);
void vg_amap_free(vg_amap_t *m);
/* vg_amap_builtin: the embedded catalogue plus every embedded
 * audit-map-*.tsv.  0, or a negative VG_E* with "file:line: msg" in err. */
int vg_amap_builtin(vg_amap_t **out, char *err, size_t errlen);
/* vg_amap_load_provisions / vg_amap_load_checks: parse one file's text
 * (name is used in messages and the version list).  Check rows may only
 * name provisions already loaded.  0 or VG_EFORMAT / VG_ENOMEM. */
int vg_amap_load_provisions(vg_amap_t *m, const char *name, const char *text, size_t len,
			    char *err, size_t errlen);
int vg_amap_load_checks(vg_amap_t *m, const char *name, const char *text, size_t len,
			char *err, size_t errlen);
/* vg_amap_add_file: read a user check-map file (--map). */
int vg_amap_add_file(vg_amap_t *m, const char *path, char *err, size_t errlen);

size_t vg_amap_nprov(const vg_amap_t *m);
const vg_prov_t *vg_amap_prov_at(const vg_amap_t *m, size_t i);
/* vg_amap_prov_find: index of provision id, or -1. */
long vg_amap_prov_find(const vg_amap_t *m, const char *id);
size_t vg_amap_ncheck(const vg_amap_t *m);
const vg_amap_check_t *vg_amap_check_at(const vg_amap_t *m, size_t i);
/* vg_amap_check: the row of a check id, or NULL. */
const vg_amap_check_t *vg_amap_check(const vg_amap_t *m, const char *id);
/* vg_amap_nfiles / vg_amap_file: the files loaded, with their "# version:". */
size_t vg_amap_nfiles(const vg_amap_t *m);
void vg_amap_file(const vg_amap_t *m, size_t i, const char **name, const char **version);

#endif
