// SPDX-License-Identifier: Apache-2.0
/*
 * test_source.c — packet sources: capture files written here with
 * pcap_dump (mkstemp in /tmp) read merged in time order, directories,
 * BPF filters, a truncated file (error reported with its name, earlier
 * packets kept), open errors; live capture on lo when permitted (skipped
 * otherwise).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "net/decode.h"
#include "net/reader.h"
#include "net/source.h"

/* An Ethernet/IPv4/UDP frame to dport whose payload byte is tag. */
static size_t frame(uint8_t *b, uint16_t dport, uint8_t tag)
{
	memset(b, 0, 64);
	b[12] = 0x08;
	uint8_t *ip = b + 14;
	ip[0] = 0x45;
	ip[3] = 29; /* total length 20 + 8 + 1 */
	ip[8] = 64;
	ip[9] = 17;
	ip[12] = 10; ip[15] = 1;
	ip[16] = 10; ip[19] = 2;
	uint8_t *u = ip + 20;
	u[0] = 0x30; u[1] = 0x39;
	u[2] = (uint8_t)(dport >> 8); u[3] = (uint8_t)dport;
	u[5] = 9;
	u[8] = tag;
	return 14 + 29;
}

struct rec {
	uint32_t sec, usec;
	uint16_t dport;
	uint8_t tag;
};

