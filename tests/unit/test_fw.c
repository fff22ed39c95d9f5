// SPDX-License-Identifier: Apache-2.0
/*
 * test_fw.c — the parsers and finders of `vigil audit firmware`:
 * passwd/shadow join (shadow only replaces "x"; malformed lines skipped);
 * hash kinds; crypt(3) cracking of DES, MD5, SHA-256, SHA-512 and yescrypt
 * hashes against the list, the user's own pairs first, bounded by max
 * tries; credential list parsing (<empty>, de-duplication, errors with
 * file:line); telnetd / login-less shell detection in inittab, scripts and
 * inetd.conf (and the look-alikes that are not starts); plaintext secret
 * detection (and references/placeholders that are not); component version
 * strings; private keys: PEM PKCS#1/PKCS#8/SEC1 parse, encrypted PEM is
 * reported encrypted, a fake or truncated PEM is not reported, DER
 * PKCS#1/PKCS#8/SEC1 found by the ASN.1 walk inside noise with the same
 * fingerprint as the PEM of the same key; squashfs superblock search and
 * entropy; the resolver never leaves the root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "audit/fw.h"
#include "audit/fw_int.h"
#include "vigil/common.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Rule: shadow fills only accounts whose passwd field is "x"; lines with
 * fewer than two fields or over-long users are skipped. */
static void test_accounts(void **st)
{
	(void)st;
	const char *pw = "# c\nroot:x:0:0::/:/bin/sh\nbroken\nguest::1:1::/:/bin/sh\n"
			 "admin:$1$a$b:2:2::/:/bin/sh\nnosh:x:3:3::/:/bin/sh\n";
	const char *sh = "root:abSMa52lhy1Wg:1::::::\nadmin:SHADOWED:1::::::\n";
	vg_fw_acct_t a[8];
	size_t n = vg_fw_accounts(pw, strlen(pw), sh, strlen(sh), a, 8);
	assert_int_equal(n, 4);
	assert_string_equal(a[0].user, "root");
	assert_string_equal(a[0].hash, "abSMa52lhy1Wg");
	assert_string_equal(a[0].from, "etc/shadow");
	assert_int_equal(a[0].line, 1);
	assert_string_equal(a[1].user, "guest");
	assert_string_equal(a[1].hash, "");
	assert_int_equal(a[1].line, 4);
	assert_string_equal(a[2].hash, "$1$a$b"); /* not "x": shadow ignored */
	assert_string_equal(a[3].hash, "x");
	assert_null(vg_fw_hash_kind(a[3].hash));
	assert_int_equal(vg_fw_accounts(pw, strlen(pw), NULL, 0, a, 2), 2);
}

static void test_hash_kind(void **st)
{
	(void)st;
	assert_string_equal(vg_fw_hash_kind(""), "");
	assert_string_equal(vg_fw_hash_kind("abSMa52lhy1Wg"), "DES");
	assert_string_equal(vg_fw_hash_kind("$1$x$y"), "MD5");
	assert_string_equal(vg_fw_hash_kind("$5$x$y"), "SHA-256");
	assert_string_equal(vg_fw_hash_kind("$6$x$y"), "SHA-512");
	assert_string_equal(vg_fw_hash_kind("$y$j9T$x$y"), "yescrypt");
	assert_string_equal(vg_fw_hash_kind("$2b$10$x"), "bcrypt");
	assert_null(vg_fw_hash_kind("*"));
	assert_null(vg_fw_hash_kind("!"));
	assert_null(vg_fw_hash_kind("!$6$x$y"));
	assert_null(vg_fw_hash_kind("abSMa52lhy1W!"));
}

static const char creds_txt[] =
	"# version: t1\n"
	"telnet\t*\troot\txmhdipc\tMirai\n"
	"telnet\t*\troot\tvizxv\tMirai\n"
	"telnet\t*\tadmin\tadmin\tMirai\n"
	"telnet\t*\troot\t12345\tMirai\n"
	"http\tXMEye\tadmin\t<empty>\tXMEye\n"
	"telnet\t*\troot\txmhdipc\tduplicate\n"
	"telnet\t*\tother\tZq8#not-a-default-9vR\tlast\n";

