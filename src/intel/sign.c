// SPDX-License-Identifier: Apache-2.0
/*
 * sign.c — minisign-compatible keys and signatures for signed feeds.
 *
 * The feed authority signs a feed file with `vigil feed sign` (or with
 * minisign itself); recipients check it with `vigil feed verify` or let the
 * loader do it (--pubkey).  This file only converts between minisign's text
 * formats (layouts in sign.h) and structs, and calls libsodium's Ed25519,
 * BLAKE2b and scrypt; it never prints and never touches files.
 * Parsing: the text is split into lines with a vg_rd_t reader, each line
 * length is bounded before use, base64 must decode to exactly the expected
 * size, and binary fields are read through vg_rd_t as well.  Secret key
 * bytes, the scrypt stream and decoded secret blobs live on the stack only
 * while needed and are wiped with sodium_memzero on every path.
 * Thread-safe once vg_sign_init has run.
 */
#include "intel/sign.h"
#include "lib/rd.h"
#include "lib/timefmt.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define PFX_UNTRUSTED "untrusted comment: "
#define PFX_TRUSTED "trusted comment: "
#define SK_BLOB_LEN 158 /* 2+2+2+32+8+8 + 8+64+32 */
#define SK_ENC_OFF 54   /* start of keyid|sk|chk */
#define SK_ENC_LEN 104
#define PK_BLOB_LEN 42
#define SIG_BLOB_LEN 74

int vg_sign_init(void)
{
	return sodium_init() < 0 ? VG_ENOTSUP : 0;
}

int vg_sign_keygen(vg_sign_pubkey_t *pk, vg_sign_seckey_t *sk)
{
	if (vg_sign_init())
		return VG_ENOTSUP;
	randombytes_buf(sk->keyid, sizeof sk->keyid);
	if (crypto_sign_keypair(pk->pk, sk->sk) != 0) {
		sodium_memzero(sk, sizeof *sk);
		return VG_ENOTSUP;
	}
	memcpy(pk->keyid, sk->keyid, sizeof pk->keyid);
	return 0;
}

