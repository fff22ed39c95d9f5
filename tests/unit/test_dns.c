// SPDX-License-Identifier: Apache-2.0
/*
 * test_dns.c — DNS parser (src/net/dns.c) against real suricata-verify
 * payloads (tests/data/sv/, MIT, see LICENSE.txt there) with the values their
 * test.yaml expects, plus hostile inputs (pointer loops, self pointers,
 * pointers past the end, lengths past the data, long names).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "net/dns.h"
#include "testutil.h"

static vg_dns_msg_t M; /* 24 KiB: static, not on the stack */
static uint8_t B[TU_MAX];

static const char *ipstr(const vg_ip_t *ip)
{
	static char s[64];
	vg_ip_format(ip, s, sizeof(s));
	return s;
}

/* dns-forward-pointer: query 0 name is a FORWARD pointer to query 1's name;
 * both queries are codemonkey.net A; response answer is 152.53.82.239 ttl 300. */
static void t_forward_pointer(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/sv/dns-fwdptr-q.bin", B);
	assert_int_equal(vg_dns_parse(B, n, &M), 0);
	assert_int_equal(M.id, 36356);
	assert_false(M.qr);
	assert_int_equal(M.n_q, 2);
	assert_string_equal(vg_dns_str(&M, M.q[0].name), "codemonkey.net");
	assert_string_equal(vg_dns_str(&M, M.q[1].name), "codemonkey.net");
	assert_string_equal(vg_dns_type_name(M.q[0].type), "A");
	assert_int_equal(M.q[1].type, VG_DNS_T_A);
	assert_int_equal(M.err_section, 0);

	n = tu_load("tests/data/sv/dns-fwdptr-r.bin", B);
	assert_int_equal(vg_dns_parse(B, n, &M), 0);
	assert_true(M.qr);
	assert_int_equal(M.n_an, 1);
	assert_string_equal(vg_dns_str(&M, M.an[0].name), "codemonkey.net");
	assert_int_equal(M.an[0].type, VG_DNS_T_A);
	assert_int_equal(M.an[0].ttl, 300);
	assert_int_equal(M.an[0].rdkind, VG_DNS_RD_IP);
	assert_string_equal(ipstr(&M.an[0].ip), "152.53.82.239");
	assert_true(vg_ip_is4(&M.an[0].ip));
}

/* dns-udp-eve-dig (pcap cond-log-dns-dig): request id 36146 for
 * www.suricata-ids.org A; response flags 81a0, CNAME then two A. */
static void t_dig(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/sv/dns-dig-q.bin", B);
	assert_int_equal(vg_dns_parse(B, n, &M), 0);
	assert_int_equal(M.id, 36146);
	assert_int_equal(M.n_q, 1);
	assert_string_equal(vg_dns_str(&M, M.q[0].name), "www.suricata-ids.org");
	assert_int_equal(M.n_extra, 1); /* EDNS OPT */
	assert_string_equal(vg_dns_str(&M, M.extra[0].name), "<root>");
	assert_int_equal(M.extra[0].type, VG_DNS_T_OPT);
	assert_int_equal(M.extra[0].section, VG_DNS_SEC_ADDITIONAL);
	assert_true(vg_dns_looks_like(B, n));

	n = tu_load("tests/data/sv/dns-dig-r.bin", B);
	assert_int_equal(vg_dns_parse(B, n, &M), 0);
	assert_int_equal(M.id, 36146);
	assert_int_equal(M.flags, 0x81a0);
	assert_true(M.qr);
	assert_true(M.rd);
	assert_true(M.ra);
	assert_false(M.aa);
	assert_false(M.tc);
	assert_int_equal(M.opcode, 0);
	assert_string_equal(vg_dns_rcode_name(M.rcode), "NOERROR");
	assert_string_equal(vg_dns_str(&M, M.q[0].name), "www.suricata-ids.org");
	assert_int_equal(M.n_an, 3);
	assert_string_equal(vg_dns_str(&M, M.an[0].name), "www.suricata-ids.org");
	assert_string_equal(vg_dns_type_name(M.an[0].type), "CNAME");
	assert_int_equal(M.an[0].ttl, 3544);
	assert_int_equal(M.an[0].rdkind, VG_DNS_RD_NAME);
	assert_string_equal(vg_dns_str(&M, M.an[0].target), "suricata-ids.org");
	assert_string_equal(vg_dns_str(&M, M.an[1].name), "suricata-ids.org");
	assert_int_equal(M.an[1].ttl, 244);
	assert_string_equal(ipstr(&M.an[1].ip), "192.0.78.24");
	assert_string_equal(vg_dns_str(&M, M.an[2].name), "suricata-ids.org");
	assert_int_equal(M.an[2].ttl, 244);
	assert_string_equal(ipstr(&M.an[2].ip), "192.0.78.25");
}

