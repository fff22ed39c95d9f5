// SPDX-License-Identifier: Apache-2.0
/*
 * test_decode.c — vg_decode on hand-built frames: every link type, VLAN,
 * QinQ, PPPoE, IPv4 options, IPv6 extension headers, fragments, tunnels,
 * and every truncated prefix of a frame (exact-size heap copies so ASan
 * sees any over-read) with the expected reason for each length.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "net/decode.h"
#include "net/source.h"

static const uint8_t MAC_D[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t MAC_S[6] = {0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};

static size_t be16(uint8_t *b, unsigned v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
	return 2;
}
static size_t be32(uint8_t *b, uint32_t v)
{
	be16(b, v >> 16);
	be16(b + 2, v & 0xffff);
	return 4;
}
static size_t eth(uint8_t *b, unsigned type)
{
	memcpy(b, MAC_D, 6);
	memcpy(b + 6, MAC_S, 6);
	return 12 + be16(b + 12, type);
}
/* IPv4 header with optlen bytes of options (NOPs) and l4len bytes after. */
static size_t ipv4(uint8_t *b, uint8_t proto, size_t l4len, size_t optlen, unsigned fo,
		   uint32_t src, uint32_t dst)
{
	size_t hl = 20 + optlen;
	memset(b, 0, hl);
	b[0] = (uint8_t)(0x40 | hl / 4);
	be16(b + 2, (unsigned)(hl + l4len));
	be16(b + 4, 0x1234);
	be16(b + 6, fo);
	b[8] = 64;
	b[9] = proto;
	be32(b + 12, src);
	be32(b + 16, dst);
	memset(b + 20, 1, optlen);
	return hl;
}
static size_t ipv6(uint8_t *b, uint8_t nh, size_t plen, uint8_t last)
{
	memset(b, 0, 40);
	b[0] = 0x60;
	be16(b + 4, (unsigned)plen);
	b[6] = nh;
	b[7] = 55;
	b[8] = 0x20; b[9] = 0x01; b[23] = 1;   /* 2001::1 */
	b[24] = 0x20; b[25] = 0x01; b[39] = last;
	return 40;
}
static size_t tcp(uint8_t *b, unsigned sp, unsigned dp, uint8_t flags, size_t paylen)
{
	memset(b, 0, 20);
	be16(b, sp);
	be16(b + 2, dp);
	be32(b + 4, 1000);
	be32(b + 8, 2000);
	b[12] = 5 << 4;
	b[13] = flags;
	be16(b + 14, 4096);
	memset(b + 20, 'x', paylen);
	return 20 + paylen;
}
static size_t udp(uint8_t *b, unsigned sp, unsigned dp, size_t paylen)
{
	be16(b, sp);
	be16(b + 2, dp);
	be16(b + 4, (unsigned)(8 + paylen));
	be16(b + 6, 0);
	memset(b + 8, 'u', paylen);
	return 8 + paylen;
}

/* Decode an exact-size heap copy of n bytes (so ASan catches over-reads). */
static int dec(int lt, const uint8_t *b, size_t n, vg_pkt_t *p)
{
	uint8_t *c = malloc(n ? n : 1);
	assert_non_null(c);
	memcpy(c, b, n);
	int r = vg_decode(lt, c, (uint32_t)n, p);
	/* payload pointers must lie inside the frame */
	if (p->payload) {
		assert_true(p->payload >= c && p->payload + p->payload_len <= c + n);
	}
	free(c);
	p->payload = NULL; /* dangling now */
	p->l3 = NULL;
	return r;
}

static size_t eth_ipv4_tcp(uint8_t *b, size_t paylen)
{
	size_t n = eth(b, 0x0800);
	n += ipv4(b + n, 6, 20 + paylen, 0, 0, 0xc0a80001, 0x08080808);
	n += tcp(b + n, 40000, 443, VG_TCP_SYN | VG_TCP_ACK, paylen);
	return n;
}

/* Rule: Ethernet/IPv4/TCP fills addresses (mapped), ports, TCP fields,
 * payload, MACs, TTL, lengths. */
