/* SPDX-License-Identifier: Apache-2.0 */
/*
 * db_int.h — what the hub's store modules share: the connection, bound
 * parameters, result rows and the two backends (db_sqlite.c, db_pg.c)
 * behind one small interface (exec with parameters, transactions).
 *
 * SQL is written once with $1..$N placeholders; the SQLite backend turns
 * them into ?1..?N before preparing.  Prepared statements are cached per
 * connection, keyed by the SQL text.  Values are always bound, never put
 * into SQL text.
 */
#ifndef VG_HUB_DB_INT_H
#define VG_HUB_DB_INT_H

#include "hub/db.h"

#include <stdint.h>

/* A bound parameter. */
typedef struct dbv {
	enum { DBV_NULL, DBV_INT, DBV_TEXT } kind;
	int64_t i;
	const char *s; /* DBV_TEXT: NUL-terminated */
} dbv_t;

static inline dbv_t dbv_int(int64_t i)
{
	dbv_t v = {DBV_INT, i, NULL};
	return v;
}
static inline dbv_t dbv_text(const char *s)
{
	dbv_t v = {s ? DBV_TEXT : DBV_NULL, 0, s};
	return v;
}
static inline dbv_t dbv_null(void)
{
	dbv_t v = {DBV_NULL, 0, NULL};
	return v;
}

/* A result row: column accessors (0-based). */
typedef struct dbrow {
	bool pg;
	void *st;  /* sqlite3_stmt * */
	void *res; /* PGresult * */
	int row;
} dbrow_t;
int64_t dbrow_int(const dbrow_t *r, int col);
/* dbrow_text: NULL for SQL NULL; valid during the row callback only. */
const char *dbrow_text(const dbrow_t *r, int col);
bool dbrow_null(const dbrow_t *r, int col);

typedef int (*dbrow_fn)(void *ctx, const dbrow_t *row);

/* The backend interface. */
typedef struct dbops {
	const char *name;
	/* exec: run sql with params; fn per row (may be NULL).  A nonzero fn
	 * return stops and is returned.  Returns 0, VG_EAGAIN (unique or
	 * constraint violation), VG_EIO. */
	int (*exec)(vg_hub_db_t *db, const char *sql, const dbv_t *p, int np, dbrow_fn fn,
		    void *ctx);
	/* script: run semicolon-separated DDL without parameters (migrations). */
	int (*script)(vg_hub_db_t *db, const char *sql);
	int (*begin)(vg_hub_db_t *db); /* a write transaction */
	int (*commit)(vg_hub_db_t *db);
	void (*rollback)(vg_hub_db_t *db);
	void (*close)(vg_hub_db_t *db);
} dbops_t;

struct vg_hub_db {
	const dbops_t *ops;
	void *h; /* sqlite3 * or PGconn * */
	char err[256];
	void *cache; /* backend's statement cache */
	bool pg;
};

int db_sqlite_open(vg_hub_db_t *db, const char *path);
int db_pg_open(vg_hub_db_t *db, const char *conninfo);

/* db_exec: db->ops->exec. */
static inline int db_exec(vg_hub_db_t *db, const char *sql, const dbv_t *p, int np, dbrow_fn fn,
			  void *ctx)
{
	return db->ops->exec(db, sql, p, np, fn, ctx);
}
/* db_one_int: the first column of the first row as an integer (*found
 * false and *v untouched when no row). */
int db_one_int(vg_hub_db_t *db, const char *sql, const dbv_t *p, int np, int64_t *v,
	       bool *found);
/* db_migrate: apply the missing migrations (migrate.c). */
int db_migrate(vg_hub_db_t *db);

/* db_audit_in: the audit insert for use inside an open transaction. */
int db_audit_in(vg_hub_db_t *db, const vg_hub_principal_t *who, const char *action,
		const char *object, const char *detail);

/* db_acl_obj: the access condition (vg_hub_acl_sql) for objects aliased
 * "o" (recipients in obj_recipients); db_acl_sight: for sightings aliased
 * "s" (no recipients: the sighting org is the recipient).  The viewer org
 * is parameter $1 in both.  Static strings, built once. */
const char *db_acl_obj(void);
const char *db_acl_sight(void);
/* db_sqlf: format SQL TEXT (never values) into a malloc'd string. */
char *db_sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* db_now: unix seconds; db_now_us: microseconds. */
int64_t db_now(void);
int64_t db_now_us(void);

#endif
