// SPDX-License-Identifier: Apache-2.0
/*
 * test_http.c — HTTP head parsers (src/net/http.c) on real suricata-verify
 * requests (tests/data/sv/, MIT) and on crafted and hostile heads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "net/http.h"
#include "testutil.h"

static vg_http_req_t R;
static vg_http_resp_t S;
static uint8_t B[TU_MAX];

#define P(s) (const uint8_t *)(s), strlen(s)

/* http-ipv6: "Host: [::1]:8000" -> http.hostname "[::1]" (brackets kept, as
 * Suricata outputs), port 8000, URL http://[::1]:8000/; the response's Server
 * header. */
static void t_ipv6(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/sv/http-ipv6-req.bin", B);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(vg_http_parse_request(B, k, 0, &R), VG_EAGAIN);
	assert_int_equal(vg_http_parse_request(B, n, 0, &R), 0);
	assert_string_equal(R.method, "GET");
	assert_string_equal(R.uri, "/");
	assert_int_equal(R.ver_major, 1);
	assert_int_equal(R.ver_minor, 1);
	assert_true(R.has_host);
	assert_string_equal(R.host, "[::1]");
	assert_true(R.has_port);
	assert_int_equal(R.port, 8000);
	assert_string_equal(R.ua, "curl/7.54.0");
	assert_string_equal(R.url, "http://[::1]:8000/");
	assert_int_equal(R.head_len, 74);
	assert_false(R.truncated);

	n = tu_load("tests/data/sv/http-ipv6-resp.bin", B);
	assert_int_equal(vg_http_parse_response(B, n, 0, &S), 0);
	assert_int_equal(S.status, 200);
	assert_int_equal(S.ver_minor, 0);
	assert_string_equal(S.reason, "OK");
	assert_string_equal(S.server, "SimpleHTTP/0.6 Python/3.9.1");
	assert_int_equal(vg_http_parse_response(B, 20, 0, &S), VG_EAGAIN);
}

/* datasets-04-http-dns: GET / with Host example.com. */
static void t_ds04(void **st)
{
	(void)st;
	size_t n = tu_load("tests/data/sv/http-ds04.bin", B);
	assert_int_equal(vg_http_parse_request(B, n, 0, &R), 0);
	assert_string_equal(R.host, "example.com");
	assert_false(R.has_port);
	assert_string_equal(R.url, "http://example.com/");
	assert_false(R.has_ua);
}

/* Host forms, absolute URIs, default port, LF-only heads. */
static void t_forms(void **st)
{
	(void)st;
	assert_int_equal(vg_http_parse_request(P("POST /a?b=c HTTP/1.0\nHOST:  Ex.COM:80 \n\n"), 0,
					       &R), 0);
	assert_string_equal(R.method, "POST");
	assert_string_equal(R.host, "ex.com");
	assert_int_equal(R.port, 80);
	assert_string_equal(R.url, "http://ex.com/a?b=c"); /* port 80 omitted */

	assert_int_equal(vg_http_parse_request(P("GET http://Evil.example:8080/x/y HTTP/1.1\r\n"
						 "Host: other\r\n\r\n"), 0, &R), 0);
	assert_true(R.absolute_uri);
	assert_string_equal(R.uri, "http://Evil.example:8080/x/y");
	assert_string_equal(R.host, "evil.example");
	assert_int_equal(R.port, 8080);
	assert_string_equal(R.url, "http://evil.example:8080/x/y");

	assert_int_equal(vg_http_parse_request(P("GET http://h.example HTTP/1.1\r\n\r\n"), 0, &R), 0);
	assert_string_equal(R.url, "http://h.example/");

	assert_int_equal(vg_http_parse_request(P("GET / HTTP/1.1\r\nHost: [2001:db8::1]\r\n\r\n"), 0,
					       &R), 0);
	assert_string_equal(R.host, "[2001:db8::1]");
	assert_false(R.has_port);

	assert_int_equal(vg_http_parse_request(P("GET / HTTP/1.1\r\nHost: h:99999\r\n\r\n"), 0, &R), 0);
	assert_string_equal(R.host, "h");
	assert_true(R.bad_port);
	assert_false(R.has_port);

	/* no Host: no URL */
	assert_int_equal(vg_http_parse_request(P("GET /x HTTP/1.1\r\nUser-Agent: a\tb\r\n\r\n"), 0,
					       &R), 0);
	assert_false(R.has_host);
	assert_string_equal(R.url, "");
	assert_string_equal(R.ua, "a?b");
}

