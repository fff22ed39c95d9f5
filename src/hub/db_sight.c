// SPDX-License-Identifier: Apache-2.0
/*
 * db_sight.c — sightings in the hub's store: idempotent batch ingest and
 * the /stats figures.
 *
 * Ingest: one transaction per batch.  The batch row (org, batch_id) goes
 * in first with ON CONFLICT DO NOTHING: when it already exists the batch
 * is a retry, nothing is inserted and the first count is returned — so a
 * client retrying after a lost reply never double-counts.  Sightings go in
 * as multi-row prepared INSERTs of 100 rows (then 10, then 1), cached per
 * connection.  Committed before returning 0 (WAL: durable across kill -9).
 *
 * Visibility for statistics: a sighting counts for a viewer when the
 * viewer may see the sighting itself (its TLP, the sighting org as owner)
 * or may see an indicator object with that value — then it contributes
 * counts but never the org's name.  Both through the access function's
 * SQL form (db_acl_sight, db_acl_obj).
 */
#include "hub/db_int.h"

#include "lib/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIGHT_COLS 10

/* insert_sql: the INSERT for k rows (cached per k by the backend). */
static char *insert_sql(size_t k)
{
	vg_buf_t b = VG_BUF_INIT;
	vg_buf_adds(&b, "INSERT INTO sightings (owner_org, sensor, indicator, itype, first_seen, "
			"last_seen, count, device_class, tlp, received) VALUES ");
	for (size_t r = 0; r < k; r++) {
		vg_buf_adds(&b, r ? ", (" : "(");
		for (size_t c = 0; c < SIGHT_COLS; c++)
			vg_buf_addf(&b, "%s$%zu", c ? ", " : "", r * SIGHT_COLS + c + 1);
		vg_buf_addc(&b, ')');
	}
	if (b.oom) {
		vg_buf_release(&b);
		return NULL;
	}
	return b.p;
}

int vg_hub_db_sightings_add(vg_hub_db_t *db, const vg_hub_principal_t *who,
			    const vg_hub_sighting_batch_t *b, vg_hub_sighting_result_t *out)
{
	memset(out, 0, sizeof *out);
	if (!who || !b->batch_id || !b->batch_id[0] || strlen(b->batch_id) > 128)
		return VG_EINVAL;
	int64_t now = db_now();
	if (db->ops->begin(db))
		return VG_EIO;
	dbv_t bp[] = {dbv_int(who->org_id), dbv_text(b->batch_id),
		      dbv_text(b->sensor ? b->sensor : ""), dbv_int((int64_t)b->n), dbv_int(now)};
	int64_t one = 0;
	bool fresh = false;
	int rc = db_one_int(db,
			    "INSERT INTO batches (org_id, batch_id, sensor, accepted, received) "
			    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1",
			    bp, 5, &one, &fresh);
	if (rc)
		goto fail;
	if (!fresh) {
		int64_t acc = 0;
		rc = db_one_int(db,
				"SELECT accepted FROM batches WHERE org_id = $1 AND batch_id = $2",
				bp, 2, &acc, NULL);
		if (rc)
			goto fail;
		db->ops->rollback(db);
		out->duplicate = true;
		out->accepted = (size_t)acc;
		return 0;
	}
	static const size_t chunks[] = {100, 10, 1};
	dbv_t *p = malloc(sizeof(dbv_t) * SIGHT_COLS * 100);
	if (!p) {
		rc = VG_ENOMEM;
		goto fail;
	}
	size_t i = 0;
	for (size_t ci = 0; ci < 3 && !rc; ci++) {
		size_t k = chunks[ci];
		if (b->n - i < k)
			continue;
		char *sql = insert_sql(k);
		if (!sql) {
			rc = VG_ENOMEM;
			break;
		}
		while (b->n - i >= k && !rc) {
			for (size_t r = 0; r < k; r++) {
				const vg_hub_sighting_t *s = &b->v[i + r];
				dbv_t *q = p + r * SIGHT_COLS;
				q[0] = dbv_int(who->org_id);
				q[1] = dbv_text(b->sensor ? b->sensor : "");
				q[2] = dbv_text(s->indicator);
				q[3] = dbv_text(s->type ? s->type : "");
				q[4] = dbv_int(s->first_seen);
				q[5] = dbv_int(s->last_seen);
				q[6] = dbv_int(s->count);
				q[7] = dbv_text(s->device_class ? s->device_class : "unknown");
				q[8] = dbv_int((int64_t)s->tlp);
				q[9] = dbv_int(now);
			}
			rc = db_exec(db, sql, p, (int)(k * SIGHT_COLS), NULL, NULL);
			i += k;
		}
		free(sql);
	}
	free(p);
	if (!rc) {
		char det[200];
		snprintf(det, sizeof det, "{\"accepted\":%zu,\"sensor_batch\":true}", b->n);
		rc = db_audit_in(db, who, "sightings.add", b->batch_id, det);
	}
	if (rc)
		goto fail;
	if (db->ops->commit(db))
		return VG_EIO;
	out->accepted = b->n;
	return 0;
fail:
	db->ops->rollback(db);
	return rc == VG_ENOMEM ? rc : VG_EIO;
}

/* ---- stats ---- */

typedef struct statctx {
	json_t *a;
	int kind;
} statctx_t;

