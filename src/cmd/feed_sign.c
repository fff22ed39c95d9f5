// SPDX-License-Identifier: Apache-2.0
/*
 * feed_sign.c — `vigil feed keygen | sign | verify`: signed feeds in
 * minisign's formats (src/intel/sign.c does the formats and the crypto).
 *
 *   vigil feed keygen -p PUB -s SEC [-W] [-f]
 *   vigil feed sign   -s SEC -m FILE [-x SIG] [-t COMMENT] [--feed NAME] [--seq N]
 *   vigil feed verify (-p PUB | -P KEY) -m FILE [-x SIG] [--feed NAME] [--state DIR] [-q]
 *
 * The trusted comment binds "feed=<name> seq=<n> time=<ISO 8601 UTC>";
 * verify refuses a comment without them, and with --state DIR a seq not
 * greater than the last one accepted for that feed name (DIR/<name>.seq,
 * replaced atomically after each acceptance).  The passphrase of an
 * encrypted secret key comes from VIGIL_PASSPHRASE or the terminal.
 * Secret keys are written with mode 0600, through a temporary file renamed
 * into place; an existing key is only replaced with -f.  Every failure is
 * one line "FILE: error: ..." on stderr and exit status 2.
 * vg_cmd_verify_buf is the one verification path, also used by the loader
 * (--pubkey on check/compile/lookup and watch).  Single-threaded.
 */
#include "cmd/feed_sign.h"
#include "lib/file.h"
#include "cmd/cmd.h"

#include "lib/buf.h"
#include "lib/timefmt.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define KEYFILE_MAX (64 * 1024)
#define FEED_MAX ((size_t)1 << 32)
#define PASS_MAX 1024

static const char usage_keygen[] =
	"usage: vigil feed keygen -p PUB -s SEC [-W] [-f]\n"
	"\n"
	"  -p, --pubkey-file PUB  write the public key to PUB\n"
	"  -s, --seckey-file SEC  write the secret key to SEC (mode 0600)\n"
	"  -W, --no-passphrase    do not encrypt the secret key\n"
	"  -f, --force            replace existing key files\n"
	"  -h, --help             show this help\n"
	"\n"
	"The passphrase is read twice from the terminal, or from the environment\n"
	"variable VIGIL_PASSPHRASE.  Keys are minisign keys.\n"
	"Exit status: 0 written, 2 error.\n";

static const char usage_sign[] =
	"usage: vigil feed sign -s SEC -m FILE [<options>]\n"
	"\n"
	"  -s, --seckey-file SEC  secret key (minisign format)\n"
	"  -m, --message FILE     the feed file to sign\n"
	"  -x, --sig-file SIG     signature file (default: FILE.minisig)\n"
	"  -t, --trusted-comment TEXT\n"
	"                         trusted comment; feed=, seq= and time= found in it\n"
	"                         are used, the missing ones are added\n"
	"      --feed NAME        feed name (default: the file name)\n"
	"      --seq N            sequence number (default: the current unix time)\n"
	"      --legacy           legacy (not prehashed) signature\n"
	"  -h, --help             show this help\n"
	"\n"
	"The passphrase of an encrypted key is read from the terminal or from\n"
	"VIGIL_PASSPHRASE.\n"
	"Exit status: 0 signed, 2 error.\n";

static const char usage_verify[] =
	"usage: vigil feed verify (-p PUB | -P KEY) -m FILE [<options>]\n"
	"\n"
	"  -p, --pubkey-file PUB  public key file (minisign format)\n"
	"  -P, --pubkey-string KEY\n"
	"                         public key as its base64 string\n"
	"  -m, --message FILE     the signed feed file\n"
	"  -x, --sig-file SIG     signature file (default: FILE.minisig)\n"
	"      --feed NAME        require this feed name in the trusted comment\n"
	"      --state DIR        refuse a seq not greater than the last accepted one\n"
	"                         for the feed, and record it in DIR/NAME.seq\n"
	"  -q, --quiet            print nothing on success\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 valid, 2 rejected (modified file, wrong key, bad trusted\n"
	"comment, replayed sequence number) or error.\n";

