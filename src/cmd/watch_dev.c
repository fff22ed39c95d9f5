// SPDX-License-Identifier: Apache-2.0
/*
 * watch_dev.c — the device side of `vigil watch` (see watch_dev.h).
 *
 * Packet path (on_packet hook, every decoded packet): vg_dev_observe turns
 * discovery packets and first server bytes into signals for the inventory;
 * DNS responses on port 53 fill a small fixed cache (address -> the name
 * asked) so destinations get names and domain profiles can be checked; the
 * first packet of a flow from a local client adds (or refreshes) a remote
 * destination of its device and, with --profiles, checks it once per
 * (device, destination) per run.  New flows are queued and applied in
 * batches of VG_INV_BATCH (vg_inv_flow_batch prefetches so the lookups'
 * cache misses overlap): the queue is applied when full, before a DHCP
 * lease, before an alert is annotated, and at the latest after
 * VG_WDEV_PENDING_MS (vg_watch_dev_tick).  Nothing here allocates per packet: the
 * inventory allocates only when a device or destination appears (bounded by
 * --max-devices / --max-device-dests), the DNS cache is preallocated.
 *
 * Persistence runs between packets (vg_watch_dev_tick from the main loop):
 * at most one SQLite transaction per second of wall-clock time, plus one at
 * exit.  Single-threaded (the engine's thread).
 */
#include "cmd/watch_dev.h"