/* Rule: <empty> is the empty password; (user, pass) duplicates dropped;
 * a row without 5 fields is an error naming file:line. */
static void test_creds(void **st)
{
	(void)st;
	vg_fw_creds_t cr = {0};
	char err[128];
	assert_int_equal(vg_fw_creds_parse(&cr, "c.tsv", creds_txt, strlen(creds_txt), err, sizeof err), 0);
	assert_int_equal(cr.n, 6);
	assert_string_equal(cr.version, "t1");
	assert_string_equal(cr.c[4].user, "admin");
	assert_string_equal(cr.c[4].pass, "");
	vg_fw_creds_release(&cr);
	const char *bad = "# x\ntelnet\t*\troot\txmhdipc\n";
	assert_int_equal(vg_fw_creds_parse(&cr, "c.tsv", bad, strlen(bad), err, sizeof err), VG_EFORMAT);
	assert_string_equal(err, "c.tsv:2: expected 5 TAB-separated fields");
	vg_fw_creds_release(&cr);
}

/* Rule: each crypt(3) scheme is cracked when the password is listed; the
 * user's own pairs are tried first; max bounds the tries; the user name is
 * tried last. */
static void test_crack(void **st)
{
	(void)st;
	vg_fw_creds_t cr = {0};
	char err[128];
	assert_int_equal(vg_fw_creds_parse(&cr, "c", creds_txt, strlen(creds_txt), err, sizeof err), 0);
	unsigned t;
	const vg_fw_cred_t *h = vg_fw_crack("abSMa52lhy1Wg", "root", &cr, 100, &t);
	assert_non_null(h);
	assert_string_equal(h->pass, "xmhdipc");
	assert_int_equal(t, 1);
	h = vg_fw_crack("$1$vigilslt$I7o7oZNbilLGs4MRbv9C30", "admin", &cr, 100, &t);
	assert_string_equal(h->pass, "admin");
	assert_int_equal(t, 1); /* admin's own pairs first: "admin" */
	h = vg_fw_crack("$5$vigilsalt$Dd9wnzigGbaAddDH88Dhjg3eB31ocovEFTRjaLoe2/B", "user", &cr, 100, &t);
	assert_string_equal(h->pass, "12345");
	h = vg_fw_crack("$y$j9T$qZqNdlaRdRKOgNLObZ4PqZqNdl4$Gnh8v39J7q3F6/TkBvpwJEsIJPWYtTugyH61VrxYOOD",
			"dahua", &cr, 100, &t);
	assert_string_equal(h->pass, "vizxv");
	const char *s512 = "$6$vigilsalt$2oGKeeCjOK6IXMV82h.F083Hqxed8C6wR0.Q84W6Ht7DWEi4X/A0WFEThSEg0CGYgI2dWJayVjf1cOUgh/Ns/.";
	h = vg_fw_crack(s512, "root", &cr, 100, &t);
	assert_string_equal(h->source, "last");
	assert_null(vg_fw_crack(s512, "root", &cr, 3, &t));
	assert_int_equal(t, 3);
	assert_null(vg_fw_crack("abSMa52lhy1Wg", "root", &cr, 0, &t));
	assert_int_equal(t, 0);
	/* the user name as password */
	vg_fw_creds_t none = {0};
	h = vg_fw_crack("$1$vigilslt$I7o7oZNbilLGs4MRbv9C30", "admin", &none, 10, &t);
	assert_non_null(h);
	assert_null(h->pass);
	assert_int_equal(t, 1);
	vg_fw_creds_release(&cr);
}

typedef struct hits {
	int n, kinds[8];
	unsigned long lines[8];
	char what[8][128];
} hits_t;

static void init_cb(void *ctx, int kind, unsigned long line, const char *w, size_t wl)
{
	hits_t *h = ctx;
	if (h->n < 8) {
		h->kinds[h->n] = kind;
		h->lines[h->n] = line;
		snprintf(h->what[h->n], sizeof h->what[0], "%.*s", (int)wl, w);
	}
	h->n++;
}

