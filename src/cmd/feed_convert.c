// SPDX-License-Identifier: Apache-2.0
/*
 * feed_convert.c — `vigil feed convert`, `vigil feed diff` and
 * `vigil feed merge`: list hygiene on top of the store.
 *
 *   convert --to FORMAT [-o OUT] FILE...   any feed(s) -> another tool's format
 *   diff [--json] OLD NEW                  added / removed / changed indicators
 *   merge -o OUT [--allow FILE]... [--max-age DAYS] FILE...
 *                                          union minus allowlisted and expired
 *
 * Feeds are loaded by vg_cmd_load_store (load.c), written by the exporters
 * (vigil/export.h) and walked with vg_store_foreach, so every output is in
 * the store's deterministic order.  diff compares the metadata a feed
 * carries (category, description, reference, confidence, TLP, validity) and
 * not the source, which for most formats is just the file name.  merge's
 * allowlists are any feed format or a MISP warninglist (JSON with "list" and
 * "type" cidr / string / hostname / substring); they are loaded with
 * reserved addresses allowed, as allowlists usually name private ranges.
 * Only this layer prints.  Single-threaded; everything is freed on return.
 */
#include "cmd/feed_convert.h"

#include "cmd/cmd.h"
#include "cmd/load.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/timefmt.h"
#include "vigil/export.h"
#include "vigil/intel.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char usage_convert[] =
	"usage: vigil feed convert --to FORMAT [-o OUT] [<options>] FILE...\n"
	"\n"
	"  -t, --to FORMAT        plain, csv, stix2, zeek-intel, suricata, nftables\n"
	"  -o, --output OUT       write to OUT (default: standard output); for suricata\n"
	"                         OUT is a directory (created when missing)\n"
	"      --producer NAME    stix2: the producer identity's name (default: vigil)\n"
	"  -F, --format FORMAT    read every FILE as FORMAT (default: auto)\n"
	"      --categories FILE  Suricata categories file (id,short name,description)\n"
	"      --allow-reserved   keep private, loopback and other reserved addresses\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 written, 1 written but some lines were bad, 2 error.\n";

static const char usage_diff[] =
	"usage: vigil feed diff [<options>] OLD NEW\n"
	"\n"
	"      --json             print one JSON document instead of text\n"
	"  -F, --format FORMAT    read both files as FORMAT (default: auto)\n"
	"      --allow-reserved   keep private, loopback and other reserved addresses\n"
	"  -h, --help             show this help\n"
	"\n"
	"Lines: '+ VALUE (TYPE)' added, '- VALUE (TYPE)' removed, '~ VALUE (TYPE): ...'\n"
	"changed (same value, different metadata; the source is not compared).\n"
	"Exit status: 0 no difference, 1 differences, 2 error.\n";

static const char usage_merge[] =
	"usage: vigil feed merge -o OUT [<options>] FILE...\n"
	"\n"
	"  -o, --output OUT       write the merged list to OUT (a directory for suricata)\n"
	"  -t, --to FORMAT        output format (default: plain); as for convert\n"
	"  -a, --allow FILE       drop indicators listed in FILE (any feed format, or a\n"
	"                         MISP warninglist), inside its CIDRs or under its domains;\n"
	"                         repeatable\n"
	"      --max-age DAYS     drop indicators whose valid_from is older than DAYS\n"
	"                         (those with a past valid_until are always dropped)\n"
	"      --producer NAME    stix2: the producer identity's name (default: vigil)\n"
	"  -F, --format FORMAT    read every FILE as FORMAT (default: auto)\n"
	"      --categories FILE  Suricata categories file (id,short name,description)\n"
	"      --allow-reserved   keep private, loopback and other reserved addresses\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 written, 1 written but some lines were bad, 2 error.\n";

enum { O_ALLOW_RESERVED = 300, O_JSON, O_CATEGORIES, O_PRODUCER, O_MAX_AGE };

static const struct option convert_opts[] = {
	{"to", required_argument, NULL, 't'},
	{"output", required_argument, NULL, 'o'},
	{"producer", required_argument, NULL, O_PRODUCER},
	{"format", required_argument, NULL, 'F'},
	{"categories", required_argument, NULL, O_CATEGORIES},
	{"allow-reserved", no_argument, NULL, O_ALLOW_RESERVED},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};
static const struct option diff_opts[] = {
	{"json", no_argument, NULL, O_JSON},
	{"format", required_argument, NULL, 'F'},
	{"allow-reserved", no_argument, NULL, O_ALLOW_RESERVED},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};