static uint64_t le64_load(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void le64_store(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

void vg_sign_keyid_hex(const uint8_t keyid[VG_SIGN_KEYID_LEN], char *buf, size_t n)
{
	snprintf(buf, n, "%" PRIX64, le64_load(keyid));
}

static void add_b64(vg_buf_t *out, const uint8_t *bin, size_t len)
{
	char tmp[sodium_base64_ENCODED_LEN(SK_BLOB_LEN, sodium_base64_VARIANT_ORIGINAL)];
	if (len > SK_BLOB_LEN)
		return;
	sodium_bin2base64(tmp, sizeof tmp, bin, len, sodium_base64_VARIANT_ORIGINAL);
	vg_buf_adds(out, tmp);
	vg_buf_addc(out, '\n');
	sodium_memzero(tmp, sizeof tmp);
}

void vg_sign_pubkey_b64(const vg_sign_pubkey_t *pk, char *buf, size_t n)
{
	uint8_t blob[PK_BLOB_LEN];
	if (n < VG_SIGN_PUBKEY_B64_LEN + 1) {
		if (n)
			*buf = 0;
		return;
	}
	memcpy(blob, "Ed", 2);
	memcpy(blob + 2, pk->keyid, 8);
	memcpy(blob + 10, pk->pk, 32);
	sodium_bin2base64(buf, n, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
}

void vg_sign_pubkey_write(const vg_sign_pubkey_t *pk, vg_buf_t *out)
{
	char id[24], b64[VG_SIGN_PUBKEY_B64_LEN + 1];
	vg_sign_keyid_hex(pk->keyid, id, sizeof id);
	vg_sign_pubkey_b64(pk, b64, sizeof b64);
	vg_buf_adds(out, PFX_UNTRUSTED "minisign public key ");
	vg_buf_adds(out, id);
	vg_buf_addc(out, '\n');
	vg_buf_adds(out, b64);
	vg_buf_addc(out, '\n');
}

/* ---- parsing helpers -------------------------------------------------------------- */

/* next_line: the next line of r (without "\n" and a trailing "\r").  false at
 * the end of the text. */
static bool next_line(vg_rd_t *r, const char **line, size_t *len)
{
	size_t left = vg_rd_left(r);
	if (!left)
		return false;
	const char *p = (const char *)vg_rd_ptr(r);
	const char *nl = memchr(p, '\n', left);
	size_t n = nl ? (size_t)(nl - p) : left;
	vg_rd_skip(r, nl ? n + 1 : n);
	if (n && p[n - 1] == '\r')
		n--;
	*line = p;
	*len = n;
	return true;
}

static bool has_prefix(const char *s, size_t n, const char *pfx)
{
	size_t k = strlen(pfx);
	return n >= k && memcmp(s, pfx, k) == 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* b64_exact: decode s[0..n) (outer spaces trimmed) into exactly want bytes. */
static int b64_exact(const char *s, size_t n, uint8_t *out, size_t want)
{
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	if (!n)
		return VG_EFORMAT;
	size_t got = 0;
	const char *end = NULL;
	if (sodium_base642bin(out, want, s, n, NULL, &got, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != s + n || got != want) {
		sodium_memzero(out, want);
		return VG_EFORMAT;
	}
	return 0;
}

/* comment_line: read the "untrusted comment: " line. */
static int comment_line(vg_rd_t *r)
{
	const char *l;
	size_t n;
	if (!next_line(r, &l, &n))
		return VG_EFORMAT;
	if (!has_prefix(l, n, PFX_UNTRUSTED))
		return VG_EFORMAT;
	if (n >= VG_SIGN_COMMENT_MAX)
		return VG_ERANGE;
	return 0;
}

/* ---- public keys ------------------------------------------------------------------ */

int vg_sign_pubkey_parse_b64(const char *s, size_t n, vg_sign_pubkey_t *pk)
{
	uint8_t blob[PK_BLOB_LEN];
	if (n > 4 * PK_BLOB_LEN)
		return VG_EFORMAT;
	int rc = b64_exact(s, n, blob, sizeof blob);
	if (rc)
		return rc;
	vg_rd_t r = vg_rd_make(blob, sizeof blob);
	uint8_t alg[2];
	vg_rd_bytes(&r, alg, 2);
	vg_rd_bytes(&r, pk->keyid, sizeof pk->keyid);
	vg_rd_bytes(&r, pk->pk, sizeof pk->pk);
	if (!vg_rd_ok(&r))
		return VG_EFORMAT;
	if (memcmp(alg, "Ed", 2) != 0)
		return VG_ENOTSUP;
	return 0;
}

int vg_sign_pubkey_parse(const char *text, size_t n, vg_sign_pubkey_t *pk)
{
	if (!n)
		return VG_EEMPTY;
	vg_rd_t r = vg_rd_make(text, n);
	int rc = comment_line(&r);
	if (rc)
		return rc;
	const char *l;
	size_t len;
	if (!next_line(&r, &l, &len))
		return VG_EFORMAT;
	return vg_sign_pubkey_parse_b64(l, len, pk);
}

void vg_sign_pubkey_of(const vg_sign_seckey_t *sk, vg_sign_pubkey_t *pk)
{
	memcpy(pk->keyid, sk->keyid, sizeof pk->keyid);
	crypto_sign_ed25519_sk_to_pk(pk->pk, sk->sk);
}

/* ---- secret keys ------------------------------------------------------------------ */

/* chk = BLAKE2b-256("Ed" | keyid | sk), as minisign's seckey_chk. */
static void seckey_chk(uint8_t chk[32], const uint8_t keyid[8], const uint8_t sk[64])
{
	crypto_generichash_state hs;
	crypto_generichash_init(&hs, NULL, 0, 32);
	crypto_generichash_update(&hs, (const unsigned char *)"Ed", 2);
	crypto_generichash_update(&hs, keyid, 8);
	crypto_generichash_update(&hs, sk, 64);
	crypto_generichash_final(&hs, chk, 32);
	sodium_memzero(&hs, sizeof hs);
}

/* kdf_xor: XOR blob[SK_ENC_OFF..+104) with scrypt(pass, salt, ops, mem). */
static int kdf_xor(uint8_t *blob, const char *pass, const uint8_t *salt, uint64_t ops,
		   uint64_t mem)
{
	uint8_t stream[SK_ENC_LEN];
	if (ops > (1ull << 32) || mem > (4ull << 30))
		return VG_ERANGE;
	if (crypto_pwhash_scryptsalsa208sha256(stream, sizeof stream, pass, strlen(pass), salt,
					       (unsigned long long)ops, (size_t)mem) != 0) {
		sodium_memzero(stream, sizeof stream);
		return VG_ENOMEM;
	}
	for (size_t i = 0; i < SK_ENC_LEN; i++)
		blob[SK_ENC_OFF + i] ^= stream[i];
	sodium_memzero(stream, sizeof stream);
	return 0;
}

int vg_sign_seckey_write(const vg_sign_seckey_t *sk, const char *pass, uint64_t opslimit,
			 uint64_t memlimit, const char *comment, vg_buf_t *out)
{
	uint8_t blob[SK_BLOB_LEN];
	bool enc = pass && *pass;
	if (!comment)
		comment = enc ? "minisign encrypted secret key" : "minisign secret key";
	if (strpbrk(comment, "\r\n") || strlen(comment) + sizeof PFX_UNTRUSTED >= VG_SIGN_COMMENT_MAX)
		return VG_EINVAL;
	if (vg_sign_init())
		return VG_ENOTSUP;
	memset(blob, 0, sizeof blob);
	memcpy(blob, "Ed", 2);
	memcpy(blob + 2, enc ? "Sc" : "\0\0", 2);
	memcpy(blob + 4, "B2", 2);
	if (enc) {
		if (!opslimit)
			opslimit = VG_SIGN_OPSLIMIT_DEFAULT;
		if (!memlimit)
			memlimit = VG_SIGN_MEMLIMIT_DEFAULT;
		randombytes_buf(blob + 6, 32);
		le64_store(blob + 38, opslimit);
		le64_store(blob + 46, memlimit);
	}
	memcpy(blob + SK_ENC_OFF, sk->keyid, 8);
	memcpy(blob + SK_ENC_OFF + 8, sk->sk, 64);
	seckey_chk(blob + SK_ENC_OFF + 72, sk->keyid, sk->sk);
	if (enc) {
		int rc = kdf_xor(blob, pass, blob + 6, opslimit, memlimit);
		if (rc) {
			sodium_memzero(blob, sizeof blob);
			return rc;
		}
	}
	/* reserve first: a realloc would leave a copy of the key behind */
	vg_buf_reserve(out, 512 + strlen(comment));
	vg_buf_adds(out, PFX_UNTRUSTED);
	vg_buf_adds(out, comment);
	vg_buf_addc(out, '\n');
	add_b64(out, blob, sizeof blob);
	sodium_memzero(blob, sizeof blob);
	return out->oom ? VG_ENOMEM : 0;
}

/* seckey_blob: decode the secret key file into blob (wiped on failure). */
static int seckey_blob(const char *text, size_t n, uint8_t blob[SK_BLOB_LEN])
{
	if (!n)
		return VG_EEMPTY;
	vg_rd_t r = vg_rd_make(text, n);
	int rc = comment_line(&r);
	if (rc)
		return rc;
	const char *l;
	size_t len;
	if (!next_line(&r, &l, &len) || len > 4 * SK_BLOB_LEN)
		return VG_EFORMAT;
	rc = b64_exact(l, len, blob, SK_BLOB_LEN);
	if (rc)
		return rc;
	if (memcmp(blob, "Ed", 2) != 0 || memcmp(blob + 4, "B2", 2) != 0 ||
	    (memcmp(blob + 2, "Sc", 2) != 0 && memcmp(blob + 2, "\0\0", 2) != 0)) {
		sodium_memzero(blob, SK_BLOB_LEN);
		return VG_ENOTSUP;
	}
	return 0;
}

int vg_sign_seckey_encrypted(const char *text, size_t n, bool *enc)
{
	uint8_t blob[SK_BLOB_LEN];
	int rc = seckey_blob(text, n, blob);
	if (rc)
		return rc;
	*enc = memcmp(blob + 2, "Sc", 2) == 0;
	sodium_memzero(blob, sizeof blob);
	return 0;
}

int vg_sign_seckey_parse(const char *text, size_t n, const char *pass, vg_sign_seckey_t *sk)
{
	uint8_t blob[SK_BLOB_LEN], chk[32];
	static const uint8_t zero[32];
	sodium_memzero(sk, sizeof *sk);
	if (vg_sign_init())
		return VG_ENOTSUP;
	int rc = seckey_blob(text, n, blob);
	if (rc)
		return rc;
	bool enc = memcmp(blob + 2, "Sc", 2) == 0;
	if (enc) {
		if (!pass) {
			rc = VG_EINVAL;
			goto out;
		}
		vg_rd_t r = vg_rd_make(blob, sizeof blob);
		vg_rd_skip(&r, 38);
		uint8_t lim[16];
		vg_rd_bytes(&r, lim, sizeof lim);
		if (!vg_rd_ok(&r)) {
			rc = VG_EFORMAT;
			goto out;
		}
		rc = kdf_xor(blob, pass, blob + 6, le64_load(lim), le64_load(lim + 8));
		if (rc)
			goto out;
	}
	memcpy(sk->keyid, blob + SK_ENC_OFF, 8);
	memcpy(sk->sk, blob + SK_ENC_OFF + 8, 64);
	seckey_chk(chk, sk->keyid, sk->sk);
	if (sodium_memcmp(chk, blob + SK_ENC_OFF + 72, 32) != 0 &&
	    (enc || sodium_memcmp(zero, blob + SK_ENC_OFF + 72, 32) != 0))
		rc = VG_ECORRUPT;
out:
	sodium_memzero(blob, sizeof blob);
	sodium_memzero(chk, sizeof chk);
	if (rc)
		sodium_memzero(sk, sizeof *sk);
	return rc;
}

/* ---- signatures ------------------------------------------------------------------- */

int vg_sign_sign(const vg_sign_seckey_t *sk, const void *msg, size_t len, bool prehashed,
		 const char *trusted, const char *untrusted, vg_buf_t *out)
{
	uint8_t blob[SIG_BLOB_LEN], gsig[64], hash[crypto_generichash_BYTES_MAX];
	uint8_t *sc = NULL;
	if (!untrusted)
		untrusted = "signature from vigil secret key";
	size_t tl = strlen(trusted);
	if (strpbrk(trusted, "\r\n") || strpbrk(untrusted, "\r\n") ||
	    tl + sizeof PFX_TRUSTED >= VG_SIGN_TRUSTED_MAX ||
	    strlen(untrusted) + sizeof PFX_UNTRUSTED >= VG_SIGN_COMMENT_MAX)
		return VG_EINVAL;
	if (vg_sign_init())
		return VG_ENOTSUP;
	memcpy(blob, prehashed ? "ED" : "Ed", 2);
	memcpy(blob + 2, sk->keyid, 8);
	if (prehashed) {
		crypto_generichash(hash, sizeof hash, msg, len, NULL, 0);
		crypto_sign_detached(blob + 10, NULL, hash, sizeof hash, sk->sk);
	} else {
		crypto_sign_detached(blob + 10, NULL, msg, len, sk->sk);
	}
	sc = sodium_malloc(64 + tl + 1);
	if (!sc)
		return VG_ENOMEM;
	memcpy(sc, blob + 10, 64);
	memcpy(sc + 64, trusted, tl);
	crypto_sign_detached(gsig, NULL, sc, 64 + tl, sk->sk);
	sodium_free(sc);
	vg_buf_adds(out, PFX_UNTRUSTED);
	vg_buf_adds(out, untrusted);
	vg_buf_addc(out, '\n');
	add_b64(out, blob, sizeof blob);
	vg_buf_adds(out, PFX_TRUSTED);
	vg_buf_add(out, trusted, tl);
	vg_buf_addc(out, '\n');
	add_b64(out, gsig, sizeof gsig);
	return out->oom ? VG_ENOMEM : 0;
}

int vg_sign_sig_parse(const char *text, size_t n, vg_sign_sig_t *sig)
{
	uint8_t blob[SIG_BLOB_LEN];
	const char *l;
	size_t len;
	memset(sig, 0, sizeof *sig);
	if (!n)
		return VG_EEMPTY;
	vg_rd_t r = vg_rd_make(text, n);
	int rc = comment_line(&r);
	if (rc)
		return rc;
	if (!next_line(&r, &l, &len) || len > 4 * SIG_BLOB_LEN)
		return VG_EFORMAT;
	rc = b64_exact(l, len, blob, sizeof blob);
	if (rc)
		return rc;
	vg_rd_t b = vg_rd_make(blob, sizeof blob);
	uint8_t alg[2];
	vg_rd_bytes(&b, alg, 2);
	vg_rd_bytes(&b, sig->keyid, sizeof sig->keyid);
	vg_rd_bytes(&b, sig->sig, sizeof sig->sig);
	if (!vg_rd_ok(&b))
		return VG_EFORMAT;
	if (!memcmp(alg, "ED", 2))
		sig->prehashed = true;
	else if (memcmp(alg, "Ed", 2) != 0)
		return VG_ENOTSUP;
	if (!next_line(&r, &l, &len) || !has_prefix(l, len, PFX_TRUSTED))
		return VG_EFORMAT;
	if (len >= VG_SIGN_TRUSTED_MAX)
		return VG_ERANGE;
	len -= sizeof PFX_TRUSTED - 1;
	if (memchr(l + sizeof PFX_TRUSTED - 1, 0, len))
		return VG_EFORMAT;
	memcpy(sig->trusted, l + sizeof PFX_TRUSTED - 1, len);
	sig->trusted[len] = 0;
	sig->trusted_len = len;
	if (!next_line(&r, &l, &len) || len > 4 * 64)
		return VG_EFORMAT;
	return b64_exact(l, len, sig->global_sig, sizeof sig->global_sig);
}

int vg_sign_verify(const vg_sign_pubkey_t *pk, const vg_sign_sig_t *sig, const void *msg,
		   size_t len, vg_sign_fail_t *why)
{
	static const uint8_t nothing[1];
	uint8_t hash[crypto_generichash_BYTES_MAX];
	vg_sign_fail_t w = VG_SIGN_OK;
	int rc = 0;
	if (!msg)
		msg = nothing;
	if (vg_sign_init()) {
		rc = VG_ENOTSUP;
		goto out;
	}
	if (memcmp(pk->keyid, sig->keyid, sizeof pk->keyid) != 0) {
		w = VG_SIGN_KEYID;
		rc = VG_ENOTFOUND;
		goto out;
	}
	int bad;
	if (sig->prehashed) {
		crypto_generichash(hash, sizeof hash, msg, len, NULL, 0);
		bad = crypto_sign_verify_detached(sig->sig, hash, sizeof hash, pk->pk);
	} else {
		bad = crypto_sign_verify_detached(sig->sig, msg, len, pk->pk);
	}
	if (bad) {
		w = VG_SIGN_BADSIG;
		rc = VG_ECORRUPT;
		goto out;
	}
	uint8_t sc[64 + VG_SIGN_TRUSTED_MAX];
	size_t tl = sig->trusted_len < VG_SIGN_TRUSTED_MAX ? sig->trusted_len : VG_SIGN_TRUSTED_MAX;
	memcpy(sc, sig->sig, 64);
	memcpy(sc + 64, sig->trusted, tl);
	if (crypto_sign_verify_detached(sig->global_sig, sc, 64 + tl, pk->pk) != 0) {
		w = VG_SIGN_COMMENT;
		rc = VG_ECORRUPT;
	}
out:
	if (why)
		*why = w;
	return rc;
}

/* ---- trusted comment ---------------------------------------------------------------- */

bool vg_sign_feedname_ok(const char *s, size_t n)
{
	if (n < 1 || n > VG_SIGN_FEEDNAME_MAX)
		return false;
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	if (!n || n > 20)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

int vg_sign_tc_parse(const char *s, size_t n, vg_sign_tc_t *tc, const char **why)
{
	bool have_feed = false, have_seq = false, have_time = false;
	const char *w = NULL;
	memset(tc, 0, sizeof *tc);
	size_t i = 0;
	while (i < n && !w) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		size_t st = i;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		const char *tok = s + st;
		size_t tl = i - st;
		if (!tl)
			break;
		const char *eq = memchr(tok, '=', tl);
		if (!eq)
			continue;
		size_t kl = (size_t)(eq - tok), vl = tl - kl - 1;
		const char *v = eq + 1;
		if (kl == 4 && !memcmp(tok, "feed", 4)) {
			if (have_feed)
				w = "feed= appears twice";
			else if (!vg_sign_feedname_ok(v, vl))
				w = "feed= is not a valid feed name";
			else {
				memcpy(tc->feed, v, vl);
				tc->feed[vl] = 0;
				have_feed = true;
			}
		} else if (kl == 3 && !memcmp(tok, "seq", 3)) {
			if (have_seq)
				w = "seq= appears twice";
			else if (!parse_u64(v, vl, &tc->seq))
				w = "seq= is not a decimal number";
			else
				have_seq = true;
		} else if (kl == 4 && !memcmp(tok, "time", 4)) {
			if (have_time)
				w = "time= appears twice";
			else if (vl > 64 || vg_time_parse(v, vl, &tc->time) != 0)
				w = "time= is not an ISO 8601 time";
			else
				have_time = true;
		}
	}
	if (!w && !have_feed)
		w = "no feed= in the trusted comment";
	else if (!w && !have_seq)
		w = "no seq= in the trusted comment";
	else if (!w && !have_time)
		w = "no time= in the trusted comment";
	if (why)
		*why = w;
	return w ? VG_EFORMAT : 0;
}
