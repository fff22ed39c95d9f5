// SPDX-License-Identifier: Apache-2.0
/*
 * scan.c — `vigil scan [options] PATH...`: find listed malware on disk.
 *
 * Pipeline: the main thread walks the trees (scan/walk.c) and pushes paths
 * into a bounded queue (QCAP entries: memory is flat in the number of
 * files); -j worker threads pop them, read each file once (scan/hash.c:
 * SHA-256 always, MD5/SHA-1 only when the feeds list such indicators),
 * look the digests up in the indicator store (immutable, lock-free) and run
 * YARA (scan/yara.c, one scanner per worker) on the same buffer.  A hit is
 * written as one JSON line (scan/report.c) under the output lock, after the
 * optional quarantine (scan/quarantine.c) so the line states the action.
 * Counters are atomics; a progress thread redraws one stderr line (~4/s)
 * when stderr is a terminal.
 * Exit status (ClamAV's): 1 when anything was found, else 2 when an error
 * happened (unreadable file or directory, YARA error, output failure, bad
 * usage), else 0.  `vigil scan quarantine ...` is scan/quarantine's command.
 */
#include "cmd/cmd.h"
#include "cmd/load.h"
#include "scan/hash.h"
#include "scan/quarantine.h"
#include "scan/report.h"
#include "scan/walk.h"
#include "scan/yara.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: vigil scan [options] PATH...\n"
	"       vigil scan quarantine list|restore ID|delete ID --dir DIR\n"
	"\n"
	"Scan files for listed hashes (MD5, SHA-1, SHA-256 from feeds) and YARA rules;\n"
	"write one JSON line per hit and a final summary.\n"
	"\n"
	"      --feed FILE         indicator feed (repeatable; any format vigil watch reads)\n"
	"      --format FMT        force the feed format\n"
	"      --allow-reserved    keep reserved addresses from feeds (as vigil watch)\n"
	"      --strict            refuse a feed with any bad line\n"
	"      --pubkey KEY        every feed must have a valid FILE.minisig made with KEY\n"
	"      --rules FILE|DIR    YARA rules (.yar file or directory), compiled once\n"
	"      --compiled-rules FILE  trusted precompiled YARA rules\n"
	"  -d, --define NAME=VALUE YARA external variable (repeatable)\n"
	"      --timeout SECS      YARA time limit per file (default 60)\n"
	"      --yara-max SIZE     YARA sees at most the first SIZE bytes of a file\n"
	"                          (default 64M; the hit and summary say so)\n"
	"  -j, --jobs N            worker threads (default: number of cores)\n"
	"  -o, --output FILE       JSON lines to FILE (default: standard output)\n"
	"      --html FILE         also write a readable HTML report\n"
	"      --quarantine DIR    move every hit into the quarantine DIR\n"
	"      --follow            follow symbolic links (loops are detected)\n"
	"      --one-file-system   stay on the file system of each PATH\n"
	"      --exclude GLOB      skip paths matching GLOB (repeatable)\n"
	"      --no-default-excludes  also scan /proc, /sys and /dev\n"
	"      --max-filesize SIZE skip (and report) files larger than SIZE (K, M, G)\n"
	"      --max-depth N       directory levels below PATH (default 256)\n"
	"  -q, --quiet             no progress and no summary on standard error\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 clean, 1 found, 2 error.  See vigil-scan(1).\n";

enum {
	O_FEED = 256, O_FORMAT, O_ALLOW_RESERVED, O_STRICT, O_PUBKEY, O_RULES, O_CRULES,
	O_TIMEOUT, O_YMAX, O_HTML, O_QUAR, O_FOLLOW, O_ONEFS, O_EXCLUDE, O_NODEFEX, O_MAXSIZE,
	O_MAXDEPTH
};

