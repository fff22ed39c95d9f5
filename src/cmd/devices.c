// SPDX-License-Identifier: Apache-2.0
/*
 * devices.c — `vigil devices`: the passive device inventory.
 *
 *   list               one line per device (table, json lines or csv)
 *   show DEVICE        one device in full (by MAC, IP or id)
 *   export             every device in full (json lines or csv)
 *   learn --days N     propose allowed-destination profiles (dev/profile.h)
 *   --from-pcap FILE.. build an inventory from captures in one pass (the
 *                      watch engine with the device hooks, no indicators)
 *
 * The inventory is the SQLite file `vigil watch --inventory` keeps
 * (dev/invdb.h); it is opened read-only except by --from-pcap.  Devices are
 * always printed in id order (the order they were first seen), so output is
 * stable.  Only this file prints; the library code returns codes.
 */
#include "cmd/cmd.h"
#include "cmd/watch_dev.h"
#include "dev/invdb.h"
#include "dev/profile.h"
#include "lib/json.h"
#include "lib/timefmt.h"
#include "net/source.h"
#include "watch/eve.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_INVENTORY "/var/lib/vigil/inventory.db"

static const char usage_text[] =
	"usage: vigil devices list [--inventory FILE] [--format table|json|csv]\n"
	"       vigil devices show DEVICE [--inventory FILE] [--format table|json]\n"
	"       vigil devices export [--inventory FILE] [--format json|csv]\n"
	"       vigil devices learn --days N [--inventory FILE] [-o PROFILES]\n"
	"       vigil devices --from-pcap FILE... [--inventory FILE] [--format FMT]\n"
	"\n"
	"The device inventory built passively by 'vigil watch --inventory FILE':\n"
	"vendor, class, model and firmware hints, services, remote destinations,\n"
	"risk flags and alerts per device.  DEVICE is a MAC, an IP address or an id.\n"
	"\n"
	"  -I, --inventory FILE    the inventory (default " DEFAULT_INVENTORY ")\n"
	"      --format FMT        table (default of list and show), json (JSON lines,\n"
	"                          default of export) or csv\n"
	"      --days N            learn: from the destinations seen in the N days before\n"
	"                          the newest observation\n"
	"  -o, --output FILE       learn: write the profiles to FILE (default: standard\n"
	"                          output)\n"
	"      --from-pcap FILE    read capture FILE (repeatable; further FILE arguments\n"
	"                          are read too), print the inventory; with --inventory,\n"
	"                          also store it there\n"
	"      --device-rules FILE extra fingerprint rules (repeatable)\n"
	"      --device-vulns FILE extra vulnerable-version rows (repeatable)\n"
	"      --max-devices N     devices kept (default 4096)\n"
	"      --max-device-dests N  remote destinations kept per device (default 256)\n"
	"      --max-dest-names N  distinct destination names kept (default 65536)\n"
	"  -q, --quiet             no summary on standard error\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 ok, 2 error (bad usage, unreadable inventory, unknown DEVICE).\n"
	"See vigil-devices(1).\n";

enum { O_FORMAT = 256, O_DAYS, O_FROM_PCAP };

