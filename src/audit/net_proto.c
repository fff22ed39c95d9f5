// SPDX-License-Identifier: Apache-2.0
/*
 * net_proto.c — wire parsers of `vigil audit device` (audit/net_proto.h).
 *
 * Everything here reads bytes a device under test sent, so every access is
 * bounded by an explicit length (vg_rd_t for the binary SSH packet, index
 * checks against n for text), output buffers are always NUL-terminated and
 * truncated rather than overflowed, and nothing allocates.  The Digest
 * computation follows RFC 7616 (MD5, SHA-256 and their -sess variants,
 * qop=auth) and is pinned against the RFC's example in test_audit_net.
 */
#include "audit/net_proto.h"
#include "lib/rd.h"

#include <vigil/common.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

long vg_ci_find(const uint8_t *p, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	if (m == 0)
		return 0;
	if (m > n)
		return -1;
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;
		while (j < m && lower(p[i + j]) == lower((unsigned char)needle[j]))
			j++;
		if (j == m)
			return (long)i;
	}
	return -1;
}

size_t vg_printable(const uint8_t *p, size_t n, char *out, size_t outn)
{
	if (!outn)
		return 0;
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < outn; i++) {
		uint8_t c = p[i];
		if (c == '\r' || c == '\n' || c == '\t')
			c = ' ';
		else if (c < 0x20 || c > 0x7e)
			c = '.';
		if (c == ' ' && (o == 0 || out[o - 1] == ' '))
			continue;
		out[o++] = (char)c;
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = 0;
	return o;
}

/* ---- telnet ----------------------------------------------------------- */

enum { T_DATA, T_IAC, T_OPT, T_SB, T_SB_IAC };
#define IAC 255
#define DONT 254
#define DO 253
#define WONT 252
#define WILL 251
#define SB 250
#define SE 240
#define OPT_ECHO 1
#define OPT_SGA 3

static void put(uint8_t *b, size_t cap, size_t *n, uint8_t c)
{
	if (*n < cap)
		b[(*n)++] = c;
}

void vg_telnet_filter(vg_telnet_t *t, const uint8_t *in, size_t n, uint8_t *out, size_t outcap,
		      size_t *outn, uint8_t *reply, size_t replycap, size_t *replyn)
{
	*outn = 0;
	*replyn = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = in[i];
		switch (t->state) {
		case T_DATA:
			if (c == IAC)
				t->state = T_IAC;
			else if (c != 0)
				put(out, outcap, outn, c);
			break;
		case T_IAC:
			if (c == IAC) { /* escaped 255 data byte */
				put(out, outcap, outn, c);
				t->state = T_DATA;
			} else if (c == DO || c == DONT || c == WILL || c == WONT) {
				t->cmd = c;
				t->state = T_OPT;
			} else if (c == SB) {
				t->state = T_SB;
			} else {
				t->state = T_DATA; /* NOP, GA, ... */
			}
			break;
		case T_OPT:
			if (*replyn + 3 <= replycap) {
				uint8_t ans = 0;
				if (t->cmd == DO)
					ans = WONT;
				else if (t->cmd == WILL)
					ans = (c == OPT_ECHO || c == OPT_SGA) ? DO : DONT;
				if (ans) {
					reply[(*replyn)++] = IAC;
					reply[(*replyn)++] = ans;
					reply[(*replyn)++] = c;
				}
			}
			t->state = T_DATA;
			break;
		case T_SB:
			if (c == IAC)
				t->state = T_SB_IAC;
			break;
		case T_SB_IAC:
			t->state = c == SE ? T_DATA : T_SB;
			break;
		default:
			t->state = T_DATA;
		}
	}
}

static long last_find(const uint8_t *p, size_t n, const char *needle)
{
	long best = -1, off = 0;
	for (;;) {
		long i = vg_ci_find(p + off, n - (size_t)off, needle);
		if (i < 0)
			return best;
		best = off + i;
		off = best + 1;
		if ((size_t)off >= n)
			return best;
	}
}

