// SPDX-License-Identifier: Apache-2.0
/*
 * match.c — observations to alerts: every IP, name, SNI, Host and URL the
 * parsers see is looked up in the store; matches become one alert per
 * (flow, indicator).
 *
 * Dedup: a flow remembers hashes of the indicators it has alerted on
 * (FS_MAX_ALERTED of them; beyond that, further distinct indicators still
 * alert, the oldest remembered hash is overwritten).  Packets without a flow
 * (later fragments) are never matched.
 *
 * DNS answers for a listed name fill the DNS cache (IP -> name); a later
 * flow to such an IP is reported with matched_on "dns.resolved" and the
 * name's indicator, even when the IP itself is not listed.
 */
#include "watch/watch_int.h"
#include "lib/hash.h"
#include "watch/history.h"

#include <stdlib.h>
#include <string.h>

static const char *const on_names[ON__COUNT] = {
	"ip.src",        "ip.dst",       "ip.dst_port", "dns.query",   "dns.answer",
	"dns.answer_ip", "dns.resolved", "tls.sni",     "quic.sni",    "http.host",
	"http.url",
};
static const uint32_t on_sids[ON__COUNT] = {
	8800001, 8800002, 8800003, 8800011, 8800012, 8800013,
	8800014, 8800021, 8800022, 8800031, 8800032,
};

const char *vg_w_on_name(int on) { return on >= 0 && on < ON__COUNT ? on_names[on] : "?"; }
uint32_t vg_w_on_sid(int on) { return on >= 0 && on < ON__COUNT ? on_sids[on] : 8800000; }

/* Identity of the indicator of a match (not of its meta). */
static uint64_t ind_hash(const vg_match_t *m)
{
	uint64_t h = (uint64_t)m->type << 56 | (uint64_t)m->prefix << 40 | m->port;
	switch (m->type) {
	case VG_IND_DOMAIN:
	case VG_IND_URL: return vg_hash64(m->str, m->len, h);
	default: return vg_hash64(m->ip.a, 16, h);
	}
}

static bool same_ind(const vg_match_t *a, const vg_match_t *b)
{
	if (a->type != b->type || a->prefix != b->prefix || a->port != b->port)
		return false;
	if (a->type == VG_IND_DOMAIN || a->type == VG_IND_URL)
		return a->str == b->str && a->len == b->len;
	return !memcmp(a->ip.a, b->ip.a, 16);
}

/* true if the flow has not alerted on this indicator yet (and records it). */
static bool first_time(vg_flow_t *f, uint64_t h64)
{
	fstate_t *fs = FS(f);
	uint32_t h = (uint32_t)(h64 ^ (h64 >> 32)) | 1;
	for (unsigned i = 0; i < fs->n_alerted && i < FS_MAX_ALERTED; i++)
		if (fs->alerted[i] == h)
			return false;
	fs->alerted[fs->n_alerted % FS_MAX_ALERTED] = h;
	if (fs->n_alerted < 255)
		fs->n_alerted++;
	return true;
}

/* Emit one alert per distinct indicator among m[0..n). */
static void alert_groups(vg_watch_t *w, pctx_t *pc, int on, const vg_match_t *m, int n,
			 const char *resolved)
{
	for (int i = 0; i < n;) {
		int j = i + 1;
		while (j < n && same_ind(&m[i], &m[j]))
			j++;
		int eff = on;
		if (on == ON_IP_DST && m[i].type >= VG_IND_IPPORT4 && m[i].type <= VG_IND_IPPORT6)
			eff = ON_IP_DST_PORT;
		if (pc->flow && first_time(pc->flow, ind_hash(&m[i]))) {
			fstate_t *fs = FS(pc->flow);
			fs->flags |= FS_ALERTED;
			fs->last_alert_us = pc->raw->ts_us;
			if (on == ON_IP_SRC || on == ON_IP_DST)
				fs->flags |= FS_IPALERT;
			vg_w_eve_alert(w, pc, eff, &m[i], j - i, resolved);
			if (w->cfg.on_alert && on != ON_DNS_QUERY && on != ON_DNS_ANSWER &&
			    on != ON_DNS_ANSWER_IP) {
				vg_flow_t *f = pc->flow;
				bool cli = on == ON_IP_SRC;
				w->cfg.on_alert(w->cfg.action_ctx, cli ? vg_flow_client(f) : vg_flow_server(f),
						cli ? f->cport : f->sport, f->key.proto, vg_w_on_name(eff),
						pc->raw->ts_us);
			}
		}
		i = j;
	}
}

