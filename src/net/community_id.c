// SPDX-License-Identifier: Apache-2.0
/*
 * community_id.c — Community ID v1 and the small SHA-1 it needs.
 *
 * Computed once per flow when the flow table creates it (not per packet).
 * SHA-1 is implemented here (FIPS 180-4, one-shot over at most 40 bytes
 * in practice) so the flow path depends on no allocation-happy crypto API;
 * it is not used for anything security-relevant.  The endpoint ordering
 * and the ICMP type/code pairing follow the reference implementation in
 * corelight/community-id-spec.  Pure functions; thread-safe.
 */
#include "net/community_id.h"

#include <string.h>

static uint32_t rol(uint32_t x, int n) { return x << n | x >> (32 - n); }

static void sha1_block(uint32_t h[5], const uint8_t *b)
{
	uint32_t w[80];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
		       (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) {
			f = (bb & c) | (~bb & d);
			k = 0x5A827999;
		} else if (i < 40) {
			f = bb ^ c ^ d;
			k = 0x6ED9EBA1;
		} else if (i < 60) {
			f = (bb & c) | (bb & d) | (c & d);
			k = 0x8F1BBCDC;
		} else {
			f = bb ^ c ^ d;
			k = 0xCA62C1D6;
		}
		uint32_t t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(bb, 30);
		bb = a;
		a = t;
	}
	h[0] += a;
	h[1] += bb;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void vg_sha1(const void *data, size_t n, uint8_t out[20])
{
	uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
	const uint8_t *p = (const uint8_t *)data;
	size_t left = n;
	while (left >= 64) {
		sha1_block(h, p);
		p += 64;
		left -= 64;
	}
	uint8_t last[128];
	memset(last, 0, sizeof last);
	if (left)
		memcpy(last, p, left);
	last[left] = 0x80;
	size_t blocks = left + 9 > 64 ? 2 : 1;
	uint64_t bits = (uint64_t)n * 8;
	for (int i = 0; i < 8; i++)
		last[blocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
	for (size_t i = 0; i < blocks; i++)
		sha1_block(h, last + 64 * i);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(h[i] >> 8);
		out[4 * i + 3] = (uint8_t)h[i];
	}
}

/* The ICMP "port" counterpart of type t; *one_way when t has none. */
static uint16_t icmp_pair(uint8_t proto, uint16_t t, uint16_t code, int *one_way)
{
	static const uint8_t v4[][2] = {{8, 0}, {0, 8}, {13, 14}, {14, 13}, {15, 16},
					{16, 15}, {10, 9}, {17, 18}, {18, 17}};
	static const uint8_t v6[][2] = {{128, 129}, {129, 128}, {133, 134}, {134, 133},
					{135, 136}, {136, 135}, {130, 131}, {131, 130},
					{139, 140}, {140, 139}, {144, 145}, {145, 144}};
	const uint8_t(*m)[2] = proto == 1 ? v4 : v6;
	size_t n = proto == 1 ? sizeof v4 / sizeof v4[0] : sizeof v6 / sizeof v6[0];
	for (size_t i = 0; i < n; i++)
		if (m[i][0] == t) {
			*one_way = 0;
			return m[i][1];
		}
	*one_way = 1;
	return code;
}

int vg_community_id(const vg_ip_t *src, const vg_ip_t *dst, uint8_t proto, uint16_t sport,
		    uint16_t dport, uint16_t seed, char *out)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int ports = proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58;
	int one_way = 0;
	if (proto == 1 || proto == 58)
		dport = icmp_pair(proto, sport, dport, &one_way);
	int alen = vg_ip_is4(src) && vg_ip_is4(dst) ? 4 : 16;
	const uint8_t *sa = src->a + 16 - alen, *da = dst->a + 16 - alen;
	int c = memcmp(sa, da, (size_t)alen);
	int keep = one_way || c < 0 || (c == 0 && sport < dport);
	if (!ports)
		keep = c <= 0;
	if (!keep) {
		const uint8_t *t = sa;
		sa = da;
		da = t;
		uint16_t tp = sport;
		sport = dport;
		dport = tp;
	}
	uint8_t buf[40];
	size_t n = 0;
	buf[n++] = (uint8_t)(seed >> 8);
	buf[n++] = (uint8_t)seed;
	memcpy(buf + n, sa, (size_t)alen);
	n += (size_t)alen;
	memcpy(buf + n, da, (size_t)alen);
	n += (size_t)alen;
	buf[n++] = proto;
	buf[n++] = 0;
	if (ports) {
		buf[n++] = (uint8_t)(sport >> 8);
		buf[n++] = (uint8_t)sport;
		buf[n++] = (uint8_t)(dport >> 8);
		buf[n++] = (uint8_t)dport;
	}
	uint8_t d[21];
	vg_sha1(buf, n, d);
	d[20] = 0;
	char *o = out;
	*o++ = '1';
	*o++ = ':';
	for (int i = 0; i < 21; i += 3) {
		uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
		*o++ = b64[v >> 18 & 63];
		*o++ = b64[v >> 12 & 63];
		*o++ = i + 1 < 20 ? b64[v >> 6 & 63] : '=';
		*o++ = i + 2 < 20 ? b64[v & 63] : '=';
	}
	*o = 0;
	return (int)(o - out);
}
