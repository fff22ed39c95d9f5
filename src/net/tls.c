// SPDX-License-Identifier: Apache-2.0
/*
 * tls.c — TLS hello parsers: the watch engine feeds the reassembled first
 * bytes of a TCP stream (reasm.c) and gets the SNI, ALPN and versions for
 * indicator matching and EVE "tls" records; quic.c feeds a decrypted CRYPTO
 * stream to the bare-handshake entry point.
 *
 * Design: gather() walks the record layer and copies handshake-record
 * payloads into the caller's scratch until the first handshake message is
 * complete (VG_EAGAIN before that); then the message body is parsed with the
 * bounds-checked reader.  Every length field is checked against the bytes of
 * its enclosing structure (vg_rd_sub), so an overflowing extension length
 * fails the parse instead of reading beyond it.
 * Invariants: no allocation; output strings NUL-terminated; array counts never
 * exceed their capacity.  Thread-safety: reentrant.
 */
#include "net/tls.h"

#include <string.h>

#include <openssl/evp.h>

#include "lib/rd.h"

#define REC_MAX (16384 + 2048) /* TLSCiphertext upper bound */

/*
 * Gather the first handshake message (type want) from TLS records in stream
 * into scratch.  On 0, *msg_len is the full message length (4 + body).
 */
static int gather(const uint8_t *stream, size_t len, uint8_t want, uint8_t *scratch,
		  uint16_t *rec_ver, size_t *msg_len)
{
	vg_rd_t r = vg_rd_make(stream, len);
	size_t have = 0;
	bool first = true;

	for (;;) {
		/* early rejection on the bytes we have */
		size_t left = vg_rd_left(&r);
		const uint8_t *p = vg_rd_ptr(&r);
		if (left >= 1 && p[0] != 22)
			return VG_EFORMAT;
		if (left >= 2 && p[1] != 3)
			return VG_EFORMAT;
		if (left >= 3 && p[2] > 4)
			return VG_EFORMAT;
		if (left < 5)
			return VG_EAGAIN;
		vg_rd_u8(&r);
		uint16_t ver = vg_rd_be16(&r);
		uint16_t rlen = vg_rd_be16(&r);
		if (rlen == 0 || rlen > REC_MAX)
			return VG_EFORMAT;
		if (first)
			*rec_ver = ver;
		first = false;
		size_t take = vg_rd_left(&r) < rlen ? vg_rd_left(&r) : rlen;
		bool partial = take < rlen;
		if (take > VG_TLS_HS_SCRATCH - have)
			take = VG_TLS_HS_SCRATCH - have;
		vg_rd_bytes(&r, scratch + have, take);
		have += take;
		if (have >= 1 && scratch[0] != want)
			return VG_EFORMAT;
		if (have >= 4) {
			size_t body = (size_t)scratch[1] << 16 | (size_t)scratch[2] << 8 | scratch[3];
			if (body + 4 > VG_TLS_HS_SCRATCH)
				return VG_ELIMIT;
			if (have >= body + 4) {
				*msg_len = body + 4;
				return 0;
			}
		}
		if (partial)
			return VG_EAGAIN;
		if (have >= VG_TLS_HS_SCRATCH)
			return VG_ELIMIT;
	}
}

bool vg_tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static void copy_host(char *dst, size_t cap, vg_rd_t *src, size_t n, uint16_t *outlen, bool *trunc)
{
	size_t k = n < cap ? n : cap;
	for (size_t i = 0; i < k; i++) {
		uint8_t c = vg_rd_u8(src);
		dst[i] = (c > 0x20 && c < 0x7f) ? (char)c : '?';
	}
	dst[k] = 0;
	if (outlen)
		*outlen = (uint16_t)k;
	if (trunc)
		*trunc = n > cap;
}

