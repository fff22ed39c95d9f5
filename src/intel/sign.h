/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sign.h — minisign-compatible Ed25519 keys and signatures (libsodium).
 *
 * File formats (all base64 is the standard alphabet with padding):
 *   public key   "untrusted comment: minisign public key <KEYID>\n"
 *                base64("Ed" | keyid[8] | pk[32]) "\n"
 *   secret key   "untrusted comment: ...\n"
 *                base64("Ed" | kdf[2] | "B2" | salt[32] | opslimit le64 |
 *                       memlimit le64 | keyid[8] ^ sk[64] ^ chk[32]) "\n"
 *                kdf "Sc": the last 104 bytes are XORed with
 *                scrypt(passphrase, salt, opslimit, memlimit) output;
 *                kdf 0,0: stored in clear (minisign -W; salt and limits 0).
 *                chk = BLAKE2b-256("Ed" | keyid | sk).
 *   signature    "untrusted comment: ...\n"
 *                base64(alg[2] | keyid[8] | sig[64]) "\n"
 *                "trusted comment: <text>\n"
 *                base64(global_sig[64]) "\n"
 *                alg "ED": sig over BLAKE2b-512(file) (prehashed, default);
 *                alg "Ed": sig over the file itself (legacy).
 *                global_sig is over sig[64] | trusted comment text.
 * The key id is shown as minisign does: the hex of keyid read as a
 * little-endian u64, uppercase, without leading zeros.
 * Parsers take untrusted text and check every length; nothing here prints.
 * Secret material is wiped with sodium_memzero.  Thread-safe after
 * vg_sign_init (libsodium is).
 */
#ifndef VG_INTEL_SIGN_H
#define VG_INTEL_SIGN_H

#include "lib/buf.h"
#include "vigil/common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VG_SIGN_KEYID_LEN 8
#define VG_SIGN_COMMENT_MAX 1024  /* untrusted comment line, minisign's limit */
#define VG_SIGN_TRUSTED_MAX 8192  /* trusted comment line, minisign's limit */
#define VG_SIGN_PUBKEY_B64_LEN 56 /* base64 of the 42-byte public key */

typedef struct vg_sign_pubkey {
	uint8_t keyid[VG_SIGN_KEYID_LEN];
	uint8_t pk[32];
} vg_sign_pubkey_t;

typedef struct vg_sign_seckey {
	uint8_t keyid[VG_SIGN_KEYID_LEN];
	uint8_t sk[64]; /* libsodium Ed25519 secret key (seed | pk) */
} vg_sign_seckey_t;

typedef struct vg_sign_sig {
	bool prehashed; /* "ED" (BLAKE2b-512 of the file) vs legacy "Ed" */
	uint8_t keyid[VG_SIGN_KEYID_LEN];
	uint8_t sig[64];
	uint8_t global_sig[64];
	char trusted[VG_SIGN_TRUSTED_MAX]; /* trusted comment text, NUL-terminated */
	size_t trusted_len;
} vg_sign_sig_t;

/* Why vg_sign_verify refused (its optional out-parameter). */
typedef enum vg_sign_fail {
	VG_SIGN_OK = 0,
	VG_SIGN_KEYID,   /* signed by another key (key ids differ) */
	VG_SIGN_BADSIG,  /* the file does not match the signature */
	VG_SIGN_COMMENT, /* the trusted comment does not match its signature */
} vg_sign_fail_t;

/* minisign's scrypt limits (crypto_pwhash_scryptsalsa208sha256 *_SENSITIVE). */
#define VG_SIGN_OPSLIMIT_DEFAULT 33554432ull
#define VG_SIGN_MEMLIMIT_DEFAULT 1073741824ull

/* vg_sign_init: initialise libsodium.  0, or VG_ENOTSUP when it cannot be. */
int vg_sign_init(void);

/* vg_sign_keygen: a fresh key pair with a random key id.  0 or VG_ENOTSUP. */
int vg_sign_keygen(vg_sign_pubkey_t *pk, vg_sign_seckey_t *sk);

/* vg_sign_keyid_hex: minisign's key id text ("%" PRIX64 of keyid as LE u64)
 * into buf (>= 17 bytes). */
void vg_sign_keyid_hex(const uint8_t keyid[VG_SIGN_KEYID_LEN], char *buf, size_t n);

/* vg_sign_pubkey_b64: the one-line base64 public key (minisign -P form)
 * into buf (>= VG_SIGN_PUBKEY_B64_LEN + 1 bytes). */
void vg_sign_pubkey_b64(const vg_sign_pubkey_t *pk, char *buf, size_t n);

/* vg_sign_pubkey_write: append a whole public key file to out. */
void vg_sign_pubkey_write(const vg_sign_pubkey_t *pk, vg_buf_t *out);

/* vg_sign_pubkey_parse_b64: parse the base64 form (surrounding spaces
 * allowed).  VG_EFORMAT (not base64 / wrong length), VG_ENOTSUP (not "Ed"). */
