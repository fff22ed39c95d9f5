// SPDX-License-Identifier: Apache-2.0
// bench_store — load, memory, lookup and snapshot numbers of vigil's indicator store.
//
//   bench_store FEED LOOKUPS [FEEDS_DIR]
//
// 1. Reads LOOKUPS (gen_feed --lookups output: one IP, domain or URL per line) into memory
//    first, so that it is part of the RSS baseline.
// 2. Loads FEED with vg_feed_load (format detection, the plain reader) into a builder and
//    builds the store; reports wall time, indicators/s, and the peak RSS delta (VmHWM after
//    minus VmRSS before, with the peak reset through /proc/self/clear_refs) against the text
//    size.
// 3. Classifies every lookup value by what it matched (IPv4 exact hit, IPv4 CIDR-only hit,
//    IPv4 miss, domain hit/miss, URL hit/miss), shuffles each class and times >= 1M lookups
//    per class in that random order (no cache-friendly loop), reporting ns per lookup.
// 4. Saves the compiled snapshot, reports its size, and opens it 9 times with and without
//    body-hash verification (page cache warm), reporting the median; the structural
//    validation of every offset always runs.  Lookups on the opened snapshot are checked to
//    agree with the built store.
// 5. When FEEDS_DIR (default: ../shared/data/feeds, then ../../shared/data/feeds, relative
//    to the current directory; or $VIGIL_FEEDS_DIR) exists: loads every file of its
//    maltrail/ directory into one store, and ipsum.txt into another, with the same numbers.
//    Skipped cleanly when absent.
// Standalone tool: prints a table and exits non-zero on failure.
#include "vigil/intel.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* /proc/self/status field in KiB, or -1. */
static long status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	long v = -1;
	size_t fl = strlen(field);
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, field, fl) && line[fl] == ':') {
			v = strtol(line + fl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* Reset VmHWM to the current RSS (Linux >= 4.0); false when not possible. */
static bool reset_peak(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);
	if (fd < 0)
		return false;
	bool ok = write(fd, "5", 1) == 1;
	close(fd);
	return ok;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20, n = 0;
	char *p = malloc(cap);
	for (;;) {
		if (!p)
			break;
		size_t r = fread(p + n, 1, cap - n - 1, f);
		n += r;
		if (n + 1 < cap)
			break;
		char *np = realloc(p, cap * 2);
		if (!np) {
			free(p);
			p = NULL;
			break;
		}
		p = np;
		cap *= 2;
	}
	fclose(f);
	if (p) {
		p[n] = 0;
		*len = n;
	}
	return p;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- lookup workload ------------------------------------------------------------ */

enum { Q_IP, Q_DOM, Q_URL };
enum { C_IP_HIT, C_CIDR_HIT, C_IP_MISS, C_DOM_HIT, C_DOM_MISS, C_URL_HIT, C_URL_MISS, C__N };
static const char *const cname[C__N] = {"IPv4 hit (exact)", "IPv4 hit (CIDR only)", "IPv4 miss",
					"domain hit",       "domain miss",          "URL hit",
					"URL miss"};

typedef struct query {
	int kind;
	vg_ip_t ip;
	const char *s;
	uint32_t n;
} query_t;

typedef struct qset {
	query_t *q;
	size_t n, cap;
	char *buf; /* the strings, packed in query order (after shuffle) */
} qset_t;

static void qpush(qset_t *s, const query_t *q)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->q = realloc(s->q, s->cap * sizeof *s->q);
		if (!s->q) {
			fprintf(stderr, "bench_store: out of memory\n");
			exit(1);
		}
	}
	s->q[s->n++] = *q;
}

static void parse_lookups(char *data, size_t len, qset_t *all)
{
	char *p = data, *end = data + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n && p[0] != '#') {
			query_t q = {0};
			q.s = p;
			q.n = (uint32_t)n;
			if (vg_ip_parse(p, n, &q.ip) == 0)
				q.kind = Q_IP;
			else if (memchr(p, '/', n))
				q.kind = Q_URL;
			else
				q.kind = Q_DOM;
			qpush(all, &q);
		}
		p += n + 1;
		if (nl)
			p = nl + 1;
	}
}

