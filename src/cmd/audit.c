// SPDX-License-Identifier: Apache-2.0
/*
 * audit.c — `vigil audit`: test a device or a firmware image against the
 * ETSI EN 303 645 baseline (QCVN 135:2024, Decision 724) and report one
 * verdict per provision with evidence.
 *
 *   vigil audit device ADDR ...        network checks (audit_device.c)
 *   vigil audit firmware IMAGE|DIR     static checks (audit/fw.c)
 *   vigil audit compare A.json B.json  what a re-test changed
 *   vigil audit provisions             the provision catalogue and its checks
 *
 * The command layer only parses options, runs the library (src/audit) and
 * maps the result to exit codes: 0 all PASS / NOT-TESTED, 1 some FAIL,
 * 3 no FAIL but some INCONCLUSIVE, 2 errors (vg_audit_exit_code); compare
 * exits 1 when anything regressed.
 */
#include "audit/audit.h"
#include "audit/compare.h"
#include "audit/fw.h"
#include "audit/map.h"
#include "cmd/audit_cmd.h"
#include "cmd/cmd.h"
#include "lib/file.h"

#include <vigil/common.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: vigil audit device ADDR [options]      (see vigil audit device --help)\n"
	"       vigil audit firmware [options] IMAGE|ROOTFS-DIR\n"
	"       vigil audit compare A.json B.json\n"
	"       vigil audit provisions [--map FILE]\n"
	"\n"
	"Audit a device or a firmware image against ETSI EN 303 645 (QCVN 135:2024,\n"
	"Decision 724): one verdict per provision (PASS, FAIL, INCONCLUSIVE, NOT-TESTED)\n"
	"with evidence, labelled with every scheme it belongs to.\n"
	"\n"
	"firmware options:\n"
	"      --json FILE         write the JSON report to FILE (\"-\" = standard output)\n"
	"      --html FILE         write a readable HTML report to FILE\n"
	"  -q, --quiet             no terminal summary\n"
	"      --creds FILE        default-credential list (default: the built-in one)\n"
	"      --keys-db FILE      key fingerprints of earlier images: report shared keys,\n"
	"                          then add this image's keys\n"
	"      --map FILE          extra check-to-provision map (repeatable)\n"
	"      --tmpdir DIR        where images are extracted (default $TMPDIR or /tmp)\n"
	"      --keep              keep the extracted tree (its path is in the report)\n"
	"      --max-files N       regular files examined (default 200000)\n"
	"      --max-read SIZE     bytes read from one file (default 16M)\n"
	"      --max-depth N       directory depth (default 48)\n"
	"      --max-guesses N     passwords tried per hash (default 1000)\n"
	"      --timeout SECS      extractor time limit (default 300)\n"
	"      --max-extract SIZE  largest file the extractor may write (default 1G)\n"
	"      --color WHEN        colours in the summary: auto, always, never\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 all PASS or NOT-TESTED, 1 some FAIL, 3 some INCONCLUSIVE and no\n"
	"FAIL, 2 error.  compare: 1 when anything regressed.\n";

static int usage(FILE *f)
{
	fputs(usage_text, f);
	return f == stdout ? VG_EXIT_OK : VG_EXIT_ERROR;
}

enum {
	O_JSON = 256, O_HTML, O_CREDS, O_KEYSDB, O_MAP, O_TMPDIR, O_KEEP, O_MAXFILES, O_MAXREAD,
	O_MAXDEPTH, O_GUESSES, O_TIMEOUT, O_MAXEXTRACT, O_COLOR,
};

