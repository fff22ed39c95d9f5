// SPDX-License-Identifier: Apache-2.0
/*
 * retro.c — `vigil hunt`: were we already talking to them?  Walks the
 * history segments (history.c) in time order and looks every stored
 * observation up in a store loaded from new feeds.
 *
 * Cost model: a segment interns its addresses and names, so records refer
 * to table ids; the first lookup of an id decides, and ids found not listed
 * are remembered in per-segment arrays (one byte per id), so each distinct
 * name or address is looked up once per segment.  Remote addresses are
 * looked up with their port only when the store holds ip:port indicators
 * (then per (id, port) through a direct-mapped cache).  Listed values are
 * looked up again when reported (matches are rare; results stay exact).
 *
 * Output: Suricata-style EVE lines, event_type "retro", timestamp = the
 * observation's time, alert{} and vigil{} as in live alerts.  Not
 * thread-safe; the store is only read.
 */
#include "watch/retro.h"
#include "lib/buf.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/timefmt.h"
#include "watch/watch_int.h"

#include "watch/eve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PC_BITS 18

enum { UNK = 0, NOT_LISTED = 1, LISTED = 2 };

typedef struct hunt {
	const vg_store_t *store;
	const vg_retro_opts_t *o;
	vg_watch_write_fn write;
	void *wctx;
	vg_retro_stats_t st;
	bool ipport; /* the store has ip:port indicators */
	const char *seg;
	vg_hist_seg_t *seg_r; /* the segment being read */
	uint8_t *ac, *nc; /* per id state, current epoch */
	uint32_t ac_cap, nc_cap;
	uint64_t *pc;     /* (rem id, port) known not listed */
	vg_buf_t out;
	vg_match_t m[64];
} hunt_t;



static bool same_ind(const vg_match_t *a, const vg_match_t *b)
{
	if (a->type != b->type || a->prefix != b->prefix || a->port != b->port)
		return false;
	if (a->type == VG_IND_DOMAIN || a->type == VG_IND_URL)
		return a->str == b->str && a->len == b->len;
	return !memcmp(a->ip.a, b->ip.a, 16);
}

static void sources(vg_jw_t *j, const vg_store_t *s, const vg_match_t *m, int n)
{
	vg_jw_key(j, "sources");
	vg_jw_arr(j);
	for (int i = 0; i < n; i++) {
		vg_meta_t mt;
		vg_store_meta(s, m[i].meta, &mt);
		vg_jw_obj(j);
		vg_jw_kstr(j, "source", mt.source);
		if (mt.category[0])
			vg_jw_kstr(j, "category", mt.category);
		if (mt.description[0])
			vg_jw_kstr(j, "description", mt.description);
		if (mt.reference[0])
			vg_jw_kstr(j, "reference", mt.reference);
		if (mt.confidence >= 0)
			vg_jw_kint(j, "confidence", mt.confidence);
		if (mt.tlp)
			vg_jw_kstr(j, "tlp", vg_tlp_name(mt.tlp));
		char tb[32];
		if (mt.valid_from) {
			vg_time_iso(mt.valid_from, tb, sizeof tb);
			vg_jw_kstr(j, "valid_from", tb);
		}
		if (mt.valid_until) {
			vg_time_iso(mt.valid_until, tb, sizeof tb);
			vg_jw_kstr(j, "valid_until", tb);
		}
		vg_jw_end(j);
	}
	vg_jw_end(j);
}

