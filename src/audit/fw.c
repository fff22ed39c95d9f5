// SPDX-License-Identifier: Apache-2.0
/*
 * fw.c — `vigil audit firmware`: the driver of the static checks (fw.h).
 *
 * Order: load the default-credential list and the keys db, open the input
 * (fw_extract.c), walk the tree once (bounded), then
 *  1. accounts: etc/passwd + etc/shadow (resolved inside the root): empty
 *     password fields, hashes cracked with crypt(3) against the list;
 *  2. boot: etc/inittab, rc scripts, init.d, rc.local, inetd.conf;
 *  3. one pass over every regular file (first max_read bytes each): private
 *     keys, plaintext secrets (configuration files only), component
 *     versions, http:// update URLs and signature hints near upgrade code;
 * and records results; a check that found nothing records PASS with what
 * it examined, one that could not run records INCONCLUSIVE with why.  When
 * the image cannot be opened, fw.extract is INCONCLUSIVE and every other
 * check NOT-TESTED.
 * The vulnerable-version table (dev/vuln.h) is used when its implementation
 * is part of the build (__has_include guard until branch dev-parse is
 * merged); otherwise found versions are reported INCONCLUSIVE.
 * Memory: one file buffer at a time.  Not thread-safe (one audit object).
 */
#include "audit/fw_int.h"

#include "lib/data.h"
#include "lib/file.h"

#include <vigil/common.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#if __has_include("dev/vuln.c")
#include "dev/vuln.h"
#define HAVE_VULN 1
#else
#define HAVE_VULN 0
#endif

#define MAX_ACCTS 1024
#define MAX_KEYS 256
#define MAX_COMPS 64
#define MAX_URLS 32
#define MAX_SECRETS 200
#define SMALL_MAX (4u << 20)

const char *const vg_fw_check_ids[] = {
	"fw.extract",      "fw.passwd.empty", "fw.passwd.default", "fw.init.telnetd", "fw.init.shell",
	"fw.key.private", "fw.key.shared", "fw.secret.plaintext", "fw.vuln.version",
	"fw.update.http", "fw.update.nosig", NULL,
};

void vg_fw_opts_default(vg_fw_opts_t *o)
{
	memset(o, 0, sizeof(*o));
	o->max_files = 200000;
	o->max_read = 16u << 20;
	o->max_depth = 48;
	o->timeout = 300;
	o->max_out_file = 1ull << 30;
	o->max_guesses = 1000;
}

typedef struct keyrec {
	vg_fw_key_t k;
	char where[PATH_MAX + 24];
} keyrec_t;

typedef struct comp {
	char comp[32], ver[48], text[96], where[PATH_MAX];
} comp_t;

typedef struct fwctx {
	vg_audit_t *a;
	const vg_fw_opts_t *o;
	const char *root;
	const char *cur; /* rel path of the file being scanned */
	int rc;          /* first VG_ENOMEM from vg_audit_add */
	keyrec_t *keys;
	size_t nkeys;
	comp_t *comps;
	size_t ncomps;
	size_t nsecrets, ninit_files, nurls;
	char urls[MAX_URLS][160];
	char url_where[MAX_URLS][PATH_MAX];
	size_t nupg;
	char upg[4][PATH_MAX];
	char sig_hint[PATH_MAX + 64];
	int kind_seen[VG_FW_INIT_SHELL + 1];
} fwctx_t;