int vg_prompt_classify(const uint8_t *text, size_t n)
{
	/* trim trailing whitespace */
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\r' || text[n - 1] == '\n' ||
		     text[n - 1] == '\t'))
		n--;
	if (!n)
		return VG_PR_NONE;
	static const char *const locked[] = {"locked", "too many", "try again later", "temporarily"};
	static const char *const failed[] = {"incorrect", "failed", "invalid", "denied", "bad password", "wrong"};
	static const char *const login[] = {"login:", "username:", "user name:", "user:"};
	long lk = -1, fl = -1, lg = -1, pw;
	for (size_t i = 0; i < sizeof(locked) / sizeof(*locked); i++) {
		long x = last_find(text, n, locked[i]);
		lk = x > lk ? x : lk;
	}
	for (size_t i = 0; i < sizeof(failed) / sizeof(*failed); i++) {
		long x = last_find(text, n, failed[i]);
		fl = x > fl ? x : fl;
	}
	for (size_t i = 0; i < sizeof(login) / sizeof(*login); i++) {
		long x = last_find(text, n, login[i]);
		lg = x > lg ? x : lg;
	}
	pw = last_find(text, n, "password:");
	if (lk >= 0)
		return VG_PR_LOCKED;
	if (fl >= 0)
		return VG_PR_FAILED;
	uint8_t e = text[n - 1];
	if (pw >= 0 && pw > lg && (size_t)pw + 9 >= n)
		return VG_PR_PASSWORD;
	if (lg >= 0 && (size_t)lg + 12 >= n && lg > pw)
		return VG_PR_LOGIN;
	if (e == '#' || e == '$' || e == '>' || e == '%')
		return VG_PR_SHELL;
	return VG_PR_NONE;
}

/* ---- HTTP / RTSP responses --------------------------------------------- */

static bool name_is(const uint8_t *p, size_t n, const char *name)
{
	size_t m = strlen(name);
	if (n != m)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(p[i]) != lower((unsigned char)name[i]))
			return false;
	return true;
}

int vg_resp_parse(const uint8_t *buf, size_t n, vg_resp_t *r)
{
	memset(r, 0, sizeof(*r));
	r->content_length = -1;
	/* find the end of the head: "\n\r\n" or "\n\n" */
	size_t end = 0;
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < n && buf[i + 1] == '\n') {
			end = i + 2;
			break;
		}
		if (i + 2 < n && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
			end = i + 3;
			break;
		}
	}
	/* status line prefix check first, so garbage fails fast */
	if (n >= 5 && memcmp(buf, "HTTP/", 5) == 0)
		r->rtsp = false;
	else if (n >= 5 && memcmp(buf, "RTSP/", 5) == 0)
		r->rtsp = true;
	else if (n < 5 && (memcmp(buf, "HTTP/", n) == 0 || memcmp(buf, "RTSP/", n) == 0))
		return VG_EAGAIN;
	else
		return VG_EFORMAT;
	if (!end)
		return VG_EAGAIN;
	r->head_len = end;
	size_t i = 5;
	while (i < end && buf[i] != ' ')
		i++;
	if (i + 4 > end || buf[i] != ' ')
		return VG_EFORMAT;
	i++;
	int st = 0;
	for (int k = 0; k < 3; k++, i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return VG_EFORMAT;
		st = st * 10 + (buf[i] - '0');
	}
	if (st < 100)
		return VG_EFORMAT;
	r->status = st;
	while (i < end && buf[i] != '\n')
		i++;
	i++;
	while (i < end) {
		size_t ls = i;
		while (i < end && buf[i] != '\n')
			i++;
		size_t le = i; /* at '\n' */
		i++;
		if (le > ls && buf[le - 1] == '\r')
			le--;
		if (le == ls)
			break; /* blank line */
		if (buf[ls] == ' ' || buf[ls] == '\t')
			return VG_EFORMAT; /* obs-fold */
		size_t c = ls;
		while (c < le && buf[c] != ':')
			c++;
		if (c == le || c == ls)
			return VG_EFORMAT;
		size_t vs = c + 1, ve = le;
		while (vs < ve && (buf[vs] == ' ' || buf[vs] == '\t'))
			vs++;
		while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t'))
			ve--;
		vg_span_t v = {(const char *)buf + vs, ve - vs};
		const uint8_t *nm = buf + ls;
		size_t nl = c - ls;
		if (name_is(nm, nl, "server"))
			r->server = v;
		else if (name_is(nm, nl, "content-type"))
			r->content_type = v;
		else if (name_is(nm, nl, "location"))
			r->location = v;
		else if (name_is(nm, nl, "cseq"))
			r->cseq = v;
		else if (name_is(nm, nl, "retry-after"))
			r->retry_after = v;
		else if (name_is(nm, nl, "www-authenticate")) {
			if (r->nauth < VG_RESP_MAX_AUTH)
				r->auth[r->nauth++] = v;
		} else if (name_is(nm, nl, "content-length")) {
			long long x = 0;
			if (v.n == 0 || v.n > 15)
				return VG_EFORMAT;
			for (size_t k = 0; k < v.n; k++) {
				if (v.p[k] < '0' || v.p[k] > '9')
					return VG_EFORMAT;
				x = x * 10 + (v.p[k] - '0');
			}
			r->content_length = x;
		}
	}
	return 0;
}

