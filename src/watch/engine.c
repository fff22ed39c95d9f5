// SPDX-License-Identifier: Apache-2.0
/*
 * engine.c — the packet path of `vigil watch`: decode, flow tracking, and
 * dispatch to the application parsers.
 *
 *   frame -> vg_decode -> vg_flow_track -> (new flow) IP indicators
 *                                       -> UDP: DNS, QUIC Initial
 *                                       -> TCP client bytes: TLS hello,
 *                                          HTTP request, DNS over TCP
 *
 * Cost model: a packet of an established bulk flow costs a decode, one
 * flow-table lookup and a few flag tests; store lookups happen once per
 * flow (IPs) and once per parsed message (names), never per packet.
 * Nothing here allocates after vg_watch_new: parser outputs live in the
 * engine, TCP reassembly uses a fixed pool of buffers (bounded; when it is
 * exhausted the segment is parsed alone and the miss is counted).
 *
 * Client streams are reassembled only until the first message is parsed
 * (ClientHello, HTTP request head), at most cfg.reasm_bytes; the buffer goes
 * back to the pool at once.  HTTP keep-alive requests after the first are
 * parsed per segment when a segment starts with a request line.
 */
#include "watch/watch_int.h"
#include "watch/history.h"

#include <stdlib.h>
#include <string.h>

void vg_watch_cfg_default(vg_watch_cfg_t *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	vg_flow_cfg_default(&cfg->flow);
	cfg->realert_s = 3600;
	cfg->reasm_bytes = 16384;
	cfg->reasm_buffers = 1024;
	cfg->dnscache_max = 4096;
}

static void flow_end(void *ctx, vg_flow_t *f, int reason)
{
	vg_watch_t *w = ctx;
	fstate_t *fs = FS(f);
	if (fs->reasm) {
		w->rs[fs->reasm - 1].next_free = w->rs_free;
		w->rs_free = fs->reasm;
		fs->reasm = 0;
	}
	if (w->cfg.log_mask & VG_LOG_FLOW)
		vg_w_eve_flow(w, f, reason);
}

int vg_watch_new(vg_watch_t **out, const vg_watch_cfg_t *cfg, const vg_store_t *store,
		 vg_watch_write_fn write, void *ctx)
{
	*out = NULL;
	vg_watch_t *w = calloc(1, sizeof *w);
	if (!w)
		return VG_ENOMEM;
	w->cfg = *cfg;
	if (!w->cfg.reasm_bytes)
		w->cfg.reasm_bytes = 16384;
	w->store = store;
	w->skip_reserved = !vg_store_lists_reserved(store);
	w->write = write;
	w->wctx = ctx;
	int rc = vg_flow_table_new(&w->flows, &w->cfg.flow, flow_end, w);
	if (rc)
		goto fail;
	uint32_t n = w->cfg.reasm_buffers;
	if (n) {
		w->rs = calloc(n, sizeof *w->rs);
		w->rs_mem = malloc((size_t)n * w->cfg.reasm_bytes);
		if (!w->rs || !w->rs_mem) {
			rc = VG_ENOMEM;
			goto fail;
		}
		for (uint32_t i = 0; i < n; i++) {
			w->rs[i].buf = w->rs_mem + (size_t)i * w->cfg.reasm_bytes;
			w->rs[i].next_free = i + 2 <= n ? i + 2 : 0;
		}
		w->rs_free = 1;
	}
	if ((rc = vg_w_dnsc_init(w)) || (rc = vg_w_nc_init(w)))
		goto fail;
	w->quic_ok = vg_quic_init(&w->quic) == 0;
	*out = w;
	return 0;
fail:
	vg_watch_free(w);
	return rc;
}

void vg_watch_free(vg_watch_t *w)
{
	if (!w)
		return;
	vg_flow_table_free(w->flows);
	if (w->quic_ok)
		vg_quic_release(&w->quic);
	free(w->rs);
	free(w->rs_mem);
	free(w->dc);
	free(w->nc);
	vg_buf_release(&w->out);
	free(w);
}

const vg_store_t *vg_watch_set_store(vg_watch_t *w, const vg_store_t *store)
{
	const vg_store_t *old = w->store;
	w->store = store;
	w->skip_reserved = !vg_store_lists_reserved(store);
	vg_w_nc_clear(w); /* "not listed" answers were about the old store */
	return old;
}

/* ---- reassembly pool ----------------------------------------------------------------- */