static void add(fwctx_t *c, const char *check, const char *target, int v, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void add(fwctx_t *c, const char *check, const char *target, int v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vg_audit_addv(c->a, check, target, v, fmt, ap);
	va_end(ap);
	if (r && !c->rc)
		c->rc = r;
}

/* Read rel (resolved inside the root) up to max bytes; NULL if absent. */
static char *read_rel(const fwctx_t *c, const char *rel, size_t max, size_t *len)
{
	char p[PATH_MAX];
	if (fw_resolve(c->root, rel, p, sizeof(p)))
		return NULL;
	int fd = open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	size_t want = (size_t)st.st_size < max ? (size_t)st.st_size : max;
	char *b = malloc(want + 1);
	size_t got = 0;
	while (b && got < want) {
		ssize_t n = read(fd, b + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (b) {
		b[got] = 0;
		*len = got;
	}
	return b;
}

/* ---- 1. accounts ------------------------------------------------------ */

static void check_accounts(fwctx_t *c, const vg_fw_creds_t *cr, bool have_creds)
{
	size_t pl = 0, sl = 0;
	char *pw = read_rel(c, "etc/passwd", SMALL_MAX, &pl);
	char *sh = read_rel(c, "etc/shadow", SMALL_MAX, &sl);
	if (!pw) {
		add(c, "fw.passwd.empty", "etc/passwd", VG_V_INCONCLUSIVE, "no etc/passwd in the image");
		add(c, "fw.passwd.default", "etc/passwd", VG_V_INCONCLUSIVE, "no etc/passwd in the image");
		free(sh);
		return;
	}
	vg_fw_acct_t *ac = calloc(MAX_ACCTS, sizeof(*ac));
	size_t n = ac ? vg_fw_accounts(pw, pl, sh, sl, ac, MAX_ACCTS) : 0;
	size_t empty = 0, locked = 0, hashes = 0, cracked = 0;
	char kinds[96] = "";
	for (size_t i = 0; i < n; i++) {
		const char *k = vg_fw_hash_kind(ac[i].hash);
		char tgt[48];
		snprintf(tgt, sizeof(tgt), "%s:%lu", ac[i].from, ac[i].line);
		if (!k) {
			locked++;
			continue;
		}
		if (!*k) {
			empty++;
			add(c, "fw.passwd.empty", tgt, VG_V_FAIL,
			    "account '%s' has an empty password field: login without a password",
			    ac[i].user);
			continue;
		}
		hashes++;
		if (!strstr(kinds, k) && strlen(kinds) + strlen(k) + 3 < sizeof(kinds))
			snprintf(kinds + strlen(kinds), sizeof(kinds) - strlen(kinds), "%s%s",
				 *kinds ? ", " : "", k);
		if (!have_creds)
			continue;
		unsigned tries;
		const vg_fw_cred_t *hit = vg_fw_crack(ac[i].hash, ac[i].user, cr, c->o->max_guesses, &tries);
		if (hit) {
			cracked++;
			add(c, "fw.passwd.default", tgt, VG_V_FAIL,
			    "account '%s': %s hash of the default password '%s' (%s)", ac[i].user, k,
			    hit->pass ? hit->pass : ac[i].user, hit->source);
		}
	}
	if (!empty)
		add(c, "fw.passwd.empty", "etc/passwd", VG_V_PASS,
		    "%zu accounts, none with an empty password field (%zu locked or without a password hash)",
		    n, locked);
	if (!have_creds)
		add(c, "fw.passwd.default", "etc/passwd", VG_V_INCONCLUSIVE,
		    "no default-credential list (credentials.tsv is not built in; give --creds FILE)");
	else if (!cracked)
		add(c, "fw.passwd.default", "etc/passwd", VG_V_PASS,
		    "%zu password hashes (%s), none equal to a password of the default-credential list "
		    "(%zu pairs, at most %u tries per hash)",
		    hashes, *kinds ? kinds : "none", cr->n, c->o->max_guesses);
	free(ac);
	free(pw);
	free(sh);
}

/* ---- 2. boot ----------------------------------------------------------- */

static void init_hit(void *ctx, int kind, unsigned long line, const char *what, size_t wl)
{
	fwctx_t *c = ctx;
	char tgt[PATH_MAX + 24];
	snprintf(tgt, sizeof(tgt), "%s:%lu", c->cur, line);
	if (wl > 200)
		wl = 200;
	c->kind_seen[kind]++;
	if (kind == VG_FW_INIT_TELNETD) {
		bool shell = memmem(what, wl, "-l /bin/sh", 10) || memmem(what, wl, "-l/bin/sh", 9) ||
			     memmem(what, wl, "-l /bin/ash", 11);
		add(c, "fw.init.telnetd", tgt, VG_V_FAIL, "telnetd started at boot: '%.*s'%s", (int)wl,
		    what, shell ? " (login program is a shell: no password asked)" : "");
	} else {
		add(c, "fw.init.shell", tgt, VG_V_FAIL, "shell without login at boot: '%.*s'", (int)wl,
		    what);
	}
}

static bool init_file(const char *rel, int *mode)
{
	*mode = VG_FW_SCRIPT;
	if (!strcmp(rel, "etc/inetd.conf")) {
		*mode = VG_FW_INETD;
		return true;
	}
	return !strncmp(rel, "etc/init.d/", 11) || !strncmp(rel, "etc/rc.d/", 9) ||
	       !strncmp(rel, "etc/rcS.d/", 10) || !strcmp(rel, "etc/rc.local") ||
	       !strcmp(rel, "etc/rcS") || !strcmp(rel, "etc/rc") || !strcmp(rel, "etc/profile") ||
	       !strncmp(rel, "etc/rc.", 7);
}

static void check_boot(fwctx_t *c, const fw_files_t *fs)
{
	size_t len;
	char *it = read_rel(c, "etc/inittab", SMALL_MAX, &len);
	if (it) {
		c->cur = "etc/inittab";
		c->ninit_files++;
		vg_fw_init_scan(it, len, VG_FW_INITTAB, init_hit, c);
		free(it);
	} else {
		char p[PATH_MAX], l[PATH_MAX];
		ssize_t ll = -1;
		if ((size_t)snprintf(p, sizeof(p), "%s/sbin/init", c->root) < sizeof(p))
			ll = readlink(p, l, sizeof(l) - 1);
		if (ll > 0) {
			l[ll] = 0;
			if (strstr(l, "busybox")) {
				c->ninit_files++;
				c->kind_seen[VG_FW_INIT_SHELL]++;
				add(c, "fw.init.shell", "sbin/init", VG_V_FAIL,
				    "no etc/inittab and init is BusyBox (-> %s): its built-in default "
				    "inittab starts '-/bin/sh' (askfirst) on the console", l);
			}
		}
	}
	for (size_t i = 0; i < fs->n; i++) {
		int mode;
		if (!init_file(fs->f[i].rel, &mode))
			continue;
		char *t = read_rel(c, fs->f[i].rel, SMALL_MAX, &len);
		if (!t)
			continue;
		c->cur = fs->f[i].rel;
		c->ninit_files++;
		vg_fw_init_scan(t, len, mode, init_hit, c);
		free(t);
	}
	const char *what = "inittab, rcS, init.d, rc.local, inetd.conf";
	if (!c->ninit_files) {
		add(c, "fw.init.telnetd", "etc", VG_V_INCONCLUSIVE, "no init files found (%s)", what);
		add(c, "fw.init.shell", "etc", VG_V_INCONCLUSIVE, "no init files found (%s)", what);
		return;
	}
	if (!c->kind_seen[VG_FW_INIT_TELNETD])
		add(c, "fw.init.telnetd", "etc", VG_V_PASS, "no telnetd started from %zu init files (%s)",
		    c->ninit_files, what);
	if (!c->kind_seen[VG_FW_INIT_SHELL])
		add(c, "fw.init.shell", "etc", VG_V_PASS,
		    "no login-less shell started from %zu init files (%s)", c->ninit_files, what);
}

/* ---- 3. content pass --------------------------------------------------- */

static void key_hit(void *ctx, const vg_fw_key_t *k)
{
	fwctx_t *c = ctx;
	if (c->nkeys >= MAX_KEYS)
		return;
	keyrec_t *r = &c->keys[c->nkeys++];
	r->k = *k;
	snprintf(r->where, sizeof(r->where), "%s@%zu", c->cur, k->off);
}

static void secret_hit(void *ctx, unsigned long line, const char *key, size_t kl, const char *val,
		       size_t vl)
{
	fwctx_t *c = ctx;
	if (c->nsecrets++ >= MAX_SECRETS)
		return;
	char tgt[PATH_MAX + 24];
	snprintf(tgt, sizeof(tgt), "%s:%lu", c->cur, line);
	unsigned char f = (unsigned char)val[0];
	add(c, "fw.secret.plaintext", tgt, VG_V_FAIL,
	    "'%.*s' set to a plaintext value (%zu characters, first '%c'; value redacted)",
	    (int)(kl > 64 ? 64 : kl), key, vl, f >= 0x21 && f < 0x7f ? f : '?');
}

static void comp_add(fwctx_t *c, const char *comp, const char *ver, const char *text, size_t tl)
{
	for (size_t i = 0; i < c->ncomps; i++)
		if (!strcmp(c->comps[i].comp, comp) && !strcmp(c->comps[i].ver, ver))
			return;
	if (c->ncomps >= MAX_COMPS)
		return;
	comp_t *x = &c->comps[c->ncomps++];
	snprintf(x->comp, sizeof(x->comp), "%s", comp);
	snprintf(x->ver, sizeof(x->ver), "%s", ver);
	snprintf(x->text, sizeof(x->text), "%.*s", (int)(tl < 95 ? tl : 95), text);
	snprintf(x->where, sizeof(x->where), "%s", c->cur);
}

static void comp_hit(void *ctx, const char *comp, const char *ver, const char *text, size_t tl)
{
	comp_add(ctx, comp, ver, text, tl);
}

static bool config_file(const char *rel)
{
	static const char *const skip[] = {"etc/passwd", "etc/shadow", "etc/group", "etc/gshadow",
					   "etc/passwd-", "etc/shadow-"};
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strcmp(rel, skip[i]))
			return false;
	static const char *const dirs[] = {"etc/", "var/", "usr/etc/", "mnt/", "home/", "root/",
					   "config/", "opt/", "data/"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strncmp(rel, dirs[i], strlen(dirs[i])))
			return true;
	const char *dot = strrchr(rel, '.');
	static const char *const ext[] = {".conf", ".cfg", ".ini", ".json", ".xml", ".env",
					  ".properties", ".yaml", ".yml", ".txt"};
	for (size_t i = 0; dot && i < sizeof(ext) / sizeof(ext[0]); i++)
		if (!strcasecmp(dot, ext[i]))
			return true;
	return false;
}

static bool ci_has(const uint8_t *p, size_t n, const char *w)
{
	size_t wl = strlen(w);
	for (size_t i = 0; i + wl <= n; i++)
		if (!strncasecmp((const char *)p + i, w, wl))
			return true;
	return false;
}

static bool urlch(uint8_t ch)
{
	return ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\'' && ch != '<' && ch != '>' &&
	       ch != '`' && ch != ' ' && ch != '\\';
}

static void scan_urls(fwctx_t *c, const uint8_t *p, size_t n)
{
	static const char *const kw[] = {"upgrade", "update", "firmware", "/fw", "ota", ".bin",
					 ".img"};
	const uint8_t *e = p + n, *s = p;
	while ((size_t)(e - s) >= 7 && (s = memmem(s, (size_t)(e - s), "http://", 7))) {
		const uint8_t *u = s;
		while (u < e && urlch(*u) && u - s < 150)
			u++;
		size_t ul = (size_t)(u - s);
		bool upd = false;
		for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]) && !upd; i++)
			upd = ci_has(s + 7, ul - 7, kw[i]);
		if (upd && ul > 10) {
			bool dup = false;
			for (size_t i = 0; i < c->nurls && !dup; i++)
				dup = strlen(c->urls[i]) == ul && !memcmp(c->urls[i], s, ul);
			if (!dup && c->nurls < MAX_URLS) {
				memcpy(c->urls[c->nurls], s, ul);
				c->urls[c->nurls][ul] = 0;
				snprintf(c->url_where[c->nurls], PATH_MAX, "%s", c->cur);
				c->nurls++;
			}
		}
		s = u > s + 7 ? u : s + 7;
	}
}

