/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dev/vuln.h — the vulnerable-version table shared by `vigil devices`
 * (banners seen in traffic) and `vigil audit` (banners of a live device,
 * version strings in a firmware image).
 *
 * Data: data/vulns.tsv (versioned, compiled into the binary, extendable
 * with a user file).  One row per (component, affected range, CVEs):
 *   component  first-affected  fixed-in  cves                 summary
 *   dropbear   -               2016.74   CVE-2016-7406,...    ...
 * "-" = unbounded; fixed-in "<=X" = X is the last affected version.  A row
 * with both bounds "-" is version-less: it matches only an unknown version
 * ("").  Errors of vg_vulns_load/add are VG_EFORMAT with "FILE:LINE: ..."
 * in err, VG_EIO, VG_ELIMIT, VG_ENOMEM; a file loads wholly or not at all.  Versions compare component-wise (numbers numerically,
 * letters as suffixes: 1.0.1 < 1.0.1a < 1.0.1f < 1.0.1g < 1.0.2).
 *
 * vg_vuln_component() recognises a component and its version in a banner or
 * version string ("dropbear_2014.63", "BusyBox v1.19.4", "uc-httpd 1.0.0",
 * "App-webs/", "OpenSSL 1.0.1e", "Linux version 3.10.14").  Thread-safe
 * (immutable table).
 */
#ifndef VG_DEV_VULN_H
#define VG_DEV_VULN_H

#include <stddef.h>

typedef struct vg_vulns vg_vulns_t;

typedef struct vg_vuln_hit {
	const char *component; /* "dropbear" (borrowed from the table) */
	const char *cves;      /* "CVE-2016-7406,CVE-2016-7407,..." */
	const char *summary;
	char version[48];      /* the version found ("" when the rule is version-less) */
} vg_vuln_hit_t;

/* vg_vulns_builtin / vg_vulns_load / vg_vulns_add: like the rules API. */
int vg_vulns_builtin(vg_vulns_t **out);
int vg_vulns_load(vg_vulns_t **out, const char *path, char *err, size_t errlen);
int vg_vulns_add(vg_vulns_t *v, const char *path, char *err, size_t errlen);
const char *vg_vulns_version(const vg_vulns_t *v);
void vg_vulns_free(vg_vulns_t *v);

/* vg_vuln_component: find a known component and its version in text (a
 * banner, a Server: header, a version string).  Writes the canonical
 * component name and version; returns 1 found, 0 not. */
int vg_vuln_component(const char *text, size_t len, char comp[32], char ver[48]);

/* vg_vulns_load_text: like vg_vulns_load on text[0..len) (name for
 * messages).  (Addition of the parser branch.) */
int vg_vulns_load_text(vg_vulns_t **out, const char *name, const char *text, size_t len, char *err,
		       size_t errlen);

/* vg_vuln_check: rows matching (component, version): fills up to max hits,
 * returns how many.  version "" matches version-less rows only. */
int vg_vuln_check(const vg_vulns_t *v, const char *component, const char *version,
		  vg_vuln_hit_t *out, int max);

/* vg_vuln_text: vg_vuln_component + vg_vuln_check in one call; checks
 * every recognised component of text (a Server: header may name several,
 * "Linux/3.10 UPnP/1.0 ... OpenSSL/1.0.1e"), each once. */
int vg_vuln_text(const vg_vulns_t *v, const char *text, size_t len, vg_vuln_hit_t *out, int max);

/* vg_version_cmp: <0, 0, >0 as described above. */
int vg_version_cmp(const char *a, const char *b);

#endif