/* ---- WWW-Authenticate --------------------------------------------------- */

static bool tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~/=", c) != NULL && c != '=');
}

/* copy a value into dst (NUL-terminated); false if it does not fit */
static bool setv(char *dst, size_t cap, const char *v, size_t n)
{
	if (n >= cap)
		return false;
	memcpy(dst, v, n);
	dst[n] = 0;
	return true;
}

static int alg_of(const char *v, size_t n)
{
	static const char *const names[] = {"MD5", "MD5-sess", "SHA-256", "SHA-256-sess"};
	for (int i = 0; i < 4; i++)
		if (name_is((const uint8_t *)v, n, names[i]))
			return i;
	return VG_DIG_UNKNOWN;
}

int vg_www_auth_parse(const char *v, size_t n, vg_www_auth_t *a)
{
	memset(a, 0, sizeof(*a));
	a->algorithm = VG_DIG_MD5;
	size_t i = 0;
	while (i < n && (v[i] == ' ' || v[i] == '\t'))
		i++;
	size_t s = i;
	while (i < n && tchar((unsigned char)v[i]))
		i++;
	if (i == s)
		return VG_EFORMAT;
	if (name_is((const uint8_t *)v + s, i - s, "basic"))
		a->scheme = VG_AUTH_BASIC;
	else if (name_is((const uint8_t *)v + s, i - s, "digest"))
		a->scheme = VG_AUTH_DIGEST;
	else
		a->scheme = VG_AUTH_OTHER;
	char tmp[512];
	for (;;) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		if (i >= n)
			break;
		size_t ks = i;
		while (i < n && tchar((unsigned char)v[i]))
			i++;
		size_t ke = i;
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (ke == ks || i >= n || v[i] != '=')
			break; /* the next challenge (or a token68): stop at the first challenge */
		i++;
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		size_t tl = 0;
		if (i < n && v[i] == '"') {
			i++;
			bool closed = false;
			while (i < n) {
				char c = v[i++];
				if (c == '\\' && i < n)
					c = v[i++];
				else if (c == '"') {
					closed = true;
					break;
				}
				if (tl + 1 >= sizeof(tmp))
					return VG_EFORMAT;
				tmp[tl++] = c;
			}
			if (!closed)
				return VG_EFORMAT;
		} else {
			while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t') {
				if (tl + 1 >= sizeof(tmp))
					return VG_EFORMAT;
				tmp[tl++] = v[i++];
			}
		}
		tmp[tl] = 0;
		const uint8_t *k = (const uint8_t *)v + ks;
		size_t kl = ke - ks;
		if (name_is(k, kl, "realm")) {
			if (!setv(a->realm, sizeof(a->realm), tmp, tl))
				return VG_EFORMAT;
		} else if (name_is(k, kl, "nonce")) {
			if (!setv(a->nonce, sizeof(a->nonce), tmp, tl))
				return VG_EFORMAT;
		} else if (name_is(k, kl, "opaque")) {
			if (!setv(a->opaque, sizeof(a->opaque), tmp, tl))
				return VG_EFORMAT;
		} else if (name_is(k, kl, "algorithm")) {
			a->algorithm = alg_of(tmp, tl);
		} else if (name_is(k, kl, "stale")) {
			a->stale = name_is((const uint8_t *)tmp, tl, "true");
		} else if (name_is(k, kl, "userhash")) {
			a->userhash = name_is((const uint8_t *)tmp, tl, "true");
		} else if (name_is(k, kl, "qop")) {
			size_t p = 0;
			while (p < tl) {
				while (p < tl && (tmp[p] == ' ' || tmp[p] == ','))
					p++;
				size_t q = p;
				while (q < tl && tmp[q] != ',' && tmp[q] != ' ')
					q++;
				if (q > p) {
					if (name_is((const uint8_t *)tmp + p, q - p, "auth"))
						a->qop_auth = true;
					else
						a->qop_other = true;
				}
				p = q;
			}
		}
	}
	if (a->scheme == VG_AUTH_DIGEST && !a->nonce[0])
		return VG_EFORMAT;
	return 0;
}

