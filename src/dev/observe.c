// SPDX-License-Identifier: Apache-2.0
/*
 * observe.c — vg_dev_observe(), the packet-path entry of passive device
 * fingerprinting, plus the signal emitter and text sanitiser the protocol
 * parsers share, and the names of signals and device classes.
 *
 * Pipeline position: called by the watch engine (on_packet hook) for each
 * decoded IP packet after flow tracking.  Dispatch is by protocol and port
 * with a handful of compares: UDP 67/68 DHCP, 5353 mDNS, 1900 SSDP (and
 * "HTTP/1." UDP answers to M-SEARCH from any port), 3702 WS-Discovery,
 * 37020 SADP; TCP: SERVICE on SYN-ACK or first server data, the first
 * server bytes (banners), and a few client packets of HTTP/RTSP/FTP flows
 * (clear-text logins, RTSP DESCRIBE); an HTTP/RTSP response sent by a
 * flow's "client" (capture started mid-flow) is read as the server's.
 * Per-flow progress lives in the
 * caller's *flow_bits: once a flow is done (VG_DEVF_DONE) its packets cost
 * one test.  A UDP flow's first answer gives SERVICE "udp/PORT".
 * Invariants: no allocation, no global state (thread-safe with one scratch
 * per thread), values sanitised and NUL-terminated.
 */
#include <string.h>

#include "dev/dev.h"
#include "dev/parse.h"
#include "lib/hash.h"
#include "lib/rd.h"

/* ---- names ---------------------------------------------------------------- */

static const char *const SIG_NAMES[VG_SIG__COUNT] = {
	[VG_SIG_NONE] = "",
	[VG_SIG_DHCP_HOSTNAME] = "dhcp.hostname",
	[VG_SIG_DHCP_PRL] = "dhcp.prl",
	[VG_SIG_DHCP_VENDOR_CLASS] = "dhcp.vendor_class",
	[VG_SIG_DHCP_CLIENT_ID] = "dhcp.client_id",
	[VG_SIG_DHCP_FQDN] = "dhcp.fqdn",
	[VG_SIG_DHCP_LEASE] = "dhcp.lease",
	[VG_SIG_MDNS_SERVICE] = "mdns.service",
	[VG_SIG_MDNS_INSTANCE] = "mdns.instance",
	[VG_SIG_MDNS_HOSTNAME] = "mdns.hostname",
	[VG_SIG_MDNS_TXT] = "mdns.txt",
	[VG_SIG_SSDP_SERVER] = "ssdp.server",
	[VG_SIG_SSDP_USN] = "ssdp.usn",
	[VG_SIG_SSDP_NT] = "ssdp.nt",
	[VG_SIG_SSDP_LOCATION] = "ssdp.location",
	[VG_SIG_WSD_TYPES] = "wsd.types",
	[VG_SIG_WSD_SCOPE] = "wsd.scope",
	[VG_SIG_WSD_XADDRS] = "wsd.xaddrs",
	[VG_SIG_SADP_MODEL] = "sadp.model",
	[VG_SIG_SADP_FIRMWARE] = "sadp.firmware",
	[VG_SIG_SADP_SERIAL] = "sadp.serial",
	[VG_SIG_SADP_MAC] = "sadp.mac",
	[VG_SIG_HTTP_SERVER] = "http.server",
	[VG_SIG_HTTP_BASIC_AUTH] = "http.basic_auth",
	[VG_SIG_HTTP_AUTH_REQ] = "http.auth_req",
	[VG_SIG_RTSP_SERVER] = "rtsp.server",
	[VG_SIG_RTSP_NOAUTH] = "rtsp.noauth",
	[VG_SIG_SSH_BANNER] = "ssh.banner",
	[VG_SIG_FTP_BANNER] = "ftp.banner",
	[VG_SIG_FTP_LOGIN] = "ftp.login",
	[VG_SIG_TELNET] = "telnet",
	[VG_SIG_SERVICE] = "service",
	[VG_SIG_UPNP_FROM_DEVICE] = "upnp.from_device",
	[VG_SIG_DHCP_REQUESTED_IP] = "dhcp.requested_ip",
};

