// SPDX-License-Identifier: Apache-2.0
/*
 * vuln.c — the vulnerable-version table (data/vulns.tsv) and the
 * recognisers that find a component and its version in a banner or a
 * version string; shared by `vigil devices` (banners in traffic) and
 * `vigil audit` (live banners, strings in firmware images).
 *
 * Table rows (TAB-separated; format in data/vulns.tsv and docs/design.md):
 *   component  first-affected  fixed-in  CVE-a,CVE-b  summary
 * "-" is unbounded; fixed-in "<=X" means X is the last affected version
 * (inclusive bound, for advisories that name the last bad build; only
 * X's tokens are compared, so "<=161125" includes "161125/5.4.4").  A row
 * whose both bounds are "-" is version-less: it matches only when the
 * version is unknown (""), e.g. "App-webs/" carries no version; an
 * all-versions row is written "0 -".
 * Versions compare token-wise (vg_version_cmp): digit runs numerically,
 * letter runs as suffixes (1.0.1 < 1.0.1a < 1.0.1f < 1.0.2; z < za),
 * separators ignored, a missing token is 0 (1.34 == 1.34.0).
 * Hikvision firmware ("V5.4.5 build 170124") is canonicalised to
 * "170124/5.4.5" so that builds order by date across firmware lines, as
 * the vendor's advisories state affected builds by date.
 * The recognisers are code (a table below); rows can be added for any
 * recognised component by a user file.  Immutable after load: thread-safe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dev/parse.h"
#include "dev/vuln.h"
#include "lib/data.h"
#include "lib/file.h"

#define VULN_FILE_MAX (4u << 20)

typedef struct vrow {
	char comp[32];
	char *first, *fixed; /* NULL = unbounded */
	bool incl;           /* fixed is the last affected version */
	char *cves, *summary;
} vrow_t;

struct vg_vulns {
	vrow_t *v;
	size_t n, cap;
	char version[64];
};

/* ---- version comparison --------------------------------------------------- */

