// SPDX-License-Identifier: Apache-2.0
/*
 * watch.c — `vigil watch`: read traffic (capture files or a live
 * interface), match it against indicator feeds, write EVE JSON events.
 *
 * This file owns the process concerns the engine must not have: options,
 * the output file, signals (SIGINT/SIGTERM stop at once, SIGHUP reopens the
 * output and reloads the feeds, SIGUSR1 prints stats), privilege drop after
 * the capture is open, the human summary and the exit code.  Signal
 * handlers only set flags (and break the capture loop); the main loop acts
 * on them between packets, so the engine is never re-entered.
 */
#include "cmd/cmd.h"
#include "cmd/feedurl.h"
#include "cmd/config.h"
#include "cmd/load.h"
#include "cmd/watch_dev.h"
#include "cmd/watch_geo.h"
#include "cmd/watch_hub.h"
#include "net/reader.h"
#include "net/source.h"
#include "watch/block_nft.h"
#include "watch/engine.h"
#include "watch/history.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: vigil watch [options] -r FILE|DIR [-r FILE|DIR]...\n"
	"       vigil watch [options] -i IFACE\n"
	"\n"
	"Watch traffic for contacts with listed indicators; write EVE JSON events.\n"
	"\n"
	"input:\n"
	"  -r, --read FILE|DIR     pcap/pcapng file, or directory of them (repeatable;\n"
	"                          all are read in timestamp order)\n"
	"  -i, --interface IFACE   capture live from IFACE\n"
	"  -f, --filter BPF        BPF capture filter\n"
	"  -s, --snaplen N         live: bytes captured per packet (default 262144)\n"
	"  -B, --buffer-size MIB   live: kernel buffer size in MiB (default 16)\n"
	"      --promisc           live: promiscuous mode\n"
	"      --user NAME         live: drop root to NAME after opening the capture\n"
	"indicators:\n"
	"      --feed FILE         indicator feed, any format or a compiled snapshot\n"
	"                          (repeatable)\n"
	"      --format FMT        force the feed format (plain, ipsum, csv, suricata,\n"
	"                          zeek, stix, clamav)\n"
	"      --allow-reserved    keep reserved and private addresses from feeds\n"
	"      --strict            refuse a feed with any bad line\n"
	"      --pubkey KEY        every feed must have a valid FILE.minisig made with KEY\n"
	"                          (minisign public key file or base64 string)\n"
	"      --feed-url URL      poll a signed feed (URL and URL.minisig) over HTTP(S)\n"
	"                          (repeatable; needs --pubkey); new versions are swapped in\n"
	"      --feed-interval SECS  poll interval of --feed-url (default 300)\n"
	"      --feed-max-bytes BYTES  largest feed downloaded (default 512M; K/M/G)\n"
	"      --state DIR         keep the last accepted seq per feed in DIR (replay and\n"
	"                          rollback protection across restarts)\n"
	"      --max-age DURATION  stale-feed alert when a feed's newest verified version\n"
	"                          is older than DURATION (e.g. 3600, 90m, 24h, 7d)\n"
	"blocking:\n"
	"      --block nft         add the remote address of each alert (except DNS) to\n"
	"                          nftables set vigil_v4/vigil_v6 of table inet vigil,\n"
	"                          whose members are dropped (needs CAP_NET_ADMIN)\n"
	"      --block-timeout SECS  how long a blocked address stays (default 3600;\n"
	"                          0 = until flushed)\n"
	VG_WATCH_GEO_USAGE
	VG_WATCH_DEV_USAGE
	VG_WATCH_HUB_USAGE
	"history (for vigil hunt):\n"
	"      --history DIR       keep observations (flows, DNS, SNI, Host) in DIR\n"
	"      --history-days N    delete history older than N days (default 30)\n"
	"      --history-max-bytes SIZE  bound on the history size (default 1G; K/M/G)\n"
	"output:\n"
	"  -o, --output FILE       EVE JSON lines to FILE (default: standard output)\n"
	"      --log TYPES         also log these event types: flow,dns,tls,http\n"
	"  -q, --quiet             no summary on standard error\n"
	"      --log-target T      diagnostics to stderr (default) or syslog\n"
	"tuning:\n"
	"      --dns-any-port      parse DNS on any port when the payload looks like DNS\n"
	"      --max-flows N       flow table size (default 65536)\n"
	"      --flow-memcap BYTES memory cap of the flow table (default 64M; K/M/G)\n"
	"      --realert SECS      alert a long-lived flow again after SECS (default 3600;\n"
	"                          0 = once per flow)\n"
	"      --cid-seed N        Community ID seed (default 0)\n"
	"  -c, --config FILE       read options from [watch] of INI FILE first;\n"
	"                          the command line wins (see vigil.conf(5))\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 no alert, 1 at least one alert, 2 error.\n"
	"Signals: SIGINT/SIGTERM stop; SIGHUP reopens the output and reloads the feeds;\n"
	"SIGUSR1 prints statistics.  See vigil-watch(1).\n";

