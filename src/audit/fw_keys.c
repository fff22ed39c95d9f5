// SPDX-License-Identifier: Apache-2.0
/*
 * fw_keys.c — private keys stored in a firmware image (5.4-3 / 5.4-4: a
 * key in the image is the same on every device that runs it).  Finders:
 *  - PEM blocks labelled as private keys that parse with no passphrase
 *    (a key-shaped string or a truncated block is no finding); encrypted
 *    PEM (ENCRYPTED PRIVATE KEY, Proc-Type: 4,ENCRYPTED) is reported
 *    encrypted, unparsed.
 *  - DER by an ASN.1 walk: at each 0x30, a SEQUENCE that fits, whose
 *    children tile it exactly with the shape of PKCS#1 (9 INTEGERs RSA, 6
 *    DSA), PKCS#8 or SEC1, goes to d2i_AutoPrivateKey over exactly its
 *    bytes (at most max_cand per file); a verified key is skipped whole.
 *  - SSH: openssh-key-v1 blocks (cipher "none" = unencrypted) and Dropbear
 *    host key files (SSH wire fields filling the whole file).
 * Fingerprint: SHA-256 of the DER SubjectPublicKeyInfo, or for SSH keys of
 * the SSH public key blob (ssh-keygen's), so copies of one key match across
 * images (--keys-db).  Bytes are read through vg_rd_t only; OpenSSL's error
 * queue is cleared after failures.  Reentrant.
 */
#include "audit/fw.h"

#include "lib/rd.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdio.h>
#include <string.h>

#define DER_MAX (64u * 1024)

/* One DER TLV header at r: tag (low-tag-number form only) and definite
 * length (at most 3 length bytes); false when malformed or past the end. */
static bool tlv(vg_rd_t *r, uint8_t *tag, size_t *len)
{
	*tag = vg_rd_u8(r);
	uint8_t l0 = vg_rd_u8(r);
	if (l0 < 0x80)
		*len = l0;
	else if (l0 == 0x81)
		*len = vg_rd_u8(r);
	else if (l0 == 0x82)
		*len = vg_rd_be16(r);
	else if (l0 == 0x83)
		*len = vg_rd_be24(r);
	else
		return false;
	return vg_rd_ok(r) && (*tag & 0x1f) != 0x1f && vg_rd_left(r) >= *len;
}

size_t vg_fw_der_candidate(const uint8_t *p, size_t n, const char **format)
{
	vg_rd_t r = vg_rd_make(p, n);
	uint8_t tag;
	size_t len;
	if (!tlv(&r, &tag, &len) || tag != 0x30 || len < 16 || len > DER_MAX)
		return 0;
	size_t total = r.off + len;
	/* the children must tile the SEQUENCE exactly */
	vg_rd_t in = vg_rd_make(p + r.off, len);
	uint8_t tags[10];
	size_t lens[10], first = 0;
	int nc = 0;
	while (vg_rd_left(&in) && nc < 10) {
		if (!tlv(&in, &tags[nc], &lens[nc]))
			return 0;
		if (nc == 0) {
			if (lens[0] != 1)
				return 0;
			first = vg_rd_u8(&in);
		} else {
			vg_rd_skip(&in, lens[nc]);
		}
		if (!vg_rd_ok(&in))
			return 0;
		nc++;
	}
	if (vg_rd_left(&in) || nc < 2 || tags[0] != 0x02)
		return 0;
	bool ints = true;
	for (int i = 1; i < nc; i++)
		ints &= tags[i] == 0x02;
	if (first == 0 && ints && (nc == 9 || nc == 6) && lens[1] >= 64) {
		*format = "DER PKCS#1"; /* RSA (9 INTEGERs) or DSA (6), >= 512-bit modulus / p */
	} else if ((first == 0 || first == 1) && nc >= 3 && nc <= 5 && tags[1] == 0x30 &&
		   tags[2] == 0x04 && (nc < 4 || tags[3] == 0xa0 || tags[3] == 0x81 || tags[3] == 0xa1)) {
		*format = "DER PKCS#8";
	} else if (first == 1 && nc >= 2 && nc <= 4 && tags[1] == 0x04 && lens[1] >= 16 &&
		   lens[1] <= 66 && (nc < 3 || tags[2] == 0xa0 || tags[2] == 0xa1) &&
		   (nc < 4 || tags[3] == 0xa1)) {
		*format = "DER SEC1";
	} else {
		return 0;
	}
	return total;
}

