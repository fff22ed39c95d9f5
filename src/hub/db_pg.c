// SPDX-License-Identifier: Apache-2.0
/*
 * db_pg.c — the PostgreSQL backend of the hub's store (db_int.h), libpq.
 *
 * Every statement with values goes through PQprepare once per connection
 * (named "vg<N>", cached by SQL text) and PQsendQueryPrepared with text
 * parameters; rows stream in single-row mode so a feed of a million rows
 * never sits in memory whole.  Only parameterless fixed text (BEGIN,
 * COMMIT, migrations' DDL) goes through PQexec.  A unique or other
 * integrity violation (SQLSTATE class 23) is VG_EAGAIN.
 * Not thread-safe per connection: one thread at a time.
 */
#include "hub/db_int.h"

#include "lib/hash.h"

#include <libpq-fe.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 256
#define MAX_PARAMS 65535 /* PostgreSQL protocol limit */

typedef struct slot {
	uint64_t h;
	char *sql;
	char name[16];
} slot_t;

typedef struct pgcache {
	slot_t s[CACHE_SLOTS];
	unsigned next;
} pgcache_t;

static void set_err(vg_hub_db_t *db, const char *what)
{
	const char *m = PQerrorMessage(db->h);
	snprintf(db->err, sizeof db->err, "%s%s%.*s", what ? what : "", what ? ": " : "",
		 (int)strcspn(m, "\n"), m);
}

/* stmt_name: the prepared statement for sql (prepared now when new). */
static const char *stmt_name(vg_hub_db_t *db, const char *sql)
{
	pgcache_t *c = db->cache;
	uint64_t h = vg_hash64(sql, strlen(sql), 7);
	size_t i = h % CACHE_SLOTS;
	for (size_t k = 0; k < CACHE_SLOTS; k++, i = (i + 1) % CACHE_SLOTS) {
		if (!c->s[i].sql)
			break;
		if (c->s[i].h == h && strcmp(c->s[i].sql, sql) == 0)
			return c->s[i].name;
	}
	if (c->s[i].sql) /* full: reuse nothing; the caller sees an error */
		return NULL;
	slot_t *s = &c->s[i];
	snprintf(s->name, sizeof s->name, "vg%u", c->next++);
	PGresult *r = PQprepare(db->h, s->name, sql, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		snprintf(db->err, sizeof db->err, "prepare: %.*s",
			 (int)strcspn(PQresultErrorMessage(r), "\n"), PQresultErrorMessage(r));
		PQclear(r);
		return NULL;
	}
	PQclear(r);
	s->sql = strdup(sql);
	if (!s->sql)
		return NULL;
	s->h = h;
	return s->name;
}

static int pg_exec(vg_hub_db_t *db, const char *sql, const dbv_t *p, int np, dbrow_fn fn,
		   void *ctx)
{
	if (np > MAX_PARAMS) {
		snprintf(db->err, sizeof db->err, "%d parameters (at most %d)", np, MAX_PARAMS);
		return VG_EINVAL;
	}
	const char *name = stmt_name(db, sql);
	if (!name)
		return VG_EIO;
	const char **vals = np ? calloc((size_t)np, sizeof *vals) : NULL;
	char(*nums)[24] = np ? calloc((size_t)np, sizeof *nums) : NULL;
	if (np && (!vals || !nums)) {
		free(vals);
		free(nums);
		return VG_ENOMEM;
	}
	for (int i = 0; i < np; i++) {
		if (p[i].kind == DBV_INT) {
			snprintf(nums[i], sizeof nums[i], "%" PRId64, p[i].i);
			vals[i] = nums[i];
		} else if (p[i].kind == DBV_TEXT) {
			vals[i] = p[i].s;
		}
	}
	int ret = 0;
	if (!PQsendQueryPrepared(db->h, name, np, vals, NULL, NULL, 0)) {
		set_err(db, "send");
		ret = VG_EIO;
		goto out;
	}
	if (fn)
		PQsetSingleRowMode(db->h);
	PGresult *r;
	bool stopped = false;
	while ((r = PQgetResult(db->h))) {
		ExecStatusType s = PQresultStatus(r);
		if (s == PGRES_SINGLE_TUPLE || s == PGRES_TUPLES_OK) {
			int n = PQntuples(r);
			for (int k = 0; k < n && fn && !stopped; k++) {
				dbrow_t row = {true, NULL, r, k};
				ret = fn(ctx, &row);
				if (ret)
					stopped = true;
			}
		} else if (s != PGRES_COMMAND_OK && !ret) {
			const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
			snprintf(db->err, sizeof db->err, "%.*s",
				 (int)strcspn(PQresultErrorMessage(r), "\n"),
				 PQresultErrorMessage(r));
			ret = st && strncmp(st, "23", 2) == 0 ? VG_EAGAIN : VG_EIO;
		}
		PQclear(r);
	}
out:
	free(vals);
	free(nums);
	return ret;
}

static int pg_script(vg_hub_db_t *db, const char *sql)
{
	PGresult *r = PQexec(db->h, sql);
	ExecStatusType s = PQresultStatus(r);
	int ret = 0;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		snprintf(db->err, sizeof db->err, "%.*s",
			 (int)strcspn(PQresultErrorMessage(r), "\n"), PQresultErrorMessage(r));
		ret = VG_EIO;
	}
	PQclear(r);
	return ret;
}

static int pg_begin(vg_hub_db_t *db)
{
	return pg_script(db, "BEGIN");
}
static int pg_commit(vg_hub_db_t *db)
{
	int rc = pg_script(db, "COMMIT");
	if (rc)
		pg_script(db, "ROLLBACK");
	return rc;
}
static void pg_rollback(vg_hub_db_t *db)
{
	if (PQtransactionStatus(db->h) != PQTRANS_IDLE)
		pg_script(db, "ROLLBACK");
}
static void pg_close(vg_hub_db_t *db)
{
	pgcache_t *c = db->cache;
	if (c) {
		for (size_t i = 0; i < CACHE_SLOTS; i++)
			free(c->s[i].sql);
		free(c);
	}
	PQfinish(db->h);
}

static const dbops_t pg_ops = {"postgresql", pg_exec, pg_script, pg_begin,
			       pg_commit,    pg_rollback, pg_close};

int db_pg_open(vg_hub_db_t *db, const char *conninfo)
{
	db->ops = &pg_ops;
	db->pg = true;
	db->h = PQconnectdb(conninfo);
	if (!db->h)
		return VG_ENOMEM;
	if (PQstatus(db->h) != CONNECTION_OK) {
		set_err(db, "connect");
		return VG_EIO;
	}
	db->cache = calloc(1, sizeof(pgcache_t));
	if (!db->cache)
		return VG_ENOMEM;
	/* prepared statements are planned once: the queries are the same shapes with
	 * different values, and a per-execution plan costs more than running them */
	return pg_script(db, "SET client_min_messages = warning; SET plan_cache_mode = "
			      "force_generic_plan");
}
