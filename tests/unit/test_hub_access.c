// SPDX-License-Identifier: Apache-2.0
/*
 * test_hub_access.c — THE access function of the hub (src/hub/access.h):
 * the full TLP x relation matrix, written as a table, checked against the
 * C form (vg_hub_can_see) and against the SQL form through a real SQLite
 * store (vg_hub_db_objects_query lists exactly the visible objects; a
 * single read by match[id] agrees).  Also: roles, the SQL fragment's size,
 * token auth (expiry, revocation, allowlist), the audit log being
 * append-only, and idempotent sighting batches.
 *
 * Organisations: A owns every object; C is A's child; GC is the child of
 * G; G is a member of group "grp"; O shares A's community; X is in another
 * community; "anon" is no principal at all.
 * Objects: one per TLP in two recipient scenarios: "none" (no recipients:
 * the owner is the recipient) and "grp" (recipient = group grp).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "hub/access.h"
#include "hub/db.h"

enum { A, C, G, GC, O, X, ANON, NV };
static const char *const vname[NV] = {"A", "C", "G", "GC", "O", "X", "anon"};
static const vg_tlp_t tlps[5] = {VG_TLP_CLEAR, VG_TLP_GREEN, VG_TLP_AMBER, VG_TLP_AMBER_STRICT,
				 VG_TLP_RED};

/* expected[scenario][viewer][tlp]: 1 = visible.  TLP order: clear, green,
 * amber, amber+strict, red. */
static const int expected[2][NV][5] = {
	/* scenario "none": recipient = the owner org A */
	{
		/* A    */ {1, 1, 1, 1, 1}, /* owner sees its own */
		/* C    */ {1, 1, 1, 0, 0}, /* child: served by A under AMBER */
		/* G    */ {1, 1, 0, 0, 0}, /* same community, not a recipient */
		/* GC   */ {1, 1, 0, 0, 0},
		/* O    */ {1, 1, 0, 0, 0}, /* other org, same community */
		/* X    */ {1, 0, 0, 0, 0}, /* other community: only CLEAR */
		/* anon */ {0, 0, 0, 0, 0}, /* no token: nothing */
	},
	/* scenario "grp": recipient = group grp = {G} */
	{
		/* A    */ {1, 1, 1, 1, 1},
		/* C    */ {1, 1, 0, 0, 0}, /* A is no recipient here */
		/* G    */ {1, 1, 1, 1, 1}, /* named (group member) */
		/* GC   */ {1, 1, 1, 0, 0}, /* served by a member under AMBER only */
		/* O    */ {1, 1, 0, 0, 0},
		/* X    */ {1, 0, 0, 0, 0},
		/* anon */ {0, 0, 0, 0, 0},
	},
};

typedef struct fx {
	char path[256];
	vg_hub_db_t *db;
	int64_t org[NV], grp, coll;
	vg_hub_principal_t who[NV];
	char ids[2][5][80];
} fx_t;

