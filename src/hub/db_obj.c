// SPDX-License-Identifier: Apache-2.0
/*
 * db_obj.c — STIX objects in the hub's store: adding a validated batch,
 * the TAXII object query (filters, cursor, access function), status
 * resources and the /indicators search with its sightings summary.
 *
 * Ordering invariant: within a collection, object ids (seq) and date_added
 * increase together.  An add transaction first bumps the collection row
 * (UPDATE ... RETURNING last_added), which locks it in PostgreSQL and is
 * under SQLite's single writer anyway, so adds to one collection are
 * serialised and each date_added = max(now, last + 1 µs).  The TAXII
 * cursor is therefore just the last seq returned, and pages are stable.
 *
 * Each stored version carries latest = 1 when no newer version of the same
 * id exists in the collection; feeds, search and match[version]=last use it.
 * The access function is applied inside every query (db_acl_obj), so
 * LIMIT counts only visible rows and lists agree with single reads.
 */
#include "hub/db_int.h"

#include "lib/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int vg_hub_db_objects_add(vg_hub_db_t *db, const vg_hub_principal_t *who, int64_t coll,
			  const vg_hub_obj_in_t *objs, size_t n, int *res)
{
	if (!who)
		return VG_EINVAL;
	if (db->ops->begin(db))
		return VG_EIO;
	int64_t last = 0, now = db_now_us();
	bool found = false;
	dbv_t cp[] = {dbv_int(coll)};
	int rc = db_one_int(db,
			    "UPDATE collections SET seq = seq + 1 WHERE id = $1 RETURNING last_added",
			    cp, 1, &last, &found);
	if (!rc && !found)
		rc = VG_ENOTFOUND;
	size_t added = 0;
	json_t *ids = json_array();
	for (size_t i = 0; i < n && !rc; i++) {
		const vg_hub_obj_in_t *o = &objs[i];
		int64_t date = now > last ? now : last + 1;
		dbv_t p[] = {dbv_int(coll),	     dbv_text(o->stix_id),	dbv_text(o->type),
			     dbv_text(o->version),   dbv_text(o->spec_version), dbv_int(date),
			     dbv_int((int64_t)o->tlp), dbv_int(who->org_id),	dbv_text(o->json)};
		int64_t id = 0;
		bool ins = false;
		rc = db_one_int(db,
				"INSERT INTO objects (coll, stix_id, type, version, spec_version, "
				"date_added, tlp, owner_org, latest, body) VALUES ($1, $2, $3, $4, $5, "
				"$6, $7, $8, 1, $9) ON CONFLICT (coll, stix_id, version) DO NOTHING "
				"RETURNING id",
				p, 9, &id, &ins);
		if (rc)
			break;
		res[i] = ins ? 0 : 1;
		if (!ins)
			continue;
		last = date;
		added++;
		if (json_array_size(ids) < 100)
			json_array_append_new(ids, json_string(o->stix_id));
		/* the newest version of this id keeps latest = 1 */
		dbv_t lp[] = {dbv_int(coll), dbv_text(o->stix_id), dbv_text(o->version),
			      dbv_int(id)};
		int64_t one;
		bool newer = false;
		rc = db_one_int(db,
				"SELECT 1 FROM objects WHERE coll = $1 AND stix_id = $2 AND version > "
				"$3 AND id <> $4",
				lp, 4, &one, &newer);
		if (!rc && newer) {
			dbv_t up[] = {dbv_int(id)};
			rc = db_exec(db, "UPDATE objects SET latest = 0 WHERE id = $1", up, 1, NULL,
				     NULL);
		} else if (!rc) {
			rc = db_exec(db,
				     "UPDATE objects SET latest = 0 WHERE coll = $1 AND stix_id = $2 "
				     "AND version < $3 AND id <> $4 AND latest = 1",
				     lp, 4, NULL, NULL);
		}
		for (size_t k = 0; k < o->n_recipients && !rc; k++) {
			dbv_t rp[] = {dbv_int(id), dbv_int(o->recipients[k].group ? 1 : 0),
				      dbv_int(o->recipients[k].id)};
			rc = db_exec(db,
				     "INSERT INTO obj_recipients (obj_id, is_group, rid) VALUES ($1, "
				     "$2, $3) ON CONFLICT DO NOTHING",
				     rp, 3, NULL, NULL);
		}
		for (size_t k = 0; k < o->n_values && !rc; k++) {
			const char *tv = o->values[k];
			const char *tab = strchr(tv, '\t');
			if (!tab)
				continue;
			char ty[32];
			size_t tn = (size_t)(tab - tv);
			if (tn >= sizeof ty)
				continue;
			memcpy(ty, tv, tn);
			ty[tn] = 0;
			dbv_t vp[] = {dbv_int(id), dbv_text(ty), dbv_text(tab + 1)};
			rc = db_exec(db,
				     "INSERT INTO obj_values (obj_id, vtype, value) VALUES ($1, $2, "
				     "$3) ON CONFLICT DO NOTHING",
				     vp, 3, NULL, NULL);
		}
	}
	if (!rc && added) {
		dbv_t up[] = {dbv_int(coll), dbv_int(last), dbv_int(now / 1000000)};
		rc = db_exec(db,
			     "UPDATE collections SET last_added = $2, published = $3 WHERE id = $1",
			     up, 3, NULL, NULL);
	}
	if (!rc) {
		json_t *d = json_pack("{s:I, s:I, s:I, s:o}", "collection", (json_int_t)coll,
				      "received", (json_int_t)n, "added", (json_int_t)added, "ids",
				      ids);
		ids = NULL;
		char *ds = d ? json_dumps(d, JSON_COMPACT) : NULL;
		json_decref(d);
		rc = db_audit_in(db, who, "objects.add", "collection", ds);
		free(ds);
	}
	json_decref(ids);
	if (rc) {
		db->ops->rollback(db);
		return rc == VG_ENOTFOUND ? rc : VG_EIO;
	}
	return db->ops->commit(db) ? VG_EIO : 0;
}