static int do_lookup(const vg_store_t *s, const query_t *q, int64_t now, vg_match_t *m)
{
	switch (q->kind) {
	case Q_IP: return vg_store_lookup_ip(s, &q->ip, 0, now, m, 16);
	case Q_DOM: return vg_store_lookup_domain(s, q->s, q->n, now, m, 16);
	default: return vg_store_lookup_url(s, q->s, q->n, now, m, 16);
	}
}

static int classify(const vg_store_t *s, const query_t *q, int64_t now)
{
	vg_match_t m[16];
	int n = do_lookup(s, q, now, m);
	switch (q->kind) {
	case Q_IP:
		if (!n)
			return C_IP_MISS;
		for (int i = 0; i < n; i++)
			if (m[i].type == VG_IND_IPV4)
				return C_IP_HIT;
		return C_CIDR_HIT;
	case Q_DOM: return n ? C_DOM_HIT : C_DOM_MISS;
	default: return n ? C_URL_HIT : C_URL_MISS;
	}
}

/* Shuffle, then copy the strings into one buffer in the new order: the
 * queried name is in cache as it would be in a packet being inspected, so
 * only the store's own misses are measured. */
static void shuffle(qset_t *set)
{
	query_t *q = set->q;
	size_t n = set->n;
	for (size_t i = n; i > 1; i--) {
		size_t j = rnd() % i;
		query_t t = q[i - 1];
		q[i - 1] = q[j];
		q[j] = t;
	}
	size_t need = 0;
	for (size_t i = 0; i < n; i++)
		need += q[i].kind == Q_IP ? 0 : q[i].n;
	char *packed = malloc(need ? need : 1);
	if (!packed)
		return;
	size_t at = 0;
	for (size_t i = 0; i < n; i++)
		if (q[i].kind != Q_IP) {
			memcpy(packed + at, q[i].s, q[i].n);
			q[i].s = packed + at;
			at += q[i].n;
		}
	free(set->buf);
	set->buf = packed;
}

/* ns per lookup over >= min_lookups lookups of set in shuffled order. */
static double time_class(const vg_store_t *s, qset_t *set, size_t min_lookups, int64_t now,
			 size_t *done, uint64_t *sink)
{
	if (!set->n)
		return -1;
	vg_match_t m[16];
	size_t total = 0;
	double t = 0;
	while (total < min_lookups) {
		shuffle(set);
		double t0 = now_s();
		for (size_t i = 0; i < set->n; i++)
			*sink += (uint64_t)do_lookup(s, &set->q[i], now, m);
		t += now_s() - t0;
		total += set->n;
	}
	*done = total;
	return t * 1e9 / (double)total;
}

static void prefetch(const vg_store_t *s, const query_t *q)
{
	if (q->kind == Q_IP)
		vg_store_prefetch_ip(s, &q->ip);
	else if (q->kind == Q_DOM)
		vg_store_prefetch_domain(s, q->s, q->n);
}

/* The same, pipelined: the prefetch hint for query i+PF_DIST before the
 * lookup of query i (how a packet batch would use the store). */
#define PF_DIST 8
#define PF_STR "8"
static double time_class_pf(const vg_store_t *s, qset_t *set, size_t min_lookups, int64_t now,
			    uint64_t *sink)
{
	if (!set->n)
		return -1;
	vg_match_t m[16];
	size_t total = 0;
	double t = 0;
	while (total < min_lookups) {
		shuffle(set);
		double t0 = now_s();
		for (size_t i = 0; i < set->n; i++) {
			if (i + PF_DIST < set->n)
				prefetch(s, &set->q[i + PF_DIST]);
			*sink += (uint64_t)do_lookup(s, &set->q[i], now, m);
		}
		t += now_s() - t0;
		total += set->n;
	}
	return t * 1e9 / (double)total;
}

/* ---- loading ------------------------------------------------------------------------ */