static int hash_hex(int algorithm, const char *const *parts, int nparts, char *out)
{
	const EVP_MD *md = (algorithm == VG_DIG_SHA256 || algorithm == VG_DIG_SHA256_SESS)
		? EVP_sha256() : EVP_md5();
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dl = 0;
	if (!c)
		return VG_ENOMEM;
	int ok = EVP_DigestInit_ex(c, md, NULL);
	for (int i = 0; ok && i < nparts; i++) {
		if (i)
			ok = EVP_DigestUpdate(c, ":", 1);
		if (ok)
			ok = EVP_DigestUpdate(c, parts[i], strlen(parts[i]));
	}
	if (ok)
		ok = EVP_DigestFinal_ex(c, d, &dl);
	EVP_MD_CTX_free(c);
	if (!ok)
		return VG_EINVAL;
	static const char hx[] = "0123456789abcdef";
	for (unsigned i = 0; i < dl; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * dl] = 0;
	return 0;
}

int vg_digest_response(int algorithm, const char *user, const char *realm, const char *pass,
		       const char *method, const char *uri, const char *nonce, const char *nc,
		       const char *cnonce, bool qop, char *out, size_t outn)
{
	if (algorithm < VG_DIG_MD5 || algorithm > VG_DIG_SHA256_SESS || outn < 65)
		return VG_EINVAL;
	char ha1[65], ha2[65];
	const char *p1[] = {user, realm, pass};
	int rc = hash_hex(algorithm, p1, 3, ha1);
	if (!rc && (algorithm == VG_DIG_MD5_SESS || algorithm == VG_DIG_SHA256_SESS)) {
		char h[65];
		memcpy(h, ha1, sizeof(h));
		const char *ps[] = {h, nonce, cnonce};
		rc = hash_hex(algorithm, ps, 3, ha1);
	}
	const char *p2[] = {method, uri};
	if (!rc)
		rc = hash_hex(algorithm, p2, 2, ha2);
	if (rc)
		return rc;
	if (qop) {
		const char *p3[] = {ha1, nonce, nc, cnonce, "auth", ha2};
		return hash_hex(algorithm, p3, 6, out);
	}
	const char *p3[] = {ha1, nonce, ha2};
	return hash_hex(algorithm, p3, 3, out);
}

static bool quotable(const char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
			return false;
	return true;
}

