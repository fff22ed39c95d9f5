// SPDX-License-Identifier: Apache-2.0
/*
 * eve.c — EVE JSON events (alert, dns, tls, http, flow, stats) with
 * Suricata's field names, so that jq scripts and SIEM parsers written for
 * Suricata's eve.json work on vigil's output unchanged.
 *
 * Events are written with the streaming writer of lib/json.c into one
 * reused buffer and handed to the engine's write callback; nothing is
 * formatted unless an event is emitted.  DNS objects follow Suricata 8's
 * "v3" layout (dns.queries[], dns.answers[], dns.grouped).  Timestamps are
 * packet times (capture time), as Suricata writes them.
 */
#include "watch/eve.h"
#include "watch/watch_int.h"
#include "lib/timefmt.h"

#include <stdio.h>
#include <string.h>

const char *vg_w_app_name(int app)
{
	switch (app) {
	case APP_DNS: return "dns";
	case APP_TLS: return "tls";
	case APP_HTTP: return "http";
	case APP_QUIC: return "quic";
	case APP_FAILED: return "failed";
	default: return NULL;
	}
}

const char *vg_eve_proto_name(uint8_t p, char buf[8])
{
	switch (p) {
	case 1: return "ICMP";
	case 6: return "TCP";
	case 17: return "UDP";
	case 58: return "IPv6-ICMP";
	case 132: return "SCTP";
	case 47: return "GRE";
	}
	snprintf(buf, 8, "%u", p);
	return buf;
}

void vg_eve_kip(vg_jw_t *j, const char *k, const vg_ip_t *ip)
{
	char b[64];
	vg_ip_format(ip, b, sizeof b);
	vg_jw_kstr(j, k, b);
}

void vg_eve_kts(vg_jw_t *j, const char *k, uint64_t ts_us)
{
	char b[40];
	vg_time_eve((int64_t)ts_us, b, sizeof b);
	vg_jw_kstr(j, k, b);
}

static void begin(vg_watch_t *w, vg_jw_t *j, uint64_t ts_us, const vg_flow_t *f)
{
	vg_buf_reset(&w->out);
	vg_jw_init(j, &w->out);
	vg_jw_obj(j);
	vg_eve_kts(j, "timestamp", ts_us);
	if (f)
		vg_jw_kuint(j, "flow_id", f->flow_id);
}

static void finish(vg_watch_t *w, vg_jw_t *j)
{
	vg_jw_end(j);
	w->st.events++;
	if (!w->out.oom)
		w->write(w->wctx, w->out.p, w->out.len);
}

/* The packet's 5-tuple and the fields every packet event shares. */
static void packet_fields(vg_watch_t *w, vg_jw_t *j, const pctx_t *pc, const char *event_type)
{
	const vg_pkt_t *p = pc->pkt;
	const vg_raw_pkt_t *raw = pc->raw;
	char pb[8];
	if (raw->file) {
		vg_jw_kstr(j, "pcap_filename", raw->file);
	}
	vg_jw_kuint(j, "pcap_cnt", raw->pcap_cnt);
	vg_jw_kstr(j, "event_type", event_type);
	vg_eve_kip(j, "src_ip", &p->src);
	if (p->flags & VG_PKT_F_L4 && (p->proto == 6 || p->proto == 17 || p->proto == 132))
		vg_jw_kuint(j, "src_port", p->sport);
	vg_eve_kip(j, "dest_ip", &p->dst);
	if (p->flags & VG_PKT_F_L4 && (p->proto == 6 || p->proto == 17 || p->proto == 132))
		vg_jw_kuint(j, "dest_port", p->dport);
	vg_jw_kstr(j, "proto", vg_eve_proto_name(p->proto, pb));
	if (p->proto == 1 || p->proto == 58) {
		vg_jw_kuint(j, "icmp_type", p->icmp_type);
		vg_jw_kuint(j, "icmp_code", p->icmp_code);
	}
	if (pc->flow) {
		vg_jw_kstr(j, "community_id", vg_flow_community_id(pc->flow, w->cfg.flow.cid_seed));
		const char *app = vg_w_app_name(FS(pc->flow)->app);
		if (app)
			vg_jw_kstr(j, "app_proto", app);
		vg_jw_kstr(j, "direction", pc->dir == VG_DIR_TOSERVER ? "to_server" : "to_client");
	}
	if (p->n_vlan) {
		vg_jw_key(j, "vlan");
		vg_jw_arr(j);
		for (unsigned i = 0; i < p->n_vlan && i < 2; i++)
			vg_jw_uint(j, p->vlan[i]);
		vg_jw_end(j);
	}
}

