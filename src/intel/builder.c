// SPDX-License-Identifier: Apache-2.0
/*
 * builder.c — accumulates indicators and freezes them into an immutable
 * store (layout in store_int.h).
 *
 * Memory is the constraint that shaped this file (target: the built store
 * no bigger than the text list it came from):
 *  - exact IPv4 are kept as one u64 (ip << 32 | meta) while loading, sorted
 *    in place at build time, and that same array becomes the final section;
 *  - domains and URLs go straight into their final arena and Swiss table
 *    while loading (duplicates are detected on insert), so there is no
 *    second copy at build time;
 *  - other types (IPv6, ip:port, hashes, CIDRs) are rarer and are kept as
 *    fixed-width records sorted at build.
 * Metadata records and their strings are interned: a 400,000-line list
 * from one file has one meta record.
 *
 * Not thread-safe: one builder per thread.  The store it builds is
 * immutable and shared freely.
 */
#include "intel/store_int.h"
#include "lib/hash.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- small growable arrays ------------------------------------------------ */

typedef struct vec {
	uint8_t *p;
	uint64_t n, cap; /* in elements */
	uint32_t esz;
} vec_t;

static void *vec_push(vec_t *v)
{
	if (v->n == v->cap) {
		uint64_t cap = v->cap ? v->cap * 2 : 64;
		void *p = realloc(v->p, cap * v->esz);
		if (!p)
			return NULL;
		v->p = p;
		v->cap = cap;
	}
	return v->p + v->n++ * v->esz;
}

static void vec_shrink(vec_t *v)
{
	if (v->n && v->n < v->cap) {
		void *p = realloc(v->p, v->n * v->esz);
		if (p) {
			v->p = p;
			v->cap = v->n;
		}
	}
}

/* ---- a u64 -> u32 hash map (open addressing; key 0 reserved) ------------------ */

typedef struct u64map {
	uint64_t *k;
	uint32_t *v;
	uint64_t cap, n;
} u64map_t;

static int u64map_grow(u64map_t *m)
{
	uint64_t ncap = m->cap ? m->cap * 2 : 256;
	uint64_t *k = calloc(ncap, sizeof *k);
	uint32_t *v = calloc(ncap, sizeof *v);
	if (!k || !v) {
		free(k);
		free(v);
		return VG_ENOMEM;
	}
	for (uint64_t i = 0; i < m->cap; i++) {
		if (!m->k[i])
			continue;
		uint64_t j = vg_hash_u64(m->k[i]) & (ncap - 1);
		while (k[j])
			j = (j + 1) & (ncap - 1);
		k[j] = m->k[i];
		v[j] = m->v[i];
	}
	free(m->k);
	free(m->v);
	m->k = k;
	m->v = v;
	m->cap = ncap;
	return 0;
}

/* Returns a pointer to the value for key (inserting val if absent; *found
 * says which).  NULL on OOM. */