static void test_eth_ipv4_tcp(void **st)
{
	(void)st;
	uint8_t b[256];
	size_t n = eth_ipv4_tcp(b, 10);
	vg_pkt_t p;
	assert_int_equal(vg_decode(VG_LT_EN10MB, b, (uint32_t)n, &p), VG_DEC_OK);
	assert_int_equal(p.reason, VG_DEC_OK);
	assert_true(vg_ip_is4(&p.src));
	assert_int_equal(vg_ip_v4(&p.src), 0xc0a80001);
	assert_int_equal(vg_ip_v4(&p.dst), 0x08080808);
	assert_int_equal(p.ipver, 4);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.ttl, 64);
	assert_int_equal(p.ip_len, 50);
	assert_int_equal(p.sport, 40000);
	assert_int_equal(p.dport, 443);
	assert_int_equal(p.tcp_seq, 1000);
	assert_int_equal(p.tcp_ack, 2000);
	assert_int_equal(p.tcp_win, 4096);
	assert_int_equal(p.tcp_flags, VG_TCP_SYN | VG_TCP_ACK);
	assert_ptr_equal(p.payload, b + 54);
	assert_int_equal(p.payload_len, 10);
	assert_ptr_equal(p.l3, b + 14);
	assert_int_equal(p.l3_len, 50);
	assert_int_equal(p.flags, VG_PKT_F_MAC | VG_PKT_F_L4);
	assert_memory_equal(p.dst_mac, MAC_D, 6);
	assert_memory_equal(p.src_mac, MAC_S, 6);
	assert_int_equal(p.ethertype, 0x0800);
	assert_int_equal(p.frag, VG_FRAG_NONE);
	assert_int_equal(p.tunnel, VG_TUN_NONE);
}

/* Rule: Ethernet padding after the IP total length is not payload. */
static void test_padding_trimmed(void **st)
{
	(void)st;
	uint8_t b[256];
	size_t n = eth(b, 0x0800);
	n += ipv4(b + n, 17, 8 + 4, 0, 0, 1, 2);
	n += udp(b + n, 53, 5353, 4);
	memset(b + n, 0, 14); /* pad to 60 */
	vg_pkt_t p;
	assert_int_equal(dec(VG_LT_EN10MB, b, n + 14, &p), VG_DEC_OK);
	assert_int_equal(p.payload_len, 4);
	assert_int_equal(p.ip_len, 32);
	assert_int_equal(p.sport, 53);
	assert_int_equal(p.dport, 5353);
}

/* Rule: every prefix of Ethernet/IPv4/TCP decodes without crashing, with
 * the reason of the first incomplete header; a cut payload is SNAPPED. */
static void test_truncated_ipv4_tcp(void **st)
{
	(void)st;
	uint8_t b[256];
	size_t n = eth_ipv4_tcp(b, 10);
	for (size_t len = 0; len <= n; len++) {
		vg_pkt_t p;
		int r = dec(VG_LT_EN10MB, b, len, &p);
		int want = len < 14 ? VG_DEC_ETH_TRUNCATED
			   : len < 34 ? VG_DEC_IPV4_TRUNCATED
			   : len < 54 ? VG_DEC_TCP_TRUNCATED : VG_DEC_OK;
		assert_int_equal(r, want);
		if (r == VG_DEC_OK) {
			assert_int_equal(p.payload_len, len - 54);
			assert_int_equal(!!(p.flags & VG_PKT_F_SNAPPED), len < n);
		} else {
			assert_int_equal(p.flags & VG_PKT_F_L4, 0);
		}
	}
}

