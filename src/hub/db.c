// SPDX-License-Identifier: Apache-2.0
/*
 * db.c — the hub's store, backend-neutral part: opening (url -> backend,
 * migrations), row accessors, the audit log, organisations, communities,
 * sharing groups, API tokens and authentication (token -> principal).
 *
 * Tokens: "vgt_" + base64url(32 random bytes from libsodium); the table
 * keeps only hex(SHA-256(token text)), so a stolen database yields no
 * usable token.  Authentication is one indexed lookup by that hash, then
 * revocation, expiry and the source allowlist (CIDRs) are checked, and the
 * org's relations (ancestors, groups, communities) are loaded into the
 * principal for the access function.
 *
 * Every write runs in a transaction together with its audit row.
 * One connection = one thread at a time (db.h).
 */
#include "hub/db_int.h"

#include "lib/buf.h"

#include <libpq-fe.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

int64_t db_now(void)
{
	return (int64_t)time(NULL);
}

int64_t db_now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* ---- SQL text ---- */

static char acl_o[4096], acl_s[4096];
static pthread_once_t acl_once = PTHREAD_ONCE_INIT;

static void acl_init(void)
{
	vg_hub_acl_sql("o", "obj_recipients", 1, acl_o, sizeof acl_o);
	vg_hub_acl_sql("s", "no_recipients", 1, acl_s, sizeof acl_s);
}

const char *db_acl_obj(void)
{
	pthread_once(&acl_once, acl_init);
	return acl_o;
}

const char *db_acl_sight(void)
{
	pthread_once(&acl_once, acl_init);
	return acl_s;
}

char *db_sqlf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* ---- rows ---- */

int64_t dbrow_int(const dbrow_t *r, int col)
{
	if (r->pg) {
		if (PQgetisnull(r->res, r->row, col))
			return 0;
		return strtoll(PQgetvalue(r->res, r->row, col), NULL, 10);
	}
	return sqlite3_column_int64(r->st, col);
}

const char *dbrow_text(const dbrow_t *r, int col)
{
	if (r->pg)
		return PQgetisnull(r->res, r->row, col) ? NULL : PQgetvalue(r->res, r->row, col);
	return (const char *)sqlite3_column_text(r->st, col);
}

bool dbrow_null(const dbrow_t *r, int col)
{
	if (r->pg)
		return PQgetisnull(r->res, r->row, col);
	return sqlite3_column_type(r->st, col) == SQLITE_NULL;
}

static int one_int_cb(void *ctx, const dbrow_t *r)
{
	int64_t *v = ctx;
	*v = dbrow_int(r, 0);
	return 1;
}

int db_one_int(vg_hub_db_t *db, const char *sql, const dbv_t *p, int np, int64_t *v,
	       bool *found)
{
	int64_t x = 0;
	int rc = db_exec(db, sql, p, np, one_int_cb, &x);
	if (rc == 1) {
		*v = x;
		if (found)
			*found = true;
		return 0;
	}
	if (found)
		*found = false;
	return rc;
}

/* ---- open ---- */

int vg_hub_db_open(const char *url, vg_hub_db_t **out, char *err, size_t errn)
{
	*out = NULL;
	if (!url)
		return VG_EINVAL;
	vg_hub_db_t *db = calloc(1, sizeof *db);
	if (!db)
		return VG_ENOMEM;
	int rc;
	if (strncmp(url, "sqlite:", 7) == 0 && url[7]) {
		rc = db_sqlite_open(db, url + 7);
	} else if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		rc = db_pg_open(db, url);
	} else {
		if (err)
			snprintf(err, errn, "unknown database url (want sqlite:FILE or "
					    "postgresql://...)");
		free(db);
		return VG_EINVAL;
	}
	if (!rc)
		rc = db_migrate(db);
	if (rc) {
		if (err)
			snprintf(err, errn, "%s", db->err[0] ? db->err : vg_strerror(rc));
		if (db->ops && db->h)
			db->ops->close(db);
		free(db);
		return rc == VG_EVERSION || rc == VG_ECORRUPT || rc == VG_ENOMEM ? rc : VG_EIO;
	}
	*out = db;
	return 0;
}

