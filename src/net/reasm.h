/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reasm.h — bounded reassembly of the FIRST cap bytes of one direction of a
 * TCP stream, enough for the application-layer parsers (TLS ClientHello,
 * HTTP head, DNS over TCP) to see a message split across segments that may
 * arrive out of order, overlapping or duplicated.
 *
 * The caller owns the buffer (the engine takes it from a bounded pool, e.g.
 * 16 KiB per tracked flow direction) and the vg_reasm_t; nothing is
 * allocated.  Received data is tracked as at most VG_REASM_MAX_RANGES byte
 * ranges (stream offsets relative to the first data byte).  Overlaps keep
 * the bytes that arrived FIRST.  Sequence numbers wrap (32-bit serial
 * arithmetic).
 *
 *   vg_reasm_init(&r, buf, 16384, true, syn_seq);      // ISN from the SYN
 *   vg_reasm_add(&r, seg_seq, payload, payload_len);   // per data segment
 *   n = vg_reasm_contig(&r);  p = vg_reasm_data(&r);   // parse p[0..n)
 */
#ifndef VG_NET_REASM_H
#define VG_NET_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"

#define VG_REASM_DEFAULT_CAP 16384
#define VG_REASM_MAX_RANGES 8

typedef struct vg_reasm {
	uint8_t *buf; /* borrowed, cap bytes */
	size_t cap;
	uint32_t base;   /* sequence number of stream byte 0 */
	bool have_base;  /* base set (from the ISN or the first segment) */
	bool base_fixed; /* base came from the SYN: never moves */
	uint8_t n;       /* ranges in use */
	bool dropped;    /* some data was dropped (beyond cap, ranges full) */
	struct {
		uint32_t start, end; /* [start, end) stream offsets, sorted, disjoint */
	} rng[VG_REASM_MAX_RANGES];
} vg_reasm_t;

/*
 * vg_reasm_init: start reassembly into buf[0..cap).  isn_known: isn is the
 * sequence number of the SYN (stream data starts at isn + 1).  Otherwise the
 * first segment added fixes the start; a later segment that precedes it (by
 * less than cap bytes, and only while that is possible without losing data)
 * moves the start back.
 */
void vg_reasm_init(vg_reasm_t *r, uint8_t *buf, size_t cap, bool isn_known, uint32_t isn);

/*
 * vg_reasm_add: add a segment's payload (len bytes at sequence seq).  Bytes
 * before the stream start or at/after cap are ignored; bytes already held are
 * kept (first wins).  Returns 0, or VG_EINVAL on NULL r / NULL data with len.
 */
int vg_reasm_add(vg_reasm_t *r, uint32_t seq, const uint8_t *data, size_t len);

/* vg_reasm_contig: number of bytes contiguous from the stream start. */
size_t vg_reasm_contig(const vg_reasm_t *r);

/* vg_reasm_data: the buffer (stream byte 0 at index 0). */
static inline const uint8_t *vg_reasm_data(const vg_reasm_t *r) { return r->buf; }

/* vg_reasm_full: true when the first cap bytes are all present. */
bool vg_reasm_full(const vg_reasm_t *r);

#endif
