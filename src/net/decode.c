// SPDX-License-Identifier: Apache-2.0
/*
 * decode.c — frame -> vg_pkt_t: link layer, VLAN/PPPoE, IPv4/IPv6, L4, tunnels.
 *
 * Sits right after the packet source and before the flow table.  Each layer
 * is a small function taking a bounds-checked reader (src/lib/rd.h) over the
 * bytes that remain; every byte of the frame is read through it, so a short
 * or lying header can only produce a reason code, never an out-of-bounds
 * read.  IP packets are trimmed to their header length (Ethernet padding)
 * and, when the capture is shorter, flagged VG_PKT_F_SNAPPED.
 *
 * Tunnels recurse with a depth bound (VG_DEC_MAX_DEPTH).  A tunnel attempt
 * saves the outer result on the stack and restores it when the inner packet
 * does not decode, so false positives on UDP 3544/4789 are harmless.
 *
 * Invariants: no allocation, no global mutable state (thread-safe), every
 * return path sets p->reason to the returned value.
 */
#include "net/decode.h"

#include <string.h>

#include "lib/rd.h"

#define ET_IPV4 0x0800
#define ET_IPV6 0x86DD
#define ET_VLAN 0x8100
#define ET_QINQ 0x88A8
#define ET_QINQ_OLD 0x9100
#define ET_PPPOE_SESS 0x8864
#define ET_TEB 0x6558 /* transparent ethernet bridging (GRE) */

#define IPP_HOPOPTS 0
#define IPP_ICMP 1
#define IPP_IPIP 4
#define IPP_TCP 6
#define IPP_UDP 17
#define IPP_IPV6 41
#define IPP_ROUTING 43
#define IPP_FRAGMENT 44
#define IPP_GRE 47
#define IPP_AH 51
#define IPP_ICMPV6 58
#define IPP_NONE 59
#define IPP_DSTOPTS 60
#define IPP_SCTP 132
#define IPP_MOBILITY 135

#define PORT_TEREDO 3544
#define PORT_VXLAN 4789

static const char *const reason_names[VG_DEC_REASON_MAX] = {
	[VG_DEC_OK] = "ok",
	[VG_DEC_NOT_IP] = "not_ip",
	[VG_DEC_UNSUPPORTED_LINKTYPE] = "unsupported_linktype",
	[VG_DEC_ETH_TRUNCATED] = "eth_truncated",
	[VG_DEC_VLAN_TRUNCATED] = "vlan_truncated",
	[VG_DEC_VLAN_TOO_MANY] = "vlan_too_many",
	[VG_DEC_PPPOE_TRUNCATED] = "pppoe_truncated",
	[VG_DEC_SLL_TRUNCATED] = "sll_truncated",
	[VG_DEC_NULL_TRUNCATED] = "null_truncated",
	[VG_DEC_IP_EMPTY] = "ip_empty",
	[VG_DEC_IP_BAD_VERSION] = "ip_bad_version",
	[VG_DEC_IPV4_TRUNCATED] = "ipv4_truncated",
	[VG_DEC_IPV4_BAD_HLEN] = "ipv4_bad_header_length",
	[VG_DEC_IPV4_BAD_TOTAL_LEN] = "ipv4_bad_total_length",
	[VG_DEC_IPV6_TRUNCATED] = "ipv6_truncated",
	[VG_DEC_IPV6_EXT_TRUNCATED] = "ipv6_ext_truncated",
	[VG_DEC_IPV6_TOO_MANY_EXT] = "ipv6_too_many_ext",
	[VG_DEC_TCP_TRUNCATED] = "tcp_truncated",
	[VG_DEC_TCP_BAD_HLEN] = "tcp_bad_header_length",
	[VG_DEC_UDP_TRUNCATED] = "udp_truncated",
	[VG_DEC_UDP_BAD_LEN] = "udp_bad_length",
	[VG_DEC_ICMP_TRUNCATED] = "icmp_truncated",
	[VG_DEC_SCTP_TRUNCATED] = "sctp_truncated",
};

