// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_www_auth.c — one WWW-Authenticate challenge value (Basic or Digest,
 * quoted strings with escapes, qop lists, algorithms) and, when it parses,
 * the Authorization header `vigil audit device` would answer with.
 */
#include "audit/net_proto.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_www_auth_t a;
	if (vg_www_auth_parse((const char *)data, size, &a) != 0)
		return 0;
	char h[1024];
	(void)vg_auth_header(&a, "admin", "12345", "DESCRIBE", "rtsp://127.0.0.1:554/", "cnonce", h, sizeof(h));
	(void)vg_auth_header(&a, "admin", "", "GET", "/", "c", h, 16);
	return 0;
}
