// SPDX-License-Identifier: Apache-2.0
/*
 * feed.c — `vigil feed`: check, look up in, and compile indicator feeds.
 *
 *   vigil feed check   [options] FILE...     parse and count, report problems
 *   vigil feed lookup  -f FILE... VALUE...   is VALUE listed? with metadata
 *   vigil feed compile -o OUT [options] FILE...   write a compiled snapshot
 *
 * Files are loaded by vg_cmd_load_store (load.c), so every text format and
 * compiled snapshots are accepted wherever a feed is.  Output formats are
 * stable (end-to-end cases in tests/cases/2xxx-* pin them byte for byte);
 * --json gives one JSON document on stdout for machines.  Exit codes follow
 * vigil(1): 0 ok / not listed, 1 bad lines / listed, 2 error.  The usage
 * texts here are what docs/man/vigil-feed.1 documents (case 2990 checks
 * that every long option appears there).  Single-threaded; all memory is
 * released before returning.
 */
#include "cmd/cmd.h"
#include "cmd/feed_sign.h"
#include "cmd/feed_convert.h"
#include "cmd/load.h"

#include "lib/buf.h"
#include "lib/json.h"
#include "lib/timefmt.h"
#include "vigil/intel.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_MATCHES 64

static const char usage_main[] =
	"usage: vigil feed <command> [<options>] [<args>]\n"
	"\n"
	"commands:\n"
	"  check    parse feeds, count indicators, report bad lines\n"
	"  lookup   tell whether values are listed, with their metadata\n"
	"  compile  write feeds into one compiled store file\n"
	"  keygen   create a minisign key pair for signing feeds\n"
	"  sign     sign a feed file (minisign signature with a trusted comment)\n"
	"  verify   verify a signed feed file\n"
	"\n"
	"See 'vigil feed <command> --help' and vigil-feed(1).\n";

static const char usage_check[] =
	"usage: vigil feed check [<options>] FILE...\n"
	"\n"
	"  -F, --format FORMAT    read every FILE as FORMAT: auto (default), plain, ipsum,\n"
	"                         csv, suricata, zeek, stix, clamav, compiled\n"
	"      --categories FILE  Suricata categories file (id,short name,description)\n"
	"      --strict           stop a file at its first bad line\n"
	"      --allow-reserved   keep private, loopback and other reserved addresses\n"
	"      --json             print one JSON document instead of text\n"
	"      --pubkey KEY       every file must carry a valid FILE.minisig made with\n"
	"                         KEY (a minisign public key file or base64 string)\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 all loaded, 1 some lines were bad, 2 a file could not be loaded.\n";

static const char usage_lookup[] =
	"usage: vigil feed lookup -f FILE [-f FILE]... [<options>] VALUE...\n"
	"\n"
	"  -f, --feed FILE        load indicators from FILE (text feed or compiled store);\n"
	"                         repeat for several files; at least one is required\n"
	"  -F, --format FORMAT    read every feed as FORMAT (default: auto)\n"
	"      --categories FILE  Suricata categories file (id,short name,description)\n"
	"      --allow-reserved   keep private, loopback and other reserved addresses\n"
	"      --json             print one JSON document instead of text\n"
	"      --pubkey KEY       every file must carry a valid FILE.minisig made with\n"
	"                         KEY (a minisign public key file or base64 string)\n"
	"  -h, --help             show this help\n"
	"\n"
	"VALUE is an IP address, IP:PORT, domain, URL, or MD5/SHA-1/SHA-256 hash.\n"
	"Exit status: 0 nothing listed, 1 some VALUE is listed, 2 error.\n";

static const char usage_compile[] =
	"usage: vigil feed compile -o OUT [<options>] FILE...\n"
	"\n"
	"  -o, --output OUT       write the compiled store to OUT (replaced atomically)\n"
	"  -F, --format FORMAT    read every FILE as FORMAT (default: auto)\n"
	"      --categories FILE  Suricata categories file (id,short name,description)\n"
	"      --strict           stop a file at its first bad line\n"
	"      --allow-reserved   keep private, loopback and other reserved addresses\n"
	"      --pubkey KEY       every file must carry a valid FILE.minisig made with\n"
	"                         KEY (a minisign public key file or base64 string)\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 written, 1 written but some lines were bad, 2 error (nothing written).\n";