int vg_auth_header(const vg_www_auth_t *a, const char *user, const char *pass, const char *method,
		   const char *uri, const char *cnonce, char *out, size_t outn)
{
	int w;
	if (a->scheme == VG_AUTH_BASIC) {
		char raw[512];
		unsigned char b64[700];
		int rl = snprintf(raw, sizeof(raw), "%s:%s", user, pass);
		if (rl < 0 || (size_t)rl >= sizeof(raw))
			return VG_ERANGE;
		int bl = EVP_EncodeBlock(b64, (const unsigned char *)raw, rl);
		w = snprintf(out, outn, "Basic %.*s", bl, (const char *)b64);
	} else if (a->scheme == VG_AUTH_DIGEST) {
		static const char *const an[] = {"MD5", "MD5-sess", "SHA-256", "SHA-256-sess"};
		char resp[65];
		if (a->algorithm == VG_DIG_UNKNOWN || a->userhash || !quotable(user) || !quotable(uri))
			return VG_EINVAL;
		int rc = vg_digest_response(a->algorithm, user, a->realm, pass, method, uri, a->nonce,
					    "00000001", cnonce, a->qop_auth, resp, sizeof(resp));
		if (rc)
			return rc;
		if (a->qop_auth)
			w = snprintf(out, outn,
				     "Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
				     "algorithm=%s, response=\"%s\", qop=auth, nc=00000001, cnonce=\"%s\"%s%s%s",
				     user, a->realm, a->nonce, uri, an[a->algorithm], resp, cnonce,
				     a->opaque[0] ? ", opaque=\"" : "", a->opaque, a->opaque[0] ? "\"" : "");
		else
			w = snprintf(out, outn,
				     "Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
				     "algorithm=%s, response=\"%s\"%s%s%s",
				     user, a->realm, a->nonce, uri, an[a->algorithm], resp,
				     a->opaque[0] ? ", opaque=\"" : "", a->opaque, a->opaque[0] ? "\"" : "");
	} else {
		return VG_EINVAL;
	}
	if (w < 0 || (size_t)w >= outn)
		return VG_ERANGE;
	return 0;
}

/* ---- XML ---------------------------------------------------------------- */

