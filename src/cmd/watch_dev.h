/* SPDX-License-Identifier: Apache-2.0 */
/*
 * watch_dev.h — the device options of `vigil watch` (--devices,
 * --inventory, --device-rules, --device-vulns, --profiles, --max-devices,
 * --max-device-dests) and their hooks into the engine: passive
 * fingerprinting (vg_dev_observe -> the inventory), the "device" object on
 * alerts and flow events, alerts counted per device, policy-violation
 * alerts from --profiles, and the inventory flushed to SQLite at most once
 * a second.  Also driven by `vigil devices --from-pcap`.  Kept apart from
 * watch.c so that file only forwards options and calls these hooks.
 */
#ifndef VG_CMD_WATCH_DEV_H
#define VG_CMD_WATCH_DEV_H

#include "cmd/watch_geo.h"
#include "dev/inventory.h"
#include "dev/invdb.h"
#include "dev/profile.h"
#include "watch/engine.h"

#include <getopt.h>

enum {
	O_DEVICES = 640,
	O_INVENTORY,
	O_DEVICE_RULES,
	O_DEVICE_VULNS,
	O_PROFILES,
	O_MAX_DEVICES,
	O_MAX_DEVICE_DESTS,
	O_MAX_DEST_NAMES,
	O_DEVICE_REPEAT,
};

/* Entries for watch's getopt table (expanded inside its initialiser). */
#define VG_WATCH_DEV_LONGOPTS                                                  \
	{"devices", no_argument, NULL, O_DEVICES},                             \
	{"inventory", required_argument, NULL, O_INVENTORY},                   \
	{"device-rules", required_argument, NULL, O_DEVICE_RULES},             \
	{"device-vulns", required_argument, NULL, O_DEVICE_VULNS},             \
	{"profiles", required_argument, NULL, O_PROFILES},                     \
	{"max-devices", required_argument, NULL, O_MAX_DEVICES},               \
	{"max-device-dests", required_argument, NULL, O_MAX_DEVICE_DESTS},    \
	{"max-dest-names", required_argument, NULL, O_MAX_DEST_NAMES},        \
	{"device-repeat", required_argument, NULL, O_DEVICE_REPEAT},

#define VG_WATCH_DEV_USAGE                                                                  \
	"devices:\n"                                                                        \
	"      --devices           fingerprint devices passively (DHCP, mDNS, SSDP,\n"       \
	"                          WS-Discovery, SADP, banners); alerts and flow events\n"  \
	"                          get a \"device\" object\n"                                 \
	"      --inventory FILE    keep the device inventory in SQLite FILE (implies\n"     \
	"                          --devices; reloaded on start, flushed every second)\n"   \
	"      --device-rules FILE extra fingerprint rules (repeatable)\n"                  \
	"      --device-vulns FILE extra vulnerable-version rows (repeatable)\n"            \
	"      --profiles FILE     allowed-destination profiles: a device contacting\n"     \
	"                          anything else raises a policy-violation alert\n"         \
	"      --max-devices N     devices kept (default 4096; beyond, dropped and counted)\n" \
	"      --max-device-dests N  remote destinations kept per device (default 256)\n" \
	"      --max-dest-names N  distinct destination names kept (default 65536)\n"     \
	"      --device-repeat SECS  an identical discovery announcement from the same\n" \
	"                          sender within SECS is not parsed again (default\n"    \
	"                          3600; 0 = parse every one)\n"

#define VG_POLICY_SID 8800060u

/* DNS answers seen (server address -> the name asked), for profiles and
 * destination names; fixed size, newest wins a slot. */
#define VG_WDEV_DNS_SLOTS 8192
typedef struct vg_wdev_dns {
	vg_ip_t ip;
	uint64_t exp_us;
	char name[96];
} vg_wdev_dns_t;

/* A new flow waiting for batched accounting (vg_inv_flow_batch): the
 * request plus what a policy alert needs from the flow, copied (the flow
 * may be gone when the batch runs). */
typedef struct vg_wdev_pending {
	vg_inv_flowreq_t req;  /* first */
	uint64_t flow_id;
	uint16_t cport;
	char cid[32];          /* Community ID (only with profiles) */
} vg_wdev_pending_t;
#define VG_WDEV_PENDING_MS 100 /* longest wait of a queued flow (wall clock) */

