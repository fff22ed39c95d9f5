/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net/decode.h — link, network and transport header decoding.
 *
 * vg_decode() turns the captured bytes of one frame into a flat vg_pkt_t:
 * addresses, ports, TCP header fields, payload pointer.  No allocation, no
 * locks, no formatting: it is the first step of the hot path.  Pointers in
 * vg_pkt_t borrow the caller's frame buffer and are valid as long as it is.
 *
 * Tunnels (IP-in-IP, 6in4, GRE v0, VXLAN on UDP 4789, Teredo on UDP 3544)
 * are decoded to the innermost packet, at most VG_DEC_MAX_DEPTH levels
 * deep; when the inner packet does not decode, the outer one is kept (so
 * "UDP 3544 that is not Teredo" stays a plain UDP packet).  The MAC
 * addresses and VLAN ids are those of the outermost (wire) frame.
 */
#ifndef VG_NET_DECODE_H
#define VG_NET_DECODE_H

#include <stdint.h>

#include "vigil/common.h"

/* Link types (pcap LINKTYPE_ / DLT_ values) that vg_decode understands. */
enum vg_linktype {
	VG_LT_NULL = 0,       /* BSD loopback, AF in host order of the capturer */
	VG_LT_EN10MB = 1,     /* Ethernet */
	VG_LT_RAW_12 = 12,    /* DLT_RAW on most systems */
	VG_LT_RAW_14 = 14,    /* DLT_RAW on OpenBSD */
	VG_LT_RAW = 101,      /* LINKTYPE_RAW */
	VG_LT_LOOP = 108,     /* OpenBSD loopback, AF in network order */
	VG_LT_LINUX_SLL = 113,
	VG_LT_IPV4 = 228,
	VG_LT_IPV6 = 229,
	VG_LT_LINUX_SLL2 = 276
};

/*
 * Why a frame did not produce an IP packet.  VG_DEC_OK is success;
 * VG_DEC_NOT_IP is not an error (ARP, LLDP, ...) and should be counted apart
 * from the malformed ones.  vg_decode_reason_name() gives snake_case names
 * usable as JSON keys.
 */
enum vg_dec_reason {
	VG_DEC_OK = 0,
	VG_DEC_NOT_IP,               /* valid frame, not IPv4/IPv6 */
	VG_DEC_UNSUPPORTED_LINKTYPE, /* link type not handled */
	VG_DEC_ETH_TRUNCATED,        /* shorter than an Ethernet header */
	VG_DEC_VLAN_TRUNCATED,       /* 802.1Q/802.1ad tag cut off */
	VG_DEC_VLAN_TOO_MANY,        /* more than VG_DEC_MAX_VLAN_TAGS tags */
	VG_DEC_PPPOE_TRUNCATED,      /* PPPoE session/PPP header cut off */
	VG_DEC_SLL_TRUNCATED,        /* Linux cooked (v1/v2) header cut off */
	VG_DEC_NULL_TRUNCATED,       /* NULL/LOOP 4-byte family cut off */
	VG_DEC_IP_EMPTY,             /* no bytes where an IP header belongs */
	VG_DEC_IP_BAD_VERSION,       /* IP version nibble does not match */
	VG_DEC_IPV4_TRUNCATED,       /* IPv4 header (incl. options) cut off */
	VG_DEC_IPV4_BAD_HLEN,        /* IHL < 5 */
	VG_DEC_IPV4_BAD_TOTAL_LEN,   /* total length < header length */
	VG_DEC_IPV6_TRUNCATED,       /* fixed 40-byte header cut off */
	VG_DEC_IPV6_EXT_TRUNCATED,   /* an extension header cut off */
	VG_DEC_IPV6_TOO_MANY_EXT,    /* more than VG_DEC_MAX_IPV6_EXT */
	VG_DEC_TCP_TRUNCATED,        /* fewer than 20 bytes or options cut off */
	VG_DEC_TCP_BAD_HLEN,         /* data offset < 5 or beyond the IP payload */
	VG_DEC_UDP_TRUNCATED,        /* fewer than 8 bytes */
	VG_DEC_UDP_BAD_LEN,          /* UDP length < 8 or > IP payload */
	VG_DEC_ICMP_TRUNCATED,       /* fewer than 4 bytes of ICMP/ICMPv6 */
	VG_DEC_SCTP_TRUNCATED,       /* fewer than 12 bytes of SCTP */
	VG_DEC_REASON_MAX
};

#define VG_DEC_MAX_DEPTH 3     /* tunnel levels decoded below the outer IP */
#define VG_DEC_MAX_VLAN_TAGS 4 /* tags accepted (ids kept: 2) */
#define VG_DEC_MAX_IPV6_EXT 8  /* IPv6 extension headers accepted */

