// SPDX-License-Identifier: Apache-2.0
/*
 * dns.c — DNS message parser used by the watch engine on UDP/53 payloads (and
 * on DNS-over-TCP messages) to extract query names and answer data.
 *
 * Design: one pass over the message with the bounds-checked reader (rd.h).
 * Names are rendered straight into the caller's fixed scratch area; a name
 * that does not fit is cut and flagged.  Compression pointers are followed
 * through a separate reader positioned over the whole message, so forward
 * pointers work; at most VG_DNS_MAX_JUMPS pointers per name (loop guard).
 * Once a pointer has been followed the end of the name in the record stream
 * is known, so a looping name is returned cut instead of failing the record.
 * Invariants: no allocation, no recursion, every byte read through vg_rd_*,
 * scratch offsets always < VG_DNS_SCRATCH and NUL-terminated.
 * Thread-safety: reentrant; the output struct is the only state.
 */
#include "net/dns.h"

#include <string.h>

#include "lib/rd.h"

/* Name writer: renders into out->scratch, capped at VG_DNS_NAME_MAX chars. */
typedef struct namew {
	vg_dns_msg_t *m; /* NULL: skip mode, nothing stored */
	uint32_t start;
	uint32_t n; /* chars written */
	bool trunc;
} namew_t;

static void nw_begin(namew_t *w, vg_dns_msg_t *m)
{
	w->m = m;
	w->n = 0;
	w->trunc = false;
	w->start = m ? m->scratch_used : 0;
	if (m && m->scratch_used >= VG_DNS_SCRATCH) {
		/* scratch exhausted: point at the terminating NUL of the area */
		w->start = VG_DNS_SCRATCH - 1;
		w->trunc = true;
	}
}

/* Append s[0..k) atomically (an escape is never split). */
static void nw_put(namew_t *w, const char *s, uint32_t k)
{
	if (!w->m || w->trunc)
		return;
	if (w->n + k > VG_DNS_NAME_MAX || (size_t)w->start + w->n + k + 1 > VG_DNS_SCRATCH) {
		w->trunc = true;
		return;
	}
	memcpy(w->m->scratch + w->start + w->n, s, k);
	w->n += k;
}

static void nw_byte(namew_t *w, uint8_t c)
{
	static const char hex[] = "0123456789abcdef";
	if (c >= 0x20 && c < 0x7f) {
		char ch = (char)c;
		nw_put(w, &ch, 1);
	} else {
		char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
		nw_put(w, e, 4);
	}
}

/* Finish the string; returns its offset. */
static uint32_t nw_end(namew_t *w, bool root_if_empty)
{
	if (!w->m)
		return 0;
	if (w->start >= VG_DNS_SCRATCH - 1) {
		w->m->scratch[VG_DNS_SCRATCH - 1] = 0;
		w->m->any_trunc = true;
		return VG_DNS_SCRATCH - 1;
	}
	if (w->n == 0 && root_if_empty && !w->trunc)
		nw_put(w, "<root>", 6);
	w->m->scratch[w->start + w->n] = 0;
	w->m->scratch_used = w->start + w->n + 1;
	if (w->trunc)
		w->m->any_trunc = true;
	return w->start;
}

/*
 * Decode the name starting at r->off (r spans the whole message).  On return
 * r->off is just past the name in the record stream.  Returns false when the
 * name is malformed before its end is known (bad label type, pointer past the
 * end, truncated input); true otherwise (possibly with w->trunc set).
 */