typedef struct vg_watch_dev {
	/* options */
	bool on;
	const char *inventory, *profiles_path;
	char **rules_files, **vuln_files;
	int n_rules, n_vulns;
	vg_inv_limits_t lim;
	bool lim_set;
	uint32_t repeat_s;          /* --device-repeat */
	bool repeat_set;
	/* running */
	vg_dev_rules_t *rules;
	vg_vulns_t *vulns;
	vg_inv_t *inv;
	vg_invdb_t *db;
	vg_prof_t *prof;
	vg_watch_geo_t *geo;        /* borrowed, may be NULL */
	vg_watch_write_fn write;
	void *wctx;
	vg_watch_sighting_fn prev_sighting; /* chained */
	void *prev_sighting_ctx;
	uint16_t cid_seed;
	vg_dev_scratch_t scratch;
	vg_wdev_dns_t *dnsc;
	vg_wdev_pending_t pend[VG_INV_BATCH];
	int n_pend;
	uint64_t pend_since_us; /* monotonic time of the oldest queued flow */
	uint64_t last_mono_us;  /* the clock at the last tick that read it */
	uint32_t ticks;
	vg_buf_t out;
	uint64_t policy_alerts, db_errors, devices_at_start;
	bool db_failed_reported;
} vg_watch_dev_t;

/* vg_watch_dev_opt: handle option c (an O_DEVICES.. value) with arg; argc
 * bounds the repeatable lists.  Returns 1 handled, 0 not a device option,
 * -1 error (printed). */
int vg_watch_dev_opt(vg_watch_dev_t *d, int argc, int c, const char *arg);

/*
 * vg_watch_dev_start: when device options were given: load rules, vulns,
 * profiles, open and reload the inventory, and hook into wcfg (on_packet,
 * annotate, on_sighting — chaining one already set) and into geo's foreign
 * alerts (geo may be NULL; call before vg_watch_geo_start).  write/wctx
 * receive policy-violation alerts.  Returns 0, or -1 (error printed).
 */
int vg_watch_dev_start(vg_watch_dev_t *d, vg_watch_cfg_t *wcfg, vg_watch_geo_t *geo,
		       vg_watch_write_fn write, void *wctx);

/* vg_watch_dev_tick (vg_watch_dev_tick_now does the work): call after each packet (VG_WDEV_PACKET), when idle
 * (VG_WDEV_IDLE) and at the end (VG_WDEV_FORCE): applies queued flows
 * older than VG_WDEV_PENDING_MS and writes the inventory when a second has
 * passed (FORCE: both now).  After a packet the clock is read every 64th
 * call only. */
enum { VG_WDEV_PACKET = 0, VG_WDEV_IDLE = 1, VG_WDEV_FORCE = 2 };
void vg_watch_dev_tick_now(vg_watch_dev_t *d, int why);
static inline void vg_watch_dev_tick(vg_watch_dev_t *d, int why)
{
	if (why == VG_WDEV_PACKET && (++d->ticks & 63))
		return; /* the common case: nothing to do, no call */
	vg_watch_dev_tick_now(d, why);
}

/* vg_watch_dev_report: with summary, a line on stderr; returns the
 * policy-violation alerts written.  0 when off. */
uint64_t vg_watch_dev_report(vg_watch_dev_t *d, bool summary);

/* vg_watch_dev_failed: true when writing the inventory failed. */
bool vg_watch_dev_failed(const vg_watch_dev_t *d);

/* vg_watch_dev_class_of: the class name of the device at ip ("camera"), or
 * NULL when no device has that address (ctx is the vg_watch_dev_t).  For
 * the hub client's sightings; packet thread only. */
const char *vg_watch_dev_class_of(void *ctx, const vg_ip_t *ip);

/* vg_watch_dev_release: flush nothing; free everything (zeroed struct ok). */
void vg_watch_dev_release(vg_watch_dev_t *d);

/* vg_watch_dev_object: write the "device" object of dev into j (used by
 * the annotate hook and `vigil devices`). */
struct vg_jw;
void vg_watch_dev_object(struct vg_jw *j, const vg_inv_dev_t *dev);

#endif
