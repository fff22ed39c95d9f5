// SPDX-License-Identifier: Apache-2.0
/*
 * fw_secrets.c — plaintext secrets in configuration files of a firmware
 * image (5.4-1: sensitive security parameters stored securely).
 *
 * A line is a finding when it assigns a literal value to a key that names a
 * secret: key=value, key: value, export KEY=value, UCI "option key 'v'",
 * JSON "key": "value", XML <key>value</key>.  Key names: *password*,
 * *passwd*, *passphrase*, *pwd*, *psk*, *secret*, *api_key* / *apikey*,
 * *token*, *authkey*, or exactly "pass".  Values that are references or
 * placeholders ($VAR, `cmd`, %s, <...>, {...}, empty, all '*', none/null)
 * are not literals.  The caller redacts the value in evidence (only its
 * length and first character are shown).  Comment lines (#, ;, //) are
 * skipped.  Pure function over (pointer, length); reentrant.
 */
#include "audit/fw.h"

#include <strings.h>
#include <string.h>

static bool keych(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

static bool has(const char *k, size_t n, const char *w)
{
	size_t wl = strlen(w);
	for (size_t i = 0; i + wl <= n; i++)
		if (!strncasecmp(k + i, w, wl))
			return true;
	return false;
}

static bool secret_key(const char *k, size_t n)
{
	static const char *const w[] = {"password", "passwd", "passphrase", "pwd", "psk",
					"secret", "api_key", "apikey", "api-key", "token",
					"authkey", "auth_key"};
	if (n == 4 && !strncasecmp(k, "pass", 4))
		return true;
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (has(k, n, w[i]))
			return true;
	return false;
}

static bool literal(const char *v, size_t n)
{
	if (!n)
		return false;
	if (*v == '$' || *v == '`' || *v == '%' || *v == '<' || *v == '{' || *v == '[' ||
	    *v == '(')
		return false;
	size_t stars = 0;
	for (size_t i = 0; i < n; i++)
		stars += v[i] == '*';
	if (stars == n)
		return false;
	static const char *const ph[] = {"none", "null", "nil", "undefined", "true", "false"};
	for (size_t i = 0; i < sizeof(ph) / sizeof(ph[0]); i++)
		if (n == strlen(ph[i]) && !strncasecmp(v, ph[i], n))
			return false;
	return true;
}

/* Trim quotes, spaces and trailing , ; from [*v, *v+*n). */
static void trimv(const char **v, size_t *n)
{
	const char *s = *v, *e = *v + *n;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == ',' || e[-1] == ';'))
		e--;
	if (e - s >= 2 && (*s == '"' || *s == '\'') && e[-1] == *s)
		s++, e--;
	else if (s < e && (*s == '"' || *s == '\'')) {
		const char *q = memchr(s + 1, *s, (size_t)(e - s - 1));
		if (q)
			e = q;
		s++;
	}
	*v = s;
	*n = (size_t)(e - s);
}

static int one_line(const char *s, const char *e, unsigned long line, vg_fw_secret_cb cb,
		    void *ctx)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (s == e || *s == '#' || *s == ';' || (e - s >= 2 && s[0] == '/' && s[1] == '/'))
		return 0;
	/* XML <key>value</key> */
	if (*s == '<') {
		const char *k = s + 1, *ke = k;
		while (ke < e && keych(*ke))
			ke++;
		if (ke < e && *ke == '>' && secret_key(k, (size_t)(ke - k))) {
			const char *v = ke + 1, *ve = memchr(v, '<', (size_t)(e - v));
			if (ve && literal(v, (size_t)(ve - v))) {
				cb(ctx, line, k, (size_t)(ke - k), v, (size_t)(ve - v));
				return 1;
			}
		}
		return 0;
	}
	bool uci = false;
	if (e - s > 7 && !strncmp(s, "export ", 7))
		s += 7;
	else if (e - s > 7 && !strncmp(s, "option ", 7))
		s += 7, uci = true;
	while (s < e && (*s == ' ' || *s == '\t' || *s == '{' || *s == ','))
		s++;
	bool q = s < e && *s == '"';
	const char *k = s + q, *ke = k;
	while (ke < e && keych(*ke))
		ke++;
	if (ke == k || !secret_key(k, (size_t)(ke - k)))
		return 0;
	const char *p = ke;
	if (q) {
		if (p == e || *p != '"')
			return 0;
		p++;
	}
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p < e && (*p == '=' || *p == ':'))
		p++;
	else if (!uci || p == ke)
		return 0;
	const char *v = p;
	size_t vn = (size_t)(e - p);
	trimv(&v, &vn);
	if (!literal(v, vn))
		return 0;
	cb(ctx, line, k, (size_t)(ke - k), v, vn);
	return 1;
}

int vg_fw_secrets_scan(const char *text, size_t len, vg_fw_secret_cb cb, void *ctx)
{
	const char *e = text + len;
	unsigned long line = 0;
	int found = 0;
	for (const char *s = text; s < e;) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		const char *le = nl ? nl : e, *ls = s;
		line++;
		s = nl ? nl + 1 : e;
		if (le > ls && le[-1] == '\r')
			le--;
		found += one_line(ls, le, line, cb, ctx);
	}
	return found;
}
