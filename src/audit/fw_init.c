// SPDX-License-Identifier: Apache-2.0
/*
 * fw_init.c — what a firmware starts at boot: telnetd (from inittab, rcS,
 * init.d, rc.local or inetd.conf) and shells reachable without a login
 * (an inittab entry running /bin/sh on a console, "getty -n -l /bin/sh",
 * "login -f root").  Evidence for 5.6-1 (unused interfaces) and 5.6-4
 * (debug interfaces).
 *
 * A script line is cut at a comment, split into simple commands at ; & |
 * (outside quotes)
 * and the first word after "exec", "nohup", "env" and VAR=value
 * assignments is the command; "kill telnetd", "echo telnetd" or
 * "[ -x /usr/sbin/telnetd ]" are therefore not starts.  All scanning is
 * over (pointer, length) with no copies; findings are handed to a callback.
 * Reentrant, no allocation.
 */
#include "audit/fw.h"

#include <string.h>

#define MAXTOK 32

typedef struct tok {
	const char *s;
	size_t n;
} tok_t;

static int tokens(const char *s, const char *e, tok_t *t, int max)
{
	int n = 0;
	while (s < e && n < max) {
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if (s == e)
			break;
		const char *b = s;
		while (s < e && *s != ' ' && *s != '\t')
			s++;
		t[n].s = b;
		t[n].n = (size_t)(s - b);
		n++;
	}
	return n;
}

/* base name of a token without a leading '-' and surrounding quotes */
static tok_t base(tok_t t)
{
	while (t.n && (*t.s == '-' || *t.s == '"' || *t.s == '\''))
		t.s++, t.n--;
	while (t.n && (t.s[t.n - 1] == '"' || t.s[t.n - 1] == '\''))
		t.n--;
	for (size_t i = t.n; i > 0; i--)
		if (t.s[i - 1] == '/') {
			t.s += i, t.n -= i;
			break;
		}
	return t;
}

static bool is(tok_t t, const char *w)
{
	return t.n == strlen(w) && !memcmp(t.s, w, t.n);
}

static bool is_shell(tok_t t)
{
	t = base(t);
	return is(t, "sh") || is(t, "ash") || is(t, "bash") || is(t, "hush") || is(t, "msh") ||
	       is(t, "dash") || is(t, "zsh") || is(t, "ksh");
}

static bool is_assign(tok_t t)
{
	const char *eq = memchr(t.s, '=', t.n);
	if (!eq || eq == t.s)
		return false;
	for (const char *p = t.s; p < eq; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' ||
		      (p > t.s && *p >= '0' && *p <= '9')))
			return false;
	return true;
}

/* Classify one simple command; returns a VG_FW_INIT_* kind or 0. */
static int classify(tok_t *t, int n, bool console)
{
	int i = 0;
	while (i < n && (is_assign(t[i]) || is(t[i], "exec") || is(t[i], "nohup") ||
			 is(t[i], "env") || is(t[i], "setsid") || is(t[i], "-")))
		i++;
	if (i == n)
		return 0;
	tok_t c = base(t[i]);
	if (is(c, "busybox") && i + 1 < n) {
		i++;
		c = base(t[i]);
	}
	if (is(c, "start-stop-daemon")) {
		for (int k = i + 1; k < n; k++)
			if (is(base(t[k]), "telnetd") || is(base(t[k]), "utelnetd"))
				return VG_FW_INIT_TELNETD;
		return 0;
	}
	if (is(c, "telnetd") || is(c, "utelnetd"))
		return VG_FW_INIT_TELNETD;
	if (is(c, "getty") || is(c, "agetty")) {
		bool nolog = false, shell = false;
		for (int k = i + 1; k < n; k++) {
			if (is(t[k], "-n"))
				nolog = true;
			if (is_shell(t[k]))
				shell = true;
		}
		return nolog && shell ? VG_FW_INIT_SHELL : 0;
	}
	if (is(c, "login")) {
		for (int k = i + 1; k < n; k++)
			if (is(t[k], "-f"))
				return VG_FW_INIT_SHELL;
		return 0;
	}
	if (console && is_shell(t[i])) {
		for (int k = i + 1; k < n; k++)
			if (t[k].n == 0 || t[k].s[0] != '-' || is(t[k], "-c"))
				return 0; /* runs a script or a command: not interactive */
		return VG_FW_INIT_SHELL;
	}
	return 0;
}

static int scan_cmds(const char *s, const char *e, bool console, unsigned long line,
		     vg_fw_init_cb cb, void *ctx)
{
	int found = 0;
	while (s < e) {
		const char *q = s;
		char quote = 0;
		for (; q < e; q++) {
			if (quote) {
				if (*q == quote)
					quote = 0;
			} else if (*q == '"' || *q == '\'') {
				quote = *q;
			} else if (*q == ';' || *q == '&' || *q == '|' || *q == '`' || *q == '(' ||
				   *q == ')') {
				break;
			}
		}
		tok_t t[MAXTOK];
		int n = tokens(s, q, t, MAXTOK);
		int k = classify(t, n, console);
		if (k) {
			const char *a = t[0].s, *b = t[n - 1].s + t[n - 1].n;
			cb(ctx, k, line, a, (size_t)(b - a));
			found++;
		}
		s = q < e ? q + 1 : e;
	}
	return found;
}

int vg_fw_init_scan(const char *text, size_t len, int mode, vg_fw_init_cb cb, void *ctx)
{
	const char *e = text + len;
	unsigned long line = 0;
	int found = 0;
	for (const char *s = text; s < e;) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		const char *le = nl ? nl : e, *ls = s;
		line++;
		s = nl ? nl + 1 : e;
		while (ls < le && (*ls == ' ' || *ls == '\t'))
			ls++;
		if (ls == le || *ls == '#')
			continue;
		for (const char *h = ls; h < le; h++)
			if (*h == '#' && (h[-1] == ' ' || h[-1] == '\t')) {
				le = h;
				break;
			}
		if (le > ls && le[-1] == '\r')
			le--;
		if (mode == VG_FW_INITTAB) {
			/* id:runlevels:action:process */
			const char *f = ls;
			const char *fs[3];
			int nf = 0;
			for (const char *q = ls; q < le && nf < 3; q++)
				if (*q == ':')
					fs[nf++] = q, f = q + 1;
			if (nf < 3)
				continue;
			size_t al = (size_t)(fs[2] - fs[1] - 1);
			const char *act = fs[1] + 1;
			if ((al == 8 && !memcmp(act, "shutdown", 8)) ||
			    (al == 10 && !memcmp(act, "ctrlaltdel", 10)) ||
			    (al == 7 && !memcmp(act, "restart", 7)))
				continue;
			found += scan_cmds(f, le, true, line, cb, ctx);
		} else if (mode == VG_FW_INETD) {
			tok_t t[MAXTOK];
			int n = tokens(ls, le, t, MAXTOK);
			bool tel = n > 0 && (is(t[0], "telnet") || is(t[0], "23"));
			for (int k = 5; k < n && !tel; k++)
				tel = is(base(t[k]), "telnetd") || is(base(t[k]), "utelnetd");
			if (tel) {
				cb(ctx, VG_FW_INIT_TELNETD, line, ls, (size_t)(le - ls));
				found++;
			}
		} else {
			found += scan_cmds(ls, le, false, line, cb, ctx);
		}
	}
	return found;
}