void vg_hub_db_close(vg_hub_db_t *db)
{
	if (!db)
		return;
	db->ops->close(db);
	free(db);
}

const char *vg_hub_db_backend(const vg_hub_db_t *db)
{
	return db->ops->name;
}

const char *vg_hub_db_errmsg(const vg_hub_db_t *db)
{
	return db->err;
}

int vg_hub_db_schema_version(vg_hub_db_t *db, int *version)
{
	int64_t v = 0;
	int rc = db_one_int(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version", NULL, 0,
			    &v, NULL);
	*version = (int)v;
	return rc;
}

/* ---- audit ---- */

int db_audit_in(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *action,
		const char *object, const char *detail)
{
	dbv_t p[] = {
		dbv_int(db_now_us()),
		who ? dbv_int(who->org_id) : dbv_null(),
		dbv_text(who ? who->org_name : "local-cli"),
		dbv_text(who ? who->user : ""),
		who ? dbv_int(who->token_id) : dbv_null(),
		dbv_text(who ? who->peer : "local"),
		dbv_text(action),
		dbv_text(object),
		dbv_text(detail),
	};
	return db_exec(db,
		       "INSERT INTO audit (ts, org_id, org_name, user_name, token_id, peer, action, "
		       "object, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		       p, 9, NULL, NULL);
}

int vg_hub_db_audit(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *action,
		    const char *object, const char *detail)
{
	return db_audit_in(db, who, action, object, detail);
}

static int audit_row(void *ctx, const dbrow_t *r)
{
	json_t *a = ctx;
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(dbrow_int(r, 0)));
	json_object_set_new(o, "time_us", json_integer(dbrow_int(r, 1)));
	json_object_set_new(o, "org", dbrow_null(r, 2) ? json_null() : json_string(dbrow_text(r, 2)));
	json_object_set_new(o, "user", json_string(dbrow_text(r, 3) ? dbrow_text(r, 3) : ""));
	json_object_set_new(o, "token",
			    dbrow_null(r, 4) ? json_null() : json_integer(dbrow_int(r, 4)));
	json_object_set_new(o, "peer", json_string(dbrow_text(r, 5) ? dbrow_text(r, 5) : ""));
	json_object_set_new(o, "action", json_string(dbrow_text(r, 6)));
	json_object_set_new(o, "object", json_string(dbrow_text(r, 7) ? dbrow_text(r, 7) : ""));
	const char *d = dbrow_text(r, 8);
	json_t *dj = d ? json_loads(d, 0, NULL) : NULL;
	json_object_set_new(o, "detail", dj ? dj : (d ? json_string(d) : json_null()));
	json_array_append_new(a, o);
	return 0;
}

