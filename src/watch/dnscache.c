// SPDX-License-Identifier: Apache-2.0
/*
 * dnscache.c — a bounded, TTL-respecting map from IP address to the listed
 * DNS name it was resolved from.
 *
 * Only answers to listed names are stored, so the map stays small even on
 * a busy resolver link.  Open addressing with a short probe window
 * (DC_WINDOW slots): an insert takes an empty or expired slot in the
 * window, else replaces the least recently used one (counted as an
 * eviction).  Entries expire at answer time + TTL (at least DC_MIN_TTL, so
 * that a TTL of 0 still covers the connection that immediately follows).
 * Keys are hashed with a per-engine random seed: an attacker controlling
 * answers cannot aim collisions.  Single-threaded, like its engine.
 */
#include "watch/watch_int.h"
#include "lib/hash.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define DC_WINDOW 8
#define DC_MIN_TTL 60

int vg_w_dnsc_init(vg_watch_t *w)
{
	uint32_t cap = 16;
	while (cap < w->cfg.dnscache_max && cap < (1u << 24))
		cap <<= 1;
	w->dc = calloc(cap, sizeof *w->dc);
	if (!w->dc)
		return VG_ENOMEM;
	w->dc_cap = cap;
	if (getrandom(&w->dc_seed, sizeof w->dc_seed, GRND_NONBLOCK) != sizeof w->dc_seed)
		w->dc_seed = (uint64_t)(uintptr_t)w ^ 0x9e3779b97f4a7c15ull;
	return 0;
}

static uint32_t slot0(const vg_watch_t *w, const vg_ip_t *ip)
{
	return (uint32_t)vg_hash64(ip->a, 16, w->dc_seed) & (w->dc_cap - 1);
}

void vg_w_dnsc_put(vg_watch_t *w, const vg_ip_t *ip, const char *name, uint32_t ttl, uint64_t now)
{
	if (!w->dc_cap)
		return;
	uint32_t s0 = slot0(w, ip);
	dnsc_ent_t *victim = NULL;
	for (uint32_t i = 0; i < DC_WINDOW; i++) {
		dnsc_ent_t *e = &w->dc[(s0 + i) & (w->dc_cap - 1)];
		if (e->in_use && !memcmp(&e->ip, ip, sizeof *ip)) {
			victim = e; /* refresh */
			break;
		}
		if (!e->in_use || e->expire_us < now) {
			if (!victim || victim->in_use)
				victim = e;
		} else if (!victim || (victim->in_use && e->used_us < victim->used_us)) {
			victim = e;
		}
	}
	if (victim->in_use && victim->expire_us >= now && memcmp(&victim->ip, ip, sizeof *ip))
		w->st.dnscache_evicted++;
	if (!victim->in_use)
		w->st.dnscache_entries++;
	victim->in_use = 1;
	victim->ip = *ip;
	victim->expire_us = now + (uint64_t)(ttl < DC_MIN_TTL ? DC_MIN_TTL : ttl) * 1000000;
	victim->used_us = now;
	size_t n = strlen(name);
	if (n > VG_DOMAIN_MAX)
		n = VG_DOMAIN_MAX;
	memcpy(victim->name, name, n);
	victim->name[n] = 0;
}

const char *vg_w_dnsc_get(vg_watch_t *w, const vg_ip_t *ip, uint64_t now)
{
	if (!w->st.dnscache_entries)
		return NULL; /* the common case: nothing listed was ever resolved */
	uint32_t s0 = slot0(w, ip);
	for (uint32_t i = 0; i < DC_WINDOW; i++) {
		dnsc_ent_t *e = &w->dc[(s0 + i) & (w->dc_cap - 1)];
		if (e->in_use && !memcmp(&e->ip, ip, sizeof *ip)) {
			if (e->expire_us < now)
				return NULL;
			e->used_us = now;
			return e->name;
		}
	}
	return NULL;
}
