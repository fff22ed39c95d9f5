/* SPDX-License-Identifier: Apache-2.0 */
/*
 * db.h — the hub's store, one interface over SQLite (embedded, WAL) and
 * PostgreSQL (libpq).  Organisations, users/tokens, sharing groups,
 * collections and STIX objects, feeds, sightings, sensors and the audit
 * log.  Every value reaches SQL as a bound parameter of a prepared
 * statement (sqlite3_prepare_v2 / PQprepare+PQexecPrepared); no SQL text
 * is ever built from values.  Every read of objects or sightings applies
 * the access function of access.h (its SQL form in queries, its C form
 * after them) for the principal given.
 *
 * Every write appends to the audit log in the same transaction: who
 * (principal, or the local admin CLI when who is NULL), when, from where,
 * what changed.
 *
 * Threading: a vg_hub_db_t is ONE connection, used by one thread at a
 * time; the server keeps a pool (one per worker thread).  Several
 * connections, in one or several processes, may share a database.
 *
 * Times are unix seconds unless named _us (microseconds).
 */
#ifndef VG_HUB_DB_H
#define VG_HUB_DB_H

#include "hub/access.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct vg_hub_db vg_hub_db_t;

/* ---- connection and schema ------------------------------------------------ */

/*
 * vg_hub_db_open — connect to url: "sqlite:FILE" (created if missing) or
 * "postgresql://..." / "postgres://..." (libpq conninfo URI), and bring
 * the schema to the newest version (migrations run in one transaction,
 * serialised between processes).  On failure writes a one-line reason to
 * err (may be NULL) and returns VG_EINVAL (bad url), VG_EIO (cannot
 * connect/open), VG_EVERSION (schema newer than this binary) or
 * VG_ECORRUPT (a migration failed).
 */
int vg_hub_db_open(const char *url, vg_hub_db_t **out, char *err, size_t errn);
/* vg_hub_db_close: close the connection (NULL ok). */
void vg_hub_db_close(vg_hub_db_t *db);
/* vg_hub_db_backend: "sqlite" or "postgresql". */
const char *vg_hub_db_backend(const vg_hub_db_t *db);
/* vg_hub_db_schema_version: the schema version in the database. */
int vg_hub_db_schema_version(vg_hub_db_t *db, int *version);
/* The schema version this binary writes. */
#define VG_HUB_SCHEMA_VERSION 1
/* vg_hub_db_errmsg: the backend's last error text (never NULL). */
const char *vg_hub_db_errmsg(const vg_hub_db_t *db);

/* ---- organisations, groups, tokens (admin) --------------------------------- */

/*
 * vg_hub_db_org_add — a new organisation name (1..127 bytes, any text),
 * child of parent (NULL: none; must exist), with province label (NULL or
 * ""), member of the communities named in communities[0..nc) (created when
 * new; none given: "default").  Returns 0 with *id, VG_EINVAL (bad name),
 * VG_ENOTFOUND (no parent), VG_EAGAIN (name taken), VG_EIO.
 */
int vg_hub_db_org_add(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *name,
		      const char *parent, const char *province, const char *const *communities,
		      size_t nc, int64_t *id);
/* vg_hub_db_org_list: [{"id","name","parent","province","communities":[..]}]. */
int vg_hub_db_org_list(vg_hub_db_t *db, json_t **out);
/* vg_hub_db_group_add: a new sharing group.  0, VG_EINVAL, VG_EAGAIN, VG_EIO. */
int vg_hub_db_group_add(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *name,
			int64_t *id);
/* vg_hub_db_group_member: add (add=true) or remove org from group.
 * 0, VG_ENOTFOUND (no such group/org/membership), VG_EIO. */
int vg_hub_db_group_member(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *group,
			   const char *org, bool add);
/* vg_hub_db_group_list: [{"id","name","members":[org names]}]. */
int vg_hub_db_group_list(vg_hub_db_t *db, json_t **out);

/* Length of a token's text: "vgt_" + 43 base64url characters. */
#define VG_HUB_TOKEN_LEN 47

/*
 * vg_hub_db_token_create — a new API token for org, labelled user, with
 * role, expiry (unix seconds, 0 = never) and an optional source allowlist
 * (comma-separated CIDRs or addresses, NULL/"" = any).  32 random bytes
 * (libsodium); only their SHA-256 is stored.  The token text (shown once)
 * is written to token[VG_HUB_TOKEN_LEN + 1].  Returns 0 with *id,
 * VG_ENOTFOUND (org), VG_EINVAL (role/allowlist), VG_EIO.
 */
int vg_hub_db_token_create(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *org,
			   const char *user, vg_hub_role_t role, int64_t expires,
			   const char *allow, char *token, int64_t *id);
/* vg_hub_db_token_revoke: 0, VG_ENOTFOUND (unknown or already revoked). */
int vg_hub_db_token_revoke(vg_hub_db_t *db, const vg_hub_principal_t *who, int64_t id);
/* vg_hub_db_token_list: [{"id","org","user","role","created","expires",
 * "allow","revoked","last_used"}] (never the hash). */
