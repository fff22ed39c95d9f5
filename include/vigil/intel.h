/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vigil/intel.h — indicators, the indicator store, and feed readers.
 *
 * Life of an indicator list:
 *
 *   vg_builder_t *b = vg_builder_new(&opts);
 *   vg_feed_load(b, "apt.txt", &lo, &report);       // any format, per file
 *   vg_store_t *s; vg_builder_build(b, &s);         // immutable snapshot
 *   vg_builder_free(b);
 *   n = vg_store_lookup_ip(s, &ip, port, now, m, 16);   // lock-free, any thread
 *   vg_store_free(s);
 *
 * A store is immutable once built: any number of threads may look up in it
 * without locks.  A compiled form (vg_store_save / vg_store_open) is mmapped.
 */
#ifndef VIGIL_INTEL_H
#define VIGIL_INTEL_H

#include "vigil/common.h"

#include <stdio.h>

/* ---- the indicator model ------------------------------------------------ */

typedef enum vg_ind_type {
	VG_IND_NONE = 0,
	VG_IND_IPV4,
	VG_IND_IPV6,
	VG_IND_CIDR4,
	VG_IND_CIDR6,
	VG_IND_IPPORT4,
	VG_IND_IPPORT6,
	VG_IND_DOMAIN,
	VG_IND_URL,
	VG_IND_MD5,
	VG_IND_SHA1,
	VG_IND_SHA256,
	VG_IND__COUNT
} vg_ind_type_t;

/* vg_ind_type_name: "ipv4", "ipv6", "cidr4", "cidr6", "ip:port4", "ip:port6",
 * "domain", "url", "md5", "sha1", "sha256". */
const char *vg_ind_type_name(vg_ind_type_t t);

/* TLP 2.0 (TLP 1.0's WHITE is read as CLEAR). */
typedef enum vg_tlp {
	VG_TLP_UNSET = 0,
	VG_TLP_CLEAR,
	VG_TLP_GREEN,
	VG_TLP_AMBER,
	VG_TLP_AMBER_STRICT,
	VG_TLP_RED
} vg_tlp_t;
/* "" for UNSET, else "clear", "green", "amber", "amber+strict", "red". */
const char *vg_tlp_name(vg_tlp_t t);
/* Accepts "clear"/"white"/"green"/"amber"/"amber+strict"/"red", any case,
 * with or without a "tlp:" prefix.  VG_TLP_UNSET when unknown. */
vg_tlp_t vg_tlp_parse(const char *s, size_t n);

/* Metadata shared by indicators of one source/category.  Strings are
 * borrowed on input (the builder copies them) and borrowed from the store
 * on output.  NULL or "" means absent. */
typedef struct vg_meta {
	const char *source;      /* feed name or file name */
	const char *category;    /* e.g. "malware", "c2", "apt_oceanlotus" */
	const char *description;
	const char *reference;   /* URL or citation */
	int confidence;          /* 0..100, or -1 when unknown */
	int64_t valid_from;      /* unix seconds, 0 = unset */
	int64_t valid_until;     /* unix seconds, 0 = unset (never expires) */
	vg_tlp_t tlp;
} vg_meta_t;

/* Longest domain name and URL (normalised) the store keeps. */
#define VG_DOMAIN_MAX 253
#define VG_URL_MAX 2048

/* A parsed, normalised indicator value. */
typedef struct vg_ind {
	vg_ind_type_t type;
	vg_ip_t ip;      /* IP types; for CIDRs the network (host bits cleared) */
	uint8_t prefix;  /* CIDR prefix length in the IPv6 space (v4: 96+len);
			  * 128 for single addresses */
	uint16_t port;   /* ip:port types */
	uint8_t hash[32];/* hash types, binary */
	uint16_t len;    /* domain/url: length of str */
	char str[VG_URL_MAX + 1]; /* domain/url: normalised (see vg_ind_parse) */
} vg_ind_t;