static int64_t now_s(const pctx_t *pc) { return (int64_t)(pc->raw->ts_us / 1000000); }

/*
 * The negative cache.  Traffic repeats itself: the same servers and the
 * same names recur across thousands of flows, and almost none of them is
 * listed.  A store of millions of indicators does not fit in the CPU
 * caches, so each lookup is a chain of cache misses (150-500 ns measured
 * by bench_store on this machine); a direct-mapped table of the 64-bit
 * hashes of values recently found NOT listed answers most of them from L2.
 * Only "not listed" is cached (a hit always goes to the store, so alerts
 * and their metadata are exact), the table is cleared when the store
 * changes, and the hash is keyed with a per-engine random seed.  A false
 * "not listed" needs a 64-bit hash collision in the same slot.
 */
int vg_w_nc_init(vg_watch_t *w)
{
	w->nc = calloc((size_t)1 << VG_NC_BITS, sizeof *w->nc);
	if (!w->nc)
		return VG_ENOMEM;
	w->nc_seed = vg_hash_u64((uint64_t)(uintptr_t)w ^ w->dc_seed ^ 0x6e65676361636865ull);
	return 0;
}

void vg_w_nc_clear(vg_watch_t *w)
{
	if (w->nc)
		memset(w->nc, 0, sizeof *w->nc << VG_NC_BITS);
}

static inline bool nc_known(const vg_watch_t *w, uint64_t h)
{
	return w->nc[h & ((1u << VG_NC_BITS) - 1)] == (h | 1);
}

static inline void nc_put(vg_watch_t *w, uint64_t h)
{
	w->nc[h & ((1u << VG_NC_BITS) - 1)] = h | 1;
}

static int lookup_ip(vg_watch_t *w, const pctx_t *pc, const vg_ip_t *ip, uint16_t port)
{
	uint64_t h = vg_hash64(ip->a, 16, w->nc_seed ^ port);
	if (nc_known(w, h)) {
		w->nc_hits++;
		return 0;
	}
	int n = vg_store_lookup_ip(w->store, ip, port, now_s(pc), w->m, 64);
	if (!n)
		nc_put(w, h);
	return n;
}

static int lookup_domain(vg_watch_t *w, const pctx_t *pc, const char *name, size_t len)
{
	uint64_t h = vg_hash64(name, len, w->nc_seed ^ 0xd0);
	if (nc_known(w, h)) {
		w->nc_hits++;
		return 0;
	}
	int n = vg_store_lookup_domain(w->store, name, len, now_s(pc), w->m, 64);
	if (!n)
		nc_put(w, h);
	return n;
}

void vg_w_match_ip(vg_watch_t *w, pctx_t *pc, int on, const vg_ip_t *ip, uint16_t port)
{
	/* LAN clients are private addresses: when the store lists none, their
	 * lookups (half of all per-flow lookups on a typical link) are skipped */
	if (w->skip_reserved && vg_ip_reserved(ip, 128))
		return;
	int n = lookup_ip(w, pc, ip, port);
	if (n)
		alert_groups(w, pc, on, w->m, n, NULL);
}

void vg_w_match_domain(vg_watch_t *w, pctx_t *pc, int on, const char *name, size_t len)
{
	int n = lookup_domain(w, pc, name, len);
	if (n)
		alert_groups(w, pc, on, w->m, n, NULL);
}

void vg_w_match_url(vg_watch_t *w, pctx_t *pc, const char *url, size_t len)
{
	int n = vg_store_lookup_url(w->store, url, len, now_s(pc), w->m, 64);
	if (n)
		alert_groups(w, pc, ON_HTTP_URL, w->m, n, NULL);
}

