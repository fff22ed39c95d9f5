// SPDX-License-Identifier: Apache-2.0
/*
 * feed_stix.c — STIX 2.1 bundles (or a single indicator object), via jansson.
 *
 * Reads indicator objects whose pattern_type is "stix" and whose pattern is
 * a disjunction of equality comparisons: "[a = 'x' OR b = 'y'] OR [c = 'z']"
 * (parentheses around ORs are ignored).  Supported object paths:
 * ipv4-addr:value, ipv6-addr:value (CIDR allowed), domain-name:value,
 * url:value, file:hashes.MD5 / 'SHA-1' / 'SHA-256' (quoted or not, any
 * case, SHA1/SHA256 spellings too).  A pattern using AND, FOLLOWEDBY or a
 * qualifier (WITHIN/START/STOP/REPEATS) cannot be expressed as a set of
 * values: the whole indicator is skipped with a warning.  An unsupported
 * comparison inside an OR (other object path, other operator) is skipped
 * alone, with a warning: any one disjunct matching is still a detection.
 * Meta per indicator: source = opts->source or the file name, description
 * = name + ": " + description, category = indicator_types[0] or labels[0],
 * valid_from/valid_until, confidence, TLP from object_marking_refs (the
 * fixed TLP 1.0 and 2.0 marking-definition ids, or marking-definition
 * objects of the bundle).  Diagnostics carry line 0 and name the object id
 * (jansson does not keep positions).  rep->lines counts objects.
 * The whole JSON tree is freed before returning.
 */
#include "intel/feed_int.h"

#include "lib/timefmt.h"

#include <jansson.h>
#include <stdlib.h>

/* Fixed TLP marking-definition ids (STIX 2.1 §7.2.1.4 for TLP 1.0; OASIS
 * TLP 2.0 extension definitions). */
static const struct {
	const char *id;
	vg_tlp_t tlp;
} fixed_tlp[] = {
	{"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", VG_TLP_CLEAR}, /* 1.0 white */
	{"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", VG_TLP_GREEN},
	{"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", VG_TLP_AMBER},
	{"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", VG_TLP_RED},
	{"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", VG_TLP_CLEAR}, /* 2.0 */
	{"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", VG_TLP_GREEN},
	{"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", VG_TLP_AMBER},
	{"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", VG_TLP_AMBER_STRICT},
	{"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", VG_TLP_RED},
};

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* tlp_of_def: TLP level a marking-definition object states, or UNSET. */
static vg_tlp_t tlp_of_def(json_t *o)
{
	const char *dt = jstr(o, "definition_type");
	json_t *def = json_object_get(o, "definition");
	if (dt && strcmp(dt, "tlp") == 0 && json_is_object(def)) {
		const char *t = jstr(def, "tlp");
		if (t)
			return vg_tlp_parse(t, strlen(t));
	}
	json_t *ext = json_object_get(o, "extensions");
	if (json_is_object(ext)) {
		const char *k;
		json_t *e;
		json_object_foreach(ext, k, e)
		{
			const char *t = json_is_object(e) ? jstr(e, "tlp_2_0") : NULL;
			if (t)
				return vg_tlp_parse(t, strlen(t));
		}
	}
	const char *nm = jstr(o, "name");
	if (nm && strncasecmp(nm, "tlp:", 4) == 0)
		return vg_tlp_parse(nm, strlen(nm));
	return VG_TLP_UNSET;
}

static vg_tlp_t tlp_of_ref(json_t *defs, const char *ref)
{
	for (size_t i = 0; i < sizeof fixed_tlp / sizeof fixed_tlp[0]; i++)
		if (strcmp(ref, fixed_tlp[i].id) == 0)
			return fixed_tlp[i].tlp;
	json_t *v = json_object_get(defs, ref);
	return json_is_integer(v) ? (vg_tlp_t)json_integer_value(v) : VG_TLP_UNSET;
}

/* ---- pattern parsing ------------------------------------------------------ */

#define MAXC 256

typedef struct {
	const char *path;
	size_t pl;
	char op[12];
	char *val; /* unescaped, points into the scratch copy */
	size_t vl;
} cmp_t;