/*
 * vg_ind_parse — classify and normalise one indicator token.
 *  s, n   the token (no surrounding whitespace).
 *  hint   VG_IND_NONE to detect the type, or the type the format states
 *         (a domain-typed column holding an IP literal yields an IP).
 *  out    filled on success.
 * Detection: IPv4/IPv6 literal, CIDR "a/len", "ip:port" / "[v6]:port",
 * 32/40/64 hex digits as MD5/SHA-1/SHA-256, anything with "://" or a "/"
 * after a host as a URL, otherwise a domain (validated: LDH labels, '_'
 * allowed, 1..63 per label, total <= 253; lower-cased, trailing dot dropped).
 * URL normalisation: scheme and host lower-cased, default port dropped,
 * fragment dropped, unreserved %XX decoded, path and query case kept; the
 * stored key has no scheme (http and https forms match each other).
 * Returns 0, VG_EINVAL (unparseable: *why set to a static reason), or
 * VG_ERANGE (CIDR length or port out of range).
 */
int vg_ind_parse(const char *s, size_t n, vg_ind_type_t hint, vg_ind_t *out, const char **why);

/* vg_ind_format: canonical text of an indicator into buf; returns length. */
size_t vg_ind_format(const vg_ind_t *ind, char *buf, size_t n);

/* vg_ip_reserved: true for 0.0.0.0/8, 127/8, 10/8, 172.16/12, 192.168/16,
 * 100.64/10, 169.254/16, 224/4 (multicast), 240/4, 255.255.255.255, and the
 * IPv6 equivalents (::, ::1, fc00::/7, fe80::/10, ff00::/8).  For a CIDR,
 * true when it overlaps such a range. */
bool vg_ip_reserved(const vg_ip_t *ip, unsigned prefix);
/* vg_reserved_range: the i-th reserved range (i from 0); false past the end. */
bool vg_reserved_range(size_t i, vg_ip_t *net, unsigned *prefix);

/* ---- the builder ---------------------------------------------------------- */

typedef struct vg_builder vg_builder_t;
typedef struct vg_store vg_store_t;

typedef struct vg_builder_opts {
	bool allow_reserved; /* keep reserved/bogon addresses */
} vg_builder_opts_t;

/* vg_builder_new: NULL on OOM.  opts may be NULL (defaults). */
vg_builder_t *vg_builder_new(const vg_builder_opts_t *opts);
void vg_builder_free(vg_builder_t *b);

/* vg_builder_meta: intern a metadata record; *id receives its id.  The same
 * contents return the same id.  Strings are copied. */
int vg_builder_meta(vg_builder_t *b, const vg_meta_t *m, uint32_t *id);

/* vg_builder_add: add one parsed indicator with a meta id.  The same value
 * with the same meta id is kept once; with different metas, once per meta.
 * Returns 0, or VG_ERESERVED when the address is reserved and reserved
 * addresses are not allowed (nothing is added), or VG_ENOMEM. */
int vg_builder_add(vg_builder_t *b, const vg_ind_t *ind, uint32_t meta);

/* vg_builder_build: freeze into an immutable store.  The builder is emptied
 * and may be freed.  *out NULL on error. */
int vg_builder_build(vg_builder_t *b, vg_store_t **out);

/* ---- feed readers ----------------------------------------------------------- */

typedef enum vg_feed_fmt {
	VG_FMT_AUTO = 0,
	VG_FMT_PLAIN,    /* one indicator per line, '#' comments (Maltrail) */
	VG_FMT_IPSUM,    /* IP<TAB>count */
	VG_FMT_CSV,      /* CSV with a header, columns mapped by name */
	VG_FMT_SURICATA, /* Suricata IP reputation: ip-or-cidr,category,score */
	VG_FMT_ZEEK,     /* Zeek Intel framework, #fields header */
	VG_FMT_STIX,     /* STIX 2.1 bundle (JSON) */
	VG_FMT_COMPILED, /* vigil compiled snapshot (not a text reader) */
	VG_FMT_CLAMAV    /* ClamAV hash signatures .hdb/.hsb: hash:size:name */
} vg_feed_fmt_t;