enum { O_FEED = 256, O_SEQ, O_STATE, O_LEGACY };

static const struct option keygen_opts[] = {
	{"pubkey-file", required_argument, NULL, 'p'},
	{"seckey-file", required_argument, NULL, 's'},
	{"no-passphrase", no_argument, NULL, 'W'},
	{"force", no_argument, NULL, 'f'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};
static const struct option sign_opts[] = {
	{"seckey-file", required_argument, NULL, 's'},
	{"message", required_argument, NULL, 'm'},
	{"sig-file", required_argument, NULL, 'x'},
	{"trusted-comment", required_argument, NULL, 't'},
	{"feed", required_argument, NULL, O_FEED},
	{"seq", required_argument, NULL, O_SEQ},
	{"legacy", no_argument, NULL, O_LEGACY},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};
static const struct option verify_opts[] = {
	{"pubkey-file", required_argument, NULL, 'p'},
	{"pubkey-string", required_argument, NULL, 'P'},
	{"message", required_argument, NULL, 'm'},
	{"sig-file", required_argument, NULL, 'x'},
	{"feed", required_argument, NULL, O_FEED},
	{"state", required_argument, NULL, O_STATE},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

typedef struct sargs {
	const char *pub, *pubstr, *sec, *msg, *sig, *tc, *feed, *seq, *state;
	bool nopass, force, quiet, legacy;
} sargs_t;

static void ferr(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ferr(const char *path, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: error: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *errno_text(int e)
{
	static char buf[128];
	snprintf(buf, sizeof buf, "%s", strerror(e ? e : EIO));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] + 32);
	return buf;
}

/* parse: common option loop; -1 to go on, else an exit code. */
static int parse(int argc, char **argv, const char *sub, const char *shortopts,
		 const struct option *table, const char *usage, sargs_t *a)
{
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, table, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(usage, stdout); return VG_EXIT_OK;
		case 'p': a->pub = optarg; break;
		case 'P': a->pubstr = optarg; break;
		case 's': a->sec = optarg; break;
		case 'm': a->msg = optarg; break;
		case 'x': a->sig = optarg; break;
		case 't': a->tc = optarg; break;
		case 'W': a->nopass = true; break;
		case 'f': a->force = true; break;
		case 'q': a->quiet = true; break;
		case O_FEED: a->feed = optarg; break;
		case O_SEQ: a->seq = optarg; break;
		case O_STATE: a->state = optarg; break;
		case O_LEGACY: a->legacy = true; break;
		default: return vg_cmd_opt_error("feed", sub, c, argv);
		}
	}
	if (optind < argc) {
		vg_err("feed %s: unexpected argument '%s'; see 'vigil feed %s --help'", sub,
		       argv[optind], sub);
		return VG_EXIT_ERROR;
	}
	if (vg_sign_init()) {
		vg_err("feed %s: cannot initialise libsodium", sub);
		return VG_EXIT_ERROR;
	}
	return -1;
}

/* ---- files ------------------------------------------------------------------------ */

int vg_cmd_read_file(const char *path, size_t max, char **data, size_t *len)
{
	return vg_file_read(path, max, data, len);
}

/* read_small: read a key or signature file, reporting failures. */
static int read_small(const char *path, const char *what, char **data, size_t *len)
{
	errno = 0;
	int rc = vg_cmd_read_file(path, KEYFILE_MAX, data, len);
	if (rc == VG_EIO)
		ferr(path, "cannot read %s: %s", what, errno_text(errno));
	else if (rc == VG_ELIMIT)
		ferr(path, "not a %s (larger than %d bytes)", what, KEYFILE_MAX);
	else if (rc)
		ferr(path, "cannot read %s: %s", what, vg_strerror(rc));
	return rc;
}

