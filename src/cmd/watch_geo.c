// SPDX-License-Identifier: Apache-2.0
/*
 * watch_geo.c — `vigil watch` foreign-server options: collects --geo,
 * --home-country, --watch-net, --geo-allow, --geo-unknown-is-foreign and
 * --geo-max-pairs; at start opens the country database (intel/geo.h),
 * loads the allowlist into its own store with the shared feed loader
 * (cmd/load.h: any feed format; only its IPs and CIDRs are used, as the
 * check runs at a flow's first packet, before any name is seen), and
 * hooks the policy (watch/foreign.h) into the engine's on_flow.
 * Process-level code: prints errors through vg_err; owns what it loads.
 */
#include "cmd/watch_geo.h"
#include "cmd/cmd.h"
#include "cmd/load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int push(char ***v, int *n, int argc, const char *arg)
{
	if (!*v && !(*v = calloc((size_t)argc + 1, sizeof **v)))
		return -1;
	(*v)[(*n)++] = (char *)arg;
	return 0;
}

int vg_watch_geo_opt(vg_watch_geo_t *g, int argc, int c, const char *arg)
{
	switch (c) {
	case O_GEO:
		return push(&g->geo, &g->n_geo, argc, arg) ? -1 : 1;
	case O_GEO_ALLOW:
		return push(&g->allow, &g->n_allow, argc, arg) ? -1 : 1;
	case O_HOME_COUNTRY:
		if (strlen(arg) != 2) {
			vg_err("watch: --home-country wants a two-letter ISO code, not '%s'", arg);
			return -1;
		}
		for (int i = 0; i < 2; i++) {
			char ch = arg[i];
			if (ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 'a' + 'A');
			if (ch < 'A' || ch > 'Z') {
				vg_err("watch: --home-country wants a two-letter ISO code, not '%s'", arg);
				return -1;
			}
			g->cfg.home[i] = ch;
		}
		g->cfg.home[2] = 0;
		return 1;
	case O_WATCH_NET:
		if (g->cfg.n_nets >= VG_FOREIGN_MAX_NETS) {
			vg_err("watch: at most %d --watch-net", VG_FOREIGN_MAX_NETS);
			return -1;
		}
		if (vg_foreign_parse_net(arg, &g->cfg.nets[g->cfg.n_nets], &g->cfg.prefix[g->cfg.n_nets])) {
			vg_err("watch: invalid --watch-net '%s' (ADDRESS/PREFIX)", arg);
			return -1;
		}
		g->cfg.n_nets++;
		return 1;
	case O_GEO_UNKNOWN:
		g->cfg.unknown_is_foreign = true;
		return 1;
	case O_GEO_MAX_PAIRS: {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(arg, &end, 10);
		if (errno || end == arg || *end || arg[0] == '-' || v == 0 || v > 100000000) {
			vg_err("watch: invalid value '%s' for --geo-max-pairs (1-100000000)", arg);
			return -1;
		}
		g->cfg.max_pairs = (uint32_t)v;
		return 1;
	}
	}
	return 0;
}

int vg_watch_geo_start(vg_watch_geo_t *g, vg_watch_cfg_t *wcfg, vg_watch_write_fn write, void *wctx)
{
	/* the tuning options alone (set to their defaults in a config file, say)
	 * do not turn the policy on */
	bool any = g->n_geo || g->n_allow || g->cfg.home[0] || g->cfg.n_nets;
	if (!any)
		return 0;
	if (!g->cfg.home[0] || !g->n_geo || !g->cfg.n_nets) {
		vg_err("watch: the foreign-server policy needs --home-country, --geo and --watch-net");
		return -1;
	}
	char err[512];
	if (vg_geo_open((const char *const *)g->geo, g->n_geo, &g->db, err, sizeof err)) {
		vg_err("watch: %s", err);
		return -1;
	}
	if (g->n_allow) {
		struct vg_cmd_load_opts lo;
		memset(&lo, 0, sizeof lo);
		if (vg_cmd_load_store(g->allow, g->n_allow, &lo, &g->allow_store) == VG_EXIT_ERROR ||
		    !g->allow_store) {
			vg_err("watch: cannot load the --geo-allow list");
			return -1;
		}
	}
	g->cfg.geo = g->db;
	g->cfg.allow = g->allow_store;
	g->cfg.cid_seed = wcfg->flow.cid_seed;
	int r = vg_foreign_new(&g->fo, &g->cfg, write, wctx);
	if (r) {
		vg_err("watch: cannot start the foreign-server policy: %s", vg_strerror(r));
		return -1;
	}
	wcfg->on_flow = vg_foreign_on_flow;
	wcfg->flow_ctx = g->fo;
	return 0;
}

uint64_t vg_watch_geo_report(vg_watch_geo_t *g, bool summary)
{
	if (!g->fo)
		return 0;
	vg_foreign_emit(g->fo);
	vg_foreign_stats_t st;
	vg_foreign_get_stats(g->fo, &st);
	if (summary)
		fprintf(stderr,
			"vigil: foreign: %llu flows from watched nets; %llu foreign destination%s "
			"(%llu flows), %llu allowlisted, %llu dropped (table full), %llu lookup errors\n",
			(unsigned long long)st.flows_checked, (unsigned long long)st.pairs,
			st.pairs == 1 ? "" : "s", (unsigned long long)st.flows_foreign,
			(unsigned long long)st.allowed, (unsigned long long)st.dropped,
			(unsigned long long)st.geo_errors);
	return st.alerts;
}

void vg_watch_geo_release(vg_watch_geo_t *g)
{
	vg_foreign_free(g->fo);
	vg_store_free(g->allow_store);
	vg_geo_free(g->db);
	free(g->geo);
	free(g->allow);
	memset(g, 0, sizeof *g);
}