const char *vg_dev_sig_name(int kind)
{
	if (kind <= 0 || kind >= VG_SIG__COUNT || !SIG_NAMES[kind])
		return "";
	return SIG_NAMES[kind];
}

int vg_dev_sig_kind(const char *name)
{
	if (!name || !*name)
		return VG_SIG_NONE;
	for (int k = 1; k < VG_SIG__COUNT; k++)
		if (SIG_NAMES[k] && !strcmp(SIG_NAMES[k], name))
			return k;
	return VG_SIG_NONE;
}

static const char *const CLASS_NAMES[VG_CLASS__COUNT] = {"unknown", "camera", "dvr",  "router",
							 "printer", "pc",     "phone"};

const char *vg_dev_class_name(int cls)
{
	if (cls < 0 || cls >= VG_CLASS__COUNT)
		return "unknown";
	return CLASS_NAMES[cls];
}

int vg_dev_class_parse(const char *name)
{
	if (!name)
		return -1;
	for (int c = 0; c < VG_CLASS__COUNT; c++)
		if (!strcmp(CLASS_NAMES[c], name))
			return c;
	if (!strcmp(name, "nvr"))
		return VG_CLASS_DVR;
	return -1;
}

/* ---- text helpers ---------------------------------------------------------- */

static inline uint8_t lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }

bool vg_dev_casepfx(const uint8_t *h, size_t hn, const char *s)
{
	size_t n = strlen(s);
	if (hn < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(h[i]) != lower((uint8_t)s[i]))
			return false;
	return true;
}

const uint8_t *vg_dev_memcasemem(const uint8_t *h, size_t hn, const char *nd, size_t nn)
{
	if (nn == 0)
		return h;
	if (hn < nn)
		return NULL;
	uint8_t f = lower((uint8_t)nd[0]);
	for (size_t i = 0; i + nn <= hn; i++) {
		if (lower(h[i]) != f)
			continue;
		size_t k = 1;
		while (k < nn && lower(h[i + k]) == lower((uint8_t)nd[k]))
			k++;
		if (k == nn)
			return h + i;
	}
	return NULL;
}

bool vg_dev_line(vg_rd_t *r, const uint8_t **s, size_t *n)
{
	size_t left = vg_rd_left(r);
	if (left == 0)
		return false;
	const uint8_t *p = vg_rd_ptr(r);
	const uint8_t *nl = memchr(p, '\n', left);
	size_t k = nl ? (size_t)(nl - p) : left;
	vg_rd_skip(r, nl ? k + 1 : k);
	if (k && p[k - 1] == '\r')
		k--;
	*s = p;
	*n = k;
	return true;
}

static bool is_ws(uint8_t c) { return c == ' ' || c == '\t'; }

bool vg_dev_hdr_next(vg_rd_t *r, const uint8_t **name, size_t *nlen, const uint8_t **val,
		     size_t *vlen)
{
	const uint8_t *s;
	size_t n;
	while (vg_dev_line(r, &s, &n)) {
		if (n == 0)
			return false;
		const uint8_t *c = memchr(s, ':', n);
		if (!c)
			continue;
		size_t k = (size_t)(c - s), a = k + 1, z = n;
		while (k && is_ws(s[k - 1]))
			k--;
		while (a < z && is_ws(s[a]))
			a++;
		while (z > a && is_ws(s[z - 1]))
			z--;
		*name = s;
		*nlen = k;
		*val = s + a;
		*vlen = z - a;
		return true;
	}
	return false;
}

bool vg_dev_hdr_is(const uint8_t *name, size_t nlen, const char *h)
{
	return nlen == strlen(h) && vg_dev_casepfx(name, nlen, h);
}

