// SPDX-License-Identifier: Apache-2.0
/*
 * db_feed.c — feeds and sensors in the hub's store.  A feed is the set of
 * indicator values of the latest versions of the indicator objects of the
 * collection with the same alias, filtered by the access function for the
 * caller.  Its seq is the collection's change counter (bumped in the same
 * transaction as each change), so the cheap path (fn NULL: ETag / 304)
 * reads one row.  Sensors record which feed seq they pulled last (upsert),
 * for the freshness view of /stats.
 */
#include "hub/db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int info_row(void *ctx, const dbrow_t *r)
{
	vg_hub_feed_info_t *i = ctx;
	snprintf(i->name, sizeof i->name, "%s", dbrow_text(r, 0));
	i->coll = dbrow_int(r, 1);
	i->seq = dbrow_int(r, 2);
	i->published = dbrow_int(r, 3);
	return 1;
}

typedef struct feedctx {
	int (*fn)(void *ctx, const vg_hub_feed_row_t *row);
	void *ctx;
} feedctx_t;

static int feed_row(void *ctx, const dbrow_t *r)
{
	feedctx_t *f = ctx;
	vg_hub_feed_row_t row = {
		.type = dbrow_text(r, 0),
		.value = dbrow_text(r, 1),
		.tlp = (vg_tlp_t)dbrow_int(r, 2),
		.stix_id = dbrow_text(r, 3),
		.json = dbrow_text(r, 4),
		.owner_org = dbrow_int(r, 5),
	};
	return f->fn(f->ctx, &row);
}

int vg_hub_db_feed_get(vg_hub_db_t *db, const char *name, const vg_hub_principal_t *who,
		       vg_hub_feed_info_t *info,
		       int (*fn)(void *ctx, const vg_hub_feed_row_t *row), void *ctx)
{
	memset(info, 0, sizeof *info);
	dbv_t p[] = {dbv_text(name)};
	int rc = db_exec(db, "SELECT alias, id, seq, published FROM collections WHERE alias = $1",
			 p, 1, info_row, info);
	if (rc < 0)
		return rc;
	if (rc != 1)
		return VG_ENOTFOUND;
	if (!fn)
		return 0;
	if (!who)
		return 0; /* anonymous: nothing visible */
	char *sql = db_sqlf("SELECT v.vtype, v.value, o.tlp, o.stix_id, o.body, o.owner_org FROM "
			    "objects o JOIN obj_values v ON v.obj_id = o.id WHERE o.coll = $2 AND "
			    "o.latest = 1 AND %s ORDER BY o.id, v.vtype, v.value",
			    db_acl_obj());
	if (!sql)
		return VG_ENOMEM;
	feedctx_t f = {fn, ctx};
	dbv_t q[] = {dbv_int(who->org_id), dbv_int(info->coll)};
	rc = db_exec(db, sql, q, 2, feed_row, &f);
	free(sql);
	return rc;
}

static int list_row(void *ctx, const dbrow_t *r)
{
	char b[32];
	time_t t = (time_t)dbrow_int(r, 2);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_array_append_new(ctx, json_pack("{s:s, s:I, s:s}", "name", dbrow_text(r, 0), "seq",
					     (json_int_t)dbrow_int(r, 1), "published", b));
	return 0;
}

int vg_hub_db_feed_list(vg_hub_db_t *db, json_t **out)
{
	json_t *a = json_array();
	if (!a)
		return VG_ENOMEM;
	int rc = db_exec(db, "SELECT alias, seq, published FROM collections ORDER BY alias", NULL,
			 0, list_row, a);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int vg_hub_db_sensor_pull(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *sensor,
			  const char *feed, int64_t seq, int64_t now)
{
	if (!who || !sensor || !sensor[0] || strlen(sensor) > 128 || !feed || strlen(feed) > 63)
		return VG_EINVAL;
	dbv_t p[] = {dbv_int(who->org_id), dbv_text(sensor), dbv_text(feed), dbv_int(seq),
		     dbv_int(now)};
	return db_exec(db,
		       "INSERT INTO sensors (org_id, name, feed, seq, last_pull) VALUES ($1, $2, "
		       "$3, $4, $5) ON CONFLICT (org_id, name) DO UPDATE SET feed = excluded.feed, "
		       "seq = excluded.seq, last_pull = excluded.last_pull",
		       p, 5, NULL, NULL) ? VG_EIO : 0;
}