static const char *const upg_names[] = {"upgrade", "fwupdate", "fw_update", "firmware_update",
					"sysupgrade", "ota_", "update_fw"};
static const char *const upg_text[] = {"sysupgrade", "fw_upgrade", "firmware upgrade",
				       "upgrade_firmware", "fwupdate", "firmware_update"};
static const char *const sig_text[] = {"RSA_verify", "EVP_DigestVerify", "EVP_VerifyFinal",
				       "ECDSA_verify", "mbedtls_pk_verify", "openssl dgst",
				       "gpg --verify", "usign", "verify_signature",
				       "-----BEGIN PUBLIC KEY-----", "signature"};

static void scan_update(fwctx_t *c, const char *rel, const uint8_t *p, size_t n)
{
	const char *bn = strrchr(rel, '/');
	bn = bn ? bn + 1 : rel;
	bool upg = false;
	if (strncmp(rel, "lib/modules/", 12) && strncmp(rel, "usr/share/", 10)) {
		const char *dot = strrchr(bn, '.');
		bool data = dot && (!strcmp(dot, ".pub") || !strcmp(dot, ".pem") ||
				    !strcmp(dot, ".sig") || !strcmp(dot, ".key") ||
				    !strcmp(dot, ".crt"));
		for (size_t i = 0; i < sizeof(upg_names) / sizeof(upg_names[0]) && !upg && !data; i++)
			upg = strcasestr(bn, upg_names[i]) != NULL;
		for (size_t i = 0; i < sizeof(upg_text) / sizeof(upg_text[0]) && !upg; i++)
			upg = ci_has(p, n, upg_text[i]);
	}
	if (!upg)
		return;
	if (c->nupg < 4)
		snprintf(c->upg[c->nupg], PATH_MAX, "%s", rel);
	c->nupg++;
	for (size_t i = 0; i < sizeof(sig_text) / sizeof(sig_text[0]) && !c->sig_hint[0]; i++)
		if (ci_has(p, n, sig_text[i]))
			snprintf(c->sig_hint, sizeof(c->sig_hint), "'%s' in %s", sig_text[i], rel);
}