int vg_xml_field(const char *xml, size_t n, const char *tag, char *out, size_t outn)
{
	size_t tl = strlen(tag);
	if (!outn)
		return 0;
	out[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (xml[i] != '<')
			continue;
		size_t j = i + 1;
		if (j < n && (xml[j] == '/' || xml[j] == '?' || xml[j] == '!'))
			continue;
		/* element name, possibly prefixed */
		size_t ns = j;
		while (j < n && xml[j] != '>' && xml[j] != ' ' && xml[j] != '\t' && xml[j] != '\r' &&
		       xml[j] != '\n' && xml[j] != '/')
			j++;
		size_t ne = j, ls = ns;
		for (size_t k = ns; k < ne; k++)
			if (xml[k] == ':')
				ls = k + 1;
		if (ne - ls != tl || memcmp(xml + ls, tag, tl) != 0)
			continue;
		while (j < n && xml[j] != '>')
			j++;
		if (j >= n || xml[j - 1] == '/')
			continue; /* unterminated or empty element */
		j++;
		size_t vs = j;
		while (j < n && xml[j] != '<')
			j++;
		if (j >= n)
			return 0;
		size_t ve = j, o = 0;
		while (vs < ve && (xml[vs] == ' ' || xml[vs] == '\t' || xml[vs] == '\r' || xml[vs] == '\n'))
			vs++;
		while (ve > vs && (xml[ve - 1] == ' ' || xml[ve - 1] == '\t' || xml[ve - 1] == '\r' ||
				   xml[ve - 1] == '\n'))
			ve--;
		for (size_t k = vs; k < ve && o + 1 < outn; k++) {
			char c = xml[k];
			if (c == '&') {
				static const struct { const char *e; char c; } ents[] = {
					{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
				for (size_t e = 0; e < 5; e++) {
					size_t el = strlen(ents[e].e);
					if (ve - k >= el && memcmp(xml + k, ents[e].e, el) == 0) {
						c = ents[e].c;
						k += el - 1;
						break;
					}
				}
			}
			if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e)
				c = '?';
			out[o++] = c;
		}
		out[o] = 0;
		return o > 0;
	}
	return 0;
}

/* ---- SSH ---------------------------------------------------------------- */

static void name_list(vg_rd_t *r, char *dst, size_t cap)
{
	uint32_t l = vg_rd_be32(r);
	if (!vg_rd_ok(r) || l > vg_rd_left(r)) {
		r->err = true;
		return;
	}
	const uint8_t *p = vg_rd_ptr(r);
	vg_rd_skip(r, l);
	vg_printable(p, l, dst, cap);
}

int vg_ssh_kexinit_parse(const uint8_t *p, size_t n, vg_ssh_algs_t *a, size_t *used)
{
	memset(a, 0, sizeof(*a));
	vg_rd_t r = vg_rd_make(p, n);
	uint32_t plen = vg_rd_be32(&r);
	if (!vg_rd_ok(&r))
		return VG_EAGAIN;
	if (plen < 12 || plen > 35000)
		return VG_EFORMAT;
	if (vg_rd_left(&r) < plen)
		return VG_EAGAIN;
	vg_rd_t pk = vg_rd_make(vg_rd_ptr(&r), plen);
	uint8_t padl = vg_rd_u8(&pk);
	if (padl >= plen - 1)
		return VG_EFORMAT;
	vg_rd_t pl = vg_rd_make(vg_rd_ptr(&pk), plen - 1 - padl);
	if (vg_rd_u8(&pl) != 20)
		return VG_EFORMAT;
	vg_rd_skip(&pl, 16);
	name_list(&pl, a->kex, sizeof(a->kex));
	name_list(&pl, a->hostkey, sizeof(a->hostkey));
	name_list(&pl, a->enc, sizeof(a->enc));
	char skip[8];
	name_list(&pl, skip, sizeof(skip));
	name_list(&pl, a->mac, sizeof(a->mac));
	if (!vg_rd_ok(&pl))
		return VG_EFORMAT;
	if (used)
		*used = 4 + (size_t)plen;
	return 0;
}

static bool weak_name(const char *s, size_t n, char kind)
{
	static const char *const kex[] = {"diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
		"diffie-hellman-group-exchange-sha1", "rsa1024-sha1", "gss-group1-sha1-*", NULL};
	static const char *const hk[] = {"ssh-dss", "ssh-rsa", "ssh-rsa-cert-v01@openssh.com",
		"ssh-dss-cert-v01@openssh.com", NULL};
	static const char *const enc[] = {"3des-cbc", "des-cbc", "des-cbc@ssh.com", "arcfour",
		"arcfour128", "arcfour256", "blowfish-cbc", "cast128-cbc", "rijndael-cbc@lysator.liu.se",
		"none", NULL};
	static const char *const mac[] = {"hmac-md5", "hmac-md5-96", "hmac-md5-etm@openssh.com",
		"hmac-md5-96-etm@openssh.com", "hmac-sha1-96", "hmac-sha1-96-etm@openssh.com",
		"umac-32@openssh.com", "none", NULL};
	const char *const *t = kind == 'k' ? kex : kind == 'h' ? hk : kind == 'e' ? enc : mac;
	for (; *t; t++)
		if (strlen(*t) == n && memcmp(*t, s, n) == 0)
			return true;
	return false;
}

int vg_ssh_weak(const char *list, char kind, char *out, size_t outn)
{
	int found = 0;
	size_t o = strlen(out);
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l && weak_name(p, l, kind)) {
			found++;
			if (o + l + 2 < outn) {
				if (o)
					out[o++] = ',';
				memcpy(out + o, p, l);
				o += l;
				out[o] = 0;
			}
		}
		p += l;
		if (*p == ',')
			p++;
	}
	return found;
}

/* ---- banners ------------------------------------------------------------ */

const char *vg_svc_name(int svc)
{
	static const char *const n[] = {"unknown", "telnet", "ftp", "ssh", "http", "rtsp", "dvrip"};
	return svc >= 0 && svc <= VG_SVC_DVRIP ? n[svc] : "unknown";
}

int vg_banner_classify(const uint8_t *p, size_t n)
{
	if (n >= 4 && memcmp(p, "SSH-", 4) == 0)
		return VG_SVC_SSH;
	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0)
		return VG_SVC_HTTP;
	if (n >= 5 && memcmp(p, "RTSP/", 5) == 0)
		return VG_SVC_RTSP;
	if (n >= 4 && memcmp(p, "220", 3) == 0 && (p[3] == ' ' || p[3] == '-'))
		return VG_SVC_FTP;
	if (n >= 2 && p[0] == IAC && p[1] >= SE)
		return VG_SVC_TELNET;
	if (vg_ci_find(p, n, "login:") >= 0 || vg_ci_find(p, n, "username:") >= 0 ||
	    vg_ci_find(p, n, "password:") >= 0)
		return VG_SVC_TELNET;
	return VG_SVC_UNKNOWN;
}
