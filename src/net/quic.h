/* SPDX-License-Identifier: Apache-2.0 */
/*
 * quic.h — QUIC v1 client Initial decryption to get the TLS ClientHello
 * (SNI, ALPN) of QUIC/HTTP3 flows (RFC 9000, RFC 9001 section 5).
 *
 * The client Initial keys derive from the Destination Connection ID alone,
 * so a passive observer can remove header protection (AES-128-ECB on a
 * ciphertext sample), decrypt the payload (AES-128-GCM), collect the CRYPTO
 * frames (in offset order, up to VG_QUIC_CRYPTO_MAX bytes) and parse the
 * ClientHello with vg_tls_parse_client_hello_hs().
 *
 * A vg_quic_state_t is owned by the caller (one per thread, or one per flow
 * when hellos spanning several Initial packets are to be joined): _init()
 * creates the OpenSSL contexts once; per packet nothing is allocated by vigil
 * (OpenSSL may allocate internally inside EVP calls).  Not thread-safe: one
 * state per thread.
 */
#ifndef VG_NET_QUIC_H
#define VG_NET_QUIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/reasm.h"
#include "net/tls.h"
#include "vigil/common.h"

#define VG_QUIC_V1 0x00000001u
#define VG_QUIC_CRYPTO_MAX 8192 /* CRYPTO stream bytes gathered */
#define VG_QUIC_PKT_MAX 4096    /* largest Initial payload decrypted */

typedef struct vg_quic_state {
	void *kdf_ctx, *ecb_ctx, *gcm_ctx; /* OpenSSL objects, owned */
	/* last packet */
	uint32_t version;
	uint8_t dcid_len, scid_len;
	uint8_t dcid[20], scid[20];
	uint64_t pn;
	size_t pkt_len; /* bytes of the Initial packet within the datagram */
	/* CRYPTO stream, joined across packets until vg_quic_reset() */
	uint8_t joined_dcid[20];
	uint8_t joined_dcid_len;
	bool joining;
	vg_reasm_t crypto_r;
	uint8_t crypto[VG_QUIC_CRYPTO_MAX];
	uint8_t plain[VG_QUIC_PKT_MAX];
	vg_tls_hello_t hello; /* valid when vg_quic_parse_initial() returned 0 */
} vg_quic_state_t;

/* vg_quic_init: set up st (OpenSSL contexts).  0, VG_ENOMEM or VG_ENOTSUP. */
int vg_quic_init(vg_quic_state_t *st);
/* vg_quic_release: free st's OpenSSL objects (st itself is the caller's). */
void vg_quic_release(vg_quic_state_t *st);
/* vg_quic_reset: forget the CRYPTO data gathered so far (new flow). */
void vg_quic_reset(vg_quic_state_t *st);

/*
 * vg_quic_parse_initial: decrypt the first packet of a UDP datagram if it is
 * a QUIC v1 client Initial, gather its CRYPTO frames and parse the
 * ClientHello into st->hello.  CRYPTO data of successive calls with the same
 * DCID is joined (a ClientHello over two Initials), until vg_quic_reset().
 * Returns 0 (st->hello valid), VG_EAGAIN (hello incomplete: feed the next
 * Initial of the flow), VG_EFORMAT (not a QUIC long-header Initial or
 * malformed), VG_ENOTSUP (other QUIC version), VG_ECORRUPT (AEAD
 * authentication failed: not a client Initial, or a server's), VG_ELIMIT
 * (payload > VG_QUIC_PKT_MAX), VG_EINVAL (NULL args / st not initialised).
 */
int vg_quic_parse_initial(vg_quic_state_t *st, const uint8_t *dgram, size_t len);

/* vg_quic_looks_like_initial: cheap check: long header, fixed bit, Initial
 * type, version 1, DCID length <= 20, datagram >= 1200 bytes (RFC 9000
 * 14.1 requires client Initial datagrams of at least 1200 bytes). */
bool vg_quic_looks_like_initial(const uint8_t *dgram, size_t len);

#endif