const char *vg_feed_fmt_name(vg_feed_fmt_t f);
/* Accepts the names above ("plain", "ipsum", "csv", "suricata", "zeek",
 * "stix", "compiled", "clamav", "auto"); -1 when unknown. */
int vg_feed_fmt_parse(const char *s);

typedef struct vg_load_opts {
	vg_feed_fmt_t format;   /* VG_FMT_AUTO to detect */
	bool strict;            /* stop at the first bad line */
	const char *source;     /* source name; default: the file's base name */
	const char *categories; /* Suricata categories file (id,short,desc), or NULL */
	vg_diag_fn diag;        /* receives every error and warning, may be NULL */
	void *diag_ctx;
} vg_load_opts_t;

typedef struct vg_load_report {
	vg_feed_fmt_t format;               /* detected or forced */
	uint64_t lines;                     /* lines (or objects) read */
	uint64_t added[VG_IND__COUNT];      /* indicators accepted, per type */
	uint64_t errors;                    /* bad lines/objects */
	uint64_t warnings;                  /* e.g. reserved addresses */
	uint64_t reserved;                  /* reserved addresses kept out */
	uint64_t skipped;                   /* unsupported entries (e.g. STIX patterns) */
	uint64_t duplicates;                /* same value+meta seen again in this file */
} vg_load_report_t;

/*
 * vg_feed_load — read one feed file into the builder.
 * Every bad line is reported through opts->diag as (file, line, ERROR, reason)
 * and the rest still loads, unless opts->strict (returns VG_EFORMAT at the
 * first).  Reserved addresses are reported as warnings and kept out unless
 * the builder allows them.  Returns 0; VG_EIO (cannot read; errno kept),
 * VG_EEMPTY (empty file), VG_EBINARY (not text), VG_EFORMAT (strict stop,
 * or nothing recognisable).  Indicators already added stay added.
 */
int vg_feed_load(vg_builder_t *b, const char *path, const vg_load_opts_t *opts,
		 vg_load_report_t *rep);
/* vg_feed_load_mem — the same on a buffer; name is used in diagnostics. */
int vg_feed_load_mem(vg_builder_t *b, const char *name, const char *data, size_t len,
		     const vg_load_opts_t *opts, vg_load_report_t *rep);
/* vg_feed_detect: guess the format of a buffer (first bytes suffice). */
vg_feed_fmt_t vg_feed_detect(const char *name, const char *data, size_t len);

/* ---- the store ----------------------------------------------------------------- */

/* One match: an indicator and one of its metadata records. */
typedef struct vg_match {
	vg_ind_type_t type;
	uint8_t prefix;    /* IP types: in the IPv6 space (v4 /24 -> 120) */
	uint16_t port;     /* ip:port */
	uint32_t meta;     /* meta id, for vg_store_meta */
	vg_ip_t ip;        /* IP types: the indicator's address/network */
	const char *str;   /* domain/url: borrowed from the store, not NUL-terminated */
	uint32_t len;
	const uint8_t *hash; /* hash types: borrowed, 16/20/32 bytes */
} vg_match_t;

/* vg_match_format: the indicator's canonical text (e.g. "10.0.0.0/8",
 * "1.2.3.4:443", "evil.com") into buf; returns length. */
size_t vg_match_format(const vg_match_t *m, char *buf, size_t n);

/*
 * Lookups.  Each returns the number of matches written to out (at most max),
 * most specific first; 0 when not listed.  now: unix seconds, used to skip
 * expired metadata (valid_until < now); 0 disables the check.
 *  ip:   exact address and every containing CIDR; IPv4-mapped IPv6 matches
 *        IPv4 entries.  port != 0 also matches ip:port indicators for it.
 *  domain: name and every parent domain ("a.b.evil.com" -> "evil.com");
 *        case-insensitive, trailing dot ignored.  n bytes, need not be
 *        NUL-terminated.
 *  url:  a URL in any form vg_ind_parse accepts; normalised first.
 *  hash: binary digest of 16, 20 or 32 bytes.
 */
