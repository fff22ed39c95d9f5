// SPDX-License-Identifier: Apache-2.0
/*
 * test_quic.c — QUIC v1 client Initial decryption (src/net/quic.c) with the
 * RFC 9001 Appendix A.2 protected client Initial (tests/data/quic/): SNI
 * "example.com", ALPN "alpn", packet number 2; plus tampered and hostile
 * packets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "net/quic.h"
#include "testutil.h"

static vg_quic_state_t Q;
static uint8_t B[TU_MAX];

static void t_rfc9001(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/quic/rfc9001-a2-client-initial.bin", B);
	assert_int_equal(n, 1200);
	assert_int_equal(vg_quic_init(&Q), 0);
	assert_true(vg_quic_looks_like_initial(B, n));
	assert_int_equal(vg_quic_parse_initial(&Q, B, n), 0);
	assert_int_equal(Q.version, 1);
	assert_int_equal(Q.dcid_len, 8);
	assert_int_equal(Q.dcid[0], 0x83);
	assert_int_equal(Q.scid_len, 0);
	assert_int_equal(Q.pn, 2);
	assert_int_equal(Q.pkt_len, 1200);
	assert_true(Q.hello.has_sni);
	assert_string_equal(Q.hello.sni, "example.com");
	assert_int_equal(Q.hello.n_alpn, 1);
	assert_string_equal(Q.hello.alpn[0], "alpn");
	assert_int_equal(Q.hello.max_version, 0x0304);
	assert_int_equal(Q.hello.n_ciphers, 2); /* 0x1301, 0x1302 */
	vg_quic_release(&Q);
	vg_quic_release(&Q); /* idempotent */
}

static void t_hostile(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/quic/rfc9001-a2-client-initial.bin", B);
	assert_int_equal(vg_quic_init(&Q), 0);
	/* one flipped ciphertext bit: AEAD fails */
	B[500] ^= 1;
	assert_int_equal(vg_quic_parse_initial(&Q, B, n), VG_ECORRUPT);
	B[500] ^= 1;
	/* truncated datagram: the Length field exceeds the data */
	assert_int_equal(vg_quic_parse_initial(&Q, B, 600), VG_EFORMAT);
	assert_false(vg_quic_looks_like_initial(B, 600));
	/* other version */
	B[4] = 2;
	assert_int_equal(vg_quic_parse_initial(&Q, B, n), VG_ENOTSUP);
	B[4] = 1;
	/* DCID length > 20 */
	B[5] = 21;
	assert_int_equal(vg_quic_parse_initial(&Q, B, n), VG_EFORMAT);
	B[5] = 8;
	/* short header, empty input */
	static const uint8_t sh[] = {0x40, 1, 2, 3};
	assert_int_equal(vg_quic_parse_initial(&Q, sh, sizeof(sh)), VG_EFORMAT);
	assert_int_equal(vg_quic_parse_initial(&Q, B, 0), VG_EFORMAT);
	/* still fine afterwards */
	assert_int_equal(vg_quic_parse_initial(&Q, B, n), 0);
	assert_string_equal(Q.hello.sni, "example.com");
	vg_quic_release(&Q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_rfc9001),
	    cmocka_unit_test(t_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
