/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tls.h — TLS ClientHello / ServerHello parser for the watch engine.
 *
 * Input is the first bytes of one direction of a TCP stream (reassembled by
 * src/net/reasm.h), starting at the first TLS record.  The hello may span
 * several records; the parser gathers the handshake bytes into the scratch
 * area inside the output struct (no allocation) and returns VG_EAGAIN while
 * the hello is incomplete.  QUIC passes its CRYPTO stream to the bare
 * handshake entry point vg_tls_parse_client_hello_hs().
 *
 * Everything stored is bounded: SNI up to 255 bytes, 8 ALPN protocols of up
 * to 63 bytes, and the first VG_TLS_MAX_LIST values of each JA3 list.
 * Strings are NUL-terminated; SNI bytes are copied as sent except that bytes
 * outside 0x21..0x7e are replaced by '?' (the SNI is a DNS host name).
 */
#ifndef VG_NET_TLS_H
#define VG_NET_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"

#define VG_TLS_SNI_MAX 255
#define VG_TLS_MAX_ALPN 8
#define VG_TLS_ALPN_LEN 63
#define VG_TLS_MAX_LIST 64          /* ciphers / extensions / groups kept */
#define VG_TLS_HS_SCRATCH 16384     /* max handshake message gathered */
#define VG_TLS_JA3_MAX 2048         /* enough for any bounded JA3 string */

typedef struct vg_tls_hello {
	uint16_t record_version; /* version of the first record (0 for bare hs) */
	uint16_t hs_version;     /* legacy client_version */
	uint16_t max_version;    /* highest non-GREASE supported_versions entry,
				    else hs_version: 0x0304 means TLS 1.3 */
	uint32_t hs_len;         /* handshake body length */
	uint8_t session_id_len;

	bool has_sni, sni_trunc;
	uint16_t sni_len;
	char sni[VG_TLS_SNI_MAX + 1];

	uint8_t n_alpn;
	bool alpn_more; /* more protocols than stored, or one cut */
	char alpn[VG_TLS_MAX_ALPN][VG_TLS_ALPN_LEN + 1];

	bool has_supported_versions;
	uint8_t n_versions;
	uint16_t versions[16];

	uint16_t n_ciphers;      /* total cipher suites offered */
	uint16_t n_ciphers_kept; /* ciphers[] entries (<= VG_TLS_MAX_LIST) */
	uint16_t ciphers[VG_TLS_MAX_LIST];
	uint16_t n_exts;
	uint16_t exts[VG_TLS_MAX_LIST]; /* extension types in order */
	uint16_t n_groups;
	uint16_t groups[VG_TLS_MAX_LIST];
	uint8_t n_ecpf;
	uint8_t ecpf[16];
	bool lists_trunc; /* some JA3 list was longer than kept */

	uint8_t hs[VG_TLS_HS_SCRATCH]; /* scratch: gathered handshake bytes */
} vg_tls_hello_t;

typedef struct vg_tls_server_hello {
	uint16_t record_version;
	uint16_t hs_version;       /* legacy server_version */
	uint16_t selected_version; /* supported_versions extension, or hs_version */
	uint16_t cipher;
	bool has_alpn;
	char alpn[VG_TLS_ALPN_LEN + 1];
	uint8_t hs[VG_TLS_HS_SCRATCH];
} vg_tls_server_hello_t;

/*
 * vg_tls_parse_client_hello: parse a ClientHello from the start of a
 * client->server TCP stream (TLS records, possibly several).
 * Returns 0 on success; VG_EAGAIN when more stream bytes are needed;
 * VG_EFORMAT when the bytes are not a TLS handshake starting with a
 * ClientHello or the hello is malformed; VG_ELIMIT when the hello is longer
 * than VG_TLS_HS_SCRATCH; VG_EINVAL on NULL arguments.
 */
int vg_tls_parse_client_hello(const uint8_t *stream, size_t len, vg_tls_hello_t *out);

/*
 * vg_tls_parse_client_hello_hs: same for a bare handshake message
 * (msg_type 1, 24-bit length, body), as carried in QUIC CRYPTO frames.
 * hs may be out->hs.  Returns 0, VG_EAGAIN (message incomplete), VG_EFORMAT.
 */
int vg_tls_parse_client_hello_hs(const uint8_t *hs, size_t len, vg_tls_hello_t *out);

/*
 * vg_tls_parse_server_hello: ServerHello from the start of the server->client
 * stream: versions, cipher and selected ALPN.  Returns as the client parser.
 */
int vg_tls_parse_server_hello(const uint8_t *stream, size_t len, vg_tls_server_hello_t *out);

/* vg_tls_is_grease: true for the RFC 8701 GREASE values (0x?a?a). */
bool vg_tls_is_grease(uint16_t v);

/*
 * vg_tls_version_name: "SSLv3", "TLS 1.0" .. "TLS 1.3", "TLS 1.3 draft-NN"
 * (0x7fNN, as Suricata names them), else "0xNNNN"; written into buf when not
 * a constant.  Never NULL.
 */
const char *vg_tls_version_name(uint16_t v, char buf[24]);

/*
 * vg_tls_ja3_string: the JA3 string "ver,ciphers,exts,groups,ecpf" (GREASE
 * removed) of h into buf (n bytes, NUL-terminated); returns its length, or 0
 * if n is too small.  Exact only when !h->lists_trunc.
 */
size_t vg_tls_ja3_string(const vg_tls_hello_t *h, char *buf, size_t n);

/* vg_tls_ja3_hash: lowercase hex MD5 of the JA3 string into hex[33].
 * Returns 0 or VG_EINVAL/VG_ENOTSUP (MD5 unavailable). */
int vg_tls_ja3_hash(const vg_tls_hello_t *h, char hex[33]);

#endif