static uint32_t *u64map_put(u64map_t *m, uint64_t key, uint32_t val, bool *found)
{
	if ((m->n + 1) * 4 > m->cap * 3 && u64map_grow(m))
		return NULL;
	uint64_t j = vg_hash_u64(key) & (m->cap - 1);
	while (m->k[j]) {
		if (m->k[j] == key) {
			*found = true;
			return &m->v[j];
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->k[j] = key;
	m->v[j] = val;
	m->n++;
	*found = false;
	return &m->v[j];
}

static void u64map_release(u64map_t *m)
{
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof *m);
}

/* ---- string table under construction ------------------------------------------- */

typedef struct strtab_b {
	uint8_t *ctrl;
	uint32_t *slot;
	uint64_t cap, count;
	char *arena;
	uint64_t alen, acap;
	vec_t runs; /* u32 pairs */
	vec_t over; /* u64: off << 32 | meta, extra metas of a key */
	u64map_t overset; /* (off << 32 | meta) + 1 -> 1: the pairs already present */
} strtab_b_t;

static uint64_t probe_empty(const uint8_t *ctrl, uint64_t cap, uint64_t h)
{
	uint64_t mask = cap - 1, pos = h & mask;
	for (;;) {
		for (int i = 0; i < 16; i++)
			if (ctrl[(pos + (uint64_t)i) & mask] == VG_CTRL_EMPTY)
				return (pos + (uint64_t)i) & mask;
		pos = (pos + 16) & mask;
	}
}

static void ctrl_set(uint8_t *ctrl, uint64_t cap, uint64_t i, uint8_t tag)
{
	ctrl[i] = tag;
	if (i < 16)
		ctrl[cap + i] = tag;
}

static int strtab_grow(strtab_b_t *t)
{
	uint64_t ncap = t->cap ? t->cap * 2 : 1024;
	uint8_t *ctrl = malloc(ncap + 16);
	uint32_t *slot = malloc(ncap * sizeof *slot);
	if (!ctrl || !slot) {
		free(ctrl);
		free(slot);
		return VG_ENOMEM;
	}
	memset(ctrl, VG_CTRL_EMPTY, ncap + 16);
	for (uint64_t i = 0; i < t->cap; i++) {
		if (t->ctrl[i] == VG_CTRL_EMPTY)
			continue;
		const char *k = t->arena + t->slot[i];
		uint64_t h = vg_hash64(k, strlen(k), VG_STR_SEED);
		uint64_t j = probe_empty(ctrl, ncap, h);
		ctrl_set(ctrl, ncap, j, (uint8_t)(h >> 57));
		slot[j] = t->slot[i];
	}
	free(t->ctrl);
	free(t->slot);
	t->ctrl = ctrl;
	t->slot = slot;
	t->cap = ncap;
	return 0;
}

static strtab_t strtab_view(const strtab_b_t *t)
{
	strtab_t v = {0};
	v.ctrl = t->ctrl;
	v.slot = t->slot;
	v.cap = t->cap;
	v.arena = t->arena;
	v.arena_len = t->alen;
	v.runs = (const uint32_t *)t->runs.p;
	v.n_runs = t->runs.n;
	v.count = t->count;
	return v;
}

/* Insert key with meta.  Returns 1 added, 0 duplicate (same key and meta),
 * 2 added as an extra meta of an existing key, <0 on error. */
static int strtab_add(strtab_b_t *t, const char *key, size_t n, uint32_t meta)
{
	uint64_t h = vg_hash64(key, n, VG_STR_SEED);
	strtab_t v = strtab_view(t);
	uint32_t off = vg_strtab_find(&v, key, n, h);
	if (off != UINT32_MAX) {
		uint32_t prim = vg_strtab_ref(&v, off);
		if (prim == meta)
			return 0;
		bool found;
		uint64_t pk = ((uint64_t)off << 32 | meta) + 1;
		if (!u64map_put(&t->overset, pk, 1, &found))
			return VG_ENOMEM;
		if (found)
			return 0;
		uint64_t *o = vec_push(&t->over);
		if (!o)
			return VG_ENOMEM;
		*o = (uint64_t)off << 32 | meta;
		return 2;
	}
	if ((t->count + 1) * 8 > t->cap * 7 && strtab_grow(t))
		return VG_ENOMEM;
	if (t->alen + n + 1 > t->acap) {
		uint64_t cap = t->acap ? t->acap * 2 : 65536;
		while (cap < t->alen + n + 1)
			cap *= 2;
		if (cap > UINT32_MAX)
			return VG_ELIMIT;
		char *a = realloc(t->arena, cap);
		if (!a)
			return VG_ENOMEM;
		t->arena = a;
		t->acap = cap;
	}
	off = (uint32_t)t->alen;
	memcpy(t->arena + off, key, n);
	t->arena[off + n] = 0;
	t->alen += n + 1;
	uint64_t j = probe_empty(t->ctrl, t->cap, h);
	ctrl_set(t->ctrl, t->cap, j, (uint8_t)(h >> 57));
	t->slot[j] = off;
	t->count++;
	uint32_t *last = t->runs.n ? (uint32_t *)t->runs.p + 2 * (t->runs.n - 1) : NULL;
	if (!last || last[1] != meta) {
		uint32_t *r = vec_push(&t->runs);
		if (!r)
			return VG_ENOMEM;
		r[0] = off;
		r[1] = meta;
	}
	return 1;
}

static void strtab_b_release(strtab_b_t *t)
{
	free(t->ctrl);
	free(t->slot);
	free(t->arena);
	free(t->runs.p);
	free(t->over.p);
	u64map_release(&t->overset);
	memset(t, 0, sizeof *t);
}

/* ---- the builder ------------------------------------------------------------------ */

enum { FK_IP6, FK_IPP4, FK_IPP6, FK_MD5, FK_SHA1, FK_SHA256, FK__N };
static const uint32_t fk_w[FK__N] = {W_IP6, W_IPP4, W_IPP6, W_MD5, W_SHA1, W_SHA256};
static const int fk_sec[FK__N] = {SEC_IP6, SEC_IPP4, SEC_IPP6, SEC_MD5, SEC_SHA1, SEC_SHA256};

struct vg_builder {
	vg_builder_opts_t o;
	vec_t metas;     /* meta_rec_t */
	vec_t strs;      /* char */
	u64map_t strmap; /* hash -> offset+1 (collisions chained by probing hash+i) */
	u64map_t metamap;
	vec_t ip4;       /* u64 ip<<32|meta */
	vec_t fk[FK__N]; /* records [key W][meta u32] */
	vec_t cidrs;     /* cidr_rec_t (ref = meta) */
	strtab_b_t dom, url;
	uint64_t entries, expired;
	int64_t now;
};

vg_builder_t *vg_builder_new(const vg_builder_opts_t *opts)
{
	vg_builder_t *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	if (opts)
		b->o = *opts;
	b->metas.esz = sizeof(meta_rec_t);
	b->strs.esz = 1;
	b->ip4.esz = 8;
	for (int i = 0; i < FK__N; i++)
		b->fk[i].esz = fk_w[i] + 4;
	b->cidrs.esz = sizeof(cidr_rec_t);
	b->dom.runs.esz = b->url.runs.esz = 8;
	b->dom.over.esz = b->url.over.esz = 8;
	b->now = (int64_t)time(NULL);
	char *z = vec_push(&b->strs); /* offset 0 is "" */
	if (!z) {
		free(b);
		return NULL;
	}
	*z = 0;
	return b;
}

void vg_builder_free(vg_builder_t *b)
{
	if (!b)
		return;
	free(b->metas.p);
	free(b->strs.p);
	u64map_release(&b->strmap);
	u64map_release(&b->metamap);
	free(b->ip4.p);
	for (int i = 0; i < FK__N; i++)
		free(b->fk[i].p);
	free(b->cidrs.p);
	strtab_b_release(&b->dom);
	strtab_b_release(&b->url);
	free(b);
}

/* Intern a string; *off receives its offset in strs. */
static int intern_str(vg_builder_t *b, const char *s, uint32_t *off)
{
	if (!s || !*s) {
		*off = 0;
		return 0;
	}
	size_t n = strlen(s);
	uint64_t h = vg_hash64(s, n, 1);
	for (uint64_t probe = 0;; probe++) {
		uint64_t key = (h + probe) | 1; /* never 0 */
		bool found;
		uint32_t *v = u64map_put(&b->strmap, key, 0, &found);
		if (!v)
			return VG_ENOMEM;
		if (found) {
			if (!strcmp((const char *)b->strs.p + *v, s)) {
				*off = *v;
				return 0;
			}
			continue; /* hash collision: next probe key */
		}
		if (b->strs.n + n + 1 > UINT32_MAX)
			return VG_ELIMIT;
		uint32_t o = (uint32_t)b->strs.n;
		for (size_t i = 0; i <= n; i++) {
			char *c = vec_push(&b->strs);
			if (!c)
				return VG_ENOMEM;
			*c = s[i];
		}
		*v = o;
		*off = o;
		return 0;
	}
}

int vg_builder_meta(vg_builder_t *b, const vg_meta_t *m, uint32_t *id)
{
	*id = 0;
	meta_rec_t r;
	memset(&r, 0, sizeof r);
	int rc;
	if ((rc = intern_str(b, m->source, &r.source)) || (rc = intern_str(b, m->category, &r.category)) ||
	    (rc = intern_str(b, m->description, &r.description)) ||
	    (rc = intern_str(b, m->reference, &r.reference)))
		return rc;
	r.confidence = m->confidence < -1 ? -1 : m->confidence > 100 ? 100 : m->confidence;
	r.tlp = (uint32_t)m->tlp;
	r.valid_from = m->valid_from;
	r.valid_until = m->valid_until;
	uint64_t h = vg_hash64(&r, sizeof r, 2);
	for (uint64_t probe = 0;; probe++) {
		bool found;
		uint32_t *v = u64map_put(&b->metamap, (h + probe) | 1, 0, &found);
		if (!v)
			return VG_ENOMEM;
		if (found) {
			if (!memcmp((meta_rec_t *)b->metas.p + *v, &r, sizeof r)) {
				*id = *v;
				return 0;
			}
			continue;
		}
		if (b->metas.n >= VG_REF_LIST)
			return VG_ELIMIT;
		meta_rec_t *d = vec_push(&b->metas);
		if (!d)
			return VG_ENOMEM;
		*d = r;
		*v = (uint32_t)(b->metas.n - 1);
		*id = *v;
		return 0;
	}
}

static int push_fk(vg_builder_t *b, int k, const uint8_t *key, uint32_t meta)
{
	uint8_t *r = vec_push(&b->fk[k]);
	if (!r)
		return VG_ENOMEM;
	memcpy(r, key, fk_w[k]);
	memcpy(r + fk_w[k], &meta, 4);
	return 0;
}

int vg_builder_add(vg_builder_t *b, const vg_ind_t *ind, uint32_t meta)
{
	bool dup;
	return vg_builder_add_dup(b, ind, meta, &dup);
}

int vg_builder_add_dup(vg_builder_t *b, const vg_ind_t *ind, uint32_t meta, bool *dup)
{
	*dup = false;
	if (meta >= b->metas.n)
		return VG_EINVAL;
	int rc = 0;
	uint8_t key[W_IPP6];
	switch (ind->type) {
	case VG_IND_IPV4:
	case VG_IND_IPV6:
	case VG_IND_CIDR4:
	case VG_IND_CIDR6:
	case VG_IND_IPPORT4:
	case VG_IND_IPPORT6:
		if (!b->o.allow_reserved && vg_ip_reserved(&ind->ip, ind->prefix))
			return VG_ERESERVED;
		break;
	default: break;
	}
	switch (ind->type) {
	case VG_IND_IPV4: {
		uint64_t *e = vec_push(&b->ip4);
		if (!e)
			return VG_ENOMEM;
		*e = (uint64_t)vg_ip_v4(&ind->ip) << 32 | meta;
		break;
	}
	case VG_IND_IPV6: rc = push_fk(b, FK_IP6, ind->ip.a, meta); break;
	case VG_IND_IPPORT4: {
		uint32_t v4 = vg_ip_v4(&ind->ip);
		key[0] = (uint8_t)(v4 >> 24);
		key[1] = (uint8_t)(v4 >> 16);
		key[2] = (uint8_t)(v4 >> 8);
		key[3] = (uint8_t)v4;
		key[4] = (uint8_t)(ind->port >> 8);
		key[5] = (uint8_t)ind->port;
		rc = push_fk(b, FK_IPP4, key, meta);
		break;
	}
	case VG_IND_IPPORT6:
		memcpy(key, ind->ip.a, 16);
		key[16] = (uint8_t)(ind->port >> 8);
		key[17] = (uint8_t)ind->port;
		rc = push_fk(b, FK_IPP6, key, meta);
		break;
	case VG_IND_MD5: rc = push_fk(b, FK_MD5, ind->hash, meta); break;
	case VG_IND_SHA1: rc = push_fk(b, FK_SHA1, ind->hash, meta); break;
	case VG_IND_SHA256: rc = push_fk(b, FK_SHA256, ind->hash, meta); break;
	case VG_IND_CIDR4:
	case VG_IND_CIDR6: {
		if (ind->prefix > 128)
			return VG_EINVAL;
		cidr_rec_t *c = vec_push(&b->cidrs);
		if (!c)
			return VG_ENOMEM;
		memcpy(c->net, ind->ip.a, 16);
		/* clear host bits defensively: the store's invariants rely on it */
		vg_u128 net = vg_u128_of(c->net);
		if (ind->prefix < 128)
			net &= ~(((vg_u128)1 << (128 - ind->prefix)) - 1);
		vg_u128_put(net, c->net);
		c->prefix = ind->prefix;
		c->ref = meta;
		break;
	}
	case VG_IND_DOMAIN:
	case VG_IND_URL: {
		if (ind->len == 0 || memchr(ind->str, 0, ind->len))
			return VG_EINVAL;
		rc = strtab_add(ind->type == VG_IND_DOMAIN ? &b->dom : &b->url, ind->str, ind->len,
				meta);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			*dup = true; /* duplicate: not a new entry */
			return 0;
		}
		rc = 0;
		break;
	}
	default: return VG_EINVAL;
	}
	if (rc)
		return rc;
	b->entries++;
	const meta_rec_t *m = (const meta_rec_t *)b->metas.p + meta;
	if (m->valid_until && m->valid_until < b->now)
		b->expired++;
	return 0;
}