/* ---- app objects ------------------------------------------------------------------------ */

static void rtype(vg_jw_t *j, const char *k, uint16_t t)
{
	char b[16];
	vg_jw_kstr(j, k, vg_dns_type_str(t, b));
}

static void rdata(vg_jw_t *j, const vg_dns_msg_t *m, const vg_dns_rr_t *rr)
{
	if (rr->rdkind == VG_DNS_RD_IP) {
		vg_eve_kip(j, "rdata", &rr->ip);
	} else if (rr->rdkind == VG_DNS_RD_NAME || rr->rdkind == VG_DNS_RD_TXT) {
		vg_jw_kstr(j, "rdata", vg_dns_str(m, rr->target));
		if (rr->target_trunc)
			vg_jw_kbool(j, "rdata_truncated", true);
		if (rr->type == VG_DNS_T_SRV) {
			vg_jw_key(j, "srv");
			vg_jw_obj(j);
			vg_jw_kuint(j, "priority", rr->prio);
			vg_jw_kuint(j, "weight", rr->weight);
			vg_jw_kuint(j, "port", rr->port);
			vg_jw_kstr(j, "name", vg_dns_str(m, rr->target));
			vg_jw_end(j);
		}
	}
}

static void dns_obj(vg_jw_t *j, const vg_dns_msg_t *m)
{
	char fl[8];
	vg_jw_key(j, "dns");
	vg_jw_obj(j);
	vg_jw_kint(j, "version", 3);
	vg_jw_kstr(j, "type", m->qr ? "response" : "request");
	vg_jw_kint(j, "tx_id", 0);
	vg_jw_kuint(j, "id", m->id);
	snprintf(fl, sizeof fl, "%04x", m->flags);
	vg_jw_kstr(j, "flags", fl);
	if (m->qr)
		vg_jw_kbool(j, "qr", true);
	if (m->aa)
		vg_jw_kbool(j, "aa", true);
	if (m->tc)
		vg_jw_kbool(j, "tc", true);
	if (m->rd)
		vg_jw_kbool(j, "rd", true);
	if (m->ra)
		vg_jw_kbool(j, "ra", true);
	vg_jw_kuint(j, "opcode", m->opcode);
	vg_jw_kstr(j, "rcode", vg_dns_rcode_name(m->rcode));
	if (m->n_q) {
		vg_jw_key(j, "queries");
		vg_jw_arr(j);
		for (unsigned i = 0; i < m->n_q; i++) {
			vg_jw_obj(j);
			vg_jw_kstr(j, "rrname", vg_dns_str(m, m->q[i].name));
			rtype(j, "rrtype", m->q[i].type);
			if (m->q[i].name_trunc)
				vg_jw_kbool(j, "rrname_truncated", true);
			vg_jw_end(j);
		}
		vg_jw_end(j);
	}
	if (m->qr && m->n_extra) {
		bool any = false;
		for (unsigned i = 0; i < m->n_extra; i++) {
			const vg_dns_rr_t *rr = &m->extra[i];
			if (rr->section != VG_DNS_SEC_AUTHORITY)
				continue;
			if (!any) {
				vg_jw_key(j, "authorities");
				vg_jw_arr(j);
				any = true;
			}
			vg_jw_obj(j);
			vg_jw_kstr(j, "rrname", vg_dns_str(m, rr->name));
			rtype(j, "rrtype", rr->type);
			vg_jw_kuint(j, "ttl", rr->ttl);
			if (rr->type == VG_DNS_T_SOA && rr->rdkind == VG_DNS_RD_NAME) {
				vg_jw_key(j, "soa");
				vg_jw_obj(j);
				vg_jw_kstr(j, "mname", vg_dns_str(m, rr->target));
				vg_jw_end(j);
			} else {
				rdata(j, m, rr);
			}
			vg_jw_end(j);
		}
		if (any)
			vg_jw_end(j);
	}
	if (m->qr && m->n_an) {
		vg_jw_key(j, "answers");
		vg_jw_arr(j);
		for (unsigned i = 0; i < m->n_an; i++) {
			const vg_dns_rr_t *rr = &m->an[i];
			vg_jw_obj(j);
			vg_jw_kstr(j, "rrname", vg_dns_str(m, rr->name));
			rtype(j, "rrtype", rr->type);
			vg_jw_kuint(j, "ttl", rr->ttl);
			rdata(j, m, rr);
			if (rr->name_trunc)
				vg_jw_kbool(j, "rrname_truncated", true);
			vg_jw_end(j);
		}
		vg_jw_end(j);
		/* grouped: rdata by type, in answer order */
		vg_jw_key(j, "grouped");
		vg_jw_obj(j);
		bool done[VG_DNS_MAX_AN] = {false};
		for (unsigned i = 0; i < m->n_an; i++) {
			if (done[i] || m->an[i].rdkind == VG_DNS_RD_NONE)
				continue;
			char tb[16];
			vg_jw_key(j, vg_dns_type_str(m->an[i].type, tb));
			vg_jw_arr(j);
			for (unsigned k = i; k < m->n_an; k++) {
				const vg_dns_rr_t *rr = &m->an[k];
				if (done[k] || rr->type != m->an[i].type || rr->rdkind == VG_DNS_RD_NONE)
					continue;
				done[k] = true;
				char ipb[64];
				if (rr->rdkind == VG_DNS_RD_IP) {
					vg_ip_format(&rr->ip, ipb, sizeof ipb);
					vg_jw_str(j, ipb);
				} else {
					vg_jw_str(j, vg_dns_str(m, rr->target));
				}
			}
			vg_jw_end(j);
		}
		vg_jw_end(j);
	}
	vg_jw_end(j);
}