static const struct option long_opts[] = {
	{"inventory", required_argument, NULL, 'I'},
	{"format", required_argument, NULL, O_FORMAT},
	{"days", required_argument, NULL, O_DAYS},
	{"output", required_argument, NULL, 'o'},
	{"from-pcap", required_argument, NULL, O_FROM_PCAP},
	{"device-rules", required_argument, NULL, O_DEVICE_RULES},
	{"device-vulns", required_argument, NULL, O_DEVICE_VULNS},
	{"max-devices", required_argument, NULL, O_MAX_DEVICES},
	{"max-device-dests", required_argument, NULL, O_MAX_DEVICE_DESTS},
	{"max-dest-names", required_argument, NULL, O_MAX_DEST_NAMES},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

enum { F_DEFAULT, F_TABLE, F_JSON, F_CSV };

/* ---- output ---------------------------------------------------------------------------------- */

static const char *pname(uint8_t p, char buf[8])
{
	if (p == 6)
		return "tcp";
	if (p == 17)
		return "udp";
	if (p == 132)
		return "sctp";
	snprintf(buf, 8, "%u", p);
	return buf;
}

static void ts_text(uint64_t us, char *buf, size_t n)
{
	vg_time_iso((int64_t)(us / 1000000), buf, n);
}

static void risks_text(uint32_t risk, const char *sep, vg_buf_t *b)
{
	bool first = true;
	for (int i = 0; i < VG_RISK__BITS; i++)
		if (risk & (1u << i)) {
			if (!first)
				vg_buf_adds(b, sep);
			vg_buf_adds(b, vg_inv_risk_name(i));
			first = false;
		}
}

static void json_device(vg_buf_t *b, const vg_inv_dev_t *d)
{
	char tmp[96], pb[8];
	vg_jw_t j;
	vg_jw_init(&j, b);
	vg_jw_obj(&j);
	vg_jw_kuint(&j, "id", d->id);
	vg_jw_kstr(&j, "key", vg_inv_key(d, tmp, sizeof tmp));
	if (d->has_mac) {
		vg_inv_mac_text(d->mac, tmp);
		vg_jw_kstr(&j, "mac", tmp);
	} else {
		vg_jw_key(&j, "mac");
		vg_jw_null(&j);
	}
	vg_jw_kbool(&j, "randomised", d->randomised);
	vg_jw_key(&j, "ips");
	vg_jw_arr(&j);
	for (int i = 0; i < d->n_ips; i++) {
		vg_ip_format(&d->ips[i], tmp, sizeof tmp);
		vg_jw_str(&j, tmp);
	}
	vg_jw_end(&j);
	ts_text(d->first_us, tmp, sizeof tmp);
	vg_jw_kstr(&j, "first_seen", tmp);
	ts_text(d->last_us, tmp, sizeof tmp);
	vg_jw_kstr(&j, "last_seen", tmp);
	vg_jw_kstr(&j, "vendor", d->vendor);
	vg_jw_kstr(&j, "class", vg_dev_class_name(d->cls));
	vg_jw_kint(&j, "confidence", d->confidence);
	vg_jw_kstr(&j, "model", d->model);
	vg_jw_kstr(&j, "firmware", d->firmware);
	vg_jw_kstr(&j, "hostname", d->hostname);
	vg_jw_key(&j, "evidence");
	vg_jw_arr(&j);
	for (int i = 0; i < d->n_ev; i++) {
		vg_jw_obj(&j);
		vg_jw_kstr(&j, "signal", d->ev[i].signal);
		vg_jw_kstr(&j, "value", d->ev[i].value);
		vg_jw_kstr(&j, "rule", d->ev[i].rule);
		vg_jw_kstr(&j, "class", vg_dev_class_name(d->ev[i].cls));
		vg_jw_kint(&j, "confidence", d->ev[i].confidence);
		vg_jw_end(&j);
	}
	vg_jw_end(&j);
	vg_jw_key(&j, "services");
	vg_jw_arr(&j);
	for (int i = 0; i < d->n_svc; i++) {
		snprintf(tmp, sizeof tmp, "%s/%u", pname(d->svc[i].proto, pb), d->svc[i].port);
		vg_jw_str(&j, tmp);
	}
	vg_jw_end(&j);
	vg_jw_key(&j, "risks");
	vg_jw_arr(&j);
	for (int i = 0; i < VG_RISK__BITS; i++)
		if (d->risk & (1u << i))
			vg_jw_str(&j, vg_inv_risk_name(i));
	vg_jw_end(&j);
	vg_jw_key(&j, "vulnerabilities");
	vg_jw_arr(&j);
	for (int i = 0; i < d->n_vulns; i++) {
		vg_jw_obj(&j);
		vg_jw_kstr(&j, "component", d->vulns[i].component);
		vg_jw_kstr(&j, "version", d->vulns[i].version);
		vg_jw_kstr(&j, "cves", d->vulns[i].cves);
		vg_jw_end(&j);
	}
	vg_jw_end(&j);
	vg_jw_kuint(&j, "alerts", d->alerts);
	vg_jw_key(&j, "last_alerts");
	vg_jw_arr(&j);
	for (int i = 0; i < d->n_last; i++)
		vg_jw_str(&j, d->last_alerts[i]);
	vg_jw_end(&j);
	vg_jw_key(&j, "destinations");
	vg_jw_arr(&j);
	for (uint32_t i = 0; i < d->n_dests; i++) {
		const vg_inv_dest_t *x = &d->dests[i];
		vg_jw_obj(&j);
		vg_ip_format(&x->ip, tmp, sizeof tmp);
		vg_jw_kstr(&j, "ip", tmp);
		vg_jw_kuint(&j, "port", x->port);
		vg_jw_kstr(&j, "proto", pname(x->proto, pb));
		if (x->name[0])
			vg_jw_kstr(&j, "name", x->name);
		if (x->cc[0])
			vg_jw_kstr(&j, "country", x->cc);
		ts_text(x->first_us, tmp, sizeof tmp);
		vg_jw_kstr(&j, "first_seen", tmp);
		ts_text(x->last_us, tmp, sizeof tmp);
		vg_jw_kstr(&j, "last_seen", tmp);
		vg_jw_kuint(&j, "flows", x->flows);
		vg_jw_end(&j);
	}
	vg_jw_end(&j);
	vg_jw_end(&j);
	vg_buf_addc(b, '\n');
}

static void csv_field(vg_buf_t *b, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		vg_buf_addc(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				vg_buf_addc(b, '"');
			vg_buf_addc(b, *s);
		}
		vg_buf_addc(b, '"');
	} else {
		vg_buf_adds(b, s);
	}
	vg_buf_addc(b, last ? '\n' : ',');
}