/* write_atomic: write data to path through a temporary file in the same
 * directory (mode), fsync, rename.  Without force, an existing path is
 * refused.  Prints on failure. */
static int write_atomic(const char *path, const void *data, size_t len, mode_t mode, bool force)
{
	struct stat st;
	if (!force && lstat(path, &st) == 0) {
		ferr(path, "already exists; use -f to replace it");
		return VG_EINVAL;
	}
	vg_buf_t tmp = VG_BUF_INIT;
	vg_buf_addf(&tmp, "%s.tmpXXXXXX", path);
	if (tmp.oom) {
		ferr(path, "out of memory");
		return VG_ENOMEM;
	}
	int fd = mkstemp(tmp.p);
	if (fd < 0) {
		ferr(path, "cannot write: %s", errno_text(errno));
		vg_buf_release(&tmp);
		return VG_EIO;
	}
	const char *p = data;
	size_t left = len;
	int e = 0;
	if (fchmod(fd, mode) != 0)
		e = errno;
	while (!e && left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			e = errno;
			break;
		}
		p += w;
		left -= (size_t)w;
	}
	if (!e && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e && !force && lstat(path, &st) == 0)
		e = EEXIST;
	if (!e && rename(tmp.p, path) != 0)
		e = errno;
	if (e) {
		unlink(tmp.p);
		if (e == EEXIST)
			ferr(path, "already exists; use -f to replace it");
		else
			ferr(path, "cannot write: %s", errno_text(e));
	}
	vg_buf_release(&tmp);
	return e ? VG_EIO : 0;
}

/* ---- passphrase ------------------------------------------------------------------- */

/* read_pass: VIGIL_PASSPHRASE, else one line from /dev/tty with echo off.
 * buf is PASS_MAX bytes.  0 or -1 (printed). */
static int read_pass(const char *prompt, char *buf)
{
	const char *env = getenv("VIGIL_PASSPHRASE");
	if (env) {
		if (strlen(env) >= PASS_MAX) {
			vg_err("VIGIL_PASSPHRASE is too long (at most %d bytes)", PASS_MAX - 1);
			return -1;
		}
		memcpy(buf, env, strlen(env) + 1);
		return 0;
	}
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		vg_err("no terminal to read the passphrase from; set VIGIL_PASSPHRASE");
		return -1;
	}
	struct termios old, t;
	bool echo_off = tcgetattr(fd, &old) == 0;
	if (echo_off) {
		t = old;
		t.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
		t.c_lflag |= ICANON;
		tcsetattr(fd, TCSAFLUSH, &t);
	}
	if (write(fd, prompt, strlen(prompt)) < 0) {
		/* the prompt is a courtesy */
	}
	size_t n = 0;
	int rc = 0;
	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		if (n + 1 >= PASS_MAX) {
			rc = -1;
			break;
		}
		buf[n++] = c;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = 0;
	if (echo_off)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* ditto */
	}
	close(fd);
	if (rc)
		vg_err("passphrase too long (at most %d bytes)", PASS_MAX - 1);
	return rc;
}

/* ---- keygen ----------------------------------------------------------------------- */

