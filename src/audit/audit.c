// SPDX-License-Identifier: Apache-2.0
/*
 * audit.c — the result model of `vigil audit` (audit.h): a growable array
 * of (check, target, verdict, evidence) results, free-form subject facts,
 * and the check -> provision maps (audit/map.h) loaded on first use.
 *
 * Evidence is formatted once at vg_audit_add time and flattened to one line
 * (CR, LF, TAB and other control bytes become spaces) so every report shows
 * it the same way; escaping for JSON and HTML happens in the writers.
 * audit_rollup computes the per-provision verdict: the worst result of the
 * checks mapped to it (FAIL > INCONCLUSIVE > PASS > NOT-TESTED), NOT-TESTED
 * when none ran.
 * Ownership: the audit owns every string; vg_audit_merge moves results.
 * Not thread-safe (see audit.h): parallel checks collect and merge.
 */
#include "audit/audit_int.h"

#include "lib/buf.h"

#include <vigil/common.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const names[] = {"NOT-TESTED", "PASS", "INCONCLUSIVE", "FAIL"};

const char *vg_verdict_name(int v)
{
	return v >= 0 && v <= VG_V_FAIL ? names[v] : "?";
}

int vg_verdict_parse(const char *s)
{
	for (int i = 0; i <= VG_V_FAIL; i++)
		if (s && !strcmp(s, names[i]))
			return i;
	return -1;
}

int vg_audit_new(vg_audit_t **out, const char *kind, const char *subject)
{
	vg_audit_t *a = calloc(1, sizeof(*a));
	if (!a)
		return VG_ENOMEM;
	a->kind = strdup(kind ? kind : "");
	a->subject = strdup(subject ? subject : "");
	a->start = (int64_t)time(NULL);
	if (!a->kind || !a->subject) {
		vg_audit_free(a);
		return VG_ENOMEM;
	}
	*out = a;
	return 0;
}

static void res_release(vg_ares_t *r)
{
	free(r->check);
	free(r->target);
	free(r->evidence);
}

void vg_audit_free(vg_audit_t *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		res_release(&a->r[i]);
	for (size_t i = 0; i < a->ni; i++)
		free(a->ik[i]), free(a->iv[i]);
	free(a->r), free(a->ik), free(a->iv);
	free(a->kind), free(a->subject);
	vg_amap_free(a->map);
	free(a);
}

static int grow(vg_audit_t *a, size_t more)
{
	if (a->n + more <= a->cap)
		return 0;
	size_t nc = a->cap ? a->cap : 32;
	while (nc < a->n + more)
		nc *= 2;
	vg_ares_t *p = realloc(a->r, nc * sizeof(*p));
	if (!p)
		return VG_ENOMEM;
	a->r = p;
	a->cap = nc;
	return 0;
}

int vg_audit_addv(vg_audit_t *a, const char *check, const char *target, int verdict,
		  const char *evidence_fmt, va_list ap)
{
	if (!a || !check || verdict < VG_V_NOT_TESTED || verdict > VG_V_FAIL)
		return VG_EINVAL;
	if (grow(a, 1))
		return VG_ENOMEM;
	vg_buf_t b = VG_BUF_INIT;
	if (evidence_fmt)
		vg_buf_vaddf(&b, evidence_fmt, ap);
	vg_buf_addc(&b, 0); /* make sure p is allocated even when empty */
	if (b.oom) {
		vg_buf_release(&b);
		return VG_ENOMEM;
	}
	for (size_t i = 0; i + 1 < b.len; i++)
		if ((unsigned char)b.p[i] < 0x20 || b.p[i] == 0x7f)
			b.p[i] = ' ';
	vg_ares_t r = {strdup(check), strdup(target ? target : ""), b.p, verdict};
	if (!r.check || !r.target) {
		res_release(&r);
		return VG_ENOMEM;
	}
	a->r[a->n++] = r;
	return 0;
}

int vg_audit_add(vg_audit_t *a, const char *check, const char *target, int verdict,
		 const char *evidence_fmt, ...)
{
	va_list ap;
	va_start(ap, evidence_fmt);
	int r = vg_audit_addv(a, check, target, verdict, evidence_fmt, ap);
	va_end(ap);
	return r;
}

