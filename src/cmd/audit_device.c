// SPDX-License-Identifier: Apache-2.0
/*
 * audit_device.c — `vigil audit device --scope FILE [options] ADDR|CIDR...`:
 * the network half of the baseline audit (audit/net.h).
 *
 * Safety first: the scope file is loaded and EVERY target (CIDRs expanded,
 * at most --max-targets addresses) is checked against its targets and
 * validity period before a single packet leaves; any refusal stops the
 * command with exit 2.
 * Then three phases, each a pool of --max-parallel threads pulling jobs
 * from an atomic counter: discovery per device, checks per (device,
 * service), device verdicts (and the brute-force test) per device.  Every
 * job records into its own vg_audit_t, merged into the run's under one
 * mutex.  Login pacing (--rate) is per service, inside audit/net_check.c.
 * Output: vg_audit_report (terminal summary, --json, --html); exit code
 * vg_audit_exit_code (0 pass, 1 fail, 3 inconclusive) or 2 on errors.
 */
#include "audit/audit.h"
#include "audit/creds.h"
#include "audit/net.h"
#include "audit/scope.h"
#include "cmd/audit_cmd.h"
#include "cmd/cmd.h"
#include "dev/vuln.h"
#include "lib/timefmt.h"

#include <vigil/common.h>

#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: vigil audit device --scope FILE [options] ADDR|CIDR...\n"
	"\n"
	"Audit live devices over the network against the ETSI EN 303 645 baseline\n"
	"(QCVN 135:2024): open services, default credentials (with a negative control),\n"
	"clear-text and unauthenticated access, UPnP/ONVIF disclosure, TLS, SSH.\n"
	"Only targets listed in the scope file, within its validity period, are touched.\n"
	"\n"
	"      --scope FILE        authorisation scope (required; see vigil-audit-device(1))\n"
	"      --json FILE         write the JSON report to FILE (\"-\" = standard output)\n"
	"      --html FILE         write the HTML report to FILE\n"
	"  -q, --quiet             no terminal summary\n"
	"      --ports LIST        ports to scan, e.g. 23,80,554,1900/udp,8000-8010\n"
	"                          (default: the IoT ports 21,22,23,2323,80,443,554,8000,8080,\n"
	"                          8443,34567,37777 and 1900,3702,37020/udp)\n"
	"      --timeout MS        connect and read timeout (default 2000)\n"
	"      --rate N            login attempts per second per service (default 5)\n"
	"      --max-attempts N    login attempts per service (default 200)\n"
	"      --creds FILE        extra credential list (repeatable; same format as the built-in)\n"
	"      --no-builtin-creds  do not use the built-in credential list\n"
	"      --vulns FILE        extra vulnerable-version table (format of vigil's vulns.tsv)\n"
	"      --allow-lockout-test  run the brute-force test (5 failed logins; may lock the\n"
	"                          device for minutes)\n"
	"      --max-parallel N    threads: devices and services checked at once (default 16)\n"
	"      --max-targets N     refuse to expand CIDRs beyond N addresses (default 1024)\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 all checks passed or not tested, 1 some check failed, 3 some\n"
	"inconclusive and none failed, 2 error (including a target outside the scope).\n"
	"See vigil-audit-device(1).\n";

enum {
	O_SCOPE = 256, O_JSON, O_HTML, O_PORTS, O_TIMEOUT, O_RATE, O_MAXATT, O_CREDS, O_NOBUILTIN,
	O_LOCKOUT, O_PARALLEL, O_MAXTARGETS, O_VULNS
};