int cmd_feed_keygen(int argc, char **argv)
{
	sargs_t a = {0};
	int rc = parse(argc, argv, "keygen", ":p:s:Wfh", keygen_opts, usage_keygen, &a);
	if (rc >= 0)
		return rc;
	if (!a.pub || !a.sec) {
		vg_err("feed keygen: both -p PUB and -s SEC are required; see 'vigil feed keygen --help'");
		return VG_EXIT_ERROR;
	}
	if (!strcmp(a.pub, a.sec)) {
		vg_err("feed keygen: -p and -s name the same file");
		return VG_EXIT_ERROR;
	}
	struct stat st;
	if (!a.force && (lstat(a.sec, &st) == 0 || lstat(a.pub, &st) == 0)) {
		ferr(lstat(a.sec, &st) == 0 ? a.sec : a.pub, "already exists; use -f to replace it");
		return VG_EXIT_ERROR;
	}
	char *pass = sodium_malloc(PASS_MAX), *pass2 = sodium_malloc(PASS_MAX);
	vg_sign_pubkey_t pk;
	vg_sign_seckey_t *sk = sodium_malloc(sizeof *sk);
	vg_buf_t skb = VG_BUF_INIT, pkb = VG_BUF_INIT;
	int ret = VG_EXIT_ERROR;
	if (!pass || !pass2 || !sk) {
		vg_err("out of memory");
		goto out;
	}
	pass[0] = 0;
	if (!a.nopass) {
		if (read_pass("Passphrase: ", pass) || read_pass("Passphrase (again): ", pass2))
			goto out;
		if (strcmp(pass, pass2) != 0) {
			vg_err("feed keygen: the passphrases differ");
			goto out;
		}
		if (!*pass) {
			vg_err("feed keygen: empty passphrase; use -W for an unencrypted key");
			goto out;
		}
	}
	if (vg_sign_keygen(&pk, sk)) {
		vg_err("feed keygen: cannot generate a key pair");
		goto out;
	}
	rc = vg_sign_seckey_write(sk, a.nopass ? NULL : pass, 0, 0, NULL, &skb);
	if (rc) {
		vg_err("feed keygen: cannot encrypt the secret key: %s", vg_strerror(rc));
		goto out;
	}
	vg_sign_pubkey_write(&pk, &pkb);
	if (pkb.oom) {
		vg_err("out of memory");
		goto out;
	}
	if (write_atomic(a.sec, skb.p, skb.len, 0600, a.force))
		goto out;
	if (write_atomic(a.pub, pkb.p, pkb.len, 0644, a.force))
		goto out;
	char id[24], b64[VG_SIGN_PUBKEY_B64_LEN + 1];
	vg_sign_keyid_hex(pk.keyid, id, sizeof id);
	vg_sign_pubkey_b64(&pk, b64, sizeof b64);
	printf("key id %s: secret key %s (%s), public key %s\n", id, a.sec,
	       a.nopass ? "unencrypted" : "encrypted", a.pub);
	printf("public key: %s\n", b64);
	ret = VG_EXIT_OK;
out:
	if (skb.p)
		sodium_memzero(skb.p, skb.cap);
	vg_buf_release(&skb);
	vg_buf_release(&pkb);
	sodium_free(pass);
	sodium_free(pass2);
	sodium_free(sk);
	return ret;
}

/* ---- sign ------------------------------------------------------------------------- */

/* load_seckey: read and decrypt SEC into *sk (sodium memory).  Prints. */
static int load_seckey(const char *path, vg_sign_seckey_t *sk)
{
	char *text;
	size_t len;
	if (read_small(path, "secret key", &text, &len))
		return VG_EIO;
	bool enc = false;
	int rc = vg_sign_seckey_encrypted(text, len, &enc);
	char *pass = NULL;
	if (!rc && enc) {
		pass = sodium_malloc(PASS_MAX);
		if (!pass)
			rc = VG_ENOMEM;
		else if (read_pass("Passphrase: ", pass))
			rc = VG_EINVAL;
	}
	if (!rc || rc == VG_EINVAL) {
		if (rc != VG_EINVAL)
			rc = vg_sign_seckey_parse(text, len, pass, sk);
		else
			rc = -100; /* already reported */
	}
	switch (rc) {
	case 0:
	case -100: break;
	case VG_ECORRUPT: ferr(path, "wrong passphrase, or the secret key is damaged"); break;
	case VG_ENOTSUP: ferr(path, "unsupported secret key algorithm (not a minisign Ed25519 key)"); break;
	case VG_EEMPTY: ferr(path, "secret key file is empty"); break;
	case VG_ERANGE: ferr(path, "secret key has out-of-range scrypt limits"); break;
	case VG_ENOMEM: ferr(path, "out of memory deriving the key from the passphrase"); break;
	default: ferr(path, "not a minisign secret key file"); break;
	}
	sodium_memzero(text, len);
	free(text);
	sodium_free(pass);
	return rc;
}