void vg_w_check_flow_ips(vg_watch_t *w, pctx_t *pc)
{
	vg_flow_t *f = pc->flow;
	const vg_ip_t *srv = vg_flow_server(f), *cli = vg_flow_client(f);
	vg_hist_note(w->cfg.history, f, pc->pkt, pc->dir, pc->raw->ts_us, VG_HIST_FLOW, NULL, 0, NULL);
	/* the server side, with its port for ip:port indicators */
	vg_w_match_ip(w, pc, ON_IP_DST, srv, f->sport);
	/* the client side: an inbound scanner from a listed address */
	vg_w_match_ip(w, pc, ON_IP_SRC, cli, 0);
	const char *name = vg_w_dnsc_get(w, srv, pc->raw->ts_us);
	if (name) {
		int n = vg_store_lookup_domain(w->store, name, strlen(name), now_s(pc), w->m, 64);
		if (n)
			alert_groups(w, pc, ON_DNS_RESOLVED, w->m, n, name);
	}
}

void vg_w_dns_observe(vg_watch_t *w, pctx_t *pc, const vg_dns_msg_t *m)
{
	const char *listed = NULL; /* a queried/answered name that is listed */
	/* a response repeats its request's questions: when the request was seen
	 * on this flow, they were matched already */
	bool q_seen = m->qr && pc->flow && pc->flow->pkts[VG_DIR_TOSERVER] && pc->dir == VG_DIR_TOCLIENT;
	for (unsigned i = 0; i < m->n_q; i++) {
		const char *q = vg_dns_str(m, m->q[i].name);
		vg_hist_note(w->cfg.history, pc->flow, pc->pkt, pc->dir, pc->raw->ts_us, VG_HIST_DNS_QUERY,
			     q, strlen(q), NULL);
		if (q_seen) {
			if (!listed && (FS(pc->flow)->flags & FS_DNS_LISTED))
				listed = q;
			continue;
		}
		int n = lookup_domain(w, pc, q, strlen(q));
		if (n) {
			listed = q;
			if (pc->flow)
				FS(pc->flow)->flags |= FS_DNS_LISTED;
			alert_groups(w, pc, ON_DNS_QUERY, w->m, n, NULL);
		}
	}
	if (!m->qr)
		return;
	for (unsigned i = 0; i < m->n_an; i++) {
		const vg_dns_rr_t *rr = &m->an[i];
		const char *owner = vg_dns_str(m, rr->name);
		/* the owner is usually the question or the previous CNAME target,
		 * both looked up already */
		bool dup = (m->n_q && !strcmp(owner, vg_dns_str(m, m->q[0].name))) ||
			   (i && m->an[i - 1].rdkind == VG_DNS_RD_NAME &&
			    !strcmp(owner, vg_dns_str(m, m->an[i - 1].target))) ||
			   (i && !strcmp(owner, vg_dns_str(m, m->an[i - 1].name)));
		int n = dup ? 0 : lookup_domain(w, pc, owner, strlen(owner));
		if (n) {
			if (!listed)
				listed = owner;
			alert_groups(w, pc, ON_DNS_ANSWER, w->m, n, NULL);
		}
		if (rr->rdkind == VG_DNS_RD_NAME) {
			const char *t = vg_dns_str(m, rr->target);
			n = lookup_domain(w, pc, t, strlen(t));
			if (n) {
				if (!listed)
					listed = t;
				alert_groups(w, pc, ON_DNS_ANSWER, w->m, n, NULL);
			}
		} else if (rr->rdkind == VG_DNS_RD_IP) {
			vg_hist_note(w->cfg.history, pc->flow, pc->pkt, pc->dir, pc->raw->ts_us,
				     VG_HIST_DNS_ANSWER, owner, strlen(owner), &rr->ip);
			vg_w_match_ip(w, pc, ON_DNS_ANSWER_IP, &rr->ip, 0);
		}
	}
	if (!listed)
		return;
	/* remember where the listed name points, for later connections */
	for (unsigned i = 0; i < m->n_an; i++)
		if (m->an[i].rdkind == VG_DNS_RD_IP)
			vg_w_dnsc_put(w, &m->an[i].ip, listed, m->an[i].ttl, pc->raw->ts_us);
}
