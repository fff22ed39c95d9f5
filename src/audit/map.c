// SPDX-License-Identifier: Apache-2.0
/*
 * map.c — loads the provision catalogue and the check -> provision maps of
 * `vigil audit` (see map.h for the formats).  The embedded files come from
 * src/lib/data.h: "audit-provisions.tsv" first, then every embedded file
 * whose name starts with "audit-map-" and ends in ".tsv", in table order;
 * user files (--map) are added after them and override rows by check id.
 *
 * Parsing is line by line over the whole text with explicit bounds (no
 * strtok); every error names file:line.  Lookups are linear: the catalogue
 * has ~70 rows and the maps a few dozen, and a report does one lookup per
 * result.  Owns every string; vg_amap_free releases all.  Immutable after
 * loading, so concurrent readers are safe.
 */
#include "audit/map.h"

#include "lib/data.h"
#include "lib/file.h"

#include <vigil/common.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 8
#define MAP_FILE_MAX (4u << 20)

struct vg_amap {
	vg_prov_t *p;
	size_t np, capp;
	vg_amap_check_t *c;
	size_t nc, capc;
	char **fname, **fver;
	size_t nf;
};

int vg_amap_new(vg_amap_t **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : VG_ENOMEM;
}

static void check_release(vg_amap_check_t *c)
{
	free(c->id);
	free(c->title);
	free(c->prov);
}

void vg_amap_free(vg_amap_t *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->np; i++) {
		vg_prov_t *p = &m->p[i];
		free(p->id), free(p->req), free(p->title), free(p->qcvn), free(p->d724);
		free(p->owasp), free(p->nist);
	}
	for (size_t i = 0; i < m->nc; i++)
		check_release(&m->c[i]);
	for (size_t i = 0; i < m->nf; i++)
		free(m->fname[i]), free(m->fver[i]);
	free(m->p), free(m->c), free(m->fname), free(m->fver);
	free(m);
}

/* Split line [s, e) on TABs into at most MAX_FIELDS (start, len) pairs. */
static int split(const char *s, const char *e, const char **f, size_t *fl)
{
	int n = 0;
	const char *b = s;
	for (const char *q = s;; q++) {
		if (q == e || *q == '\t') {
			if (n == MAX_FIELDS)
				return MAX_FIELDS + 1;
			f[n] = b;
			fl[n] = (size_t)(q - b);
			n++;
			b = q + 1;
			if (q == e)
				break;
		}
	}
	return n;
}

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

static int add_file(vg_amap_t *m, const char *name, const char *text, size_t len)
{
	const char *ver = "", *e = text + len;
	size_t vl = 0;
	for (const char *s = text; s < e;) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		const char *le = nl ? nl : e;
		static const char key[] = "# version:";
		if ((size_t)(le - s) > sizeof(key) - 1 && !memcmp(s, key, sizeof(key) - 1)) {
			ver = s + sizeof(key) - 1;
			while (ver < le && *ver == ' ')
				ver++;
			vl = (size_t)(le - ver);
			while (vl && (ver[vl - 1] == '\r' || ver[vl - 1] == ' '))
				vl--;
			break;
		}
		s = nl ? nl + 1 : e;
	}
	char **fn = realloc(m->fname, (m->nf + 1) * sizeof(*fn));
	if (!fn)
		return VG_ENOMEM;
	m->fname = fn;
	char **fv = realloc(m->fver, (m->nf + 1) * sizeof(*fv));
	if (!fv)
		return VG_ENOMEM;
	m->fver = fv;
	m->fname[m->nf] = strdup(name);
	m->fver[m->nf] = dupn(ver, vl);
	if (!m->fname[m->nf] || !m->fver[m->nf]) {
		free(m->fname[m->nf]), free(m->fver[m->nf]);
		return VG_ENOMEM;
	}
	m->nf++;
	return 0;
}

/* Iterate the data lines of text: calls fn(m, fields, lens, n, lineno). */
typedef int (*row_fn)(vg_amap_t *m, const char **f, const size_t *fl, int n, const char *name,
		      unsigned long line, char *err, size_t errlen);

