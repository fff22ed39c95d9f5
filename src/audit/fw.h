/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit/fw.h — the firmware checks of `vigil audit firmware` (static
 * analysis of an image or an extracted root file system).
 *
 * vg_fw_audit() opens the input (fw_extract.c: a directory as is; a
 * squashfs image through unsquashfs; anything else through binwalk when
 * installed; otherwise an explicit fw.extract INCONCLUSIVE and every other
 * check NOT-TESTED), walks the tree with limits (fw.c), and records results
 * for these check ids (rows of data/audit-map-fw.tsv):
 *   fw.extract, fw.passwd.empty, fw.passwd.default, fw.init.telnetd,
 *   fw.init.shell, fw.key.private, fw.key.shared, fw.secret.plaintext,
 *   fw.vuln.version, fw.update.http, fw.update.nosig
 * The parsers below are exposed for the unit tests and fuzz targets; all
 * take untrusted bytes with explicit lengths and never read past them.
 * Thread-safety: one vg_fw_audit per vg_audit_t at a time; parsers are
 * reentrant.
 */
#ifndef VG_AUDIT_FW_H
#define VG_AUDIT_FW_H

#include "audit/audit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct vg_fw_opts {
	size_t max_files;       /* regular files examined (default 200000) */
	size_t max_read;        /* bytes read from one file (default 16 MiB; the rest unread) */
	unsigned max_depth;     /* directory depth (default 48) */
	int timeout;            /* extractor time limit in seconds (default 300) */
	uint64_t max_out_file;  /* largest file the extractor may write (default 1 GiB) */
	unsigned max_guesses;   /* passwords tried per hash (default 1000) */
	const char *tmpdir;     /* where images are extracted; NULL = $TMPDIR or /tmp */
	const char *creds_path; /* NULL = the embedded credentials.tsv */
	const char *keys_db;    /* NULL = no cross-image key check */
	bool keep;              /* keep the extracted tree (reported as info "extracted_to") */
} vg_fw_opts_t;

/* vg_fw_check_ids: every check id the firmware checks record, NULL-ended
 * (each must have a row in data/audit-map-fw.tsv; a unit test checks). */
extern const char *const vg_fw_check_ids[];

/* vg_fw_opts_default: fill o with the defaults above. */
void vg_fw_opts_default(vg_fw_opts_t *o);

/* vg_fw_audit: audit path (image file or rootfs directory) into a.  Returns
 * 0 when the audit ran (whatever its verdicts), or a negative VG_E* with a
 * message in err (path unreadable, credential list or keys db unusable). */
int vg_fw_audit(vg_audit_t *a, const char *path, const vg_fw_opts_t *o, char *err,
		size_t errlen);

/* ---- accounts (fw_passwd.c) ---------------------------------------- */
typedef struct vg_fw_acct {
	char user[64];
	char hash[256];      /* password field: from shadow when passwd says "x" */
	const char *from;    /* "etc/passwd" or "etc/shadow" */
	unsigned long line;  /* line in that file */
} vg_fw_acct_t;

/* vg_fw_accounts: parse passwd and (optional, NULL) shadow text into at
 * most max accounts.  Malformed lines are skipped.  Returns the count. */
size_t vg_fw_accounts(const char *passwd, size_t plen, const char *shadow, size_t slen,
		      vg_fw_acct_t *out, size_t max);
/* vg_fw_hash_kind: "DES", "MD5", "SHA-256", "SHA-512", "yescrypt",
 * "bcrypt", "" (empty password), or NULL (locked / disabled / unknown). */
const char *vg_fw_hash_kind(const char *hash);

/* Default-credential list: data/credentials.tsv rows
 * proto<TAB>pattern<TAB>user<TAB>pass<TAB>source ("<empty>" = ""). */
typedef struct vg_fw_cred {
	char *user, *pass, *source;
} vg_fw_cred_t;
typedef struct vg_fw_creds {
	vg_fw_cred_t *c;
	size_t n;
	char *version;
} vg_fw_creds_t;
/* vg_fw_creds_parse: parse text; pairs are de-duplicated by (user, pass).
 * 0, VG_EFORMAT (message "name:line: ..." in err) or VG_ENOMEM. */