static const char csv_header[] =
	"id,key,mac,randomised,ips,first_seen,last_seen,vendor,class,confidence,model,firmware,"
	"hostname,services,risks,cves,alerts,destinations\n";

static void csv_device(vg_buf_t *b, const vg_inv_dev_t *d)
{
	char tmp[96], pb[8];
	vg_buf_t f = {0};
	vg_buf_addf(b, "%u,", d->id);
	csv_field(b, vg_inv_key(d, tmp, sizeof tmp), false);
	if (d->has_mac)
		vg_inv_mac_text(d->mac, tmp);
	else
		tmp[0] = 0;
	csv_field(b, tmp, false);
	csv_field(b, d->randomised ? "yes" : "no", false);
	for (int i = 0; i < d->n_ips; i++) {
		vg_ip_format(&d->ips[i], tmp, sizeof tmp);
		if (i)
			vg_buf_addc(&f, ' ');
		vg_buf_adds(&f, tmp);
	}
	csv_field(b, f.p ? f.p : "", false);
	ts_text(d->first_us, tmp, sizeof tmp);
	csv_field(b, tmp, false);
	ts_text(d->last_us, tmp, sizeof tmp);
	csv_field(b, tmp, false);
	csv_field(b, d->vendor, false);
	csv_field(b, vg_dev_class_name(d->cls), false);
	vg_buf_addf(b, "%u,", d->confidence);
	csv_field(b, d->model, false);
	csv_field(b, d->firmware, false);
	csv_field(b, d->hostname, false);
	vg_buf_reset(&f);
	for (int i = 0; i < d->n_svc; i++)
		vg_buf_addf(&f, "%s%s/%u", i ? " " : "", pname(d->svc[i].proto, pb), d->svc[i].port);
	csv_field(b, f.p ? f.p : "", false);
	vg_buf_reset(&f);
	risks_text(d->risk, " ", &f);
	csv_field(b, f.p ? f.p : "", false);
	vg_buf_reset(&f);
	for (int i = 0; i < d->n_vulns; i++)
		vg_buf_addf(&f, "%s%s", i ? "," : "", d->vulns[i].cves);
	csv_field(b, f.p ? f.p : "", false);
	vg_buf_addf(b, "%llu,%u\n", (unsigned long long)d->alerts, d->n_dests);
	vg_buf_release(&f);
}