static reasm_slot_t *reasm_get(vg_watch_t *w, vg_flow_t *f, uint32_t seq)
{
	fstate_t *fs = FS(f);
	if (fs->reasm)
		return &w->rs[fs->reasm - 1];
	if (!w->rs_free) {
		w->st.reasm_exhausted++;
		return NULL;
	}
	uint32_t i = w->rs_free;
	reasm_slot_t *s = &w->rs[i - 1];
	w->rs_free = s->next_free;
	fs->reasm = i;
	bool isn_known = fs->flags & FS_ISN;
	/* without a SYN, the first segment seen starts the stream */
	vg_reasm_init(&s->r, s->buf, w->cfg.reasm_bytes, isn_known, isn_known ? fs->cli_isn : seq - 1);
	return s;
}

static void reasm_put(vg_watch_t *w, vg_flow_t *f)
{
	fstate_t *fs = FS(f);
	if (!fs->reasm)
		return;
	w->rs[fs->reasm - 1].next_free = w->rs_free;
	w->rs_free = fs->reasm;
	fs->reasm = 0;
}

/* ---- application parsers ---------------------------------------------------------------- */

static bool is_dns_port(uint16_t p) { return p == 53 || p == 5353 || p == 5355; }

static void on_dns(vg_watch_t *w, pctx_t *pc, const uint8_t *p, size_t n, bool tcp, bool partial)
{
	int rc;
	if (tcp) {
		size_t used = 0;
		rc = vg_dns_parse_tcp(p, n, &w->dns, &used);
		if (rc == VG_EAGAIN)
			return;
	} else {
		rc = vg_dns_parse(p, n, &w->dns);
		/* a message cut at the reassembly cap: keep the questions read */
		if (rc == VG_EFORMAT && partial && w->dns.n_q)
			rc = 0;
	}
	if (rc) {
		w->st.dns_err++;
		return;
	}
	w->st.dns++;
	if (pc->flow)
		FS(pc->flow)->app = APP_DNS;
	pc->ctx = CTX_DNS;
	pc->obj = &w->dns;
	if (w->cfg.log_mask & VG_LOG_DNS)
		vg_w_eve_app(w, pc);
	vg_w_dns_observe(w, pc, &w->dns);
}

static void on_tls(vg_watch_t *w, pctx_t *pc, const vg_tls_hello_t *h, int ctx)
{
	pc->ctx = ctx;
	pc->obj = h;
	if (ctx == CTX_TLS)
		w->st.tls++;
	else
		w->st.quic++;
	if (w->cfg.log_mask & VG_LOG_TLS)
		vg_w_eve_app(w, pc);
	if (h->has_sni && h->sni_len) {
		vg_hist_note(w->cfg.history, pc->flow, pc->pkt, pc->dir, pc->raw->ts_us,
			     ctx == CTX_TLS ? VG_HIST_TLS_SNI : VG_HIST_QUIC_SNI, h->sni, h->sni_len, NULL);
		vg_ip_t ip;
		if (vg_ip_parse(h->sni, h->sni_len, &ip) == 0)
			vg_w_match_ip(w, pc, ctx == CTX_TLS ? ON_TLS_SNI : ON_QUIC_SNI, &ip, 0);
		else
			vg_w_match_domain(w, pc, ctx == CTX_TLS ? ON_TLS_SNI : ON_QUIC_SNI, h->sni,
					  h->sni_len);
	}
}

static void on_http(vg_watch_t *w, pctx_t *pc, const vg_http_req_t *r)
{
	w->st.http++;
	pc->ctx = CTX_HTTP;
	pc->obj = r;
	if (w->cfg.log_mask & VG_LOG_HTTP)
		vg_w_eve_app(w, pc);
	if (r->has_host && r->host[0]) {
		const char *h = r->host;
		size_t hn = strlen(h);
		vg_hist_note(w->cfg.history, pc->flow, pc->pkt, pc->dir, pc->raw->ts_us, VG_HIST_HTTP_HOST,
			     h, hn, NULL);
		vg_ip_t ip;
		if (h[0] == '[' && hn > 2 && h[hn - 1] == ']') {
			if (vg_ip_parse(h + 1, hn - 2, &ip) == 0)
				vg_w_match_ip(w, pc, ON_HTTP_HOST, &ip, 0);
		} else if (vg_ip_parse(h, hn, &ip) == 0) {
			vg_w_match_ip(w, pc, ON_HTTP_HOST, &ip, 0);
		} else {
			vg_w_match_domain(w, pc, ON_HTTP_HOST, h, hn);
		}
	}
	if (r->url[0])
		vg_w_match_url(w, pc, r->url, strlen(r->url));
}

