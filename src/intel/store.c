// SPDX-License-Identifier: Apache-2.0
/*
 * store.c — lookups in an immutable indicator store (layout: store_int.h).
 *
 * The hot path of `vigil watch`: every observation (an IP pair, a DNS name,
 * an SNI, a URL) is looked up here.  No locks, no allocation, no writes:
 * any number of threads may look up concurrently.  IPv4 lookups cost one
 * read of a 256 KiB prefix index and a short binary search inside one
 * /16 bucket, for the exact table and for the CIDR intervals each; domain
 * lookups one Swiss-table probe per label suffix.
 *
 * Results are written most specific first: ip:port, exact address, CIDRs
 * from the longest prefix; the full domain, then each parent.  Each
 * (indicator, meta) pair is one vg_match_t; metas whose valid_until is
 * before `now` are skipped.
 */
#include "intel/store_int.h"
#include "lib/hash.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int vg_store_bind(struct vg_store *s)
{
	const sec_t *x = s->sec;
#define NREC(k, sz) ((x[k].len % (sz)) ? (uint64_t)-1 : x[k].len / (sz))
	s->metas = x[SEC_METAS].p;
	s->n_metas = NREC(SEC_METAS, sizeof(meta_rec_t));
	s->strs = x[SEC_STRS].p;
	s->strs_len = x[SEC_STRS].len;
	s->lists = x[SEC_LISTS].p;
	s->n_lists = NREC(SEC_LISTS, 4);
	s->ip4 = x[SEC_IP4].p;
	s->n_ip4 = NREC(SEC_IP4, 8);
	s->ip4idx = x[SEC_IP4IDX].len ? x[SEC_IP4IDX].p : NULL;
	if (x[SEC_IP4IDX].len && x[SEC_IP4IDX].len != 65537 * 4)
		return VG_ECORRUPT;
	static const struct {
		int sec;
		uint32_t w;
		size_t off;
	} fk[] = {
		{SEC_IP6, W_IP6, offsetof(struct vg_store, ip6)},
		{SEC_IPP4, W_IPP4, offsetof(struct vg_store, ipp4)},
		{SEC_IPP6, W_IPP6, offsetof(struct vg_store, ipp6)},
		{SEC_MD5, W_MD5, offsetof(struct vg_store, md5)},
		{SEC_SHA1, W_SHA1, offsetof(struct vg_store, sha1)},
		{SEC_SHA256, W_SHA256, offsetof(struct vg_store, sha256)},
	};
	for (size_t i = 0; i < sizeof fk / sizeof fk[0]; i++) {
		fkt_t *t = (fkt_t *)((char *)s + fk[i].off);
		t->rec = x[fk[i].sec].p;
		t->w = fk[i].w;
		t->n = NREC(fk[i].sec, fk[i].w + 4);
		if (t->n == (uint64_t)-1)
			return VG_ECORRUPT;
	}
	s->cidrs = x[SEC_CIDRS].p;
	s->n_cidrs = NREC(SEC_CIDRS, sizeof(cidr_rec_t));
	s->iv4start = x[SEC_IV4START].p;
	s->iv4set = x[SEC_IV4SET].p;
	s->iv4idx = x[SEC_IV4IDX].len ? x[SEC_IV4IDX].p : NULL;
	s->n_iv4 = NREC(SEC_IV4START, 4);
	if (x[SEC_IV4SET].len != x[SEC_IV4START].len)
		return VG_ECORRUPT;
	if (x[SEC_IV4IDX].len && x[SEC_IV4IDX].len != 65537 * 4)
		return VG_ECORRUPT;
	s->iv6start = x[SEC_IV6START].p;
	s->iv6set = x[SEC_IV6SET].p;
	s->n_iv6 = NREC(SEC_IV6START, 16);
	if (s->n_iv6 != (uint64_t)-1 && x[SEC_IV6SET].len != s->n_iv6 * 4)
		return VG_ECORRUPT;
	strtab_t *tabs[2] = {&s->dom, &s->url};
	for (int i = 0; i < 2; i++) {
		int k = i ? SEC_URLCTRL : SEC_DOMCTRL;
		strtab_t *t = tabs[i];
		t->ctrl = x[k].p;
		t->cap = x[k].len >= 16 ? x[k].len - 16 : 0;
		if (x[k].len && (x[k].len < 32 || (t->cap & (t->cap - 1))))
			return VG_ECORRUPT;
		t->slot = x[k + 1].p;
		if (x[k + 1].len != t->cap * 4)
			return VG_ECORRUPT;
		t->arena = x[k + 2].p;
		t->arena_len = x[k + 2].len;
		t->runs = x[k + 3].p;
		t->n_runs = NREC(k + 3, 8);
		t->over = x[k + 4].p;
		t->n_over = NREC(k + 4, 8);
		if (t->n_runs == (uint64_t)-1 || t->n_over == (uint64_t)-1)
			return VG_ECORRUPT;
		t->count = 0;
		for (uint64_t j = 0; j < t->cap; j++)
			t->count += t->ctrl[j] != VG_CTRL_EMPTY;
	}
	if (s->n_metas == (uint64_t)-1 || s->n_lists == (uint64_t)-1 || s->n_ip4 == (uint64_t)-1 ||
	    s->n_cidrs == (uint64_t)-1 || s->n_iv4 == (uint64_t)-1 || s->n_iv6 == (uint64_t)-1)
		return VG_ECORRUPT;
#undef NREC
	return 0;
}