static void tls_obj(vg_jw_t *j, const vg_tls_hello_t *h, const char *key)
{
	char vb[24], ja3[VG_TLS_JA3_MAX], hash[33];
	vg_jw_key(j, key);
	vg_jw_obj(j);
	if (h->has_sni)
		vg_jw_kstrn(j, "sni", h->sni, h->sni_len);
	vg_jw_kstr(j, "version", vg_tls_version_name(h->max_version, vb));
	if (h->n_alpn) {
		vg_jw_key(j, "client_alpns");
		vg_jw_arr(j);
		for (unsigned i = 0; i < h->n_alpn; i++)
			vg_jw_str(j, h->alpn[i]);
		vg_jw_end(j);
	}
	if (vg_tls_ja3_string(h, ja3, sizeof ja3) && vg_tls_ja3_hash(h, hash) == 0) {
		vg_jw_key(j, "ja3");
		vg_jw_obj(j);
		vg_jw_kstr(j, "hash", hash);
		vg_jw_kstr(j, "string", ja3);
		vg_jw_end(j);
	}
	vg_jw_end(j);
}

static void http_obj(vg_jw_t *j, const vg_http_req_t *r)
{
	char pr[16];
	vg_jw_key(j, "http");
	vg_jw_obj(j);
	if (r->has_host)
		vg_jw_kstr(j, "hostname", r->host);
	if (r->has_port)
		vg_jw_kuint(j, "http_port", r->port);
	vg_jw_kstr(j, "url", r->uri);
	vg_jw_kstr(j, "http_method", r->method);
	snprintf(pr, sizeof pr, "HTTP/%u.%u", r->ver_major, r->ver_minor);
	vg_jw_kstr(j, "protocol", pr);
	if (r->has_ua)
		vg_jw_kstr(j, "http_user_agent", r->ua);
	vg_jw_end(j);
}

