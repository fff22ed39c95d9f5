/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil/export.h — write an indicator store in the formats other tools
 * read (vigil feed convert / merge).
 *
 *   vg_buf_t out = VG_BUF_INIT;                      // src/lib/buf.h
 *   vg_export(store, VG_EXPORT_STIX2, &opts, &out, &rep);
 *
 * Every exporter walks the store with vg_store_foreach, so output order is
 * deterministic (by type, then value) and re-exporting the same store gives
 * the same bytes.  Exporters never print; entries a format cannot express
 * (e.g. ip:port in Zeek Intel) are counted in rep->skipped per type.
 */
#ifndef VIGIL_EXPORT_H
#define VIGIL_EXPORT_H

#include "vigil/intel.h"

struct vg_buf; /* src/lib/buf.h */

typedef enum vg_export_fmt {
	VG_EXPORT_PLAIN = 0, /* one value per line (distinct values) */
	VG_EXPORT_CSV,       /* value,type,source,category,... with a header */
	VG_EXPORT_STIX2,     /* STIX 2.1 bundle: identity, TLP 2.0 markings, indicators */
	VG_EXPORT_ZEEK,      /* Zeek Intel framework file */
	VG_EXPORT_SURICATA,  /* several files: see vg_export_suricata */
	VG_EXPORT_NFTABLES,  /* nft -f script: table inet vigil */
	VG_EXPORT__COUNT
} vg_export_fmt_t;

/* "plain", "csv", "stix2", "zeek-intel", "suricata", "nftables". */
const char *vg_export_fmt_name(vg_export_fmt_t f);
/* The names above (also "stix", "zeek", "nft"); -1 when unknown. */
int vg_export_fmt_parse(const char *s);

typedef struct vg_export_opts {
	const char *producer; /* STIX identity name; NULL = "vigil" */
} vg_export_opts_t;

typedef struct vg_export_report {
	uint64_t written;                /* entries (lines, objects, elements) written */
	uint64_t skipped[VG_IND__COUNT]; /* (value, meta) pairs the format cannot express */
	uint64_t covered;                /* nftables: addresses/networks inside another element */
} vg_export_report_t;

/*
 * vg_export — append the store in format f to out.
 *  plain     distinct canonical values (vg_match_format; URLs without scheme).
 *  csv       header "value,type,source,category,description,reference,
 *            confidence,tlp,valid_from,valid_until"; one row per (value, meta);
 *            RFC 4180 quoting; times ISO 8601, empty when unset.
 *  stix2     one bundle, one object per line: an identity (opts->producer),
 *            the TLP 2.0 marking-definitions used, one indicator per
 *            (value, meta).  Ids are UUIDv5 (so re-exports are stable).
 *  zeek-intel  #fields indicator, indicator_type, meta.source, meta.desc,
 *            meta.url; "-" for empty; ip:port is skipped.
 *  nftables  a script replacing table inet vigil: interval sets vigil_v4 and
 *            vigil_v6 (addresses and CIDRs; ones inside another element are
 *            left out, as nft refuses overlaps), concatenated sets
 *            vigil_v4_port / vigil_v6_port for ip:port, and input, forward
 *            and output chains dropping traffic to or from them.
 * rep may be NULL.  Returns 0, VG_EINVAL (f is suricata or unknown),
 * VG_ENOMEM.
 */
int vg_export(const vg_store_t *s, vg_export_fmt_t f, const vg_export_opts_t *o,
	      struct vg_buf *out, vg_export_report_t *rep);

/* vg_export_file: vg_export to a stdio stream.  VG_EIO when writing fails. */
int vg_export_file(const vg_store_t *s, vg_export_fmt_t f, const vg_export_opts_t *o, FILE *fp,
		   vg_export_report_t *rep);

/* Suricata output files, by index into vg_export_suricata's out[]. */
enum {
	VG_SURI_IPREP,      /* "iprep.list": ip-or-cidr,category-id,score */
	VG_SURI_CATEGORIES, /* "categories.txt": id,shortname,description */
	VG_SURI_DOMAINS,    /* "domains.lst": dataset type string, base64 per line */
	VG_SURI_MD5,        /* "md5.lst": dataset type md5, hex per line */
	VG_SURI_SHA256,     /* "sha256.lst": dataset type sha256, hex per line */
	VG_SURI__COUNT
};
/* vg_export_suricata_file: the file name of output i (above). */
const char *vg_export_suricata_file(int i);

/*
 * vg_export_suricata — the Suricata files, appended to out[i].
 * IP reputation: categories are the distinct category names (sanitised to
 * [A-Za-z0-9_-], at most 31 bytes; empty -> "vigil"), numbered from 1 in
 * sorted order; score = confidence (capped at 127; 100 when unknown); one
 * line per (address or CIDR, category) with the highest score.  ip:port,
 * URLs and SHA-1 (Suricata has no such dataset type) are skipped.
 * Returns 0, VG_ENOMEM, or VG_ELIMIT (more than 59 categories, Suricata's
 * limit).
 */
int vg_export_suricata(const vg_store_t *s, const vg_export_opts_t *o,
		       struct vg_buf *out[VG_SURI__COUNT], vg_export_report_t *rep);

#endif
