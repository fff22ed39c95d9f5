// SPDX-License-Identifier: Apache-2.0
/*
 * dhcp.c — DHCPv4/BOOTP parser for passive fingerprinting (RFC 2131/2132).
 *
 * Input: one UDP 67/68 payload.  Client messages (op 1: DISCOVER, REQUEST,
 * INFORM, ...) describe the client: option 12 hostname, 55 parameter
 * request list in the client's order ("1,3,6,15" — the classic DHCP
 * fingerprint), 60 vendor class, 61 client id (hex), 81 client FQDN, 50
 * requested IP; the device is chaddr.  A server DHCPACK (op 2, option 53 =
 * 5) gives the lease: yiaddr for chaddr, which lets the inventory follow a
 * device across renumbering.  The option area is walked with the
 * bounds-checked reader: a length past the end stops the walk (what came
 * before is kept), pads are skipped, the walk ends at option 255.  Option
 * overload (52) and RFC 3396 split options are not merged (each piece is
 * read on its own).  No allocation; composite values are built in the
 * emitter's tmp area.
 */
#include <string.h>

#include "dev/parse.h"
#include "lib/rd.h"

#define DHCP_FIXED 236
#define DHCP_MAGIC 0x63825363u

typedef struct opt {
	const uint8_t *p;
	uint8_t len;
	bool set;
} opt_t;

static const char HEX[] = "0123456789abcdef";

/* Option codes kept, and their slots in the parse array. */
enum { S12, S50, S53, S55, S60, S61, S81, OPT_SLOTS };
static int slot(uint8_t code)
{
	switch (code) {
	case 12: return S12;
	case 50: return S50;
	case 53: return S53;
	case 55: return S55;
	case 60: return S60;
	case 61: return S61;
	case 81: return S81;
	default: return -1;
	}
}

/* PRL as "1,3,6" into out (cap >= 4 * 255 + 1). */
static size_t prl_text(char *out, const uint8_t *p, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			out[o++] = ',';
		uint8_t v = p[i];
		if (v >= 100)
			out[o++] = (char)('0' + v / 100);
		if (v >= 10)
			out[o++] = (char)('0' + v / 10 % 10);
		out[o++] = (char)('0' + v % 10);
	}
	out[o] = 0;
	return o;
}

/* bytes as "01:aa:bb" into out (cap >= 3 * 255). */
static size_t hex_text(char *out, const uint8_t *p, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			out[o++] = ':';
		out[o++] = HEX[p[i] >> 4];
		out[o++] = HEX[p[i] & 15];
	}
	out[o] = 0;
	return o;
}

/* Option 81 (RFC 4702): flags, rcode1, rcode2, then the name: DNS wire
 * format when flag E (0x04) is set, else ASCII.  Wire labels are joined
 * with '.' into out (cap >= 256). */
static size_t fqdn_text(char *out, const uint8_t *p, size_t n)
{
	vg_rd_t r = vg_rd_make(p, n);
	uint8_t fl = vg_rd_u8(&r);
	vg_rd_skip(&r, 2);
	if (!vg_rd_ok(&r))
		return 0;
	size_t o = 0;
	if (!(fl & 0x04)) {
		size_t k = vg_rd_left(&r);
		memcpy(out, vg_rd_ptr(&r), k);
		return k;
	}
	while (vg_rd_left(&r) > 0) {
		uint8_t l = vg_rd_u8(&r);
		if (l == 0 || l > 63 || vg_rd_left(&r) < l)
			break;
		if (o)
			out[o++] = '.';
		vg_rd_bytes(&r, out + o, l);
		o += l;
	}
	return o;
}

static void emit_ip(vg_dev_emit_t *e, int kind, const uint8_t *p4)
{
	vg_ip_set4(&e->s.ip, (uint32_t)p4[0] << 24 | (uint32_t)p4[1] << 16 | (uint32_t)p4[2] << 8 | p4[3]);
	char b[64];
	vg_ip_format(&e->s.ip, b, sizeof(b));
	vg_dev_emit_str(e, kind, b);
}