static void app_obj(vg_jw_t *j, const pctx_t *pc)
{
	switch (pc->ctx) {
	case CTX_DNS: dns_obj(j, pc->obj); break;
	case CTX_TLS: tls_obj(j, pc->obj, "tls"); break;
	case CTX_QUIC: tls_obj(j, pc->obj, "quic"); break;
	case CTX_HTTP: http_obj(j, pc->obj); break;
	default: break;
	}
}

void vg_w_eve_app(vg_watch_t *w, const pctx_t *pc)
{
	static const char *const names[] = {NULL, "dns", "tls", "http", "quic"};
	vg_jw_t j;
	begin(w, &j, pc->raw->ts_us, pc->flow);
	packet_fields(w, &j, pc, names[pc->ctx]);
	app_obj(&j, pc);
	finish(w, &j);
}

/* ---- alerts ------------------------------------------------------------------------------ */

void vg_w_eve_alert(vg_watch_t *w, const pctx_t *pc, int on, const vg_match_t *m, int n,
		    const char *resolved)
{
	vg_jw_t j;
	char ind[VG_URL_MAX + 64], sig[VG_URL_MAX + 256];
	vg_match_format(&m[0], ind, sizeof ind);
	vg_meta_t first;
	vg_store_meta(w->store, m[0].meta, &first);
	int best = -1;
	for (int i = 0; i < n; i++) {
		vg_meta_t mt;
		vg_store_meta(w->store, m[i].meta, &mt);
		if (mt.confidence > best)
			best = mt.confidence;
	}
	int sev = best < 0 ? 2 : best >= 80 ? 1 : best >= 50 ? 2 : 3;
	const char *cat = first.category[0] ? first.category : "listed-indicator";
	if (resolved && strcmp(resolved, ind))
		snprintf(sig, sizeof sig, "VIGIL listed %s %s (via %s) in %s", vg_ind_type_name(m[0].type),
			 ind, resolved, vg_w_on_name(on));
	else
		snprintf(sig, sizeof sig, "VIGIL listed %s %s in %s", vg_ind_type_name(m[0].type), ind,
			 vg_w_on_name(on));

	begin(w, &j, pc->raw->ts_us, pc->flow);
	packet_fields(w, &j, pc, "alert");
	vg_jw_key(&j, "alert");
	vg_jw_obj(&j);
	vg_jw_kstr(&j, "action", "allowed");
	vg_jw_kint(&j, "gid", 1);
	vg_jw_kuint(&j, "signature_id", vg_w_on_sid(on));
	vg_jw_kint(&j, "rev", 1);
	vg_jw_kstr(&j, "signature", sig);
	vg_jw_kstr(&j, "category", cat);
	vg_jw_kint(&j, "severity", sev);
	vg_jw_end(&j);
	app_obj(&j, pc);
	vg_jw_key(&j, "vigil");
	vg_jw_obj(&j);
	vg_jw_kstr(&j, "indicator", ind);
	vg_jw_kstr(&j, "type", vg_ind_type_name(m[0].type));
	vg_jw_kstr(&j, "matched_on", vg_w_on_name(on));
	if (resolved) {
		char ipb[64];
		vg_ip_format(vg_flow_server(pc->flow), ipb, sizeof ipb);
		vg_jw_kstr(&j, "resolved_name", resolved);
		vg_jw_kstr(&j, "resolved_ip", ipb);
	}
	vg_jw_key(&j, "sources");
	vg_jw_arr(&j);
	for (int i = 0; i < n; i++) {
		vg_meta_t mt;
		vg_store_meta(w->store, m[i].meta, &mt);
		vg_jw_obj(&j);
		vg_jw_kstr(&j, "source", mt.source);
		if (mt.category[0])
			vg_jw_kstr(&j, "category", mt.category);
		if (mt.description[0])
			vg_jw_kstr(&j, "description", mt.description);
		if (mt.reference[0])
			vg_jw_kstr(&j, "reference", mt.reference);
		if (mt.confidence >= 0)
			vg_jw_kint(&j, "confidence", mt.confidence);
		if (mt.tlp)
			vg_jw_kstr(&j, "tlp", vg_tlp_name(mt.tlp));
		char tb[32];
		if (mt.valid_from) {
			vg_time_iso(mt.valid_from, tb, sizeof tb);
			vg_jw_kstr(&j, "valid_from", tb);
		}
		if (mt.valid_until) {
			vg_time_iso(mt.valid_until, tb, sizeof tb);
			vg_jw_kstr(&j, "valid_until", tb);
		}
		vg_jw_end(&j);
	}
	vg_jw_end(&j);
	vg_jw_end(&j);
	if (w->cfg.annotate) {
		if (pc->flow)
			w->cfg.annotate(w->cfg.annotate_ctx, &j, vg_flow_client(pc->flow),
					vg_flow_server(pc->flow));
		else
			w->cfg.annotate(w->cfg.annotate_ctx, &j, &pc->pkt->src, &pc->pkt->dst);
	}
	finish(w, &j);
	w->st.alerts++;
	if (w->cfg.on_sighting)
		w->cfg.on_sighting(w->cfg.sighting_ctx, ind, vg_ind_type_name(m[0].type), first.tlp,
				   pc->flow ? vg_flow_client(pc->flow) : &pc->pkt->src, pc->raw->ts_us);
}

