// SPDX-License-Identifier: Apache-2.0
/*
 * test_community_id.c — Community ID v1 against the spec's published
 * baseline (corelight/community-id-spec baseline/baseline_deflt.json, seed 0)
 * and suricata-verify's community-id-ipv6 expectations; SHA-1 against the
 * FIPS 180 examples; the suricata-verify pcap through source, decode and
 * flow table gives Suricata's community_id and flow counters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "net/community_id.h"
#include "net/decode.h"
#include "net/flow.h"
#include "net/source.h"

static vg_ip_t ip(const char *s)
{
	vg_ip_t a;
	assert_int_equal(vg_ip_parse(s, strlen(s), &a), 0);
	return a;
}

struct vec {
	int seed;
	int proto;
	const char *s, *d;
	int sp, dp;
	const char *cid;
};

/* baseline_deflt.json of the spec, every row (ports -1 = null). */
static const struct vec spec[] = {
	{0, 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 136, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
	{0, 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 135, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
	{0, 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 136, "1:zavyT/cezQr1fmImYCwYnMXbgck="},
	{0, 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 136, 135, "1:zavyT/cezQr1fmImYCwYnMXbgck="},
	{0, 58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ="},
	{0, 58, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4, "1:hLZd0XGWojozrvxqE0dWB1iM6R0="},
	{0, 58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 129, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="},
	{0, 58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 128, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="},
	{0, 58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 134, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0="},
	{0, 58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 133, "1:pkvHqCL88/tg1k4cPigmZXUtL00="},
	{0, 1, "192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
	{0, 1, "192.168.0.1", "192.168.0.89", 0, 8, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
	{0, 1, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM="},
	{0, 6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
	{0, 6, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
	{0, 132, "192.168.170.8", "192.168.170.56", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
	{0, 132, "192.168.170.56", "192.168.170.8", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
	{0, 6, "128.232.110.120", "66.35.250.204", 34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
	{0, 6, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
	{0, 17, "192.168.1.52", "8.8.8.8", 54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
	{0, 17, "8.8.8.8", "192.168.1.52", 53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
	{0, 46, "10.1.12.1", "10.1.12.2", -1, -1, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="},
	{0, 46, "10.1.12.2", "10.1.12.1", -1, -1, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="},
	/* suricata-verify community-id-ipv6 test.yaml (suricata.yaml: seed 7) */
	{7, 6, "2600:1f13:f8:d400:3a6:303c:e011:18eb", "2607:f8b0:400a:800::200e", 60202, 443, "1:ptJhMvufAbB5nLDNW77cB800wFM="},
	{7, 6, "2600:1f13:f8:d400:3a6:303c:e011:18eb", "2001:4860:4860::8888", 33892, 443, "1:PGf+a0eBbs1OhuPtJmsF0Sm51v4="},
};

/* Rule: every spec baseline row (both directions, seed 0) and the two
 * suricata-verify flows (seed 7) give the published ID. */
static void test_spec_vectors(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++) {
		vg_ip_t s = ip(spec[i].s), d = ip(spec[i].d);
		char out[VG_CID_SIZE];
		int sp = spec[i].sp < 0 ? 0 : spec[i].sp, dp = spec[i].dp < 0 ? 0 : spec[i].dp;
		int n = vg_community_id(&s, &d, (uint8_t)spec[i].proto, (uint16_t)sp, (uint16_t)dp,
					(uint16_t)spec[i].seed, out);
		assert_int_equal(n, 30);
		assert_string_equal(out, spec[i].cid);
	}
}

/* Rule: SHA-1 matches FIPS 180 "abc" and the 56-byte two-block message. */
static void test_sha1(void **st)
{
	(void)st;
	static const uint8_t abc[20] = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
					0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
	static const uint8_t two[20] = {0x84, 0x98, 0x3e, 0x44, 0x1c, 0x3b, 0xd2, 0x6e, 0xba, 0xae,
					0x4a, 0xa1, 0xf9, 0x51, 0x29, 0xe5, 0xe5, 0x46, 0x70, 0xf1};
	uint8_t d[20];
	vg_sha1("abc", 3, d);
	assert_memory_equal(d, abc, 20);
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	vg_sha1(m, strlen(m), d);
	assert_memory_equal(d, two, 20);
}

struct seen {
	int n;
	char cid[4][VG_CID_SIZE];
	uint64_t pkts[4][2], bytes[4][2];
	uint16_t cport[4];
	int state[4], reason[4];
};

static void on_end(void *ctx, vg_flow_t *f, int reason)
{
	struct seen *s = ctx;
	if (s->n < 4) {
		memcpy(s->cid[s->n], vg_flow_community_id(f, 7), VG_CID_SIZE);
		memcpy(s->pkts[s->n], f->pkts, sizeof f->pkts);
		memcpy(s->bytes[s->n], f->bytes, sizeof f->bytes);
		s->cport[s->n] = f->cport;
		s->state[s->n] = f->state;
		s->reason[s->n] = reason;
	}
	s->n++;
}

/* Rule: tests/data/suricata-verify/community-id-ipv6 gives test.yaml's two
 * flows: community_id (seed 7), packets and bytes per direction, state. */
static void test_pcap_flows(void **st)
{
	(void)st;
	char *paths[] = {"tests/data/suricata-verify/community-id-ipv6/input.pcap"};
	vg_src_t *src;
	char err[256];
	assert_int_equal(vg_src_open_files(&src, paths, 1, NULL, err, sizeof err), 0);
	vg_flow_cfg_t cfg;
	vg_flow_cfg_default(&cfg);
	cfg.cid_seed = 7;
	struct seen s = {0};
	vg_flow_table_t *t;
	assert_int_equal(vg_flow_table_new(&t, &cfg, on_end, &s), 0);
	vg_raw_pkt_t rp;
	int rc;
	while ((rc = vg_src_next(src, &rp)) == 1) {
		vg_pkt_t p;
		assert_int_equal(vg_decode(rp.linktype, rp.data, rp.caplen, &p), VG_DEC_OK);
		assert_non_null(vg_flow_track(t, &p, rp.ts_us, rp.len, NULL));
	}
	assert_int_equal(rc, 0);
	vg_src_close(src);
	vg_flow_flush(t);
	vg_flow_table_free(t);
	assert_int_equal(s.n, 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(s.reason[i], VG_FLOW_END_FLUSH);
		if (s.cport[i] == 33892) {
			assert_string_equal(s.cid[i], "1:PGf+a0eBbs1OhuPtJmsF0Sm51v4=");
			assert_int_equal(s.pkts[i][VG_DIR_TOSERVER], 17);
			assert_int_equal(s.pkts[i][VG_DIR_TOCLIENT], 17);
			assert_int_equal(s.bytes[i][VG_DIR_TOSERVER], 2303);
			assert_int_equal(s.bytes[i][VG_DIR_TOCLIENT], 7122);
			assert_int_equal(s.state[i], VG_FLOW_ESTABLISHED);
		} else {
			assert_int_equal(s.cport[i], 60202);
			assert_string_equal(s.cid[i], "1:ptJhMvufAbB5nLDNW77cB800wFM=");
			assert_int_equal(s.pkts[i][VG_DIR_TOSERVER], 18);
			assert_int_equal(s.pkts[i][VG_DIR_TOCLIENT], 18);
			assert_int_equal(s.bytes[i][VG_DIR_TOSERVER], 2439);
			assert_int_equal(s.bytes[i][VG_DIR_TOCLIENT], 28862);
			assert_int_equal(s.state[i], VG_FLOW_CLOSED);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spec_vectors),
	    cmocka_unit_test(test_sha1),
	    cmocka_unit_test(test_pcap_flows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