static const struct option long_opts[] = {
	{"feed", required_argument, NULL, O_FEED},
	{"format", required_argument, NULL, O_FORMAT},
	{"allow-reserved", no_argument, NULL, O_ALLOW_RESERVED},
	{"strict", no_argument, NULL, O_STRICT},
	{"pubkey", required_argument, NULL, O_PUBKEY},
	{"rules", required_argument, NULL, O_RULES},
	{"compiled-rules", required_argument, NULL, O_CRULES},
	{"define", required_argument, NULL, 'd'},
	{"timeout", required_argument, NULL, O_TIMEOUT},
	{"yara-max", required_argument, NULL, O_YMAX},
	{"jobs", required_argument, NULL, 'j'},
	{"output", required_argument, NULL, 'o'},
	{"html", required_argument, NULL, O_HTML},
	{"quarantine", required_argument, NULL, O_QUAR},
	{"follow", no_argument, NULL, O_FOLLOW},
	{"one-file-system", no_argument, NULL, O_ONEFS},
	{"exclude", required_argument, NULL, O_EXCLUDE},
	{"no-default-excludes", no_argument, NULL, O_NODEFEX},
	{"max-filesize", required_argument, NULL, O_MAXSIZE},
	{"max-depth", required_argument, NULL, O_MAXDEPTH},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

#define QCAP 1024

typedef struct scan {
	/* configuration (read-only once workers start) */
	const vg_store_t *store;
	bool want_md5, want_sha1, any_hash;
	vg_yara_t *yara;
	const char **defines;
	int ndefines, timeout;
	size_t ymax;
	vg_quar_t *quar;
	vg_html_t *html;
	FILE *out;
	/* queue */
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	char *q[QCAP];
	size_t qhead, qlen;
	bool done;
	/* output */
	pthread_mutex_t out_mu;
	bool out_failed;
	/* counters */
	_Atomic uint64_t files, bytes, hits, errors, ytimeouts, ypartial;
	_Atomic uint64_t found_bytes, found_files; /* walker side, for ETA */
	_Atomic uint64_t extra_skip[VG_WSKIP__COUNT]; /* worker-side skips */
	uint64_t walk_skip[VG_WSKIP__COUNT];
	bool walk_done;
	_Atomic bool stop_progress;
} scan_t;

static void emit(scan_t *s, const vg_buf_t *b)
{
	if (b->oom) {
		atomic_fetch_add(&s->errors, 1);
		return;
	}
	pthread_mutex_lock(&s->out_mu);
	if (fwrite(b->p, 1, b->len, s->out) != b->len)
		s->out_failed = true;
	pthread_mutex_unlock(&s->out_mu);
}

static void worker_skip(scan_t *s, const char *path, vg_walk_skip_t why, int err, uint64_t size)
{
	atomic_fetch_add(&s->extra_skip[why], 1);
	if (why == VG_WSKIP_UNREADABLE)
		atomic_fetch_add(&s->errors, 1);
	if (why == VG_WSKIP_SPECIAL || why == VG_WSKIP_SYMLINK || why == VG_WSKIP_EXCLUDED)
		return;
	vg_buf_t b = VG_BUF_INIT;
	vg_report_skip(&b, path, vg_walk_skip_name(why), err, size);
	emit(s, &b);
	vg_buf_release(&b);
}

/* Per-file YARA hit collection. */
typedef struct yctx {
	vg_jw_t *w;
	uint64_t partial;
	int n;
	scan_t *s;
	const char *path;
	uint64_t size;
	const char *sha;
} yctx_t;

static int on_yara(void *ctx, const vg_yara_hit_t *h)
{
	yctx_t *y = ctx;
	vg_report_match_yara(y->w, h, y->partial);
	y->n++;
	if (y->s->html) {
		char group[512], detail[512] = "";
		snprintf(group, sizeof group, "rule %s:%s", h->ns ? h->ns : "", h->rule ? h->rule : "");
		size_t dl = 0;
		for (int i = 0; i < h->nmeta && i < 16 && dl < sizeof detail - 1; i++) {
			int k = snprintf(detail + dl, sizeof detail - dl, "%s%s=%s", dl ? "; " : "",
					 h->meta_key[i] ? h->meta_key[i] : "",
					 h->meta_val[i] ? h->meta_val[i] : "");
			if (k < 0)
				break;
			dl += (size_t)k;
		}
		if (dl >= sizeof detail)
			dl = sizeof detail - 1;
		pthread_mutex_lock(&y->s->out_mu);
		vg_html_add(y->s->html, group, y->path, y->size, y->sha, detail);
		pthread_mutex_unlock(&y->s->out_mu);
	}
	return 0;
}

static void scan_one(scan_t *s, vg_hasher_t *h, vg_yara_scanner_t *ys, const char *path,
		     vg_buf_t *mb, vg_buf_t *line)
{
	vg_digests_t d;
	vg_hfile_t f;
	int rc = vg_hasher_file(h, path, s->yara ? s->ymax : 0, &d, &f);
	if (rc == VG_ENOTFOUND) {
		worker_skip(s, path, VG_WSKIP_VANISHED, f.err, 0);
		return;
	}
	if (rc == VG_EFORMAT) {
		worker_skip(s, path, f.err == ELOOP ? VG_WSKIP_SYMLINK : VG_WSKIP_SPECIAL, 0, 0);
		return;
	}
	if (rc) {
		worker_skip(s, path, VG_WSKIP_UNREADABLE, rc == VG_EIO ? f.err : ENOMEM, 0);
		return;
	}
	atomic_fetch_add(&s->files, 1);
	atomic_fetch_add(&s->bytes, f.nread);
	vg_buf_reset(mb);
	vg_jw_t w;
	vg_jw_init(&w, mb);
	vg_jw_arr(&w);
	int nm = 0;
	char sha[65];
	vg_hex(d.sha256, 32, sha);
	if (s->any_hash) {
		struct { const uint8_t *p; size_t n; bool on; } dg[3] = {
			{d.md5, 16, d.has_md5}, {d.sha1, 20, d.has_sha1}, {d.sha256, 32, true}};
		for (int i = 0; i < 3; i++) {
			if (!dg[i].on)
				continue;
			vg_match_t m[16];
			int n = vg_store_lookup_hash(s->store, dg[i].p, dg[i].n, (int64_t)time(NULL), m, 16);
			if (n <= 0)
				continue;
			vg_report_match_ind(&w, s->store, m, n);
			nm++;
			if (s->html) {
				char txt[80];
				vg_match_format(&m[0], txt, sizeof txt);
				pthread_mutex_lock(&s->out_mu);
				for (int k = 0; k < n; k++) {
					vg_meta_t me;
					if (vg_store_meta(s->store, m[k].meta, &me))
						continue;
					char group[300], detail[400];
					snprintf(group, sizeof group, "feed %s", me.source);
					snprintf(detail, sizeof detail, "%s %s%s%s",
						 vg_ind_type_name(m[k].type), txt,
						 me.category[0] ? " " : "", me.category);
					vg_html_add(s->html, group, path, f.nread, sha, detail);
				}
				pthread_mutex_unlock(&s->out_mu);
			}
		}
	}
	if (ys) {
		uint64_t partial = (uint64_t)f.st.st_size > f.kept ? f.kept : 0;
		yctx_t y = {&w, partial, 0, s, path, f.nread, sha};
		int yr = vg_yara_scan_mem(ys, f.data, f.kept, on_yara, &y);
		if (partial)
			atomic_fetch_add(&s->ypartial, 1);
		if (yr == VG_ELIMIT)
			atomic_fetch_add(&s->ytimeouts, 1);
		else if (yr)
			atomic_fetch_add(&s->errors, 1);
		nm += y.n;
	}
	vg_jw_end(&w);
	if (nm) {
		atomic_fetch_add(&s->hits, 1);
		char id[33] = "";
		const char *qerr = NULL;
		bool qok = false;
		if (s->quar) {
			/* index info: the digests and what matched, one JSON object */
			vg_buf_reset(line);
			vg_jw_t iw;
			vg_jw_init(&iw, line);
			char hx[41];
			vg_jw_obj(&iw);
			if (d.has_md5) {
				vg_hex(d.md5, 16, hx);
				vg_jw_kstr(&iw, "md5", hx);
			}
			if (d.has_sha1) {
				vg_hex(d.sha1, 20, hx);
				vg_jw_kstr(&iw, "sha1", hx);
			}
			vg_jw_kstr(&iw, "sha256", sha);
			vg_jw_key(&iw, "matches");
			vg_jw_raw(&iw, mb->p, mb->len);
			vg_jw_end(&iw);
			int qr = line->oom ? VG_ENOMEM
					   : vg_quar_put(s->quar, path, f.fd, &f.st, line->p, id);
			if (qr) {
				qerr = vg_strerror(qr);
				atomic_fetch_add(&s->errors, 1);
			} else {
				qok = true;
			}
		}
		vg_buf_reset(line);
		vg_report_hit(line, path, &f.st, &d, mb->p, mb->len, qok ? id : NULL, qerr);
		emit(s, line);
	}
	close(f.fd);
}

static void *worker(void *arg)
{
	scan_t *s = arg;
	vg_hasher_t *h = NULL;
	vg_yara_scanner_t *ys = NULL;
	vg_buf_t mb = VG_BUF_INIT, line = VG_BUF_INIT;
	bool ok = !vg_hasher_new(&h, s->want_md5, s->want_sha1);
	if (ok && s->yara &&
	    vg_yara_scanner_new(s->yara, s->defines, s->ndefines, s->timeout, &ys))
		ok = false;
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (!s->qlen && !s->done)
			pthread_cond_wait(&s->not_empty, &s->mu);
		if (!s->qlen) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		char *p = s->q[s->qhead];
		s->qhead = (s->qhead + 1) % QCAP;
		s->qlen--;
		pthread_cond_signal(&s->not_full);
		pthread_mutex_unlock(&s->mu);
		if (ok)
			scan_one(s, h, ys, p, &mb, &line);
		else
			worker_skip(s, p, VG_WSKIP_UNREADABLE, ENOMEM, 0);
		free(p);
	}
	vg_buf_release(&mb);
	vg_buf_release(&line);
	vg_yara_scanner_free(ys);
	vg_hasher_free(h);
	return NULL;
}

