// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_tls.c — libFuzzer target for src/net/tls.c: record-layer client and
 * server hello parsers, the bare handshake entry point and JA3 building.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vg_tls_hello_t H;
static vg_tls_server_hello_t S;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (vg_tls_parse_client_hello(data, size, &H) == 0) {
		char ja3[VG_TLS_JA3_MAX], hex[33];
		if (strlen(H.sni) > VG_TLS_SNI_MAX || H.n_alpn > VG_TLS_MAX_ALPN)
			__builtin_trap();
		vg_tls_ja3_string(&H, ja3, sizeof(ja3));
		vg_tls_ja3_hash(&H, hex);
	}
	(void)vg_tls_parse_client_hello_hs(data, size, &H);
	(void)vg_tls_parse_server_hello(data, size, &S);
	return 0;
}
