// SPDX-License-Identifier: Apache-2.0
/*
 * rules.c — declarative fingerprint rules: load (builtin data/fingerprints.rules
 * and user files), match a signal, report what it says about the device.
 *
 * Format (documented in the header of data/fingerprints.rules and in
 * docs/design.md): one rule per line,
 *   ID  SIGNAL  MATCH  "PATTERN"  KEY=VALUE...
 * SIGNAL is a vg_dev_sig_name(); MATCH one of exact, prefix, contains,
 * regex (POSIX extended) and their case-insensitive forms iexact, iprefix,
 * icontains, iregex; KEY one of class, conf, vendor, model, firmware.
 * model/firmware may hold $0..$9 (regex capture groups; $0 = the whole
 * match) and $$.  "# version: X" in a comment sets the version.  Errors
 * name FILE:LINE and the problem; a file loads wholly or not at all.
 *
 * Rules are compiled at load time (regcomp) and immutable afterwards, so
 * vg_dev_rules_match is thread-safe (regexec on a compiled regex_t is);
 * matching is per signal, not per packet.  Ownership: vg_dev_rules_t owns
 * every string; vg_dev_fp_t.rule_id/vendor borrow from it.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev/dev.h"
#include "dev/parse.h"
#include "lib/data.h"
#include "lib/file.h"

#define RULES_FILE_MAX (4u << 20)
#define RULE_LINE_MAX 4096
#define RULE_ID_MAX 64

enum { OP_EXACT, OP_PREFIX, OP_CONTAINS, OP_REGEX };

typedef struct rule {
	char *id;
	int kind;
	int op;
	bool icase;
	char *pat;
	size_t plen;
	regex_t re;
	bool has_re;
	int cls;
	uint8_t conf;
	char *vendor, *model, *fw;
} rule_t;

struct vg_dev_rules {
	rule_t *v;
	size_t n, cap;
	char version[64];
};

static void rule_release(rule_t *r)
{
	free(r->id);
	free(r->pat);
	free(r->vendor);
	free(r->model);
	free(r->fw);
	if (r->has_re)
		regfree(&r->re);
}

void vg_dev_rules_free(vg_dev_rules_t *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		rule_release(&r->v[i]);
	free(r->v);
	free(r);
}

const char *vg_dev_rules_version(const vg_dev_rules_t *r) { return r ? r->version : ""; }

/* ---- tokenizer ------------------------------------------------------------- */

typedef struct tok {
	char *p; /* NUL-terminated (in place) */
	bool quoted;
} tok_t;

/* Next token of *s: a bare word, a "quoted string" (\" inside is a quote,
 * other backslashes stay), or KEY="quoted".  Returns 1 token, 0 end, -1
 * unterminated quote.  Modifies the line in place. */
static int next_tok(char **s, tok_t *t)
{
	char *p = *s;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 0;
	t->p = p;
	t->quoted = false;
	char *w = p;
	bool inq = false;
	for (;;) {
		char c = *p;
		if (!c) {
			if (inq)
				return -1;
			break;
		}
		if (!inq && (c == ' ' || c == '\t')) {
			p++;
			break;
		}
		if (c == '"') {
			inq = !inq;
			t->quoted = true;
			p++;
			continue;
		}
		if (inq && c == '\\' && p[1] == '"') {
			*w++ = '"';
			p += 2;
			continue;
		}
		*w++ = c;
		p++;
	}
	*w = 0;
	*s = p;
	return 1;
}

static int fail(char *err, size_t errlen, const char *file, unsigned line, const char *what,
		const char *arg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s:%u: %s%s%s%s", file, line, what, arg ? " '" : "",
			 arg ? arg : "", arg ? "'" : "");
	return VG_EFORMAT;
}

/* Highest $N used in a template, -1 if none; -2 on a bad '$'. */
static int tmpl_max(const char *t)
{
	int m = -1;
	for (const char *p = t; *p; p++) {
		if (*p != '$')
			continue;
		if (p[1] == '$') {
			p++;
			continue;
		}
		if (p[1] < '0' || p[1] > '9')
			return -2;
		if (p[1] - '0' > m)
			m = p[1] - '0';
		p++;
	}
	return m;
}