/* ---- flows and stats ------------------------------------------------------------------- */

static void tcp_flags_str(uint8_t f, char b[4])
{
	snprintf(b, 4, "%02x", f);
}

void vg_w_eve_flow(vg_watch_t *w, const vg_flow_t *f, int reason)
{
	vg_jw_t j;
	char pb[8], fb[4];
	const fstate_t *fs = FS((vg_flow_t *)f);
	begin(w, &j, f->last_us, f);
	if (w->cur_raw && w->cur_raw->file)
		vg_jw_kstr(&j, "pcap_filename", w->cur_raw->file);
	vg_jw_kstr(&j, "event_type", "flow");
	bool ports = f->key.proto == 6 || f->key.proto == 17 || f->key.proto == 132;
	vg_eve_kip(&j, "src_ip", vg_flow_client(f));
	if (ports)
		vg_jw_kuint(&j, "src_port", f->cport);
	vg_eve_kip(&j, "dest_ip", vg_flow_server(f));
	if (ports)
		vg_jw_kuint(&j, "dest_port", f->sport);
	vg_jw_kstr(&j, "proto", vg_eve_proto_name(f->key.proto, pb));
	vg_jw_kstr(&j, "community_id", vg_flow_community_id((vg_flow_t *)f, w->cfg.flow.cid_seed));
	const char *app = vg_w_app_name(fs->app);
	if (app)
		vg_jw_kstr(&j, "app_proto", app);
	vg_jw_key(&j, "flow");
	vg_jw_obj(&j);
	vg_jw_kuint(&j, "pkts_toserver", f->pkts[VG_DIR_TOSERVER]);
	vg_jw_kuint(&j, "pkts_toclient", f->pkts[VG_DIR_TOCLIENT]);
	vg_jw_kuint(&j, "bytes_toserver", f->bytes[VG_DIR_TOSERVER]);
	vg_jw_kuint(&j, "bytes_toclient", f->bytes[VG_DIR_TOCLIENT]);
	vg_eve_kts(&j, "start", f->first_us);
	vg_eve_kts(&j, "end", f->last_us);
	/* as Suricata: whole seconds of the end minus whole seconds of the start */
	vg_jw_kuint(&j, "age", f->last_us / 1000000 - f->first_us / 1000000);
	vg_jw_kstr(&j, "state", vg_flow_state_name(f->state));
	/* Suricata's reasons are timeout, forced and shutdown: a closed TCP
	 * flow reaped after its (closed-state) timeout is a timeout */
	vg_jw_kstr(&j, "reason",
		   vg_flow_end_name(reason == VG_FLOW_END_CLOSED ? VG_FLOW_END_TIMEOUT : reason));
	vg_jw_kbool(&j, "alerted", fs->flags & FS_ALERTED);
	vg_jw_end(&j);
	if (f->key.proto == 6) {
		uint8_t all = f->tcp_flags[0] | f->tcp_flags[1];
		vg_jw_key(&j, "tcp");
		vg_jw_obj(&j);
		tcp_flags_str(all, fb);
		vg_jw_kstr(&j, "tcp_flags", fb);
		tcp_flags_str(f->tcp_flags[VG_DIR_TOSERVER], fb);
		vg_jw_kstr(&j, "tcp_flags_ts", fb);
		tcp_flags_str(f->tcp_flags[VG_DIR_TOCLIENT], fb);
		vg_jw_kstr(&j, "tcp_flags_tc", fb);
		static const struct {
			uint8_t bit;
			const char *name;
		} fl[] = {{VG_TCP_SYN, "syn"}, {VG_TCP_FIN, "fin"}, {VG_TCP_RST, "rst"},
			  {VG_TCP_PSH, "psh"}, {VG_TCP_ACK, "ack"}, {VG_TCP_URG, "urg"},
			  {VG_TCP_ECE, "ecn"}, {VG_TCP_CWR, "cwr"}};
		for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++)
			if (all & fl[i].bit)
				vg_jw_kbool(&j, fl[i].name, true);
		vg_jw_kstr(&j, "state", vg_flow_state_name(f->state));
		vg_jw_end(&j);
	}
	if (w->cfg.annotate)
		w->cfg.annotate(w->cfg.annotate_ctx, &j, vg_flow_client(f), vg_flow_server(f));
	finish(w, &j);
}