typedef struct {
	const char *p, *e;
} lex_t;

static void ws(lex_t *x)
{
	while (x->p < x->e && (*x->p == ' ' || *x->p == '\t' || *x->p == '\n' || *x->p == '\r'))
		x->p++;
}

static bool kw(lex_t *x, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(x->e - x->p) < n || strncasecmp(x->p, w, n) != 0)
		return false;
	if (x->p + n < x->e) {
		char c = x->p[n];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')
			return false;
	}
	x->p += n;
	return true;
}

/*
 * parse: fill cmps; returns 0, or 1 with *why for a whole-pattern
 * unsupported construct, or -1 with *why for a syntax error.
 * buf: writable copy of the pattern (string values are unescaped in place).
 */
static int parse(char *buf, size_t n, cmp_t *cmps, int *nc, const char **why)
{
	lex_t x = {buf, buf + n};
	*nc = 0;
	bool need_obs = true;
	for (;;) {
		ws(&x);
		while (x.p < x.e && *x.p == '(') {
			x.p++;
			ws(&x);
		}
		if (x.p >= x.e || *x.p != '[') {
			*why = need_obs ? "expected '['" : "unexpected text";
			return -1;
		}
		x.p++;
		for (;;) {
			ws(&x);
			while (x.p < x.e && *x.p == '(') {
				x.p++;
				ws(&x);
			}
			if (*nc == MAXC) {
				*why = "too many comparisons";
				return 1;
			}
			cmp_t *c = &cmps[*nc];
			c->path = x.p;
			while (x.p < x.e && *x.p != ' ' && *x.p != '=' && *x.p != '!' && *x.p != '<' &&
			       *x.p != '>' && *x.p != ']' && *x.p != '\t') {
				if (*x.p == '[') { /* list index: body_multipart[*] */
					while (x.p < x.e && *x.p != ']')
						x.p++;
				} else if (*x.p == '\'') { /* quoted path component */
					x.p++;
					while (x.p < x.e && *x.p != '\'')
						x.p++;
				}
				if (x.p < x.e)
					x.p++;
			}
			c->pl = (size_t)(x.p - c->path);
			if (c->pl == 0) {
				*why = "expected an object path";
				return -1;
			}
			ws(&x);
			size_t ol = 0;
			if (kw(&x, "NOT")) {
				memcpy(c->op, "NOT ", 4);
				ol = 4;
				ws(&x);
			}
			const char *os = x.p;
			while (x.p < x.e && *x.p != ' ' && *x.p != '\'' && *x.p != '(' && *x.p != '\t' &&
			       (size_t)(x.p - os) < 8)
				x.p++;
			memcpy(c->op + ol, os, (size_t)(x.p - os));
			c->op[ol + (size_t)(x.p - os)] = 0;
			ws(&x);
			if (x.p < x.e && *x.p == '\'') {
				x.p++;
				c->val = (char *)x.p;
				char *w = c->val;
				while (x.p < x.e && *x.p != '\'') {
					if (*x.p == '\\' && x.p + 1 < x.e)
						x.p++;
					*w++ = *x.p++;
				}
				if (x.p >= x.e) {
					*why = "unterminated string";
					return -1;
				}
				c->vl = (size_t)(w - c->val);
				x.p++;
			} else {
				/* numbers, booleans, (set), t'...', h'...': not values we keep */
				c->val = NULL;
				c->vl = 0;
				while (x.p < x.e && *x.p != ']' && *x.p != ' ')
					x.p++;
			}
			(*nc)++;
			ws(&x);
			while (x.p < x.e && *x.p == ')') {
				x.p++;
				ws(&x);
			}
			if (x.p < x.e && *x.p == ']') {
				x.p++;
				break;
			}
			if (kw(&x, "OR"))
				continue;
			if (kw(&x, "AND")) {
				*why = "AND";
				return 1;
			}
			*why = "unexpected text in observation";
			return -1;
		}
		ws(&x);
		while (x.p < x.e && *x.p == ')') {
			x.p++;
			ws(&x);
		}
		if (x.p >= x.e)
			return 0;
		if (kw(&x, "OR")) {
			need_obs = true;
			continue;
		}
		if (kw(&x, "AND")) {
			*why = "AND";
			return 1;
		}
		if (kw(&x, "FOLLOWEDBY")) {
			*why = "FOLLOWEDBY";
			return 1;
		}
		if (kw(&x, "WITHIN") || kw(&x, "START") || kw(&x, "REPEATS")) {
			*why = "a qualifier (WITHIN/START/REPEATS)";
			return 1;
		}
		*why = "unexpected text after observation";
		return -1;
	}
}