static bool http_method_start(const uint8_t *p, size_t n)
{
	static const char *const m[] = {"GET ",    "POST ",  "HEAD ",    "PUT ",   "DELETE ",
					"OPTIONS ", "PATCH ", "CONNECT ", "TRACE "};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		size_t l = strlen(m[i]);
		if (n >= l && !memcmp(p, m[i], l))
			return true;
	}
	return false;
}

/* Parse the client's stream prefix p[0..n).  Returns true when finished with
 * the flow's first message (or it is not one we parse). */
static bool client_prefix(vg_watch_t *w, pctx_t *pc, vg_flow_t *f, const uint8_t *p, size_t n,
			  bool full)
{
	fstate_t *fs = FS(f);
	if (n == 0)
		return false;
	if (fs->app == APP_NONE) {
		if (p[0] == 0x16)
			fs->app = APP_TLS;
		else if (http_method_start(p, n) || (n < 8 && p[0] >= 'A' && p[0] <= 'Z'))
			fs->app = n >= 8 || http_method_start(p, n) ? APP_HTTP : APP_NONE;
		else if (is_dns_port(f->sport) ||
			 (w->cfg.dns_any_port && n > 2 && vg_dns_looks_like(p + 2, n - 2)))
			fs->app = APP_DNS;
		else
			fs->app = APP_FAILED;
		if (fs->app == APP_NONE)
			return full;
	}
	int rc;
	switch (fs->app) {
	case APP_TLS:
		rc = vg_tls_parse_client_hello(p, n, &w->tls);
		if (rc == VG_EAGAIN && !full)
			return false;
		if (rc == 0)
			on_tls(w, pc, &w->tls, CTX_TLS);
		else
			w->st.tls_err++;
		fs->flags |= FS_DONE;
		return true;
	case APP_HTTP:
		rc = vg_http_parse_request(p, n, w->cfg.reasm_bytes, &w->http);
		if (rc == VG_EAGAIN && !full)
			return false;
		if (rc == 0)
			on_http(w, pc, &w->http);
		else
			w->st.http_err++;
		fs->flags |= FS_HTTP_FIRST;
		return true;
	case APP_DNS:
		if (n >= 2 && (size_t)(p[0] << 8 | p[1]) + 2 > n) {
			if (!full)
				return false; /* wait for the whole message */
			/* larger than the reassembly cap: parse the prefix we hold;
			 * the header and questions come first */
			on_dns(w, pc, p + 2, n - 2, false, true);
			fs->flags |= FS_DONE;
			return true;
		}
		on_dns(w, pc, p, n, true, false);
		return true;
	default: fs->flags |= FS_DONE; return true;
	}
}

static void tcp_client_data(vg_watch_t *w, pctx_t *pc, vg_flow_t *f)
{
	fstate_t *fs = FS(f);
	const vg_pkt_t *p = pc->pkt;
	if (fs->flags & FS_DONE)
		return;
	if (fs->flags & FS_HTTP_FIRST) {
		/* keep-alive: later requests, one per segment start */
		if (http_method_start(p->payload, p->payload_len) &&
		    vg_http_parse_request(p->payload, p->payload_len, w->cfg.reasm_bytes, &w->http) ==
			    0)
			on_http(w, pc, &w->http);
		return;
	}
	if (fs->app == APP_DNS && !fs->reasm && p->payload_len >= 2 &&
	    (size_t)(p->payload[0] << 8 | p->payload[1]) + 2 <= p->payload_len) {
		on_dns(w, pc, p->payload, p->payload_len, true, false); /* a whole message */
		return;
	}
	bool in_order = !(fs->flags & FS_ISN) || p->tcp_seq == fs->cli_isn + 1;
	if (!fs->reasm && in_order) {
		/* fast path: the whole first message in the first segment */
		int before = fs->app;
		if (client_prefix(w, pc, f, p->payload, p->payload_len, false))
			return;
		(void)before;
	}
	reasm_slot_t *s = reasm_get(w, f, p->tcp_seq);
	if (!s) {
		client_prefix(w, pc, f, p->payload, p->payload_len, true);
		fs->flags |= FS_DONE;
		return;
	}
	vg_reasm_add(&s->r, p->tcp_seq, p->payload, p->payload_len);
	size_t c = vg_reasm_contig(&s->r);
	bool full = vg_reasm_full(&s->r);
	if (c && client_prefix(w, pc, f, vg_reasm_data(&s->r), c, full))
		reasm_put(w, f);
	else if (full) {
		fs->flags |= FS_DONE;
		reasm_put(w, f);
	}
}