int vg_audit_set_info(vg_audit_t *a, const char *key, const char *value)
{
	if (!a || !key || !value)
		return VG_EINVAL;
	for (size_t i = 0; i < a->ni; i++)
		if (!strcmp(a->ik[i], key)) {
			char *v = strdup(value);
			if (!v)
				return VG_ENOMEM;
			free(a->iv[i]);
			a->iv[i] = v;
			return 0;
		}
	char **k = realloc(a->ik, (a->ni + 1) * sizeof(*k));
	if (!k)
		return VG_ENOMEM;
	a->ik = k;
	char **v = realloc(a->iv, (a->ni + 1) * sizeof(*v));
	if (!v)
		return VG_ENOMEM;
	a->iv = v;
	a->ik[a->ni] = strdup(key);
	a->iv[a->ni] = strdup(value);
	if (!a->ik[a->ni] || !a->iv[a->ni]) {
		free(a->ik[a->ni]), free(a->iv[a->ni]);
		return VG_ENOMEM;
	}
	a->ni++;
	return 0;
}

int vg_audit_merge(vg_audit_t *dst, vg_audit_t *src)
{
	if (!dst || !src)
		return VG_EINVAL;
	if (grow(dst, src->n))
		return VG_ENOMEM;
	memcpy(dst->r + dst->n, src->r, src->n * sizeof(*src->r));
	dst->n += src->n;
	src->n = 0;
	return 0;
}

const struct vg_amap *vg_audit_map(vg_audit_t *a, char *err, size_t errlen)
{
	if (!a->map && vg_amap_builtin(&a->map, err, errlen))
		return NULL;
	return a->map;
}

int vg_audit_add_map(vg_audit_t *a, const char *path, char *err, size_t errlen)
{
	if (!vg_audit_map(a, err, errlen))
		return VG_EFORMAT;
	return vg_amap_add_file(a->map, path, err, errlen);
}

const char *vg_audit_subject(const vg_audit_t *a) { return a->subject; }

size_t vg_audit_count(const vg_audit_t *a, int v)
{
	size_t c = 0;
	for (size_t i = 0; i < a->n; i++)
		c += a->r[i].verdict == v;
	return c;
}

int vg_audit_exit_code(const vg_audit_t *a)
{
	if (vg_audit_count(a, VG_V_FAIL))
		return 1;
	if (vg_audit_count(a, VG_V_INCONCLUSIVE))
		return 3;
	return 0;
}

void audit_rollup_free(vg_aprov_t *p, size_t n)
{
	if (!p)
		return;
	for (size_t i = 0; i < n; i++)
		free(p[i].res);
	free(p);
}

int audit_rollup(const vg_audit_t *a, vg_aprov_t **out)
{
	size_t np = vg_amap_nprov(a->map);
	vg_aprov_t *pv = calloc(np ? np : 1, sizeof(*pv));
	if (!pv)
		return VG_ENOMEM;
	for (size_t i = 0; i < np; i++)
		pv[i].p = vg_amap_prov_at(a->map, i);
	for (size_t i = 0; i < a->n; i++) {
		const vg_amap_check_t *c = vg_amap_check(a->map, a->r[i].check);
		for (size_t j = 0; c && j < c->nprov; j++) {
			vg_aprov_t *p = &pv[c->prov[j]];
			size_t *nr = realloc(p->res, (p->nres + 1) * sizeof(*nr));
			if (!nr) {
				audit_rollup_free(pv, np);
				return VG_ENOMEM;
			}
			p->res = nr;
			p->res[p->nres++] = i;
			if (a->r[i].verdict > p->verdict)
				p->verdict = a->r[i].verdict;
		}
	}
	*out = pv;
	return 0;
}

int vg_audit_report(vg_audit_t *a, const vg_audit_out_t *o, char *err, size_t errlen)
{
	if (!vg_audit_map(a, err, errlen))
		return VG_EFORMAT;
	a->end = (int64_t)time(NULL);
	vg_aprov_t *pv;
	if (audit_rollup(a, &pv)) {
		snprintf(err, errlen, "out of memory");
		return VG_ENOMEM;
	}
	int r = 0;
	if (o->json_path && (r = audit_write_json(a, pv, o->json_path)))
		snprintf(err, errlen, "cannot write '%s': %s", o->json_path, vg_strerror(r));
	if (!r && o->html_path && (r = audit_write_html(a, pv, o->html_path)))
		snprintf(err, errlen, "cannot write '%s': %s", o->html_path, vg_strerror(r));
	if (!r && o->summary && (r = audit_write_summary(a, pv, o->color)))
		snprintf(err, errlen, "cannot write the summary: %s", vg_strerror(r));
	audit_rollup_free(pv, vg_amap_nprov(a->map));
	return r;
}
