// SPDX-License-Identifier: Apache-2.0
/*
 * test_tls.c — TLS hello parsers (src/net/tls.c) on real suricata-verify
 * streams (tests/data/sv/, MIT) with the values their test.yaml expects, and
 * on hostile hellos (length overflows, truncation, non-TLS).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "net/tls.h"
#include "testutil.h"

static vg_tls_hello_t H;
static vg_tls_server_hello_t S;
static uint8_t B[TU_MAX];

/* tls-client-hello-frag-01: a ClientHello split over TLS records and TCP
 * segments (MTU 300); tls.sni www.google.com.  Every proper prefix is
 * VG_EAGAIN, the whole stream parses. */
static void t_frag(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/sv/tls-frag-seg1.bin", B);
	n += tu_load("tests/data/sv/tls-frag-seg2.bin", B + n);
	n += tu_load("tests/data/sv/tls-frag-seg3.bin", B + n);
	assert_int_equal(n, 517);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(vg_tls_parse_client_hello(B, k, &H), VG_EAGAIN);
	assert_int_equal(vg_tls_parse_client_hello(B, n, &H), 0);
	assert_true(H.has_sni);
	assert_string_equal(H.sni, "www.google.com");
	assert_int_equal(H.sni_len, 14);
	assert_int_equal(H.hs_version, 0x0303);
	assert_false(H.has_supported_versions); /* a TLS 1.2 client */
	assert_int_equal(H.max_version, 0x0303);
	assert_int_equal(H.n_alpn, 2);
	assert_string_equal(H.alpn[0], "h2");
	assert_string_equal(H.alpn[1], "http/1.1");
	assert_int_equal(H.n_ciphers, 80); /* only 64 kept for JA3 */
	assert_int_equal(H.n_ciphers_kept, 64);
	assert_true(H.lists_trunc);

	n = tu_load("tests/data/sv/tls-frag-sh.bin", B);
	assert_int_equal(vg_tls_parse_server_hello(B, n, &S), 0);
	assert_int_equal(S.selected_version, 0x0303);
	assert_int_equal(S.cipher, 0xc02b);
}

/* tls13-draft28: sni localhost, version "TLS 1.3 draft-28" (from the
 * ServerHello), JA3 string and hash as test.yaml states for the first
 * connection's hello (the one without pre_shared_key). */
static void t_draft28(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/sv/tls13-d28-ch.bin", B);
	assert_int_equal(vg_tls_parse_client_hello(B, n, &H), 0);
	assert_string_equal(H.sni, "localhost");
	assert_int_equal(H.record_version, 0x0301);
	assert_int_equal(H.max_version, 0x7f1c);
	char ja3[VG_TLS_JA3_MAX], hex[33], vb[24];
	assert_true(vg_tls_ja3_string(&H, ja3, sizeof(ja3)) > 0);
	assert_string_equal(ja3, "771,4866-4867-4865-4868-49196-52393-49325-49162-49195-49324-"
				 "49161-49200-52392-49172-49199-49171-157-49309-53-156-49308-47-"
				 "159-52394-49311-57-158-49310-51,5-10-11-13-22-23-35-51-43-65281-"
				 "0-45,23,0");
	assert_int_equal(vg_tls_ja3_hash(&H, hex), 0);
	assert_string_equal(hex, "43202faa1c8c1760d6f7f4bd9adde4ab");
	assert_int_equal(H.n_ciphers, 29);

	n = tu_load("tests/data/sv/tls13-d28-sh.bin", B);
	assert_int_equal(vg_tls_parse_server_hello(B, n, &S), 0);
	assert_int_equal(S.selected_version, 0x7f1c);
	assert_string_equal(vg_tls_version_name(S.selected_version, vb), "TLS 1.3 draft-28");
	assert_string_equal(vg_tls_version_name(0x0303, vb), "TLS 1.2");
	assert_string_equal(vg_tls_version_name(0x1234, vb), "0x1234");
}

/* bug-7264-tcp-3whs-ack-data-tls-01: sni raw.githubusercontent.com; JA3
 * hash as computed by tshark (tls.handshake.ja3). */
static void t_7264(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/sv/tls-7264-ch.bin", B);
	assert_int_equal(vg_tls_parse_client_hello(B, n, &H), 0);
	assert_string_equal(H.sni, "raw.githubusercontent.com");
	assert_int_equal(H.n_alpn, 0);
	assert_false(H.lists_trunc);
	char hex[33];
	assert_int_equal(vg_tls_ja3_hash(&H, hex), 0);
	assert_string_equal(hex, "316193effb467e51d0301cabd36b69e0");
}