static int walk_file(void *ctx, const char *path, const struct stat *st)
{
	scan_t *s = ctx;
	char *p = strdup(path);
	if (!p)
		return VG_ENOMEM;
	atomic_fetch_add(&s->found_files, 1);
	atomic_fetch_add(&s->found_bytes, (uint64_t)st->st_size);
	pthread_mutex_lock(&s->mu);
	while (s->qlen == QCAP)
		pthread_cond_wait(&s->not_full, &s->mu);
	s->q[(s->qhead + s->qlen) % QCAP] = p;
	s->qlen++;
	pthread_cond_signal(&s->not_empty);
	pthread_mutex_unlock(&s->mu);
	return 0;
}

static void walk_skip(void *ctx, const char *path, vg_walk_skip_t why, int err)
{
	scan_t *s = ctx;
	if (why == VG_WSKIP_UNREADABLE)
		atomic_fetch_add(&s->errors, 1);
	if (why == VG_WSKIP_SPECIAL || why == VG_WSKIP_SYMLINK || why == VG_WSKIP_EXCLUDED)
		return;
	uint64_t size = 0;
	struct stat st;
	if (why == VG_WSKIP_TOO_LARGE && !lstat(path, &st))
		size = (uint64_t)st.st_size;
	vg_buf_t b = VG_BUF_INIT;
	vg_report_skip(&b, path, vg_walk_skip_name(why), err, size);
	emit(s, &b);
	vg_buf_release(&b);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void human(double v, char *out, size_t n)
{
	const char *u[] = {"B", "KB", "MB", "GB", "TB"};
	int i = 0;
	while (v >= 1000.0 && i < 4) {
		v /= 1000.0;
		i++;
	}
	snprintf(out, n, "%.1f %s", v, u[i]);
}

static void *progress(void *arg)
{
	scan_t *s = arg;
	double t0 = now_s();
	while (!atomic_load(&s->stop_progress)) {
		struct timespec ts = {0, 250000000};
		nanosleep(&ts, NULL);
		double el = now_s() - t0;
		uint64_t b = atomic_load(&s->bytes), fb = atomic_load(&s->found_bytes);
		double rate = el > 0 ? (double)b / el : 0;
		char hb[32], hr[32], eta[32] = "?";
		human((double)b, hb, sizeof hb);
		human(rate, hr, sizeof hr);
		if (__atomic_load_n(&s->walk_done, __ATOMIC_ACQUIRE) && rate > 0)
			snprintf(eta, sizeof eta, "%.0fs", (double)(fb > b ? fb - b : 0) / rate);
		fprintf(stderr, "\r\033[Kvigil scan: %llu files, %s, %s/s, %llu hits, ETA %s",
			(unsigned long long)atomic_load(&s->files), hb, hr,
			(unsigned long long)atomic_load(&s->hits), eta);
	}
	fputs("\r\033[K", stderr);
	return NULL;
}

static void yara_diag(void *ctx, const char *file, unsigned long line, int sev, const char *msg)
{
	vg_diag_print(ctx, file, line, sev, msg);
}

int cmd_scan(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "quarantine"))
		return vg_cmd_scan_quarantine(argc - 1, argv + 1);
	struct vg_cmd_load_opts lo;
	memset(&lo, 0, sizeof lo);
	vg_walk_opts_t wo;
	memset(&wo, 0, sizeof wo);
	const char *out_path = NULL, *html_path = NULL, *quar_dir = NULL, *rules = NULL;
	bool compiled = false, quiet = false;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int timeout = 60, rc = VG_EXIT_ERROR, c;
	uint64_t ymax = 64ull << 20;
	char **feeds = calloc((size_t)argc + 1, sizeof *feeds);
	const char **excl = calloc((size_t)argc + 1, sizeof *excl);
	const char **defs = calloc((size_t)argc + 1, sizeof *defs);
	int nfeeds = 0, nexcl = 0, ndefs = 0;
	vg_store_t *store = NULL;
	scan_t *s = calloc(1, sizeof *s);
	pthread_t *th = NULL;
	int nth = 0;
	if (!feeds || !excl || !defs || !s) {
		vg_err("scan: out of memory");
		goto done;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, ":d:j:o:qh", long_opts, NULL)) != -1) {
		uint64_t v;
		switch (c) {
		case O_FEED: feeds[nfeeds++] = optarg; break;
		case O_FORMAT:
			if (vg_cmd_load_format("scan", optarg, &lo))
				goto done;
			break;
		case O_ALLOW_RESERVED: lo.allow_reserved = true; break;
		case O_STRICT: lo.strict = true; break;
		case O_PUBKEY: lo.pubkey = optarg; break;
		case O_RULES: rules = optarg; compiled = false; break;
		case O_CRULES: rules = optarg; compiled = true; break;
		case 'd':
			if (!strchr(optarg, '=') || optarg[0] == '=') {
				vg_err("scan: -d wants NAME=VALUE, not '%s'", optarg);
				goto done;
			}
			defs[ndefs++] = optarg;
			break;
		case O_TIMEOUT:
			if (vg_cmd_parse_size(optarg, &v) || v < 1 || v > 86400) {
				vg_err("scan: --timeout wants 1..86400 seconds, not '%s'", optarg);
				goto done;
			}
			timeout = (int)v;
			break;
		case O_YMAX:
			if (vg_cmd_parse_size(optarg, &v) || v < 1 || v > (1ull << 31)) {
				vg_err("scan: --yara-max wants a size from 1 to 2G, not '%s'", optarg);
				goto done;
			}
			ymax = v;
			break;
		case 'j':
			if (vg_cmd_parse_size(optarg, &v) || v < 1 || v > 1024) {
				vg_err("scan: -j wants 1..1024, not '%s'", optarg);
				goto done;
			}
			jobs = (long)v;
			break;
		case 'o': out_path = strcmp(optarg, "-") ? optarg : NULL; break;
		case O_HTML: html_path = optarg; break;
		case O_QUAR: quar_dir = optarg; break;
		case O_FOLLOW: wo.follow = true; break;
		case O_ONEFS: wo.one_fs = true; break;
		case O_EXCLUDE: excl[nexcl++] = optarg; break;
		case O_NODEFEX: wo.no_default_excludes = true; break;
		case O_MAXSIZE:
			if (vg_cmd_parse_size(optarg, &v) || !v) {
				vg_err("scan: bad --max-filesize '%s' (e.g. 100M)", optarg);
				goto done;
			}
			wo.max_filesize = v;
			break;
		case O_MAXDEPTH:
			if (vg_cmd_parse_size(optarg, &v) || v < 1 || v > 100000) {
				vg_err("scan: --max-depth wants 1..100000, not '%s'", optarg);
				goto done;
			}
			wo.max_depth = (int)v;
			break;
		case 'q': quiet = true; break;
		case 'h':
			fputs(usage_text, stdout);
			rc = VG_EXIT_OK;
			goto done;
		default:
			vg_cmd_opt_error("scan", NULL, c, argv);
			goto done;
		}
	}
	if (optind >= argc) {
		vg_err("scan: no PATH given; see 'vigil scan --help'");
		goto done;
	}
	if (!nfeeds && !rules) {
		vg_err("scan: nothing to look for: give --feed FILE and/or --rules FILE|DIR");
		goto done;
	}
	wo.excludes = excl;
	wo.nexcludes = nexcl;
	if (vg_cmd_load_store(feeds, nfeeds, &lo, &store) == VG_EXIT_ERROR || !store)
		goto done;
	vg_store_stats_t sst;
	vg_store_stats(store, &sst);
	s->store = store;
	s->want_md5 = sst.count[VG_IND_MD5] > 0;
	s->want_sha1 = sst.count[VG_IND_SHA1] > 0;
	s->any_hash = s->want_md5 || s->want_sha1 || sst.count[VG_IND_SHA256] > 0;
	if (nfeeds && !s->any_hash && !quiet)
		vg_warnx("scan: the feeds hold no MD5, SHA-1 or SHA-256 indicators");
	if (rules) {
		vg_diag_counter_t dc = {0, 0, 0, 50, "vigil"};
		int yr = vg_yara_load_ex(&s->yara, rules, compiled, defs, ndefs, yara_diag, &dc);
		if (yr) {
			vg_err("scan: cannot load YARA rules '%s': %s", rules, vg_strerror(yr));
			goto done;
		}
	}
	s->defines = defs;
	s->ndefines = ndefs;
	s->timeout = timeout;
	s->ymax = (size_t)ymax;
	if (quar_dir) {
		int qr = vg_quar_open(&s->quar, quar_dir);
		if (qr) {
			vg_err("scan: cannot open quarantine '%s': %s", quar_dir,
			       qr == VG_EIO ? strerror(errno) : vg_strerror(qr));
			goto done;
		}
	}
	if (html_path && !(s->html = vg_html_new())) {
		vg_err("scan: out of memory");
		goto done;
	}
	s->out = stdout;
	if (out_path && !(s->out = fopen(out_path, "w"))) {
		vg_err("scan: cannot open output '%s': %s", out_path, strerror(errno));
		goto done;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_mutex_init(&s->out_mu, NULL);
	pthread_cond_init(&s->not_empty, NULL);
	pthread_cond_init(&s->not_full, NULL);
	if (jobs < 1)
		jobs = 1;
	th = calloc((size_t)jobs + 1, sizeof *th);
	if (!th) {
		vg_err("scan: out of memory");
		goto done;
	}
	double t0 = now_s();
	for (long i = 0; i < jobs; i++) {
		if (pthread_create(&th[nth], NULL, worker, s)) {
			if (!nth) {
				vg_err("scan: cannot start a worker thread");
				goto done;
			}
			break;
		}
		nth++;
	}
	pthread_t pth;
	bool prog = !quiet && isatty(2) && !pthread_create(&pth, NULL, progress, s);
	int wr = vg_walk((const char *const *)argv + optind, argc - optind, &wo, walk_file,
			 walk_skip, s, s->walk_skip);
	__atomic_store_n(&s->walk_done, true, __ATOMIC_RELEASE);
	pthread_mutex_lock(&s->mu);
	s->done = true;
	pthread_cond_broadcast(&s->not_empty);
	pthread_mutex_unlock(&s->mu);
	for (int i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	if (prog) {
		atomic_store(&s->stop_progress, true);
		pthread_join(pth, NULL);
	}
	if (wr) {
		vg_err("scan: walk stopped: %s", vg_strerror(wr));
		atomic_fetch_add(&s->errors, 1);
	}
	/* A PATH argument that does not exist is an error, not "vanished". */
	for (int i = optind; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) && lstat(argv[i], &st)) {
			vg_err("scan: cannot scan '%s': %s", argv[i], strerror(errno));
			atomic_fetch_add(&s->errors, 1);
		}
	}
	vg_scan_summary_t sum;
	memset(&sum, 0, sizeof sum);
	sum.files = s->files;
	sum.bytes = s->bytes;
	sum.hits = s->hits;
	sum.errors = s->errors;
	sum.yara_timeouts = s->ytimeouts;
	sum.yara_partial = s->ypartial;
	for (int i = 0; i < VG_WSKIP__COUNT; i++)
		sum.skipped[i] = s->walk_skip[i] + s->extra_skip[i];
	sum.duration_s = now_s() - t0;
	vg_buf_t b = VG_BUF_INIT;
	vg_report_summary(&b, &sum);
	emit(s, &b);
	vg_buf_release(&b);
	if (fflush(s->out) || s->out_failed) {
		vg_err("scan: cannot write output: %s", strerror(errno));
		sum.errors++;
	}
	if (html_path) {
		FILE *hf = fopen(html_path, "w");
		if (!hf) {
			vg_err("scan: cannot open '%s': %s", html_path, strerror(errno));
			sum.errors++;
		} else {
			vg_buf_t roots = VG_BUF_INIT;
			for (int i = optind; i < argc; i++) {
				vg_buf_adds(&roots, argv[i]);
				vg_buf_adds(&roots, i + 1 < argc ? " " : "");
			}
			int hr = vg_html_write(s->html, hf, &sum, roots.p ? roots.p : "");
			if (fclose(hf) || hr) {
				vg_err("scan: cannot write '%s'", html_path);
				sum.errors++;
			}
			vg_buf_release(&roots);
		}
	}
	if (!quiet) {
		char hb[32];
		human((double)sum.bytes, hb, sizeof hb);
		fprintf(stderr, "vigil: scan: %llu files (%s) in %.2fs, %llu hit%s, %llu skipped, "
			"%llu error%s\n", (unsigned long long)sum.files, hb, sum.duration_s,
			(unsigned long long)sum.hits, sum.hits == 1 ? "" : "s",
			(unsigned long long)(sum.skipped[VG_WSKIP_TOO_LARGE] +
					     sum.skipped[VG_WSKIP_SPECIAL] +
					     sum.skipped[VG_WSKIP_LOOP] + sum.skipped[VG_WSKIP_VANISHED] +
					     sum.skipped[VG_WSKIP_UNREADABLE] + sum.skipped[VG_WSKIP_DEPTH]),
			(unsigned long long)sum.errors, sum.errors == 1 ? "" : "s");
		if (sum.yara_partial)
			fprintf(stderr, "vigil: scan: YARA saw only the first %llu bytes of %llu "
				"larger file%s (--yara-max)\n", (unsigned long long)ymax,
				(unsigned long long)sum.yara_partial, sum.yara_partial == 1 ? "" : "s");
	}
	rc = sum.hits ? VG_EXIT_FOUND : sum.errors ? VG_EXIT_ERROR : VG_EXIT_OK;
done:
	if (s && s->out && s->out != stdout)
		fclose(s->out);
	free(th);
	if (s) {
		vg_quar_free(s->quar);
		vg_yara_free(s->yara);
		vg_html_free(s->html);
		free(s);
	}
	vg_store_free(store);
	free(feeds);
	free(excl);
	free(defs);
	return rc;
}