static int parse_line(vg_dev_rules_t *R, char *line, const char *file, unsigned ln, char *err,
		      size_t errlen)
{
	tok_t t[4];
	char *s = line;
	for (int i = 0; i < 4; i++) {
		int k = next_tok(&s, &t[i]);
		if (k < 0)
			return fail(err, errlen, file, ln, "unterminated quote", NULL);
		if (k == 0)
			return fail(err, errlen, file, ln,
				    i == 0 ? "empty rule" : "expected ID SIGNAL MATCH \"PATTERN\" KEY=VALUE...",
				    NULL);
	}
	rule_t r;
	memset(&r, 0, sizeof(r));
	if (strlen(t[0].p) >= RULE_ID_MAX || t[0].quoted)
		return fail(err, errlen, file, ln, "bad rule id", t[0].p);
	for (size_t i = 0; i < R->n; i++)
		if (!strcmp(R->v[i].id, t[0].p))
			return fail(err, errlen, file, ln, "duplicate rule id", t[0].p);
	r.kind = vg_dev_sig_kind(t[1].p);
	if (r.kind == VG_SIG_NONE)
		return fail(err, errlen, file, ln, "unknown signal", t[1].p);
	const char *op = t[2].p;
	r.icase = op[0] == 'i';
	if (r.icase)
		op++;
	if (!strcmp(op, "exact"))
		r.op = OP_EXACT;
	else if (!strcmp(op, "prefix"))
		r.op = OP_PREFIX;
	else if (!strcmp(op, "contains"))
		r.op = OP_CONTAINS;
	else if (!strcmp(op, "regex"))
		r.op = OP_REGEX;
	else
		return fail(err, errlen, file, ln, "unknown match (exact, prefix, contains, regex, i...)",
			    t[2].p);
	if (!t[3].quoted || !t[3].p[0])
		return fail(err, errlen, file, ln, "pattern must be a non-empty \"quoted string\"", NULL);
	r.cls = VG_CLASS_UNKNOWN;
	r.conf = 50;
	int nconc = 0, maxref = 0;
	tok_t kv;
	int k;
	char *vendor = NULL, *model = NULL, *fw = NULL;
	while ((k = next_tok(&s, &kv)) > 0) {
		char *eq = strchr(kv.p, '=');
		if (!eq)
			return fail(err, errlen, file, ln, "expected KEY=VALUE, got", kv.p);
		*eq = 0;
		char *v = eq + 1;
		nconc++;
		if (!strcmp(kv.p, "class")) {
			r.cls = vg_dev_class_parse(v);
			if (r.cls < 0)
				return fail(err, errlen, file, ln, "unknown class", v);
		} else if (!strcmp(kv.p, "conf")) {
			char *end;
			long c = strtol(v, &end, 10);
			if (!*v || *end || c < 0 || c > 100)
				return fail(err, errlen, file, ln, "conf must be 0..100, got", v);
			r.conf = (uint8_t)c;
		} else if (!strcmp(kv.p, "vendor")) {
			vendor = v;
		} else if (!strcmp(kv.p, "model") || !strcmp(kv.p, "firmware")) {
			int m = tmpl_max(v);
			if (m == -2)
				return fail(err, errlen, file, ln, "bad '$' in template", v);
			if (m > maxref)
				maxref = m;
			if (kv.p[0] == 'm')
				model = v;
			else
				fw = v;
		} else
			return fail(err, errlen, file, ln, "unknown key (class, conf, vendor, model, firmware)",
				    kv.p);
	}
	if (k < 0)
		return fail(err, errlen, file, ln, "unterminated quote", NULL);
	if (!nconc)
		return fail(err, errlen, file, ln, "rule concludes nothing", t[0].p);
	if (r.op == OP_REGEX) {
		int rc = regcomp(&r.re, t[3].p, REG_EXTENDED | (r.icase ? REG_ICASE : 0));
		if (rc) {
			char m[160];
			regerror(rc, &r.re, m, sizeof(m));
			return fail(err, errlen, file, ln, "bad regex:", m);
		}
		r.has_re = true;
		if ((size_t)maxref > r.re.re_nsub) {
			regfree(&r.re);
			return fail(err, errlen, file, ln, "template refers to a missing capture group", NULL);
		}
	} else if (maxref > 0)
		return fail(err, errlen, file, ln, "$1..$9 need a regex match", NULL);
	r.id = strdup(t[0].p);
	r.pat = strdup(t[3].p);
	r.plen = strlen(t[3].p);
	r.vendor = vendor ? strdup(vendor) : NULL;
	r.model = model ? strdup(model) : NULL;
	r.fw = fw ? strdup(fw) : NULL;
	if (!r.id || !r.pat || (vendor && !r.vendor) || (model && !r.model) || (fw && !r.fw)) {
		rule_release(&r);
		return VG_ENOMEM;
	}
	if (R->n == R->cap) {
		size_t nc = R->cap ? R->cap * 2 : 64;
		rule_t *nv = realloc(R->v, nc * sizeof(*nv));
		if (!nv) {
			rule_release(&r);
			return VG_ENOMEM;
		}
		R->v = nv;
		R->cap = nc;
	}
	R->v[R->n++] = r;
	return 0;
}