/* A minimal hello builder for hostile cases. */
static size_t mk_hello(uint8_t *p, const uint8_t *ext, size_t extlen)
{
	size_t bodylen = 2 + 32 + 1 + 2 + 2 + 1 + 1 + 2 + extlen;
	size_t o = 0;
	p[o++] = 22, p[o++] = 3, p[o++] = 1;
	p[o++] = (uint8_t)((bodylen + 4) >> 8), p[o++] = (uint8_t)(bodylen + 4);
	p[o++] = 1, p[o++] = 0, p[o++] = (uint8_t)(bodylen >> 8), p[o++] = (uint8_t)bodylen;
	p[o++] = 3, p[o++] = 3;
	memset(p + o, 0x11, 32), o += 32;
	p[o++] = 0;                     /* session id */
	p[o++] = 0, p[o++] = 2, p[o++] = 0x13, p[o++] = 0x01; /* one cipher */
	p[o++] = 1, p[o++] = 0;         /* compression null */
	p[o++] = (uint8_t)(extlen >> 8), p[o++] = (uint8_t)extlen;
	memcpy(p + o, ext, extlen);
	return o + extlen;
}

static void t_hostile(void **st)
{
	(void)st;
	uint8_t p[512];
	/* SNI + ALPN h2,http/1.1 */
	static const uint8_t good[] = {0, 0, 0, 8, 0, 6, 0, 0, 3, 'a', '.', 'b',
				       0, 16, 0, 14, 0, 12, 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
	size_t n = mk_hello(p, good, sizeof(good));
	assert_int_equal(vg_tls_parse_client_hello(p, n, &H), 0);
	assert_string_equal(H.sni, "a.b");
	assert_int_equal(H.n_alpn, 2);
	assert_string_equal(H.alpn[0], "h2");
	assert_string_equal(H.alpn[1], "http/1.1");
	assert_false(H.has_supported_versions);
	assert_int_equal(H.max_version, 0x0303);

	/* extension length larger than the extensions block */
	static const uint8_t over[] = {0, 0, 0xff, 0xf0, 0, 6, 0, 0, 3, 'a', '.', 'b'};
	n = mk_hello(p, over, sizeof(over));
	assert_int_equal(vg_tls_parse_client_hello(p, n, &H), VG_EFORMAT);
	/* SNI list length larger than the extension */
	static const uint8_t over2[] = {0, 0, 0, 8, 0, 60, 0, 0, 3, 'a', '.', 'b'};
	n = mk_hello(p, over2, sizeof(over2));
	assert_int_equal(vg_tls_parse_client_hello(p, n, &H), VG_EFORMAT);
	/* host name length larger than the list */
	static const uint8_t over3[] = {0, 0, 0, 8, 0, 6, 0, 0, 200, 'a', '.', 'b'};
	n = mk_hello(p, over3, sizeof(over3));
	assert_int_equal(vg_tls_parse_client_hello(p, n, &H), VG_EFORMAT);
	/* zero-length ALPN protocol */
	static const uint8_t alpn0[] = {0, 16, 0, 3, 0, 1, 0};
	n = mk_hello(p, alpn0, sizeof(alpn0));
	assert_int_equal(vg_tls_parse_client_hello(p, n, &H), VG_EFORMAT);

	/* handshake length bigger than the record: needs more records */
	n = mk_hello(p, good, sizeof(good));
	p[7] = 0x10; /* body length += 0x1000 */
	assert_int_equal(vg_tls_parse_client_hello(p, n, &H), VG_EAGAIN);
	p[6] = 0x7f; /* body > scratch */
	assert_int_equal(vg_tls_parse_client_hello(p, n, &H), VG_ELIMIT);

	/* not TLS: HTTP, an alert record, a ServerHello where a ClientHello is
	 * expected, empty input */
	assert_int_equal(vg_tls_parse_client_hello((const uint8_t *)"GET / HTTP/1.1", 14, &H),
			 VG_EFORMAT);
	static const uint8_t alert[] = {21, 3, 3, 0, 2, 2, 40};
	assert_int_equal(vg_tls_parse_client_hello(alert, sizeof(alert), &H), VG_EFORMAT);
	n = mk_hello(p, good, sizeof(good));
	p[5] = 2;
	assert_int_equal(vg_tls_parse_client_hello(p, n, &H), VG_EFORMAT);
	assert_int_equal(vg_tls_parse_client_hello(p, 0, &H), VG_EAGAIN);
	static const uint8_t zrec[] = {22, 3, 1, 0, 0};
	assert_int_equal(vg_tls_parse_client_hello(zrec, sizeof(zrec), &H), VG_EFORMAT);

	/* bare handshake entry: GREASE version ignored, 1.3 picked */
	static const uint8_t sv[] = {0, 43, 0, 5, 4, 0x3a, 0x3a, 3, 4};
	n = mk_hello(p, sv, sizeof(sv));
	assert_int_equal(vg_tls_parse_client_hello_hs(p + 5, n - 5, &H), 0);
	assert_int_equal(H.max_version, 0x0304);
	assert_int_equal(H.record_version, 0);
	assert_int_equal(vg_tls_parse_client_hello_hs(p + 5, n - 6, &H), VG_EAGAIN);
	assert_true(vg_tls_is_grease(0x3a3a));
	assert_false(vg_tls_is_grease(0x3a3b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_frag),
	    cmocka_unit_test(t_draft28),
	    cmocka_unit_test(t_7264),
	    cmocka_unit_test(t_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