static void describe(EVP_PKEY *k, vg_fw_key_t *o)
{
	const char *t;
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_RSA: t = "RSA"; break;
	case EVP_PKEY_EC: t = "EC"; break;
	case EVP_PKEY_DSA: t = "DSA"; break;
	case EVP_PKEY_ED25519: t = "ED25519"; break;
	case EVP_PKEY_ED448: t = "ED448"; break;
	case EVP_PKEY_X25519: t = "X25519"; break;
	case EVP_PKEY_DH: t = "DH"; break;
	default: t = "other";
	}
	snprintf(o->type, sizeof(o->type), "%s", t);
	o->bits = EVP_PKEY_get_bits(k);
	o->fp[0] = 0;
	unsigned char *der = NULL;
	int dl = i2d_PUBKEY(k, &der);
	if (dl > 0) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int ml = 0;
		if (EVP_Digest(der, (size_t)dl, md, &ml, EVP_sha256(), NULL) && ml == 32)
			for (unsigned i = 0; i < 32; i++)
				snprintf(o->fp + 2 * i, 3, "%02x", md[i]);
	}
	OPENSSL_free(der);
}

static int no_pass(char *buf, int size, int rw, void *u)
{
	(void)buf, (void)size, (void)rw, (void)u;
	return -1;
}

static const uint8_t *find(const uint8_t *p, const uint8_t *e, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(e - p) < n)
		return NULL;
	return memmem(p, (size_t)(e - p), s, n);
}

/* ---- SSH key formats (OpenSSH "openssh-key-v1", Dropbear host keys) -- */

static bool sshstr(vg_rd_t *r, const uint8_t **p, uint32_t *n)
{
	*n = vg_rd_be32(r);
	*p = vg_rd_ptr(r);
	return vg_rd_ok(r) && vg_rd_skip(r, *n);
}

static bool streq(const uint8_t *p, uint32_t n, const char *s)
{
	return n == strlen(s) && !memcmp(p, s, n);
}

/* bits of an SSH mpint / key field */
static int mpbits(const uint8_t *p, uint32_t n)
{
	while (n && !*p)
		p++, n--;
	if (!n)
		return 0;
	int b = 0;
	for (uint8_t c = *p; c; c >>= 1)
		b++;
	return (int)(n - 1) * 8 + b;
}

static void ssh_fp(const uint8_t *blob, size_t n, vg_fw_key_t *k)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int ml = 0;
	k->fp[0] = 0;
	if (EVP_Digest(blob, n, md, &ml, EVP_sha256(), NULL) && ml == 32)
		for (unsigned i = 0; i < 32; i++)
			snprintf(k->fp + 2 * i, 3, "%02x", md[i]);
}

/* Type and size from an SSH public key blob; false if not a known type. */
static bool ssh_pub(const uint8_t *blob, uint32_t n, vg_fw_key_t *k)
{
	vg_rd_t r = vg_rd_make(blob, n);
	const uint8_t *t, *a, *b;
	uint32_t tl, al, bl;
	if (!sshstr(&r, &t, &tl) || !sshstr(&r, &a, &al))
		return false;
	if (streq(t, tl, "ssh-ed25519")) {
		snprintf(k->type, sizeof(k->type), "ED25519");
		k->bits = 256;
		return al == 32;
	}
	if (!sshstr(&r, &b, &bl))
		return false;
	if (streq(t, tl, "ssh-rsa")) {
		snprintf(k->type, sizeof(k->type), "RSA");
		k->bits = mpbits(b, bl);
	} else if (streq(t, tl, "ssh-dss")) {
		snprintf(k->type, sizeof(k->type), "DSA");
		k->bits = mpbits(a, al);
	} else if (tl == 19 && !memcmp(t, "ecdsa-sha2-nistp", 16)) {
		snprintf(k->type, sizeof(k->type), "EC");
		k->bits = streq(t, tl, "ecdsa-sha2-nistp256") ? 256 :
			  streq(t, tl, "ecdsa-sha2-nistp384") ? 384 :
			  streq(t, tl, "ecdsa-sha2-nistp521") ? 521 : 0;
	} else {
		return false;
	}
	return k->bits > 0;
}

