/* SPDX-License-Identifier: Apache-2.0 */
/*
 * watch_geo.h — the foreign-server options of `vigil watch` (--geo,
 * --home-country, --watch-net, --geo-allow, --geo-unknown-is-foreign,
 * --geo-max-pairs): parsing, loading the country database and the
 * allowlist, and the summary.  Kept apart from watch.c so that file only
 * forwards options and calls these hooks.
 */
#ifndef VG_CMD_WATCH_GEO_H
#define VG_CMD_WATCH_GEO_H

#include "watch/foreign.h"

#include <getopt.h>

enum {
	O_GEO = 512,
	O_HOME_COUNTRY,
	O_WATCH_NET,
	O_GEO_ALLOW,
	O_GEO_UNKNOWN,
	O_GEO_MAX_PAIRS,
};

/* Entries for watch's getopt table (expanded inside its initialiser). */
#define VG_WATCH_GEO_LONGOPTS                                                  \
	{"geo", required_argument, NULL, O_GEO},                               \
	{"home-country", required_argument, NULL, O_HOME_COUNTRY},             \
	{"watch-net", required_argument, NULL, O_WATCH_NET},                   \
	{"geo-allow", required_argument, NULL, O_GEO_ALLOW},                   \
	{"geo-unknown-is-foreign", no_argument, NULL, O_GEO_UNKNOWN},          \
	{"geo-max-pairs", required_argument, NULL, O_GEO_MAX_PAIRS},

#define VG_WATCH_GEO_USAGE                                                                 \
	"foreign servers:\n"                                                               \
	"      --geo FILE          country database: MMDB (GeoLite2/DB-IP country) or an\n" \
	"                          RIR delegated-stats file (repeatable, merged)\n"        \
	"      --home-country CC   alert when a watched device contacts a server in\n"     \
	"                          another country (needs --geo and --watch-net)\n"        \
	"      --watch-net CIDR    internal net whose devices are policed (repeatable)\n"  \
	"      --geo-allow FILE    allowlisted destinations, any feed format (repeatable)\n" \
	"      --geo-unknown-is-foreign  a server in no database counts as foreign (ZZ)\n" \
	"      --geo-max-pairs N   (device, country, destination) aggregates kept\n"       \
	"                          (default 100000; beyond, flows are dropped and counted)\n"

typedef struct vg_watch_geo {
	char **geo;
	int n_geo;
	char **allow;
	int n_allow;
	vg_foreign_cfg_t cfg;
	vg_geo_t *db;
	vg_store_t *allow_store;
	vg_foreign_t *fo;
} vg_watch_geo_t;

/* vg_watch_geo_opt: handle option c (an O_GEO* value) with arg; argc bounds
 * the repeatable lists.  Returns 1 handled, 0 not a geo option, -1 error
 * (printed). */
int vg_watch_geo_opt(vg_watch_geo_t *g, int argc, int c, const char *arg);

/* vg_watch_geo_start: validate, load the database and the allowlist, create
 * the policy and hook it into wcfg (nothing when no geo option was given).
 * Returns 0, or -1 (error printed). */
int vg_watch_geo_start(vg_watch_geo_t *g, vg_watch_cfg_t *wcfg, vg_watch_write_fn write, void *wctx);

/* vg_watch_geo_report: write the "foreign" summary events; with summary,
 * also a line on stderr.  Returns the number of foreign alerts so far. */
uint64_t vg_watch_geo_report(vg_watch_geo_t *g, bool summary);

/* vg_watch_geo_release: free everything (safe on a zeroed struct). */
void vg_watch_geo_release(vg_watch_geo_t *g);

#endif
