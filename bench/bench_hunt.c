// SPDX-License-Identifier: Apache-2.0
/*
 * bench_hunt.c — retro-hunt benchmark: writes N synthetic observations
 * (default 10 M) through the real history writer (watch/history.c) into a
 * temporary directory, then hunts a feed (default bench/out/feed-1m.txt, 1 M
 * indicators) over them with vg_retro_hunt, and prints the times and the
 * bytes stored per observation.
 *
 *   usage: bench_hunt FEED [N_OBS] [DIR]
 *
 * The observations spread over 24 UTC hours (24 segments): 40 % flows,
 * 25 % DNS questions, 15 % DNS answers, 15 % TLS SNI, 5 % HTTP Host, from
 * 2000 clients to remotes drawn from a pool of 1 M public IPv4 addresses and
 * names drawn from a pool of 300 k names; one observation in 10 000 uses a
 * value of the feed, so the hunt has hits.  Deterministic (fixed seed).
 */
#include "watch/history.h"
#include "watch/retro.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t n_events;
static void count(void *ctx, const char *line, size_t len) { n_events++; }

static char *hit_names[4096];
static uint32_t hit_ips[4096];
static int n_hit_ip, n_hit_name;

static void collect_hits(const char *feed)
{
	FILE *f = fopen(feed, "r");
	if (!f)
		return;
	char line[512];
	unsigned long k = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (++k % 499)
			continue;
		line[strcspn(line, " \t\r\n,")] = 0;
		vg_ip_t ip;
		if (vg_ip_parse(line, strlen(line), &ip) == 0 && vg_ip_is4(&ip)) {
			if (n_hit_ip < 4096)
				hit_ips[n_hit_ip++] = vg_ip_v4(&ip);
		} else if (!strchr(line, '/') && !strchr(line, ':') && strchr(line, '.')) {
			if (n_hit_name < 4096)
				hit_names[n_hit_name++] = strdup(line);
		}
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_hunt FEED [N_OBS] [DIR]\n");
		return 2;
	}
	const char *feed = argv[1];
	uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000;
	char tmpl[] = "/tmp/vigil-bench-hunt.XXXXXX";
	const char *dir = argc > 3 ? argv[3] : mkdtemp(tmpl);
	if (!dir)
		return 2;

	double t = now();
	vg_builder_t *b = vg_builder_new(NULL);
	vg_load_report_t rep;
	vg_load_opts_t lo;
	memset(&lo, 0, sizeof lo);
	vg_store_t *store = NULL;
	if (!b || vg_feed_load(b, feed, &lo, &rep) || vg_builder_build(b, &store)) {
		fprintf(stderr, "bench_hunt: cannot load %s\n", feed);
		return 2;
	}
	vg_builder_free(b);
	vg_store_stats_t ss;
	vg_store_stats(store, &ss);
	printf("feed: %s: %llu indicator entries, loaded in %.2f s\n", feed,
	       (unsigned long long)ss.entries, now() - t);
	collect_hits(feed);

	/* pools */
	enum { NAMES = 300000, IPS = 1000000, CLIENTS = 2000 };
	char **names = malloc(NAMES * sizeof *names);
	uint32_t *ips = malloc(IPS * sizeof *ips);
	static const char *const tld[] = {"com", "net", "org", "io", "vn", "de", "cn", "ru"};
	for (int i = 0; i < NAMES; i++) {
		char s[96];
		snprintf(s, sizeof s, "s%llu.cdn%llu.site%llu.%s", (unsigned long long)(rnd() % 50),
			 (unsigned long long)(rnd() % 1000), (unsigned long long)(rnd() % 100000),
			 tld[rnd() % 8]);
		names[i] = strdup(s);
	}
	for (int i = 0; i < IPS; i++) {
		uint32_t v;
		do
			v = (uint32_t)rnd();
		while ((v >> 24) == 0 || (v >> 24) == 10 || (v >> 24) == 127 || (v >> 24) >= 224 ||
		       (v >> 16) == 0xc0a8 || (v >> 20) == 0xac1);
		ips[i] = v;
	}

	vg_hist_t *h;
	vg_hist_opts_t ho = {36500, 1ull << 40};
	if (vg_hist_open(&h, dir, &ho)) {
		fprintf(stderr, "bench_hunt: cannot open %s\n", dir);
		return 2;
	}
	const uint64_t t0 = 1795996800ull * 1000000; /* 2026-11-30T00:00:00Z */
	const uint64_t step = 24ull * 3600 * 1000000 / n;
	t = now();
	vg_hist_obs_t o;
	memset(&o, 0, sizeof o);
	o.has_mac = true;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t c = (uint32_t)(rnd() % CLIENTS);
		o.ts_us = t0 + i * step;
		vg_ip_set4(&o.cli, 0x0a000000u | c);
		o.mac[0] = 0x02;
		o.mac[4] = (uint8_t)(c >> 8);
		o.mac[5] = (uint8_t)c;
		bool hit = rnd() % 10000 == 0;
		unsigned k = (unsigned)(i % 20);
		o.has_aux = false;
		o.name = NULL;
		o.name_len = 0;
		o.cport = (uint16_t)(1024 + rnd() % 60000);
		const char *nm = hit && n_hit_name ? hit_names[rnd() % n_hit_name] : names[rnd() % NAMES];
		uint32_t ip = hit && n_hit_ip ? hit_ips[rnd() % n_hit_ip] : ips[rnd() % IPS];
		if (k < 8) {
			o.kind = VG_HIST_FLOW;
			vg_ip_set4(&o.rem, ip);
			o.rport = k < 5 ? 443 : 80;
			o.proto = 6;
		} else if (k < 16) {
			o.kind = k < 13 ? VG_HIST_DNS_QUERY : VG_HIST_DNS_ANSWER;
			vg_ip_set4(&o.rem, 0x0a000001);
			o.rport = 53;
			o.proto = 17;
			o.name = nm;
			o.name_len = strlen(nm);
			if (k >= 13) {
				vg_ip_set4(&o.aux, ip);
				o.has_aux = true;
			}
		} else {
			o.kind = k < 19 ? VG_HIST_TLS_SNI : VG_HIST_HTTP_HOST;
			vg_ip_set4(&o.rem, ips[rnd() % IPS]);
			o.rport = k < 19 ? 443 : 80;
			o.proto = 6;
			o.name = nm;
			o.name_len = strlen(nm);
		}
		if (vg_hist_add(h, &o)) {
			fprintf(stderr, "bench_hunt: write failed: %s\n", vg_hist_error(h));
			return 2;
		}
	}
	vg_hist_close(h);
	double tw = now() - t;
	char **segs;
	size_t ns;
	vg_hist_list(dir, &segs, &ns);
	uint64_t total = 0;
	char path[4096];
	for (size_t i = 0; i < ns; i++) {
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", dir, segs[i]);
		if (stat(path, &sb) == 0)
			total += (uint64_t)sb.st_size;
	}
	printf("write: %llu observations in %.2f s (%.2f M/s); %zu segments, %.1f MB, "
	       "%.1f bytes per observation (records %d bytes + interned addresses and names)\n",
	       (unsigned long long)n, tw, n / tw / 1e6, ns, total / 1e6, (double)total / (double)n,
	       VG_HIST_REC_SIZE);

	/* cold-ish: the segments were just written, so they are in the page cache */
	vg_retro_opts_t ro;
	memset(&ro, 0, sizeof ro);
	vg_retro_stats_t st;
	t = now();
	double c0 = cpu();
	int rc = vg_retro_hunt(dir, store, &ro, count, NULL, NULL, NULL, &st);
	double th = now() - t, ch = cpu() - c0;
	printf("hunt: %llu indicators over %llu observations in %.2f s wall, %.2f s CPU (%.1f M obs/s); "
	       "%llu lookups, %llu events%s\n",
	       (unsigned long long)ss.entries, (unsigned long long)st.records, th, ch, st.records / th / 1e6,
	       (unsigned long long)st.lookups, (unsigned long long)n_events, rc ? " (ERROR)" : "");

	if (argc <= 3) {
		for (size_t i = 0; i < ns; i++) {
			snprintf(path, sizeof path, "%s/%s", dir, segs[i]);
			unlink(path);
		}
		rmdir(dir);
	}
	vg_hist_list_free(segs, ns);
	vg_store_free(store);
	for (int i = 0; i < NAMES; i++)
		free(names[i]);
	free(names);
	free(ips);
	for (int i = 0; i < n_hit_name; i++)
		free(hit_names[i]);
	return rc ? 2 : 0;
}