/* token_value: the value of key= among the space-separated tokens of s. */
static bool token_value(const char *s, const char *key, const char **v, size_t *vl)
{
	size_t kl = strlen(key);
	const char *p = s;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *st = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if ((size_t)(p - st) > kl && !memcmp(st, key, kl) && st[kl] == '=') {
			*v = st + kl + 1;
			*vl = (size_t)(p - st) - kl - 1;
			return true;
		}
	}
	return false;
}

/* default_feedname: the base name of path, outside [A-Za-z0-9._-] as '_'. */
static void default_feedname(const char *path, char *out)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = 0;
	for (; *b && n < VG_SIGN_FEEDNAME_MAX; b++) {
		char c = *b;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '.' || c == '_' || c == '-';
		out[n++] = ok ? c : '_';
	}
	out[n] = 0;
	if (!vg_sign_feedname_ok(out, n))
		memcpy(out, "feed", 5);
}

int cmd_feed_sign(int argc, char **argv)
{
	sargs_t a = {0};
	int rc = parse(argc, argv, "sign", ":s:m:x:t:h", sign_opts, usage_sign, &a);
	if (rc >= 0)
		return rc;
	if (!a.sec || !a.msg) {
		vg_err("feed sign: -s SEC and -m FILE are required; see 'vigil feed sign --help'");
		return VG_EXIT_ERROR;
	}
	const char *tcin = a.tc ? a.tc : "";
	if (strpbrk(tcin, "\r\n")) {
		vg_err("feed sign: the trusted comment must be one line");
		return VG_EXIT_ERROR;
	}
	/* feed name: --feed, else feed= in -t, else the file name */
	char name[VG_SIGN_FEEDNAME_MAX + 1];
	const char *v;
	size_t vl;
	bool tc_feed = token_value(tcin, "feed", &v, &vl);
	if (a.feed) {
		if (!vg_sign_feedname_ok(a.feed, strlen(a.feed))) {
			vg_err("feed sign: invalid feed name '%s' (1-64 of A-Z a-z 0-9 . _ -)", a.feed);
			return VG_EXIT_ERROR;
		}
		if (tc_feed && (vl != strlen(a.feed) || memcmp(v, a.feed, vl))) {
			vg_err("feed sign: --feed '%s' differs from feed= in -t", a.feed);
			return VG_EXIT_ERROR;
		}
		snprintf(name, sizeof name, "%s", a.feed);
	} else if (tc_feed) {
		if (!vg_sign_feedname_ok(v, vl)) {
			vg_err("feed sign: invalid feed= in -t (1-64 of A-Z a-z 0-9 . _ -)");
			return VG_EXIT_ERROR;
		}
		memcpy(name, v, vl);
		name[vl] = 0;
	} else {
		default_feedname(a.msg, name);
	}
	/* seq: --seq, else seq= in -t, else now */
	uint64_t seq = (uint64_t)time(NULL);
	bool tc_seq = token_value(tcin, "seq", &v, &vl);
	vg_sign_tc_t chk;
	if (a.seq || tc_seq) {
		char tmp[96];
		if (a.seq)
			snprintf(tmp, sizeof tmp, "feed=x seq=%.24s time=2000-01-01T00:00:00Z", a.seq);
		else
			snprintf(tmp, sizeof tmp, "feed=x seq=%.*s time=2000-01-01T00:00:00Z",
				 (int)(vl > 24 ? 24 : vl), v);
		if ((a.seq && strlen(a.seq) > 20) || vg_sign_tc_parse(tmp, strlen(tmp), &chk, NULL)) {
			vg_err("feed sign: invalid sequence number (a decimal number is needed)");
			return VG_EXIT_ERROR;
		}
		if (a.seq && tc_seq && (vl != strlen(a.seq) || memcmp(v, a.seq, vl))) {
			vg_err("feed sign: --seq differs from seq= in -t");
			return VG_EXIT_ERROR;
		}
		seq = chk.seq;
	}
	/* compose: feed= seq= time= first, then the rest of -t */
	vg_buf_t tc = VG_BUF_INIT;
	char tb[40];
	bool tc_time = token_value(tcin, "time", &v, &vl);
	vg_buf_addf(&tc, "feed=%s seq=%" PRIu64, name, seq);
	if (tc_time) {
		vg_buf_adds(&tc, " time=");
		vg_buf_add(&tc, v, vl);
	} else {
		vg_time_iso((int64_t)time(NULL), tb, sizeof tb);
		vg_buf_addf(&tc, " time=%s", tb);
	}
	for (const char *p = tcin; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *st = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		size_t tl = (size_t)(p - st);
		if (!tl)
			break;
		if ((tl > 5 && !memcmp(st, "feed=", 5)) || (tl > 4 && !memcmp(st, "seq=", 4)) ||
		    (tl > 5 && !memcmp(st, "time=", 5)))
			continue;
		vg_buf_addc(&tc, ' ');
		vg_buf_add(&tc, st, tl);
	}
	const char *why = NULL;
	if (tc.oom || vg_sign_tc_parse(tc.p, tc.len, &chk, &why)) {
		vg_err("feed sign: bad trusted comment: %s", why ? why : "out of memory");
		vg_buf_release(&tc);
		return VG_EXIT_ERROR;
	}

	char *msg = NULL;
	size_t mlen = 0;
	errno = 0;
	rc = vg_cmd_read_file(a.msg, FEED_MAX, &msg, &mlen);
	if (rc) {
		if (rc == VG_EIO)
			ferr(a.msg, "cannot read: %s", errno_text(errno));
		else
			ferr(a.msg, "cannot read: %s", vg_strerror(rc));
		vg_buf_release(&tc);
		return VG_EXIT_ERROR;
	}
	vg_sign_seckey_t *sk = sodium_malloc(sizeof *sk);
	int ret = VG_EXIT_ERROR;
	vg_buf_t out = VG_BUF_INIT;
	if (!sk) {
		vg_err("out of memory");
		goto done;
	}
	if (load_seckey(a.sec, sk))
		goto done;
	rc = vg_sign_sign(sk, msg, mlen, !a.legacy, tc.p, NULL, &out);
	if (rc) {
		vg_err("feed sign: cannot sign: %s", vg_strerror(rc));
		goto done;
	}
	vg_buf_t sigpath = VG_BUF_INIT;
	if (a.sig)
		vg_buf_adds(&sigpath, a.sig);
	else
		vg_buf_addf(&sigpath, "%s.minisig", a.msg);
	if (!sigpath.oom && write_atomic(sigpath.p, out.p, out.len, 0644, true) == 0) {
		printf("%s: signed, %s\n", sigpath.p, tc.p);
		ret = VG_EXIT_OK;
	}
	vg_buf_release(&sigpath);
done:
	sodium_free(sk);
	vg_buf_release(&out);
	vg_buf_release(&tc);
	free(msg);
	return ret;
}