static void cut(char *dst, size_t n, const char *s)
{
	size_t l = strlen(s);
	if (l >= n)
		l = n - 1;
	memcpy(dst, s, l);
	dst[l] = 0;
}

static void table_header(vg_buf_t *b)
{
	vg_buf_addf(b, "%-4s %-17s %-15s %-20s %-12s %-20s %-20s %s\n", "ID", "MAC", "IP", "VENDOR",
		    "CLASS", "MODEL", "LAST SEEN", "RISKS");
}

static void table_device(vg_buf_t *b, const vg_inv_dev_t *d)
{
	char mac[18] = "-", ip[64] = "-", vendor[21], cls[16], model[21], ts[32];
	if (d->has_mac)
		vg_inv_mac_text(d->mac, mac);
	if (d->n_ips)
		vg_ip_format(&d->ips[0], ip, sizeof ip);
	cut(vendor, sizeof vendor, d->randomised ? "(randomised)" : d->vendor[0] ? d->vendor : "-");
	if (d->cls)
		snprintf(cls, sizeof cls, "%s %u%%", vg_dev_class_name(d->cls), d->confidence);
	else
		cut(cls, sizeof cls, "unknown");
	cut(model, sizeof model, d->model[0] ? d->model : "-");
	ts_text(d->last_us, ts, sizeof ts);
	vg_buf_addf(b, "%-4u %-17s %-15s %-20s %-12s %-20s %-20s ", d->id, mac, ip, vendor, cls,
		    model, ts);
	if (d->risk)
		risks_text(d->risk, ",", b);
	else
		vg_buf_addc(b, '-');
	vg_buf_addc(b, '\n');
}

static void show_device(vg_buf_t *b, const vg_inv_dev_t *d)
{
	char tmp[96], pb[8];
	vg_buf_addf(b, "device %u: %s\n", d->id, vg_inv_key(d, tmp, sizeof tmp));
	if (d->has_mac) {
		vg_inv_mac_text(d->mac, tmp);
		vg_buf_addf(b, "  mac:        %s%s\n", tmp, d->randomised ? " (randomised)" : "");
	}
	vg_buf_adds(b, "  ips:        ");
	for (int i = 0; i < d->n_ips; i++) {
		vg_ip_format(&d->ips[i], tmp, sizeof tmp);
		vg_buf_addf(b, "%s%s", i ? ", " : "", tmp);
	}
	vg_buf_addc(b, '\n');
	ts_text(d->first_us, tmp, sizeof tmp);
	vg_buf_addf(b, "  first seen: %s\n", tmp);
	ts_text(d->last_us, tmp, sizeof tmp);
	vg_buf_addf(b, "  last seen:  %s\n", tmp);
	vg_buf_addf(b, "  vendor:     %s\n", d->vendor[0] ? d->vendor : "-");
	vg_buf_addf(b, "  class:      %s (%u%%)\n", vg_dev_class_name(d->cls), d->confidence);
	vg_buf_addf(b, "  model:      %s\n", d->model[0] ? d->model : "-");
	vg_buf_addf(b, "  firmware:   %s\n", d->firmware[0] ? d->firmware : "-");
	vg_buf_addf(b, "  hostname:   %s\n", d->hostname[0] ? d->hostname : "-");
	vg_buf_adds(b, "  services:   ");
	for (int i = 0; i < d->n_svc; i++)
		vg_buf_addf(b, "%s%s/%u", i ? ", " : "", pname(d->svc[i].proto, pb), d->svc[i].port);
	vg_buf_adds(b, d->n_svc ? "\n" : "-\n");
	vg_buf_adds(b, "  risks:      ");
	if (d->risk)
		risks_text(d->risk, ", ", b);
	else
		vg_buf_addc(b, '-');
	vg_buf_addc(b, '\n');
	for (int i = 0; i < d->n_vulns; i++)
		vg_buf_addf(b, "  vulnerable: %s%s%s: %s\n", d->vulns[i].component,
			    d->vulns[i].version[0] ? " " : "", d->vulns[i].version, d->vulns[i].cves);
	vg_buf_addf(b, "  alerts:     %llu\n", (unsigned long long)d->alerts);
	for (int i = 0; i < d->n_last; i++)
		vg_buf_addf(b, "    %s\n", d->last_alerts[i]);
	vg_buf_addf(b, "  evidence:   %u\n", d->n_ev);
	for (int i = 0; i < d->n_ev; i++)
		vg_buf_addf(b, "    %s \"%s\" -> rule %s: %s %u%%\n", d->ev[i].signal, d->ev[i].value,
			    d->ev[i].rule, vg_dev_class_name(d->ev[i].cls), d->ev[i].confidence);
	vg_buf_addf(b, "  destinations: %u\n", d->n_dests);
	for (uint32_t i = 0; i < d->n_dests; i++) {
		const vg_inv_dest_t *x = &d->dests[i];
		vg_ip_format(&x->ip, tmp, sizeof tmp);
		vg_buf_addf(b, "    %s %s/%u", tmp, pname(x->proto, pb), x->port);
		if (x->name[0])
			vg_buf_addf(b, " %s", x->name);
		if (x->cc[0])
			vg_buf_addf(b, " [%s]", x->cc);
		vg_buf_addf(b, " %llu flow%s\n", (unsigned long long)x->flows, x->flows == 1 ? "" : "s");
	}
}