int vg_hub_db_token_list(vg_hub_db_t *db, json_t **out);

/*
 * vg_hub_db_auth — the principal of token text tok (as sent after
 * "Bearer "), used from peer at now.  Returns 0 (principal filled, peer
 * recorded), VG_ENOTFOUND (unknown or revoked), VG_ERANGE (expired),
 * VG_EINVAL (malformed, or peer not in the allowlist), VG_ELIMIT (org
 * relations beyond VG_HUB_MAX_REL), VG_EIO.
 */
int vg_hub_db_auth(vg_hub_db_t *db, const char *tok, const vg_ip_t *peer, int64_t now,
		   vg_hub_principal_t *out);
/* vg_hub_db_principal_of_org: a principal for org id (tests, benches,
 * the CLI): relations loaded, role admin, token 0. */
int vg_hub_db_principal_of_org(vg_hub_db_t *db, int64_t org_id, vg_hub_principal_t *out);
/* vg_hub_db_org_id: id of the org named name.  0 or VG_ENOTFOUND. */
int vg_hub_db_org_id(vg_hub_db_t *db, const char *name, int64_t *id);
/* vg_hub_db_group_id: id of the group named name.  0 or VG_ENOTFOUND. */
int vg_hub_db_group_id(vg_hub_db_t *db, const char *name, int64_t *id);

/* ---- the audit log -------------------------------------------------------- */

/*
 * vg_hub_db_audit — append one entry: action ("org.add", "token.use",
 * ...), object (what it acted on), detail (JSON text or NULL).  who NULL
 * = the local admin CLI.  Rows can never be changed or deleted (a trigger
 * refuses it in both backends).
 */
int vg_hub_db_audit(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *action,
		    const char *object, const char *detail);
/* vg_hub_db_audit_list: entries with id > after, oldest first, at most
 * limit: [{"id","time","org","user","token","peer","action","object","detail"}]. */
int vg_hub_db_audit_list(vg_hub_db_t *db, int64_t after, int64_t limit, json_t **out);

/* ---- collections and STIX objects (TAXII) ----------------------------------- */

/* vg_hub_db_collection_add: a TAXII collection (and the feed of the same
 * alias).  id is a UUID string (made when NULL); alias 1..63 bytes of
 * [A-Za-z0-9._-].  0, VG_EINVAL, VG_EAGAIN (taken), VG_EIO. */
int vg_hub_db_collection_add(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *id,
			     const char *alias, const char *title, const char *description);
/* vg_hub_db_collection_list: [{"id","alias","title","description"}]. */
int vg_hub_db_collection_list(vg_hub_db_t *db, json_t **out);
/* vg_hub_db_collection_get: the collection with id or alias s, as above,
 * plus its internal number in *num.  0 or VG_ENOTFOUND. */
int vg_hub_db_collection_get(vg_hub_db_t *db, const char *s, json_t **out, int64_t *num);

/* One object to store (already validated). */
typedef struct vg_hub_obj_in {
	const char *stix_id;   /* "indicator--<uuid>" */
	const char *type;      /* "indicator" */
	const char *version;   /* modified, or created, as written */
	const char *spec_version;
	const char *json;      /* the object, serialised compactly */
	vg_tlp_t tlp;
	const vg_hub_recipient_t *recipients;
	size_t n_recipients;
	/* indicator values for /indicators and feeds: "type\tvalue" pairs */
	const char *const *values;
	size_t n_values;
} vg_hub_obj_in_t;

/*
 * vg_hub_db_objects_add — store objs[0..n) in collection num for who (the
 * owner org), in one transaction; date_added increases strictly.  An
 * object whose (id, version) is already in the collection is a success
 * that changes nothing (res[i] = 1), a new one res[i] = 0.  The feed of
 * the collection gets a new seq when anything was added.  Returns 0,
 * VG_EIO.
 */
int vg_hub_db_objects_add(vg_hub_db_t *db, const vg_hub_principal_t *who, int64_t coll,
			  const vg_hub_obj_in_t *objs, size_t n, int *res);

/* A TAXII object query. */
typedef struct vg_hub_obj_query {
	int64_t coll;
	int64_t added_after_us; /* 0 = none */
	int64_t after_seq;      /* from the next cursor, 0 = start */
	int64_t limit;          /* >= 1 */
	const char *const *match_id;   size_t n_match_id;
	const char *const *match_type; size_t n_match_type;
	const char *const *match_spec; size_t n_match_spec;
	/* match[version]: "last" (default), "first", "all", or timestamps */
	const char *const *match_version; size_t n_match_version;
} vg_hub_obj_query_t;

/* One object row returned by a query. */
typedef struct vg_hub_obj_row {
	int64_t seq;
	const char *stix_id, *type, *version, *spec_version, *json;
	int64_t date_added_us;
	vg_tlp_t tlp;
	int64_t owner_org;
} vg_hub_obj_row_t;

/*
 * vg_hub_db_objects_query — the objects of q visible to who (access
 * function in the query), oldest date_added first, at most q->limit, then
 * *more = true when another visible row follows.  fn is called per row
 * (strings valid during the call); a nonzero return stops and is
 * returned.  Returns 0, VG_EIO.
 */