/* hint_of: the value type for an object path, or NONE when unsupported. */
static vg_ind_type_t hint_of(const char *p, size_t n)
{
	if (feed_ieq(p, n, "ipv4-addr:value"))
		return VG_IND_CIDR4;
	if (feed_ieq(p, n, "ipv6-addr:value"))
		return VG_IND_CIDR6;
	if (feed_ieq(p, n, "domain-name:value"))
		return VG_IND_DOMAIN;
	if (feed_ieq(p, n, "url:value"))
		return VG_IND_URL;
	if (n > 12 && feed_ieq(p, 12, "file:hashes.")) {
		const char *h = p + 12;
		size_t hl = n - 12;
		if (hl >= 2 && (h[0] == '\'' || h[0] == '"') && h[hl - 1] == h[0]) {
			h++;
			hl -= 2;
		}
		if (feed_ieq(h, hl, "md5"))
			return VG_IND_MD5;
		if (feed_ieq(h, hl, "sha-1") || feed_ieq(h, hl, "sha1"))
			return VG_IND_SHA1;
		if (feed_ieq(h, hl, "sha-256") || feed_ieq(h, hl, "sha256"))
			return VG_IND_SHA256;
	}
	return VG_IND_NONE;
}

static int do_indicator(feed_ctx_t *c, json_t *o, json_t *defs, cmp_t *cmps)
{
	const char *id = jstr(o, "id");
	if (!id)
		id = "indicator";
	const char *pt = jstr(o, "pattern_type");
	if (pt && strcmp(pt, "stix") != 0) {
		c->rep->skipped++;
		c->rep->warnings++;
		feed_diag(c, 0, VG_SEV_WARN, "%s skipped: pattern_type '%s' not supported", id, pt);
		return 0;
	}
	const char *pat = jstr(o, "pattern");
	if (!pat)
		return feed_error(c, 0, "%s has no pattern", id);
	size_t pn = strlen(pat);
	char *buf = strndup(pat, pn);
	if (!buf)
		return VG_ENOMEM;
	int nc = 0, r = 0;
	const char *why = NULL;
	int pr = parse(buf, pn, cmps, &nc, &why);
	if (pr < 0) {
		r = feed_error(c, 0, "%s: invalid pattern (%s)", id, why);
		goto out;
	}
	if (pr > 0) {
		c->rep->skipped++;
		c->rep->warnings++;
		feed_diag(c, 0, VG_SEV_WARN, "%s skipped: pattern uses %s (not supported)", id, why);
		goto out;
	}
	/* meta */
	char desc[2048];
	vg_buf_t d = VG_BUF_INIT;
	const char *nm = jstr(o, "name"), *ds = jstr(o, "description");
	if (nm)
		vg_buf_adds(&d, nm);
	if (nm && ds)
		vg_buf_adds(&d, ": ");
	if (ds)
		vg_buf_adds(&d, ds);
	size_t dl = d.len < sizeof desc ? d.len : sizeof desc - 1;
	if (d.p)
		memcpy(desc, d.p, dl);
	desc[dl] = 0;
	vg_buf_release(&d);
	vg_meta_t m = {.description = desc, .confidence = -1};
	json_t *it = json_object_get(o, "indicator_types");
	if (!json_is_array(it) || json_array_size(it) == 0)
		it = json_object_get(o, "labels");
	if (json_is_array(it) && json_is_string(json_array_get(it, 0)))
		m.category = json_string_value(json_array_get(it, 0));
	const char *t;
	if ((t = jstr(o, "valid_from")) && vg_time_parse(t, strlen(t), &m.valid_from) != 0)
		feed_diag(c, 0, VG_SEV_WARN, "%s: invalid valid_from '%s' ignored", id, t);
	if ((t = jstr(o, "valid_until")) && vg_time_parse(t, strlen(t), &m.valid_until) != 0)
		feed_diag(c, 0, VG_SEV_WARN, "%s: invalid valid_until '%s' ignored", id, t);
	json_t *cf = json_object_get(o, "confidence");
	if (json_is_integer(cf)) {
		json_int_t v = json_integer_value(cf);
		m.confidence = v < 0 ? 0 : v > 100 ? 100 : (int)v;
	}
	json_t *mr = json_object_get(o, "object_marking_refs");
	size_t i;
	json_t *ref;
	json_array_foreach(mr, i, ref)
	{
		if (!json_is_string(ref))
			continue;
		vg_tlp_t tl = tlp_of_ref(defs, json_string_value(ref));
		if (tl > m.tlp)
			m.tlp = tl; /* most restrictive wins */
	}
	uint32_t meta;
	r = feed_meta(c, &m, &meta);
	if (r)
		goto out;
	for (int k = 0; k < nc; k++) {
		vg_ind_type_t h = hint_of(cmps[k].path, cmps[k].pl);
		bool eq = strcmp(cmps[k].op, "=") == 0;
		if (h == VG_IND_NONE || !eq || !cmps[k].val) {
			c->rep->skipped++;
			c->rep->warnings++;
			feed_diag(c, 0, VG_SEV_WARN,
				  "%s: comparison '%.*s %s' not supported, skipped", id,
				  (int)(cmps[k].pl > 100 ? 100 : cmps[k].pl), cmps[k].path, cmps[k].op);
			continue;
		}
		r = feed_add_tok(c, 0, cmps[k].val, cmps[k].vl, h, 0, meta);
		if (r)
			goto out;
	}
out:
	free(buf);
	return r;
}

