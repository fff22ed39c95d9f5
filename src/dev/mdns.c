// SPDX-License-Identifier: Apache-2.0
/*
 * mdns.c — mDNS / DNS-SD announcement parser for passive fingerprinting
 * (RFC 6762, RFC 6763).
 *
 * Input: one UDP 5353 payload.  Only responses (QR set) describe their
 * sender; queries are skipped.  Every record of the answer, authority and
 * additional sections is read (at most MDNS_MAX_RR):
 *   PTR  _services._dns-sd._udp.local -> _x._tcp.local : service type;
 *   PTR  _x._tcp.local -> Name._x._tcp.local : service, instance "Name";
 *   PTR  reverse (in-addr.arpa / ip6.arpa) -> host.local : host name;
 *   SRV  Name._x._tcp.local -> host.local : instance, service, host name;
 *   TXT  each non-empty string (at most MDNS_MAX_TXT per record);
 *   A / AAAA owner : host name.
 * Names are decoded here rather than with net/dns.c (whose message struct
 * is 24 KiB and renders escaped text): labels are kept raw so an instance
 * label with dots or UTF-8 stays one label, then sanitised on emit.
 * Compression: at most MDNS_MAX_JUMPS pointers per name, names cut at 255
 * bytes, and a step budget per message bounds the work of any input.
 * No allocation; label storage is on the stack.
 */
#include <string.h>

#include "dev/parse.h"
#include "lib/rd.h"

#define MDNS_MAX_RR 64
#define MDNS_MAX_TXT 32
#define MDNS_MAX_JUMPS 16
#define MDNS_NAME_MAX 255
#define MDNS_MAX_LABELS 128
#define MDNS_BUDGET 8192 /* label/pointer steps per message */

typedef struct mname {
	uint8_t buf[MDNS_NAME_MAX + 1]; /* labels joined with '.' */
	size_t len;
	uint8_t off[MDNS_MAX_LABELS]; /* label start in buf */
	uint8_t lab[MDNS_MAX_LABELS]; /* label length */
	int nlab;
	bool trunc;
} mname_t;

/* Decode the name at r->off (r spans the whole message); leave r after the
 * name.  false when malformed (bad label type, pointer out of range, cut
 * input) or when the budget is spent. */
static bool read_name(vg_rd_t *r, mname_t *nm, unsigned *budget)
{
	vg_rd_t cur = *r;
	size_t end = 0;
	bool jumped = false;
	unsigned jumps = 0;
	nm->len = 0;
	nm->nlab = 0;
	nm->trunc = false;
	for (;;) {
		if (*budget == 0)
			return false;
		--*budget;
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
			if (!jumped) {
				end = cur.off;
				jumped = true;
			}
			if (++jumps > MDNS_MAX_JUMPS || !vg_rd_seek(&cur, ptr))
				return false; /* loop or pointer past the end */
			continue;
		}
		if (b & 0xc0)
			return false;
		vg_rd_t lab = vg_rd_sub(&cur, b);
		if (!vg_rd_ok(&cur))
			return false;
		size_t need = (nm->nlab ? 1 : 0) + b;
		if (nm->trunc || nm->nlab >= MDNS_MAX_LABELS || nm->len + need > MDNS_NAME_MAX) {
			nm->trunc = true;
			continue;
		}
		if (nm->nlab)
			nm->buf[nm->len++] = '.';
		nm->off[nm->nlab] = (uint8_t)nm->len;
		nm->lab[nm->nlab++] = b;
		vg_rd_bytes(&lab, nm->buf + nm->len, b);
		nm->len += b;
	}
	nm->buf[nm->len] = 0;
	vg_rd_seek(r, jumped ? end : cur.off);
	return vg_rd_ok(r);
}

static bool lab_is(const mname_t *nm, int i, const char *s)
{
	size_t n = strlen(s);
	return i >= 0 && i < nm->nlab && nm->lab[i] == n &&
	       vg_dev_casepfx(nm->buf + nm->off[i], n, s);
}

/* Index of the "_tcp"/"_udp" label that follows a "_service" label, or -1. */
static int svc_index(const mname_t *nm)
{
	for (int i = 1; i < nm->nlab; i++)
		if ((lab_is(nm, i, "_tcp") || lab_is(nm, i, "_udp")) && nm->lab[i - 1] > 1 &&
		    nm->buf[nm->off[i - 1]] == '_')
			return i;
	return -1;
}

