// SPDX-License-Identifier: Apache-2.0
/*
 * config.c — configuration files for the commands (vigil.conf(5)).
 *
 * A file is INI, read with libinih: `[watch]` holds `key = value` lines
 * whose keys are the long options of `vigil watch`.  Rather than a second
 * path into each command's settings, the file is turned into ordinary
 * arguments placed before the real command line, so one getopt loop (the
 * command's own) validates and applies everything, and precedence falls out
 * of the order: later single-valued options override, repeatable ones add.
 *
 * Only the command layer uses this; it prints through vg_err.  Not
 * thread-safe (getopt-style, called once at a command's start).  The
 * vector built owns the strings read from files; the caller's argv strings
 * are borrowed.
 */
#include "cmd/config.h"
#include "cmd/cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <ini.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Sections of the other commands: accepted in a shared file, skipped. */
static const char *const known_sections[] = {"watch", "feed", "block", "hunt"};

typedef struct rd {
	const char *section;
	const struct option *opts;
	vg_cmd_argv_t *out;
	size_t cap;
	char msg[320];  /* first error, without "file:line: " */
	bool failed;
} rd_t;

int vg_cmd_config_bool(const char *s, int *v)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*v = 1;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*v = 0;
			return 0;
		}
	}
	return -1;
}

void vg_cmd_argv_release(vg_cmd_argv_t *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n_own; i++)
		free(a->own[i]);
	free(a->own);
	free(a->argv);
	memset(a, 0, sizeof *a);
}

/* append one argument; owned ones are freed by vg_cmd_argv_release */
static int push(rd_t *r, char *s, bool owned)
{
	vg_cmd_argv_t *a = r->out;
	if ((size_t)a->argc + 2 > r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		char **nv = realloc(a->argv, cap * sizeof *nv);
		if (!nv)
			goto oom;
		a->argv = nv;
		r->cap = cap;
	}
	if (owned) {
		char **no = realloc(a->own, (a->n_own + 1) * sizeof *no);
		if (!no)
			goto oom;
		a->own = no;
		a->own[a->n_own++] = s;
	}
	a->argv[a->argc++] = s;
	a->argv[a->argc] = NULL;
	return 0;
oom:
	if (owned)
		free(s);
	return -1;
}

static int push_dup(rd_t *r, const char *prefix, const char *s)
{
	size_t lp = strlen(prefix), ls = strlen(s);
	char *d = malloc(lp + ls + 1);
	if (!d)
		return -1;
	memcpy(d, prefix, lp);
	memcpy(d + lp, s, ls + 1);
	return push(r, d, true);
}

static const struct option *find_long(const struct option *opts, const char *name, size_t n)
{
	const struct option *hit = NULL;
	for (const struct option *o = opts; o->name; o++) {
		if (strncmp(o->name, name, n))
			continue;
		if (strlen(o->name) == n)
			return o;           /* exact */
		if (hit)
			return NULL;        /* ambiguous prefix: getopt will say so */
		hit = o;
	}
	return hit;
}

static const struct option *find_short(const struct option *opts, int c)
{
	for (const struct option *o = opts; o->name; o++)
		if (!o->flag && o->val == c)
			return o;
	return NULL;
}

__attribute__((format(printf, 2, 3))) static int reject(rd_t *r, const char *fmt, ...)
{
	if (!r->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->msg, sizeof r->msg, fmt, ap);
		va_end(ap);
	}
	r->failed = true;
	return 0; /* inih: an error on this line */
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	rd_t *r = user;
	if (!*section)
		return reject(r, "'%s' is outside a section (start with [%s])", name, r->section);
	if (strcmp(section, r->section)) {
		for (size_t i = 0; i < sizeof known_sections / sizeof known_sections[0]; i++)
			if (!strcmp(section, known_sections[i]))
				return 1;
		return reject(r, "unknown section [%s]", section);
	}
	const struct option *o = NULL;
	for (const struct option *p = r->opts; p->name; p++)
		if (!strcmp(p->name, name))
			o = p;
	if (!o || !strcmp(name, "help"))
		return reject(r, "unknown option '%s' in [%s]", name, section);
	if (!strcmp(name, "config"))
		return reject(r, "'config' cannot be set in a configuration file");
	/* "a b" -> a b: quotes keep leading/trailing spaces or a ';' */
	char val[256];
	size_t n = strlen(value);
	if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
		value++;
		n -= 2;
	}
	if (n >= sizeof val)
		return reject(r, "value of '%s' is too long", name);
	memcpy(val, value, n);
	val[n] = 0;
	int ok = 0;
	if (o->has_arg == no_argument) {
		int b;
		if (vg_cmd_config_bool(val, &b))
			return reject(r, "invalid boolean '%s' for '%s' (yes/no, true/false, on/off, 1/0)",
				    val, name);
		if (b)
			ok = push_dup(r, "--", name);
	} else if (o->has_arg == required_argument) {
		if (!n)
			return reject(r, "'%s' needs a value", name);
		ok = push_dup(r, "--", name);
		if (!ok)
			ok = push_dup(r, "", val);
	} else {
		size_t sz = strlen(name) + n + 4;
		char *d = malloc(sz);
		if (!d)
			ok = -1;
		else {
			snprintf(d, sz, "--%s=%s", name, val);
			ok = push(r, d, true);
		}
	}
	if (ok)
		return reject(r, "out of memory");
	return 1;
}

static int read_file(rd_t *r, const char *path)
{
	errno = 0;
	int line = ini_parse(path, on_entry, r);
	if (line == 0 && !r->failed)
		return 0;
	if (line == -1)
		vg_err("cannot read config '%s': %s", path, strerror(errno ? errno : ENOENT));
	else if (line < 0)
		vg_err("cannot read config '%s': out of memory", path);
	else if (r->failed)
		vg_err_at(path, (unsigned long)line, "%s", r->msg);
	else
		vg_err_at(path, (unsigned long)line,
			  "syntax error (expected '[section]' or 'key = value')");
	return -1;
}

int vg_cmd_config_expand(vg_cmd_argv_t *out, const char *section, const struct option *opts,
			 int argc, char **argv)
{
	rd_t r = {.section = section, .opts = opts, .out = out};
	memset(out, 0, sizeof *out);
	if (push(&r, argv[0], false))
		goto oom;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			break;
		if (a[0] != '-' || !a[1])
			continue; /* operand; getopt_long permutes */
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
			const struct option *o = find_long(opts, a + 2, n);
			if (!o)
				continue;
			const char *val = NULL;
			if (o->has_arg == required_argument && !eq)
				val = i + 1 < argc ? argv[++i] : NULL;
			else if (eq)
				val = eq + 1;
			if (!strcmp(o->name, "config") && val && read_file(&r, val))
				goto err;
			continue;
		}
		for (const char *p = a + 1; *p; p++) {
			const struct option *o = find_short(opts, (unsigned char)*p);
			if (!o || o->has_arg == no_argument)
				continue;
			const char *val = p[1] ? p + 1 : i + 1 < argc ? argv[++i] : NULL;
			if (!strcmp(o->name, "config") && val && read_file(&r, val))
				goto err;
			break;
		}
	}
	for (int i = 1; i < argc; i++)
		if (push(&r, argv[i], false))
			goto oom;
	return 0;
oom:
	vg_err("out of memory");
err:
	vg_cmd_argv_release(out);
	return -1;
}