static const struct option merge_opts[] = {
	{"output", required_argument, NULL, 'o'},
	{"to", required_argument, NULL, 't'},
	{"allow", required_argument, NULL, 'a'},
	{"max-age", required_argument, NULL, O_MAX_AGE},
	{"producer", required_argument, NULL, O_PRODUCER},
	{"format", required_argument, NULL, 'F'},
	{"categories", required_argument, NULL, O_CATEGORIES},
	{"allow-reserved", no_argument, NULL, O_ALLOW_RESERVED},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

typedef struct args {
	struct vg_cmd_load_opts lo;
	int to; /* vg_export_fmt_t, -1 unset */
	const char *output, *producer;
	bool json;
	long max_age; /* days, 0 = none */
	char **allow;
	int nallow;
} args_t;

/* opts: the option loop.  -1 to go on, else an exit code. */
static int opts(int argc, char **argv, const char *sub, const char *shortopts,
		const struct option *table, const char *usage, args_t *a)
{
	int c;
	opterr = 0;
	optind = 1;
	a->to = -1;
	while ((c = getopt_long(argc, argv, shortopts, table, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(usage, stdout); return VG_EXIT_OK;
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
		case 't':
			a->to = vg_export_fmt_parse(optarg);
			if (a->to < 0) {
				vg_err("feed %s: unknown output format '%s' (plain, csv, stix2, zeek-intel, "
				       "suricata, nftables)",
				       sub, optarg);
				return VG_EXIT_ERROR;
			}
			break;
		case 'o': a->output = optarg; break;
		case 'a': {
			char **na = realloc(a->allow, (size_t)(a->nallow + 1) * sizeof *na);
			if (!na) {
				vg_err("out of memory");
				return VG_EXIT_ERROR;
			}
			a->allow = na;
			a->allow[a->nallow++] = optarg;
			break;
		}
		case O_MAX_AGE: {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v <= 0 || v > 100000) {
				vg_err("feed %s: --max-age needs a number of days (1..100000), not '%s'",
				       sub, optarg);
				return VG_EXIT_ERROR;
			}
			a->max_age = v;
			break;
		}
		case O_PRODUCER: a->producer = optarg; break;
		case O_CATEGORIES: a->lo.categories = optarg; break;
		case O_ALLOW_RESERVED: a->lo.allow_reserved = true; break;
		case O_JSON: a->json = true; break;
		default: return vg_cmd_opt_error("feed", sub, c, argv);
		}
	}
	return -1;
}

static const char *lc_strerror(int e)
{
	static char buf[128];
	snprintf(buf, sizeof buf, "%s", strerror(e));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] + 32);
	return buf;
}

static int write_file(const char *path, const vg_buf_t *b)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "%s: error: cannot write: %s\n", path, lc_strerror(errno));
		return VG_EXIT_ERROR;
	}
	bool ok = !b->len || fwrite(b->p, 1, b->len, f) == b->len;
	int e = errno;
	if (fclose(f) || !ok) {
		fprintf(stderr, "%s: error: cannot write: %s\n", path, lc_strerror(ok ? errno : e));
		return VG_EXIT_ERROR;
	}
	return VG_EXIT_OK;
}

static void print_skipped(const char *what, const vg_export_report_t *rep)
{
	bool any = false;
	for (int t = 1; t < VG_IND__COUNT; t++) {
		if (!rep->skipped[t])
			continue;
		if (!any)
			fprintf(stderr, "vigil: warning: %s cannot express, left out:", what);
		fprintf(stderr, "%s %s %llu", any ? "," : "", vg_ind_type_name((vg_ind_type_t)t),
			(unsigned long long)rep->skipped[t]);
		any = true;
	}
	if (any)
		fputc('\n', stderr);
}