static hits_t scan_init(const char *t, int mode)
{
	hits_t h;
	memset(&h, 0, sizeof h);
	int n = vg_fw_init_scan(t, strlen(t), mode, init_cb, &h);
	assert_int_equal(n, h.n);
	return h;
}

/* Rule: starts of telnetd and console shells are found with their line;
 * comments, kill/echo/test and scripts run by a shell are not starts. */
static void test_init(void **st)
{
	(void)st;
	hits_t h = scan_init("::sysinit:/etc/init.d/rcS\nttyS0::respawn:/bin/sh\n"
			     "::askfirst:-/bin/sh\n::shutdown:/bin/sh\n"
			     "tty1::respawn:/sbin/getty -L tty1 115200\n"
			     "tty2::respawn:/sbin/getty -n -l /bin/sh tty2 115200\n"
			     "# ttyS1::respawn:/bin/sh\n::once:/usr/sbin/telnetd -l /bin/sh\n"
			     "::respawn:/bin/login -f root\n::sysinit:/bin/sh /etc/rc\n",
			     VG_FW_INITTAB);
	assert_int_equal(h.n, 5);
	assert_int_equal(h.kinds[0], VG_FW_INIT_SHELL);
	assert_int_equal(h.lines[0], 2);
	assert_string_equal(h.what[0], "/bin/sh");
	assert_int_equal(h.lines[1], 3);
	assert_string_equal(h.what[1], "-/bin/sh");
	assert_int_equal(h.lines[2], 6);
	assert_int_equal(h.kinds[3], VG_FW_INIT_TELNETD);
	assert_string_equal(h.what[3], "/usr/sbin/telnetd -l /bin/sh");
	assert_int_equal(h.lines[4], 9);
	h = scan_init("#!/bin/sh\n# telnetd -l /bin/sh\nkillall telnetd\necho telnetd\n"
		      "[ -x /usr/sbin/telnetd ] && echo yes\nmount -a; telnetd -p 23 &\n"
		      "  exec busybox telnetd -F # debug\nX=1 nohup utelnetd &\n"
		      "start-stop-daemon -S -x /usr/sbin/telnetd\n/bin/sh\n",
		      VG_FW_SCRIPT);
	assert_int_equal(h.n, 4);
	assert_int_equal(h.lines[0], 6);
	assert_string_equal(h.what[0], "telnetd -p 23");
	assert_string_equal(h.what[1], "exec busybox telnetd -F");
	assert_int_equal(h.lines[2], 8);
	assert_int_equal(h.lines[3], 9);
	h = scan_init("ftp stream tcp nowait root /usr/sbin/ftpd ftpd\n"
		      "telnet stream tcp nowait root /usr/sbin/telnetd telnetd\n"
		      "#telnet stream tcp nowait root /usr/sbin/telnetd telnetd\n",
		      VG_FW_INETD);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.lines[0], 2);
}

typedef struct sec {
	int n;
	char kv[8][96];
} sec_t;

static void sec_cb(void *ctx, unsigned long line, const char *k, size_t kl, const char *v, size_t vl)
{
	sec_t *s = ctx;
	if (s->n < 8)
		snprintf(s->kv[s->n], sizeof s->kv[0], "%lu %.*s=%.*s", line, (int)kl, k, (int)vl, v);
	s->n++;
}

/* Rule: literal values assigned to secret-named keys are found in the
 * usual config syntaxes; references, placeholders and empties are not. */