void vg_store_free(vg_store_t *s)
{
	if (!s)
		return;
	if (s->heap)
		for (int i = 0; i < SEC__COUNT; i++)
			free(s->sec[i].p);
	if (s->map) {
		if (s->map_is_mmap)
			munmap(s->map, s->map_len);
		else
			free(s->map);
	}
	free(s);
}

int vg_store_empty(vg_store_t **out)
{
	vg_builder_t *b = vg_builder_new(NULL);
	if (!b)
		return VG_ENOMEM;
	int rc = vg_builder_build(b, out);
	vg_builder_free(b);
	return rc;
}

/* ---- emitting matches ---------------------------------------------------------- */

typedef struct emit {
	const vg_store_t *s;
	vg_match_t *out;
	int max, n;
	int64_t now;
} emit_t;

static inline bool meta_live(const emit_t *e, uint32_t meta)
{
	if (!e->now)
		return true;
	int64_t until = e->s->metas[meta].valid_until;
	return !until || until >= e->now;
}

/* One match per live meta of ref, all sharing the template m. */
static void emit_ref(emit_t *e, const vg_match_t *m, uint32_t ref)
{
	if (!(ref & VG_REF_LIST)) {
		if (e->n < e->max && meta_live(e, ref)) {
			e->out[e->n] = *m;
			e->out[e->n++].meta = ref;
		}
		return;
	}
	const uint32_t *l = e->s->lists + (ref & ~VG_REF_LIST);
	for (uint32_t i = 0; i < l[0]; i++) {
		if (e->n < e->max && meta_live(e, l[1 + i])) {
			e->out[e->n] = *m;
			e->out[e->n++].meta = l[1 + i];
		}
	}
}

/* ---- IP lookups ------------------------------------------------------------------------ */