/* Limit: past it without the empty line, parse what is there, flag it. */
static void t_limit(void **st)
{
	(void)st;
	static char big[20000];
	strcpy(big, "GET /big HTTP/1.1\r\nHost: a.example\r\nX-Pad: ");
	size_t k = strlen(big);
	memset(big + k, 'p', sizeof(big) - k - 1);
	assert_int_equal(vg_http_parse_request((uint8_t *)big, 1000, 0, &R), VG_EAGAIN);
	assert_int_equal(vg_http_parse_request((uint8_t *)big, sizeof(big) - 1, 0, &R), 0);
	assert_true(R.truncated);
	assert_string_equal(R.host, "a.example");
	assert_string_equal(R.url, "http://a.example/big");
	/* custom limit shorter than the request line */
	assert_int_equal(vg_http_parse_request((uint8_t *)big, sizeof(big) - 1, 10, &R), VG_EFORMAT);
}

static void t_hostile(void **st)
{
	(void)st;
	assert_int_equal(vg_http_parse_request(P("\x16\x03\x01"), 0, &R), VG_EFORMAT);
	assert_int_equal(vg_http_parse_request(P(" GET"), 0, &R), VG_EFORMAT);
	assert_int_equal(vg_http_parse_request(P("GETTINGVERYLONGMETHOD / HTTP/1.1"), 0, &R), VG_EFORMAT);
	assert_int_equal(vg_http_parse_request(P("GET / FTP/1.0\r\n\r\n"), 0, &R), VG_EFORMAT);
	assert_int_equal(vg_http_parse_request(P("GET /\r\n\r\n"), 0, &R), VG_EFORMAT);
	assert_int_equal(vg_http_parse_request(P("GET  HTTP/1.1\r\n\r\n"), 0, &R), VG_EFORMAT);
	assert_int_equal(vg_http_parse_request(NULL, 0, 0, &R), VG_EAGAIN);
	assert_int_equal(vg_http_parse_request(P("GET / HTTP/1.1\r\nHost:\r\nHost: b\r\n\r\n"), 0, &R),
			 0);
	assert_string_equal(R.host, "b"); /* empty Host ignored */
	assert_int_equal(vg_http_parse_request(P("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n"), 0, &R), 0);
	assert_string_equal(R.host, "[::1"); /* unclosed bracket: kept whole */
	assert_false(R.has_port);
	assert_int_equal(vg_http_parse_response(P("HTTP/1.1 2x0 OK\r\n\r\n"), 0, &S), VG_EFORMAT);
	assert_int_equal(vg_http_parse_response(P("HTTX"), 0, &S), VG_EFORMAT);
	assert_int_equal(vg_http_parse_response(P("HTTP/1.1 404\r\n\r\n"), 0, &S), 0);
	assert_int_equal(S.status, 404);
	assert_string_equal(S.reason, "");

	/* a 3000-byte URI is cut at VG_HTTP_URI_MAX */
	static char u[4000];
	strcpy(u, "GET /");
	memset(u + 5, 'u', 3000);
	strcpy(u + 3005, " HTTP/1.1\r\nHost: h\r\n\r\n");
	assert_int_equal(vg_http_parse_request((uint8_t *)u, strlen(u), 0, &R), 0);
	assert_true(R.uri_trunc);
	assert_int_equal(strlen(R.uri), VG_HTTP_URI_MAX);
	assert_int_equal(strlen(R.url), 7 + 1 + VG_HTTP_URI_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_ipv6),  cmocka_unit_test(t_ds04),    cmocka_unit_test(t_forms),
	    cmocka_unit_test(t_limit), cmocka_unit_test(t_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