static int each_row(vg_amap_t *m, const char *name, const char *text, size_t len, row_fn fn,
		    char *err, size_t errlen)
{
	const char *e = text + len;
	unsigned long line = 0;
	for (const char *s = text; s < e;) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		const char *le = nl ? nl : e;
		line++;
		const char *ls = s;
		s = nl ? nl + 1 : e;
		if (le > ls && le[-1] == '\r')
			le--;
		if (le == ls || *ls == '#')
			continue;
		const char *f[MAX_FIELDS + 1];
		size_t fl[MAX_FIELDS + 1];
		int n = split(ls, le, f, fl);
		int r = fn(m, f, fl, n, name, line, err, errlen);
		if (r)
			return r;
	}
	return add_file(m, name, text, len);
}

long vg_amap_prov_find(const vg_amap_t *m, const char *id)
{
	for (size_t i = 0; i < m->np; i++)
		if (!strcmp(m->p[i].id, id))
			return (long)i;
	return -1;
}

static long prov_findn(const vg_amap_t *m, const char *id, size_t n)
{
	for (size_t i = 0; i < m->np; i++)
		if (strlen(m->p[i].id) == n && !memcmp(m->p[i].id, id, n))
			return (long)i;
	return -1;
}

static int prov_row(vg_amap_t *m, const char **f, const size_t *fl, int n, const char *name,
		    unsigned long line, char *err, size_t errlen)
{
	if (n != 7) {
		snprintf(err, errlen, "%s:%lu: expected 7 TAB-separated fields, got %d", name, line,
			 n);
		return VG_EFORMAT;
	}
	if (!fl[0] || fl[0] > 15) {
		snprintf(err, errlen, "%s:%lu: bad provision id", name, line);
		return VG_EFORMAT;
	}
	if (prov_findn(m, f[0], fl[0]) >= 0) {
		snprintf(err, errlen, "%s:%lu: duplicate provision %.*s", name, line, (int)fl[0],
			 f[0]);
		return VG_EFORMAT;
	}
	if (m->np == m->capp) {
		size_t nc = m->capp ? m->capp * 2 : 64;
		vg_prov_t *np = realloc(m->p, nc * sizeof(*np));
		if (!np)
			return VG_ENOMEM;
		m->p = np;
		m->capp = nc;
	}
	vg_prov_t p = {dupn(f[0], fl[0]), dupn(f[1], fl[1]), dupn(f[2], fl[2]), dupn(f[3], fl[3]),
		       dupn(f[4], fl[4]), dupn(f[5], fl[5]), dupn(f[6], fl[6])};
	m->p[m->np++] = p;
	if (!p.id || !p.req || !p.title || !p.qcvn || !p.d724 || !p.owasp || !p.nist)
		return VG_ENOMEM; /* freed by vg_amap_free */
	return 0;
}