static inline bool isdig(char c) { return c >= '0' && c <= '9'; }
static inline bool isalph(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline char lc(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

/* Next token of *s: type 1 number, 2 letters, 0 end. */
static int vtok(const char **s, const char **t, size_t *n)
{
	const char *p = *s;
	while (*p && !isdig(*p) && !isalph(*p))
		p++;
	if (!*p) {
		*s = p;
		return 0;
	}
	const char *a = p;
	int type = isdig(*p) ? 1 : 2;
	while (*p && (type == 1 ? isdig(*p) : isalph(*p)))
		p++;
	*t = a;
	*n = (size_t)(p - a);
	*s = p;
	return type;
}

/* Compare a and b; when bprefix, only as many tokens as b has (so that
 * "161125/5.4.4" is within "<=161125"). */
static int vcmp(const char *a, const char *b, bool bprefix)
{
	if (!a)
		a = "";
	if (!b)
		b = "";
	for (;;) {
		const char *ta = NULL, *tb = NULL;
		size_t na = 0, nb = 0;
		int ya = vtok(&a, &ta, &na), yb = vtok(&b, &tb, &nb);
		if (!ya && !yb)
			return 0;
		if (!yb && bprefix)
			return 0;
		if (ya == 1 && yb == 1) {
			while (na > 1 && *ta == '0')
				ta++, na--;
			while (nb > 1 && *tb == '0')
				tb++, nb--;
			if (na != nb)
				return na < nb ? -1 : 1;
			int c = memcmp(ta, tb, na);
			if (c)
				return c < 0 ? -1 : 1;
			continue;
		}
		if (ya == 2 && yb == 2) {
			if (na != nb)
				return na < nb ? -1 : 1;
			for (size_t i = 0; i < na; i++)
				if (lc(ta[i]) != lc(tb[i]))
					return lc(ta[i]) < lc(tb[i]) ? -1 : 1;
			continue;
		}
		/* end vs number: a missing number is 0 */
		if (!ya && yb == 1) {
			for (size_t i = 0; i < nb; i++)
				if (tb[i] != '0')
					return -1;
			continue;
		}
		if (ya == 1 && !yb) {
			for (size_t i = 0; i < na; i++)
				if (ta[i] != '0')
					return 1;
			continue;
		}
		/* end < letters (1.0.1 < 1.0.1a); letters < number */
		if (!ya)
			return -1;
		if (!yb)
			return 1;
		return ya == 2 ? -1 : 1;
	}
}

int vg_version_cmp(const char *a, const char *b) { return vcmp(a, b, false); }

/* ---- recognisers ----------------------------------------------------------- */

typedef struct recog {
	const char *needle; /* case-insensitive */
	const char *comp;
	const char *infix;  /* words that may sit between needle and version ("|"-separated) */
	bool versionless;   /* the needle alone is enough */
} recog_t;

static const recog_t RECOG[] = {
	{"busybox", "busybox", NULL, false},
	{"openssl", "openssl", NULL, false},
	{"dropbear", "dropbear", "sshd|server", false},
	{"goahead", "goahead", "webs|http", true},
	{"linux", "linux", "version|kernel", false},
	{"uc-httpd", "uc-httpd", NULL, true},
	{"app-webs", "hikvision", NULL, true},
	{"dnvrs-webs", "hikvision", NULL, true},
	{"hikvision-webs", "hikvision", NULL, true},
	{"dh_web", "dahua", NULL, true},
	{"dahua", "dahua", NULL, true},
	{"mikrotik", "routeros", "routeros", false},
	{"routeros", "routeros", NULL, false},
	{"rompager", "rompager", NULL, false},
};
#define NRECOG (sizeof(RECOG) / sizeof(RECOG[0]))

static bool infix_ok(const char *list, const char *w, size_t n)
{
	if (!list)
		return false;
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, '|');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == n && !strncasecmp(w, p, n))
			return true;
		p += l + (e ? 1 : 0);
	}
	return false;
}

static bool issep(char c) { return c == ' ' || c == '_' || c == '/' || c == ':' || c == '-' || c == '\t'; }

/* Version right after the needle at t[i..n): true and ver[] set (maybe "")
 * when rc accepts this occurrence. */
static bool version_after(const recog_t *rc, const char *t, size_t i, size_t n, char ver[48])
{
	ver[0] = 0;
	size_t k = i;
	for (int pass = 0; pass < 2; pass++) {
		int s = 0;
		while (k < n && issep(t[k]) && s < 3)
			k++, s++;
		if (pass == 0 && k < n && isalph(t[k]) && !((t[k] == 'v' || t[k] == 'V') && k + 1 < n && isdig(t[k + 1]))) {
			size_t w = k;
			while (w < n && isalph(t[w]))
				w++;
			if (!infix_ok(rc->infix, t + k, w - k))
				return rc->versionless && k > i; /* "GoAhead-Webs" style, other word follows */
			k = w;
			continue;
		}
		break;
	}
	if (k < n && (t[k] == 'v' || t[k] == 'V') && k + 1 < n && isdig(t[k + 1]))
		k++;
	if (k >= n || !isdig(t[k]))
		return rc->versionless;
	size_t o = 0;
	while (k < n && o < 47 && (isdig(t[k]) || isalph(t[k]) || t[k] == '.'))
		ver[o++] = t[k++];
	while (o && ver[o - 1] == '.')
		o--;
	ver[o] = 0;
	return true;
}

