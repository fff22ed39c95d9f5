// SPDX-License-Identifier: Apache-2.0
/*
 * hunt.c — `vigil hunt --history DIR FEED...`: were we already talking to
 * them?  Loads new feeds with the shared loader (load.c: same --format,
 * --allow-reserved, --strict, --pubkey as watch) and hunts them over the
 * observation history `vigil watch --history DIR` kept (watch/retro.c),
 * writing one EVE event of event_type "retro" per (observation, indicator).
 *
 * Exit status: 0 nothing matched, 1 something matched, 2 error (bad usage,
 * a feed that could not be loaded, an unreadable history directory or
 * output).  A damaged segment (torn by a crash) is a warning: the records
 * before the damage are hunted.
 */
#include "cmd/cmd.h"
#include "cmd/load.h"
#include "lib/timefmt.h"
#include "watch/retro.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
	"usage: vigil hunt --history DIR [options] FEED...\n"
	"\n"
	"Report every past observation kept by 'vigil watch --history DIR' that the\n"
	"indicators of FEED... match, as EVE JSON events with event_type \"retro\".\n"
	"\n"
	"      --history DIR       the history directory (required)\n"
	"      --feed FILE         a feed (repeatable; same as a trailing FEED)\n"
	"      --since TIME        only observations at or after TIME (ISO 8601)\n"
	"      --until TIME        only observations at or before TIME (ISO 8601)\n"
	"  -o, --output FILE       events to FILE (default: standard output)\n"
	"      --format FMT        force the feed format (plain, ipsum, csv, suricata,\n"
	"                          zeek, stix, clamav, compiled)\n"
	"      --allow-reserved    keep reserved and private addresses from feeds\n"
	"      --strict            refuse a feed with any bad line\n"
	"      --pubkey KEY        every feed must have a valid FILE.minisig made with KEY\n"
	"  -q, --quiet             no summary on standard error\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 nothing matched, 1 something matched, 2 error.  See vigil-hunt(1).\n";

enum { O_HISTORY = 256, O_FEED, O_SINCE, O_UNTIL, O_FORMAT, O_ALLOW_RESERVED, O_STRICT, O_PUBKEY };

static const struct option long_opts[] = {
	{"history", required_argument, NULL, O_HISTORY},
	{"feed", required_argument, NULL, O_FEED},
	{"since", required_argument, NULL, O_SINCE},
	{"until", required_argument, NULL, O_UNTIL},
	{"output", required_argument, NULL, 'o'},
	{"format", required_argument, NULL, O_FORMAT},
	{"allow-reserved", no_argument, NULL, O_ALLOW_RESERVED},
	{"strict", no_argument, NULL, O_STRICT},
	{"pubkey", required_argument, NULL, O_PUBKEY},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

typedef struct hout {
	FILE *f;
	bool failed;
} hout_t;

static void write_line(void *ctx, const char *line, size_t len)
{
	hout_t *o = ctx;
	if (fwrite(line, 1, len, o->f) != len || putc('\n', o->f) == EOF) {
		if (!o->failed)
			vg_err("hunt: cannot write output: %s", strerror(errno));
		o->failed = true;
	}
}

static void warn_seg(void *ctx, const char *file, const char *msg)
{
	vg_warnx("hunt: %s/%s: %s; the observations before it were hunted", (const char *)ctx, file,
		 msg);
}

static int parse_time(const char *opt, const char *s, uint64_t *out)
{
	int64_t t;
	if (vg_time_parse(s, strlen(s), &t) || t < 0) {
		vg_err("hunt: invalid time '%s' for --%s (ISO 8601, e.g. 2026-11-27T14:00:00Z)", s,
		       opt);
		return -1;
	}
	*out = (uint64_t)t * 1000000;
	return 0;
}

int cmd_hunt(int argc, char **argv)
{
	const char *dir = NULL, *out_path = NULL;
	struct vg_cmd_load_opts lo;
	memset(&lo, 0, sizeof lo);
	vg_retro_opts_t ro;
	memset(&ro, 0, sizeof ro);
	bool quiet = false;
	int rc = VG_EXIT_ERROR, c;
	vg_store_t *store = NULL;
	hout_t out = {NULL, false};
	char **feeds = calloc((size_t)argc + 1, sizeof *feeds);
	int n_feeds = 0;
	if (!feeds) {
		vg_err("hunt: out of memory");
		return VG_EXIT_ERROR;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:qh", long_opts, NULL)) != -1) {
		switch (c) {
		case O_HISTORY: dir = optarg; break;
		case O_FEED: feeds[n_feeds++] = optarg; break;
		case O_SINCE:
			if (parse_time("since", optarg, &ro.since_us))
				goto done;
			break;
		case O_UNTIL:
			if (parse_time("until", optarg, &ro.until_us))
				goto done;
			break;
		case 'o': out_path = strcmp(optarg, "-") ? optarg : NULL; break;
		case O_FORMAT:
			if (vg_cmd_load_format("hunt", optarg, &lo))
				goto done;
			break;
		case O_ALLOW_RESERVED: lo.allow_reserved = true; break;
		case O_STRICT: lo.strict = true; break;
		case O_PUBKEY: lo.pubkey = optarg; break;
		case 'q': quiet = true; break;
		case 'h':
			fputs(usage_text, stdout);
			rc = VG_EXIT_OK;
			goto done;
		default:
			vg_cmd_opt_error("hunt", NULL, c, argv);
			goto done;
		}
	}
	for (int i = optind; i < argc; i++)
		feeds[n_feeds++] = argv[i];
	if (!dir) {
		vg_err("hunt: --history DIR is required");
		fputs(usage_text, stderr);
		goto done;
	}
	if (!n_feeds) {
		vg_err("hunt: no feed given");
		goto done;
	}
	if (ro.since_us && ro.until_us && ro.since_us > ro.until_us) {
		vg_err("hunt: --since is after --until");
		goto done;
	}
	if (vg_cmd_load_store(feeds, n_feeds, &lo, &store) == VG_EXIT_ERROR || !store)
		goto done;
	out.f = stdout;
	if (out_path && !(out.f = fopen(out_path, "w"))) {
		vg_err("hunt: cannot open output '%s': %s", out_path, strerror(errno));
		goto done;
	}
	ro.now = (int64_t)time(NULL);
	vg_retro_stats_t st;
	int r = vg_retro_hunt(dir, store, &ro, write_line, &out, warn_seg, (void *)dir, &st);
	if (r) {
		vg_err("hunt: cannot read history '%s': %s", dir,
		       r == VG_EIO ? strerror(errno) : vg_strerror(r));
		goto done;
	}
	if (fflush(out.f) && !out.failed) {
		vg_err("hunt: cannot write output: %s", strerror(errno));
		out.failed = true;
	}
	if (!quiet)
		fprintf(stderr,
			"vigil: hunt: %llu segment%s (%llu bytes), %llu observations (%llu in the "
			"window), %llu lookups; %llu match%s\n",
			(unsigned long long)st.segments, st.segments == 1 ? "" : "s",
			(unsigned long long)st.bytes, (unsigned long long)st.records,
			(unsigned long long)st.in_window, (unsigned long long)st.lookups,
			(unsigned long long)st.events, st.events == 1 ? "" : "es");
	rc = out.failed ? VG_EXIT_ERROR : st.events ? VG_EXIT_FOUND : VG_EXIT_OK;
done:
	if (out.f && out.f != stdout)
		fclose(out.f);
	vg_store_free(store);
	free(feeds);
	return rc;
}
