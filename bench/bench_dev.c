// SPDX-License-Identifier: Apache-2.0
// bench_dev — cost of passive device fingerprinting (vg_dev_observe) on the packet path.
//
//   bench_dev FILE [REPEATS=5]
//
// Reads every frame of the capture into memory (I/O excluded), then times, REPEATS
// times each (median reported), two passes over the same frames:
//   base : vg_decode + vg_flow_track (what the watch engine does before its hooks)
//   dev  : the same + vg_dev_observe with per-flow bits and a counting callback
// and prints packets, signals, ns/packet for both, the overhead in percent, and the
// throughput of vg_dev_observe alone ((dev - base) time).  Deterministic input: use
// `gen_pcap mixed` (bench/README.md) or a real capture.  Standalone tool: prints, exits.
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dev/dev.h"
#include "net/decode.h"
#include "net/flow.h"

typedef struct frame {
	uint64_t ts_us;
	uint32_t caplen, len;
	const uint8_t *data;
} frame_t;

static frame_t *F;
static size_t NF, CAPF;
static int LT;

static void on_pkt(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	(void)user;
	if (NF == CAPF) {
		CAPF = CAPF ? CAPF * 2 : 1 << 16;
		F = realloc(F, CAPF * sizeof(*F));
		if (!F)
			exit(1);
	}
	uint8_t *c = malloc(h->caplen ? h->caplen : 1);
	if (!c)
		exit(1);
	memcpy(c, data, h->caplen);
	F[NF++] = (frame_t){(uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec, h->caplen,
			    h->len, c};
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t NSIG, BYKIND[VG_SIG__COUNT];

static void count(void *ctx, const vg_dev_sig_t *s)
{
	(void)ctx;
	NSIG++;
	BYKIND[s->kind]++;
}

static vg_dev_scratch_t SCR;

static double pass(int with_dev)
{
	vg_flow_cfg_t cfg;
	vg_flow_cfg_default(&cfg);
	cfg.hash_seed = 1;
	vg_flow_table_t *t;
	if (vg_flow_table_new(&t, &cfg, NULL, NULL))
		exit(1);
	vg_pkt_t p;
	NSIG = 0;
	memset(BYKIND, 0, sizeof(BYKIND));
	double t0 = now();
	for (size_t i = 0; i < NF; i++) {
		if (vg_decode(LT, F[i].data, F[i].caplen, &p) != VG_DEC_OK)
			continue;
		int dir = 0;
		vg_flow_t *f = vg_flow_track(t, &p, F[i].ts_us, F[i].len, &dir);
		if (with_dev)
			vg_dev_observe(&p, f, dir, f ? &f->app_flags : NULL, F[i].ts_us, &SCR, count, NULL);
	}
	double dt = now() - t0;
	vg_flow_table_free(t);
	return dt;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_dev FILE [REPEATS]\n");
		return 2;
	}
	int reps = argc == 3 ? atoi(argv[2]) : 5;
	if (reps < 1 || reps > 100)
		reps = 5;
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(argv[1], err);
	if (!pc) {
		fprintf(stderr, "bench_dev: %s\n", err);
		return 1;
	}
	LT = pcap_datalink(pc);
	pcap_loop(pc, -1, on_pkt, NULL);
	pcap_close(pc);
	double base[100], dev[100];
	for (int r = 0; r < reps; r++) {
		base[r] = pass(0);
		dev[r] = pass(1);
	}
	qsort(base, (size_t)reps, sizeof(double), cmpd);
	qsort(dev, (size_t)reps, sizeof(double), cmpd);
	double b = base[reps / 2], d = dev[reps / 2];
	printf("file=%s packets=%zu signals=%" PRIu64 " repeats=%d\n", argv[1], NF, NSIG, reps);
	printf("base (decode+flow)        %8.1f ns/pkt  %6.2f Mpps\n", b / (double)NF * 1e9,
	       (double)NF / b / 1e6);
	printf("with vg_dev_observe       %8.1f ns/pkt  %6.2f Mpps\n", d / (double)NF * 1e9,
	       (double)NF / d / 1e6);
	printf("overhead                  %8.1f %%   observe alone %.1f ns/pkt (%.1f Mpps)\n",
	       (d - b) / b * 100.0, (d - b) / (double)NF * 1e9,
	       d > b ? (double)NF / (d - b) / 1e6 : 0.0);
	for (int k = 1; k < VG_SIG__COUNT; k++)
		if (BYKIND[k])
			printf("  %-20s %" PRIu64 "\n", vg_dev_sig_name(k), BYKIND[k]);
	for (size_t i = 0; i < NF; i++)
		free((void *)F[i].data);
	free(F);
	return 0;
}