static bool is_text(const uint8_t *p, size_t n)
{
	return !memchr(p, 0, n < 8192 ? n : 8192);
}

static void content_pass(fwctx_t *c, const fw_files_t *fs, size_t *big)
{
	for (size_t i = 0; i < fs->n; i++) {
		const char *rel = fs->f[i].rel;
		if (fs->f[i].size > c->o->max_read)
			(*big)++;
		if (!strncmp(rel, "lib/modules/", 12)) {
			const char *v = rel + 12, *sl = strchr(v, '/');
			if (sl && sl > v && *v >= '0' && *v <= '9' && sl - v < 40) {
				char dir[64];
				snprintf(dir, sizeof(dir), "lib/modules/%.*s", (int)(sl - v), v);
				c->cur = dir;
				char vv[48];
				size_t vl = 0;
				while (v + vl < sl && ((v[vl] >= '0' && v[vl] <= '9') || v[vl] == '.'))
					vl++;
				snprintf(vv, sizeof(vv), "%.*s", (int)vl, v);
				char text[64];
				snprintf(text, sizeof(text), "Linux version %s", vv);
				comp_add(c, "linux", vv, text, strlen(text));
			}
		}
		size_t len;
		char *b = read_rel(c, rel, c->o->max_read, &len);
		if (!b)
			continue;
		const uint8_t *p = (const uint8_t *)b;
		c->cur = rel;
		vg_fw_keys_scan(p, len, 4096, key_hit, c);
		vg_fw_components(p, len, comp_hit, c);
		bool text = is_text(p, len);
		if (text && config_file(rel))
			vg_fw_secrets_scan(b, len, secret_hit, c);
		scan_urls(c, p, len);
		scan_update(c, rel, p, len);
		if (!c->sig_hint[0] && (strstr(rel, ".pub") || strstr(rel, "pubkey") ||
					strstr(rel, "public.pem")))
			snprintf(c->sig_hint, sizeof(c->sig_hint), "public key file %s", rel);
		free(b);
	}
}