/* emit: write store s as format `to` to out (stdout when NULL or "-"). */
static int emit(const vg_store_t *s, int to, const char *out, const char *producer)
{
	vg_export_opts_t eo = {.producer = producer};
	vg_export_report_t rep;
	if (to == VG_EXPORT_SURICATA) {
		if (!out || !strcmp(out, "-")) {
			vg_err("feed: --to suricata writes several files: give a directory with -o DIR");
			return VG_EXIT_ERROR;
		}
		if (mkdir(out, 0755) && errno != EEXIST) {
			fprintf(stderr, "%s: error: cannot create directory: %s\n", out,
				lc_strerror(errno));
			return VG_EXIT_ERROR;
		}
		vg_buf_t bufs[VG_SURI__COUNT];
		vg_buf_t *ptr[VG_SURI__COUNT];
		for (int i = 0; i < VG_SURI__COUNT; i++) {
			bufs[i] = (vg_buf_t)VG_BUF_INIT;
			ptr[i] = &bufs[i];
		}
		int rc = vg_export_suricata(s, &eo, ptr, &rep);
		int ex = VG_EXIT_OK;
		if (rc) {
			vg_err("feed: suricata export failed: %s",
			       rc == VG_ELIMIT ? "more than 59 categories (Suricata's limit)"
					       : vg_strerror(rc));
			ex = VG_EXIT_ERROR;
		}
		for (int i = 0; i < VG_SURI__COUNT && ex == VG_EXIT_OK; i++) {
			vg_buf_t path = VG_BUF_INIT;
			vg_buf_addf(&path, "%s/%s", out, vg_export_suricata_file(i));
			ex = path.p ? write_file(path.p, &bufs[i]) : VG_EXIT_ERROR;
			vg_buf_release(&path);
		}
		for (int i = 0; i < VG_SURI__COUNT; i++)
			vg_buf_release(&bufs[i]);
		if (ex == VG_EXIT_OK)
			print_skipped("suricata", &rep);
		return ex;
	}
	vg_buf_t b = VG_BUF_INIT;
	int rc = vg_export(s, (vg_export_fmt_t)to, &eo, &b, &rep);
	int ex = VG_EXIT_OK;
	if (rc) {
		vg_err("feed: export failed: %s", vg_strerror(rc));
		ex = VG_EXIT_ERROR;
	} else if (!out || !strcmp(out, "-")) {
		if (b.len && fwrite(b.p, 1, b.len, stdout) != b.len)
			ex = VG_EXIT_ERROR;
		if (fflush(stdout))
			ex = VG_EXIT_ERROR;
	} else {
		ex = write_file(out, &b);
	}
	vg_buf_release(&b);
	if (ex == VG_EXIT_OK) {
		print_skipped(vg_export_fmt_name((vg_export_fmt_t)to), &rep);
		if (rep.covered)
			fprintf(stderr,
				"vigil: note: %llu addresses or networks inside another listed network "
				"left out of the nftables sets\n",
				(unsigned long long)rep.covered);
	}
	return ex;
}

/* ---- convert ------------------------------------------------------------------------ */

int vg_cmd_feed_convert(int argc, char **argv)
{
	args_t a = {0};
	int rc = opts(argc, argv, "convert", ":t:o:F:h", convert_opts, usage_convert, &a);
	free(a.allow);
	if (rc >= 0)
		return rc;
	if (a.to < 0) {
		vg_err("feed convert: --to FORMAT is required; see 'vigil feed convert --help'");
		return VG_EXIT_ERROR;
	}
	int n = argc - optind;
	if (n < 1) {
		vg_err("feed convert: no FILE given; see 'vigil feed convert --help'");
		return VG_EXIT_ERROR;
	}
	vg_store_t *s = NULL;
	rc = vg_cmd_load_store(argv + optind, n, &a.lo, &s);
	if (rc == VG_EXIT_ERROR || !s) {
		vg_store_free(s);
		vg_err("feed convert: nothing written");
		return VG_EXIT_ERROR;
	}
	int ex = emit(s, a.to, a.output, a.producer);
	vg_store_free(s);
	return ex == VG_EXIT_OK ? rc : ex;
}

/* ---- diff --------------------------------------------------------------------------- */

/* One value of a store with all its metas. */
typedef struct item {
	uint8_t *key; /* type byte + value bytes (comparable with memcmp) */
	size_t klen;
	vg_match_t m; /* first pair; str/hash point into the store */
	uint32_t *metas;
	uint32_t nmeta;
	char *fp; /* metadata fingerprint */
} item_t;

typedef struct items {
	const vg_store_t *s;
	item_t *v;
	size_t n, cap;
	bool oom;
} items_t;

static size_t key_of(const vg_match_t *m, uint8_t *k)
{
	size_t n = 0;
	k[n++] = (uint8_t)m->type;
	switch (m->type) {
	case VG_IND_DOMAIN:
	case VG_IND_URL:
		memcpy(k + n, m->str, m->len);
		return n + m->len;
	case VG_IND_MD5: memcpy(k + n, m->hash, 16); return n + 16;
	case VG_IND_SHA1: memcpy(k + n, m->hash, 20); return n + 20;
	case VG_IND_SHA256: memcpy(k + n, m->hash, 32); return n + 32;
	default:
		memcpy(k + n, m->ip.a, 16);
		n += 16;
		k[n++] = m->prefix;
		k[n++] = (uint8_t)(m->port >> 8);
		k[n++] = (uint8_t)m->port;
		return n;
	}
}