const char *vg_decode_reason_name(int reason)
{
	if (reason < 0 || reason >= VG_DEC_REASON_MAX || !reason_names[reason])
		return "unknown";
	return reason_names[reason];
}

int vg_linktype_supported(int lt)
{
	switch (lt) {
	case VG_LT_NULL: case VG_LT_EN10MB: case VG_LT_RAW_12: case VG_LT_RAW_14:
	case VG_LT_RAW: case VG_LT_LOOP: case VG_LT_LINUX_SLL: case VG_LT_IPV4:
	case VG_LT_IPV6: case VG_LT_LINUX_SLL2:
		return 1;
	}
	return 0;
}

static int dec_ip(vg_rd_t *r, vg_pkt_t *p, int depth, int want);
static int dec_ether(vg_rd_t *r, vg_pkt_t *p, int depth, int outer);

/* Clear the network/transport part of p before decoding an inner packet. */
static void reset_l3(vg_pkt_t *p)
{
	memset(&p->src, 0, sizeof p->src);
	memset(&p->dst, 0, sizeof p->dst);
	p->l3 = p->payload = NULL;
	p->l3_len = p->payload_len = p->ip_len = 0;
	p->tcp_seq = p->tcp_ack = 0;
	p->sport = p->dport = p->tcp_win = 0;
	p->ipver = p->proto = p->ttl = p->tcp_flags = 0;
	p->icmp_type = p->icmp_code = 0;
	p->frag = VG_FRAG_NONE;
	p->flags &= (uint8_t)~(VG_PKT_F_L4 | VG_PKT_F_SNAPPED);
}

/*
 * Try to decode an inner packet of tunnel type tun from r.  kind: 0 = IP by
 * version nibble, 4/6 = IP of that version, 'E' = Ethernet.  On failure the
 * outer packet is restored and VG_DEC_OK returned (the outer is valid).
 */
static int tunnel(vg_rd_t *r, vg_pkt_t *p, int depth, int kind, int tun)
{
	vg_pkt_t save = *p;
	int rc;
	reset_l3(p);
	if (kind == 'E')
		rc = dec_ether(r, p, depth + 1, 0);
	else
		rc = dec_ip(r, p, depth + 1, kind);
	if (rc != VG_DEC_OK) {
		*p = save;
		return VG_DEC_OK;
	}
	p->tunnel = (uint8_t)tun;
	p->depth++;
	return VG_DEC_OK;
}

/* Teredo (RFC 4380): optional auth / origin indication, then IPv6. */
static int teredo(const uint8_t *d, uint32_t n, vg_pkt_t *p, int depth)
{
	vg_rd_t r = vg_rd_make(d, n);
	for (int i = 0; i < 2 && vg_rd_left(&r) >= 2; i++) {
		const uint8_t *q = vg_rd_ptr(&r);
		if (q[0] != 0)
			break;
		if (q[1] == 1) { /* authentication: id len, auth len, id, auth, nonce 8, conf 1 */
			vg_rd_skip(&r, 2);
			uint8_t idl = vg_rd_u8(&r), aul = vg_rd_u8(&r);
			vg_rd_skip(&r, (size_t)idl + aul + 9);
		} else if (q[1] == 0) { /* origin indication */
			vg_rd_skip(&r, 8);
		} else {
			return VG_DEC_OK;
		}
		if (!vg_rd_ok(&r))
			return VG_DEC_OK;
	}
	size_t left = vg_rd_left(&r);
	if (left < 40)
		return VG_DEC_OK;
	const uint8_t *h = vg_rd_ptr(&r);
	/* Teredo carries exactly one IPv6 packet: the lengths must agree. */
	if ((h[0] >> 4) != 6 || (size_t)((h[4] << 8 | h[5]) + 40) != left)
		return VG_DEC_OK;
	return tunnel(&r, p, depth, 6, VG_TUN_TEREDO);
}

/*
 * L4 over cap captured bytes at l4; iplen is the L4 length the IP header
 * claims (>= cap).  p->proto and p->frag are set.
 */
