// SPDX-License-Identifier: Apache-2.0
/*
 * fw_passwd.c — accounts of a firmware image: /etc/passwd joined with
 * /etc/shadow, the hash kind of each password field, the default-credential
 * list (data/credentials.tsv format) and the crypt(3) cracker that tries it.
 *
 * Parsing is line by line with explicit lengths (fields split on ':'),
 * bounded by the caller's output array; over-long users or hashes are
 * skipped, not truncated (a truncated hash would crack nothing or, worse,
 * something).  Cracking uses libxcrypt's crypt_rn with a heap crypt_data
 * (reentrant) and a cap on tries per hash, since yescrypt and bcrypt cost
 * milliseconds per try.  No global state.
 */
#include "audit/fw.h"

#include <vigil/common.h>

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Field i (0-based) of a ':'-separated line [s, e). */
static bool field(const char *s, const char *e, int i, const char **fs, size_t *fl)
{
	for (int k = 0; k < i; k++) {
		const char *c = memchr(s, ':', (size_t)(e - s));
		if (!c)
			return false;
		s = c + 1;
	}
	const char *c = memchr(s, ':', (size_t)(e - s));
	*fs = s;
	*fl = (size_t)((c ? c : e) - s);
	return true;
}

typedef void (*line_fn)(void *ctx, const char *s, const char *e, unsigned long line);

static void lines(const char *t, size_t len, line_fn fn, void *ctx)
{
	const char *e = t + len;
	unsigned long n = 0;
	for (const char *s = t; s < e;) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		const char *le = nl ? nl : e;
		n++;
		const char *ls = s;
		s = nl ? nl + 1 : e;
		if (le > ls && le[-1] == '\r')
			le--;
		if (le > ls && *ls != '#')
			fn(ctx, ls, le, n);
	}
}

struct acc {
	vg_fw_acct_t *out;
	size_t max, n;
	bool shadow;
};

static void passwd_line(void *ctx, const char *s, const char *e, unsigned long line)
{
	struct acc *a = ctx;
	const char *u, *h;
	size_t ul, hl;
	if (a->n >= a->max || !field(s, e, 0, &u, &ul) || !field(s, e, 1, &h, &hl))
		return;
	if (!ul || ul >= sizeof(a->out->user) || hl >= sizeof(a->out->hash) ||
	    memchr(u, 0, ul) || memchr(h, 0, hl))
		return;
	vg_fw_acct_t *x = &a->out[a->n++];
	memcpy(x->user, u, ul);
	x->user[ul] = 0;
	memcpy(x->hash, h, hl);
	x->hash[hl] = 0;
	x->from = "etc/passwd";
	x->line = line;
}

static void shadow_line(void *ctx, const char *s, const char *e, unsigned long line)
{
	struct acc *a = ctx;
	const char *u, *h;
	size_t ul, hl;
	if (!field(s, e, 0, &u, &ul) || !field(s, e, 1, &h, &hl) || hl >= sizeof(a->out->hash) ||
	    memchr(h, 0, hl))
		return;
	for (size_t i = 0; i < a->n; i++) {
		vg_fw_acct_t *x = &a->out[i];
		if (strlen(x->user) == ul && !memcmp(x->user, u, ul) && !strcmp(x->from, "etc/passwd") &&
		    !strcmp(x->hash, "x")) {
			memcpy(x->hash, h, hl);
			x->hash[hl] = 0;
			x->from = "etc/shadow";
			x->line = line;
			return;
		}
	}
}

size_t vg_fw_accounts(const char *passwd, size_t plen, const char *shadow, size_t slen,
		      vg_fw_acct_t *out, size_t max)
{
	struct acc a = {out, max, 0, false};
	if (passwd)
		lines(passwd, plen, passwd_line, &a);
	if (shadow)
		lines(shadow, slen, shadow_line, &a);
	return a.n;
}

static bool b64ch(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '.' || c == '/';
}

const char *vg_fw_hash_kind(const char *h)
{
	if (!*h)
		return "";
	if (!strncmp(h, "$1$", 3))
		return "MD5";
	if (!strncmp(h, "$5$", 3))
		return "SHA-256";
	if (!strncmp(h, "$6$", 3))
		return "SHA-512";
	if (!strncmp(h, "$y$", 3))
		return "yescrypt";
	if (!strncmp(h, "$2a$", 4) || !strncmp(h, "$2b$", 4) || !strncmp(h, "$2y$", 4))
		return "bcrypt";
	if (strlen(h) == 13) {
		for (int i = 0; i < 13; i++)
			if (!b64ch(h[i]))
				return NULL;
		return "DES";
	}
	return NULL; /* "x" without shadow, "*", "!", "!!", "!$6$..." (locked) */
}