/* dns-corrupt-additionals: answers[0].rrname _sip._udp.sip.voice.google.com,
 * query type SRV; the additional OPT record is cut: answers still returned,
 * err_section says where parsing stopped. */
static void t_corrupt_additionals(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/sv/dns-corrupt-add.bin", B);
	assert_int_equal(vg_dns_parse(B, n, &M), 0);
	assert_int_equal(M.err_section, VG_DNS_SEC_ADDITIONAL);
	assert_int_equal(M.n_q, 1);
	assert_string_equal(vg_dns_type_name(M.q[0].type), "SRV");
	assert_int_equal(M.n_an, 2);
	assert_string_equal(vg_dns_str(&M, M.an[0].name), "_sip._udp.sip.voice.google.com");
	assert_int_equal(M.an[0].rdkind, VG_DNS_RD_NAME);
	assert_int_equal(M.an[0].prio, 20);
	assert_int_equal(M.an[0].weight, 1);
	assert_int_equal(M.an[0].port, 5060);
	assert_string_equal(vg_dns_str(&M, M.an[0].target), "sip-anycast-2.voice.google.com");
	assert_int_equal(M.an[1].prio, 10);
	assert_string_equal(vg_dns_str(&M, M.an[1].target), "sip-anycast-1.voice.google.com");
	assert_int_equal(M.n_extra, 0);
}

/* dns-truncated-rname: a 16 KiB TCP DNS query with 1500 questions whose
 * names (built with pointers) are longer than Suricata's cap: rrname length
 * 1025 and rrname_truncated true; 8 queries stored, more set. */
static void t_truncated_rname(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/sv/dns-trunc-rname.bin", B), used = 0;
	assert_int_equal(n, 16775);
	assert_int_equal(vg_dns_parse_tcp(B, n - 1, &M, &used), VG_EAGAIN);
	assert_int_equal(used, 0);
	assert_int_equal(vg_dns_parse_tcp(B, n, &M, &used), 0);
	assert_int_equal(used, 16775);
	assert_int_equal(M.qdcount, 1500);
	assert_int_equal(M.n_q, 8);
	assert_true(M.more);
	assert_int_equal(M.err_section, 0);
	assert_int_equal(strlen(vg_dns_str(&M, M.q[7].name)), 1025);
	assert_true(M.q[7].name_trunc);
	assert_int_equal(strlen(vg_dns_str(&M, M.q[0].name)), 1025);
	assert_true(M.q[0].name_trunc);
	assert_true(M.any_trunc);
	assert_memory_equal(vg_dns_str(&M, M.q[0].name), "123456789abcdef", 15);
}

/* dns-tcp-www-google-com: request and 12-answer response over TCP. */
static void t_tcp(void **st)
{
	(void)st;
	size_t used;
	size_t n = tu_load("tests/data/sv/dns-tcp-q.bin", B);
	assert_int_equal(vg_dns_parse_tcp(B, n, &M, &used), 0);
	assert_int_equal(used, 57);
	assert_false(M.qr);
	assert_string_equal(vg_dns_str(&M, M.q[0].name), "www.google.com");
	n = tu_load("tests/data/sv/dns-tcp-r.bin", B);
	assert_int_equal(vg_dns_parse_tcp(B, n, &M, &used), 0);
	assert_true(M.qr);
	assert_int_equal(M.n_an, 12);
	assert_string_equal(ipstr(&M.an[0].ip), "216.197.242.244");
	assert_string_equal(ipstr(&M.an[11].ip), "216.197.242.216");
}