static bool read_name(vg_rd_t *r, namew_t *w, unsigned *budget)
{
	vg_rd_t cur = *r;
	size_t end = 0;
	bool jumped = false;
	unsigned jumps = 0;
	size_t seen[VG_DNS_MAX_JUMPS]; /* pointer targets followed: a repeat is a loop */
	bool first = true;
	unsigned segs = 0;

	for (;;) {
		/* Work bounds: without a pointer the walk consumes the record
		 * stream (linear overall); after one, at most VG_DNS_MAX_SEGS
		 * labels per name and VG_DNS_BUDGET steps per message. */
		if (*budget == 0)
			return false;
		--*budget;
		if (jumped && ++segs > VG_DNS_MAX_SEGS) {
			w->trunc = true;
			break;
		}
		uint8_t b = vg_rd_u8(&cur);
		if (!vg_rd_ok(&cur))
			return false;
		if (b == 0)
			break;
		if ((b & 0xc0) == 0xc0) {
			uint8_t lo = vg_rd_u8(&cur);
			if (!vg_rd_ok(&cur))
				return false;
			size_t ptr = (size_t)(b & 0x3f) << 8 | lo;
			if (ptr >= cur.len)
				return false;
			if (!jumped) {
				end = cur.off;
				jumped = true;
				if (!w->m)
					break; /* skip mode: the end is all we need */
			}
			bool loop = jumps >= VG_DNS_MAX_JUMPS;
			for (unsigned i = 0; i < jumps && !loop; i++)
				loop = seen[i] == ptr;
			if (loop) {
				w->trunc = true; /* the end is already known: stop here */
				break;
			}
			seen[jumps++] = ptr;
			vg_rd_seek(&cur, ptr);
			continue;
		}
		if (b & 0xc0)
			return false; /* 0x40/0x80 label types: obsolete/unknown */
		vg_rd_t lab = vg_rd_sub(&cur, b);
		if (!vg_rd_ok(&cur))
			return false;
		if (!first)
			nw_put(w, ".", 1);
		first = false;
		while (w->m && !w->trunc && vg_rd_left(&lab) > 0)
			nw_byte(w, vg_rd_u8(&lab));
	}
	vg_rd_seek(r, jumped ? end : cur.off);
	/* RFC 1035: a name is at most 255 octets; longer ones (possible only
	 * through pointers) are kept up to VG_DNS_NAME_MAX, as Suricata does,
	 * but always marked truncated */
	if (w->n > 255)
		w->trunc = true;
	return true;
}

static bool name_into(vg_rd_t *r, vg_dns_msg_t *m, unsigned *budget, uint32_t *off,
		      bool *trunc)
{
	namew_t w;
	nw_begin(&w, m);
	bool ok = read_name(r, &w, budget);
	uint32_t o = nw_end(&w, true);
	if (off)
		*off = o;
	if (trunc)
		*trunc = w.trunc;
	return ok;
}

/* Decode rdata of a stored record; rd spans the whole message, positioned at
 * the rdata start; rdend is the absolute end of the rdata. */
static void rdata_decode(vg_rd_t *rd, size_t rdend, vg_dns_msg_t *m, vg_dns_rr_t *rr,
			 unsigned *budget)
{
	size_t rdlen = rdend - rd->off;
	switch (rr->type) {
	case VG_DNS_T_A:
		if (rdlen == 4) {
			vg_ip_set4(&rr->ip, vg_rd_be32(rd));
			rr->rdkind = VG_DNS_RD_IP;
		}
		return;
	case VG_DNS_T_AAAA:
		if (rdlen == 16) {
			vg_rd_bytes(rd, rr->ip.a, 16);
			rr->rdkind = VG_DNS_RD_IP;
		}
		return;
	case VG_DNS_T_MX:
		rr->prio = vg_rd_be16(rd);
		break;
	case VG_DNS_T_SRV:
		rr->prio = vg_rd_be16(rd);
		rr->weight = vg_rd_be16(rd);
		rr->port = vg_rd_be16(rd);
		break;
	case VG_DNS_T_CNAME:
	case VG_DNS_T_PTR:
	case VG_DNS_T_NS:
	case VG_DNS_T_SOA:
		break;
	case VG_DNS_T_TXT: {
		if (rdlen < 1)
			return;
		uint8_t n = vg_rd_u8(rd);
		if (n > rdlen - 1)
			return;
		namew_t w;
		nw_begin(&w, m);
		for (unsigned i = 0; i < n && w.n < VG_DNS_TXT_MAX; i++)
			nw_byte(&w, vg_rd_u8(rd));
		if (w.n >= VG_DNS_TXT_MAX)
			w.trunc = true;
		rr->target = nw_end(&w, false);
		rr->target_trunc = w.trunc;
		rr->rdkind = VG_DNS_RD_TXT;
		return;
	}
	default:
		return;
	}
	if (!vg_rd_ok(rd) || rd->off > rdend)
		return;
	namew_t w;
	nw_begin(&w, m);
	bool ok = read_name(rd, &w, budget);
	rr->target = nw_end(&w, true);
	rr->target_trunc = w.trunc;
	if (ok)
		rr->rdkind = VG_DNS_RD_NAME; /* else RD_NONE: target not meaningful */
}

