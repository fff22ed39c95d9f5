// SPDX-License-Identifier: Apache-2.0
/*
 * watch_hub.c — `vigil watch` hub options: collects --hub, --token,
 * --spool, --spool-max, --hub-interval, --sensor and --hub-ca; passes the
 * token and sensor name to --feed-url (so the hub applies the caller's
 * access to /feeds and records which sensor pulled which version); starts
 * the sighting sender (hub/client.h) and hooks it into the engine's
 * on_sighting, mapping the alert's client address to a device class when
 * the device inventory provides one (class_of), else "unknown".
 * Process-level code: prints through vg_err/vg_warnx/vg_info (the sender
 * thread logs through the same functions); owns the client.
 */
#include "cmd/watch_hub.h"
#include "cmd/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int vg_watch_hub_opt(vg_watch_hub_t *h, int c, const char *arg)
{
	switch (c) {
	case O_HUB:
		if (strncmp(arg, "http://", 7) && strncmp(arg, "https://", 8)) {
			vg_err("watch: --hub wants an http:// or https:// URL, not '%s'", arg);
			return -1;
		}
		h->url = arg;
		return 1;
	case O_HUB_TOKEN: h->token_arg = arg; return 1;
	case O_HUB_SPOOL: h->spool = arg; return 1;
	case O_HUB_SPOOL_MAX:
		if (vg_cmd_parse_size(arg, &h->spool_max) || !h->spool_max) {
			vg_err("watch: invalid size '%s' for --spool-max", arg);
			return -1;
		}
		return 1;
	case O_HUB_INTERVAL: {
		char *end;
		errno = 0;
		unsigned long v = strtoul(arg, &end, 10);
		if (errno || end == arg || *end || arg[0] == '-' || v < 1 || v > 86400) {
			vg_err("watch: invalid value '%s' for --hub-interval (1-86400 seconds)", arg);
			return -1;
		}
		h->interval_s = (unsigned)v;
		return 1;
	}
	case O_HUB_SENSOR: h->sensor_arg = arg; return 1;
	case O_HUB_CA: h->ca = arg; return 1;
	}
	return 0;
}

/* a token or sensor name goes into an HTTP header: printable ASCII only */
static bool header_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

static int read_token(vg_watch_hub_t *h)
{
	const char *t = h->token_arg;
	if (t[0] == '@') {
		FILE *f = fopen(t + 1, "r");
		if (!f) {
			vg_err("watch: cannot read --token file '%s': %s", t + 1, strerror(errno));
			return -1;
		}
		size_t n = fread(h->token, 1, sizeof h->token - 1, f);
		bool more = fgetc(f) != EOF && n == sizeof h->token - 1;
		fclose(f);
		h->token[n] = 0;
		while (n && (h->token[n - 1] == '\n' || h->token[n - 1] == '\r' || h->token[n - 1] == ' '))
			h->token[--n] = 0;
		if (more) {
			vg_err("watch: --token file '%s' is too long", t + 1);
			return -1;
		}
	} else if (snprintf(h->token, sizeof h->token, "%s", t) >= (int)sizeof h->token) {
		vg_err("watch: --token is too long");
		return -1;
	}
	if (!h->token[0] || !header_safe(h->token)) {
		vg_err("watch: --token must be printable ASCII without spaces");
		return -1;
	}
	h->have_token = true;
	return 0;
}

int vg_watch_hub_feed_auth(vg_watch_hub_t *h, vg_feedurl_cfg_t *fcfg)
{
	/* --spool, --spool-max, --hub-interval and --hub-ca alone (set to their
	 * defaults in a config file, say) do nothing without --hub */
	if (h->url && !h->token_arg) {
		vg_err("watch: --hub needs --token");
		return -1;
	}
	if (h->token_arg && read_token(h))
		return -1;
	if (h->sensor_arg) {
		if (!h->sensor_arg[0] || strlen(h->sensor_arg) >= sizeof h->sensor ||
		    !header_safe(h->sensor_arg)) {
			vg_err("watch: --sensor must be 1-255 printable ASCII characters without spaces");
			return -1;
		}
		snprintf(h->sensor, sizeof h->sensor, "%s", h->sensor_arg);
	} else if (gethostname(h->sensor, sizeof h->sensor) != 0 || !h->sensor[0] ||
		   !header_safe(h->sensor)) {
		snprintf(h->sensor, sizeof h->sensor, "sensor");
	}
	h->have_sensor = true;
	if (h->have_token)
		fcfg->token = h->token;
	if (h->have_token || h->sensor_arg)
		fcfg->sensor = h->sensor;
	fcfg->ca_file = h->ca;
	return 0;
}