static int setup(void **state)
{
	fx_t *f = calloc(1, sizeof *f);
	snprintf(f->path, sizeof f->path, "/tmp/vg-test-hub-%d.db", (int)getpid());
	unlink(f->path);
	char url[300], err[256];
	snprintf(url, sizeof url, "sqlite:%s", f->path);
	assert_int_equal(vg_hub_db_open(url, &f->db, err, sizeof err), 0);
	const char *c1[] = {"national"}, *c2[] = {"elsewhere"};
	assert_int_equal(vg_hub_db_org_add(f->db, NULL, "A", NULL, "P1", c1, 1, &f->org[A]), 0);
	assert_int_equal(vg_hub_db_org_add(f->db, NULL, "C", "A", "P1", c1, 1, &f->org[C]), 0);
	assert_int_equal(vg_hub_db_org_add(f->db, NULL, "G", NULL, "P2", c1, 1, &f->org[G]), 0);
	assert_int_equal(vg_hub_db_org_add(f->db, NULL, "GC", "G", "P2", c1, 1, &f->org[GC]), 0);
	assert_int_equal(vg_hub_db_org_add(f->db, NULL, "O", NULL, "P3", c1, 1, &f->org[O]), 0);
	assert_int_equal(vg_hub_db_org_add(f->db, NULL, "X", NULL, "P4", c2, 1, &f->org[X]), 0);
	assert_int_equal(vg_hub_db_group_add(f->db, NULL, "grp", &f->grp), 0);
	assert_int_equal(vg_hub_db_group_member(f->db, NULL, "grp", "G", true), 0);
	for (int v = 0; v < ANON; v++)
		assert_int_equal(vg_hub_db_principal_of_org(f->db, f->org[v], &f->who[v]), 0);
	assert_int_equal(vg_hub_db_collection_add(f->db, NULL, NULL, "coll", "t", "d"), 0);
	assert_int_equal(vg_hub_db_collection_get(f->db, "coll", NULL, &f->coll), 0);
	vg_hub_recipient_t r = {true, f->grp};
	for (int s = 0; s < 2; s++) {
		for (int t = 0; t < 5; t++) {
			snprintf(f->ids[s][t], sizeof f->ids[s][t],
				 "indicator--%08d-0000-4000-8000-000000000000", s * 10 + t);
			char json[200];
			snprintf(json, sizeof json, "{\"type\":\"indicator\",\"id\":\"%s\"}",
				 f->ids[s][t]);
			const char *vals[] = {"domain\tevil.example"};
			vg_hub_obj_in_t o = {f->ids[s][t], "indicator", "2026-01-01T00:00:00.000Z",
					     "2.1", json, tlps[t], s ? &r : NULL, s ? 1 : 0, vals, 1};
			int res = -1;
			assert_int_equal(vg_hub_db_objects_add(f->db, &f->who[A], f->coll, &o, 1, &res),
					 0);
			assert_int_equal(res, 0);
		}
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_t *f = *state;
	vg_hub_db_close(f->db);
	unlink(f->path);
	char p[300];
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	free(f);
	return 0;
}

/* Rule: vg_hub_can_see gives exactly the table, for every TLP x relation. */
static void test_matrix_c(void **state)
{
	fx_t *f = *state;
	int64_t comm_a[VG_HUB_MAX_REL];
	memcpy(comm_a, f->who[A].communities, sizeof comm_a);
	vg_hub_recipient_t r = {true, f->grp};
	for (int s = 0; s < 2; s++)
		for (int v = 0; v < NV; v++)
			for (int t = 0; t < 5; t++) {
				vg_hub_obj_acl_t acl = {tlps[t], f->org[A], comm_a,
							f->who[A].n_communities, s ? &r : NULL,
							s ? 1u : 0u};
				bool got = vg_hub_can_see(v == ANON ? NULL : &f->who[v], &acl);
				if (got != (expected[s][v][t] == 1))
					fail_msg("C form: scenario %d viewer %s tlp %s: got %d", s,
						 vname[v], vg_tlp_name(tlps[t]), got);
			}
}

typedef struct seen {
	fx_t *f;
	int got[2][5];
} seen_t;

static int mark(void *ctx, const vg_hub_obj_row_t *row)
{
	seen_t *s = ctx;
	for (int sc = 0; sc < 2; sc++)
		for (int t = 0; t < 5; t++)
			if (strcmp(row->stix_id, s->f->ids[sc][t]) == 0)
				s->got[sc][t]++;
	return 0;
}

/* Rule: the SQL form lists exactly the table's visible objects, a limit
 * of 1 with the cursor pages through the same set, and a single read
 * (match[id]) agrees with the list. */
static void test_matrix_sql(void **state)
{
	fx_t *f = *state;
	for (int v = 0; v < NV; v++) {
		const vg_hub_principal_t *who = v == ANON ? NULL : &f->who[v];
		seen_t s;
		memset(&s, 0, sizeof s);
		s.f = f;
		vg_hub_obj_query_t q = {.coll = f->coll, .limit = 1000};
		bool more;
		assert_int_equal(vg_hub_db_objects_query(f->db, who, &q, mark, &s, &more), 0);
		assert_false(more);
		for (int sc = 0; sc < 2; sc++)
			for (int t = 0; t < 5; t++) {
				if (s.got[sc][t] != expected[sc][v][t])
					fail_msg("SQL form: scenario %d viewer %s tlp %s: got %d", sc,
						 vname[v], vg_tlp_name(tlps[t]), s.got[sc][t]);
				/* single read */
				seen_t one;
				memset(&one, 0, sizeof one);
				one.f = f;
				const char *id = f->ids[sc][t];
				vg_hub_obj_query_t qi = {.coll = f->coll, .limit = 10, .match_id = &id,
							 .n_match_id = 1};
				assert_int_equal(
					vg_hub_db_objects_query(f->db, who, &qi, mark, &one, &more), 0);
				assert_int_equal(one.got[sc][t], expected[sc][v][t]);
			}
	}
}

typedef struct pager {
	fx_t *f;
	int64_t last;
	int n;
	seen_t *s;
} pager_t;

static int page_row(void *ctx, const vg_hub_obj_row_t *row)
{
	pager_t *p = ctx;
	p->last = row->seq;
	p->n++;
	return mark(p->s, row);
}

/* Rule: with LIMIT 1 and the cursor, a viewer pages through exactly the
 * visible objects (LIMIT counts only visible rows), "more" is false on
 * the last page. */
static void test_paging_respects_access(void **state)
{
	fx_t *f = *state;
	for (int v = 0; v < ANON; v++) {
		seen_t s;
		memset(&s, 0, sizeof s);
		s.f = f;
		pager_t p = {f, 0, 0, &s};
		bool more = true;
		int pages = 0;
		while (more && pages < 50) {
			vg_hub_obj_query_t q = {.coll = f->coll, .limit = 1, .after_seq = p.last};
			int before = p.n;
			assert_int_equal(vg_hub_db_objects_query(f->db, &f->who[v], &q, page_row, &p,
								 &more),
					 0);
			assert_int_equal(p.n - before, 1);
			pages++;
		}
		int want = 0;
		for (int sc = 0; sc < 2; sc++)
			for (int t = 0; t < 5; t++) {
				want += expected[sc][v][t];
				assert_int_equal(s.got[sc][t], expected[sc][v][t]);
			}
		assert_int_equal(pages, want);
	}
}

/* Rule: the SQL fragment fits the documented 4096 bytes and names the
 * viewer parameter. */
static void test_sql_fragment(void **state)
{
	(void)state;
	char buf[4096];
	size_t n = vg_hub_acl_sql("o", "obj_recipients", 1, buf, sizeof buf);
	assert_true(n > 100 && n < sizeof buf);
	assert_non_null(strstr(buf, "$1"));
	assert_int_equal(vg_hub_acl_sql("o", "obj_recipients", 1, buf, 10), 0);
}

/* Rule: roles parse and name each other; unknown is NONE. */
static void test_roles(void **state)
{
	(void)state;
	assert_int_equal(vg_hub_role_parse("sensor"), VG_HUB_ROLE_SENSOR);
	assert_string_equal(vg_hub_role_name(VG_HUB_ROLE_PUBLISHER), "publisher");
	assert_int_equal(vg_hub_role_parse("root"), VG_HUB_ROLE_NONE);
	assert_int_equal(vg_hub_role_parse(NULL), VG_HUB_ROLE_NONE);
}

/* Rule: a token authenticates to its org; wrong, revoked and expired
 * tokens and addresses outside the allowlist do not. */
static void test_tokens(void **state)
{
	fx_t *f = *state;
	char tok[VG_HUB_TOKEN_LEN + 1], tok2[VG_HUB_TOKEN_LEN + 1], tok3[VG_HUB_TOKEN_LEN + 1];
	int64_t id, id2, id3;
	assert_int_equal(vg_hub_db_token_create(f->db, NULL, "C", "u", VG_HUB_ROLE_READER, 0,
						"10.0.0.0/8, 127.0.0.1", tok, &id),
			 0);
	assert_int_equal(strlen(tok), VG_HUB_TOKEN_LEN);
	assert_memory_equal(tok, "vgt_", 4);
	vg_ip_t lo, ten, other;
	vg_ip_parse("127.0.0.1", 9, &lo);
	vg_ip_parse("10.9.8.7", 8, &ten);
	vg_ip_parse("192.0.2.1", 9, &other);
	vg_hub_principal_t p;
	assert_int_equal(vg_hub_db_auth(f->db, tok, &lo, 1000, &p), 0);
	assert_int_equal(p.org_id, f->org[C]);
	assert_int_equal(p.role, VG_HUB_ROLE_READER);
	assert_int_equal(p.n_ancestors, 1);
	assert_int_equal(p.ancestors[0], f->org[A]);
	assert_int_equal(vg_hub_db_auth(f->db, tok, &ten, 1000, &p), 0);
	assert_int_equal(vg_hub_db_auth(f->db, tok, &other, 1000, &p), VG_EINVAL);
	char bad[VG_HUB_TOKEN_LEN + 1];
	memcpy(bad, tok, sizeof bad);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	assert_int_equal(vg_hub_db_auth(f->db, bad, &lo, 1000, &p), VG_ENOTFOUND);
	assert_int_equal(vg_hub_db_auth(f->db, "vgt_' OR 1=1 --", &lo, 1000, &p), VG_EINVAL);
	assert_int_equal(vg_hub_db_token_create(f->db, NULL, "C", "u", VG_HUB_ROLE_READER, 5000,
						NULL, tok2, &id2),
			 0);
	assert_int_equal(vg_hub_db_auth(f->db, tok2, &other, 4999, &p), 0);
	assert_int_equal(vg_hub_db_auth(f->db, tok2, &other, 5000, &p), VG_ERANGE);
	assert_int_equal(vg_hub_db_token_create(f->db, NULL, "C", "u", VG_HUB_ROLE_SENSOR, 0, NULL,
						tok3, &id3),
			 0);
	assert_int_equal(vg_hub_db_token_revoke(f->db, NULL, id3), 0);
	assert_int_equal(vg_hub_db_token_revoke(f->db, NULL, id3), VG_ENOTFOUND);
	assert_int_equal(vg_hub_db_auth(f->db, tok3, &lo, 1000, &p), VG_ENOTFOUND);
	assert_int_equal(vg_hub_db_token_create(f->db, NULL, "C", "u", VG_HUB_ROLE_READER, 0,
						"10.0.0.0/33", tok3, &id3),
			 VG_EINVAL);
	assert_int_equal(vg_hub_db_token_create(f->db, NULL, "nope", "u", VG_HUB_ROLE_READER, 0,
						NULL, tok3, &id3),
			 VG_ENOTFOUND);
}

/* Rule: a batch id counts once per org; the retry reports duplicate and
 * the first count; the audit log refuses UPDATE and DELETE. */
static void test_sightings_and_audit(void **state)
{
	fx_t *f = *state;
	vg_hub_sighting_t v[250];
	for (int i = 0; i < 250; i++)
		v[i] = (vg_hub_sighting_t){"evil.example", "domain", 1000, 2000, 2, "camera",
					   VG_TLP_AMBER};
	vg_hub_sighting_batch_t b = {"b-1", "s1", v, 250};
	vg_hub_sighting_result_t r;
	assert_int_equal(vg_hub_db_sightings_add(f->db, &f->who[G], &b, &r), 0);
	assert_int_equal(r.accepted, 250);
	assert_false(r.duplicate);
	b.n = 3;
	assert_int_equal(vg_hub_db_sightings_add(f->db, &f->who[G], &b, &r), 0);
	assert_true(r.duplicate);
	assert_int_equal(r.accepted, 250);
	/* the same id from another org is another batch */
	assert_int_equal(vg_hub_db_sightings_add(f->db, &f->who[O], &b, &r), 0);
	assert_false(r.duplicate);
	assert_int_equal(r.accepted, 3);
	/* /indicators: counts from every org, names only where TLP allows */
	json_t *out = NULL;
	assert_int_equal(vg_hub_db_indicators(f->db, &f->who[X], "evil.example", 10, &out), 0);
	json_t *inds = json_object_get(out, "indicators");
	assert_int_equal(json_array_size(inds), 2); /* the two CLEAR objects */
	json_t *s = json_object_get(json_array_get(inds, 0), "sightings");
	assert_int_equal(json_integer_value(json_object_get(s, "count")), 506);
	assert_int_equal(json_integer_value(json_object_get(s, "orgs")), 2);
	assert_int_equal(json_integer_value(json_object_get(s, "provinces")), 2);
	assert_int_equal(json_array_size(json_object_get(s, "by_org")), 0);
	json_decref(out);
	assert_int_equal(vg_hub_db_indicators(f->db, &f->who[G], "evil.example", 10, &out), 0);
	s = json_object_get(json_array_get(json_object_get(out, "indicators"), 0), "sightings");
	assert_int_equal(json_array_size(json_object_get(s, "by_org")), 1); /* its own */
	json_decref(out);
	/* the audit log is append-only */
	json_t *a = NULL;
	assert_int_equal(vg_hub_db_audit_list(f->db, 0, 1000, &a), 0);
	assert_true(json_array_size(a) > 10);
	json_decref(a);
	sqlite3 *h;
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(h), "append-only"));
	assert_int_not_equal(sqlite3_exec(h, "UPDATE audit SET action = 'x'", NULL, NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sql_fragment),
		cmocka_unit_test(test_roles),
		cmocka_unit_test_setup_teardown(test_matrix_c, setup, teardown),
		cmocka_unit_test_setup_teardown(test_matrix_sql, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paging_respects_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sightings_and_audit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