/* Parse text (NUL-terminated, modified in place) into R; on error R is
 * restored to its previous rules (a file loads wholly or not at all). */
static int load_text(vg_dev_rules_t *R, char *text, size_t len, const char *file, char *err,
		     size_t errlen)
{
	size_t n0 = R->n;
	char ver[64] = "";
	unsigned ln = 0;
	char *p = text, *end = text + len;
	int rc = 0;
	while (p < end && !rc) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		*le = 0;
		ln++;
		if ((size_t)(le - p) > RULE_LINE_MAX) {
			rc = fail(err, errlen, file, ln, "line too long", NULL);
			break;
		}
		if (le > p && le[-1] == '\r')
			le[-1] = 0;
		char *s = p;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '#') {
			const char *v = strstr(s, "version:");
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
		} else if (*s)
			rc = parse_line(R, s, file, ln, err, errlen);
		p = le + 1;
	}
	if (rc) {
		while (R->n > n0)
			rule_release(&R->v[--R->n]);
		return rc;
	}
	if (!R->version[0] && ver[0])
		memcpy(R->version, ver, sizeof(ver));
	return 0;
}

static int new_rules(vg_dev_rules_t **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : VG_ENOMEM;
}

int vg_dev_rules_add(vg_dev_rules_t *r, const char *path, char *err, size_t errlen)
{
	if (!r || !path)
		return VG_EINVAL;
	char *data;
	size_t len;
	int rc = vg_file_read(path, RULES_FILE_MAX, &data, &len);
	if (rc) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, vg_strerror(rc));
		return rc == VG_ELIMIT || rc == VG_ENOMEM ? rc : VG_EIO;
	}
	rc = load_text(r, data, len, path, err, errlen);
	free(data);
	return rc;
}

