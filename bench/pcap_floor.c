// SPDX-License-Identifier: Apache-2.0
// pcap_floor — the speed floor for offline capture processing: libpcap reads every record and
// a callback counts packets and bytes, nothing else. `vigil watch -r` can never be faster than
// this on the same file, so bench/run reports every tool as a ratio to it.
//
//   pcap_floor FILE     prints: packets=<n> bytes=<n> seconds=<s> mpps=<x>
//
// Timing is wall clock (CLOCK_MONOTONIC) around pcap_loop only; opening the file is excluded.
// Standalone tool: prints and exits.
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <time.h>

typedef struct {
	uint64_t pkts, bytes;
} counts_t;

static void on_pkt(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	counts_t *c = (counts_t *)user;
	c->pkts++;
	c->bytes += h->caplen;
	(void)data;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: pcap_floor FILE\n");
		return 2;
	}
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "pcap_floor: %s\n", err);
		return 1;
	}
	counts_t c = {0, 0};
	double t0 = now();
	int rc = pcap_loop(p, -1, on_pkt, (u_char *)&c);
	double dt = now() - t0;
	if (rc == -1) {
		fprintf(stderr, "pcap_floor: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	printf("packets=%" PRIu64 " bytes=%" PRIu64 " seconds=%.3f mpps=%.2f\n", c.pkts, c.bytes, dt,
	       dt > 0 ? (double)c.pkts / dt / 1e6 : 0.0);
	return 0;
}
