// SPDX-License-Identifier: Apache-2.0
/*
 * client_agg.c — the sensor's sighting aggregation table and the POST
 * /sightings body (hub/client.h).
 *
 * A table is an array of entries in insertion order (so a batch lists
 * sightings in the order they were first seen) plus an open-addressing
 * index of u32 entry numbers (power of two, at least twice the entries:
 * probes stay short).  Strings live in one arena allocated up front; the
 * key is (indicator, type, device class).  Nothing is allocated after
 * vg_hub_agg_new, so the packet thread can add without touching malloc.
 * Single-threaded: the client (client.c) serialises access.
 */
#include "hub/client.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/timefmt.h"
#include "vigil/common.h"
#include "vigil/intel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

typedef struct entry {
	vg_hub_agg_entry_t s;
	uint64_t hash;
} entry_t;

struct vg_hub_agg {
	entry_t *e;
	uint32_t n, max;
	uint32_t *idx;   /* entry number + 1; 0 = empty */
	uint32_t mask;
	char *arena;
	size_t used, arena_cap;
	uint64_t dropped;
};

int vg_hub_agg_new(vg_hub_agg_t **out, uint32_t max_entries, size_t arena_bytes)
{
	*out = NULL;
	if (!max_entries || max_entries > 1000000 || arena_bytes < 64)
		return VG_EINVAL;
	vg_hub_agg_t *a = calloc(1, sizeof *a);
	if (!a)
		return VG_ENOMEM;
	uint32_t slots = 16;
	while (slots < max_entries * 2u)
		slots <<= 1;
	a->e = calloc(max_entries, sizeof *a->e);
	a->idx = calloc(slots, sizeof *a->idx);
	a->arena = malloc(arena_bytes);
	if (!a->e || !a->idx || !a->arena) {
		vg_hub_agg_free(a);
		return VG_ENOMEM;
	}
	a->max = max_entries;
	a->mask = slots - 1;
	a->arena_cap = arena_bytes;
	*out = a;
	return 0;
}

void vg_hub_agg_free(vg_hub_agg_t *a)
{
	if (!a)
		return;
	free(a->e);
	free(a->idx);
	free(a->arena);
	free(a);
}

void vg_hub_agg_clear(vg_hub_agg_t *a)
{
	a->dropped = 0;
	if (!a->n)
		return;
	memset(a->idx, 0, ((size_t)a->mask + 1) * sizeof *a->idx);
	a->n = 0;
	a->used = 0;
}

uint32_t vg_hub_agg_count(const vg_hub_agg_t *a) { return a->n; }
uint64_t vg_hub_agg_dropped(const vg_hub_agg_t *a) { return a->dropped; }

const vg_hub_agg_entry_t *vg_hub_agg_get(const vg_hub_agg_t *a, uint32_t i)
{
	return i < a->n ? &a->e[i].s : NULL;
}

static const char *arena_put(vg_hub_agg_t *a, const char *s, size_t n)
{
	if (a->arena_cap - a->used < n + 1)
		return NULL;
	char *d = a->arena + a->used;
	memcpy(d, s, n);
	d[n] = 0;
	a->used += n + 1;
	return d;
}

int vg_hub_agg_add(vg_hub_agg_t *a, const char *indicator, const char *type,
		   const char *device_class, int tlp, uint64_t ts_us)
{
	if (!device_class || !*device_class)
		device_class = "unknown";
	if (!type)
		type = "";
	size_t ni = strnlen(indicator, VG_HUB_INDICATOR_MAX), nt = strlen(type),
	       nc = strlen(device_class);
	uint64_t h = vg_hash64(indicator, ni, 0x5167687473ull);
	h = vg_hash64(type, nt, h);
	h = vg_hash64(device_class, nc, h);
	uint32_t i = (uint32_t)h & a->mask;
	for (;; i = (i + 1) & a->mask) {
		uint32_t k = a->idx[i];
		if (!k)
			break;
		entry_t *e = &a->e[k - 1];
		if (e->hash == h && !strncmp(e->s.indicator, indicator, ni) && !e->s.indicator[ni] &&
		    !strcmp(e->s.type, type) && !strcmp(e->s.device_class, device_class)) {
			e->s.count++;
			if (ts_us < e->s.first_us)
				e->s.first_us = ts_us;
			if (ts_us > e->s.last_us)
				e->s.last_us = ts_us;
			if (tlp > e->s.tlp)
				e->s.tlp = tlp;
			return 0;
		}
	}
	if (a->n >= a->max || a->arena_cap - a->used < ni + nt + nc + 3) {
		a->dropped++;
		return VG_ELIMIT;
	}
	entry_t *e = &a->e[a->n];
	e->hash = h;
	e->s.indicator = arena_put(a, indicator, ni);
	e->s.type = arena_put(a, type, nt);
	e->s.device_class = arena_put(a, device_class, nc);
	e->s.tlp = tlp;
	e->s.first_us = e->s.last_us = ts_us;
	e->s.count = 1;
	a->idx[i] = ++a->n;
	return 0;
}

int vg_hub_uuid4(char out[37])
{
	uint8_t r[16];
	size_t got = 0;
	while (got < sizeof r) {
		ssize_t k = getrandom(r + got, sizeof r - got, 0);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return VG_EIO;
		}
		got += (size_t)k;
	}
	r[6] = (uint8_t)((r[6] & 0x0f) | 0x40);
	r[8] = (uint8_t)((r[8] & 0x3f) | 0x80);
	static const char hx[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hx[r[i] >> 4];
		out[o++] = hx[r[i] & 15];
	}
	out[o] = 0;
	return 0;
}

static void kt(vg_jw_t *w, const char *k, uint64_t us)
{
	char t[40];
	vg_time_iso((int64_t)(us / 1000000u), t, sizeof t);
	vg_jw_kstr(w, k, t);
}

int vg_hub_batch_json(vg_buf_t *b, const char *batch_id, const char *sensor,
		      const vg_hub_agg_t *a, uint32_t from, uint32_t n)
{
	if (from > a->n || n > a->n - from || n > VG_HUB_BATCH_MAX)
		return VG_EINVAL;
	vg_jw_t w;
	vg_jw_init(&w, b);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "batch_id", batch_id);
	vg_jw_kstr(&w, "sensor", sensor);
	vg_jw_key(&w, "sightings");
	vg_jw_arr(&w);
	for (uint32_t i = from; i < from + n; i++) {
		const vg_hub_agg_entry_t *s = &a->e[i].s;
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "indicator", s->indicator);
		vg_jw_kstr(&w, "type", s->type);
		kt(&w, "first_seen", s->first_us);
		kt(&w, "last_seen", s->last_us);
		vg_jw_kuint(&w, "count", s->count);
		vg_jw_kstr(&w, "device_class", s->device_class);
		vg_jw_kstr(&w, "tlp", s->tlp > VG_TLP_UNSET && s->tlp <= VG_TLP_RED
					       ? vg_tlp_name((vg_tlp_t)s->tlp)
					       : "amber");
		vg_jw_end(&w);
	}
	vg_jw_end(&w);
	vg_jw_end(&w);
	return b->oom ? VG_ENOMEM : 0;
}
