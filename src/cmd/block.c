// SPDX-License-Identifier: Apache-2.0
/*
 * block.c — `vigil block apply|list|flush`: manage vigil's nftables table
 * (`table inet vigil`, sets vigil_v4 / vigil_v6) outside of `vigil watch`.
 *
 *   apply FEED...  load the feeds with the shared loader (any format, or a
 *                  compiled store), walk every exact IP and CIDR of the
 *                  store (vg_store_foreach_ip) and add them to the sets with
 *                  a timeout, merged into disjoint intervals and written in
 *                  chunks (vg_nft_add_bulk).  Elements already present stay.
 *   list           print the set elements, one per line.
 *   flush          delete table inet vigil, and nothing else.
 *
 * Exit codes: 0 done, 2 error (bad usage, unreadable feed, nftables refused:
 * e.g. no CAP_NET_ADMIN).  Nothing already in force is removed on failure
 * (apply only adds).  Prints; not thread-safe.
 */
#include "cmd/cmd.h"
#include "cmd/load.h"
#include "intel/iter_ip.h"
#include "watch/block_nft.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: vigil block apply [options] FEED...\n"
	"       vigil block list [--json]\n"
	"       vigil block flush\n"
	"\n"
	"Manage vigil's nftables table (table inet vigil: sets vigil_v4 and vigil_v6,\n"
	"whose members are dropped in the prerouting, input, forward and output hooks).\n"
	"\n"
	"apply options:\n"
	"      --timeout SECS      element timeout (default 3600; 0 = no timeout)\n"
	"      --format FMT        force the feed format (plain, ipsum, csv, suricata,\n"
	"                          zeek, stix, clamav)\n"
	"      --allow-reserved    keep reserved and private addresses from feeds\n"
	"      --strict            refuse a feed with any bad line\n"
	"      --chunk N           elements per nftables batch (default 65536)\n"
	"  -q, --quiet             no summary on standard error\n"
	"list options:\n"
	"      --json              print nftables' JSON of both sets instead\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 done, 2 error (including nftables refusing: no CAP_NET_ADMIN).\n"
	"See vigil-block(1).\n";

enum { O_TIMEOUT = 256, O_FORMAT, O_ALLOW_RESERVED, O_STRICT, O_CHUNK, O_JSON };

static const struct option long_opts[] = {
	{"timeout", required_argument, NULL, O_TIMEOUT},
	{"format", required_argument, NULL, O_FORMAT},
	{"allow-reserved", no_argument, NULL, O_ALLOW_RESERVED},
	{"strict", no_argument, NULL, O_STRICT},
	{"chunk", required_argument, NULL, O_CHUNK},
	{"json", no_argument, NULL, O_JSON},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

typedef struct nets {
	vg_nft_net_t *v;
	size_t n, cap;
} nets_t;

static int collect(void *ctx, const vg_ip_t *net, unsigned prefix)
{
	nets_t *ns = ctx;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 1024;
		vg_nft_net_t *v = realloc(ns->v, cap * sizeof *v);
		if (!v)
			return VG_ENOMEM;
		ns->v = v;
		ns->cap = cap;
	}
	ns->v[ns->n].net = *net;
	ns->v[ns->n].prefix = prefix;
	ns->n++;
	return 0;
}

