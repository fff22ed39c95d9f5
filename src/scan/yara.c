// SPDX-License-Identifier: Apache-2.0
/*
 * yara.c — the YARA side of `vigil scan`, on libyara 4.2.3.
 *
 * vg_yara_load compiles a rule file or a directory of them once (compiler
 * errors and warnings go to the caller's diag as file/line/message) or
 * loads a trusted precompiled file; the YR_RULES it yields is shared
 * read-only by every worker.  Each worker owns one vg_yara_scanner (a
 * YR_SCANNER): external variables (-d) are defined on that scanner only,
 * never on the shared rules, which is what makes concurrent use safe.
 *
 * Pitfalls of libyara 4.2.3 this module is shaped around: it hangs on FIFOs
 * when it opens files itself, and its SIGBUS/SIGSEGV "try/catch" installs
 * process-wide signal handlers that race between threads.  So only
 * yr_scanner_scan_mem is ever called, on a buffer the caller filled itself,
 * with SCAN_FLAGS_NO_TRYCATCH.  libyara is initialised once per process
 * (pthread_once) and never finalised: other threads may still scan.
 *
 * Hits are passed to the caller as vg_yara_hit_t whose strings borrow from
 * the rules (identifier, namespace, tags, metas) or from the scanner's
 * small number buffer (integer metas), valid during the callback only.
 */
#include "scan/yara.h"

#include <yara.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct vg_yara {
	YR_RULES *rules;
};

struct vg_yara_scanner {
	YR_SCANNER *sc;
	int (*on_hit)(void *ctx, const vg_yara_hit_t *h);
	void *ctx;
	int stop;            /* non-zero value returned by on_hit */
	char num[16][24];    /* printed integer metas of the current hit */
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;

static void do_init(void)
{
	init_rc = yr_initialize();
}

static int yr_init(void)
{
	pthread_once(&init_once, do_init);
	return init_rc == ERROR_SUCCESS ? 0 : VG_ENOMEM;
}

static int map_err(int e)
{
	switch (e) {
	case ERROR_SUCCESS: return 0;
	case ERROR_INSUFFICIENT_MEMORY: return VG_ENOMEM;
	case ERROR_SCAN_TIMEOUT:
	case ERROR_TOO_MANY_MATCHES: return VG_ELIMIT;
	case ERROR_COULD_NOT_OPEN_FILE: return VG_EIO;
	case ERROR_INVALID_FILE:
	case ERROR_CORRUPT_FILE:
	case ERROR_UNSUPPORTED_FILE_VERSION: return VG_EFORMAT;
	default: return VG_EINVAL;
	}
}

/* ---- external variables ---------------------------------------------------- */

typedef struct define {
	char name[128];
	const char *val;
	enum { D_INT, D_BOOL, D_STR } type;
	int64_t i;
} define_t;

static int parse_define(const char *s, define_t *d)
{
	const char *eq = s ? strchr(s, '=') : NULL;
	if (!eq || eq == s || (size_t)(eq - s) >= sizeof d->name)
		return VG_EINVAL;
	memcpy(d->name, s, (size_t)(eq - s));
	d->name[eq - s] = 0;
	d->val = eq + 1;
	const char *v = d->val;
	size_t n = strlen(v), k = v[0] == '-' ? 1 : 0;
	bool num = n > k && n - k <= 18;
	for (size_t i = k; num && i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			num = false;
	if (num) {
		int64_t x = 0;
		for (size_t i = k; i < n; i++)
			x = x * 10 + (v[i] - '0');
		d->type = D_INT;
		d->i = k ? -x : x;
	} else if (!strcmp(v, "true") || !strcmp(v, "false")) {
		d->type = D_BOOL;
		d->i = v[0] == 't';
	} else {
		d->type = D_STR;
	}
	return 0;
}

/* ---- compiling ------------------------------------------------------------- */

typedef struct cctx {
	vg_diag_fn diag;
	void *ctx;
} cctx_t;

static void compiler_cb(int level, const char *file, int line, const YR_RULE *rule,
			const char *msg, void *ud)
{
	(void)rule;
	cctx_t *c = ud;
	if (c->diag)
		c->diag(c->ctx, file, line > 0 ? (unsigned long)line : 0,
			level == YARA_ERROR_LEVEL_WARNING ? VG_SEV_WARN : VG_SEV_ERROR, msg);
}

static int add_file(YR_COMPILER *comp, const char *path, const char *ns, cctx_t *c)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		int e = errno;
		if (c->diag)
			c->diag(c->ctx, path, 0, VG_SEV_ERROR, strerror(e));
		errno = e;
		return VG_EIO;
	}
	int nerr = yr_compiler_add_file(comp, f, ns, path);
	fclose(f);
	return nerr ? VG_EFORMAT : 0;
}