/* ---- verify ----------------------------------------------------------------------- */

int vg_cmd_pubkey_load(const char *key, vg_sign_pubkey_t *pk)
{
	char *text;
	size_t len;
	struct stat st;
	int rc;
	if (vg_sign_init()) {
		ferr(key, "cannot initialise libsodium");
		return VG_ENOTSUP;
	}
	if (stat(key, &st) != 0 && errno == ENOENT &&
	    vg_sign_pubkey_parse_b64(key, strlen(key), pk) == 0)
		return 0;
	if (read_small(key, "public key", &text, &len))
		return VG_EIO;
	rc = vg_sign_pubkey_parse(text, len, pk);
	free(text);
	switch (rc) {
	case 0: break;
	case VG_ENOTSUP: ferr(key, "unsupported public key algorithm (not a minisign Ed25519 key)"); break;
	case VG_EEMPTY: ferr(key, "public key file is empty"); break;
	default: ferr(key, "not a minisign public key file"); break;
	}
	return rc;
}

int vg_cmd_verify_buf(const char *path, const char *sigpath, const char *data, size_t len,
		      const vg_sign_pubkey_t *pk, vg_sign_tc_t *tc)
{
	vg_buf_t sp = VG_BUF_INIT;
	if (!sigpath) {
		vg_buf_addf(&sp, "%s.minisig", path);
		if (sp.oom) {
			ferr(path, "out of memory");
			return VG_ENOMEM;
		}
		sigpath = sp.p;
	}
	char *text = NULL;
	size_t tlen = 0;
	static vg_sign_sig_t sig; /* 8 KiB; single-threaded command layer */
	errno = 0;
	int rc = vg_cmd_read_file(sigpath, KEYFILE_MAX, &text, &tlen);
	if (rc) {
		if (rc == VG_EIO && errno == ENOENT)
			ferr(path, "not signed: no signature file '%s'", sigpath);
		else if (rc == VG_EIO)
			ferr(path, "cannot read signature '%s': %s", sigpath, errno_text(errno));
		else
			ferr(path, "signature '%s' is not a minisign signature", sigpath);
		goto out;
	}
	rc = vg_sign_sig_parse(text, tlen, &sig);
	free(text);
	if (rc) {
		if (rc == VG_ENOTSUP)
			ferr(path, "signature '%s' uses an unsupported algorithm", sigpath);
		else if (rc == VG_ERANGE)
			ferr(path, "signature '%s' has a comment line that is too long", sigpath);
		else
			ferr(path, "signature '%s' is not a minisign signature", sigpath);
		goto out;
	}
	vg_sign_fail_t why;
	rc = vg_sign_verify(pk, &sig, data, len, &why);
	if (rc) {
		char a[24], b[24];
		vg_sign_keyid_hex(sig.keyid, a, sizeof a);
		vg_sign_keyid_hex(pk->keyid, b, sizeof b);
		if (why == VG_SIGN_KEYID)
			ferr(path, "signed with another key (key id %s, expected %s)", a, b);
		else if (why == VG_SIGN_BADSIG)
			ferr(path, "signature does not match: the file was modified, or '%s' was made "
				   "with another key",
			     sigpath);
		else if (why == VG_SIGN_COMMENT)
			ferr(path, "the trusted comment in '%s' was modified (its signature is invalid)",
			     sigpath);
		else
			ferr(path, "cannot verify: %s", vg_strerror(rc));
		goto out;
	}
	const char *w = NULL;
	rc = vg_sign_tc_parse(sig.trusted, sig.trusted_len, tc, &w);
	if (rc)
		ferr(path, "bad trusted comment: %s", w);
out:
	vg_buf_release(&sp);
	return rc;
}