/* ---- freezing ---------------------------------------------------------------------- */

/* Append a ref list [count, metas...] to lists; returns VG_REF_LIST|index. */
static int list_add(vec_t *lists, const uint32_t *ids, uint32_t n, uint32_t *ref)
{
	if (lists->n + n + 1 >= VG_REF_LIST)
		return VG_ELIMIT;
	uint32_t at = (uint32_t)lists->n;
	uint32_t *c = vec_push(lists);
	if (!c)
		return VG_ENOMEM;
	*c = n;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t *e = vec_push(lists);
		if (!e)
			return VG_ENOMEM;
		*e = ids[i];
	}
	*ref = VG_REF_LIST | at;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sort u64 in place: counting sort by the top 16 bits (American flag sort,
 * in place, O(n)), then each bucket by qsort.  Builds idx[65537] too. */
static void sort_ip4(uint64_t *a, uint64_t n, uint32_t *idx)
{
	uint64_t cnt[65536] = {0};
	for (uint64_t i = 0; i < n; i++)
		cnt[a[i] >> 48]++;
	uint64_t *start = malloc(65537 * sizeof *start), *next = malloc(65536 * sizeof *next);
	if (!start || !next) {
		free(start);
		free(next);
		qsort(a, n, 8, cmp_u64);
		for (uint64_t b = 0, i = 0; b <= 65536; b++) {
			while (i < n && (a[i] >> 48) < b)
				i++;
			if (idx)
				idx[b] = (uint32_t)i;
		}
		return;
	}
	start[0] = 0;
	for (int bk = 0; bk < 65536; bk++)
		start[bk + 1] = start[bk] + cnt[bk];
	memcpy(next, start, 65536 * sizeof *next);
	for (int bk = 0; bk < 65536; bk++) {
		while (next[bk] < start[bk + 1]) {
			uint64_t v = a[next[bk]];
			unsigned d = (unsigned)(v >> 48);
			if (d == (unsigned)bk) {
				next[bk]++;
				continue;
			}
			/* cycle: put v where it belongs, pick up what was there */
			while (d != (unsigned)bk) {
				uint64_t t = a[next[d]];
				a[next[d]++] = v;
				v = t;
				d = (unsigned)(v >> 48);
			}
			a[next[bk]++] = v;
		}
	}
	for (int bk = 0; bk < 65536; bk++) {
		uint64_t m = start[bk + 1] - start[bk];
		if (m > 1)
			qsort(a + start[bk], m, 8, cmp_u64);
	}
	for (int bk = 0; bk <= 65536; bk++)
		if (idx)
			idx[bk] = (uint32_t)start[bk];
	free(start);
	free(next);
}