/* Rule: same for Ethernet/IPv6/UDP. */
static void test_truncated_ipv6_udp(void **st)
{
	(void)st;
	uint8_t b[256];
	size_t n = eth(b, 0x86dd);
	n += ipv6(b + n, 17, 8 + 6, 2);
	n += udp(b + n, 1234, 53, 6);
	for (size_t len = 0; len <= n; len++) {
		vg_pkt_t p;
		int r = dec(VG_LT_EN10MB, b, len, &p);
		int want = len < 14 ? VG_DEC_ETH_TRUNCATED
			   : len < 54 ? VG_DEC_IPV6_TRUNCATED
			   : len < 62 ? VG_DEC_UDP_TRUNCATED : VG_DEC_OK;
		assert_int_equal(r, want);
	}
	vg_pkt_t p;
	assert_int_equal(dec(VG_LT_EN10MB, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.ipver, 6);
	assert_int_equal(p.ttl, 55);
	assert_int_equal(p.src.a[0], 0x20);
	assert_int_equal(p.src.a[15], 1);
	assert_int_equal(p.dst.a[15], 2);
	assert_int_equal(p.sport, 1234);
	assert_int_equal(p.payload_len, 6);
	assert_int_equal(p.ip_len, 54);
}

/* Rule: 802.1Q, QinQ (88a8 outer + 8100 inner) keep the ids outer first;
 * more than 4 tags is vlan_too_many; a cut tag is vlan_truncated. */
static void test_vlan(void **st)
{
	(void)st;
	uint8_t b[256], ip[64];
	size_t il = ipv4(ip, 17, 8, 0, 0, 1, 2);
	il += udp(ip + il, 1, 2, 0);
	vg_pkt_t p;
	/* single tag */
	size_t n = eth(b, 0x8100);
	n += be16(b + n, 0x2064); /* prio 1, vid 100 */
	n += be16(b + n, 0x0800);
	memcpy(b + n, ip, il);
	assert_int_equal(dec(VG_LT_EN10MB, b, n + il, &p), VG_DEC_OK);
	assert_int_equal(p.n_vlan, 1);
	assert_int_equal(p.vlan[0], 100);
	assert_int_equal(p.ethertype, 0x8100);
	/* QinQ */
	n = eth(b, 0x88a8);
	n += be16(b + n, 10);
	n += be16(b + n, 0x8100);
	n += be16(b + n, 20);
	n += be16(b + n, 0x0800);
	memcpy(b + n, ip, il);
	assert_int_equal(dec(VG_LT_EN10MB, b, n + il, &p), VG_DEC_OK);
	assert_int_equal(p.n_vlan, 2);
	assert_int_equal(p.vlan[0], 10);
	assert_int_equal(p.vlan[1], 20);
	assert_int_equal(p.sport, 1);
	assert_int_equal(dec(VG_LT_EN10MB, b, 17, &p), VG_DEC_VLAN_TRUNCATED);
	assert_int_equal(dec(VG_LT_EN10MB, b, 20, &p), VG_DEC_VLAN_TRUNCATED);
	/* five tags */
	n = eth(b, 0x8100);
	for (int i = 0; i < 5; i++) {
		n += be16(b + n, (unsigned)i + 1);
		n += be16(b + n, i < 4 ? 0x8100 : 0x0800);
	}
	memcpy(b + n, ip, il);
	assert_int_equal(dec(VG_LT_EN10MB, b, n + il, &p), VG_DEC_VLAN_TOO_MANY);
	/* four tags are fine, two ids kept */
	n = eth(b, 0x9100);
	for (int i = 0; i < 4; i++) {
		n += be16(b + n, (unsigned)i + 1);
		n += be16(b + n, i < 3 ? 0x8100 : 0x0800);
	}
	memcpy(b + n, ip, il);
	assert_int_equal(dec(VG_LT_EN10MB, b, n + il, &p), VG_DEC_OK);
	assert_int_equal(p.n_vlan, 2);
	assert_int_equal(p.vlan[1], 2);
}

/* Rule: PPPoE session frames carry IPv4 (0x0021) and IPv6 (0x0057); other
 * PPP protocols are not IP; a cut PPPoE header is pppoe_truncated. */
static void test_pppoe(void **st)
{
	(void)st;
	uint8_t b[256];
	vg_pkt_t p;
	size_t n = eth(b, 0x8864);
	b[n++] = 0x11;
	b[n++] = 0;
	n += be16(b + n, 7);
	n += be16(b + n, 30);
	size_t pp = n;
	n += be16(b + n, 0x0021);
	n += ipv4(b + n, 17, 8, 0, 0, 3, 4);
	n += udp(b + n, 67, 68, 0);
	assert_int_equal(dec(VG_LT_EN10MB, b, n, &p), VG_DEC_OK);
	assert_int_equal(vg_ip_v4(&p.src), 3);
	assert_int_equal(p.dport, 68);
	for (size_t len = 14; len < pp + 2; len++)
		assert_int_equal(dec(VG_LT_EN10MB, b, len, &p), VG_DEC_PPPOE_TRUNCATED);
	be16(b + pp, 0xc021); /* LCP */
	assert_int_equal(dec(VG_LT_EN10MB, b, n, &p), VG_DEC_NOT_IP);
	n = pp;
	n += be16(b + n, 0x0057);
	n += ipv6(b + n, 17, 8, 9);
	n += udp(b + n, 546, 547, 0);
	assert_int_equal(dec(VG_LT_EN10MB, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.ipver, 6);
	assert_int_equal(p.dst.a[15], 9);
	assert_int_equal(p.dport, 547);
}

/* Rule: each supported link type reaches the same IPv4/UDP packet. */
static void test_linktypes(void **st)
{
	(void)st;
	uint8_t ip[64], b[128];
	size_t il = ipv4(ip, 17, 8 + 2, 0, 0, 0x0a000001, 0x0a000002);
	il += udp(ip + il, 5000, 6000, 2);
	uint8_t ip6[64];
	size_t il6 = ipv6(ip6, 17, 8, 3);
	il6 += udp(ip6 + il6, 7, 8, 0);
	vg_pkt_t p;
	int raws[] = {VG_LT_RAW_12, VG_LT_RAW_14, VG_LT_RAW, VG_LT_IPV4};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(dec(raws[i], ip, il, &p), VG_DEC_OK);
		assert_int_equal(vg_ip_v4(&p.dst), 0x0a000002);
		assert_int_equal(p.flags & VG_PKT_F_MAC, 0);
	}
	assert_int_equal(dec(VG_LT_RAW, ip6, il6, &p), VG_DEC_OK);
	assert_int_equal(p.ipver, 6);
	assert_int_equal(dec(VG_LT_IPV6, ip6, il6, &p), VG_DEC_OK);
	assert_int_equal(dec(VG_LT_IPV6, ip, il, &p), VG_DEC_IP_BAD_VERSION);
	assert_int_equal(dec(VG_LT_IPV4, ip6, il6, &p), VG_DEC_IP_BAD_VERSION);
	assert_int_equal(dec(VG_LT_RAW, ip, 0, &p), VG_DEC_IP_EMPTY);
	/* NULL / LOOP: AF_INET = 2 in either byte order; v6 AFs 24, 28, 30 */
	int lts[] = {VG_LT_NULL, VG_LT_LOOP};
	for (size_t i = 0; i < 2; i++) {
		be32(b, 2);
		memcpy(b + 4, ip, il);
		assert_int_equal(dec(lts[i], b, 4 + il, &p), VG_DEC_OK);
		assert_int_equal(p.sport, 5000);
		be32(b, 0x02000000);
		assert_int_equal(dec(lts[i], b, 4 + il, &p), VG_DEC_OK);
		uint32_t afs[] = {24, 28, 30, 0x18000000, 0x1e000000};
		for (size_t j = 0; j < 5; j++) {
			be32(b, afs[j]);
			memcpy(b + 4, ip6, il6);
			assert_int_equal(dec(lts[i], b, 4 + il6, &p), VG_DEC_OK);
			assert_int_equal(p.ipver, 6);
		}
		be32(b, 7);
		assert_int_equal(dec(lts[i], b, 4 + il6, &p), VG_DEC_NOT_IP);
		for (size_t len = 0; len < 4; len++)
			assert_int_equal(dec(lts[i], b, len, &p), VG_DEC_NULL_TRUNCATED);
	}
	/* Linux SLL: 14 bytes then protocol */
	memset(b, 0, 16);
	be16(b + 14, 0x0800);
	memcpy(b + 16, ip, il);
	assert_int_equal(dec(VG_LT_LINUX_SLL, b, 16 + il, &p), VG_DEC_OK);
	assert_int_equal(p.dport, 6000);
	for (size_t len = 0; len < 16; len++)
		assert_int_equal(dec(VG_LT_LINUX_SLL, b, len, &p), VG_DEC_SLL_TRUNCATED);
	be16(b + 14, 0x0806);
	assert_int_equal(dec(VG_LT_LINUX_SLL, b, 16 + il, &p), VG_DEC_NOT_IP);
	/* SLL2: protocol first, 20-byte header */
	memset(b, 0, 20);
	be16(b, 0x86dd);
	memcpy(b + 20, ip6, il6);
	assert_int_equal(dec(VG_LT_LINUX_SLL2, b, 20 + il6, &p), VG_DEC_OK);
	assert_int_equal(p.ipver, 6);
	assert_int_equal(p.dport, 8);
	for (size_t len = 0; len < 20; len++)
		assert_int_equal(dec(VG_LT_LINUX_SLL2, b, len, &p), VG_DEC_SLL_TRUNCATED);
	/* ARP, 802.3 length frames, unknown link types */
	size_t n = eth(b, 0x0806);
	memset(b + n, 0, 28);
	assert_int_equal(dec(VG_LT_EN10MB, b, n + 28, &p), VG_DEC_NOT_IP);
	assert_true(p.flags & VG_PKT_F_MAC);
	eth(b, 0x0040);
	assert_int_equal(dec(VG_LT_EN10MB, b, n + 28, &p), VG_DEC_NOT_IP);
	assert_int_equal(dec(105, b, n + 28, &p), VG_DEC_UNSUPPORTED_LINKTYPE);
	assert_int_equal(vg_linktype_supported(105), 0);
	assert_int_equal(vg_linktype_supported(276), 1);
	assert_int_equal(vg_decode(VG_LT_EN10MB, NULL, 0, &p), VG_DEC_ETH_TRUNCATED);
}

/* Rule: IPv4 options are skipped by IHL; IHL < 5, total length < header,
 * and header (with options) beyond the capture give their reasons. */
static void test_ipv4_options_and_errors(void **st)
{
	(void)st;
	uint8_t b[256];
	vg_pkt_t p;
	for (size_t opt = 4; opt <= 40; opt += 12) {
		size_t n = ipv4(b, 6, 20, opt, 0, 1, 2);
		n += tcp(b + n, 11, 22, VG_TCP_ACK, 0);
		assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
		assert_int_equal(p.sport, 11);
		assert_int_equal(p.dport, 22);
		assert_int_equal(p.tcp_flags, VG_TCP_ACK);
		assert_int_equal(dec(VG_LT_RAW, b, 20 + opt - 1, &p), VG_DEC_IPV4_TRUNCATED);
	}
	size_t n = ipv4(b, 6, 20, 0, 0, 1, 2);
	n += tcp(b + n, 11, 22, 0, 0);
	b[0] = 0x44;
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_IPV4_BAD_HLEN);
	b[0] = 0x45;
	be16(b + 2, 19);
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_IPV4_BAD_TOTAL_LEN);
	be16(b + 2, 0);
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_IPV4_BAD_TOTAL_LEN);
	be16(b + 2, 1000); /* claims more than captured: snapped, still decoded */
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
	assert_true(p.flags & VG_PKT_F_SNAPPED);
	assert_int_equal(p.ip_len, 1000);
	/* TCP data offset < 5, and beyond the IP payload */
	be16(b + 2, 40);
	b[32] = 4 << 4;
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_TCP_BAD_HLEN);
	b[32] = 6 << 4;
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_TCP_BAD_HLEN);
	/* TCP options cut by the capture while the IP length covers them */
	be16(b + 2, 44);
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_TCP_TRUNCATED);
	/* UDP length > IP payload, < 8 */
	n = ipv4(b, 17, 8, 0, 0, 1, 2);
	n += udp(b + n, 1, 2, 0);
	be16(b + 24, 9);
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_UDP_BAD_LEN);
	be16(b + 24, 7);
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_UDP_BAD_LEN);
	/* ICMP and SCTP short */
	n = ipv4(b, 1, 3, 0, 0, 1, 2);
	assert_int_equal(dec(VG_LT_RAW, b, n + 3, &p), VG_DEC_ICMP_TRUNCATED);
	n = ipv4(b, 132, 11, 0, 0, 1, 2);
	assert_int_equal(dec(VG_LT_RAW, b, n + 11, &p), VG_DEC_SCTP_TRUNCATED);
	/* ICMP type/code become sport/dport */
	n = ipv4(b, 1, 8, 0, 0, 1, 2);
	memset(b + n, 0, 8);
	b[n] = 8;
	assert_int_equal(dec(VG_LT_RAW, b, n + 8, &p), VG_DEC_OK);
	assert_int_equal(p.icmp_type, 8);
	assert_int_equal(p.sport, 8);
	assert_int_equal(p.dport, 0);
	assert_true(p.flags & VG_PKT_F_L4);
	/* SCTP ports */
	n = ipv4(b, 132, 12, 0, 0, 1, 2);
	memset(b + n, 0, 12);
	be16(b + n, 7);
	be16(b + n + 2, 9);
	assert_int_equal(dec(VG_LT_RAW, b, n + 12, &p), VG_DEC_OK);
	assert_int_equal(p.sport, 7);
	assert_int_equal(p.dport, 9);
	/* bad version nibble */
	b[0] = 0x55;
	assert_int_equal(dec(VG_LT_RAW, b, n + 12, &p), VG_DEC_IP_BAD_VERSION);
}