static int collect(void *ctx, const vg_match_t *m)
{
	items_t *x = ctx;
	uint8_t k[VG_URL_MAX + 8];
	size_t kl = key_of(m, k);
	item_t *last = x->n ? &x->v[x->n - 1] : NULL;
	if (!last || last->klen != kl || memcmp(last->key, k, kl)) {
		if (x->n == x->cap) {
			size_t nc = x->cap ? 2 * x->cap : 256;
			item_t *nv = realloc(x->v, nc * sizeof *nv);
			if (!nv)
				return VG_ENOMEM;
			x->v = nv;
			x->cap = nc;
		}
		last = &x->v[x->n];
		memset(last, 0, sizeof *last);
		last->key = malloc(kl);
		if (!last->key)
			return VG_ENOMEM;
		memcpy(last->key, k, kl);
		last->klen = kl;
		last->m = *m;
		x->n++;
	}
	uint32_t *nm = realloc(last->metas, (last->nmeta + 1) * sizeof *nm);
	if (!nm)
		return VG_ENOMEM;
	last->metas = nm;
	last->metas[last->nmeta++] = m->meta;
	return 0;
}

static void meta_fp(const vg_meta_t *mt, vg_buf_t *b)
{
	vg_buf_addf(b, "%s\x1f%s\x1f%s\x1f%d\x1f%s\x1f%lld\x1f%lld\x1e", mt->category,
		    mt->description, mt->reference, mt->confidence, vg_tlp_name(mt->tlp),
		    (long long)mt->valid_from, (long long)mt->valid_until);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* fingerprint: the item's metas (sources left out), sorted, as one string. */
static int fingerprint(const vg_store_t *s, item_t *it)
{
	char **parts = calloc(it->nmeta, sizeof *parts);
	if (!parts)
		return VG_ENOMEM;
	int rc = 0;
	for (uint32_t i = 0; i < it->nmeta && !rc; i++) {
		vg_meta_t mt;
		vg_buf_t b = VG_BUF_INIT;
		if (vg_store_meta(s, it->metas[i], &mt) == 0)
			meta_fp(&mt, &b);
		vg_buf_addc(&b, 0);
		parts[i] = b.p;
		if (!b.p)
			rc = VG_ENOMEM;
	}
	if (!rc) {
		qsort(parts, it->nmeta, sizeof *parts, cmp_str);
		vg_buf_t all = VG_BUF_INIT;
		for (uint32_t i = 0; i < it->nmeta; i++)
			if (!i || strcmp(parts[i], parts[i - 1]))
				vg_buf_adds(&all, parts[i]);
		vg_buf_addc(&all, 0);
		it->fp = all.p;
		if (!all.p)
			rc = VG_ENOMEM;
	}
	for (uint32_t i = 0; i < it->nmeta; i++)
		free(parts[i]);
	free(parts);
	return rc;
}

static void items_free(items_t *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].key);
		free(x->v[i].metas);
		free(x->v[i].fp);
	}
	free(x->v);
}

static int cmp_item(const void *a, const void *b)
{
	const item_t *x = a, *y = b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);
	if (c)
		return c;
	return x->klen < y->klen ? -1 : x->klen > y->klen;
}

static int gather(const vg_store_t *s, items_t *x)
{
	x->s = s;
	int rc = vg_store_foreach(s, collect, x);
	for (size_t i = 0; i < x->n && !rc; i++)
		rc = fingerprint(s, &x->v[i]);
	if (!rc && x->n > 1)
		qsort(x->v, x->n, sizeof *x->v, cmp_item);
	return rc;
}

static void json_meta(vg_jw_t *w, const vg_meta_t *mt)
{
	char tb[40];
	vg_jw_obj(w);
	vg_jw_kstr(w, "source", mt->source);
	vg_jw_kstr(w, "category", mt->category);
	vg_jw_kstr(w, "description", mt->description);
	vg_jw_kstr(w, "reference", mt->reference);
	if (mt->confidence >= 0)
		vg_jw_kint(w, "confidence", mt->confidence);
	else {
		vg_jw_key(w, "confidence");
		vg_jw_null(w);
	}
	vg_jw_kstr(w, "tlp", vg_tlp_name(mt->tlp));
	vg_jw_key(w, "valid_from");
	if (mt->valid_from) {
		vg_time_iso(mt->valid_from, tb, sizeof tb);
		vg_jw_str(w, tb);
	} else
		vg_jw_null(w);
	vg_jw_key(w, "valid_until");
	if (mt->valid_until) {
		vg_time_iso(mt->valid_until, tb, sizeof tb);
		vg_jw_str(w, tb);
	} else
		vg_jw_null(w);
	vg_jw_end(w);
}