/* dns-udp-unsolicited-response, datasets-*: plain queries / responses. */
static void t_misc_real(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/sv/dns-unsol-r1.bin", B);
	assert_int_equal(vg_dns_parse(B, n, &M), 0);
	assert_true(M.qr);
	assert_int_equal(M.id, 0x9941);
	assert_string_equal(vg_dns_str(&M, M.q[0].name), "client-cf.dropbox.com");
	assert_string_equal(ipstr(&M.an[0].ip), "52.85.112.21");
	n = tu_load("tests/data/sv/dns-ds04.bin", B);
	assert_int_equal(vg_dns_parse(B, n, &M), 0);
	assert_string_equal(vg_dns_str(&M, M.q[0].name), "example.com");
	n = tu_load("tests/data/sv/dns-sub1.bin", B);
	assert_int_equal(vg_dns_parse(B, n, &M), 0);
	assert_string_equal(vg_dns_str(&M, M.q[0].name), "mail.evil.com");
	n = tu_load("tests/data/sv/dns-sub2.bin", B);
	assert_int_equal(vg_dns_parse(B, n, &M), 0);
	assert_int_equal(M.id, 2);
	assert_string_equal(vg_dns_str(&M, M.q[0].name), "sub.mail.evil.com");
}

#define HDR(qd, an) 0x12, 0x34, 0x01, 0x00, 0, qd, 0, an, 0, 0, 0, 0

/* Hostile names. */
static void t_hostile(void **st)
{
	(void)st;
	/* self pointer as the very first thing: no name, cut, but record end is
	 * known so the question parses (type A, class IN) */
	static const uint8_t selfp[] = {HDR(1, 0), 0xc0, 12, 0, 1, 0, 1};
	assert_int_equal(vg_dns_parse(selfp, sizeof(selfp), &M), 0);
	assert_int_equal(M.n_q, 1);
	assert_true(M.q[0].name_trunc);
	assert_string_equal(vg_dns_str(&M, M.q[0].name), "");
	assert_int_equal(M.q[0].type, 1);

	/* two-pointer loop a -> b -> a: cut when a pointer target repeats */
	static const uint8_t loop[] = {HDR(1, 0), 1, 'a', 0xc0, 20, 0, 1, 0, 1, 1, 'b', 0xc0, 12};
	assert_int_equal(vg_dns_parse(loop, sizeof(loop), &M), 0);
	assert_true(M.q[0].name_trunc);
	assert_string_equal(vg_dns_str(&M, M.q[0].name), "a.b.a");

	/* pointer past the end */
	static const uint8_t past[] = {HDR(1, 0), 0xc0, 200, 0, 1, 0, 1};
	assert_int_equal(vg_dns_parse(past, sizeof(past), &M), VG_EFORMAT);

	/* label length larger than the data */
	static const uint8_t lablen[] = {HDR(1, 0), 40, 'a', 'b'};
	assert_int_equal(vg_dns_parse(lablen, sizeof(lablen), &M), VG_EFORMAT);

	/* reserved label type 0x40 */
	static const uint8_t res[] = {HDR(1, 0), 0x41, 'a', 0, 0, 1, 0, 1};
	assert_int_equal(vg_dns_parse(res, sizeof(res), &M), VG_EFORMAT);

	/* zero length, short header */
	assert_int_equal(vg_dns_parse(B, 0, &M), VG_EFORMAT);
	assert_int_equal(vg_dns_parse(selfp, 11, &M), VG_EFORMAT);
	assert_false(vg_dns_looks_like(selfp, 0));

	/* answer rdlength past the data: queries kept, err_section ANSWER */
	static const uint8_t rdl[] = {HDR(1, 1), 1, 'x', 0, 0, 1, 0, 1,
				      0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 9, 0, 50, 1, 2, 3, 4};
	assert_int_equal(vg_dns_parse(rdl, sizeof(rdl), &M), 0);
	assert_int_equal(M.err_section, VG_DNS_SEC_ANSWER);
	assert_int_equal(M.n_q, 1);
	assert_int_equal(M.n_an, 0);

	/* escaping: a dot and a control byte inside a label, root name */
	static const uint8_t esc[] = {HDR(2, 0), 3, 'a', '.', 0x01, 0, 0, 1, 0, 1, 0, 0, 2, 0, 1};
	assert_int_equal(vg_dns_parse(esc, sizeof(esc), &M), 0);
	assert_string_equal(vg_dns_str(&M, M.q[0].name), "a.\\x01");
	assert_string_equal(vg_dns_str(&M, M.q[1].name), "<root>");
	assert_string_equal(vg_dns_type_name(M.q[1].type), "NS");
}

/* 256+ byte names (no pointers): kept whole up to 1025 chars (as Suricata)
 * but marked truncated (over RFC 1035's 255); 5 x 63-byte labels = 319. */