/* Rule: IPv6 hop-by-hop, destination options, routing and AH are skipped
 * to the transport header; more than 8 is too many; a cut one is
 * ipv6_ext_truncated. */
static void test_ipv6_ext(void **st)
{
	(void)st;
	uint8_t b[512];
	vg_pkt_t p;
	size_t n = ipv6(b, 0, 0, 1);
	/* HBH (8) -> DSTOPTS (16) -> ROUTING (8) -> AH (12) -> TCP */
	b[n] = 60; b[n + 1] = 0; memset(b + n + 2, 1, 6); n += 8;
	b[n] = 43; b[n + 1] = 1; memset(b + n + 2, 1, 14); n += 16;
	b[n] = 51; b[n + 1] = 0; memset(b + n + 2, 0, 6); n += 8;
	b[n] = 6; b[n + 1] = 1; memset(b + n + 2, 0, 10); n += 12;
	size_t ext = n - 40;
	n += tcp(b + n, 80, 8080, VG_TCP_FIN, 3);
	be16(b + 4, (unsigned)(n - 40));
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.sport, 80);
	assert_int_equal(p.dport, 8080);
	assert_int_equal(p.payload_len, 3);
	for (size_t len = 41; len < 40 + ext; len++)
		assert_int_equal(dec(VG_LT_RAW, b, len, &p), VG_DEC_IPV6_EXT_TRUNCATED);
	/* nine destination-options headers */
	n = ipv6(b, 60, 9 * 8 + 8, 1);
	for (int i = 0; i < 9; i++) {
		b[n] = i < 8 ? 60 : 17;
		b[n + 1] = 0;
		memset(b + n + 2, 1, 6);
		n += 8;
	}
	n += udp(b + n, 1, 2, 0);
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_IPV6_TOO_MANY_EXT);
	/* no next header */
	n = ipv6(b, 59, 0, 1);
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.proto, 59);
	assert_int_equal(p.flags & VG_PKT_F_L4, 0);
}

