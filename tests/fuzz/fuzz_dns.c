// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_dns.c — libFuzzer target for src/net/dns.c: UDP parse, TCP framing
 * parse and the heuristic on the same input; touches every returned string
 * so that a bad offset or a missing NUL shows up under ASan.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vg_dns_msg_t M;

static size_t touch(void)
{
	size_t t = 0;
	for (unsigned i = 0; i < M.n_q; i++)
		t += strlen(vg_dns_str(&M, M.q[i].name));
	for (unsigned i = 0; i < M.n_an; i++)
		t += strlen(vg_dns_str(&M, M.an[i].name)) + strlen(vg_dns_str(&M, M.an[i].target));
	for (unsigned i = 0; i < M.n_extra; i++)
		t += strlen(vg_dns_str(&M, M.extra[i].name));
	if (M.scratch_used > VG_DNS_SCRATCH)
		__builtin_trap();
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t used;
	(void)vg_dns_looks_like(data, size);
	if (vg_dns_parse(data, size, &M) == 0)
		touch();
	if (vg_dns_parse_tcp(data, size, &M, &used) == 0)
		touch();
	return 0;
}