/* One event for the matches m[0..n) of one indicator. */
static void emit(hunt_t *h, const vg_hist_obs_t *ob, int on, const vg_match_t *m, int n)
{
	char ind[VG_URL_MAX + 64], sig[VG_URL_MAX + 256], pb[8];
	vg_match_format(&m[0], ind, sizeof ind);
	vg_meta_t first;
	vg_store_meta(h->store, m[0].meta, &first);
	int best = -1;
	for (int i = 0; i < n; i++) {
		vg_meta_t mt;
		vg_store_meta(h->store, m[i].meta, &mt);
		if (mt.confidence > best)
			best = mt.confidence;
	}
	int sev = best < 0 ? 2 : best >= 80 ? 1 : best >= 50 ? 2 : 3;
	snprintf(sig, sizeof sig, "VIGIL retro-hunt: listed %s %s in %s", vg_ind_type_name(m[0].type),
		 ind, vg_w_on_name(on));
	vg_jw_t j;
	vg_buf_reset(&h->out);
	vg_jw_init(&j, &h->out);
	vg_jw_obj(&j);
	char tb[40];
	vg_time_eve((int64_t)ob->ts_us, tb, sizeof tb);
	vg_jw_kstr(&j, "timestamp", tb);
	vg_jw_kstr(&j, "event_type", "retro");
	bool ports = ob->proto == 6 || ob->proto == 17 || ob->proto == 132;
	vg_eve_kip(&j, "src_ip", &ob->cli);
	if (ports)
		vg_jw_kuint(&j, "src_port", ob->cport);
	vg_eve_kip(&j, "dest_ip", &ob->rem);
	if (ports)
		vg_jw_kuint(&j, "dest_port", ob->rport);
	vg_jw_kstr(&j, "proto", vg_eve_proto_name(ob->proto, pb));
	if (ob->has_mac) {
		char mb[24];
		snprintf(mb, sizeof mb, "%02x:%02x:%02x:%02x:%02x:%02x", ob->mac[0], ob->mac[1],
			 ob->mac[2], ob->mac[3], ob->mac[4], ob->mac[5]);
		vg_jw_key(&j, "ether");
		vg_jw_obj(&j);
		vg_jw_kstr(&j, "src_mac", mb);
		vg_jw_end(&j);
	}
	vg_jw_key(&j, "alert");
	vg_jw_obj(&j);
	vg_jw_kstr(&j, "action", "allowed");
	vg_jw_kint(&j, "gid", 1);
	vg_jw_kuint(&j, "signature_id", vg_w_on_sid(on));
	vg_jw_kint(&j, "rev", 1);
	vg_jw_kstr(&j, "signature", sig);
	vg_jw_kstr(&j, "category", first.category[0] ? first.category : "listed-indicator");
	vg_jw_kint(&j, "severity", sev);
	vg_jw_end(&j);
	if (ob->name) {
		switch (ob->kind) {
		case VG_HIST_DNS_QUERY:
		case VG_HIST_DNS_ANSWER:
			vg_jw_key(&j, "dns");
			vg_jw_obj(&j);
			vg_jw_kstrn(&j, "rrname", ob->name, ob->name_len);
			if (ob->has_aux) {
				char ab[64];
				vg_ip_format(&ob->aux, ab, sizeof ab);
				vg_jw_kstr(&j, "rdata", ab);
			}
			vg_jw_end(&j);
			break;
		case VG_HIST_TLS_SNI:
		case VG_HIST_QUIC_SNI:
			vg_jw_key(&j, ob->kind == VG_HIST_TLS_SNI ? "tls" : "quic");
			vg_jw_obj(&j);
			vg_jw_kstrn(&j, "sni", ob->name, ob->name_len);
			vg_jw_end(&j);
			break;
		case VG_HIST_HTTP_HOST:
			vg_jw_key(&j, "http");
			vg_jw_obj(&j);
			vg_jw_kstrn(&j, "hostname", ob->name, ob->name_len);
			vg_jw_end(&j);
			break;
		}
	}
	vg_jw_key(&j, "vigil");
	vg_jw_obj(&j);
	vg_jw_kstr(&j, "indicator", ind);
	vg_jw_kstr(&j, "type", vg_ind_type_name(m[0].type));
	vg_jw_kstr(&j, "matched_on", vg_w_on_name(on));
	sources(&j, h->store, m, n);
	vg_jw_kstr(&j, "history", h->seg);
	vg_jw_end(&j);
	vg_jw_end(&j);
	if (!h->out.oom)
		h->write(h->wctx, h->out.p, h->out.len);
	h->st.events++;
}