typedef struct loadres {
	uint64_t text_bytes, files, lines, added, errors, dups;
	double load_s, build_s;
	long rss0_kb, peak_kb, after_kb;
	vg_store_stats_t st;
} loadres_t;

static int load_files(char **paths, size_t np, vg_store_t **out, loadres_t *r)
{
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < np; i++) {
		struct stat st;
		if (stat(paths[i], &st) == 0)
			r->text_bytes += (uint64_t)st.st_size;
	}
	bool peak_ok = reset_peak();
	r->rss0_kb = status_kb("VmRSS");
	double t0 = now_s();
	vg_builder_t *b = vg_builder_new(NULL);
	if (!b)
		return VG_ENOMEM;
	for (size_t i = 0; i < np; i++) {
		vg_load_report_t rep;
		vg_load_opts_t lo = {0};
		int rc = vg_feed_load(b, paths[i], &lo, &rep);
		if (rc && rc != VG_EEMPTY) {
			fprintf(stderr, "bench_store: %s: %s\n", paths[i], vg_strerror(rc));
			vg_builder_free(b);
			return rc;
		}
		r->files++;
		r->lines += rep.lines;
		r->errors += rep.errors;
		r->dups += rep.duplicates;
		for (int k = 0; k < VG_IND__COUNT; k++)
			r->added += rep.added[k];
	}
	double t1 = now_s();
	int rc = vg_builder_build(b, out);
	vg_builder_free(b);
	double t2 = now_s();
	if (rc)
		return rc;
	r->load_s = t1 - t0;
	r->build_s = t2 - t1;
	r->peak_kb = peak_ok ? status_kb("VmHWM") : -1;
	r->after_kb = status_kb("VmRSS");
	vg_store_stats(*out, &r->st);
	return 0;
}

static void print_load(const char *label, const loadres_t *r)
{
	double mb = (double)r->text_bytes / 1e6;
	double tot = r->load_s + r->build_s;
	printf("%s\n", label);
	printf("  %-34s %.2f MB in %llu file(s), %llu lines, %llu indicators added, %llu errors, "
	       "%llu duplicates\n",
	       "text", mb, (unsigned long long)r->files, (unsigned long long)r->lines,
	       (unsigned long long)r->added, (unsigned long long)r->errors,
	       (unsigned long long)r->dups);
	printf("  %-34s %.3f s (load %.3f + build %.3f) = %.2f M indicators/s\n", "load+build",
	       tot, r->load_s, r->build_s, tot > 0 ? (double)r->added / tot / 1e6 : 0);
	if (r->peak_kb >= 0) {
		double d = (double)(r->peak_kb - r->rss0_kb) * 1024;
		printf("  %-34s %.2f MB = %.1f B/indicator = %.2fx text\n", "peak RSS delta", d / 1e6,
		       r->added ? d / (double)r->added : 0, r->text_bytes ? d / (double)r->text_bytes : 0);
	} else {
		printf("  %-34s n/a (cannot reset VmHWM)\n", "peak RSS delta");
	}
	double ad = (double)(r->after_kb - r->rss0_kb) * 1024;
	printf("  %-34s %.2f MB RSS after build; store sections %.2f MB = %.1f B/entry = %.2fx "
	       "text\n",
	       "store size", ad / 1e6, (double)r->st.bytes / 1e6,
	       r->st.entries ? (double)r->st.bytes / (double)r->st.entries : 0,
	       r->text_bytes ? (double)r->st.bytes / (double)r->text_bytes : 0);
	printf("  %-34s ipv4 %llu, cidr4 %llu, domain %llu, url %llu, other %llu; entries %llu\n",
	       "distinct values", (unsigned long long)r->st.count[VG_IND_IPV4],
	       (unsigned long long)r->st.count[VG_IND_CIDR4],
	       (unsigned long long)r->st.count[VG_IND_DOMAIN],
	       (unsigned long long)r->st.count[VG_IND_URL],
	       (unsigned long long)(r->st.count[VG_IND_IPV6] + r->st.count[VG_IND_CIDR6] +
				    r->st.count[VG_IND_IPPORT4] + r->st.count[VG_IND_IPPORT6] +
				    r->st.count[VG_IND_MD5] + r->st.count[VG_IND_SHA1] +
				    r->st.count[VG_IND_SHA256]),
	       (unsigned long long)r->st.entries);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median_open(const char *path, bool verify, int runs)
{
	double t[32];
	for (int i = 0; i < runs; i++) {
		vg_store_t *s;
		double t0 = now_s();
		int rc = vg_store_open(path, verify, &s);
		t[i] = now_s() - t0;
		if (rc) {
			fprintf(stderr, "bench_store: open %s: %s\n", path, vg_strerror(rc));
			return -1;
		}
		vg_store_free(s);
	}
	qsort(t, (size_t)runs, sizeof t[0], cmp_double);
	return t[runs / 2];
}

/* ---- the real lists -------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load paths in a fresh process (bench_store --load LABEL FILE...), so that
 * memory freed earlier in this one does not hide the RSS growth. */
static void load_in_child(const char *label, char **paths, size_t np)
{
	char **av = calloc(np + 4, sizeof *av);
	if (!av)
		exit(1);
	av[0] = "bench_store";
	av[1] = "--load";
	av[2] = (char *)label;
	for (size_t i = 0; i < np; i++)
		av[3 + i] = paths[i];
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execv("/proc/self/exe", av);
		_exit(127);
	}
	int status;
	if (pid > 0)
		waitpid(pid, &status, 0);
	free(av);
}

