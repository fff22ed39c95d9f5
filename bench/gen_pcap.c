// SPDX-License-Identifier: Apache-2.0
// gen_pcap — deterministic capture generator for vigil's benchmarks, demo and end-to-end tests.
//
//   gen_pcap mixed OUT.pcap [N] [SEED]   N packets (default 2,000,000) of mixed traffic: by packet
//                                        count ~40% small TCP, 30% 1514-byte bulk TCP, 15% DNS,
//                                        10% TLS handshakes, 5% HTTP; ~50k flows; counts to stderr.
//   gen_pcap demo OUT.pcap               the small office capture shipped as demo/office.pcap.
//   gen_pcap cases DIR                   crafted captures for tests/cases; manifest on stdout.
//
// Everything is a pure function of the arguments: a fixed-seed xoshiro256** (bench/pcapw.h)
// drives all choices and timestamps start at a fixed epoch, so the same command writes the same
// bytes on every run and machine. Hostnames / server IPs of `mixed` come from the shared pool in
// pcapw.h (pw_pool_name / pw_pool_ip4, keyed by SEED) so `gen_feed --hits SEED` can list some
// of them. This is a standalone tool: it prints and exits, unlike library code.
#include "pcapw.h"

#include <errno.h>
#include <inttypes.h>

#define T0 1710234000000000ULL /* 2024-03-12 09:00:00 UTC in microseconds */

