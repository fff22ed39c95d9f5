// SPDX-License-Identifier: Apache-2.0
/*
 * db_coll.c — TAXII collections in the hub's store, each with the feed of
 * the same alias (feeds are what sensors download: the indicator values
 * of the collection visible to the caller).  A collection's seq bumps in
 * the same transaction as every change to its objects, so a feed's ETag
 * can be built from it without reading the objects.
 */
#include "hub/db_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool alias_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return s[0] != '.';
}

static bool uuid_ok(const char *s)
{
	if (!s || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			return false;
		}
	}
	return true;
}

static void uuid4(char out[37])
{
	uint8_t b[16];
	randombytes_buf(b, sizeof b);
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
		 b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
		 b[14], b[15]);
}

int vg_hub_db_collection_add(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *id,
			     const char *alias, const char *title, const char *description)
{
	char u[37];
	if (!alias_ok(alias) || (id && !uuid_ok(id)) || (title && strlen(title) > 255) ||
	    (description && strlen(description) > 4096))
		return VG_EINVAL;
	if (!id) {
		if (sodium_init() < 0)
			return VG_EIO;
		uuid4(u);
		id = u;
	}
	if (db->ops->begin(db))
		return VG_EIO;
	dbv_t p[] = {dbv_text(id), dbv_text(alias), dbv_text(title ? title : alias),
		     dbv_text(description ? description : ""), dbv_int(db_now())};
	int rc = db_exec(db,
			 "INSERT INTO collections (uuid, alias, title, description, created) "
			 "VALUES ($1, $2, $3, $4, $5)",
			 p, 5, NULL, NULL);
	if (!rc) {
		json_t *d = json_pack("{s:s, s:s}", "id", id, "alias", alias);
		char *ds = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(d);
		rc = db_audit_in(db, who, "collection.add", alias, ds);
		free(ds);
	}
	if (rc) {
		db->ops->rollback(db);
		return rc == VG_EAGAIN ? rc : VG_EIO;
	}
	return db->ops->commit(db) ? VG_EIO : 0;
}

static int coll_row(void *ctx, const dbrow_t *r)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", dbrow_text(r, 0), "alias",
			      dbrow_text(r, 1), "title", dbrow_text(r, 2), "description",
			      dbrow_text(r, 3));
	json_array_append_new(ctx, o);
	return 0;
}

int vg_hub_db_collection_list(vg_hub_db_t *db, json_t **out)
{
	json_t *a = json_array();
	if (!a)
		return VG_ENOMEM;
	int rc = db_exec(db,
			 "SELECT uuid, alias, title, description FROM collections ORDER BY id",
			 NULL, 0, coll_row, a);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

typedef struct getctx {
	json_t *o;
	int64_t num;
} getctx_t;

static int coll_get_row(void *ctx, const dbrow_t *r)
{
	getctx_t *g = ctx;
	g->o = json_pack("{s:s, s:s, s:s, s:s}", "id", dbrow_text(r, 0), "alias",
			 dbrow_text(r, 1), "title", dbrow_text(r, 2), "description",
			 dbrow_text(r, 3));
	g->num = dbrow_int(r, 4);
	return 1;
}

int vg_hub_db_collection_get(vg_hub_db_t *db, const char *s, json_t **out, int64_t *num)
{
	getctx_t g = {NULL, 0};
	dbv_t p[] = {dbv_text(s)};
	int rc = db_exec(db,
			 "SELECT uuid, alias, title, description, id FROM collections WHERE uuid = "
			 "$1 OR alias = $1",
			 p, 1, coll_get_row, &g);
	if (rc < 0)
		return rc;
	if (!g.o)
		return VG_ENOTFOUND;
	if (out)
		*out = g.o;
	else
		json_decref(g.o);
	if (num)
		*num = g.num;
	return 0;
}