static void real_lists(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/maltrail", dir);
	DIR *d = opendir(path);
	char **paths = NULL;
	size_t np = 0, cap = 0;
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			size_t l = strlen(e->d_name);
			if (l < 5 || strcmp(e->d_name + l - 4, ".txt"))
				continue;
			if (np == cap) {
				cap = cap ? cap * 2 : 512;
				paths = realloc(paths, cap * sizeof *paths);
				if (!paths)
					exit(1);
			}
			char *p = malloc(strlen(path) + l + 2);
			if (!p)
				exit(1);
			sprintf(p, "%s/%s", path, e->d_name);
			paths[np++] = p;
		}
		closedir(d);
	}
	printf("\n== real lists (%s)\n", dir);
	if (np) {
		qsort(paths, np, sizeof *paths, cmp_str);
		load_in_child("maltrail/*.txt, all files into one store", paths, np);
	} else {
		printf("maltrail/: absent, skipped\n");
	}
	for (size_t i = 0; i < np; i++)
		free(paths[i]);
	free(paths);
	snprintf(path, sizeof path, "%s/ipsum.txt", dir);
	if (access(path, R_OK) == 0) {
		char *p = path;
		load_in_child("ipsum.txt", &p, 1);
	} else {
		printf("ipsum.txt: absent, skipped\n");
	}
}