/* Rule: first fragments give ports and frag=FIRST; later fragments give
 * frag=LATER and no L4; IPv4 and IPv6 alike. */
static void test_fragments(void **st)
{
	(void)st;
	uint8_t b[256];
	vg_pkt_t p;
	size_t n = ipv4(b, 17, 8 + 16, 0, 0x2000, 1, 2); /* MF, offset 0 */
	n += udp(b + n, 1111, 2222, 16);
	be16(b + 24, 8 + 1000); /* UDP length of the whole datagram */
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.frag, VG_FRAG_FIRST);
	assert_int_equal(p.sport, 1111);
	assert_int_equal(p.payload_len, 16);
	be16(b + 6, 0x2000 | 3); /* offset 24 */
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.frag, VG_FRAG_LATER);
	assert_int_equal(p.sport, 0);
	assert_int_equal(p.flags & VG_PKT_F_L4, 0);
	assert_int_equal(p.payload_len, 24);
	/* first fragment too short for the TCP header: ok, no ports */
	n = ipv4(b, 6, 8, 0, 0x2000, 1, 2);
	memset(b + n, 0, 8);
	assert_int_equal(dec(VG_LT_RAW, b, n + 8, &p), VG_DEC_OK);
	assert_int_equal(p.flags & VG_PKT_F_L4, 0);
	/* IPv6 fragment header */
	n = ipv6(b, 44, 8 + 8 + 4, 1);
	b[n] = 17; b[n + 1] = 0;
	be16(b + n + 2, 0x0001); /* offset 0, M */
	be32(b + n + 4, 99);
	n += 8;
	n += udp(b + n, 3333, 4444, 4);
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.frag, VG_FRAG_FIRST);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.dport, 4444);
	be16(b + 42, 0x0010); /* offset 2 (16 bytes) */
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.frag, VG_FRAG_LATER);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.flags & VG_PKT_F_L4, 0);
}