/* OpenSSH private key: the base64 body between the armour lines. */
static bool openssh_key(const uint8_t *body, size_t bl, vg_fw_key_t *k)
{
	static const char magic[] = "openssh-key-v1";
	if (bl > DER_MAX * 2)
		return false;
	unsigned char *d = OPENSSL_malloc(bl);
	if (!d)
		return false;
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	int o1 = 0, o2 = 0;
	bool ok = ctx != NULL;
	if (ok) {
		EVP_DecodeInit(ctx);
		ok = EVP_DecodeUpdate(ctx, d, &o1, body, (int)bl) >= 0 &&
		     EVP_DecodeFinal(ctx, d + o1, &o2) > 0;
	}
	EVP_ENCODE_CTX_free(ctx);
	vg_rd_t r = vg_rd_make(d, ok ? (size_t)(o1 + o2) : 0);
	const uint8_t *ci, *kdf, *opt, *pub;
	uint32_t cl, kl, ol, pl;
	ok = ok && vg_rd_has(&r, sizeof(magic)) && !memcmp(vg_rd_ptr(&r), magic, sizeof(magic)) &&
	     vg_rd_skip(&r, sizeof(magic)) && sshstr(&r, &ci, &cl) && sshstr(&r, &kdf, &kl) &&
	     sshstr(&r, &opt, &ol) && vg_rd_be32(&r) >= 1 && sshstr(&r, &pub, &pl) &&
	     ssh_pub(pub, pl, k);
	if (ok) {
		k->encrypted = !streq(ci, cl, "none");
		ssh_fp(pub, pl, k);
	}
	OPENSSL_free(d);
	return ok;
}

/* A Dropbear host key file (the whole buffer): string type, then the
 * public fields and the private ones, nothing after. */
static bool dropbear_key(const uint8_t *p, size_t n, vg_fw_key_t *k)
{
	if (n < 16 || n > DER_MAX)
		return false;
	vg_rd_t r = vg_rd_make(p, n);
	const uint8_t *t, *f[6];
	uint32_t tl, fl[6];
	if (!sshstr(&r, &t, &tl) || tl < 7 || tl > 19)
		return false;
	int want;
	if (streq(t, tl, "ssh-rsa"))
		want = 5; /* e n d p q */
	else if (streq(t, tl, "ssh-dss"))
		want = 5; /* p q g y x */
	else if (streq(t, tl, "ssh-ed25519"))
		want = 1; /* k: 32 private + 32 public */
	else if (tl == 19 && !memcmp(t, "ecdsa-sha2-nistp", 16))
		want = 3; /* curve, Q, d */
	else
		return false;
	for (int i = 0; i < want; i++)
		if (!sshstr(&r, &f[i], &fl[i]) || !fl[i])
			return false;
	if (vg_rd_left(&r))
		return false;
	uint8_t blob[4 + 19 + 4 + 32];
	size_t publen;
	if (want == 1) {
		if (fl[0] != 64)
			return false;
		memcpy(blob, p, 4 + tl);
		blob[4 + tl] = 0, blob[5 + tl] = 0, blob[6 + tl] = 0, blob[7 + tl] = 32;
		memcpy(blob + 8 + tl, f[0] + 32, 32);
		publen = 8 + tl + 32;
		if (!ssh_pub(blob, (uint32_t)publen, k))
			return false;
		ssh_fp(blob, publen, k);
	} else {
		/* the public blob is the prefix: type + 2 fields (rsa, ecdsa) or 4 (dss) */
		int npub = streq(t, tl, "ssh-dss") ? 4 : 2;
		publen = (size_t)(f[npub - 1] + fl[npub - 1] - p);
		if (!ssh_pub(p, (uint32_t)publen, k))
			return false;
		ssh_fp(p, publen, k);
	}
	k->format = "Dropbear";
	return true;
}