enum {
	O_FEED = 256,
	O_FORMAT,
	O_ALLOW_RESERVED,
	O_STRICT,
	O_LOG,
	O_DNS_ANY,
	O_MAX_FLOWS,
	O_MEMCAP,
	O_REALERT,
	O_CID_SEED,
	O_PROMISC,
	O_USER,
	O_PUBKEY,
	O_BLOCK,
	O_BLOCK_TIMEOUT,
	O_FEED_URL,
	O_FEED_INTERVAL,
	O_FEED_MAX_BYTES,
	O_STATE,
	O_MAX_AGE,
	O_LOG_TARGET,
	O_HISTORY,
	O_HISTORY_DAYS,
	O_HISTORY_MAX,
};

static const struct option long_opts[] = {
	{"read", required_argument, NULL, 'r'},
	{"interface", required_argument, NULL, 'i'},
	{"filter", required_argument, NULL, 'f'},
	{"snaplen", required_argument, NULL, 's'},
	{"buffer-size", required_argument, NULL, 'B'},
	{"promisc", no_argument, NULL, O_PROMISC},
	{"user", required_argument, NULL, O_USER},
	{"feed", required_argument, NULL, O_FEED},
	{"format", required_argument, NULL, O_FORMAT},
	{"allow-reserved", no_argument, NULL, O_ALLOW_RESERVED},
	{"strict", no_argument, NULL, O_STRICT},
	{"pubkey", required_argument, NULL, O_PUBKEY},
	{"feed-url", required_argument, NULL, O_FEED_URL},
	{"feed-interval", required_argument, NULL, O_FEED_INTERVAL},
	{"feed-max-bytes", required_argument, NULL, O_FEED_MAX_BYTES},
	{"state", required_argument, NULL, O_STATE},
	{"max-age", required_argument, NULL, O_MAX_AGE},
	{"output", required_argument, NULL, 'o'},
	{"log", required_argument, NULL, O_LOG},
	{"quiet", no_argument, NULL, 'q'},
	{"dns-any-port", no_argument, NULL, O_DNS_ANY},
	{"max-flows", required_argument, NULL, O_MAX_FLOWS},
	{"flow-memcap", required_argument, NULL, O_MEMCAP},
	{"realert", required_argument, NULL, O_REALERT},
	{"cid-seed", required_argument, NULL, O_CID_SEED},
	{"block", required_argument, NULL, O_BLOCK},
	{"block-timeout", required_argument, NULL, O_BLOCK_TIMEOUT},
	{"log-target", required_argument, NULL, O_LOG_TARGET},
	{"config", required_argument, NULL, 'c'},
	VG_WATCH_GEO_LONGOPTS
	VG_WATCH_DEV_LONGOPTS
	VG_WATCH_HUB_LONGOPTS
	{"history", required_argument, NULL, O_HISTORY},
	{"history-days", required_argument, NULL, O_HISTORY_DAYS},
	{"history-max-bytes", required_argument, NULL, O_HISTORY_MAX},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

typedef struct wopts {
	char **reads;
	int n_reads;
	const char *iface, *bpf, *out_path, *user;
	char **feeds;
	int n_feeds;
	struct vg_cmd_load_opts load;
	vg_feedurl_cfg_t fcfg; /* --feed-url and friends (feedurl.h) */
	vg_watch_cfg_t cfg;
	vg_live_opts_t live;
	bool quiet;
	bool block;
	uint32_t block_timeout;
	vg_watch_geo_t geo;
	vg_watch_dev_t dev;
	vg_watch_hub_t hub;
	const char *history;
	vg_hist_opts_t hist;
} wopts_t;

static volatile sig_atomic_t g_stop, g_hup, g_usr1;
static vg_src_t *g_src;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		g_hup = 1;
	else if (sig == SIGUSR1)
		g_usr1 = 1;
	else
		g_stop = 1;
	if (g_src && sig != SIGUSR1 && sig != SIGHUP)
		vg_src_break(g_src);
}