int vg_fw_creds_parse(vg_fw_creds_t *cr, const char *name, const char *text, size_t len,
		      char *err, size_t errlen);
void vg_fw_creds_release(vg_fw_creds_t *cr);
/* vg_fw_crack: try the list's passwords (pairs for this user first, then
 * every other distinct password, then the user name) against hash with
 * crypt_r, at most max tries.  Returns the matching row or NULL; *tries
 * (may be NULL) receives how many were tried. */
const vg_fw_cred_t *vg_fw_crack(const char *hash, const char *user, const vg_fw_creds_t *cr,
				unsigned max, unsigned *tries);

/* ---- init scripts (fw_init.c) -------------------------------------- */
enum { VG_FW_INIT_TELNETD = 1, VG_FW_INIT_SHELL = 2 };
enum { VG_FW_SCRIPT = 0, VG_FW_INITTAB = 1, VG_FW_INETD = 2 };
typedef void (*vg_fw_init_cb)(void *ctx, int kind, unsigned long line, const char *what,
			      size_t whatlen);
/* vg_fw_init_scan: look for telnetd starts and login-less shells in a
 * shell script (mode VG_FW_SCRIPT), a BusyBox/SysV inittab (VG_FW_INITTAB)
 * or an inetd.conf (VG_FW_INETD); calls cb per finding with the command.
 * Returns the number of findings. */
int vg_fw_init_scan(const char *text, size_t len, int mode, vg_fw_init_cb cb, void *ctx);

/* ---- private keys (fw_keys.c) -------------------------------------- */
typedef struct vg_fw_key {
	size_t off;          /* offset of the PEM header / DER SEQUENCE */
	const char *format;  /* "PEM PKCS#1", "PEM PKCS#8", "PEM SEC1", "DER PKCS#1", ... */
	char type[16];       /* "RSA", "EC", "ED25519", "DSA", ... ("" if encrypted) */
	int bits;
	bool encrypted;      /* encrypted PEM: not parsed, no fingerprint */
	char fp[65];         /* SHA-256 of the DER SubjectPublicKeyInfo, hex */
} vg_fw_key_t;
typedef void (*vg_fw_key_cb)(void *ctx, const vg_fw_key_t *k);
/* vg_fw_keys_scan: find PEM private keys whose body really parses, and
 * DER PKCS#1 / PKCS#8 / SEC1 private keys by an ASN.1 walk (each candidate
 * verified by OpenSSL), in p[0..n).  At most max_cand candidates are
 * handed to OpenSSL.  Returns the number of keys reported. */
int vg_fw_keys_scan(const uint8_t *p, size_t n, size_t max_cand, vg_fw_key_cb cb, void *ctx);
/* vg_fw_der_candidate: length of a plausible DER private key (PKCS#1,
 * PKCS#8, SEC1 structure shape) starting at p, or 0. */
size_t vg_fw_der_candidate(const uint8_t *p, size_t n, const char **format);

/* ---- secrets (fw_secrets.c) ---------------------------------------- */
typedef void (*vg_fw_secret_cb)(void *ctx, unsigned long line, const char *key, size_t keylen,
				const char *val, size_t vallen);
/* vg_fw_secrets_scan: key = value / key: value / <key>value</key> /
 * "key": "value" lines whose key names a secret (password, passwd, psk,
 * wpa_passphrase, api key, token, ...) and whose value is a literal. */
int vg_fw_secrets_scan(const char *text, size_t len, vg_fw_secret_cb cb, void *ctx);

/* ---- component versions (fw_version.c) ----------------------------- */
typedef void (*vg_fw_comp_cb)(void *ctx, const char *comp, const char *ver, const char *text,
			      size_t textlen);
/* vg_fw_components: find version strings of BusyBox, OpenSSL, Dropbear,
 * GoAhead, Linux and uc-httpd in bytes.  comp is the canonical lower-case
 * name, ver the version, text the whole string found. */
int vg_fw_components(const uint8_t *p, size_t n, vg_fw_comp_cb cb, void *ctx);

#endif