int vg_sign_pubkey_parse_b64(const char *s, size_t n, vg_sign_pubkey_t *pk);

/* vg_sign_pubkey_parse: parse a public key file's text (comment line, then
 * the base64 line).  VG_EFORMAT / VG_ENOTSUP as above, VG_EEMPTY (n == 0). */
int vg_sign_pubkey_parse(const char *text, size_t n, vg_sign_pubkey_t *pk);

/*
 * vg_sign_seckey_write — append a whole secret key file to out.
 * pass NULL (or "") writes an unencrypted key (kdf 0,0, minisign -W);
 * otherwise the key is encrypted with scrypt(pass, random salt, opslimit,
 * memlimit) — pass 0, 0 for minisign's defaults.  comment NULL = minisign's
 * default.  Returns 0, VG_ENOMEM (scrypt could not get its memory) or
 * VG_EINVAL (comment has a line break).  Temporary secrets are wiped; the
 * caller wipes out when done (sodium_memzero(out->p, out->len)).
 */
int vg_sign_seckey_write(const vg_sign_seckey_t *sk, const char *pass, uint64_t opslimit,
			 uint64_t memlimit, const char *comment, vg_buf_t *out);

/* vg_sign_seckey_encrypted: does this secret key file text need a
 * passphrase?  0 and *enc set, or the errors of vg_sign_seckey_parse. */
int vg_sign_seckey_encrypted(const char *text, size_t n, bool *enc);

/*
 * vg_sign_seckey_parse — decode a secret key file's text into *sk.
 * Encrypted keys need pass (VG_EINVAL when NULL); a wrong passphrase (or a
 * damaged key) fails the checksum: VG_ECORRUPT.  An unencrypted key must
 * carry a matching checksum or an all-zero one (minisign -W writes zeros).
 * VG_EFORMAT (layout), VG_ENOTSUP (algorithm other than Ed/Sc|0,0/B2),
 * VG_ERANGE (scrypt limits beyond 2^32 ops or 4 GiB memory), VG_ENOMEM.
 * *sk is wiped on any failure.
 */
int vg_sign_seckey_parse(const char *text, size_t n, const char *pass, vg_sign_seckey_t *sk);

/* vg_sign_pubkey_of: the public key of a secret key. */
void vg_sign_pubkey_of(const vg_sign_seckey_t *sk, vg_sign_pubkey_t *pk);

/*
 * vg_sign_sign — sign msg[0..len) and append a whole .minisig file to out.
 * prehashed selects "ED" (default in minisign >= 0.11) or legacy "Ed".
 * trusted: the trusted comment text (no line break, < VG_SIGN_TRUSTED_MAX -
 * 17 bytes); untrusted NULL = minisign's default.  0 or VG_EINVAL.
 */
int vg_sign_sign(const vg_sign_seckey_t *sk, const void *msg, size_t len, bool prehashed,
		 const char *trusted, const char *untrusted, vg_buf_t *out);

/* vg_sign_sig_parse: parse a .minisig file's text.  VG_EFORMAT (missing or
 * malformed line, bad base64), VG_ENOTSUP (algorithm not Ed/ED),
 * VG_ERANGE (a comment line too long), VG_EEMPTY. */
int vg_sign_sig_parse(const char *text, size_t n, vg_sign_sig_t *sig);

/*
 * vg_sign_verify — check sig over msg[0..len) and its trusted comment with
 * pk.  Returns 0, VG_ENOTFOUND (key ids differ), VG_ECORRUPT (file or
 * trusted comment signature invalid); *why (may be NULL) tells which.
 */
int vg_sign_verify(const vg_sign_pubkey_t *pk, const vg_sign_sig_t *sig, const void *msg,
		   size_t len, vg_sign_fail_t *why);

/* ---- the trusted comment of a signed feed -------------------------------------- */

#define VG_SIGN_FEEDNAME_MAX 64

/* What vigil binds into the trusted comment: "feed=<name> seq=<n> time=<ISO>". */
typedef struct vg_sign_tc {
	char feed[VG_SIGN_FEEDNAME_MAX + 1]; /* [A-Za-z0-9._-], 1..64, not "." or ".." */
	uint64_t seq;
	int64_t time; /* seconds since the epoch */
} vg_sign_tc_t;

/* vg_sign_feedname_ok: is s[0..n) a valid feed name (safe as a file name)? */
bool vg_sign_feedname_ok(const char *s, size_t n);

/*
 * vg_sign_tc_parse — read the space-separated key=value tokens of a
 * trusted comment: feed=, seq= (decimal, no sign, fits u64) and time= (ISO
 * 8601) must each appear exactly once; other tokens are ignored.  Returns 0,
 * or VG_EFORMAT with *why (static text) naming the problem.
 */
int vg_sign_tc_parse(const char *s, size_t n, vg_sign_tc_t *tc, const char **why);

#endif
