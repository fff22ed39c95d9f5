// SPDX-License-Identifier: Apache-2.0
/*
 * test_dev_pcap.c — vg_dev_observe on real captures, the way the watch
 * engine calls it (vg_decode, vg_flow_track, per-flow bits): exact signals
 * from tcpdump's test captures (tests/data/tcpdump/, BSD, LICENSE there):
 * an SSH session (ssh.pcap), an HTTP response (ipv4_tcp_http_xml.pcap), a
 * relayed DHCP exchange (dhcp-mud.pcap), a UPnP M-SEARCH (eapon1.pcap: a
 * client's question, no device facts); then every capture of the tcpdump
 * and suricata-verify corpora (malformed ones included) with every signal
 * checked for well-formedness (run under ASan in the sanitizer build).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devsig.h"
#include "net/flow.h"

static sigs_t C;
static uint64_t NSIG, NPKT;

static void check_cb(void *ctx, const vg_dev_sig_t *s)
{
	if (s->kind <= 0 || s->kind >= VG_SIG__COUNT || !s->value || strlen(s->value) != s->len || !s->len)
		fail_msg("bad signal");
	for (size_t i = 0; i < s->len; i++)
		if ((unsigned char)s->value[i] < 0x20 || s->value[i] == 0x7f)
			fail_msg("control byte in %s", vg_dev_sig_name(s->kind));
	NSIG++;
	if (ctx)
		sigs_cb(ctx, s);
}

/* Run the capture at path through decode, flow tracking and observe. */
static int run_pcap(const char *path, sigs_t *c)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, err);
	if (!pc)
		return -1;
	int lt = pcap_datalink(pc);
	vg_flow_cfg_t cfg;
	vg_flow_cfg_default(&cfg);
	cfg.max_flows = 4096;
	cfg.hash_seed = 1;
	vg_flow_table_t *t;
	if (vg_flow_table_new(&t, &cfg, NULL, NULL)) {
		pcap_close(pc);
		return -1;
	}
	if (c)
		sigs_reset(c);
	struct pcap_pkthdr *h;
	const u_char *d;
	vg_pkt_t p;
	int rc;
	while ((rc = pcap_next_ex(pc, &h, &d)) == 1) {
		NPKT++;
		if (vg_decode(lt, d, h->caplen, &p) != VG_DEC_OK)
			continue;
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
		int dir = 0;
		vg_flow_t *f = vg_flow_track(t, &p, ts, h->len, &dir);
		vg_dev_observe(&p, f, dir, f ? &f->app_flags : NULL, ts, &SCR, check_cb, c);
	}
	vg_flow_table_free(t);
	pcap_close(pc);
	return 0;
}

/* Rule: an SSH session to a public server: SERVICE from the SYN-ACK and the
 * server's identification line; no MAC (public address: the frame's MAC is
 * a router's). The client's own line is not a device banner. */
static void t_ssh(void **st)
{
	(void)st;
	assert_int_equal(run_pcap("tests/data/tcpdump/ssh.pcap", &C), 0);
	assert_string_equal(C.out, "service=tcp/22 ip=223.132.53.222 svc=6/22\n"
				   "ssh.banner=SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u3 ip=223.132.53.222 svc=6/22\n");
}

/* Rule: the first server bytes of an HTTP flow give its Server: header;
 * the capture starts mid-flow with the response, so the flow tracker
 * takes the server for the client: the response is still read as the
 * server's (SERVICE from its first data, private address: MAC kept). */
static void t_http(void **st)
{
	(void)st;
	assert_int_equal(run_pcap("tests/data/tcpdump/ipv4_tcp_http_xml.pcap", &C), 0);
	assert_string_equal(C.out, "service=tcp/80 ip=10.21.11.94 mac=00:50:56:9f:36:9f svc=6/80\n"
				   "http.server=Microsoft-IIS/6.0 ip=10.21.11.94 mac=00:50:56:9f:36:9f svc=6/80\n");
}

/* Rule: the relayed DHCP REQUEST/ACK of dhcp-mud.pcap through the
 * dispatcher: client facts on chaddr, then the lease. */
static void t_dhcp(void **st)
{
	(void)st;
	assert_int_equal(run_pcap("tests/data/tcpdump/dhcp-mud.pcap", &C), 0);
	assert_string_equal(
		C.out,
		"dhcp.hostname=raspberrypi ip=62.12.173.123 mac=b8:27:eb:b8:53:c8\n"
		"dhcp.prl=1,121,33,3,6,12,15,28,42,51,54,58,59,100,101,119 ip=62.12.173.123 mac=b8:27:eb:b8:53:c8\n"
		"dhcp.vendor_class=dhcpcd-6.11.5:Linux-4.1.18-v7+:armv7l:BCM2709 ip=62.12.173.123 mac=b8:27:eb:b8:53:c8\n"
		"dhcp.client_id=01:b8:27:eb:b8:53:c8 ip=62.12.173.123 mac=b8:27:eb:b8:53:c8\n"
		"dhcp.lease=62.12.173.123 ip=62.12.173.123 mac=b8:27:eb:b8:53:c8\n"
		"service=udp/67 ip=62.12.173.114 svc=17/67\n"); /* the server answered */
}

/* Rule: M-SEARCH requests are a control point's questions: no SSDP or
 * UPnP signal from eapon1.pcap. */
static void t_msearch(void **st)
{
	(void)st;
	assert_int_equal(run_pcap("tests/data/tcpdump/eapon1.pcap", &C), 0);
	assert_null(strstr(C.out, "ssdp."));
	assert_null(strstr(C.out, "upnp."));
}

static int scan_dir(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		size_t l = strlen(e->d_name);
		if (depth < 2 && e->d_type == DT_DIR)
			n += scan_dir(path, depth + 1);
		else if ((l > 5 && !strcmp(e->d_name + l - 5, ".pcap")) ||
			 (l > 7 && !strcmp(e->d_name + l - 7, ".pcapng")))
			n += run_pcap(path, NULL) == 0;
	}
	closedir(d);
	return n;
}

/* Rule: every capture of both corpora (hundreds of malformed ones) goes
 * through without a crash, and every signal is well-formed. */
static void t_corpus(void **st)
{
	(void)st;
	NSIG = NPKT = 0;
	int n = scan_dir("tests/data/tcpdump", 0) + scan_dir("tests/data/suricata-verify", 0);
	fprintf(stderr, "corpus: %d captures, %llu packets, %llu signals\n", n,
		(unsigned long long)NPKT, (unsigned long long)NSIG);
	assert_true(n > 500);
	assert_true(NSIG > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_ssh),
		cmocka_unit_test(t_http),
		cmocka_unit_test(t_dhcp),
		cmocka_unit_test(t_msearch),
		cmocka_unit_test(t_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
