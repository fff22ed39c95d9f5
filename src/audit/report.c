// SPDX-License-Identifier: Apache-2.0
/*
 * report.c — the JSON report and the terminal summary of `vigil audit`.
 *
 * JSON ("vigil_audit": 1) follows the per-provision evidence workflow of
 * ETSI TS 103 701: header (kind, subject, tool, map file versions, start,
 * end, info such as scope_owner), then one entry per provision of the
 * catalogue (id, requirement M/R, title, status = rolled-up verdict, the
 * scheme labels, and the results that give evidence for it), then the flat
 * list of every check result with its provisions.  `vigil audit compare`
 * reads this back (compare.c).  Written with the streaming writer into one
 * buffer, then to the file ("-" = stdout) in one go.
 * The summary: counts, then one line per FAIL and INCONCLUSIVE result;
 * ANSI colour only when asked (the command passes isatty(1)).
 */
#include "audit/audit_int.h"

#include "lib/buf.h"
#include "lib/json.h"
#include "lib/timefmt.h"

#include <vigil/common.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void list(vg_jw_t *w, const char *k, const char *csv)
{
	vg_jw_key(w, k);
	vg_jw_arr(w);
	if (strcmp(csv, "-") && *csv) {
		const char *s = csv;
		for (;;) {
			const char *c = strchr(s, ',');
			size_t n = c ? (size_t)(c - s) : strlen(s);
			while (n && *s == ' ')
				s++, n--;
			vg_jw_strn(w, s, n);
			if (!c)
				break;
			s = c + 1;
		}
	}
	vg_jw_end(w);
}

static void provs_of(vg_jw_t *w, const vg_audit_t *a, const char *check)
{
	const vg_amap_check_t *c = vg_amap_check(a->map, check);
	vg_jw_key(w, "provisions");
	vg_jw_arr(w);
	for (size_t j = 0; c && j < c->nprov; j++)
		vg_jw_str(w, vg_amap_prov_at(a->map, c->prov[j])->id);
	vg_jw_end(w);
}

static int write_out(const char *path, const vg_buf_t *b)
{
	if (b->oom)
		return VG_ENOMEM;
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!f)
		return VG_EIO;
	size_t n = fwrite(b->p, 1, b->len, f);
	int bad = n != b->len || fflush(f) != 0;
	if (f != stdout && fclose(f))
		bad = 1;
	return bad ? VG_EIO : 0;
}

static void counts(vg_jw_t *w, const char *k, const size_t c[4])
{
	vg_jw_key(w, k);
	vg_jw_obj(w);
	for (int v = VG_V_FAIL; v >= VG_V_NOT_TESTED; v--)
		vg_jw_kuint(w, vg_verdict_name(v), c[v]);
	vg_jw_end(w);
}

