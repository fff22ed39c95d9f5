// SPDX-License-Identifier: Apache-2.0
/*
 * audit_net_stub.c — TEMPORARY weak stand-in for the result model
 * (audit/audit.h) so branch audit-net builds and tests before branch
 * audit-fw's audit.c/report.c land.  Every symbol is weak: the real
 * implementation (strong, and first in the archive) wins.  Removed when
 * audit-fw is merged.  Not thread-safe (as the contract says).
 */
#include "audit/audit.h"

#include <vigil/common.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEAK __attribute__((weak))

typedef struct res {
	char check[48], target[64], ev[512];
	int v;
} res_t;

struct vg_audit {
	char kind[16], subject[256];
	res_t *r;
	size_t n, cap;
};

WEAK const char *vg_verdict_name(int v)
{
	static const char *const n[] = {"NOT-TESTED", "PASS", "INCONCLUSIVE", "FAIL"};
	return v >= 0 && v <= 3 ? n[v] : "?";
}

WEAK int vg_verdict_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, vg_verdict_name(i)))
			return i;
	return -1;
}

WEAK int vg_audit_new(vg_audit_t **out, const char *kind, const char *subject)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return VG_ENOMEM;
	snprintf((*out)->kind, sizeof((*out)->kind), "%s", kind);
	snprintf((*out)->subject, sizeof((*out)->subject), "%s", subject);
	return 0;
}

WEAK void vg_audit_free(vg_audit_t *a)
{
	if (a)
		free(a->r);
	free(a);
}

WEAK int vg_audit_addv(vg_audit_t *a, const char *check, const char *target, int verdict,
		       const char *fmt, va_list ap)
{
	if (verdict < 0 || verdict > 3)
		return VG_EINVAL;
	if (a->n == a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 64;
		res_t *r = realloc(a->r, nc * sizeof(*r));
		if (!r)
			return VG_ENOMEM;
		a->r = r;
		a->cap = nc;
	}
	res_t *r = &a->r[a->n++];
	snprintf(r->check, sizeof(r->check), "%s", check);
	snprintf(r->target, sizeof(r->target), "%s", target ? target : "");
	vsnprintf(r->ev, sizeof(r->ev), fmt, ap);
	r->v = verdict;
	return 0;
}

WEAK int vg_audit_add(vg_audit_t *a, const char *check, const char *target, int verdict,
		      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vg_audit_addv(a, check, target, verdict, fmt, ap);
	va_end(ap);
	return rc;
}

WEAK int vg_audit_set_info(vg_audit_t *a, const char *key, const char *value)
{
	(void)a;
	(void)key;
	(void)value;
	return 0;
}

WEAK int vg_audit_merge(vg_audit_t *dst, vg_audit_t *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (vg_audit_add(dst, src->r[i].check, src->r[i].target, src->r[i].v, "%s", src->r[i].ev))
			return VG_ENOMEM;
	src->n = 0;
	return 0;
}

WEAK int vg_audit_report(vg_audit_t *a, const vg_audit_out_t *o, char *err, size_t errlen)
{
	FILE *j = NULL;
	if (o->json_path) {
		j = strcmp(o->json_path, "-") ? fopen(o->json_path, "w") : stdout;
		if (!j) {
			snprintf(err, errlen, "%s: cannot write", o->json_path);
			return VG_EIO;
		}
		fprintf(j, "{\"kind\":\"%s\",\"results\":[\n", a->kind);
	}
	for (size_t i = 0; i < a->n; i++) {
		if (o->summary)
			printf("%-12s %-26s %-22s %s\n", vg_verdict_name(a->r[i].v), a->r[i].check,
			       a->r[i].target, a->r[i].ev);
		if (j) {
			fprintf(j, "%s{\"check\":\"%s\",\"target\":\"%s\",\"verdict\":\"%s\",\"evidence\":\"",
				i ? "," : "", a->r[i].check, a->r[i].target, vg_verdict_name(a->r[i].v));
			for (const char *p = a->r[i].ev; *p; p++) {
				if (*p == '"' || *p == '\\')
					fputc('\\', j);
				fputc((unsigned char)*p < 0x20 ? ' ' : *p, j);
			}
			fputs("\"}\n", j);
		}
	}
	if (j) {
		fprintf(j, "]}\n");
		if (j != stdout)
			fclose(j);
	}
	return 0;
}

WEAK int vg_audit_exit_code(const vg_audit_t *a)
{
	int worst = 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->r[i].v > worst)
			worst = a->r[i].v;
	return worst == 3 ? 1 : worst == 2 ? 3 : 0;
}