static const char *txt(const dbrow_t *r, int c)
{
	const char *s = dbrow_text(r, c);
	return s ? s : "";
}

static json_t *iso(int64_t t)
{
	char b[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(b);
}

static int stat_row(void *ctx, const dbrow_t *r)
{
	statctx_t *c = ctx;
	json_t *o = NULL;
	switch (c->kind) {
	case 0: {
		char d[16];
		time_t t = (time_t)(dbrow_int(r, 0) * 86400);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(d, sizeof d, "%Y-%m-%d", &tm);
		o = json_pack("{s:s, s:I}", "day", d, "count", (json_int_t)dbrow_int(r, 1));
		break;
	}
	case 1:
		o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:o, s:o}", "indicator", txt(r, 0), "type",
			      txt(r, 1), "sightings", (json_int_t)dbrow_int(r, 2), "orgs",
			      (json_int_t)dbrow_int(r, 3), "provinces", (json_int_t)dbrow_int(r, 4),
			      "first_seen", iso(dbrow_int(r, 5)), "last_seen", iso(dbrow_int(r, 6)));
		break;
	case 2:
		o = json_pack("{s:s, s:I}", "province", txt(r, 0), "count",
			      (json_int_t)dbrow_int(r, 1));
		break;
	case 3:
		o = json_pack("{s:s, s:I}", "device_class", txt(r, 0), "count",
			      (json_int_t)dbrow_int(r, 1));
		break;
	case 4:
		o = json_pack("{s:s, s:s, s:o, s:s, s:I, s:b}", "sensor", txt(r, 0), "org",
			      txt(r, 1), "last_pull", iso(dbrow_int(r, 2)), "feed", txt(r, 3),
			      "seq", (json_int_t)dbrow_int(r, 4), "fresh", dbrow_int(r, 5) != 0);
		break;
	}
	if (!o)
		return VG_ENOMEM;
	json_array_append_new(c->a, o);
	return 0;
}

int vg_hub_db_stats(vg_hub_db_t *db, const vg_hub_principal_t *who, int days, int64_t now,
		    json_t **out)
{
	if (!who || days < 1 || days > 3660)
		return VG_EINVAL;
	char *vis = db_sqlf("(%s OR EXISTS (SELECT 1 FROM obj_values v JOIN objects o ON o.id = "
			    "v.obj_id WHERE v.value = s.indicator AND o.latest = 1 AND %s))",
			    db_acl_sight(), db_acl_obj());
	if (!vis)
		return VG_ENOMEM;
	char *q[5] = {
		db_sqlf("SELECT s.last_seen / 86400 AS d, SUM(s.count) FROM sightings s WHERE "
			"s.last_seen >= $2 AND %s GROUP BY d ORDER BY d",
			vis),
		db_sqlf("SELECT s.indicator, MIN(s.itype), SUM(s.count) AS n, COUNT(DISTINCT "
			"s.owner_org), COUNT(DISTINCT NULLIF(g.province, '')), MIN(s.first_seen), "
			"MAX(s.last_seen) FROM sightings s JOIN orgs g ON g.id = s.owner_org WHERE "
			"s.last_seen >= $2 AND %s GROUP BY s.indicator ORDER BY n DESC, s.indicator "
			"LIMIT 20",
			vis),
		db_sqlf("SELECT g.province AS p, SUM(s.count) AS n FROM sightings s JOIN orgs g ON "
			"g.id = s.owner_org WHERE s.last_seen >= $2 AND g.province <> '' AND %s "
			"GROUP BY g.province ORDER BY n DESC, p",
			vis),
		db_sqlf("SELECT s.device_class AS dc, SUM(s.count) AS n FROM sightings s WHERE "
			"s.last_seen >= $2 AND %s GROUP BY s.device_class ORDER BY n DESC, dc",
			vis),
		db_sqlf("SELECT n.name, g.name, n.last_pull, n.feed, n.seq, CASE WHEN n.seq >= "
			"COALESCE(c.seq, 0) THEN 1 ELSE 0 END FROM sensors n JOIN orgs g ON g.id = "
			"n.org_id LEFT JOIN collections c ON c.alias = n.feed WHERE n.org_id = $1 "
			"AND $2 >= 0 ORDER BY n.name"),
	};
	free(vis);
	static const char *const keys[5] = {"sightings_by_day", "top_indicators", "by_province",
					    "by_device_class", "sensors"};
	json_t *o = json_object();
	int rc = o ? 0 : VG_ENOMEM;
	int64_t since = now / 1000000 > 100000000000LL ? now / 1000000 : now;
	since -= (int64_t)days * 86400;
	for (int i = 0; i < 5; i++) {
		if (!q[i])
			rc = VG_ENOMEM;
		if (rc)
			continue;
		statctx_t c = {json_array(), i};
		dbv_t p[] = {dbv_int(who->org_id), dbv_int(since)};
		rc = db_exec(db, q[i], p, 2, stat_row, &c);
		json_object_set_new(o, keys[i], c.a);
	}
	for (int i = 0; i < 5; i++)
		free(q[i]);
	json_t *feeds = NULL;
	if (!rc)
		rc = vg_hub_db_feed_list(db, &feeds);
	if (rc) {
		json_decref(o);
		json_decref(feeds);
		return rc;
	}
	json_object_set_new(o, "feeds", feeds);
	*out = o;
	return 0;
}
