// SPDX-License-Identifier: Apache-2.0
/*
 * quic.c — QUIC v1 client Initial decryption for SNI extraction; the watch
 * engine calls it on UDP payloads that vg_quic_looks_like_initial() accepts
 * (typically UDP/443) and matches st->hello.sni like a TLS SNI.
 *
 * Design: parse the long header with the bounds-checked reader; derive the
 * client Initial secret with HKDF-SHA256 (extract with the v1 salt, then
 * HKDF-Expand-Label "client in", "quic key", "quic iv", "quic hp" through
 * OpenSSL 3 EVP_KDF in EXPAND_ONLY mode); unmask the first byte and the
 * packet number (AES-128-ECB of the 16-byte sample 4 bytes after the packet
 * number offset); decrypt with AES-128-GCM (AAD = unprotected header); walk
 * PADDING/PING/ACK/CRYPTO/CONNECTION_CLOSE frames, feeding CRYPTO data by
 * offset into a vg_reasm_t over st->crypto; then parse the ClientHello.
 * Invariants: the input datagram is never modified (the header is copied);
 * all sizes are checked before any copy.  Thread-safety: one state per thread.
 */
#include "net/quic.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "lib/rd.h"

static const uint8_t v1_salt[20] = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
				    0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};

int vg_quic_init(vg_quic_state_t *st)
{
	if (!st)
		return VG_EINVAL;
	memset(st, 0, offsetof(vg_quic_state_t, crypto));
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (!kdf)
		return VG_ENOTSUP;
	st->kdf_ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	st->ecb_ctx = EVP_CIPHER_CTX_new();
	st->gcm_ctx = EVP_CIPHER_CTX_new();
	if (!st->kdf_ctx || !st->ecb_ctx || !st->gcm_ctx) {
		vg_quic_release(st);
		return VG_ENOMEM;
	}
	vg_quic_reset(st);
	return 0;
}

void vg_quic_release(vg_quic_state_t *st)
{
	if (!st)
		return;
	EVP_KDF_CTX_free(st->kdf_ctx);
	EVP_CIPHER_CTX_free(st->ecb_ctx);
	EVP_CIPHER_CTX_free(st->gcm_ctx);
	st->kdf_ctx = st->ecb_ctx = st->gcm_ctx = NULL;
}

void vg_quic_reset(vg_quic_state_t *st)
{
	st->joining = false;
	st->joined_dcid_len = 0;
	vg_reasm_init(&st->crypto_r, st->crypto, sizeof(st->crypto), true, UINT32_MAX);
}

static int hkdf(vg_quic_state_t *st, int mode, const uint8_t *key, size_t keylen,
		const uint8_t *salt_or_info, size_t sl, uint8_t *out, size_t outlen)
{
	OSSL_PARAM p[5], *q = p;
	*q++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, keylen);
	*q++ = OSSL_PARAM_construct_octet_string(
	    mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY ? OSSL_KDF_PARAM_SALT : OSSL_KDF_PARAM_INFO,
	    (void *)salt_or_info, sl);
	*q = OSSL_PARAM_construct_end();
	EVP_KDF_CTX_reset(st->kdf_ctx);
	return EVP_KDF_derive(st->kdf_ctx, out, outlen, p) == 1 ? 0 : VG_ENOTSUP;
}

/* HKDF-Expand-Label(secret, "tls13 " label, "", len) (RFC 8446 7.1). */
static int expand_label(vg_quic_state_t *st, const uint8_t secret[32], const char *label,
			uint8_t *out, size_t len)
{
	uint8_t info[2 + 1 + 32 + 1];
	size_t ll = strlen(label), o = 0;
	info[o++] = (uint8_t)(len >> 8);
	info[o++] = (uint8_t)len;
	info[o++] = (uint8_t)(6 + ll);
	memcpy(info + o, "tls13 ", 6);
	o += 6;
	memcpy(info + o, label, ll);
	o += ll;
	info[o++] = 0;
	return hkdf(st, EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, 32, info, o, out, len);
}

static uint64_t varint(vg_rd_t *r)
{
	uint8_t b = vg_rd_u8(r);
	uint64_t v = b & 0x3f;
	unsigned n = (1u << (b >> 6)) - 1;
	while (n--)
		v = v << 8 | vg_rd_u8(r);
	return v;
}