void vg_w_eve_stats(vg_watch_t *w, const vg_src_stats_t *cap)
{
	vg_watch_stats_t st;
	vg_watch_get_stats(w, &st);
	vg_jw_t j;
	begin(w, &j, st.last_us ? st.last_us : st.first_us, NULL);
	vg_jw_kstr(&j, "event_type", "stats");
	vg_jw_key(&j, "stats");
	vg_jw_obj(&j);
	vg_jw_kuint(&j, "uptime", st.last_us > st.first_us ? (st.last_us - st.first_us) / 1000000 : 0);
	vg_jw_key(&j, "capture");
	vg_jw_obj(&j);
	vg_jw_kuint(&j, "kernel_packets", cap ? cap->kernel_recv : 0);
	vg_jw_kuint(&j, "kernel_drops", cap ? cap->kernel_drop + cap->if_drop : 0);
	vg_jw_kuint(&j, "files", cap ? cap->files : 0);
	vg_jw_kuint(&j, "file_errors", cap ? cap->file_errors : 0);
	vg_jw_end(&j);
	vg_jw_key(&j, "decoder");
	vg_jw_obj(&j);
	vg_jw_kuint(&j, "pkts", st.pkts);
	vg_jw_kuint(&j, "bytes", st.bytes);
	uint64_t invalid = 0;
	for (int i = VG_DEC_UNSUPPORTED_LINKTYPE; i < VG_DEC_REASON_MAX; i++)
		invalid += st.decode[i];
	vg_jw_kuint(&j, "ip", st.decode[VG_DEC_OK]);
	vg_jw_kuint(&j, "not_ip", st.decode[VG_DEC_NOT_IP]);
	vg_jw_kuint(&j, "invalid", invalid);
	vg_jw_key(&j, "errors");
	vg_jw_obj(&j);
	for (int i = VG_DEC_UNSUPPORTED_LINKTYPE; i < VG_DEC_REASON_MAX; i++)
		if (st.decode[i])
			vg_jw_kuint(&j, vg_decode_reason_name(i), st.decode[i]);
	vg_jw_end(&j);
	vg_jw_end(&j);
	vg_jw_key(&j, "flow");
	vg_jw_obj(&j);
	vg_jw_kuint(&j, "total", st.flow.created);
	vg_jw_kuint(&j, "active", st.flow.active);
	vg_jw_kuint(&j, "max_active", st.flow.max_active);
	vg_jw_kuint(&j, "evicted", st.flow.evicted);
	vg_jw_kuint(&j, "timeout", st.flow.ended[VG_FLOW_END_TIMEOUT]);
	vg_jw_kuint(&j, "closed", st.flow.ended[VG_FLOW_END_CLOSED]);
	vg_jw_kuint(&j, "untracked", st.flow.untracked);
	vg_jw_end(&j);
	vg_jw_key(&j, "app_layer");
	vg_jw_obj(&j);
	vg_jw_kuint(&j, "dns", st.dns);
	vg_jw_kuint(&j, "tls", st.tls);
	vg_jw_kuint(&j, "http", st.http);
	vg_jw_kuint(&j, "quic", st.quic);
	vg_jw_key(&j, "error");
	vg_jw_obj(&j);
	vg_jw_kuint(&j, "dns", st.dns_err);
	vg_jw_kuint(&j, "tls", st.tls_err);
	vg_jw_kuint(&j, "http", st.http_err);
	vg_jw_kuint(&j, "reasm_exhausted", st.reasm_exhausted);
	vg_jw_end(&j);
	vg_jw_end(&j);
	vg_jw_kuint(&j, "alerts", st.alerts);
	vg_jw_kuint(&j, "dns_cache_entries", st.dnscache_entries);
	vg_jw_end(&j);
	finish(w, &j);
}

