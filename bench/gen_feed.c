// SPDX-License-Identifier: Apache-2.0
// gen_feed — deterministic indicator lists and lookup workloads for vigil's benchmarks.
//
//   gen_feed N OUT [SEED] [--hits PCAPSEED]
//       N indicators, one per line, plain Maltrail-like format (one `#` header line first):
//       40% IPv4 (public, non-reserved), 10% IPv4 CIDR (/16../30, 70% /24, host bits
//       cleared, not overlapping reserved space), 40% domains, 10% http(s) URLs. Lengths are
//       tuned so the average line is ~17 bytes like the real Maltrail trail files. With --hits,
//       0.1% of the lines (at least 1) are hostnames / server IPs of `gen_pcap mixed ... SEED`
//       (pw_pool_name / pw_pool_ip4 from pcapw.h) so that benchmarks actually match.
//   gen_feed --lookups FEED K OUT [SEED]
//       K lookup values for the store benchmark: half are hits sampled from FEED (an address
//       inside the network for a CIDR line, the line itself otherwise), half are freshly
//       generated values of the same kinds (misses with overwhelming probability). One value
//       per line; the kind (IP, domain, URL) is evident from the text.
// Same arguments => same bytes. Standalone tool: prints and exits.
#include "pcapw.h"

#include <errno.h>
#include <inttypes.h>

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "gen_feed: %s %s: %s\n", what, arg, strerror(errno));
	exit(1);
}

