// SPDX-License-Identifier: Apache-2.0
/*
 * compare.c — diff of two `vigil audit` JSON reports (compare.h).
 * Parses both with jansson (reports are small: one object per provision and
 * per result), validates the fields it uses ("vigil_audit": 1, provisions[]
 * with id/status, checks[] with check/target/verdict) and reports the first
 * bad one.  Rows: provisions, then check ids (worst result each side),
 * then findings (results that are FAIL or INCONCLUSIVE on either side, by
 * check and target).  Rows are built in a growable array; lookups are linear (a few
 * hundred entries at most).  Reentrant.
 */
#include "audit/compare.h"

#include "audit/audit.h"

#include <vigil/common.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cnames[] = {"unchanged", "fixed", "regressed", "new", "untested"};

const char *vg_cmp_name(int c) { return c >= 0 && c <= VG_CMP_UNTESTED ? cnames[c] : "?"; }

void vg_cmp_free(vg_cmp_row_t *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		free(rows[i].id);
	free(rows);
}

typedef struct ent {
	char *key;   /* provision id or "check target" */
	char *check; /* check id (checks only) */
	int v;
} ent_t;

typedef struct side {
	ent_t *p, *c;
	size_t np, nc;
} side_t;

static void side_free(side_t *s)
{
	for (size_t i = 0; i < s->np; i++)
		free(s->p[i].key);
	for (size_t i = 0; i < s->nc; i++)
		free(s->c[i].key), free(s->c[i].check);
	free(s->p), free(s->c);
}

static int load(const char *txt, size_t len, const char *name, side_t *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	json_error_t je;
	json_t *root = json_loadb(txt, len, 0, &je);
	if (!root) {
		snprintf(err, errlen, "%s:%d: %s", name, je.line, je.text);
		return VG_EFORMAT;
	}
	int r = VG_EFORMAT;
	json_t *pv = json_object_get(root, "provisions"), *cv = json_object_get(root, "checks");
	if (json_integer_value(json_object_get(root, "vigil_audit")) != 1 || !json_is_array(pv) ||
	    !json_is_array(cv)) {
		snprintf(err, errlen, "%s: not a vigil audit report (vigil_audit, provisions, checks)",
			 name);
		goto out;
	}
	s->p = calloc(json_array_size(pv) + 1, sizeof(*s->p));
	s->c = calloc(json_array_size(cv) + 1, sizeof(*s->c));
	if (!s->p || !s->c) {
		r = VG_ENOMEM;
		goto out;
	}
	size_t i;
	json_t *e;
	json_array_foreach(pv, i, e) {
		const char *id = json_string_value(json_object_get(e, "id"));
		int v = vg_verdict_parse(json_string_value(json_object_get(e, "status")));
		if (!id || v < 0) {
			snprintf(err, errlen, "%s: provisions[%zu]: missing id or bad status", name, i);
			goto out;
		}
		if (!(s->p[s->np].key = strdup(id))) {
			r = VG_ENOMEM;
			goto out;
		}
		s->p[s->np++].v = v;
	}
	json_array_foreach(cv, i, e) {
		const char *ck = json_string_value(json_object_get(e, "check"));
		const char *tg = json_string_value(json_object_get(e, "target"));
		int v = vg_verdict_parse(json_string_value(json_object_get(e, "verdict")));
		if (!ck || !tg || v < 0) {
			snprintf(err, errlen, "%s: checks[%zu]: missing check/target or bad verdict", name, i);
			goto out;
		}
		size_t kl = strlen(ck) + strlen(tg) + 2;
		char *key = malloc(kl);
		if (!key) {
			r = VG_ENOMEM;
			goto out;
		}
		snprintf(key, kl, "%s%s%s", ck, *tg ? " " : "", tg);
		size_t j;
		for (j = 0; j < s->nc; j++)
			if (!strcmp(s->c[j].key, key))
				break;
		if (j < s->nc) { /* same check and target twice: keep the worst */
			free(key);
			if (v > s->c[j].v)
				s->c[j].v = v;
			continue;
		}
		s->c[s->nc].key = key;
		s->c[s->nc].v = v;
		if (!(s->c[s->nc++].check = strdup(ck))) {
			r = VG_ENOMEM;
			goto out;
		}
	}
	r = 0;
out:
	json_decref(root);
	return r;
}

static int find(const ent_t *e, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(e[i].key, key))
			return (int)i;
	return -1;
}

static bool ran(const side_t *s, const char *check)
{
	for (size_t i = 0; i < s->nc; i++)
		if (!strcmp(s->c[i].check, check) && s->c[i].v != VG_V_NOT_TESTED)
			return true;
	return false;
}

