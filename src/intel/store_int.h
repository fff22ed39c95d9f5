/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_int.h — the layout of an indicator store snapshot, shared by the
 * builder (builder.c), the lookups (store.c) and the compiled form
 * (snapshot.c).
 *
 * A store is a set of flat sections, so that the in-memory form and the
 * mmapped compiled form are the same bytes:
 *
 *   metas      meta_rec[]        metadata records; strings are offsets into strs
 *   strs       char[]            NUL-terminated strings; offset 0 is ""
 *   lists      u32[]             ref lists: [count, meta...]; for CIDR sets
 *                                [count, cidr index...]
 *   ip4        u64[]             exact IPv4: (ip << 32 | ref), sorted
 *   ip4idx     u32[65537]        ip4 offsets by the top 16 bits of ip (or empty)
 *   ip6, ipp4, ipp6, md5, sha1, sha256
 *              fixed-width records [key W][ref u32] sorted by key (memcmp)
 *   cidrs      cidr_rec[]        every CIDR (v4 as mapped v6)
 *   iv4        u32[] + u32[]     v4 elementary intervals: starts, sets
 *   iv4idx     u32[65537]
 *   iv6        u128[] + u32[]    intervals outside the v4-mapped range
 *   dom, url   Swiss-style tables: ctrl bytes (cap + 16), u32 slots (offsets
 *              into the arena), arena of NUL-terminated keys, runs of
 *              (arena offset, ref) giving the ref of each record, and
 *              overrides (arena offset, ref) for records listed by more
 *              than one meta.
 *
 * A "ref" is either a meta id (bit 31 clear) or VG_REF_LIST | index into
 * lists.  A CIDR "set" is an index into lists or VG_SET_NONE.
 * Invariant: every offset and index in a store has been validated against
 * its section's size (by construction, or by snapshot.c on open), so lookups
 * never bounds-check again.
 */
#ifndef VG_STORE_INT_H
#define VG_STORE_INT_H

#include "vigil/intel.h"

#define VG_REF_LIST 0x80000000u
#define VG_SET_NONE 0xffffffffu
#define VG_CTRL_EMPTY 0x80

typedef unsigned __int128 vg_u128;

typedef struct meta_rec {
	uint32_t source, category, description, reference; /* offsets into strs */
	int32_t confidence;
	uint32_t tlp;
	int64_t valid_from, valid_until;
} meta_rec_t;

typedef struct cidr_rec {
	uint8_t net[16];
	uint32_t prefix; /* in the v6 space */
	uint32_t ref;
} cidr_rec_t;

/* A sorted fixed-width table. */
typedef struct fkt {
	const uint8_t *rec; /* n records of w+4 bytes */
	uint64_t n;
	uint32_t w;
} fkt_t;

/* A string table (domains or URLs). */
typedef struct strtab {
	const uint8_t *ctrl;     /* cap + 16 bytes */
	const uint32_t *slot;    /* cap */
	uint64_t cap;
	const char *arena;
	uint64_t arena_len;
	const uint32_t *runs;    /* n_runs pairs (off, ref), sorted by off */
	uint64_t n_runs;
	const uint32_t *over;    /* n_over pairs (off, ref), sorted by off */
	uint64_t n_over;
	uint64_t count;          /* distinct keys */
} strtab_t;

enum {
	SEC_METAS,
	SEC_STRS,
	SEC_LISTS,
	SEC_IP4,
	SEC_IP4IDX,
	SEC_IP6,
	SEC_IPP4,
	SEC_IPP6,
	SEC_MD5,
	SEC_SHA1,
	SEC_SHA256,
	SEC_CIDRS,
	SEC_IV4START,
	SEC_IV4SET,
	SEC_IV4IDX,
	SEC_IV6START,
	SEC_IV6SET,
	SEC_DOMCTRL,
	SEC_DOMSLOT,
	SEC_DOMARENA,
	SEC_DOMRUNS,
	SEC_DOMOVER,
	SEC_URLCTRL,
	SEC_URLSLOT,
	SEC_URLARENA,
	SEC_URLRUNS,
	SEC_URLOVER,
	SEC__COUNT
};

