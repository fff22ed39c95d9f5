// SPDX-License-Identifier: Apache-2.0
/*
 * db_sqlite.c — the SQLite backend of the hub's store (db_int.h).
 *
 * One sqlite3 connection per vg_hub_db_t, opened in WAL mode with a busy
 * timeout so several connections (the server's pool, the admin CLI) share
 * the file; synchronous=NORMAL, which in WAL mode keeps every committed
 * transaction across a crash of the process (kill -9); a power loss may
 * lose the last transactions, never corrupt the file.  Foreign keys on.
 *
 * Statements are prepared once per connection and cached by SQL text (a
 * small open-addressing table); $N placeholders are rewritten to ?N.  All
 * values are bound (sqlite3_bind_*), never formatted into SQL.
 * Not thread-safe per connection: one thread at a time.
 */
#include "hub/db_int.h"

#include "lib/hash.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 256

typedef struct slot {
	uint64_t h;
	char *sql;
	sqlite3_stmt *st;
} slot_t;

static void set_err(vg_hub_db_t *db)
{
	snprintf(db->err, sizeof db->err, "%s", sqlite3_errmsg(db->h));
}

static sqlite3_stmt *prepare(vg_hub_db_t *db, const char *sql)
{
	slot_t *c = db->cache;
	uint64_t h = vg_hash64(sql, strlen(sql), 7);
	size_t i = h % CACHE_SLOTS;
	for (size_t k = 0; k < CACHE_SLOTS; k++, i = (i + 1) % CACHE_SLOTS) {
		if (!c[i].sql)
			break;
		if (c[i].h == h && strcmp(c[i].sql, sql) == 0)
			return c[i].st;
	}
	/* rewrite $N to ?N */
	size_t n = strlen(sql);
	char *q = malloc(n + 1);
	if (!q)
		return NULL;
	for (size_t k = 0; k <= n; k++)
		q[k] = sql[k] == '$' ? '?' : sql[k];
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(db->h, q, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	free(q);
	if (rc != SQLITE_OK) {
		set_err(db);
		return NULL;
	}
	/* find a free slot; when full, statements are used uncached */
	i = h % CACHE_SLOTS;
	for (size_t k = 0; k < CACHE_SLOTS; k++, i = (i + 1) % CACHE_SLOTS) {
		if (!c[i].sql) {
			c[i].sql = strdup(sql);
			if (!c[i].sql)
				break;
			c[i].h = h;
			c[i].st = st;
			return st;
		}
	}
	return st; /* caller finalizes when not cached: see exec */
}

static bool cached(vg_hub_db_t *db, sqlite3_stmt *st)
{
	slot_t *c = db->cache;
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (c[i].st == st)
			return true;
	return false;
}

static int sq_exec(vg_hub_db_t *db, const char *sql, const dbv_t *p, int np, dbrow_fn fn,
		   void *ctx)
{
	sqlite3_stmt *st = prepare(db, sql);
	if (!st)
		return VG_EIO;
	int ret = 0;
	for (int i = 0; i < np; i++) {
		int rc;
		switch (p[i].kind) {
		case DBV_INT:
			rc = sqlite3_bind_int64(st, i + 1, p[i].i);
			break;
		case DBV_TEXT:
			rc = sqlite3_bind_text(st, i + 1, p[i].s, -1, SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(st, i + 1);
		}
		if (rc != SQLITE_OK) {
			set_err(db);
			ret = VG_EIO;
			goto out;
		}
	}
	for (;;) {
		int rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_ROW) {
			if (fn) {
				dbrow_t r = {false, st, NULL, 0};
				ret = fn(ctx, &r);
				if (ret)
					break;
			}
			continue;
		}
		set_err(db);
		ret = (rc & 0xff) == SQLITE_CONSTRAINT ? VG_EAGAIN : VG_EIO;
		break;
	}
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (!cached(db, st))
		sqlite3_finalize(st);
	return ret;
}

static int sq_script(vg_hub_db_t *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(db->err, sizeof db->err, "%s", msg ? msg : "sqlite error");
		sqlite3_free(msg);
		return VG_EIO;
	}
	return 0;
}

static int sq_begin(vg_hub_db_t *db)
{
	return sq_script(db, "BEGIN IMMEDIATE");
}
static int sq_commit(vg_hub_db_t *db)
{
	int rc = sq_script(db, "COMMIT");
	if (rc)
		sq_script(db, "ROLLBACK");
	return rc;
}
static void sq_rollback(vg_hub_db_t *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sq_script(db, "ROLLBACK");
}

static void sq_close(vg_hub_db_t *db)
{
	slot_t *c = db->cache;
	if (c) {
		for (size_t i = 0; i < CACHE_SLOTS; i++) {
			if (c[i].st)
				sqlite3_finalize(c[i].st);
			free(c[i].sql);
		}
		free(c);
	}
	sqlite3_close(db->h);
}

static const dbops_t sq_ops = {"sqlite", sq_exec, sq_script, sq_begin, sq_commit, sq_rollback,
			       sq_close};

int db_sqlite_open(vg_hub_db_t *db, const char *path)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	db->ops = &sq_ops;
	db->h = h;
	if (rc != SQLITE_OK) {
		snprintf(db->err, sizeof db->err, "%s: %s", path,
			 h ? sqlite3_errmsg(h) : "cannot open");
		return VG_EIO;
	}
	db->cache = calloc(CACHE_SLOTS, sizeof(slot_t));
	if (!db->cache)
		return VG_ENOMEM;
	sqlite3_busy_timeout(h, 10000);
	if (sq_script(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
			  "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
			  "PRAGMA cache_size=-65536;"))
		return VG_EIO;
	return 0;
}