/* Parse one resource record at r; store into rr when rr != NULL. */
static bool read_rr(vg_rd_t *r, vg_dns_msg_t *m, vg_dns_rr_t *rr, uint8_t section,
		    unsigned *budget)
{
	vg_dns_rr_t tmp;
	bool store = rr != NULL;
	if (!rr)
		rr = &tmp;
	memset(rr, 0, sizeof(*rr));
	rr->section = section;
	if (!name_into(r, store ? m : NULL, budget, &rr->name, &rr->name_trunc))
		return false;
	rr->type = vg_rd_be16(r);
	rr->rclass = vg_rd_be16(r);
	rr->ttl = vg_rd_be32(r);
	rr->rdlen = vg_rd_be16(r);
	if (!vg_rd_ok(r) || vg_rd_left(r) < rr->rdlen)
		return false;
	size_t rdstart = r->off, rdend = rdstart + rr->rdlen;
	if (store) {
		vg_rd_t rd = *r;
		rdata_decode(&rd, rdend, m, rr, budget);
	}
	vg_rd_seek(r, rdend);
	return vg_rd_ok(r);
}

int vg_dns_parse(const uint8_t *msg, size_t len, vg_dns_msg_t *out)
{
	if (!out || (!msg && len))
		return VG_EINVAL;
	/* reset only the header part; scratch is written before it is read */
	memset(out, 0, offsetof(vg_dns_msg_t, scratch));
	out->scratch[0] = 0;

	vg_rd_t r = vg_rd_make(msg, len);
	unsigned budget = VG_DNS_BUDGET;
	out->id = vg_rd_be16(&r);
	out->flags = vg_rd_be16(&r);
	out->qdcount = vg_rd_be16(&r);
	out->ancount = vg_rd_be16(&r);
	out->nscount = vg_rd_be16(&r);
	out->arcount = vg_rd_be16(&r);
	if (!vg_rd_ok(&r))
		return VG_EFORMAT;
	uint16_t f = out->flags;
	out->qr = f >> 15 & 1;
	out->opcode = f >> 11 & 15;
	out->aa = f >> 10 & 1;
	out->tc = f >> 9 & 1;
	out->rd = f >> 8 & 1;
	out->ra = f >> 7 & 1;
	out->ad = f >> 5 & 1;
	out->cd = f >> 4 & 1;
	out->rcode = f & 15;

	for (unsigned i = 0; i < out->qdcount; i++) {
		bool store = out->n_q < VG_DNS_MAX_Q;
		vg_dns_q_t q = {0};
		if (!name_into(&r, store ? out : NULL, &budget, &q.name, &q.name_trunc))
			return VG_EFORMAT;
		q.type = vg_rd_be16(&r);
		q.rclass = vg_rd_be16(&r);
		if (!vg_rd_ok(&r))
			return VG_EFORMAT;
		if (store)
			out->q[out->n_q++] = q;
		else
			out->more = true;
	}
	for (unsigned i = 0; i < out->ancount; i++) {
		bool store = out->n_an < VG_DNS_MAX_AN;
		vg_dns_rr_t *rr = store ? &out->an[out->n_an] : NULL;
		if (!read_rr(&r, out, rr, VG_DNS_SEC_ANSWER, &budget)) {
			out->err_section = VG_DNS_SEC_ANSWER;
			return 0;
		}
		if (store)
			out->n_an++;
		else
			out->more = true;
	}
	unsigned nextra = (unsigned)out->nscount + out->arcount;
	for (unsigned i = 0; i < nextra; i++) {
		uint8_t sec = i < out->nscount ? VG_DNS_SEC_AUTHORITY : VG_DNS_SEC_ADDITIONAL;
		bool store = out->n_extra < VG_DNS_MAX_EXTRA;
		vg_dns_rr_t *rr = store ? &out->extra[out->n_extra] : NULL;
		if (!read_rr(&r, out, rr, sec, &budget)) {
			out->err_section = sec;
			return 0;
		}
		if (store)
			out->n_extra++;
		else
			out->more = true;
	}
	return 0;
}