static int print_all(const vg_inv_t *inv, int fmt)
{
	vg_buf_t b = {0};
	if (fmt == F_TABLE)
		table_header(&b);
	else if (fmt == F_CSV)
		vg_buf_adds(&b, csv_header);
	for (uint32_t i = 0; i < vg_inv_count(inv); i++) {
		const vg_inv_dev_t *d = vg_inv_get(inv, i);
		if (fmt == F_TABLE)
			table_device(&b, d);
		else if (fmt == F_CSV)
			csv_device(&b, d);
		else
			json_device(&b, d);
	}
	int rc = VG_EXIT_OK;
	if (b.oom || (b.len && fwrite(b.p, 1, b.len, stdout) != b.len) || fflush(stdout)) {
		vg_err("devices: cannot write output: %s", b.oom ? "out of memory" : strerror(errno));
		rc = VG_EXIT_ERROR;
	}
	vg_buf_release(&b);
	return rc;
}

/* ---- commands -------------------------------------------------------------------------------- */

static int load_inventory(const char *path, const vg_inv_limits_t *lim, vg_inv_t **inv)
{
	char err[512];
	vg_invdb_t *db = NULL;
	int r;
	if (access(path, F_OK)) {
		vg_err("devices: %s: %s", path, strerror(errno));
		return -1;
	}
	if ((r = vg_invdb_open(&db, path, true, err, sizeof err))) {
		vg_err("devices: %s", err);
		return -1;
	}
	if ((r = vg_inv_new(inv, lim, NULL, NULL)) || (r = vg_invdb_load(db, *inv, err, sizeof err))) {
		vg_err("devices: %s", r == VG_ENOMEM ? "out of memory" : err);
		vg_invdb_close(db);
		return -1;
	}
	vg_invdb_close(db);
	vg_inv_stats_t st;
	vg_inv_get_stats(*inv, &st);
	if (st.devices_dropped || st.dests_dropped)
		vg_warnx("devices: %s: %llu devices and %llu destinations beyond the limits were not "
			 "read (--max-devices, --max-device-dests)", path,
			 (unsigned long long)st.devices_dropped, (unsigned long long)st.dests_dropped);
	return 0;
}

static void discard(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	(void)line;
	(void)len;
}