/* ---- keys db ----------------------------------------------------------- */

typedef struct kdb_row {
	char fp[65];
	char *subject, *path;
} kdb_row_t;

typedef struct kdb {
	kdb_row_t *r;
	size_t n;
} kdb_t;

static void kdb_release(kdb_t *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->r[i].subject), free(d->r[i].path);
	free(d->r);
}

static int kdb_load(kdb_t *d, const char *path, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	char *t;
	size_t len;
	int r = vg_file_read(path, 256u << 20, &t, &len);
	if (r == VG_EIO && errno == ENOENT)
		return 0;
	if (r) {
		snprintf(err, errlen, "%s: %s", path, r == VG_EIO ? strerror(errno) : vg_strerror(r));
		return r;
	}
	unsigned long line = 0;
	size_t cap = 0;
	for (char *s = t, *e = t + len; s < e;) {
		char *nl = memchr(s, '\n', (size_t)(e - s));
		char *le = nl ? nl : e, *ls = s;
		line++;
		s = nl ? nl + 1 : e;
		*le = 0;
		if (!*ls || *ls == '#')
			continue;
		char *f[5];
		int nf = 0;
		for (char *q = ls; nf < 5;) {
			f[nf++] = q;
			char *tab = strchr(q, '\t');
			if (!tab)
				break;
			*tab = 0;
			q = tab + 1;
		}
		if (nf != 5 || strlen(f[0]) != 64) {
			snprintf(err, errlen, "%s:%lu: expected fingerprint<TAB>type<TAB>bits<TAB>subject<TAB>path",
				 path, line);
			free(t);
			return VG_EFORMAT;
		}
		if (d->n == cap) {
			cap = cap ? cap * 2 : 64;
			kdb_row_t *nr = realloc(d->r, cap * sizeof(*nr));
			if (!nr) {
				free(t);
				return VG_ENOMEM;
			}
			d->r = nr;
		}
		kdb_row_t *x = &d->r[d->n++];
		memcpy(x->fp, f[0], 65);
		x->subject = strdup(f[3]);
		x->path = strdup(f[4]);
		if (!x->subject || !x->path) {
			free(t);
			return VG_ENOMEM;
		}
	}
	free(t);
	return 0;
}