static void t_long_name(void **st)
{
	(void)st;
	uint8_t m[512] = {HDR(1, 0)};
	size_t o = 12;
	for (int l = 0; l < 5; l++) {
		m[o++] = 63;
		memset(m + o, 'a' + l, 63);
		o += 63;
	}
	m[o++] = 0;
	m[o++] = 0, m[o++] = 1, m[o++] = 0, m[o++] = 1;
	assert_int_equal(vg_dns_parse(m, o, &M), 0);
	assert_int_equal(strlen(vg_dns_str(&M, M.q[0].name)), 319);
	assert_true(M.q[0].name_trunc);
}

/* Types, rcodes, TXT and AAAA rdata, counts beyond the stored maximum. */
static void t_names_misc(void **st)
{
	(void)st;
	char b[16];
	assert_string_equal(vg_dns_type_str(65, b), "HTTPS");
	assert_string_equal(vg_dns_type_str(123, b), "TYPE123");
	assert_string_equal(vg_dns_type_str(65535, b), "TYPE65535");
	assert_null(vg_dns_type_name(123));
	assert_string_equal(vg_dns_rcode_name(3), "NXDOMAIN");
	assert_null(vg_dns_rcode_name(15));

	static const uint8_t m[] = {HDR(0, 2),
				    0, 0, 16, 0, 1, 0, 0, 0, 1, 0, 4, 3, 'h', 'i', 0xff,
				    0, 0, 28, 0, 1, 0, 0, 0, 1, 0, 16,
				    0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	assert_int_equal(vg_dns_parse(m, sizeof(m), &M), 0);
	assert_int_equal(M.n_an, 2);
	assert_int_equal(M.an[0].rdkind, VG_DNS_RD_TXT);
	assert_string_equal(vg_dns_str(&M, M.an[0].target), "hi\\xff");
	assert_string_equal(ipstr(&M.an[1].ip), "2001:db8::1");

	/* 10 questions: 8 stored, more set */
	uint8_t q[12 + 10 * 7] = {HDR(10, 0)};
	for (int i = 0; i < 10; i++) {
		uint8_t *p = q + 12 + i * 7;
		p[0] = 1, p[1] = (uint8_t)('a' + i), p[2] = 0, p[3] = 0, p[4] = 1, p[5] = 0, p[6] = 1;
	}
	assert_int_equal(vg_dns_parse(q, sizeof(q), &M), 0);
	assert_int_equal(M.n_q, 8);
	assert_true(M.more);
	assert_string_equal(vg_dns_str(&M, M.q[7].name), "h");
}

/* Work bound: 2000 questions, each a pointer to a chain of 200 one-byte
 * labels.  Only 8 names are rendered (cut at 255 segments is not reached:
 * 200 labels = 399 chars); skipped questions stop at their first pointer. */
static void t_work_bound(void **st)
{
	(void)st;
	static uint8_t m[12 + 401 + 4 + 2000 * 6];
	uint8_t h[12] = {HDR(0, 0)};
	memcpy(m, h, 12);
	m[4] = 2000 >> 8, m[5] = 2000 & 0xff;
	size_t o = 12;
	for (int i = 0; i < 200; i++)
		m[o++] = 1, m[o++] = 'x';
	m[o++] = 0;
	m[o++] = 0, m[o++] = 1, m[o++] = 0, m[o++] = 1;
	for (int i = 0; i < 2000; i++)
		m[o++] = 0xc0, m[o++] = 12, m[o++] = 0, m[o++] = 1, m[o++] = 0, m[o++] = 1;
	/* question 0 is the chain itself, 1..2000 point to it */
	m[4] = (uint8_t)(2002 >> 8), m[5] = (uint8_t)(2002 & 0xff);
	assert_int_equal(vg_dns_parse(m, o, &M), VG_EFORMAT); /* one more than present */
	m[4] = (uint8_t)(2001 >> 8), m[5] = (uint8_t)(2001 & 0xff);
	assert_int_equal(vg_dns_parse(m, o, &M), 0);
	assert_int_equal(M.n_q, 8);
	assert_true(M.more);
	assert_int_equal(strlen(vg_dns_str(&M, M.q[1].name)), 399);
	assert_true(M.q[1].name_trunc); /* over 255: marked */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_forward_pointer), cmocka_unit_test(t_dig),
	    cmocka_unit_test(t_corrupt_additionals), cmocka_unit_test(t_truncated_rname),
	    cmocka_unit_test(t_tcp), cmocka_unit_test(t_misc_real),
	    cmocka_unit_test(t_hostile), cmocka_unit_test(t_long_name),
	    cmocka_unit_test(t_names_misc), cmocka_unit_test(t_work_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