/* Length of a valid UTF-8 sequence at s[0..n) (2..4), 0 when invalid. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t k;
	uint32_t cp;
	if (c >= 0xc2 && c <= 0xdf) {
		k = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp >= 0x80 && cp < 0xa0) /* C1 controls */
		return 0;
	return k;
}

/* XML entity at s[0..n) (s[0] == '&'): decoded ASCII char in *c and the
 * entity length, or 0. */
static size_t xml_entity(const uint8_t *s, size_t n, uint8_t *c)
{
	static const struct {
		const char *e;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
	for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
		size_t l = strlen(ents[i].e);
		if (n >= l && !memcmp(s, ents[i].e, l)) {
			*c = (uint8_t)ents[i].c;
			return l;
		}
	}
	if (n >= 4 && s[1] == '#') {
		size_t i = 2;
		unsigned base = 10, v = 0, digits = 0;
		if (s[i] == 'x' || s[i] == 'X') {
			base = 16;
			i++;
		}
		for (; i < n && i < 10; i++) {
			uint8_t d = s[i];
			unsigned dv;
			if (d >= '0' && d <= '9')
				dv = d - '0';
			else if (base == 16 && lower(d) >= 'a' && lower(d) <= 'f')
				dv = lower(d) - 'a' + 10;
			else
				break;
			v = v * base + dv;
			digits++;
		}
		if (digits && i < n && s[i] == ';' && v >= 0x20 && v < 0x7f) {
			*c = (uint8_t)v;
			return i + 1;
		}
	}
	return 0;
}

size_t vg_dev_sanitize(char *out, size_t cap, const uint8_t *s, size_t n, unsigned flags)
{
	if (!out || cap == 0)
		return 0;
	vg_rd_t r = vg_rd_make(s, s ? n : 0);
	const uint8_t *q = vg_rd_ptr(&r);
	size_t left = vg_rd_left(&r), i = 0, o = 0;
	bool space = false; /* a space is owed before the next character */
	while (i < left) {
		uint8_t c = q[i];
		if (c > 0x20 && c < 0x7f && c != '&') {
			/* the common case: a run of plain characters, copied at once */
			size_t j = i + 1;
			while (j < left && q[j] > 0x20 && q[j] < 0x7f && q[j] != '&')
				j++;
			if (o + space + 2 > cap)
				break;
			if (space)
				out[o++] = ' ';
			space = false;
			size_t run = j - i, room = cap - 1 - o;
			if (run > room)
				run = room;
			memcpy(out + o, q + i, run);
			o += run;
			i += run;
			if (i < j)
				break; /* out is full */
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
			i++;
			space = o > 0;
			continue;
		}
		size_t take = 1;
		uint8_t one = c;
		const uint8_t *src = &one;
		size_t el;
		if (c == '&' && (flags & VG_SAN_XML) && (el = xml_entity(q + i, left - i, &one)) != 0) {
			i += el;
		} else {
			if (c >= 0x80) {
				size_t k = utf8_len(q + i, left - i);
				if (k) {
					take = k;
					src = q + i;
				} else
					one = '?';
			} else if (c < 0x20 || c == 0x7f)
				one = '?';
			i += take;
		}
		if (o + space + take + 1 > cap)
			break;
		if (space)
			out[o++] = ' ';
		space = false;
		memcpy(out + o, src, take);
		o += take;
	}
	out[o] = 0;
	return o;
}