static void check_keys(fwctx_t *c, size_t nfiles, const char *subject, char *err, size_t errlen,
		       int *rc)
{
	size_t plain = 0;
	for (size_t i = 0; i < c->nkeys; i++) {
		const vg_fw_key_t *k = &c->keys[i].k;
		if (k->encrypted) {
			add(c, "fw.key.private", c->keys[i].where, VG_V_INCONCLUSIVE,
			    "encrypted %s%sprivate key (%s); the passphrase was not tried", k->type,
			    *k->type ? " " : "", k->format);
			continue;
		}
		plain++;
		add(c, "fw.key.private", c->keys[i].where, VG_V_FAIL,
		    "%s %d-bit private key (%s) stored in the image, public key SHA-256 %s", k->type,
		    k->bits, k->format, k->fp);
	}
	if (!c->nkeys)
		add(c, "fw.key.private", "", VG_V_PASS, "no private key found in %zu files", nfiles);
	if (!c->o->keys_db) {
		add(c, "fw.key.shared", "", VG_V_NOT_TESTED,
		    "no --keys-db given: keys not compared with earlier images");
		return;
	}
	kdb_t d;
	if ((*rc = kdb_load(&d, c->o->keys_db, err, errlen)))
		return;
	size_t shared = 0;
	for (size_t i = 0; i < c->nkeys; i++) {
		const vg_fw_key_t *k = &c->keys[i].k;
		if (k->encrypted || !k->fp[0])
			continue;
		for (size_t j = 0; j < d.n; j++)
			if (!strcmp(d.r[j].fp, k->fp) && strcmp(d.r[j].subject, subject)) {
				shared++;
				add(c, "fw.key.shared", c->keys[i].where, VG_V_FAIL,
				    "%s %d-bit private key %s also in %s (%s)", k->type, k->bits, k->fp,
				    d.r[j].subject, d.r[j].path);
				break;
			}
	}
	if (!shared)
		add(c, "fw.key.shared", "", VG_V_PASS,
		    "%zu private keys, none among the %zu fingerprints of %s", plain, d.n,
		    c->o->keys_db);
	/* remember this image's keys */
	FILE *f = fopen(c->o->keys_db, "a");
	if (!f) {
		snprintf(err, errlen, "%s: %s", c->o->keys_db, strerror(errno));
		*rc = VG_EIO;
	}
	if (f && !d.n && ftell(f) == 0)
		fputs("# vigil keys-db 1: fingerprint\ttype\tbits\tsubject\tpath\n", f);
	for (size_t i = 0; f && i < c->nkeys; i++) {
		const vg_fw_key_t *k = &c->keys[i].k;
		if (k->encrypted || !k->fp[0])
			continue;
		bool have = false;
		for (size_t j = 0; j < d.n && !have; j++)
			have = !strcmp(d.r[j].fp, k->fp) && !strcmp(d.r[j].subject, subject) &&
			       !strcmp(d.r[j].path, c->keys[i].where);
		for (size_t j = 0; j < i && !have; j++)
			have = !strcmp(c->keys[j].k.fp, k->fp) && !strcmp(c->keys[j].where, c->keys[i].where);
		if (!have)
			fprintf(f, "%s\t%s\t%d\t%s\t%s\n", k->fp, k->type, k->bits, subject,
				c->keys[i].where);
	}
	if (f && fclose(f)) {
		snprintf(err, errlen, "%s: %s", c->o->keys_db, strerror(errno));
		*rc = VG_EIO;
	}
	kdb_release(&d);
}

