// SPDX-License-Identifier: Apache-2.0
/*
 * reasm.c — bounded first-bytes TCP reassembly for one flow direction; sits
 * between the flow table (which owns the buffer) and the app-layer parsers.
 *
 * Design: stream offsets are computed with 32-bit serial arithmetic from the
 * base sequence number; each segment is clipped to [0, cap) and only the
 * parts that fall into gaps between the already-received ranges are copied
 * (first arrival wins on overlap).  The range list is sorted, disjoint and
 * merged on every insert, so vg_reasm_contig() is O(1).  When the list is
 * full, a new isolated range is kept only if it lies before the last range
 * (which is then dropped): data near the start matters most.
 * Invariants: n <= VG_REASM_MAX_RANGES; every range within [0, cap); no
 * allocation.  Thread-safety: one vg_reasm_t per flow direction, not shared.
 */
#include "net/reasm.h"

#include <string.h>

void vg_reasm_init(vg_reasm_t *r, uint8_t *buf, size_t cap, bool isn_known, uint32_t isn)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->cap = cap > UINT32_MAX / 2 ? UINT32_MAX / 2 : cap;
	if (isn_known) {
		r->base = isn + 1;
		r->have_base = true;
		r->base_fixed = true;
	}
}

size_t vg_reasm_contig(const vg_reasm_t *r)
{
	return (r->n > 0 && r->rng[0].start == 0) ? r->rng[0].end : 0;
}

bool vg_reasm_full(const vg_reasm_t *r)
{
	return r->cap > 0 && vg_reasm_contig(r) >= r->cap;
}

/* Move all data and ranges d bytes later (the start moved back by d). */
static void shift(vg_reasm_t *r, uint32_t d)
{
	if (r->n && r->rng[r->n - 1].end + (uint64_t)d > r->cap)
		return; /* caller checked; defensive */
	uint32_t hi = r->n ? r->rng[r->n - 1].end : 0;
	memmove(r->buf + d, r->buf, hi);
	for (unsigned i = 0; i < r->n; i++) {
		r->rng[i].start += d;
		r->rng[i].end += d;
	}
	r->base -= d;
}

/* Insert [s, e) into the sorted range list, merging neighbours.  Returns
 * false when the list is full and the range was not kept. */
static bool insert(vg_reasm_t *r, uint32_t s, uint32_t e)
{
	unsigned i = 0;
	while (i < r->n && r->rng[i].end < s)
		i++;
	/* ranges i..j-1 touch or overlap [s, e) */
	unsigned j = i;
	while (j < r->n && r->rng[j].start <= e) {
		if (r->rng[j].start < s)
			s = r->rng[j].start;
		if (r->rng[j].end > e)
			e = r->rng[j].end;
		j++;
	}
	if (j > i) { /* merge into slot i, close the gap */
		r->rng[i].start = s;
		r->rng[i].end = e;
		memmove(&r->rng[i + 1], &r->rng[j], (r->n - j) * sizeof(r->rng[0]));
		r->n = (uint8_t)(r->n - (j - i - 1));
		return true;
	}
	if (r->n == VG_REASM_MAX_RANGES) {
		if (i == r->n)
			return false; /* beyond everything: drop the new one */
		r->n--;               /* drop the last range instead */
		r->dropped = true;
	}
	memmove(&r->rng[i + 1], &r->rng[i], (r->n - i) * sizeof(r->rng[0]));
	r->rng[i].start = s;
	r->rng[i].end = e;
	r->n++;
	return true;
}

int vg_reasm_add(vg_reasm_t *r, uint32_t seq, const uint8_t *data, size_t len)
{
	if (!r || (!data && len))
		return VG_EINVAL;
	if (len == 0 || r->cap == 0)
		return 0;
	if (len > UINT32_MAX / 2)
		len = UINT32_MAX / 2;
	if (!r->have_base) {
		r->base = seq;
		r->have_base = true;
	}
	int32_t rel = (int32_t)(seq - r->base);
	if (rel < 0 && !r->base_fixed) {
		/* segment before the guessed start: move the start back when the
		 * held data still fits */
		uint32_t d = (uint32_t)-(int64_t)rel;
		uint32_t hi = r->n ? r->rng[r->n - 1].end : 0;
		if ((uint64_t)d + hi <= r->cap) {
			shift(r, d);
			rel = 0;
		}
	}
	/* clip to [0, cap) in stream offsets */
	uint64_t s, e;
	if (rel < 0) {
		uint64_t skip = (uint64_t)-(int64_t)rel;
		if (skip >= len)
			return 0;
		data += skip;
		len -= skip;
		s = 0;
	} else {
		s = (uint64_t)rel;
	}
	if (s >= r->cap) {
		r->dropped = true;
		return 0;
	}
	e = s + len;
	if (e > r->cap) {
		e = r->cap;
		r->dropped = true;
	}
	/* copy only into the gaps (first arrival wins) */
	uint64_t pos = s;
	for (unsigned i = 0; i <= r->n && pos < e; i++) {
		uint64_t gap_end = i < r->n ? r->rng[i].start : e;
		if (gap_end > e)
			gap_end = e;
		if (gap_end > pos)
			memcpy(r->buf + pos, data + (pos - s), (size_t)(gap_end - pos));
		if (i < r->n && r->rng[i].end > pos)
			pos = r->rng[i].end;
	}
	if (!insert(r, (uint32_t)s, (uint32_t)e))
		r->dropped = true;
	return 0;
}
