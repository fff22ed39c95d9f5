// SPDX-License-Identifier: Apache-2.0
/*
 * invdb.c — SQLite persistence of the device inventory (see invdb.h).
 *
 * Schema (version 1):
 *   devices(id PK, mac, randomised, first_us, last_us, vendor, model,
 *           firmware, hostname, class, confidence, risk, alerts, ips,
 *           services, evidence, vulns, last_alerts, gateway, mac_ips)
 *     ips "a,b,.." current first; services "tcp/554,udp/3702"; risk
 *     "upnp,rtsp-no-auth"; evidence/vulns/last_alerts JSON arrays.
 *   destinations(device_id, ip, port, proto, country, name, first_us,
 *                last_us, flows; PK(device_id, ip, port, proto))
 * Times are microseconds since the epoch (packet time).  The small per-
 * device lists are text columns because they are always read and written
 * with their device; destinations are rows because they are many.
 *
 * migrations[i] brings user_version i to i+1; each runs in its own
 * transaction.  A flush: BEGIN IMMEDIATE; delete merged devices; upsert
 * each dirty device (only its last_us when nothing else changed) and its
 * dirty destinations; COMMIT.
 */
#include "dev/invdb.h"

#include "lib/buf.h"
#include "lib/json.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const migrations[VG_INVDB_SCHEMA] = {
	/* 0 -> 1 */
	"CREATE TABLE devices(id INTEGER PRIMARY KEY, mac TEXT, randomised INTEGER NOT NULL,"
	" first_us INTEGER NOT NULL, last_us INTEGER NOT NULL, vendor TEXT, model TEXT,"
	" firmware TEXT, hostname TEXT, class TEXT, confidence INTEGER, risk TEXT,"
	" alerts INTEGER, ips TEXT, services TEXT, evidence TEXT, vulns TEXT,"
	" last_alerts TEXT, gateway INTEGER, mac_ips INTEGER);"
	"CREATE TABLE destinations(device_id INTEGER NOT NULL, ip TEXT NOT NULL,"
	" port INTEGER NOT NULL, proto INTEGER NOT NULL, country TEXT, name TEXT,"
	" first_us INTEGER, last_us INTEGER, flows INTEGER,"
	" PRIMARY KEY(device_id, ip, port, proto)) WITHOUT ROWID;"
	"CREATE TABLE vigil_inventory(key TEXT PRIMARY KEY, value TEXT);"
	"INSERT INTO vigil_inventory VALUES('format', 'vigil device inventory');",
};

struct vg_invdb {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *up_dev, *up_dest, *del_dev, *del_dests, *touch_dev;
	uint64_t last_us;
	bool flushed_once;
	vg_buf_t b;
};

static int fail(vg_invdb_t *d, sqlite3 *db, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s: %s", d ? d->path : "inventory", what,
		 db ? sqlite3_errmsg(db) : "out of memory");
	return VG_EIO;
}