static bool yar_name(const char *n)
{
	size_t l = strlen(n);
	return (l > 4 && !strcmp(n + l - 4, ".yar")) || (l > 5 && !strcmp(n + l - 5, ".yara"));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* add_dir: every .yar/.yara file below dir (rel: its path relative to the
 * root, "" at the top), sorted, namespaced by relative path. */
static int add_dir(YR_COMPILER *comp, const char *dir, const char *rel, int depth, cctx_t *c)
{
	if (depth > 8)
		return 0;
	DIR *d = opendir(dir);
	if (!d) {
		int e = errno;
		if (c->diag)
			c->diag(c->ctx, dir, 0, VG_SEV_ERROR, strerror(e));
		errno = e;
		return VG_EIO;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	int r = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **nn = realloc(names, cap * sizeof *nn);
			if (!nn) {
				r = VG_ENOMEM;
				break;
			}
			names = nn;
		}
		if (!(names[n] = strdup(de->d_name))) {
			r = VG_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n && r == 0; i++) {
		size_t pl = strlen(dir) + strlen(names[i]) + 2;
		size_t rl = strlen(rel) + strlen(names[i]) + 2;
		char *p = malloc(pl), *rp = malloc(rl);
		if (!p || !rp) {
			free(p);
			free(rp);
			r = VG_ENOMEM;
			break;
		}
		snprintf(p, pl, "%s/%s", dir, names[i]);
		snprintf(rp, rl, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		struct stat st;
		if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				r = add_dir(comp, p, rp, depth + 1, c);
			else if (S_ISREG(st.st_mode) && yar_name(names[i]))
				r = add_file(comp, p, rp, c);
		}
		free(p);
		free(rp);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

static int compiler_define(YR_COMPILER *comp, const define_t *d)
{
	switch (d->type) {
	case D_INT: return yr_compiler_define_integer_variable(comp, d->name, d->i);
	case D_BOOL: return yr_compiler_define_boolean_variable(comp, d->name, (int)d->i);
	default: return yr_compiler_define_string_variable(comp, d->name, d->val);
	}
}

int vg_yara_load_ex(vg_yara_t **out, const char *rules, bool compiled, const char *const *defines,
		    int ndefines, vg_diag_fn diag, void *ctx)
{
	if (!out || !rules)
		return VG_EINVAL;
	*out = NULL;
	int r = yr_init();
	if (r)
		return r;
	vg_yara_t *y = calloc(1, sizeof *y);
	if (!y)
		return VG_ENOMEM;
	if (compiled) {
		r = map_err(yr_rules_load(rules, &y->rules));
		if (r == VG_EINVAL)
			r = VG_EFORMAT;
		if (r) {
			if (diag)
				diag(ctx, rules, 0, VG_SEV_ERROR,
				     r == VG_EIO ? "cannot open compiled rules"
						 : "not a compiled rules file of this libyara version");
			free(y);
			return r;
		}
		*out = y;
		return 0;
	}
	struct stat st;
	if (stat(rules, &st) != 0) {
		int e = errno;
		if (diag)
			diag(ctx, rules, 0, VG_SEV_ERROR, strerror(e));
		free(y);
		errno = e;
		return VG_EIO;
	}
	YR_COMPILER *comp;
	if (yr_compiler_create(&comp) != ERROR_SUCCESS) {
		free(y);
		return VG_ENOMEM;
	}
	cctx_t c = {diag, ctx};
	yr_compiler_set_callback(comp, compiler_cb, &c);
	for (int i = 0; i < ndefines && r == 0; i++) {
		define_t d;
		r = parse_define(defines[i], &d);
		if (r == 0 && compiler_define(comp, &d) != ERROR_SUCCESS)
			r = VG_EINVAL;
	}
	if (r == 0)
		r = S_ISDIR(st.st_mode) ? add_dir(comp, rules, "", 0, &c)
					: add_file(comp, rules, "default", &c);
	if (r == 0)
		r = map_err(yr_compiler_get_rules(comp, &y->rules));
	yr_compiler_destroy(comp);
	if (r) {
		free(y);
		return r;
	}
	*out = y;
	return 0;
}

int vg_yara_load(vg_yara_t **out, const char *rules, bool compiled, vg_diag_fn diag, void *ctx)
{
	return vg_yara_load_ex(out, rules, compiled, NULL, 0, diag, ctx);
}

unsigned vg_yara_rule_count(const vg_yara_t *y)
{
	return y && y->rules ? y->rules->num_rules : 0;
}

void vg_yara_free(vg_yara_t *y)
{
	if (!y)
		return;
	if (y->rules)
		yr_rules_destroy(y->rules);
	free(y);
}

/* ---- scanning ---------------------------------------------------------------- */

static int scan_cb(YR_SCAN_CONTEXT *sctx, int msg, void *data, void *ud)
{
	(void)sctx;
	if (msg != CALLBACK_MSG_RULE_MATCHING)
		return CALLBACK_CONTINUE;
	vg_yara_scanner_t *s = ud;
	YR_RULE *rule = data;
	vg_yara_hit_t h;
	memset(&h, 0, sizeof h);
	h.rule = rule->identifier;
	h.ns = rule->ns ? rule->ns->name : "";
	const char *tag;
	yr_rule_tags_foreach(rule, tag)
	{
		if (h.ntags < 16)
			h.tags[h.ntags++] = tag;
	}
	YR_META *meta;
	yr_rule_metas_foreach(rule, meta)
	{
		if (h.nmeta >= 16)
			break;
		const char *v;
		switch (meta->type) {
		case META_TYPE_INTEGER:
			snprintf(s->num[h.nmeta], sizeof s->num[0], "%lld",
				 (long long)meta->integer);
			v = s->num[h.nmeta];
			break;
		case META_TYPE_BOOLEAN: v = meta->integer ? "true" : "false"; break;
		default: v = meta->string ? meta->string : ""; break;
		}
		h.meta_key[h.nmeta] = meta->identifier;
		h.meta_val[h.nmeta] = v;
		h.nmeta++;
	}
	int r = s->on_hit ? s->on_hit(s->ctx, &h) : 0;
	if (r) {
		s->stop = r;
		return CALLBACK_ABORT;
	}
	return CALLBACK_CONTINUE;
}

static int scanner_define(YR_SCANNER *sc, const define_t *d)
{
	switch (d->type) {
	case D_INT: return yr_scanner_define_integer_variable(sc, d->name, d->i);
	case D_BOOL: return yr_scanner_define_boolean_variable(sc, d->name, (int)d->i);
	default: return yr_scanner_define_string_variable(sc, d->name, d->val);
	}
}

int vg_yara_scanner_new(vg_yara_t *y, const char *const *defines, int ndefines, int timeout_s,
			vg_yara_scanner_t **out)
{
	if (!y || !out)
		return VG_EINVAL;
	*out = NULL;
	vg_yara_scanner_t *s = calloc(1, sizeof *s);
	if (!s)
		return VG_ENOMEM;
	if (yr_scanner_create(y->rules, &s->sc) != ERROR_SUCCESS) {
		free(s);
		return VG_ENOMEM;
	}
	yr_scanner_set_callback(s->sc, scan_cb, s);
	yr_scanner_set_timeout(s->sc, timeout_s > 0 ? timeout_s : 0);
	yr_scanner_set_flags(s->sc, SCAN_FLAGS_NO_TRYCATCH | SCAN_FLAGS_REPORT_RULES_MATCHING);
	for (int i = 0; i < ndefines; i++) {
		define_t d;
		if (parse_define(defines[i], &d) != 0 || scanner_define(s->sc, &d) != ERROR_SUCCESS) {
			vg_yara_scanner_free(s);
			return VG_EINVAL;
		}
	}
	*out = s;
	return 0;
}

int vg_yara_scan_mem(vg_yara_scanner_t *s, const uint8_t *buf, size_t n,
		     int (*on_hit)(void *ctx, const vg_yara_hit_t *h), void *ctx)
{
	if (!s || (!buf && n))
		return VG_EINVAL;
	static const uint8_t empty[1];
	s->on_hit = on_hit;
	s->ctx = ctx;
	s->stop = 0;
	int e = yr_scanner_scan_mem(s->sc, buf ? buf : empty, n);
	if (s->stop)
		return s->stop;
	return map_err(e);
}

void vg_yara_scanner_free(vg_yara_scanner_t *s)
{
	if (!s)
		return;
	if (s->sc)
		yr_scanner_destroy(s->sc);
	free(s);
}