static int dec_l4(const uint8_t *l4, uint32_t cap, uint32_t iplen, vg_pkt_t *p, int depth)
{
	vg_rd_t r = vg_rd_make(l4, cap);
	int first = p->frag == VG_FRAG_FIRST;
	p->payload = l4;
	p->payload_len = cap;
	switch (p->proto) {
	case IPP_TCP: {
		if (cap < 20)
			return first ? VG_DEC_OK : VG_DEC_TCP_TRUNCATED;
		p->sport = vg_rd_be16(&r);
		p->dport = vg_rd_be16(&r);
		p->tcp_seq = vg_rd_be32(&r);
		p->tcp_ack = vg_rd_be32(&r);
		uint8_t off = vg_rd_u8(&r);
		uint8_t fl = vg_rd_u8(&r);
		uint16_t win = vg_rd_be16(&r);
		uint32_t hl = (uint32_t)(off >> 4) * 4;
		if (hl < 20 || hl > iplen) {
			p->sport = p->dport = 0;
			return VG_DEC_TCP_BAD_HLEN;
		}
		if (!vg_rd_seek(&r, hl)) {
			if (first) {
				p->sport = p->dport = 0;
				return VG_DEC_OK;
			}
			return VG_DEC_TCP_TRUNCATED;
		}
		p->tcp_flags = fl;
		p->tcp_win = win;
		p->payload = l4 + hl;
		p->payload_len = cap - hl;
		p->flags |= VG_PKT_F_L4;
		return VG_DEC_OK;
	}
	case IPP_UDP: {
		if (cap < 8)
			return first ? VG_DEC_OK : VG_DEC_UDP_TRUNCATED;
		uint16_t sp = vg_rd_be16(&r), dp = vg_rd_be16(&r);
		uint16_t ulen = vg_rd_be16(&r);
		if (ulen < 8 || (!first && ulen > iplen))
			return VG_DEC_UDP_BAD_LEN;
		p->sport = sp;
		p->dport = dp;
		p->flags |= VG_PKT_F_L4;
		uint32_t n = ulen < cap ? ulen : cap;
		p->payload = l4 + 8;
		p->payload_len = n - 8;
		if (p->frag != VG_FRAG_NONE || depth >= VG_DEC_MAX_DEPTH || ulen > cap)
			return VG_DEC_OK;
		if (dp == PORT_VXLAN && p->payload_len >= 8 && (p->payload[0] & 0x08)) {
			vg_rd_t in = vg_rd_make(p->payload + 8, p->payload_len - 8);
			return tunnel(&in, p, depth, 'E', VG_TUN_VXLAN);
		}
		if (sp == PORT_TEREDO || dp == PORT_TEREDO)
			return teredo(p->payload, p->payload_len, p, depth);
		return VG_DEC_OK;
	}
	case IPP_ICMP:
	case IPP_ICMPV6:
		if (cap < 4)
			return first ? VG_DEC_OK : VG_DEC_ICMP_TRUNCATED;
		p->icmp_type = vg_rd_u8(&r);
		p->icmp_code = vg_rd_u8(&r);
		p->sport = p->icmp_type;
		p->dport = p->icmp_code;
		p->payload = l4 + 4;
		p->payload_len = cap - 4;
		p->flags |= VG_PKT_F_L4;
		return VG_DEC_OK;
	case IPP_SCTP:
		if (cap < 12)
			return first ? VG_DEC_OK : VG_DEC_SCTP_TRUNCATED;
		p->sport = vg_rd_be16(&r);
		p->dport = vg_rd_be16(&r);
		p->payload = l4 + 12;
		p->payload_len = cap - 12;
		p->flags |= VG_PKT_F_L4;
		return VG_DEC_OK;
	case IPP_IPIP:
	case IPP_IPV6:
		if (p->frag != VG_FRAG_NONE || depth >= VG_DEC_MAX_DEPTH)
			return VG_DEC_OK;
		return tunnel(&r, p, depth, p->proto == IPP_IPIP ? 4 : 6, VG_TUN_IPIP);
	case IPP_GRE: {
		if (p->frag != VG_FRAG_NONE || depth >= VG_DEC_MAX_DEPTH)
			return VG_DEC_OK;
		uint16_t fl = vg_rd_be16(&r), et = vg_rd_be16(&r);
		if (!vg_rd_ok(&r) || (fl & 7) != 0 || (fl & 0x4000))
			return VG_DEC_OK; /* not GRE v0 without routing: keep outer */
		size_t skip = ((fl & 0x8000) ? 4 : 0) + ((fl & 0x2000) ? 4 : 0) +
			      ((fl & 0x1000) ? 4 : 0);
		if (!vg_rd_skip(&r, skip))
			return VG_DEC_OK;
		if (et == ET_IPV4)
			return tunnel(&r, p, depth, 4, VG_TUN_GRE);
		if (et == ET_IPV6)
			return tunnel(&r, p, depth, 6, VG_TUN_GRE);
		if (et == ET_TEB)
			return tunnel(&r, p, depth, 'E', VG_TUN_GRE);
		return VG_DEC_OK;
	}
	default:
		return VG_DEC_OK;
	}
}

