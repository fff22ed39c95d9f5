// SPDX-License-Identifier: Apache-2.0
// pcapw.h — header-only deterministic traffic synthesis for vigil's generators and benchmarks.
//
// Shared by the standalone programs in bench/ (gen_pcap, gen_feed, ...). Each bench/*.c is its
// own program, so everything here is `static` (PW_FN marks them unused-ok) and nothing here is
// part of libvigil. Contents:
//   - pw_rng_t: splitmix64-seeded xoshiro256** PRNG; same seed => same stream on every platform.
//   - pw_writer_t: classic pcap writer (microsecond timestamps, any linktype), buffered stdio.
//   - pw_link_t + pw_ip_pkt/pw_tcp_pkt/pw_udp_pkt: frame builders for Ethernet (+802.1Q, QinQ
//     802.1ad), Linux SLL (113), SLL2 (276) and RAW (101) carrying IPv4 (header checksum) or
//     IPv6, with TCP/UDP checksums computed over the pseudo-header.
//   - pw_conn_t: a TCP connection emitter (3-way handshake, MSS segmentation, FIN close).
//   - pw_dns_t: DNS wire-format message builder with suffix name compression.
//   - payload builders: TLS ClientHello (1.2 / 1.3 style, SNI + ALPN), ServerHello flight,
//     HTTP/1.1 GET + response, RTSP OPTIONS/DESCRIBE.
//   - pw_pool_*: the deterministic hostname / server-IP pool shared by gen_pcap (mixed) and
//     gen_feed (--hits), keyed by (seed, index) so gen_feed can reproduce it without a pcap.
// Invariants: all output is a pure function of the inputs and seeds (no time, no addresses).
// Frames are built into caller buffers of at least PW_MAXPKT bytes. Not thread-safe per object.
#ifndef VIGIL_BENCH_PCAPW_H
#define VIGIL_BENCH_PCAPW_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PW_FN static __attribute__((unused))
#define PW_MAXPKT 70000

/* ---------------------------------------------------------------- PRNG */
typedef struct {
	uint64_t s[4];
} pw_rng_t;

PW_FN uint64_t pw_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Stateless 64-bit mix of (seed, a, b): used for pool entries addressed by index. */
PW_FN uint64_t pw_mix3(uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t x = seed ^ (a * 0xd6e8feb86659fd93ULL) ^ (b * 0xa0761d6478bd642fULL);
	pw_splitmix64(&x);
	return pw_splitmix64(&x);
}

PW_FN void pw_rng_seed(pw_rng_t *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = pw_splitmix64(&x);
}

static inline uint64_t pw_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

PW_FN uint64_t pw_rand(pw_rng_t *r)
{
	uint64_t *s = r->s;
	uint64_t res = pw_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = pw_rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n) (n > 0); multiply-shift, bias negligible for our n. */