/* in_list: " AND <col> IN ($k, ...)" for n values starting at parameter
 * *np + 1; the values go to p. */
static void in_list(vg_buf_t *b, const char *col, const char *const *v, size_t n, dbv_t *p,
		    int *np)
{
	if (!n)
		return;
	vg_buf_addf(b, " AND %s IN (", col);
	for (size_t i = 0; i < n; i++) {
		p[*np] = dbv_text(v[i]);
		(*np)++;
		vg_buf_addf(b, "%s$%d", i ? ", " : "", *np);
	}
	vg_buf_addc(b, ')');
}

typedef struct qctx {
	int (*fn)(void *ctx, const vg_hub_obj_row_t *row);
	void *ctx;
	int64_t limit, seen;
	bool more;
} qctx_t;

static int q_row(void *ctx, const dbrow_t *r)
{
	qctx_t *q = ctx;
	if (q->seen >= q->limit) {
		q->more = true;
		return 0;
	}
	q->seen++;
	vg_hub_obj_row_t row = {
		.seq = dbrow_int(r, 0),
		.stix_id = dbrow_text(r, 1),
		.type = dbrow_text(r, 2),
		.version = dbrow_text(r, 3),
		.spec_version = dbrow_text(r, 4),
		.json = dbrow_text(r, 5),
		.date_added_us = dbrow_int(r, 6),
		.tlp = (vg_tlp_t)dbrow_int(r, 7),
		.owner_org = dbrow_int(r, 8),
	};
	return q->fn(q->ctx, &row);
}

#define MAX_MATCH 16

int vg_hub_db_objects_query(vg_hub_db_t *db, const vg_hub_principal_t *who,
			    const vg_hub_obj_query_t *q,
			    int (*fn)(void *ctx, const vg_hub_obj_row_t *row), void *ctx,
			    bool *more)
{
	*more = false;
	if (!who)
		return 0;
	if (q->n_match_id > MAX_MATCH || q->n_match_type > MAX_MATCH ||
	    q->n_match_spec > MAX_MATCH || q->n_match_version > MAX_MATCH || q->limit < 1)
		return VG_EINVAL;
	dbv_t p[5 + 4 * MAX_MATCH];
	int np = 0;
	p[np++] = dbv_int(who->org_id);
	p[np++] = dbv_int(q->coll);
	p[np++] = dbv_int(q->after_seq);
	p[np++] = dbv_int(q->added_after_us);
	p[np++] = dbv_int(q->limit + 1);
	vg_buf_t b = VG_BUF_INIT;
	vg_buf_adds(&b, "SELECT o.id, o.stix_id, o.type, o.version, o.spec_version, o.body, "
			"o.date_added, o.tlp, o.owner_org FROM objects o WHERE o.coll = $2 AND "
			"o.id > $3 AND o.date_added > $4");
	in_list(&b, "o.stix_id", q->match_id, q->n_match_id, p, &np);
	in_list(&b, "o.type", q->match_type, q->n_match_type, p, &np);
	in_list(&b, "o.spec_version", q->match_spec, q->n_match_spec, p, &np);
	/* versions: OR of "last", "first", "all", or explicit versions */
	bool all = false, last = q->n_match_version == 0, first = false;
	const char *vers[MAX_MATCH];
	size_t nv = 0;
	for (size_t i = 0; i < q->n_match_version; i++) {
		const char *v = q->match_version[i];
		if (strcmp(v, "all") == 0)
			all = true;
		else if (strcmp(v, "last") == 0)
			last = true;
		else if (strcmp(v, "first") == 0)
			first = true;
		else
			vers[nv++] = v;
	}
	if (!all) {
		vg_buf_adds(&b, " AND (1 = 0");
		if (last)
			vg_buf_adds(&b, " OR o.latest = 1");
		if (first)
			vg_buf_adds(&b, " OR NOT EXISTS (SELECT 1 FROM objects o2 WHERE o2.coll = "
					"o.coll AND o2.stix_id = o.stix_id AND o2.version < o.version)");
		if (nv) {
			vg_buf_adds(&b, " OR (1 = 1");
			in_list(&b, "o.version", vers, nv, p, &np);
			vg_buf_addc(&b, ')');
		}
		vg_buf_addc(&b, ')');
	}
	vg_buf_addf(&b, " AND %s ORDER BY o.id LIMIT $5", db_acl_obj());
	if (b.oom) {
		vg_buf_release(&b);
		return VG_ENOMEM;
	}
	qctx_t c = {fn, ctx, q->limit, 0, false};
	int rc = db_exec(db, b.p, p, np, q_row, &c);
	vg_buf_release(&b);
	*more = c.more;
	return rc;
}