int feed_read_stix(feed_ctx_t *c, const char *data, size_t len)
{
	json_error_t err;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		feed_error(c, (unsigned long)(err.line > 0 ? err.line : 0), "invalid JSON: %s",
			   err.text);
		return VG_EFORMAT;
	}
	json_t *objs;
	json_t *single = NULL;
	const char *ty = jstr(root, "type");
	if (ty && strcmp(ty, "bundle") == 0) {
		objs = json_object_get(root, "objects");
		if (!json_is_array(objs)) {
			feed_error(c, 0, "bundle has no objects array");
			json_decref(root);
			return VG_EFORMAT;
		}
	} else if (json_is_object(root) && ty) {
		single = json_array();
		if (!single) {
			json_decref(root);
			return VG_ENOMEM;
		}
		json_array_append(single, root);
		objs = single;
	} else {
		feed_error(c, 0, "not a STIX object or bundle");
		json_decref(root);
		return VG_EFORMAT;
	}
	json_t *defs = json_object();
	cmp_t *cmps = malloc(MAXC * sizeof *cmps);
	int r = 0;
	if (!defs || !cmps) {
		r = VG_ENOMEM;
		goto out;
	}
	size_t i;
	json_t *o;
	json_array_foreach(objs, i, o)
	{
		const char *t = jstr(o, "type"), *id = jstr(o, "id");
		if (t && id && strcmp(t, "marking-definition") == 0) {
			vg_tlp_t tl = tlp_of_def(o);
			if (tl != VG_TLP_UNSET)
				json_object_set_new(defs, id, json_integer(tl));
		}
	}
	uint64_t inds = 0;
	json_array_foreach(objs, i, o)
	{
		c->rep->lines++;
		const char *t = jstr(o, "type");
		if (!t || strcmp(t, "indicator") != 0)
			continue;
		inds++;
		r = do_indicator(c, o, defs, cmps);
		if (r)
			break;
	}
	if (!r && inds == 0) {
		c->rep->warnings++;
		feed_diag(c, 0, VG_SEV_WARN, "no indicator objects");
	}
out:
	free(cmps);
	json_decref(defs);
	json_decref(single);
	json_decref(root);
	return r;
}