/* Index of the first record with key >= k in a sorted fixed-width table. */
static uint64_t fkt_lower(const fkt_t *t, const uint8_t *k)
{
	uint64_t lo = 0, hi = t->n, rs = t->w + 4;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (memcmp(t->rec + mid * rs, k, t->w) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool fkt_find(const fkt_t *t, const uint8_t *k, uint32_t *ref)
{
	if (!t->n)
		return false;
	uint64_t i = fkt_lower(t, k), rs = t->w + 4;
	if (i >= t->n || memcmp(t->rec + i * rs, k, t->w))
		return false;
	memcpy(ref, t->rec + i * rs + t->w, 4);
	return true;
}

static bool ip4_find(const vg_store_t *s, uint32_t ip, uint32_t *ref)
{
	uint64_t lo = 0, hi = s->n_ip4;
	if (s->ip4idx) {
		lo = s->ip4idx[ip >> 16];
		hi = s->ip4idx[(ip >> 16) + 1];
	}
	const uint64_t *a = s->ip4;
	/* branch-light binary search: the bucket is usually a few entries */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if ((uint32_t)(a[mid] >> 32) < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n_ip4 && (uint32_t)(a[lo] >> 32) == ip) {
		*ref = (uint32_t)a[lo];
		return true;
	}
	return false;
}

static uint32_t iv4_set(const vg_store_t *s, uint32_t ip)
{
	if (!s->n_iv4)
		return VG_SET_NONE;
	uint64_t lo = 0, hi = s->n_iv4;
	if (s->iv4idx) {
		lo = s->iv4idx[ip >> 16];
		hi = s->iv4idx[(ip >> 16) + 1];
	}
	/* the last interval with start <= ip: search [lo, hi); if none there,
	 * the interval in force is the one before lo */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (s->iv4start[mid] <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? s->iv4set[lo - 1] : VG_SET_NONE;
}

static uint32_t iv6_set(const vg_store_t *s, vg_u128 ip)
{
	uint64_t lo = 0, hi = s->n_iv6;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (s->iv6start[mid] <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? s->iv6set[lo - 1] : VG_SET_NONE;
}

static void emit_cidrs(emit_t *e, uint32_t set)
{
	if (set == VG_SET_NONE)
		return;
	const uint32_t *l = e->s->lists + set;
	for (uint32_t i = 0; i < l[0] && e->n < e->max; i++) {
		const cidr_rec_t *c = &e->s->cidrs[l[1 + i]];
		vg_match_t m = {0};
		memcpy(m.ip.a, c->net, 16);
		m.prefix = (uint8_t)c->prefix;
		m.type = vg_ip_is4(&m.ip) && c->prefix >= 96 ? VG_IND_CIDR4 : VG_IND_CIDR6;
		emit_ref(e, &m, c->ref);
	}
}

int vg_store_lookup_ip(const vg_store_t *s, const vg_ip_t *ip, uint16_t port, int64_t now,
		       vg_match_t *out, int max)
{
	emit_t e = {s, out, max, 0, now};
	uint32_t ref;
	vg_match_t m = {0};
	m.ip = *ip;
	m.prefix = 128;
	if (vg_ip_is4(ip)) {
		uint32_t v4 = vg_ip_v4(ip);
		if (port && s->ipp4.n) {
			uint8_t k[W_IPP4] = {(uint8_t)(v4 >> 24), (uint8_t)(v4 >> 16), (uint8_t)(v4 >> 8),
					     (uint8_t)v4, (uint8_t)(port >> 8), (uint8_t)port};
			if (fkt_find(&s->ipp4, k, &ref)) {
				m.type = VG_IND_IPPORT4;
				m.port = port;
				emit_ref(&e, &m, ref);
				m.port = 0;
			}
		}
		if (s->n_ip4 && ip4_find(s, v4, &ref)) {
			m.type = VG_IND_IPV4;
			emit_ref(&e, &m, ref);
		}
		emit_cidrs(&e, iv4_set(s, v4));
		return e.n;
	}
	if (port && s->ipp6.n) {
		uint8_t k[W_IPP6];
		memcpy(k, ip->a, 16);
		k[16] = (uint8_t)(port >> 8);
		k[17] = (uint8_t)port;
		if (fkt_find(&s->ipp6, k, &ref)) {
			m.type = VG_IND_IPPORT6;
			m.port = port;
			emit_ref(&e, &m, ref);
			m.port = 0;
		}
	}
	if (fkt_find(&s->ip6, ip->a, &ref)) {
		m.type = VG_IND_IPV6;
		emit_ref(&e, &m, ref);
	}
	if (s->n_iv6)
		emit_cidrs(&e, iv6_set(s, vg_u128_of(ip->a)));
	return e.n;
}

/* ---- prefetching ------------------------------------------------------------------------ */

#define PF(p) __builtin_prefetch((const void *)(p), 0, 3)

void vg_store_prefetch_ip(const vg_store_t *s, const vg_ip_t *ip)
{
	if (!vg_ip_is4(ip))
		return;
	uint32_t v4 = vg_ip_v4(ip);
	if (s->ip4idx) {
		uint32_t lo = s->ip4idx[v4 >> 16];
		if (lo < s->n_ip4)
			PF(s->ip4 + lo);
	}
	if (s->n_iv4 && s->iv4idx) { /* small stores have no index */
		uint32_t lo = s->iv4idx[v4 >> 16];
		uint32_t at = lo ? lo - 1 : 0;
		PF(s->iv4start + at);
		PF(s->iv4set + at);
	}
}

void vg_store_prefetch_domain(const vg_store_t *s, const char *name, size_t n)
{
	if (!s->dom.count)
		return;
	while (n && name[n - 1] == '.')
		n--;
	if (n == 0 || n > VG_DOMAIN_MAX)
		return;
	char low[VG_DOMAIN_MAX + 1];
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	uint64_t mask = s->dom.cap - 1;
	for (size_t at = 0; at < n;) {
		uint64_t h = vg_hash64(low + at, n - at, VG_STR_SEED);
		uint64_t pos = h & mask;
		PF(s->dom.ctrl + pos);
		PF(s->dom.slot + pos);
		const char *dot = memchr(low + at, '.', n - at);
		if (!dot)
			break;
		at = (size_t)(dot - low) + 1;
	}
}

/* ---- names ------------------------------------------------------------------------------- */

int vg_store_lookup_domain(const vg_store_t *s, const char *name, size_t n, int64_t now,
			   vg_match_t *out, int max)
{
	emit_t e = {s, out, max, 0, now};
	if (!s->dom.count)
		return 0;
	while (n && name[n - 1] == '.')
		n--;
	if (n == 0 || n > VG_DOMAIN_MAX)
		return 0;
	char low[VG_DOMAIN_MAX + 1];
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c == 0)
			return 0;
		low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	/* the full name, then each parent: most specific first */
	for (size_t at = 0; at < n;) {
		const char *k = low + at;
		size_t kn = n - at;
		uint32_t off = vg_strtab_find(&s->dom, k, kn, vg_hash64(k, kn, VG_STR_SEED));
		if (off != UINT32_MAX) {
			vg_match_t m = {0};
			m.type = VG_IND_DOMAIN;
			m.str = s->dom.arena + off;
			m.len = (uint32_t)kn;
			emit_ref(&e, &m, vg_strtab_ref(&s->dom, off));
		}
		const char *dot = memchr(k, '.', kn);
		if (!dot)
			break;
		at = (size_t)(dot - low) + 1;
	}
	return e.n;
}

int vg_store_lookup_url(const vg_store_t *s, const char *url, size_t n, int64_t now,
			vg_match_t *out, int max)
{
	if (!s->url.count)
		return 0;
	vg_ind_t ind; /* ~2 KiB on the stack: no allocation on the packet path */
	const char *why;
	if (vg_ind_parse(url, n, VG_IND_URL, &ind, &why) != 0 || ind.type != VG_IND_URL)
		return 0;
	emit_t e = {s, out, max, 0, now};
	uint32_t off = vg_strtab_find(&s->url, ind.str, ind.len, vg_hash64(ind.str, ind.len, VG_STR_SEED));
	if (off != UINT32_MAX) {
		vg_match_t m = {0};
		m.type = VG_IND_URL;
		m.str = s->url.arena + off;
		m.len = ind.len;
		emit_ref(&e, &m, vg_strtab_ref(&s->url, off));
	}
	return e.n;
}

int vg_store_lookup_hash(const vg_store_t *s, const uint8_t *digest, size_t n, int64_t now,
			 vg_match_t *out, int max)
{
	emit_t e = {s, out, max, 0, now};
	const fkt_t *t = n == 16 ? &s->md5 : n == 20 ? &s->sha1 : n == 32 ? &s->sha256 : NULL;
	uint32_t ref;
	if (!t || !fkt_find(t, digest, &ref))
		return 0;
	uint64_t i = fkt_lower(t, digest);
	vg_match_t m = {0};
	m.type = n == 16 ? VG_IND_MD5 : n == 20 ? VG_IND_SHA1 : VG_IND_SHA256;
	m.hash = t->rec + i * (t->w + 4);
	emit_ref(&e, &m, ref);
	return e.n;
}

/* ---- metadata, stats, formatting ------------------------------------------------------- */

int vg_store_meta(const vg_store_t *s, uint32_t id, vg_meta_t *out)
{
	memset(out, 0, sizeof *out);
	if (id >= s->n_metas)
		return VG_ENOTFOUND;
	const meta_rec_t *r = &s->metas[id];
	out->source = s->strs + r->source;
	out->category = s->strs + r->category;
	out->description = s->strs + r->description;
	out->reference = s->strs + r->reference;
	out->confidence = r->confidence;
	out->valid_from = r->valid_from;
	out->valid_until = r->valid_until;
	out->tlp = (vg_tlp_t)r->tlp;
	return 0;
}

void vg_store_stats(const vg_store_t *s, vg_store_stats_t *st)
{
	memset(st, 0, sizeof *st);
	st->count[VG_IND_IPV4] = s->n_ip4;
	st->count[VG_IND_IPV6] = s->ip6.n;
	st->count[VG_IND_IPPORT4] = s->ipp4.n;
	st->count[VG_IND_IPPORT6] = s->ipp6.n;
	st->count[VG_IND_MD5] = s->md5.n;
	st->count[VG_IND_SHA1] = s->sha1.n;
	st->count[VG_IND_SHA256] = s->sha256.n;
	for (uint64_t i = 0; i < s->n_cidrs; i++) {
		vg_ip_t ip;
		memcpy(ip.a, s->cidrs[i].net, 16);
		st->count[vg_ip_is4(&ip) && s->cidrs[i].prefix >= 96 ? VG_IND_CIDR4 : VG_IND_CIDR6]++;
	}
	st->count[VG_IND_DOMAIN] = s->dom.count;
	st->count[VG_IND_URL] = s->url.count;
	st->metas = s->n_metas;
	st->entries = s->entries;
	st->expired = s->expired;
	for (int i = 0; i < SEC__COUNT; i++)
		st->bytes += s->sec[i].len;
}

size_t vg_match_format(const vg_match_t *m, char *buf, size_t n)
{
	char ip[64];
	int r = 0;
	if (n == 0)
		return 0;
	switch (m->type) {
	case VG_IND_IPV4:
	case VG_IND_IPV6: r = (int)vg_ip_format(&m->ip, buf, n); break;
	case VG_IND_CIDR4:
	case VG_IND_CIDR6:
		vg_ip_format(&m->ip, ip, sizeof ip);
		r = snprintf(buf, n, "%s/%u", ip, m->type == VG_IND_CIDR4 ? m->prefix - 96u : m->prefix);
		break;
	case VG_IND_IPPORT4:
		vg_ip_format(&m->ip, ip, sizeof ip);
		r = snprintf(buf, n, "%s:%u", ip, m->port);
		break;
	case VG_IND_IPPORT6:
		vg_ip_format(&m->ip, ip, sizeof ip);
		r = snprintf(buf, n, "[%s]:%u", ip, m->port);
		break;
	case VG_IND_DOMAIN:
	case VG_IND_URL: r = snprintf(buf, n, "%.*s", (int)m->len, m->str); break;
	case VG_IND_MD5:
	case VG_IND_SHA1:
	case VG_IND_SHA256: {
		size_t hl = m->type == VG_IND_MD5 ? 16 : m->type == VG_IND_SHA1 ? 20 : 32;
		if (n < hl * 2 + 1) {
			buf[0] = 0;
			return 0;
		}
		for (size_t i = 0; i < hl; i++) {
			buf[2 * i] = "0123456789abcdef"[m->hash[i] >> 4];
			buf[2 * i + 1] = "0123456789abcdef"[m->hash[i] & 15];
		}
		buf[hl * 2] = 0;
		return hl * 2;
	}
	default: buf[0] = 0; return 0;
	}
	if (r < 0)
		return 0;
	return (size_t)r < n ? (size_t)r : n - 1;
}