/* Hikvision firmware "V5.4.5 build 170124" / "V5.4.5build 170124" at t[i]. */
static bool hik_fw(const char *t, size_t n, size_t i, char ver[48])
{
	size_t k = i;
	if (k >= n || (t[k] != 'V' && t[k] != 'v') || k + 1 >= n || !isdig(t[k + 1]))
		return false;
	if (k > 0 && (isalph(t[k - 1]) || isdig(t[k - 1])))
		return false;
	k++;
	size_t va = k;
	int dots = 0;
	while (k < n && (isdig(t[k]) || t[k] == '.')) {
		dots += t[k] == '.';
		k++;
	}
	size_t vz = k;
	if (dots < 2 || vz - va > 16)
		return false;
	while (k < n && t[k] == ' ')
		k++;
	if (n - k < 5 || !vg_dev_casepfx((const uint8_t *)t + k, n - k, "build"))
		return false;
	k += 5;
	while (k < n && t[k] == ' ')
		k++;
	size_t ba = k;
	while (k < n && isdig(t[k]))
		k++;
	if (k - ba != 6)
		return false;
	memcpy(ver, t + ba, 6);
	ver[6] = '/';
	memcpy(ver + 7, t + va, vz - va);
	ver[7 + vz - va] = 0;
	return true;
}

/* First position of rc's component in t, or n when absent. */
static size_t find_one(const recog_t *rc, const char *t, size_t n, char ver[48])
{
	size_t nl = strlen(rc->needle), off = 0;
	while (off < n) {
		const uint8_t *h = vg_dev_memcasemem((const uint8_t *)t + off, n - off, rc->needle, nl);
		if (!h)
			break;
		size_t i = (size_t)((const char *)h - t);
		if (version_after(rc, t, i + nl, n, ver))
			return i;
		off = i + 1;
	}
	return n;
}

static size_t find_hik(const char *t, size_t n, char ver[48])
{
	for (size_t i = 0; i + 1 < n; i++)
		if ((t[i] == 'V' || t[i] == 'v') && isdig(t[i + 1]) && hik_fw(t, n, i, ver))
			return i;
	return n;
}

int vg_vuln_component(const char *text, size_t len, char comp[32], char ver[48])
{
	if (!text)
		return 0;
	size_t best = len;
	char v[48];
	const char *bc = NULL;
	for (size_t i = 0; i < NRECOG; i++) {
		size_t p = find_one(&RECOG[i], text, len, v);
		if (p < best) {
			best = p;
			bc = RECOG[i].comp;
			memcpy(ver, v, sizeof(v));
		}
	}
	size_t p = find_hik(text, len, v);
	if (p < best) {
		best = p;
		bc = "hikvision";
		memcpy(ver, v, sizeof(v));
	}
	if (!bc)
		return 0;
	snprintf(comp, 32, "%s", bc);
	return 1;
}

/* ---- the table ------------------------------------------------------------- */

static void row_release(vrow_t *r)
{
	free(r->first);
	free(r->fixed);
	free(r->cves);
	free(r->summary);
}

void vg_vulns_free(vg_vulns_t *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		row_release(&v->v[i]);
	free(v->v);
	free(v);
}

const char *vg_vulns_version(const vg_vulns_t *v) { return v ? v->version : ""; }

static int vfail(char *err, size_t errlen, const char *file, unsigned line, const char *what)
{
	if (err && errlen)
		snprintf(err, errlen, "%s:%u: %s", file, line, what);
	return VG_EFORMAT;
}

static bool cves_ok(const char *s)
{
	/* CVE-YYYY-NNNN[N...] (, CVE-...)* */
	const char *p = s;
	for (;;) {
		if (strncmp(p, "CVE-", 4))
			return false;
		p += 4;
		for (int i = 0; i < 4; i++, p++)
			if (!isdig(*p))
				return false;
		if (*p++ != '-')
			return false;
		int d = 0;
		while (isdig(*p))
			p++, d++;
		if (d < 4)
			return false;
		if (!*p)
			return true;
		if (*p++ != ',')
			return false;
	}
}

static bool version_ok(const char *s)
{
	if (!*s)
		return false;
	bool tok = false;
	for (const char *p = s; *p; p++) {
		if (isdig(*p) || isalph(*p))
			tok = true;
		else if (*p != '.' && *p != '/' && *p != '-' && *p != '_')
			return false;
	}
	return tok;
}