static uint32_t g_fk_w; /* qsort has no context argument: key width of the current sort */
static int cmp_fk(const void *a, const void *b)
{
	int c = memcmp(a, b, g_fk_w);
	if (c)
		return c;
	uint32_t x, y;
	memcpy(&x, (const uint8_t *)a + g_fk_w, 4);
	memcpy(&y, (const uint8_t *)b + g_fk_w, 4);
	return x < y ? -1 : x > y;
}

/* Sort and deduplicate fixed-width records; same key with several metas
 * become one record with a list ref. */
static int freeze_fk(vec_t *v, uint32_t w, vec_t *lists, uint64_t *dups)
{
	if (!v->n)
		return 0;
	size_t rs = w + 4;
	g_fk_w = w;
	qsort(v->p, v->n, rs, cmp_fk);
	uint64_t out = 0;
	uint32_t *ids = malloc(sizeof(uint32_t) * 1024);
	if (!ids)
		return VG_ENOMEM;
	for (uint64_t i = 0; i < v->n;) {
		uint64_t j = i;
		uint32_t nids = 0;
		while (j < v->n && !memcmp(v->p + j * rs, v->p + i * rs, w)) {
			uint32_t m;
			memcpy(&m, v->p + j * rs + w, 4);
			if (nids == 0 || ids[nids - 1] != m) {
				if (nids < 1024)
					ids[nids++] = m;
			} else {
				(*dups)++;
			}
			j++;
		}
		uint32_t ref = ids[0];
		if (nids > 1) {
			int rc = list_add(lists, ids, nids, &ref);
			if (rc) {
				free(ids);
				return rc;
			}
		}
		memmove(v->p + out * rs, v->p + i * rs, w);
		memcpy(v->p + out * rs + w, &ref, 4);
		out++;
		i = j;
	}
	free(ids);
	v->n = out;
	vec_shrink(v);
	return 0;
}

