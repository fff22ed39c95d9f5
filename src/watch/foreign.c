// SPDX-License-Identifier: Apache-2.0
/*
 * foreign.c — foreign-destination policy: per new flow (the engine's
 * on_flow hook), a client inside a watched net talking to a server whose
 * country (intel/geo.h) is not the home country, and that is not on the
 * allowlist store, is counted in an aggregate keyed by (device IP,
 * country, destination IP).  The first flow of a key emits one EVE alert
 * (sid 8800050, category "policy"); later ones only bump count/last_seen.
 * Reserved/private destinations are never foreign (LAN peers, multicast).
 *
 * The aggregates live in an insertion-ordered array indexed by an
 * open-addressing hash of uint32 indices (load <= 1/2); both grow by
 * doubling up to max_pairs, so allocation happens only on growth, never
 * per packet.  Beyond max_pairs new keys are dropped and counted.
 * Single-threaded; geo and allow are borrowed and immutable.
 */
#include "watch/foreign.h"
#include "lib/buf.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/timefmt.h"

#include "watch/eve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct agg {
	vg_ip_t dev, dst;
	char cc[3];
	uint64_t count, first_us, last_us;
} agg_t;

struct vg_foreign {
	vg_foreign_cfg_t cfg;
	vg_watch_write_fn write;
	void *wctx;
	agg_t *a;
	uint32_t n, cap;   /* entries used / allocated */
	uint32_t *idx;     /* index + 1, 0 = empty */
	uint32_t idx_mask; /* idx size - 1 */
	uint64_t seed;
	uint64_t last_us;
	vg_buf_t out;
	vg_match_t m[8];
	vg_foreign_stats_t st;
};

int vg_foreign_parse_net(const char *s, vg_ip_t *net, uint8_t *prefix)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (!n || n > 45 || vg_ip_parse(s, n, net))
		return VG_EINVAL;
	unsigned max = vg_ip_is4(net) ? 32 : 128, len = max;
	if (slash) {
		const char *p = slash + 1;
		if (!*p || strlen(p) > 3)
			return VG_EINVAL;
		len = 0;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return VG_EINVAL;
			len = len * 10 + (unsigned)(*p - '0');
		}
		if (len > max)
			return VG_EINVAL;
	}
	unsigned pfx = max == 32 ? 96 + len : len;
	for (unsigned i = 0; i < 16; i++) {
		int bits = (int)pfx - (int)i * 8;
		net->a[i] &= bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
	}
	*prefix = (uint8_t)pfx;
	return 0;
}

static bool in_net(const vg_ip_t *ip, const vg_ip_t *net, unsigned pfx)
{
	unsigned full = pfx / 8, rem = pfx % 8;
	if (memcmp(ip->a, net->a, full))
		return false;
	if (!rem)
		return true;
	uint8_t m = (uint8_t)(0xff << (8 - rem));
	return (ip->a[full] & m) == net->a[full];
}

static bool watched(const vg_foreign_t *fo, const vg_ip_t *ip)
{
	for (int i = 0; i < fo->cfg.n_nets; i++)
		if (in_net(ip, &fo->cfg.nets[i], fo->cfg.prefix[i]))
			return true;
	return false;
}

int vg_foreign_new(vg_foreign_t **out, const vg_foreign_cfg_t *cfg, vg_watch_write_fn write,
		   void *wctx)
{
	*out = NULL;
	if (!cfg->geo || cfg->n_nets < 0 || cfg->n_nets > VG_FOREIGN_MAX_NETS)
		return VG_EINVAL;
	vg_foreign_t *fo = calloc(1, sizeof *fo);
	if (!fo)
		return VG_ENOMEM;
	fo->cfg = *cfg;
	if (!fo->cfg.max_pairs)
		fo->cfg.max_pairs = 100000;
	fo->write = write;
	fo->wctx = wctx;
	fo->seed = vg_hash_u64((uint64_t)(uintptr_t)fo ^ 0x666f726569676eull);
	*out = fo;
	return 0;
}

void vg_foreign_free(vg_foreign_t *fo)
{
	if (!fo)
		return;
	free(fo->a);
	free(fo->idx);
	vg_buf_release(&fo->out);
	free(fo);
}