static int user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int migrate(vg_invdb_t *d, bool readonly, char *err, size_t errlen)
{
	int v;
	if (user_version(d->db, &v))
		return fail(d, d->db, "cannot read the schema version", err, errlen);
	if (v > VG_INVDB_SCHEMA) {
		snprintf(err, errlen, "%s: inventory schema version %d is newer than this vigil (%d)",
			 d->path, v, VG_INVDB_SCHEMA);
		return VG_EVERSION;
	}
	if (v == 0) {
		/* a new file, or some other SQLite database? */
		sqlite3_stmt *st;
		int n = 0;
		if (sqlite3_prepare_v2(d->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) ==
		    SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW)
				n = sqlite3_column_int(st, 0);
			sqlite3_finalize(st);
		}
		if (n) {
			snprintf(err, errlen, "%s: not a vigil inventory (a database without its schema)",
				 d->path);
			return VG_ECORRUPT;
		}
	}
	if (v < VG_INVDB_SCHEMA && readonly) {
		snprintf(err, errlen, "%s: inventory schema version %d needs an upgrade (open it "
			 "once read-write, e.g. with vigil watch --inventory)", d->path, v);
		return VG_EVERSION;
	}
	for (; v < VG_INVDB_SCHEMA; v++) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
		if (sqlite3_exec(d->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(d->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(d->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(d->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			int r = fail(d, d->db, "cannot create or migrate the schema", err, errlen);
			sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
			return r;
		}
	}
	return 0;
}

int vg_invdb_open(vg_invdb_t **out, const char *path, bool readonly, char *err, size_t errlen)
{
	*out = NULL;
	vg_invdb_t *d = calloc(1, sizeof *d);
	if (!d || !(d->path = strdup(path))) {
		free(d);
		snprintf(err, errlen, "%s: out of memory", path);
		return VG_ENOMEM;
	}
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int r;
	if (sqlite3_open_v2(path, &d->db, flags, NULL) != SQLITE_OK) {
		r = fail(d, d->db, "cannot open", err, errlen);
		goto bad;
	}
	sqlite3_busy_timeout(d->db, 2000);
	if (!readonly &&
	    (sqlite3_exec(d->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK ||
	     sqlite3_exec(d->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK)) {
		r = fail(d, d->db, "cannot set WAL mode", err, errlen);
		goto bad;
	}
	if ((r = migrate(d, readonly, err, errlen)))
		goto bad;
	if (!readonly &&
	    (sqlite3_prepare_v3(d->db,
		"INSERT OR REPLACE INTO devices VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
		"?14,?15,?16,?17,?18,?19,?20)", -1, SQLITE_PREPARE_PERSISTENT, &d->up_dev, NULL) ||
	     sqlite3_prepare_v3(d->db,
		"INSERT OR REPLACE INTO destinations VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)", -1,
		SQLITE_PREPARE_PERSISTENT, &d->up_dest, NULL) ||
	     sqlite3_prepare_v3(d->db, "DELETE FROM devices WHERE id=?1", -1,
				SQLITE_PREPARE_PERSISTENT, &d->del_dev, NULL) ||
	     sqlite3_prepare_v3(d->db, "DELETE FROM destinations WHERE device_id=?1", -1,
				SQLITE_PREPARE_PERSISTENT, &d->del_dests, NULL) ||
	     sqlite3_prepare_v3(d->db, "UPDATE devices SET last_us=?2 WHERE id=?1", -1,
				SQLITE_PREPARE_PERSISTENT, &d->touch_dev, NULL))) {
		r = fail(d, d->db, "cannot prepare statements", err, errlen);
		goto bad;
	}
	*out = d;
	return 0;
bad:
	vg_invdb_close(d);
	return r;
}

void vg_invdb_close(vg_invdb_t *d)
{
	if (!d)
		return;
	sqlite3_finalize(d->up_dev);
	sqlite3_finalize(d->up_dest);
	sqlite3_finalize(d->del_dev);
	sqlite3_finalize(d->del_dests);
	sqlite3_finalize(d->touch_dev);
	sqlite3_close(d->db);
	vg_buf_release(&d->b);
	free(d->path);
	free(d);
}

/* ---- writing ------------------------------------------------------------------------------ */

static const char *proto_text(uint8_t p)
{
	return p == 6 ? "tcp" : p == 17 ? "udp" : p == 132 ? "sctp" : NULL;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static void bind_buf(sqlite3_stmt *st, int i, const vg_buf_t *b)
{
	sqlite3_bind_text(st, i, b->p ? b->p : "", (int)b->len, SQLITE_TRANSIENT);
}

static int put_dev(vg_invdb_t *db, const vg_inv_dev_t *d)
{
	sqlite3_stmt *st = db->up_dev;
	char mac[18], tmp[64];
	vg_buf_t *b = &db->b;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_bind_int64(st, 1, d->id);
	if (d->has_mac) {
		vg_inv_mac_text(d->mac, mac);
		bind_text(st, 2, mac);
	}
	sqlite3_bind_int(st, 3, d->randomised);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)d->first_us);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)d->last_us);
	bind_text(st, 6, d->vendor);
	bind_text(st, 7, d->model);
	bind_text(st, 8, d->firmware);
	bind_text(st, 9, d->hostname);
	bind_text(st, 10, vg_dev_class_name(d->cls));
	sqlite3_bind_int(st, 11, d->confidence);
	vg_buf_reset(b);
	for (int i = 0; i < VG_RISK__BITS; i++)
		if (d->risk & (1u << i)) {
			if (b->len)
				vg_buf_addc(b, ',');
			vg_buf_adds(b, vg_inv_risk_name(i));
		}
	bind_buf(st, 12, b);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)d->alerts);
	vg_buf_reset(b);
	for (int i = 0; i < d->n_ips; i++) {
		vg_ip_format(&d->ips[i], tmp, sizeof tmp);
		if (i)
			vg_buf_addc(b, ',');
		vg_buf_adds(b, tmp);
	}
	bind_buf(st, 14, b);
	vg_buf_reset(b);
	for (int i = 0; i < d->n_svc; i++) {
		const char *pt = proto_text(d->svc[i].proto);
		if (i)
			vg_buf_addc(b, ',');
		if (pt)
			vg_buf_addf(b, "%s/%u", pt, d->svc[i].port);
		else
			vg_buf_addf(b, "%u/%u", d->svc[i].proto, d->svc[i].port);
	}
	bind_buf(st, 15, b);
	vg_jw_t j;
	vg_buf_reset(b);
	vg_jw_init(&j, b);
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
	bind_buf(st, 16, b);
	vg_buf_reset(b);
	vg_jw_init(&j, b);
	vg_jw_arr(&j);
	for (int i = 0; i < d->n_vulns; i++) {
		vg_jw_obj(&j);
		vg_jw_kstr(&j, "component", d->vulns[i].component);
		vg_jw_kstr(&j, "version", d->vulns[i].version);
		vg_jw_kstr(&j, "cves", d->vulns[i].cves);
		vg_jw_end(&j);
	}
	vg_jw_end(&j);
	bind_buf(st, 17, b);
	vg_buf_reset(b);
	vg_jw_init(&j, b);
	vg_jw_arr(&j);
	for (int i = 0; i < d->n_last; i++)
		vg_jw_str(&j, d->last_alerts[i]);
	vg_jw_end(&j);
	bind_buf(st, 18, b);
	sqlite3_bind_int(st, 19, d->gateway);
	sqlite3_bind_int64(st, 20, d->mac_ips);
	if (b->oom)
		return VG_ENOMEM;
	return sqlite3_step(st) == SQLITE_DONE ? 0 : VG_EIO;
}