/* ---- the packet path ------------------------------------------------------------------- */

void vg_watch_packet(vg_watch_t *w, const vg_raw_pkt_t *raw)
{
	vg_pkt_t *p = &w->pkt;
	w->st.pkts++;
	w->st.bytes += raw->len;
	if (!w->st.first_us)
		w->st.first_us = raw->ts_us;
	if (raw->ts_us > w->st.last_us)
		w->st.last_us = raw->ts_us;
	int r = vg_decode(raw->linktype, raw->data, raw->caplen, p);
	vg_decode_count(&w->dec, r);
	if (r != VG_DEC_OK)
		return;
	w->cur_raw = raw;
	int dir = 0;
	/* a tunnelled packet's flow counts the inner packet, as Suricata does */
	uint32_t wire = p->depth ? p->ip_len : raw->len;
	vg_flow_t *f = vg_flow_track(w->flows, p, raw->ts_us, wire, &dir);
	pctx_t pc = {raw, p, f, dir, CTX_NONE, NULL};
	if (w->cfg.on_packet)
		w->cfg.on_packet(w->cfg.pkt_ctx, p, f, dir, f ? &FS(f)->hook_bits : NULL, raw->ts_us);
	if (!f)
		return;
	fstate_t *fs = FS(f);
	if (!(fs->flags & FS_IPCHECKED)) {
		fs->flags |= FS_IPCHECKED;
		if (p->proto == 6 && (p->tcp_flags & (VG_TCP_SYN | VG_TCP_ACK)) == VG_TCP_SYN) {
			fs->flags |= FS_ISN;
			fs->cli_isn = p->tcp_seq;
		}
		vg_w_check_flow_ips(w, &pc);
		if (w->cfg.on_flow)
			w->cfg.on_flow(w->cfg.flow_ctx, f, raw);
	} else if ((fs->flags & FS_IPALERT) && w->cfg.realert_s &&
		   raw->ts_us - fs->last_alert_us >= (uint64_t)w->cfg.realert_s * 1000000) {
		fs->n_alerted = 0; /* long-lived flow: alert again */
		vg_w_check_flow_ips(w, &pc);
	}
	if (!(p->flags & VG_PKT_F_L4) || !p->payload_len)
		return;
	if (p->proto == 17) {
		if (is_dns_port(p->sport) || is_dns_port(p->dport) ||
		    (w->cfg.dns_any_port && vg_dns_looks_like(p->payload, p->payload_len))) {
			on_dns(w, &pc, p->payload, p->payload_len, false, false);
		} else if (w->quic_ok && !(fs->flags & FS_DONE) && dir == VG_DIR_TOSERVER &&
			   vg_quic_looks_like_initial(p->payload, p->payload_len)) {
			if (fs->app != APP_QUIC) {
				vg_quic_reset(&w->quic);
				fs->app = APP_QUIC;
			}
			int rc = vg_quic_parse_initial(&w->quic, p->payload, p->payload_len);
			if (rc == 0) {
				on_tls(w, &pc, &w->quic.hello, CTX_QUIC);
				fs->flags |= FS_DONE;
			} else if (rc != VG_EAGAIN) {
				fs->flags |= FS_DONE;
			}
		}
		return;
	}
	if (p->proto == 6) {
		if (dir == VG_DIR_TOSERVER)
			tcp_client_data(w, &pc, f);
		else if (fs->app == APP_DNS || (fs->app == APP_NONE && is_dns_port(f->sport)))
			on_dns(w, &pc, p->payload, p->payload_len, true, false);
	}
}

void vg_watch_tick(vg_watch_t *w, uint64_t now_us)
{
	w->cur_raw = NULL;
	vg_flow_expire(w->flows, now_us);
}

void vg_watch_finish(vg_watch_t *w)
{
	w->cur_raw = NULL;
	vg_flow_flush(w->flows);
}

void vg_watch_get_stats(const vg_watch_t *w, vg_watch_stats_t *st)
{
	*st = w->st;
	for (int i = 0; i < VG_DEC_REASON_MAX && i < 64; i++)
		st->decode[i] = w->dec.reason[i];
	vg_flow_get_stats(w->flows, &st->flow);
}

void vg_watch_note_alerts(vg_watch_t *w, uint64_t n) { w->st.alerts += n; }

void vg_watch_emit_stats(vg_watch_t *w, const vg_src_stats_t *cap) { vg_w_eve_stats(w, cap); }