static const struct option fw_opts[] = {
	{"json", required_argument, NULL, O_JSON},
	{"html", required_argument, NULL, O_HTML},
	{"quiet", no_argument, NULL, 'q'},
	{"creds", required_argument, NULL, O_CREDS},
	{"keys-db", required_argument, NULL, O_KEYSDB},
	{"map", required_argument, NULL, O_MAP},
	{"tmpdir", required_argument, NULL, O_TMPDIR},
	{"keep", no_argument, NULL, O_KEEP},
	{"max-files", required_argument, NULL, O_MAXFILES},
	{"max-read", required_argument, NULL, O_MAXREAD},
	{"max-depth", required_argument, NULL, O_MAXDEPTH},
	{"max-guesses", required_argument, NULL, O_GUESSES},
	{"timeout", required_argument, NULL, O_TIMEOUT},
	{"max-extract", required_argument, NULL, O_MAXEXTRACT},
	{"color", required_argument, NULL, O_COLOR},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* A bounded numeric option: 0 ok, else prints and returns -1. */
static int num_opt(const char *name, const char *arg, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t v;
	if (vg_cmd_parse_size(arg, &v) || v < lo || v > hi) {
		vg_err("audit firmware: %s wants %llu..%llu, not '%s'", name, (unsigned long long)lo,
		       (unsigned long long)hi, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int cmd_firmware(int argc, char **argv)
{
	vg_fw_opts_t fo;
	vg_fw_opts_default(&fo);
	vg_audit_out_t out = {NULL, NULL, true, false};
	int color = -1, c, rc = VG_EXIT_ERROR;
	const char **maps = calloc((size_t)argc + 1, sizeof(*maps));
	int nmaps = 0;
	vg_audit_t *a = NULL;
	char err[512] = "";
	if (!maps) {
		vg_err("audit firmware: out of memory");
		return VG_EXIT_ERROR;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, ":qh", fw_opts, NULL)) != -1) {
		uint64_t v;
		switch (c) {
		case O_JSON: out.json_path = optarg; break;
		case O_HTML: out.html_path = optarg; break;
		case 'q': out.summary = false; break;
		case O_CREDS: fo.creds_path = optarg; break;
		case O_KEYSDB: fo.keys_db = optarg; break;
		case O_MAP: maps[nmaps++] = optarg; break;
		case O_TMPDIR: fo.tmpdir = optarg; break;
		case O_KEEP: fo.keep = true; break;
		case O_MAXFILES:
			if (num_opt("--max-files", optarg, 1, 100000000, &v))
				goto done;
			fo.max_files = (size_t)v;
			break;
		case O_MAXREAD:
			if (num_opt("--max-read", optarg, 4096, 1ull << 31, &v))
				goto done;
			fo.max_read = (size_t)v;
			break;
		case O_MAXDEPTH:
			if (num_opt("--max-depth", optarg, 1, 4096, &v))
				goto done;
			fo.max_depth = (unsigned)v;
			break;
		case O_GUESSES:
			if (num_opt("--max-guesses", optarg, 0, 1000000, &v))
				goto done;
			fo.max_guesses = (unsigned)v;
			break;
		case O_TIMEOUT:
			if (num_opt("--timeout", optarg, 1, 86400, &v))
				goto done;
			fo.timeout = (int)v;
			break;
		case O_MAXEXTRACT:
			if (num_opt("--max-extract", optarg, 4096, 1ull << 40, &v))
				goto done;
			fo.max_out_file = v;
			break;
		case O_COLOR:
			if (!strcmp(optarg, "auto"))
				color = -1;
			else if (!strcmp(optarg, "always"))
				color = 1;
			else if (!strcmp(optarg, "never"))
				color = 0;
			else {
				vg_err("audit firmware: --color wants auto, always or never, not '%s'",
				       optarg);
				goto done;
			}
			break;
		case 'h': rc = usage(stdout); goto done;
		default: rc = vg_cmd_opt_error("audit", "firmware", c, argv); goto done;
		}
	}
	if (optind != argc - 1) {
		vg_err("audit firmware: give exactly one IMAGE or ROOTFS-DIR; see 'vigil audit --help'");
		goto done;
	}
	if (out.json_path && !strcmp(out.json_path, "-"))
		out.summary = false;
	out.color = color < 0 ? isatty(1) : color;
	if (vg_audit_new(&a, "firmware", argv[optind])) {
		vg_err("audit firmware: out of memory");
		goto done;
	}
	if (!vg_audit_map(a, err, sizeof(err))) {
		vg_err("audit firmware: built-in map: %s", err);
		goto done;
	}
	for (int i = 0; i < nmaps; i++)
		if (vg_audit_add_map(a, maps[i], err, sizeof(err))) {
			vg_err("audit firmware: %s", err);
			goto done;
		}
	if (vg_fw_audit(a, argv[optind], &fo, err, sizeof(err))) {
		vg_err("audit firmware: %s", err);
		goto done;
	}
	if (vg_audit_report(a, &out, err, sizeof(err))) {
		vg_err("audit firmware: %s", err);
		goto done;
	}
	rc = vg_audit_exit_code(a);
done:
	vg_audit_free(a);
	free(maps);
	return rc;
}

static int read_all(const char *path, char **t, size_t *n)
{
	int r = vg_file_read(path, 256u << 20, t, n);
	if (r)
		vg_err("audit compare: %s: %s%s%s", path, vg_strerror(r), errno ? ": " : "",
		       errno ? strerror(errno) : "");
	return r;
}

static int cmd_compare(int argc, char **argv)
{
	static const struct option lo[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		if (c == 'h')
			return usage(stdout);
		return vg_cmd_opt_error("audit", "compare", c, argv);
	}
	if (argc - optind != 2) {
		vg_err("audit compare: give two reports, A.json B.json; see 'vigil audit --help'");
		return VG_EXIT_ERROR;
	}
	char *ta = NULL, *tb = NULL, err[512];
	size_t la, lb, n = 0;
	vg_cmp_row_t *rows = NULL;
	int rc = VG_EXIT_ERROR;
	if (read_all(argv[optind], &ta, &la) || read_all(argv[optind + 1], &tb, &lb))
		goto done;
	if (vg_audit_compare(ta, la, tb, lb, &rows, &n, err, sizeof(err))) {
		vg_err("audit compare: %s", err);
		goto done;
	}
	size_t cnt[3][VG_CMP_UNTESTED + 1] = {{0}};
	for (size_t i = 0; i < n; i++)
		cnt[rows[i].is_check][rows[i].change]++;
	const char *lab[3] = {"provisions", "checks", "findings"};
	static const char *const one[3] = {"provision", "check", "finding"};
	for (int k = 0; k < 3; k++)
		printf("%-11s %zu regressed, %zu fixed, %zu new, %zu untested, %zu unchanged\n", lab[k],
		       cnt[k][VG_CMP_REGRESSED], cnt[k][VG_CMP_FIXED], cnt[k][VG_CMP_NEW],
		       cnt[k][VG_CMP_UNTESTED], cnt[k][VG_CMP_UNCHANGED]);
	static const int order[] = {VG_CMP_REGRESSED, VG_CMP_FIXED, VG_CMP_NEW, VG_CMP_UNTESTED};
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		for (size_t i = 0; i < n; i++)
			if (rows[i].change == order[o])
				printf("%-9s %-9s %s: %s -> %s\n", vg_cmp_name(rows[i].change),
				       one[rows[i].is_check], rows[i].id,
				       vg_verdict_name(rows[i].va), vg_verdict_name(rows[i].vb));
	rc = cnt[0][VG_CMP_REGRESSED] + cnt[1][VG_CMP_REGRESSED] ? VG_EXIT_FOUND : VG_EXIT_OK;
done:
	vg_cmp_free(rows, n);
	free(ta);
	free(tb);
	return rc;
}

static int cmd_provisions(int argc, char **argv)
{
	static const struct option lo[] = {{"map", required_argument, NULL, O_MAP},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	vg_audit_t *a = NULL;
	char err[512];
	int c, rc = VG_EXIT_ERROR;
	if (vg_audit_new(&a, "catalogue", "")) {
		vg_err("audit provisions: out of memory");
		return VG_EXIT_ERROR;
	}
	const struct vg_amap *m = vg_audit_map(a, err, sizeof(err));
	if (!m) {
		vg_err("audit provisions: built-in map: %s", err);
		goto done;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		if (c == 'h') {
			rc = usage(stdout);
			goto done;
		}
		if (c != O_MAP) {
			rc = vg_cmd_opt_error("audit", "provisions", c, argv);
			goto done;
		}
		if (vg_audit_add_map(a, optarg, err, sizeof(err))) {
			vg_err("audit provisions: %s", err);
			goto done;
		}
	}
	if (optind != argc) {
		vg_err("audit provisions: unexpected argument '%s'", argv[optind]);
		goto done;
	}
	printf("# provision\treq\ttitle\tqcvn135\tdecision724\towasp\tnistir8259a\tchecks\n");
	for (size_t i = 0; i < vg_amap_nprov(m); i++) {
		const vg_prov_t *p = vg_amap_prov_at(m, i);
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t", p->id, p->req, p->title, p->qcvn, p->d724,
		       p->owasp, p->nist);
		int nc = 0;
		for (size_t j = 0; j < vg_amap_ncheck(m); j++) {
			const vg_amap_check_t *ck = vg_amap_check_at(m, j);
			for (size_t k = 0; k < ck->nprov; k++)
				if (ck->prov[k] == i) {
					printf("%s%s", nc++ ? "," : "", ck->id);
					break;
				}
		}
		printf("%s\n", nc ? "" : "-");
	}
	rc = fflush(stdout) ? VG_EXIT_ERROR : VG_EXIT_OK;
done:
	vg_audit_free(a);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return VG_EXIT_ERROR;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help"))
		return usage(stdout);
	if (!strcmp(sub, "device"))
		return cmd_audit_device(argc - 1, argv + 1);
	if (!strcmp(sub, "firmware"))
		return cmd_firmware(argc - 1, argv + 1);
	if (!strcmp(sub, "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(sub, "provisions"))
		return cmd_provisions(argc - 1, argv + 1);
	vg_err("audit: unknown subcommand '%s'; see 'vigil audit --help'", sub);
	return VG_EXIT_ERROR;
}