static int parse_u32(const char *opt, const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > UINT32_MAX) {
		vg_err("block: invalid value '%s' for --%s", s, opt);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int open_nft(vg_nft_t **n)
{
	int r = vg_nft_new(n, 16);
	if (r) {
		vg_err("block: cannot start libnftables: %s", vg_strerror(r));
		return -1;
	}
	return 0;
}

static void nft_fail(const char *what, const vg_nft_t *n)
{
	vg_err("block: %s: %s%s", what, vg_nft_error(n),
	       vg_nft_denied(n) ? " (CAP_NET_ADMIN is needed; run as root)" : "");
}

static int do_apply(char **feeds, int n_feeds, const struct vg_cmd_load_opts *lo, uint32_t timeout,
		    size_t chunk, bool quiet)
{
	vg_store_t *store = NULL;
	vg_nft_t *nf = NULL;
	nets_t ns = {0};
	int rc = VG_EXIT_ERROR;
	if (vg_cmd_load_store(feeds, n_feeds, lo, &store) == VG_EXIT_ERROR || !store)
		goto out;
	if (vg_store_foreach_ip(store, collect, &ns)) {
		vg_err("block: out of memory");
		goto out;
	}
	if (open_nft(&nf))
		goto out;
	if (vg_nft_setup(nf)) {
		nft_fail("cannot create table inet vigil", nf);
		goto out;
	}
	vg_nft_bulk_stats_t st;
	int r = vg_nft_add_bulk(nf, ns.v, ns.n, timeout, chunk, &st);
	if (r) {
		if (r == VG_EIO)
			nft_fail("cannot add elements", nf);
		else
			vg_err("block: %s", vg_strerror(r));
		if (!quiet)
			fprintf(stderr, "vigil: block: %llu intervals added before the failure\n",
				(unsigned long long)(st.v4_elems + st.v6_elems));
		goto out;
	}
	if (!quiet)
		fprintf(stderr,
			"vigil: block: %zu networks from %d feed%s -> %llu IPv4 and %llu IPv6 "
			"intervals (%llu already covered) in %llu batch%s; timeout %s%u%s\n",
			ns.n, n_feeds, n_feeds == 1 ? "" : "s", (unsigned long long)st.v4_elems,
			(unsigned long long)st.v6_elems, (unsigned long long)st.covered,
			(unsigned long long)st.batches, st.batches == 1 ? "" : "es",
			timeout ? "" : "none", timeout ? timeout : 0, timeout ? " s" : "");
	rc = VG_EXIT_OK;
out:
	free(ns.v);
	vg_nft_free(nf);
	vg_store_free(store);
	return rc;
}

static void print_val(const json_t *v)
{
	if (json_is_string(v)) {
		fputs(json_string_value(v), stdout);
		return;
	}
	const json_t *p = json_object_get(v, "prefix");
	if (p) {
		printf("%s/%lld", json_string_value(json_object_get(p, "addr")) ?: "?",
		       (long long)json_integer_value(json_object_get(p, "len")));
		return;
	}
	const json_t *r = json_object_get(v, "range");
	if (json_is_array(r) && json_array_size(r) == 2) {
		printf("%s-%s", json_string_value(json_array_get(r, 0)) ?: "?",
		       json_string_value(json_array_get(r, 1)) ?: "?");
		return;
	}
	fputs("?", stdout);
}

/* print the elements of every set in one `nft -j list set` document */
static int print_sets(const char *doc)
{
	json_error_t je;
	json_t *root = json_loads(doc, 0, &je);
	if (!root)
		return -1;
	json_t *arr = json_object_get(root, "nftables");
	size_t i;
	json_t *it;
	json_array_foreach(arr, i, it) {
		json_t *set = json_object_get(it, "set");
		if (!set)
			continue;
		const char *name = json_string_value(json_object_get(set, "name")) ?: "?";
		size_t k;
		json_t *e;
		json_array_foreach(json_object_get(set, "elem"), k, e) {
			json_t *inner = json_object_get(e, "elem");
			printf("%s ", name);
			print_val(inner ? json_object_get(inner, "val") : e);
			if (inner && json_object_get(inner, "timeout"))
				printf(" timeout %llds",
				       (long long)json_integer_value(json_object_get(inner, "timeout")));
			if (inner && json_object_get(inner, "expires"))
				printf(" expires %llds",
				       (long long)json_integer_value(json_object_get(inner, "expires")));
			putchar('\n');
		}
	}
	json_decref(root);
	return 0;
}

static int do_list(bool json)
{
	vg_nft_t *nf = NULL;
	if (open_nft(&nf))
		return VG_EXIT_ERROR;
	const char *doc;
	int r = vg_nft_list_json(nf, &doc);
	int rc = VG_EXIT_OK;
	if (r == VG_ENOTFOUND) {
		fprintf(stderr, "vigil: block: no table inet vigil (nothing blocked)\n");
	} else if (r) {
		nft_fail("cannot list table inet vigil", nf);
		rc = VG_EXIT_ERROR;
	} else if (json) {
		fputs(doc, stdout);
	} else {
		/* one JSON document per line */
		while (*doc) {
			size_t len = strcspn(doc, "\n");
			if (!len) {
				doc++;
				continue;
			}
			char *line = strndup(doc, len);
			if (!line || print_sets(line)) {
				vg_err("block: cannot read nftables' listing");
				rc = VG_EXIT_ERROR;
			}
			free(line);
			doc += len;
			if (*doc)
				doc++;
		}
	}
	if (fflush(stdout)) {
		vg_err("block: cannot write output: %s", strerror(errno));
		rc = VG_EXIT_ERROR;
	}
	vg_nft_free(nf);
	return rc;
}

static int do_flush(bool quiet)
{
	vg_nft_t *nf = NULL;
	if (open_nft(&nf))
		return VG_EXIT_ERROR;
	int r = vg_nft_delete(nf), rc = VG_EXIT_OK;
	if (r == VG_ENOTFOUND) {
		if (!quiet)
			fprintf(stderr, "vigil: block: no table inet vigil (nothing to flush)\n");
	} else if (r) {
		nft_fail("cannot delete table inet vigil", nf);
		rc = VG_EXIT_ERROR;
	} else if (!quiet) {
		fprintf(stderr, "vigil: block: table inet vigil deleted\n");
	}
	vg_nft_free(nf);
	return rc;
}

int cmd_block(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return VG_EXIT_ERROR;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
		fputs(usage_text, stdout);
		return VG_EXIT_OK;
	}
	struct vg_cmd_load_opts lo = {0};
	uint32_t timeout = 3600, chunk = 0;
	bool quiet = false, json = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "qh", long_opts, NULL)) != -1) {
		switch (c) {
		case O_TIMEOUT:
			if (parse_u32("timeout", optarg, &timeout))
				return VG_EXIT_ERROR;
			break;
		case O_FORMAT:
			if (vg_cmd_load_format("block", optarg, &lo))
				return VG_EXIT_ERROR;
			break;
		case O_ALLOW_RESERVED: lo.allow_reserved = true; break;
		case O_STRICT: lo.strict = true; break;
		case O_CHUNK:
			if (parse_u32("chunk", optarg, &chunk))
				return VG_EXIT_ERROR;
			break;
		case O_JSON: json = true; break;
		case 'q': quiet = true; break;
		case 'h': fputs(usage_text, stdout); return VG_EXIT_OK;
		default: fputs(usage_text, stderr); return VG_EXIT_ERROR;
		}
	}
	char **rest = argv + 1 + optind;
	int nrest = argc - 1 - optind;
	if (!strcmp(sub, "apply")) {
		if (nrest < 1) {
			vg_err("block: apply needs at least one FEED");
			return VG_EXIT_ERROR;
		}
		return do_apply(rest, nrest, &lo, timeout, chunk, quiet);
	}
	if (nrest) {
		vg_err("block: unexpected argument '%s'", rest[0]);
		return VG_EXIT_ERROR;
	}
	if (!strcmp(sub, "list"))
		return do_list(json);
	if (!strcmp(sub, "flush"))
		return do_flush(quiet);
	vg_err("block: unknown subcommand '%s' (apply, list, flush)", sub);
	return VG_EXIT_ERROR;
}