int vg_dev_dhcp(vg_dev_emit_t *e, const uint8_t *p, size_t n)
{
	int n0 = e->n;
	vg_rd_t r = vg_rd_make(p, n);
	uint8_t op = vg_rd_u8(&r), htype = vg_rd_u8(&r), hlen = vg_rd_u8(&r);
	vg_rd_skip(&r, 1 + 4 + 2 + 2);
	uint8_t ciaddr[4], yiaddr[4];
	vg_rd_bytes(&r, ciaddr, 4);
	vg_rd_bytes(&r, yiaddr, 4);
	vg_rd_skip(&r, 8);
	const uint8_t *chaddr = vg_rd_ptr(&r);
	vg_rd_skip(&r, 16 + 64 + 128);
	uint32_t magic = vg_rd_be32(&r);
	if (!vg_rd_ok(&r) || magic != DHCP_MAGIC || (op != 1 && op != 2))
		return 0;

	/* the options we use, first occurrence each; slot by code */
	opt_t o[OPT_SLOTS];
	memset(o, 0, sizeof(o));
	while (vg_rd_left(&r) > 0) {
		uint8_t code = vg_rd_u8(&r);
		if (code == 0)
			continue;
		if (code == 255)
			break;
		uint8_t len = vg_rd_u8(&r);
		const uint8_t *v = vg_rd_ptr(&r);
		if (!vg_rd_skip(&r, len))
			break; /* cut option: keep what came before */
		int k = slot(code);
		if (k >= 0 && !o[k].set) {
			o[k].p = v;
			o[k].len = len;
			o[k].set = true;
		}
	}

	static const uint8_t zero6[6];
	e->s.mac = htype == 1 && hlen == 6 && memcmp(chaddr, zero6, 6) ? chaddr : NULL;
	memset(&e->s.ip, 0, sizeof(e->s.ip));
	e->s.port = 0;
	e->s.proto = 0;
	int type = o[S53].set && o[S53].len >= 1 ? o[S53].p[0] : 0;
	char *t = (char *)e->tmp;

	if (op == 2) {
		if (type == 5 && e->s.mac && memcmp(yiaddr, zero6, 4))
			emit_ip(e, VG_SIG_DHCP_LEASE, yiaddr);
		return e->n - n0;
	}
	if (memcmp(ciaddr, zero6, 4))
		vg_ip_set4(&e->s.ip, (uint32_t)ciaddr[0] << 24 | (uint32_t)ciaddr[1] << 16 |
					     (uint32_t)ciaddr[2] << 8 | ciaddr[3]);
	if (o[S12].set)
		vg_dev_emit(e, VG_SIG_DHCP_HOSTNAME, o[S12].p, o[S12].len, 0);
	if (o[S55].set && o[S55].len)
		vg_dev_emit(e, VG_SIG_DHCP_PRL, (const uint8_t *)t, prl_text(t, o[S55].p, o[S55].len), 0);
	if (o[S60].set)
		vg_dev_emit(e, VG_SIG_DHCP_VENDOR_CLASS, o[S60].p, o[S60].len, 0);
	if (o[S61].set && o[S61].len)
		vg_dev_emit(e, VG_SIG_DHCP_CLIENT_ID, (const uint8_t *)t, hex_text(t, o[S61].p, o[S61].len),
			    0);
	if (o[S81].set)
		vg_dev_emit(e, VG_SIG_DHCP_FQDN, (const uint8_t *)t, fqdn_text(t, o[S81].p, o[S81].len), 0);
	if (o[S50].set && o[S50].len == 4) {
		vg_ip_t keep = e->s.ip;
		emit_ip(e, VG_SIG_DHCP_REQUESTED_IP, o[S50].p);
		e->s.ip = keep;
	}
	return e->n - n0;
}