int vg_hub_db_status_put(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *id,
			 const char *json)
{
	dbv_t p[] = {dbv_text(id), dbv_int(who ? who->org_id : 0), dbv_int(db_now()),
		     dbv_text(json)};
	return db_exec(db, "INSERT INTO statuses (id, org_id, created, body) VALUES ($1, $2, $3, $4)",
		       p, 4, NULL, NULL)
		       ? VG_EIO
		       : 0;
}

static int str_row(void *ctx, const dbrow_t *r)
{
	char **s = ctx;
	*s = strdup(dbrow_text(r, 0) ? dbrow_text(r, 0) : "");
	return 1;
}

int vg_hub_db_status_get(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *id,
			 char **json)
{
	*json = NULL;
	if (!who)
		return VG_ENOTFOUND;
	dbv_t p[] = {dbv_text(id), dbv_int(who->org_id)};
	int rc = db_exec(db, "SELECT body FROM statuses WHERE id = $1 AND org_id = $2", p, 2,
			 str_row, json);
	if (rc < 0)
		return rc;
	if (!*json)
		return rc == 1 ? VG_ENOMEM : VG_ENOTFOUND;
	return 0;
}

/* ---- /indicators ---- */

static json_t *iso_s(int64_t t)
{
	char b[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(b);
}

static int ind_row(void *ctx, const dbrow_t *r)
{
	json_t *a = ctx;
	json_t *obj = json_loads(dbrow_text(r, 5) ? dbrow_text(r, 5) : "null", 0, NULL);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", dbrow_text(r, 1), "collection",
			      dbrow_text(r, 2), "tlp", vg_tlp_name((vg_tlp_t)dbrow_int(r, 3)),
			      "owner", dbrow_text(r, 4), "object", obj ? obj : json_null());
	json_array_append_new(a, o);
	return 0;
}

typedef struct srow {
	int64_t org, count, first, last;
	vg_tlp_t tlp;
	char name[128], province[64];
} srow_t;

typedef struct sctx {
	srow_t *v;
	size_t n, cap;
} sctx_t;

static int sight_row(void *ctx, const dbrow_t *r)
{
	sctx_t *c = ctx;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		srow_t *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return VG_ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	srow_t *s = &c->v[c->n++];
	s->org = dbrow_int(r, 0);
	snprintf(s->name, sizeof s->name, "%s", dbrow_text(r, 1) ? dbrow_text(r, 1) : "");
	snprintf(s->province, sizeof s->province, "%s", dbrow_text(r, 2) ? dbrow_text(r, 2) : "");
	s->tlp = (vg_tlp_t)dbrow_int(r, 3);
	s->count = dbrow_int(r, 4);
	s->first = dbrow_int(r, 5);
	s->last = dbrow_int(r, 6);
	return 0;
}

typedef struct relv {
	int64_t v[VG_HUB_MAX_REL];
	size_t n;
} relv_t;

static int rel_row(void *ctx, const dbrow_t *r)
{
	relv_t *c = ctx;
	if (c->n < VG_HUB_MAX_REL)
		c->v[c->n++] = dbrow_int(r, 0);
	return 0;
}