/* ---- feed health (emitted by the command layer, between packets) --------------------- */

static void dur_text(int64_t s, char *b, size_t n)
{
	if (s < 0)
		s = 0;
	if (s >= 86400)
		snprintf(b, n, s % 86400 / 3600 ? "%lldd %lldh" : "%lldd", (long long)(s / 86400),
			 (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(b, n, s % 3600 / 60 ? "%lldh %lldm" : "%lldh", (long long)(s / 3600),
			 (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(b, n, "%lldm", (long long)(s / 60));
	else
		snprintf(b, n, "%llds", (long long)s);
}

void vg_watch_emit_feed_alert(vg_watch_t *w, uint64_t now_us, const char *feed, uint64_t seq,
			      int64_t feed_time, int64_t max_age_s)
{
	int64_t age = (int64_t)(now_us / 1000000) - feed_time;
	char sig[256], a[48], m[48], tb[40];
	dur_text(age, a, sizeof a);
	dur_text(max_age_s, m, sizeof m);
	snprintf(sig, sizeof sig, "VIGIL stale feed: %s is %s old (max %s)", feed, a, m);
	vg_jw_t j;
	begin(w, &j, now_us, NULL);
	vg_jw_kstr(&j, "event_type", "alert");
	vg_jw_key(&j, "alert");
	vg_jw_obj(&j);
	vg_jw_kstr(&j, "action", "allowed");
	vg_jw_kint(&j, "gid", 1);
	vg_jw_kuint(&j, "signature_id", VG_SID_STALE_FEED);
	vg_jw_kint(&j, "rev", 1);
	vg_jw_kstr(&j, "signature", sig);
	vg_jw_kstr(&j, "category", "feed-health");
	vg_jw_kint(&j, "severity", 2);
	vg_jw_end(&j);
	vg_jw_key(&j, "vigil");
	vg_jw_obj(&j);
	vg_jw_kstr(&j, "feed", feed);
	vg_jw_kuint(&j, "seq", seq);
	vg_time_iso(feed_time, tb, sizeof tb);
	vg_jw_kstr(&j, "feed_time", tb);
	vg_jw_kint(&j, "age_s", age);
	vg_jw_kint(&j, "max_age_s", max_age_s);
	vg_jw_end(&j);
	finish(w, &j);
	w->st.alerts++;
}