int vg_store_lookup_ip(const vg_store_t *s, const vg_ip_t *ip, uint16_t port, int64_t now,
		       vg_match_t *out, int max);
int vg_store_lookup_domain(const vg_store_t *s, const char *name, size_t n, int64_t now,
			   vg_match_t *out, int max);
int vg_store_lookup_url(const vg_store_t *s, const char *url, size_t n, int64_t now,
			vg_match_t *out, int max);
int vg_store_lookup_hash(const vg_store_t *s, const uint8_t *digest, size_t n, int64_t now,
			 vg_match_t *out, int max);

/*
 * vg_store_foreach — call fn once per (indicator, meta) pair of the store,
 * in a deterministic order: by type (vg_ind_type_t order), then by value
 * (addresses, networks, ip:port and hashes by their bytes, CIDRs by network
 * then prefix, domains and URLs by strcmp of the normalised key), then by
 * meta order within the value.  Expired metas are visited too (the caller
 * decides).  m and its borrowed bytes are valid during the call only.
 * A nonzero return from fn stops the walk and is returned.  Returns 0,
 * VG_EINVAL (NULL store or fn) or VG_ENOMEM (temporary sort index).
 */
int vg_store_foreach(const vg_store_t *s, int (*fn)(void *ctx, const vg_match_t *m), void *ctx);

/*
 * Prefetch hints: start loading the memory a later lookup of the same key
 * will touch, without waiting for it.  A store of millions of entries does
 * not fit in the caches, and one lookup is a short chain of dependent
 * cache misses; a caller with several keys at hand (a batch of packets)
 * calls the hint for key i+k before looking up key i, so the misses of
 * different keys overlap.  No effect on results; any thread.
 */
void vg_store_prefetch_ip(const vg_store_t *s, const vg_ip_t *ip);
void vg_store_prefetch_domain(const vg_store_t *s, const char *name, size_t n);

/* vg_store_meta: the metadata record id (strings borrowed from the store;
 * never NULL, "" when absent).  Returns 0 or VG_ENOTFOUND. */
int vg_store_meta(const vg_store_t *s, uint32_t id, vg_meta_t *out);

typedef struct vg_store_stats {
	uint64_t count[VG_IND__COUNT]; /* distinct values per type */
	uint64_t entries;              /* (value, meta) pairs */
	uint64_t metas;
	uint64_t expired;              /* pairs whose meta had expired at build time */
	uint64_t bytes;                /* memory held by the store */
} vg_store_stats_t;
void vg_store_stats(const vg_store_t *s, vg_store_stats_t *st);

/* vg_store_empty: an empty store (for running without indicators). */
int vg_store_empty(vg_store_t **out);

/* vg_store_save: write the compiled form to path (atomically: temp file,
 * fsync, rename). */
int vg_store_save(const vg_store_t *s, const char *path);
/* vg_store_open: mmap a compiled store.  VG_EFORMAT (not a vigil store),
 * VG_EVERSION, VG_ECORRUPT (truncated or checksum mismatch), VG_EIO.
 * verify: also check the full-body checksum (reads every page). */
int vg_store_open(const char *path, bool verify, vg_store_t **out);
/* vg_store_open_mem: the same on a buffer (copied); for fuzzing and tests. */
int vg_store_open_mem(const void *data, size_t len, vg_store_t **out);
/* vg_store_is_compiled: true when the first bytes are a compiled store. */
bool vg_store_is_compiled(const void *data, size_t len);

/* vg_store_lists_reserved: true when any IP, ip:port or CIDR indicator of
 * the store lies in (or overlaps) a reserved range (see vg_ip_reserved), i.e.
 * the store was built with allow_reserved and such entries were listed.
 * When false, lookups of reserved addresses can be skipped: they never
 * match.  O(log n) per reserved range. */
bool vg_store_lists_reserved(const vg_store_t *s);

/* vg_store_free: release (NULL is a no-op). */
void vg_store_free(vg_store_t *s);

#endif