/* ---- credential list ------------------------------------------------- */

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

void vg_fw_creds_release(vg_fw_creds_t *cr)
{
	for (size_t i = 0; i < cr->n; i++)
		free(cr->c[i].user), free(cr->c[i].pass), free(cr->c[i].source);
	free(cr->c);
	free(cr->version);
	memset(cr, 0, sizeof(*cr));
}

int vg_fw_creds_parse(vg_fw_creds_t *cr, const char *name, const char *text, size_t len,
		      char *err, size_t errlen)
{
	const char *e = text + len;
	unsigned long line = 0;
	size_t cap = cr->n;
	for (const char *s = text; s < e;) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		const char *le = nl ? nl : e;
		const char *ls = s;
		line++;
		s = nl ? nl + 1 : e;
		if (le > ls && le[-1] == '\r')
			le--;
		if (le == ls)
			continue;
		if (*ls == '#') {
			static const char k[] = "# version:";
			if (!cr->version && (size_t)(le - ls) > sizeof(k) - 1 &&
			    !memcmp(ls, k, sizeof(k) - 1)) {
				const char *v = ls + sizeof(k) - 1;
				while (v < le && *v == ' ')
					v++;
				if (!(cr->version = dupn(v, (size_t)(le - v))))
					return VG_ENOMEM;
			}
			continue;
		}
		const char *f[5];
		size_t fl[5];
		int nf = 0;
		const char *b = ls;
		for (const char *q = ls; nf < 5; q++) {
			if (q == le || *q == '\t') {
				f[nf] = b;
				fl[nf++] = (size_t)(q - b);
				b = q + 1;
				if (q == le)
					break;
			}
		}
		if (nf != 5) {
			snprintf(err, errlen, "%s:%lu: expected 5 TAB-separated fields", name, line);
			return VG_EFORMAT;
		}
		const char *pw = f[3];
		size_t pl = fl[3];
		if (pl == 7 && !memcmp(pw, "<empty>", 7))
			pl = 0;
		if (memchr(f[2], 0, fl[2]) || memchr(pw, 0, pl))
			continue;
		bool dup = false;
		for (size_t i = 0; i < cr->n && !dup; i++)
			dup = strlen(cr->c[i].user) == fl[2] && !memcmp(cr->c[i].user, f[2], fl[2]) &&
			      strlen(cr->c[i].pass) == pl && !memcmp(cr->c[i].pass, pw, pl);
		if (dup)
			continue;
		if (cr->n == cap) {
			cap = cap ? cap * 2 : 64;
			vg_fw_cred_t *nc = realloc(cr->c, cap * sizeof(*nc));
			if (!nc)
				return VG_ENOMEM;
			cr->c = nc;
		}
		vg_fw_cred_t c = {dupn(f[2], fl[2]), dupn(pw, pl), dupn(f[4], fl[4])};
		cr->c[cr->n++] = c;
		if (!c.user || !c.pass || !c.source)
			return VG_ENOMEM;
	}
	return 0;
}

/* ---- cracking -------------------------------------------------------- */

static bool try1(struct crypt_data *cd, const char *hash, const char *pw)
{
	const char *r = crypt_rn(pw, hash, cd, (int)sizeof(*cd));
	return r && r[0] != '*' && !strcmp(r, hash);
}

const vg_fw_cred_t *vg_fw_crack(const char *hash, const char *user, const vg_fw_creds_t *cr,
				unsigned max, unsigned *tries)
{
	static const vg_fw_cred_t self = {NULL, NULL, "the user name itself"};
	unsigned t = 0;
	const vg_fw_cred_t *hit = NULL;
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	if (!cd)
		goto out;
	/* pass 1: rows for this user; pass 2: every other distinct password */
	for (int pass = 0; pass < 2 && !hit; pass++)
		for (size_t i = 0; i < cr->n && !hit && t < max; i++) {
			const vg_fw_cred_t *c = &cr->c[i];
			bool mine = !strcmp(c->user, user);
			if (pass == 0 ? !mine : mine)
				continue;
			if (pass == 1) {
				bool seen = false;
				for (size_t j = 0; j < i && !seen; j++)
					seen = !strcmp(cr->c[j].pass, c->pass);
				if (seen)
					continue;
			}
			t++;
			if (try1(cd, hash, c->pass))
				hit = c;
		}
	if (!hit && t < max) {
		t++;
		if (try1(cd, hash, user))
			hit = &self;
	}
out:
	free(cd);
	if (tries)
		*tries = t;
	return hit;
}