static int from_pcap(char **files, int n, vg_watch_dev_t *dev, int fmt, bool quiet)
{
	char err[512] = "";
	vg_store_t *store = NULL;
	vg_watch_t *w = NULL;
	vg_src_t *src = NULL;
	vg_watch_cfg_t cfg;
	int rc = VG_EXIT_ERROR, r;
	vg_watch_cfg_default(&cfg);
	dev->on = true;
	if (vg_store_empty(&store)) {
		vg_err("devices: out of memory");
		return VG_EXIT_ERROR;
	}
	if ((r = vg_src_open_files(&src, files, n, NULL, err, sizeof err))) {
		vg_err("devices: %s", err[0] ? err : vg_strerror(r));
		goto out;
	}
	if (vg_watch_dev_start(dev, &cfg, NULL, discard, NULL))
		goto out;
	if ((r = vg_watch_new(&w, &cfg, store, discard, NULL))) {
		vg_err("devices: cannot start: %s", vg_strerror(r));
		goto out;
	}
	vg_raw_pkt_t pkt;
	bool bad = false;
	while ((r = vg_src_next(src, &pkt)) != 0) {
		if (r == 1) {
			vg_watch_packet(w, &pkt);
			vg_watch_dev_tick(dev, VG_WDEV_PACKET);
		} else if (r == VG_ECORRUPT) {
			vg_err("devices: %s", vg_src_error(src));
			bad = true;
		} else {
			vg_err("devices: %s", vg_src_error(src));
			bad = true;
			break;
		}
	}
	vg_watch_finish(w);
	vg_watch_dev_tick(dev, VG_WDEV_FORCE);
	vg_watch_dev_report(dev, !quiet);
	rc = print_all(dev->inv, fmt == F_DEFAULT ? F_TABLE : fmt);
	if (bad || vg_watch_dev_failed(dev))
		rc = VG_EXIT_ERROR;
out:
	vg_watch_free(w);
	if (src)
		vg_src_close(src);
	vg_store_free(store);
	return rc;
}

static int learn(const vg_inv_t *inv, uint32_t days, const char *out_path, bool quiet)
{
	uint64_t newest = 0;
	for (uint32_t i = 0; i < vg_inv_count(inv); i++) {
		const vg_inv_dev_t *d = vg_inv_get(inv, i);
		for (uint32_t k = 0; k < d->n_dests; k++)
			if (d->dests[k].last_us > newest)
				newest = d->dests[k].last_us;
	}
	uint64_t span = (uint64_t)days * 86400 * 1000000;
	uint64_t since = newest > span ? newest - span : 0;
	vg_buf_t b = {0};
	int n = vg_prof_learn(inv, since, &b);
	if (n < 0) {
		vg_err("devices: out of memory");
		vg_buf_release(&b);
		return VG_EXIT_ERROR;
	}
	FILE *f = out_path ? fopen(out_path, "w") : stdout;
	int rc = VG_EXIT_OK;
	if (!f || fwrite(b.p, 1, b.len, f) != b.len || (f != stdout ? fclose(f) : fflush(f))) {
		vg_err("devices: cannot write %s: %s", out_path ? out_path : "standard output",
		       strerror(errno));
		rc = VG_EXIT_ERROR;
	} else if (!quiet) {
		char ts[32];
		ts_text(since, ts, sizeof ts);
		vg_info("devices: %d profile%s learned from destinations seen since %s%s%s", n,
			n == 1 ? "" : "s", ts, out_path ? " into " : "", out_path ? out_path : "");
	}
	vg_buf_release(&b);
	return rc;
}