int vg_dns_parse_tcp(const uint8_t *buf, size_t len, vg_dns_msg_t *out, size_t *consumed)
{
	if (!out || !consumed || (!buf && len))
		return VG_EINVAL;
	*consumed = 0;
	vg_rd_t r = vg_rd_make(buf, len);
	uint16_t n = vg_rd_be16(&r);
	if (!vg_rd_ok(&r))
		return VG_EAGAIN;
	if (n < 12)
		return VG_EFORMAT;
	if (vg_rd_left(&r) < n)
		return VG_EAGAIN;
	*consumed = (size_t)n + 2;
	return vg_dns_parse(vg_rd_ptr(&r), n, out);
}

bool vg_dns_looks_like(const uint8_t *msg, size_t len)
{
	if (!msg)
		return false;
	vg_rd_t r = vg_rd_make(msg, len);
	vg_rd_skip(&r, 2);
	uint16_t f = vg_rd_be16(&r);
	uint16_t qd = vg_rd_be16(&r), an = vg_rd_be16(&r);
	uint16_t ns = vg_rd_be16(&r), ar = vg_rd_be16(&r);
	if (!vg_rd_ok(&r))
		return false;
	unsigned op = f >> 11 & 15;
	if (op == 3 || op > 5)
		return false;
	if (qd < 1 || qd > 4096 || an > 512 || ns > 512 || ar > 512)
		return false;
	unsigned budget = VG_DNS_BUDGET; /* the first name alone, bounded */
	vg_rd_t at_name = r;
	if (!name_into(&r, NULL, &budget, NULL, NULL)) {
		/* a large message cut by segmentation (DNS over TCP): its first
		 * name may run past what we hold; accept a plausible first label */
		uint8_t l = vg_rd_u8(&at_name);
		if (len < 512 || l == 0 || l > 63 || vg_rd_left(&at_name) < l)
			return false;
		for (unsigned i = 0; i < l; i++) {
			uint8_t c = vg_rd_u8(&at_name);
			if (c < 0x21 || c > 0x7e)
				return false;
		}
		return true;
	}
	vg_rd_be16(&r);
	uint16_t cls = vg_rd_be16(&r);
	if (!vg_rd_ok(&r))
		return false;
	return cls == 1 || cls == 3 || cls == 4 || cls == 255 || cls == 0x8001;
}

const char *vg_dns_type_name(uint16_t type)
{
	switch (type) {
	case 1: return "A";
	case 2: return "NS";
	case 5: return "CNAME";
	case 6: return "SOA";
	case 10: return "NULL";
	case 11: return "WKS";
	case 12: return "PTR";
	case 13: return "HINFO";
	case 15: return "MX";
	case 16: return "TXT";
	case 17: return "RP";
	case 24: return "SIG";
	case 25: return "KEY";
	case 28: return "AAAA";
	case 29: return "LOC";
	case 33: return "SRV";
	case 35: return "NAPTR";
	case 39: return "DNAME";
	case 41: return "OPT";
	case 43: return "DS";
	case 44: return "SSHFP";
	case 46: return "RRSIG";
	case 47: return "NSEC";
	case 48: return "DNSKEY";
	case 50: return "NSEC3";
	case 51: return "NSEC3PARAM";
	case 52: return "TLSA";
	case 64: return "SVCB";
	case 65: return "HTTPS";
	case 99: return "SPF";
	case 249: return "TKEY";
	case 250: return "TSIG";
	case 251: return "IXFR";
	case 252: return "AXFR";
	case 255: return "ANY";
	case 256: return "URI";
	case 257: return "CAA";
	default: return NULL;
	}
}

const char *vg_dns_type_str(uint16_t type, char buf[16])
{
	const char *s = vg_dns_type_name(type);
	if (s)
		return s;
	char dig[6];
	int n = 0;
	do {
		dig[n++] = (char)('0' + type % 10);
		type /= 10;
	} while (type);
	memcpy(buf, "TYPE", 4);
	int k = 4;
	while (n)
		buf[k++] = dig[--n];
	buf[k] = 0;
	return buf;
}

const char *vg_dns_rcode_name(uint8_t rcode)
{
	static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
					    "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
					    "NXRRSET", "NOTAUTH", "NOTZONE"};
	return rcode < sizeof(names) / sizeof(names[0]) ? names[rcode] : NULL;
}