static void report(hunt_t *h, const vg_hist_obs_t *ob, int on, int n)
{
	for (int i = 0; i < n;) {
		int k = i + 1;
		while (k < n && same_ind(&h->m[i], &h->m[k]))
			k++;
		int eff = on;
		if (on == ON_IP_DST && h->m[i].type >= VG_IND_IPPORT4 && h->m[i].type <= VG_IND_IPPORT6)
			eff = ON_IP_DST_PORT;
		emit(h, ob, eff, &h->m[i], k - i);
		i = k;
	}
}

static bool grow(uint8_t **a, uint32_t *cap, uint32_t need)
{
	if (need <= *cap)
		return true;
	uint32_t nc = need + need / 2 + 1024;
	uint8_t *n = realloc(*a, nc);
	if (!n)
		return false;
	memset(n + *cap, UNK, nc - *cap);
	*a = n;
	*cap = nc;
	return true;
}

/* Address id (port 0) or (id, port): lookup unless known not listed. */
static void hunt_ip(hunt_t *h, vg_hist_obs_t *ob, int on, const vg_ip_t *ip, uint32_t id,
		    uint16_t port)
{
	uint64_t key = 0;
	uint64_t *slot = NULL;
	if (port && h->ipport) {
		key = ((uint64_t)id << 16 | port) + 1;
		slot = &h->pc[vg_hash_u64(key) & ((1u << PC_BITS) - 1)];
		if (*slot == key)
			return;
	} else {
		if (h->ac[id] == NOT_LISTED)
			return;
		port = 0;
	}
	h->st.lookups++;
	vg_hist_seg_resolve(h->seg_r, ob);
	int n = vg_store_lookup_ip(h->store, ip, port, h->o->now, h->m, 64);
	if (!n) {
		if (slot)
			*slot = key;
		else
			h->ac[id] = NOT_LISTED;
		return;
	}
	report(h, ob, on, n);
}

static void hunt_name(hunt_t *h, vg_hist_obs_t *ob, int on)
{
	if (h->nc[ob->name_id] == NOT_LISTED)
		return;
	h->st.lookups++;
	vg_hist_seg_resolve(h->seg_r, ob);
	const char *s = ob->name;
	size_t len = ob->name_len;
	vg_ip_t ip;
	int n;
	if (len > 2 && s[0] == '[' && s[len - 1] == ']' && vg_ip_parse(s + 1, len - 2, &ip) == 0)
		n = vg_store_lookup_ip(h->store, &ip, 0, h->o->now, h->m, 64);
	else if (vg_ip_parse(s, len, &ip) == 0)
		n = vg_store_lookup_ip(h->store, &ip, 0, h->o->now, h->m, 64);
	else
		n = vg_store_lookup_domain(h->store, s, len, h->o->now, h->m, 64);
	if (!n) {
		h->nc[ob->name_id] = NOT_LISTED;
		return;
	}
	report(h, ob, on, n);
}