static void check_versions(fwctx_t *c)
{
	if (!c->ncomps) {
		add(c, "fw.vuln.version", "", VG_V_INCONCLUSIVE,
		    "no component version string found (BusyBox, OpenSSL, Dropbear, GoAhead, Linux, uc-httpd)");
		return;
	}
#if HAVE_VULN
	vg_vulns_t *v = NULL;
	if (vg_vulns_builtin(&v))
		v = NULL;
#endif
	for (size_t i = 0; i < c->ncomps; i++) {
		comp_t *x = &c->comps[i];
		const char *ver = *x->ver ? x->ver : "(no version)";
#if HAVE_VULN
		vg_vuln_hit_t h[8];
		int nh = v ? vg_vuln_check(v, x->comp, x->ver, h, 8) : -1;
		if (nh > 0) {
			for (int j = 0; j < nh; j++)
				add(c, "fw.vuln.version", x->where, VG_V_FAIL, "%s %s ('%s'): %s %s",
				    x->comp, ver, x->text, h[j].cves, h[j].summary ? h[j].summary : "");
			continue;
		}
		if (nh == 0) {
			add(c, "fw.vuln.version", x->where, VG_V_PASS,
			    "%s %s ('%s'): in no vulnerable range of the table (version %s)", x->comp,
			    ver, x->text, vg_vulns_version(v));
			continue;
		}
#endif
		add(c, "fw.vuln.version", x->where, VG_V_INCONCLUSIVE,
		    "%s %s ('%s'): the vulnerable-version table is not part of this build", x->comp,
		    ver, x->text);
	}
#if HAVE_VULN
	vg_vulns_free(v);
#endif
}

static void check_update(fwctx_t *c)
{
	for (size_t i = 0; i < c->nurls; i++)
		add(c, "fw.update.http", c->url_where[i], VG_V_FAIL,
		    "update or firmware URL over plain HTTP: %s", c->urls[i]);
	if (!c->nurls)
		add(c, "fw.update.http", "", VG_V_PASS, "no http:// update or firmware URL found");
	if (!c->nupg) {
		add(c, "fw.update.nosig", "", VG_V_INCONCLUSIVE,
		    "no upgrade code found (names or strings such as upgrade, sysupgrade, fwupdate)");
		return;
	}
	char list[4 * 80] = "";
	for (size_t i = 0; i < c->nupg && i < 4; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%.70s", i ? ", " : "",
			 c->upg[i]);
	if (c->sig_hint[0])
		add(c, "fw.update.nosig", c->upg[0], VG_V_PASS,
		    "upgrade code (%s%s) with a signature or public-key hint: %s", list,
		    c->nupg > 4 ? ", ..." : "", c->sig_hint);
	else
		add(c, "fw.update.nosig", c->upg[0], VG_V_FAIL,
		    "upgrade code (%s%s) and no signature verification or public key found in the image",
		    list, c->nupg > 4 ? ", ..." : "");
}