/* Rule: GRE (IPv4 and transparent Ethernet), VXLAN, Teredo and 6in4 are
 * decoded to the inner packet and flagged; the outer MAC stays. */
static void test_tunnels(void **st)
{
	(void)st;
	uint8_t b[512], in[128];
	vg_pkt_t p;
	size_t il = ipv4(in, 6, 20, 0, 0, 0x0b000001, 0x0b000002);
	il += tcp(in + il, 1025, 23, VG_TCP_SYN, 0);
	/* GRE with key: IPv4 */
	size_t n = eth(b, 0x0800);
	n += ipv4(b + n, 47, 8 + il, 0, 0, 1, 2);
	n += be16(b + n, 0x2000);
	n += be16(b + n, 0x0800);
	n += be32(b + n, 42);
	memcpy(b + n, in, il);
	assert_int_equal(dec(VG_LT_EN10MB, b, n + il, &p), VG_DEC_OK);
	assert_int_equal(p.tunnel, VG_TUN_GRE);
	assert_int_equal(p.depth, 1);
	assert_int_equal(vg_ip_v4(&p.src), 0x0b000001);
	assert_int_equal(p.dport, 23);
	assert_memory_equal(p.src_mac, MAC_S, 6);
	/* GRE version 1 is left alone */
	b[14 + 20 + 1] = 1;
	assert_int_equal(dec(VG_LT_EN10MB, b, n + il, &p), VG_DEC_OK);
	assert_int_equal(p.tunnel, VG_TUN_NONE);
	assert_int_equal(p.proto, 47);
	/* GRE transparent Ethernet bridging */
	n = ipv4(b, 47, 4 + 14 + il, 0, 0, 1, 2);
	n += be16(b + n, 0);
	n += be16(b + n, 0x6558);
	n += eth(b + n, 0x0800);
	memcpy(b + n, in, il);
	assert_int_equal(dec(VG_LT_RAW, b, n + il, &p), VG_DEC_OK);
	assert_int_equal(p.tunnel, VG_TUN_GRE);
	assert_int_equal(p.sport, 1025);
	assert_int_equal(p.flags & VG_PKT_F_MAC, 0);
	/* VXLAN */
	n = ipv4(b, 17, 8 + 8 + 14 + il, 0, 0, 1, 2);
	n += udp(b + n, 55555, 4789, 8 + 14 + il);
	size_t vx = n - (8 + 14 + il);
	memset(b + vx, 0, 8);
	b[vx] = 0x08;
	eth(b + vx + 8, 0x0800);
	memcpy(b + vx + 22, in, il);
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.tunnel, VG_TUN_VXLAN);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.dport, 23);
	b[vx] = 0; /* I flag clear: stays outer UDP */
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.tunnel, VG_TUN_NONE);
	assert_int_equal(p.dport, 4789);
	/* Teredo with origin indication, inner IPv6/UDP */
	uint8_t i6[128];
	size_t l6 = ipv6(i6, 17, 8 + 2, 7);
	l6 += udp(i6 + l6, 9, 10, 2);
	n = ipv4(b, 17, 8 + 8 + l6, 0, 0, 1, 2);
	n += udp(b + n, 3544, 40000, 8 + l6);
	size_t te = n - 8 - l6;
	memset(b + te, 0, 8);
	memcpy(b + te + 8, i6, l6);
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.tunnel, VG_TUN_TEREDO);
	assert_int_equal(p.ipver, 6);
	assert_int_equal(p.dst.a[15], 7);
	assert_int_equal(p.dport, 10);
	/* UDP 3544 that is not Teredo stays UDP */
	memset(b + te, 0x45, 8 + l6);
	assert_int_equal(dec(VG_LT_RAW, b, n, &p), VG_DEC_OK);
	assert_int_equal(p.tunnel, VG_TUN_NONE);
	assert_int_equal(p.sport, 3544);
	assert_int_equal(p.payload_len, 8 + l6);
	/* 6in4 */
	n = ipv4(b, 41, l6, 0, 0, 1, 2);
	memcpy(b + n, i6, l6);
	assert_int_equal(dec(VG_LT_RAW, b, n + l6, &p), VG_DEC_OK);
	assert_int_equal(p.tunnel, VG_TUN_IPIP);
	assert_int_equal(p.ipver, 6);
	/* every prefix of a tunnelled frame is safe */
	for (size_t len = 0; len < n + l6; len++)
		dec(VG_LT_RAW, b, len, &p);
}

