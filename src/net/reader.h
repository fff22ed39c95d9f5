/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reader.h — a capture-file reader thread in front of a packet source.
 *
 * Reading a pcap costs about as much as analysing it (libpcap's fread and
 * the kernel's page-cache copy: the "floor" of bench/run).  With the reader
 * on its own core, the engine's thread only analyses: the two overlap, and
 * `vigil watch -r` runs at the speed of the slower of the two instead of
 * their sum.
 *
 * The reader copies packets into batches (up to VG_READER_BATCH packets or
 * VG_READER_BYTES bytes each) in a ring of VG_READER_RING batches; the lock
 * is taken once per batch, never per packet.  Errors of the source travel
 * in the stream, in order, so the consumer sees exactly what vg_src_next
 * would have returned.  One producer, one consumer.
 *
 *   vg_reader_t *r; vg_reader_start(&r, src);
 *   while ((rc = vg_reader_next(r, &pkt, err, sizeof err)) != 0) ...;
 *   vg_reader_stop(r);   // joins; then vg_src_close(src)
 */
#ifndef VG_NET_READER_H
#define VG_NET_READER_H

#include "net/source.h"

#define VG_READER_BATCH 512
#define VG_READER_BYTES (1u << 20)
#define VG_READER_RING 8

typedef struct vg_reader vg_reader_t;

/* vg_reader_start: start the thread reading src (borrowed: keep it open
 * until vg_reader_stop returns).  0, VG_ENOMEM or VG_EIO (thread). */
int vg_reader_start(vg_reader_t **out, vg_src_t *src);

/* vg_reader_next: as vg_src_next: 1 a packet (p->data valid until the next
 * call), 0 end of input, VG_ECORRUPT a file failed (its message in err; the
 * other files follow), VG_EIO a fatal read error (message in err). */
int vg_reader_next(vg_reader_t *r, vg_raw_pkt_t *p, char *err, size_t errlen);

/* vg_reader_stop: make the thread stop early (SIGINT), join it, free r.
 * NULL is a no-op. */
void vg_reader_stop(vg_reader_t *r);

#endif