static int freeze_ip4(vg_builder_t *b, vec_t *lists, uint32_t **idx_out, uint64_t *dups)
{
	vec_t *v = &b->ip4;
	*idx_out = NULL;
	if (!v->n)
		return 0;
	uint64_t *a = (uint64_t *)v->p;
	sort_ip4(a, v->n, NULL);
	uint64_t out = 0;
	uint32_t ids[256];
	for (uint64_t i = 0; i < v->n;) {
		uint32_t ip = (uint32_t)(a[i] >> 32);
		uint32_t nids = 0;
		uint64_t j = i;
		while (j < v->n && (uint32_t)(a[j] >> 32) == ip) {
			uint32_t m = (uint32_t)a[j];
			if (nids == 0 || ids[nids - 1] != m) {
				if (nids < 256)
					ids[nids++] = m;
			} else {
				(*dups)++;
			}
			j++;
		}
		uint32_t ref = ids[0];
		if (nids > 1) {
			int rc = list_add(lists, ids, nids, &ref);
			if (rc)
				return rc;
		}
		a[out++] = (uint64_t)ip << 32 | ref;
		i = j;
	}
	v->n = out;
	vec_shrink(v);
	a = (uint64_t *)v->p;
	if (out >= 4096) {
		uint32_t *idx = malloc(65537 * sizeof *idx);
		if (!idx)
			return VG_ENOMEM;
		for (uint64_t bk = 0, i = 0; bk <= 65536; bk++) {
			while (i < out && (a[i] >> 48) < bk)
				i++;
			idx[bk] = (uint32_t)i;
		}
		*idx_out = idx;
	}
	return 0;
}