static const struct option long_opts[] = {
	{"scope", required_argument, NULL, O_SCOPE},
	{"json", required_argument, NULL, O_JSON},
	{"html", required_argument, NULL, O_HTML},
	{"quiet", no_argument, NULL, 'q'},
	{"ports", required_argument, NULL, O_PORTS},
	{"timeout", required_argument, NULL, O_TIMEOUT},
	{"rate", required_argument, NULL, O_RATE},
	{"max-attempts", required_argument, NULL, O_MAXATT},
	{"creds", required_argument, NULL, O_CREDS},
	{"no-builtin-creds", no_argument, NULL, O_NOBUILTIN},
	{"vulns", required_argument, NULL, O_VULNS},
	{"allow-lockout-test", no_argument, NULL, O_LOCKOUT},
	{"max-parallel", required_argument, NULL, O_PARALLEL},
	{"max-targets", required_argument, NULL, O_MAXTARGETS},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static int parse_num(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *e;
	double v = strtod(s, &e);
	if (!*s || *e || !(v >= lo && v <= hi)) {
		vg_err("audit device: %s: expected a number from %g to %g, got '%s'", opt, lo, hi, s);
		return -1;
	}
	*out = v;
	return 0;
}

typedef struct run {
	vg_device_t *dev;
	int ndev;
	struct { int dev, svc; } *jobs;
	int njobs;
	const vg_netopt_t *o;
	vg_audit_t *all;
	pthread_mutex_t mu;
	atomic_int next;
	int phase;
	atomic_int failed;
} run_t;

static void job(run_t *r, int i)
{
	vg_audit_t *a;
	if (vg_audit_new(&a, "device", "")) {
		atomic_store(&r->failed, 1);
		return;
	}
	if (r->phase == 1)
		vg_net_discover(&r->dev[i], r->o, a);
	else if (r->phase == 2)
		vg_net_check_service(&r->dev[r->jobs[i].dev], r->jobs[i].svc, r->o, a);
	else
		vg_net_check_device(&r->dev[i], r->o, a);
	pthread_mutex_lock(&r->mu);
	if (vg_audit_merge(r->all, a))
		atomic_store(&r->failed, 1);
	pthread_mutex_unlock(&r->mu);
	vg_audit_free(a);
}

static void *worker(void *p)
{
	run_t *r = p;
	int n = r->phase == 2 ? r->njobs : r->ndev;
	for (;;) {
		int i = atomic_fetch_add(&r->next, 1);
		if (i >= n)
			return NULL;
		job(r, i);
	}
}

static int run_phase(run_t *r, int phase, int threads)
{
	r->phase = phase;
	atomic_store(&r->next, 0);
	int n = phase == 2 ? r->njobs : r->ndev;
	if (threads > n)
		threads = n;
	if (threads < 1)
		return 0;
	pthread_t *th = calloc((size_t)threads, sizeof(*th));
	if (!th)
		return -1;
	int started = 0;
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&th[i], NULL, worker, r) != 0)
			break;
		started++;
	}
	if (!started)
		worker(r);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	return 0;
}

