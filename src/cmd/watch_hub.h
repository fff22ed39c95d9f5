/* SPDX-License-Identifier: Apache-2.0 */
/*
 * watch_hub.h — the hub options of `vigil watch` (--hub, --token, --spool,
 * --spool-max, --hub-interval, --sensor, --hub-ca): parsing, starting the
 * sighting sender (hub/client.h) on the engine's on_sighting hook, the
 * credentials --feed-url sends, and the summary.  Kept apart from watch.c
 * so that file only forwards options and calls these hooks.
 */
#ifndef VG_CMD_WATCH_HUB_H
#define VG_CMD_WATCH_HUB_H

#include "cmd/feedurl.h"
#include "hub/client.h"
#include "watch/engine.h"

#include <getopt.h>
#include <stdbool.h>

enum {
	O_HUB = 1024,
	O_HUB_TOKEN,
	O_HUB_SPOOL,
	O_HUB_SPOOL_MAX,
	O_HUB_INTERVAL,
	O_HUB_SENSOR,
	O_HUB_CA,
};

/* Entries for watch's getopt table (expanded inside its initialiser). */
#define VG_WATCH_HUB_LONGOPTS                                                  \
	{"hub", required_argument, NULL, O_HUB},                               \
	{"token", required_argument, NULL, O_HUB_TOKEN},                       \
	{"spool", required_argument, NULL, O_HUB_SPOOL},                       \
	{"spool-max", required_argument, NULL, O_HUB_SPOOL_MAX},               \
	{"hub-interval", required_argument, NULL, O_HUB_INTERVAL},             \
	{"sensor", required_argument, NULL, O_HUB_SENSOR},                     \
	{"hub-ca", required_argument, NULL, O_HUB_CA},

#define VG_WATCH_HUB_USAGE                                                                 \
	"hub (sightings and feeds; see vigil-hub(1)):\n"                                  \
	"      --hub URL           send sightings of listed indicators to the hub at URL\n" \
	"                          (POST URL/sightings), aggregated per interval\n"         \
	"      --token TOKEN       hub API token (or @FILE: read it from FILE); also sent\n" \
	"                          by --feed-url\n"                                         \
	"      --spool DIR         keep unacknowledged batches in DIR until the hub\n"     \
	"                          acknowledges them (replayed after a restart)\n"          \
	"      --spool-max BYTES   bound on the spool (default 64M; K/M/G); when full\n"    \
	"                          the oldest batches are dropped with a warning\n"         \
	"      --hub-interval SECS aggregation interval (default 10)\n"                     \
	"      --sensor NAME       this sensor's name (default: the host name)\n"           \
	"      --hub-ca FILE       CA certificates for an https hub\n"

typedef struct vg_watch_hub {
	const char *url, *token_arg, *spool, *sensor_arg, *ca;
	uint64_t spool_max;
	unsigned interval_s;
	char token[256];          /* the token (read from @FILE when so given) */
	char sensor[256];         /* --sensor or the host name */
	bool have_token, have_sensor;
	/* device class of a client address: set by the device inventory when it
	 * runs; NULL = every sighting is "unknown" */
	const char *(*class_of)(void *ctx, const vg_ip_t *client);
	void *class_ctx;
	vg_hub_client_t *cl;
} vg_watch_hub_t;

/* vg_watch_hub_opt: handle option c (an O_HUB* value) with arg.  Returns 1
 * handled, 0 not a hub option, -1 error (printed). */
int vg_watch_hub_opt(vg_watch_hub_t *h, int c, const char *arg);

/* vg_watch_hub_feed_auth: validate the hub options (--hub needs --token;
 * the other hub options alone are ignored), read the token, settle the sensor name,
 * and give --feed-url the token and sensor name (when --token or --sensor
 * was given).  Call once after option parsing.  0, or -1 (printed). */
int vg_watch_hub_feed_auth(vg_watch_hub_t *h, vg_feedurl_cfg_t *fcfg);

/* vg_watch_hub_start: with --hub, open the spool, start the sender and
 * hook it into wcfg->on_sighting.  0, or -1 (printed). */
int vg_watch_hub_start(vg_watch_hub_t *h, vg_watch_cfg_t *wcfg);

/* vg_watch_hub_stop: spool the last aggregates, send what can be sent,
 * stop the sender; with summary, a line on stderr.  Warns (always) when
 * batches remain spooled or sightings were dropped. */
void vg_watch_hub_stop(vg_watch_hub_t *h, bool summary);

/* vg_watch_hub_release: free everything (safe on a zeroed struct). */
void vg_watch_hub_release(vg_watch_hub_t *h);

#endif