void vg_foreign_get_stats(const vg_foreign_t *fo, vg_foreign_stats_t *st)
{
	*st = fo->st;
	st->pairs = fo->n;
}

static uint64_t key_hash(const vg_foreign_t *fo, const vg_ip_t *dev, const vg_ip_t *dst,
			 const char cc[3])
{
	uint64_t h = vg_hash64(dev->a, 16, fo->seed);
	h = vg_hash64(dst->a, 16, h);
	return vg_hash64(cc, 2, h);
}

/* Rebuild the index with at least 2 * cap slots.  0 or VG_ENOMEM. */
static int reindex(vg_foreign_t *fo, uint32_t slots)
{
	uint32_t *idx = calloc(slots, sizeof *idx);
	if (!idx)
		return VG_ENOMEM;
	free(fo->idx);
	fo->idx = idx;
	fo->idx_mask = slots - 1;
	for (uint32_t i = 0; i < fo->n; i++) {
		agg_t *e = &fo->a[i];
		uint32_t s = (uint32_t)key_hash(fo, &e->dev, &e->dst, e->cc) & fo->idx_mask;
		while (fo->idx[s])
			s = (s + 1) & fo->idx_mask;
		fo->idx[s] = i + 1;
	}
	return 0;
}

/* Find or add; *fresh set when added.  NULL when full or out of memory. */
static agg_t *lookup(vg_foreign_t *fo, const vg_ip_t *dev, const vg_ip_t *dst, const char cc[3],
		     bool *fresh)
{
	*fresh = false;
	if (!fo->idx && reindex(fo, 2048))
		return NULL;
	uint64_t h = key_hash(fo, dev, dst, cc);
	uint32_t s = (uint32_t)h & fo->idx_mask;
	for (; fo->idx[s]; s = (s + 1) & fo->idx_mask) {
		agg_t *e = &fo->a[fo->idx[s] - 1];
		if (!memcmp(e->dev.a, dev->a, 16) && !memcmp(e->dst.a, dst->a, 16) &&
		    !memcmp(e->cc, cc, 2))
			return e;
	}
	if (fo->n >= fo->cfg.max_pairs)
		return NULL;
	if (fo->n == fo->cap) {
		uint32_t nc = fo->cap ? fo->cap * 2 : 256;
		if (nc > fo->cfg.max_pairs)
			nc = fo->cfg.max_pairs;
		agg_t *a = realloc(fo->a, (size_t)nc * sizeof *a);
		if (!a)
			return NULL;
		fo->a = a;
		fo->cap = nc;
	}
	if ((uint64_t)(fo->n + 1) * 2 > (uint64_t)fo->idx_mask + 1) {
		if (reindex(fo, (fo->idx_mask + 1) * 2))
			return NULL;
		s = (uint32_t)h & fo->idx_mask;
		while (fo->idx[s])
			s = (s + 1) & fo->idx_mask;
	}
	agg_t *e = &fo->a[fo->n];
	memset(e, 0, sizeof *e);
	e->dev = *dev;
	e->dst = *dst;
	memcpy(e->cc, cc, 3);
	fo->idx[s] = ++fo->n;
	*fresh = true;
	return e;
}



static void agg_obj(vg_jw_t *j, const agg_t *e)
{
	vg_jw_key(j, "vigil");
	vg_jw_obj(j);
	vg_eve_kip(j, "device", &e->dev);
	vg_jw_kstr(j, "country", e->cc);
	vg_eve_kip(j, "destination", &e->dst);
	vg_jw_kuint(j, "count", e->count);
	vg_eve_kts(j, "first_seen", e->first_us);
	vg_eve_kts(j, "last_seen", e->last_us);
	vg_jw_end(j);
}

static void flush_line(vg_foreign_t *fo)
{
	if (!fo->out.oom && fo->write)
		fo->write(fo->wctx, fo->out.p, fo->out.len);
}