/* Write recs to a new mkstemp file in dir; returns the malloc'd path. */
static char *write_pcap(const char *dir, const struct rec *r, int n)
{
	char *path = malloc(256);
	assert_non_null(path);
	snprintf(path, 256, "%s/vg_src_XXXXXX", dir);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pcap_dump_open(dead, path);
	assert_non_null(d);
	for (int i = 0; i < n; i++) {
		uint8_t b[64];
		struct pcap_pkthdr h;
		memset(&h, 0, sizeof h);
		h.ts.tv_sec = r[i].sec;
		h.ts.tv_usec = r[i].usec;
		h.caplen = h.len = (bpf_u_int32)frame(b, r[i].dport, r[i].tag);
		pcap_dump((u_char *)d, &h, b);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return path;
}

static uint8_t tag_of(const vg_raw_pkt_t *p) { return p->data[14 + 28]; }

/* Rule: two files are merged by timestamp; equal times go to the file
 * listed first; pcap_cnt counts 1.. over the run; fields are filled. */
static void test_merge(void **st)
{
	(void)st;
	struct rec a[] = {{1, 0, 53, 'a'}, {3, 0, 53, 'b'}, {5, 0, 53, 'c'}};
	struct rec b[] = {{2, 0, 53, 'x'}, {3, 0, 53, 'y'}, {4, 999999, 53, 'z'}};
	char *pa = write_pcap("/tmp", a, 3), *pb = write_pcap("/tmp", b, 3);
	char *paths[] = {pa, pb};
	vg_src_t *s;
	char err[256];
	assert_int_equal(vg_src_open_files(&s, paths, 2, NULL, err, sizeof err), 0);
	assert_int_equal(vg_src_is_live(s), 0);
	const char *want = "axbyzc";
	int idx[] = {0, 1, 0, 1, 1, 0};
	vg_raw_pkt_t p;
	for (int i = 0; i < 6; i++) {
		assert_int_equal(vg_src_next(s, &p), 1);
		assert_int_equal(tag_of(&p), want[i]);
		assert_int_equal(p.file_idx, idx[i]);
		assert_string_equal(p.file, paths[idx[i]]);
		assert_int_equal(p.pcap_cnt, i + 1);
		assert_int_equal(p.caplen, 43);
		assert_int_equal(p.len, 43);
		assert_int_equal(p.linktype, DLT_EN10MB);
	}
	assert_int_equal(p.ts_us, 5000000);
	assert_int_equal(vg_src_next(s, &p), 0);
	assert_int_equal(vg_src_next(s, &p), 0);
	vg_src_stats_t ss;
	assert_int_equal(vg_src_get_stats(s, &ss), 0);
	assert_int_equal(ss.pkts, 6);
	assert_int_equal(ss.files, 2);
	assert_int_equal(ss.file_errors, 0);
	vg_src_close(s);
	unlink(pa);
	unlink(pb);
	free(pa);
	free(pb);
}

/* Rule: a truncated file reports one VG_ECORRUPT naming the file after the
 * packets before the damage; the other file goes on to its end. */
static void test_truncated(void **st)
{
	(void)st;
	struct rec a[] = {{1, 0, 53, 'a'}, {2, 0, 53, 'b'}, {3, 0, 53, 'c'}};
	struct rec b[] = {{10, 0, 53, 'x'}, {11, 0, 53, 'y'}};
	char *pa = write_pcap("/tmp", a, 3), *pb = write_pcap("/tmp", b, 2);
	struct stat sb;
	assert_int_equal(stat(pa, &sb), 0);
	assert_int_equal(truncate(pa, sb.st_size - 5), 0); /* cut the last packet */
	char *paths[] = {pa, pb};
	vg_src_t *s;
	char err[256];
	assert_int_equal(vg_src_open_files(&s, paths, 2, NULL, err, sizeof err), 0);
	vg_raw_pkt_t p;
	assert_int_equal(vg_src_next(s, &p), 1);
	assert_int_equal(tag_of(&p), 'a');
	assert_int_equal(vg_src_next(s, &p), 1);
	assert_int_equal(tag_of(&p), 'b');
	assert_int_equal(vg_src_next(s, &p), VG_ECORRUPT);
	assert_non_null(strstr(vg_src_error(s), pa));
	assert_non_null(strstr(vg_src_error(s), "truncated"));
	assert_int_equal(vg_src_next(s, &p), 1);
	assert_int_equal(tag_of(&p), 'x');
	assert_int_equal(p.pcap_cnt, 3);
	assert_string_equal(vg_src_error(s), "");
	assert_int_equal(vg_src_next(s, &p), 1);
	assert_int_equal(tag_of(&p), 'y');
	assert_int_equal(vg_src_next(s, &p), 0);
	vg_src_stats_t ss;
	vg_src_get_stats(s, &ss);
	assert_int_equal(ss.file_errors, 1);
	vg_src_close(s);
	/* a file cut inside its first record: error at once, nothing lost */
	assert_int_equal(truncate(pa, 24 + 16 + 3), 0);
	assert_int_equal(vg_src_open_files(&s, paths, 1, NULL, err, sizeof err), 0);
	assert_int_equal(vg_src_next(s, &p), VG_ECORRUPT);
	assert_int_equal(vg_src_next(s, &p), 0);
	vg_src_close(s);
	unlink(pa);
	unlink(pb);
	free(pa);
	free(pb);
}

/* Rule: the reader thread delivers exactly what vg_src_next would, in the
 * same order, errors included, also across many batches; stopping early
 * joins cleanly. */
static void test_reader_thread(void **st)
{
	(void)st;
	struct rec a[] = {{1, 0, 53, 'a'}, {2, 0, 53, 'b'}, {3, 0, 53, 'c'}};
	enum { NB = 3000 }; /* more than one batch */
	struct rec *b = calloc(NB, sizeof *b);
	for (int i = 0; i < NB; i++)
		b[i] = (struct rec){10 + (unsigned)i, 0, 53, (uint8_t)('A' + i % 26)};
	char *pa = write_pcap("/tmp", a, 3), *pb = write_pcap("/tmp", b, NB);
	struct stat sb;
	assert_int_equal(stat(pa, &sb), 0);
	assert_int_equal(truncate(pa, sb.st_size - 5), 0);
	char *paths[] = {pa, pb};
	vg_src_t *s;
	char err[256];
	assert_int_equal(vg_src_open_files(&s, paths, 2, NULL, err, sizeof err), 0);
	vg_reader_t *r;
	assert_int_equal(vg_reader_start(&r, s), 0);
	vg_raw_pkt_t p;
	assert_int_equal(vg_reader_next(r, &p, err, sizeof err), 1);
	assert_int_equal(tag_of(&p), 'a');
	assert_int_equal(vg_reader_next(r, &p, err, sizeof err), 1);
	assert_int_equal(tag_of(&p), 'b');
	assert_int_equal(vg_reader_next(r, &p, err, sizeof err), VG_ECORRUPT);
	assert_non_null(strstr(err, pa));
	for (int i = 0; i < NB; i++) {
		assert_int_equal(vg_reader_next(r, &p, err, sizeof err), 1);
		assert_int_equal(tag_of(&p), 'A' + i % 26);
		assert_int_equal(p.pcap_cnt, 3 + (uint64_t)i);
	}
	assert_int_equal(vg_reader_next(r, &p, err, sizeof err), 0);
	vg_reader_stop(r);
	vg_src_close(s);
	/* stop early, with the ring full */
	assert_int_equal(vg_src_open_files(&s, paths + 1, 1, NULL, err, sizeof err), 0);
	assert_int_equal(vg_reader_start(&r, s), 0);
	assert_int_equal(vg_reader_next(r, &p, err, sizeof err), 1);
	usleep(100000);
	vg_reader_stop(r);
	vg_src_close(s);
	unlink(pa);
	unlink(pb);
	free(pa);
	free(pb);
	free(b);
}

/* Rule: a directory stands for its regular files; the BPF filter applies
 * to every file. */
static void test_dir_and_filter(void **st)
{
	(void)st;
	char dir[] = "/tmp/vg_srcdir_XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct rec a[] = {{1, 0, 53, 'a'}, {3, 0, 80, 'b'}};
	struct rec b[] = {{2, 0, 80, 'x'}, {4, 0, 53, 'y'}};
	char *pa = write_pcap(dir, a, 2), *pb = write_pcap(dir, b, 2);
	char sub[300];
	snprintf(sub, sizeof sub, "%s/subdir", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	char *paths[] = {dir};
	vg_src_t *s;
	char err[256];
	assert_int_equal(vg_src_open_files(&s, paths, 1, "udp port 53", err, sizeof err), 0);
	vg_raw_pkt_t p;
	assert_int_equal(vg_src_next(s, &p), 1);
	assert_int_equal(tag_of(&p), 'a');
	assert_int_equal(vg_src_next(s, &p), 1);
	assert_int_equal(tag_of(&p), 'y');
	assert_int_equal(vg_src_next(s, &p), 0);
	vg_src_stats_t ss;
	vg_src_get_stats(s, &ss);
	assert_int_equal(ss.files, 2);
	vg_src_close(s);
	/* vg_src_break ends a file source too */
	assert_int_equal(vg_src_open_files(&s, paths, 1, NULL, err, sizeof err), 0);
	assert_int_equal(vg_src_next(s, &p), 1);
	vg_src_break(s);
	assert_int_equal(vg_src_next(s, &p), 0);
	vg_src_close(s);
	/* bad filter */
	assert_int_equal(vg_src_open_files(&s, paths, 1, "port port", err, sizeof err),
			 VG_EFORMAT);
	assert_null(s);
	assert_non_null(strstr(err, "bad filter"));
	/* a stray non-capture file in the directory is reported, not fatal */
	char junk[300];
	snprintf(junk, sizeof junk, "%s/README", dir);
	FILE *jf = fopen(junk, "w");
	assert_non_null(jf);
	fputs("not a capture\n", jf);
	fclose(jf);
	assert_int_equal(vg_src_open_files(&s, paths, 1, NULL, err, sizeof err), 0);
	int got = 0, bad = 0, rc;
	while ((rc = vg_src_next(s, &p)) != 0) {
		if (rc == 1)
			got++;
		else if (rc == VG_ECORRUPT && strstr(vg_src_error(s), junk))
			bad++;
		else
			fail_msg("unexpected %d", rc);
	}
	assert_int_equal(got, 4);
	assert_int_equal(bad, 1);
	vg_src_close(s);
	/* ...but the same file named directly fails the open */
	char *direct[] = {junk};
	assert_int_equal(vg_src_open_files(&s, direct, 1, NULL, err, sizeof err), VG_EFORMAT);
	unlink(junk);
	unlink(pa);
	unlink(pb);
	rmdir(sub);
	/* empty directory */
	assert_int_equal(vg_src_open_files(&s, paths, 1, NULL, err, sizeof err), VG_EEMPTY);
	rmdir(dir);
	free(pa);
	free(pb);
}

/* Rule: a missing file is VG_EIO and a non-capture file VG_EFORMAT, both
 * with the file name in the message. */
static void test_open_errors(void **st)
{
	(void)st;
	vg_src_t *s;
	char err[256];
	char *missing[] = {"/tmp/vg_no_such_file.pcap"};
	assert_int_equal(vg_src_open_files(&s, missing, 1, NULL, err, sizeof err), VG_EIO);
	assert_non_null(strstr(err, "vg_no_such_file.pcap"));
	char path[] = "/tmp/vg_notpcap_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello, this is not a capture file\n", 34), 34);
	close(fd);
	char *bad[] = {path};
	assert_int_equal(vg_src_open_files(&s, bad, 1, NULL, err, sizeof err), VG_EFORMAT);
	assert_non_null(strstr(err, path));
	unlink(path);
	assert_int_equal(vg_src_open_files(&s, bad, 0, NULL, err, sizeof err), VG_EEMPTY);
}