bool vg_quic_looks_like_initial(const uint8_t *d, size_t len)
{
	if (!d)
		return false;
	vg_rd_t r = vg_rd_make(d, len);
	uint8_t b = vg_rd_u8(&r);
	uint32_t ver = vg_rd_be32(&r);
	uint8_t dl = vg_rd_u8(&r);
	return vg_rd_ok(&r) && len >= 1200 && (b & 0xc0) == 0xc0 && ((b >> 4) & 3) == 0 &&
	       ver == VG_QUIC_V1 && dl <= 20;
}

/* Walk the decrypted frames; CRYPTO data goes into st->crypto_r. */
static int frames(vg_quic_state_t *st, const uint8_t *p, size_t n)
{
	vg_rd_t r = vg_rd_make(p, n);
	while (vg_rd_left(&r) > 0) {
		uint64_t t = varint(&r);
		switch (t) {
		case 0x00: /* PADDING */
		case 0x01: /* PING */
			break;
		case 0x02:
		case 0x03: { /* ACK */
			varint(&r);
			varint(&r);
			uint64_t cnt = varint(&r);
			varint(&r);
			for (uint64_t i = 0; i < cnt && vg_rd_ok(&r); i++) {
				varint(&r);
				varint(&r);
			}
			if (t == 0x03) {
				varint(&r);
				varint(&r);
				varint(&r);
			}
			break;
		}
		case 0x06: { /* CRYPTO */
			uint64_t off = varint(&r), l = varint(&r);
			vg_rd_t d = vg_rd_sub(&r, l);
			if (!vg_rd_ok(&r))
				return VG_EFORMAT;
			if (off < VG_QUIC_CRYPTO_MAX)
				vg_reasm_add(&st->crypto_r, (uint32_t)off, vg_rd_ptr(&d),
					     vg_rd_left(&d));
			break;
		}
		case 0x1c: { /* CONNECTION_CLOSE */
			varint(&r);
			varint(&r);
			uint64_t l = varint(&r);
			if (!vg_rd_ok(&r) || !vg_rd_skip(&r, l))
				return VG_EFORMAT;
			break;
		}
		default:
			return VG_EFORMAT; /* not allowed in Initial packets */
		}
		if (!vg_rd_ok(&r))
			return VG_EFORMAT;
	}
	return 0;
}