static void emit_alert(vg_foreign_t *fo, vg_flow_t *f, const vg_raw_pkt_t *raw, const agg_t *e)
{
	char dev[64], dst[64], sig[200], pb[8];
	vg_ip_format(&e->dev, dev, sizeof dev);
	vg_ip_format(&e->dst, dst, sizeof dst);
	snprintf(sig, sizeof sig, "VIGIL foreign destination: %s -> %s (%s)", dev, dst, e->cc);
	vg_jw_t j;
	vg_buf_reset(&fo->out);
	vg_jw_init(&j, &fo->out);
	vg_jw_obj(&j);
	vg_eve_kts(&j, "timestamp", raw->ts_us);
	vg_jw_kuint(&j, "flow_id", f->flow_id);
	if (raw->file)
		vg_jw_kstr(&j, "pcap_filename", raw->file);
	vg_jw_kuint(&j, "pcap_cnt", raw->pcap_cnt);
	vg_jw_kstr(&j, "event_type", "alert");
	bool ports = f->key.proto == 6 || f->key.proto == 17 || f->key.proto == 132;
	vg_jw_kstr(&j, "src_ip", dev);
	if (ports)
		vg_jw_kuint(&j, "src_port", f->cport);
	vg_jw_kstr(&j, "dest_ip", dst);
	if (ports)
		vg_jw_kuint(&j, "dest_port", f->sport);
	vg_jw_kstr(&j, "proto", vg_eve_proto_name(f->key.proto, pb));
	vg_jw_kstr(&j, "community_id", vg_flow_community_id(f, fo->cfg.cid_seed));
	vg_jw_kstr(&j, "direction", "to_server");
	vg_jw_key(&j, "alert");
	vg_jw_obj(&j);
	vg_jw_kstr(&j, "action", "allowed");
	vg_jw_kint(&j, "gid", 1);
	vg_jw_kuint(&j, "signature_id", VG_FOREIGN_SID);
	vg_jw_kint(&j, "rev", 1);
	vg_jw_kstr(&j, "signature", sig);
	vg_jw_kstr(&j, "category", "policy");
	vg_jw_kint(&j, "severity", 2);
	vg_jw_end(&j);
	agg_obj(&j, e);
	if (fo->cfg.annotate)
		fo->cfg.annotate(fo->cfg.annotate_ctx, &j, &e->dev, &e->dst);
	vg_jw_end(&j);
	flush_line(fo);
}

void vg_foreign_on_flow(void *ctx, vg_flow_t *f, const vg_raw_pkt_t *raw)
{
	vg_foreign_t *fo = ctx;
	const vg_ip_t *cli = vg_flow_client(f), *srv = vg_flow_server(f);
	if (raw->ts_us > fo->last_us)
		fo->last_us = raw->ts_us;
	if (!watched(fo, cli))
		return;
	fo->st.flows_checked++;
	if (vg_ip_reserved(srv, 128))
		return;
	char cc[3];
	int r = vg_geo_country(fo->cfg.geo, srv, cc);
	if (r < 0)
		fo->st.geo_errors++;
	if (r == 1 && !strcmp(cc, fo->cfg.home))
		return;
	if (r != 1) {
		if (!fo->cfg.unknown_is_foreign)
			return;
		memcpy(cc, "ZZ", 3);
	}
	if (fo->cfg.allow &&
	    vg_store_lookup_ip(fo->cfg.allow, srv, f->sport, (int64_t)(raw->ts_us / 1000000), fo->m,
			       8) > 0) {
		fo->st.allowed++;
		return;
	}
	bool fresh;
	agg_t *e = lookup(fo, cli, srv, cc, &fresh);
	if (!e) {
		fo->st.dropped++;
		return;
	}
	fo->st.flows_foreign++;
	e->count++;
	if (fresh)
		e->first_us = raw->ts_us;
	if (raw->ts_us > e->last_us)
		e->last_us = raw->ts_us;
	if (fresh) {
		fo->st.alerts++;
		emit_alert(fo, f, raw, e);
	}
}

void vg_foreign_emit(vg_foreign_t *fo)
{
	for (uint32_t i = 0; i < fo->n; i++) {
		const agg_t *e = &fo->a[i];
		vg_jw_t j;
		vg_buf_reset(&fo->out);
		vg_jw_init(&j, &fo->out);
		vg_jw_obj(&j);
		vg_eve_kts(&j, "timestamp", fo->last_us);
		vg_jw_kstr(&j, "event_type", "foreign");
		vg_eve_kip(&j, "src_ip", &e->dev);
		vg_eve_kip(&j, "dest_ip", &e->dst);
		agg_obj(&j, e);
		vg_jw_end(&j);
		flush_line(fo);
	}
}