/* ALPN extension body into list (or the first protocol into one). */
static bool parse_alpn(vg_rd_t *e, vg_tls_hello_t *h, char *one)
{
	uint16_t l = vg_rd_be16(e);
	vg_rd_t lst = vg_rd_sub(e, l);
	if (!vg_rd_ok(e))
		return false;
	while (vg_rd_left(&lst) > 0) {
		uint8_t n = vg_rd_u8(&lst);
		vg_rd_t pr = vg_rd_sub(&lst, n);
		if (!vg_rd_ok(&lst) || n == 0)
			return false;
		if (one) {
			bool t;
			copy_host(one, VG_TLS_ALPN_LEN, &pr, n, NULL, &t);
			return true;
		}
		if (h->n_alpn >= VG_TLS_MAX_ALPN) {
			h->alpn_more = true;
			continue;
		}
		bool t = false;
		copy_host(h->alpn[h->n_alpn++], VG_TLS_ALPN_LEN, &pr, n, NULL, &t);
		if (t)
			h->alpn_more = true;
	}
	return true;
}

static void keep16(uint16_t *arr, uint16_t *n, uint16_t v, bool *trunc)
{
	if (*n < VG_TLS_MAX_LIST)
		arr[(*n)++] = v;
	else
		*trunc = true;
}