typedef struct sec {
	void *p;      /* owned when the store owns it (heap), else into the mapping */
	uint64_t len; /* bytes */
} sec_t;

struct vg_store {
	sec_t sec[SEC__COUNT];
	bool heap;           /* sections are malloc'd (else inside map) */
	void *map;           /* mmapped file or copied buffer */
	size_t map_len;
	bool map_is_mmap;
	/* views derived from sections */
	const meta_rec_t *metas;
	uint64_t n_metas;
	const char *strs;
	uint64_t strs_len;
	const uint32_t *lists;
	uint64_t n_lists;
	const uint64_t *ip4;
	uint64_t n_ip4;
	const uint32_t *ip4idx; /* NULL when absent */
	fkt_t ip6, ipp4, ipp6, md5, sha1, sha256;
	const cidr_rec_t *cidrs;
	uint64_t n_cidrs;
	const uint32_t *iv4start, *iv4set, *iv4idx;
	uint64_t n_iv4;
	const vg_u128 *iv6start;
	const uint32_t *iv6set;
	uint64_t n_iv6;
	strtab_t dom, url;
	/* build-time statistics (not part of the compiled form's contract) */
	uint64_t entries, expired;
};

/* Fixed record widths of the fkt sections. */
#define W_IP6 16
#define W_IPP4 6
#define W_IPP6 18
#define W_MD5 16
#define W_SHA1 20
#define W_SHA256 32

/* store_bind: derive the views from the sections; 0 or VG_ECORRUPT when a
 * section's size is not a multiple of its record size. */
int vg_store_bind(struct vg_store *s);
/* store_validate: check every offset and index (compiled stores). */
int vg_store_validate(const struct vg_store *s);

/* vg_u128_of / vg_ip_of: big-endian 16 bytes <-> integer. */
static inline vg_u128 vg_u128_of(const uint8_t *a)
{
	vg_u128 v = 0;
	for (int i = 0; i < 16; i++)
		v = v << 8 | a[i];
	return v;
}
static inline void vg_u128_put(vg_u128 v, uint8_t *a)
{
	for (int i = 15; i >= 0; i--) {
		a[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* Strings are hashed with this seed in the string tables. */
#define VG_STR_SEED 0x5eed5eedull

/* strtab_find: the arena offset of key (n bytes) or UINT32_MAX. */
uint32_t vg_strtab_find(const strtab_t *t, const char *key, size_t n, uint64_t h);
/* strtab_ref: the ref of the record at arena offset off. */
uint32_t vg_strtab_ref(const strtab_t *t, uint32_t off);

/* ---- builder internals used by the feed readers (feed.c) ---- */

/* vg_builder_add_dup: vg_builder_add that also says whether the value was
 * dropped at once as a duplicate of an earlier (value, meta) pair (domains
 * and URLs; other types are deduplicated by vg_builder_dedup_since). */
int vg_builder_add_dup(vg_builder_t *b, const vg_ind_t *ind, uint32_t meta, bool *dup);

/* A position in the builder's pending (not yet deduplicated) records. */
typedef struct vg_builder_mark {
	uint64_t ip4, fk[6], cidrs;
} vg_builder_mark_t;

/* vg_builder_mark: remember where the records added from now on start. */
void vg_builder_mark(const vg_builder_t *b, vg_builder_mark_t *m);
/* vg_builder_dedup_since: drop repeated (value, meta) pairs among the IP,
 * CIDR and hash records added since mark (sorting that tail in place, no
 * extra memory), adding the number dropped per type to dups. */
void vg_builder_dedup_since(vg_builder_t *b, const vg_builder_mark_t *m,
			    uint64_t dups[VG_IND__COUNT]);

#endif