static int dec_ipv4(vg_rd_t *r, vg_pkt_t *p, int depth)
{
	const uint8_t *h = vg_rd_ptr(r);
	size_t avail = vg_rd_left(r);
	if (avail < 20)
		return VG_DEC_IPV4_TRUNCATED;
	vg_rd_t ip = vg_rd_make(h, avail);
	uint8_t vihl = vg_rd_u8(&ip);
	if ((vihl >> 4) != 4)
		return VG_DEC_IP_BAD_VERSION;
	uint32_t hlen = (uint32_t)(vihl & 15) * 4;
	if (hlen < 20)
		return VG_DEC_IPV4_BAD_HLEN;
	vg_rd_skip(&ip, 1);
	uint32_t tot = vg_rd_be16(&ip);
	vg_rd_skip(&ip, 2);
	uint16_t fo = vg_rd_be16(&ip);
	uint8_t ttl = vg_rd_u8(&ip), proto = vg_rd_u8(&ip);
	vg_rd_skip(&ip, 2);
	uint32_t s = vg_rd_be32(&ip), d = vg_rd_be32(&ip);
	if (avail < hlen)
		return VG_DEC_IPV4_TRUNCATED;
	if (tot < hlen)
		return VG_DEC_IPV4_BAD_TOTAL_LEN;
	uint32_t seen = tot;
	if (tot > avail) {
		seen = (uint32_t)avail;
		p->flags |= VG_PKT_F_SNAPPED;
	}
	vg_ip_set4(&p->src, s);
	vg_ip_set4(&p->dst, d);
	p->ipver = 4;
	p->ttl = ttl;
	p->proto = proto;
	p->ip_len = tot;
	p->l3 = h;
	p->l3_len = seen;
	vg_rd_skip(r, seen);
	if (fo & 0x1fff) {
		p->frag = VG_FRAG_LATER;
		p->payload = h + hlen;
		p->payload_len = seen - hlen;
		return VG_DEC_OK;
	}
	if (fo & 0x2000)
		p->frag = VG_FRAG_FIRST;
	return dec_l4(h + hlen, seen - hlen, tot - hlen, p, depth);
}

