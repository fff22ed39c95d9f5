// SPDX-License-Identifier: Apache-2.0
/*
 * iter.c — walk every (indicator, meta) pair of a store, for exporters,
 * diff and merge (src/intel/export.c, src/cmd/feed_convert.c).
 *
 * Order is deterministic and independent of load order: by type (the
 * vg_ind_type_t order), then by value (IPs, networks, ip:port and hashes by
 * their big-endian bytes, CIDRs by network then prefix length, domains and
 * URLs by strcmp of the normalised key), then by the order of the value's
 * ref list.  The sorted sections (ip4, fixed-width tables) are walked in
 * place; CIDRs and the string tables' arenas (kept in load order) are
 * sorted into a temporary index first, so the walk allocates O(n) once.
 * Reads the store only: safe on a shared store from any thread; the
 * callback's vg_match_t borrows the store's bytes for the call only.
 */
#include "intel/store_int.h"

#include <stdlib.h>
#include <string.h>

typedef int (*visit_fn)(void *ctx, const vg_match_t *m);

/* emit_ref: one callback per meta of ref. */
static int emit_ref(const vg_store_t *s, vg_match_t *m, uint32_t ref, visit_fn fn, void *ctx)
{
	if (!(ref & VG_REF_LIST)) {
		m->meta = ref;
		return fn(ctx, m);
	}
	const uint32_t *l = s->lists + (ref & ~VG_REF_LIST);
	for (uint32_t i = 0; i < l[0]; i++) {
		m->meta = l[1 + i];
		int rc = fn(ctx, m);
		if (rc)
			return rc;
	}
	return 0;
}

static int walk_fkt(const vg_store_t *s, const fkt_t *t, vg_ind_type_t type, visit_fn fn, void *ctx)
{
	uint64_t rs = t->w + 4;
	for (uint64_t i = 0; i < t->n; i++) {
		const uint8_t *r = t->rec + i * rs;
		vg_match_t m = {0};
		m.type = type;
		m.prefix = 128;
		uint32_t ref;
		memcpy(&ref, r + t->w, 4);
		switch (type) {
		case VG_IND_IPV6: memcpy(m.ip.a, r, 16); break;
		case VG_IND_IPPORT4:
			vg_ip_set4(&m.ip, (uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 |
						  (uint32_t)r[2] << 8 | r[3]);
			m.port = (uint16_t)(r[4] << 8 | r[5]);
			break;
		case VG_IND_IPPORT6:
			memcpy(m.ip.a, r, 16);
			m.port = (uint16_t)(r[16] << 8 | r[17]);
			break;
		default: m.hash = r; break;
		}
		int rc = emit_ref(s, &m, ref, fn, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

/* Sorting works on arrays of pointers into the store (no global state). */
static int cmp_cidr(const void *a, const void *b)
{
	const cidr_rec_t *x = *(const cidr_rec_t *const *)a;
	const cidr_rec_t *y = *(const cidr_rec_t *const *)b;
	int c = memcmp(x->net, y->net, 16);
	if (c)
		return c;
	return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int walk_cidrs(const vg_store_t *s, bool v4, visit_fn fn, void *ctx)
{
	const cidr_rec_t **idx = NULL;
	uint64_t n = 0;
	if (s->n_cidrs) {
		idx = malloc(s->n_cidrs * sizeof *idx);
		if (!idx)
			return VG_ENOMEM;
	}
	for (uint64_t i = 0; i < s->n_cidrs; i++) {
		vg_ip_t ip;
		memcpy(ip.a, s->cidrs[i].net, 16);
		bool is4 = vg_ip_is4(&ip) && s->cidrs[i].prefix >= 96;
		if (is4 == v4)
			idx[n++] = &s->cidrs[i];
	}
	if (n > 1)
		qsort(idx, n, sizeof *idx, cmp_cidr);
	int rc = 0;
	for (uint64_t i = 0; i < n && !rc; i++) {
		const cidr_rec_t *c = idx[i];
		vg_match_t m = {0};
		m.type = v4 ? VG_IND_CIDR4 : VG_IND_CIDR6;
		memcpy(m.ip.a, c->net, 16);
		m.prefix = (uint8_t)c->prefix;
		rc = emit_ref(s, &m, c->ref, fn, ctx);
	}
	free(idx);
	return rc;
}

static int walk_strtab(const vg_store_t *s, const strtab_t *t, vg_ind_type_t type, visit_fn fn,
		       void *ctx)
{
	if (!t->count || !t->arena_len)
		return 0;
	const char **offs = malloc(t->count * sizeof *offs);
	if (!offs)
		return VG_ENOMEM;
	uint64_t n = 0;
	for (uint64_t off = 0; off < t->arena_len && n < t->count;) {
		offs[n++] = t->arena + off;
		const char *z = memchr(t->arena + off, 0, t->arena_len - off);
		if (!z)
			break;
		off = (uint64_t)(z - t->arena) + 1;
	}
	if (n > 1)
		qsort(offs, n, sizeof *offs, cmp_str);
	int rc = 0;
	for (uint64_t i = 0; i < n && !rc; i++) {
		vg_match_t m = {0};
		m.type = type;
		uint32_t off = (uint32_t)(offs[i] - t->arena);
		m.str = offs[i];
		m.len = (uint32_t)strnlen(m.str, t->arena_len - off);
		rc = emit_ref(s, &m, vg_strtab_ref(t, off), fn, ctx);
	}
	free(offs);
	return rc;
}

int vg_store_foreach(const vg_store_t *s, int (*fn)(void *ctx, const vg_match_t *m), void *ctx)
{
	if (!s || !fn)
		return VG_EINVAL;
	int rc = 0;
	for (uint64_t i = 0; i < s->n_ip4 && !rc; i++) {
		vg_match_t m = {0};
		m.type = VG_IND_IPV4;
		m.prefix = 128;
		vg_ip_set4(&m.ip, (uint32_t)(s->ip4[i] >> 32));
		rc = emit_ref(s, &m, (uint32_t)s->ip4[i], fn, ctx);
	}
	if (!rc)
		rc = walk_fkt(s, &s->ip6, VG_IND_IPV6, fn, ctx);
	if (!rc)
		rc = walk_cidrs(s, true, fn, ctx);
	if (!rc)
		rc = walk_cidrs(s, false, fn, ctx);
	if (!rc)
		rc = walk_fkt(s, &s->ipp4, VG_IND_IPPORT4, fn, ctx);
	if (!rc)
		rc = walk_fkt(s, &s->ipp6, VG_IND_IPPORT6, fn, ctx);
	if (!rc)
		rc = walk_strtab(s, &s->dom, VG_IND_DOMAIN, fn, ctx);
	if (!rc)
		rc = walk_strtab(s, &s->url, VG_IND_URL, fn, ctx);
	if (!rc)
		rc = walk_fkt(s, &s->md5, VG_IND_MD5, fn, ctx);
	if (!rc)
		rc = walk_fkt(s, &s->sha1, VG_IND_SHA1, fn, ctx);
	if (!rc)
		rc = walk_fkt(s, &s->sha256, VG_IND_SHA256, fn, ctx);
	return rc;
}