static int parse_ch_body(vg_rd_t *r, vg_tls_hello_t *h)
{
	h->hs_version = vg_rd_be16(r);
	vg_rd_skip(r, 32);
	h->session_id_len = vg_rd_u8(r);
	if (h->session_id_len > 32)
		return VG_EFORMAT;
	vg_rd_skip(r, h->session_id_len);
	uint16_t cl = vg_rd_be16(r);
	vg_rd_t cs = vg_rd_sub(r, cl);
	if (!vg_rd_ok(r) || (cl & 1) || cl == 0)
		return VG_EFORMAT;
	h->n_ciphers = cl / 2;
	while (vg_rd_left(&cs) >= 2)
		keep16(h->ciphers, &h->n_ciphers_kept, vg_rd_be16(&cs), &h->lists_trunc);
	uint8_t compl = vg_rd_u8(r);
	vg_rd_skip(r, compl);
	if (!vg_rd_ok(r) || compl == 0)
		return VG_EFORMAT;
	h->max_version = h->hs_version;
	if (vg_rd_left(r) == 0)
		return 0; /* no extensions (old clients) */
	uint16_t el = vg_rd_be16(r);
	vg_rd_t ex = vg_rd_sub(r, el);
	if (!vg_rd_ok(r))
		return VG_EFORMAT;
	while (vg_rd_left(&ex) > 0) {
		uint16_t type = vg_rd_be16(&ex);
		uint16_t len = vg_rd_be16(&ex);
		vg_rd_t e = vg_rd_sub(&ex, len);
		if (!vg_rd_ok(&ex))
			return VG_EFORMAT;
		keep16(h->exts, &h->n_exts, type, &h->lists_trunc);
		switch (type) {
		case 0: { /* server_name */
			if (len == 0)
				break;
			uint16_t ll = vg_rd_be16(&e);
			vg_rd_t lst = vg_rd_sub(&e, ll);
			if (!vg_rd_ok(&e))
				return VG_EFORMAT;
			while (vg_rd_left(&lst) > 0) {
				uint8_t nt = vg_rd_u8(&lst);
				uint16_t nl = vg_rd_be16(&lst);
				vg_rd_t nm = vg_rd_sub(&lst, nl);
				if (!vg_rd_ok(&lst))
					return VG_EFORMAT;
				if (nt == 0 && !h->has_sni) {
					h->has_sni = true;
					copy_host(h->sni, VG_TLS_SNI_MAX, &nm, nl, &h->sni_len,
						  &h->sni_trunc);
				}
			}
			break;
		}
		case 16: /* ALPN */
			if (!parse_alpn(&e, h, NULL))
				return VG_EFORMAT;
			break;
		case 43: { /* supported_versions */
			uint8_t vl = vg_rd_u8(&e);
			vg_rd_t vs = vg_rd_sub(&e, vl);
			if (!vg_rd_ok(&e) || (vl & 1))
				return VG_EFORMAT;
			h->has_supported_versions = true;
			while (vg_rd_left(&vs) >= 2) {
				uint16_t v = vg_rd_be16(&vs);
				if (h->n_versions < 16)
					h->versions[h->n_versions++] = v;
				if (vg_tls_is_grease(v))
					continue;
				/* drafts 0x7fNN rank as 1.3 */
				uint16_t rank = (v >> 8) == 0x7f ? 0x0304 : v;
				uint16_t cur = (h->max_version >> 8) == 0x7f ? 0x0304 : h->max_version;
				if (rank > cur || (rank == cur && v == 0x0304))
					h->max_version = v;
			}
			break;
		}
		case 10: { /* supported_groups */
			uint16_t gl = vg_rd_be16(&e);
			vg_rd_t gs = vg_rd_sub(&e, gl);
			if (!vg_rd_ok(&e))
				return VG_EFORMAT;
			while (vg_rd_left(&gs) >= 2)
				keep16(h->groups, &h->n_groups, vg_rd_be16(&gs), &h->lists_trunc);
			break;
		}
		case 11: { /* ec_point_formats */
			uint8_t fl = vg_rd_u8(&e);
			vg_rd_t fs = vg_rd_sub(&e, fl);
			if (!vg_rd_ok(&e))
				return VG_EFORMAT;
			while (vg_rd_left(&fs) > 0) {
				uint8_t f = vg_rd_u8(&fs);
				if (h->n_ecpf < sizeof(h->ecpf))
					h->ecpf[h->n_ecpf++] = f;
				else
					h->lists_trunc = true;
			}
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

int vg_tls_parse_client_hello_hs(const uint8_t *hs, size_t len, vg_tls_hello_t *out)
{
	if (!out || (!hs && len))
		return VG_EINVAL;
	/* reset everything but the scratch (hs may point into it) */
	memset(out, 0, offsetof(vg_tls_hello_t, hs));
	vg_rd_t r = vg_rd_make(hs, len);
	uint8_t type = vg_rd_u8(&r);
	if (vg_rd_ok(&r) && type != 1)
		return VG_EFORMAT;
	uint32_t body = vg_rd_be24(&r);
	if (!vg_rd_ok(&r) || vg_rd_left(&r) < body)
		return VG_EAGAIN;
	out->hs_len = body;
	vg_rd_t b = vg_rd_sub(&r, body);
	int rc = parse_ch_body(&b, out);
	if (rc == 0 && !vg_rd_ok(&b))
		rc = VG_EFORMAT;
	return rc;
}

int vg_tls_parse_client_hello(const uint8_t *stream, size_t len, vg_tls_hello_t *out)
{
	if (!out || (!stream && len))
		return VG_EINVAL;
	uint16_t rv = 0;
	size_t ml = 0;
	int rc = gather(stream, len, 1, out->hs, &rv, &ml);
	if (rc)
		return rc;
	rc = vg_tls_parse_client_hello_hs(out->hs, ml, out);
	out->record_version = rv;
	return rc;
}

int vg_tls_parse_server_hello(const uint8_t *stream, size_t len, vg_tls_server_hello_t *out)
{
	if (!out || (!stream && len))
		return VG_EINVAL;
	memset(out, 0, offsetof(vg_tls_server_hello_t, hs));
	size_t ml = 0;
	int rc = gather(stream, len, 2, out->hs, &out->record_version, &ml);
	if (rc)
		return rc;
	vg_rd_t r = vg_rd_make(out->hs + 4, ml - 4);
	out->hs_version = vg_rd_be16(&r);
	vg_rd_skip(&r, 32);
	uint8_t sl = vg_rd_u8(&r);
	vg_rd_skip(&r, sl);
	out->cipher = vg_rd_be16(&r);
	vg_rd_u8(&r); /* compression */
	if (!vg_rd_ok(&r) || sl > 32)
		return VG_EFORMAT;
	out->selected_version = out->hs_version;
	if (vg_rd_left(&r) == 0)
		return 0;
	uint16_t el = vg_rd_be16(&r);
	vg_rd_t ex = vg_rd_sub(&r, el);
	if (!vg_rd_ok(&r))
		return VG_EFORMAT;
	while (vg_rd_left(&ex) > 0) {
		uint16_t type = vg_rd_be16(&ex);
		uint16_t l = vg_rd_be16(&ex);
		vg_rd_t e = vg_rd_sub(&ex, l);
		if (!vg_rd_ok(&ex))
			return VG_EFORMAT;
		if (type == 43 && l == 2) {
			out->selected_version = vg_rd_be16(&e);
		} else if (type == 16) {
			if (!parse_alpn(&e, NULL, out->alpn))
				return VG_EFORMAT;
			out->has_alpn = true;
		}
	}
	return 0;
}

static char *put_u(char *p, char *end, unsigned v)
{
	char d[10];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n && p < end)
		*p++ = d[--n];
	return p;
}

const char *vg_tls_version_name(uint16_t v, char buf[24])
{
	switch (v) {
	case 0x0002: return "SSLv2";
	case 0x0300: return "SSLv3";
	case 0x0301: return "TLS 1.0";
	case 0x0302: return "TLS 1.1";
	case 0x0303: return "TLS 1.2";
	case 0x0304: return "TLS 1.3";
	default: break;
	}
	char *p = buf, *end = buf + 23;
	if ((v >> 8) == 0x7f) {
		memcpy(p, "TLS 1.3 draft-", 14);
		p = put_u(p + 14, end, v & 0xff);
	} else {
		static const char hx[] = "0123456789abcdef";
		*p++ = '0', *p++ = 'x';
		for (int s = 12; s >= 0; s -= 4)
			*p++ = hx[(v >> s) & 15];
	}
	*p = 0;
	return buf;
}

static char *put_list(char *p, char *end, const uint16_t *a, unsigned n)
{
	bool first = true;
	for (unsigned i = 0; i < n && p; i++) {
		if (vg_tls_is_grease(a[i]))
			continue;
		if (!first && p < end)
			*p++ = '-';
		first = false;
		p = put_u(p, end, a[i]);
	}
	return p;
}

size_t vg_tls_ja3_string(const vg_tls_hello_t *h, char *buf, size_t n)
{
	if (!h || !buf || n < VG_TLS_JA3_MAX)
		return 0; /* bounded lists always fit in VG_TLS_JA3_MAX */
	char *p = buf, *end = buf + n - 1;
	uint16_t ec[16];
	for (unsigned i = 0; i < h->n_ecpf; i++)
		ec[i] = h->ecpf[i];
	p = put_u(p, end, h->hs_version);
	*p++ = ',';
	p = put_list(p, end, h->ciphers, h->n_ciphers_kept);
	*p++ = ',';
	p = put_list(p, end, h->exts, h->n_exts);
	*p++ = ',';
	p = put_list(p, end, h->groups, h->n_groups);
	*p++ = ',';
	p = put_list(p, end, ec, h->n_ecpf);
	*p = 0;
	return (size_t)(p - buf);
}

int vg_tls_ja3_hash(const vg_tls_hello_t *h, char hex[33])
{
	char s[VG_TLS_JA3_MAX];
	size_t n = vg_tls_ja3_string(h, s, sizeof(s));
	if (!n)
		return VG_EINVAL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (!EVP_Digest(s, n, md, &mdlen, EVP_md5(), NULL) || mdlen != 16)
		return VG_ENOTSUP;
	static const char hx[] = "0123456789abcdef";
	for (int i = 0; i < 16; i++) {
		hex[2 * i] = hx[md[i] >> 4];
		hex[2 * i + 1] = hx[md[i] & 15];
	}
	hex[32] = 0;
	return 0;
}