static int check_row(vg_amap_t *m, const char **f, const size_t *fl, int n, const char *name,
		     unsigned long line, char *err, size_t errlen)
{
	if (n != 3) {
		snprintf(err, errlen, "%s:%lu: expected 3 TAB-separated fields, got %d", name, line,
			 n);
		return VG_EFORMAT;
	}
	if (!fl[0] || !fl[1]) {
		snprintf(err, errlen, "%s:%lu: empty check id or provision list", name, line);
		return VG_EFORMAT;
	}
	vg_amap_check_t c = {dupn(f[0], fl[0]), dupn(f[2], fl[2]), NULL, 0};
	if (!c.id || !c.title) {
		check_release(&c);
		return VG_ENOMEM;
	}
	if (!(fl[1] == 1 && f[1][0] == '-')) {
		size_t cnt = 1;
		for (size_t i = 0; i < fl[1]; i++)
			cnt += f[1][i] == ',';
		c.prov = calloc(cnt, sizeof(*c.prov));
		if (!c.prov) {
			check_release(&c);
			return VG_ENOMEM;
		}
		const char *s = f[1], *e = f[1] + fl[1];
		while (s <= e) {
			const char *q = memchr(s, ',', (size_t)(e - s));
			if (!q)
				q = e;
			const char *a = s, *b = q;
			while (a < b && *a == ' ')
				a++;
			while (b > a && b[-1] == ' ')
				b--;
			long pi = prov_findn(m, a, (size_t)(b - a));
			if (pi < 0) {
				snprintf(err, errlen, "%s:%lu: check %s: unknown provision '%.*s'",
					 name, line, c.id, (int)(b - a), a);
				check_release(&c);
				return VG_EFORMAT;
			}
			c.prov[c.nprov++] = (size_t)pi;
			s = q + 1;
		}
	}
	for (size_t i = 0; i < m->nc; i++)
		if (!strcmp(m->c[i].id, c.id)) {
			check_release(&m->c[i]);
			m->c[i] = c;
			return 0;
		}
	if (m->nc == m->capc) {
		size_t nc = m->capc ? m->capc * 2 : 64;
		vg_amap_check_t *np = realloc(m->c, nc * sizeof(*np));
		if (!np) {
			check_release(&c);
			return VG_ENOMEM;
		}
		m->c = np;
		m->capc = nc;
	}
	m->c[m->nc++] = c;
	return 0;
}

int vg_amap_load_provisions(vg_amap_t *m, const char *name, const char *text, size_t len,
			    char *err, size_t errlen)
{
	return each_row(m, name, text, len, prov_row, err, errlen);
}

int vg_amap_load_checks(vg_amap_t *m, const char *name, const char *text, size_t len,
			char *err, size_t errlen)
{
	return each_row(m, name, text, len, check_row, err, errlen);
}

int vg_amap_builtin(vg_amap_t **out, char *err, size_t errlen)
{
	vg_amap_t *m;
	int r = vg_amap_new(&m);
	if (r)
		return r;
	size_t len;
	const char *t = vg_data_get("audit-provisions.tsv", &len);
	if (!t) {
		snprintf(err, errlen, "audit-provisions.tsv is not built in");
		vg_amap_free(m);
		return VG_ENOTFOUND;
	}
	r = vg_amap_load_provisions(m, "audit-provisions.tsv", t, len, err, errlen);
	for (const vg_data_file_t *d = vg_data_files; !r && d->name; d++) {
		size_t nl = strlen(d->name);
		if (nl > 14 && !strncmp(d->name, "audit-map-", 10) &&
		    !strcmp(d->name + nl - 4, ".tsv"))
			r = vg_amap_load_checks(m, d->name, d->data, d->len, err, errlen);
	}
	if (r) {
		vg_amap_free(m);
		return r;
	}
	*out = m;
	return 0;
}

int vg_amap_add_file(vg_amap_t *m, const char *path, char *err, size_t errlen)
{
	char *data;
	size_t len;
	int r = vg_file_read(path, MAP_FILE_MAX, &data, &len);
	if (r) {
		snprintf(err, errlen, "%s: %s", path, r == VG_EIO ? strerror(errno) : vg_strerror(r));
		return r;
	}
	r = vg_amap_load_checks(m, path, data, len, err, errlen);
	free(data);
	return r;
}

size_t vg_amap_nprov(const vg_amap_t *m) { return m->np; }
const vg_prov_t *vg_amap_prov_at(const vg_amap_t *m, size_t i) { return &m->p[i]; }
size_t vg_amap_ncheck(const vg_amap_t *m) { return m->nc; }
const vg_amap_check_t *vg_amap_check_at(const vg_amap_t *m, size_t i) { return &m->c[i]; }

const vg_amap_check_t *vg_amap_check(const vg_amap_t *m, const char *id)
{
	for (size_t i = 0; i < m->nc; i++)
		if (!strcmp(m->c[i].id, id))
			return &m->c[i];
	return NULL;
}

size_t vg_amap_nfiles(const vg_amap_t *m) { return m->nf; }
void vg_amap_file(const vg_amap_t *m, size_t i, const char **name, const char **version)
{
	*name = m->fname[i];
	*version = m->fver[i];
}
