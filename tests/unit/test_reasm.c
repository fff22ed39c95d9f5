// SPDX-License-Identifier: Apache-2.0
/*
 * test_reasm.c — bounded TCP first-bytes reassembly (src/net/reasm.c):
 * out-of-order delivery of a real fragmented ClientHello (suricata-verify
 * tls-client-hello-frag-01, tests/data/sv/, MIT), overlaps, duplicates,
 * sequence wraparound, window clipping and the range-list limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "net/reasm.h"
#include "net/tls.h"
#include "testutil.h"

static uint8_t S1[TU_MAX], S2[TU_MAX], S3[TU_MAX];
static vg_tls_hello_t H;

/* The pcap's ISN is 538451778; segments at relative 1, 249, 497.  Delivered
 * 3,1,2 (plus a duplicate of 1): contig grows 0 -> 248 -> 517, and the TLS
 * parser sees the full hello (sni www.google.com). */
static void t_tls_312(void **st)
{
	(void)st;
	size_t n1 = tu_load("tests/data/sv/tls-frag-seg1.bin", S1);
	size_t n2 = tu_load("tests/data/sv/tls-frag-seg2.bin", S2);
	size_t n3 = tu_load("tests/data/sv/tls-frag-seg3.bin", S3);
	uint8_t buf[VG_REASM_DEFAULT_CAP];
	vg_reasm_t r;
	const uint32_t isn = 538451778u;
	vg_reasm_init(&r, buf, sizeof(buf), true, isn);
	assert_int_equal(vg_reasm_add(&r, isn + 497, S3, n3), 0);
	assert_int_equal(vg_reasm_contig(&r), 0);
	assert_int_equal(vg_reasm_add(&r, isn + 1, S1, n1), 0);
	assert_int_equal(vg_reasm_contig(&r), 248);
	assert_int_equal(vg_tls_parse_client_hello(vg_reasm_data(&r), vg_reasm_contig(&r), &H),
			 VG_EAGAIN);
	assert_int_equal(vg_reasm_add(&r, isn + 1, S1, n1), 0);
	assert_int_equal(vg_reasm_add(&r, isn + 249, S2, n2), 0);
	assert_int_equal(vg_reasm_contig(&r), 517);
	assert_int_equal(r.n, 1);
	assert_false(r.dropped);
	assert_int_equal(vg_tls_parse_client_hello(vg_reasm_data(&r), vg_reasm_contig(&r), &H), 0);
	assert_string_equal(H.sni, "www.google.com");

	/* same without the SYN, segment 2 first: the start moves back twice */
	vg_reasm_init(&r, buf, sizeof(buf), false, 0);
	vg_reasm_add(&r, isn + 249, S2, n2);
	vg_reasm_add(&r, isn + 497, S3, n3);
	assert_int_equal(vg_reasm_contig(&r), 269);
	vg_reasm_add(&r, isn + 1, S1, n1);
	assert_int_equal(vg_reasm_contig(&r), 517);
	assert_int_equal(r.base, isn + 1);
	assert_int_equal(vg_tls_parse_client_hello(vg_reasm_data(&r), 517, &H), 0);
	assert_string_equal(H.sni, "www.google.com");
}

/* Overlaps keep the first bytes; wraparound of the sequence space. */
static void t_overlap_wrap(void **st)
{
	(void)st;
	uint8_t buf[16];
	vg_reasm_t r;
	uint32_t isn = 0xfffffffau; /* data starts at 0xfffffffb, wraps after 5 */
	vg_reasm_init(&r, buf, sizeof(buf), true, isn);
	vg_reasm_add(&r, isn + 1 + 4, (const uint8_t *)"EFGH", 4); /* crosses 2^32 */
	vg_reasm_add(&r, isn + 1 + 2, (const uint8_t *)"xxxxxx", 6); /* overlaps EF.. */
	vg_reasm_add(&r, isn + 1, (const uint8_t *)"AB", 2);
	assert_int_equal(vg_reasm_contig(&r), 8);
	assert_memory_equal(buf, "ABxxEFGH", 8);
	/* a segment covering everything fills only the gaps */
	vg_reasm_add(&r, isn + 1, (const uint8_t *)"0123456789abcdefXYZ", 19);
	assert_int_equal(vg_reasm_contig(&r), 16);
	assert_memory_equal(buf, "ABxxEFGH89abcdef", 16);
	assert_true(vg_reasm_full(&r));
	assert_true(r.dropped); /* XYZ beyond cap */
	/* old retransmission before the start: ignored */
	vg_reasm_add(&r, isn - 100, (const uint8_t *)"zz", 2);
	assert_memory_equal(buf, "AB", 2);
}

/* Range-list limit: 8 isolated ranges; a 9th further out is dropped, a 9th
 * nearer the start evicts the last one. */
static void t_ranges(void **st)
{
	(void)st;
	uint8_t buf[256];
	vg_reasm_t r;
	vg_reasm_init(&r, buf, sizeof(buf), true, 1000);
	for (int i = 0; i < 8; i++)
		vg_reasm_add(&r, 1001 + 10 + (uint32_t)i * 10, (const uint8_t *)"a", 1);
	assert_int_equal(r.n, 8);
	assert_false(r.dropped);
	vg_reasm_add(&r, 1001 + 200, (const uint8_t *)"b", 1);
	assert_int_equal(r.n, 8);
	assert_true(r.dropped);
	assert_int_equal(r.rng[7].start, 80);
	vg_reasm_add(&r, 1001 + 2, (const uint8_t *)"c", 1);
	assert_int_equal(r.n, 8);
	assert_int_equal(r.rng[0].start, 2);
	assert_int_equal(r.rng[7].start, 70);
	/* filling 0..80 merges everything below */
	static uint8_t fill[81];
	memset(fill, 'f', sizeof(fill));
	vg_reasm_add(&r, 1001, fill, sizeof(fill));
	assert_int_equal(r.n, 1);
	assert_int_equal(vg_reasm_contig(&r), 81);
	assert_int_equal(buf[2], 'c');
	assert_int_equal(buf[10], 'a');
	/* hostile: zero length, NULL data with length, huge length */
	assert_int_equal(vg_reasm_add(&r, 1001, NULL, 0), 0);
	assert_int_equal(vg_reasm_add(&r, 1001, NULL, 5), VG_EINVAL);
	assert_int_equal(vg_reasm_add(&r, 1001 + 300, fill, 1), 0); /* beyond cap */
	assert_int_equal(vg_reasm_contig(&r), 81);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_tls_312),
	    cmocka_unit_test(t_overlap_wrap),
	    cmocka_unit_test(t_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