int vg_hub_db_audit_list(vg_hub_db_t *db, int64_t after, int64_t limit, json_t **out)
{
	json_t *a = json_array();
	if (!a)
		return VG_ENOMEM;
	dbv_t p[] = {dbv_int(after), dbv_int(limit)};
	int rc = db_exec(db,
			 "SELECT id, ts, org_name, user_name, token_id, peer, action, object, detail "
			 "FROM audit WHERE id > $1 ORDER BY id LIMIT $2",
			 p, 2, audit_row, a);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* ---- organisations ---- */

static bool name_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static int id_by_name(vg_hub_db_t *db, const char *sql, const char *name, int64_t *id)
{
	dbv_t p[] = {dbv_text(name)};
	bool found = false;
	int rc = db_one_int(db, sql, p, 1, id, &found);
	if (rc)
		return rc;
	return found ? 0 : VG_ENOTFOUND;
}

int vg_hub_db_org_id(vg_hub_db_t *db, const char *name, int64_t *id)
{
	return id_by_name(db, "SELECT id FROM orgs WHERE name = $1", name, id);
}

int vg_hub_db_group_id(vg_hub_db_t *db, const char *name, int64_t *id)
{
	return id_by_name(db, "SELECT id FROM sgroups WHERE name = $1", name, id);
}

/* rebuild_closure: org_closure from orgs.parent_id (orgs are few). */
static int rebuild_closure(vg_hub_db_t *db)
{
	int rc = db_exec(db, "DELETE FROM org_closure", NULL, 0, NULL, NULL);
	if (!rc)
		rc = db_exec(db,
			     "INSERT INTO org_closure (org_id, anc_id) WITH RECURSIVE c(org_id, "
			     "anc_id, depth) AS (SELECT id, id, 0 FROM orgs UNION ALL SELECT "
			     "c.org_id, o.parent_id, c.depth + 1 FROM c JOIN orgs o ON o.id = "
			     "c.anc_id WHERE o.parent_id IS NOT NULL AND c.depth < 64) SELECT "
			     "DISTINCT org_id, anc_id FROM c",
			     NULL, 0, NULL, NULL);
	return rc;
}

int vg_hub_db_org_add(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *name,
		      const char *parent, const char *province, const char *const *communities,
		      size_t nc, int64_t *id)
{
	if (!name_ok(name, 127) || (province && strlen(province) > 63))
		return VG_EINVAL;
	for (size_t i = 0; i < nc; i++)
		if (!name_ok(communities[i], 127))
			return VG_EINVAL;
	int rc = db->ops->begin(db);
	if (rc)
		return VG_EIO;
	int64_t pid = 0, oid = 0;
	if (parent && parent[0]) {
		rc = vg_hub_db_org_id(db, parent, &pid);
		if (rc)
			goto fail;
	}
	dbv_t p[] = {dbv_text(name), pid ? dbv_int(pid) : dbv_null(),
		     dbv_text(province ? province : ""), dbv_int(db_now())};
	bool found = false;
	rc = db_one_int(db,
			"INSERT INTO orgs (name, parent_id, province, created) VALUES ($1, $2, $3, "
			"$4) RETURNING id",
			p, 4, &oid, &found);
	if (rc)
		goto fail;
	static const char *const deflt[] = {"default"};
	if (nc == 0) {
		communities = deflt;
		nc = 1;
	}
	for (size_t i = 0; i < nc; i++) {
		dbv_t c[] = {dbv_text(communities[i])};
		rc = db_exec(db, "INSERT INTO communities (name) VALUES ($1) ON CONFLICT DO NOTHING",
			     c, 1, NULL, NULL);
		if (rc)
			goto fail;
		dbv_t m[] = {dbv_int(oid), dbv_text(communities[i])};
		rc = db_exec(db,
			     "INSERT INTO org_communities (org_id, community_id) SELECT $1, id FROM "
			     "communities WHERE name = $2 ON CONFLICT DO NOTHING",
			     m, 2, NULL, NULL);
		if (rc)
			goto fail;
	}
	rc = rebuild_closure(db);
	if (rc)
		goto fail;
	json_t *d = json_pack("{s:s, s:s?, s:s}", "name", name, "parent", pid ? parent : NULL,
			      "province", province ? province : "");
	char *ds = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(d);
	rc = db_audit_in(db, who, "org.add", name, ds);
	free(ds);
	if (rc)
		goto fail;
	if (db->ops->commit(db))
		return VG_EIO;
	if (id)
		*id = oid;
	return 0;
fail:
	db->ops->rollback(db);
	return rc == VG_ENOTFOUND || rc == VG_EAGAIN || rc == VG_ENOMEM ? rc : VG_EIO;
}

static int org_row(void *ctx, const dbrow_t *r)
{
	json_t *a = ctx;
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(dbrow_int(r, 0)));
	json_object_set_new(o, "name", json_string(dbrow_text(r, 1)));
	json_object_set_new(o, "parent",
			    dbrow_null(r, 2) ? json_null() : json_string(dbrow_text(r, 2)));
	json_object_set_new(o, "province", json_string(dbrow_text(r, 3) ? dbrow_text(r, 3) : ""));
	json_t *cs = json_array();
	const char *c = dbrow_text(r, 4);
	while (c && *c) {
		size_t n = strcspn(c, "\n");
		json_array_append_new(cs, json_stringn(c, n));
		c += n;
		if (*c)
			c++;
	}
	json_object_set_new(o, "communities", cs);
	json_array_append_new(a, o);
	return 0;
}

