// SPDX-License-Identifier: Apache-2.0
/*
 * fw_keys.c — private keys stored in a firmware image (5.4-3 / 5.4-4: a
 * key in the image is the same on every device that runs it).
 *
 * Two finders over the bytes of one file:
 *  - PEM: "-----BEGIN <label>-----" blocks whose label names a private key;
 *    the block must parse with PEM_read_bio_PrivateKey (no passphrase:
 *    the callback refuses), so a key-shaped string in a man page or a
 *    truncated block is not a finding.  Encrypted PEM (ENCRYPTED PRIVATE
 *    KEY, Proc-Type: 4,ENCRYPTED) is reported as encrypted, unparsed.
 *  - DER: an ASN.1 walk: at each 0x30 a definite-length SEQUENCE that fits
 *    and whose children tile it exactly, with the shape of PKCS#1 (version
 *    0 and 8 more INTEGERs for RSA, 5 for DSA, the modulus >= 512 bits),
 *    PKCS#8 (INTEGER, SEQUENCE AlgorithmIdentifier, OCTET STRING, optional
 *    [0] attributes / [1] public key) or SEC1 (version 1, OCTET STRING of
 *    16..66 bytes, optional [0] parameters and [1] public key), is handed to d2i_AutoPrivateKey over exactly its bytes; at
 *    most max_cand candidates per file reach OpenSSL.  A verified key is
 *    skipped over whole, so its inner SEQUENCEs are not re-reported.
 * The public half's DER SubjectPublicKeyInfo is hashed (SHA-256) so the
 * same key can be recognised across images (--keys-db).  Bytes are read
 * through vg_rd_t only; OpenSSL's error queue is cleared after failures.
 * Reentrant.
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
		if (!strcmp(label, "ENCRYPTED PRIVATE KEY") ||
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
	int found = pem_scan(p, n, &cand, max_cand, cb, ctx);
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
