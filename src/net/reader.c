// SPDX-License-Identifier: Apache-2.0
/*
 * reader.c — the capture-file reader thread (see reader.h).
 *
 * Ring of VG_READER_RING batches; `head` is the next batch the producer
 * fills, `tail` the next the consumer reads; `count` batches are full.
 * Both sides hold the mutex only to move a whole batch.  A batch entry is a
 * packet (its bytes copied into the batch's data area, because libpcap
 * reuses its buffer on the next read) or an event: a file error, a fatal
 * error, or the end of input, which the consumer returns in stream order.
 */
#include "net/reader.h"

#include "vigil/common.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { E_PKT = 0, E_FILEERR, E_FATAL, E_END };

typedef struct batch {
	uint32_t n, used;
	vg_raw_pkt_t pkt[VG_READER_BATCH];
	uint8_t kind[VG_READER_BATCH];
	char err[256]; /* message of the (single) error event of this batch */
	uint8_t data[VG_READER_BYTES];
} batch_t;

struct vg_reader {
	vg_src_t *src; /* borrowed */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t not_full, not_empty;
	unsigned head, tail, count;
	atomic_bool stop;
	batch_t *ring; /* VG_READER_RING */
	/* consumer position in the current batch */
	batch_t *cur;
	uint32_t pos;
};

static batch_t *producer_get(vg_reader_t *r)
{
	pthread_mutex_lock(&r->mu);
	while (r->count == VG_READER_RING && !atomic_load(&r->stop))
		pthread_cond_wait(&r->not_full, &r->mu);
	batch_t *b = atomic_load(&r->stop) ? NULL : &r->ring[r->head];
	pthread_mutex_unlock(&r->mu);
	if (b)
		b->n = b->used = 0;
	return b;
}

static void producer_put(vg_reader_t *r)
{
	pthread_mutex_lock(&r->mu);
	r->head = (r->head + 1) % VG_READER_RING;
	r->count++;
	pthread_cond_signal(&r->not_empty);
	pthread_mutex_unlock(&r->mu);
}

static void *run(void *arg)
{
	vg_reader_t *r = arg;
	batch_t *b = producer_get(r);
	vg_raw_pkt_t p;
	while (b) {
		int rc = atomic_load(&r->stop) ? 0 : vg_src_next(r->src, &p);
		if (rc == 1) {
			if (b->n == VG_READER_BATCH || VG_READER_BYTES - b->used < p.caplen) {
				producer_put(r);
				if (!(b = producer_get(r)))
					break;
			}
			if (p.caplen > VG_READER_BYTES)
				p.caplen = VG_READER_BYTES; /* cannot happen: snaplen <= 256 KiB */
			memcpy(b->data + b->used, p.data, p.caplen);
			p.data = b->data + b->used;
			b->used += p.caplen;
			b->kind[b->n] = E_PKT;
			b->pkt[b->n++] = p;
			continue;
		}
		if (rc == VG_EAGAIN)
			continue; /* files never time out; be safe */
		/* an event: close the batch after it so its message is unique */
		if (b->n == VG_READER_BATCH) {
			producer_put(r);
			if (!(b = producer_get(r)))
				break;
		}
		int kind = rc == 0 ? E_END : rc == VG_ECORRUPT ? E_FILEERR : E_FATAL;
		b->kind[b->n++] = (uint8_t)kind;
		if (kind != E_END) {
			const char *m = vg_src_error(r->src);
			snprintf(b->err, sizeof b->err, "%s", m ? m : vg_strerror(rc));
		}
		producer_put(r);
		if (kind == E_END || kind == E_FATAL)
			break;
		if (!(b = producer_get(r)))
			break;
	}
	return NULL;
}

int vg_reader_start(vg_reader_t **out, vg_src_t *src)
{
	*out = NULL;
	vg_reader_t *r = calloc(1, sizeof *r);
	if (!r)
		return VG_ENOMEM;
	r->ring = calloc(VG_READER_RING, sizeof *r->ring);
	if (!r->ring) {
		free(r);
		return VG_ENOMEM;
	}
	r->src = src;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->not_full, NULL);
	pthread_cond_init(&r->not_empty, NULL);
	if (pthread_create(&r->th, NULL, run, r)) {
		free(r->ring);
		free(r);
		return VG_EIO;
	}
	*out = r;
	return 0;
}

int vg_reader_next(vg_reader_t *r, vg_raw_pkt_t *p, char *err, size_t errlen)
{
	for (;;) {
		if (r->cur && r->pos < r->cur->n) {
			uint32_t i = r->pos++;
			switch (r->cur->kind[i]) {
			case E_PKT: *p = r->cur->pkt[i]; return 1;
			case E_END: r->pos = r->cur->n; return 0;
			default:
				snprintf(err, errlen, "%s", r->cur->err);
				return r->cur->kind[i] == E_FILEERR ? VG_ECORRUPT : VG_EIO;
			}
		}
		pthread_mutex_lock(&r->mu);
		if (r->cur) { /* give the finished batch back */
			r->tail = (r->tail + 1) % VG_READER_RING;
			r->count--;
			r->cur = NULL;
			pthread_cond_signal(&r->not_full);
		}
		while (r->count == 0)
			pthread_cond_wait(&r->not_empty, &r->mu);
		r->cur = &r->ring[r->tail];
		r->pos = 0;
		pthread_mutex_unlock(&r->mu);
	}
}

void vg_reader_stop(vg_reader_t *r)
{
	if (!r)
		return;
	atomic_store(&r->stop, true);
	pthread_mutex_lock(&r->mu);
	pthread_cond_broadcast(&r->not_full);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->th, NULL);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->not_full);
	pthread_cond_destroy(&r->not_empty);
	free(r->ring);
	free(r);
}