static bool is_dir(const char *p)
{
	struct stat st;
	return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "--load")) {
		vg_store_t *s;
		loadres_t r;
		if (load_files(argv + 3, (size_t)argc - 3, &s, &r))
			return 1;
		print_load(argv[2], &r);
		vg_store_free(s);
		return 0;
	}
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: bench_store FEED LOOKUPS [FEEDS_DIR]\n");
		return 2;
	}
	const char *feed = argv[1];
	int64_t now = (int64_t)time(NULL);

	size_t llen = 0;
	char *ldata = slurp(argv[2], &llen);
	if (!ldata) {
		fprintf(stderr, "bench_store: cannot read %s\n", argv[2]);
		return 1;
	}
	qset_t all = {0};
	parse_lookups(ldata, llen, &all);

	printf("== bench_store %s (lookups: %s, %zu values)\n", feed, argv[2], all.n);
	vg_store_t *s;
	loadres_t r;
	char *fp = (char *)feed;
	int rc = load_files(&fp, 1, &s, &r);
	if (rc) {
		fprintf(stderr, "bench_store: load %s: %s\n", feed, vg_strerror(rc));
		return 1;
	}
	print_load("synthetic list", &r);

	/* lookups */
	qset_t cls[C__N] = {{0}};
	for (size_t i = 0; i < all.n; i++)
		qpush(&cls[classify(s, &all.q[i], now)], &all.q[i]);
	printf("  lookups (random order, >= 1M per class, now-check on, max 16 matches):\n");
	printf("    %-32s %10s %14s\n", "", "one by one", "prefetch +" PF_STR);
	uint64_t sink = 0;
	for (int c = 0; c < C__N; c++) {
		size_t done = 0;
		double ns = time_class(s, &cls[c], 1000000, now, &done, &sink);
		double pf = time_class_pf(s, &cls[c], 1000000, now, &sink);
		if (ns < 0)
			printf("    %-32s %10s %14s   (no such queries)\n", cname[c], "-", "-");
		else
			printf("    %-32s %7.1f ns %11.1f ns   (%zu distinct values, %zu lookups)\n",
			       cname[c], ns, pf, cls[c].n, done);
	}

	/* snapshot */
	char snap[4096];
	const char *tmpdir = getenv("TMPDIR");
	snprintf(snap, sizeof snap, "%s/bench_store.%d.vgs", tmpdir && *tmpdir ? tmpdir : "/tmp",
		 (int)getpid());
	double t0 = now_s();
	rc = vg_store_save(s, snap);
	double tsave = now_s() - t0;
	if (rc) {
		fprintf(stderr, "bench_store: save %s: %s\n", snap, vg_strerror(rc));
		return 1;
	}
	struct stat st;
	stat(snap, &st);
	printf("  compiled snapshot:\n");
	printf("    %-32s %.2f MB = %.2fx text (save %.3f s incl. fsync)\n", "size",
	       (double)st.st_size / 1e6, (double)st.st_size / (double)r.text_bytes, tsave);
	median_open(snap, true, 1); /* warm the page cache */
	double tv = median_open(snap, false, 9), tf = median_open(snap, true, 9);
	printf("    %-32s %.3f ms (median of 9; header + every offset/index validated)\n",
	       "open, verify=false", tv * 1e3);
	printf("    %-32s %.3f ms (median of 9; + full body hash)\n", "open, verify=true", tf * 1e3);
	vg_store_t *ms;
	rc = vg_store_open(snap, false, &ms);
	if (rc == 0) {
		size_t bad = 0;
		vg_match_t a[16], b[16];
		for (size_t i = 0; i < all.n; i++) {
			int na = do_lookup(s, &all.q[i], now, a), nb = do_lookup(ms, &all.q[i], now, b);
			if (na != nb)
				bad++;
		}
		printf("    %-32s %s\n", "mapped vs built lookups", bad ? "MISMATCH" : "identical");
		size_t done = 0;
		double ns = time_class(ms, &cls[C_DOM_HIT], 1000000, now, &done, &sink);
		double ns2 = time_class(ms, &cls[C_IP_MISS], 1000000, now, &done, &sink);
		printf("    %-32s domain hit %.1f ns, IPv4 miss %.1f ns\n", "lookups on the mapping", ns,
		       ns2);
		vg_store_free(ms);
		if (bad)
			rc = 1;
	}
	unlink(snap);
	vg_store_free(s);
	for (int c = 0; c < C__N; c++) {
		free(cls[c].q);
		free(cls[c].buf);
	}
	free(all.q);
	free(ldata);

	const char *dir = getenv("VIGIL_FEEDS_DIR");
	if (argc == 4)
		dir = argv[3];
	if (!is_dir(dir))
		dir = is_dir("../shared/data/feeds") ? "../shared/data/feeds"
		      : is_dir("../../shared/data/feeds") ? "../../shared/data/feeds"
							    : NULL;
	if (dir)
		real_lists(dir);
	else
		printf("\n== real lists: ../shared/data/feeds absent, skipped\n");
	printf("(sink %llu)\n", (unsigned long long)(sink & 1));
	return rc ? 1 : 0;
}