static int put_dest(vg_invdb_t *db, uint32_t id, const vg_inv_dest_t *x)
{
	sqlite3_stmt *st = db->up_dest;
	char ip[64];
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_bind_int64(st, 1, id);
	vg_ip_format(&x->ip, ip, sizeof ip);
	bind_text(st, 2, ip);
	sqlite3_bind_int(st, 3, x->port);
	sqlite3_bind_int(st, 4, x->proto);
	bind_text(st, 5, x->cc);
	bind_text(st, 6, x->name);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)x->first_us);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)x->last_us);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)x->flows);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : VG_EIO;
}

static int del_id(vg_invdb_t *db, uint32_t id)
{
	sqlite3_reset(db->del_dev);
	sqlite3_bind_int64(db->del_dev, 1, id);
	sqlite3_reset(db->del_dests);
	sqlite3_bind_int64(db->del_dests, 1, id);
	return sqlite3_step(db->del_dev) == SQLITE_DONE &&
			       sqlite3_step(db->del_dests) == SQLITE_DONE
		       ? 0
		       : VG_EIO;
}

int vg_invdb_flush(vg_invdb_t *db, vg_inv_t *inv, uint64_t now_us, uint64_t interval_us,
		   bool force, char *err, size_t errlen)
{
	if (!vg_inv_dirty(inv))
		return 0;
	if (!force && db->flushed_once && now_us - db->last_us < interval_us)
		return 0;
	db->flushed_once = true;
	db->last_us = now_us;
	if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, db->db, "cannot start a transaction", err, errlen);
	uint32_t ids[64], n;
	int r = 0;
	while (!r && (n = vg_inv_take_deleted(inv, ids, 64)))
		for (uint32_t i = 0; i < n && !r; i++)
			r = del_id(db, ids[i]);
	for (uint32_t i = 0; !r && i < vg_inv_count(inv); i++) {
		const vg_inv_dev_t *d = vg_inv_get(inv, i);
		if (d->dirty) {
			r = put_dev(db, d);
		} else if (d->touched) { /* only last_us (and destinations) changed */
			sqlite3_reset(db->touch_dev);
			sqlite3_bind_int64(db->touch_dev, 1, d->id);
			sqlite3_bind_int64(db->touch_dev, 2, (sqlite3_int64)d->last_us);
			r = sqlite3_step(db->touch_dev) == SQLITE_DONE ? 0 : VG_EIO;
		} else {
			continue;
		}
		for (uint32_t k = 0; !r && k < d->n_dests; k++)
			if (d->dests[k].dirty)
				r = put_dest(db, d->id, &d->dests[k]);
	}
	if (r || sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int e = fail(db, db->db, "cannot write", err, errlen);
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
		return e;
	}
	vg_inv_clean(inv);
	return 1;
}

