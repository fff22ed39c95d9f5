// SPDX-License-Identifier: Apache-2.0
/*
 * migrate.c — versioned schema migrations of the hub's store, for both
 * backends.  The database records its version in schema_version; each
 * migration is ordered DDL text per backend (common text with @ID@ for the
 * auto-increment key column, plus backend-only statements such as the
 * audit log's append-only triggers).  db_migrate() applies the missing
 * ones in ONE transaction, serialised between processes (SQLite: BEGIN
 * IMMEDIATE; PostgreSQL: an advisory transaction lock), so two servers
 * starting at once never both migrate.  A database newer than this binary
 * is refused (VG_EVERSION).  DDL carries no values.
 */
#include "hub/db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char m1_common[] =
	"CREATE TABLE orgs (id @ID@, name TEXT NOT NULL UNIQUE, parent_id BIGINT REFERENCES "
	"orgs(id), province TEXT NOT NULL DEFAULT '', created BIGINT NOT NULL);"
	"CREATE TABLE org_closure (org_id BIGINT NOT NULL, anc_id BIGINT NOT NULL, "
	"PRIMARY KEY (org_id, anc_id));"
	"CREATE INDEX org_closure_anc ON org_closure(anc_id);"
	"CREATE TABLE communities (id @ID@, name TEXT NOT NULL UNIQUE);"
	"CREATE TABLE org_communities (org_id BIGINT NOT NULL REFERENCES orgs(id), "
	"community_id BIGINT NOT NULL REFERENCES communities(id), PRIMARY KEY (org_id, "
	"community_id));"
	"CREATE INDEX org_communities_c ON org_communities(community_id);"
	"CREATE TABLE sgroups (id @ID@, name TEXT NOT NULL UNIQUE, created BIGINT NOT NULL);"
	"CREATE TABLE group_members (group_id BIGINT NOT NULL REFERENCES sgroups(id), org_id "
	"BIGINT NOT NULL REFERENCES orgs(id), PRIMARY KEY (group_id, org_id));"
	"CREATE INDEX group_members_org ON group_members(org_id);"
	"CREATE TABLE tokens (id @ID@, hash TEXT NOT NULL UNIQUE, org_id BIGINT NOT NULL "
	"REFERENCES orgs(id), user_name TEXT NOT NULL DEFAULT '', role TEXT NOT NULL, created "
	"BIGINT NOT NULL, expires BIGINT NOT NULL DEFAULT 0, allow TEXT NOT NULL DEFAULT '', "
	"revoked BIGINT NOT NULL DEFAULT 0, last_used BIGINT NOT NULL DEFAULT 0);"
	"CREATE TABLE audit (id @ID@, ts BIGINT NOT NULL, org_id BIGINT, org_name TEXT, "
	"user_name TEXT, token_id BIGINT, peer TEXT, action TEXT NOT NULL, object TEXT, detail "
	"TEXT);"
	"CREATE TABLE collections (id @ID@, uuid TEXT NOT NULL UNIQUE, alias TEXT NOT NULL "
	"UNIQUE, title TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', created "
	"BIGINT NOT NULL, seq BIGINT NOT NULL DEFAULT 0, published BIGINT NOT NULL DEFAULT 0, "
	"last_added BIGINT NOT NULL DEFAULT 0);"
	"CREATE TABLE objects (id @ID@, coll BIGINT NOT NULL REFERENCES collections(id), "
	"stix_id TEXT NOT NULL, type TEXT NOT NULL, version TEXT NOT NULL, spec_version TEXT "
	"NOT NULL, date_added BIGINT NOT NULL, tlp SMALLINT NOT NULL, owner_org BIGINT NOT "
	"NULL, latest SMALLINT NOT NULL DEFAULT 1, body TEXT NOT NULL, UNIQUE (coll, stix_id, "
	"version));"
	"CREATE INDEX objects_coll ON objects(coll, id);"
	"CREATE INDEX objects_stix ON objects(stix_id);"
	"CREATE TABLE obj_recipients (obj_id BIGINT NOT NULL, is_group SMALLINT NOT NULL, rid "
	"BIGINT NOT NULL, PRIMARY KEY (obj_id, is_group, rid));"
	"CREATE TABLE no_recipients (obj_id BIGINT NOT NULL, is_group SMALLINT NOT NULL, rid "
	"BIGINT NOT NULL);"
	"CREATE TABLE obj_values (obj_id BIGINT NOT NULL, vtype TEXT NOT NULL, value TEXT NOT "
	"NULL, PRIMARY KEY (obj_id, vtype, value));"
	"CREATE INDEX obj_values_value ON obj_values(value);"
	"CREATE TABLE statuses (id TEXT PRIMARY KEY, org_id BIGINT NOT NULL, created BIGINT "
	"NOT NULL, body TEXT NOT NULL);"
	"CREATE TABLE batches (org_id BIGINT NOT NULL, batch_id TEXT NOT NULL, sensor TEXT NOT "
	"NULL DEFAULT '', accepted BIGINT NOT NULL, received BIGINT NOT NULL, PRIMARY KEY "
	"(org_id, batch_id));"
	"CREATE TABLE sightings (id @ID@, owner_org BIGINT NOT NULL, sensor TEXT NOT NULL "
	"DEFAULT '', indicator TEXT NOT NULL, itype TEXT NOT NULL, first_seen BIGINT NOT NULL, "
	"last_seen BIGINT NOT NULL, count BIGINT NOT NULL, device_class TEXT NOT NULL, tlp "
	"SMALLINT NOT NULL, received BIGINT NOT NULL);"
	"CREATE INDEX sightings_ind ON sightings(indicator);"
	"CREATE INDEX sightings_last ON sightings(last_seen);"
	"CREATE TABLE sensors (org_id BIGINT NOT NULL, name TEXT NOT NULL, feed TEXT NOT NULL "
	"DEFAULT '', seq BIGINT NOT NULL DEFAULT 0, last_pull BIGINT NOT NULL DEFAULT 0, "
	"PRIMARY KEY (org_id, name));";