static int worst(const side_t *s, const char *check)
{
	int w = VG_V_NOT_TESTED;
	for (size_t i = 0; i < s->nc; i++)
		if (!strcmp(s->c[i].check, check) && s->c[i].v > w)
			w = s->c[i].v;
	return w;
}

static bool finding(int v) { return v == VG_V_FAIL || v == VG_V_INCONCLUSIVE; }

static int rank(int v) { return v == VG_V_PASS ? 0 : v == VG_V_INCONCLUSIVE ? 1 : 2; }

static int classify(int va, int vb)
{
	if (va == VG_V_NOT_TESTED && vb == VG_V_NOT_TESTED)
		return VG_CMP_UNCHANGED;
	if (va == VG_V_NOT_TESTED)
		return VG_CMP_NEW;
	if (vb == VG_V_NOT_TESTED)
		return VG_CMP_UNTESTED;
	int d = rank(vb) - rank(va);
	return d > 0 ? VG_CMP_REGRESSED : d < 0 ? VG_CMP_FIXED : VG_CMP_UNCHANGED;
}

typedef struct rows {
	vg_cmp_row_t *r;
	size_t n, cap;
} rows_t;

static int push(rows_t *rs, int is_check, const char *id, int va, int vb)
{
	if (rs->n == rs->cap) {
		size_t nc = rs->cap ? rs->cap * 2 : 128;
		vg_cmp_row_t *nr = realloc(rs->r, nc * sizeof(*nr));
		if (!nr)
			return VG_ENOMEM;
		rs->r = nr;
		rs->cap = nc;
	}
	vg_cmp_row_t x = {is_check, strdup(id), va, vb, classify(va, vb)};
	if (!x.id)
		return VG_ENOMEM;
	rs->r[rs->n++] = x;
	return 0;
}

int vg_audit_compare(const char *a, size_t alen, const char *b, size_t blen, vg_cmp_row_t **rows,
		     size_t *n, char *err, size_t errlen)
{
	side_t A, B;
	int r = load(a, alen, "A", &A, err, errlen);
	if (r) {
		side_free(&A);
		return r;
	}
	if ((r = load(b, blen, "B", &B, err, errlen))) {
		side_free(&A);
		side_free(&B);
		return r;
	}
	rows_t rs = {0};
	for (size_t i = 0; !r && i < B.np; i++) {
		int j = find(A.p, A.np, B.p[i].key);
		r = push(&rs, 0, B.p[i].key, j < 0 ? VG_V_NOT_TESTED : A.p[j].v, B.p[i].v);
	}
	for (size_t i = 0; !r && i < A.np; i++)
		if (find(B.p, B.np, A.p[i].key) < 0)
			r = push(&rs, 0, A.p[i].key, A.p[i].v, VG_V_NOT_TESTED);
	/* per check id: the worst result on each side */
	for (int pass = 0; pass < 2; pass++) {
		const side_t *S = pass ? &B : &A, *O = pass ? &A : &B;
		for (size_t i = 0; !r && i < S->nc; i++) {
			bool first = true;
			for (size_t j = 0; j < i && first; j++)
				first = strcmp(S->c[j].check, S->c[i].check) != 0;
			for (size_t j = 0; pass && j < O->nc && first; j++)
				first = strcmp(O->c[j].check, S->c[i].check) != 0;
			if (!first)
				continue;
			int vs = worst(S, S->c[i].check), vo = worst(O, S->c[i].check);
			r = push(&rs, 1, S->c[i].check, pass ? vo : vs, pass ? vs : vo);
		}
	}
	/* findings (FAIL / INCONCLUSIVE results) by check and target */
	for (size_t i = 0; !r && i < A.nc; i++) {
		int j = find(B.c, B.nc, A.c[i].key);
		int vb = j >= 0 ? B.c[j].v : ran(&B, A.c[i].check) ? VG_V_PASS : VG_V_NOT_TESTED;
		if (finding(A.c[i].v) || finding(vb))
			r = push(&rs, 2, A.c[i].key, A.c[i].v, vb);
	}
	for (size_t i = 0; !r && i < B.nc; i++) {
		if (find(A.c, A.nc, B.c[i].key) >= 0 || !finding(B.c[i].v))
			continue;
		int va = ran(&A, B.c[i].check) ? VG_V_PASS : VG_V_NOT_TESTED;
		r = push(&rs, 2, B.c[i].key, va, B.c[i].v);
	}
	side_free(&A);
	side_free(&B);
	if (r) {
		vg_cmp_free(rs.r, rs.n);
		snprintf(err, errlen, "out of memory");
		return r;
	}
	*rows = rs.r;
	*n = rs.n;
	return 0;
}