#include "cmd/cmd.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/rd.h"
#include "watch/eve.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int parse_count(const char *opt, const char *s, uint64_t max, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v == 0 || v > max) {
		vg_err("watch: invalid value '%s' for --%s (1..%llu)", s, opt, (unsigned long long)max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int vg_watch_dev_opt(vg_watch_dev_t *d, int argc, int c, const char *arg)
{
	if (!d->lim_set) {
		vg_inv_limits_default(&d->lim);
		d->lim_set = true;
	}
	switch (c) {
	case O_DEVICES: d->on = true; return 1;
	case O_INVENTORY: d->inventory = arg; d->on = true; return 1;
	case O_PROFILES: d->profiles_path = arg; d->on = true; return 1;
	case O_DEVICE_RULES:
	case O_DEVICE_VULNS: {
		char ***list = c == O_DEVICE_RULES ? &d->rules_files : &d->vuln_files;
		int *n = c == O_DEVICE_RULES ? &d->n_rules : &d->n_vulns;
		if (!*list && !(*list = calloc((size_t)argc + 1, sizeof **list))) {
			vg_err("watch: out of memory");
			return -1;
		}
		(*list)[(*n)++] = (char *)arg;
		d->on = true;
		return 1;
	}
	case O_MAX_DEVICES:
		return parse_count("max-devices", arg, 1u << 20, &d->lim.max_devices) ? -1 : 1;
	case O_MAX_DEVICE_DESTS:
		return parse_count("max-device-dests", arg, 1u << 15, &d->lim.max_dests) ? -1 : 1;
	case O_MAX_DEST_NAMES:
		return parse_count("max-dest-names", arg, 1u << 24, &d->lim.max_names) ? -1 : 1;
	case O_DEVICE_REPEAT:
		/* 0 is allowed here (parse every announcement) */
		if (strcmp(arg, "0") && parse_count("device-repeat", arg, 7 * 86400, &d->repeat_s))
			return -1;
		if (!strcmp(arg, "0"))
			d->repeat_s = 0;
		d->repeat_set = true;
		return 1;
	}
	return 0;
}

static void flush_pending(vg_watch_dev_t *d);

/* ---- the device object ---------------------------------------------------------------------- */

void vg_watch_dev_object(vg_jw_t *j, const vg_inv_dev_t *dev)
{
	char mac[18], ip[64];
	vg_jw_key(j, "device");
	vg_jw_obj(j);
	if (dev->has_mac) {
		vg_inv_mac_text(dev->mac, mac);
		vg_jw_kstr(j, "mac", mac);
	}
	if (dev->n_ips) {
		vg_ip_format(&dev->ips[0], ip, sizeof ip);
		vg_jw_kstr(j, "ip", ip);
	}
	if (dev->randomised)
		vg_jw_kbool(j, "randomised", true);
	if (dev->vendor[0])
		vg_jw_kstr(j, "vendor", dev->vendor);
	vg_jw_kstr(j, "class", vg_dev_class_name(dev->cls));
	if (dev->cls)
		vg_jw_kint(j, "confidence", dev->confidence);
	if (dev->model[0])
		vg_jw_kstr(j, "model", dev->model);
	if (dev->firmware[0])
		vg_jw_kstr(j, "firmware", dev->firmware);
	if (dev->hostname[0])
		vg_jw_kstr(j, "hostname", dev->hostname);
	vg_jw_end(j);
}

static void annotate(void *ctx, vg_jw_t *j, const vg_ip_t *client, const vg_ip_t *server)
{
	vg_watch_dev_t *d = ctx;
	flush_pending(d); /* a device first seen in a queued flow */
	vg_inv_dev_t *dev = vg_inv_by_ip(d->inv, client);
	if (!dev)
		dev = vg_inv_by_ip(d->inv, server);
	if (dev)
		vg_watch_dev_object(j, dev);
}

const char *vg_watch_dev_class_of(void *ctx, const vg_ip_t *ip)
{
	vg_watch_dev_t *d = ctx;
	flush_pending(d);
	vg_inv_dev_t *dev = d->inv ? vg_inv_by_ip(d->inv, ip) : NULL;
	return dev ? vg_dev_class_name(dev->cls) : NULL;
}

static void on_sighting(void *ctx, const char *indicator, const char *type, int tlp,
			const vg_ip_t *client, uint64_t ts_us)
{
	vg_watch_dev_t *d = ctx;
	flush_pending(d);
	vg_inv_dev_t *dev = vg_inv_by_ip(d->inv, client);
	if (dev) {
		char sig[96];
		snprintf(sig, sizeof sig, "listed %s %s", type, indicator);
		vg_inv_alert(d->inv, dev, sig, true, ts_us);
	}
	if (d->prev_sighting)
		d->prev_sighting(d->prev_sighting_ctx, indicator, type, tlp, client, ts_us);
}

/* ---- DNS answers ---------------------------------------------------------------------------- */

static vg_wdev_dns_t *dns_slot(vg_watch_dev_t *d, const vg_ip_t *ip)
{
	return &d->dnsc[vg_hash64(ip->a, 16, 0x5bd1e995u) & (VG_WDEV_DNS_SLOTS - 1)];
}

/* dns_skip_name: past one (possibly compressed) name; false when malformed */
static bool dns_skip_name(vg_rd_t *r)
{
	for (int i = 0; i < 128 && vg_rd_ok(r); i++) {
		uint8_t n = vg_rd_u8(r);
		if (!n)
			return vg_rd_ok(r);
		if ((n & 0xc0) == 0xc0) {
			vg_rd_u8(r);
			return vg_rd_ok(r);
		}
		if (n & 0xc0)
			return false;
		vg_rd_skip(r, n);
	}
	return false;
}

/*
 * on_dns: a light reader of DNS responses to a local client (the engine
 * parses DNS fully for its own use; this only needs the question and the
 * A/AAAA answers): the first question's name, uncompressed, made of
 * [a-z0-9-_] labels (lowercased; anything else is not kept), and every
 * address answer is cached as resolved from it for its TTL (60 s..1 day).
 */
__attribute__((noinline)) static void on_dns(vg_watch_dev_t *d, const vg_pkt_t *p,
					      uint64_t ts_us)
{
	vg_rd_t r = vg_rd_make(p->payload, p->payload_len);
	vg_rd_skip(&r, 2);
	uint16_t flags = vg_rd_be16(&r), qd = vg_rd_be16(&r), an = vg_rd_be16(&r);
	vg_rd_skip(&r, 4);
	if (!vg_rd_ok(&r) || !(flags & 0x8000) || (flags & 0x000f) || qd != 1 || !an)
		return;
	char q[96];
	size_t qn = 0;
	for (;;) {
		uint8_t n = vg_rd_u8(&r);
		if (!vg_rd_ok(&r) || (n & 0xc0))
			return;
		if (!n)
			break;
		if (qn + n + 1 >= sizeof q || !vg_rd_has(&r, n))
			return;
		const uint8_t *l = vg_rd_ptr(&r);
		if (qn)
			q[qn++] = '.';
		for (uint8_t i = 0; i < n; i++) {
			uint8_t c = l[i];
			if (c >= 'A' && c <= 'Z')
				c = (uint8_t)(c + 32);
			else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
				return;
			q[qn++] = (char)c;
		}
		vg_rd_skip(&r, n);
	}
	q[qn] = 0;
	vg_rd_skip(&r, 4);
	for (unsigned i = 0; i < an && i < 32 && vg_rd_ok(&r); i++) {
		if (!dns_skip_name(&r))
			return;
		uint16_t type = vg_rd_be16(&r);
		vg_rd_skip(&r, 2);
		uint32_t ttl = vg_rd_be32(&r);
		uint16_t rdlen = vg_rd_be16(&r);
		vg_ip_t ip;
		if (type == 1 && rdlen == 4) {
			vg_ip_set4(&ip, vg_rd_be32(&r));
		} else if (type == 28 && rdlen == 16) {
			if (!vg_rd_bytes(&r, ip.a, 16))
				return;
		} else {
			vg_rd_skip(&r, rdlen);
			continue;
		}
		if (!vg_rd_ok(&r))
			return;
		vg_wdev_dns_t *s = dns_slot(d, &ip);
		s->ip = ip;
		ttl = ttl < 60 ? 60 : ttl > 86400 ? 86400 : ttl;
		s->exp_us = ts_us + (uint64_t)ttl * 1000000;
		memcpy(s->name, q, qn + 1);
	}
}

static const char *dns_name(vg_watch_dev_t *d, const vg_ip_t *ip, uint64_t ts_us)
{
	vg_wdev_dns_t *s = dns_slot(d, ip);
	if (s->name[0] && !memcmp(&s->ip, ip, sizeof *ip) && s->exp_us >= ts_us)
		return s->name;
	return NULL;
}

/* ---- policy-violation alerts ---------------------------------------------------------------- */

static void policy_alert(vg_watch_dev_t *d, const vg_wdev_pending_t *q, const vg_inv_dev_t *dev,
			 const vg_inv_dest_t *x, const char *profile)
{
	char key[48], dst[64], sig[256], pb[8];
	vg_inv_key(dev, key, sizeof key);
	vg_ip_format(&x->ip, dst, sizeof dst);
	snprintf(sig, sizeof sig, "VIGIL policy violation: %s %s -> %s%s%s%s %s/%u",
		 vg_dev_class_name(dev->cls), key, dst, x->name[0] ? " (" : "", x->name,
		 x->name[0] ? ")" : "", vg_eve_proto_name(x->proto, pb), x->port);
	vg_buf_reset(&d->out);
	vg_jw_t j;
	vg_jw_init(&j, &d->out);
	vg_jw_obj(&j);
	vg_eve_kts(&j, "timestamp", q->req.ts_us);
	vg_jw_kuint(&j, "flow_id", q->flow_id);
	vg_jw_kstr(&j, "event_type", "alert");
	bool ports = x->proto == 6 || x->proto == 17 || x->proto == 132;
	vg_eve_kip(&j, "src_ip", &q->req.cli);
	if (ports)
		vg_jw_kuint(&j, "src_port", q->cport);
	vg_eve_kip(&j, "dest_ip", &q->req.srv);
	if (ports)
		vg_jw_kuint(&j, "dest_port", x->port);
	vg_jw_kstr(&j, "proto", vg_eve_proto_name(x->proto, pb));
	vg_jw_kstr(&j, "community_id", q->cid);
	vg_jw_kstr(&j, "direction", "to_server");
	vg_jw_key(&j, "alert");
	vg_jw_obj(&j);
	vg_jw_kstr(&j, "action", "allowed");
	vg_jw_kint(&j, "gid", 1);
	vg_jw_kuint(&j, "signature_id", VG_POLICY_SID);
	vg_jw_kint(&j, "rev", 1);
	vg_jw_kstr(&j, "signature", sig);
	vg_jw_kstr(&j, "category", "policy-violation");
	vg_jw_kint(&j, "severity", 2);
	vg_jw_end(&j);
	vg_watch_dev_object(&j, dev);
	vg_jw_key(&j, "policy");
	vg_jw_obj(&j);
	vg_jw_kstr(&j, "profile", profile);
	vg_jw_kstr(&j, "destination", dst);
	if (x->name[0])
		vg_jw_kstr(&j, "name", x->name);
	vg_jw_kuint(&j, "port", x->port);
	vg_jw_kstr(&j, "proto", vg_eve_proto_name(x->proto, pb));
	vg_jw_end(&j);
	vg_jw_end(&j);
	if (!d->out.oom && d->write)
		d->write(d->wctx, d->out.p, d->out.len);
	d->policy_alerts++;
	vg_inv_alert(d->inv, (vg_inv_dev_t *)dev, sig + 6, false, q->req.ts_us);
}

/* ---- new flows: queued, applied in batches ------------------------------------------------ */

/* one applied request: name, country, policy (r->dest valid now only) */
static void flow_done(void *ctx, vg_inv_flowreq_t *r)
{
	vg_watch_dev_t *d = ctx;
	const vg_wdev_pending_t *q = (const vg_wdev_pending_t *)r;
	vg_inv_dest_t *x = r->dest;
	if (!x)
		return;
	/* name and country: looked up only while the destination lacks them */
	if (!x->name[0])
		vg_inv_dest_name(d->inv, x, dns_name(d, &r->srv, r->ts_us));
	if (r->is_new && d->geo && d->geo->db)
		vg_geo_country(d->geo->db, &r->srv, x->cc);
	if (!d->prof || !r->dev || x->checked)
		return;
	x->checked = true;
	const vg_prof_one_t *pr = vg_prof_for(d->prof, r->dev);
	if (pr && !vg_prof_allows(pr, &x->ip, x->port, x->proto, x->name))
		policy_alert(d, q, r->dev, x, vg_prof_name(pr));
}

static void flush_pending(vg_watch_dev_t *d)
{
	if (!d->n_pend)
		return;
	vg_inv_flowreq_t *r[VG_INV_BATCH];
	for (int i = 0; i < d->n_pend; i++)
		r[i] = &d->pend[i].req;
	int n = d->n_pend;
	d->n_pend = 0;
	vg_inv_flow_batch(d->inv, r, n, flow_done, d);
}

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* signals: the flows queued before a signal go first when the order could
 * matter: a DHCP lease (it renumbers), or a signal about a local device not
 * known yet (devices are numbered in the order they are first seen) */
static void on_signal(void *ctx, const vg_dev_sig_t *s)
{
	vg_watch_dev_t *d = ctx;
	if (d->n_pend) {
		static const vg_ip_t zero;
		bool noip = !memcmp(&s->ip, &zero, sizeof zero);
		if (s->kind == VG_SIG_DHCP_LEASE ||
		    (s->mac && (noip || vg_inv_is_local(d->inv, &s->ip)) && !vg_inv_by_mac(d->inv, s->mac)) ||
		    (!noip && vg_inv_is_local(d->inv, &s->ip) && !vg_inv_by_ip(d->inv, &s->ip)))
			flush_pending(d);
	}
	vg_inv_on_signal(d->inv, s);
}

static void new_flow(vg_watch_dev_t *d, const vg_pkt_t *p, vg_flow_t *f, int dir,
		     uint64_t ts_us);

/* ---- the packet hook ------------------------------------------------------------------------ */

static void on_packet(void *ctx, const vg_pkt_t *p, vg_flow_t *f, int dir, uint32_t *flow_bits,
		      uint64_t ts_us)
{
	vg_watch_dev_t *d = ctx;
	/* A flow whose server is not local carries no device fact: banners and
	 * logins name the server as the device, and the inventory drops a
	 * non-local address without a MAC (the parsers give a MAC only for
	 * private and link-local addresses, which are local).  Deciding it once
	 * per flow saves the parsers on every Internet flow (callgrind, mixed
	 * benchmark capture: `watch --devices` 5.13G -> 4.96G instructions). */
	if (f && f->pkts[0] + f->pkts[1] == 1 && !vg_inv_is_local(d->inv, vg_flow_server(f)))
		vg_dev_flow_ignore(flow_bits);
	vg_dev_observe(p, f, dir, flow_bits, ts_us, &d->scratch, on_signal, d);
	if (p->proto == 17 && p->sport == 53 && p->payload_len >= 12 && vg_inv_is_local(d->inv, &p->dst))
		on_dns(d, p, ts_us);
	if (f && f->pkts[0] + f->pkts[1] == 1)
		new_flow(d, p, f, dir, ts_us);
}

/* the first packet of a flow: the client's destination, queued (kept out of
 * on_packet so the every-packet path stays short) */
__attribute__((noinline)) static void new_flow(vg_watch_dev_t *d, const vg_pkt_t *p, vg_flow_t *f,
					       int dir, uint64_t ts_us)
{
	const vg_ip_t *cli = vg_flow_client(f), *srv = vg_flow_server(f);
	if (!vg_inv_is_local(d->inv, cli))
		return;
	vg_wdev_pending_t *q = &d->pend[d->n_pend];
	q->req.cli = *cli;
	q->req.srv = *srv;
	q->req.has_mac = dir == VG_DIR_TOSERVER && (p->flags & VG_PKT_F_MAC);
	if (q->req.has_mac)
		memcpy(q->req.mac, p->src_mac, 6);
	q->req.port = f->sport;
	q->req.proto = f->key.proto;
	q->req.ts_us = ts_us;
	q->flow_id = f->flow_id;
	q->cport = f->cport;
	if (d->prof)
		snprintf(q->cid, sizeof q->cid, "%s", vg_flow_community_id(f, d->cid_seed));
	__builtin_prefetch(dns_slot(d, srv));
	if (d->n_pend++ == 0)
		d->pend_since_us = d->last_mono_us;
	if (d->n_pend == VG_INV_BATCH)
		flush_pending(d);
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

int vg_watch_dev_start(vg_watch_dev_t *d, vg_watch_cfg_t *wcfg, vg_watch_geo_t *geo,
		       vg_watch_write_fn write, void *wctx)
{
	char err[512] = "";
	int r;
	if (!d->on)
		return 0;
	if (!d->lim_set) {
		vg_inv_limits_default(&d->lim);
		d->lim_set = true;
	}
	d->scratch.repeat_s = d->repeat_set ? d->repeat_s : 3600;
	if ((r = vg_dev_rules_builtin(&d->rules))) {
		vg_err("watch: cannot load the built-in fingerprint rules: %s", vg_strerror(r));
		return -1;
	}
	for (int i = 0; i < d->n_rules; i++)
		if ((r = d->rules ? vg_dev_rules_add(d->rules, d->rules_files[i], err, sizeof err)
				  : vg_dev_rules_load(&d->rules, d->rules_files[i], err, sizeof err))) {
			vg_err("watch: %s", err[0] ? err : vg_strerror(r));
			return -1;
		}
	if ((r = vg_vulns_builtin(&d->vulns))) {
		vg_err("watch: cannot load the built-in vulnerable-version table: %s", vg_strerror(r));
		return -1;
	}
	for (int i = 0; i < d->n_vulns; i++)
		if ((r = d->vulns ? vg_vulns_add(d->vulns, d->vuln_files[i], err, sizeof err)
				  : vg_vulns_load(&d->vulns, d->vuln_files[i], err, sizeof err))) {
			vg_err("watch: %s", err[0] ? err : vg_strerror(r));
			return -1;
		}
	if (d->profiles_path && (r = vg_prof_load(&d->prof, d->profiles_path, err, sizeof err))) {
		vg_err("watch: %s", err);
		return -1;
	}
	if ((r = vg_inv_new(&d->inv, &d->lim, d->rules, d->vulns)) ||
	    !(d->dnsc = calloc(VG_WDEV_DNS_SLOTS, sizeof *d->dnsc))) {
		vg_err("watch: cannot create the device table: %s", vg_strerror(r ? r : VG_ENOMEM));
		return -1;
	}
	if (geo && geo->cfg.n_nets)
		vg_inv_set_local(d->inv, geo->cfg.nets, geo->cfg.prefix, geo->cfg.n_nets);
	if (d->inventory) {
		if ((r = vg_invdb_open(&d->db, d->inventory, false, err, sizeof err)) ||
		    (r = vg_invdb_load(d->db, d->inv, err, sizeof err))) {
			vg_err("watch: %s", err);
			return -1;
		}
		d->devices_at_start = vg_inv_count(d->inv);
	}
	d->geo = geo;
	d->write = write;
	d->wctx = wctx;
	d->cid_seed = wcfg->flow.cid_seed;
	wcfg->on_packet = on_packet;
	wcfg->pkt_ctx = d;
	wcfg->annotate = annotate;
	wcfg->annotate_ctx = d;
	d->prev_sighting = wcfg->on_sighting;
	d->prev_sighting_ctx = wcfg->sighting_ctx;
	wcfg->on_sighting = on_sighting;
	wcfg->sighting_ctx = d;
	if (geo) {
		geo->cfg.annotate = annotate;
		geo->cfg.annotate_ctx = d;
	}
	return 0;
}

void vg_watch_dev_tick_now(vg_watch_dev_t *d, int why)
{
	bool force = why == VG_WDEV_FORCE;
	if (!d->inv)
		return;
	/* the clock is read every 64th call (packet) only: cheap on busy links,
	 * and idle ticks come at most every few hundred ms anyway */
	uint64_t now = d->last_mono_us = mono_us();
	if (d->n_pend && (force || now - d->pend_since_us >= VG_WDEV_PENDING_MS * 1000))
		flush_pending(d);
	if (!d->db) {
		uint32_t ids[16];
		while (vg_inv_take_deleted(d->inv, ids, 16)) /* no storage: forget merged ids */
			;
		return;
	}
	char err[512];
	/* 1 s minus the coarse clock's granularity, so a flush never comes late */
	if (vg_invdb_flush(d->db, d->inv, now, 990000, force, err, sizeof err) < 0) {
		d->db_errors++;
		if (!d->db_failed_reported)
			vg_err("watch: inventory: %s (retrying every second)", err);
		d->db_failed_reported = true;
	}
}

uint64_t vg_watch_dev_report(vg_watch_dev_t *d, bool summary)
{
	if (!d->inv)
		return 0;
	flush_pending(d);
	if (summary) {
		vg_inv_stats_t st;
		vg_inv_get_stats(d->inv, &st);
		uint32_t n = vg_inv_count(d->inv);
		char extra[160] = "";
		if (st.devices_dropped || st.dests_dropped)
			snprintf(extra, sizeof extra, "; dropped: %llu devices, %llu destinations",
				 (unsigned long long)st.devices_dropped,
				 (unsigned long long)st.dests_dropped);
		vg_info("devices: %u device%s (%u new), %llu signals, %llu DHCP leases, "
			"%llu policy violation%s%s", n, n == 1 ? "" : "s",
			n - (uint32_t)(d->devices_at_start < n ? d->devices_at_start : n),
			(unsigned long long)st.signals, (unsigned long long)st.leases,
			(unsigned long long)d->policy_alerts, d->policy_alerts == 1 ? "" : "s", extra);
	}
	return d->policy_alerts;
}

bool vg_watch_dev_failed(const vg_watch_dev_t *d)
{
	return d->db_errors != 0 && vg_inv_dirty(d->inv);
}

void vg_watch_dev_release(vg_watch_dev_t *d)
{
	vg_invdb_close(d->db);
	vg_inv_free(d->inv);
	vg_prof_free(d->prof);
	vg_dev_rules_free(d->rules);
	vg_vulns_free(d->vulns);
	free(d->dnsc);
	free(d->rules_files);
	free(d->vuln_files);
	vg_buf_release(&d->out);
	memset(d, 0, sizeof *d);
}