static int dec_ipv6(vg_rd_t *r, vg_pkt_t *p, int depth)
{
	const uint8_t *h = vg_rd_ptr(r);
	size_t avail = vg_rd_left(r);
	if (avail < 40)
		return VG_DEC_IPV6_TRUNCATED;
	vg_rd_t ip = vg_rd_make(h, avail);
	uint8_t v = vg_rd_u8(&ip);
	if ((v >> 4) != 6)
		return VG_DEC_IP_BAD_VERSION;
	vg_rd_skip(&ip, 3);
	uint32_t plen = vg_rd_be16(&ip);
	uint8_t nh = vg_rd_u8(&ip), hlim = vg_rd_u8(&ip);
	vg_rd_bytes(&ip, p->src.a, 16);
	vg_rd_bytes(&ip, p->dst.a, 16);
	uint32_t tot = 40 + plen;
	if (plen == 0 && nh == IPP_HOPOPTS) /* jumbogram: length in an option */
		tot = (uint32_t)avail;
	uint32_t seen = tot;
	if (tot > avail) {
		seen = (uint32_t)avail;
		p->flags |= VG_PKT_F_SNAPPED;
	}
	p->ipver = 6;
	p->ttl = hlim;
	p->ip_len = tot;
	p->l3 = h;
	p->l3_len = seen;
	vg_rd_skip(r, seen);

	vg_rd_t e = vg_rd_make(h + 40, seen - 40);
	for (int n = 0;; n++) {
		size_t start = e.off, sz;
		switch (nh) {
		case IPP_HOPOPTS:
		case IPP_ROUTING:
		case IPP_DSTOPTS:
		case IPP_MOBILITY:
		case IPP_AH:
		case IPP_FRAGMENT:
			break;
		default:
			goto l4;
		}
		if (n >= VG_DEC_MAX_IPV6_EXT)
			return VG_DEC_IPV6_TOO_MANY_EXT;
		uint8_t next = vg_rd_u8(&e), len = vg_rd_u8(&e);
		if (!vg_rd_ok(&e))
			return VG_DEC_IPV6_EXT_TRUNCATED;
		if (nh == IPP_FRAGMENT) {
			uint16_t offlg = vg_rd_be16(&e);
			vg_rd_skip(&e, 4);
			if (!vg_rd_ok(&e))
				return VG_DEC_IPV6_EXT_TRUNCATED;
			nh = next;
			if (offlg >> 3) {
				p->frag = VG_FRAG_LATER;
				p->proto = nh;
				p->payload = vg_rd_ptr(&e);
				p->payload_len = (uint32_t)vg_rd_left(&e);
				return VG_DEC_OK;
			}
			if (offlg & 1)
				p->frag = VG_FRAG_FIRST;
			continue;
		}
		sz = nh == IPP_AH ? ((size_t)len + 2) * 4 : ((size_t)len + 1) * 8;
		if (!vg_rd_seek(&e, start + sz))
			return VG_DEC_IPV6_EXT_TRUNCATED;
		nh = next;
	}
l4:
	p->proto = nh;
	if (nh == IPP_NONE) {
		p->payload = vg_rd_ptr(&e);
		p->payload_len = (uint32_t)vg_rd_left(&e);
		return VG_DEC_OK;
	}
	uint32_t l4off = 40 + (uint32_t)e.off;
	uint32_t iplen = tot > l4off ? tot - l4off : 0;
	return dec_l4(h + l4off, seen - l4off, iplen, p, depth);
}

/* IP of version want (4 or 6), or by the version nibble when want is 0. */
static int dec_ip(vg_rd_t *r, vg_pkt_t *p, int depth, int want)
{
	if (vg_rd_left(r) == 0)
		return want == 4 ? VG_DEC_IPV4_TRUNCATED
				 : want == 6 ? VG_DEC_IPV6_TRUNCATED : VG_DEC_IP_EMPTY;
	int ver = vg_rd_ptr(r)[0] >> 4;
	if (want && ver != want)
		return VG_DEC_IP_BAD_VERSION;
	if (ver == 4)
		return dec_ipv4(r, p, depth);
	if (ver == 6)
		return dec_ipv6(r, p, depth);
	return VG_DEC_IP_BAD_VERSION;
}