/* ---- reading ------------------------------------------------------------------------------ */

static void col_str(sqlite3_stmt *st, int c, char *dst, size_t n)
{
	const char *s = (const char *)sqlite3_column_text(st, c);
	snprintf(dst, n, "%s", s ? s : "");
}

static void cp(char *dst, size_t n, json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	snprintf(dst, n, "%s", s ? s : "");
}

static void load_lists(vg_inv_dev_t *d, sqlite3_stmt *st)
{
	char tmp[2048];
	/* risk */
	col_str(st, 11, tmp, sizeof tmp);
	for (char *p = tmp, *q; *p; p = q) {
		q = p + strcspn(p, ",");
		if (*q)
			*q++ = 0;
		d->risk |= vg_inv_risk_parse(p);
	}
	col_str(st, 13, tmp, sizeof tmp);
	for (char *p = tmp, *q; *p && d->n_ips < VG_INV_MAX_IPS; p = q) {
		q = p + strcspn(p, ",");
		if (*q)
			*q++ = 0;
		if (!vg_ip_parse(p, strlen(p), &d->ips[d->n_ips]))
			d->n_ips++;
	}
	col_str(st, 14, tmp, sizeof tmp);
	for (char *p = tmp, *q; *p && d->n_svc < VG_INV_MAX_SERVICES; p = q) {
		q = p + strcspn(p, ",");
		if (*q)
			*q++ = 0;
		char *slash = strchr(p, '/');
		if (!slash)
			continue;
		*slash = 0;
		unsigned long port = strtoul(slash + 1, NULL, 10);
		uint8_t proto = !strcmp(p, "tcp") ? 6 : !strcmp(p, "udp") ? 17 : !strcmp(p, "sctp") ? 132
			      : (uint8_t)strtoul(p, NULL, 10);
		d->svc[d->n_svc].port = (uint16_t)port;
		d->svc[d->n_svc].proto = proto;
		d->n_svc++;
	}
	const char *js = (const char *)sqlite3_column_text(st, 15);
	json_t *a = js ? json_loads(js, 0, NULL) : NULL;
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o) {
		if (d->n_ev >= VG_INV_MAX_EVIDENCE)
			break;
		vg_inv_ev_t *e = &d->ev[d->n_ev++];
		cp(e->signal, sizeof e->signal, o, "signal");
		cp(e->value, sizeof e->value, o, "value");
		cp(e->rule, sizeof e->rule, o, "rule");
		const char *c = json_string_value(json_object_get(o, "class"));
		int cls = c ? vg_dev_class_parse(c) : 0;
		e->cls = (uint8_t)(cls < 0 ? 0 : cls);
		e->confidence = (uint8_t)json_integer_value(json_object_get(o, "confidence"));
	}
	json_decref(a);
	js = (const char *)sqlite3_column_text(st, 16);
	a = js ? json_loads(js, 0, NULL) : NULL;
	json_array_foreach(a, i, o) {
		if (d->n_vulns >= VG_INV_MAX_VULNS)
			break;
		vg_inv_vuln_t *v = &d->vulns[d->n_vulns++];
		cp(v->component, sizeof v->component, o, "component");
		cp(v->version, sizeof v->version, o, "version");
		cp(v->cves, sizeof v->cves, o, "cves");
	}
	json_decref(a);
	js = (const char *)sqlite3_column_text(st, 17);
	a = js ? json_loads(js, 0, NULL) : NULL;
	json_array_foreach(a, i, o) {
		if (d->n_last >= VG_INV_LAST_ALERTS)
			break;
		const char *s = json_string_value(o);
		snprintf(d->last_alerts[d->n_last++], sizeof d->last_alerts[0], "%s", s ? s : "");
	}
	json_decref(a);
}