static int pem_scan(const uint8_t *p, size_t n, size_t *cand, size_t max_cand, vg_fw_key_cb cb,
		    void *ctx)
{
	const uint8_t *e = p + n, *s = p;
	int found = 0;
	while ((s = find(s, e, "-----BEGIN ")) != NULL) {
		const uint8_t *lab = s + 11;
		const uint8_t *le = find(lab, e, "-----");
		if (!le || le - lab > 40) {
			s = lab;
			continue;
		}
		size_t ll = (size_t)(le - lab);
		char label[48];
		memcpy(label, lab, ll);
		label[ll] = 0;
		if (!strstr(label, "PRIVATE KEY")) {
			s = le;
			continue;
		}
		char endm[64];
		snprintf(endm, sizeof(endm), "-----END %s-----", label);
		const uint8_t *end = find(le, e, endm);
		if (!end) {
			s = le;
			continue;
		}
		const uint8_t *bend = end + strlen(endm);
		vg_fw_key_t k = {0};
		k.off = (size_t)(s - p);
		if (!strcmp(label, "RSA PRIVATE KEY"))
			k.format = "PEM PKCS#1";
		else if (!strcmp(label, "EC PRIVATE KEY"))
			k.format = "PEM SEC1";
		else if (!strcmp(label, "PRIVATE KEY"))
			k.format = "PEM PKCS#8";
		else if (!strcmp(label, "ENCRYPTED PRIVATE KEY"))
			k.format = "PEM PKCS#8 (encrypted)";
		else if (!strcmp(label, "DSA PRIVATE KEY"))
			k.format = "PEM DSA";
		else
			k.format = "PEM";
		if (!strcmp(label, "OPENSSH PRIVATE KEY")) {
			k.format = "OpenSSH";
			const uint8_t *body = le + 5;
			if (*cand < max_cand) {
				(*cand)++;
				if (openssh_key(body, (size_t)(end - body), &k)) {
					cb(ctx, &k);
					found++;
				}
				ERR_clear_error();
			}
		} else if (!strcmp(label, "ENCRYPTED PRIVATE KEY") ||
		    find(le, end, "Proc-Type: 4,ENCRYPTED")) {
			k.encrypted = true;
			const char *sp = strchr(label, ' ');
			if (sp && strcmp(label, "ENCRYPTED PRIVATE KEY"))
				snprintf(k.type, sizeof(k.type), "%.*s", (int)(sp - label), label);
			cb(ctx, &k);
			found++;
		} else if (*cand < max_cand) {
			(*cand)++;
			BIO *bio = BIO_new_mem_buf(s, (int)(bend - s));
			EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_pass, NULL) : NULL;
			if (key) {
				describe(key, &k);
				cb(ctx, &k);
				found++;
				EVP_PKEY_free(key);
			}
			BIO_free(bio);
			ERR_clear_error();
		}
		s = bend;
	}
	return found;
}

int vg_fw_keys_scan(const uint8_t *p, size_t n, size_t max_cand, vg_fw_key_cb cb, void *ctx)
{
	size_t cand = 0;
	int found = 0;
	vg_fw_key_t dk = {0};
	if (dropbear_key(p, n, &dk)) {
		cb(ctx, &dk);
		return 1;
	}
	found += pem_scan(p, n, &cand, max_cand, cb, ctx);
	const uint8_t *e = p + n, *s = p;
	while (s < e && cand < max_cand) {
		s = memchr(s, 0x30, (size_t)(e - s));
		if (!s)
			break;
		const char *fmt;
		size_t tl = vg_fw_der_candidate(s, (size_t)(e - s), &fmt);
		if (!tl) {
			s++;
			continue;
		}
		cand++;
		const unsigned char *q = s;
		EVP_PKEY *key = d2i_AutoPrivateKey(NULL, &q, (long)tl);
		if (key) {
			vg_fw_key_t k = {0};
			k.off = (size_t)(s - p);
			k.format = fmt;
			describe(key, &k);
			EVP_PKEY_free(key);
			cb(ctx, &k);
			found++;
			s += tl;
		} else {
			ERR_clear_error();
			s++;
		}
	}
	return found;
}