static void test_secrets(void **st)
{
	(void)st;
	const char *t = "psk=\"wifi-key-1\"\n"
			"wpa_passphrase=abcdefgh\n"
			"  admin_password : 'p4ss'\n"
			"export API_KEY=AKIA123\n"
			"\toption key_password 'uci-secret'\n"
			"{\"token\": \"tok-1\", \"x\": 1}\n"
			"<Password>xml-pass</Password>\n"
			"# password=commented\n"
			"password=$1\n"
			"password=\n"
			"pwd=`cat /tmp/p`\n"
			"password = none\n"
			"secret=********\n"
			"bypass=1\n"
			"pass=short\n"
			"passwordless=%s\n"
			"<Password></Password>\n";
	sec_t s;
	memset(&s, 0, sizeof s);
	assert_int_equal(vg_fw_secrets_scan(t, strlen(t), sec_cb, &s), 8);
	assert_string_equal(s.kv[0], "1 psk=wifi-key-1");
	assert_string_equal(s.kv[1], "2 wpa_passphrase=abcdefgh");
	assert_string_equal(s.kv[2], "3 admin_password=p4ss");
	assert_string_equal(s.kv[3], "4 API_KEY=AKIA123");
	assert_string_equal(s.kv[4], "5 key_password=uci-secret");
	assert_string_equal(s.kv[5], "6 token=tok-1");
	assert_string_equal(s.kv[6], "7 Password=xml-pass");
	assert_string_equal(s.kv[7], "15 pass=short");
}

typedef struct comps {
	int n;
	char c[12][96];
} comps_t;

static void comp_cb(void *ctx, const char *comp, const char *ver, const char *text, size_t tl)
{
	comps_t *c = ctx;
	if (c->n < 12)
		snprintf(c->c[c->n], sizeof c->c[0], "%s|%s|%.*s", comp, ver, (int)tl, text);
	c->n++;
}

/* Rule: versions must start with a digit; each (component, version) once;
 * a bare GoAhead/uc-httpd only when no versioned string was found. */
static void test_components(void **st)
{
	(void)st;
	static const uint8_t b[] = "\0BusyBox v1.19.4 (2014)\0OpenSSL %s\0OpenSSL 1.0.1e 11 Feb\0"
				   "BusyBox v1.19.4\0dropbear_2014.63\0Linux version 3.10.14+ (gcc)\0"
				   "uc-httpd 1.0.0\0uc-httpd\0GoAhead-Webs\0Dropbear sshd v2019.78.\0";
	comps_t c;
	memset(&c, 0, sizeof c);
	assert_int_equal(vg_fw_components(b, sizeof b - 1, comp_cb, &c), 7);
	assert_string_equal(c.c[0], "busybox|1.19.4|BusyBox v1.19.4");
	assert_string_equal(c.c[1], "openssl|1.0.1e|OpenSSL 1.0.1e");
	assert_string_equal(c.c[2], "dropbear|2014.63|dropbear_2014.63");
	assert_string_equal(c.c[3], "dropbear|2019.78|Dropbear sshd v2019.78");
	assert_string_equal(c.c[4], "goahead||GoAhead-Webs");
	assert_string_equal(c.c[5], "linux|3.10.14|Linux version 3.10.14");
	assert_string_equal(c.c[6], "uc-httpd|1.0.0|uc-httpd 1.0.0");
}

typedef struct keys {
	int n;
	vg_fw_key_t k[8];
} keys_t;

static void key_cb(void *ctx, const vg_fw_key_t *k)
{
	keys_t *s = ctx;
	if (s->n < 8)
		s->k[s->n] = *k;
	s->n++;
}

static EVP_PKEY *gen(const char *alg, int bits)
{
	EVP_PKEY *k = NULL;
	if (!strcmp(alg, "RSA"))
		k = EVP_RSA_gen((unsigned)bits);
	else
		k = EVP_EC_gen("P-256");
	assert_non_null(k);
	return k;
}

static size_t pem(EVP_PKEY *k, int how, char *out, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	if (how == 0)
		PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL); /* PKCS#8 */
	else if (how == 1)
		PEM_write_bio_PrivateKey_traditional(b, k, NULL, NULL, 0, NULL, NULL);
	else
		PEM_write_bio_PrivateKey(b, k, EVP_aes_128_cbc(), (unsigned char *)"pw", 2, NULL, NULL);
	char *p;
	long n = BIO_get_mem_data(b, &p);
	assert_true(n > 0 && (size_t)n < cap);
	memcpy(out, p, (size_t)n);
	BIO_free(b);
	return (size_t)n;
}

/* Rule: PEM keys that parse are reported with type, size and format;
 * encrypted ones as encrypted; fake and truncated blocks not at all. */