enum { OPT_STRICT = 256, OPT_ALLOW_RESERVED, OPT_JSON, OPT_CATEGORIES, OPT_PUBKEY };

/* One options table per subcommand; a subcommand accepts only what its usage lists. */
static const struct option check_opts[] = {
	{"format", required_argument, NULL, 'F'},
	{"categories", required_argument, NULL, OPT_CATEGORIES},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"allow-reserved", no_argument, NULL, OPT_ALLOW_RESERVED},
	{"json", no_argument, NULL, OPT_JSON},
	{"pubkey", required_argument, NULL, OPT_PUBKEY},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};
static const struct option lookup_opts[] = {
	{"feed", required_argument, NULL, 'f'},
	{"format", required_argument, NULL, 'F'},
	{"categories", required_argument, NULL, OPT_CATEGORIES},
	{"allow-reserved", no_argument, NULL, OPT_ALLOW_RESERVED},
	{"json", no_argument, NULL, OPT_JSON},
	{"pubkey", required_argument, NULL, OPT_PUBKEY},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};
static const struct option compile_opts[] = {
	{"output", required_argument, NULL, 'o'},
	{"format", required_argument, NULL, 'F'},
	{"categories", required_argument, NULL, OPT_CATEGORIES},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"allow-reserved", no_argument, NULL, OPT_ALLOW_RESERVED},
	{"pubkey", required_argument, NULL, OPT_PUBKEY},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

typedef struct feed_args {
	struct vg_cmd_load_opts lo;
	bool json;
	const char *output;
	char **feeds;
	int nfeeds;
} feed_args_t;

/* parse_opts: common option loop.  Returns -1 to go on, else an exit code
 * (help printed, or a usage error reported). */
static int parse_opts(int argc, char **argv, const char *sub, const char *shortopts,
		      const struct option *table, const char *usage, feed_args_t *a)
{
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, table, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return VG_EXIT_OK;
		case 'F': {
			int f = vg_feed_fmt_parse(optarg);
			if (f < 0) {
				vg_err("feed %s: unknown format '%s' (auto, plain, ipsum, csv, suricata, "
				       "zeek, stix, clamav, compiled)",
				       sub, optarg);
				return VG_EXIT_ERROR;
			}
			a->lo.format = (vg_feed_fmt_t)f;
			break;
		}
		case OPT_CATEGORIES: a->lo.categories = optarg; break;
		case OPT_STRICT: a->lo.strict = true; break;
		case OPT_ALLOW_RESERVED: a->lo.allow_reserved = true; break;
		case OPT_JSON: a->json = true; break;
		case OPT_PUBKEY: a->lo.pubkey = optarg; break;
		case 'o': a->output = optarg; break;
		case 'f': {
			char **nf = realloc(a->feeds, (size_t)(a->nfeeds + 1) * sizeof *nf);
			if (!nf) {
				vg_err("out of memory");
				return VG_EXIT_ERROR;
			}
			a->feeds = nf;
			a->feeds[a->nfeeds++] = optarg;
			break;
		}
		default: return vg_cmd_opt_error("feed", sub, c, argv);
		}
	}
	return -1;
}

/* ---- shared output pieces -------------------------------------------------------- */