static uint64_t parse_u64(const char *s, const char *what)
{
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || !end || *end || end == s) {
		fprintf(stderr, "gen_feed: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static int overlaps_reserved(uint32_t net, int len)
{
	static const struct { uint32_t net; int len; } r[] = {
		{0x00000000, 8},  {0x0a000000, 8},  {0x64400000, 10}, {0x7f000000, 8},
		{0xa9fe0000, 16}, {0xac100000, 12}, {0xc0000000, 24}, {0xc0000200, 24},
		{0xc0586300, 24}, {0xc0a80000, 16}, {0xc6120000, 15}, {0xc6336400, 24},
		{0xcb007100, 24}, {0xe0000000, 4},  {0xf0000000, 4},
	};
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		int l = len < r[i].len ? len : r[i].len;
		uint32_t m = 0xffffffffu << (32 - l);
		if ((net & m) == (r[i].net & m))
			return 1;
	}
	return 0;
}

static size_t gen_ip(pw_rng_t *r, char *out, size_t cap)
{
	pw_addr_t a = pw_v4(pw_public_ip4(r));
	pw_addr_str(&a, out, cap);
	return strlen(out);
}

static void gen_cidr(pw_rng_t *r, char *out, size_t cap)
{
	int len;
	uint32_t k = pw_below(r, 100);
	/* shaped like real block lists (Spamhaus DROP, FireHOL): mostly /24,
	 * few large blocks, so that 100k CIDRs cover ~2% of the address space */
	if (k < 70)
		len = 24;
	else if (k < 90)
		len = (int)pw_range(r, 20, 23);
	else if (k < 98)
		len = (int)pw_range(r, 25, 30);
	else
		len = (int)pw_range(r, 16, 19);
	for (;;) {
		uint32_t net = (uint32_t)(pw_rand(r) >> 32) & (0xffffffffu << (32 - len));
		if (!overlaps_reserved(net, len)) {
			pw_addr_t a = pw_v4(net);
			char ip[32];
			pw_addr_str(&a, ip, sizeof(ip));
			snprintf(out, cap, "%s/%d", ip, len);
			return;
		}
	}
}

static const char *const TLDS[] = {"com", "com", "com", "com", "com", "net", "net", "org",
				   "info", "ru", "xyz", "top", "io", "cn", "biz", "online",
				   "site", "club", "de", "me", "pw", "cc", "tk", "su"};

static void gen_domain(pw_rng_t *r, char *out, size_t cap)
{
	char a[32], b[32];
	const char *tld = TLDS[pw_below(r, sizeof(TLDS) / sizeof(TLDS[0]))];
	uint32_t k = pw_below(r, 100);
	if (k < 70) {
		pw_rlabel(r, a, pw_range(r, 6, 15));
		snprintf(out, cap, "%s.%s", a, tld);
	} else if (k < 85) {
		pw_word(r, a, sizeof(a), (int)pw_range(r, 2, 4));
		snprintf(out, cap, "%s.%s", a, tld);
	} else {
		pw_rlabel(r, a, pw_range(r, 2, 6));
		pw_rlabel(r, b, pw_range(r, 5, 12));
		snprintf(out, cap, "%s.%s.%s", a, b, tld);
	}
}

static void gen_url(pw_rng_t *r, char *out, size_t cap)
{
	static const char *const paths[] = {"/", "/", "/admin/", "/wp-content/", "/bins/",
					    "/images/", "/api/", "/upload/", "/tmp/", "/panel/"};
	static const char *const ext[] = {".php", ".exe", ".sh", ".bin", ".doc", ""};
	char host[96], file[32];
	if (pw_chance(r, 400))
		gen_ip(r, host, sizeof(host));
	else
		gen_domain(r, host, sizeof(host));
	const char *p = paths[pw_below(r, sizeof(paths) / sizeof(paths[0]))];
	pw_rlabel(r, file, pw_range(r, 0, 8));
	snprintf(out, cap, "%s://%s%s%s%s", pw_chance(r, 600) ? "http" : "https", host, p, file,
		 file[0] ? ext[pw_below(r, sizeof(ext) / sizeof(ext[0]))] : "");
}

/* kind: 0 IP, 1 CIDR, 2 domain, 3 URL by the 40/10/40/10 split */
static int pick_kind(pw_rng_t *r)
{
	uint32_t k = pw_below(r, 100);
	return k < 40 ? 0 : k < 50 ? 1 : k < 90 ? 2 : 3;
}

static void gen_any(pw_rng_t *r, int kind, char *out, size_t cap)
{
	switch (kind) {
	case 0: gen_ip(r, out, cap); break;
	case 1: gen_cidr(r, out, cap); break;
	case 2: gen_domain(r, out, cap); break;
	default: gen_url(r, out, cap); break;
	}
}

static int mode_feed(uint64_t n, const char *out, uint64_t seed, int hits, uint64_t pseed)
{
	FILE *f = fopen(out, "w");
	if (!f)
		die("cannot write", out);
	static char vbuf[1 << 20];
	setvbuf(f, vbuf, _IOFBF, sizeof(vbuf));
	pw_rng_t r, hr;
	pw_rng_seed(&r, seed ^ 0x66656564ULL);
	pw_rng_seed(&hr, pseed ^ 0x68697473ULL);
	uint64_t nh = hits ? (n / 1000 ? n / 1000 : 1) : 0;
	uint64_t every = nh ? n / nh : 0, hcount = 0, bytes = 0, kinds[4] = {0};
	if (hits)
		fprintf(f, "# gen_feed: %" PRIu64 " synthetic indicators, seed %" PRIu64
			   ", %" PRIu64 " hits for gen_pcap mixed seed %" PRIu64 "\n",
			n, seed, nh, pseed);
	else
		fprintf(f, "# gen_feed: %" PRIu64 " synthetic indicators, seed %" PRIu64 "\n", n,
			seed);
	char line[512];
	for (uint64_t i = 0; i < n; i++) {
		if (nh && hcount < nh && i % every == every / 2) {
			/* pool index >= 16 skips the well-known names (www.google.com, ...) */
			uint32_t idx = 16 + pw_below(&hr, PW_POOL_NAMES - 16);
			if (hcount & 1) {
				pw_addr_t a = pw_v4(pw_pool_ip4(pseed, idx));
				pw_addr_str(&a, line, sizeof(line));
			} else {
				pw_pool_name(pseed, idx, line, sizeof(line));
			}
			hcount++;
		} else {
			int k = pick_kind(&r);
			kinds[k]++;
			gen_any(&r, k, line, sizeof(line));
		}
		bytes += strlen(line) + 1;
		fputs(line, f);
		fputc('\n', f);
	}
	if (ferror(f) || fclose(f) != 0)
		die("write error on", out);
	fprintf(stderr,
		"gen_feed: %" PRIu64 " lines (ip %" PRIu64 ", cidr %" PRIu64 ", domain %" PRIu64
		", url %" PRIu64 ", pcap hits %" PRIu64 "), %.2f bytes/line -> %s\n",
		n, kinds[0], kinds[1], kinds[2], kinds[3], hcount, n ? (double)bytes / (double)n : 0.0,
		out);
	return 0;
}

static int mode_lookups(const char *feed, uint64_t k, const char *out, uint64_t seed)
{
	FILE *in = fopen(feed, "r");
	if (!in)
		die("cannot read", feed);
	char **lines = NULL;
	size_t n = 0, cap = 0;
	char line[1024];
	while (fgets(line, sizeof(line), in)) {
		size_t l = strcspn(line, "\r\n");
		line[l] = 0;
		if (!l || line[0] == '#')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			char **nl = realloc(lines, cap * sizeof(*nl));
			if (!nl)
				die("out of memory reading", feed);
			lines = nl;
		}
		lines[n] = strdup(line);
		if (!lines[n])
			die("out of memory reading", feed);
		n++;
	}
	fclose(in);
	if (!n) {
		fprintf(stderr, "gen_feed: no indicators in %s\n", feed);
		return 1;
	}
	FILE *f = fopen(out, "w");
	if (!f)
		die("cannot write", out);
	pw_rng_t r;
	pw_rng_seed(&r, seed ^ 0x6c6f6f6bULL);
	for (uint64_t i = 0; i < k; i++) {
		if (i & 1) {
			int kd = pick_kind(&r);
			gen_any(&r, kd == 1 ? 0 : kd, line, sizeof(line)); /* CIDR kind => an IP */
		} else {
			const char *s = lines[pw_below(&r, (uint32_t)n)];
			const char *slash = strchr(s, '/');
			unsigned a, b, c, d, len;
			if (slash && !strchr(s, ':') &&
			    sscanf(s, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &len) == 5 && len <= 32) {
				uint32_t net = a << 24 | b << 16 | c << 8 | d;
				uint32_t host = len == 32 ? 0 : (uint32_t)(pw_rand(&r) >> 32) >> len;
				pw_addr_t ad = pw_v4(net | host);
				pw_addr_str(&ad, line, sizeof(line));
			} else {
				snprintf(line, sizeof(line), "%s", s);
			}
		}
		fputs(line, f);
		fputc('\n', f);
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	if (ferror(f) || fclose(f) != 0)
		die("write error on", out);
	fprintf(stderr, "gen_feed: %" PRIu64 " lookups (%" PRIu64 " hits) from %zu indicators -> %s\n",
		k, (k + 1) / 2, n, out);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: gen_feed N OUT [SEED] [--hits PCAPSEED]\n"
			"       gen_feed --lookups FEED K OUT [SEED]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--lookups") == 0) {
		if (argc < 5 || argc > 6)
			usage();
		return mode_lookups(argv[2], parse_u64(argv[3], "K"), argv[4],
				    argc > 5 ? parse_u64(argv[5], "SEED") : 1);
	}
	const char *pos[3] = {NULL, NULL, NULL};
	int np = 0, hits = 0;
	uint64_t pseed = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--hits") == 0) {
			if (i + 1 >= argc)
				usage();
			hits = 1;
			pseed = parse_u64(argv[++i], "PCAPSEED");
		} else if (np < 3) {
			pos[np++] = argv[i];
		} else {
			usage();
		}
	}
	if (np < 2)
		usage();
	return mode_feed(parse_u64(pos[0], "N"), pos[1], np > 2 ? parse_u64(pos[2], "SEED") : 1,
			 hits, pseed);
}