int vg_hub_db_org_list(vg_hub_db_t *db, json_t **out)
{
	json_t *a = json_array();
	if (!a)
		return VG_ENOMEM;
	/* communities joined with '\n' (names have no control characters) */
	int rc = db_exec(db,
			 db->pg ? "SELECT o.id, o.name, p.name, o.province, (SELECT "
				  "string_agg(c.name, chr(10) ORDER BY c.name) FROM "
				  "org_communities oc JOIN communities c ON c.id = "
				  "oc.community_id WHERE oc.org_id = o.id) FROM orgs o LEFT JOIN "
				  "orgs p ON p.id = o.parent_id ORDER BY o.id"
				: "SELECT o.id, o.name, p.name, o.province, (SELECT "
				  "group_concat(name, char(10)) FROM (SELECT c.name FROM "
				  "org_communities oc JOIN communities c ON c.id = "
				  "oc.community_id WHERE oc.org_id = o.id ORDER BY c.name)) FROM "
				  "orgs o LEFT JOIN orgs p ON p.id = o.parent_id ORDER BY o.id",
			 NULL, 0, org_row, a);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* ---- groups ---- */

int vg_hub_db_group_add(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *name,
			int64_t *id)
{
	if (!name_ok(name, 127))
		return VG_EINVAL;
	if (db->ops->begin(db))
		return VG_EIO;
	dbv_t p[] = {dbv_text(name), dbv_int(db_now())};
	int64_t gid = 0;
	int rc = db_one_int(db, "INSERT INTO sgroups (name, created) VALUES ($1, $2) RETURNING id",
			    p, 2, &gid, NULL);
	if (!rc)
		rc = db_audit_in(db, who, "group.add", name, NULL);
	if (rc) {
		db->ops->rollback(db);
		return rc == VG_EAGAIN ? rc : VG_EIO;
	}
	if (db->ops->commit(db))
		return VG_EIO;
	if (id)
		*id = gid;
	return 0;
}

int vg_hub_db_group_member(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *group,
			   const char *org, bool add)
{
	if (db->ops->begin(db))
		return VG_EIO;
	int64_t gid, oid;
	int rc = vg_hub_db_group_id(db, group, &gid);
	if (!rc)
		rc = vg_hub_db_org_id(db, org, &oid);
	if (!rc) {
		dbv_t p[] = {dbv_int(gid), dbv_int(oid)};
		int64_t n = 0;
		bool found = false;
		rc = db_one_int(db,
				add ? "INSERT INTO group_members (group_id, org_id) VALUES ($1, $2) "
				      "ON CONFLICT DO NOTHING RETURNING 1"
				    : "DELETE FROM group_members WHERE group_id = $1 AND org_id = "
				      "$2 RETURNING 1",
				p, 2, &n, &found);
		if (!rc && !found && !add)
			rc = VG_ENOTFOUND;
	}
	if (!rc) {
		json_t *d = json_pack("{s:s}", "org", org);
		char *ds = d ? json_dumps(d, JSON_COMPACT) : NULL;
		json_decref(d);
		rc = db_audit_in(db, who, add ? "group.member.add" : "group.member.remove", group,
				 ds);
		free(ds);
	}
	if (rc) {
		db->ops->rollback(db);
		return rc == VG_ENOTFOUND ? rc : VG_EIO;
	}
	return db->ops->commit(db) ? VG_EIO : 0;
}

static int group_row(void *ctx, const dbrow_t *r)
{
	json_t *a = ctx;
	const char *g = dbrow_text(r, 1);
	json_t *last = json_array_size(a) ? json_array_get(a, json_array_size(a) - 1) : NULL;
	if (!last || json_integer_value(json_object_get(last, "id")) != dbrow_int(r, 0)) {
		last = json_pack("{s:I, s:s, s:[]}", "id", (json_int_t)dbrow_int(r, 0), "name", g,
				 "members");
		json_array_append_new(a, last);
	}
	if (!dbrow_null(r, 2))
		json_array_append_new(json_object_get(last, "members"),
				      json_string(dbrow_text(r, 2)));
	return 0;
}

int vg_hub_db_group_list(vg_hub_db_t *db, json_t **out)
{
	json_t *a = json_array();
	if (!a)
		return VG_ENOMEM;
	int rc = db_exec(db,
			 "SELECT g.id, g.name, o.name FROM sgroups g LEFT JOIN group_members m ON "
			 "m.group_id = g.id LEFT JOIN orgs o ON o.id = m.org_id ORDER BY g.id, "
			 "o.name",
			 NULL, 0, group_row, a);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* ---- tokens ---- */

static void token_hash(const char *tok, char hex[65])
{
	uint8_t h[32];
	SHA256((const unsigned char *)tok, strlen(tok), h);
	sodium_bin2hex(hex, 65, h, 32);
}

/* allow_ok: every element of a comma-separated allowlist parses. */
static bool allow_match(const char *allow, const vg_ip_t *peer, bool *bad)
{
	*bad = false;
	bool any = false;
	const char *s = allow;
	while (s && *s) {
		size_t n = strcspn(s, ",");
		const char *e = s + n;
		while (n && (*s == ' '))
			s++, n--;
		while (n && s[n - 1] == ' ')
			n--;
		if (n) {
			const char *sl = memchr(s, '/', n);
			size_t an = sl ? (size_t)(sl - s) : n;
			vg_ip_t net;
			unsigned pfx;
			if (an == 0 || vg_ip_parse(s, an, &net)) {
				*bad = true;
				return false;
			}
			bool v4 = vg_ip_is4(&net);
			pfx = 128;
			if (sl) {
				unsigned v = 0;
				size_t k = an + 1;
				if (k >= n) {
					*bad = true;
					return false;
				}
				for (; k < n; k++) {
					if (s[k] < '0' || s[k] > '9' || v > 128) {
						*bad = true;
						return false;
					}
					v = v * 10 + (unsigned)(s[k] - '0');
				}
				if (v > (v4 ? 32u : 128u)) {
					*bad = true;
					return false;
				}
				pfx = v4 ? v + 96 : v;
			}
			if (peer) {
				bool ok = true;
				for (unsigned b = 0; b < pfx && ok; b++) {
					unsigned m = 0x80u >> (b % 8);
					if ((net.a[b / 8] & m) != (peer->a[b / 8] & m))
						ok = false;
				}
				any = any || ok;
			}
		}
		s = *e ? e + 1 : e;
	}
	return any;
}

int vg_hub_db_token_create(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *org,
			   const char *user, vg_hub_role_t role, int64_t expires,
			   const char *allow, char *token, int64_t *id)
{
	bool bad;
	if (!vg_hub_role_name(role)[0] || (user && strlen(user) > 127))
		return VG_EINVAL;
	if (allow && *allow) {
		allow_match(allow, NULL, &bad);
		if (bad || strlen(allow) > 1000)
			return VG_EINVAL;
	}
	if (sodium_init() < 0)
		return VG_EIO;
	uint8_t rnd[32];
	randombytes_buf(rnd, sizeof rnd);
	char tok[VG_HUB_TOKEN_LEN + 1] = "vgt_";
	sodium_bin2base64(tok + 4, sizeof tok - 4, rnd, sizeof rnd,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(rnd, sizeof rnd);
	char hex[65];
	token_hash(tok, hex);
	if (db->ops->begin(db))
		return VG_EIO;
	int64_t oid = 0, tid = 0;
	int rc = vg_hub_db_org_id(db, org, &oid);
	if (!rc) {
		dbv_t p[] = {dbv_text(hex),		dbv_int(oid),
			     dbv_text(user ? user : ""), dbv_text(vg_hub_role_name(role)),
			     dbv_int(db_now()),		dbv_int(expires),
			     dbv_text(allow ? allow : "")};
		rc = db_one_int(db,
				"INSERT INTO tokens (hash, org_id, user_name, role, created, expires, "
				"allow) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
				p, 7, &tid, NULL);
	}
	if (!rc) {
		char obj[32];
		snprintf(obj, sizeof obj, "token:%lld", (long long)tid);
		json_t *d = json_pack("{s:s, s:s, s:s, s:I, s:s}", "org", org, "user",
				      user ? user : "", "role", vg_hub_role_name(role), "expires",
				      (json_int_t)expires, "allow", allow ? allow : "");
		char *ds = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(d);
		rc = db_audit_in(db, who, "token.create", obj, ds);
		free(ds);
	}
	if (rc) {
		db->ops->rollback(db);
		return rc == VG_ENOTFOUND ? rc : VG_EIO;
	}
	if (db->ops->commit(db))
		return VG_EIO;
	memcpy(token, tok, sizeof tok);
	sodium_memzero(tok, sizeof tok);
	if (id)
		*id = tid;
	return 0;
}

int vg_hub_db_token_revoke(vg_hub_db_t *db, const vg_hub_principal_t *who, int64_t id)
{
	if (db->ops->begin(db))
		return VG_EIO;
	dbv_t p[] = {dbv_int(db_now()), dbv_int(id)};
	bool found = false;
	int64_t x;
	int rc = db_one_int(db,
			    "UPDATE tokens SET revoked = $1 WHERE id = $2 AND revoked = 0 "
			    "RETURNING id",
			    p, 2, &x, &found);
	if (!rc && !found)
		rc = VG_ENOTFOUND;
	if (!rc) {
		char obj[32];
		snprintf(obj, sizeof obj, "token:%lld", (long long)id);
		rc = db_audit_in(db, who, "token.revoke", obj, NULL);
	}
	if (rc) {
		db->ops->rollback(db);
		return rc == VG_ENOTFOUND ? rc : VG_EIO;
	}
	return db->ops->commit(db) ? VG_EIO : 0;
}

static int token_row(void *ctx, const dbrow_t *r)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:I}", "id",
			      (json_int_t)dbrow_int(r, 0), "org", dbrow_text(r, 1), "user",
			      dbrow_text(r, 2), "role", dbrow_text(r, 3), "created",
			      (json_int_t)dbrow_int(r, 4), "expires", (json_int_t)dbrow_int(r, 5),
			      "allow", dbrow_text(r, 6), "revoked", (json_int_t)dbrow_int(r, 7),
			      "last_used", (json_int_t)dbrow_int(r, 8));
	json_array_append_new(ctx, o);
	return 0;
}

