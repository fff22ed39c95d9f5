// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_rtsp.c — RTSP and HTTP response heads as `vigil audit device` reads
 * them (vg_resp_parse), every WWW-Authenticate value it finds parsed as a
 * challenge, and the body handed to the XML field extractor (SDP and SOAP
 * bodies share the path).
 */
#include "audit/net_proto.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_resp_t r;
	if (vg_resp_parse(data, size, &r) != 0)
		return 0;
	for (int i = 0; i < r.nauth; i++) {
		vg_www_auth_t a;
		(void)vg_www_auth_parse(r.auth[i].p, r.auth[i].n, &a);
	}
	char v[64];
	(void)vg_xml_field((const char *)data + r.head_len, size - r.head_len, "Model", v, sizeof(v));
	(void)vg_ci_find(data + r.head_len, size - r.head_len, "m=video");
	return 0;
}