static void json_metas(vg_jw_t *w, const char *k, const vg_store_t *s, const item_t *it)
{
	vg_jw_key(w, k);
	vg_jw_arr(w);
	for (uint32_t i = 0; i < it->nmeta; i++) {
		vg_meta_t mt;
		if (vg_store_meta(s, it->metas[i], &mt) == 0)
			json_meta(w, &mt);
	}
	vg_jw_end(w);
}

/* Text form of a change: the fields that differ between the first metas. */
static void describe_change(const vg_store_t *so, const item_t *o, const vg_store_t *sn,
			    const item_t *nw, vg_buf_t *b)
{
	vg_meta_t a, c;
	if (o->nmeta != 1 || nw->nmeta != 1 || vg_store_meta(so, o->metas[0], &a) ||
	    vg_store_meta(sn, nw->metas[0], &c)) {
		vg_buf_addf(b, "%u -> %u metadata records", o->nmeta, nw->nmeta);
		return;
	}
	const char *sep = "";
#define STRF(f)                                                                            \
	if (strcmp(a.f, c.f)) {                                                            \
		vg_buf_addf(b, "%s" #f " '%s' -> '%s'", sep, a.f, c.f);                      \
		sep = ", ";                                                                \
	}
	STRF(category)
	STRF(description)
	STRF(reference)
#undef STRF
	if (a.confidence != c.confidence) {
		vg_buf_addf(b, "%sconfidence %d -> %d", sep, a.confidence, c.confidence);
		sep = ", ";
	}
	if (a.tlp != c.tlp) {
		vg_buf_addf(b, "%stlp '%s' -> '%s'", sep, vg_tlp_name(a.tlp), vg_tlp_name(c.tlp));
		sep = ", ";
	}
	char t1[40] = "-", t2[40] = "-";
	if (a.valid_from != c.valid_from) {
		if (a.valid_from)
			vg_time_iso(a.valid_from, t1, sizeof t1);
		if (c.valid_from)
			vg_time_iso(c.valid_from, t2, sizeof t2);
		vg_buf_addf(b, "%svalid_from %s -> %s", sep, t1, t2);
		sep = ", ";
	}
	if (a.valid_until != c.valid_until) {
		strcpy(t1, "-");
		strcpy(t2, "-");
		if (a.valid_until)
			vg_time_iso(a.valid_until, t1, sizeof t1);
		if (c.valid_until)
			vg_time_iso(c.valid_until, t2, sizeof t2);
		vg_buf_addf(b, "%svalid_until %s -> %s", sep, t1, t2);
	}
}

int vg_cmd_feed_diff(int argc, char **argv)
{
	args_t a = {0};
	int rc = opts(argc, argv, "diff", ":F:h", diff_opts, usage_diff, &a);
	free(a.allow);
	if (rc >= 0)
		return rc;
	if (argc - optind != 2) {
		vg_err("feed diff: need exactly two files, OLD and NEW; see 'vigil feed diff --help'");
		return VG_EXIT_ERROR;
	}
	vg_store_t *so = NULL, *sn = NULL;
	int r1 = vg_cmd_load_store(argv + optind, 1, &a.lo, &so);
	int r2 = vg_cmd_load_store(argv + optind + 1, 1, &a.lo, &sn);
	items_t io = {0}, in = {0};
	int ex = VG_EXIT_ERROR;
	if (r1 == VG_EXIT_ERROR || r2 == VG_EXIT_ERROR || !so || !sn)
		goto out;
	if (gather(so, &io) || gather(sn, &in)) {
		vg_err("feed diff: out of memory");
		goto out;
	}
	uint64_t added = 0, removed = 0, changed = 0;
	vg_buf_t b = VG_BUF_INIT;
	vg_jw_t w;
	vg_jw_init(&w, &b);
	if (a.json) {
		vg_jw_obj(&w);
		vg_jw_key(&w, "changes");
		vg_jw_arr(&w);
	}
	size_t i = 0, j = 0;
	char v[VG_URL_MAX + 64];
	while (i < io.n || j < in.n) {
		int c = i >= io.n ? 1 : j >= in.n ? -1 : cmp_item(&io.v[i], &in.v[j]);
		const item_t *it = c <= 0 ? &io.v[i] : &in.v[j];
		const char *what = NULL;
		if (c < 0) {
			what = "removed";
			removed++;
		} else if (c > 0) {
			what = "added";
			added++;
		} else if (strcmp(io.v[i].fp, in.v[j].fp)) {
			what = "changed";
			changed++;
		}
		if (what) {
			vg_match_format(&it->m, v, sizeof v);
			v[sizeof v - 1] = 0;
			const char *type = vg_ind_type_name(it->m.type);
			if (a.json) {
				vg_jw_obj(&w);
				vg_jw_kstr(&w, "change", what);
				vg_jw_kstr(&w, "value", v);
				vg_jw_kstr(&w, "type", type);
				if (c <= 0)
					json_metas(&w, "old", so, &io.v[i]);
				if (c >= 0)
					json_metas(&w, "new", sn, &in.v[j]);
				vg_jw_end(&w);
			} else {
				vg_buf_addf(&b, "%c %s (%s)", c < 0 ? '-' : c > 0 ? '+' : '~', v, type);
				if (c == 0) {
					vg_buf_adds(&b, ": ");
					describe_change(so, &io.v[i], sn, &in.v[j], &b);
				}
				vg_buf_addc(&b, '\n');
			}
		}
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	if (a.json) {
		vg_jw_end(&w);
		vg_jw_kuint(&w, "added", added);
		vg_jw_kuint(&w, "removed", removed);
		vg_jw_kuint(&w, "changed", changed);
		vg_jw_end(&w);
		vg_buf_addc(&b, '\n');
	} else {
		vg_buf_addf(&b, "%llu added, %llu removed, %llu changed\n", (unsigned long long)added,
			    (unsigned long long)removed, (unsigned long long)changed);
	}
	if (b.len)
		fwrite(b.p, 1, b.len, stdout);
	vg_buf_release(&b);
	ex = added || removed || changed ? VG_EXIT_FOUND : VG_EXIT_OK;
out:
	items_free(&io);
	items_free(&in);
	vg_store_free(so);
	vg_store_free(sn);
	return ex;
}

/* ---- merge ---------------------------------------------------------------------------- */

typedef struct allow {
	vg_builder_t *b;
	vg_store_t *s;
	char **sub; /* MISP substring entries */
	size_t nsub;
	uint32_t meta;
} allow_t;

/* misp_load: a MISP warninglist into the allowlist.  Returns 0, 1 when the
 * file is not a warninglist (load it as a feed), or an exit code. */
static int misp_load(allow_t *al, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: error: cannot read: %s\n", path, lc_strerror(errno));
		return VG_EXIT_ERROR;
	}
	int ch;
	while ((ch = getc(f)) == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
		;
	if (ch != '{') {
		fclose(f);
		return 1;
	}
	rewind(f);
	json_error_t je;
	json_t *root = json_loadf(f, 0, &je);
	fclose(f);
	json_t *list = root ? json_object_get(root, "list") : NULL;
	if (!json_is_array(list)) {
		json_decref(root);
		return 1; /* e.g. a STIX bundle */
	}
	const char *type = json_string_value(json_object_get(root, "type"));
	if (!type)
		type = "string";
	bool sub = !strcmp(type, "substring");
	vg_ind_type_t hint = VG_IND_NONE;
	if (!strcmp(type, "hostname"))
		hint = VG_IND_DOMAIN;
	else if (strcmp(type, "cidr") && strcmp(type, "string") && !sub) {
		fprintf(stderr, "%s: error: MISP warninglist type '%s' is not supported (cidr, string, "
				"hostname, substring)\n",
			path, type);
		json_decref(root);
		return VG_EXIT_ERROR;
	}
	static vg_ind_t ind;
	size_t k;
	json_t *e;
	unsigned long bad = 0;
	json_array_foreach(list, k, e)
	{
		const char *v = json_string_value(e);
		if (!v || !*v) {
			bad++;
			continue;
		}
		if (sub) {
			char **ns = realloc(al->sub, (al->nsub + 1) * sizeof *ns);
			char *d = strdup(v);
			if (!ns || !d) {
				free(d);
				if (ns)
					al->sub = ns;
				json_decref(root);
				vg_err("out of memory");
				return VG_EXIT_ERROR;
			}
			al->sub = ns;
			for (char *p = d; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p + 32);
			al->sub[al->nsub++] = d;
			continue;
		}
		/* hostname lists may write ".example.com" for "example.com and below" */
		while (*v == '.')
			v++;
		const char *why;
		if (vg_ind_parse(v, strlen(v), hint, &ind, &why) ||
		    vg_builder_add(al->b, &ind, al->meta)) {
			bad++;
			continue;
		}
	}
	json_decref(root);
	if (bad)
		fprintf(stderr, "%s: warning: %lu warninglist %s not usable\n", path, bad,
			bad == 1 ? "entry" : "entries");
	return 0;
}

static bool ip_allowed(const vg_store_t *s, const vg_ip_t *ip, unsigned prefix, uint16_t port)
{
	vg_match_t m[64];
	int n = vg_store_lookup_ip(s, ip, port, 0, m, 64);
	for (int i = 0; i < n; i++) {
		switch (m[i].type) {
		case VG_IND_IPV4:
		case VG_IND_IPV6:
		case VG_IND_IPPORT4:
		case VG_IND_IPPORT6:
			if (prefix == 128)
				return true;
			break;
		default:
			if (m[i].prefix <= prefix)
				return true;
		}
	}
	return false;
}

static bool allowed(const allow_t *al, const vg_match_t *m, const char *text)
{
	if (al->nsub) {
		char low[VG_URL_MAX + 64];
		size_t k = 0;
		for (; text[k] && k < sizeof low - 1; k++)
			low[k] = (char)(text[k] >= 'A' && text[k] <= 'Z' ? text[k] + 32 : text[k]);
		low[k] = 0;
		for (size_t i = 0; i < al->nsub; i++)
			if (strstr(low, al->sub[i]))
				return true;
	}
	if (!al->s)
		return false;
	vg_match_t out[64];
	switch (m->type) {
	case VG_IND_IPV4:
	case VG_IND_IPV6:
	case VG_IND_CIDR4:
	case VG_IND_CIDR6:
	case VG_IND_IPPORT4:
	case VG_IND_IPPORT6: return ip_allowed(al->s, &m->ip, m->prefix, m->port);
	case VG_IND_DOMAIN: return vg_store_lookup_domain(al->s, m->str, m->len, 0, out, 64) > 0;
	case VG_IND_URL: {
		if (vg_store_lookup_url(al->s, m->str, m->len, 0, out, 64) > 0)
			return true;
		/* the URL's host: up to '/', '?' or the port's ':' (IPv6 in brackets) */
		const char *h = m->str, *e = m->str + m->len, *p = h;
		if (p < e && *p == '[') {
			while (p < e && *p != ']')
				p++;
			vg_ip_t ip;
			return p < e && !vg_ip_parse(h + 1, (size_t)(p - h - 1), &ip) &&
			       ip_allowed(al->s, &ip, 128, 0);
		}
		while (p < e && *p != '/' && *p != '?' && *p != ':')
			p++;
		vg_ip_t ip;
		if (!vg_ip_parse(h, (size_t)(p - h), &ip))
			return ip_allowed(al->s, &ip, 128, 0);
		return vg_store_lookup_domain(al->s, h, (size_t)(p - h), 0, out, 64) > 0;
	}
	case VG_IND_MD5: return vg_store_lookup_hash(al->s, m->hash, 16, 0, out, 64) > 0;
	case VG_IND_SHA1: return vg_store_lookup_hash(al->s, m->hash, 20, 0, out, 64) > 0;
	case VG_IND_SHA256: return vg_store_lookup_hash(al->s, m->hash, 32, 0, out, 64) > 0;
	default: return false;
	}
}

typedef struct merge {
	const vg_store_t *s;
	const allow_t *al;
	vg_builder_t *out;
	int64_t now, oldest; /* oldest: valid_from limit, 0 = none */
	/* the current value */
	uint8_t key[VG_URL_MAX + 8];
	size_t klen;
	bool have, cur_allowed, cur_kept;
	uint64_t kept, dropped_allow, dropped_expired;
	int err;
	vg_ind_t ind;
} merge_t;

static void merge_close(merge_t *x)
{
	if (!x->have)
		return;
	if (x->cur_allowed)
		x->dropped_allow++;
	else if (x->cur_kept)
		x->kept++;
	else
		x->dropped_expired++;
	x->have = false;
}

static int merge_row(void *ctx, const vg_match_t *m)
{
	merge_t *x = ctx;
	uint8_t k[VG_URL_MAX + 8];
	size_t kl = key_of(m, k);
	if (!x->have || kl != x->klen || memcmp(k, x->key, kl)) {
		merge_close(x);
		memcpy(x->key, k, kl);
		x->klen = kl;
		x->have = true;
		x->cur_kept = false;
		char text[VG_URL_MAX + 64];
		size_t tn = vg_match_format(m, text, sizeof text);
		text[tn < sizeof text ? tn : sizeof text - 1] = 0;
		x->cur_allowed = allowed(x->al, m, text);
	}
	if (x->cur_allowed)
		return 0;
	vg_meta_t mt;
	if (vg_store_meta(x->s, m->meta, &mt))
		return VG_ECORRUPT;
	if (mt.valid_until && mt.valid_until < x->now)
		return 0;
	if (x->oldest && mt.valid_from && mt.valid_from < x->oldest)
		return 0;
	x->cur_kept = true;
	uint32_t id;
	int rc = vg_builder_meta(x->out, &mt, &id);
	if (rc)
		return rc;
	vg_ind_t *ind = &x->ind;
	memset(ind, 0, offsetof(vg_ind_t, str));
	ind->type = m->type;
	ind->ip = m->ip;
	ind->prefix = m->prefix;
	ind->port = m->port;
	switch (m->type) {
	case VG_IND_DOMAIN:
	case VG_IND_URL:
		memcpy(ind->str, m->str, m->len);
		ind->str[m->len] = 0;
		ind->len = (uint16_t)m->len;
		break;
	case VG_IND_MD5: memcpy(ind->hash, m->hash, 16); break;
	case VG_IND_SHA1: memcpy(ind->hash, m->hash, 20); break;
	case VG_IND_SHA256: memcpy(ind->hash, m->hash, 32); break;
	default: break;
	}
	rc = vg_builder_add(x->out, ind, id);
	return rc == VG_ERESERVED ? 0 : rc;
}

int vg_cmd_feed_merge(int argc, char **argv)
{
	args_t a = {0};
	int rc = opts(argc, argv, "merge", ":o:t:a:F:h", merge_opts, usage_merge, &a);
	if (rc >= 0) {
		free(a.allow);
		return rc;
	}
	int ex = VG_EXIT_ERROR;
	allow_t al = {0};
	vg_store_t *s = NULL, *res = NULL;
	merge_t *x = NULL;
	if (!a.output) {
		vg_err("feed merge: -o OUT is required; see 'vigil feed merge --help'");
		goto out;
	}
	int n = argc - optind;
	if (n < 1) {
		vg_err("feed merge: no FILE given; see 'vigil feed merge --help'");
		goto out;
	}
	/* allowlists first: a broken allowlist must not yield an unfiltered list */
	if (a.nallow) {
		vg_builder_opts_t bo = {.allow_reserved = true};
		al.b = vg_builder_new(&bo);
		vg_meta_t am = {.source = "allowlist", .confidence = -1};
		if (!al.b || vg_builder_meta(al.b, &am, &al.meta)) {
			vg_err("out of memory");
			goto out;
		}
		for (int i = 0; i < a.nallow; i++) {
			int r = misp_load(&al, a.allow[i]);
			if (r == VG_EXIT_ERROR)
				goto out;
			if (r == 1) {
				vg_diag_counter_t dc = {.max_shown = 20, .prog = "vigil"};
				vg_load_opts_t lo = {.format = VG_FMT_AUTO,
						     .diag = vg_diag_print,
						     .diag_ctx = &dc};
				vg_load_report_t rep;
				int lr = vg_feed_load(al.b, a.allow[i], &lo, &rep);
				if (lr) {
					fprintf(stderr, "%s: error: %s\n", a.allow[i],
						vg_cmd_load_errmsg(lr, errno, false, false));
					goto out;
				}
			}
		}
		if (vg_builder_build(al.b, &al.s)) {
			vg_err("out of memory");
			goto out;
		}
	}
	rc = vg_cmd_load_store(argv + optind, n, &a.lo, &s);
	if (rc == VG_EXIT_ERROR || !s) {
		vg_err("feed merge: '%s' not written", a.output);
		goto out;
	}
	x = calloc(1, sizeof *x);
	vg_builder_opts_t bo = {.allow_reserved = true};
	if (!x || !(x->out = vg_builder_new(&bo))) {
		vg_err("out of memory");
		goto out;
	}
	x->s = s;
	x->al = &al;
	x->now = (int64_t)time(NULL);
	x->oldest = a.max_age ? x->now - (int64_t)a.max_age * 86400 : 0;
	int r = vg_store_foreach(s, merge_row, x);
	merge_close(x);
	if (!r)
		r = vg_builder_build(x->out, &res);
	if (r) {
		vg_err("feed merge: %s", vg_strerror(r));
		goto out;
	}
	ex = emit(res, a.to < 0 ? VG_EXPORT_PLAIN : a.to, a.output, a.producer);
	if (ex == VG_EXIT_OK) {
		printf("%s: %llu kept, %llu dropped (allowlisted), %llu dropped (expired)\n", a.output,
		       (unsigned long long)x->kept, (unsigned long long)x->dropped_allow,
		       (unsigned long long)x->dropped_expired);
		ex = rc;
	}
out:
	if (x) {
		vg_builder_free(x->out);
		free(x);
	}
	vg_store_free(res);
	vg_store_free(s);
	vg_builder_free(al.b);
	vg_store_free(al.s);
	for (size_t i = 0; i < al.nsub; i++)
		free(al.sub[i]);
	free(al.sub);
	free(a.allow);
	return ex;
}