int vg_invdb_load(vg_invdb_t *db, vg_inv_t *inv, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL, *ds = NULL;
	int r = 0;
	if (sqlite3_prepare_v2(db->db, "SELECT * FROM devices ORDER BY id", -1, &st, NULL) ||
	    sqlite3_prepare_v2(db->db,
			       "SELECT * FROM destinations WHERE device_id=?1 ORDER BY first_us, ip, "
			       "port, proto", -1, &ds, NULL)) {
		r = fail(db, db->db, "cannot read", err, errlen);
		goto out;
	}
	vg_inv_dev_t *d = malloc(sizeof *d);
	vg_inv_ev_t *evbuf = calloc(VG_INV_MAX_EVIDENCE, sizeof *evbuf);
	if (!d || !evbuf) {
		free(d);
		free(evbuf);
		r = VG_ENOMEM;
		goto out;
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(d, 0, sizeof *d);
		d->ev = evbuf;
		d->id = (uint32_t)sqlite3_column_int64(st, 0);
		const char *mac = (const char *)sqlite3_column_text(st, 1);
		if (mac && !vg_inv_mac_parse(mac, d->mac))
			d->has_mac = true;
		d->randomised = sqlite3_column_int(st, 2) != 0;
		d->first_us = (uint64_t)sqlite3_column_int64(st, 3);
		d->last_us = (uint64_t)sqlite3_column_int64(st, 4);
		col_str(st, 5, d->vendor, sizeof d->vendor);
		col_str(st, 6, d->model, sizeof d->model);
		col_str(st, 7, d->firmware, sizeof d->firmware);
		col_str(st, 8, d->hostname, sizeof d->hostname);
		char cls[32];
		col_str(st, 9, cls, sizeof cls);
		int c = vg_dev_class_parse(cls);
		d->cls = (uint8_t)(c < 0 ? 0 : c);
		d->confidence = (uint8_t)sqlite3_column_int(st, 10);
		d->alerts = (uint64_t)sqlite3_column_int64(st, 12);
		load_lists(d, st);
		d->gateway = sqlite3_column_int(st, 18) != 0;
		d->mac_ips = (uint32_t)sqlite3_column_int64(st, 19);
		vg_inv_dev_t *nd;
		if (vg_inv_restore(inv, d, &nd))
			continue; /* duplicate or full: counted */
		sqlite3_reset(ds);
		sqlite3_bind_int64(ds, 1, d->id);
		while (sqlite3_step(ds) == SQLITE_ROW) {
			vg_inv_dest_t x;
			memset(&x, 0, sizeof x);
			const char *ip = (const char *)sqlite3_column_text(ds, 1);
			if (!ip || vg_ip_parse(ip, strlen(ip), &x.ip))
				continue;
			x.port = (uint16_t)sqlite3_column_int(ds, 2);
			x.proto = (uint8_t)sqlite3_column_int(ds, 3);
			col_str(ds, 4, x.cc, sizeof x.cc);
			char name[128];
			col_str(ds, 5, name, sizeof name);
			x.first_us = (uint64_t)sqlite3_column_int64(ds, 6);
			x.last_us = (uint64_t)sqlite3_column_int64(ds, 7);
			x.flows = (uint64_t)sqlite3_column_int64(ds, 8);
			if (vg_inv_dest_add(inv, nd, &x, name) == VG_ENOMEM) {
				r = VG_ENOMEM;
				break;
			}
		}
	}
	free(d);
	free(evbuf);
	if (!r && rc != SQLITE_DONE)
		r = fail(db, db->db, "cannot read", err, errlen);
	else if (r == VG_ENOMEM)
		snprintf(err, errlen, "%s: out of memory", db->path);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ds);
	return r;
}