static int parse_row(vg_vulns_t *V, char *line, const char *file, unsigned ln, char *err,
		     size_t errlen)
{
	char *f[5];
	int nf = 0;
	char *p = line;
	while (nf < 5) {
		f[nf++] = p;
		char *tab = nf < 5 ? strchr(p, '\t') : NULL;
		if (!tab)
			break;
		*tab = 0;
		p = tab + 1;
	}
	if (nf != 5)
		return vfail(err, errlen, file, ln,
			     "expected 5 TAB-separated fields: component first-affected fixed-in cves summary");
	if (strchr(f[4], '\t'))
		return vfail(err, errlen, file, ln, "too many fields");
	vrow_t r;
	memset(&r, 0, sizeof(r));
	size_t cl = strlen(f[0]);
	if (!cl || cl >= sizeof(r.comp))
		return vfail(err, errlen, file, ln, "bad component name");
	for (size_t i = 0; i < cl; i++) {
		char c = f[0][i];
		if (!(isdig(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.'))
			return vfail(err, errlen, file, ln, "component must be lower-case [a-z0-9._-]");
	}
	memcpy(r.comp, f[0], cl + 1);
	const char *fx = f[2];
	if (!strncmp(fx, "<=", 2)) {
		r.incl = true;
		fx += 2;
	}
	if (strcmp(f[1], "-") && !version_ok(f[1]))
		return vfail(err, errlen, file, ln, "bad first-affected version");
	if (strcmp(fx, "-") && !version_ok(fx))
		return vfail(err, errlen, file, ln, "bad fixed-in version");
	if (r.incl && !strcmp(fx, "-"))
		return vfail(err, errlen, file, ln, "\"<=-\" is not a version");
	if (!cves_ok(f[3]))
		return vfail(err, errlen, file, ln, "cves must be CVE-YYYY-NNNN[,CVE-...]");
	if (!f[4][0])
		return vfail(err, errlen, file, ln, "empty summary");
	r.first = strcmp(f[1], "-") ? strdup(f[1]) : NULL;
	r.fixed = strcmp(fx, "-") ? strdup(fx) : NULL;
	r.cves = strdup(f[3]);
	r.summary = strdup(f[4]);
	if ((strcmp(f[1], "-") && !r.first) || (strcmp(fx, "-") && !r.fixed) || !r.cves || !r.summary) {
		row_release(&r);
		return VG_ENOMEM;
	}
	if (V->n == V->cap) {
		size_t nc = V->cap ? V->cap * 2 : 32;
		vrow_t *nv = realloc(V->v, nc * sizeof(*nv));
		if (!nv) {
			row_release(&r);
			return VG_ENOMEM;
		}
		V->v = nv;
		V->cap = nc;
	}
	V->v[V->n++] = r;
	return 0;
}

static int load_text(vg_vulns_t *V, char *text, size_t len, const char *file, char *err,
		     size_t errlen)
{
	size_t n0 = V->n;
	char ver[64] = "";
	unsigned ln = 0;
	char *p = text, *end = text + len;
	int rc = 0;
	while (p < end && !rc) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		*le = 0;
		ln++;
		if (le > p && le[-1] == '\r')
			le[-1] = 0;
		if (*p == '#') {
			const char *v = strstr(p, "version:");
			if (v && !ver[0]) {
				v += 8;
				while (*v == ' ')
					v++;
				size_t k = strcspn(v, " \t");
				if (k >= sizeof(ver))
					k = sizeof(ver) - 1;
				memcpy(ver, v, k);
				ver[k] = 0;
			}
		} else if (*p)
			rc = parse_row(V, p, file, ln, err, errlen);
		p = le + 1;
	}
	if (rc) {
		while (V->n > n0)
			row_release(&V->v[--V->n]);
		return rc;
	}
	if (!V->version[0] && ver[0])
		memcpy(V->version, ver, sizeof(ver));
	return 0;
}

int vg_vulns_add(vg_vulns_t *v, const char *path, char *err, size_t errlen)
{
	if (!v || !path)
		return VG_EINVAL;
	char *data;
	size_t len;
	int rc = vg_file_read(path, VULN_FILE_MAX, &data, &len);
	if (rc) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, vg_strerror(rc));
		return rc == VG_ELIMIT || rc == VG_ENOMEM ? rc : VG_EIO;
	}
	rc = load_text(v, data, len, path, err, errlen);
	free(data);
	return rc;
}