int vg_dev_rules_load(vg_dev_rules_t **out, const char *path, char *err, size_t errlen)
{
	if (!out)
		return VG_EINVAL;
	*out = NULL;
	vg_dev_rules_t *r;
	if (new_rules(&r))
		return VG_ENOMEM;
	int rc = vg_dev_rules_add(r, path, err, errlen);
	if (rc) {
		vg_dev_rules_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* vg_dev_rules_load_text: rules from a string (name for messages); used by
 * vg_dev_rules_builtin and the tests. */
int vg_dev_rules_load_text(vg_dev_rules_t **out, const char *name, const char *text, size_t len,
			   char *err, size_t errlen)
{
	if (!out || !text)
		return VG_EINVAL;
	*out = NULL;
	vg_dev_rules_t *r;
	if (new_rules(&r))
		return VG_ENOMEM;
	char *copy = malloc(len + 1);
	if (!copy) {
		free(r);
		return VG_ENOMEM;
	}
	memcpy(copy, text, len);
	copy[len] = 0;
	int rc = load_text(r, copy, len, name, err, errlen);
	free(copy);
	if (rc) {
		vg_dev_rules_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int vg_dev_rules_builtin(vg_dev_rules_t **out)
{
	size_t len;
	const char *t = vg_data_get("fingerprints.rules", &len);
	if (!t)
		return VG_ENOTFOUND;
	return vg_dev_rules_load_text(out, "fingerprints.rules", t, len, NULL, 0);
}

/* ---- matching ------------------------------------------------------------------ */

static inline char lc(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static bool eqn(const char *a, const char *b, size_t n, bool icase)
{
	if (!icase)
		return !memcmp(a, b, n);
	for (size_t i = 0; i < n; i++)
		if (lc(a[i]) != lc(b[i]))
			return false;
	return true;
}

/* Expand template t with captures of v into out[cap]. */
static void expand(char *out, size_t cap, const char *t, const char *v, const regmatch_t *m,
		   size_t nm)
{
	size_t o = 0;
	for (const char *p = t; *p && o + 1 < cap; p++) {
		if (*p == '$' && p[1] == '$') {
			out[o++] = '$';
			p++;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			size_t g = (size_t)(p[1] - '0');
			p++;
			if (g < nm && m[g].rm_so >= 0 && m[g].rm_eo >= m[g].rm_so) {
				size_t a = (size_t)m[g].rm_so, l = (size_t)(m[g].rm_eo - m[g].rm_so);
				if (l > cap - 1 - o)
					l = cap - 1 - o;
				memcpy(out + o, v + a, l);
				o += l;
			}
		} else
			out[o++] = *p;
	}
	out[o] = 0;
	/* trim what a capture may have left at the ends */
	while (o && out[o - 1] == ' ')
		out[--o] = 0;
}

int vg_dev_rules_match(const vg_dev_rules_t *R, int kind, const char *value, size_t len,
		       vg_dev_fp_t *out, int max)
{
	if (!R || !value || !out || max <= 0)
		return 0;
	int n = 0;
	for (size_t i = 0; i < R->n && n < max; i++) {
		const rule_t *r = &R->v[i];
		if (r->kind != kind)
			continue;
		regmatch_t m[10];
		size_t nm = 1;
		bool ok = false;
		switch (r->op) {
		case OP_EXACT:
			ok = len == r->plen && eqn(value, r->pat, len, r->icase);
			break;
		case OP_PREFIX:
			ok = len >= r->plen && eqn(value, r->pat, r->plen, r->icase);
			break;
		case OP_CONTAINS:
			for (size_t k = 0; !ok && k + r->plen <= len; k++)
				ok = eqn(value + k, r->pat, r->plen, r->icase);
			break;
		case OP_REGEX:
			m[0].rm_so = 0;
			m[0].rm_eo = (regoff_t)len;
			nm = r->re.re_nsub + 1 < 10 ? r->re.re_nsub + 1 : 10;
			ok = regexec(&r->re, value, nm, m, REG_STARTEND) == 0;
			break;
		}
		if (!ok)
			continue;
		if (r->op != OP_REGEX) {
			m[0].rm_so = 0;
			m[0].rm_eo = (regoff_t)len;
			nm = 1;
		}
		vg_dev_fp_t *f = &out[n++];
		f->rule_id = r->id;
		f->cls = r->cls;
		f->confidence = r->conf;
		f->vendor = r->vendor;
		f->model[0] = f->firmware[0] = 0;
		if (r->model)
			expand(f->model, sizeof(f->model), r->model, value, m, nm);
		if (r->fw)
			expand(f->firmware, sizeof(f->firmware), r->fw, value, m, nm);
	}
	return n;
}