int audit_write_json(const vg_audit_t *a, const vg_aprov_t *pv, const char *path)
{
	vg_buf_t b = VG_BUF_INIT;
	vg_jw_t w;
	char ts[40];
	size_t np = vg_amap_nprov(a->map), pc[4] = {0}, cc[4] = {0};
	for (size_t i = 0; i < np; i++)
		pc[pv[i].verdict]++;
	for (size_t i = 0; i < a->n; i++)
		cc[a->r[i].verdict]++;
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_kint(&w, "vigil_audit", 1);
	vg_jw_kstr(&w, "kind", a->kind);
	vg_jw_kstr(&w, "subject", a->subject);
	vg_jw_key(&w, "tool");
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "name", "vigil");
	vg_jw_kstr(&w, "version", VG_VERSION);
	vg_jw_end(&w);
	vg_jw_key(&w, "maps");
	vg_jw_arr(&w);
	for (size_t i = 0; i < vg_amap_nfiles(a->map); i++) {
		const char *n, *v;
		vg_amap_file(a->map, i, &n, &v);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "file", n);
		vg_jw_kstr(&w, "version", v);
		vg_jw_end(&w);
	}
	vg_jw_end(&w);
	vg_time_iso(a->start, ts, sizeof(ts));
	vg_jw_kstr(&w, "start", ts);
	vg_time_iso(a->end, ts, sizeof(ts));
	vg_jw_kstr(&w, "end", ts);
	vg_jw_key(&w, "info");
	vg_jw_obj(&w);
	for (size_t i = 0; i < a->ni; i++)
		vg_jw_kstr(&w, a->ik[i], a->iv[i]);
	vg_jw_end(&w);
	for (size_t i = 0; i < a->ni; i++)
		if (!strcmp(a->ik[i], "scope_owner"))
			vg_jw_kstr(&w, "scope_owner", a->iv[i]);
	vg_jw_key(&w, "summary");
	vg_jw_obj(&w);
	counts(&w, "provisions", pc);
	counts(&w, "checks", cc);
	vg_jw_end(&w);
	vg_jw_key(&w, "provisions");
	vg_jw_arr(&w);
	for (size_t i = 0; i < np; i++) {
		const vg_prov_t *p = pv[i].p;
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "id", p->id);
		vg_jw_kstr(&w, "title", p->title);
		vg_jw_kstr(&w, "requirement", p->req);
		vg_jw_kstr(&w, "status", vg_verdict_name(pv[i].verdict));
		vg_jw_key(&w, "schemes");
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "etsi_en_303_645", p->id);
		vg_jw_kstr(&w, "qcvn_135_2024", p->qcvn);
		vg_jw_kstr(&w, "decision_724", p->d724);
		list(&w, "owasp_iot_2018", p->owasp);
		list(&w, "nistir_8259a", p->nist);
		vg_jw_end(&w);
		vg_jw_key(&w, "checks");
		vg_jw_arr(&w);
		for (size_t j = 0; j < pv[i].nres; j++) {
			const vg_ares_t *r = &a->r[pv[i].res[j]];
			vg_jw_obj(&w);
			vg_jw_kstr(&w, "check", r->check);
			vg_jw_kstr(&w, "verdict", vg_verdict_name(r->verdict));
			vg_jw_kstr(&w, "target", r->target);
			vg_jw_kstr(&w, "evidence", r->evidence);
			vg_jw_end(&w);
		}
		vg_jw_end(&w);
		vg_jw_end(&w);
	}
	vg_jw_end(&w);
	vg_jw_key(&w, "checks");
	vg_jw_arr(&w);
	for (size_t i = 0; i < a->n; i++) {
		const vg_ares_t *r = &a->r[i];
		const vg_amap_check_t *c = vg_amap_check(a->map, r->check);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "check", r->check);
		vg_jw_kstr(&w, "title", c ? c->title : "");
		vg_jw_kstr(&w, "verdict", vg_verdict_name(r->verdict));
		vg_jw_kstr(&w, "target", r->target);
		vg_jw_kstr(&w, "evidence", r->evidence);
		provs_of(&w, a, r->check);
		vg_jw_end(&w);
	}
	vg_jw_end(&w);
	vg_jw_end(&w);
	vg_buf_addc(&b, '\n');
	int r = write_out(path, &b);
	vg_buf_release(&b);
	return r;
}

static const char *const col[] = {"", "\033[32m", "\033[33m", "\033[1;31m"};

int audit_write_summary(const vg_audit_t *a, const vg_aprov_t *pv, bool color)
{
	vg_buf_t b = VG_BUF_INIT;
	size_t np = vg_amap_nprov(a->map), pc[4] = {0}, cc[4] = {0};
	for (size_t i = 0; i < np; i++)
		pc[pv[i].verdict]++;
	for (size_t i = 0; i < a->n; i++)
		cc[a->r[i].verdict]++;
	vg_buf_addf(&b, "vigil audit %s: %s\n", a->kind, a->subject);
	const size_t *cs[2] = {pc, cc};
	const char *lab[2] = {"provisions", "checks"};
	for (int k = 0; k < 2; k++) {
		vg_buf_addf(&b, "%-11s", lab[k]);
		for (int v = VG_V_FAIL; v >= VG_V_NOT_TESTED; v--)
			vg_buf_addf(&b, " %s%zu %s%s", color && cs[k][v] ? col[v] : "", cs[k][v],
				    vg_verdict_name(v), color && cs[k][v] && v ? "\033[0m" : "");
		vg_buf_addc(&b, '\n');
	}
	for (int v = VG_V_FAIL; v >= VG_V_INCONCLUSIVE; v--)
		for (size_t i = 0; i < a->n; i++) {
			const vg_ares_t *r = &a->r[i];
			if (r->verdict != v)
				continue;
			const vg_amap_check_t *c = vg_amap_check(a->map, r->check);
			vg_buf_addf(&b, "%s%-12s%s %s [", color ? col[v] : "", vg_verdict_name(v),
				    color ? "\033[0m" : "", r->check);
			for (size_t j = 0; c && j < c->nprov; j++)
				vg_buf_addf(&b, "%s%s", j ? "," : "",
					    vg_amap_prov_at(a->map, c->prov[j])->id);
			vg_buf_addf(&b, "] %s%s%s\n", r->target, *r->target ? ": " : "",
				    r->evidence);
		}
	int r = write_out("-", &b);
	vg_buf_release(&b);
	return r;
}