/* summary: the sightings summary of value for who. */
static int summary(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *value,
		   json_t **out)
{
	sctx_t c = {NULL, 0, 0};
	dbv_t p[] = {dbv_text(value)};
	int rc = db_exec(db,
			 "SELECT s.owner_org, g.name, g.province, s.tlp, SUM(s.count), "
			 "MIN(s.first_seen), MAX(s.last_seen) FROM sightings s JOIN orgs g ON g.id "
			 "= s.owner_org WHERE s.indicator = $1 GROUP BY s.owner_org, g.name, "
			 "g.province, s.tlp ORDER BY g.name, s.tlp",
			 p, 1, sight_row, &c);
	if (rc) {
		free(c.v);
		return rc;
	}
	int64_t total = 0, first = 0, last = 0;
	size_t norgs = 0, nprov = 0;
	json_t *by = json_array();
	for (size_t i = 0; i < c.n; i++) {
		srow_t *s = &c.v[i];
		total += s->count;
		if (!first || s->first < first)
			first = s->first;
		if (s->last > last)
			last = s->last;
		bool new_org = true, new_prov = s->province[0] != 0;
		for (size_t k = 0; k < i; k++) {
			if (c.v[k].org == s->org)
				new_org = false;
			if (strcmp(c.v[k].province, s->province) == 0)
				new_prov = false;
		}
		norgs += new_org;
		nprov += new_prov;
		/* the org's name only where the sighting's TLP lets who see it */
		relv_t comm = {{0}, 0};
		dbv_t cp[] = {dbv_int(s->org)};
		if (s->tlp == VG_TLP_GREEN)
			db_exec(db, "SELECT community_id FROM org_communities WHERE org_id = $1", cp,
				1, rel_row, &comm);
		vg_hub_obj_acl_t acl = {s->tlp, s->org, comm.v, comm.n, NULL, 0};
		if (vg_hub_can_see(who, &acl))
			json_array_append_new(
				by, json_pack("{s:s, s:s, s:s, s:I, s:o, s:o}", "org", s->name,
					      "province", s->province, "tlp", vg_tlp_name(s->tlp),
					      "count", (json_int_t)s->count, "first_seen",
					      iso_s(s->first), "last_seen", iso_s(s->last)));
	}
	free(c.v);
	*out = json_pack("{s:I, s:I, s:I, s:o, s:o, s:o}", "orgs", (json_int_t)norgs, "provinces",
			 (json_int_t)nprov, "count", (json_int_t)total, "first_seen",
			 first ? iso_s(first) : json_null(), "last_seen",
			 last ? iso_s(last) : json_null(), "by_org", by);
	return *out ? 0 : VG_ENOMEM;
}

int vg_hub_db_indicators(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *value,
			 int64_t limit, json_t **out)
{
	if (!who || !value || limit < 1)
		return VG_EINVAL;
	/* the canonical form of the value, as the STIX reader stored it */
	char canon[2100];
	const char *v2 = value;
	vg_ind_t ind;
	const char *why;
	size_t vn = strlen(value);
	if (vn < 2048 && vg_ind_parse(value, vn, VG_IND_NONE, &ind, &why) == 0) {
		vg_ind_format(&ind, canon, sizeof canon);
		v2 = canon;
	}
	char *sql = db_sqlf("SELECT o.id, o.stix_id, c.uuid, o.tlp, g.name, o.body FROM objects o "
			    "JOIN collections c ON c.id = o.coll JOIN orgs g ON g.id = o.owner_org "
			    "WHERE o.latest = 1 AND o.id IN (SELECT v.obj_id FROM obj_values v "
			    "WHERE v.value = $2 OR v.value = $3) AND %s ORDER BY o.id LIMIT $4",
			    db_acl_obj());
	if (!sql)
		return VG_ENOMEM;
	json_t *a = json_array();
	dbv_t p[] = {dbv_int(who->org_id), dbv_text(value), dbv_text(v2), dbv_int(limit)};
	int rc = db_exec(db, sql, p, 4, ind_row, a);
	free(sql);
	json_t *sum = NULL;
	if (!rc && json_array_size(a)) {
		rc = summary(db, who, v2, &sum);
		if (!rc && strcmp(v2, value) != 0) {
			/* sightings stored under the raw spelling count too */
			json_t *s2 = NULL;
			if (summary(db, who, value, &s2) == 0 &&
			    json_integer_value(json_object_get(s2, "count")) >
				    json_integer_value(json_object_get(sum, "count"))) {
				json_decref(sum);
				sum = s2;
			} else {
				json_decref(s2);
			}
		}
	}
	if (rc) {
		json_decref(a);
		json_decref(sum);
		return rc;
	}
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o) json_object_set(o, "sightings", sum);
	json_decref(sum);
	*out = json_pack("{s:s, s:o}", "value", v2, "indicators", a);
	return *out ? 0 : VG_ENOMEM;
}
