// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_http.c — libFuzzer target for src/net/http.c: request and response
 * head parsers with the default and a small limit; checks string bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vg_http_req_t R;
static vg_http_resp_t S;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (vg_http_parse_request(data, size, 0, &R) == 0 &&
	    (strlen(R.url) > VG_HTTP_URL_MAX || strlen(R.host) > VG_HTTP_HOST_MAX))
		__builtin_trap();
	(void)vg_http_parse_request(data, size, 64, &R);
	(void)vg_http_parse_response(data, size, 0, &S);
	(void)vg_http_parse_response(data, size, 64, &S);
	return 0;
}