typedef struct wout {
	FILE *f;
	const char *path; /* NULL for stdout */
	bool flush_each;
	bool failed;
} wout_t;

static void write_line(void *ctx, const char *line, size_t len)
{
	wout_t *o = ctx;
	if (fwrite(line, 1, len, o->f) != len || putc('\n', o->f) == EOF) {
		if (!o->failed)
			vg_err("watch: cannot write output: %s", strerror(errno));
		o->failed = true;
	}
	if (o->flush_each)
		fflush(o->f);
}

static int open_out(wout_t *o)
{
	if (!o->path) {
		o->f = stdout;
		return 0;
	}
	o->f = fopen(o->path, "a");
	if (!o->f) {
		vg_err("watch: cannot open output '%s': %s", o->path, strerror(errno));
		return -1;
	}
	setvbuf(o->f, NULL, _IOFBF, 1 << 20);
	return 0;
}

static int parse_uint(const char *opt, const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v > max || s[0] == '-') {
		vg_err("watch: invalid value '%s' for --%s", s, opt);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_log(const char *s, unsigned *mask)
{
	*mask = 0;
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 4 && !strncmp(p, "flow", 4))
			*mask |= VG_LOG_FLOW;
		else if (n == 3 && !strncmp(p, "dns", 3))
			*mask |= VG_LOG_DNS;
		else if (n == 3 && !strncmp(p, "tls", 3))
			*mask |= VG_LOG_TLS;
		else if (n == 4 && !strncmp(p, "http", 4))
			*mask |= VG_LOG_HTTP;
		else if (n) {
			vg_err("watch: unknown event type '%.*s' in --log (flow, dns, tls, http)", (int)n, p);
			return -1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int parse_opts(int argc, char **argv, wopts_t *o)
{
	uint64_t v;
	int c;
	o->reads = calloc((size_t)argc, sizeof *o->reads);
	o->feeds = calloc((size_t)argc, sizeof *o->feeds);
	o->fcfg.urls = calloc((size_t)argc, sizeof *o->fcfg.urls);
	if (!o->reads || !o->feeds || !o->fcfg.urls)
		return -1;
	vg_watch_cfg_default(&o->cfg);
	o->block_timeout = 3600;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:i:f:s:B:o:qc:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'r': o->reads[o->n_reads++] = optarg; break;
		case 'i': o->iface = optarg; break;
		case 'f': o->bpf = optarg; break;
		case 's':
			if (parse_uint("snaplen", optarg, 262144, &v))
				return -1;
			o->live.snaplen = (int)v;
			break;
		case 'B':
			if (parse_uint("buffer-size", optarg, 4096, &v))
				return -1;
			o->live.buffer_size = (int)(v << 20);
			break;
		case O_PROMISC: o->live.promisc = 1; break;
		case O_USER: o->user = optarg; break;
		case O_FEED: o->feeds[o->n_feeds++] = optarg; break;
		case O_FORMAT:
			if (vg_cmd_load_format("watch", optarg, &o->load))
				return -1;
			break;
		case O_ALLOW_RESERVED: o->load.allow_reserved = true; break;
		case O_STRICT: o->load.strict = true; break;
		case O_PUBKEY: o->load.pubkey = optarg; break;
		case O_FEED_URL: o->fcfg.urls[o->fcfg.n_urls++] = optarg; break;
		case O_FEED_INTERVAL:
			if (parse_uint("feed-interval", optarg, 86400 * 30, &v) || v == 0) {
				if (v == 0)
					vg_err("watch: --feed-interval must be at least 1");
				return -1;
			}
			o->fcfg.interval_s = (unsigned)v;
			break;
		case O_FEED_MAX_BYTES:
			if (vg_cmd_parse_size(optarg, &o->fcfg.max_bytes) || !o->fcfg.max_bytes) {
				vg_err("watch: invalid size '%s' for --feed-max-bytes", optarg);
				return -1;
			}
			break;
		case O_STATE: o->fcfg.state_dir = optarg; break;
		case O_MAX_AGE:
			if (vg_feedurl_parse_duration(optarg, &o->fcfg.max_age_s)) {
				vg_err("watch: invalid duration '%s' for --max-age (e.g. 3600, 90m, 24h, 7d)",
				       optarg);
				return -1;
			}
			break;
		case 'o': o->out_path = strcmp(optarg, "-") ? optarg : NULL; break;
		case O_LOG:
			if (parse_log(optarg, &o->cfg.log_mask))
				return -1;
			break;
		case 'q': o->quiet = true; break;
		case O_DNS_ANY: o->cfg.dns_any_port = true; break;
		case O_MAX_FLOWS:
			if (parse_uint("max-flows", optarg, 1u << 26, &v) || v == 0) {
				if (v == 0)
					vg_err("watch: --max-flows must be at least 1");
				return -1;
			}
			o->cfg.flow.max_flows = (uint32_t)v;
			break;
		case O_MEMCAP:
			if (vg_cmd_parse_size(optarg, &o->cfg.flow.memcap)) {
				vg_err("watch: invalid size '%s' for --flow-memcap", optarg);
				return -1;
			}
			break;
		case O_REALERT:
			if (parse_uint("realert", optarg, 86400 * 365, &v))
				return -1;
			o->cfg.realert_s = (uint32_t)v;
			break;
		case O_CID_SEED:
			if (parse_uint("cid-seed", optarg, 65535, &v))
				return -1;
			o->cfg.flow.cid_seed = (uint16_t)v;
			break;
		case O_BLOCK:
			if (strcmp(optarg, "nft")) {
				vg_err("watch: unknown --block backend '%s' (nft)", optarg);
				return -1;
			}
			o->block = true;
			break;
		case O_BLOCK_TIMEOUT:
			if (parse_uint("block-timeout", optarg, UINT32_MAX, &v))
				return -1;
			o->block_timeout = (uint32_t)v;
			break;
		case 'c': break; /* read by vg_cmd_config_expand */
		case O_LOG_TARGET:
			if (vg_log_set_target(optarg)) {
				vg_err("watch: unknown --log-target '%s' (stderr, syslog)", optarg);
				return -1;
			}
			break;
		case O_HISTORY: o->history = optarg; break;
		case O_HISTORY_DAYS:
			if (parse_uint("history-days", optarg, 36500, &v) || v == 0) {
				if (v == 0)
					vg_err("watch: --history-days must be at least 1");
				return -1;
			}
			o->hist.days = (uint32_t)v;
			break;
		case O_HISTORY_MAX:
			if (vg_cmd_parse_size(optarg, &o->hist.max_bytes) || !o->hist.max_bytes) {
				vg_err("watch: invalid size '%s' for --history-max-bytes", optarg);
				return -1;
			}
			break;
		case 'h': fputs(usage_text, stdout); exit(VG_EXIT_OK);
		default:
			switch (vg_watch_hub_opt(&o->hub, c, optarg)) {
			case 1: continue; /* a hub option */
			case -1: return -1;
			}
			switch (vg_watch_dev_opt(&o->dev, argc, c, optarg) ?: vg_watch_geo_opt(&o->geo, argc, c, optarg)) {
			case 1: break;
			case 0: fputs(usage_text, stderr); /* fall through */
			default: return -1;
			}
		}
	}
	for (int i = optind; i < argc; i++)
		o->reads[o->n_reads++] = argv[i]; /* tcpdump-style: trailing files */
	if (!o->n_reads == !o->iface) {
		vg_err("watch: give capture files (-r) or an interface (-i), not both%s",
		       o->n_reads ? "" : " or neither");
		return -1;
	}
	if (o->block && o->user) {
		vg_err("watch: --block cannot be combined with --user (nftables needs "
		       "CAP_NET_ADMIN for the whole run)");
		return -1;
	}
	if (o->iface && o->n_reads) {
		vg_err("watch: -r and -i cannot be combined");
		return -1;
	}
	return 0;
}