int vg_fw_audit(vg_audit_t *a, const char *path, const vg_fw_opts_t *o, char *err, size_t errlen)
{
	vg_fw_creds_t cr = {0};
	bool have_creds = false;
	int r = 0;
	if (o->creds_path) {
		char *t;
		size_t len;
		if ((r = vg_file_read(o->creds_path, 64u << 20, &t, &len))) {
			snprintf(err, errlen, "%s: %s", o->creds_path,
				 r == VG_EIO ? strerror(errno) : vg_strerror(r));
			return r;
		}
		r = vg_fw_creds_parse(&cr, o->creds_path, t, len, err, errlen);
		free(t);
		have_creds = true;
	} else {
		size_t len;
		const char *t = vg_data_get("credentials.tsv", &len);
		if (t) {
			r = vg_fw_creds_parse(&cr, "credentials.tsv", t, len, err, errlen);
			have_creds = true;
		}
	}
	if (r) {
		vg_fw_creds_release(&cr);
		return r;
	}
	if (cr.version)
		vg_audit_set_info(a, "credentials_version", cr.version);
	fw_input_t in;
	if ((r = fw_open(path, o, &in, err, errlen))) {
		vg_fw_creds_release(&cr);
		return r;
	}
	vg_audit_set_info(a, "input", in.how);
	if (in.state != FW_DIR && in.state != FW_EXTRACTED) {
		vg_audit_add(a, "fw.extract", "", VG_V_INCONCLUSIVE, "%s", in.how);
		for (size_t i = 1; vg_fw_check_ids[i]; i++)
			vg_audit_add(a, vg_fw_check_ids[i], "", VG_V_NOT_TESTED,
				     "not tested: the image could not be opened (%s)",
				     in.state == FW_ENCRYPTED ? "encrypted/unsupported" : "unsupported");
		fw_close(&in, o);
		vg_fw_creds_release(&cr);
		return 0;
	}
	if (o->keep && in.tmp[0])
		vg_audit_set_info(a, "extracted_to", in.root);
	fw_files_t fs;
	fwctx_t *c = calloc(1, sizeof(*c));
	if (!c || (r = fw_walk(in.root, o, &fs))) {
		free(c);
		fw_close(&in, o);
		vg_fw_creds_release(&cr);
		snprintf(err, errlen, "out of memory");
		return VG_ENOMEM;
	}
	c->a = a;
	c->o = o;
	c->root = in.root;
	c->keys = calloc(MAX_KEYS, sizeof(*c->keys));
	c->comps = calloc(MAX_COMPS, sizeof(*c->comps));
	if (!c->keys || !c->comps) {
		r = VG_ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	check_accounts(c, &cr, have_creds);
	check_boot(c, &fs);
	size_t big = 0;
	content_pass(c, &fs, &big);
	if (c->nsecrets == 0)
		add(c, "fw.secret.plaintext", "", VG_V_PASS,
		    "no plaintext password, PSK or API key in the configuration files");
	else if (c->nsecrets > MAX_SECRETS)
		add(c, "fw.secret.plaintext", "", VG_V_FAIL, "%zu more plaintext secrets not listed",
		    c->nsecrets - MAX_SECRETS);
	check_keys(c, fs.n, vg_audit_subject(a), err, errlen, &r);
	check_versions(c);
	check_update(c);
	add(c, "fw.extract", "", fs.truncated ? VG_V_INCONCLUSIVE : VG_V_PASS,
	    "%s; %zu files examined%s; %zu larger than --max-read (%zu bytes), read in part",
	    in.how, fs.n, fs.truncated ? " (stopped at --max-files: the rest is unexamined)" : "",
	    big, o->max_read);
	if (!r && c->rc) {
		r = c->rc;
		snprintf(err, errlen, "out of memory");
	}
out:
	free(c->keys);
	free(c->comps);
	free(c);
	fw_files_release(&fs);
	fw_close(&in, o);
	vg_fw_creds_release(&cr);
	return r;
}