static int hunt_seg(hunt_t *h, const char *path, vg_retro_warn_fn warn, void *warnctx)
{
	vg_hist_seg_t *s;
	int rc = vg_hist_seg_open(&s, path);
	if (rc) {
		if (warn)
			warn(warnctx, h->seg, rc == VG_EFORMAT ? "not a history segment" : vg_strerror(rc));
		h->st.damaged++;
		return rc == VG_ENOMEM ? rc : 0;
	}
	h->st.segments++;
	h->st.bytes += vg_hist_seg_size(s);
	if (h->pc)
		memset(h->pc, 0, sizeof *h->pc << PC_BITS);
	uint32_t epoch = UINT32_MAX;
	vg_hist_obs_t ob;
	int r;
	h->seg_r = s;
	while ((r = vg_hist_seg_next_ids(s, &ob)) == 1) {
		h->st.records++;
		if (ob.epoch != epoch) {
			epoch = ob.epoch;
			if (h->ac)
				memset(h->ac, UNK, h->ac_cap);
			if (h->nc)
				memset(h->nc, UNK, h->nc_cap);
			if (h->pc)
				memset(h->pc, 0, sizeof *h->pc << PC_BITS);
		}
		if (!grow(&h->ac, &h->ac_cap, vg_hist_seg_n_addr(s)) ||
		    !grow(&h->nc, &h->nc_cap, vg_hist_seg_n_str(s))) {
			vg_hist_seg_close(s);
			return VG_ENOMEM;
		}
		if ((h->o->since_us && ob.ts_us < h->o->since_us) ||
		    (h->o->until_us && ob.ts_us > h->o->until_us))
			continue;
		h->st.in_window++;
		switch (ob.kind) {
		case VG_HIST_FLOW: hunt_ip(h, &ob, ON_IP_DST, &ob.rem, ob.rem_id, ob.rport); break;
		case VG_HIST_DNS_ANSWER:
			if (ob.has_aux)
				hunt_ip(h, &ob, ON_DNS_ANSWER_IP, &ob.aux, ob.aux_id, 0);
			break;
		case VG_HIST_DNS_QUERY:
		case VG_HIST_TLS_SNI:
		case VG_HIST_QUIC_SNI:
		case VG_HIST_HTTP_HOST:
			if (ob.name_id != VG_HIST_NONE) {
				int on = ob.kind == VG_HIST_DNS_QUERY ? ON_DNS_QUERY
					 : ob.kind == VG_HIST_TLS_SNI ? ON_TLS_SNI
					 : ob.kind == VG_HIST_QUIC_SNI ? ON_QUIC_SNI
								       : ON_HTTP_HOST;
				hunt_name(h, &ob, on);
			}
			break;
		}
	}
	if (r < 0) {
		h->st.damaged++;
		if (warn)
			warn(warnctx, h->seg, r == VG_ECORRUPT ? vg_hist_seg_error(s) : vg_strerror(r));
	}
	vg_hist_seg_close(s);
	return r == VG_ENOMEM ? r : 0;
}

int vg_retro_hunt(const char *dir, const vg_store_t *store, const vg_retro_opts_t *o,
		  vg_watch_write_fn write, void *wctx, vg_retro_warn_fn warn, void *warnctx,
		  vg_retro_stats_t *st)
{
	static const vg_retro_opts_t dflt;
	hunt_t h;
	memset(&h, 0, sizeof h);
	h.store = store;
	h.o = o ? o : &dflt;
	h.write = write;
	h.wctx = wctx;
	vg_store_stats_t ss;
	vg_store_stats(store, &ss);
	h.ipport = ss.count[VG_IND_IPPORT4] || ss.count[VG_IND_IPPORT6];
	char **names;
	size_t n;
	int rc = vg_hist_list(dir, &names, &n);
	if (rc)
		return rc;
	if (h.ipport && !(h.pc = calloc((size_t)1 << PC_BITS, sizeof *h.pc)))
		rc = VG_ENOMEM;
	char path[4096];
	for (size_t i = 0; i < n && !rc; i++) {
		int64_t hour = vg_hist_seg_hour(names[i]);
		if ((h.o->since_us && (uint64_t)(hour + 3600) * 1000000 <= h.o->since_us) ||
		    (h.o->until_us && (uint64_t)hour * 1000000 > h.o->until_us))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		h.seg = names[i];
		rc = hunt_seg(&h, path, warn, warnctx);
	}
	vg_hist_list_free(names, n);
	free(h.ac);
	free(h.nc);
	free(h.pc);
	vg_buf_release(&h.out);
	if (st)
		*st = h.st;
	return rc;
}