/* vg_pkt_t.frag */
enum vg_frag { VG_FRAG_NONE = 0, VG_FRAG_FIRST = 1, VG_FRAG_LATER = 2 };

/* vg_pkt_t.tunnel: the outermost encapsulation that was removed */
enum vg_tunnel {
	VG_TUN_NONE = 0,
	VG_TUN_IPIP = 1,   /* IPv4 or IPv6 directly in IPv4/IPv6 (proto 4/41) */
	VG_TUN_GRE = 2,    /* GRE version 0 */
	VG_TUN_VXLAN = 3,  /* UDP 4789 */
	VG_TUN_TEREDO = 4  /* UDP 3544 */
};

/* vg_pkt_t.flags */
#define VG_PKT_F_MAC 0x01     /* src_mac/dst_mac are set (Ethernet) */
#define VG_PKT_F_L4 0x02      /* sport/dport (or ICMP type/code) are valid */
#define VG_PKT_F_SNAPPED 0x04 /* captured fewer bytes than the IP length says:
			       * headers are complete, payload is cut short */

/* TCP flag bits in vg_pkt_t.tcp_flags */
#define VG_TCP_FIN 0x01
#define VG_TCP_SYN 0x02
#define VG_TCP_RST 0x04
#define VG_TCP_PSH 0x08
#define VG_TCP_ACK 0x10
#define VG_TCP_URG 0x20
#define VG_TCP_ECE 0x40
#define VG_TCP_CWR 0x80

/*
 * One decoded packet.  All fields are zero unless set; addresses and ports
 * belong to the innermost decoded IP packet.  For ICMP/ICMPv6, sport holds
 * the type and dport the code (as Suricata and Community ID do).
 */
typedef struct vg_pkt {
	vg_ip_t src, dst;       /* IPv4 as IPv4-mapped */
	const uint8_t *l3;      /* innermost IP header (borrowed) */
	const uint8_t *payload; /* L4 payload (borrowed), NULL if none */
	uint32_t l3_len;        /* bytes of the IP packet available at l3 */
	uint32_t payload_len;   /* captured payload bytes at payload */
	uint32_t ip_len;        /* IP length from the header (v4 total length,
				 * v6 40 + payload length) */
	uint32_t tcp_seq, tcp_ack;
	uint16_t sport, dport;
	uint16_t tcp_win;
	uint16_t vlan[2];       /* outermost first; n_vlan says how many */
	uint16_t ethertype;     /* of the outermost frame (0 for raw IP) */
	uint8_t n_vlan;         /* 0..2 ids stored */
	uint8_t ipver;          /* 4 or 6 (innermost), 0 when not IP */
	uint8_t proto;          /* L4 protocol after IPv6 extension headers */
	uint8_t ttl;            /* TTL or hop limit */
	uint8_t tcp_flags;      /* VG_TCP_* */
	uint8_t icmp_type, icmp_code;
	uint8_t frag;           /* enum vg_frag */
	uint8_t tunnel;         /* enum vg_tunnel (outermost layer removed) */
	uint8_t depth;          /* tunnel levels removed */
	uint8_t flags;          /* VG_PKT_F_* */
	uint8_t reason;         /* enum vg_dec_reason, same as the return value */
	uint8_t src_mac[6], dst_mac[6];
} vg_pkt_t;

/* Counters by decode result; index with enum vg_dec_reason. */
typedef struct vg_decode_stats {
	uint64_t pkts;                     /* frames given to vg_decode */
	uint64_t reason[VG_DEC_REASON_MAX]; /* [VG_DEC_OK] = decoded IP */
} vg_decode_stats_t;

/*
 * vg_decode: decode caplen bytes at data captured with link type linktype
 * into *p (fully overwritten).  Returns VG_DEC_OK (0) when p holds an IP
 * packet, otherwise the enum vg_dec_reason (> 0) explaining why not (p is
 * then partially filled: link fields, maybe addresses).  Never reads past
 * caplen, never allocates; thread-safe (no shared state).
 */
int vg_decode(int linktype, const uint8_t *data, uint32_t caplen, vg_pkt_t *p);

/* vg_decode_count: add one frame with result reason to st. */
static inline void vg_decode_count(vg_decode_stats_t *st, int reason)
{
	st->pkts++;
	if (reason >= 0 && reason < VG_DEC_REASON_MAX)
		st->reason[reason]++;
}

/* vg_decode_reason_name: static snake_case name of a reason ("ok",
 * "not_ip", "ipv4_truncated", ...); "unknown" when out of range. */
const char *vg_decode_reason_name(int reason);

/* vg_linktype_supported: true when vg_decode handles linktype. */
int vg_linktype_supported(int linktype);

#endif