static int drop_privileges(const char *user)
{
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		vg_err("watch: unknown user '%s'", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) || setuid(pw->pw_uid)) {
		vg_err("watch: cannot drop privileges to '%s': %s", user, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {
		vg_err("watch: privileges were not dropped (could regain root)");
		return -1;
	}
	return 0;
}

static void summary(vg_watch_t *w, const vg_src_stats_t *cap, double secs)
{
	vg_watch_stats_t st;
	vg_watch_get_stats(w, &st);
	uint64_t invalid = 0;
	for (int i = 2; i < 64; i++)
		invalid += st.decode[i];
	char line[512];
	size_t n = 0;
	n += (size_t)snprintf(line + n, sizeof line - n,
		"%llu packets (%llu bytes) in %.3f s; %llu flows (%llu evicted); "
		"dns %llu, tls %llu, http %llu, quic %llu; %llu decode errors",
		(unsigned long long)st.pkts, (unsigned long long)st.bytes, secs,
		(unsigned long long)st.flow.created, (unsigned long long)st.flow.evicted,
		(unsigned long long)st.dns, (unsigned long long)st.tls, (unsigned long long)st.http,
		(unsigned long long)st.quic, (unsigned long long)invalid);
	if (cap && (cap->kernel_recv || cap->kernel_drop) && n < sizeof line)
		n += (size_t)snprintf(line + n, sizeof line - n, "; kernel: %llu received, %llu dropped",
			(unsigned long long)cap->kernel_recv,
			(unsigned long long)(cap->kernel_drop + cap->if_drop));
	if (n < sizeof line)
		snprintf(line + n, sizeof line - n, "; %llu alert%s", (unsigned long long)st.alerts,
			 st.alerts == 1 ? "" : "s");
	vg_info("%s", line); /* stderr or syslog (--log-target) */
}

/* Blocking: the engine's action hook queues; the main loop flushes after
 * each packet (and on idle ticks), one nft batch per flush. */
typedef struct blocker {
	vg_nft_t *nft;      /* NULL: blocking off or disabled */
	uint32_t timeout_s;
	bool live;          /* packet times are "now": latency is meaningful */
	uint64_t queued_full, blocked, covered, failed;
	int64_t lat_max_us, lat_sum_us;
} blocker_t;

static void on_alert(void *ctx, const vg_ip_t *remote, uint16_t port, uint8_t proto,
		     const char *matched_on, uint64_t ts_us)
{
	blocker_t *b = ctx;
	if (b->nft && vg_nft_queue(b->nft, remote, 128, b->timeout_s, ts_us))
		b->queued_full++;
}

static void block_disable(blocker_t *b, const char *why)
{
	vg_err("watch: blocking disabled: %s%s; alerts continue", why,
	       vg_nft_denied(b->nft) ? " (CAP_NET_ADMIN is needed)" : "");
	vg_nft_free(b->nft);
	b->nft = NULL;
}

static void block_report(void *ctx, const vg_ip_t *net, unsigned prefix, int status,
			 int64_t latency_us)
{
	blocker_t *b = ctx;
	char ip[64];
	vg_ip_format(net, ip, sizeof ip);
	if (status == VG_NFT_ADDED) {
		b->blocked++;
		if (b->live) {
			if (latency_us > b->lat_max_us)
				b->lat_max_us = latency_us;
			b->lat_sum_us += latency_us;
			vg_info("watch: blocked %s for %u s (%.3f ms after the packet)",
				ip, b->timeout_s, latency_us / 1000.0);
		} else {
			vg_info("watch: blocked %s for %u s", ip, b->timeout_s);
		}
	} else if (status == VG_NFT_COVERED) {
		b->covered++;
	} else {
		b->failed++;
		vg_err("watch: cannot block %s: %s", ip, vg_nft_error(b->nft));
	}
}

static void block_flush(blocker_t *b)
{
	if (!b->nft || !vg_nft_pending(b->nft))
		return;
	if (vg_nft_flush(b->nft, block_report, b) && vg_nft_denied(b->nft))
		block_disable(b, vg_nft_error(b->nft));
}

static void block_start(blocker_t *b, uint32_t timeout_s, bool live)
{
	b->timeout_s = timeout_s;
	b->live = live;
	int r = vg_nft_new(&b->nft, 256);
	if (r) {
		vg_err("watch: blocking disabled: cannot start libnftables: %s; alerts continue",
		       vg_strerror(r));
		b->nft = NULL;
		return;
	}
	if (vg_nft_setup(b->nft))
		block_disable(b, vg_nft_error(b->nft));
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int cmd_watch(int argc, char **argv)
{
	wopts_t o;
	memset(&o, 0, sizeof o);
	int rc = VG_EXIT_ERROR;
	vg_store_t *store = NULL;
	vg_watch_t *w = NULL;
	wout_t out = {0};
	char err[512] = "";
	blocker_t blk = {0};
	vg_feedurl_t *fu = NULL;
	vg_cmd_argv_t av;
	vg_hist_t *hist = NULL;

	if (vg_cmd_config_expand(&av, "watch", long_opts, argc, argv))
		return VG_EXIT_ERROR;
	if (parse_opts(av.argc, av.argv, &o) || vg_watch_hub_feed_auth(&o.hub, &o.fcfg))
		goto done;
	if (o.fcfg.n_urls || o.fcfg.max_age_s) {
		o.fcfg.files = o.feeds;
		o.fcfg.n_files = o.n_feeds;
		o.fcfg.load = &o.load;
		if (vg_feedurl_start(&fu, &o.fcfg, &store))
			goto done;
	} else if (o.n_feeds) {
		if (vg_cmd_load_store(o.feeds, o.n_feeds, &o.load, &store) == VG_EXIT_ERROR ||
		    !store)
			goto done;
	} else {
		if (!o.geo.n_geo && !o.dev.on) /* geo and devices still alert */
			vg_warnx("watch: no --feed given: nothing can match (logging only)");
		if (vg_store_empty(&store)) {
			vg_err("watch: out of memory");
			goto done;
		}
	}
	out.path = o.out_path;
	out.flush_each = o.iface != NULL;
	if (open_out(&out))
		goto done;

	int r;
	if (o.iface) {
		o.live.bpf = o.bpf;
		o.live.immediate = 1;
		r = vg_src_open_live(&g_src, o.iface, &o.live, err, sizeof err);
	} else {
		r = vg_src_open_files(&g_src, o.reads, o.n_reads, o.bpf, err, sizeof err);
	}
	if (r) {
		vg_err("watch: %s", err[0] ? err : vg_strerror(r));
		goto done;
	}
	if (o.user && drop_privileges(o.user))
		goto done;
	if (o.block) {
		block_start(&blk, o.block_timeout, o.iface != NULL);
		o.cfg.on_alert = on_alert;
		o.cfg.action_ctx = &blk;
	}
	/* the hub first: the device inventory chains its on_sighting hook and
	 * gives the hub each client's device class */
	if (vg_watch_hub_start(&o.hub, &o.cfg))
		goto done;
	if (o.dev.on) {
		o.hub.class_of = vg_watch_dev_class_of;
		o.hub.class_ctx = &o.dev;
	}
	if (vg_watch_dev_start(&o.dev, &o.cfg, &o.geo, write_line, &out) ||
	    vg_watch_geo_start(&o.geo, &o.cfg, write_line, &out))
		goto done;
	if (o.history) {
		if ((r = vg_hist_open(&hist, o.history, &o.hist))) {
			vg_err("watch: cannot open history '%s': %s", o.history,
			       r == VG_EIO ? strerror(errno) : vg_strerror(r));
			goto done;
		}
		o.cfg.history = hist;
	}
	if ((r = vg_watch_new(&w, &o.cfg, store, write_line, &out))) {
		vg_err("watch: cannot start: %s", vg_strerror(r));
		goto done;
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* capture files: a reader thread overlaps reading with analysis
	 * (src/net/reader.h); live capture stays on this thread */
	vg_reader_t *reader = NULL;
	if (!o.iface && (r = vg_reader_start(&reader, g_src))) {
		vg_err("watch: cannot start the reader thread: %s", vg_strerror(r));
		goto done;
	}
	double t0 = mono();
	bool input_error = false;
	vg_feedurl_poll(fu, w, &store, (int64_t)time(NULL));
	vg_raw_pkt_t pkt;
	while (!g_stop) {
		r = reader ? vg_reader_next(reader, &pkt, err, sizeof err) : vg_src_next(g_src, &pkt);
		if (r == 1) {
			vg_feedurl_poll(fu, w, &store, (int64_t)time(NULL)); /* new feed version? */
			vg_watch_packet(w, &pkt);
			block_flush(&blk);
			vg_watch_dev_tick(&o.dev, VG_WDEV_PACKET);
		} else if (r == 0) {
			break;
		} else if (r == VG_EAGAIN) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			vg_watch_tick(w, (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000);
			vg_feedurl_poll(fu, w, &store, (int64_t)ts.tv_sec);
			vg_hist_tick(hist);
			block_flush(&blk);
			vg_watch_dev_tick(&o.dev, VG_WDEV_IDLE);
		} else if (r == VG_ECORRUPT) {
			vg_err("watch: %s", reader ? err : vg_src_error(g_src));
			input_error = true;
		} else {
			vg_err("watch: capture failed: %s", reader ? err : vg_src_error(g_src));
			input_error = true;
			break;
		}
		if (g_hup) {
			g_hup = 0;
			if (out.path) {
				/* open the new file before closing the old one: if it
				 * cannot be opened, events keep going to the old one */
				FILE *old = out.f;
				if (open_out(&out) == 0)
					fclose(old);
				else {
					out.f = old;
					vg_err("watch: still writing to the previous output");
				}
			}
			vg_store_t *ns = NULL;
			if (fu)
				vg_feedurl_reload(fu); /* swapped in by vg_feedurl_poll */
			else if (o.n_feeds && vg_cmd_load_store(o.feeds, o.n_feeds, &o.load, &ns) != VG_EXIT_ERROR &&
			    ns) {
				vg_watch_set_store(w, ns);
				vg_store_free(store);
				store = ns;
				vg_warnx("watch: feeds reloaded");
			} else if (o.n_feeds) {
				vg_store_free(ns);
				vg_err("watch: reload failed; the previous indicators stay in force");
			}
		}
		if (g_usr1) {
			g_usr1 = 0;
			vg_src_stats_t cs;
			vg_src_get_stats(g_src, &cs);
			summary(w, &cs, mono() - t0);
			vg_watch_geo_report(&o.geo, true);
			vg_watch_dev_report(&o.dev, true);
			vg_watch_emit_stats(w, &cs);
		}
	}
	vg_reader_stop(reader);
	reader = NULL;
	vg_watch_finish(w);
	block_flush(&blk);
	vg_watch_dev_tick(&o.dev, VG_WDEV_FORCE);
	uint64_t foreign_alerts = vg_watch_geo_report(&o.geo, !o.quiet) +
				  vg_watch_dev_report(&o.dev, !o.quiet);
	vg_watch_hub_stop(&o.hub, !o.quiet);
	vg_watch_note_alerts(w, foreign_alerts);
	vg_src_stats_t cs;
	vg_src_get_stats(g_src, &cs);
	vg_watch_emit_stats(w, &cs);
	if (!o.quiet)
		summary(w, &cs, mono() - t0);
	if (!o.quiet && o.block && blk.nft) {
		fprintf(stderr, "vigil: block: %llu address%s blocked, %llu already blocked, %llu failed",
			(unsigned long long)blk.blocked, blk.blocked == 1 ? "" : "es",
			(unsigned long long)blk.covered, (unsigned long long)blk.failed);
		if (blk.live && blk.blocked)
			fprintf(stderr, "; packet-to-block %.3f ms mean, %.3f ms max",
				blk.lat_sum_us / 1000.0 / (double)blk.blocked, blk.lat_max_us / 1000.0);
		fputc('\n', stderr);
	}
	if (blk.queued_full)
		vg_err("watch: block: %llu addresses not blocked (queue full)",
		       (unsigned long long)blk.queued_full);
	fflush(out.f);
	bool hist_failed = false;
	if (hist) {
		int hr = vg_hist_flush(hist);
		vg_hist_stats_t hs;
		vg_hist_get_stats(hist, &hs);
		if (hr || hs.errors) {
			vg_err("watch: history: %s", vg_hist_error(hist));
			hist_failed = true;
		}
	}
	vg_watch_stats_t st;
	vg_watch_get_stats(w, &st);
	rc = (input_error || out.failed || hist_failed || vg_watch_dev_failed(&o.dev)) ? VG_EXIT_ERROR
	     : (st.alerts || foreign_alerts)           ? VG_EXIT_FOUND
	                                               : VG_EXIT_OK;
done:
	vg_feedurl_free(fu);
	vg_watch_free(w);
	vg_hist_close(hist);
	vg_nft_free(blk.nft);
	if (g_src)
		vg_src_close(g_src);
	g_src = NULL;
	if (out.f && out.f != stdout)
		fclose(out.f);
	vg_store_free(store);
	vg_watch_geo_release(&o.geo);
	vg_watch_dev_release(&o.dev);
	vg_watch_hub_release(&o.hub);
	free(o.reads);
	free(o.feeds);
	free(o.fcfg.urls);
	vg_cmd_argv_release(&av);
	return rc;
}