bool vg_dev_ip_is_local(const vg_ip_t *ip)
{
	static const uint8_t v4pfx[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (!memcmp(ip->a, v4pfx, 12)) {
		uint32_t v = vg_ip_v4(ip);
		return (v >> 24) == 10 || (v >> 20) == (172u << 4 | 1) || (v >> 16) == (192u << 8 | 168) ||
		       (v >> 16) == (169u << 8 | 254) || (v >> 22) == (100u << 2 | 1);
	}
	return (ip->a[0] == 0xfe && (ip->a[1] & 0xc0) == 0x80) || (ip->a[0] & 0xfe) == 0xfc;
}

/* ---- the emitter ------------------------------------------------------------ */

void vg_dev_emit_init(vg_dev_emit_t *e, vg_dev_scratch_t *scratch, vg_dev_sig_fn cb, void *ctx,
		      uint64_t ts_us)
{
	/* no memset of the whole struct: the de-dup array is read only up
	 * to ndedup */
	memset(&e->s, 0, sizeof(e->s));
	e->n = 0;
	e->ndedup = 0;
	e->cb = cb;
	e->ctx = ctx;
	e->val = (char *)scratch->mem;
	e->tmp = scratch->mem + VG_DEV_VALUE_MAX;
	e->s.ts_us = ts_us;
}

bool vg_dev_emit(vg_dev_emit_t *e, int kind, const uint8_t *s, size_t n, unsigned flags)
{
	if (e->n >= VG_DEV_MAX_SIGS)
		return false;
	size_t len = vg_dev_sanitize(e->val, VG_DEV_VALUE_MAX, s, n, flags);
	if (!len)
		return false;
	uint64_t h = vg_hash64(e->val, len, (uint64_t)kind * 0x9e3779b97f4a7c15ull + 1);
	int nd = e->ndedup < VG_DEV_DEDUP ? e->ndedup : VG_DEV_DEDUP;
	for (int i = 0; i < nd; i++)
		if (e->dedup[i] == h)
			return false;
	e->dedup[e->ndedup++ % VG_DEV_DEDUP] = h;
	vg_dev_sig_t sig = e->s;
	sig.kind = kind;
	sig.value = e->val;
	sig.len = len;
	e->n++;
	if (e->cb)
		e->cb(e->ctx, &sig);
	return true;
}

bool vg_dev_emit_str(vg_dev_emit_t *e, int kind, const char *s)
{
	return vg_dev_emit(e, kind, (const uint8_t *)s, strlen(s), 0);
}

/* ---- dispatch ---------------------------------------------------------------- */

/* "tcp/554" into buf. */
static const char *svc_text(char buf[16], uint8_t proto, uint16_t port)
{
	char *p = buf;
	const char *pr = proto == 6 ? "tcp/" : "udp/";
	memcpy(p, pr, 4);
	p += 4;
	char d[6];
	int k = 0;
	do {
		d[k++] = (char)('0' + port % 10);
		port /= 10;
	} while (port);
	while (k)
		*p++ = d[--k];
	*p = 0;
	return buf;
}

/* The packet's sender (dir_src) or receiver as the device of e. */
static void as_device(vg_dev_emit_t *e, const vg_pkt_t *p, bool src, bool always_mac)
{
	e->s.ip = src ? p->src : p->dst;
	e->s.mac = NULL;
	if ((p->flags & VG_PKT_F_MAC) && (always_mac || vg_dev_ip_is_local(&e->s.ip)))
		e->s.mac = src ? p->src_mac : p->dst_mac;
}

static int observe_udp(const vg_pkt_t *p, const vg_flow_t *f, int dir, uint32_t *bits,
		       vg_dev_emit_t *e)
{
	const uint8_t *pl = p->payload;
	size_t n = p->payload_len;
	uint16_t sp = p->sport, dp = p->dport;
	if (n && pl) {
		int (*fn)(vg_dev_emit_t *, const uint8_t *, size_t) = NULL;
		if (sp == 5353 || dp == 5353)
			fn = vg_dev_mdns;
		else if (sp == 67 || dp == 67 || sp == 68 || dp == 68)
			fn = vg_dev_dhcp;
		else if (sp == 1900 || dp == 1900)
			fn = vg_dev_ssdp;
		else if (sp == 3702 || dp == 3702)
			fn = vg_dev_wsd;
		else if (sp == 37020 || dp == 37020)
			fn = vg_dev_sadp;
		else if (n >= 12 && pl[0] == 'H' && !memcmp(pl, "HTTP/1.", 7))
			fn = vg_dev_ssdp; /* M-SEARCH answer from a device's own port */
		if (fn) {
			as_device(e, p, true, true);
			fn(e, pl, n);
		}
	}
	/* the first answer of a UDP flow: the server port is in use */
	if (f && bits && dir == VG_DIR_TOCLIENT && !(*bits & VG_DEVF_SVC)) {
		*bits |= VG_DEVF_SVC | VG_DEVF_DONE;
		char b[16];
		as_device(e, p, true, false);
		e->s.port = sp;
		e->s.proto = 17;
		vg_dev_emit_str(e, VG_SIG_SERVICE, svc_text(b, 17, sp));
	}
	return e->n;
}

static void service(vg_dev_emit_t *e, const vg_pkt_t *p)
{
	char b[16];
	as_device(e, p, true, false);
	e->s.port = p->sport;
	e->s.proto = 6;
	vg_dev_emit_str(e, VG_SIG_SERVICE, svc_text(b, 6, p->sport));
	if (p->sport == 23 || p->sport == 2323)
		vg_dev_emit_str(e, VG_SIG_TELNET, svc_text(b, 6, p->sport));
}

static int observe_tcp(const vg_pkt_t *p, const vg_flow_t *f, int dir, uint32_t *bits,
		       vg_dev_emit_t *e)
{
	const uint8_t *pl = p->payload;
	size_t n = pl ? p->payload_len : 0;
	bool synack = (p->tcp_flags & (VG_TCP_SYN | VG_TCP_ACK)) == (VG_TCP_SYN | VG_TCP_ACK);
	if (!f) {
		/* untracked: only a SYN-ACK says which end is the server */
		if (synack)
			service(e, p);
		return e->n;
	}
	if (dir == VG_DIR_TOCLIENT) {
		if (!(*bits & VG_DEVF_SVC) && (synack || n)) {
			*bits |= VG_DEVF_SVC;
			service(e, p);
		}
		if (n && (!(*bits & VG_DEVF_SRV) || (*bits & VG_DEVF_DESC))) {
			as_device(e, p, true, false);
			e->s.port = p->sport;
			e->s.proto = 6;
			vg_dev_banner_server(e, pl, n, p->sport, bits);
		}
	} else if (n >= 8 && !(*bits & VG_DEVF_SRV) &&
		   (!memcmp(pl, "HTTP/1.", 7) || !memcmp(pl, "RTSP/1.", 7))) {
		/* a response from the "client": the capture started mid-flow
		 * and the flow's direction is reversed; the sender is the server */
		if (!(*bits & VG_DEVF_SVC)) {
			*bits |= VG_DEVF_SVC;
			service(e, p);
		}
		as_device(e, p, true, false);
		e->s.port = p->sport;
		e->s.proto = 6;
		vg_dev_banner_server(e, pl, n, p->sport, bits);
		*bits |= VG_DEVF_CLI;
	} else if (n && !(*bits & VG_DEVF_CLI)) {
		as_device(e, p, false, false);
		e->s.port = p->dport;
		e->s.proto = 6;
		vg_dev_banner_client(e, pl, n, p->dport, bits);
	}
	uint32_t b = *bits;
	if ((b & (VG_DEVF_SVC | VG_DEVF_SRV | VG_DEVF_CLI)) == (VG_DEVF_SVC | VG_DEVF_SRV | VG_DEVF_CLI) &&
	    !(b & VG_DEVF_DESC))
		*bits |= VG_DEVF_DONE;
	return e->n;
}

/* The slow paths: reached only when the packet may carry a fact. */
/* repeated: this discovery datagram was parsed less than repeat_s seconds
 * ago (see vg_dev_scratch_t); remembers it otherwise. */
static bool repeated(const vg_pkt_t *p, uint64_t ts_us, vg_dev_scratch_t *s)
{
	if (!s->repeat_s || !p->payload || !p->payload_len || p->dport == 68)
		return false;
	uint64_t k = vg_hash64(p->payload, p->payload_len, 0x9e3779b97f4a7c15ull);
	k ^= vg_hash64(&p->src, sizeof p->src, k);
	k ^= vg_hash_u64(((uint64_t)p->sport << 16 | p->dport) ^ vg_rd32le(p->src_mac) ^
			 ((uint64_t)vg_rd32le(p->src_mac + 2) << 32));
	k |= 1; /* 0 marks an empty slot */
	uint32_t sec = (uint32_t)(ts_us / 1000000);
	uint32_t i = (uint32_t)(k >> 40) & (VG_DEV_REPEAT_SLOTS - 1);
	if (s->rep_key[i] == k && sec - s->rep_sec[i] < s->repeat_s) {
		s->repeat_seen++;
		return true;
	}
	s->rep_key[i] = k;
	s->rep_sec[i] = sec;
	return false;
}

__attribute__((noinline)) static int slow_udp(const vg_pkt_t *p, const vg_flow_t *f, int dir,
					       uint32_t *bits, uint64_t ts_us, bool disc,
					       vg_dev_scratch_t *scratch, vg_dev_sig_fn cb, void *ctx)
{
	if (disc && repeated(p, ts_us, scratch))
		return 0;
	vg_dev_emit_t e;
	vg_dev_emit_init(&e, scratch, cb, ctx, ts_us);
	return observe_udp(p, f, dir, bits, &e);
}

__attribute__((noinline)) static int slow_tcp(const vg_pkt_t *p, const vg_flow_t *f, int dir,
					       uint32_t *bits, uint64_t ts_us,
					       vg_dev_scratch_t *scratch, vg_dev_sig_fn cb, void *ctx)
{
	vg_dev_emit_t e;
	vg_dev_emit_init(&e, scratch, cb, ctx, ts_us);
	return observe_tcp(p, f, dir, bits, &e);
}

static inline bool disc_port(uint16_t x)
{
	return x == 5353 || x == 67 || x == 68 || x == 1900 || x == 3702 || x == 37020;
}

int vg_dev_observe(const vg_pkt_t *p, const vg_flow_t *f, int dir, uint32_t *flow_bits,
		   uint64_t ts_us, vg_dev_scratch_t *scratch, vg_dev_sig_fn cb, void *ctx)
{
	/* the fast path: a few compares for a packet with nothing to learn */
	if (!p || !scratch || !(p->flags & VG_PKT_F_L4) || p->frag == VG_FRAG_LATER)
		return 0;
	uint32_t local = 0;
	uint32_t *bits = flow_bits ? flow_bits : &local;
	uint32_t b = *bits;
	if (p->proto == 6) {
		if (b & VG_DEVF_DONE)
			return 0;
		bool synack = (p->tcp_flags & (VG_TCP_SYN | VG_TCP_ACK)) == (VG_TCP_SYN | VG_TCP_ACK);
		bool data = p->payload_len && p->payload;
		bool need;
		if (!f)
			need = synack;
		else if (dir == VG_DIR_TOCLIENT)
			/* a bulk transfer whose client never sends data stays
			 * undone: this test keeps it cheap */
			need = (!(b & VG_DEVF_SVC) && (synack || data)) ||
			       (data && (!(b & VG_DEVF_SRV) || (b & VG_DEVF_DESC)));
		else
			need = data && !(b & VG_DEVF_CLI);
		return need ? slow_tcp(p, f, dir, bits, ts_us, scratch, cb, ctx) : 0;
	}
	if (p->proto == 17) {
		/* discovery protocols are parsed on every datagram, so the
		 * per-flow shortcut comes after the port tests */
		bool disc = disc_port(p->sport) || disc_port(p->dport) ||
			    (p->payload_len >= 12 && p->payload && p->payload[0] == 'H');
		if (!disc && ((b & VG_DEVF_DONE) || !f || dir != VG_DIR_TOCLIENT))
			return 0;
		return slow_udp(p, f, dir, f ? bits : NULL, ts_us, disc, scratch, cb, ctx);
	}
	return 0;
}