static const char m1_sqlite[] =
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, "
	"'audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, "
	"'audit log is append-only'); END;";

static const char m1_pg[] =
	"CREATE FUNCTION vg_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
	"RAISE EXCEPTION 'audit log is append-only'; END $f$;"
	"CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE "
	"FUNCTION vg_audit_append_only();"
	"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE "
	"FUNCTION vg_audit_append_only();"
	"REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM PUBLIC;";

static const struct migration {
	int version;
	const char *common, *sqlite, *pg;
} migrations[] = {
	{1, m1_common, m1_sqlite, m1_pg},
};

/* expand: the common DDL with @ID@ replaced for the backend. */
static char *expand(const char *s, bool pg)
{
	const char *id = pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY";
	size_t n = strlen(s), idn = strlen(id);
	char *out = malloc(n * 4 + 1), *o = out;
	if (!out)
		return NULL;
	while (*s) {
		if (strncmp(s, "@ID@", 4) == 0) {
			memcpy(o, id, idn);
			o += idn;
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = 0;
	return out;
}

int db_migrate(vg_hub_db_t *db)
{
	int rc = db->ops->begin(db);
	if (rc)
		return VG_EIO;
	if (db->pg && db->ops->script(db, "SELECT pg_advisory_xact_lock(7463)")) {
		db->ops->rollback(db);
		return VG_EIO;
	}
	if (db->ops->script(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER "
				"NOT NULL)")) {
		db->ops->rollback(db);
		return VG_EIO;
	}
	int64_t v = 0;
	bool found = false;
	rc = db_one_int(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version", NULL, 0, &v,
			&found);
	if (rc) {
		db->ops->rollback(db);
		return VG_EIO;
	}
	if (v > VG_HUB_SCHEMA_VERSION) {
		db->ops->rollback(db);
		snprintf(db->err, sizeof db->err,
			 "database schema version %lld is newer than this vigil (%d)", (long long)v,
			 VG_HUB_SCHEMA_VERSION);
		return VG_EVERSION;
	}
	for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++) {
		const struct migration *m = &migrations[i];
		if (m->version <= v)
			continue;
		char *ddl = expand(m->common, db->pg);
		if (!ddl) {
			db->ops->rollback(db);
			return VG_ENOMEM;
		}
		rc = db->ops->script(db, ddl);
		free(ddl);
		if (!rc)
			rc = db->ops->script(db, db->pg ? m->pg : m->sqlite);
		if (!rc) {
			dbv_t p[] = {dbv_int(m->version)};
			rc = db_exec(db, "INSERT INTO schema_version (version) VALUES ($1)", p, 1,
				     NULL, NULL);
		}
		if (rc) {
			char keep[sizeof db->err];
			memcpy(keep, db->err, sizeof keep);
			db->ops->rollback(db);
			snprintf(db->err, sizeof db->err, "migration %d: %.200s", m->version, keep);
			return VG_ECORRUPT;
		}
	}
	return db->ops->commit(db) ? VG_EIO : 0;
}