/* state_read: the last accepted seq of a feed.  0 and *have false when none;
 * VG_EIO / VG_EFORMAT printed. */
static int state_read(const char *file, bool *have, uint64_t *seq)
{
	char *text;
	size_t len;
	*have = false;
	errno = 0;
	int rc = vg_cmd_read_file(file, 64, &text, &len);
	if (rc == VG_EIO && errno == ENOENT)
		return 0;
	if (rc) {
		ferr(file, "cannot read the state file: %s",
		     rc == VG_EIO ? errno_text(errno) : vg_strerror(rc));
		return rc;
	}
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	char tmp[128];
	vg_sign_tc_t t;
	snprintf(tmp, sizeof tmp, "feed=x seq=%.*s time=2000-01-01T00:00:00Z", (int)len, text);
	free(text);
	if (!len || vg_sign_tc_parse(tmp, strlen(tmp), &t, NULL)) {
		ferr(file, "state file is corrupt (a decimal sequence number is expected)");
		return VG_EFORMAT;
	}
	*have = true;
	*seq = t.seq;
	return 0;
}

int cmd_feed_verify(int argc, char **argv)
{
	sargs_t a = {0};
	int rc = parse(argc, argv, "verify", ":p:P:m:x:qh", verify_opts, usage_verify, &a);
	if (rc >= 0)
		return rc;
	if (!a.msg || (!a.pub && !a.pubstr)) {
		vg_err("feed verify: -m FILE and -p PUB (or -P KEY) are required; see 'vigil feed "
		       "verify --help'");
		return VG_EXIT_ERROR;
	}
	if (a.pub && a.pubstr) {
		vg_err("feed verify: give -p PUB or -P KEY, not both");
		return VG_EXIT_ERROR;
	}
	if (a.feed && !vg_sign_feedname_ok(a.feed, strlen(a.feed))) {
		vg_err("feed verify: invalid feed name '%s' (1-64 of A-Z a-z 0-9 . _ -)", a.feed);
		return VG_EXIT_ERROR;
	}
	vg_sign_pubkey_t pk;
	if (a.pubstr) {
		if ((rc = vg_sign_pubkey_parse_b64(a.pubstr, strlen(a.pubstr), &pk)) != 0) {
			vg_err("feed verify: -P: not a minisign public key string");
			return VG_EXIT_ERROR;
		}
	} else if (vg_cmd_pubkey_load(a.pub, &pk)) {
		return VG_EXIT_ERROR;
	}
	char *msg = NULL;
	size_t mlen = 0;
	errno = 0;
	rc = vg_cmd_read_file(a.msg, FEED_MAX, &msg, &mlen);
	if (rc) {
		ferr(a.msg, "cannot read: %s", rc == VG_EIO ? errno_text(errno) : vg_strerror(rc));
		return VG_EXIT_ERROR;
	}
	vg_sign_tc_t tc;
	rc = vg_cmd_verify_buf(a.msg, a.sig, msg, mlen, &pk, &tc);
	free(msg);
	if (rc)
		return VG_EXIT_ERROR;
	if (a.feed && strcmp(a.feed, tc.feed) != 0) {
		ferr(a.msg, "signed for feed '%s', not '%s'", tc.feed, a.feed);
		return VG_EXIT_ERROR;
	}
	if (a.state) {
		if (mkdir(a.state, 0700) != 0 && errno != EEXIST) {
			ferr(a.state, "cannot create the state directory: %s", errno_text(errno));
			return VG_EXIT_ERROR;
		}
		vg_buf_t sf = VG_BUF_INIT, val = VG_BUF_INIT;
		vg_buf_addf(&sf, "%s/%s.seq", a.state, tc.feed);
		bool have;
		uint64_t last = 0;
		int ret = VG_EXIT_ERROR;
		if (sf.oom || state_read(sf.p, &have, &last))
			goto state_out;
		if (have && tc.seq <= last) {
			ferr(a.msg, "replayed or rolled back: seq %" PRIu64 " is not greater than %" PRIu64
				    ", the last accepted for feed '%s'",
			     tc.seq, last, tc.feed);
			goto state_out;
		}
		vg_buf_addf(&val, "%" PRIu64 "\n", tc.seq);
		if (val.oom || write_atomic(sf.p, val.p, val.len, 0644, true))
			goto state_out;
		ret = VG_EXIT_OK;
state_out:
		vg_buf_release(&sf);
		vg_buf_release(&val);
		if (ret)
			return ret;
	}
	if (!a.quiet) {
		char tb[40], id[24];
		vg_time_iso(tc.time, tb, sizeof tb);
		vg_sign_keyid_hex(pk.keyid, id, sizeof id);
		printf("%s: signature ok, key id %s, feed %s, seq %" PRIu64 ", time %s\n", a.msg, id,
		       tc.feed, tc.seq, tb);
	}
	return VG_EXIT_OK;
}