static uint64_t total_added(const vg_load_report_t *r)
{
	uint64_t n = 0;
	for (int t = 1; t < VG_IND__COUNT; t++)
		n += r->added[t];
	return n;
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* types: "(ipv4 3, domain 2)" for the non-zero counts; "" when all zero. */
static void print_types(const uint64_t *count)
{
	bool first = true;
	for (int t = 1; t < VG_IND__COUNT; t++) {
		if (!count[t])
			continue;
		printf("%s%s %llu", first ? " (" : ", ", vg_ind_type_name((vg_ind_type_t)t),
		       (unsigned long long)count[t]);
		first = false;
	}
	if (!first)
		putchar(')');
}

static void print_counters(const vg_load_report_t *r)
{
	printf(", %llu %s, %llu %s, %llu reserved, %llu skipped, %llu %s\n",
	       (unsigned long long)r->errors, plural(r->errors, "error", "errors"),
	       (unsigned long long)r->warnings, plural(r->warnings, "warning", "warnings"),
	       (unsigned long long)r->reserved, (unsigned long long)r->skipped,
	       (unsigned long long)r->duplicates, plural(r->duplicates, "duplicate", "duplicates"));
}

static void json_types(vg_jw_t *w, const uint64_t *count)
{
	vg_jw_key(w, "indicators");
	vg_jw_obj(w);
	for (int t = 1; t < VG_IND__COUNT; t++)
		vg_jw_kuint(w, vg_ind_type_name((vg_ind_type_t)t), count[t]);
	vg_jw_end(w);
}

static void json_counters(vg_jw_t *w, const vg_load_report_t *r)
{
	uint64_t tot = total_added(r);
	vg_jw_kuint(w, "total", tot);
	vg_jw_kuint(w, "errors", r->errors);
	vg_jw_kuint(w, "warnings", r->warnings);
	vg_jw_kuint(w, "reserved", r->reserved);
	vg_jw_kuint(w, "skipped", r->skipped);
	vg_jw_kuint(w, "duplicates", r->duplicates);
}

static void flush_json(vg_buf_t *b)
{
	vg_buf_addc(b, '\n');
	if (b->p)
		fwrite(b->p, 1, b->len, stdout);
	vg_buf_release(b);
}

/* ---- check ---------------------------------------------------------------------- */

static int feed_check(int argc, char **argv)
{
	feed_args_t a = {0};
	int rc = parse_opts(argc, argv, "check", ":F:h", check_opts, usage_check, &a);
	if (rc >= 0)
		return rc;
	int n = argc - optind;
	char **files = argv + optind;
	if (n < 1) {
		vg_err("feed check: no feed file given; see 'vigil feed check --help'");
		return VG_EXIT_ERROR;
	}
	vg_load_report_t *reps = calloc((size_t)n, sizeof *reps);
	int *status = calloc((size_t)n, sizeof *status);
	int *errnums = calloc((size_t)n, sizeof *errnums);
	if (!reps || !status || !errnums) {
		free(reps);
		free(status);
		free(errnums);
		vg_err("out of memory");
		return VG_EXIT_ERROR;
	}
	a.lo.reports = reps;
	a.lo.status = status;
	a.lo.errnums = errnums;
	vg_store_t *s = NULL;
	rc = vg_cmd_load_store(files, n, &a.lo, &s);

	vg_load_report_t tot = {0};
	int loaded = 0;
	for (int i = 0; i < n; i++) {
		if (status[i])
			continue;
		loaded++;
		tot.lines += reps[i].lines;
		for (int t = 0; t < VG_IND__COUNT; t++)
			tot.added[t] += reps[i].added[t];
		tot.errors += reps[i].errors;
		tot.warnings += reps[i].warnings;
		tot.reserved += reps[i].reserved;
		tot.skipped += reps[i].skipped;
		tot.duplicates += reps[i].duplicates;
	}
	vg_store_stats_t st = {0};
	if (s)
		vg_store_stats(s, &st);

	if (a.json) {
		vg_buf_t b = VG_BUF_INIT;
		vg_jw_t w;
		vg_jw_init(&w, &b);
		vg_jw_obj(&w);
		vg_jw_key(&w, "files");
		vg_jw_arr(&w);
		for (int i = 0; i < n; i++) {
			vg_jw_obj(&w);
			vg_jw_kstr(&w, "file", files[i]);
			if (status[i]) {
				vg_jw_kbool(&w, "loaded", false);
				vg_jw_kstr(&w, "error",
					   vg_cmd_load_errmsg(status[i], errnums[i],
							      reps[i].format == VG_FMT_COMPILED ||
								      a.lo.format == VG_FMT_COMPILED,
							      a.lo.strict));
				vg_jw_key(&w, "format");
				vg_jw_null(&w);
			} else {
				vg_jw_kbool(&w, "loaded", true);
				vg_jw_kstr(&w, "format", vg_feed_fmt_name(reps[i].format));
			}
			vg_jw_kuint(&w, "lines", reps[i].lines);
			json_types(&w, reps[i].added);
			json_counters(&w, &reps[i]);
			vg_jw_end(&w);
		}
		vg_jw_end(&w);
		vg_jw_key(&w, "summary");
		vg_jw_obj(&w);
		vg_jw_kint(&w, "files", n);
		vg_jw_kint(&w, "loaded", loaded);
		vg_jw_kuint(&w, "lines", tot.lines);
		json_types(&w, tot.added);
		json_counters(&w, &tot);
		vg_jw_end(&w);
		vg_jw_key(&w, "store");
		vg_jw_obj(&w);
		uint64_t values = 0;
		for (int t = 1; t < VG_IND__COUNT; t++)
			values += st.count[t];
		vg_jw_kuint(&w, "values", values);
		vg_jw_kuint(&w, "entries", st.entries);
		vg_jw_kuint(&w, "metas", st.metas);
		vg_jw_end(&w);
		vg_jw_kint(&w, "exit", rc);
		vg_jw_end(&w);
		flush_json(&b);
	} else {
		for (int i = 0; i < n; i++) {
			if (status[i]) {
				printf("%s: not loaded\n", files[i]);
				continue;
			}
			uint64_t k = total_added(&reps[i]);
			if (reps[i].format == VG_FMT_COMPILED)
				printf("%s: compiled, %llu %s", files[i], (unsigned long long)k,
				       plural(k, "indicator", "indicators"));
			else
				printf("%s: %s, %llu %s, %llu %s", files[i],
				       vg_feed_fmt_name(reps[i].format),
				       (unsigned long long)reps[i].lines,
				       plural(reps[i].lines, "line", "lines"), (unsigned long long)k,
				       plural(k, "indicator", "indicators"));
			print_types(reps[i].added);
			print_counters(&reps[i]);
		}
		uint64_t k = total_added(&tot);
		printf("total: %d of %d %s loaded, %llu %s", loaded, n, plural((uint64_t)n, "file", "files"),
		       (unsigned long long)k, plural(k, "indicator", "indicators"));
		print_types(tot.added);
		print_counters(&tot);
	}
	vg_store_free(s);
	free(reps);
	free(status);
	free(errnums);
	return rc;
}

/* ---- lookup ---------------------------------------------------------------------- */

/* lookup_value: parse v and look it up.  Returns the match count (>= 0) or
 * -1 when v is not a value we can look up (*why set). */
static int lookup_value(const vg_store_t *s, const char *v, vg_match_t *m, const char **why)
{
	static vg_ind_t ind; /* 2 KiB; not on the stack */
	size_t n = strlen(v);
	*why = NULL;
	if (vg_ind_parse(v, n, VG_IND_NONE, &ind, why) != 0) {
		if (!*why)
			*why = "not an IP address, IP:port, domain, URL or hash";
		return -1;
	}
	int64_t now = (int64_t)time(NULL);
	switch (ind.type) {
	case VG_IND_IPV4:
	case VG_IND_IPV6: return vg_store_lookup_ip(s, &ind.ip, 0, now, m, MAX_MATCHES);
	case VG_IND_IPPORT4:
	case VG_IND_IPPORT6: return vg_store_lookup_ip(s, &ind.ip, ind.port, now, m, MAX_MATCHES);
	case VG_IND_DOMAIN: return vg_store_lookup_domain(s, ind.str, ind.len, now, m, MAX_MATCHES);
	case VG_IND_URL: return vg_store_lookup_url(s, v, n, now, m, MAX_MATCHES);
	case VG_IND_MD5: return vg_store_lookup_hash(s, ind.hash, 16, now, m, MAX_MATCHES);
	case VG_IND_SHA1: return vg_store_lookup_hash(s, ind.hash, 20, now, m, MAX_MATCHES);
	case VG_IND_SHA256: return vg_store_lookup_hash(s, ind.hash, 32, now, m, MAX_MATCHES);
	case VG_IND_CIDR4:
	case VG_IND_CIDR6:
		*why = "a network (CIDR) cannot be looked up; give one address";
		return -1;
	default: *why = "unsupported value"; return -1;
	}
}

static void fmt_time(int64_t t, char *buf, size_t n)
{
	vg_time_iso(t, buf, n);
}

static void print_match(const vg_store_t *s, const vg_match_t *mt)
{
	char txt[VG_URL_MAX + 64], tb[64];
	vg_meta_t me;
	vg_match_format(mt, txt, sizeof txt);
	printf("  %s (%s)\n", txt, vg_ind_type_name(mt->type));
	if (vg_store_meta(s, mt->meta, &me) != 0)
		return;
	if (*me.source)
		printf("    source: %s\n", me.source);
	if (*me.category)
		printf("    category: %s\n", me.category);
	if (*me.description)
		printf("    description: %s\n", me.description);
	if (*me.reference)
		printf("    reference: %s\n", me.reference);
	if (me.confidence >= 0)
		printf("    confidence: %d\n", me.confidence);
	if (me.tlp != VG_TLP_UNSET)
		printf("    tlp: %s\n", vg_tlp_name(me.tlp));
	if (me.valid_from) {
		fmt_time(me.valid_from, tb, sizeof tb);
		printf("    valid_from: %s\n", tb);
	}
	if (me.valid_until) {
		fmt_time(me.valid_until, tb, sizeof tb);
		printf("    valid_until: %s\n", tb);
	}
}

static void json_match(vg_jw_t *w, const vg_store_t *s, const vg_match_t *mt)
{
	char txt[VG_URL_MAX + 64], tb[64];
	vg_meta_t me;
	vg_match_format(mt, txt, sizeof txt);
	vg_jw_obj(w);
	vg_jw_kstr(w, "indicator", txt);
	vg_jw_kstr(w, "type", vg_ind_type_name(mt->type));
	if (vg_store_meta(s, mt->meta, &me) == 0) {
		vg_jw_kstr(w, "source", me.source);
		vg_jw_kstr(w, "category", me.category);
		vg_jw_kstr(w, "description", me.description);
		vg_jw_kstr(w, "reference", me.reference);
		vg_jw_key(w, "confidence");
		if (me.confidence >= 0)
			vg_jw_int(w, me.confidence);
		else
			vg_jw_null(w);
		vg_jw_kstr(w, "tlp", vg_tlp_name(me.tlp));
		vg_jw_key(w, "valid_from");
		if (me.valid_from) {
			fmt_time(me.valid_from, tb, sizeof tb);
			vg_jw_str(w, tb);
		} else {
			vg_jw_null(w);
		}
		vg_jw_key(w, "valid_until");
		if (me.valid_until) {
			fmt_time(me.valid_until, tb, sizeof tb);
			vg_jw_str(w, tb);
		} else {
			vg_jw_null(w);
		}
	}
	vg_jw_end(w);
}

static int feed_lookup(int argc, char **argv)
{
	feed_args_t a = {0};
	int rc = parse_opts(argc, argv, "lookup", ":f:F:h", lookup_opts, usage_lookup, &a);
	if (rc >= 0) {
		free(a.feeds);
		return rc;
	}
	int n = argc - optind;
	char **vals = argv + optind;
	if (a.nfeeds < 1) {
		vg_err("feed lookup: no feed given; use -f FILE (see 'vigil feed lookup --help')");
		free(a.feeds);
		return VG_EXIT_ERROR;
	}
	if (n < 1) {
		vg_err("feed lookup: no value to look up; see 'vigil feed lookup --help'");
		free(a.feeds);
		return VG_EXIT_ERROR;
	}
	vg_store_t *s = NULL;
	rc = vg_cmd_load_store(a.feeds, a.nfeeds, &a.lo, &s);
	free(a.feeds);
	if (rc == VG_EXIT_ERROR) {
		vg_store_free(s);
		return VG_EXIT_ERROR;
	}
	vg_match_t *m = calloc(MAX_MATCHES, sizeof *m);
	if (!m) {
		vg_store_free(s);
		vg_err("out of memory");
		return VG_EXIT_ERROR;
	}
	bool any = false, bad = false;
	vg_buf_t b = VG_BUF_INIT;
	vg_jw_t w;
	if (a.json) {
		vg_jw_init(&w, &b);
		vg_jw_obj(&w);
		vg_jw_key(&w, "results");
		vg_jw_arr(&w);
	}
	for (int i = 0; i < n; i++) {
		const char *why;
		int k = lookup_value(s, vals[i], m, &why);
		if (k < 0) {
			vg_err("feed lookup: invalid value '%s': %s", vals[i], why);
			bad = true;
			if (a.json) {
				vg_jw_obj(&w);
				vg_jw_kstr(&w, "value", vals[i]);
				vg_jw_kstr(&w, "error", why);
				vg_jw_end(&w);
			}
			continue;
		}
		if (k > 0)
			any = true;
		if (a.json) {
			vg_jw_obj(&w);
			vg_jw_kstr(&w, "value", vals[i]);
			vg_jw_kbool(&w, "listed", k > 0);
			vg_jw_key(&w, "matches");
			vg_jw_arr(&w);
			for (int j = 0; j < k; j++)
				json_match(&w, s, &m[j]);
			vg_jw_end(&w);
			vg_jw_end(&w);
		} else if (k == 0) {
			printf("%s: not listed\n", vals[i]);
		} else {
			printf("%s: listed, %d %s\n", vals[i], k, k == 1 ? "match" : "matches");
			for (int j = 0; j < k; j++)
				print_match(s, &m[j]);
		}
	}
	if (a.json) {
		vg_jw_end(&w);
		vg_jw_end(&w);
		flush_json(&b);
	}
	free(m);
	vg_store_free(s);
	if (bad)
		return VG_EXIT_ERROR;
	return any ? VG_EXIT_FOUND : VG_EXIT_OK;
}

/* ---- compile --------------------------------------------------------------------- */

static int feed_compile(int argc, char **argv)
{
	feed_args_t a = {0};
	int rc = parse_opts(argc, argv, "compile", ":o:F:h", compile_opts, usage_compile, &a);
	if (rc >= 0)
		return rc;
	int n = argc - optind;
	char **files = argv + optind;
	if (!a.output) {
		vg_err("feed compile: no output file given; use -o OUT (see 'vigil feed compile --help')");
		return VG_EXIT_ERROR;
	}
	if (n < 1) {
		vg_err("feed compile: no feed file given; see 'vigil feed compile --help'");
		return VG_EXIT_ERROR;
	}
	vg_store_t *s = NULL;
	rc = vg_cmd_load_store(files, n, &a.lo, &s);
	if (rc == VG_EXIT_ERROR) {
		vg_store_free(s);
		vg_err("feed compile: '%s' not written", a.output);
		return VG_EXIT_ERROR;
	}
	errno = 0;
	int r = vg_store_save(s, a.output);
	if (r) {
		const char *e = r == VG_EIO && errno ? strerror(errno) : vg_strerror(r);
		fprintf(stderr, "%s: error: cannot write: %c%s\n", a.output,
			*e >= 'A' && *e <= 'Z' ? *e + 32 : *e, e + 1);
		vg_store_free(s);
		return VG_EXIT_ERROR;
	}
	vg_store_stats_t st;
	vg_store_stats(s, &st);
	vg_store_free(s);
	struct stat sb;
	unsigned long long size = stat(a.output, &sb) == 0 ? (unsigned long long)sb.st_size : 0;
	uint64_t values = 0;
	for (int t = 1; t < VG_IND__COUNT; t++)
		values += st.count[t];
	printf("%s: %llu %s", a.output, (unsigned long long)values,
	       plural(values, "indicator", "indicators"));
	print_types(st.count);
	printf(", %llu %s, %llu metadata %s, %llu bytes\n", (unsigned long long)st.entries,
	       plural(st.entries, "entry", "entries"), (unsigned long long)st.metas,
	       plural(st.metas, "record", "records"), size);
	return rc;
}

/* ---- dispatch -------------------------------------------------------------------- */

static const struct {
	const char *name;
	int (*fn)(int, char **);
} subs[] = {
	{"check", feed_check},
	{"lookup", feed_lookup},
	{"compile", feed_compile},
	{"keygen", cmd_feed_keygen},
	{"sign", cmd_feed_sign},
	{"verify", cmd_feed_verify},
	{"convert", vg_cmd_feed_convert},
	{"diff", vg_cmd_feed_diff},
	{"merge", vg_cmd_feed_merge},
};

int cmd_feed(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_main, stderr);
		return VG_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_main, stdout);
		return VG_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1);
	vg_err("feed: unknown command '%s'; see 'vigil feed --help'", argv[1]);
	return VG_EXIT_ERROR;
}
