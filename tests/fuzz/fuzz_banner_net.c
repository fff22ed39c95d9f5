// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_banner_net.c — what a device says first to `vigil audit device`:
 * banner classification, printable copies, telnet option negotiation (fed
 * in two chunks so split commands are exercised), prompt classification,
 * and the SSH KEXINIT parser with its weak-algorithm scan.
 */
#include "audit/net_proto.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[256];
	(void)vg_banner_classify(data, size);
	vg_printable(data, size, line, sizeof(line));
	vg_telnet_t t = {0};
	uint8_t out[4096], rep[64];
	size_t on, rn, half = size / 2;
	vg_telnet_filter(&t, data, half, out, sizeof(out), &on, rep, sizeof(rep), &rn);
	(void)vg_prompt_classify(out, on);
	vg_telnet_filter(&t, data + half, size - half, out, sizeof(out), &on, rep, sizeof(rep), &rn);
	(void)vg_prompt_classify(out, on);
	vg_ssh_algs_t a;
	size_t used;
	if (vg_ssh_kexinit_parse(data, size, &a, &used) == 0) {
		char w[512] = "";
		vg_ssh_weak(a.kex, 'k', w, sizeof(w));
		vg_ssh_weak(a.hostkey, 'h', w, sizeof(w));
		vg_ssh_weak(a.enc, 'e', w, sizeof(w));
		vg_ssh_weak(a.mac, 'm', w, sizeof(w));
	}
	return 0;
}