int vg_quic_parse_initial(vg_quic_state_t *st, const uint8_t *dgram, size_t len)
{
	if (!st || !st->kdf_ctx || (!dgram && len))
		return VG_EINVAL;
	vg_rd_t r = vg_rd_make(dgram, len);
	uint8_t b0 = vg_rd_u8(&r);
	st->version = vg_rd_be32(&r);
	if (!vg_rd_ok(&r) || (b0 & 0x80) == 0)
		return VG_EFORMAT;
	if (st->version != VG_QUIC_V1)
		return VG_ENOTSUP;
	if ((b0 & 0x40) == 0 || ((b0 >> 4) & 3) != 0)
		return VG_EFORMAT;
	st->dcid_len = vg_rd_u8(&r);
	if (st->dcid_len > 20 || !vg_rd_bytes(&r, st->dcid, st->dcid_len))
		return VG_EFORMAT;
	st->scid_len = vg_rd_u8(&r);
	if (st->scid_len > 20 || !vg_rd_bytes(&r, st->scid, st->scid_len))
		return VG_EFORMAT;
	uint64_t tok = varint(&r);
	if (!vg_rd_ok(&r) || !vg_rd_skip(&r, tok))
		return VG_EFORMAT;
	uint64_t plen = varint(&r);
	if (!vg_rd_ok(&r) || plen > vg_rd_left(&r) || plen < 4 + 16 + 1)
		return VG_EFORMAT;
	size_t pn_off = r.off;
	st->pkt_len = pn_off + plen;
	if (plen > VG_QUIC_PKT_MAX)
		return VG_ELIMIT;

	/* keys */
	uint8_t initial[32], client[32], key[16], iv[12], hp[16];
	if (hkdf(st, EVP_KDF_HKDF_MODE_EXTRACT_ONLY, st->dcid, st->dcid_len, v1_salt,
		 sizeof(v1_salt), initial, 32) ||
	    expand_label(st, initial, "client in", client, 32) ||
	    expand_label(st, client, "quic key", key, 16) ||
	    expand_label(st, client, "quic iv", iv, 12) ||
	    expand_label(st, client, "quic hp", hp, 16))
		return VG_ENOTSUP;

	/* header protection: sample at pn_off + 4 */
	uint8_t sample[16], mask[32];
	int ml = 0, fl = 0;
	vg_rd_t s = r;
	vg_rd_skip(&s, 4);
	if (!vg_rd_bytes(&s, sample, 16))
		return VG_EFORMAT;
	EVP_CIPHER_CTX *ecb = st->ecb_ctx;
	if (EVP_EncryptInit_ex(ecb, EVP_aes_128_ecb(), NULL, hp, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ecb, 0) != 1 ||
	    EVP_EncryptUpdate(ecb, mask, &ml, sample, 16) != 1 ||
	    EVP_EncryptFinal_ex(ecb, mask + ml, &fl) != 1 || ml + fl != 16)
		return VG_ENOTSUP;
	uint8_t fb = (uint8_t)(b0 ^ (mask[0] & 0x0f));
	unsigned pnl = (fb & 3) + 1;

	/* unprotected header = AAD: fixed first byte, the rest as sent, then
	 * the unmasked packet number (fed to GCM in three pieces) */
	uint8_t pnb[4];
	vg_rd_t h = r; /* at pn_off */
	if (!vg_rd_bytes(&h, pnb, pnl))
		return VG_EFORMAT;
	st->pn = 0;
	for (unsigned i = 0; i < pnl; i++) {
		pnb[i] ^= mask[1 + i];
		st->pn = st->pn << 8 | pnb[i];
	}
	size_t hl = pn_off + pnl;
	vg_rd_t mid = vg_rd_make(dgram, len);
	vg_rd_skip(&mid, 1);
	mid = vg_rd_sub(&mid, pn_off - 1);

	/* AEAD */
	uint8_t nonce[12];
	memcpy(nonce, iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(st->pn >> (8 * i));
	size_t ctl = plen - pnl - 16;
	vg_rd_t c = vg_rd_make(dgram, len);
	vg_rd_skip(&c, hl);
	vg_rd_t ct = vg_rd_sub(&c, ctl);
	uint8_t tag[16];
	vg_rd_bytes(&c, tag, 16);
	if (!vg_rd_ok(&c))
		return VG_EFORMAT;
	EVP_CIPHER_CTX *g = st->gcm_ctx;
	int ol = 0, fl2 = 0;
	if (EVP_DecryptInit_ex(g, EVP_aes_128_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(g, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
	    EVP_DecryptInit_ex(g, NULL, NULL, key, nonce) != 1 ||
	    EVP_DecryptUpdate(g, NULL, &ol, &fb, 1) != 1 ||
	    EVP_DecryptUpdate(g, NULL, &ol, vg_rd_ptr(&mid), (int)vg_rd_left(&mid)) != 1 ||
	    EVP_DecryptUpdate(g, NULL, &ol, pnb, (int)pnl) != 1 ||
	    EVP_DecryptUpdate(g, st->plain, &ol, vg_rd_ptr(&ct), (int)ctl) != 1 ||
	    EVP_CIPHER_CTX_ctrl(g, EVP_CTRL_GCM_SET_TAG, 16, tag) != 1)
		return VG_ENOTSUP;
	if (EVP_DecryptFinal_ex(g, st->plain + ol, &fl2) != 1)
		return VG_ECORRUPT;

	/* join CRYPTO data of the same connection attempt */
	if (!st->joining || st->joined_dcid_len != st->dcid_len ||
	    memcmp(st->joined_dcid, st->dcid, st->dcid_len) != 0) {
		vg_reasm_init(&st->crypto_r, st->crypto, sizeof(st->crypto), true, UINT32_MAX);
		memcpy(st->joined_dcid, st->dcid, st->dcid_len);
		st->joined_dcid_len = st->dcid_len;
		st->joining = true;
	}
	int rc = frames(st, st->plain, (size_t)ol + (size_t)fl2);
	if (rc)
		return rc;
	size_t have = vg_reasm_contig(&st->crypto_r);
	rc = vg_tls_parse_client_hello_hs(st->crypto, have, &st->hello);
	if (rc == VG_EAGAIN && vg_reasm_full(&st->crypto_r))
		rc = VG_ELIMIT;
	return rc;
}