int cmd_devices(int argc, char **argv)
{
	const char *inv_path = NULL, *out_path = NULL;
	int fmt = F_DEFAULT, c, rc = VG_EXIT_ERROR;
	uint32_t days = 0;
	bool quiet = false;
	vg_watch_dev_t dev;
	memset(&dev, 0, sizeof dev);
	vg_inv_t *inv = NULL;
	char **pcaps = calloc((size_t)argc + 1, sizeof *pcaps);
	int n_pcaps = 0;
	if (!pcaps) {
		vg_err("devices: out of memory");
		return VG_EXIT_ERROR;
	}
	vg_inv_limits_default(&dev.lim);
	dev.lim_set = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":I:o:qh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'I': inv_path = optarg; break;
		case 'o': out_path = strcmp(optarg, "-") ? optarg : NULL; break;
		case 'q': quiet = true; break;
		case O_FORMAT:
			if (!strcmp(optarg, "table"))
				fmt = F_TABLE;
			else if (!strcmp(optarg, "json"))
				fmt = F_JSON;
			else if (!strcmp(optarg, "csv"))
				fmt = F_CSV;
			else {
				vg_err("devices: unknown --format '%s' (table, json, csv)", optarg);
				goto done;
			}
			break;
		case O_DAYS: {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' || !v || v > 36500) {
				vg_err("devices: invalid value '%s' for --days (1..36500)", optarg);
				goto done;
			}
			days = (uint32_t)v;
			break;
		}
		case O_FROM_PCAP: pcaps[n_pcaps++] = optarg; break;
		case 'h':
			fputs(usage_text, stdout);
			rc = VG_EXIT_OK;
			goto done;
		default:
			if (c == ':' || c == '?') {
				vg_cmd_opt_error("devices", NULL, c, argv);
				goto done;
			}
			if (vg_watch_dev_opt(&dev, argc, c, optarg) != 1)
				goto done;
		}
	}
	if (n_pcaps) {
		for (int i = optind; i < argc; i++)
			pcaps[n_pcaps++] = argv[i];
		dev.inventory = inv_path;
		rc = from_pcap(pcaps, n_pcaps, &dev, fmt, quiet);
		goto done;
	}
	if (optind >= argc) {
		vg_err("devices: give a subcommand (list, show, export, learn) or --from-pcap");
		goto done;
	}
	const char *sub = argv[optind];
	int nargs = argc - optind - 1;
	bool is_show = !strcmp(sub, "show");
	if (strcmp(sub, "list") && !is_show && strcmp(sub, "export") && strcmp(sub, "learn")) {
		vg_err("devices: unknown subcommand '%s' (list, show, export, learn)", sub);
		goto done;
	}
	if (nargs != (is_show ? 1 : 0)) {
		vg_err(is_show ? "devices: show needs one DEVICE (MAC, IP or id)"
			       : "devices: unexpected argument '%s'", argv[optind + 1]);
		goto done;
	}
	if (!strcmp(sub, "learn") && !days) {
		vg_err("devices: learn needs --days N");
		goto done;
	}
	if ((fmt == F_CSV && is_show) || (fmt == F_TABLE && !strcmp(sub, "export"))) {
		vg_err("devices: %s does not write --format %s", sub, fmt == F_CSV ? "csv" : "table");
		goto done;
	}
	if (load_inventory(inv_path ? inv_path : DEFAULT_INVENTORY, &dev.lim, &inv))
		goto done;
	if (!strcmp(sub, "list")) {
		rc = print_all(inv, fmt == F_DEFAULT ? F_TABLE : fmt);
	} else if (!strcmp(sub, "export")) {
		rc = print_all(inv, fmt == F_DEFAULT ? F_JSON : fmt);
	} else if (!strcmp(sub, "learn")) {
		rc = learn(inv, days, out_path, quiet);
	} else {
		const vg_inv_dev_t *d = vg_inv_find(inv, argv[optind + 1]);
		if (!d) {
			vg_err("devices: no device '%s' in the inventory", argv[optind + 1]);
			goto done;
		}
		vg_buf_t b = {0};
		if (fmt == F_JSON)
			json_device(&b, d);
		else
			show_device(&b, d);
		rc = VG_EXIT_OK;
		if (b.oom || fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout)) {
			vg_err("devices: cannot write output");
			rc = VG_EXIT_ERROR;
		}
		vg_buf_release(&b);
	}
done:
	vg_inv_free(inv);
	vg_watch_dev_release(&dev);
	free(pcaps);
	return rc;
}