int vg_vulns_load(vg_vulns_t **out, const char *path, char *err, size_t errlen)
{
	if (!out)
		return VG_EINVAL;
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return VG_ENOMEM;
	int rc = vg_vulns_add(*out, path, err, errlen);
	if (rc) {
		vg_vulns_free(*out);
		*out = NULL;
	}
	return rc;
}

int vg_vulns_load_text(vg_vulns_t **out, const char *name, const char *text, size_t len, char *err,
		       size_t errlen)
{
	if (!out || !text)
		return VG_EINVAL;
	*out = calloc(1, sizeof(**out));
	char *copy = malloc(len + 1);
	if (!*out || !copy) {
		free(copy);
		free(*out);
		*out = NULL;
		return VG_ENOMEM;
	}
	memcpy(copy, text, len);
	copy[len] = 0;
	int rc = load_text(*out, copy, len, name, err, errlen);
	free(copy);
	if (rc) {
		vg_vulns_free(*out);
		*out = NULL;
	}
	return rc;
}

int vg_vulns_builtin(vg_vulns_t **out)
{
	size_t len;
	const char *t = vg_data_get("vulns.tsv", &len);
	if (!t) {
		if (out)
			*out = NULL;
		return VG_ENOTFOUND;
	}
	return vg_vulns_load_text(out, "vulns.tsv", t, len, NULL, 0);
}

static bool row_matches(const vrow_t *r, const char *ver)
{
	bool versionless = !r->first && !r->fixed;
	if (!ver[0] || versionless)
		return !ver[0] && versionless;
	if (r->first && vg_version_cmp(ver, r->first) < 0)
		return false;
	if (r->fixed) {
		int c = vcmp(ver, r->fixed, r->incl);
		if (r->incl ? c > 0 : c >= 0)
			return false;
	}
	return true;
}

int vg_vuln_check(const vg_vulns_t *v, const char *component, const char *version,
		  vg_vuln_hit_t *out, int max)
{
	if (!v || !component || !out || max <= 0)
		return 0;
	if (!version)
		version = "";
	int n = 0;
	for (size_t i = 0; i < v->n && n < max; i++) {
		const vrow_t *r = &v->v[i];
		if (strcmp(r->comp, component) || !row_matches(r, version))
			continue;
		out[n].component = r->comp;
		out[n].cves = r->cves;
		out[n].summary = r->summary;
		snprintf(out[n].version, sizeof(out[n].version), "%s", version);
		n++;
	}
	return n;
}

int vg_vuln_text(const vg_vulns_t *v, const char *text, size_t len, vg_vuln_hit_t *out, int max)
{
	if (!v || !text || !out || max <= 0)
		return 0;
	/* every recognised component of the text, each checked once; the
	 * versioned Hikvision firmware form before the version-less banners */
	int n = 0;
	const char *done[NRECOG + 1];
	int nd = 0;
	char ver[48];
	for (size_t i = 0; i <= NRECOG && n < max; i++) {
		const char *comp;
		if (i == 0) {
			if (find_hik(text, len, ver) == len)
				continue;
			comp = "hikvision";
		} else {
			if (find_one(&RECOG[i - 1], text, len, ver) == len)
				continue;
			comp = RECOG[i - 1].comp;
		}
		bool seen = false;
		for (int k = 0; k < nd; k++)
			seen |= !strcmp(done[k], comp);
		if (seen)
			continue;
		done[nd++] = comp;
		n += vg_vuln_check(v, comp, ver, out + n, max - n);
	}
	return n;
}