/* Ethertype type (VLAN tags, PPPoE, IP) with r positioned after it. */
static int dec_ethertype(uint16_t type, vg_rd_t *r, vg_pkt_t *p, int depth)
{
	for (int tags = 0; type == ET_VLAN || type == ET_QINQ || type == ET_QINQ_OLD; tags++) {
		if (tags >= VG_DEC_MAX_VLAN_TAGS)
			return VG_DEC_VLAN_TOO_MANY;
		uint16_t tci = vg_rd_be16(r);
		type = vg_rd_be16(r);
		if (!vg_rd_ok(r))
			return VG_DEC_VLAN_TRUNCATED;
		if (p->n_vlan < 2)
			p->vlan[p->n_vlan++] = tci & 0x0fff;
	}
	if (type == ET_PPPOE_SESS) {
		vg_rd_skip(r, 6); /* ver/type, code, session id, length */
		uint16_t ppp = vg_rd_be16(r);
		if (!vg_rd_ok(r))
			return VG_DEC_PPPOE_TRUNCATED;
		if (ppp == 0x0021)
			return dec_ip(r, p, depth, 4);
		if (ppp == 0x0057)
			return dec_ip(r, p, depth, 6);
		return VG_DEC_NOT_IP;
	}
	if (type == ET_IPV4)
		return dec_ip(r, p, depth, 4);
	if (type == ET_IPV6)
		return dec_ip(r, p, depth, 6);
	return VG_DEC_NOT_IP;
}

static int dec_ether(vg_rd_t *r, vg_pkt_t *p, int depth, int outer)
{
	uint8_t dst[6], src[6];
	vg_rd_bytes(r, dst, 6);
	vg_rd_bytes(r, src, 6);
	uint16_t type = vg_rd_be16(r);
	if (!vg_rd_ok(r))
		return VG_DEC_ETH_TRUNCATED;
	if (outer) {
		memcpy(p->dst_mac, dst, 6);
		memcpy(p->src_mac, src, 6);
		p->flags |= VG_PKT_F_MAC;
		p->ethertype = type;
	}
	if (type < 0x0600) /* 802.3 length field: LLC/SNAP, not IP for us */
		return VG_DEC_NOT_IP;
	return dec_ethertype(type, r, p, depth);
}

static int dec_null(vg_rd_t *r, vg_pkt_t *p)
{
	uint32_t af = vg_rd_be32(r);
	if (!vg_rd_ok(r))
		return VG_DEC_NULL_TRUNCATED;
	if (af & 0xffff0000u) /* written in the other byte order */
		af = __builtin_bswap32(af);
	if (af == 2)
		return dec_ip(r, p, 0, 4);
	if (af == 24 || af == 28 || af == 30)
		return dec_ip(r, p, 0, 6);
	return VG_DEC_NOT_IP;
}

static int dec_link(int lt, vg_rd_t *r, vg_pkt_t *p)
{
	switch (lt) {
	case VG_LT_EN10MB:
		return dec_ether(r, p, 0, 1);
	case VG_LT_RAW_12:
	case VG_LT_RAW_14:
	case VG_LT_RAW:
		return dec_ip(r, p, 0, 0);
	case VG_LT_IPV4:
		return dec_ip(r, p, 0, 4);
	case VG_LT_IPV6:
		return dec_ip(r, p, 0, 6);
	case VG_LT_NULL:
	case VG_LT_LOOP:
		return dec_null(r, p);
	case VG_LT_LINUX_SLL: {
		if (!vg_rd_skip(r, 14))
			return VG_DEC_SLL_TRUNCATED;
		uint16_t type = vg_rd_be16(r);
		if (!vg_rd_ok(r))
			return VG_DEC_SLL_TRUNCATED;
		p->ethertype = type;
		return dec_ethertype(type, r, p, 0);
	}
	case VG_LT_LINUX_SLL2: {
		uint16_t type = vg_rd_be16(r);
		if (!vg_rd_skip(r, 18))
			return VG_DEC_SLL_TRUNCATED;
		p->ethertype = type;
		return dec_ethertype(type, r, p, 0);
	}
	}
	return VG_DEC_UNSUPPORTED_LINKTYPE;
}

int vg_decode(int linktype, const uint8_t *data, uint32_t caplen, vg_pkt_t *p)
{
	memset(p, 0, sizeof *p);
	vg_rd_t r = vg_rd_make(data, data ? caplen : 0);
	int rc = dec_link(linktype, &r, p);
	if (rc != VG_DEC_OK)
		p->flags &= (uint8_t)~VG_PKT_F_L4;
	p->reason = (uint8_t)rc;
	return rc;
}