static int cmp_cidr(const void *a, const void *b)
{
	const cidr_rec_t *x = a, *y = b;
	int c = memcmp(x->net, y->net, 16);
	if (c)
		return c;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1; /* bigger block first */
	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

typedef struct ivb {
	vec_t start; /* vg_u128 */
	vec_t set;   /* u32 */
} ivb_t;

static int iv_emit(ivb_t *iv, vg_u128 at, uint32_t set)
{
	if (iv->start.n && ((vg_u128 *)iv->start.p)[iv->start.n - 1] == at) {
		((uint32_t *)iv->set.p)[iv->set.n - 1] = set; /* later state wins at one point */
		return 0;
	}
	vg_u128 *s = vec_push(&iv->start);
	uint32_t *t = vec_push(&iv->set);
	if (!s || !t)
		return VG_ENOMEM;
	*s = at;
	*t = set;
	return 0;
}

/* The set for the current stack (innermost first) as a list; NONE if empty. */
static int stack_set(const uint32_t *stack, uint32_t depth, vec_t *lists, uint32_t *set)
{
	if (!depth) {
		*set = VG_SET_NONE;
		return 0;
	}
	uint32_t tmp[129];
	for (uint32_t i = 0; i < depth; i++)
		tmp[i] = stack[depth - 1 - i];
	uint32_t ref;
	int rc = list_add(lists, tmp, depth, &ref);
	*set = ref & ~VG_REF_LIST;
	return rc;
}

static inline vg_u128 cidr_end(const cidr_rec_t *c)
{
	vg_u128 s = vg_u128_of(c->net);
	return c->prefix >= 128 ? s : s | ((((vg_u128)1) << (128 - c->prefix)) - 1);
}

/* Flatten nested CIDRs into disjoint elementary intervals, each with the
 * list of CIDRs containing it, most specific first. */
static int freeze_cidrs(vg_builder_t *b, vec_t *lists, ivb_t *iv, uint64_t *dups)
{
	vec_t *v = &b->cidrs;
	if (!v->n)
		return 0;
	qsort(v->p, v->n, sizeof(cidr_rec_t), cmp_cidr);
	cidr_rec_t *c = (cidr_rec_t *)v->p;
	uint64_t out = 0;
	uint32_t ids[256];
	for (uint64_t i = 0; i < v->n;) {
		uint64_t j = i;
		uint32_t nids = 0;
		while (j < v->n && !memcmp(c[j].net, c[i].net, 16) && c[j].prefix == c[i].prefix) {
			if (nids == 0 || ids[nids - 1] != c[j].ref) {
				if (nids < 256)
					ids[nids++] = c[j].ref;
			} else {
				(*dups)++;
			}
			j++;
		}
		cidr_rec_t r = c[i];
		if (nids > 1) {
			int rc = list_add(lists, ids, nids, &r.ref);
			if (rc)
				return rc;
		}
		c[out++] = r;
		i = j;
	}
	v->n = out;
	vec_shrink(v);
	c = (cidr_rec_t *)v->p;
	/* sweep: CIDRs are nested or disjoint, so a stack holds the open ones */
	uint32_t stack[129];
	uint32_t depth = 0;
	int rc;
	if ((rc = iv_emit(iv, 0, VG_SET_NONE)))
		return rc;
	for (uint64_t i = 0; i <= out; i++) {
		vg_u128 s = i < out ? vg_u128_of(c[i].net) : 0;
		while (depth && (i == out || cidr_end(&c[stack[depth - 1]]) < s)) {
			vg_u128 e = cidr_end(&c[stack[depth - 1]]);
			depth--;
			if (e == ~(vg_u128)0)
				continue; /* ends at the top of the space */
			uint32_t set;
			if ((rc = stack_set(stack, depth, lists, &set)) || (rc = iv_emit(iv, e + 1, set)))
				return rc;
		}
		if (i == out)
			break;
		if (depth >= 129)
			return VG_EINVAL; /* impossible: at most 129 nested prefix lengths */
		stack[depth++] = (uint32_t)i;
		uint32_t set;
		if ((rc = stack_set(stack, depth, lists, &set)) || (rc = iv_emit(iv, s, set)))
			return rc;
	}
	return 0;
}

/* ---- per-file duplicate accounting ------------------------------------------------- */

void vg_builder_mark(const vg_builder_t *b, vg_builder_mark_t *m)
{
	m->ip4 = b->ip4.n;
	for (int k = 0; k < FK__N; k++)
		m->fk[k] = b->fk[k].n;
	m->cidrs = b->cidrs.n;
}

/* A record whose (value, meta) pair was removed: fix the entry counters. */
static void unadd(vg_builder_t *b, uint32_t meta)
{
	const meta_rec_t *m = (const meta_rec_t *)b->metas.p + meta;
	b->entries--;
	if (m->valid_until && m->valid_until < b->now)
		b->expired--;
}

static int cmp_rec(const void *a, const void *b)
{
	return memcmp(a, b, g_fk_w + 4);
}

void vg_builder_dedup_since(vg_builder_t *b, const vg_builder_mark_t *mk,
			    uint64_t dups[VG_IND__COUNT])
{
	/* exact IPv4: sort the tail by (ip, meta), drop repeats */
	uint64_t *a = (uint64_t *)b->ip4.p, from = mk->ip4, n = b->ip4.n;
	if (n - from > 1) {
		if (n - from > 65536)
			sort_ip4(a + from, n - from, NULL);
		else
			qsort(a + from, n - from, 8, cmp_u64);
		uint64_t out = from + 1;
		for (uint64_t i = from + 1; i < n; i++) {
			if (a[i] == a[out - 1]) {
				dups[VG_IND_IPV4]++;
				unadd(b, (uint32_t)a[i]);
				continue;
			}
			a[out++] = a[i];
		}
		b->ip4.n = out;
	}
	static const vg_ind_type_t fk_type[FK__N] = {VG_IND_IPV6, VG_IND_IPPORT4, VG_IND_IPPORT6,
						     VG_IND_MD5, VG_IND_SHA1, VG_IND_SHA256};
	for (int k = 0; k < FK__N; k++) {
		vec_t *v = &b->fk[k];
		uint64_t f = mk->fk[k], rs = fk_w[k] + 4;
		if (v->n - f < 2)
			continue;
		g_fk_w = fk_w[k];
		qsort(v->p + f * rs, v->n - f, rs, cmp_rec);
		uint64_t out = f + 1;
		for (uint64_t i = f + 1; i < v->n; i++) {
			if (!memcmp(v->p + i * rs, v->p + (out - 1) * rs, rs)) {
				uint32_t m;
				memcpy(&m, v->p + i * rs + fk_w[k], 4);
				dups[fk_type[k]]++;
				unadd(b, m);
				continue;
			}
			memmove(v->p + out * rs, v->p + i * rs, rs);
			out++;
		}
		v->n = out;
	}
	cidr_rec_t *c = (cidr_rec_t *)b->cidrs.p;
	from = mk->cidrs;
	n = b->cidrs.n;
	if (n - from > 1) {
		qsort(c + from, n - from, sizeof *c, cmp_cidr);
		uint64_t out = from + 1;
		for (uint64_t i = from + 1; i < n; i++) {
			if (!memcmp(c[i].net, c[out - 1].net, 16) && c[i].prefix == c[out - 1].prefix &&
			    c[i].ref == c[out - 1].ref) {
				vg_ip_t ip;
				memcpy(ip.a, c[i].net, 16);
				dups[vg_ip_is4(&ip) && c[i].prefix >= 96 ? VG_IND_CIDR4 : VG_IND_CIDR6]++;
				unadd(b, c[i].ref);
				continue;
			}
			c[out++] = c[i];
		}
		b->cidrs.n = out;
	}
}

static void set_sec(vg_store_t *s, int k, void *p, uint64_t len)
{
	s->sec[k].p = p;
	s->sec[k].len = len;
}

static const vg_u128 MAPPED_LO = ((vg_u128)0xffff) << 32;
static const vg_u128 MAPPED_HI = (((vg_u128)0xffff) << 32) | 0xffffffffu;

/* Split the 128-bit intervals into the IPv4 (u32) array and the IPv6 array
 * of intervals outside the v4-mapped range. */
static int split_iv(vg_store_t *s, ivb_t *iv)
{
	uint64_t n = iv->start.n;
	const vg_u128 *st = (const vg_u128 *)iv->start.p;
	const uint32_t *set = (const uint32_t *)iv->set.p;
	if (!n)
		return 0;
	uint32_t at_lo = VG_SET_NONE, at_hi = VG_SET_NONE;
	bool hi_exact = false;
	uint64_t n4 = 1, n6 = 1;
	for (uint64_t i = 0; i < n; i++) {
		if (st[i] <= MAPPED_LO)
			at_lo = set[i];
		if (st[i] <= MAPPED_HI + 1)
			at_hi = set[i];
		if (st[i] == MAPPED_HI + 1)
			hi_exact = true;
		if (st[i] > MAPPED_LO && st[i] <= MAPPED_HI)
			n4++;
		else
			n6++;
	}
	uint32_t *s4 = malloc(n4 * 4), *t4 = malloc(n4 * 4), *idx = malloc(65537 * 4);
	vg_u128 *s6 = malloc(n6 * 16);
	uint32_t *t6 = malloc(n6 * 4);
	if (!s4 || !t4 || !s6 || !t6 || !idx) {
		free(s4);
		free(t4);
		free(s6);
		free(t6);
		free(idx);
		return VG_ENOMEM;
	}
	uint64_t k4 = 0, k6 = 0;
	s4[k4] = 0; /* v4 addresses start with the set in force at ::ffff:0.0.0.0 */
	t4[k4++] = at_lo;
	for (uint64_t i = 0; i < n; i++) {
		if (st[i] > MAPPED_LO && st[i] <= MAPPED_HI) {
			s4[k4] = (uint32_t)(st[i] - MAPPED_LO);
			t4[k4++] = set[i];
			continue;
		}
		if (st[i] > MAPPED_HI + 1 && !hi_exact) {
			hi_exact = true; /* v6 addresses past the mapped range */
			s6[k6] = MAPPED_HI + 1;
			t6[k6++] = at_hi;
		}
		s6[k6] = st[i];
		t6[k6++] = set[i];
	}
	if (!hi_exact) {
		s6[k6] = MAPPED_HI + 1;
		t6[k6++] = at_hi;
	}
	for (uint64_t bk = 0, i = 0; bk <= 65536; bk++) {
		while (i < k4 && (s4[i] >> 16) < bk)
			i++;
		idx[bk] = (uint32_t)i;
	}
	if (k4 < 4096) { /* small: a plain binary search beats a 256 KiB index */
		free(idx);
		idx = NULL;
	}
	set_sec(s, SEC_IV4START, s4, k4 * 4);
	set_sec(s, SEC_IV4SET, t4, k4 * 4);
	set_sec(s, SEC_IV4IDX, idx, idx ? 65537 * 4 : 0);
	set_sec(s, SEC_IV6START, s6, k6 * 16);
	set_sec(s, SEC_IV6SET, t6, k6 * 4);
	return 0;
}

static int cmp_over(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Move a string table into the store's sections, folding overrides. */
static int freeze_strtab(vg_store_t *s, strtab_b_t *t, vec_t *lists, int sec0)
{
	uint32_t *over = NULL;
	uint64_t n_over = 0;
	if (t->over.n) {
		uint64_t *o = (uint64_t *)t->over.p;
		qsort(o, t->over.n, 8, cmp_over);
		over = malloc(t->over.n * 8);
		if (!over)
			return VG_ENOMEM;
		strtab_t v = strtab_view(t);
		uint32_t ids[256];
		for (uint64_t i = 0; i < t->over.n;) {
			uint32_t off = (uint32_t)(o[i] >> 32);
			uint32_t nids = 0;
			ids[nids++] = vg_strtab_ref(&v, off);
			uint64_t j = i;
			while (j < t->over.n && (uint32_t)(o[j] >> 32) == off) {
				if (nids < 256)
					ids[nids++] = (uint32_t)o[j];
				j++;
			}
			uint32_t ref;
			int rc = list_add(lists, ids, nids, &ref);
			if (rc) {
				free(over);
				return rc;
			}
			over[2 * n_over] = off;
			over[2 * n_over + 1] = ref;
			n_over++;
			i = j;
		}
	}
	if (t->arena && t->alen < t->acap) {
		char *a = realloc(t->arena, t->alen ? t->alen : 1);
		if (a)
			t->arena = a;
	}
	vec_shrink(&t->runs);
	uint64_t cap = t->cap;
	set_sec(s, sec0 + 0, t->ctrl, cap ? cap + 16 : 0);
	set_sec(s, sec0 + 1, t->slot, cap * 4);
	set_sec(s, sec0 + 2, t->arena, t->alen);
	set_sec(s, sec0 + 3, t->runs.p, t->runs.n * 8);
	set_sec(s, sec0 + 4, over, n_over * 8);
	t->ctrl = NULL;
	t->slot = NULL;
	t->arena = NULL;
	t->runs.p = NULL;
	t->runs.n = 0;
	return 0;
}

int vg_builder_build(vg_builder_t *b, vg_store_t **out)
{
	*out = NULL;
	vg_store_t *s = calloc(1, sizeof *s);
	if (!s)
		return VG_ENOMEM;
	s->heap = true;
	vec_t lists = {.esz = 4};
	uint64_t dups = 0;
	int rc;
	uint32_t *ip4idx = NULL;
	ivb_t iv = {.start = {.esz = 16}, .set = {.esz = 4}};

	if ((rc = freeze_ip4(b, &lists, &ip4idx, &dups)))
		goto fail;
	set_sec(s, SEC_IP4, b->ip4.p, b->ip4.n * 8);
	b->ip4.p = NULL;
	b->ip4.n = 0;
	set_sec(s, SEC_IP4IDX, ip4idx, ip4idx ? 65537 * 4 : 0);
	for (int k = 0; k < FK__N; k++) {
		if ((rc = freeze_fk(&b->fk[k], fk_w[k], &lists, &dups)))
			goto fail;
		set_sec(s, fk_sec[k], b->fk[k].p, b->fk[k].n * (fk_w[k] + 4));
		b->fk[k].p = NULL;
		b->fk[k].n = 0;
	}
	if ((rc = freeze_cidrs(b, &lists, &iv, &dups)))
		goto fail;
	set_sec(s, SEC_CIDRS, b->cidrs.p, b->cidrs.n * sizeof(cidr_rec_t));
	b->cidrs.p = NULL;
	b->cidrs.n = 0;
	if ((rc = split_iv(s, &iv)))
		goto fail;
	if ((rc = freeze_strtab(s, &b->dom, &lists, SEC_DOMCTRL)) ||
	    (rc = freeze_strtab(s, &b->url, &lists, SEC_URLCTRL)))
		goto fail;
	vec_shrink(&lists);
	set_sec(s, SEC_LISTS, lists.p, lists.n * 4);
	lists.p = NULL;
	set_sec(s, SEC_METAS, b->metas.p, b->metas.n * sizeof(meta_rec_t));
	b->metas.p = NULL;
	b->metas.n = 0;
	vec_shrink(&b->strs);
	set_sec(s, SEC_STRS, b->strs.p, b->strs.n);
	b->strs.p = NULL;
	b->strs.n = 0;
	free(iv.start.p);
	free(iv.set.p);
	s->entries = b->entries > dups ? b->entries - dups : 0;
	s->expired = b->expired;
	if ((rc = vg_store_bind(s))) {
		vg_store_free(s);
		return rc;
	}
	*out = s;
	return 0;
fail:
	free(lists.p);
	free(iv.start.p);
	free(iv.set.p);
	vg_store_free(s);
	return rc;
}