static void die(const char *what, const char *path)
{
	fprintf(stderr, "gen_pcap: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static uint64_t parse_u64(const char *s, const char *what)
{
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || !end || *end || end == s) {
		fprintf(stderr, "gen_pcap: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static const char *const UAS[] = {
	("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	 "Chrome/122.0.0.0 Safari/537.36"),
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0",
	"curl/7.88.1",
	"Microsoft-CryptoAPI/10.0",
};

/* ================================================================ mixed */

enum { K_SMALL, K_BULK, K_DNS, K_TLS, K_HTTP, K_N };
static const char *const KNAME[K_N] = {"small_tcp", "bulk_tcp", "dns", "tls", "http"};
static const double KFRAC[K_N] = {0.40, 0.30, 0.15, 0.10, 0.05};

typedef struct {
	pw_addr_t cli, srv;
	uint16_t cport, sport;
	uint32_t cseq, sseq;
	uint32_t left;  /* packets left before the flow closes */
	uint32_t mac;   /* low bits of the client MAC */
	int open;
} slot_t;

#define NSLOT 2048

typedef struct {
	pw_writer_t w;
	pw_rng_t r;
	uint64_t seed;
	uint64_t ts;
	uint64_t pk[K_N], ev[K_N];
	uint64_t flows;
	uint32_t nslot; /* active TCP slots: NSLOT, fewer for tiny files */
	uint8_t buf[PW_MAXPKT];
	uint8_t bulk[1500];
	slot_t slot[NSLOT];
	pw_link_t link;
	pw_conn_t conn;
} mixed_t;

static void tick(mixed_t *m) { m->ts += pw_range(&m->r, 1, 19); }

static pw_addr_t client_addr(mixed_t *m, int v6, uint32_t *mac)
{
	uint32_t h = pw_below(&m->r, 4000);
	*mac = h + 1;
	if (!v6)
		return pw_v4b(10, 1 + h / 250, 1 + h % 250 / 1, 10 + h % 200);
	uint16_t g[8] = {0x2a02, 0x8108, 0x1a40, (uint16_t)(0x100 + h / 250), 0, 0, 0,
			 (uint16_t)(0x10 + h % 250)};
	g[4] = (uint16_t)(0x1000 + h * 7);
	g[6] = (uint16_t)(h * 13);
	return pw_v6(g);
}

static pw_addr_t server_v6(uint32_t ip4)
{
	uint16_t g[8] = {0x2606, 0x4700, (uint16_t)(ip4 >> 20), 0, 0, 0,
			 (uint16_t)(ip4 >> 16), (uint16_t)ip4};
	return pw_v6(g);
}

/* Skewed pick of a pool name: low indices (incl. the well-known names) are more popular. */
static uint32_t pick_name(mixed_t *m)
{
	return pw_below(&m->r, pw_below(&m->r, PW_POOL_NAMES) + 1);
}

static void emit(mixed_t *m, int kind, size_t len)
{
	pw_write(&m->w, m->ts, m->buf, len);
	m->pk[kind]++;
	tick(m);
}

static void slot_tcp(mixed_t *m, int kind, slot_t *s, int dir, uint8_t flags, const uint8_t *pl,
		     size_t n)
{
	pw_link_eth(&m->link, s->mac, 0x0a0b0c);
	size_t len;
	if (dir == 0) {
		len = pw_tcp_pkt(m->buf, &m->link, 0, &s->cli, &s->srv, s->cport, s->sport, s->cseq,
				 s->sseq, flags, pl, n);
		s->cseq += n + ((flags & (PW_SYN | PW_FIN)) ? 1 : 0);
	} else {
		len = pw_tcp_pkt(m->buf, &m->link, 1, &s->srv, &s->cli, s->sport, s->cport, s->sseq,
				 s->cseq, flags, pl, n);
		s->sseq += n + ((flags & (PW_SYN | PW_FIN)) ? 1 : 0);
	}
	emit(m, kind, len);
}

static void slot_new(mixed_t *m, slot_t *s)
{
	int v6 = pw_chance(&m->r, 100);
	s->cli = client_addr(m, v6, &s->mac);
	uint32_t ip = pw_pool_ip4(m->seed, pick_name(m));
	s->srv = v6 ? server_v6(ip) : pw_v4(ip);
	static const uint16_t ports[] = {443, 443, 443, 443, 993, 8443, 4443, 9443, 853, 5061};
	s->sport = ports[pw_below(&m->r, sizeof(ports) / sizeof(ports[0]))];
	s->cport = (uint16_t)pw_range(&m->r, 32768, 60999);
	s->cseq = (uint32_t)pw_rand(&m->r);
	s->sseq = (uint32_t)pw_rand(&m->r);
	s->left = pw_range(&m->r, 6, 50);
	s->open = 1;
	m->flows++;
	slot_tcp(m, K_SMALL, s, 0, PW_SYN, NULL, 0);
	slot_tcp(m, K_SMALL, s, 1, PW_SYN | PW_ACK, NULL, 0);
	slot_tcp(m, K_SMALL, s, 0, PW_ACK, NULL, 0);
}

static slot_t *slot_pick(mixed_t *m)
{
	slot_t *s = &m->slot[pw_below(&m->r, m->nslot)];
	if (s->open && s->left == 0) {
		slot_tcp(m, K_SMALL, s, 0, PW_FIN | PW_ACK, NULL, 0);
		slot_tcp(m, K_SMALL, s, 1, PW_FIN | PW_ACK, NULL, 0);
		slot_tcp(m, K_SMALL, s, 0, PW_ACK, NULL, 0);
		s->open = 0;
	}
	if (!s->open)
		slot_new(m, s);
	return s;
}

static void ev_small(mixed_t *m)
{
	slot_t *s = slot_pick(m);
	uint8_t pl[160];
	if (pw_chance(&m->r, 500)) {
		slot_tcp(m, K_SMALL, s, (int)pw_below(&m->r, 2), PW_ACK, NULL, 0);
	} else {
		size_t n = pw_range(&m->r, 1, 146);
		pw_fill(&m->r, pl, n);
		slot_tcp(m, K_SMALL, s, (int)pw_below(&m->r, 2), PW_PSH | PW_ACK, pl, n);
	}
	if (s->left)
		s->left--;
}

static void ev_bulk(mixed_t *m)
{
	slot_t *s = slot_pick(m);
	size_t mss = s->cli.v6 ? 1440 : 1460;
	/* rotate the shared filler so consecutive segments differ */
	size_t off = pw_below(&m->r, 40);
	slot_tcp(m, K_BULK, s, pw_chance(&m->r, 850), PW_ACK, m->bulk + off, mss);
	if (s->left)
		s->left--;
}

static void dns_name_for(mixed_t *m, uint32_t idx, char *out, size_t cap)
{
	pw_pool_name(m->seed, idx, out, cap);
}

static void ev_dns(mixed_t *m)
{
	int v6 = pw_chance(&m->r, 80);
	uint32_t mac;
	pw_addr_t cli = client_addr(m, v6, &mac);
	pw_addr_t res;
	if (v6) {
		static const uint16_t g[8] = {0x2001, 0x4860, 0x4860, 0, 0, 0, 0, 0x8888};
		res = pw_v6(g);
	} else {
		static const uint32_t rs[] = {0x0a000035, 0x08080808, 0x01010101, 0x09090909};
		res = pw_v4(rs[pw_below(&m->r, 4)]);
	}
	uint32_t idx = pick_name(m);
	char name[256];
	dns_name_for(m, idx, name, sizeof(name));
	int aaaa = pw_chance(&m->r, 250);
	uint16_t id = (uint16_t)pw_rand(&m->r), cport = (uint16_t)pw_range(&m->r, 1024, 65535);
	pw_dns_t d;
	pw_dns_begin(&d, id, 0x0100);
	pw_dns_question(&d, name, aaaa ? PW_DNS_AAAA : PW_DNS_A);
	pw_link_eth(&m->link, mac, 0x0a0b0c);
	emit(m, K_DNS, pw_udp_pkt(m->buf, &m->link, 0, &cli, &res, cport, 53, d.b, d.n));
	m->ts += pw_range(&m->r, 200, 30000);

	pw_dns_begin(&d, id, 0x8180);
	pw_dns_question(&d, name, aaaa ? PW_DNS_AAAA : PW_DNS_A);
	const char *owner = name;
	char cname[300];
	if (pw_chance(&m->r, 300)) {
		char w[32];
		pw_word(&m->r, w, sizeof(w), 2);
		snprintf(cname, sizeof(cname), "%s.edgekey-%s.net", w, aaaa ? "v6" : "v4");
		pw_dns_namerr(&d, 1, name, PW_DNS_CNAME, 300, cname);
		owner = cname;
	}
	uint32_t ip = pw_pool_ip4(m->seed, idx);
	int nans = (int)pw_range(&m->r, 1, 3);
	for (int i = 0; i < nans; i++) {
		pw_addr_t a = aaaa ? server_v6(ip + (uint32_t)i) : pw_v4(ip + (uint32_t)i);
		pw_dns_a(&d, owner, 60 + pw_below(&m->r, 3600), &a);
	}
	emit(m, K_DNS, pw_udp_pkt(m->buf, &m->link, 1, &res, &cli, 53, cport, d.b, d.n));
}

static void conn_begin(mixed_t *m, int kind, uint16_t port, uint32_t idx, char *name, size_t cap)
{
	int v6 = pw_chance(&m->r, 100);
	uint32_t mac;
	pw_addr_t cli = client_addr(m, v6, &mac);
	pw_pool_name(m->seed, idx, name, cap);
	uint32_t ip = pw_pool_ip4(m->seed, idx);
	pw_link_eth(&m->link, mac, 0x0a0b0c);
	pw_conn_init(&m->conn, &m->w, &m->link, cli, (uint16_t)pw_range(&m->r, 32768, 60999),
		     v6 ? server_v6(ip) : pw_v4(ip), port, m->ts, (uint32_t)pw_rand(&m->r));
	m->conn.gap_us = pw_range(&m->r, 5, 60);
	m->flows++;
	(void)kind;
}

static void conn_end(mixed_t *m, int kind, uint64_t before)
{
	m->pk[kind] += m->w.npkts - before;
	m->ts = m->conn.ts;
	tick(m);
}

static void ev_tls(mixed_t *m)
{
	char name[256];
	uint64_t before = m->w.npkts;
	conn_begin(m, K_TLS, 443, pick_name(m), name, sizeof(name));
	static const char *const alpn[] = {"h2", "http/1.1"};
	int t13 = pw_chance(&m->r, 700);
	pw_conn_open(&m->conn);
	size_t n = pw_tls_client_hello(m->buf, &m->r, name, alpn, pw_chance(&m->r, 800) ? 2 : 0, t13);
	pw_conn_send(&m->conn, 0, m->buf, n);
	n = pw_tls_server_flight(m->buf, &m->r, t13, pw_range(&m->r, 800, 2600));
	pw_conn_send(&m->conn, 1, m->buf, n);
	pw_conn_close(&m->conn);
	conn_end(m, K_TLS, before);
}

static void ev_http(mixed_t *m)
{
	char name[256], url[128], req[1024], resp[4096];
	uint64_t before = m->w.npkts;
	conn_begin(m, K_HTTP, pw_chance(&m->r, 900) ? 80 : 8080, pick_name(m), name, sizeof(name));
	static const char *const paths[] = {"/", "/index.html", "/api/v1/status", "/images/logo.png",
					    "/js/app.min.js", "/update/check", "/download.php",
					    "/wp-login.php", "/favicon.ico", "/cgi-bin/luci"};
	const char *p = paths[pw_below(&m->r, sizeof(paths) / sizeof(paths[0]))];
	if (pw_chance(&m->r, 300))
		snprintf(url, sizeof(url), "%s?id=%u&v=%u", p, pw_below(&m->r, 100000),
			 pw_below(&m->r, 20));
	else
		snprintf(url, sizeof(url), "%s", p);
	pw_conn_open(&m->conn);
	size_t n = pw_http_get(req, sizeof(req), name, url, UAS[pw_below(&m->r, 4)]);
	pw_conn_send(&m->conn, 0, req, n);
	static const char *const srv[] = {"nginx", "Apache/2.4.57 (Debian)", "cloudflare",
					  "Microsoft-IIS/10.0"};
	n = pw_http_resp(resp, sizeof(resp), srv[pw_below(&m->r, 4)], "text/html",
			 pw_range(&m->r, 100, 3500));
	pw_conn_send(&m->conn, 1, resp, n);
	pw_conn_close(&m->conn);
	conn_end(m, K_HTTP, before);
}

static int mode_mixed(const char *out, uint64_t n, uint64_t seed)
{
	mixed_t *m = calloc(1, sizeof(*m));
	if (!m)
		return 1;
	m->seed = seed;
	pw_rng_seed(&m->r, seed ^ 0x6d69786564ULL);
	pw_fill(&m->r, m->bulk, sizeof(m->bulk));
	m->ts = T0;
	m->nslot = n / 64 < NSLOT ? (uint32_t)(n / 64) + 1 : NSLOT;
	if (pw_open(&m->w, out, PW_DLT_EN10MB) != 0)
		die("cannot write", out);
	/* expected packets per event, refined as we go */
	double sz[K_N] = {1.2, 1.1, 2, 12, 12};
	void (*fn[K_N])(mixed_t *) = {ev_small, ev_bulk, ev_dns, ev_tls, ev_http};
	while (m->w.npkts < n) {
		double w[K_N], tot = 0;
		for (int k = 0; k < K_N; k++) {
			if (m->ev[k] >= 16)
				sz[k] = (double)m->pk[k] / (double)m->ev[k];
			w[k] = KFRAC[k] / sz[k];
			/* feedback: events of one kind also emit packets of another (a bulk event
			 * may open a flow with small packets), so steer by the observed shares */
			if (m->w.npkts > 10000) {
				double adj = KFRAC[k] * (double)m->w.npkts / ((double)m->pk[k] + 1);
				w[k] *= adj < 0.5 ? 0.5 : adj > 2 ? 2 : adj * adj;
			}
			tot += w[k];
		}
		double x = (double)(pw_rand(&m->r) >> 11) / 9007199254740992.0 * tot;
		int k = 0;
		while (k < K_N - 1 && x >= w[k]) {
			x -= w[k];
			k++;
		}
		fn[k](m);
		m->ev[k]++;
	}
	uint64_t total = m->w.npkts, bytes = m->w.nbytes;
	if (pw_close(&m->w) != 0)
		die("write error on", out);
	fprintf(stderr, "gen_pcap mixed: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu64
			" TCP flows, seed %" PRIu64 "\n",
		total, bytes, m->flows, seed);
	for (int k = 0; k < K_N; k++)
		fprintf(stderr, "  %-10s %9" PRIu64 " packets (%5.2f%%) in %" PRIu64 " events\n",
			KNAME[k], m->pk[k], 100.0 * (double)m->pk[k] / (double)total, m->ev[k]);
	free(m);
	return 0;
}

/* ================================================================ shared scenario helpers */

typedef struct {
	pw_writer_t w;
	pw_rng_t r;
	uint64_t ts;
	pw_link_t link;
	pw_conn_t c;
	uint8_t buf[PW_MAXPKT];
} scn_t;

static void scn_open(scn_t *s, const char *path, uint32_t dlt, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	pw_rng_seed(&s->r, seed);
	s->ts = T0;
	if (pw_open(&s->w, path, dlt) != 0)
		die("cannot write", path);
	pw_link_eth(&s->link, 0x000010, 0x000001);
	s->link.dlt = dlt;
}

static uint64_t scn_close(scn_t *s, const char *path)
{
	uint64_t n = s->w.npkts;
	if (pw_close(&s->w) != 0)
		die("write error on", path);
	return n;
}

/* One DNS exchange; answers built by the callback-free convention: pass A/AAAA addresses. */
static void scn_dns(scn_t *s, pw_addr_t cli, pw_addr_t srv, const char *name, uint16_t qtype,
		    const pw_addr_t *ans, int nans)
{
	pw_dns_t d;
	uint16_t id = (uint16_t)pw_rand(&s->r), port = (uint16_t)pw_range(&s->r, 1024, 65535);
	pw_dns_begin(&d, id, 0x0100);
	pw_dns_question(&d, name, qtype);
	pw_write(&s->w, s->ts, s->buf,
		 pw_udp_pkt(s->buf, &s->link, 0, &cli, &srv, port, 53, d.b, d.n));
	s->ts += 12000;
	pw_dns_begin(&d, id, 0x8180);
	pw_dns_question(&d, name, qtype);
	for (int i = 0; i < nans; i++)
		pw_dns_a(&d, name, 300, &ans[i]);
	pw_write(&s->w, s->ts, s->buf,
		 pw_udp_pkt(s->buf, &s->link, 1, &srv, &cli, 53, port, d.b, d.n));
	s->ts += 50000;
}

/* Writes a prepared DNS message pair (query q, response a). */
static void scn_dns_raw(scn_t *s, pw_addr_t cli, pw_addr_t srv, const pw_dns_t *q,
			const pw_dns_t *a)
{
	uint16_t port = (uint16_t)pw_range(&s->r, 1024, 65535);
	pw_write(&s->w, s->ts, s->buf,
		 pw_udp_pkt(s->buf, &s->link, 0, &cli, &srv, port, 53, q->b, q->n));
	s->ts += 12000;
	pw_write(&s->w, s->ts, s->buf,
		 pw_udp_pkt(s->buf, &s->link, 1, &srv, &cli, 53, port, a->b, a->n));
	s->ts += 50000;
}

static void scn_conn(scn_t *s, pw_addr_t cli, uint16_t cport, pw_addr_t srv, uint16_t sport)
{
	pw_conn_init(&s->c, &s->w, &s->link, cli, cport, srv, sport, s->ts,
		     (uint32_t)pw_rand(&s->r));
	s->c.gap_us = 900;
}

static void scn_done(scn_t *s) { s->ts = s->c.ts + 100000; }

static void scn_tls(scn_t *s, pw_addr_t cli, uint16_t cport, pw_addr_t srv, uint16_t sport,
		    const char *sni, int t13)
{
	static const char *const alpn[] = {"h2", "http/1.1"};
	scn_conn(s, cli, cport, srv, sport);
	pw_conn_open(&s->c);
	size_t n = pw_tls_client_hello(s->buf, &s->r, sni, alpn, 2, t13);
	pw_conn_send(&s->c, 0, s->buf, n);
	n = pw_tls_server_flight(s->buf, &s->r, t13, 1200);
	pw_conn_send(&s->c, 1, s->buf, n);
	pw_conn_close(&s->c);
	scn_done(s);
}

static void scn_http(scn_t *s, pw_addr_t cli, uint16_t cport, pw_addr_t srv, uint16_t sport,
		     const char *host, const char *url, const char *server, size_t body)
{
	char req[2048], resp[8192];
	scn_conn(s, cli, cport, srv, sport);
	pw_conn_open(&s->c);
	size_t n = pw_http_get(req, sizeof(req), host, url, UAS[0]);
	pw_conn_send(&s->c, 0, req, n);
	n = pw_http_resp(resp, sizeof(resp), server, "text/html", body);
	pw_conn_send(&s->c, 1, resp, n);
	pw_conn_close(&s->c);
	scn_done(s);
}

/* TCP connection with opaque bytes both ways (no application protocol vigil parses). */
static void scn_opaque(scn_t *s, pw_addr_t cli, uint16_t cport, pw_addr_t srv, uint16_t sport,
		       size_t up, size_t down)
{
	uint8_t b[4096];
	scn_conn(s, cli, cport, srv, sport);
	pw_conn_open(&s->c);
	pw_fill(&s->r, b, up);
	pw_conn_send(&s->c, 0, b, up);
	pw_fill(&s->r, b, down);
	pw_conn_send(&s->c, 1, b, down);
	pw_conn_close(&s->c);
	scn_done(s);
}

/* ================================================================ demo */

#define DEMO_C2_DOMAIN "help.checkonl.org"
#define DEMO_C2_IP 0xb9754b22u /* 185.117.75.34 */
#define DEMO_IPPORT_IP 0x8b3b1e6du /* 139.59.30.109, listed as 139.59.30.109:8090 */

static int mode_demo(const char *out)
{
	scn_t *s = calloc(1, sizeof(*s));
	if (!s)
		return 1;
	scn_open(s, out, PW_DLT_EN10MB, 0xde30);
	pw_addr_t gw = pw_v4b(192, 168, 10, 1);
	struct { const char *name; uint32_t ip; } sites[] = {
		{"www.google.com", 0x8efa4a64},          /* 142.250.74.100 */
		{"www.wikipedia.org", 0xd0505b07 & 0xffffffff}, /* 208.80.154.224-ish */
		{"outlook.office365.com", 0x34604804},   /* 52.96.72.4 */
		{"github.com", 0x8c527904},              /* 140.82.121.4 */
		{"www.bbc.co.uk", 0x97650054},           /* 151.101.0.84 */
		{"update.googleapis.com", 0x8efa4ac3},   /* 142.250.74.195 */
	};
	sites[1].ip = 0xd0509ae0; /* 208.80.154.224 */
	const size_t nsites = sizeof(sites) / sizeof(sites[0]);
	for (int round = 0; round < 3; round++) {
		/* the NVR/PC .21 polls the four cameras over RTSP and their web UI */
		for (int cam = 0; cam < 4; cam++) {
			pw_addr_t pc = pw_v4b(192, 168, 10, 21), cm = pw_v4b(192, 168, 10, 101 + cam);
			char req[512], resp[1024], url[64];
			pw_link_eth(&s->link, 0x000021, 0x0c0101 + (uint32_t)cam);
			snprintf(url, sizeof(url), "rtsp://192.168.10.%d:554/Streaming/Channels/101",
				 101 + cam);
			scn_conn(s, pc, (uint16_t)(50110 + round * 10 + cam), cm, 554);
			pw_conn_open(&s->c);
			size_t n = pw_rtsp_req(req, sizeof(req), "OPTIONS", url, 2);
			pw_conn_send(&s->c, 0, req, n);
			n = pw_rtsp_resp(resp, sizeof(resp), 2, "Hikvision-Webs", 0);
			pw_conn_send(&s->c, 1, resp, n);
			n = pw_rtsp_req(req, sizeof(req), "DESCRIBE", url, 3);
			pw_conn_send(&s->c, 0, req, n);
			n = pw_rtsp_resp(resp, sizeof(resp), 3, "Hikvision-Webs", 1);
			pw_conn_send(&s->c, 1, resp, n);
			pw_conn_close(&s->c);
			scn_done(s);
			if (round == 0) {
				char host[32];
				snprintf(host, sizeof(host), "192.168.10.%d", 101 + cam);
				scn_http(s, pc, (uint16_t)(50200 + cam), cm, 80, host,
					 "/doc/page/login.asp?_1710234001", "App-webs/", 600);
			}
		}
		/* five PCs browse */
		for (int pcn = 0; pcn < 5; pcn++) {
			pw_addr_t pc = pw_v4b(192, 168, 10, 21 + (unsigned)pcn);
			pw_link_eth(&s->link, 0x000021 + (uint32_t)pcn, 0x000001);
			size_t si = ((size_t)round * 5 + (size_t)pcn) % nsites;
			pw_addr_t ip = pw_v4(sites[si].ip);
			scn_dns(s, pc, gw, sites[si].name, PW_DNS_A, &ip, 1);
			scn_tls(s, pc, (uint16_t)(51000 + round * 100 + pcn), ip, 443, sites[si].name,
				(pcn & 1) == 0);
			if (pcn == 2) {
				pw_addr_t np = pw_v4(0x22df7c2du); /* 34.223.124.45 */
				scn_dns(s, pc, gw, "neverssl.com", PW_DNS_A, &np, 1);
				scn_http(s, pc, (uint16_t)(52000 + round), np, 80, "neverssl.com",
					 "/online/", "nginx", 2600);
			}
		}
		/* the infected PC beacons to its C2 every round */
		pw_addr_t bad = pw_v4b(192, 168, 10, 66), c2 = pw_v4(DEMO_C2_IP);
		pw_link_eth(&s->link, 0x000066, 0x000001);
		scn_dns(s, bad, gw, DEMO_C2_DOMAIN, PW_DNS_A, &c2, 1);
		scn_tls(s, bad, (uint16_t)(49700 + round), c2, 443, DEMO_C2_DOMAIN, 0);
		char url[96];
		snprintf(url, sizeof(url), "/gate.php?id=7f3a91c2e4b0&r=%d", round + 1);
		scn_http(s, bad, (uint16_t)(49800 + round), c2, 80, DEMO_C2_DOMAIN, url, "nginx",
			 64);
		if (round == 1)
			scn_opaque(s, bad, 49900, pw_v4(DEMO_IPPORT_IP), 8090, 320, 1800);
		s->ts += 60000000; /* next minute */
	}
	uint64_t n = scn_close(s, out);
	fprintf(stderr, "gen_pcap demo: %" PRIu64 " packets -> %s\n", n, out);
	free(s);
	return 0;
}

/* ================================================================ cases */

static char g_dir[1024];

static const char *cpath(const char *name)
{
	static char p[1200];
	snprintf(p, sizeof(p), "%s/%s", g_dir, name);
	return p;
}

static void manifest(const char *name, uint64_t pkts, uint32_t dlt, const char *what)
{
	printf("%s\tpackets=%" PRIu64 "\tdlt=%u\t%s\n", name, pkts, dlt, what);
}

#define CLI4 pw_v4b(192, 168, 1, 10)
#define DNS4 pw_v4b(192, 168, 1, 1)

static pw_addr_t v6a(uint16_t a, uint16_t b, uint16_t c, uint16_t d, uint16_t h)
{
	uint16_t g[8] = {a, b, c, d, 0, 0, 0, h};
	return pw_v6(g);
}

static void case_dns_answers(scn_t *s)
{
	const char *f = "dns-answers.pcap";
	scn_open(s, cpath(f), PW_DLT_EN10MB, 101);
	pw_dns_t q, a;
	pw_addr_t ip1 = pw_v4b(81, 2, 69, 7), ip2 = pw_v4b(81, 2, 69, 8);
	/* 1: A with a CNAME chain */
	pw_dns_begin(&q, 0x1001, 0x0100);
	pw_dns_question(&q, "www.dns-case.example.com", PW_DNS_A);
	pw_dns_begin(&a, 0x1001, 0x8180);
	pw_dns_question(&a, "www.dns-case.example.com", PW_DNS_A);
	pw_dns_namerr(&a, 1, "www.dns-case.example.com", PW_DNS_CNAME, 300, "cdn.dns-case.example.net");
	pw_dns_namerr(&a, 1, "cdn.dns-case.example.net", PW_DNS_CNAME, 300,
		      "edge7.cdnprov.example.net");
	pw_dns_a(&a, "edge7.cdnprov.example.net", 60, &ip1);
	pw_dns_a(&a, "edge7.cdnprov.example.net", 60, &ip2);
	scn_dns_raw(s, CLI4, DNS4, &q, &a);
	/* 2: AAAA */
	pw_addr_t v6 = v6a(0x2a05, 0xd014, 0x1, 0x2, 0x25);
	pw_dns_begin(&q, 0x1002, 0x0100);
	pw_dns_question(&q, "v6.dns-case.example.com", PW_DNS_AAAA);
	pw_dns_begin(&a, 0x1002, 0x8180);
	pw_dns_question(&a, "v6.dns-case.example.com", PW_DNS_AAAA);
	pw_dns_a(&a, "v6.dns-case.example.com", 300, &v6);
	scn_dns_raw(s, CLI4, DNS4, &q, &a);
	/* 3: PTR */
	pw_dns_begin(&q, 0x1003, 0x0100);
	pw_dns_question(&q, "7.69.2.81.in-addr.arpa", PW_DNS_PTR);
	pw_dns_begin(&a, 0x1003, 0x8180);
	pw_dns_question(&a, "7.69.2.81.in-addr.arpa", PW_DNS_PTR);
	pw_dns_namerr(&a, 1, "7.69.2.81.in-addr.arpa", PW_DNS_PTR, 3600, "host7.dns-case.example.com");
	scn_dns_raw(s, CLI4, DNS4, &q, &a);
	/* 4: MX */
	pw_dns_begin(&q, 0x1004, 0x0100);
	pw_dns_question(&q, "dns-case.example.com", PW_DNS_MX);
	pw_dns_begin(&a, 0x1004, 0x8180);
	pw_dns_question(&a, "dns-case.example.com", PW_DNS_MX);
	pw_dns_mx(&a, "dns-case.example.com", 3600, 10, "mail.dns-case.example.com");
	pw_dns_mx(&a, "dns-case.example.com", 3600, 20, "mx2.mailhost.example.net");
	scn_dns_raw(s, CLI4, DNS4, &q, &a);
	/* 5: NS */
	pw_dns_begin(&q, 0x1005, 0x0100);
	pw_dns_question(&q, "dns-case.example.com", PW_DNS_NS);
	pw_dns_begin(&a, 0x1005, 0x8180);
	pw_dns_question(&a, "dns-case.example.com", PW_DNS_NS);
	pw_dns_namerr(&a, 1, "dns-case.example.com", PW_DNS_NS, 86400, "ns1.dns-case.example.com");
	pw_dns_namerr(&a, 1, "dns-case.example.com", PW_DNS_NS, 86400, "ns2.dnshost.example.org");
	scn_dns_raw(s, CLI4, DNS4, &q, &a);
	/* 6: SRV */
	pw_dns_begin(&q, 0x1006, 0x0100);
	pw_dns_question(&q, "_sip._tcp.dns-case.example.com", PW_DNS_SRV);
	pw_dns_begin(&a, 0x1006, 0x8180);
	pw_dns_question(&a, "_sip._tcp.dns-case.example.com", PW_DNS_SRV);
	pw_dns_srv(&a, "_sip._tcp.dns-case.example.com", 600, 10, 60, 5060,
		   "sip1.dns-case.example.com");
	scn_dns_raw(s, CLI4, DNS4, &q, &a);
	manifest(f, scn_close(s, cpath(f)), PW_DLT_EN10MB,
		 "6 UDP query/response pairs 192.168.1.10->192.168.1.1:53, ids 0x1001..0x1006;"
		 " 1: A www.dns-case.example.com -> CNAME cdn.dns-case.example.net -> CNAME"
		 " edge7.cdnprov.example.net -> A 81.2.69.7, A 81.2.69.8;"
		 " 2: AAAA v6.dns-case.example.com -> 2a05:d014:1:2::25;"
		 " 3: PTR 7.69.2.81.in-addr.arpa -> host7.dns-case.example.com;"
		 " 4: MX dns-case.example.com -> 10 mail.dns-case.example.com, 20 mx2.mailhost.example.net;"
		 " 5: NS dns-case.example.com -> ns1.dns-case.example.com, ns2.dnshost.example.org;"
		 " 6: SRV _sip._tcp.dns-case.example.com -> 10 60 5060 sip1.dns-case.example.com");
}

static void case_dns_forward(scn_t *s)
{
	const char *f = "dns-forward-pointer.pcap";
	scn_open(s, cpath(f), PW_DLT_EN10MB, 102);
	pw_dns_t q, a;
	const char *qn = "fwd.dns-case.example.org";
	pw_dns_begin(&q, 0x2001, 0x0100);
	pw_dns_question(&q, qn, PW_DNS_A);
	pw_dns_begin(&a, 0x2001, 0x8180);
	pw_dns_question(&a, qn, PW_DNS_A);
	/* answer 1: CNAME whose RDATA is "cdn" + pointer FORWARD to answer 2's owner name */
	size_t o = pw_dns_rr_begin(&a, 1, qn, PW_DNS_CNAME, 300);
	size_t fwd = a.n + 4 + 2; /* after "\3cdn" and the 2-byte pointer */
	a.b[a.n++] = 3;
	memcpy(a.b + a.n, "cdn", 3);
	a.n += 3;
	pw_be16(a.b + a.n, 0xc000u | (uint32_t)fwd);
	a.n += 2;
	pw_dns_rr_end(&a, o);
	/* answer 2: owner written in full at offset fwd */
	a.compress = 0;
	pw_addr_t ip = pw_v4b(81, 2, 69, 9);
	pw_dns_a(&a, "edge.fwdtarget.example.net", 60, &ip);
	scn_dns_raw(s, CLI4, DNS4, &q, &a);
	manifest(f, scn_close(s, cpath(f)), PW_DLT_EN10MB,
		 "query A fwd.dns-case.example.org; response CNAME rdata = 'cdn' + forward pointer"
		 " to the owner of the next answer => cdn.edge.fwdtarget.example.net (if forward"
		 " pointers are accepted); A edge.fwdtarget.example.net -> 81.2.69.9");
}

static void case_dns_long(scn_t *s)
{
	const char *f = "dns-truncated-name.pcap";
	scn_open(s, cpath(f), PW_DLT_EN10MB, 103);
	char l63[4][64], qn[256], cn[400];
	for (int i = 0; i < 4; i++) {
		memset(l63[i], 'a' + i, 63);
		l63[i][63] = 0;
	}
	snprintf(qn, sizeof(qn), "%s.%s.%s.example.com", l63[0], l63[1], l63[2]);
	snprintf(cn, sizeof(cn), "%s.%s", l63[3], qn);
	pw_dns_t q, a;
	pw_dns_begin(&q, 0x3001, 0x0100);
	pw_dns_question(&q, qn, PW_DNS_A);
	pw_dns_begin(&a, 0x3001, 0x8180);
	pw_dns_question(&a, qn, PW_DNS_A);
	/* CNAME target = 63-byte label + pointer to the question name: 269 wire bytes > 255 */
	pw_dns_namerr(&a, 1, qn, PW_DNS_CNAME, 300, cn);
	pw_addr_t ip = pw_v4b(81, 2, 69, 10);
	pw_dns_a(&a, qn, 60, &ip);
	scn_dns_raw(s, CLI4, DNS4, &q, &a);
	manifest(f, scn_close(s, cpath(f)), PW_DLT_EN10MB,
		 "query A <63*a>.<63*b>.<63*c>.example.com (205 chars, valid); response CNAME target"
		 " = <63*d> + pointer to the question => 267 chars / 269 wire bytes > 255 (must be"
		 " rejected or truncated); A <question> -> 81.2.69.10");
}

static void case_dns_loop(scn_t *s)
{
	const char *f = "dns-pointer-loop.pcap";
	scn_open(s, cpath(f), PW_DLT_EN10MB, 104);
	pw_dns_t q, a;
	const char *qn = "loop.dns-case.example.org";
	pw_dns_begin(&q, 0x4001, 0x0100);
	pw_dns_question(&q, qn, PW_DNS_A);
	pw_dns_begin(&a, 0x4001, 0x8180);
	pw_dns_question(&a, qn, PW_DNS_A);
	size_t o = pw_dns_rr_begin(&a, 1, qn, PW_DNS_CNAME, 300);
	size_t self = a.n;
	a.b[a.n++] = 1;
	a.b[a.n++] = 'x';
	pw_be16(a.b + a.n, 0xc000u | (uint32_t)self); /* points back at itself */
	a.n += 2;
	pw_dns_rr_end(&a, o);
	scn_dns_raw(s, CLI4, DNS4, &q, &a);
	manifest(f, scn_close(s, cpath(f)), PW_DLT_EN10MB,
		 "query A loop.dns-case.example.org; response CNAME rdata = 'x' + pointer to itself"
		 " (infinite loop; the query name must still be reported, the CNAME rejected)");
}

static void case_tls_split(scn_t *s)
{
	const char *f = "tls-split-ooo.pcap";
	scn_open(s, cpath(f), PW_DLT_EN10MB, 105);
	static const char *const alpn[] = {"h2", "http/1.1"};
	scn_conn(s, CLI4, 50001, pw_v4b(81, 2, 69, 20), 443);
	pw_conn_open(&s->c);
	size_t n = pw_tls_client_hello(s->buf, &s->r, "split.tls-case.example.com", alpn, 2, 1);
	size_t c1 = n / 3, c2 = n / 3;
	uint32_t base = s->c.cseq;
	uint8_t ch[2048];
	memcpy(ch, s->buf, n);
	pw_conn_raw(&s->c, 0, base + (uint32_t)(c1 + c2), PW_PSH | PW_ACK, ch + c1 + c2, n - c1 - c2);
	pw_conn_raw(&s->c, 0, base, PW_ACK, ch, c1);
	pw_conn_raw(&s->c, 0, base + (uint32_t)c1, PW_ACK, ch + c1, c2);
	s->c.cseq += (uint32_t)n;
	size_t chlen = n;
	pw_conn_raw(&s->c, 1, s->c.sseq, PW_ACK, NULL, 0);
	n = pw_tls_server_flight(s->buf, &s->r, 1, 900);
	pw_conn_send(&s->c, 1, s->buf, n);
	pw_conn_close(&s->c);
	scn_done(s);
	char w[256];
	snprintf(w, sizeof(w),
		 "TCP 192.168.1.10:50001->81.2.69.20:443; TLS 1.3 ClientHello (%zu bytes) SNI"
		 " split.tls-case.example.com ALPN h2,http/1.1 split in 3 segments of %zu/%zu/%zu"
		 " bytes, sent in order 3,1,2 after the handshake",
		 chlen, c1, c2, chlen - c1 - c2);
	manifest(f, scn_close(s, cpath(f)), PW_DLT_EN10MB, w);
}

static void case_http_port(scn_t *s)
{
	const char *f = "http-host-port.pcap";
	scn_open(s, cpath(f), PW_DLT_EN10MB, 106);
	scn_http(s, CLI4, 50002, pw_v4b(81, 2, 69, 30), 8080, "evil.example:8080",
		 "/admin/config.php?cmd=ls", "nginx", 200);
	manifest(f, scn_close(s, cpath(f)), PW_DLT_EN10MB,
		 "TCP 192.168.1.10:50002->81.2.69.30:8080; GET /admin/config.php?cmd=ls Host:"
		 " evil.example:8080 (host evil.example, port 8080)");
}

static void case_http_v6(scn_t *s)
{
	const char *f = "http-host-ipv6.pcap";
	scn_open(s, cpath(f), PW_DLT_EN10MB, 107);
	scn_http(s, v6a(0x2001, 0xdb8, 0, 0, 0x10), 50003, v6a(0x2001, 0xdb8, 0, 0, 0x1), 8080,
		 "[2001:db8::1]:8080", "/ipv6/index.html", "nginx", 200);
	manifest(f, scn_close(s, cpath(f)), PW_DLT_EN10MB,
		 "TCP [2001:db8::10]:50003->[2001:db8::1]:8080; GET /ipv6/index.html Host:"
		 " [2001:db8::1]:8080 (host 2001:db8::1, port 8080)");
}

/* The link-layer cases share one scenario: DNS for NAME, TLS with SNI tls.NAME, HTTP with
 * Host http.NAME and URL /CASE/check.php, all to the answered address. */
static void case_link(scn_t *s, const char *f, const char *tag, uint32_t dlt, int nvlan, int v6,
		      unsigned n)
{
	scn_open(s, cpath(f), dlt, 200 + n);
	s->link.nvlan = nvlan;
	s->link.vlan[0] = (uint16_t)(nvlan == 2 ? 300 : 10);
	s->link.vlan[1] = 20;
	char name[128], sni[160], host[160], url[128], w[1024], ipstr[64], clistr[64];
	snprintf(name, sizeof(name), "%s.link-case.example.com", tag);
	snprintf(sni, sizeof(sni), "tls.%s", name);
	snprintf(host, sizeof(host), "http.%s", name);
	snprintf(url, sizeof(url), "/%s/check.php", tag);
	pw_addr_t cli = v6 ? v6a(0x2001, 0xdb8, 0x10, 0, 0x10) : CLI4;
	pw_addr_t dns = v6 ? v6a(0x2001, 0xdb8, 0x10, 0, 0x1) : DNS4;
	pw_addr_t srv = v6 ? v6a(0x2a05, 0xd014, 0x1, 0x2, (uint16_t)(0x100 + n))
			   : pw_v4b(81, 2, 69, 100 + n);
	scn_dns(s, cli, dns, name, v6 ? PW_DNS_AAAA : PW_DNS_A, &srv, 1);
	scn_tls(s, cli, 50100, srv, 443, sni, 1);
	scn_http(s, cli, 50101, srv, 80, host, url, "nginx", 300);
	pw_addr_str(&srv, ipstr, sizeof(ipstr));
	pw_addr_str(&cli, clistr, sizeof(clistr));
	snprintf(w, sizeof(w),
		 "client %s; DNS %s %s -> %s; TLS to %s:443 SNI %s; HTTP to %s:80 Host %s URL %s%s",
		 clistr, v6 ? "AAAA" : "A", name, ipstr, ipstr, sni, ipstr, host, url,
		 nvlan == 1 ? " (802.1Q vlan 10)" : nvlan == 2 ? " (802.1ad 300 + 802.1Q 20)" : "");
	manifest(f, scn_close(s, cpath(f)), dlt, w);
}

static void case_ipport(scn_t *s)
{
	const char *f = "ipport.pcap";
	scn_open(s, cpath(f), PW_DLT_EN10MB, 108);
	scn_opaque(s, CLI4, 50010, pw_v4(DEMO_IPPORT_IP), 8090, 200, 600);
	scn_opaque(s, CLI4, 50011, pw_v4(DEMO_IPPORT_IP), 443, 200, 600);
	manifest(f, scn_close(s, cpath(f)), PW_DLT_EN10MB,
		 "TCP 192.168.1.10:50010->139.59.30.109:8090 (listed ip:port in maltrail"
		 " apt_oceanlotus.txt) then 192.168.1.10:50011->139.59.30.109:443 (same IP, other"
		 " port); opaque payloads, no DNS/TLS/HTTP");
}

static void case_resolved(scn_t *s)
{
	const char *f = "dns-resolved.pcap";
	scn_open(s, cpath(f), PW_DLT_EN10MB, 109);
	pw_addr_t ip = pw_v4b(81, 2, 69, 40);
	scn_dns(s, CLI4, DNS4, "high.expbas.net", PW_DNS_A, &ip, 1);
	scn_opaque(s, CLI4, 50020, ip, 443, 300, 900);
	manifest(f, scn_close(s, cpath(f)), PW_DLT_EN10MB,
		 "DNS A high.expbas.net (listed in maltrail apt_oceanlotus.txt) -> 81.2.69.40; then"
		 " TCP 192.168.1.10:50020->81.2.69.40:443 with opaque payload (no SNI)");
}

static int mode_cases(const char *dir)
{
	snprintf(g_dir, sizeof(g_dir), "%s", dir);
	scn_t *s = calloc(1, sizeof(*s));
	if (!s)
		return 1;
	case_dns_answers(s);
	case_dns_forward(s);
	case_dns_long(s);
	case_dns_loop(s);
	case_tls_split(s);
	case_http_port(s);
	case_http_v6(s);
	case_link(s, "vlan.pcap", "vlan", PW_DLT_EN10MB, 1, 0, 1);
	case_link(s, "qinq.pcap", "qinq", PW_DLT_EN10MB, 2, 0, 2);
	case_link(s, "sll.pcap", "sll", PW_DLT_SLL, 0, 0, 3);
	case_link(s, "sll2.pcap", "sll2", PW_DLT_SLL2, 0, 0, 4);
	case_link(s, "raw4.pcap", "raw4", PW_DLT_RAW, 0, 0, 5);
	case_link(s, "raw6.pcap", "raw6", PW_DLT_RAW, 0, 1, 6);
	case_link(s, "ipv6.pcap", "ipv6", PW_DLT_EN10MB, 0, 1, 7);
	case_ipport(s);
	case_resolved(s);
	free(s);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: gen_pcap mixed OUT.pcap [N] [SEED]\n"
			"       gen_pcap demo OUT.pcap\n"
			"       gen_pcap cases DIR\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		usage();
	if (strcmp(argv[1], "mixed") == 0) {
		uint64_t n = argc > 3 ? parse_u64(argv[3], "N") : 2000000;
		uint64_t seed = argc > 4 ? parse_u64(argv[4], "SEED") : 1;
		return mode_mixed(argv[2], n, seed);
	}
	if (strcmp(argv[1], "demo") == 0)
		return mode_demo(argv[2]);
	if (strcmp(argv[1], "cases") == 0)
		return mode_cases(argv[2]);
	usage();
	return 2;
}
