// SPDX-License-Identifier: Apache-2.0
/*
 * strtab.c — the string tables of the indicator store (domains, URLs):
 * lookup side, shared by built and compiled stores.
 *
 * A table is Swiss-table shaped: one control byte per slot (0x80 empty,
 * else the top 7 bits of the key's hash) probed 16 at a time with SSE2, and
 * a parallel u32 array of offsets into an arena of NUL-terminated keys.  A
 * miss usually touches one 16-byte control group and no key at all, which is
 * what keeps misses cheap (measured in bench/bench_store.c).  The control
 * array has 16 extra bytes mirroring the first 16, so a group load never
 * wraps.  There are no deletions: a probe stops at the first group holding
 * an empty slot.
 *
 * Record refs are not stored per key: records are appended in load order,
 * and consecutive records of one meta form a "run"; a record's ref is the
 * ref of its run unless an override (the key listed again by another meta)
 * exists.  This saves 4 bytes per domain, a quarter of a typical record.
 *
 * Read-only after build: safe from any number of threads.
 */
#include "intel/store_int.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

static inline bool key_eq(const char *a, const char *k, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = a[i];
		if (c != k[i] || c == 0)
			return false;
	}
	return a[n] == 0;
}

static inline uint32_t group_match(const uint8_t *g, uint8_t tag, uint32_t *empty)
{
#ifdef __SSE2__
	__m128i v = _mm_loadu_si128((const __m128i *)g);
	*empty = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)VG_CTRL_EMPTY)));
	return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)tag)));
#else
	uint32_t m = 0, e = 0;
	for (int i = 0; i < 16; i++) {
		m |= (uint32_t)(g[i] == tag) << i;
		e |= (uint32_t)(g[i] == VG_CTRL_EMPTY) << i;
	}
	*empty = e;
	return m;
#endif
}

uint32_t vg_strtab_find(const strtab_t *t, const char *key, size_t n, uint64_t h)
{
	if (t->cap == 0)
		return UINT32_MAX;
	uint64_t mask = t->cap - 1;
	uint64_t pos = h & mask;
	uint8_t tag = (uint8_t)(h >> 57);
	for (uint64_t probed = 0; probed < t->cap; probed += 16) {
		uint32_t empty;
		uint32_t m = group_match(t->ctrl + pos, tag, &empty);
		while (m) {
			unsigned i = (unsigned)__builtin_ctz(m);
			m &= m - 1;
			uint32_t off = t->slot[(pos + i) & mask];
			if (key_eq(t->arena + off, key, n))
				return off;
		}
		if (empty)
			return UINT32_MAX;
		pos = (pos + 16) & mask;
	}
	return UINT32_MAX;
}

/* Last pair with first <= off, in an array of (off, ref) pairs; or NULL. */
static const uint32_t *pair_floor(const uint32_t *pairs, uint64_t n, uint32_t off)
{
	uint64_t lo = 0, hi = n;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (pairs[2 * mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? pairs + 2 * (lo - 1) : NULL;
}

uint32_t vg_strtab_ref(const strtab_t *t, uint32_t off)
{
	if (t->n_over) {
		const uint32_t *o = pair_floor(t->over, t->n_over, off);
		if (o && o[0] == off)
			return o[1];
	}
	const uint32_t *r = pair_floor(t->runs, t->n_runs, off);
	return r ? r[1] : 0;
}