int vg_hub_db_token_list(vg_hub_db_t *db, json_t **out)
{
	json_t *a = json_array();
	if (!a)
		return VG_ENOMEM;
	int rc = db_exec(db,
			 "SELECT t.id, o.name, t.user_name, t.role, t.created, t.expires, t.allow, "
			 "t.revoked, t.last_used FROM tokens t JOIN orgs o ON o.id = t.org_id ORDER "
			 "BY t.id",
			 NULL, 0, token_row, a);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* ---- principals ---- */

typedef struct relctx {
	int64_t *v;
	size_t *n;
	bool over;
} relctx_t;

static int rel_row(void *ctx, const dbrow_t *r)
{
	relctx_t *c = ctx;
	if (*c->n >= VG_HUB_MAX_REL) {
		c->over = true;
		return 1;
	}
	c->v[(*c->n)++] = dbrow_int(r, 0);
	return 0;
}

static int load_rel(vg_hub_db_t *db, const char *sql, int64_t org, int64_t *v, size_t *n)
{
	relctx_t c = {v, n, false};
	*n = 0;
	dbv_t p[] = {dbv_int(org)};
	int rc = db_exec(db, sql, p, 1, rel_row, &c);
	if (c.over)
		return VG_ELIMIT;
	return rc;
}

typedef struct orgrow {
	vg_hub_principal_t *p;
	bool found;
} orgrow_t;

static int org_one(void *ctx, const dbrow_t *r)
{
	orgrow_t *c = ctx;
	snprintf(c->p->org_name, sizeof c->p->org_name, "%s", dbrow_text(r, 0));
	snprintf(c->p->province, sizeof c->p->province, "%s",
		 dbrow_text(r, 1) ? dbrow_text(r, 1) : "");
	c->found = true;
	return 1;
}

static int load_relations(vg_hub_db_t *db, vg_hub_principal_t *p)
{
	orgrow_t oc = {p, false};
	dbv_t q[] = {dbv_int(p->org_id)};
	int rc = db_exec(db, "SELECT name, province FROM orgs WHERE id = $1", q, 1, org_one, &oc);
	if (rc < 0)
		return rc;
	if (!oc.found)
		return VG_ENOTFOUND;
	rc = load_rel(db,
		      "SELECT anc_id FROM org_closure WHERE org_id = $1 AND anc_id <> $1 ORDER BY "
		      "anc_id",
		      p->org_id, p->ancestors, &p->n_ancestors);
	if (!rc)
		rc = load_rel(db,
			      "SELECT group_id FROM group_members WHERE org_id = $1 ORDER BY "
			      "group_id",
			      p->org_id, p->groups, &p->n_groups);
	if (!rc)
		rc = load_rel(db,
			      "SELECT DISTINCT g.group_id FROM group_members g JOIN org_closure c "
			      "ON c.anc_id = g.org_id WHERE c.org_id = $1 ORDER BY g.group_id",
			      p->org_id, p->anc_groups, &p->n_anc_groups);
	if (!rc)
		rc = load_rel(db,
			      "SELECT community_id FROM org_communities WHERE org_id = $1 ORDER "
			      "BY community_id",
			      p->org_id, p->communities, &p->n_communities);
	return rc;
}

int vg_hub_db_principal_of_org(vg_hub_db_t *db, int64_t org_id, vg_hub_principal_t *out)
{
	memset(out, 0, sizeof *out);
	out->org_id = org_id;
	out->role = VG_HUB_ROLE_ADMIN;
	snprintf(out->peer, sizeof out->peer, "local");
	return load_relations(db, out);
}

typedef struct authrow {
	bool found;
	int64_t id, org, expires, revoked;
	char user[128], role[16], allow[1024];
} authrow_t;

static int auth_one(void *ctx, const dbrow_t *r)
{
	authrow_t *a = ctx;
	a->found = true;
	a->id = dbrow_int(r, 0);
	a->org = dbrow_int(r, 1);
	snprintf(a->user, sizeof a->user, "%s", dbrow_text(r, 2) ? dbrow_text(r, 2) : "");
	snprintf(a->role, sizeof a->role, "%s", dbrow_text(r, 3) ? dbrow_text(r, 3) : "");
	a->expires = dbrow_int(r, 4);
	snprintf(a->allow, sizeof a->allow, "%s", dbrow_text(r, 5) ? dbrow_text(r, 5) : "");
	a->revoked = dbrow_int(r, 6);
	return 1;
}

int vg_hub_db_auth(vg_hub_db_t *db, const char *tok, const vg_ip_t *peer, int64_t now,
		   vg_hub_principal_t *out)
{
	memset(out, 0, sizeof *out);
	if (!tok || strlen(tok) != VG_HUB_TOKEN_LEN || strncmp(tok, "vgt_", 4) != 0)
		return VG_EINVAL;
	for (const char *s = tok + 4; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return VG_EINVAL;
	char hex[65];
	token_hash(tok, hex);
	authrow_t a;
	memset(&a, 0, sizeof a);
	dbv_t p[] = {dbv_text(hex)};
	int rc = db_exec(db,
			 "SELECT id, org_id, user_name, role, expires, allow, revoked FROM tokens "
			 "WHERE hash = $1",
			 p, 1, auth_one, &a);
	if (rc < 0)
		return VG_EIO;
	if (!a.found || a.revoked)
		return VG_ENOTFOUND;
	if (a.expires && a.expires <= now)
		return VG_ERANGE;
	if (a.allow[0]) {
		bool bad;
		if (!allow_match(a.allow, peer, &bad))
			return VG_EINVAL;
	}
	out->org_id = a.org;
	out->token_id = a.id;
	out->role = vg_hub_role_parse(a.role);
	snprintf(out->user, sizeof out->user, "%s", a.user);
	if (peer)
		vg_ip_format(peer, out->peer, sizeof out->peer);
	rc = load_relations(db, out);
	return rc == VG_ELIMIT || rc == VG_ENOTFOUND ? rc : rc ? VG_EIO : 0;
}