PW_FN uint32_t pw_below(pw_rng_t *r, uint32_t n)
{
	return (uint32_t)(((pw_rand(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi]. */
PW_FN uint32_t pw_range(pw_rng_t *r, uint32_t lo, uint32_t hi)
{
	return lo + pw_below(r, hi - lo + 1);
}

/* True with probability permille/1000. */
PW_FN int pw_chance(pw_rng_t *r, uint32_t permille) { return pw_below(r, 1000) < permille; }

PW_FN void pw_fill(pw_rng_t *r, uint8_t *p, size_t n)
{
	while (n >= 8) {
		uint64_t v = pw_rand(r);
		memcpy(p, &v, 8);
		p += 8;
		n -= 8;
	}
	if (n) {
		uint64_t v = pw_rand(r);
		memcpy(p, &v, n);
	}
}

/* ---------------------------------------------------------------- pcap writer */
#define PW_DLT_EN10MB 1
#define PW_DLT_RAW 101
#define PW_DLT_SLL 113
#define PW_DLT_SLL2 276

typedef struct {
	FILE *f;
	uint32_t linktype;
	uint64_t npkts;
	uint64_t nbytes;
	char *vbuf;
} pw_writer_t;

static inline void pw_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}
static inline void pw_be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void pw_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Opens path and writes the classic pcap global header (LE, v2.4, usec, snaplen 262144).
 * Returns 0 or -1 (errno set). */
PW_FN int pw_open(pw_writer_t *w, const char *path, uint32_t linktype)
{
	memset(w, 0, sizeof(*w));
	w->f = fopen(path, "wb");
	if (!w->f)
		return -1;
	w->vbuf = malloc(1 << 20);
	if (w->vbuf)
		setvbuf(w->f, w->vbuf, _IOFBF, 1 << 20);
	w->linktype = linktype;
	uint8_t h[24];
	pw_le32(h, 0xa1b2c3d4);
	h[4] = 2; h[5] = 0; h[6] = 4; h[7] = 0;
	pw_le32(h + 8, 0);
	pw_le32(h + 12, 0);
	pw_le32(h + 16, 262144);
	pw_le32(h + 20, linktype);
	return fwrite(h, 1, 24, w->f) == 24 ? 0 : -1;
}

/* Appends one record with timestamp ts_us (microseconds since the epoch). */
PW_FN void pw_write(pw_writer_t *w, uint64_t ts_us, const uint8_t *data, size_t len)
{
	uint8_t h[16];
	pw_le32(h, (uint32_t)(ts_us / 1000000));
	pw_le32(h + 4, (uint32_t)(ts_us % 1000000));
	pw_le32(h + 8, (uint32_t)len);
	pw_le32(h + 12, (uint32_t)len);
	fwrite(h, 1, 16, w->f);
	fwrite(data, 1, len, w->f);
	w->npkts++;
	w->nbytes += len;
}

/* Flushes and closes; returns 0 or -1 on a write error. */
PW_FN int pw_close(pw_writer_t *w)
{
	int rc = 0;
	if (w->f) {
		if (ferror(w->f))
			rc = -1;
		if (fclose(w->f) != 0)
			rc = -1;
	}
	free(w->vbuf);
	w->f = NULL;
	w->vbuf = NULL;
	return rc;
}

/* ---------------------------------------------------------------- addresses */
typedef struct {
	int v6;         /* 0: IPv4 in a[0..3]; 1: IPv6 in a[0..15] */
	uint8_t a[16];
} pw_addr_t;

PW_FN pw_addr_t pw_v4(uint32_t ip)
{
	pw_addr_t r;
	memset(&r, 0, sizeof(r));
	pw_be32(r.a, ip);
	return r;
}

PW_FN pw_addr_t pw_v4b(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return pw_v4((uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d);
}

/* IPv6 from eight 16-bit groups. */
PW_FN pw_addr_t pw_v6(const uint16_t g[8])
{
	pw_addr_t r;
	memset(&r, 0, sizeof(r));
	r.v6 = 1;
	for (int i = 0; i < 8; i++)
		pw_be16(r.a + 2 * i, g[i]);
	return r;
}

PW_FN uint32_t pw_addr_v4(const pw_addr_t *a)
{
	return (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 | (uint32_t)a->a[2] << 8 | a->a[3];
}

/* Formats as dotted quad or RFC 5952 text (longest zero run compressed). */
PW_FN void pw_addr_str(const pw_addr_t *a, char *out, size_t cap)
{
	if (!a->v6) {
		snprintf(out, cap, "%u.%u.%u.%u", a->a[0], a->a[1], a->a[2], a->a[3]);
		return;
	}
	uint16_t g[8];
	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)(a->a[2 * i] << 8 | a->a[2 * i + 1]);
	int bs = -1, bl = 0;
	for (int i = 0; i < 8;) {
		if (g[i]) { i++; continue; }
		int j = i;
		while (j < 8 && !g[j]) j++;
		if (j - i > bl && j - i >= 2) { bs = i; bl = j - i; }
		i = j;
	}
	size_t n = 0;
	out[0] = 0;
	for (int i = 0; i < 8 && n < cap; i++) {
		if (i == bs) {
			n += (size_t)snprintf(out + n, cap - n, "::");
			i += bl - 1;
			continue;
		}
		if (n && out[n - 1] != ':')
			n += (size_t)snprintf(out + n, cap - n, ":");
		if (n < cap)
			n += (size_t)snprintf(out + n, cap - n, "%x", g[i]);
	}
}

/* True for IPv4 special-purpose / non-public ranges (RFC 6890 and friends). */
PW_FN int pw_ip4_reserved(uint32_t ip)
{
	static const struct { uint32_t net; int len; } r[] = {
		{0x00000000, 8},  {0x0a000000, 8},  {0x64400000, 10}, {0x7f000000, 8},
		{0xa9fe0000, 16}, {0xac100000, 12}, {0xc0000000, 24}, {0xc0000200, 24},
		{0xc0586300, 24}, {0xc0a80000, 16}, {0xc6120000, 15}, {0xc6336400, 24},
		{0xcb007100, 24}, {0xe0000000, 4},  {0xf0000000, 4},
	};
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		uint32_t m = r[i].len ? 0xffffffffu << (32 - r[i].len) : 0;
		if ((ip & m) == r[i].net)
			return 1;
	}
	return 0;
}

PW_FN uint32_t pw_public_ip4(pw_rng_t *r)
{
	for (;;) {
		uint32_t ip = (uint32_t)(pw_rand(r) >> 32);
		if (!pw_ip4_reserved(ip) && (ip & 0xff) != 0 && (ip & 0xff) != 255)
			return ip;
	}
}

/* ---------------------------------------------------------------- link + IP + L4 */
typedef struct {
	uint32_t dlt;        /* PW_DLT_* */
	int nvlan;           /* Ethernet only: 0, 1 (802.1Q) or 2 (802.1ad outer + 802.1Q inner) */
	uint16_t vlan[2];    /* outer first */
	uint8_t mac_a[6];    /* MAC of the "a" side (client) */
	uint8_t mac_b[6];    /* MAC of the "b" side (server / gateway) */
} pw_link_t;

PW_FN void pw_link_eth(pw_link_t *l, uint32_t mac_a_low, uint32_t mac_b_low)
{
	memset(l, 0, sizeof(*l));
	l->dlt = PW_DLT_EN10MB;
	static const uint8_t oa[3] = {0x3c, 0x52, 0x82}, ob[3] = {0x00, 0x1b, 0x21};
	memcpy(l->mac_a, oa, 3);
	memcpy(l->mac_b, ob, 3);
	l->mac_a[3] = (uint8_t)(mac_a_low >> 16); l->mac_a[4] = (uint8_t)(mac_a_low >> 8);
	l->mac_a[5] = (uint8_t)mac_a_low;
	l->mac_b[3] = (uint8_t)(mac_b_low >> 16); l->mac_b[4] = (uint8_t)(mac_b_low >> 8);
	l->mac_b[5] = (uint8_t)mac_b_low;
}

static inline uint32_t pw_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	while (n > 1) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		n -= 2;
	}
	if (n)
		sum += (uint32_t)(p[0] << 8);
	return sum;
}
static inline uint16_t pw_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Writes the link header for direction a->b (dir 0) or b->a (dir 1); returns its length. */
PW_FN size_t pw_link_hdr(uint8_t *out, const pw_link_t *l, int dir, int v6)
{
	uint16_t et = v6 ? 0x86dd : 0x0800;
	const uint8_t *src = dir ? l->mac_b : l->mac_a, *dst = dir ? l->mac_a : l->mac_b;
	size_t n = 0;
	switch (l->dlt) {
	case PW_DLT_EN10MB:
		memcpy(out, dst, 6);
		memcpy(out + 6, src, 6);
		n = 12;
		for (int i = 0; i < l->nvlan; i++) {
			uint16_t tpid = (l->nvlan == 2 && i == 0) ? 0x88a8 : 0x8100;
			pw_be16(out + n, tpid);
			pw_be16(out + n + 2, l->vlan[i] & 0x0fff);
			n += 4;
		}
		pw_be16(out + n, et);
		return n + 2;
	case PW_DLT_SLL:
		pw_be16(out, dir ? 0 : 4);   /* 0: to us, 4: outgoing */
		pw_be16(out + 2, 1);         /* ARPHRD_ETHER */
		pw_be16(out + 4, 6);
		memcpy(out + 6, src, 6);
		out[12] = out[13] = 0;
		pw_be16(out + 14, et);
		return 16;
	case PW_DLT_SLL2:
		pw_be16(out, et);
		pw_be16(out + 2, 0);
		pw_be32(out + 4, 2);         /* interface index */
		pw_be16(out + 8, 1);         /* ARPHRD_ETHER */
		out[10] = dir ? 0 : 4;
		out[11] = 6;
		memcpy(out + 12, src, 6);
		out[18] = out[19] = 0;
		return 20;
	default: /* RAW */
		return 0;
	}
}

/* Builds link + IP header around an L4 payload already at out + (returned offset).
 * Usage: off = pw_l3_off(l, v6); write L4 at out+off; then pw_ip_finish(). */
PW_FN size_t pw_l3_off(const pw_link_t *l, int v6)
{
	uint8_t tmp[64];
	return pw_link_hdr(tmp, l, 0, v6) + (v6 ? 40 : 20);
}

static inline uint32_t pw_pseudo(const pw_addr_t *s, const pw_addr_t *d, uint8_t proto, size_t len)
{
	uint32_t sum = 0;
	if (s->v6) {
		sum = pw_csum_add(sum, s->a, 16);
		sum = pw_csum_add(sum, d->a, 16);
	} else {
		sum = pw_csum_add(sum, s->a, 4);
		sum = pw_csum_add(sum, d->a, 4);
	}
	sum += proto;
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	return sum;
}

static __attribute__((unused)) uint16_t pw_ipid = 0x1234;

/* Writes link + IP headers into out for an L4 segment of l4len bytes that the caller has put
 * at out + pw_l3_off(); returns the total frame length. */
PW_FN size_t pw_ip_finish(uint8_t *out, const pw_link_t *l, int dir, const pw_addr_t *src,
			  const pw_addr_t *dst, uint8_t proto, size_t l4len)
{
	size_t lh = pw_link_hdr(out, l, dir, src->v6);
	uint8_t *ip = out + lh;
	if (src->v6) {
		pw_be32(ip, 0x60000000);
		pw_be16(ip + 4, (uint32_t)l4len);
		ip[6] = proto;
		ip[7] = 64;
		memcpy(ip + 8, src->a, 16);
		memcpy(ip + 24, dst->a, 16);
		return lh + 40 + l4len;
	}
	ip[0] = 0x45;
	ip[1] = 0;
	pw_be16(ip + 2, (uint32_t)(20 + l4len));
	pw_be16(ip + 4, pw_ipid++);
	pw_be16(ip + 6, 0x4000); /* DF */
	ip[8] = dir ? 57 : 64;
	ip[9] = proto;
	ip[10] = ip[11] = 0;
	memcpy(ip + 12, src->a, 4);
	memcpy(ip + 16, dst->a, 4);
	pw_be16(ip + 10, pw_csum_fold(pw_csum_add(0, ip, 20)));
	return lh + 20 + l4len;
}

#define PW_FIN 0x01
#define PW_SYN 0x02
#define PW_RST 0x04
#define PW_PSH 0x08
#define PW_ACK 0x10

/* Full TCP frame (link + IP + TCP, checksums set). SYN segments carry an MSS option.
 * Returns frame length. */
PW_FN size_t pw_tcp_pkt(uint8_t *out, const pw_link_t *l, int dir, const pw_addr_t *src,
			const pw_addr_t *dst, uint16_t sport, uint16_t dport, uint32_t seq,
			uint32_t ack, uint8_t flags, const uint8_t *pl, size_t plen)
{
	size_t off = pw_l3_off(l, src->v6);
	uint8_t *t = out + off;
	size_t hl = (flags & PW_SYN) ? 24 : 20;
	pw_be16(t, sport);
	pw_be16(t + 2, dport);
	pw_be32(t + 4, seq);
	pw_be32(t + 8, (flags & PW_ACK) ? ack : 0);
	t[12] = (uint8_t)((hl / 4) << 4);
	t[13] = flags;
	pw_be16(t + 14, 64240);
	t[16] = t[17] = 0;
	t[18] = t[19] = 0;
	if (hl == 24) {
		t[20] = 2; t[21] = 4;
		pw_be16(t + 22, src->v6 ? 1440 : 1460);
	}
	if (plen)
		memcpy(t + hl, pl, plen);
	uint32_t sum = pw_pseudo(src, dst, 6, hl + plen);
	pw_be16(t + 16, pw_csum_fold(pw_csum_add(sum, t, hl + plen)));
	return pw_ip_finish(out, l, dir, src, dst, 6, hl + plen);
}

/* Full UDP frame (checksums set; a computed 0 is sent as 0xffff). Returns frame length. */
PW_FN size_t pw_udp_pkt(uint8_t *out, const pw_link_t *l, int dir, const pw_addr_t *src,
			const pw_addr_t *dst, uint16_t sport, uint16_t dport, const uint8_t *pl,
			size_t plen)
{
	size_t off = pw_l3_off(l, src->v6);
	uint8_t *u = out + off;
	pw_be16(u, sport);
	pw_be16(u + 2, dport);
	pw_be16(u + 4, (uint32_t)(8 + plen));
	u[6] = u[7] = 0;
	memcpy(u + 8, pl, plen);
	uint16_t c = pw_csum_fold(pw_csum_add(pw_pseudo(src, dst, 17, 8 + plen), u, 8 + plen));
	pw_be16(u + 6, c ? c : 0xffff);
	return pw_ip_finish(out, l, dir, src, dst, 17, 8 + plen);
}

/* ---------------------------------------------------------------- TCP connection */
typedef struct {
	pw_writer_t *w;
	pw_link_t link;
	pw_addr_t cli, srv;
	uint16_t cport, sport;
	uint32_t cseq, sseq;     /* next sequence number each side will send */
	uint64_t ts;             /* current timestamp (us); advanced by every emitted packet */
	uint32_t gap_us;         /* spacing between packets */
	uint8_t buf[PW_MAXPKT];
} pw_conn_t;

PW_FN void pw_conn_init(pw_conn_t *c, pw_writer_t *w, const pw_link_t *l, pw_addr_t cli,
			uint16_t cport, pw_addr_t srv, uint16_t sport, uint64_t ts, uint32_t isn)
{
	c->w = w;
	c->link = *l;
	c->cli = cli;
	c->srv = srv;
	c->cport = cport;
	c->sport = sport;
	c->cseq = isn;
	c->sseq = isn * 2654435761u + 12345u;
	c->ts = ts;
	c->gap_us = 300;
}

/* Emits one segment from side dir (0 client, 1 server) without touching sequence state. */
PW_FN void pw_conn_raw(pw_conn_t *c, int dir, uint32_t seq, uint8_t flags, const uint8_t *pl,
		       size_t n)
{
	size_t len;
	if (dir == 0)
		len = pw_tcp_pkt(c->buf, &c->link, 0, &c->cli, &c->srv, c->cport, c->sport, seq,
				 c->sseq, flags, pl, n);
	else
		len = pw_tcp_pkt(c->buf, &c->link, 1, &c->srv, &c->cli, c->sport, c->cport, seq,
				 c->cseq, flags, pl, n);
	pw_write(c->w, c->ts, c->buf, len);
	c->ts += c->gap_us;
}

PW_FN void pw_conn_open(pw_conn_t *c)
{
	pw_conn_raw(c, 0, c->cseq, PW_SYN, NULL, 0);
	c->cseq++;
	pw_conn_raw(c, 1, c->sseq, PW_SYN | PW_ACK, NULL, 0);
	c->sseq++;
	pw_conn_raw(c, 0, c->cseq, PW_ACK, NULL, 0);
}

/* Sends n bytes from side dir in MSS-sized PSH|ACK segments, then a bare ACK from the peer. */
PW_FN void pw_conn_send(pw_conn_t *c, int dir, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t mss = c->cli.v6 ? 1440 : 1460;
	while (n) {
		size_t k = n < mss ? n : mss;
		uint32_t *seq = dir ? &c->sseq : &c->cseq;
		pw_conn_raw(c, dir, *seq, PW_PSH | PW_ACK, p, k);
		*seq += (uint32_t)k;
		p += k;
		n -= k;
	}
	pw_conn_raw(c, !dir, dir ? c->cseq : c->sseq, PW_ACK, NULL, 0);
}

PW_FN void pw_conn_close(pw_conn_t *c)
{
	pw_conn_raw(c, 0, c->cseq, PW_FIN | PW_ACK, NULL, 0);
	c->cseq++;
	pw_conn_raw(c, 1, c->sseq, PW_FIN | PW_ACK, NULL, 0);
	c->sseq++;
	pw_conn_raw(c, 0, c->cseq, PW_ACK, NULL, 0);
}

/* Emits one UDP datagram from the client (dir 0) or server (dir 1) of the connection tuple. */
PW_FN void pw_conn_udp(pw_conn_t *c, int dir, const uint8_t *pl, size_t n)
{
	size_t len;
	if (dir == 0)
		len = pw_udp_pkt(c->buf, &c->link, 0, &c->cli, &c->srv, c->cport, c->sport, pl, n);
	else
		len = pw_udp_pkt(c->buf, &c->link, 1, &c->srv, &c->cli, c->sport, c->cport, pl, n);
	pw_write(c->w, c->ts, c->buf, len);
	c->ts += c->gap_us;
}

/* ---------------------------------------------------------------- DNS builder */
#define PW_DNS_A 1
#define PW_DNS_NS 2
#define PW_DNS_CNAME 5
#define PW_DNS_PTR 12
#define PW_DNS_MX 15
#define PW_DNS_TXT 16
#define PW_DNS_AAAA 28
#define PW_DNS_SRV 33

typedef struct {
	uint8_t b[1500];
	size_t n;
	int nsuf;
	struct { char s[256]; uint16_t off; } suf[48];
	int compress;
} pw_dns_t;

/* Starts a message: id, flags (0x0100 query RD, 0x8180 response RD RA). Counts are patched by
 * the rr helpers; qd/an/ns/ar start at 0. */
PW_FN void pw_dns_begin(pw_dns_t *d, uint16_t id, uint16_t flags)
{
	memset(d, 0, sizeof(*d));
	pw_be16(d->b, id);
	pw_be16(d->b + 2, flags);
	d->n = 12;
	d->compress = 1;
}

static inline void pw_dns_inc(pw_dns_t *d, int sec)
{
	uint8_t *p = d->b + 4 + 2 * sec;
	pw_be16(p, (uint32_t)(p[0] << 8 | p[1]) + 1);
}

/* Writes a dotted name, compressing against suffixes written earlier ("" = root). */
PW_FN void pw_dns_name(pw_dns_t *d, const char *name)
{
	const char *s = name;
	while (*s) {
		if (d->compress) {
			for (int i = 0; i < d->nsuf; i++) {
				if (strcasecmp(d->suf[i].s, s) == 0) {
					pw_be16(d->b + d->n, 0xc000u | d->suf[i].off);
					d->n += 2;
					return;
				}
			}
		}
		if (d->nsuf < 48 && d->n < 0x3fff && strlen(s) < 256) {
			snprintf(d->suf[d->nsuf].s, sizeof(d->suf[0].s), "%s", s);
			d->suf[d->nsuf].off = (uint16_t)d->n;
			d->nsuf++;
		}
		const char *dot = strchr(s, '.');
		size_t ll = dot ? (size_t)(dot - s) : strlen(s);
		d->b[d->n++] = (uint8_t)ll;
		memcpy(d->b + d->n, s, ll);
		d->n += ll;
		s += ll;
		if (*s == '.')
			s++;
	}
	d->b[d->n++] = 0;
}

PW_FN void pw_dns_question(pw_dns_t *d, const char *name, uint16_t type)
{
	pw_dns_name(d, name);
	pw_be16(d->b + d->n, type);
	pw_be16(d->b + d->n + 2, 1);
	d->n += 4;
	pw_dns_inc(d, 0);
}

/* Starts an RR in section sec (1 answer, 2 authority, 3 additional); returns the offset of its
 * RDLENGTH field for pw_dns_rr_end. */
PW_FN size_t pw_dns_rr_begin(pw_dns_t *d, int sec, const char *owner, uint16_t type, uint32_t ttl)
{
	pw_dns_name(d, owner);
	pw_be16(d->b + d->n, type);
	pw_be16(d->b + d->n + 2, 1);
	pw_be32(d->b + d->n + 4, ttl);
	d->n += 10;
	pw_dns_inc(d, sec);
	return d->n - 2;
}

PW_FN void pw_dns_rr_end(pw_dns_t *d, size_t rdl_off)
{
	pw_be16(d->b + rdl_off, (uint32_t)(d->n - rdl_off - 2));
}

PW_FN void pw_dns_a(pw_dns_t *d, const char *owner, uint32_t ttl, const pw_addr_t *ip)
{
	size_t o = pw_dns_rr_begin(d, 1, owner, ip->v6 ? PW_DNS_AAAA : PW_DNS_A, ttl);
	memcpy(d->b + d->n, ip->a, ip->v6 ? 16 : 4);
	d->n += ip->v6 ? 16 : 4;
	pw_dns_rr_end(d, o);
}

/* CNAME / PTR / NS record whose RDATA is one (compressible) name. */
PW_FN void pw_dns_namerr(pw_dns_t *d, int sec, const char *owner, uint16_t type, uint32_t ttl,
			 const char *target)
{
	size_t o = pw_dns_rr_begin(d, sec, owner, type, ttl);
	pw_dns_name(d, target);
	pw_dns_rr_end(d, o);
}

PW_FN void pw_dns_mx(pw_dns_t *d, const char *owner, uint32_t ttl, uint16_t pref, const char *ex)
{
	size_t o = pw_dns_rr_begin(d, 1, owner, PW_DNS_MX, ttl);
	pw_be16(d->b + d->n, pref);
	d->n += 2;
	pw_dns_name(d, ex);
	pw_dns_rr_end(d, o);
}

PW_FN void pw_dns_srv(pw_dns_t *d, const char *owner, uint32_t ttl, uint16_t prio, uint16_t weight,
		      uint16_t port, const char *target)
{
	size_t o = pw_dns_rr_begin(d, 1, owner, PW_DNS_SRV, ttl);
	pw_be16(d->b + d->n, prio);
	pw_be16(d->b + d->n + 2, weight);
	pw_be16(d->b + d->n + 4, port);
	d->n += 6;
	int c = d->compress;
	d->compress = 0; /* RFC 2782: SRV target is not compressed */
	pw_dns_name(d, target);
	d->compress = c;
	pw_dns_rr_end(d, o);
}

/* ---------------------------------------------------------------- TLS */
static inline size_t pw_put16(uint8_t *p, size_t n, uint32_t v)
{
	pw_be16(p + n, v);
	return n + 2;
}

/* TLS ClientHello record with SNI and ALPN. tls13 adds supported_versions (1.3, 1.2) and an
 * x25519 key_share like a modern browser. alpn: comma-free list given as an array, may be NULL.
 * Returns record length. Random bytes come from r. */
PW_FN size_t pw_tls_client_hello(uint8_t *out, pw_rng_t *r, const char *sni, const char *const *alpn,
				 int nalpn, int tls13)
{
	uint8_t *p = out;
	size_t n = 0;
	p[n++] = 0x16; n = pw_put16(p, n, 0x0301); n += 2;         /* record, len later */
	size_t hs = n;
	p[n++] = 1; n += 3;                                        /* ClientHello, len later */
	n = pw_put16(p, n, 0x0303);
	pw_fill(r, p + n, 32); n += 32;
	p[n++] = 32; pw_fill(r, p + n, 32); n += 32;
	static const uint16_t cs[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
				      0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
	n = pw_put16(p, n, (uint32_t)sizeof(cs));
	for (size_t i = 0; i < sizeof(cs) / 2; i++)
		n = pw_put16(p, n, cs[i]);
	p[n++] = 1; p[n++] = 0;                                    /* compression: null */
	size_t extl = n; n += 2;
	/* server_name */
	size_t sl = strlen(sni);
	n = pw_put16(p, n, 0x0000); n = pw_put16(p, n, (uint32_t)(sl + 5));
	n = pw_put16(p, n, (uint32_t)(sl + 3)); p[n++] = 0; n = pw_put16(p, n, (uint32_t)sl);
	memcpy(p + n, sni, sl); n += sl;
	/* extended_master_secret, renegotiation_info */
	n = pw_put16(p, n, 0x0017); n = pw_put16(p, n, 0);
	n = pw_put16(p, n, 0xff01); n = pw_put16(p, n, 1); p[n++] = 0;
	/* supported_groups */
	n = pw_put16(p, n, 0x000a); n = pw_put16(p, n, 8); n = pw_put16(p, n, 6);
	n = pw_put16(p, n, 0x001d); n = pw_put16(p, n, 0x0017); n = pw_put16(p, n, 0x0018);
	/* ec_point_formats */
	n = pw_put16(p, n, 0x000b); n = pw_put16(p, n, 2); p[n++] = 1; p[n++] = 0;
	/* session_ticket */
	n = pw_put16(p, n, 0x0023); n = pw_put16(p, n, 0);
	/* ALPN */
	if (alpn && nalpn) {
		size_t tot = 0;
		for (int i = 0; i < nalpn; i++)
			tot += 1 + strlen(alpn[i]);
		n = pw_put16(p, n, 0x0010); n = pw_put16(p, n, (uint32_t)(tot + 2));
		n = pw_put16(p, n, (uint32_t)tot);
		for (int i = 0; i < nalpn; i++) {
			size_t al = strlen(alpn[i]);
			p[n++] = (uint8_t)al;
			memcpy(p + n, alpn[i], al);
			n += al;
		}
	}
	/* signature_algorithms */
	static const uint16_t sa[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
	n = pw_put16(p, n, 0x000d); n = pw_put16(p, n, (uint32_t)sizeof(sa) + 2);
	n = pw_put16(p, n, (uint32_t)sizeof(sa));
	for (size_t i = 0; i < sizeof(sa) / 2; i++)
		n = pw_put16(p, n, sa[i]);
	if (tls13) {
		n = pw_put16(p, n, 0x002b); n = pw_put16(p, n, 5); p[n++] = 4;
		n = pw_put16(p, n, 0x0304); n = pw_put16(p, n, 0x0303);
		n = pw_put16(p, n, 0x002d); n = pw_put16(p, n, 2); p[n++] = 1; p[n++] = 1;
		n = pw_put16(p, n, 0x0033); n = pw_put16(p, n, 38); n = pw_put16(p, n, 36);
		n = pw_put16(p, n, 0x001d); n = pw_put16(p, n, 32);
		pw_fill(r, p + n, 32); n += 32;
	}
	pw_be16(p + extl, (uint32_t)(n - extl - 2));
	size_t hl = n - hs - 4;
	p[hs + 1] = (uint8_t)(hl >> 16); p[hs + 2] = (uint8_t)(hl >> 8); p[hs + 3] = (uint8_t)hl;
	pw_be16(p + 3, (uint32_t)(n - 5));
	return n;
}

/* Server's first flight: ServerHello (+ ChangeCipherSpec and an opaque application-data record
 * of about `extra` bytes standing in for encrypted extensions / certificate). Returns length. */
PW_FN size_t pw_tls_server_flight(uint8_t *out, pw_rng_t *r, int tls13, size_t extra)
{
	uint8_t *p = out;
	size_t n = 0;
	p[n++] = 0x16; n = pw_put16(p, n, 0x0303); n += 2;
	size_t hs = n;
	p[n++] = 2; n += 3;
	n = pw_put16(p, n, 0x0303);
	pw_fill(r, p + n, 32); n += 32;
	p[n++] = 32; pw_fill(r, p + n, 32); n += 32;
	n = pw_put16(p, n, tls13 ? 0x1301 : 0xc02f);
	p[n++] = 0;
	size_t extl = n; n += 2;
	if (tls13) {
		n = pw_put16(p, n, 0x002b); n = pw_put16(p, n, 2); n = pw_put16(p, n, 0x0304);
		n = pw_put16(p, n, 0x0033); n = pw_put16(p, n, 36);
		n = pw_put16(p, n, 0x001d); n = pw_put16(p, n, 32);
		pw_fill(r, p + n, 32); n += 32;
	} else {
		n = pw_put16(p, n, 0xff01); n = pw_put16(p, n, 1); p[n++] = 0;
		n = pw_put16(p, n, 0x0017); n = pw_put16(p, n, 0);
	}
	pw_be16(p + extl, (uint32_t)(n - extl - 2));
	size_t hl = n - hs - 4;
	p[hs + 1] = (uint8_t)(hl >> 16); p[hs + 2] = (uint8_t)(hl >> 8); p[hs + 3] = (uint8_t)hl;
	pw_be16(p + 3, (uint32_t)(n - 5));
	/* ChangeCipherSpec */
	p[n++] = 0x14; n = pw_put16(p, n, 0x0303); n = pw_put16(p, n, 1); p[n++] = 1;
	if (extra) {
		p[n++] = 0x17; n = pw_put16(p, n, 0x0303); n = pw_put16(p, n, (uint32_t)extra);
		pw_fill(r, p + n, extra);
		n += extra;
	}
	return n;
}

/* ---------------------------------------------------------------- HTTP / RTSP */
PW_FN size_t pw_http_get(char *out, size_t cap, const char *host, const char *url, const char *ua)
{
	int k = snprintf(out, cap,
			 "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n"
			 "Accept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n",
			 url, host, ua ? ua : "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
	return k < 0 ? 0 : (size_t)k < cap ? (size_t)k : cap - 1;
}

/* "HTTP/1.1 200 OK" with a Server banner and a body of body_len filler bytes. */
PW_FN size_t pw_http_resp(char *out, size_t cap, const char *server, const char *ctype,
			  size_t body_len)
{
	int k = snprintf(out, cap,
			 "HTTP/1.1 200 OK\r\nServer: %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: keep-alive\r\n\r\n",
			 server, ctype, body_len);
	if (k < 0)
		return 0;
	size_t n = (size_t)k;
	static const char filler[] = "<html><body>vigil synthetic content</body></html>\n";
	for (size_t i = 0; i < body_len && n + 1 < cap; i++)
		out[n++] = filler[i % (sizeof(filler) - 1)];
	out[n] = 0;
	return n;
}

PW_FN size_t pw_rtsp_req(char *out, size_t cap, const char *method, const char *url, int cseq)
{
	int k = snprintf(out, cap,
			 "%s %s RTSP/1.0\r\nCSeq: %d\r\nUser-Agent: LibVLC/3.0.18 (LIVE555 Streaming "
			 "Media v2016.11.28)\r\n%s\r\n",
			 method, url, cseq,
			 method[0] == 'D' ? "Accept: application/sdp\r\n" : "");
	return k < 0 ? 0 : (size_t)k;
}

PW_FN size_t pw_rtsp_resp(char *out, size_t cap, int cseq, const char *server, int describe)
{
	int k;
	if (!describe)
		k = snprintf(out, cap,
			     "RTSP/1.0 200 OK\r\nCSeq: %d\r\nServer: %s\r\nPublic: OPTIONS, DESCRIBE, "
			     "PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER\r\n"
			     "Date:  Tue, Mar 12 2024 09:00:01 GMT\r\n\r\n",
			     cseq, server);
	else
		k = snprintf(out, cap,
			     "RTSP/1.0 401 Unauthorized\r\nCSeq: %d\r\nServer: %s\r\n"
			     "WWW-Authenticate: Digest realm=\"IP Camera(C2183)\", "
			     "nonce=\"9c5ad3b5ce0ba7f3e1a6f4a0fd7c4f1e\", stale=\"FALSE\"\r\n"
			     "WWW-Authenticate: Basic realm=\"IP Camera(C2183)\"\r\n"
			     "Date:  Tue, Mar 12 2024 09:00:01 GMT\r\n\r\n",
			     cseq, server);
	return k < 0 ? 0 : (size_t)k;
}

/* ---------------------------------------------------------------- deterministic pools */
static const char *const pw_syl[] = {
	"ba", "be", "bi", "bo", "ca", "co", "da", "de", "di", "do", "fa", "fe", "ga", "go", "ha",
	"he", "ka", "ki", "ko", "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "na", "ne",
	"ni", "no", "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta",
	"te", "ti", "to", "va", "ve", "vi", "xa", "za", "zo", "net", "web", "tek", "sys", "log",
	"max", "pro", "hub", "box", "zen", "ly", "io", "ex", "on", "ar", "er", "in", "al"};
static const char *const pw_tld[] = {"com", "com", "com", "com", "net", "net", "org", "org",
				     "info", "io", "ru", "cn", "de", "co", "xyz", "top", "biz",
				     "online", "site", "club", "uk", "br", "in", "me"};
static const char *const pw_sub[] = {"www", "api", "cdn", "static", "mail", "img", "update",
				     "login", "m", "app", "assets", "media", "dl", "s3", "edge",
				     "auth", "beacon", "telemetry", "ns1", "push"};

#define PW_NSYL (sizeof(pw_syl) / sizeof(pw_syl[0]))
#define PW_NTLD (sizeof(pw_tld) / sizeof(pw_tld[0]))
#define PW_NSUB (sizeof(pw_sub) / sizeof(pw_sub[0]))

/* A pronounceable label of nsyl syllables from r. */
PW_FN size_t pw_word(pw_rng_t *r, char *out, size_t cap, int nsyl)
{
	size_t n = 0;
	for (int i = 0; i < nsyl; i++) {
		const char *s = pw_syl[pw_below(r, PW_NSYL)];
		size_t l = strlen(s);
		if (n + l + 1 > cap)
			break;
		memcpy(out + n, s, l);
		n += l;
	}
	out[n] = 0;
	return n;
}

/* A random letters+digits label of length len. */
PW_FN size_t pw_rlabel(pw_rng_t *r, char *out, size_t len)
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789";
	for (size_t i = 0; i < len; i++)
		out[i] = al[pw_below(r, sizeof(al) - 1)];
	if (out[0] >= '0' && out[0] <= '9')
		out[0] = 'x';
	out[len] = 0;
	return len;
}

#define PW_POOL_NAMES 20000

/* Name number idx of the pool for seed (idx < PW_POOL_NAMES). A few well-known names first. */
PW_FN void pw_pool_name(uint64_t seed, uint32_t idx, char *out, size_t cap)
{
	static const char *const known[] = {
		"www.google.com", "www.youtube.com", "www.facebook.com", "graph.facebook.com",
		"login.microsoftonline.com", "www.amazon.com", "api.github.com", "www.wikipedia.org",
		"outlook.office365.com", "www.netflix.com", "clients4.google.com", "www.apple.com",
		"update.googleapis.com", "www.bing.com", "cdn.jsdelivr.net", "www.cloudflare.com"};
	if (idx < sizeof(known) / sizeof(known[0])) {
		snprintf(out, cap, "%s", known[idx]);
		return;
	}
	pw_rng_t r;
	pw_rng_seed(&r, pw_mix3(seed, 0x4e414d45, idx));
	char w[64];
	pw_word(&r, w, sizeof(w), (int)pw_range(&r, 2, 4));
	const char *tld = pw_tld[pw_below(&r, PW_NTLD)];
	uint32_t k = pw_below(&r, 10);
	if (k < 4)
		snprintf(out, cap, "%s.%s", w, tld);
	else if (k < 9)
		snprintf(out, cap, "%s.%s.%s", pw_sub[pw_below(&r, PW_NSUB)], w, tld);
	else {
		char w2[32];
		pw_word(&r, w2, sizeof(w2), 2);
		snprintf(out, cap, "%s.%s.%s.%s", w2, pw_sub[pw_below(&r, PW_NSUB)], w, tld);
	}
}

/* Server IPv4 address (host order) that pool name idx resolves to; public, non-reserved. */
PW_FN uint32_t pw_pool_ip4(uint64_t seed, uint32_t idx)
{
	pw_rng_t r;
	pw_rng_seed(&r, pw_mix3(seed, 0x49503434, idx));
	return pw_public_ip4(&r);
}

#endif