/* Emit "_x._tcp" of nm when present; returns the service index or -1. */
static int emit_service(vg_dev_emit_t *e, const mname_t *nm)
{
	int i = svc_index(nm);
	if (i < 0)
		return -1;
	if (lab_is(nm, i - 1, "_dns-sd") || lab_is(nm, i - 1, "_services"))
		return -1;
	size_t a = nm->off[i - 1], z = nm->off[i] + nm->lab[i];
	vg_dev_emit(e, VG_SIG_MDNS_SERVICE, nm->buf + a, z - a, 0);
	return i;
}

/* Instance FQDN "Name._x._tcp.local": emit "Name" and the service. */
static void emit_instance(vg_dev_emit_t *e, const mname_t *nm)
{
	int i = emit_service(e, nm);
	if (i == 2 && nm->lab[0])
		vg_dev_emit(e, VG_SIG_MDNS_INSTANCE, nm->buf, nm->lab[0], 0);
}

static bool is_reverse(const mname_t *nm)
{
	return nm->nlab >= 2 && lab_is(nm, nm->nlab - 1, "arpa") &&
	       (lab_is(nm, nm->nlab - 2, "in-addr") || lab_is(nm, nm->nlab - 2, "ip6"));
}

static bool is_services_enum(const mname_t *nm)
{
	return nm->nlab == 4 && lab_is(nm, 0, "_services") && lab_is(nm, 1, "_dns-sd") &&
	       lab_is(nm, 2, "_udp");
}

int vg_dev_mdns(vg_dev_emit_t *e, const uint8_t *p, size_t n)
{
	int n0 = e->n;
	vg_rd_t r = vg_rd_make(p, n);
	vg_rd_skip(&r, 2);
	uint16_t flags = vg_rd_be16(&r);
	uint16_t qd = vg_rd_be16(&r), an = vg_rd_be16(&r), ns = vg_rd_be16(&r), ar = vg_rd_be16(&r);
	if (!vg_rd_ok(&r) || !(flags & 0x8000) || (flags >> 11 & 15) != 0)
		return 0;
	unsigned budget = MDNS_BUDGET;
	mname_t owner, tgt;
	for (unsigned i = 0; i < qd; i++) {
		if (!read_name(&r, &owner, &budget) || !vg_rd_skip(&r, 4))
			return e->n - n0;
	}
	unsigned nrr = (unsigned)an + ns + ar;
	if (nrr > MDNS_MAX_RR)
		nrr = MDNS_MAX_RR;
	for (unsigned i = 0; i < nrr; i++) {
		if (!read_name(&r, &owner, &budget))
			break;
		uint16_t type = vg_rd_be16(&r);
		vg_rd_skip(&r, 2 + 4);
		uint16_t rdlen = vg_rd_be16(&r);
		if (!vg_rd_ok(&r) || vg_rd_left(&r) < rdlen)
			break;
		size_t rdstart = r.off, rdend = rdstart + rdlen;
		vg_rd_t rd = r; /* spans the message: names in rdata may point anywhere */
		switch (type) {
		case 12: /* PTR */
			if (!read_name(&rd, &tgt, &budget) || rd.off > rdend)
				break;
			if (is_services_enum(&owner))
				emit_service(e, &tgt);
			else if (is_reverse(&owner))
				vg_dev_emit(e, VG_SIG_MDNS_HOSTNAME, tgt.buf, tgt.len, 0);
			else if (emit_service(e, &owner) >= 0)
				emit_instance(e, &tgt);
			break;
		case 33: /* SRV */
			emit_instance(e, &owner);
			vg_rd_skip(&rd, 6);
			if (vg_rd_ok(&rd) && read_name(&rd, &tgt, &budget) && rd.off <= rdend)
				vg_dev_emit(e, VG_SIG_MDNS_HOSTNAME, tgt.buf, tgt.len, 0);
			break;
		case 16: { /* TXT */
			vg_rd_t t = vg_rd_sub(&rd, rdlen);
			for (unsigned k = 0; k < MDNS_MAX_TXT && vg_rd_left(&t) > 0; k++) {
				uint8_t l = vg_rd_u8(&t);
				const uint8_t *s = vg_rd_ptr(&t);
				if (!vg_rd_skip(&t, l))
					break;
				if (l)
					vg_dev_emit(e, VG_SIG_MDNS_TXT, s, l, 0);
			}
			break;
		}
		case 1:  /* A */
		case 28: /* AAAA */
			if (!is_reverse(&owner))
				vg_dev_emit(e, VG_SIG_MDNS_HOSTNAME, owner.buf, owner.len, 0);
			break;
		default:
			break;
		}
		if (!vg_rd_seek(&r, rdend))
			break;
	}
	return e->n - n0;
}