int vg_hub_db_objects_query(vg_hub_db_t *db, const vg_hub_principal_t *who,
			    const vg_hub_obj_query_t *q,
			    int (*fn)(void *ctx, const vg_hub_obj_row_t *row), void *ctx,
			    bool *more);

/* vg_hub_db_status_put / _get: TAXII status resources (JSON text). */
int vg_hub_db_status_put(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *id,
			 const char *json);
/* vg_hub_db_status_get: the status id, only for the org that made it.
 * 0 with *json (malloc'd), VG_ENOTFOUND. */
int vg_hub_db_status_get(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *id,
			 char **json);

/* ---- indicators search ----------------------------------------------------- */

/*
 * vg_hub_db_indicators — GET /indicators?value=X: the indicator objects
 * visible to who whose values include value (exact, as normalised by
 * vg_ind_parse when it parses), at most limit, each with its sightings
 * summary: {"indicators":[{"id","collection","tlp","owner","object":{..},
 * "sightings":{"orgs":N,"provinces":N,"count":N,"first_seen","last_seen",
 * "by_org":[{"org","province","count","first_seen","last_seen"}]}}]}.
 * Sightings are counted from every org; an org is named in by_org only when
 * the sighting's TLP lets who see it (vg_hub_can_see).
 */
int vg_hub_db_indicators(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *value,
			 int64_t limit, json_t **out);

/* ---- sightings (hub-cli's POST /sightings) ------------------------------------- */

/* One sighting as received. */
typedef struct vg_hub_sighting {
	const char *indicator; /* the value, as the sensor wrote it */
	const char *type;      /* vigil type name */
	int64_t first_seen, last_seen;
	int64_t count;
	const char *device_class; /* "unknown" when not known */
	vg_tlp_t tlp;
} vg_hub_sighting_t;

typedef struct vg_hub_sighting_batch {
	const char *batch_id; /* client id, 1..128 bytes */
	const char *sensor;   /* sensor name, may be "" */
	const vg_hub_sighting_t *v;
	size_t n;
} vg_hub_sighting_batch_t;

typedef struct vg_hub_sighting_result {
	size_t accepted;
	bool duplicate; /* this org sent batch_id before: nothing counted now */
} vg_hub_sighting_result_t;

/*
 * vg_hub_db_sightings_add — store a batch for who's org in ONE transaction
 * (multi-row prepared inserts), idempotent by (org, batch_id): a batch
 * already stored returns duplicate=true and accepted = its first count.
 * Durable when it returns 0 (committed).  Values are not validated here
 * (the handler does).  Returns 0, VG_EINVAL (empty batch_id), VG_EIO.
 */
int vg_hub_db_sightings_add(vg_hub_db_t *db, const vg_hub_principal_t *who,
			    const vg_hub_sighting_batch_t *b, vg_hub_sighting_result_t *out);

/*
 * vg_hub_db_stats — the /stats figures for who over the last days days
 * before now (HUB_API.md's JSON): sightings counted when who may see the
 * indicator's sighting counts (every sighting counts in totals; org names
 * never appear except sensors of who's own org).  *out owned by caller.
 */
int vg_hub_db_stats(vg_hub_db_t *db, const vg_hub_principal_t *who, int days, int64_t now,
		    json_t **out);

/* ---- feeds and sensors (hub-cli's GET /feeds) ------------------------------------ */

typedef struct vg_hub_feed_info {
	char name[64];
	int64_t coll;      /* collection number */
	int64_t seq;       /* bumps with every change of the collection */
	int64_t published; /* time of the last change */
} vg_hub_feed_info_t;

/* One indicator of a feed, as visible to the caller. */
typedef struct vg_hub_feed_row {
	const char *type;  /* vigil type name */
	const char *value;
	vg_tlp_t tlp;
	const char *stix_id;
	const char *json;  /* the whole STIX object (name, description, ...) */
	int64_t owner_org;
} vg_hub_feed_row_t;

/*
 * vg_hub_db_feed_get — feed name: fills info; then, when fn is not NULL,
 * calls it per indicator value visible to who (access function in the
 * query), ordered by object then value.  fn NULL is the cheap path (ETag /
 * 304).  Returns 0, VG_ENOTFOUND, VG_EIO, or fn's nonzero return.
 */
int vg_hub_db_feed_get(vg_hub_db_t *db, const char *name, const vg_hub_principal_t *who,
		       vg_hub_feed_info_t *info,
		       int (*fn)(void *ctx, const vg_hub_feed_row_t *row), void *ctx);
/* vg_hub_db_feed_list: [{"name","seq","published"}] of every feed. */
int vg_hub_db_feed_list(vg_hub_db_t *db, json_t **out);

/* vg_hub_db_sensor_pull — record that sensor (of who's org) fetched feed at
 * seq now (upsert).  0, VG_EINVAL (empty sensor), VG_EIO. */
int vg_hub_db_sensor_pull(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *sensor,
			  const char *feed, int64_t seq, int64_t now);

#endif