int cmd_audit_device(int argc, char **argv)
{
	const char *scope_path = NULL;
	vg_audit_out_t out = {NULL, NULL, true, isatty(1) != 0};
	vg_netopt_t o;
	vg_netopt_default(&o);
	const char *extra[16];
	int nextra = 0;
	bool builtin = true;
	const char *vulns_path = NULL;
	double v;
	int parallel = 16;
	long max_targets = 1024;
	char err[512];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qh", long_opts, NULL)) != -1) {
		switch (c) {
		case O_SCOPE: scope_path = optarg; break;
		case O_JSON: out.json_path = optarg; break;
		case O_HTML: out.html_path = optarg; break;
		case 'q': out.summary = false; break;
		case O_PORTS:
			if (vg_netopt_ports(&o, optarg, err, sizeof(err))) {
				vg_err("audit device: %s", err);
				return VG_EXIT_ERROR;
			}
			break;
		case O_TIMEOUT:
			if (parse_num("--timeout", optarg, 10, 600000, &v))
				return VG_EXIT_ERROR;
			o.timeout_ms = (int)v;
			break;
		case O_RATE:
			if (parse_num("--rate", optarg, 0.01, 1000, &v))
				return VG_EXIT_ERROR;
			o.rate = v;
			break;
		case O_MAXATT:
			if (parse_num("--max-attempts", optarg, 2, 1000000, &v))
				return VG_EXIT_ERROR;
			o.max_attempts = (int)v;
			break;
		case O_CREDS:
			if (nextra == 16) {
				vg_err("audit device: at most 16 --creds files");
				return VG_EXIT_ERROR;
			}
			extra[nextra++] = optarg;
			break;
		case O_NOBUILTIN: builtin = false; break;
		case O_VULNS: vulns_path = optarg; break;
		case O_LOCKOUT: o.lockout_test = true; break;
		case O_PARALLEL:
			if (parse_num("--max-parallel", optarg, 1, 1024, &v))
				return VG_EXIT_ERROR;
			parallel = (int)v;
			break;
		case O_MAXTARGETS:
			if (parse_num("--max-targets", optarg, 1, 65536, &v))
				return VG_EXIT_ERROR;
			max_targets = (long)v;
			break;
		case 'h': fputs(usage_text, stdout); return VG_EXIT_OK;
		default: return vg_cmd_opt_error("audit", "device", c, argv);
		}
	}
	if (!scope_path) {
		vg_err("audit device: --scope FILE is required: active checks run only against targets the owner authorised");
		return VG_EXIT_ERROR;
	}
	if (optind >= argc) {
		vg_err("audit device: no target address; see 'vigil audit device --help'");
		return VG_EXIT_ERROR;
	}
	vg_scope_t *scope;
	if (vg_scope_load(&scope, scope_path, err, sizeof(err))) {
		vg_err("audit device: scope: %s", err);
		return VG_EXIT_ERROR;
	}
	/* expand and check every target before anything is sent */
	uint32_t *ips = NULL;
	long nips = 0;
	int rc = VG_EXIT_ERROR, refused = 0;
	int64_t now = (int64_t)time(NULL);
	for (int i = optind; i < argc; i++) {
		uint32_t net;
		int plen;
		if (vg_cidr4_parse(argv[i], strlen(argv[i]), &net, &plen)) {
			vg_err("audit device: target '%s': not an IPv4 address or CIDR (host bits zero)", argv[i]);
			goto out;
		}
		uint64_t cnt = 1ull << (32 - plen);
		if (nips + (long)(cnt > (uint64_t)max_targets ? (uint64_t)max_targets + 1 : cnt) > max_targets) {
			vg_err("audit device: more than %ld target addresses (--max-targets)", max_targets);
			goto out;
		}
		uint32_t *ni = realloc(ips, (size_t)(nips + (long)cnt) * sizeof(*ips));
		if (!ni) {
			vg_err("audit device: out of memory");
			goto out;
		}
		ips = ni;
		for (uint64_t k = 0; k < cnt; k++) {
			uint32_t ip = net + (uint32_t)k;
			bool dup = false;
			for (long j = 0; j < nips && !dup; j++)
				dup = ips[j] == ip;
			if (dup)
				continue;
			char why[256];
			int sc = vg_scope_check(scope, ip, now, why, sizeof(why));
			if (sc) {
				if (refused++ < 10)
					vg_err("audit device: refused: %s (scope file %s)", why, scope_path);
				continue;
			}
			ips[nips++] = ip;
		}
	}
	if (refused) {
		vg_err("audit device: %d target address%s outside the scope: nothing was sent", refused,
		       refused == 1 ? "" : "es");
		goto out;
	}
	vg_creds_t *creds = NULL;
	if (builtin ? vg_creds_builtin(&creds, err, sizeof(err)) : vg_creds_new(&creds)) {
		vg_err("audit device: credentials: %s", builtin ? err : "out of memory");
		goto out;
	}
	for (int i = 0; i < nextra; i++)
		if (vg_creds_add_file(creds, extra[i], err, sizeof(err))) {
			vg_err("audit device: --creds: %s", err);
			vg_creds_free(creds);
			goto out;
		}
	o.creds = creds;
	vg_vulns_t *vulns = NULL;
	if (vg_vulns_builtin(&vulns) || (vulns_path && vg_vulns_add(vulns, vulns_path, err, sizeof(err)))) {
		vg_err("audit device: vulnerable-version table: %s", vulns ? err : "built-in table does not load");
		vg_vulns_free(vulns);
		vg_creds_free(creds);
		goto out;
	}
	o.vulns = vulns;
	o.vuln_text = vg_vuln_text;

	char subject[256] = "";
	for (int i = optind; i < argc; i++) {
		size_t l = strlen(subject);
		snprintf(subject + l, sizeof(subject) - l, "%s%s", l ? " " : "", argv[i]);
	}
	run_t r = {0};
	pthread_mutex_init(&r.mu, NULL);
	r.o = &o;
	r.ndev = (int)nips;
	r.dev = calloc((size_t)nips, sizeof(*r.dev));
	r.jobs = calloc((size_t)nips * VG_NET_MAX_PORTS, sizeof(*r.jobs));
	if (!r.dev || !r.jobs || vg_audit_new(&r.all, "device", subject)) {
		vg_err("audit device: out of memory");
		free(r.dev);
		free(r.jobs);
		vg_creds_free(creds);
		vg_vulns_free(vulns);
		goto out;
	}
	char tmp[128], f[32], u[32];
	vg_audit_set_info(r.all, "scope_owner", vg_scope_owner(scope));
	{
		vg_time_iso(vg_scope_from(scope), f, sizeof(f));
		vg_time_iso(vg_scope_until(scope), u, sizeof(u));
		snprintf(tmp, sizeof(tmp), "%s to %s", f, u);
		vg_audit_set_info(r.all, "scope_valid", tmp);
	}
	vg_audit_set_info(r.all, "scope_file", scope_path);
	vg_audit_set_info(r.all, "credentials_version", vg_creds_version(creds));
	vg_audit_set_info(r.all, "vulns_version", vg_vulns_version(vulns));
	snprintf(tmp, sizeof(tmp), "%.3g per second per service", o.rate);
	vg_audit_set_info(r.all, "login_rate", tmp);
	for (long i = 0; i < nips; i++)
		vg_device_init(&r.dev[i], ips[i]);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_phase(&r, 1, parallel);
	for (int i = 0; i < r.ndev; i++)
		for (int k = 0; k < r.dev[i].nsvc; k++) {
			r.jobs[r.njobs].dev = i;
			r.jobs[r.njobs++].svc = k;
		}
	run_phase(&r, 2, parallel);
	run_phase(&r, 3, parallel);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (int i = 0; i < r.ndev; i++) {
		if (r.dev[i].identity[0])
			vg_audit_set_info(r.all, r.dev[i].addr, r.dev[i].identity);
		if (r.ndev == 1 && r.dev[i].upnp[0])
			vg_audit_set_info(r.all, "upnp", r.dev[i].upnp);
	}
	snprintf(tmp, sizeof(tmp), "%ld devices, %lu login attempts, %.1f s", nips, vg_net_attempts(),
		 (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	vg_audit_set_info(r.all, "run", tmp);
	if (atomic_load(&r.failed)) {
		vg_err("audit device: out of memory while recording results");
		rc = VG_EXIT_ERROR;
	} else if (vg_audit_report(r.all, &out, err, sizeof(err))) {
		vg_err("audit device: report: %s", err);
		rc = VG_EXIT_ERROR;
	} else {
		rc = vg_audit_exit_code(r.all);
	}
	for (int i = 0; i < r.ndev; i++)
		vg_device_release(&r.dev[i]);
	vg_audit_free(r.all);
	free(r.dev);
	free(r.jobs);
	pthread_mutex_destroy(&r.mu);
	vg_creds_free(creds);
	vg_vulns_free(vulns);
out:
	free(ips);
	vg_scope_free(scope);
	return rc;
}