/* Rule: live capture on lo delivers a sent datagram, returns VG_EAGAIN
 * when silent, and 0 after vg_src_break.  Skipped without permission. */
static void test_live_lo(void **st)
{
	(void)st;
	vg_live_opts_t o = {.timeout_ms = 100, .immediate = 1, .bpf = "udp port 39999"};
	vg_src_t *s;
	char err[512];
	if (vg_src_open_live(&s, "lo", &o, err, sizeof err) != 0) {
		skip();
		return;
	}
	assert_int_equal(vg_src_is_live(s), 1);
	vg_raw_pkt_t p;
	assert_int_equal(vg_src_next(s, &p), VG_EAGAIN);
	int us = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(us >= 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(39999)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(sendto(us, "ping", 4, 0, (struct sockaddr *)&sa, sizeof sa), 4);
	close(us);
	int rc = VG_EAGAIN;
	for (int i = 0; i < 50 && rc == VG_EAGAIN; i++)
		rc = vg_src_next(s, &p);
	assert_int_equal(rc, 1);
	assert_string_equal(p.file, "lo");
	assert_int_equal(p.pcap_cnt, 1);
	vg_pkt_t d;
	assert_int_equal(vg_decode(p.linktype, p.data, p.caplen, &d), VG_DEC_OK);
	assert_int_equal(d.dport, 39999);
	assert_int_equal(d.payload_len, 4);
	vg_src_stats_t ss;
	assert_int_equal(vg_src_get_stats(s, &ss), 0);
	assert_true(ss.kernel_recv >= 1);
	vg_src_break(s);
	assert_int_equal(vg_src_next(s, &p), 0);
	vg_src_close(s);
	assert_int_not_equal(vg_src_open_live(&s, "vg-no-such-if0", &o, err, sizeof err), 0);
	assert_non_null(strstr(err, "vg-no-such-if0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_merge),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_reader_thread),
	    cmocka_unit_test(test_dir_and_filter),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_live_lo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
