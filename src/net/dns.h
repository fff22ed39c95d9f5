/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dns.h — bounded DNS message parser (RFC 1035) for the watch engine.
 *
 * The caller owns a vg_dns_msg_t (about 24 KiB: keep one per thread, not on a
 * small stack) and passes it to vg_dns_parse() for each UDP payload (or each
 * TCP message, see vg_dns_parse_tcp()).  Nothing is allocated.  All names are
 * decoded into out->scratch as NUL-terminated strings and referenced by byte
 * offset; use vg_dns_str(out, off) to get a C string.  Offsets stay valid when
 * the struct is copied.
 *
 * Name rendering follows Suricata's EVE output:
 *   - labels joined with '.', label bytes copied as they are (a '.' inside a
 *     label is NOT escaped, as in Suricata);
 *   - bytes outside 0x20..0x7e are written as "\xNN" (lowercase hex).  Suricata
 *     writes bytes >= 0x80 that way when the name is not valid UTF-8 and leaves
 *     ASCII control bytes to its JSON encoder; we always escape so that the
 *     strings are safe C strings (a NUL byte cannot cut a name short);
 *   - the root name (empty) is "<root>";
 *   - names are cut at VG_DNS_NAME_MAX (1025) characters, Suricata's limit
 *     (suricata-verify dns-truncated-rname expects rrname length 1025 and
 *     rrname_truncated true), and the record's *_trunc flag is set.
 *
 * Compression pointers may point forward or backward anywhere in the message;
 * at most VG_DNS_MAX_JUMPS pointers are followed per name (loop guard: a name
 * that loops is returned cut, with trunc set, since its end in the message is
 * known after the first pointer).  Work is bounded: after a pointer at most
 * VG_DNS_MAX_SEGS labels per name (Suricata's limit), and at most
 * VG_DNS_BUDGET label/pointer steps per message.
 */
#ifndef VG_NET_DNS_H
#define VG_NET_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"

#define VG_DNS_MAX_Q 8        /* queries stored */
#define VG_DNS_MAX_AN 32      /* answers stored */
#define VG_DNS_MAX_EXTRA 16   /* authority + additional records stored */
#define VG_DNS_NAME_MAX 1025  /* rendered name length cap (Suricata) */
#define VG_DNS_MAX_JUMPS 32   /* compression pointers followed per name */
#define VG_DNS_MAX_SEGS 255   /* labels+pointers per name after a pointer */
#define VG_DNS_BUDGET 65536   /* label/pointer steps per message: beyond it
				 parsing stops as if the data were corrupt */
#define VG_DNS_SCRATCH 16384  /* bytes of name storage per message */
#define VG_DNS_TXT_MAX 255    /* TXT first string, rendered, cap */

/* Record types (subset) and classes. */
enum {
	VG_DNS_T_A = 1,
	VG_DNS_T_NS = 2,
	VG_DNS_T_CNAME = 5,
	VG_DNS_T_SOA = 6,
	VG_DNS_T_PTR = 12,
	VG_DNS_T_MX = 15,
	VG_DNS_T_TXT = 16,
	VG_DNS_T_AAAA = 28,
	VG_DNS_T_SRV = 33,
	VG_DNS_T_OPT = 41,
	VG_DNS_T_SVCB = 64,
	VG_DNS_T_HTTPS = 65,
	VG_DNS_T_ANY = 255
};

/* What rdata a record carries (vg_dns_rr_t.rdkind). */
enum vg_dns_rdkind {
	VG_DNS_RD_NONE = 0, /* not decoded (unknown type or bad length) */
	VG_DNS_RD_IP = 1,   /* A (rdlen 4) / AAAA (rdlen 16): rr.ip */
	VG_DNS_RD_NAME = 2, /* CNAME, PTR, NS, SOA (mname), MX, SRV: rr.target */
	VG_DNS_RD_TXT = 3   /* TXT: rr.target = first string, escaped */
};

/* Section of a record in vg_dns_msg_t.extra[] and .err_section. */
enum vg_dns_section {
	VG_DNS_SEC_NONE = 0,
	VG_DNS_SEC_QUESTION = 1,
	VG_DNS_SEC_ANSWER = 2,
	VG_DNS_SEC_AUTHORITY = 3,
	VG_DNS_SEC_ADDITIONAL = 4
};

typedef struct vg_dns_q {
	uint32_t name; /* offset in scratch */
	uint16_t type, rclass;
	bool name_trunc; /* name cut (length cap, pointer loop, scratch full) */
} vg_dns_q_t;

typedef struct vg_dns_rr {
	uint32_t name; /* owner name, offset in scratch */
	uint16_t type, rclass;
	uint32_t ttl;
	uint16_t rdlen;
	uint8_t rdkind;  /* enum vg_dns_rdkind */
	uint8_t section; /* enum vg_dns_section */
	bool name_trunc, target_trunc;
	vg_ip_t ip;      /* RD_IP: A stored IPv4-mapped */
	uint32_t target; /* RD_NAME/RD_TXT: offset in scratch */
	uint16_t prio;   /* MX preference, SRV priority */
	uint16_t weight; /* SRV */
	uint16_t port;   /* SRV */
} vg_dns_rr_t;

typedef struct vg_dns_msg {
	uint16_t id;
	uint16_t flags; /* raw 16-bit flags word (EVE dns.flags as %04x) */
	bool qr, aa, tc, rd, ra, ad, cd;
	uint8_t opcode, rcode;
	uint16_t qdcount, ancount, nscount, arcount; /* header counts */
	uint8_t n_q, n_an, n_extra;                   /* stored entries */
	bool more;        /* more queries/answers/extras than stored */
	bool any_trunc;   /* some stored name was cut */
	uint8_t err_section; /* 0, or the section where parsing stopped */
	vg_dns_q_t q[VG_DNS_MAX_Q];
	vg_dns_rr_t an[VG_DNS_MAX_AN];
	vg_dns_rr_t extra[VG_DNS_MAX_EXTRA]; /* authority then additional */
	uint32_t scratch_used;
	char scratch[VG_DNS_SCRATCH];
} vg_dns_msg_t;

/* vg_dns_str: the NUL-terminated string at offset off of m's scratch. */
static inline const char *vg_dns_str(const vg_dns_msg_t *m, uint32_t off)
{
	return off < VG_DNS_SCRATCH ? m->scratch + off : "";
}

/*
 * vg_dns_parse: parse one DNS message of len bytes (a UDP payload).
 * Returns 0 when the header and the whole question section parsed; then
 * out->err_section is 0 or the section (ANSWER/AUTHORITY/ADDITIONAL) where
 * a corrupt record stopped parsing; everything before it is in out (queries
 * and answers survive a corrupt additional section, as in Suricata).
 * Returns VG_EFORMAT when the header is short or a question is corrupt
 * (out->n_q then holds the queries that did parse), VG_EINVAL on NULL args.
 * Never reads outside msg[0..len).
 */
int vg_dns_parse(const uint8_t *msg, size_t len, vg_dns_msg_t *out);

/*
 * vg_dns_parse_tcp: parse the first message of a DNS-over-TCP stream chunk
 * (2-byte big-endian length then the message).  *consumed gets 2 + length.
 * Returns VG_EAGAIN (and *consumed = 0) if buf does not hold the whole
 * message yet, VG_EFORMAT if the length is < 12, otherwise as vg_dns_parse().
 */
int vg_dns_parse_tcp(const uint8_t *buf, size_t len, vg_dns_msg_t *out, size_t *consumed);

/*
 * vg_dns_looks_like: cheap heuristic for DNS on a non-standard port: a sane
 * header (opcode 0/1/2/4/5, 1..8 questions, counts <= 512) and a first question
 * whose name decodes and whose class is IN/CH/HS/ANY (or mDNS 0x8001).
 */
bool vg_dns_looks_like(const uint8_t *msg, size_t len);

/* vg_dns_type_name: "A", "AAAA", "CNAME", ... or NULL for an unknown type. */
const char *vg_dns_type_name(uint16_t type);
/* vg_dns_type_str: vg_dns_type_name(type), or "TYPE<n>" written into buf. */
const char *vg_dns_type_str(uint16_t type, char buf[16]);
/* vg_dns_rcode_name: "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", ... or
 * NULL for an unknown rcode. */
const char *vg_dns_rcode_name(uint8_t rcode);

#endif