static void log_line(void *ctx, int level, const char *msg)
{
	if (level == VG_HUB_LOG_ERR)
		vg_err("watch: %s", msg);
	else if (level == VG_HUB_LOG_WARN)
		vg_warnx("watch: %s", msg);
	else
		vg_info("watch: %s", msg);
}

static void on_sighting(void *ctx, const char *indicator, const char *type, int tlp,
			const vg_ip_t *client, uint64_t ts_us)
{
	vg_watch_hub_t *h = ctx;
	if (h->prev_sighting)
		h->prev_sighting(h->prev_sighting_ctx, indicator, type, tlp, client, ts_us);
	const char *cls = h->class_of && client ? h->class_of(h->class_ctx, client) : NULL;
	vg_hub_client_sighting(h->cl, indicator, type, cls, tlp, ts_us);
}

int vg_watch_hub_start(vg_watch_hub_t *h, vg_watch_cfg_t *wcfg)
{
	if (!h->url)
		return 0;
	vg_hub_client_cfg_t cc;
	memset(&cc, 0, sizeof cc);
	cc.url = h->url;
	cc.token = h->token;
	cc.sensor = h->sensor;
	cc.ca_file = h->ca;
	cc.spool_dir = h->spool;
	cc.spool_max = h->spool_max;
	cc.interval_ms = (h->interval_s ? h->interval_s : 10) * 1000u;
	cc.log = log_line;
	int r = vg_hub_client_start(&h->cl, &cc);
	if (r) {
		if (r != VG_EIO) /* VG_EIO was logged with the directory */
			vg_err("watch: cannot start the hub client: %s", vg_strerror(r));
		return -1;
	}
	if (!h->spool)
		vg_warnx("watch: no --spool: sightings not yet acknowledged by the hub are lost on exit");
	h->prev_sighting = wcfg->on_sighting;
	h->prev_sighting_ctx = wcfg->sighting_ctx;
	wcfg->on_sighting = on_sighting;
	wcfg->sighting_ctx = h;
	return 0;
}

void vg_watch_hub_stop(vg_watch_hub_t *h, bool summary)
{
	if (!h->cl)
		return;
	vg_hub_client_stop(h->cl);
	vg_hub_client_stats_t st;
	vg_hub_client_get_stats(h->cl, &st);
	if (summary)
		fprintf(stderr,
			"vigil: hub: %llu sightings in %llu batch%s; %llu acknowledged, %llu duplicate%s, "
			"%llu rejected, %llu retries; %llu pending in the spool\n",
			(unsigned long long)st.sightings, (unsigned long long)st.batches,
			st.batches == 1 ? "" : "es", (unsigned long long)st.sent,
			(unsigned long long)st.duplicates, st.duplicates == 1 ? "" : "s",
			(unsigned long long)st.rejected, (unsigned long long)st.retries,
			(unsigned long long)st.pending);
	if (st.pending && h->spool)
		vg_warnx("watch: hub: %llu batch%s not yet acknowledged kept in %s for the next run",
			 (unsigned long long)st.pending, st.pending == 1 ? "" : "es", h->spool);
	else if (st.pending)
		vg_err("watch: hub: %llu batch%s not acknowledged are lost (no --spool)",
		       (unsigned long long)st.pending, st.pending == 1 ? "" : "es");
	if (st.dropped)
		vg_warnx("watch: hub: %llu sighting%s dropped (aggregation table full)",
			 (unsigned long long)st.dropped, st.dropped == 1 ? "" : "s");
	if (st.spool_dropped)
		vg_warnx("watch: hub: %llu batch%s dropped (spool full, --spool-max)",
			 (unsigned long long)st.spool_dropped, st.spool_dropped == 1 ? "" : "es");
}

void vg_watch_hub_release(vg_watch_hub_t *h)
{
	vg_hub_client_free(h->cl);
	memset(h, 0, sizeof *h);
}