static void test_keys_pem(void **st)
{
	(void)st;
	EVP_PKEY *rsa = gen("RSA", 1024), *ec = gen("EC", 256);
	static char buf[16384];
	size_t n = 0;
	n += (size_t)snprintf(buf + n, sizeof buf - n, "junk\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
	n += pem(rsa, 1, buf + n, sizeof buf - n);
	n += pem(ec, 0, buf + n, sizeof buf - n);
	n += pem(ec, 2, buf + n, sizeof buf - n);
	size_t t0 = n;
	n += pem(rsa, 0, buf + n, sizeof buf - n);
	keys_t k;
	memset(&k, 0, sizeof k);
	/* the last block truncated before its END line */
	assert_int_equal(vg_fw_keys_scan((uint8_t *)buf, t0 + 200, 100, key_cb, &k), 3);
	assert_string_equal(k.k[0].format, "PEM PKCS#1");
	assert_string_equal(k.k[0].type, "RSA");
	assert_int_equal(k.k[0].bits, 1024);
	assert_int_equal(strlen(k.k[0].fp), 64);
	assert_string_equal(k.k[1].format, "PEM PKCS#8");
	assert_string_equal(k.k[1].type, "EC");
	assert_int_equal(k.k[1].bits, 256);
	assert_true(k.k[2].encrypted);
	assert_string_equal(k.k[2].format, "PEM PKCS#8 (encrypted)");
	assert_string_equal(k.k[2].fp, "");
	memset(&k, 0, sizeof k);
	assert_int_equal(vg_fw_keys_scan((uint8_t *)buf, n, 100, key_cb, &k), 4);
	assert_string_equal(k.k[3].fp, k.k[0].fp); /* same RSA key, other encoding */
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ec);
}

/* Rule: DER PKCS#1, PKCS#8 and SEC1 keys are found inside noise by the
 * ASN.1 walk with the PEM's fingerprint; a candidate whose length runs
 * past the end is rejected; max_cand bounds OpenSSL calls. */
static void test_keys_der(void **st)
{
	(void)st;
	EVP_PKEY *rsa = gen("RSA", 1024), *ec = gen("EC", 256);
	unsigned char *d1 = NULL, *d3 = NULL;
	int l1 = i2d_PrivateKey(rsa, &d1); /* PKCS#1 */
	int l3 = i2d_PrivateKey(ec, &d3);  /* SEC1 */
	BIO *b = BIO_new(BIO_s_mem());
	i2d_PKCS8PrivateKey_bio(b, ec, NULL, NULL, 0, NULL, NULL);
	char *d2;
	long l2 = BIO_get_mem_data(b, &d2);
	static uint8_t buf[8192];
	size_t n = 0;
	for (int i = 0; i < 300; i++)
		buf[n++] = (uint8_t)(i * 7 + 0x30 * (i % 3 == 0));
	memcpy(buf + n, d1, (size_t)l1), n += (size_t)l1;
	memcpy(buf + n, "\x30\x82\x01", 3), n += 3;
	memcpy(buf + n, d2, (size_t)l2), n += (size_t)l2;
	buf[n++] = 0;
	memcpy(buf + n, d3, (size_t)l3), n += (size_t)l3;
	keys_t k;
	memset(&k, 0, sizeof k);
	assert_int_equal(vg_fw_keys_scan(buf, n, 1000, key_cb, &k), 3);
	assert_int_equal(k.k[0].off, 300);
	assert_string_equal(k.k[0].format, "DER PKCS#1");
	assert_string_equal(k.k[0].type, "RSA");
	assert_string_equal(k.k[1].format, "DER PKCS#8");
	assert_string_equal(k.k[2].format, "DER SEC1");
	assert_string_equal(k.k[1].fp, k.k[2].fp); /* same EC key */
	static char p[4096];
	size_t pl = pem(rsa, 0, p, sizeof p);
	keys_t kp;
	memset(&kp, 0, sizeof kp);
	assert_int_equal(vg_fw_keys_scan((uint8_t *)p, pl, 10, key_cb, &kp), 1);
	assert_string_equal(kp.k[0].fp, k.k[0].fp);
	const char *fmt;
	assert_int_equal(vg_fw_der_candidate(d1, (size_t)l1, &fmt), (size_t)l1);
	assert_int_equal(vg_fw_der_candidate(d1, (size_t)l1 - 1, &fmt), 0);
	assert_int_equal(vg_fw_der_candidate((const uint8_t *)"\x30\x84\0\0\0\x20", 6, &fmt), 0);
	memset(&k, 0, sizeof k);
	assert_int_equal(vg_fw_keys_scan(buf, n, 0, key_cb, &k), 0);
	OPENSSL_free(d1);
	OPENSSL_free(d3);
	BIO_free(b);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ec);
}