/* Rule: nesting stops after VG_DEC_MAX_DEPTH levels: the deepest packet
 * decoded is then the IP-in-IP one. */
static void test_tunnel_depth(void **st)
{
	(void)st;
	uint8_t b[512];
	vg_pkt_t p;
	size_t hdr = 0, levels = 5;
	uint8_t inner[64];
	size_t il = ipv4(inner, 17, 8, 0, 0, 0x63000001, 0x63000002);
	il += udp(inner + il, 1, 2, 0);
	for (size_t i = 0; i < levels; i++)
		hdr += ipv4(b + hdr, 4, (levels - i - 1) * 20 + il, 0, 0, (uint32_t)i + 1, 100);
	memcpy(b + hdr, inner, il);
	assert_int_equal(dec(VG_LT_RAW, b, hdr + il, &p), VG_DEC_OK);
	assert_int_equal(p.depth, VG_DEC_MAX_DEPTH);
	assert_int_equal(p.tunnel, VG_TUN_IPIP);
	assert_int_equal(vg_ip_v4(&p.src), VG_DEC_MAX_DEPTH + 1);
	assert_int_equal(p.proto, 4);
}

/* Rule: every reason has a distinct snake_case name; out of range is
 * "unknown". */
static void test_reason_names(void **st)
{
	(void)st;
	for (int i = 0; i < VG_DEC_REASON_MAX; i++) {
		const char *a = vg_decode_reason_name(i);
		assert_string_not_equal(a, "unknown");
		for (const char *c = a; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_');
		for (int j = 0; j < i; j++)
			assert_string_not_equal(a, vg_decode_reason_name(j));
	}
	assert_string_equal(vg_decode_reason_name(VG_DEC_IPV4_BAD_HLEN), "ipv4_bad_header_length");
	assert_string_equal(vg_decode_reason_name(VG_DEC_NOT_IP), "not_ip");
	assert_string_equal(vg_decode_reason_name(-1), "unknown");
	assert_string_equal(vg_decode_reason_name(VG_DEC_REASON_MAX), "unknown");
	vg_decode_stats_t s = {0};
	vg_decode_count(&s, VG_DEC_OK);
	vg_decode_count(&s, VG_DEC_NOT_IP);
	vg_decode_count(&s, 999);
	assert_int_equal(s.pkts, 3);
	assert_int_equal(s.reason[VG_DEC_OK], 1);
	assert_int_equal(s.reason[VG_DEC_NOT_IP], 1);
}

/* Rule: in suricata-verify decode-teredo-01 exactly frames 6, 7, 30, 31
 * are Teredo (as tshark says) and decode to the inner IPv6 packet; every
 * other frame decodes without a tunnel. */
static void test_teredo_pcap(void **st)
{
	(void)st;
	char *paths[] = {"tests/data/suricata-verify/decode-teredo-01/input.pcap"};
	vg_src_t *s;
	char err[256];
	assert_int_equal(vg_src_open_files(&s, paths, 1, NULL, err, sizeof err), 0);
	vg_raw_pkt_t rp;
	int teredo = 0;
	while (vg_src_next(s, &rp) == 1) {
		vg_pkt_t p;
		int r = vg_decode(rp.linktype, rp.data, rp.caplen, &p);
		assert_int_equal(r, VG_DEC_OK);
		int want = rp.pcap_cnt == 6 || rp.pcap_cnt == 7 || rp.pcap_cnt == 30 ||
			   rp.pcap_cnt == 31;
		assert_int_equal(p.tunnel == VG_TUN_TEREDO, want);
		if (!want)
			continue;
		teredo++;
		assert_int_equal(p.ipver, 6);
		assert_int_equal(p.depth, 1);
		if (rp.pcap_cnt == 30) {
			vg_ip_t a;
			assert_int_equal(vg_ip_parse("2001:4860:0:2001::68", 20, &a), 0);
			assert_memory_equal(p.dst.a, a.a, 16);
			assert_int_equal(p.proto, 58);
		}
		if (rp.pcap_cnt == 31)
			assert_int_equal(p.proto, 59);
	}
	assert_int_equal(teredo, 4);
	vg_src_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_eth_ipv4_tcp),
	    cmocka_unit_test(test_padding_trimmed),
	    cmocka_unit_test(test_truncated_ipv4_tcp),
	    cmocka_unit_test(test_truncated_ipv6_udp),
	    cmocka_unit_test(test_vlan),
	    cmocka_unit_test(test_pppoe),
	    cmocka_unit_test(test_linktypes),
	    cmocka_unit_test(test_ipv4_options_and_errors),
	    cmocka_unit_test(test_ipv6_ext),
	    cmocka_unit_test(test_fragments),
	    cmocka_unit_test(test_tunnels),
	    cmocka_unit_test(test_tunnel_depth),
	    cmocka_unit_test(test_reason_names),
	    cmocka_unit_test(test_teredo_pcap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