/* Rule: a squashfs 4 superblock is found at any offset; "hsqs" without a
 * plausible version/block size is not; entropy of random bytes ~8. */
static void test_squashfs_entropy(void **st)
{
	(void)st;
	static uint8_t b[4096];
	memset(b, 'A', sizeof b);
	memcpy(b + 10, "hsqs", 4); /* junk: version 0x4141 */
	assert_int_equal(fw_squashfs_find(b, sizeof b), -1);
	memcpy(b + 1000, "hsqs", 4);
	b[1000 + 12] = 0, b[1000 + 13] = 0, b[1000 + 14] = 2, b[1000 + 15] = 0; /* 128 KiB */
	b[1000 + 28] = 4, b[1000 + 29] = 0;
	assert_int_equal(fw_squashfs_find(b, sizeof b), 1000);
	assert_true(fw_entropy(b, sizeof b) < 1.0);
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof b; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (uint8_t)(x >> 16);
	}
	assert_true(fw_entropy(b, sizeof b) > 7.9);
	assert_true(fw_entropy(b, 0) == 0);
}

/* Rule: symlinks resolve as if the root were "/": "..", absolute targets
 * and chains stay inside; a loop is VG_ELIMIT. */
static void test_resolve(void **st)
{
	(void)st;
	char root[] = "/tmp/vg-tfw-XXXXXX";
	assert_non_null(mkdtemp(root));
	char p[4200], out[4200];
	snprintf(p, sizeof p, "%s/etc", root);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/var", root);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/var/passwd", root);
	FILE *f = fopen(p, "w");
	fputs("root::0:0::/:/bin/sh\n", f);
	fclose(f);
	snprintf(p, sizeof p, "%s/etc/passwd", root);
	assert_int_equal(symlink("/var/passwd", p), 0);
	snprintf(p, sizeof p, "%s/etc/up", root);
	assert_int_equal(symlink("../../../../../../var/passwd", p), 0);
	snprintf(p, sizeof p, "%s/etc/loop", root);
	assert_int_equal(symlink("loop", p), 0);
	snprintf(p, sizeof p, "%s/etc/hosts", root);
	assert_int_equal(symlink("/etc/../../../etc/hosts-none", p), 0);
	char want[4200];
	snprintf(want, sizeof want, "%s/var/passwd", root);
	assert_int_equal(fw_resolve(root, "etc/passwd", out, sizeof out), 0);
	assert_string_equal(out, want);
	assert_int_equal(fw_resolve(root, "etc/up", out, sizeof out), 0);
	assert_string_equal(out, want);
	assert_int_equal(fw_resolve(root, "../../etc/./passwd", out, sizeof out), 0);
	assert_string_equal(out, want);
	assert_int_equal(fw_resolve(root, "etc/loop", out, sizeof out), VG_ELIMIT);
	assert_int_equal(fw_resolve(root, "etc/hosts", out, sizeof out), VG_ENOTFOUND);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accounts),     cmocka_unit_test(test_hash_kind),
		cmocka_unit_test(test_creds),        cmocka_unit_test(test_crack),
		cmocka_unit_test(test_init),         cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_components),   cmocka_unit_test(test_keys_pem),
		cmocka_unit_test(test_keys_der),     cmocka_unit_test(test_squashfs_entropy),
		cmocka_unit_test(test_resolve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
